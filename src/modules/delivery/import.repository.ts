/**
 * SQL of the shipment file import: its jobs (rows of import_jobs of kind 'shipments', beside the
 * sales imports'), and the two ways its rows are written (decision 028), both inside the import's
 * one transaction:
 * - direct: while every key is new, rows go straight into order_lines and shipments (prepared
 *   multi-row inserts on SQLite, unnest() on PostgreSQL, `on conflict do nothing` so a key that
 *   exists shows as a row not inserted);
 * - staged: every valid row into a temporary table, then duplicates, lines of accounts the importer
 *   may not see, the counts and the writes, each as one statement over the whole file.
 * The problems found go to a temporary table too, read back in line order for the error file.
 */
import type SQLite from 'better-sqlite3';
import { type Expression, type Kysely, type RawBuilder, type SqlBool, sql, type Transaction } from 'kysely';
import { byKeys } from '../../db/lookups.js';
import type { Dialect } from '../../db/database.js';
import type { Database } from '../../db/schema.js';
import type { OrderLinesTable } from './delivery.table.js';

type Q = Kysely<Database> | Transaction<Database>;
export type JobRow = Database['import_jobs'];
export const KIND = 'shipments';

/** A shipment import the caller may see: their own, or any (`ownerId` null: admins). */
export function findJob(q: Q, id: string, ownerId: string | null): Promise<JobRow | undefined> {
  let s = q.selectFrom('import_jobs').selectAll().where('id', '=', id).where('kind', '=', KIND);
  if (ownerId) s = s.where('created_by', '=', ownerId);
  return s.executeTakeFirst();
}

export function listJobs(q: Q, ownerId: string | null, limit: number): Promise<JobRow[]> {
  let s = q.selectFrom('import_jobs').selectAll().where('kind', '=', KIND).orderBy('id', 'desc').limit(limit);
  if (ownerId) s = s.where('created_by', '=', ownerId);
  return s.execute();
}

/** Code → id of every account the condition lets the importer see (thousands at most). */
export async function visibleAccounts(q: Q, visible: Expression<SqlBool>): Promise<Map<string, string>> {
  const rows = await q.selectFrom('accounts').select(['id', 'code']).where(visible).execute();
  return new Map(rows.map((r) => [r.code, r.id]));
}

// ---------------------------------------------------------------- the rows of one import

/**
 * One valid row of the file, in the columns of the staging table (`stageCols`): its physical line,
 * account id, a fresh id for its line should the line be new, the line's key and values, then (all
 * null for a row without delivery data) a fresh id for its shipment, the shipment's key and values.
 */
export type StagedRow = [
  srcLine: number, accountId: string, lineId: string, lineKey: string, orderNo: string, lineNo: string | null, item: string | null, quantity: number | null,
  unit: string | null, valueMinor: number | null, currency: string | null, orderedDate: string | null, requestedDate: string | null, promisedDate: string | null,
  status: string, cancelledDate: string | null, laneCode: string | null,
  shipmentId: string | null, shipmentKey: string | null, shipmentNo: string | null, shippedDate: string | null, deliveredDate: string | null, shippedQty: number | null,
  mode: string | null, carrier: string | null, weightGrams: number | null, weightNote: string | null, freightMinor: number | null, freightCurrency: string | null, freightNote: string | null,
];
export const R = { line: 0, acc: 1, lineId: 2, lineKey: 3, promised: 13, shipmentId: 17, shipmentKey: 18 } as const;

/** A problem of a row: line, order within the line, column, value, reason. */
export type StagedError = [line: number, seq: number, column: string, value: string, reason: string];
/** The order of the problems found set-wise, after a row's own (which number from 0). */
export const DUPLICATE_SEQ = 2_000_000_000;
export const FOREIGN_SEQ = 2_000_000_001;

const stageCols = ['src_line', 'acc', 'lid', 'line_key', 'order_no', 'line_no', 'item', 'quantity', 'unit', 'value_minor', 'currency', 'ordered_date', 'requested_date',
  'promised_date', 'status', 'cancelled_date', 'lane_code', 'sid', 'ship_key', 'shipment_no', 'shipped_date', 'delivered_date', 'ship_qty', 'mode', 'carrier',
  'weight_grams', 'weight_note', 'freight_minor', 'freight_currency', 'freight_note'] as const;
