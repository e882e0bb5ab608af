import type { Contribution } from '../../platform/contributions.js';
import type { AgendaItem } from '../../platform/contributions.contract.js';
import { accountVisibleTo } from '../../server/policy.js';
import { nextBirthday } from '../home/home.service.js';

/** Key dates of the people who matter: birthdays today and in the coming week, on the day of those who look after them. */
export const contactsContribution: Contribution = {
  module: 'contacts',
  agenda: {
    permission: 'contact:read',
    async list(ctx, day): Promise<AgendaItem[]> {
      // Only those who look after accounts get the reminders; an executive's day is not a birthday list.
      if (ctx.actor.role !== 'manager' && ctx.actor.role !== 'director') return [];
      const rows = await ctx.db.kysely.selectFrom('contacts').innerJoin('accounts', 'accounts.id', 'contacts.account_id')
        .select(['contacts.id', 'contacts.name', 'contacts.name_en', 'contacts.birthday', 'accounts.id as account_id', 'accounts.code', 'accounts.name as account_name', 'accounts.name_en as account_name_en'])
        .where(accountVisibleTo(ctx.actor, 'contacts.account_id')).where('contacts.birthday', 'is not', null)
        // Directors see their own accounts' people, not every team member's.
        .where((eb) => eb.or([eb('accounts.owner_id', '=', ctx.actor.userId), eb.exists(eb.selectFrom('account_team').select('account_team.user_id').whereRef('account_team.account_id', '=', 'accounts.id').where('account_team.user_id', '=', ctx.actor.userId))]))
        .execute();
      const today = new Date(`${day.date}T00:00:00Z`);
      return rows.flatMap((r): AgendaItem[] => {
        const next = nextBirthday(r.birthday!, today);
        if (!next || next.inDays > 7) return [];
        return [{
          id: `birthday:${r.id}`, module: 'contacts', kind: 'key-date', urgency: next.inDays === 0 ? 'today' : 'soon', at: null, order: next.inDays,
          titleKey: next.inDays === 0 ? 'agenda.birthday.today' : 'agenda.birthday.soon', params: { name: r.name, nameEn: r.name_en, date: next.date, count: next.inDays },
          account: { id: r.account_id, code: r.code, name: r.account_name, nameEn: r.account_name_en }, siteId: null, flags: [], link: { to: `/accounts/${r.account_id}?tab=contacts` },
        }];
      });
    },
  },
};
