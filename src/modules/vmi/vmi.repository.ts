/**
 * All SQL of VMI (decision 034): settings, drafts, their lines, edits and signatures, rep counts;
 * and the read-only inputs of drafting from other modules' tables (sales history, open order lines
 * and shipments, delivery lead times, the visit program, warnings over the account's sites), as
 * stock.repository reads delivery's. Scoping conditions come from the caller (the policy layer).
 */
import { sql, type Expression, type Kysely, type SqlBool, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { VmiCountsTable, VmiDraftEditsTable, VmiDraftLinesTable, VmiDraftsTable, VmiLineSettingsTable, VmiSettingsTable, VmiSignaturesTable } from './vmi.table.js';

export type Q = Kysely<Database> | Transaction<Database>;

// ---------------------------------------------------------------- accounts and products

export const findAccount = (q: Q, visible: Expression<SqlBool>, id: string) =>
  q.selectFrom('accounts').select(['id', 'code', 'name', 'name_en', 'owner_id']).where('id', '=', id).where(visible).executeTakeFirst();

export const productsByIds = (q: Q, ids: readonly string[]) =>
  ids.length ? q.selectFrom('products').select(['id', 'sku', 'name_en', 'name_zh', 'unit', 'pack_size']).where('id', 'in', [...ids]).execute() : Promise.resolve([]);

export const siteOfAccount = (q: Q, accountId: string, siteId: string) =>
  q.selectFrom('sites').select(['id']).where('id', '=', siteId).where('account_id', '=', accountId).executeTakeFirst();

// ---------------------------------------------------------------- settings

export const settingsOf = (q: Q, accountId: string) => q.selectFrom('vmi_settings').selectAll().where('account_id', '=', accountId).executeTakeFirst();

export type LineSettingsRow = VmiLineSettingsTable & { sku: string; name_en: string; name_zh: string; unit: string; pack_size: number };
export const lineSettingsOf = (q: Q, accountId: string): Promise<LineSettingsRow[]> =>
  q.selectFrom('vmi_line_settings as l').innerJoin('products as p', 'p.id', 'l.product_id')
    .selectAll('l').select(['p.sku', 'p.name_en', 'p.name_zh', 'p.unit', 'p.pack_size'])
    .where('l.account_id', '=', accountId).orderBy('p.sku').execute();

export const insertSettings = (q: Q, row: VmiSettingsTable) => q.insertInto('vmi_settings').values(row).execute();
export async function updateSettings(q: Q, accountId: string, version: number, row: Partial<VmiSettingsTable>): Promise<boolean> {
  const r = await q.updateTable('vmi_settings').set({ ...row, version: version + 1 }).where('account_id', '=', accountId).where('version', '=', version).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
export async function replaceLineSettings(q: Q, accountId: string, rows: VmiLineSettingsTable[]): Promise<void> {
  await q.deleteFrom('vmi_line_settings').where('account_id', '=', accountId).execute();
  for (let i = 0; i < rows.length; i += 50) await q.insertInto('vmi_line_settings').values(rows.slice(i, i + 50)).execute();
}

// ---------------------------------------------------------------- drafting inputs (other modules' tables, read only)

/** Days from order to promise of the account's order lines that have both dates (for the median lead time). */
export async function promiseDays(q: Q, accountId: string): Promise<number[]> {
  const rows = await q.selectFrom('order_lines').select(['ordered_date', 'promised_date'])
    .where('account_id', '=', accountId).where('ordered_date', 'is not', null).where('promised_date', 'is not', null)
    .orderBy('promised_date', 'desc').limit(500).execute();
  return rows.map((r) => Math.round((Date.parse(`${r.promised_date}T00:00:00Z`) - Date.parse(`${r.ordered_date}T00:00:00Z`)) / 86_400_000)).filter((d) => d >= 0);
}

/** The account's active visit program: weekday and interval of each plan. */
export const visitPlans = (q: Q, accountId: string) =>
  q.selectFrom('call_plans').select(['weekday', 'interval_weeks', 'site_id']).where('account_id', '=', accountId).where('status', '=', 'active').execute();

/** Units sold per product and day of the account in [from, to). */
export const dailySales = (q: Q, accountId: string, productIds: readonly string[], from: string, to: string) =>
  productIds.length
    ? q.selectFrom('sales_lines').select(['product_id', 'date', (eb) => eb.fn.sum<number>('quantity').as('quantity')])
      .where('account_id', '=', accountId).where('product_id', 'in', [...productIds]).where('date', '>=', from).where('date', '<', to)
      .groupBy(['product_id', 'date']).execute()
    : Promise.resolve([]);

/** Open order lines of the account for the products, with what their shipments have delivered: what is still coming. */
export async function openOrderLines(q: Q, accountId: string, productIds: readonly string[]) {
  if (!productIds.length) return [];
  return q.selectFrom('order_lines as l')
    .select(['l.id', 'l.order_no', 'l.product_id', 'l.quantity', 'l.promised_date', 'l.requested_date',
      sql<number | null>`(select sum(s.quantity) from shipments s where s.order_line_id = l.id and s.delivered_date is not null)`.as('delivered')])
    .where('l.account_id', '=', accountId).where('l.status', '=', 'open').where('l.product_id', 'in', [...productIds])
    .execute();
}

/** Warnings over the account's sites (all, or one) still in force on or after the date: the alert's sent and expiry, its headline. */
export const siteWarnings = (q: Q, accountId: string, siteId: string | null, asOf: string) => {
  let s = q.selectFrom('hazard_matches as m').innerJoin('hazard_alerts as a', 'a.id', 'm.alert_id')
    .select(['a.id', 'a.sent_at', 'a.expires_at', 'a.headline', 'a.event', 'm.site_id'])
    .where('m.account_id', '=', accountId).where('m.ended_at', 'is', null).where('a.expires_at', '>=', `${asOf}T00:00:00.000Z`);
  if (siteId) s = s.where('m.site_id', '=', siteId);
  return s.execute();
};

// ---------------------------------------------------------------- drafts

export type DraftRow = VmiDraftsTable & { account_name: string; account_name_en: string | null; account_code: string; sent_by_name: string | null; line_count: number; total_quantity: number | null };

const selectDrafts = (q: Q, visible: Expression<SqlBool>) => q.selectFrom('vmi_drafts as d')
  .innerJoin('accounts as a', 'a.id', 'd.account_id')
  .leftJoin('users as su', 'su.id', 'd.sent_by')
  .selectAll('d')
  .select(['a.name as account_name', 'a.name_en as account_name_en', 'a.code as account_code', 'su.name as sent_by_name',
    sql<number>`(select count(*) from vmi_draft_lines x where x.draft_id = d.id)`.as('line_count'),
    sql<number | null>`(select sum(x.quantity) from vmi_draft_lines x where x.draft_id = d.id)`.as('total_quantity')])
  .where(visible);

export type DraftFilter = { status?: string | undefined; statuses?: readonly string[]; accountId?: string | undefined; limit: number; offset: number };

export async function listDrafts(q: Q, visible: Expression<SqlBool>, f: DraftFilter): Promise<{ rows: DraftRow[]; total: number }> {
  const conds: Expression<SqlBool>[] = [visible];
  if (f.status) conds.push(sql<SqlBool>`d.status = ${f.status}`);
  if (f.statuses) conds.push(sql<SqlBool>`d.status in (${sql.join([...f.statuses])})`);
  if (f.accountId) conds.push(sql<SqlBool>`d.account_id = ${f.accountId}`);
  const where = sql<SqlBool>`${sql.join(conds, sql` and `)}`;
  const [rows, count] = await Promise.all([
    selectDrafts(q, where).orderBy('d.created_at', 'desc').orderBy('d.id', 'desc').limit(f.limit).offset(f.offset).execute(),
    q.selectFrom('vmi_drafts as d').select((eb) => eb.fn.countAll<number>().as('n')).where(where).executeTakeFirstOrThrow(),
  ]);
  return { rows: rows as DraftRow[], total: Number(count.n) };
}

export const findDraft = (q: Q, visible: Expression<SqlBool>, id: string): Promise<DraftRow | undefined> =>
  selectDrafts(q, visible).where('d.id', '=', id).executeTakeFirst() as Promise<DraftRow | undefined>;

/** The account's draft still being prepared (status draft), newest first. */
export const openDraftOf = (q: Q, accountId: string) =>
  q.selectFrom('vmi_drafts').select(['id']).where('account_id', '=', accountId).where('status', '=', 'draft').orderBy('created_at', 'desc').executeTakeFirst();

/** Open drafts (draft or sent) in scope with their exceptions, for the board. */
export const openDraftExceptions = (q: Q, visible: Expression<SqlBool>) =>
  q.selectFrom('vmi_drafts as d').innerJoin('accounts as a', 'a.id', 'd.account_id')
    .select(['d.id', 'd.number', 'd.status', 'd.exceptions_json', 'd.account_id', 'a.name as account_name', 'a.name_en as account_name_en'])
    .where('d.status', 'in', ['draft', 'sent']).where(visible).execute();

export type LineRow = VmiDraftLinesTable & { sku: string | null; name_en: string | null; name_zh: string | null; unit: string | null };
export const linesOf = (q: Q, draftId: string): Promise<LineRow[]> =>
  q.selectFrom('vmi_draft_lines as l').leftJoin('products as p', 'p.id', 'l.product_id')
    .selectAll('l').select(['p.sku', 'p.name_en', 'p.name_zh', 'p.unit'])
    .where('l.draft_id', '=', draftId).orderBy('l.position').execute();

export const editsOf = (q: Q, draftId: string) =>
  q.selectFrom('vmi_draft_edits as e').leftJoin('users as u', 'u.id', 'e.user_id')
    .selectAll('e').select(['u.name as user_name']).where('e.draft_id', '=', draftId).orderBy('e.at').orderBy('e.id').execute();

export const signatureOf = (q: Q, draftId: string) =>
  q.selectFrom('vmi_signatures as s').leftJoin('users as u', 'u.id', 's.signed_by')
    .selectAll('s').select(['u.name as signer_name']).where('s.draft_id', '=', draftId).executeTakeFirst();

/**
 * The highest sequence number of the year's drafts (VMI-YYYY-00042 → 42), 0 before the first: the
 * highest, not the count, so that a draft removed with its account leaves no number to reuse.
 */
export async function lastDraftSeq(q: Q, year: string): Promise<number> {
  const prefix = `VMI-${year}-`;
  const r = await q.selectFrom('vmi_drafts').select(sql<number | null>`max(cast(substr(number, ${prefix.length + 1}) as integer))`.as('n'))
    .where('number', 'like', `${prefix}%`).executeTakeFirstOrThrow();
  return Number(r.n ?? 0);
}

/** Whether a failed insert was refused because its draft number is taken (PostgreSQL 23505 on it, or SQLite's UNIQUE on vmi_drafts.number). */
export function isNumberTaken(e: unknown): boolean {
  const err = e as { code?: string; constraint?: string; message?: string };
  if (err.code === '23505') return /number/.test(err.constraint ?? err.message ?? '');
  return /UNIQUE constraint failed: vmi_drafts\.number/.test(err.message ?? '');
}

export const insertDraft = (q: Q, row: VmiDraftsTable) => q.insertInto('vmi_drafts').values(row).execute();

/** Updates the draft if it is still at `version` (and, when given, in one of `statuses`); whether it was. */
export async function updateDraft(q: Q, id: string, version: number, set: Partial<VmiDraftsTable>, statuses?: readonly string[]): Promise<boolean> {
  let u = q.updateTable('vmi_drafts').set({ ...set, version: version + 1 }).where('id', '=', id).where('version', '=', version);
  if (statuses) u = u.where('status', 'in', [...statuses]);
  const r = await u.executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Sets bookkeeping fields without moving the version (the order a signature became). */
export const linkOrder = (q: Q, id: string, orderNo: string) => q.updateTable('vmi_drafts').set({ order_no: orderNo }).where('id', '=', id).execute();

/** Sent drafts past their expiry (of one account, or all). */
export function dueToExpire(q: Q, now: string, accountId?: string) {
  let s = q.selectFrom('vmi_drafts').select(['id', 'account_id', 'number', 'sent_by']).where('status', '=', 'sent').where('expires_at', '<=', now);
  if (accountId) s = s.where('account_id', '=', accountId);
  return s.execute();
}

/** Marks those of the drafts still sent as expired; the ones it marked. */
export async function expire(q: Q, ids: readonly string[], now: string): Promise<string[]> {
  if (!ids.length) return [];
  const still = await q.selectFrom('vmi_drafts').select('id').where('id', 'in', [...ids]).where('status', '=', 'sent').execute();
  if (still.length) await q.updateTable('vmi_drafts').set({ status: 'expired', updated_at: now }).where('id', 'in', still.map((r) => r.id)).where('status', '=', 'sent').execute();
  return still.map((r) => r.id);
}

export async function replaceLines(q: Q, draftId: string, rows: VmiDraftLinesTable[]): Promise<void> {
  await q.deleteFrom('vmi_draft_lines').where('draft_id', '=', draftId).execute();
  for (let i = 0; i < rows.length; i += 40) await q.insertInto('vmi_draft_lines').values(rows.slice(i, i + 40)).execute();
}
export const updateLine = (q: Q, draftId: string, productId: string, set: Partial<VmiDraftLinesTable>) =>
  q.updateTable('vmi_draft_lines').set(set).where('draft_id', '=', draftId).where('product_id', '=', productId).execute();
export const insertEdit = (q: Q, row: VmiDraftEditsTable) => q.insertInto('vmi_draft_edits').values(row).execute();
export const insertSignature = (q: Q, row: VmiSignaturesTable) => q.insertInto('vmi_signatures').values(row).execute();
export const setSignatureOrder = (q: Q, draftId: string, orderNo: string) => q.updateTable('vmi_signatures').set({ order_no: orderNo }).where('draft_id', '=', draftId).execute();

// ---------------------------------------------------------------- counts and notifications

export const findCount = (q: Q, clientId: string) => q.selectFrom('vmi_counts').selectAll().where('client_id', '=', clientId).executeTakeFirst();
/** Records a count by the phone's id; false when that id was already recorded (a resend, or two at once). */
export async function insertCount(q: Q, row: VmiCountsTable): Promise<boolean> {
  const r = await q.insertInto('vmi_counts').values(row).onConflict((oc) => oc.column('client_id').doNothing()).executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
}

/** The active dealer users of an account: who is told an order waits for a signature. */
export const dealerUsers = (q: Q, accountId: string) =>
  q.selectFrom('users').select(['id', 'email', 'name', 'locale']).where('account_id', '=', accountId).where('role', '=', 'dealer').where('active', '=', 1).execute();

export const insertNotifications = (q: Q, rows: Database['notifications'][]) => (rows.length ? q.insertInto('notifications').values(rows).execute() : Promise.resolve([]));

/** Accounts with VMI on, for the weekly drafting job. */
export const enabledAccounts = (q: Q) =>
  q.selectFrom('vmi_settings').select(['account_id']).where('enabled', '=', 1).orderBy('account_id').execute();

/** Whether the account has a draft as of a day from `since` on, or one sent and not yet answered (this visit's order is then in hand). */
export const hasVisitOrder = async (q: Q, accountId: string, since: string): Promise<boolean> =>
  !!(await q.selectFrom('vmi_drafts').select(['id']).where('account_id', '=', accountId)
    .where((eb) => eb.or([eb('as_of', '>=', since), eb('status', '=', 'sent')])).executeTakeFirst());
