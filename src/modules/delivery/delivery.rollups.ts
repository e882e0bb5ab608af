/**
 * OTIF from pre-aggregated cells (decision 027): per dealer and month of promise, the counters of
 * the settled lines, plus the unsettled lines and their orders, so a query sums rows instead of
 * judging every line. Every writer of order lines, shipments or terms calls `refreshOtifCells` /
 * `refreshOtifAccounts` in its own transaction; `rebuildOtifCells` (`npm run openkam --
 * otif-rebuild`) recomputes everything, needed after China's holiday table is reloaded
 * (`calendar:load`): until then the cells' calendar stamp differs and OTIF is computed from the lines.
 */
import { createHash } from 'node:crypto';
import type { Expression, Kysely, SqlBool, Transaction } from 'kysely';
import type { Db } from '../../db/database.js';
import type { Database } from '../../db/schema.js';
import type { Config } from '../../server/config.js';
import { loadChinaHolidays } from '../services/work-calendar.js';
import { linesOfRows, termsOfRow } from './delivery.lines.js';
import { latenessText, type OtifGroup, type OtifPartial, otifCells, otifGroupsOfPartials } from './otif.domain.js';
import * as repo from './otif-cells.repository.js';

type Q = Kysely<Database> | Transaction<Database>;
type Env = { config: Pick<Config, 'dataDir'> };

const stamps = new WeakMap<object, string>();
/** Fingerprint of China's holiday table as loaded now (shipped years with the loaded ones over them). */
export function chinaCalendarStamp(config: Pick<Config, 'dataDir'>): string {
  const table = loadChinaHolidays(config.dataDir);
  let s = stamps.get(table);
  if (!s) {
    s = createHash('sha256').update(`${[...table.off].sort().join(',')}|${[...table.work].sort().join(',')}`).digest('hex').slice(0, 16);
    stamps.set(table, s);
  }
  return s;
}

/** Recomputes one account's cells (of some months, YYYY-MM, or all) from its lines, on its terms now. */
async function refreshAccount(q: Q, env: Env, accountId: string, months: string[] | null): Promise<void> {
  const termsRow = await repo.termsOf(q, accountId);
  const terms = termsOfRow(env.config, termsRow);
  const lines = linesOfRows(await repo.lineRows(q, accountId, months));
  const { cells, open, openOrders } = otifCells(lines, () => terms);
  await repo.deleteCells(q, accountId, months);
  await repo.insertCells(q, cells.map((c) => ({
    account_id: c.account, month: c.month, counted: c.counts.counted, on_time: c.counts.onTime, in_full_known: c.counts.inFullKnown, in_full: c.counts.inFull,
    otif: c.counts.otif, v_lines: c.counts.vLines, v_ordered: c.counts.vOrdered, v_on_time: c.counts.vOnTime, v_in_full: c.counts.vInFull, v_otif: c.counts.vOtif,
    cancelled: c.counts.cancelled, cancelled_late: c.counts.cancelledLate, o_counted: c.orders.counted, o_on_time: c.orders.onTime,
    o_in_full_known: c.orders.inFullKnown, o_in_full: c.orders.inFull, o_otif: c.orders.otif, lateness: latenessText(c.lateness),
  })));
  await repo.insertOpenLines(q, open.map((o) => ({ line_id: o.id, account_id: o.account, month: o.month, order_no: o.orderNo, overdue_from: o.overdueFrom, qty_known: o.qtyKnown ? 1 : 0, ordered_qty: o.orderedQty })));
  await repo.insertOpenOrders(q, openOrders.map((o) => ({ account_id: o.account, month: o.month, order_no: o.orderNo, flags: o.flags, due_known: o.dueKnown, due_unknown: o.dueUnknown })));
  if (termsRow?.calendar === 'working-days-cn' && lines.length) {
    // The first cells on China's calendar say which table they were built with; a later reload makes them stale.
    const state = await repo.getState(q);
    if (state && state.cn_stamp === null) await repo.setState(q, { cn_stamp: chinaCalendarStamp(env.config) });
  }
}

/**
 * Recomputes the cells of the given (account, month of promise) pairs, in the caller's
 * transaction: call it after writing order lines or shipments, with the months before and after
 * a change of promised date. Month: YYYY-MM.
 */
export async function refreshOtifCells(trx: Q, env: Env, pairs: Iterable<{ accountId: string; month: string }>): Promise<void> {
  const byAccount = new Map<string, Set<string>>();
  for (const p of pairs) {
    let s = byAccount.get(p.accountId);
    if (!s) { s = new Set(); byAccount.set(p.accountId, s); }
    s.add(p.month);
  }
  for (const [accountId, months] of byAccount) {
    const list = [...months];
    for (let i = 0; i < list.length; i += 500) await refreshAccount(trx, env, accountId, list.slice(i, i + 500));
  }
}

