import type { Contribution } from '../../platform/contributions.js';
import type { AccountFact, PortalCard } from '../../platform/contributions.contract.js';
import type { Ctx } from '../../server/context.js';
import { accountVisibleTo } from '../../server/policy.js';
import { addMonths, ensureRollups } from '../sales/sales.service.js';

/**
 * Parent and child accounts: a group's header shows its members and the revenue of the whole
 * group over 12 months (the account and its children, from the account-month totals); a member
 * links to its group. Children the caller cannot see are counted in the total but not named.
 */
async function familyFacts(ctx: Ctx, accountId: string): Promise<AccountFact[]> {
  const db = ctx.db.kysely;
  const self = await db.selectFrom('accounts').select(['parent_id']).where('id', '=', accountId).executeTakeFirst();
  const out: AccountFact[] = [];
  if (self?.parent_id) {
    const parent = await db.selectFrom('accounts').select(['id', 'code', 'name', 'name_en']).where('id', '=', self.parent_id).where(accountVisibleTo(ctx.actor, 'accounts.id')).executeTakeFirst();
    out.push({
      id: 'accounts.parent', module: 'accounts', labelKey: 'facts.accounts.parent', order: 20, status: 'info',
      value: parent ? { kind: 'text', key: 'facts.accounts.named', params: { code: parent.code, name: parent.name, nameEn: parent.name_en } } : { kind: 'unknown', reasonKey: 'facts.accounts.parentHidden' },
      ...(parent ? { link: { to: `/accounts/${parent.id}` } } : {}),
    });
  }
  const children = await db.selectFrom('accounts').select(['id']).where('parent_id', '=', accountId).execute();
  if (children.length) {
    await ensureRollups(ctx.db);
    const to = ctx.clock.now().toISOString().slice(0, 7);
    const rows = await db.selectFrom('sales_account_months').select(['currency', (eb) => eb.fn.sum<number>('revenue_minor').as('revenue')])
      .where('account_id', 'in', [accountId, ...children.map((c) => c.id)]).where('month', '>=', addMonths(to, -11)).where('month', '<=', to)
      .groupBy('currency').orderBy('currency').execute();
    const cny = rows.find((r) => r.currency === 'CNY') ?? rows[0];
    out.push({
      id: 'accounts.group', module: 'accounts', labelKey: 'facts.accounts.groupRevenue', order: 21, status: 'info',
      value: cny ? { kind: 'money', amountMinor: Number(cny.revenue), currency: cny.currency } : { kind: 'unknown', reasonKey: 'facts.accounts.noGroupSales' },
      noteKey: 'facts.accounts.members', noteParams: { count: children.length },
    });
  }
  return out;
}

/** The dealer's own account manager, in the portal: whom to call (name, work phone, e-mail). */
export const accountsContribution: Contribution = {
  module: 'accounts',
  facts: { permission: 'sales:read', list: familyFacts },
  portal: {
    permission: 'account:read',
    async list(ctx): Promise<PortalCard[]> {
      if (ctx.actor.role !== 'dealer' || !ctx.actor.accountId) return [];
      const owner = await ctx.db.kysely.selectFrom('accounts').innerJoin('users', 'users.id', 'accounts.owner_id')
        .select(['users.name', 'users.email', 'users.phone']).where('accounts.id', '=', ctx.actor.accountId).where('users.active', '=', 1).executeTakeFirst();
      if (!owner) return [];
      const phone = owner.phone?.trim();
      return [{
        id: 'accounts:manager', module: 'accounts', titleKey: 'portal.manager.title', params: { name: owner.name }, status: 'info',
        lines: [
          { labelKey: 'portal.manager.name', value: { kind: 'text', key: 'portal.plain', params: { text: owner.name } } },
          phone
            ? { labelKey: 'portal.manager.phone', value: { kind: 'text', key: 'portal.plain', params: { text: phone } }, href: `tel:${phone.replace(/[^+0-9]/g, '')}` }
            : { labelKey: 'portal.manager.phone', value: { kind: 'unknown', reasonKey: 'portal.manager.noPhone' } },
          { labelKey: 'portal.manager.email', value: { kind: 'text', key: 'portal.plain', params: { text: owner.email } }, href: `mailto:${owner.email}` },
        ],
      }];
    },
  },
};