const pgTypes = ['int4', 'text', 'text', 'text', 'text', 'text', 'text', 'int8', 'text', 'int8', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'text',
  'text', 'text', 'int8', 'text', 'text', 'int8', 'text', 'int8', 'text', 'text'];

/** The values of a line and of a shipment as written, by the staged row's positions. */
const lineOf = [2, 1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16] as const;
const lineCols = 'id, account_id, source_key, order_no, line_no, item, quantity, unit, value_minor, currency, ordered_date, requested_date, promised_date, status, cancelled_date, lane_code';
const lineTail = 'product_id, planned_mode, extra_json, import_job_id, created_at, updated_at, version';
// The shipment's order line comes from the caller (-1), its lane is the line's.
const shipOf = [17, -1, 1, 18, 19, 20, 21, 22, 23, 24, 16, 25, 26, 27, 28, 29] as const;
const shipCols = 'id, order_line_id, account_id, source_key, shipment_no, shipped_date, delivered_date, quantity, mode, carrier, lane_code, weight_grams, weight_note, freight_minor, freight_currency, freight_note';
const shipTail = 'import_job_id, created_at, updated_at, version';

/**
 * The import's temporary tables, empty: rows (staged reads only), problems, and the lines and
 * shipments the staged rows come to. On SQLite in the connection's temp database (no lock on the
 * main one while loading), on PostgreSQL dropped at the end of the transaction.
 */
export async function createStaging(k: Q, dialect: Dialect): Promise<void> {
  const tail = dialect === 'postgres' ? sql` on commit drop` : sql``;
  await dropStaging(k);
  const t = (name: string) => (['src_line', 'quantity', 'value_minor', 'ship_qty', 'weight_grams', 'freight_minor'].includes(name) ? (name === 'src_line' ? 'integer primary key' : 'bigint') : 'text');
  const notNull = new Set(['acc', 'lid', 'line_key', 'order_no', 'status']);
  await sql`create temporary table dimp_stage (${sql.raw(stageCols.map((c) => `${c} ${t(c)}${notNull.has(c) ? ' not null' : ''}`).join(', '))})${tail}`.execute(k);
  await sql`create temporary table dimp_err (line integer not null, seq integer not null, col text not null, value text not null, reason text not null, primary key (line, seq))${tail}`.execute(k);
  await sql`create temporary table dimp_line (line_key text primary key, last_line integer not null, n integer not null, id text not null, st integer not null,
    old_version integer, old_acc text, old_promised text)${tail}`.execute(k);
  await sql`create temporary table dimp_ship (src_line integer primary key, line_key text not null, st integer not null, id text not null, order_line_id text not null,
    old_version integer)${tail}`.execute(k);
}

export async function dropStaging(k: Q): Promise<void> {
  for (const t of ['dimp_stage', 'dimp_err', 'dimp_line', 'dimp_ship']) await sql`drop table if exists ${sql.raw(t)}`.execute(k);
}

/** Loads batches of rows and of problems into the temporary tables. */
export type Stager = { rows(rows: StagedRow[]): Promise<void>; errors(rows: StagedError[]): Promise<void> };

/** Columns for unnest(): one array per column of `rows`, at the positions given. */
const columns = (rows: readonly (readonly unknown[])[], width: number) => Array.from({ length: width }, (_, j) => rows.map((r) => r[j] ?? null));

