/** All SQL of the sales module: import jobs, saved mappings, staging and merge, rollups, sales lines. */
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type SQLite from 'better-sqlite3';
import type pg from 'pg';
import { type CopyStreamQuery, from as copyFrom } from 'pg-copy-streams';
import { type Expression, type Kysely, type RawBuilder, type Selectable, type SqlBool, sql, type Transaction, type Updateable } from 'kysely';
import type { Dialect } from '../../db/database.js';
import type { Database } from '../../db/schema.js';
import type { AuditSource } from '../audit/audit.repository.js';
import { duplicateReason, foreignLineReason } from './sales.domain.js';
import { batchRows, type ParsedBatch } from './sales.parse.js';

export type Q = Kysely<Database> | Transaction<Database>;
export type JobRow = Database['import_jobs'];

// ---------------------------------------------------------------- jobs and mappings

export async function insertJob(db: Q, row: JobRow): Promise<void> {
  await db.insertInto('import_jobs').values(row).execute();
}

/** The kinds of job these imports run (import_jobs also holds other modules' imports, e.g. delivery's 'shipments'). */
const salesKinds = ['sales', 'accounts', 'products'];

/** A job the caller may see: their own, or any for admins (`ownerId` null). */
export async function findJob(db: Q, id: string, ownerId: string | null): Promise<JobRow | undefined> {
  let q = db.selectFrom('import_jobs').selectAll().where('id', '=', id).where('kind', 'in', salesKinds);
  if (ownerId) q = q.where('created_by', '=', ownerId);
  return q.executeTakeFirst();
}

export async function listJobs(db: Q, ownerId: string | null, limit: number, beforeId?: string): Promise<JobRow[]> {
  let q = db.selectFrom('import_jobs').selectAll().where('kind', 'in', salesKinds).orderBy('id', 'desc').limit(limit);
  if (ownerId) q = q.where('created_by', '=', ownerId);
  if (beforeId) q = q.where('id', '<', beforeId);
  return q.execute();
}

export async function updateJob(db: Q, id: string, patch: Partial<JobRow>): Promise<void> {
  await db.updateTable('import_jobs').set(patch).where('id', '=', id).execute();
}

/** Jobs uploaded before `before` whose file is still kept (the cleanup job's candidates). */
export const jobsKeepingFiles = (db: Q, before: string) =>
  db.selectFrom('import_jobs').selectAll().where('file_removed_at', 'is', null).where('created_at', '<', before).orderBy('created_at').execute();

