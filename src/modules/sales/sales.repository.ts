/** All SQL of the sales module: import jobs, saved mappings, staging and merge, rollups, sales lines. */
import type SQLite from 'better-sqlite3';
import { type Expression, type Kysely, type SqlBool, sql, type Transaction } from 'kysely';
import type { Dialect } from '../../db/database.js';
import type { Database } from '../../db/schema.js';
import { duplicateReason } from './sales.domain.js';

export type Q = Kysely<Database> | Transaction<Database>;
export type JobRow = Database['import_jobs'];

// ---------------------------------------------------------------- jobs and mappings

export async function insertJob(db: Q, row: JobRow): Promise<void> {
  await db.insertInto('import_jobs').values(row).execute();
}

/** A job the caller may see: their own, or any for admins (`ownerId` null). */
export async function findJob(db: Q, id: string, ownerId: string | null): Promise<JobRow | undefined> {
  let q = db.selectFrom('import_jobs').selectAll().where('id', '=', id);
  if (ownerId) q = q.where('created_by', '=', ownerId);
  return q.executeTakeFirst();
}

export async function listJobs(db: Q, ownerId: string | null, limit: number, beforeId?: string): Promise<JobRow[]> {
  let q = db.selectFrom('import_jobs').selectAll().orderBy('id', 'desc').limit(limit);
  if (ownerId) q = q.where('created_by', '=', ownerId);
  if (beforeId) q = q.where('id', '<', beforeId);
  return q.execute();
}

export async function updateJob(db: Q, id: string, patch: Partial<JobRow>): Promise<void> {
  await db.updateTable('import_jobs').set(patch).where('id', '=', id).execute();
}

export type MappingRow = Database['import_mappings'];
export const listMappings = (db: Q, kind: string | undefined) => {
  let q = db.selectFrom('import_mappings').selectAll().orderBy('kind').orderBy('name');
  if (kind) q = q.where('kind', '=', kind);
  return q.execute();
};
export const findMapping = (db: Q, id: string) => db.selectFrom('import_mappings').selectAll().where('id', '=', id).executeTakeFirst();
export const findMappingByName = (db: Q, kind: string, name: string) =>
  db.selectFrom('import_mappings').selectAll().where('kind', '=', kind).where('name', '=', name).executeTakeFirst();
export async function insertMapping(db: Q, row: MappingRow): Promise<void> {
  await db.insertInto('import_mappings').values(row).execute();
}
export async function updateMapping(db: Q, id: string, version: number, patch: Partial<MappingRow>): Promise<boolean> {
  const r = await db.updateTable('import_mappings').set({ ...patch, version: version + 1 }).where('id', '=', id).where('version', '=', version).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
export async function deleteMapping(db: Q, id: string): Promise<boolean> {
  const r = await db.deleteFrom('import_mappings').where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows) === 1;
}

// ---------------------------------------------------------------- lookups

/** Account code → id of the accounts in `scope`. */
export async function accountIdsByCode(db: Q, scope: Expression<SqlBool>): Promise<Map<string, string>> {
  const rows = await db.selectFrom('accounts').select(['id', 'code']).where(scope).execute();
  return new Map(rows.map((r) => [r.code, r.id]));
}

export async function productIdsBySku(db: Q): Promise<Map<string, string>> {
  const rows = await db.selectFrom('products').select(['id', 'sku']).execute();
  return new Map(rows.map((r) => [r.sku, r.id]));
}

// ---------------------------------------------------------------- staging (one import, inside its transaction)

/** One staged line: the columns of sales_lines plus the file line it came from. */
export type StagedLine = [srcLine: number, id: string, docNo: string, lineNo: number, date: string, accountId: string, productId: string,
  quantity: number, netMinor: number, costMinor: number | null, currency: string];
export type StagedError = [line: number, seq: number, column: string, value: string, reason: string];

const stageCols = 'src_line, id, doc_no, line_no, date, account_id, product_id, quantity, net_amount_minor, cost_amount_minor, currency';

