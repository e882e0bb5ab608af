/** All SQL of the portfolio module: values per account from the rollups, time from activities, designations, tier updates. */
import { type Expression, type Kysely, type SqlBool, sql, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';

type Q = Kysely<Database> | Transaction<Database>;

export type AccountValue = { accountId: string; code: string; name: string; nameEn: string | null; ownerId: string | null; ownerName: string | null; currentTier: string | null; value: number; visible: boolean };

/**
 * Every account (company-wide) with its value over [from, to] months: revenue, or margin (revenue of
 * lines with a cost minus that cost), in one currency, optionally of one product category; and
 * whether the caller may see it (`scope`, a condition on `a.id`), in the same query.
 */
export async function accountValues(k: Q, w: { from: string; to: string; currency: string; basis: 'revenue' | 'margin'; category?: string }, scope: Expression<SqlBool>): Promise<AccountValue[]> {
  const expr = w.basis === 'revenue' ? sql`sum(r.revenue_minor)` : sql`sum(r.costed_revenue_minor) - sum(r.cost_minor)`;
  // All categories: the account-month totals (one row per account and month); one category: the rollups.
  const source = w.category ? sql`sales_rollups` : sql`sales_account_months`;
  const cat = w.category ? sql`and r.category = ${w.category}` : sql``;
  const res = await sql<{ id: string; code: string; name: string; name_en: string | null; owner_id: string | null; owner_name: string | null; tier: string | null; value: number | null; visible: number | boolean }>`
    select a.id, a.code, a.name, a.name_en, a.owner_id, u.name as owner_name, a.tier, v.value, case when ${scope} then 1 else 0 end as visible
    from accounts a
      left join users u on u.id = a.owner_id
      left join (select r.account_id, ${expr} as value from ${source} r
        where r.month >= ${w.from} and r.month <= ${w.to} and r.currency = ${w.currency} ${cat} group by r.account_id) v on v.account_id = a.id`.execute(k);
  return res.rows.map((r) => ({ accountId: r.id, code: r.code, name: r.name, nameEn: r.name_en, ownerId: r.owner_id, ownerName: r.owner_name, currentTier: r.tier, value: Number(r.value ?? 0), visible: Number(r.visible) === 1 }));
}

export type Designation = { accountId: string; reason: string; designatedBy: string | null; designatedAt: string };
export async function designations(k: Q): Promise<Map<string, Designation>> {
  const rows = await k.selectFrom('key_account_designations').selectAll().execute();
  return new Map(rows.map((r) => [r.account_id, { accountId: r.account_id, reason: r.reason, designatedBy: r.designated_by, designatedAt: r.designated_at }]));
}
export const findDesignation = (k: Q, accountId: string) => k.selectFrom('key_account_designations').selectAll().where('account_id', '=', accountId).executeTakeFirst();
export async function upsertDesignation(k: Q, row: Database['key_account_designations']): Promise<void> {
  await k.deleteFrom('key_account_designations').where('account_id', '=', row.account_id).execute();
  await k.insertInto('key_account_designations').values(row).execute();
}
export async function deleteDesignation(k: Q, accountId: string): Promise<void> {
  await k.deleteFrom('key_account_designations').where('account_id', '=', accountId).execute();
}

/** Minutes of activity per person, team and account between two instants, on the accounts in scope. */
export async function timeEntries(k: Q, scope: Expression<SqlBool>, fromIso: string, toIso: string, userId?: string) {
  let q = k.selectFrom('activities').innerJoin('users', 'users.id', 'activities.user_id')
    .select(['activities.user_id', 'users.team_id', 'users.name', 'activities.account_id', (eb) => eb.fn.sum<number>('activities.duration_minutes').as('minutes')])
    .where(scope).where('activities.starts_at', '>=', fromIso).where('activities.starts_at', '<', toIso);
  if (userId) q = q.where('activities.user_id', '=', userId);
  const rows = await q.groupBy(['activities.user_id', 'users.team_id', 'users.name', 'activities.account_id']).execute();
  return rows.map((r) => ({ userId: r.user_id, teamId: r.team_id, userName: r.name, accountId: r.account_id, minutes: Number(r.minutes) }));
}

export async function teamNames(k: Q): Promise<Map<string, string>> {
  return new Map((await k.selectFrom('teams').select(['id', 'name']).execute()).map((t) => [t.id, t.name]));
}

/** Sets an account's tier, bumping its version; false when it did not change. */
export async function setTier(k: Q, id: string, tier: string, at: string): Promise<boolean> {
  const r = await k.updateTable('accounts').set((eb) => ({ tier, updated_at: at, version: eb('version', '+', 1) }))
    .where('id', '=', id).where((eb) => eb.or([eb('tier', 'is', null), eb('tier', '<>', tier)])).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