/** Which of these ids are jobs. */
export async function jobIdsAmong(db: Q, ids: string[]): Promise<Set<string>> {
  const out = new Set<string>();
  for (let i = 0; i < ids.length; i += 500) {
    for (const r of await db.selectFrom('import_jobs').select('id').where('id', 'in', ids.slice(i, i + 500)).execute()) out.add(r.id);
  }
  return out;
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

/** SKU → id and category of every product. */
export async function productsBySku(db: Q): Promise<Map<string, { id: string; category: string }>> {
  const rows = await db.selectFrom('products').select(['id', 'sku', 'category']).execute();
  return new Map(rows.map((r) => [r.sku, { id: r.id, category: r.category }]));
}

// ---------------------------------------------------------------- staging (one import, inside its transaction)

export type StagedError = [line: number, seq: number, column: string, value: string, reason: string];
/** Totals of the lines of one account (index), month, product category and currency: what the import adds to the rollups. */
export type RollupDelta = [acc: number, month: string, category: string, currency: string, revenue: number, cost: number, costedRevenue: number, quantity: number, lines: number];

const stageCols = 'src_line, doc_no, line_no, date, acc, prod, quantity, net_amount_minor, cost_amount_minor, currency';
/** The columns a new sales line is written with (the database makes the id), in the order the loaders give them. */
const lineCols = 'doc_no, line_no, date, account_id, product_id, quantity, net_amount_minor, cost_amount_minor, currency, created_at, updated_at';

/**
 * Staging tables of one import. Temporary tables: on SQLite they live in the connection's temp
 * database (so loading them takes no lock on the main database), on PostgreSQL they are dropped
 * at the end of the import's transaction.
 */
export async function createStaging(k: Q, dialect: Dialect): Promise<void> {
  const tail = dialect === 'postgres' ? sql` on commit drop` : sql``;
  await dropStaging(k);
  await sql`create temporary table imp_stage (src_line integer not null, doc_no text not null, line_no integer not null, date text not null,
    acc integer not null, prod integer not null, quantity double precision not null, net_amount_minor bigint not null, cost_amount_minor bigint,
    currency text not null)${tail}`.execute(k);
  await sql`create temporary table imp_err (line integer not null, seq integer not null, col text not null, value text not null, reason text not null)${tail}`.execute(k);
  await sql`create temporary table imp_affected (account_id text not null, month text not null, primary key (account_id, month))${tail}`.execute(k);
  await sql`create temporary table imp_acc (i integer primary key, id text not null)${tail}`.execute(k);
  await sql`create temporary table imp_prod (i integer primary key, id text not null, category text not null)${tail}`.execute(k);
  await sql`create temporary table imp_delta (acc integer not null, month text not null, category text not null, currency text not null,
    revenue_minor bigint not null, cost_minor bigint not null, costed_revenue_minor bigint not null, quantity double precision not null, lines bigint not null,
    primary key (acc, month, category, currency))${tail}`.execute(k);
}

const stagingTables = ['imp_stage', 'imp_err', 'imp_affected', 'imp_acc', 'imp_prod', 'imp_delta', 'imp_changed'];

export async function dropStaging(k: Q): Promise<void> {
  for (const t of stagingTables) await sql`drop table if exists ${sql.raw(t)}`.execute(k);
}

const deltaUpsert = sql`on conflict (acc, month, category, currency) do update set revenue_minor = imp_delta.revenue_minor + excluded.revenue_minor,
  cost_minor = imp_delta.cost_minor + excluded.cost_minor, costed_revenue_minor = imp_delta.costed_revenue_minor + excluded.costed_revenue_minor,
  quantity = imp_delta.quantity + excluded.quantity, lines = imp_delta.lines + excluded.lines`;

/** Batched loader into the staging tables: prepared multi-row inserts on SQLite, unnest() arrays on PostgreSQL. */
export type Stager = {
  /**
   * The valid lines of a batch: the file line each came from and the values of sales_lines, with
   * the account and product as small integers (indexes into the import's own maps, imp_acc and
   * imp_prod) rather than 36-character ids, so the staging rows stay narrow. PostgreSQL with a
   * client of its own: the batch's COPY text for imp_stage (the reader made it).
   */
  lines(b: ParsedBatch): Promise<void>;
  errors(rows: StagedError[]): Promise<void>;
  deltas(rows: RollupDelta[]): Promise<void>;
  /** The accounts and products the staged lines name (index → id). */
  maps(accounts: [number, string][], products: [number, string, string][]): Promise<void>;
  /** Ends the loading of lines (PostgreSQL: the COPY stream). */
  close(): Promise<void>;
};


export function stagerFor(k: Q, dialect: Dialect, raw: SQLite.Database | null, client?: pg.PoolClient): Stager {
  if (dialect === 'sqlite' && raw) {
    const per = 100;
    const params: unknown[] = new Array(per * 10);
    const many = raw.prepare(`insert into temp.imp_stage (${stageCols}) values ${Array(per).fill('(?,?,?,?,?,?,?,?,?,?)').join(',')}`);
    const one = raw.prepare(`insert into temp.imp_stage (${stageCols}) values (?,?,?,?,?,?,?,?,?,?)`);
    const err = raw.prepare('insert into temp.imp_err (line, seq, col, value, reason) values (?,?,?,?,?)');
    const deltaSql = (n: number) => `insert into temp.imp_delta (acc, month, category, currency, revenue_minor, cost_minor, costed_revenue_minor, quantity, lines)
      values ${Array(n).fill('(?,?,?,?,?,?,?,?,?)').join(',')} ${deltaUpsert.compile(k).sql}`;
    const deltaMany = raw.prepare(deltaSql(per));
    const deltaOne = raw.prepare(deltaSql(1));
    const deltaParams: unknown[] = new Array(per * 9);
    const acc = raw.prepare('insert into temp.imp_acc (i, id) values (?, ?)');
    const prod = raw.prepare('insert into temp.imp_prod (i, id, category) values (?, ?, ?)');
    return {
      async lines(b) {
        let p = 0;
        for (const row of batchRows(b)) {
          for (let c = 0; c < 10; c++) params[p++] = row[c];
          if (p === params.length) { many.run(params); p = 0; }
        }
        for (let r = 0; r < p; r += 10) one.run(params.slice(r, r + 10));
      },
      async errors(rows) { for (const r of rows) err.run(r); },
      async deltas(rows) {
        let i = 0;
        for (; i + per <= rows.length; i += per) {
          let p = 0;
          for (let r = i; r < i + per; r++) { const row = rows[r]!; for (let c = 0; c < 9; c++) deltaParams[p++] = row[c]; }
          deltaMany.run(deltaParams);
        }
        for (; i < rows.length; i++) deltaOne.run(rows[i]!);
      },
      async maps(accounts, products) {
        for (const a of accounts) acc.run(a);
        for (const p of products) prod.run(p);
      },
      async close() {},
    };
  }
  // PostgreSQL: lines go in through COPY FROM STDIN (text format) on the import's own client, one
  // stream open while the file is read; any other statement on the client ends it first.
  let copy: CopyStreamQuery | null = null;
  let copyDone: Promise<void> | null = null;
  const close = async () => {
    if (!copy) return;
    const c = copy;
    copy = null;
    c.end();
    await copyDone;
  };
  return {
    async lines(b) {
      if (!b.n) return;
      if (client && b.copy !== null) {
        if (!copy) {
          const c = client.query(copyFrom(`copy imp_stage (${stageCols}) from stdin`));
          copy = c;
          copyDone = new Promise<void>((resolve, reject) => { c.on('finish', () => resolve()); c.on('error', reject); });
          copyDone.catch(() => undefined);
        }
        if (!copy.write(b.copy)) await Promise.race([once(copy, 'drain'), copyDone]);
        return;
      }
      const rows = [...batchRows(b)];
      const col = (j: number) => rows.map((r) => r[j]);
      await sql`insert into imp_stage (${sql.raw(stageCols)}) select * from unnest(${col(0)}::int[], ${col(1)}::text[], ${col(2)}::int[], ${col(3)}::text[],
        ${col(4)}::int[], ${col(5)}::int[], ${col(6)}::float8[], ${col(7)}::int8[], ${col(8)}::int8[], ${col(9)}::text[])`.execute(k);
    },
    async errors(rows) {
      if (!rows.length) return;
      await close();
      const col = (j: number) => rows.map((r) => r[j]);
      await sql`insert into imp_err (line, seq, col, value, reason) select * from unnest(${col(0)}::int[], ${col(1)}::int[], ${col(2)}::text[], ${col(3)}::text[], ${col(4)}::text[])`.execute(k);
    },
    async deltas(rows) {
      if (!rows.length) return;
      await close();
      const col = (j: number) => rows.map((r) => r[j]);
      await sql`insert into imp_delta (acc, month, category, currency, revenue_minor, cost_minor, costed_revenue_minor, quantity, lines)
        select * from unnest(${col(0)}::int[], ${col(1)}::text[], ${col(2)}::text[], ${col(3)}::text[], ${col(4)}::int8[], ${col(5)}::int8[], ${col(6)}::int8[],
          ${col(7)}::float8[], ${col(8)}::int8[]) ${deltaUpsert}`.execute(k);
    },
    close,
    async maps(accounts, products) {
      await close();
      if (accounts.length) await sql`insert into imp_acc (i, id) select * from unnest(${accounts.map((a) => a[0])}::int[], ${accounts.map((a) => a[1])}::text[])`.execute(k);
      if (products.length) {
        await sql`insert into imp_prod (i, id, category) select * from unnest(${products.map((p) => p[0])}::int[], ${products.map((p) => p[1])}::text[],
          ${products.map((p) => p[2])}::text[])`.execute(k);
      }
    },
  };
}

/** Reports the second and later lines of each (document, line) that appears more than once in the file. */
export async function flagDuplicates(k: Q, docColumn: string): Promise<void> {
  const t = performance.now();
  await sql`create index if not exists imp_stage_key on imp_stage (doc_no, line_no)`.execute(k);
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

/** Timing of the merge steps on stderr when OPENKAM_IMPORT_TRACE is set (benchmarks, diagnosis). */
export const trace = (label: string, t0: number) => { if (process.env.OPENKAM_IMPORT_TRACE) process.stderr.write(`import ${label}: ${Math.round(performance.now() - t0)} ms\n`); return performance.now(); };

export type MergeCounts = { staged: number; inserted: number; updated: number; unchanged: number };

/** Tuning of the bulk merge (tests lower the thresholds to exercise every path). */
export const bulkTuning = {
  /** PostgreSQL: from this many lines inserted or updated, statistics are refreshed after the commit (refreshStatistics). */
  refreshStatisticsFrom: 10_000,
  /** From this many lines, and more than the table holds, the secondary indexes of sales_lines are dropped and rebuilt. */
  rebuildIndexesFrom: 200_000,
  /** PostgreSQL direct load: the foreign keys checked once per account and product rather than per line, when the role may (skipForeignKeyTriggers). */
  skipForeignKeyTriggers: true,
  /** PostgreSQL: how long a read of sales lines waits for a bulk load's lock before answering 503 (milliseconds). */
  readWaitMs: 2000,
};

/** A statement that puts back an index dropped for a bulk load. */
export type Rebuild = { name: string; sql: string };

/**
 * Drops the secondary indexes of sales_lines for a bulk load, inside the import's transaction: one
 * sorted build at the end beats millions of entries put in at random places. All or nothing like
 * the rest (a failed import rolls the drop back). On PostgreSQL this locks sales_lines (not the
 * rollups segmentation reads) until the import commits. The foreign keys stay: dropping one on
 * PostgreSQL would lock the accounts (or products) table itself, and every page reads accounts.
 */
export async function dropForBulk(k: Q, dialect: Dialect): Promise<Rebuild[]> {
  const rebuild: Rebuild[] = [];
  if (dialect === 'sqlite') {
    const r = await sql<{ name: string; sql: string }>`select name, sql from sqlite_master where type = 'index' and tbl_name = 'sales_lines'
      and sql is not null and upper(sql) not like 'CREATE UNIQUE%'`.execute(k);
    for (const ix of r.rows) { rebuild.push(ix); await sql`drop index ${sql.ref(ix.name)}`.execute(k); }
    return rebuild;
  }
  const ixs = await sql<{ name: string; def: string }>`select i.relname as name, pg_get_indexdef(i.oid) as def from pg_index x join pg_class i on i.oid = x.indexrelid
    where x.indrelid = 'sales_lines'::regclass and not x.indisunique and not x.indisprimary
      and not exists (select 1 from pg_constraint c where c.conindid = i.oid)`.execute(k);
  for (const ix of ixs.rows) { await sql`drop index ${sql.ref(ix.name)}`.execute(k); rebuild.push({ name: ix.name, sql: ix.def }); }
  return rebuild;
}

/**
 * PostgreSQL: sorts and hashes of a bulk merge (rollup totals, index rebuilds) in memory rather
 * than in temp files; for this transaction only, and server memory (not this process's).
 */
async function bulkMemory(k: Q): Promise<void> {
  await sql`set local work_mem = '64MB'`.execute(k);
  await sql`set local maintenance_work_mem = '256MB'`.execute(k);
}

async function rebuildAfterBulk(k: Q, rebuild: Rebuild[]): Promise<void> {
  const t = performance.now();
  for (const r of rebuild) await sql.raw(r.sql).execute(k);
  if (rebuild.length) trace('indexes', t);
}

/** The staged lines with their account and product ids (and product category). */
const stagedRows = sql`(select s.src_line, s.doc_no, s.line_no, s.date, a.id as account_id, p.id as product_id, p.category, s.quantity,
  s.net_amount_minor, s.cost_amount_minor, s.currency from imp_stage s join imp_acc a on a.i = s.acc join imp_prod p on p.i = s.prod)`;

const differs = sql`(sl.date <> s.date or sl.account_id <> s.account_id or sl.product_id <> s.product_id or sl.quantity <> s.quantity
  or sl.net_amount_minor <> s.net_amount_minor or sl.cost_amount_minor is distinct from s.cost_amount_minor or sl.currency <> s.currency)`;

const count = async (k: Q, q: ReturnType<typeof sql>) => Number((await sql<{ n: number }>`select count(*) as n from ${q}`.execute(k)).rows[0]?.n ?? 0);

export type MergeEnv = {
  dialect: Dialect; raw: SQLite.Database | null; now: string; docColumn: string;
  /** SQL condition: the importer may change the account whose id is in `column` (policy: accountWritableBy). */
  writable: (column: string) => Expression<SqlBool>;
};

/**
 * Set-based merge of the staged lines into sales_lines by natural key (doc_no, line_no).
 *
 * New lines are inserted in one statement (`on conflict do nothing`); when every staged line went
 * in (the usual case: new documents), the file had no duplicates and matched no existing line, and
 * the rollups only grow by the totals gathered while reading (imp_delta). Otherwise duplicates in
 * the file are looked for (returns null when there are: the caller reports them and rolls back),
 * the lines that matched existing ones are updated where they differ, their totals are taken out
 * of imp_delta, and the rollups of every account-month they touched (old and new positions) are
 * recomputed from the lines. Accounts and products named are checked to exist once, set-wise.
 */
export async function mergeStaged(k: Q, env: MergeEnv): Promise<MergeCounts | null> {
  let t = performance.now();
  const staged = await count(k, sql`imp_stage`);
  const sqlite = env.dialect === 'sqlite';
  // Ids grow with every insert (imports run one at a time: see lockImports): the lines this merge
  // inserts are those above the largest id before it.
  const maxId = await maxLineId(k);
  if (!sqlite) {
    await bulkMemory(k);
    await sql`analyze imp_stage`.execute(k);
    await sql`analyze imp_acc`.execute(k);
    await sql`analyze imp_prod`.execute(k);
  }
  const rebuild = staged >= bulkTuning.rebuildIndexesFrom && staged > maxId ? await dropForBulk(k, env.dialect) : [];
  const ins = await sql`insert into sales_lines (${sql.raw(lineCols)})
    select s.doc_no, s.line_no, s.date, s.account_id, s.product_id, s.quantity, s.net_amount_minor, s.cost_amount_minor, s.currency, ${env.now}, ${env.now}
    from ${stagedRows} s where true on conflict do nothing`.execute(k);
  const inserted = Number(ins.numAffectedRows ?? 0n);
  t = trace(`insert (${inserted} of ${staged})`, t);
  if (inserted < staged) {
    await flagDuplicates(k, env.docColumn);
    if (await errorCount(k) > 0) return null;
  }
  await holdNamed(k, env.dialect);
  let updated = 0;
  if (inserted < staged) {
    // Lines that matched existing ones are not new: the totals to add are those of the lines
    // inserted, the ids above the old maximum, summed by a range read of those alone.
    await sql`delete from imp_delta`.execute(k);
    await sql`insert into imp_delta (acc, month, category, currency, revenue_minor, cost_minor, costed_revenue_minor, quantity, lines)
      select a.i, substr(sl.date, 1, 7), p.category, sl.currency, sum(sl.net_amount_minor), coalesce(sum(sl.cost_amount_minor), 0),
        sum(case when sl.cost_amount_minor is null then 0 else sl.net_amount_minor end), sum(sl.quantity), count(*)
      from sales_lines sl join imp_acc a on a.id = sl.account_id join imp_prod p on p.id = sl.product_id
      where sl.id > ${maxId}
      group by a.i, substr(sl.date, 1, 7), p.category, sl.currency`.execute(k);
    // The matched lines that differ, with their old position, found in one pass.
    const tail = sqlite ? sql`` : sql` on commit drop`;
    await sql`create temporary table imp_changed${tail} as
      select s.src_line, sl.id as line_id, s.doc_no, s.line_no, s.date, s.account_id, s.product_id, s.quantity, s.net_amount_minor, s.cost_amount_minor, s.currency,
        sl.account_id as old_account_id, sl.date as old_date, sl.product_id as old_product_id, sl.quantity as old_quantity,
        sl.net_amount_minor as old_net_amount_minor, sl.cost_amount_minor as old_cost_amount_minor, sl.currency as old_currency
      from ${stagedRows} s join sales_lines sl on sl.doc_no = s.doc_no and sl.line_no = s.line_no where ${differs}`.execute(k);
    // A line that exists on an account the importer may not change is not theirs to rewrite, nor to
    // move to one of theirs: a bad line of the file. Only changed lines can be such (an unchanged one
    // is on the account the file names, which the lookup allowed), so this reads imp_changed alone.
    const foreign = await sql`insert into imp_err (line, seq, col, value, reason)
      select c.src_line, 1001, ${env.docColumn}, c.doc_no || ' / ' || cast(c.line_no as text), ${foreignLineReason}
      from imp_changed c where not (${env.writable('c.old_account_id')})`.execute(k);
    if (Number(foreign.numAffectedRows ?? 0n) > 0) return null;
    await sql`insert into imp_affected (account_id, month)
      select old_account_id, substr(old_date, 1, 7) from imp_changed union select account_id, substr(date, 1, 7) from imp_changed`.execute(k);
    t = trace('affected', t);
    const upd = await sql`update sales_lines set date = c.date, account_id = c.account_id, product_id = c.product_id, quantity = c.quantity,
        net_amount_minor = c.net_amount_minor, cost_amount_minor = c.cost_amount_minor, currency = c.currency, updated_at = ${env.now}
      from imp_changed c where c.doc_no = sales_lines.doc_no and c.line_no = sales_lines.line_no`.execute(k);
    updated = Number(upd.numAffectedRows ?? 0n);
    t = trace('update', t);
  }
  await rebuildAfterBulk(k, rebuild);
  t = performance.now();
  await addDeltas(k, env.dialect);
  t = trace('rollup totals', t);
  await recomputeAffected(k);
  trace('rollups recomputed', t);
  return { staged, inserted, updated, unchanged: staged - inserted - updated };
}

// ---------------------------------------------------------------- audit of an import (from its staging tables)

/** A sales line's values as JSON text, built by SQL from imp_changed (`prefix` '' for the new values, 'old_' for the old). */
function lineJson(dialect: Dialect, prefix: '' | 'old_'): RawBuilder<string> {
  const col = (name: string) => sql.ref(`c.${prefix}${name}`);
  const fields = sql.join([
    sql`${sql.lit('docNo')}, c.doc_no`, sql`${sql.lit('lineNo')}, c.line_no`, sql`${sql.lit('date')}, ${col('date')}`, sql`${sql.lit('accountId')}, ${col('account_id')}`,
    sql`${sql.lit('productId')}, ${col('product_id')}`, sql`${sql.lit('quantity')}, ${col('quantity')}`, sql`${sql.lit('netAmountMinor')}, ${col('net_amount_minor')}`,
    sql`${sql.lit('costAmountMinor')}, ${col('cost_amount_minor')}`, sql`${sql.lit('currency')}, ${col('currency')}`,
  ]);
  return dialect === 'postgres' ? sql<string>`cast(json_build_object(${fields}) as text)` : sql<string>`json_object(${fields})`;
}

/**
 * Audit rows for the lines a staged merge changed (imp_changed): one per line on its account with
 * its old and new values, and a second on the account it left when it moved.
 */
export function changedLinesAudit(dialect: Dialect): RawBuilder<AuditSource> {
  const before = lineJson(dialect, 'old_');
  const after = lineJson(dialect, '');
  return sql<AuditSource>`select cast(c.line_id as text) as entity_id, c.account_id as account_id, ${before} as before_json, ${after} as after_json from imp_changed c
    union all select cast(c.line_id as text), c.old_account_id, ${before}, ${after} from imp_changed c where c.old_account_id <> c.account_id`;
}

/**
 * Audit rows for the lines an import created, one per account (a bulk load creates millions of
 * lines): how many, and which months, from the totals of the inserted lines (imp_delta).
 */
export function createdLinesAudit(dialect: Dialect, jobId: string, fileName: string): RawBuilder<AuditSource> {
  const fields = sql.join([
    sql`${sql.lit('file')}, cast(${fileName} as text)`, sql`${sql.lit('inserted')}, sum(d.lines)`, sql`${sql.lit('from')}, min(d.month)`, sql`${sql.lit('to')}, max(d.month)`,
  ]);
  const after = dialect === 'postgres' ? sql`cast(json_build_object(${fields}) as text)` : sql`json_object(${fields})`;
  return sql<AuditSource>`select cast(${jobId} as text) as entity_id, a.id as account_id, cast(null as text) as before_json, ${after} as after_json
    from imp_delta d join imp_acc a on a.i = d.acc group by a.id having sum(d.lines) > 0`;
}

/**
 * SQLite's direct path: valid lines go straight into sales_lines while the file is read (prepared
 * multi-row inserts, `on conflict do nothing`), with no staging table and no second pass. It is
 * optimistic: the first batch that does not insert every one of its lines (a line that exists
 * already, or a (document, line) seen earlier in the file) tells the caller to roll back to its
 * savepoint and read the file again through staging (mergeStaged), which handles updates and
 * reports duplicates. New documents, the usual case, never take the second read.
 */
export type DirectWriter = {
  /** Writes the valid lines of a batch; false when one of them was not new (restart through staging). */
  add(b: ParsedBatch): boolean;
  readonly inserted: number;
};

export function directWriter(raw: SQLite.Database, now: string, accountIds: string[], productIds: string[]): DirectWriter {
  // 50 lines per statement: fewer per statement costs more calls, more costs longer statements to bind (measured).
  const per = 50;
  const lit = `'${now.replace(/'/g, "''")}'`;
  const tuple = `(?,?,?,?,?,?,?,?,?,${lit},${lit})`;
  const many = raw.prepare(`insert into main.sales_lines (${lineCols}) values ${Array(per).fill(tuple).join(',')} on conflict do nothing`);
  const one = raw.prepare(`insert into main.sales_lines (${lineCols}) values ${tuple} on conflict do nothing`);
  const params: unknown[] = new Array(per * 9);
  const single: unknown[] = new Array(9);
  let inserted = 0;
  // The full statements and the tail fill their parameters inline, not through a shared helper:
  // this loop runs once per line of the file, and a call per line measured about 5% slower.
  return {
    add(b) {
      let from = 0;
      let i = 0;
      for (; i + per <= b.n; i += per) {
        let p = 0;
        for (let r = i; r < i + per; r++) {
          const to = b.docEnd[r]!;
          const c = b.cost[r]!;
          params[p] = b.doc.slice(from, to); params[p + 1] = b.lineNo[r]; params[p + 2] = b.dates[b.dateIx[r]!]; params[p + 3] = accountIds[b.acc[r]!];
          params[p + 4] = productIds[b.prod[r]!]; params[p + 5] = b.qty[r]; params[p + 6] = b.net[r]; params[p + 7] = c === c ? c : null; params[p + 8] = b.currencies[b.curIx[r]!];
          p += 9;
          from = to;
        }
        const changes = many.run(params).changes;
        inserted += changes;
        if (changes !== per) return false;
      }
      for (; i < b.n; i++) {
        const to = b.docEnd[i]!;
        const c = b.cost[i]!;
        single[0] = b.doc.slice(from, to); single[1] = b.lineNo[i]; single[2] = b.dates[b.dateIx[i]!]; single[3] = accountIds[b.acc[i]!];
        single[4] = productIds[b.prod[i]!]; single[5] = b.qty[i]; single[6] = b.net[i]; single[7] = c === c ? c : null; single[8] = b.currencies[b.curIx[i]!];
        from = to;
        if (one.run(single).changes !== 1) return false;
        inserted++;
      }
      return true;
    },
    get inserted() { return inserted; },
  };
}

/**
 * PostgreSQL's direct path: the lines go straight into sales_lines with COPY (the text the parser
 * made), one stream open while the file is read, ended before any other statement on the client.
 * A line that exists (or comes twice) fails the COPY with a unique violation: `write` or `end` then
 * say false, and the caller rolls back to its savepoint and reads again through staging.
 */
export type DirectCopy = { write(text: string, lines: number): Promise<boolean>; end(): Promise<boolean>; readonly inserted: number };

export function directCopy(client: pg.PoolClient): DirectCopy {
  let copy: CopyStreamQuery | null = null;
  let done: Promise<void> = Promise.resolve();
  let failed = false;
  let inserted = 0;
  /** The COPY failed (the server answered with an error): false for a line that exists, else the error. */
  const settle = async (): Promise<boolean> => {
    copy = null;
    try { await done; return true; } catch (e) {
      if ((e as { code?: string }).code === '23505') return false;
      throw e;
    }
  };
  return {
    async write(text, lines) {
      if (!copy) {
        const c = client.query(copyFrom(`copy sales_lines (${lineCols}) from stdin`));
        copy = c;
        failed = false;
        done = new Promise<void>((resolve, reject) => { c.on('finish', () => resolve()); c.on('error', (e) => { failed = true; reject(e); }); });
        done.catch(() => undefined);
      }
      if (failed) return settle();
      inserted += lines;
      try {
        if (copy.write(text)) return true;
        await Promise.race([once(copy, 'drain'), done]);
        return true;
      } catch {
        return settle();
      }
    },
    async end() {
      if (!copy) return true;
      if (!failed) copy.end();
      return settle();
    },
    get inserted() { return inserted; },
  };
}

/**
 * Ends the direct path (every line was new): rebuilds what was dropped for a bulk load, checks the
 * accounts and products named still exist, and adds the totals gathered while reading to the rollups.
 */
export async function mergeDirect(k: Q, dialect: Dialect, inserted: number, rebuild: Rebuild[]): Promise<MergeCounts> {
  if (dialect === 'postgres') await bulkMemory(k);
  await rebuildAfterBulk(k, rebuild);
  const t = performance.now();
  await holdNamed(k, dialect);
  await addDeltas(k, dialect);
  trace('rollup totals', t);
  return { staged: inserted, inserted, updated: 0, unchanged: 0 };
}

/**
 * SQLite, after a large import has committed: the write-ahead log holds every page the import
 * wrote; copying them into the database file (a checkpoint) takes about a second per million
 * lines. The import's connection does not do it in its commit (wal_autocheckpoint = 0); a worker
 * thread does it here, on a connection of its own, so neither the import nor the app's event loop
 * waits for it (the process waits for it before exiting). Best effort: were it to fail, SQLite
 * checkpoints at a later commit anyway.
 */
export function checkpointAside(db: { sqlite?: SQLite.Database | null }): void {
  const file = db.sqlite && !db.sqlite.memory ? db.sqlite.name : null;
  if (!file) return;
  const lib = createRequire(import.meta.url).resolve('better-sqlite3');
  const code = `try { const D = require(${JSON.stringify(lib)}); const db = new D(${JSON.stringify(file)}, { fileMustExist: true });
    try { db.pragma('busy_timeout = 5000'); db.pragma('wal_checkpoint(PASSIVE)'); } finally { db.close(); } } catch {}`;
  new Worker(code, { eval: true }).on('error', () => undefined);
}

/**
 * PostgreSQL, after a large import has committed: statistics for the planner and the visibility
 * map for index-only scans of the totals segmentation reads (a bulk load leaves both stale until
 * autovacuum comes by: a hash join becomes a sort on estimates of one row, and every index entry
 * visits the table). VACUUM cannot run in a transaction, hence after the commit; sales_lines is
 * only analysed (vacuuming millions of lines is left to autovacuum).
 */
export async function refreshStatistics(k: Q): Promise<void> {
  const t = performance.now();
  await sql`vacuum (analyze) sales_account_months, sales_rollups`.execute(k);
  await sql`analyze sales_lines`.execute(k);
  trace('statistics', t);
}

/** The largest sales line id (0 when there is none). */
export async function maxLineId(k: Q): Promise<number> {
  return Number((await sql<{ m: number | null }>`select max(id) as m from sales_lines`.execute(k)).rows[0]?.m ?? 0);
}

/** An account or product the file names was deleted while the file was read: the import fails, nothing written. */
export class NamedRecordsGone extends Error {
  constructor() { super('Accounts or products named in the file were deleted while it was imported; nothing was imported. Run it again.'); }
}

/**
 * The accounts and products the lines name were looked up before the transaction: checks once
 * that they all still exist. On PostgreSQL it also locks them against deletion until the commit
 * (what the foreign keys' triggers do per line, and the direct load may skip them:
 * skipForeignKeyTriggers); a deletion waiting for that lock then finds these lines and fails.
 */
async function holdNamed(k: Q, dialect: Dialect): Promise<void> {
  if (dialect === 'postgres') {
    const held = await sql<{ n: number }>`select (select count(*) from (select 1 from accounts x where x.id in (select id from imp_acc) for key share) a)
      + (select count(*) from (select 1 from products x where x.id in (select id from imp_prod) for key share) p) as n`.execute(k);
    if (Number(held.rows[0]?.n ?? 0) !== await count(k, sql`(select i from imp_acc union all select i from imp_prod) g`)) throw new NamedRecordsGone();
    return;
  }
  const gone = await count(k, sql`(select i from imp_acc a where not exists (select 1 from accounts x where x.id = a.id)
    union all select i from imp_prod p where not exists (select 1 from products x where x.id = p.id)) g`);
  if (gone > 0) throw new NamedRecordsGone();
}

/**
 * PostgreSQL direct load: skips the foreign keys' per-line triggers for the rest of the transaction
 * (`session_replication_role = replica`, set local), when the database role may: a superuser, or a
 * role granted `SET ON PARAMETER session_replication_role` (PostgreSQL 15+). holdNamed then does
 * their work once per account and product. False (nothing changed) when the role may not.
 * Off with `bulkTuning.skipForeignKeyTriggers = false`.
 */
export async function skipForeignKeyTriggers(k: Q): Promise<boolean> {
  if (!bulkTuning.skipForeignKeyTriggers) return false;
  await sql`savepoint openkam_replica`.execute(k);
  try {
    await sql`set local session_replication_role = replica`.execute(k);
    await sql`release openkam_replica`.execute(k);
    return true;
  } catch (e) {
    if ((e as { code?: string }).code !== '42501') throw e;
    await sql`rollback to openkam_replica`.execute(k);
    return false;
  }
}

/** Ends skipForeignKeyTriggers: statements after the direct load fire their triggers again. */
export async function restoreForeignKeyTriggers(k: Q): Promise<void> {
  await sql`set local session_replication_role = origin`.execute(k);
}

/**
 * PostgreSQL: imports of sales lines run one at a time, whichever process runs them (the merge
 * tells its own lines by their ids, and two imports of overlapping files must not interleave);
 * held until the transaction ends. SQLite's write lock already serialises them.
 */
export async function lockImports(k: Q): Promise<void> {
  // Keyed by the schema: advisory locks are database-wide, and two installations (or test runs)
  // in their own schemas of one database have nothing to wait for from each other.
  await sql`select pg_advisory_xact_lock(hashtext(current_schema() || ':openkam.sales_import'))`.execute(k);
}

/** Adds the totals of imp_delta to the rollups and the account-month totals. */
async function addDeltas(k: Q, dialect: Dialect): Promise<void> {
  const t = performance.now();
  // Fresh statistics for the join (the temp table's are none: a poor plan for 100,000s of rows).
  if (dialect === 'postgres') await sql`analyze imp_delta`.execute(k);
  await sql`insert into sales_rollups ${rollupCols}
    select a.id, d.month, d.category, d.currency, d.revenue_minor, d.cost_minor, d.costed_revenue_minor, d.quantity, d.lines
    from imp_delta d join imp_acc a on a.i = d.acc where d.lines <> 0
    order by a.id, d.month, d.category, d.currency
    on conflict (account_id, month, category, currency) do update set revenue_minor = sales_rollups.revenue_minor + excluded.revenue_minor,
      cost_minor = sales_rollups.cost_minor + excluded.cost_minor, costed_revenue_minor = sales_rollups.costed_revenue_minor + excluded.costed_revenue_minor,
      quantity = sales_rollups.quantity + excluded.quantity, lines = sales_rollups.lines + excluded.lines`.execute(k);
  trace('rollups added', t);
  await sql`insert into sales_account_months ${monthCols}
    select a.id, d.month, d.currency, sum(d.revenue_minor), sum(d.cost_minor), sum(d.costed_revenue_minor), sum(d.quantity), sum(d.lines)
    from imp_delta d join imp_acc a on a.i = d.acc where d.lines <> 0
    group by a.id, d.month, d.currency
    on conflict (account_id, month, currency) do update set revenue_minor = sales_account_months.revenue_minor + excluded.revenue_minor,
      cost_minor = sales_account_months.cost_minor + excluded.cost_minor, costed_revenue_minor = sales_account_months.costed_revenue_minor + excluded.costed_revenue_minor,
      quantity = sales_account_months.quantity + excluded.quantity, lines = sales_account_months.lines + excluded.lines`.execute(k);
}

const rollupSelect = sql`sl.account_id, substr(sl.date, 1, 7), p.category, sl.currency, sum(sl.net_amount_minor), coalesce(sum(sl.cost_amount_minor), 0),
  sum(case when sl.cost_amount_minor is null then 0 else sl.net_amount_minor end), sum(sl.quantity), count(*)`;
const rollupCols = sql`(account_id, month, category, currency, revenue_minor, cost_minor, costed_revenue_minor, quantity, lines)`;
const monthCols = sql`(account_id, month, currency, revenue_minor, cost_minor, costed_revenue_minor, quantity, lines)`;
const monthSelect = sql`r.account_id, r.month, r.currency, sum(r.revenue_minor), sum(r.cost_minor), sum(r.costed_revenue_minor), sum(r.quantity), sum(r.lines)`;

/**
 * Recomputes the rollups of the account-months listed in imp_affected from sales_lines. A few
 * account-months: index range reads per account-month; many (a bulk import): one scan of
 * sales_lines, which is far cheaper than thousands of range reads.
 */
async function recomputeAffected(k: Q): Promise<void> {
  const n = await count(k, sql`imp_affected`);
  if (n === 0) return;
  await sql`delete from sales_rollups where exists (select 1 from imp_affected a where a.account_id = sales_rollups.account_id and a.month = sales_rollups.month)`.execute(k);
  await sql`delete from sales_account_months where exists (select 1 from imp_affected a where a.account_id = sales_account_months.account_id and a.month = sales_account_months.month)`.execute(k);
  if (n <= 2000) {
    await sql`insert into sales_rollups ${rollupCols}
      select ${rollupSelect}
      from imp_affected a
        join sales_lines sl on sl.account_id = a.account_id and sl.date >= a.month || '-01' and sl.date <= a.month || '-31'
        join products p on p.id = sl.product_id
      group by sl.account_id, substr(sl.date, 1, 7), p.category, sl.currency`.execute(k);
  } else {
    await sql`insert into sales_rollups ${rollupCols}
      select ${rollupSelect}
      from sales_lines sl join products p on p.id = sl.product_id
      where exists (select 1 from imp_affected a where a.account_id = sl.account_id and a.month = substr(sl.date, 1, 7))
      group by sl.account_id, substr(sl.date, 1, 7), p.category, sl.currency`.execute(k);
  }
  await sql`insert into sales_account_months ${monthCols}
    select ${monthSelect} from imp_affected a join sales_rollups r on r.account_id = a.account_id and r.month = a.month
    group by r.account_id, r.month, r.currency`.execute(k);
}

export type AccountMonth = { accountId: string; month: string };

/**
 * Recomputes the rollups of a few account-months (an edit, a deletion), in the caller's transaction.
 * Rollups not yet known to be complete are built whole first (completeRollups): recomputing a few
 * account-months of partial rollups would leave them partial and, once not empty, trusted.
 */
export async function recomputeRollups(k: Q, pairs: AccountMonth[]): Promise<void> {
  if (await completeRollups(k)) return;
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
    await k.deleteFrom('sales_account_months').where('account_id', '=', p.accountId).where('month', '=', p.month).execute();
    await sql`insert into sales_account_months ${monthCols}
      select ${monthSelect} from sales_rollups r where r.account_id = ${p.accountId} and r.month = ${p.month}
      group by r.account_id, r.month, r.currency`.execute(k);
  }
}

/** The account-months that hold lines of these products (their category changed). */
export async function accountMonthsOfProducts(k: Q, productIds: string[]): Promise<AccountMonth[]> {
  if (!productIds.length) return [];
  const rows = await k.selectFrom('sales_lines').select(['account_id', sql<string>`substr(date, 1, 7)`.as('month')]).distinct()
    .where('product_id', 'in', productIds).execute();
  return rows.map((r) => ({ accountId: r.account_id, month: r.month }));
}

/**
 * Makes the rollups complete in the caller's transaction: unless sales_rollup_state says they are,
 * rebuilds them all from sales_lines and says so (true: rebuilt). Every incremental change to the
 * rollups (an edit, a deletion, a recategorisation, an import's totals) needs it first: adding to
 * partial rollups leaves them wrong for good. The state row goes in before the rebuild, so on
 * PostgreSQL a second transaction doing the same waits for this one and then finds it (two
 * rebuilds never interleave); an import holding it makes a reader wait (see ensureRollups).
 */
export async function completeRollups(k: Q): Promise<boolean> {
  const r = await sql`insert into sales_rollup_state (id) values (1) on conflict do nothing`.execute(k);
  if (Number(r.numAffectedRows ?? 0n) === 0) return false;
  await rebuildAllRollups(k);
  return true;
}

/** Whether the rollups are known to hold every sales line (a one-row read). */
export const rollupsComplete = async (k: Q): Promise<boolean> => !!(await k.selectFrom('sales_rollup_state').select('id').executeTakeFirst());

/**
 * Builds every rollup from sales_lines and records them as complete, in the caller's transaction
 * (for lines written by other means: the demo world).
 */
export async function buildAllRollups(k: Q): Promise<void> {
  await rebuildAllRollups(k);
  await sql`insert into sales_rollup_state (id) values (1) on conflict do nothing`.execute(k);
}

async function rebuildAllRollups(k: Q): Promise<void> {
  await k.deleteFrom('sales_rollups').execute();
  await sql`insert into sales_rollups ${rollupCols}
    select ${rollupSelect} from sales_lines sl join products p on p.id = sl.product_id
    group by sl.account_id, substr(sl.date, 1, 7), p.category, sl.currency`.execute(k);
  await rebuildAccountMonths(k);
}

/** Rebuilds the account-month totals from the rollups. */
export async function rebuildAccountMonths(k: Q): Promise<void> {
  await k.deleteFrom('sales_account_months').execute();
  await sql`insert into sales_account_months ${monthCols} select ${monthSelect} from sales_rollups r group by r.account_id, r.month, r.currency`.execute(k);
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

export type SalesLineRow = Selectable<Database['sales_lines']> & { account_code: string; sku: string };

const lineBase = (k: Q, scope: Expression<SqlBool>) => k.selectFrom('sales_lines')
  .innerJoin('accounts', 'accounts.id', 'sales_lines.account_id').innerJoin('products', 'products.id', 'sales_lines.product_id')
  .selectAll('sales_lines').select(['accounts.code as account_code', 'products.sku']).where(scope);

export async function listLines(k: Q, scope: Expression<SqlBool>, f: { accountId?: string; from?: string; to?: string; docNo?: string; limit: number; after?: [string, number] }): Promise<SalesLineRow[]> {
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

export const findLine = (k: Q, scope: Expression<SqlBool>, id: number) => lineBase(k, scope).where('sales_lines.id', '=', id).executeTakeFirst();

export async function updateLine(k: Q, id: number, updatedAt: string, patch: Updateable<Database['sales_lines']>): Promise<boolean> {
  const r = await k.updateTable('sales_lines').set(patch).where('id', '=', id).where('updated_at', '=', updatedAt).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function deleteLine(k: Q, id: number): Promise<void> {
  await k.deleteFrom('sales_lines').where('id', '=', id).execute();
}

// ---------------------------------------------------------------- reads: one product of an account (competition)

/** One account's quantity and net revenue of a product per month (YYYY-MM) over dates [from, to), months with sales only. */
export async function productMonths(k: Q, scope: Expression<SqlBool>, accountId: string, productId: string, from: string, to: string, currency: string) {
  const month = sql<string>`substr(sales_lines.date, 1, 7)`;
  const rows = await k.selectFrom('sales_lines')
    .select([month.as('month'), (eb) => eb.fn.sum<number>('quantity').as('quantity'), (eb) => eb.fn.sum<number>('net_amount_minor').as('net')])
    .where('account_id', '=', accountId).where('product_id', '=', productId).where('currency', '=', currency)
    .where('date', '>=', from).where('date', '<', to).where(scope)
    .groupBy(month).orderBy(month).execute();
  return rows.map((r) => ({ month: r.month, quantity: Number(r.quantity), netMinor: Number(r.net) }));
}

/** One account's net revenue over dates [from, to) in a currency: all products, and one product with its quantity. */
export async function revenueInWindow(k: Q, scope: Expression<SqlBool>, accountId: string, productId: string, from: string, to: string, currency: string) {
  const r = await k.selectFrom('sales_lines')
    .select([
      (eb) => eb.fn.sum<number>('net_amount_minor').as('net'),
      sql<number>`sum(case when product_id = ${productId} then net_amount_minor else 0 end)`.as('productNet'),
      sql<number>`sum(case when product_id = ${productId} then quantity else 0 end)`.as('productQuantity'),
    ])
    .where('account_id', '=', accountId).where('currency', '=', currency).where('date', '>=', from).where('date', '<', to).where(scope)
    .executeTakeFirst();
  return { accountNetMinor: Number(r?.net ?? 0), productNetMinor: Number(r?.productNet ?? 0), productQuantity: Number(r?.productQuantity ?? 0) };
}
