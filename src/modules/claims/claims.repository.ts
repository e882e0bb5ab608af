/** All SQL of claims. Scoping conditions come from the caller (the policy layer). */
import { sql, type Expression, type Kysely, type SqlBool, type Transaction } from 'kysely';
import { keyset } from '../../db/keyset.js';
import type { Database } from '../../db/schema.js';
import { openStatuses } from './claims.domain.js';
import type { ClaimAttachmentsTable, ClaimEventsTable, ClaimLinesTable, ClaimsTable } from './claims.table.js';

export type Q = Kysely<Database> | Transaction<Database>;
export type ClaimRow = ClaimsTable & { account_name: string; filer_name: string | null };

const selectClaims = (q: Q, visible: Expression<SqlBool>) => q.selectFrom('claims as c')
  .innerJoin('accounts as a', 'a.id', 'c.account_id')
  .leftJoin('users as f', 'f.id', 'c.filed_by')
  .selectAll('c').select(['a.name as account_name', 'f.name as filer_name'])
  .where(visible);

export type ClaimFilter = { status?: string; accountId?: string; kind?: string; limit: number; cursor?: string };

/** One page of the visible claims, newest first. `open`: still waiting on the company (see `openStatuses`). */
export function listClaims(q: Q, visible: Expression<SqlBool>, f: ClaimFilter): Promise<ClaimRow[]> {
  let s = selectClaims(q, visible);
  if (f.status === 'open') s = s.where('c.status', 'in', openStatuses);
  else if (f.status) s = s.where('c.status', '=', f.status);
  if (f.accountId) s = s.where('c.account_id', '=', f.accountId);
  if (f.kind) s = s.where('c.kind', '=', f.kind);
  return keyset(s, { column: 'c.created_at', direction: 'desc' }, 'c.id', f.cursor, f.limit).execute();
}

export const findClaim = (q: Q, visible: Expression<SqlBool>, id: string): Promise<ClaimRow | undefined> =>
  selectClaims(q, visible).where('c.id', '=', id).executeTakeFirst();

/**
 * The highest sequence number of the year's claims (CLM-YYYY-00042 → 42), 0 before the first:
 * the highest, not the count, so that a claim removed with its account leaves no number to reuse.
 */
export async function lastClaimSeq(q: Q, year: string): Promise<number> {
  const prefix = `CLM-${year}-`;
  const r = await q.selectFrom('claims').select(sql<number | null>`max(cast(substr(number, ${prefix.length + 1}) as integer))`.as('n'))
    .where('number', 'like', `${prefix}%`).executeTakeFirstOrThrow();
  return Number(r.n ?? 0);
}

/** Whether a failed insert was refused because its claim number is taken (PostgreSQL 23505 on it, or SQLite's UNIQUE on claims.number). */
export function isNumberTaken(e: unknown): boolean {
  const err = e as { code?: string; constraint?: string; message?: string };
  if (err.code === '23505') return /number/.test(err.constraint ?? err.message ?? '');
  return /UNIQUE constraint failed: claims\.number/.test(err.message ?? '');
}

export const insertClaim = (q: Q, row: ClaimsTable) => q.insertInto('claims').values(row).execute();
export const insertLines = (q: Q, rows: ClaimLinesTable[]) => (rows.length ? q.insertInto('claim_lines').values(rows).execute() : Promise.resolve([]));
export const insertEvent = (q: Q, row: ClaimEventsTable) => q.insertInto('claim_events').values(row).execute();
export const insertEvidence = (q: Q, row: ClaimAttachmentsTable) => q.insertInto('claim_attachments').values(row).execute();

/** Updates the claim if it is still at `version`; whether it was. */
export async function updateClaim(q: Q, id: string, version: number, set: Partial<ClaimsTable>): Promise<boolean> {
  const r = await q.updateTable('claims').set({ ...set, version: version + 1 }).where('id', '=', id).where('version', '=', version).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export const claimLineIds = (q: Q, claimId: string) =>
  q.selectFrom('claim_lines').select(['order_line_id', 'shipment_id']).where('claim_id', '=', claimId).execute();

/** The claim's events, oldest first; `internal: false` leaves out the investigation's notes. */
export function events(q: Q, claimId: string, internal: boolean) {
  let s = q.selectFrom('claim_events as e').leftJoin('users as u', 'u.id', 'e.actor_id')
    .select(['e.id', 'e.at', 'e.kind', 'e.from_status', 'e.to_status', 'e.reason', 'e.internal', 'e.actor_id', 'u.name as actor_name'])
    .where('e.claim_id', '=', claimId);
  if (!internal) s = s.where('e.internal', '=', 0);
  return s.orderBy('e.at').orderBy('e.id').execute();
}

/** The claim's evidence with its files, oldest first; `internal: false` leaves out staff-only files. */
export function evidence(q: Q, claimId: string, internal: boolean) {
  let s = q.selectFrom('claim_attachments as ca').innerJoin('account_attachments as f', 'f.id', 'ca.attachment_id').leftJoin('users as u', 'u.id', 'ca.added_by')
    .select(['ca.attachment_id', 'ca.internal', 'ca.added_by', 'ca.created_at', 'f.file_name', 'f.content_type', 'f.size_bytes', 'u.name as added_by_name'])
    .where('ca.claim_id', '=', claimId);
  if (!internal) s = s.where('ca.internal', '=', 0);
  return s.orderBy('ca.created_at').orderBy('ca.attachment_id').execute();
}

export const evidenceLink = (q: Q, claimId: string, attachmentId: string) =>
  q.selectFrom('claim_attachments').selectAll().where('claim_id', '=', claimId).where('attachment_id', '=', attachmentId).executeTakeFirst();

/** Open claims of an account: how many, the amount claimed per currency, how many past a service level. */
export async function openSummary(q: Q, visible: Expression<SqlBool>, accountId: string, now: string) {
  return q.selectFrom('claims as c')
    .select(['c.currency', (eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.sum<number>('c.claimed_minor').as('claimed'),
      sql<number>`sum(case when (c.responded_at is null and c.response_due_at < ${now}) or (c.decided_at is null and c.decision_due_at < ${now}) then 1 else 0 end)`.as('breached')])
    .where('c.account_id', '=', accountId).where('c.status', 'in', openStatuses).where(visible)
    .groupBy('c.currency').execute();
}
