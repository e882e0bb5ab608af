/**
 * The SQL of the VMI inventory read: the dealer's stock reports (stock module's table) and the
 * order lines and shipments delivered to it (delivery's tables), read only, as stock.repository
 * reads them for stock-outs. Scoping is the caller's (the service checks the account first).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';

type Q = Kysely<Database>;

export type ProductRow = { id: string; sku: string; name_en: string; name_zh: string; unit: string; pack_size: number };

/** Products the account has stock reports or order lines of, by SKU, one page of them and how many there are. */
export async function accountProducts(q: Q, accountId: string, limit: number, offset: number): Promise<{ total: number; rows: ProductRow[] }> {
  const ids = q.selectFrom('dealer_stock_reports').select('product_id as pid').where('account_id', '=', accountId).where('product_id', 'is not', null)
    .union(q.selectFrom('order_lines').select('product_id as pid').where('account_id', '=', accountId).where('product_id', 'is not', null));
  const base = q.selectFrom('products as p').where('p.id', 'in', ids);
  const [count, rows] = await Promise.all([
    base.select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow(),
    base.select(['p.id', 'p.sku', 'p.name_en', 'p.name_zh', 'p.unit', 'p.pack_size']).orderBy('p.sku').orderBy('p.id').limit(limit).offset(offset).execute(),
  ]);
  return { total: Number(count.n), rows };
}

export type StockRow = { product_id: string; report_date: string; on_hand: number; sold_since_last: number | null; created_at: string };

/** The account's stock reports of the products up to a date, oldest first (a later entry of a date corrects an earlier one). */
export function stockReports(q: Q, accountId: string, productIds: string[], upTo: string): Promise<StockRow[]> {
  if (!productIds.length) return Promise.resolve([]);
  return q.selectFrom('dealer_stock_reports').select(['product_id', 'report_date', 'on_hand', 'sold_since_last', 'created_at'])
    .where('account_id', '=', accountId).where('product_id', 'in', productIds).where('report_date', '<=', upTo)
    .orderBy('product_id').orderBy('report_date').orderBy('created_at').orderBy('id').execute() as Promise<StockRow[]>;
}

export type LineRow = { id: string; order_no: string; product_id: string; quantity: number | null; status: string; promised_date: string | null; delivered_date: string | null; ship_qty: number | null };

/** The account's order lines of the products (not cancelled) with their shipments, one row per shipment (or one for a line without any). */
export function orderLines(q: Q, accountId: string, productIds: string[]): Promise<LineRow[]> {
  if (!productIds.length) return Promise.resolve([]);
  return q.selectFrom('order_lines as l').leftJoin('shipments as s', 's.order_line_id', 'l.id')
    .select(['l.id', 'l.order_no', 'l.product_id', 'l.quantity', 'l.status', 'l.promised_date', 's.delivered_date', 's.quantity as ship_qty'])
    .where('l.account_id', '=', accountId).where('l.product_id', 'in', productIds).where('l.status', '!=', 'cancelled')
    .orderBy('l.id').execute() as Promise<LineRow[]>;
}
