/**
 * The keys a file import has seen so far, in a temporary table on the import's connection, so a
 * file of millions of rows keeps its keys in the database rather than in memory. Each importer
 * names its own table (a lower-case identifier). On PostgreSQL the table is dropped at commit.
 */
import { type Kysely, sql, type Transaction } from 'kysely';
import type { Dialect } from './database.js';
import type { Database } from './schema.js';

type Q = Kysely<Database> | Transaction<Database>;
const CHUNK = 500;

function tableOf(name: string) {
  if (!/^[a-z_]+$/.test(name)) throw new Error(`Not a table name: ${name}`);
  return sql.raw(name);
}

/** An empty table of seen keys. */
export async function createSeen(k: Q, dialect: Dialect, name: string): Promise<void> {
  const t = tableOf(name);
  if (dialect === 'postgres') await sql`create temp table ${t} (key text primary key, line integer not null) on commit drop`.execute(k);
  else {
    await sql`create temp table if not exists ${t} (key text primary key, line integer not null)`.execute(k);
    await sql`delete from ${t}`.execute(k);
  }
}

export async function dropSeen(k: Q, dialect: Dialect, name: string): Promise<void> {
  if (dialect === 'sqlite') await sql`drop table if exists temp.${tableOf(name)}`.execute(k);
}

/** The first line of each key already seen in the file. */
export async function seenLines(k: Q, name: string, keys: string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (let i = 0; i < keys.length; i += CHUNK) {
    const slice = keys.slice(i, i + CHUNK);
    const rows = await sql<{ key: string; line: number }>`select key, line from ${tableOf(name)} where key in (${sql.join(slice)})`.execute(k);
    for (const r of rows.rows) out.set(r.key, Number(r.line));
  }
  return out;
}

/** Records keys with the line they were first seen on. */
export async function addSeen(k: Q, name: string, rows: [key: string, line: number][]): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) {
    const slice = rows.slice(i, i + CHUNK);
    await sql`insert into ${tableOf(name)} (key, line) values ${sql.join(slice.map(([key, line]) => sql`(${key}, ${line})`))}`.execute(k);
  }
}
