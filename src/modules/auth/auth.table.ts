export type SessionsTable = {
  id: string; user_id: string; csrf_token: string; created_at: string; expires_at: string; ip: string | null; user_agent: string | null;
  /** Set on every insert (the column is nullable only because it was added to a live table). */
  last_seen_at: string;
};
export type ApiTokensTable = {
  id: string; user_id: string; name: string; prefix: string; token_hash: string; scope: string;
  created_at: string; last_used_at: string | null; revoked_at: string | null;
};
export type KnownDevicesTable = {
  id: string; user_id: string; created_at: string; last_used_at: string; expires_at: string;
};
