/** All SQL of the OTIF cells (decision 027). Scoping conditions come from the caller (the policy layer). */
import { type Expression, type Kysely, type RawBuilder, type SqlBool, sql, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { DeliveryTermsTable } from './delivery.table.js';
import type { LineShipmentRow } from './delivery.lines.js';
import type { OtifCellsTable, OtifOpenLinesTable, OtifOpenOrdersTable, OtifRollupStateTable } from './otif-cells.table.js';

type Q = Kysely<Database> | Transaction<Database>;
const STATE = 'otif';

/** The terms of one account, whoever asks (the cells are the same for everyone). */
export const termsOf = (q: Q, accountId: string): Promise<DeliveryTermsTable | undefined> =>
  q.selectFrom('delivery_terms').selectAll().where('account_id', '=', accountId).executeTakeFirst();

/** An account's lines with a promise (optionally of some months, YYYY-MM) joined to their shipments, a line's rows together. */
export function lineRows(q: Q, accountId: string, months: string[] | null): Promise<LineShipmentRow[]> {
  let s = q.selectFrom('order_lines as l').leftJoin('shipments as s', 's.order_line_id', 'l.id')
    .select(['l.id', 'l.order_no', 'l.account_id', 'l.quantity', 'l.promised_date', 'l.status', 'l.cancelled_date', 's.delivered_date as ship_date', 's.quantity as ship_qty'])
    .where('l.account_id', '=', accountId).where('l.promised_date', 'is not', null);
  if (months) s = s.where(sql<string>`substr(l.promised_date, 1, 7)`, 'in', months);
  return s.orderBy('l.id').orderBy('s.delivered_date').execute();
}

/** Removes an account's cells, open lines and open orders (of some months, or all). */
export async function deleteCells(q: Q, accountId: string, months: string[] | null): Promise<void> {
  for (const table of ['otif_cells', 'otif_open_lines', 'otif_open_orders'] as const) {
    let d = q.deleteFrom(table).where('account_id', '=', accountId);
    if (months) d = d.where('month', 'in', months);
    await d.execute();
  }
}

/** Inserts rows a slice at a time (within both databases' parameter limits). */
async function insertSliced<T extends 'otif_cells' | 'otif_open_lines' | 'otif_open_orders'>(q: Q, table: T, rows: Database[T][]): Promise<void> {
  for (let i = 0; i < rows.length; i += 200) await q.insertInto(table).values(rows.slice(i, i + 200) as never).execute();
}
export const insertCells = (q: Q, rows: OtifCellsTable[]) => insertSliced(q, 'otif_cells', rows);
export const insertOpenLines = (q: Q, rows: OtifOpenLinesTable[]) => insertSliced(q, 'otif_open_lines', rows);
export const insertOpenOrders = (q: Q, rows: OtifOpenOrdersTable[]) => insertSliced(q, 'otif_open_orders', rows);

/** Accounts with any order line. */
export async function accountsWithLines(q: Q): Promise<string[]> {
  return (await q.selectFrom('order_lines').select('account_id').distinct().orderBy('account_id').execute()).map((r) => r.account_id);
}
/** Empties the cells of every account (a rebuild starts from nothing). */
export async function deleteAllCells(q: Q): Promise<void> {
  for (const table of ['otif_cells', 'otif_open_lines', 'otif_open_orders'] as const) await q.deleteFrom(table).execute();
}

export const getState = (q: Q): Promise<OtifRollupStateTable | undefined> => q.selectFrom('otif_rollup_state').selectAll().where('id', '=', STATE).executeTakeFirst();
export async function setState(q: Q, s: Partial<Omit<OtifRollupStateTable, 'id'>>): Promise<void> {
  const r = await q.updateTable('otif_rollup_state').set(s).where('id', '=', STATE).executeTakeFirst();
  if (Number(r.numUpdatedRows) === 0) await q.insertInto('otif_rollup_state').values({ id: STATE, ready: 0, cn_stamp: null, built_at: null, ...s }).execute();
}

export type CellKey = 'account' | 'territory' | 'month';
export type CellFilter = { by: readonly CellKey[]; visible: Expression<SqlBool>; fromMonth?: string; toMonth?: string; accountId?: string; accountIds?: readonly string[] };
type Row = Record<string, string | number | null>;

const keyExpr: Record<CellKey, RawBuilder<unknown>> = { account: sql`c.account_id`, territory: sql`coalesce(a.territory_id, '')`, month: sql`c.month` };

/** The scope and range of a query on a cell table as c. */
function whereOf(f: CellFilter): RawBuilder<unknown> {
  const where: RawBuilder<unknown>[] = [sql`${f.visible}`];
  if (f.fromMonth) where.push(sql`c.month >= ${f.fromMonth}`);
  if (f.toMonth) where.push(sql`c.month < ${f.toMonth}`);
  if (f.accountId) where.push(sql`c.account_id = ${f.accountId}`);
  if (f.accountIds) where.push(f.accountIds.length ? sql`c.account_id in (${sql.join(f.accountIds)})` : sql`1 = 0`);
  return sql.join(where, sql` and `);
}
/** Only a grouping by territory needs the account row. */
const accountJoin = (f: CellFilter) => (f.by.includes('territory') ? sql` join accounts a on a.id = c.account_id` : sql``);

/** SELECT keys (k0, k1…), the aggregates, FROM a cell table as c (with its account where needed), scoped and ranged, GROUP BY the keys. */
function grouped(q: Q, table: string, aggregates: RawBuilder<unknown>, f: CellFilter): Promise<Row[]> {
  const keys = f.by.map((k, i) => sql`${keyExpr[k]} as ${sql.ref(`k${i}`)}`);
  const select = keys.length ? sql.join([...keys, aggregates]) : aggregates;
  const groupBy = f.by.length ? sql` group by ${sql.join(f.by.map((k) => keyExpr[k]))}` : sql``;
  return sql<Row>`select ${select} from ${sql.table(table)} c${accountJoin(f)} where ${whereOf(f)}${groupBy}`.execute(q).then((r) => r.rows);
}

const CELL_COLUMNS = ['counted', 'on_time', 'in_full_known', 'in_full', 'otif', 'v_lines', 'v_ordered', 'v_on_time', 'v_in_full', 'v_otif', 'cancelled', 'cancelled_late',
  'o_counted', 'o_on_time', 'o_in_full_known', 'o_in_full', 'o_otif'] as const;

/**
 * The settled counters of the cells per group, with their lateness text joined by commas. Grouped
 * by dealer and month (territory follows the dealer), each group is one cell: its row is read as
 * it is, in key order, without summing.
 */
export function cellSums(q: Q, dialect: 'sqlite' | 'postgres', f: CellFilter): Promise<Row[]> {
  if (f.by.includes('account') && f.by.includes('month')) {
    const keys = f.by.map((k, i) => sql`${keyExpr[k]} as ${sql.ref(`k${i}`)}`);
    const cols = [...CELL_COLUMNS, 'lateness'].map((c) => sql.ref(`c.${c}`));
    return sql<Row>`select ${sql.join([...keys, ...cols])} from otif_cells c${accountJoin(f)} where ${whereOf(f)} order by c.account_id, c.month`.execute(q).then((r) => r.rows);
  }
  const joined = dialect === 'postgres' ? sql`string_agg(nullif(c.lateness, ''), ',')` : sql`group_concat(nullif(c.lateness, ''), ',')`;
  return grouped(q, 'otif_cells', sql.join([...CELL_COLUMNS.map((c) => sql`sum(${sql.ref(`c.${c}`)}) as ${sql.ref(c)}`), sql`${joined} as lateness`]), f);
}

/** The unsettled lines per group as of a date: overdue (with a known quantity, and its sum) and not yet due. */
export function openLineSums(q: Q, asOf: string, f: CellFilter): Promise<Row[]> {
  const due = sql`c.overdue_from <= ${asOf}`;
  return grouped(q, 'otif_open_lines', sql.join([
    sql`sum(case when ${due} then 1 else 0 end) as overdue`,
    sql`sum(case when ${due} then 0 else 1 end) as not_due`,
    sql`sum(case when ${due} and c.qty_known = 1 then 1 else 0 end) as overdue_known`,
    sql`sum(case when ${due} and c.qty_known = 1 then c.ordered_qty else 0 end) as overdue_qty`,
  ]), f);
}

/** The orders with unsettled lines per group as of a date, tallied like `tally` in otif.domain.ts (flags completed as `openOrderFlags` does). */
export function openOrderSums(q: Q, asOf: string, f: CellFilter): Promise<Row[]> {
  const k = sql`(c.due_known is not null and c.due_known <= ${asOf})`;
  const u = sql`(c.due_unknown is not null and c.due_unknown <= ${asOf})`;
  const bit = (b: number) => sql`(c.flags & ${sql.lit(b)}) <> 0`;
  const counted = sql`(${bit(1)} or ${k} or ${u})`;
  const late = sql`(${bit(2)} or ${k} or ${u})`;
  const unknown = sql`(${bit(8)} or ${u})`;
  const notInFull = sql`(${bit(4)} or ${k})`;
  const notOtif = sql`(${bit(16)} or ${k})`;
  const n = (cond: RawBuilder<unknown>, as: string) => sql`sum(case when ${cond} then 1 else 0 end) as ${sql.ref(as)}`;
  return grouped(q, 'otif_open_orders', sql.join([
    n(counted, 'o_counted'),
    n(sql`${counted} and not ${late}`, 'o_on_time'),
    n(sql`${counted} and not ${unknown}`, 'o_in_full_known'),
    n(sql`${counted} and not ${unknown} and not ${notInFull}`, 'o_in_full'),
    n(sql`${counted} and not ${unknown} and not ${notOtif}`, 'o_otif'),
  ]), f);
}
