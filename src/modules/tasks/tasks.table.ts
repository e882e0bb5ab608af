export type TasksTable = {
  id: string; account_id: string; title: string; notes: string | null; assignee_id: string; due_date: string | null; status: string;
  done_at: string | null; done_by: string | null; created_by: string; created_at: string; updated_at: string; version: number;
};
