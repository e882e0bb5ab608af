export type KeyAccountDesignationsTable = { account_id: string; reason: string; designated_by: string | null; designated_at: string };