export function stagerFor(k: Q, dialect: Dialect, raw: SQLite.Database | null): Stager {
  if (dialect === 'sqlite' && raw) {
    const per = 30;
    const w = stageCols.length;
    const tuple = `(${Array(w).fill('?').join(',')})`;
    const many = raw.prepare(`insert into temp.dimp_stage (${stageCols.join(', ')}) values ${Array(per).fill(tuple).join(',')}`);
    const one = raw.prepare(`insert into temp.dimp_stage (${stageCols.join(', ')}) values ${tuple}`);
    const err = raw.prepare('insert into temp.dimp_err (line, seq, col, value, reason) values (?, ?, ?, ?, ?)');
    const params: unknown[] = new Array(per * w);
    return {
      async rows(rows) {
        let i = 0;
        for (; i + per <= rows.length; i += per) {
          let p = 0;
          for (let r = i; r < i + per; r++) { const row = rows[r]!; for (let c = 0; c < w; c++) params[p++] = row[c]; }
          many.run(params);
        }
        for (; i < rows.length; i++) one.run(rows[i]!);
      },
      async errors(rows) { for (const r of rows) err.run(r); },
    };
  }
  return {
    async rows(rows) {
      for (let i = 0; i < rows.length; i += 5000) {
        const cols = columns(rows.slice(i, i + 5000), stageCols.length);
        await sql`insert into dimp_stage (${sql.raw(stageCols.join(', '))}) select * from unnest(${sql.join(cols.map((c, j) => sql`${c}::${sql.raw(pgTypes[j]!)}[]`))})`.execute(k);
      }
    },
    async errors(rows) {
      for (let i = 0; i < rows.length; i += 5000) {
        const [a, b, c, d, e] = columns(rows.slice(i, i + 5000), 5);
        await sql`insert into dimp_err (line, seq, col, value, reason) select * from unnest(${a}::int4[], ${b}::int4[], ${c}::text[], ${d}::text[], ${e}::text[])`.execute(k);
      }
    },
  };
}

export async function errorCount(k: Q): Promise<{ problems: number; rows: number }> {
  const r = await sql<{ n: number; m: number }>`select count(*) as n, count(distinct case when seq >= ${DUPLICATE_SEQ} then line end) as m from dimp_err`.execute(k);
  return { problems: Number(r.rows[0]?.n ?? 0), rows: Number(r.rows[0]?.m ?? 0) };
}

/** The problems in line order, a page at a time (keyset on line, seq). */
export async function errorPage(k: Q, after: [number, number], limit: number): Promise<StagedError[]> {
  const r = await sql<{ line: number; seq: number; col: string; value: string; reason: string }>`select line, seq, col, value, reason from dimp_err
    where line > ${after[0]} or (line = ${after[0]} and seq > ${after[1]}) order by line, seq limit ${limit}`.execute(k);
  return r.rows.map((x) => [Number(x.line), Number(x.seq), x.col, x.value, x.reason]);
}

// ---------------------------------------------------------------- direct writes

/** Writes rows straight into order_lines and shipments; each call says how many went in (a key that exists does not). */
export type DirectWriter = {
  lines(rows: StagedRow[]): Promise<number>;
  /** Rows with a shipment, each with the id of its order line. */
  shipments(rows: StagedRow[], lineIds: string[]): Promise<number>;
};

