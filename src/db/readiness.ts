import { statfsSync } from 'node:fs';
import path from 'node:path';
import type { Db } from './database.js';
import { classifyStorageFailure, storageFailureDetail, type StorageFailureReason } from './storage-errors.js';

export type ReadinessProbeTable = { id: string; checked_at: string };

export type Readiness =
  | { ready: true }
  | { ready: false; reason: StorageFailureReason | 'timeout' | 'error'; detail: string; cause: string };

const notReady = (reason: Exclude<Readiness, { ready: true }>['reason'], detail: string, cause: string): Readiness => ({ ready: false, reason, detail, cause });

function fromError(err: unknown): Readiness {
  const failure = classifyStorageFailure(err);
  if (failure) return notReady(failure.reason, storageFailureDetail[failure.reason], failure.cause);
  const message = err instanceof Error ? err.message : String(err);
  return notReady('error', 'The database check failed', message);
}

/**
 * Rewrites the one probe row. A read (`select 1`) passes on a read-only file, a hot standby or a
 * database that refuses writes; this goes through the write path every change takes. Not audited:
 * it changes no business data, and probes come every few seconds.
 */
export async function probeWrite(db: Db, now: string): Promise<Readiness> {
  try {
    await db.kysely.insertInto('readiness_probe').values({ id: 'readyz', checked_at: now })
      .onConflict((oc) => oc.column('id').doUpdateSet({ checked_at: now })).execute();
    return { ready: true };
  } catch (err) {
    return fromError(err);
  }
}

/**
 * Room to write, SQLite only (PostgreSQL's disk is the database server's; a full one fails the probe
 * write with 53100): free space on the disk under the file, and the page limit. The probe row is
 * rewritten in place, so it needs no new page and would pass on a database that has none left.
 */
function checkRoom(db: Db, minFreeBytes: number): Readiness {
  if (db.dialect !== 'sqlite' || !db.sqlite || !db.file || db.file === ':memory:') return { ready: true };
  const dir = path.dirname(db.file);
  try {
    const fs = statfsSync(dir);
    const free = fs.bavail * fs.bsize;
    if (free < minFreeBytes) {
      const mb = (n: number) => Math.floor(n / 1024 ** 2);
      return notReady('storage_full', `The disk under the database has ${mb(free)} MB free, less than the ${mb(minFreeBytes)} MB required (OPENKAM_READY_MIN_FREE_MB)`, `${mb(free)} MB free in ${dir}`);
    }
  } catch (err) {
    return fromError(err);
  }
  const pages = db.sqlite.pragma('page_count', { simple: true }) as number;
  const maxPages = db.sqlite.pragma('max_page_count', { simple: true }) as number;
  const freePages = db.sqlite.pragma('freelist_count', { simple: true }) as number;
  if (pages >= maxPages && freePages === 0) {
    return notReady('storage_full', storageFailureDetail.storage_full, `SQLITE_FULL: ${pages} pages, max_page_count ${maxPages}, none free`);
  }
  return { ready: true };
}

/** Whether the database takes writes now; the reason when it does not. Bounded by `timeoutMs`. */
export async function checkReadiness(db: Db, opts: { now: string; minFreeBytes: number; timeoutMs?: number }): Promise<Readiness> {
  const room = checkRoom(db, opts.minFreeBytes);
  if (!room.ready) return room;
  const timeoutMs = opts.timeoutMs ?? 3000;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Readiness>((resolve) => {
    timer = setTimeout(() => resolve(notReady('timeout', 'The database did not answer in time', `no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([probeWrite(db, opts.now), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
