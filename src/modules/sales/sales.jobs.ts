/**
 * Import jobs run in the server process, in the background, one at a time per database (SQLite
 * has one writer; on PostgreSQL it keeps a large import from competing with itself). Live progress
 * is kept here and written to the job row as the file is read, when the database allows it.
 */
import type { Db } from '../../db/database.js';
import { AppError } from '../../server/errors.js';
import { type EngineCtx, type ImportOutcome, type ImportSpec, jobPatch, type Progress, runImport } from './sales.import.js';
import * as repo from './sales.repository.js';
import { removeUpload } from './sales.uploads.js';

type Running = { db: Db; controller: AbortController; progress: Progress | null; done: Promise<ImportOutcome | null> };

const running = new Map<string, Running>();
const queues = new WeakMap<Db, Promise<unknown>>();

/**
 * Whether progress is written to the job row while the import runs: on PostgreSQL only. On SQLite
 * the import holds the write lock, so a progress write would wait for it (blocking the event loop);
 * this process serves live progress from memory instead (liveJob).
 */
const progressAside = (db: Db) => db.dialect === 'postgres';

/**
 * Queues the import; returns at once. `onError` is told of unexpected failures (logged by the caller).
 * A job that ends failed or imported has its uploaded file (in `uploadsDir`) removed: it will not run
 * again. A cancelled job and a dry run keep it, to be run again (until the cleanup job's age).
 */
export function startJob<S extends Pick<ImportSpec, 'jobId' | 'file' | 'dryRun'> = ImportSpec>(
  ctx: EngineCtx, spec: S, onError: (e: unknown) => void, uploadsDir: string,
  // The engine that runs the job: the sales import's by default; another module's import (delivery) brings its own.
  run: (ctx: EngineCtx, spec: S, signal: AbortSignal, onProgress: (p: Progress) => void | Promise<void>) => Promise<ImportOutcome> = runImport as never,
): void {
  const controller = new AbortController();
  const entry: Running = { db: ctx.db, controller, progress: null, done: Promise.resolve(null) };
  running.set(spec.jobId, entry);
  const prev = queues.get(ctx.db) ?? Promise.resolve();
  entry.done = prev.then(async () => {
    const db = ctx.db;
    if (controller.signal.aborted) {
      const o: ImportOutcome = { status: 'cancelled', dryRun: spec.dryRun, processedLines: 0, inserted: 0, updated: 0, unchanged: 0, skipped: 0, errorCount: 0, errorsPath: null, message: 'Cancelled before it started' };
      await repo.updateJob(db.kysely, spec.jobId, jobPatch(ctx, o));
      return o;
    }
    const started = ctx.clock.now().toISOString();
    await repo.updateJob(db.kysely, spec.jobId, { status: 'running', started_at: started, updated_at: started });
    let lastWrite = 0;
    let writing: Promise<void> = Promise.resolve();
    let outcome: ImportOutcome;
    try {
      outcome = await run(ctx, spec, controller.signal, (p) => {
        entry.progress = p;
        const t = Date.now();
        if (progressAside(db) && p.phase === 'reading' && t - lastWrite > 500) {
          lastWrite = t;
          // updated_at moves too: the cleanup job leaves a job alone that another process is running.
          writing = writing.then(() => repo.updateJob(db.kysely, spec.jobId, { processed_lines: p.processedLines, processed_bytes: p.processedBytes, updated_at: ctx.clock.now().toISOString() })).catch(() => undefined);
        }
      });
    } catch (e) {
      // The reader's refusals (a limit, a damaged file) are the file's fault, said as they are; anything else is ours.
      const refused = e instanceof AppError;
      if (!refused) onError(e);
      outcome = { status: 'failed', dryRun: spec.dryRun, processedLines: entry.progress?.processedLines ?? 0, inserted: 0, updated: 0, unchanged: 0, skipped: 0, errorCount: 0, errorsPath: null, message: refused ? e.message : 'The import failed unexpectedly; nothing was imported' };
      await writing;
      await repo.updateJob(db.kysely, spec.jobId, { ...jobPatch(ctx, outcome), error_code: refused ? e.code : 'internal' }).catch(() => undefined);
    } finally {
      await writing;
      running.delete(spec.jobId);
    }
    if (outcome.status === 'failed' || (outcome.status === 'succeeded' && !outcome.dryRun)) {
      await removeUpload(db.kysely, ctx.clock, { id: spec.jobId, file_path: spec.file }, uploadsDir).catch(onError);
    }
    return outcome;
  });
  queues.set(ctx.db, entry.done.catch(() => undefined));
}

/** The live state of a job running (or queued) in this process. */
export const liveJob = (id: string): { progress: Progress | null } | undefined => running.get(id);

/** Asks a running or queued job to stop; it rolls back and ends as cancelled. */
export function cancelJob(id: string): boolean {
  const r = running.get(id);
  if (!r) return false;
  r.controller.abort();
  return true;
}

/** Resolves when the job has finished (immediately when it is not running here). */
export async function waitForJob(id: string): Promise<ImportOutcome | null> {
  return running.get(id)?.done ?? null;
}

/** Cancels every job on this database and waits for them (server shutdown). */
export async function stopAll(db: Db): Promise<void> {
  const mine = [...running.values()].filter((r) => r.db === db);
  for (const r of mine) r.controller.abort();
  await Promise.all(mine.map((r) => r.done.catch(() => undefined)));
}
