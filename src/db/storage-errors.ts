/**
 * Why the database (or the disk under it) cannot serve a request right now, as opposed to a bug or a
 * bad request: the server answers these 503 and reports not ready, instead of 500.
 */
export type StorageFailureReason = 'unreachable' | 'read_only' | 'storage_full' | 'io_error' | 'cannot_open';

/** A classified failure: the reason clients get, and the database's own words for the log. */
export type StorageFailure = { reason: StorageFailureReason; cause: string };

// SQLSTATEs (PostgreSQL appendix A) by class or exact code.
const pgCodes: [RegExp, StorageFailureReason][] = [
  [/^57P0[123]$/, 'unreachable'], // admin_shutdown (pg_terminate_backend, restart), crash_shutdown, cannot_connect_now
  [/^08/, 'unreachable'], // connection exceptions
  [/^53300$/, 'unreachable'], // too_many_connections
  [/^25006$/, 'read_only'], // read_only_sql_transaction: a hot standby after a failover, or a read-only role
  [/^53100$/, 'storage_full'], // disk_full
  [/^58030$/, 'io_error'],
];

const sqliteCodes: [RegExp, StorageFailureReason][] = [
  [/^SQLITE_READONLY/, 'read_only'],
  [/^SQLITE_FULL$/, 'storage_full'],
  [/^SQLITE_IOERR/, 'io_error'],
  [/^SQLITE_CANTOPEN/, 'cannot_open'],
];

// Errors of the socket or the file system, as Node names them.
const systemCodes: Record<string, StorageFailureReason> = {
  ECONNREFUSED: 'unreachable', ECONNRESET: 'unreachable', ETIMEDOUT: 'unreachable', EPIPE: 'unreachable',
  EHOSTUNREACH: 'unreachable', ENETUNREACH: 'unreachable', ENOTFOUND: 'unreachable', EAI_AGAIN: 'unreachable',
  EACCES: 'read_only', EPERM: 'read_only', EROFS: 'read_only', ENOSPC: 'storage_full', EDQUOT: 'storage_full', EIO: 'io_error',
};

// node-postgres and Kysely say these without a code.
const messages: [RegExp, StorageFailureReason][] = [
  [/^Connection terminated/, 'unreachable'],
  [/timeout exceeded when trying to connect/, 'unreachable'],
  [/Client has encountered a connection error and is not queryable/, 'unreachable'],
  [/^Postgres connection has been discarded/, 'unreachable'],
];

function classifyOne(err: object, system: boolean): StorageFailure | null {
  const { code, message = '' } = err as { code?: unknown; message?: string };
  const cause = typeof code === 'string' ? `${code}: ${message}` : message;
  if (typeof code === 'string') {
    const table = /^[0-9A-Z]{5}$/.test(code) ? pgCodes : code.startsWith('SQLITE_') ? sqliteCodes : [];
    for (const [re, reason] of table) if (re.test(code)) return { reason, cause };
    if (system && systemCodes[code]) return { reason: systemCodes[code], cause };
  }
  for (const [re, reason] of messages) if (re.test(message)) return { reason, cause };
  return null;
}

/**
 * Classifies an error as a storage failure; null for anything else. Socket and file-system codes
 * count on the error itself (node-postgres throws them as they are) and on the parts of an
 * aggregate (a host name with several addresses fails once per address), but not further down a
 * `cause` chain: there they are some other client's, e.g. fetch's "fetch failed" over ECONNREFUSED.
 */
export function classifyStorageFailure(err: unknown): StorageFailure | null {
  const walk = (e: unknown, system: boolean, depth: number): StorageFailure | null => {
    if (depth > 5 || !e || typeof e !== 'object') return null;
    const own = classifyOne(e, system);
    if (own) return own;
    const { cause, errors } = e as { cause?: unknown; errors?: unknown };
    for (const part of Array.isArray(errors) ? errors : []) {
      const found = walk(part, system, depth + 1);
      if (found) return found;
    }
    return walk(cause, false, depth + 1);
  };
  return walk(err, true, 0);
}

/** What a client is told, per reason (the database's own words go to the log only). */
export const storageFailureDetail: Record<StorageFailureReason, string> = {
  unreachable: 'The database cannot be reached right now; try again shortly',
  read_only: 'The database is read-only right now; changes cannot be saved',
  storage_full: 'The database storage is full; changes cannot be saved',
  io_error: 'The database storage reported an I/O error',
  cannot_open: 'The database file cannot be opened',
};
