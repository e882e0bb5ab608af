/**
 * SQL of the shipment file import: its jobs (rows of import_jobs of kind 'shipments', beside the
 * sales imports'), the keys seen so far in the file (a temporary table, so a 5-million-row file's
 * keys live in the database, not in memory), and order lines and shipments written many rows per
 * statement.
 */
import { type Expression, type Kysely, type SqlBool, sql, type Transaction } from 'kysely';
import type { Dialect } from '../../db/database.js';
import type { Database } from '../../db/schema.js';
import type { OrderLinesTable, ShipmentsTable } from './delivery.table.js';

type Q = Kysely<Database> | Transaction<Database>;
export type JobRow = Database['import_jobs'];
export const KIND = 'shipments';
const CHUNK = 500;

export const insertJob = (q: Q, row: JobRow) => q.insertInto('import_jobs').values(row).execute();

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

/** The table of keys seen in the file, empty, on the import's connection (dropped at commit on PostgreSQL). */
export async function createSeen(k: Q, dialect: Dialect): Promise<void> {
  if (dialect === 'postgres') await sql`create temp table dimp_seen (key text primary key, line integer not null) on commit drop`.execute(k);
  else {
    await sql`create temp table if not exists dimp_seen (key text primary key, line integer not null)`.execute(k);
    await sql`delete from dimp_seen`.execute(k);
  }
}

export async function dropSeen(k: Q, dialect: Dialect): Promise<void> {
  if (dialect === 'sqlite') await sql`drop table if exists temp.dimp_seen`.execute(k);
}

/** The first line of each key already seen in the file. */
export async function seenLines(k: Q, keys: string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (let i = 0; i < keys.length; i += CHUNK) {
    const slice = keys.slice(i, i + CHUNK);
    const rows = await sql<{ key: string; line: number }>`select key, line from dimp_seen where key in (${sql.join(slice)})`.execute(k);
    for (const r of rows.rows) out.set(r.key, Number(r.line));
  }
  return out;
}

export async function addSeen(k: Q, rows: [key: string, line: number][]): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) {
    const slice = rows.slice(i, i + CHUNK);
    await sql`insert into dimp_seen (key, line) values ${sql.join(slice.map(([key, line]) => sql`(${key}, ${line})`))}`.execute(k);
  }
}

// Rows per insert: within SQLite's and PostgreSQL's limits on parameters (23 and 21 columns).
const ROWS_PER_INSERT = 40;

export async function insertOrderLines(k: Q, rows: OrderLinesTable[]): Promise<void> {
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) await k.insertInto('order_lines').values(rows.slice(i, i + ROWS_PER_INSERT)).execute();
}

export async function insertShipments(k: Q, rows: ShipmentsTable[]): Promise<void> {
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) await k.insertInto('shipments').values(rows.slice(i, i + ROWS_PER_INSERT)).execute();
}
