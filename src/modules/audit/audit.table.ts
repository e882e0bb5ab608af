export type AuditLogTable = {
  id: string; at: string; actor_id: string | null; actor_label: string; action: string; entity: string; entity_id: string;
  account_id: string | null; before_json: string | null; after_json: string | null; request_id: string | null;
};
