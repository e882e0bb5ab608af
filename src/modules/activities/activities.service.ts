import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { Ctx } from '../../server/context.js';
import { newId } from '../../shared/ids.js';
import { recordAudit } from '../audit/audit.service.js';

/** What a program visit records as the account's activity (kind "visit"). */
export type VisitActivity = {
  visitId: string;
  accountId: string;
  startsAt: string;
  durationMinutes: number;
  /** The site visited, or the account when the visit has no site. */
  subject: string;
  notes: string | null;
};

/**
 * Records a program visit as the account's activity, or brings the one it has up to date: one
 * activity per visit, written in the visit's own transaction. The check-in creates it (the visit
 * happened: the last contact, the activity counts and the time spent on the account see it), the
 * check-out and later outcome edits complete it. Its author is whoever checked in.
 *
 * The visit stays the one source of truth: the activity cannot be edited or deleted by itself
 * (see `activitySpec.locked`), and the account timeline shows the visit's own event instead.
 */
export async function recordVisitActivity(trx: Transaction<Database>, ctx: Ctx, a: VisitActivity, action: string): Promise<string> {
  const now = ctx.clock.now().toISOString();
  const before = await trx.selectFrom('activities').selectAll().where('visit_id', '=', a.visitId).executeTakeFirst();
  const fields = { starts_at: a.startsAt, duration_minutes: Math.max(0, Math.min(24 * 60, a.durationMinutes)), subject: a.subject.slice(0, 200), notes: a.notes };
  const after = { visitId: a.visitId, startsAt: fields.starts_at, durationMinutes: fields.duration_minutes, subject: fields.subject, notes: fields.notes };
  if (before) {
    await trx.updateTable('activities').set({ ...fields, updated_at: now, version: before.version + 1 }).where('id', '=', before.id).execute();
    await recordAudit(trx, ctx, { action, entity: 'activity', entityId: before.id, accountId: a.accountId, after });
    return before.id;
  }
  const id = newId();
  await trx.insertInto('activities').values({
    id, account_id: a.accountId, user_id: ctx.actor.userId, kind: 'visit', ...fields, visit_id: a.visitId, created_at: now, updated_at: now, version: 1,
  }).execute();
  await recordAudit(trx, ctx, { action, entity: 'activity', entityId: id, accountId: a.accountId, after });
  return id;
}