export function directWriter(k: Q, dialect: Dialect, raw: SQLite.Database | null, jobId: string, now: string): DirectWriter {
  if (dialect === 'sqlite' && raw) {
    // 40 rows per statement (640 parameters): the constant columns are written into the statement.
    const per = 40;
    const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;
    const q = `(${Array(16).fill('?').join(',')}`;
    const lineTuple = `${q},null,null,null,${lit(jobId)},${lit(now)},${lit(now)},1)`;
    const shipTuple = `${q},${lit(jobId)},${lit(now)},${lit(now)},1)`;
    const stmt = (table: string, cols: string, tail: string, tuple: string, n: number) =>
      raw.prepare(`insert into main.${table} (${cols}, ${tail}) values ${Array(n).fill(tuple).join(',')} on conflict (source_key) do nothing`);
    const lineMany = stmt('order_lines', lineCols, lineTail, lineTuple, per), lineOne = stmt('order_lines', lineCols, lineTail, lineTuple, 1);
    const shipMany = stmt('shipments', shipCols, shipTail, shipTuple, per), shipOne = stmt('shipments', shipCols, shipTail, shipTuple, 1);
    const params: unknown[] = new Array(per * 16);
    const single: unknown[] = new Array(16);
    const write = (rows: StagedRow[], pick: readonly number[], many: SQLite.Statement, one: SQLite.Statement, extra?: string[]): number => {
      let n = 0;
      let i = 0;
      for (; i + per <= rows.length; i += per) {
        let p = 0;
        for (let r = i; r < i + per; r++) { const row = rows[r]!; for (const c of pick) params[p++] = c < 0 ? extra![r] : row[c]; }
        n += many.run(params).changes;
      }
      for (; i < rows.length; i++) {
        const row = rows[i]!;
        pick.forEach((c, j) => { single[j] = c < 0 ? extra![i] : row[c]; });
        n += one.run(single).changes;
      }
      return n;
    };
    return {
      async lines(rows) { return write(rows, lineOf, lineMany, lineOne); },
      async shipments(rows, lineIds) { return write(rows, shipOf, shipMany, shipOne, lineIds); },
    };
  }
  const unnest = async (table: string, cols: string, tail: RawBuilder<unknown>, arrays: unknown[][], types: string[]): Promise<number> => {
    const r = await sql`insert into ${sql.table(table)} (${sql.raw(cols)}, ${sql.raw(table === 'order_lines' ? lineTail : shipTail)})
      select *, ${tail} from unnest(${sql.join(arrays.map((a, j) => sql`${a}::${sql.raw(types[j]!)}[]`))}) on conflict (source_key) do nothing`.execute(k);
    return Number(r.numAffectedRows ?? 0n);
  };
  const lineTypes = lineOf.map((c) => pgTypes[c]!);
  const shipTypes = shipOf.map((c) => (c < 0 ? 'text' : pgTypes[c]!));
  return {
    async lines(rows) {
      let n = 0;
      for (let i = 0; i < rows.length; i += 5000) {
        const slice = rows.slice(i, i + 5000);
        n += await unnest('order_lines', lineCols, sql`cast(null as text), cast(null as text), cast(null as text), cast(${jobId} as text), cast(${now} as text), cast(${now} as text), 1`,
          lineOf.map((c) => slice.map((r) => r[c] ?? null)), lineTypes);
      }
      return n;
    },
    async shipments(rows, lineIds) {
      let n = 0;
      for (let i = 0; i < rows.length; i += 5000) {
        const slice = rows.slice(i, i + 5000);
        n += await unnest('shipments', shipCols, sql`cast(${jobId} as text), cast(${now} as text), cast(${now} as text), 1`, shipOf.map((c) => slice.map((r, j) => (c < 0 ? lineIds[i + j]! : (r as unknown[])[c] ?? null))), shipTypes);
      }
      return n;
    },
  };
}

/** Stored order lines by key (the rows a direct insert did not write). */
export const linesByKey = (q: Q, keys: string[]): Promise<Map<string, OrderLinesTable>> =>
  byKeys(keys, (slice) => q.selectFrom('order_lines').selectAll().where('source_key', 'in', slice).execute(), (r) => r.source_key);

/** The number of stored order lines (to tell a bulk load from a top-up). */
export async function orderLineCount(k: Q): Promise<number> {
  return Number((await sql<{ n: number }>`select count(*) as n from order_lines`.execute(k)).rows[0]?.n ?? 0);
}

/** A statement that puts back an index dropped for a bulk load. */
export type Rebuild = { name: string; sql: string };

/**
 * Drops the secondary indexes of order_lines and shipments for a bulk load, inside the import's
 * transaction (a failed import rolls the drop back): one sorted build at the end beats millions of
 * entries put in at random places. The unique keys stay: they tell a new row from a stored one.
 */
export async function dropForBulk(k: Q, dialect: Dialect): Promise<Rebuild[]> {
  const rebuild: Rebuild[] = [];
  if (dialect === 'sqlite') {
    const r = await sql<{ name: string; sql: string }>`select name, sql from sqlite_master where type = 'index' and tbl_name in ('order_lines', 'shipments')
      and sql is not null and upper(sql) not like 'CREATE UNIQUE%' order by name`.execute(k);
    for (const ix of r.rows) { rebuild.push(ix); await sql`drop index ${sql.ref(ix.name)}`.execute(k); }
    return rebuild;
  }
  const ixs = await sql<{ name: string; def: string }>`select i.relname as name, pg_get_indexdef(i.oid) as def from pg_index x join pg_class i on i.oid = x.indexrelid
    where x.indrelid in ('order_lines'::regclass, 'shipments'::regclass) and not x.indisunique and not x.indisprimary
      and not exists (select 1 from pg_constraint c where c.conindid = i.oid) order by i.relname`.execute(k);
  for (const ix of ixs.rows) { await sql`drop index ${sql.ref(ix.name)}`.execute(k); rebuild.push({ name: ix.name, sql: ix.def }); }
  return rebuild;
}

