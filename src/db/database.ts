import { mkdirSync } from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { type DatabaseConnection, type Dialect as KyselyDialect, type Driver, Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import pino from 'pino';
import type { Database } from './schema.js';
import { classifyStorageFailure } from './storage-errors.js';

export type Dialect = 'sqlite' | 'postgres';

export type Db = {
  kysely: Kysely<Database>;
  dialect: Dialect;
  /** The raw better-sqlite3 handle (SQLite only): online backup, integrity checks. */
  sqlite?: SQLite.Database;
  /** The SQLite file (SQLite only; `:memory:` in some tests): readiness checks the disk under it. */
  file?: string;
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

/** Where the database reports connections it lost outside any query (pino's shape). */
export type DatabaseLog = { warn(obj: object, msg: string): void };

/**
 * Kysely rolls a failed transaction back, and when that rollback fails too it throws the rollback's
 * error in place of the one that caused it ("cannot rollback - no transaction is active" instead of
 * SQLITE_FULL). Here the rollback is skipped when the database already ended the transaction, and
 * its failure swallowed when the connection is gone (the server rolls back a transaction whose
 * connection closes), so the error reported and mapped is the first one.
 */
function keepingTheFirstError(dialect: KyselyDialect, rollback: { alreadyEnded?: () => boolean }): KyselyDialect {
  return {
    createAdapter: () => dialect.createAdapter(),
    createQueryCompiler: () => dialect.createQueryCompiler(),
    createIntrospector: (db) => dialect.createIntrospector(db),
    createDriver: (): Driver => {
      const driver = dialect.createDriver();
      const rollbackTransaction = async (connection: DatabaseConnection) => {
        if (rollback.alreadyEnded?.()) return;
        try {
          await driver.rollbackTransaction(connection);
        } catch (err) {
          // Kysely's PostgreSQL driver has marked the connection for discard before rethrowing.
          if (classifyStorageFailure(err)?.reason === 'unreachable') return;
          throw err;
        }
      };
      return new Proxy(driver, {
        get: (target, prop) => {
          if (prop === 'rollbackTransaction') return rollbackTransaction;
          const value = Reflect.get(target, prop, target) as unknown;
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
    },
  };
}

// How long a request waits for a connection (a free one from the pool, or a new one): bounded, so
// that a database that does not answer (a network partition drops packets) fails the request with
// 503 instead of holding it for the operating system's TCP timeout.
const CONNECT_TIMEOUT_MS = 10_000;

/** Opens SQLite (WAL, foreign keys, busy timeout, full sync) or PostgreSQL. */
export function openDatabase(opts: DatabaseOptions, log?: DatabaseLog): Db {
  if (opts.kind === 'sqlite') {
    if (opts.file !== ':memory:') mkdirSync(path.dirname(opts.file), { recursive: true });
    const sqlite = new SQLite(opts.file);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    // FULL: a write answered 2xx survives a crash of the process and of the machine.
    sqlite.pragma('synchronous = FULL');
    // On SQLITE_FULL, SQLITE_IOERR, SQLITE_BUSY and SQLITE_NOMEM SQLite may roll the transaction back itself.
    const dialect = keepingTheFirstError(new SqliteDialect({ database: sqlite }), { alreadyEnded: () => !sqlite.inTransaction });
    const kysely = new Kysely<Database>({ dialect });
    return { kysely, dialect: 'sqlite', sqlite, file: opts.file, destroy: () => kysely.destroy() };
  }
  const pool = new pg.Pool({
    connectionString: opts.url,
    max: opts.max ?? 10,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    // What pg_stat_activity shows; an application_name in DATABASE_URL wins.
    application_name: 'openkam',
    ...(opts.searchPath ? { options: `-c search_path=${opts.searchPath}` } : {}),
  });
  // PostgreSQL ends connections on restart, failover or pg_terminate_backend. node-postgres reports
  // that as an 'error' event on the client, which the pool forwards for idle clients; an event
  // without a listener kills the process. The client's own listener covers a client checked out
  // between two queries of a transaction too; the pool drops a broken client and connects anew on
  // the next query, and the query that was running fails (answered 503).
  pool.on('error', () => undefined); // logged by the client's listener below
  pool.on('connect', (client) => {
    client.on('error', (err) => {
      const failure = classifyStorageFailure(err);
      // Without the server's logger (the command line, tests), a logger of its own, made when needed.
      log ??= pino({ level: 'warn' });
      log.warn({ err, reason: failure?.reason }, `database connection lost: ${failure?.cause ?? err.message}`);
    });
  });
  const kysely = new Kysely<Database>({ dialect: keepingTheFirstError(new PostgresDialect({ pool }), {}) });
  return { kysely, dialect: 'postgres', pool, ...(opts.searchPath ? { schema: opts.searchPath } : {}), destroy: () => kysely.destroy() };
}

/** The database the configuration names: PostgreSQL when DATABASE_URL is set, else the SQLite file. */
export function openConfiguredDatabase(config: { databaseUrl: string | undefined; sqliteFile: string }, log?: DatabaseLog): Db {
  return config.databaseUrl ? openDatabase({ kind: 'postgres', url: config.databaseUrl }, log) : openDatabase({ kind: 'sqlite', file: config.sqliteFile }, log);
}
