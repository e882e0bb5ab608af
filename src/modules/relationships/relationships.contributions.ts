import type { Contribution } from '../../platform/contributions.js';
import type { AgendaItem } from '../../platform/contributions.contract.js';
import { accountVisibleTo } from '../../server/policy.js';
import { type KeyDate, type KeyDateKind, reminders } from './key-dates.domain.js';

/**
 * Key-date reminders due on the day, on the day of those who look after the account (its owner
 * and its account team): a store's 4th anniversary in 14 days, a lunar birthday in 3, today.
 */
export const relationshipsContribution: Contribution = {
  module: 'relationships',
  agenda: {
    permission: 'relationship:read',
    async list(ctx, day): Promise<AgendaItem[]> {
      // Executives read maps but do not send greetings; their day is not a list of birthdays.
      if (ctx.actor.role !== 'manager' && ctx.actor.role !== 'director') return [];
      const rows = await ctx.db.kysely.selectFrom('key_dates as kd').innerJoin('accounts', 'accounts.id', 'kd.account_id')
        .selectAll('kd').select(['accounts.code', 'accounts.name as account_name', 'accounts.name_en as account_name_en'])
        .where(accountVisibleTo(ctx.actor, 'kd.account_id'))
        .where((eb) => eb.or([eb('accounts.owner_id', '=', ctx.actor.userId), eb.exists(eb.selectFrom('account_team').select('account_team.user_id').whereRef('account_team.account_id', '=', 'accounts.id').where('account_team.user_id', '=', ctx.actor.userId))]))
        .execute();
      const byId = new Map(rows.map((r) => [r.id, r]));
      const keyDates: KeyDate[] = rows.map((r) => ({
        id: r.id, kind: r.kind as KeyDateKind, label: r.label, firstYear: r.first_year === null ? null : Number(r.first_year),
        rule: r.calendar === 'lunar' ? { calendar: 'lunar', month: Number(r.month), day: Number(r.day), leap: Boolean(Number(r.leap)) } : { calendar: 'gregorian', month: Number(r.month), day: Number(r.day) },
        ...(r.lead_days === null ? {} : { leadDays: JSON.parse(r.lead_days) as number[] }),
      }));
      return reminders(keyDates, day.date, day.date).map((rem): AgendaItem => {
        const r = byId.get(rem.occurrence.keyDateId)!;
        return {
          id: `relationships:key-date:${r.id}:${rem.occurrence.date}:${rem.leadDays}`, module: 'relationships', kind: 'key-date',
          urgency: rem.leadDays === 0 ? 'today' : 'soon', at: null, order: rem.leadDays,
          titleKey: rem.leadDays === 0 ? `relationships.agenda.${rem.occurrence.kind}.today` : `relationships.agenda.${rem.occurrence.kind}.soon`,
          params: { label: r.label, date: rem.occurrence.date, count: rem.leadDays, ordinal: rem.occurrence.ordinal ?? 0 },
          account: { id: r.account_id, code: r.code, name: r.account_name, nameEn: r.account_name_en }, siteId: null, flags: [],
          link: { to: `/accounts/${r.account_id}` },
        };
      });
    },
  },
};
