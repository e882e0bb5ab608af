/** Kysely table types of relationships: the stakeholder half of a contact, ties between people, key dates. */
export type StakeholdersTable = {
  contact_id: string; account_id: string; buying_role: string; stance: string; reports_to_contact_id: string | null; owner_user_id: string | null;
  strength: number | null; last_contact_on: string | null; created_at: string; updated_at: string; version: number;
};
export type StakeholderTiesTable = {
  id: string; from_contact_id: string; from_account_id: string; to_contact_id: string; to_account_id: string; kind: string; note: string | null;
  created_by: string; created_at: string;
};
export type KeyDatesTable = {
  id: string; account_id: string; contact_id: string | null; kind: string; label: string; calendar: string; month: number; day: number; leap: number;
  first_year: number | null; lead_days: string | null; created_by: string; created_at: string; updated_at: string; version: number;
};
export type GiftsTable = {
  id: string; account_id: string; contact_id: string; given_on: string; kind: string; description: string; amount_minor: number; currency: string;
  status: string; reasons_json: string; given_by: string; decided_by: string | null; decided_at: string | null; created_at: string; updated_at: string; version: number;
};