export async function rebuildIndexes(k: Q, dialect: Dialect, rebuild: Rebuild[]): Promise<void> {
  if (!rebuild.length) return;
  if (dialect === 'postgres') await sql`set local maintenance_work_mem = '256MB'`.execute(k);
  for (const r of rebuild) await sql.raw(r.sql).execute(k);
}

// ---------------------------------------------------------------- the staged merge

type Col = readonly [stored: string, staged: string, kind: 't' | 'n'];
const lineCmp: Col[] = [['account_id', 'acc', 't'], ['order_no', 'order_no', 't'], ['line_no', 'line_no', 't'], ['item', 'item', 't'], ['quantity', 'quantity', 'n'],
  ['unit', 'unit', 't'], ['value_minor', 'value_minor', 'n'], ['currency', 'currency', 't'], ['ordered_date', 'ordered_date', 't'], ['requested_date', 'requested_date', 't'],
  ['promised_date', 'promised_date', 't'], ['status', 'status', 't'], ['cancelled_date', 'cancelled_date', 't'], ['lane_code', 'lane_code', 't']];
const shipCmp: Col[] = [['account_id', 'acc', 't'], ['shipment_no', 'shipment_no', 't'], ['shipped_date', 'shipped_date', 't'], ['delivered_date', 'delivered_date', 't'],
  ['quantity', 'ship_qty', 'n'], ['mode', 'mode', 't'], ['carrier', 'carrier', 't'], ['lane_code', 'lane_code', 't'], ['weight_grams', 'weight_grams', 'n'],
  ['weight_note', 'weight_note', 't'], ['freight_minor', 'freight_minor', 'n'], ['freight_currency', 'freight_currency', 't'], ['freight_note', 'freight_note', 't']];

/** Whether a stored value differs from the file's: a missing text is the empty text (as an edit form sends it). */
const differ = (a: string, b: string, kind: 't' | 'n') => (kind === 't' ? `coalesce(${a}, '') <> coalesce(${b}, '')` : `${a} is distinct from ${b}`);
const differs = (cols: Col[], stored: (c: Col) => string, staged: (c: Col) => string) => sql.raw(`(${cols.map((c) => differ(stored(c), staged(c), c[2])).join(' or ')})`);

export type StagedEnv = { dialect: Dialect; jobId: string; now: string; keyColumn: string; visible: (column: string) => Expression<SqlBool> };

/** Sorts the staged rows by line (an index: the lines are grouped and joined by it), with statistics on PostgreSQL. */
export async function indexStaging(k: Q, dialect: Dialect): Promise<number> {
  await sql`create index dimp_stage_line on dimp_stage (line_key, src_line)`.execute(k);
  if (dialect === 'postgres') {
    await sql`set local work_mem = '64MB'`.execute(k);
    await sql`analyze dimp_stage`.execute(k);
  }
  return Number((await sql<{ n: number }>`select count(*) as n from dimp_stage`.execute(k)).rows[0]?.n ?? 0);
}

/**
 * Each line of the file once: its last row (whose values the line takes), its rows, its id (the
 * stored one, else a fresh one) and its state against the stored line: 1 new, 2 changed, 0 the
 * same. Returns the number of lines (fewer than rows: some lines come on several rows).
 */
export async function stageLines(k: Q, env: StagedEnv): Promise<number> {
  const r = await sql`insert into dimp_line (line_key, last_line, n, id, st, old_version, old_acc, old_promised)
    select g.line_key, g.last_line, g.n, coalesce(ol.id, s.lid),
      case when ol.id is null then 1 when ${differs(lineCmp, (c) => `ol.${c[0]}`, (c) => `s.${c[1]}`)} then 2 else 0 end,
      ol.version, ol.account_id, ol.promised_date
    from (select line_key, max(src_line) as last_line, count(*) as n from dimp_stage group by line_key) g
      join dimp_stage s on s.src_line = g.last_line
      left join order_lines ol on ol.source_key = g.line_key
    order by g.line_key`.execute(k);
  if (env.dialect === 'postgres') await sql`analyze dimp_line`.execute(k);
  return Number(r.numAffectedRows ?? 0n);
}

/**
 * Problems only the whole file shows: a key a second time (reported on each later row, naming the
 * first; only possible when some line comes on several rows), and rows whose line is stored on an
 * account the importer may not see. Returns how many rows were found bad.
 */
