import { randomBytes } from 'node:crypto';
import { type Expression, type Kysely, type RawBuilder, sql, type SqlBool, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { newId } from '../../shared/ids.js';
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

/** What each of a set of audit rows is about: a row of the SQL given to appendAuditRows. */
export type AuditSource = { entity_id: string; account_id: string | null; before_json: string | null; after_json: string | null };

/**
 * Appends one audit row per row of `source` in one statement (an import: up to millions of rows,
 * so no row passes through JavaScript). Ids: the time (and version) of one new UUIDv7, 22 random
 * bits for the set, then the row's number in 10 decimal digits: still UUIDv7 text, ordered by time
 * with every other entry; a collision of two sets would be refused by the primary key, not hidden.
 */
export async function appendAuditRows(
  db: Kysely<Database> | Transaction<Database>,
  fixed: Omit<NewAuditRow, 'id' | 'entity_id' | 'account_id' | 'before_json' | 'after_json'>,
  source: RawBuilder<AuditSource>,
): Promise<void> {
  const r = randomBytes(3).toString('hex');
  const prefix = `${newId().slice(0, 19)}${(8 + (parseInt(r[0]!, 16) & 3)).toString(16)}${r.slice(1, 4)}-${r.slice(4, 6)}`;
  const text = (v: string | null) => sql`cast(${v} as text)`;
  await sql`insert into audit_log (id, at, actor_id, actor_label, action, entity, entity_id, account_id, before_json, after_json, request_id)
    select ${text(prefix)} || substr('0000000000' || cast(s.n as text), length(cast(s.n as text)) + 1), ${text(fixed.at)}, ${text(fixed.actor_id)},
      ${text(fixed.actor_label)}, ${text(fixed.action)}, ${text(fixed.entity)}, s.entity_id, s.account_id, s.before_json, s.after_json, ${text(fixed.request_id)}
    from (select x.entity_id, x.account_id, x.before_json, x.after_json, row_number() over () as n from (${source}) x) s`.execute(db);
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
