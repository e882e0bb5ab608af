/** Kysely table types of VMI (decision 034): settings per account and per line, drafts, their lines, edits and signatures, and rep counts. */
export type VmiSettingsTable = {
  account_id: string; enabled: number; site_id: string | null; lead_time_days: number | null; rhythm_json: string | null;
  capacity_kg: number | null; capacity_pallets: number | null; truck_kg: number | null; truck_pallets: number | null; full_trucks: number;
  expiry_hours: number; updated_by: string | null; created_at: string; updated_at: string; version: number;
};
export type VmiLineSettingsTable = {
  account_id: string; product_id: string; enabled: number; policy_json: string; min_order: number; pack_units: number | null; pack_kg: number | null;
  per_pallet: number | null; change_down_pct: number; change_up_pct: number; updated_at: string;
};
export type VmiDraftsTable = {
  id: string; number: string; account_id: string; site_id: string | null; as_of: string; status: string; arrival: string; next_visit: string;
  next_arrival: string; protection_days: number; lead_time_days: number; load_json: string; notes_json: string; exceptions_json: string;
  expires_at: string | null; sent_by: string | null; sent_at: string | null; decided_at: string | null; cancel_reason: string | null;
  order_no: string | null; created_by: string | null; created_at: string; updated_at: string; version: number;
};
export type VmiDraftLinesTable = {
  draft_id: string; product_id: string; position: number; suggested_quantity: number; quantity: number; pack_units: number;
  reason_code: string | null; note: string | null; why_json: string; on_hand: number; in_transit: number; cover_days: number | null;
  min_quantity: number; max_quantity: number;
};
export type VmiDraftEditsTable = {
  id: string; draft_id: string; product_id: string; at: string; user_id: string; from_quantity: number; to_quantity: number; reason_code: string; note: string | null;
};
export type VmiSignaturesTable = {
  id: string; draft_id: string; draft_version: number; decision: string; reason: string | null; signed_by: string; signed_at: string;
  lines_json: string; lines_sha256: string; order_no: string | null;
};
export type VmiCountsTable = { client_id: string; account_id: string; counted_at: string; lines: number; user_id: string; created_at: string };
