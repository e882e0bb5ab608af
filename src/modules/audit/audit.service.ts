import type { Kysely, RawBuilder, Transaction } from 'kysely';
import { sql } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { Ctx } from '../../server/context.js';
import { accountVisibleTo } from '../../server/policy.js';
import { newId } from '../../shared/ids.js';
import { actorLabel } from '../auth/auth.domain.js';
import { appendAudit, appendAuditRows, type AuditSource, listAudit } from './audit.repository.js';
import type { AuditEntry } from './audit.contract.js';

type AuditEvent = {
  action: string;
  entity: string;
  entityId: string;
  accountId?: string | null;
  before?: unknown;
  after?: unknown;
};

const SECRET_KEYS = /password|token|secret|hash/i;
const redact = (v: unknown): string | null =>
  v === undefined || v === null ? null : JSON.stringify(v, (k, val) => (k && SECRET_KEYS.test(k) ? '[redacted]' : val));

/** Appends one audit row in the caller's transaction: who, what, which record, before/after, when, request id. */
export async function recordAudit(
  trx: Kysely<Database> | Transaction<Database>,
  ctx: Pick<Ctx, 'clock' | 'requestId'> & { actor: Ctx['actor'] | null },
  e: AuditEvent,
): Promise<void> {
  await appendAudit(trx, {
    id: newId(),
    at: ctx.clock.now().toISOString(),
    actor_id: ctx.actor?.userId ?? null,
    actor_label: actorLabel(ctx.actor),
    action: e.action,
    entity: e.entity,
    entity_id: e.entityId,
    account_id: e.accountId ?? null,
    before_json: redact(e.before),
    after_json: redact(e.after),
    request_id: ctx.requestId,
  });
}

/**
 * Appends one audit row per row of `rows` (SQL giving entity_id, account_id, before_json,
 * after_json), set-wise in the caller's transaction: for changes that come in bulk (an import).
 * The JSON is made by that SQL and not redacted: only for records that hold no secrets.
 */
export async function recordAuditRows(
  trx: Kysely<Database> | Transaction<Database>,
  ctx: Pick<Ctx, 'clock' | 'requestId'> & { actor: Ctx['actor'] | null },
  e: { action: string; entity: string; rows: RawBuilder<AuditSource> },
): Promise<void> {
  await appendAuditRows(trx, {
    at: ctx.clock.now().toISOString(), actor_id: ctx.actor?.userId ?? null, actor_label: actorLabel(ctx.actor), action: e.action, entity: e.entity, request_id: ctx.requestId,
  }, e.rows);
}

/** Admins browse the whole log; others see the history of the accounts they can see. */
export async function browseAudit(
  ctx: Ctx,
  q: { limit: number; cursor?: string; entity?: string; entityId?: string; actorId?: string; action?: string; from?: string; to?: string; accountId?: string },
): Promise<{ items: AuditEntry[]; nextCursor: string | null }> {
  const scope = ctx.actor.role === 'admin' ? sql<boolean>`1 = 1` : accountVisibleTo(ctx.actor, 'audit_log.account_id');
  const items = await listAudit(ctx.db.kysely, { ...q, beforeId: q.cursor, limit: q.limit + 1, scope });
  const more = items.length > q.limit;
  const page = items.slice(0, q.limit);
  return { items: page, nextCursor: more ? page[page.length - 1]!.id : null };
}
