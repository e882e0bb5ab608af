import type { Expression, Kysely, SqlBool, Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { AuditEntry } from './audit.contract.js';

export type NewAuditRow = Database['audit_log'];
type Row = Database['audit_log'];

const toEntry = (r: Row): AuditEntry => ({
  id: r.id, at: r.at, actorId: r.actor_id, actorLabel: r.actor_label, action: r.action, entity: r.entity, entityId: r.entity_id,
  accountId: r.account_id, before: r.before_json ? JSON.parse(r.before_json) : null, after: r.after_json ? JSON.parse(r.after_json) : null,
  requestId: r.request_id,
});

/** Append-only: there is deliberately no update or delete here. */
export async function appendAudit(db: Kysely<Database> | Transaction<Database>, row: NewAuditRow): Promise<void> {
  await db.insertInto('audit_log').values(row).execute();
}

export type AuditFilter = {
  entity?: string; entityId?: string; actorId?: string; action?: string; from?: string; to?: string; accountId?: string;
  /** Id-descending keyset: the last id of the previous page. */
  beforeId?: string;
  limit: number;
  scope: Expression<SqlBool>;
};

export async function listAudit(db: Kysely<Database>, f: AuditFilter): Promise<AuditEntry[]> {
  let q = db.selectFrom('audit_log').selectAll().where(f.scope);
  if (f.entity) q = q.where('entity', '=', f.entity);
  if (f.entityId) q = q.where('entity_id', '=', f.entityId);
  if (f.actorId) q = q.where('actor_id', '=', f.actorId);
  if (f.action) q = q.where('action', '=', f.action);
  if (f.accountId) q = q.where('account_id', '=', f.accountId);
  if (f.from) q = q.where('at', '>=', f.from);
  if (f.to) q = q.where('at', '<', f.to);
  if (f.beforeId) q = q.where('id', '<', f.beforeId);
  const rows = await q.orderBy('id', 'desc').limit(f.limit).execute();
  return rows.map(toEntry);
}