/**
 * Staging tables of one import. Temporary tables: on SQLite they live in the connection's temp
 * database (so loading them takes no lock on the main database), on PostgreSQL they are dropped
 * at the end of the import's transaction.
 */
export async function createStaging(k: Q, dialect: Dialect): Promise<void> {
  const tail = dialect === 'postgres' ? sql` on commit drop` : sql``;
  await sql`drop table if exists imp_stage`.execute(k);
  await sql`drop table if exists imp_err`.execute(k);
  await sql`drop table if exists imp_affected`.execute(k);
  await sql`create temporary table imp_stage (src_line integer not null, id text not null, doc_no text not null, line_no integer not null, date text not null,
    account_id text not null, product_id text not null, quantity double precision not null, net_amount_minor bigint not null, cost_amount_minor bigint, currency text not null)${tail}`.execute(k);
  await sql`create temporary table imp_err (line integer not null, seq integer not null, col text not null, value text not null, reason text not null)${tail}`.execute(k);
  await sql`create temporary table imp_affected (account_id text not null, month text not null, primary key (account_id, month))${tail}`.execute(k);
}

export async function dropStaging(k: Q): Promise<void> {
  for (const t of ['imp_stage', 'imp_err', 'imp_affected']) await sql`drop table if exists ${sql.raw(t)}`.execute(k);
}

/** Batched loader into the staging tables: prepared multi-row inserts on SQLite, unnest() arrays on PostgreSQL. */
export type Stager = { lines(rows: StagedLine[]): Promise<void>; errors(rows: StagedError[]): Promise<void> };

export function stagerFor(k: Q, dialect: Dialect, raw: SQLite.Database | null): Stager {
  if (dialect === 'sqlite' && raw) {
    const per = 250;
    const params: unknown[] = new Array(per * 11);
    const many = raw.prepare(`insert into temp.imp_stage (${stageCols}) values ${Array(per).fill('(?,?,?,?,?,?,?,?,?,?,?)').join(',')}`);
    const one = raw.prepare(`insert into temp.imp_stage (${stageCols}) values (?,?,?,?,?,?,?,?,?,?,?)`);
    const err = raw.prepare('insert into temp.imp_err (line, seq, col, value, reason) values (?,?,?,?,?)');
    return {
      async lines(rows) {
        let i = 0;
        for (; i + per <= rows.length; i += per) {
          let p = 0;
          for (let r = i; r < i + per; r++) { const row = rows[r]!; for (let c = 0; c < 11; c++) params[p++] = row[c]; }
          many.run(params);
        }
        for (; i < rows.length; i++) one.run(rows[i]!);
      },
      async errors(rows) { for (const r of rows) err.run(r); },
    };
  }
  return {
    async lines(rows) {
      if (!rows.length) return;
      const col = (j: number) => rows.map((r) => r[j]);
      await sql`insert into imp_stage (${sql.raw(stageCols)}) select * from unnest(${col(0)}::int[], ${col(1)}::text[], ${col(2)}::text[], ${col(3)}::int[],
        ${col(4)}::text[], ${col(5)}::text[], ${col(6)}::text[], ${col(7)}::float8[], ${col(8)}::int8[], ${col(9)}::int8[], ${col(10)}::text[])`.execute(k);
    },
    async errors(rows) {
      if (!rows.length) return;
      const col = (j: number) => rows.map((r) => r[j]);
      await sql`insert into imp_err (line, seq, col, value, reason) select * from unnest(${col(0)}::int[], ${col(1)}::int[], ${col(2)}::text[], ${col(3)}::text[], ${col(4)}::text[])`.execute(k);
    },
  };
}

/** Reports the second and later lines of each (document, line) that appears more than once in the file. */
export async function flagDuplicates(k: Q, docColumn: string): Promise<void> {
  const t = performance.now();
  await sql`create index imp_stage_key on imp_stage (doc_no, line_no)`.execute(k);
  const [before, after] = duplicateReason(-1).split('-1') as [string, string];
  await sql`insert into imp_err (line, seq, col, value, reason)
    select s.src_line, 1000, ${docColumn}, s.doc_no || ' / ' || cast(s.line_no as text), ${before} || cast(f.first_line as text) || ${after}
    from imp_stage s join (select doc_no, line_no, min(src_line) as first_line from imp_stage group by doc_no, line_no having count(*) > 1) f
      on f.doc_no = s.doc_no and f.line_no = s.line_no
    where s.src_line > f.first_line`.execute(k);
  trace('duplicates', t);
}

