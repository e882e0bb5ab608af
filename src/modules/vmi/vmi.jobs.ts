/**
 * VMI's background jobs (decisions 034, 037):
 * - `vmi.expire`: sent orders past their expiry become expired and their sender is told, even when
 *   nobody opens them. Reads answer the same without it (expiry is also applied when drafts are
 *   read or signed); the job only makes the status and the notice timely.
 * - `vmi.draft-due`: the week's suggested orders, drafted on each account's visit day
 *   (draftDueOrders); hourly, so a server started late in the day still drafts, and idempotent.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { Deps } from '../../server/context.js';
import { systemActor } from '../auth/auth.domain.js';
import { draftDueOrders, expireDrafts } from './vmi.service.js';

export const EXPIRE_JOB = 'vmi.expire';
export const DRAFT_DUE_JOB = 'vmi.draft-due';
const EXPIRE_EVERY_MINUTES = 15;
const DRAFT_EVERY_MINUTES = 60;

export async function registerVmiJobs(deps: Deps, log: FastifyBaseLogger): Promise<void> {
  await deps.jobs.register(EXPIRE_JOB, async () => { await expireDrafts({ ...deps, requestId: `job:${EXPIRE_JOB}` }); });
  await deps.jobs.every(EXPIRE_JOB, EXPIRE_EVERY_MINUTES);
  await deps.jobs.register(DRAFT_DUE_JOB, async () => {
    const r = await draftDueOrders({ ...deps, actor: systemActor(DRAFT_DUE_JOB), requestId: `job:${DRAFT_DUE_JOB}` });
    for (const f of r.failed) log.warn({ accountId: f.accountId, err: f.message }, 'VMI: the week\'s order could not be drafted');
  });
  await deps.jobs.every(DRAFT_DUE_JOB, DRAFT_EVERY_MINUTES);
}
