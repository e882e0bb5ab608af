/** Kysely table types of claims: the claim, the lines it is about, its events and its evidence. */
export type ClaimsTable = {
  id: string; number: string; account_id: string; kind: string; status: string; title: string; description: string | null;
  claimed_minor: number; currency: string; accepted_minor: number | null; decision_reason: string | null;
  credit_note_no: string | null; credit_minor: number | null; credit_currency: string | null; credit_date: string | null;
  filed_by: string; filed_via: 'staff' | 'portal'; response_due_at: string; decision_due_at: string; responded_at: string | null;
  /** The levels' targets in working minutes when the claim was filed; null for claims filed before they were kept. */
  response_minutes: number | null; decision_minutes: number | null;
  decided_at: string | null; closed_at: string | null; created_at: string; updated_at: string; version: number;
};
export type ClaimLinesTable = { id: string; claim_id: string; order_line_id: string; shipment_id: string | null };
export type ClaimEventsTable = {
  id: string; claim_id: string; account_id: string; at: string; actor_id: string | null; kind: 'filed' | 'status' | 'note' | 'evidence';
  from_status: string | null; to_status: string | null; reason: string | null; internal: number;
};
export type ClaimAttachmentsTable = { claim_id: string; attachment_id: string; internal: number; added_by: string; created_at: string };