export async function errorCount(k: Q): Promise<number> {
  const r = await sql<{ n: number }>`select count(*) as n from imp_err`.execute(k);
  return Number(r.rows[0]?.n ?? 0);
}

/** The staged errors in line order, a page at a time (keyset on line, seq). */
export async function errorPage(k: Q, after: [number, number], limit: number): Promise<StagedError[]> {
  const r = await sql<{ line: number; seq: number; col: string; value: string; reason: string }>`select line, seq, col, value, reason from imp_err
    where line > ${after[0]} or (line = ${after[0]} and seq > ${after[1]}) order by line, seq limit ${limit}`.execute(k);
  return r.rows.map((x) => [Number(x.line), Number(x.seq), x.col, x.value, x.reason]);
}

const differs = sql`(sl.date <> s.date or sl.account_id <> s.account_id or sl.product_id <> s.product_id or sl.quantity <> s.quantity
  or sl.net_amount_minor <> s.net_amount_minor or sl.cost_amount_minor is distinct from s.cost_amount_minor or sl.currency <> s.currency)`;

/** Timing of the merge steps on stderr when OPENKAM_IMPORT_TRACE is set (benchmarks, diagnosis). */
const trace = (label: string, t0: number) => { if (process.env.OPENKAM_IMPORT_TRACE) process.stderr.write(`import ${label}: ${Math.round(performance.now() - t0)} ms\n`); return performance.now(); };

export type MergeCounts = { staged: number; inserted: number; updated: number; unchanged: number };

/**
 * Set-based merge of the staged lines into sales_lines by natural key (doc_no, line_no): changed
 * lines are updated, new ones inserted, identical ones left alone; then the rollups of every
 * account-month touched (old and new positions of moved lines) are recomputed.
 */
export async function mergeStaged(k: Q, now: string): Promise<MergeCounts> {
  let t = performance.now();
  const staged = Number((await sql<{ n: number }>`select count(*) as n from imp_stage`.execute(k)).rows[0]?.n ?? 0);
  await sql`insert into imp_affected (account_id, month)
    select account_id, month from (
      select sl.account_id, substr(sl.date, 1, 7) as month from imp_stage s join sales_lines sl on sl.doc_no = s.doc_no and sl.line_no = s.line_no where ${differs}
      union select s.account_id, substr(s.date, 1, 7) from imp_stage s join sales_lines sl on sl.doc_no = s.doc_no and sl.line_no = s.line_no where ${differs}
      union select s.account_id, substr(s.date, 1, 7) from imp_stage s where not exists (select 1 from sales_lines sl where sl.doc_no = s.doc_no and sl.line_no = s.line_no)
    ) x`.execute(k);
  t = trace('affected', t);
  const upd = await sql`update sales_lines set date = s.date, account_id = s.account_id, product_id = s.product_id, quantity = s.quantity,
      net_amount_minor = s.net_amount_minor, cost_amount_minor = s.cost_amount_minor, currency = s.currency, updated_at = ${now}
    from imp_stage s
    where s.doc_no = sales_lines.doc_no and s.line_no = sales_lines.line_no and (sales_lines.date <> s.date or sales_lines.account_id <> s.account_id
      or sales_lines.product_id <> s.product_id or sales_lines.quantity <> s.quantity or sales_lines.net_amount_minor <> s.net_amount_minor
      or sales_lines.cost_amount_minor is distinct from s.cost_amount_minor or sales_lines.currency <> s.currency)`.execute(k);
  t = trace('update', t);
  const ins = await sql`insert into sales_lines (id, doc_no, line_no, date, account_id, product_id, quantity, net_amount_minor, cost_amount_minor, currency, created_at, updated_at)
    select s.id, s.doc_no, s.line_no, s.date, s.account_id, s.product_id, s.quantity, s.net_amount_minor, s.cost_amount_minor, s.currency, ${now}, ${now}
    from imp_stage s where not exists (select 1 from sales_lines sl where sl.doc_no = s.doc_no and sl.line_no = s.line_no)`.execute(k);
  const updated = Number(upd.numAffectedRows ?? 0n);
  const inserted = Number(ins.numAffectedRows ?? 0n);
  t = trace('insert', t);
  await recomputeAffected(k);
  trace('rollups', t);
  return { staged, inserted, updated, unchanged: staged - inserted - updated };
}

