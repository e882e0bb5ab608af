/**
 * The volume a rebate is measured on: net invoiced value and quantity per account, month and
 * category over a window [from, to) of invoice dates (never order dates). A small read function
 * of the sales module for the rebates module.
 *
 * Full calendar months inside the window come from the monthly rollups (cheap at any volume)
 * when returns count and the scope is all products or whole categories; the partial months at
 * the window's edges, SKU scopes and "returns not counted" (positive lines only) read the lines.
 */
import { sql } from 'kysely';
import type { Db } from '../../db/database.js';
import { ensureRollups } from './sales.service.js';

export type BasisScope = { categories: string[] | null; skus: string[] | null; returnsCounted: boolean };
/** `category` is '*' for rows read from the rollups (summed over the categories in scope). */
export type BasisRow = { accountId: string; month: string; category: string; valueMinor: number; quantity: number };
export type BasisQuery = { accountIds: string[]; currency: string; from: string; to: string; scope: BasisScope };

const monthStart = (m: string) => `${m}-01`;
const nextMonth = (m: string) => {
  const [y, mo] = m.split('-').map(Number) as [number, number];
  return mo === 12 ? `${y + 1}-01` : `${y}-${String(mo + 1).padStart(2, '0')}`;
};

/** The rollup-servable whole months of [from, to): [firstMonth, endMonth) as YYYY-MM, or null. */
export function wholeMonths(from: string, to: string): { first: string; end: string } | null {
  const first = from.slice(8, 10) === '01' ? from.slice(0, 7) : nextMonth(from.slice(0, 7));
  const end = to.slice(0, 7); // the month containing `to` is not whole (to is exclusive): it ends before it
  return first < end ? { first, end } : null;
}

/** Basis rows per account, month and category (see the module comment for where each comes from). */
export async function salesBasis(db: Db, q: BasisQuery): Promise<BasisRow[]> {
  if (q.accountIds.length === 0 || q.from >= q.to) return [];
  const k = db.kysely;
  const useLinesOnly = q.scope.skus !== null || !q.scope.returnsCounted;
  const whole = useLinesOnly ? null : wholeMonths(q.from, q.to);
  const out: BasisRow[] = [];
  if (whole) {
    await ensureRollups(db);
    // Summed over the categories in scope: one row per account and month (the caller never needs the category split).
    let r = k.selectFrom('sales_rollups')
      .select(['account_id', 'month', sql<number>`sum(revenue_minor)`.as('value'), sql<number>`sum(quantity)`.as('qty')])
      .where('currency', '=', q.currency).where('month', '>=', whole.first).where('month', '<', whole.end).where('account_id', 'in', q.accountIds);
    if (q.scope.categories) r = r.where('category', 'in', q.scope.categories.length ? q.scope.categories : ['\u0000']);
    for (const row of await r.groupBy(['account_id', 'month']).execute()) out.push({ accountId: row.account_id, month: row.month, category: '*', valueMinor: Number(row.value), quantity: Number(row.qty) });
  }
  const lineWindows: [string, string][] = whole
    ? [[q.from, monthStart(whole.first)], [monthStart(whole.end), q.to]]
    : [[q.from, q.to]];
  for (const [from, to] of lineWindows) {
    if (from >= to) continue;
    let l = k.selectFrom('sales_lines as l').innerJoin('products as p', 'p.id', 'l.product_id')
      .select([
        'l.account_id', 'p.category',
        sql<string>`substr(l.date, 1, 7)`.as('month'),
        sql<number>`sum(l.net_amount_minor)`.as('value'),
        sql<number>`sum(l.quantity)`.as('qty'),
      ])
      .where('l.currency', '=', q.currency).where('l.date', '>=', from).where('l.date', '<', to).where('l.account_id', 'in', q.accountIds);
    if (q.scope.categories) l = l.where('p.category', 'in', q.scope.categories.length ? q.scope.categories : ['\u0000']);
    if (q.scope.skus) l = l.where('p.sku', 'in', q.scope.skus.length ? q.scope.skus : ['\u0000']);
    if (!q.scope.returnsCounted) l = l.where('l.net_amount_minor', '>', 0);
    const rows = await l.groupBy(['l.account_id', 'p.category', sql`substr(l.date, 1, 7)`]).execute();
    for (const row of rows) out.push({ accountId: row.account_id, month: row.month, category: row.category, valueMinor: Number(row.value), quantity: Number(row.qty) });
  }
  return out;
}

/**
 * Many basis reads at once (an accrual run over every agreement): queries with the same window,
 * currency and scope are read together over the union of their accounts, then split back. Result
 * i belongs to query i.
 */
export async function salesBasisMany(db: Db, queries: BasisQuery[]): Promise<BasisRow[][]> {
  const groups = new Map<string, number[]>();
  queries.forEach((q, i) => {
    const key = JSON.stringify([q.currency, q.from, q.to, q.scope]);
    const g = groups.get(key);
    if (g) g.push(i);
    else groups.set(key, [i]);
  });
  const out: BasisRow[][] = queries.map(() => []);
  for (const idx of groups.values()) {
    const first = queries[idx[0]!]!;
    const accounts = [...new Set(idx.flatMap((i) => queries[i]!.accountIds))];
    const byAccount = new Map<string, BasisRow[]>();
    for (let k = 0; k < accounts.length; k += 5_000) {
      for (const r of await salesBasis(db, { ...first, accountIds: accounts.slice(k, k + 5_000) })) {
        const list = byAccount.get(r.accountId);
        if (list) list.push(r);
        else byAccount.set(r.accountId, [r]);
      }
    }
    for (const i of idx) out[i] = queries[i]!.accountIds.flatMap((a) => byAccount.get(a) ?? []);
  }
  return out;
}