export async function flagWholeFileProblems(k: Q, env: StagedEnv, repeatedLines: boolean): Promise<number> {
  let n = 0;
  if (repeatedLines) {
    const r = await sql`insert into dimp_err (line, seq, col, value, reason)
      select s.src_line, ${DUPLICATE_SEQ}, ${env.keyColumn}, coalesce(s.ship_key, s.line_key),
        'the same line' || case when s.ship_key is null then '' else ' and shipment' end || ' as line ' || cast(f.first_line as text) || ' of this file'
      from dimp_stage s join (select coalesce(ship_key, line_key) as k, min(src_line) as first_line from dimp_stage group by coalesce(ship_key, line_key) having count(*) > 1) f
        on f.k = coalesce(s.ship_key, s.line_key)
      where s.src_line > f.first_line`.execute(k);
    n += Number(r.numAffectedRows ?? 0n);
  }
  const r = await sql`insert into dimp_err (line, seq, col, value, reason)
    select s.src_line, ${FOREIGN_SEQ}, '', s.line_key, 'this line is stored on an account you may not see'
    from dimp_line l join dimp_stage s on s.line_key = l.line_key
    where l.st <> 1 and not (${env.visible('l.old_acc')})`.execute(k);
  return n + Number(r.numAffectedRows ?? 0n);
}

/** Each staged shipment: its state against the stored one (1 new, 2 changed, 0 the same), its id and its line's. */
export async function stageShipments(k: Q, env: StagedEnv): Promise<void> {
  await sql`insert into dimp_ship (src_line, line_key, st, id, order_line_id, old_version)
    select s.src_line, s.line_key,
      case when ss.id is null then 1 when ss.order_line_id <> l.id or ${differs(shipCmp, (c) => `ss.${c[0]}`, (c) => `s.${c[1]}`)} then 2 else 0 end,
      coalesce(ss.id, s.sid), l.id, ss.version
    from dimp_stage s join dimp_line l on l.line_key = s.line_key left join shipments ss on ss.source_key = s.ship_key
    where s.ship_key is not null`.execute(k);
  if (env.dialect === 'postgres') await sql`analyze dimp_ship`.execute(k);
}

export type AccountCounts = { accountId: string; inserted: number; updated: number; rows: number };

/**
 * What each row did, summed per account, before anything is written: inserted (its line or shipment
 * new), updated (its line differs from what the row before it left, the stored line for the first
 * row of a line, or its shipment differs), else unchanged. When lines come on several rows the
 * row before is found by a window over the line's rows in file order.
 */
export async function rowOutcomes(k: Q, repeatedLines: boolean): Promise<AccountCounts[]> {
  const ship = sql`coalesce(sh.st, 0)`;
  const rows = repeatedLines
    ? sql`select w.acc, case when (w.rn = 1 and l.st = 1) or ${ship} = 1 then 2
          when ${sql.raw(`(${lineCmp.map((c) => `case when w.rn = 1 then ${differ(`ol.${c[0]}`, `w.${c[1]}`, c[2])} else ${differ(`w.p_${c[1]}`, `w.${c[1]}`, c[2])} end`).join(' or ')})`)}
            or ${ship} = 2 then 1 else 0 end as o
        from (select s.*, row_number() over w as rn, ${sql.raw(lineCmp.map((c) => `lag(s.${c[1]}) over w as p_${c[1]}`).join(', '))}
          from dimp_stage s window w as (partition by s.line_key order by s.src_line)) w
          join dimp_line l on l.line_key = w.line_key
          left join order_lines ol on ol.id = l.id
          left join dimp_ship sh on sh.src_line = w.src_line`
    : sql`select s.acc, case when l.st = 1 or ${ship} = 1 then 2 when l.st = 2 or ${ship} = 2 then 1 else 0 end as o
        from dimp_line l join dimp_stage s on s.src_line = l.last_line left join dimp_ship sh on sh.src_line = l.last_line`;
  const r = await sql<{ acc: string; ins: number; upd: number; n: number }>`select x.acc, sum(case when x.o = 2 then 1 else 0 end) as ins,
      sum(case when x.o = 1 then 1 else 0 end) as upd, count(*) as n
    from (${rows}) x group by x.acc`.execute(k);
  return r.rows.map((x) => ({ accountId: x.acc, inserted: Number(x.ins), updated: Number(x.upd), rows: Number(x.n) }));
}