const rollupSelect = sql`sl.account_id, substr(sl.date, 1, 7), p.category, sl.currency, sum(sl.net_amount_minor), coalesce(sum(sl.cost_amount_minor), 0),
  sum(case when sl.cost_amount_minor is null then 0 else sl.net_amount_minor end), sum(sl.quantity), count(*)`;
const rollupCols = sql`(account_id, month, category, currency, revenue_minor, cost_minor, costed_revenue_minor, quantity, lines)`;

/**
 * Recomputes the rollups of the account-months listed in imp_affected from sales_lines. A few
 * account-months: index range reads per account-month; many (a bulk import): one scan of
 * sales_lines, which is far cheaper than thousands of range reads.
 */
async function recomputeAffected(k: Q): Promise<void> {
  const n = Number((await sql<{ n: number }>`select count(*) as n from imp_affected`.execute(k)).rows[0]?.n ?? 0);
  if (n === 0) return;
  await sql`delete from sales_rollups where exists (select 1 from imp_affected a where a.account_id = sales_rollups.account_id and a.month = sales_rollups.month)`.execute(k);
  if (n <= 2000) {
    await sql`insert into sales_rollups ${rollupCols}
      select ${rollupSelect}
      from imp_affected a
        join sales_lines sl on sl.account_id = a.account_id and sl.date >= a.month || '-01' and sl.date <= a.month || '-31'
        join products p on p.id = sl.product_id
      group by sl.account_id, substr(sl.date, 1, 7), p.category, sl.currency`.execute(k);
    return;
  }
  await sql`insert into sales_rollups ${rollupCols}
    select ${rollupSelect}
    from sales_lines sl join products p on p.id = sl.product_id
    where exists (select 1 from imp_affected a where a.account_id = sl.account_id and a.month = substr(sl.date, 1, 7))
    group by sl.account_id, substr(sl.date, 1, 7), p.category, sl.currency`.execute(k);
}

export type AccountMonth = { accountId: string; month: string };

/** Recomputes the rollups of a few account-months (an edit, a deletion), in the caller's transaction. */
export async function recomputeRollups(k: Q, pairs: AccountMonth[]): Promise<void> {
  const seen = new Set<string>();
  for (const p of pairs) {
    const key = `${p.accountId}|${p.month}`;
    if (seen.has(key)) continue;
    seen.add(key);
    await k.deleteFrom('sales_rollups').where('account_id', '=', p.accountId).where('month', '=', p.month).execute();
    await sql`insert into sales_rollups ${rollupCols}
      select ${rollupSelect} from sales_lines sl join products p on p.id = sl.product_id
      where sl.account_id = ${p.accountId} and sl.date >= ${`${p.month}-01`} and sl.date <= ${`${p.month}-31`}
      group by sl.account_id, substr(sl.date, 1, 7), p.category, sl.currency`.execute(k);
  }
}

/** The account-months that hold lines of these products (their category changed). */
export async function accountMonthsOfProducts(k: Q, productIds: string[]): Promise<AccountMonth[]> {
  if (!productIds.length) return [];
  const rows = await k.selectFrom('sales_lines').select(['account_id', sql<string>`substr(date, 1, 7)`.as('month')]).distinct()
    .where('product_id', 'in', productIds).execute();
  return rows.map((r) => ({ accountId: r.account_id, month: r.month }));
}

