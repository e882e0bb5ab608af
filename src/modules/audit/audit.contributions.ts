import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { type Contribution, timelineBefore } from '../../platform/contributions.js';
import type { TimelineEvent } from '../../platform/contributions.contract.js';
import { accountVisibleTo } from '../../server/policy.js';

const PREFIX = 'history:';

/** Who changed what on the account and its records, from the audit log, on the account timeline. */
export const auditContribution: Contribution = {
  module: 'audit',
  timeline: {
    permission: 'activity:read',
    kinds: ['history'],
    async list(ctx, accountId, q) {
      const db = ctx.db.kysely as Kysely<Database>;
      let query = db.selectFrom('audit_log')
        .select(['id', 'at', 'actor_id', 'actor_label', 'action', 'entity', 'entity_id'])
        .where('account_id', '=', accountId)
        .where(accountVisibleTo(ctx.actor, 'audit_log.account_id'))
        .where(timelineBefore(PREFIX, 'audit_log.at', 'audit_log.id', q.before));
      if (q.userId) query = query.where('actor_id', '=', q.userId);
      const claimed = ctx.contributions.claimedAuditActions();
      if (claimed.length) query = query.where('action', 'not in', claimed);
      const rows = await query.orderBy('at', 'desc').orderBy('id', 'desc').limit(q.limit).execute();
      return rows.map((r): TimelineEvent => ({
        id: `${PREFIX}${r.id}`, at: r.at, kind: 'history', module: 'audit', accountId,
        actor: r.actor_id ? { id: r.actor_id, name: r.actor_label.replace(/\s*<.*>$/, '') } : null,
        titleKey: 'timeline.history', params: { action: r.action, entity: r.entity },
        body: null, link: { tab: 'history' },
      }));
    },
  },
};
