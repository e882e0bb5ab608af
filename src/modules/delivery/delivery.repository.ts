/** All SQL of order lines and shipments. Scoping conditions come from the caller (the policy layer). */
import { type Expression, type Kysely, sql, type SqlBool, type Transaction } from 'kysely';
import { byKeys } from '../../db/lookups.js';
import type { Database } from '../../db/schema.js';
import type { DeliveryTermsTable, OrderLinesTable, ShipmentsTable } from './delivery.table.js';

export { accountsByCode, productsBySku } from '../../db/lookups.js';

type Q = Kysely<Database> | Transaction<Database>;

export const orderLinesByKey = (q: Q, keys: string[]): Promise<Map<string, OrderLinesTable>> =>
  byKeys(keys, (slice) => q.selectFrom('order_lines').selectAll().where('source_key', 'in', slice).execute(), (r) => r.source_key);

export const shipmentsByKey = (q: Q, keys: string[]): Promise<Map<string, ShipmentsTable>> =>
  byKeys(keys, (slice) => q.selectFrom('shipments').selectAll().where('source_key', 'in', slice).execute(), (r) => r.source_key);

export const insertOrderLine = (q: Q, row: OrderLinesTable) => q.insertInto('order_lines').values(row).execute();
export const updateOrderLine = (q: Q, id: string, row: Partial<OrderLinesTable>) => q.updateTable('order_lines').set(row).where('id', '=', id).execute();
export const insertShipment = (q: Q, row: ShipmentsTable) => q.insertInto('shipments').values(row).execute();
export const updateShipment = (q: Q, id: string, row: Partial<ShipmentsTable>) => q.updateTable('shipments').set(row).where('id', '=', id).execute();

export type OtifRow = {
  id: string; order_no: string; account_id: string; quantity: number | null; promised_date: string | null; status: string; cancelled_date: string | null;
  line_lane: string | null; planned_mode: string | null; territory_id: string | null; ship_date: string | null; ship_qty: number | null; mode: string | null; carrier: string | null; lane_code: string | null;
};

/** Order lines promised in [from, to) with their shipments, one row per shipment (or one for a line without any), by account, order and promise. */
export function otifRows(q: Q, visible: Expression<SqlBool>, f: { from?: string; to?: string; accountId?: string; accountIds?: readonly string[] }) {
  let s = q.selectFrom('order_lines as l')
    .innerJoin('accounts as a', 'a.id', 'l.account_id')
    .leftJoin('shipments as s', 's.order_line_id', 'l.id')
    .select(['l.id', 'l.order_no', 'l.account_id', 'l.quantity', 'l.promised_date', 'l.status', 'l.cancelled_date', 'l.lane_code as line_lane', 'l.planned_mode', 'a.territory_id',
      's.delivered_date as ship_date', 's.quantity as ship_qty', 's.mode', 's.carrier', 's.lane_code'])
    .where(visible).where('l.promised_date', 'is not', null);
  if (f.from) s = s.where('l.promised_date', '>=', f.from);
  if (f.to) s = s.where('l.promised_date', '<', f.to);
  if (f.accountId) s = s.where('l.account_id', '=', f.accountId);
  if (f.accountIds) s = s.where('l.account_id', 'in', f.accountIds.length ? [...f.accountIds] : ['']);
  // By promised date within an order: an order's lines of one month come together (orders are per month, decision 027).
  return s.orderBy('l.account_id').orderBy('l.order_no').orderBy('l.promised_date').orderBy('l.id').orderBy('s.delivered_date').execute() as Promise<OtifRow[]>;
}

