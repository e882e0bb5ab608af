/**
 * VMI's background job (decision 034): sent orders past their expiry become expired and their
 * sender is told, even when nobody opens them. Reads answer the same without it (expiry is also
 * applied when drafts are read or signed); the job only makes the status and the notice timely.
 */
import type { Deps } from '../../server/context.js';
import { expireDrafts } from './vmi.service.js';

export const EXPIRE_JOB = 'vmi.expire';
const EVERY_MINUTES = 15;

export async function registerVmiJobs(deps: Deps): Promise<void> {
  await deps.jobs.register(EXPIRE_JOB, async () => { await expireDrafts({ ...deps, requestId: `job:${EXPIRE_JOB}` }); });
  await deps.jobs.every(EXPIRE_JOB, EVERY_MINUTES);
}
