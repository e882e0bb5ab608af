import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { type Contribution, timelineBefore } from '../../platform/contributions.js';
import type { TimelineEvent } from '../../platform/contributions.contract.js';
import { accountVisibleTo, allows } from '../../server/policy.js';

const PREFIX = 'activity:';

/**
 * Calls, meetings, visits and events people logged, on the account timeline. An activity recorded
 * by a program visit's check-in is left out for those who read the visit program: the visits
 * module shows that visit as its own event (with its punctuality), so it appears once. Others
 * (logistics) see it here, as the activity it is.
 */
export const activitiesContribution: Contribution = {
  module: 'activities',
  timeline: {
    permission: 'activity:read',
    kinds: ['activity'],
    async list(ctx, accountId, q) {
      const db = ctx.db.kysely as Kysely<Database>;
      let query = db.selectFrom('activities')
        .leftJoin('users', 'users.id', 'activities.user_id')
        .select(['activities.id', 'activities.starts_at', 'activities.kind', 'activities.subject', 'activities.notes', 'activities.duration_minutes', 'activities.user_id', 'users.name as user_name'])
        .where('activities.account_id', '=', accountId)
        .where(accountVisibleTo(ctx.actor, 'activities.account_id'))
        .where(timelineBefore(PREFIX, 'activities.starts_at', 'activities.id', q.before));
      if (q.userId) query = query.where('activities.user_id', '=', q.userId);
      if (allows(ctx.actor.role, 'visit:read')) query = query.where('activities.visit_id', 'is', null);
      const rows = await query.orderBy('activities.starts_at', 'desc').orderBy('activities.id', 'desc').limit(q.limit).execute();
      return rows.map((r): TimelineEvent => ({
        id: `${PREFIX}${r.id}`, at: r.starts_at, kind: 'activity', module: 'activities', accountId,
        actor: r.user_name ? { id: r.user_id, name: r.user_name } : null,
        titleKey: `timeline.activity.${r.kind}`, params: { subject: r.subject, minutes: r.duration_minutes },
        body: r.notes, link: { tab: 'activity' },
      }));
    },
  },
};
