import type { Contribution } from '../../platform/contributions.js';
import type { PortalCard } from '../../platform/contributions.contract.js';

/** The dealer's own account manager, in the portal: whom to call. */
export const accountsContribution: Contribution = {
  module: 'accounts',
  portal: {
    permission: 'account:read',
    async list(ctx): Promise<PortalCard[]> {
      if (ctx.actor.role !== 'dealer' || !ctx.actor.accountId) return [];
      const owner = await ctx.db.kysely.selectFrom('accounts').innerJoin('users', 'users.id', 'accounts.owner_id')
        .select(['users.name', 'users.email']).where('accounts.id', '=', ctx.actor.accountId).where('users.active', '=', 1).executeTakeFirst();
      if (!owner) return [];
      return [{
        id: 'accounts:manager', module: 'accounts', titleKey: 'portal.manager.title', params: { name: owner.name }, status: 'info',
        lines: [
          { labelKey: 'portal.manager.name', value: { kind: 'text', key: 'portal.plain', params: { text: owner.name } } },
          { labelKey: 'portal.manager.email', value: { kind: 'text', key: 'portal.plain', params: { text: owner.email } } },
        ],
      }];
    },
  },
};
