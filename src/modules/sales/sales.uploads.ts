/**
 * The life of an uploaded file. It is kept while its import may still run (uploaded, cancelled, a
 * dry run) and removed as soon as the job reaches an end: failed (the reason stays on the job, the
 * error file too) or imported. An upload left longer than the configured age is removed by the
 * cleanup job, and its job marked: expired when it was never run. Only files inside the uploads
 * folder are ever removed: an import run from the command line reads the operator's own file.
 */
import { readdir, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../../server/config.js';
import type { Deps } from '../../server/context.js';
import type { Clock } from '../../shared/clock.js';
import { systemActor } from '../auth/auth.domain.js';
import { recordAudit } from '../audit/audit.service.js';
import { liveJob } from './sales.jobs.js';
import * as repo from './sales.repository.js';

export const SWEEP_JOB = 'sales.sweep-uploads';

/** Where uploads are stored (with the error files of their imports). */
export const uploadsDir = (config: Pick<Config, 'dataDir'>): string => path.join(config.dataDir, 'uploads');

const inside = (dir: string, file: string) => {
  const rel = path.relative(dir, file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
};

/**
 * Removes a job's uploaded file, if it lies in the uploads folder, and records when (with `patch`,
 * e.g. its final state). A file already gone is fine: the removal is what is recorded.
 */
export async function removeUpload(k: repo.Q, clock: Clock, job: { id: string; file_path: string }, dir: string, patch: Partial<repo.JobRow> = {}): Promise<boolean> {
  if (!inside(dir, job.file_path)) return false;
  await unlink(job.file_path).catch((e: NodeJS.ErrnoException) => { if (e.code !== 'ENOENT') throw e; });
  const at = clock.now().toISOString();
  await repo.updateJob(k, job.id, { file_removed_at: at, updated_at: at, ...patch });
  return true;
}

/**
 * The cleanup job: removes the uploads older than `uploadMaxAgeHours` that are still kept, and marks
 * their jobs (audited, by the system); and files of the uploads folder that no job knows (a request
 * that died while its file was written) once they are as old. A job running in this process is left
 * alone, and so is one marked running that moved within the age (another server process's).
 */
export async function sweepUploads(deps: Pick<Deps, 'db' | 'clock' | 'config'>): Promise<{ removed: number }> {
  const { db, clock, config } = deps;
  const hours = config.uploadMaxAgeHours;
  const cutoff = new Date(clock.now().getTime() - hours * 3600_000);
  const dir = uploadsDir(config);
  const ctx = { clock, requestId: `job:${SWEEP_JOB}`, actor: systemActor(SWEEP_JOB) };
  let removed = 0;
  for (const job of await repo.jobsKeepingFiles(db.kysely, cutoff.toISOString())) {
    const busy = job.status === 'running' || job.status === 'queued';
    if (liveJob(job.id) || (busy && job.updated_at > cutoff.toISOString()) || !inside(dir, job.file_path)) continue;
    const patch: Partial<repo.JobRow> = job.status === 'uploaded' ? { status: 'expired', message: `Not run within ${hours} hours of its upload; the file was removed` }
      : busy ? { status: 'failed', message: 'Interrupted (the server stopped); nothing was imported; the file was removed', error_code: 'internal', finished_at: clock.now().toISOString() } : {};
    await db.kysely.transaction().execute(async (trx) => {
      await removeUpload(trx, clock, job, dir, patch);
      await recordAudit(trx, ctx, {
        action: 'expire', entity: 'import_job', entityId: job.id,
        before: { status: job.status, file: job.file_name }, after: { status: patch.status ?? job.status, fileRemoved: true },
      });
    });
    removed++;
  }
  const files = await readdir(dir).catch(() => [] as string[]);
  const uploads = files.filter((f) => f.endsWith('.upload'));
  const known = await repo.jobIdsAmong(db.kysely, uploads.map((f) => f.slice(0, -'.upload'.length)));
  for (const f of uploads) {
    if (known.has(f.slice(0, -'.upload'.length))) continue;
    const file = path.join(dir, f);
    const s = await stat(file).catch(() => null);
    if (s && s.mtime < cutoff) { await unlink(file).catch(() => undefined); removed++; }
  }
  return { removed };
}
