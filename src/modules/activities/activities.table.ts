import type { ColumnType } from 'kysely';

export type ActivitiesTable = {
  id: string; account_id: string; user_id: string; kind: string; starts_at: string; duration_minutes: number; subject: string;
  notes: string | null; created_at: string; updated_at: string; version: number;
  /** The program visit this activity records (its check-in and check-out); null when logged by hand. Optional on insert. */
  visit_id: ColumnType<string | null, string | null | undefined, string | null>;
};
