import { type Expression, type Kysely, type SqlBool, sql } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { HomeAccount, HomeActivity } from './home.contract.js';

type Q = Kysely<Database>;

/** Accounts in scope by tier, with the latest visit or meeting; `since` keeps those unvisited since then. */
export async function accountsWithLastVisit(db: Q, scope: Expression<SqlBool>, tiers: string[], opts: { unvisitedSince?: string; limit: number }): Promise<HomeAccount[]> {
  const last = db.selectFrom('activities').select(['account_id', (eb) => eb.fn.max('starts_at').as('last_at')])
    .where('kind', 'in', ['visit', 'meeting']).groupBy('account_id').as('lv');
  let q = db.selectFrom('accounts').leftJoin(last, 'lv.account_id', 'accounts.id').leftJoin('users as owner', 'owner.id', 'accounts.owner_id')
    .select(['accounts.id', 'accounts.code', 'accounts.name', 'accounts.name_en', 'accounts.tier', 'accounts.province', 'accounts.city', 'owner.name as owner_name', 'lv.last_at'])
    .where(scope).where('accounts.tier', 'in', tiers).where('accounts.status', '!=', 'closed');
  if (opts.unvisitedSince) {
    const since = opts.unvisitedSince;
    q = q.where((eb) => eb.or([eb('lv.last_at', 'is', null), eb('lv.last_at', '<', since)]));
  }
  const rows = await q.orderBy(sql`case when lv.last_at is null then 0 else 1 end`).orderBy('lv.last_at', 'asc').orderBy('accounts.name').limit(opts.limit).execute();
  return rows.map((r) => ({
    id: r.id, code: r.code, name: r.name, nameEn: r.name_en, tier: r.tier as HomeAccount['tier'], province: r.province, city: r.city,
    ownerName: r.owner_name, lastVisitAt: (r.last_at as string | null) ?? null,
  }));
}

export async function countAccounts(db: Q, scope: Expression<SqlBool>): Promise<{ all: number; key: number }> {
  const r = await db.selectFrom('accounts')
    .select([(eb) => eb.fn.countAll<number>().as('n'), sql<number>`sum(case when accounts.tier = 'A' then 1 else 0 end)`.as('k')])
    .where(scope).executeTakeFirstOrThrow();
  return { all: Number(r.n), key: Number(r.k ?? 0) };
}

export async function recentActivities(db: Q, scope: Expression<SqlBool>, until: string, limit: number): Promise<HomeActivity[]> {
  const rows = await db.selectFrom('activities').innerJoin('accounts', 'accounts.id', 'activities.account_id').leftJoin('users', 'users.id', 'activities.user_id')
    .select(['activities.id', 'activities.account_id', 'accounts.name as account_name', 'accounts.name_en as account_name_en', 'activities.kind', 'activities.subject', 'activities.starts_at', 'users.name as user_name'])
    .where(scope).where('activities.starts_at', '<=', until).orderBy('activities.starts_at', 'desc').orderBy('activities.id', 'desc').limit(limit).execute();
  return rows.map((r) => ({
    id: r.id, accountId: r.account_id, accountName: r.account_name, accountNameEn: r.account_name_en, kind: r.kind as HomeActivity['kind'], subject: r.subject, startsAt: r.starts_at, userName: r.user_name,
  }));
}

export async function countActivities(db: Q, scope: Expression<SqlBool>, from: string, to: string): Promise<number> {
  const r = await db.selectFrom('activities').select((eb) => eb.fn.countAll<number>().as('n'))
    .where(scope).where('activities.starts_at', '>=', from).where('activities.starts_at', '<=', to).executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function contactBirthdays(db: Q, scope: Expression<SqlBool>): Promise<{ id: string; name: string; nameEn: string | null; accountId: string; accountName: string; accountNameEn: string | null; birthday: string }[]> {
  const rows = await db.selectFrom('contacts').innerJoin('accounts', 'accounts.id', 'contacts.account_id')
    .select(['contacts.id', 'contacts.name', 'contacts.name_en', 'contacts.account_id', 'accounts.name as account_name', 'accounts.name_en as account_name_en', 'contacts.birthday'])
    .where(scope).where('contacts.birthday', 'is not', null).execute();
  return rows.map((r) => ({ id: r.id, name: r.name, nameEn: r.name_en, accountId: r.account_id, accountName: r.account_name, accountNameEn: r.account_name_en, birthday: r.birthday! }));
}

/**
 * Net sales per month (YYYY-MM) and currency from `fromMonth` (YYYY-MM) on, from the account-month
 * totals the imports keep (one row per account and month, whatever the number of lines).
 */
export async function revenueByMonth(db: Q, scope: Expression<SqlBool>, fromMonth: string): Promise<{ month: string; amountMinor: number; currency: string }[]> {
  const rows = await db.selectFrom('sales_account_months')
    .select(['sales_account_months.month', 'sales_account_months.currency', (eb) => eb.fn.sum<number>('sales_account_months.revenue_minor').as('amount')])
    .where(scope).where('sales_account_months.month', '>=', fromMonth).groupBy(['sales_account_months.month', 'sales_account_months.currency'])
    .orderBy('sales_account_months.month').execute();
  return rows.map((r) => ({ month: r.month, currency: r.currency, amountMinor: Number(r.amount) }));
}
