import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { type Contribution, timelineBefore } from '../../platform/contributions.js';
import type { TimelineEvent } from '../../platform/contributions.contract.js';
import { accountVisibleTo } from '../../server/policy.js';

const PREFIX = 'note:';

/** Internal notes on the account timeline (staff only: the portal never reads them). */
export const notesContribution: Contribution = {
  module: 'notes',
  timeline: {
    permission: 'activity:read',
    kinds: ['note'],
    async list(ctx, accountId, q) {
      let query = (ctx.db.kysely as Kysely<Database>).selectFrom('account_notes').leftJoin('users', 'users.id', 'account_notes.author_id')
        .select(['account_notes.id', 'account_notes.created_at', 'account_notes.author_id', 'account_notes.body', 'account_notes.pinned', 'users.name as author_name'])
        .where('account_notes.account_id', '=', accountId).where(accountVisibleTo(ctx.actor, 'account_notes.account_id'))
        .where(timelineBefore(PREFIX, 'account_notes.created_at', 'account_notes.id', q.before));
      if (q.userId) query = query.where('account_notes.author_id', '=', q.userId);
      const rows = await query.orderBy('account_notes.created_at', 'desc').orderBy('account_notes.id', 'desc').limit(q.limit).execute();
      return rows.map((r): TimelineEvent => ({
        id: `${PREFIX}${r.id}`, at: r.created_at, kind: 'note', module: 'notes', accountId, actor: r.author_name ? { id: r.author_id, name: r.author_name } : null,
        titleKey: r.pinned ? 'notes.timeline.pinned' : 'notes.timeline.written', params: {}, body: r.body, link: { tab: 'notes' },
      }));
    },
  },
};
