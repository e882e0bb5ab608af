import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { accountRecordRoutes, type AccountRecordSpec } from '../../server/account-records.js';
import type { Deps } from '../../server/context.js';
import { activitiesContribution } from './activities.contributions.js';
import { Activity, ActivityKind, CreateActivityBody, UpdateActivityBody } from './activities.contract.js';

type Body = Partial<z.infer<typeof CreateActivityBody>>;

export const activitySpec: AccountRecordSpec<Activity, z.infer<typeof CreateActivityBody>, z.infer<typeof UpdateActivityBody>> = {
  table: 'activities', entity: 'activity', label: 'Activity', path: '/api/v1/activities', tag: 'activities',
  readPolicy: 'activity:read', writePolicy: 'activity:write',
  item: Activity, createBody: CreateActivityBody, updateBody: UpdateActivityBody,
  filters: {
    kind: ActivityKind.optional(),
    userId: z.string().uuid().optional(),
    from: z.iso.datetime().optional(),
    to: z.iso.datetime().optional(),
  },
  applyFilters: (q, f) => {
    if (f.kind) q = q.where('activities.kind', '=', f.kind);
    if (f.userId) q = q.where('activities.user_id', '=', f.userId);
    if (f.from) q = q.where('activities.starts_at', '>=', new Date(f.from as string).toISOString());
    if (f.to) q = q.where('activities.starts_at', '<', new Date(f.to as string).toISOString());
    return q;
  },
  sorts: { startsAt: 'activities.starts_at' },
  defaultSort: '-startsAt',
  searchColumns: ['subject', 'notes'],
  toItem: (r) => ({
    id: r.id, accountId: r.account_id, userId: r.user_id as string, kind: r.kind as Activity['kind'], startsAt: r.starts_at as string,
    durationMinutes: r.duration_minutes as number, subject: r.subject as string, notes: r.notes as string | null, visitId: (r.visit_id as string | null) ?? null,
    createdAt: r.created_at as string, updatedAt: r.updated_at as string, version: r.version,
  }),
  // An activity is its author's record of what they did: others may read it, only the author
  // (or a director or admin, who correct their teams' records) may change or delete it.
  mayModify: (ctx, row) => row.user_id === ctx.actor.userId || ctx.actor.role === 'director' || ctx.actor.role === 'admin',
  // A program visit's activity follows its visit (check-in, check-out, outcome): changed there, or the two would disagree.
  locked: (row) => (row.visit_id ? 'This activity records a program visit; change its outcome on the visit (Visit plan tab), not here' : null),
  // The author of an activity is whoever records it.
  toRow: (b: Body, ctx) => {
    const row: Record<string, unknown> = {};
    if ('accountId' in b) row.user_id = ctx.actor.userId;
    if (b.kind !== undefined) row.kind = b.kind;
    if (b.startsAt !== undefined) row.starts_at = b.startsAt;
    if (b.durationMinutes !== undefined) row.duration_minutes = b.durationMinutes;
    if (b.subject !== undefined) row.subject = b.subject;
    if (b.notes !== undefined) row.notes = b.notes;
    return row;
  },
};

export async function activitiesRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  deps.contributions.add(activitiesContribution);
  await accountRecordRoutes(app, deps, activitySpec);
}
