import { sql } from 'kysely';
import { expect } from 'vitest';
import type { Db } from '../src/db/database.js';
import { waitForJob } from '../src/modules/sales/sales.jobs.js';
import { abc } from '../src/modules/portfolio/portfolio.domain.js';
import type { Client } from './build-test-app.js';

export type Job = {
  id: string; status: string; inserted: number; updated: number; unchanged: number; skipped: number; errorCount: number; processedLines: number;
  errorsUrl: string | null; message: string | null;
};

export async function upload(c: Client, kind: string, body: string | Buffer, type = 'text/csv', fileName = 'file.csv') {
  const res = await c.request({ method: 'POST', url: `/api/v1/imports/${kind}?fileName=${fileName}`, payload: body, headers: { 'content-type': type } });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { job: Job; headers: string[]; suggestedMapping: Record<string, string> };
}

/** Uploads a file, runs its import through the API and waits for the outcome. */
export async function importFile(c: Client, kind: string, body: string | Buffer, run: Record<string, unknown> = {}, type = 'text/csv'): Promise<Job> {
  const up = await upload(c, kind, body, type);
  const res = await c.post(`/api/v1/imports/${up.job.id}/run`, run);
  expect(res.statusCode, res.body).toBe(202);
  await waitForJob(up.job.id);
  return (await c.get(`/api/v1/imports/${up.job.id}`)).json() as Job;
}

/** The rows of a job's error file (line, column, value, reason), without its header. */
export async function errorsOf(c: Client, job: Job): Promise<string[][]> {
  const res = await c.get(job.errorsUrl!);
  expect(res.statusCode).toBe(200);
  return res.body.replace(/^\uFEFF/, '').trim().split(/\r?\n/).slice(1).map((l) => l.match(/("([^"]|"")*"|[^,]*)(,|$)/g)!.slice(0, 4).map((f) => f.replace(/,$/, '').replace(/^"|"$/g, '').replace(/""/g, '"')));
}

// Quantities are doubles: a sum in another order can differ in the last bits (amounts are integers, exact).
const norm = (rows: unknown[][]) => rows.map((r) => r.map((x) => (typeof x === 'string' ? x : Math.round(Number(x) * 1e6) / 1e6)).join('|')).sort();

/** sales_rollups and sales_account_months must equal an aggregation of sales_lines from scratch. */
export async function expectRollupsExact(db: Db): Promise<void> {
  const fresh = await sql<Record<string, unknown>>`select sl.account_id, substr(sl.date, 1, 7) as month, p.category, sl.currency, sum(sl.net_amount_minor) as revenue,
    coalesce(sum(sl.cost_amount_minor), 0) as cost, sum(case when sl.cost_amount_minor is null then 0 else sl.net_amount_minor end) as costed, sum(sl.quantity) as quantity, count(*) as lines
    from sales_lines sl join products p on p.id = sl.product_id group by sl.account_id, substr(sl.date, 1, 7), p.category, sl.currency`.execute(db.kysely);
  const kept = await db.kysely.selectFrom('sales_rollups').selectAll().execute();
  expect(norm(kept.map((r) => [r.account_id, r.month, r.category, r.currency, r.revenue_minor, r.cost_minor, r.costed_revenue_minor, r.quantity, r.lines])))
    .toEqual(norm(fresh.rows.map((r) => [r.account_id, r.month, r.category, r.currency, r.revenue, r.cost, r.costed, r.quantity, r.lines])));
  const months = await sql<Record<string, unknown>>`select sl.account_id, substr(sl.date, 1, 7) as month, sl.currency, sum(sl.net_amount_minor) as revenue,
    count(*) as lines from sales_lines sl group by sl.account_id, substr(sl.date, 1, 7), sl.currency`.execute(db.kysely);
  const keptMonths = await db.kysely.selectFrom('sales_account_months').selectAll().execute();
  expect(norm(keptMonths.map((r) => [r.account_id, r.month, r.currency, r.revenue_minor, r.lines])))
    .toEqual(norm(months.rows.map((r) => [r.account_id, r.month, r.currency, r.revenue, r.lines])));
}

/** Account code → ABC tier by CNY revenue over [from, to] (YYYY-MM), computed from the sales lines themselves. */
export async function freshTiers(db: Db, from: string, to: string): Promise<Record<string, string>> {
  const rows = await sql<{ id: string; code: string; value: number | null }>`select a.id, a.code, v.value from accounts a
    left join (select account_id, sum(net_amount_minor) as value from sales_lines where currency = 'CNY' and substr(date, 1, 7) >= ${from} and substr(date, 1, 7) <= ${to}
      group by account_id) v on v.account_id = a.id`.execute(db.kysely);
  return Object.fromEntries(abc(rows.rows.map((r) => ({ accountId: r.id, code: r.code, value: Number(r.value ?? 0) }))).map((r) => [r.code, r.tier]));
}

/** Account code → tier as the 80/20 page shows it (the default rolling 12 months), and that window. */
export async function shownTiers(c: Client): Promise<{ from: string; to: string; tiers: Record<string, string> }> {
  // Every page of the ABC table (it pages by rank).
  const items: { code: string; tier: string }[] = [];
  let window = { from: '', to: '' };
  let cursor: string | null = null;
  do {
    const res = await c.get(`/api/v1/portfolio/segments?limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as { window: { from: string; to: string }; items: { code: string; tier: string }[]; nextCursor: string | null };
    window = body.window;
    items.push(...body.items);
    cursor = body.nextCursor;
  } while (cursor);
  return { from: window.from, to: window.to, tiers: Object.fromEntries(items.map((i) => [i.code, i.tier])) };
}
