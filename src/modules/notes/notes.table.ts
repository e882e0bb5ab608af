export type AccountNotesTable = {
  id: string; account_id: string; author_id: string; body: string; pinned: number; created_at: string; updated_at: string; version: number;
};