/**
 * The (account, month of promise) pairs whose OTIF cells the merge changes: where each changed or
 * new line is now, where each changed line was, and the lines of changed or new shipments.
 */
export async function changedMonths(k: Q): Promise<{ accountId: string; month: string }[]> {
  const r = await sql<{ account_id: string; month: string }>`select account_id, month from (
      select s.acc as account_id, substr(s.promised_date, 1, 7) as month from dimp_line l join dimp_stage s on s.src_line = l.last_line where l.st <> 0
      union select l.old_acc, substr(l.old_promised, 1, 7) from dimp_line l where l.st = 2
      union select s.acc, substr(s.promised_date, 1, 7) from dimp_ship sh join dimp_line l on l.line_key = sh.line_key join dimp_stage s on s.src_line = l.last_line where sh.st <> 0
    ) t where month is not null`.execute(k);
  return r.rows.map((x) => ({ accountId: x.account_id, month: x.month }));
}

/** Writes the merge: changed lines updated, new lines inserted (each with its last row's values), then the same for shipments. */
export async function writeStaged(k: Q, env: StagedEnv): Promise<void> {
  const lineSet = sql.raw(lineCmp.map((c) => `${c[0]} = s.${c[1]}`).join(', '));
  await sql`update order_lines set ${lineSet}, import_job_id = ${env.jobId}, updated_at = ${env.now}, version = order_lines.version + 1
    from dimp_line l join dimp_stage s on s.src_line = l.last_line where l.st = 2 and order_lines.id = l.id`.execute(k);
  await sql`insert into order_lines (${sql.raw(lineCols)}, ${sql.raw(lineTail)})
    select l.id, s.acc, l.line_key, s.order_no, s.line_no, s.item, s.quantity, s.unit, s.value_minor, s.currency, s.ordered_date, s.requested_date, s.promised_date,
      s.status, s.cancelled_date, s.lane_code, cast(null as text), cast(null as text), cast(null as text), cast(${env.jobId} as text), cast(${env.now} as text), cast(${env.now} as text), 1
    from dimp_line l join dimp_stage s on s.src_line = l.last_line where l.st = 1 order by l.id`.execute(k);
  const shipSet = sql.raw(shipCmp.map((c) => `${c[0]} = s.${c[1]}`).join(', '));
  await sql`update shipments set order_line_id = sh.order_line_id, ${shipSet}, import_job_id = ${env.jobId}, updated_at = ${env.now}, version = shipments.version + 1
    from dimp_ship sh join dimp_stage s on s.src_line = sh.src_line where sh.st = 2 and shipments.id = sh.id`.execute(k);
  await sql`insert into shipments (${sql.raw(shipCols)}, ${sql.raw(shipTail)})
    select sh.id, sh.order_line_id, s.acc, s.ship_key, s.shipment_no, s.shipped_date, s.delivered_date, s.ship_qty, s.mode, s.carrier, s.lane_code, s.weight_grams,
      s.weight_note, s.freight_minor, s.freight_currency, s.freight_note, cast(${env.jobId} as text), cast(${env.now} as text), cast(${env.now} as text), 1
    from dimp_ship sh join dimp_stage s on s.src_line = sh.src_line where sh.st = 1 order by sh.src_line`.execute(k);
}

/** The months of promise (YYYY-MM) in which each of these accounts has order lines (one read of the account index). */
export async function monthsWithLines(k: Q, accountIds: string[]): Promise<Map<string, Set<string>>> {
  const out = new Map<string, Set<string>>();
  for (let i = 0; i < accountIds.length; i += 500) {
    const r = await sql<{ account_id: string; month: string }>`select account_id, substr(promised_date, 1, 7) as month from order_lines
      where account_id in (${sql.join(accountIds.slice(i, i + 500))}) and promised_date is not null group by account_id, substr(promised_date, 1, 7)`.execute(k);
    for (const x of r.rows) {
      let s = out.get(x.account_id);
      if (!s) { s = new Set(); out.set(x.account_id, s); }
      s.add(x.month);
    }
  }
  return out;
}
