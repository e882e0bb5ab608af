import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { type Contribution, timelineBefore } from '../../platform/contributions.js';
import type { TimelineEvent } from '../../platform/contributions.contract.js';
import { accountVisibleTo } from '../../server/policy.js';
import { AUDIT } from './attachments.service.js';

const PREFIX = 'attachment:';

/**
 * Files attached to the account on its timeline (staff only: the portal never reads them). The
 * upload's audit entry is this event, and downloads are reads kept for the audit: the raw history
 * leaves both out. A deletion stays in the raw history.
 */
export const attachmentsContribution: Contribution = {
  module: 'attachments',
  claimsAudit: [AUDIT.upload, AUDIT.download],
  timeline: {
    permission: 'activity:read',
    kinds: ['attachment'],
    async list(ctx, accountId, q) {
      let query = (ctx.db.kysely as Kysely<Database>).selectFrom('account_attachments')
        .leftJoin('users', 'users.id', 'account_attachments.uploaded_by')
        .select(['account_attachments.id', 'account_attachments.created_at', 'account_attachments.uploaded_by', 'account_attachments.file_name',
          'account_attachments.content_type', 'account_attachments.size_bytes', 'users.name as uploader_name'])
        .where('account_attachments.account_id', '=', accountId).where(accountVisibleTo(ctx.actor, 'account_attachments.account_id'))
        .where(timelineBefore(PREFIX, 'account_attachments.created_at', 'account_attachments.id', q.before));
      if (q.userId) query = query.where('account_attachments.uploaded_by', '=', q.userId);
      const rows = await query.orderBy('account_attachments.created_at', 'desc').orderBy('account_attachments.id', 'desc').limit(q.limit).execute();
      return rows.map((r): TimelineEvent => ({
        id: `${PREFIX}${r.id}`, at: r.created_at, kind: 'attachment', module: 'attachments', accountId,
        actor: r.uploader_name ? { id: r.uploaded_by, name: r.uploader_name } : null,
        titleKey: 'attachments.timeline.uploaded', params: { name: r.file_name, type: r.content_type, bytes: Number(r.size_bytes) }, body: null, link: { tab: 'attachments' },
      }));
    },
  },
};