/** A page of the visible dealers with any order line (optionally one), in code order, and how many there are. */
export async function dealerPage(q: Q, visible: Expression<SqlBool>, f: { accountId?: string; limit: number; offset: number }): Promise<{ ids: string[]; total: number }> {
  let base = q.selectFrom('accounts as a').where(visible)
    .where(({ exists, selectFrom }) => exists(selectFrom('order_lines as l').select('l.id').whereRef('l.account_id', '=', 'a.id')));
  if (f.accountId) base = base.where('a.id', '=', f.accountId);
  const [rows, count] = await Promise.all([
    base.select('a.id').orderBy('a.code').orderBy('a.id').limit(f.limit).offset(f.offset).execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { ids: rows.map((r) => r.id), total: Number(count.n) };
}

/** Shipments of the visible accounts (optionally one), newest delivery first, with their line's promise. */
export function listShipments(q: Q, visible: Expression<SqlBool>, f: { accountId?: string; limit: number; offset: number; lateOnly: boolean; from?: string; to?: string; mode?: string | undefined }) {
  let s = q.selectFrom('shipments as s').innerJoin('order_lines as l', 'l.id', 's.order_line_id')
    .select(['s.id', 's.order_line_id', 's.account_id', 'l.order_no', 'l.line_no', 'l.item', 'l.promised_date', 's.shipped_date', 's.delivered_date', 's.quantity',
      's.mode', 's.carrier', 's.lane_code', 's.freight_minor', 's.freight_currency', 's.freight_note', 's.weight_grams', 's.weight_note'])
    .where(visible);
  if (f.accountId) s = s.where('s.account_id', '=', f.accountId);
  if (f.lateOnly) s = s.whereRef('s.delivered_date', '>', 'l.promised_date');
  if (f.from) s = s.where('l.promised_date', '>=', f.from);
  if (f.to) s = s.where('l.promised_date', '<', f.to);
  if (f.mode !== undefined) s = s.where(sql<string>`coalesce(s.mode, l.planned_mode, '')`, '=', f.mode);
  // Shipments on the way (no delivery date) first on both databases (PostgreSQL and SQLite sort nulls apart).
  return s.orderBy(sql`case when s.delivered_date is null then 0 else 1 end`).orderBy('s.delivered_date', 'desc').orderBy('s.id').limit(f.limit).offset(f.offset).execute();
}

export type OpenLineRow = {
  id: string; account_id: string; order_no: string; line_no: string | null; item: string | null; quantity: number | null; promised_date: string;
  delivered_qty: number | null; delivered_whole: number | null;
};

/**
 * Open lines of the visible accounts promised before `before`, with what was delivered so far
 * (`delivered_whole`: deliveries without a quantity, which count as the whole line), oldest promise first.
 */
export function openLinesDue(q: Q, visible: Expression<SqlBool>, f: { before: string; accountId?: string; from?: string; to?: string; mode?: string }) {
  let s = q.selectFrom('order_lines as l')
    .select(['l.id', 'l.account_id', 'l.order_no', 'l.line_no', 'l.item', 'l.quantity', 'l.promised_date'])
    .select(sql<number | null>`(select sum(s.quantity) from shipments s where s.order_line_id = l.id and s.delivered_date is not null)`.as('delivered_qty'))
    .select(sql<number | null>`(select count(*) from shipments s where s.order_line_id = l.id and s.delivered_date is not null and s.quantity is null)`.as('delivered_whole'))
    .where(visible).where('l.status', '=', 'open').where('l.promised_date', 'is not', null).where('l.promised_date', '<', f.before);
  if (f.accountId) s = s.where('l.account_id', '=', f.accountId);
  if (f.from) s = s.where('l.promised_date', '>=', f.from);
  if (f.to) s = s.where('l.promised_date', '<', f.to);
  // The mode OTIF counts the line under: each shipment's (else the planned one), or the planned one while nothing is shipped.
  if (f.mode !== undefined) {
    s = s.where(sql<SqlBool>`(exists (select 1 from shipments s where s.order_line_id = l.id and coalesce(s.mode, l.planned_mode, '') = ${f.mode})
      or (not exists (select 1 from shipments s where s.order_line_id = l.id) and coalesce(l.planned_mode, '') = ${f.mode}))`);
  }
  return s.orderBy('l.promised_date').orderBy('l.id').execute() as Promise<OpenLineRow[]>;
}

export type OpenOrderLineRow = {
  id: string; account_id: string; order_no: string; line_no: string | null; product_id: string | null; sku: string | null; name_en: string | null; name_zh: string | null;
  item: string | null; quantity: number | null; unit: string | null; promised_date: string | null; source_key: string; delivered_qty: number | null; vmi_draft_id: string | null;
};

const deliveredSum = sql<number | null>`(select sum(s.quantity) from shipments s where s.order_line_id = l.id and s.delivered_date is not null)`;
const deliveredWhole = sql<number>`(select count(*) from shipments s where s.order_line_id = l.id and s.delivered_date is not null and s.quantity is null)`;

/**
 * A page of the visible accounts' (or one account's) open lines not yet delivered in full (a delivery without a quantity
 * counts as the whole line), soonest promise first (lines without one last), and how many there
 * are. A line VMI placed (source key `vmi:<number>:<product>`) carries its draft's id.
 */
export async function openOrderLines(q: Q, visible: Expression<SqlBool>, f: { accountId?: string; limit: number; offset: number }): Promise<{ rows: OpenOrderLineRow[]; total: number }> {
  let base = q.selectFrom('order_lines as l')
    .where(visible).where('l.status', '=', 'open')
    .where(sql<SqlBool>`${deliveredWhole} = 0`)
    .where(sql<SqlBool>`(case when l.quantity is null then coalesce(${deliveredSum}, 0) = 0 else coalesce(${deliveredSum}, 0) < l.quantity end)`);
  if (f.accountId) base = base.where('l.account_id', '=', f.accountId);
  const [rows, count] = await Promise.all([
    base.leftJoin('products as p', 'p.id', 'l.product_id')
      // The VMI module places its signed orders under the draft's number (vmi.signing.ts).
      .leftJoin('vmi_drafts as d', (j) => j.onRef('d.account_id', '=', 'l.account_id').onRef('d.number', '=', 'l.order_no').on('l.source_key', 'like', 'vmi:%'))
      .select(['l.id', 'l.account_id', 'l.order_no', 'l.line_no', 'l.product_id', 'p.sku', 'p.name_en', 'p.name_zh', 'l.item', 'l.quantity', 'l.unit', 'l.promised_date', 'l.source_key', 'd.id as vmi_draft_id'])
      .select(deliveredSum.as('delivered_qty'))
      .orderBy(sql`case when l.promised_date is null then 1 else 0 end`).orderBy('l.promised_date').orderBy('l.order_no').orderBy('l.line_no').orderBy('l.id')
      .limit(f.limit).offset(f.offset).execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows: rows as OpenOrderLineRow[], total: Number(count.n) };
}

/** Delivery terms of the accounts the condition lets the caller see (optionally one). */
export function listTerms(q: Q, visible: Expression<SqlBool>, accountId?: string): Promise<DeliveryTermsTable[]> {
  let s = q.selectFrom('delivery_terms as t').selectAll('t').where(visible);
  if (accountId) s = s.where('t.account_id', '=', accountId);
  return s.execute();
}

export const insertTerms = (q: Q, row: DeliveryTermsTable) => q.insertInto('delivery_terms').values(row).execute();
/** Updates the terms only at the version read; the number of rows changed (0: someone changed them first). */
export async function updateTerms(q: Q, accountId: string, version: number, row: Partial<DeliveryTermsTable>): Promise<number> {
  const r = await q.updateTable('delivery_terms').set(row).where('account_id', '=', accountId).where('version', '=', version).executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export type LineRefRow = {
  order_line_id: string; order_no: string; line_no: string | null; item: string | null; quantity: number | null; unit: string | null; promised_date: string | null;
  shipment_id: string | null; shipment_no: string | null; delivered_date: string | null; ship_quantity: number | null;
};

/** Order lines (by id) and shipments (by id, with their line) of one account the condition lets the caller see. */
export async function lineRefs(q: Q, visible: Expression<SqlBool>, accountId: string, lineIds: string[], shipmentIds: string[]): Promise<LineRefRow[]> {
  const lines = lineIds.length ? await q.selectFrom('order_lines as l')
    .select(['l.id as order_line_id', 'l.order_no', 'l.line_no', 'l.item', 'l.quantity', 'l.unit', 'l.promised_date'])
    .where('l.id', 'in', lineIds).where('l.account_id', '=', accountId).where(visible).execute() : [];
  const ships = shipmentIds.length ? await q.selectFrom('shipments as s').innerJoin('order_lines as l', 'l.id', 's.order_line_id')
    .select(['l.id as order_line_id', 'l.order_no', 'l.line_no', 'l.item', 'l.quantity', 'l.unit', 'l.promised_date',
      's.id as shipment_id', 's.shipment_no', 's.delivered_date', 's.quantity as ship_quantity'])
    .where('s.id', 'in', shipmentIds).where('s.account_id', '=', accountId).where(visible).execute() : [];
  return [
    ...lines.map((l) => ({ ...l, shipment_id: null, shipment_no: null, delivered_date: null, ship_quantity: null })),
    ...ships,
  ];
}
