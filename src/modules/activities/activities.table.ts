export type ActivitiesTable = {
  id: string; account_id: string; user_id: string; kind: string; starts_at: string; duration_minutes: number; subject: string;
  notes: string | null; created_at: string; updated_at: string; version: number;
};