/** Recomputes every month of the accounts (after a change of their terms), in the caller's transaction. */
export async function refreshOtifAccounts(trx: Q, env: Env, accountIds: Iterable<string>): Promise<void> {
  for (const id of new Set(accountIds)) await refreshAccount(trx, env, id, null);
}

/**
 * Rebuilds every cell from the lines, one account per transaction; OTIF is computed from the lines
 * meanwhile, and from the cells again when done. For `otif-rebuild` and after a holiday reload.
 */
export async function rebuildOtifCells(db: Db, env: Env, progress: (done: number, of: number) => void = () => {}): Promise<{ accounts: number; ms: number }> {
  const started = Date.now();
  const k = db.kysely;
  await repo.setState(k, { ready: 0 });
  await repo.deleteAllCells(k);
  const accounts = await repo.accountsWithLines(k);
  let done = 0;
  for (const id of accounts) {
    await k.transaction().execute((trx) => refreshAccount(trx, env, id, null));
    progress(++done, accounts.length);
  }
  await repo.setState(k, { ready: 1, cn_stamp: chinaCalendarStamp(env.config), built_at: new Date().toISOString() });
  return { accounts: accounts.length, ms: Date.now() - started };
}

/** Whether the cells can answer now: built, and on the China calendar loaded now. */
export async function otifCellsReady(q: Q, env: Env): Promise<boolean> {
  const s = await repo.getState(q);
  return !!s && Number(s.ready) === 1 && (s.cn_stamp === null || s.cn_stamp === chinaCalendarStamp(env.config));
}

/** The queries the cells answer: each dealer's terms, grouped by account, territory and month only, over whole months. */
export function cellsServe(q: { by: readonly string[]; from?: string | undefined; to?: string | undefined }, asked: boolean): boolean {
  return !asked && q.by.every((b) => b === 'account' || b === 'territory' || b === 'month')
    && (q.from === undefined || q.from.endsWith('-01')) && (q.to === undefined || q.to.endsWith('-01'));
}

const num = (v: unknown): number => (v == null ? 0 : Number(v));

/**
 * OTIF groups from the cells, as of a date: the settled counters summed per group in SQL, the
 * unsettled lines and orders judged against the date in SQL, merged by the domain.
 */
export async function otifFromCells(db: Db, visible: Expression<SqlBool>, q: { by: readonly repo.CellKey[]; from?: string; to?: string; accountId?: string; accountIds?: readonly string[] }, asOf: string, months: { from: string; to: string } | undefined): Promise<OtifGroup[]> {
  const f: repo.CellFilter = {
    by: q.by, visible, ...(q.from ? { fromMonth: q.from.slice(0, 7) } : {}), ...(q.to ? { toMonth: q.to.slice(0, 7) } : {}), ...(q.accountId ? { accountId: q.accountId } : {}),
    ...(q.accountIds ? { accountIds: q.accountIds } : {}),
  };
  const k = db.kysely;
  const [cells, open, orders] = await Promise.all([repo.cellSums(k, db.dialect, f), repo.openLineSums(k, asOf, f), repo.openOrderSums(k, asOf, f)]);
  const keyOf = (r: Record<string, unknown>) => q.by.map((_, i) => String(r[`k${i}`] ?? ''));
  const partials: OtifPartial[] = [];
  // Without grouping, SQL answers one row even over no cell; it is the one group either way.
  const some = (r: Record<string, unknown>, col: string) => q.by.length > 0 || r[col] != null;
  for (const r of cells) {
    if (!some(r, 'counted')) continue;
    partials.push({
      key: keyOf(r),
      counts: {
        counted: num(r.counted), onTime: num(r.on_time), inFullKnown: num(r.in_full_known), inFull: num(r.in_full), otif: num(r.otif),
        vLines: num(r.v_lines), vOrdered: num(r.v_ordered), vOnTime: num(r.v_on_time), vInFull: num(r.v_in_full), vOtif: num(r.v_otif),
        cancelled: num(r.cancelled), cancelledLate: num(r.cancelled_late),
      },
      orders: { counted: num(r.o_counted), onTime: num(r.o_on_time), inFullKnown: num(r.o_in_full_known), inFull: num(r.o_in_full), otif: num(r.o_otif) },
      lateness: r.lateness as string | null,
    });
  }
  for (const r of open) {
    if (!some(r, 'overdue')) continue;
    const overdue = num(r.overdue), known = num(r.overdue_known);
    partials.push({ key: keyOf(r), counts: { counted: overdue, overdueOpen: overdue, notDue: num(r.not_due), inFullKnown: known, vLines: known, vOrdered: num(r.overdue_qty) } });
  }
  for (const r of orders) {
    if (!some(r, 'o_counted')) continue;
    partials.push({ key: keyOf(r), orders: { counted: num(r.o_counted), onTime: num(r.o_on_time), inFullKnown: num(r.o_in_full_known), inFull: num(r.o_in_full), otif: num(r.o_otif) } });
  }
  return otifGroupsOfPartials(partials, { by: q.by, ...(months ? { months } : {}) });
}