/** Rebuilds every rollup from sales_lines (lines written by other means, e.g. the demo world). */
export async function rebuildAllRollups(k: Q): Promise<void> {
  await k.deleteFrom('sales_rollups').execute();
  await sql`insert into sales_rollups ${rollupCols}
    select ${rollupSelect} from sales_lines sl join products p on p.id = sl.product_id
    group by sl.account_id, substr(sl.date, 1, 7), p.category, sl.currency`.execute(k);
}

/** True when sales lines exist but no rollup does: the lines were written around this module. */
export async function rollupsMissing(k: Q): Promise<boolean> {
  const r = await k.selectFrom('sales_rollups').select('account_id').limit(1).executeTakeFirst();
  if (r) return false;
  return !!(await k.selectFrom('sales_lines').select('id').limit(1).executeTakeFirst());
}

// ---------------------------------------------------------------- reads: trend and lines

export type TrendRow = { month: string; revenueMinor: number; costMinor: number; costedRevenueMinor: number; quantity: number; lines: number };

export async function monthlyTrend(k: Q, accountId: string, from: string, to: string, currency: string, category?: string): Promise<TrendRow[]> {
  let q = k.selectFrom('sales_rollups')
    .select(['month', (eb) => eb.fn.sum<number>('revenue_minor').as('revenue'), (eb) => eb.fn.sum<number>('cost_minor').as('cost'),
      (eb) => eb.fn.sum<number>('costed_revenue_minor').as('costed'), (eb) => eb.fn.sum<number>('quantity').as('quantity'), (eb) => eb.fn.sum<number>('lines').as('lines')])
    .where('account_id', '=', accountId).where('month', '>=', from).where('month', '<=', to).where('currency', '=', currency);
  if (category) q = q.where('category', '=', category);
  const rows = await q.groupBy('month').orderBy('month').execute();
  return rows.map((r) => ({ month: r.month, revenueMinor: Number(r.revenue), costMinor: Number(r.cost), costedRevenueMinor: Number(r.costed), quantity: Number(r.quantity), lines: Number(r.lines) }));
}

export type SalesLineRow = Database['sales_lines'] & { account_code: string; sku: string };

const lineBase = (k: Q, scope: Expression<SqlBool>) => k.selectFrom('sales_lines')
  .innerJoin('accounts', 'accounts.id', 'sales_lines.account_id').innerJoin('products', 'products.id', 'sales_lines.product_id')
  .selectAll('sales_lines').select(['accounts.code as account_code', 'products.sku']).where(scope);

export async function listLines(k: Q, scope: Expression<SqlBool>, f: { accountId?: string; from?: string; to?: string; docNo?: string; limit: number; after?: [string, string] }): Promise<SalesLineRow[]> {
  let q = lineBase(k, scope);
  if (f.accountId) q = q.where('sales_lines.account_id', '=', f.accountId);
  if (f.from) q = q.where('sales_lines.date', '>=', f.from);
  if (f.to) q = q.where('sales_lines.date', '<=', f.to);
  if (f.docNo) q = q.where('sales_lines.doc_no', '=', f.docNo);
  if (f.after) {
    const [d, id] = f.after;
    q = q.where((eb) => eb.or([eb('sales_lines.date', '<', d), eb.and([eb('sales_lines.date', '=', d), eb('sales_lines.id', '<', id)])]));
  }
  return q.orderBy('sales_lines.date', 'desc').orderBy('sales_lines.id', 'desc').limit(f.limit + 1).execute();
}

export const findLine = (k: Q, scope: Expression<SqlBool>, id: string) => lineBase(k, scope).where('sales_lines.id', '=', id).executeTakeFirst();

export async function updateLine(k: Q, id: string, updatedAt: string, patch: Partial<Database['sales_lines']>): Promise<boolean> {
  const r = await k.updateTable('sales_lines').set(patch).where('id', '=', id).where('updated_at', '=', updatedAt).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function deleteLine(k: Q, id: string): Promise<void> {
  await k.deleteFrom('sales_lines').where('id', '=', id).execute();
}
