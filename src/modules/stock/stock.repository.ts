/**
 * All SQL of dealer stock reports, and the read of the order lines and shipments that stock-outs are
 * traced to (delivery's tables, read only). Scoping conditions come from the caller (the policy layer).
 */
import type { Expression, Kysely, SqlBool, Transaction } from 'kysely';
import { byKeys } from '../../db/lookups.js';
import type { Database } from '../../db/schema.js';
import type { DealerStockReportsTable } from './stock.table.js';

export { accountsByCode, productsBySku } from '../../db/lookups.js';

type Q = Kysely<Database> | Transaction<Database>;
// Accounts per IN list, within both databases' parameter limits.
const CHUNK = 500;

export const reportsByKey = (q: Q, keys: string[]): Promise<Map<string, DealerStockReportsTable>> =>
  byKeys(keys, (slice) => q.selectFrom('dealer_stock_reports').selectAll().where('source_key', 'in', slice).execute(), (r) => r.source_key);

export const insertReport = (q: Q, row: DealerStockReportsTable) => q.insertInto('dealer_stock_reports').values(row).execute();

// Reports per insert: within SQLite's and PostgreSQL's limits on parameters (15 columns).
const ROWS_PER_INSERT = 60;
/** Many new reports, many rows per statement (a file import). */
export async function insertReports(q: Q, rows: DealerStockReportsTable[]): Promise<void> {
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) await q.insertInto('dealer_stock_reports').values(rows.slice(i, i + ROWS_PER_INSERT)).execute();
}
export const updateReport = (q: Q, id: string, row: Partial<DealerStockReportsTable>) => q.updateTable('dealer_stock_reports').set(row).where('id', '=', id).execute();

export type ReportRow = {
  id: string; account_id: string; account_code: string; account_name: string; account_name_en: string | null;
  product_id: string | null; sku: string | null; name_en: string | null; name_zh: string | null; item: string | null; unit: string | null;
  report_date: string; on_hand: number; sold_since_last: number | null; created_at: string;
};

/** Reports of the visible accounts (optionally one) up to a date, by account, product, item, date and arrival. */
export function reports(q: Q, visible: Expression<SqlBool>, f: { accountId?: string; upTo: string }): Promise<ReportRow[]> {
  let s = q.selectFrom('dealer_stock_reports as r').innerJoin('accounts as a', 'a.id', 'r.account_id').leftJoin('products as p', 'p.id', 'r.product_id')
    .select(['r.id', 'r.account_id', 'a.code as account_code', 'a.name as account_name', 'a.name_en as account_name_en', 'r.product_id', 'p.sku', 'p.name_en', 'p.name_zh',
      'r.item', 'r.unit', 'r.report_date', 'r.on_hand', 'r.sold_since_last', 'r.created_at'])
    .where(visible).where('r.report_date', '<=', f.upTo);
  if (f.accountId) s = s.where('r.account_id', '=', f.accountId);
  return s.orderBy('r.account_id').orderBy('r.product_id').orderBy('r.item').orderBy('r.report_date').orderBy('r.created_at').orderBy('r.id').execute() as Promise<ReportRow[]>;
}

export type LineRow = {
  id: string; account_id: string; order_no: string; line_no: string | null; product_id: string | null; item: string | null; quantity: number | null;
  promised_date: string | null; status: string; cancelled_date: string | null; delivered_date: string | null; ship_qty: number | null;
};

/** Order lines with a promised date of the given accounts, one row per shipment (or one for a line without any). */
export async function orderLinesOf(q: Q, accountIds: string[]): Promise<LineRow[]> {
  const out: LineRow[] = [];
  for (let i = 0; i < accountIds.length; i += CHUNK) {
    out.push(...await q.selectFrom('order_lines as l').leftJoin('shipments as s', 's.order_line_id', 'l.id')
      .select(['l.id', 'l.account_id', 'l.order_no', 'l.line_no', 'l.product_id', 'l.item', 'l.quantity', 'l.promised_date', 'l.status', 'l.cancelled_date',
        's.delivered_date', 's.quantity as ship_qty'])
      .where('l.account_id', 'in', accountIds.slice(i, i + CHUNK)).where('l.promised_date', 'is not', null)
      .orderBy('l.id').execute() as LineRow[]);
  }
  return out;
}

// ---------------------------------------------------------------- file imports (rows of import_jobs of kind 'stock')

export type JobRow = Database['import_jobs'];
export const IMPORT_KIND = 'stock';

/** A stock import the caller may see: their own, or any (`ownerId` null: admins). */
export function findJob(q: Q, id: string, ownerId: string | null): Promise<JobRow | undefined> {
  let s = q.selectFrom('import_jobs').selectAll().where('id', '=', id).where('kind', '=', IMPORT_KIND);
  if (ownerId) s = s.where('created_by', '=', ownerId);
  return s.executeTakeFirst();
}

/** The caller's stock imports (admins: everyone's), newest first. */
export function listJobs(q: Q, ownerId: string | null, limit: number): Promise<JobRow[]> {
  let s = q.selectFrom('import_jobs').selectAll().where('kind', '=', IMPORT_KIND).orderBy('id', 'desc').limit(limit);
  if (ownerId) s = s.where('created_by', '=', ownerId);
  return s.execute();
}
