import type { Ctx } from '../../server/context.js';
import { accountVisibleTo, allows } from '../../server/policy.js';
import type { Home, HomeBirthday } from './home.contract.js';
import * as repo from './home.repository.js';
import { ensureRollups } from '../sales/sales.service.js';

const DAY = 86_400_000;

/** The next occurrence of a YYYY-MM-DD birthday on or after `today` (UTC date), and the days until it. Feb 29 falls on Mar 1 in other years. */
export function nextBirthday(birthday: string, today: Date): { date: string; inDays: number } | null {
  const m = /^\d{4}-(\d{2})-(\d{2})$/.exec(birthday);
  if (!m) return null;
  const start = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
  for (const year of [today.getUTCFullYear(), today.getUTCFullYear() + 1]) {
    const d = new Date(Date.UTC(year, Number(m[1]) - 1, Number(m[2])));
    if (d.getTime() >= start) return { date: d.toISOString().slice(0, 10), inDays: Math.round((d.getTime() - start) / DAY) };
  }
  return null;
}

/**
 * The home page of the caller: what they own or oversee, recent work and what needs attention.
 * Every query is scoped through the policy layer, so a manager sees their book, a director
 * the team's, a dealer only its own company (and nothing the dealer portal may not read).
 */
export async function getHome(ctx: Ctx): Promise<Home> {
  const db = ctx.db.kysely;
  const now = ctx.clock.now();
  const nowIso = now.toISOString();
  const since30 = new Date(now.getTime() - 30 * DAY).toISOString();
  const role = ctx.actor.role;
  const readsActivities = allows(role, 'activity:read');
  const readsContacts = allows(role, 'contact:read');
  const accounts = accountVisibleTo(ctx.actor, 'accounts.id');
  const byAccount = (column: string) => accountVisibleTo(ctx.actor, column);

  const counts = await repo.countAccounts(db, accounts);
  const internal = role !== 'dealer';
  const keyAccounts = internal ? await repo.accountsWithLastVisit(db, accounts, ['A'], { limit: 8 }) : [];
  const noVisit = internal && readsActivities ? await repo.accountsWithLastVisit(db, accounts, ['A', 'B'], { unvisitedSince: since30, limit: 10 }) : [];
  const recentActivity = readsActivities ? await repo.recentActivities(db, byAccount('activities.account_id'), nowIso, 10) : null;
  const activitiesLast30Days = readsActivities ? await repo.countActivities(db, byAccount('activities.account_id'), since30, nowIso) : null;

  let birthdays: HomeBirthday[] | null = null;
  if (readsContacts) {
    birthdays = (await repo.contactBirthdays(db, byAccount('contacts.account_id')))
      .map((c) => ({ c, next: nextBirthday(c.birthday, now) }))
      .filter((x) => x.next && x.next.inDays <= 30)
      .sort((a, b) => a.next!.inDays - b.next!.inDays || a.c.name.localeCompare(b.c.name))
      .slice(0, 10)
      .map(({ c, next }) => ({ contactId: c.id, name: c.name, nameEn: c.nameEn, accountId: c.accountId, accountName: c.accountName, accountNameEn: c.accountNameEn, birthday: c.birthday, date: next!.date, inDays: next!.inDays }));
  }

  const from = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 11, 1)).toISOString().slice(0, 7);
  const revenue = internal ? await ensureRollups(ctx.db).then(() => repo.revenueByMonth(db, byAccount('sales_account_months.account_id'), from)) : [];

  return {
    role,
    counts: { accounts: counts.all, keyAccounts: internal ? counts.key : 0, activitiesLast30Days },
    keyAccounts,
    recentActivity,
    attention: { noVisit, birthdays },
    revenueByMonth: revenue,
    tileUrl: ctx.config.tileUrl ?? null,
  };
}
