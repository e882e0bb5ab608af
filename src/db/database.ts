import { mkdirSync } from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.js';

export type Dialect = 'sqlite' | 'postgres';

export type Db = {
  kysely: Kysely<Database>;
  dialect: Dialect;
  /** The raw better-sqlite3 handle (SQLite only): online backup, integrity checks. */
  sqlite?: SQLite.Database;
  /** PostgreSQL schema when not the default search path (tests run each in their own). */
  schema?: string;
  /** The pg pool (PostgreSQL only): for COPY streams and other work Kysely does not express. */
  pool?: pg.Pool;
  destroy(): Promise<void>;
};

// int8 (COUNT, SUM, bigint money) as JS numbers: minor units stay far below 2^53.
pg.types.setTypeParser(20, (v) => Number(v));
pg.types.setTypeParser(1700, (v) => Number(v));

export type DatabaseOptions =
  | { kind: 'sqlite'; file: string }
  | { kind: 'postgres'; url: string; searchPath?: string; max?: number };

/** Opens SQLite (WAL, foreign keys, busy timeout, full sync) or PostgreSQL. */
export function openDatabase(opts: DatabaseOptions): Db {
  if (opts.kind === 'sqlite') {
    if (opts.file !== ':memory:') mkdirSync(path.dirname(opts.file), { recursive: true });
    const sqlite = new SQLite(opts.file);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    // FULL: a write answered 2xx survives a crash of the process and of the machine.
    sqlite.pragma('synchronous = FULL');
    const kysely = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
    return { kysely, dialect: 'sqlite', sqlite, destroy: () => kysely.destroy() };
  }
  const pool = new pg.Pool({
    connectionString: opts.url,
    max: opts.max ?? 10,
    ...(opts.searchPath ? { options: `-c search_path=${opts.searchPath}` } : {}),
  });
  const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { kysely, dialect: 'postgres', pool, ...(opts.searchPath ? { schema: opts.searchPath } : {}), destroy: () => kysely.destroy() };
}

/** The database the configuration names: PostgreSQL when DATABASE_URL is set, else the SQLite file. */
export function openConfiguredDatabase(config: { databaseUrl: string | undefined; sqliteFile: string }): Db {
  return config.databaseUrl ? openDatabase({ kind: 'postgres', url: config.databaseUrl }) : openDatabase({ kind: 'sqlite', file: config.sqliteFile });
}
