import type { Expression, Kysely, SqlBool, Transaction } from 'kysely';
import { keyset, pageOf, type Sort } from '../../db/keyset.js';
import type { Database } from '../../db/schema.js';
import type { Account, AccountQuery } from './accounts.contract.js';

type Q = Kysely<Database> | Transaction<Database>;
type Row = Database['accounts'] & { owner_name: string | null };

const toAccount = (r: Row, team: Account['team']): Account => ({
  id: r.id, code: r.code, name: r.name, nameEn: r.name_en, kind: r.kind as Account['kind'], parentId: r.parent_id, ownerId: r.owner_id,
  ownerName: r.owner_name, territoryId: r.territory_id, province: r.province, city: r.city, tier: r.tier as Account['tier'],
  status: r.status as Account['status'], currency: r.currency, team, createdAt: r.created_at, updatedAt: r.updated_at, version: r.version,
});

const base = (db: Q, scope: Expression<SqlBool>) =>
  db.selectFrom('accounts').leftJoin('users as owner', 'owner.id', 'accounts.owner_id').selectAll('accounts').select('owner.name as owner_name').where(scope);

async function teams(db: Q, ids: string[]): Promise<Map<string, Account['team']>> {
  const m = new Map<string, Account['team']>();
  if (!ids.length) return m;
  const rows = await db.selectFrom('account_team').innerJoin('users', 'users.id', 'account_team.user_id')
    .select(['account_team.account_id', 'account_team.user_id', 'account_team.role', 'users.name']).where('account_team.account_id', 'in', ids).orderBy('users.name').execute();
  for (const r of rows) {
    const list = m.get(r.account_id) ?? [];
    list.push({ userId: r.user_id, name: r.name, role: r.role as Account['team'][number]['role'] });
    m.set(r.account_id, list);
  }
  return m;
}

/** Accounts visible through `scope`, filtered, sorted and keyset-paged. */
export async function listAccounts(db: Q, scope: Expression<SqlBool>, f: AccountQuery, sort: Sort) {
  let q = base(db, scope);
  if (f.q) {
    const pat = `%${f.q.toLowerCase()}%`;
    q = q.where((eb) => eb.or([eb(eb.fn('lower', ['accounts.code']), 'like', pat), eb(eb.fn('lower', ['accounts.name']), 'like', pat), eb(eb.fn('lower', ['accounts.name_en']), 'like', pat)]));
  }
  if (f.tier) q = q.where('accounts.tier', '=', f.tier);
  if (f.ownerId) q = q.where('accounts.owner_id', '=', f.ownerId);
  if (f.territoryId) q = q.where('accounts.territory_id', '=', f.territoryId);
  if (f.province) q = q.where('accounts.province', '=', f.province);
  if (f.status) q = q.where('accounts.status', '=', f.status);
  if (f.kind) q = q.where('accounts.kind', '=', f.kind);
  const rows = (await keyset(q, sort, 'accounts.id', f.cursor, f.limit).execute()) as Row[];
  const t = await teams(db, rows.map((r) => r.id));
  const sortValue = sort.column.startsWith('coalesce(') ? (r: Row) => r.name_en ?? r.name : (r: Row) => r[sort.column.split('.')[1] as keyof Row];
  return pageOf(rows, f.limit, sortValue, (r) => r.id, (r) => toAccount(r, t.get(r.id) ?? []));
}

export async function countAccounts(db: Q, scope: Expression<SqlBool>): Promise<number> {
  const r = await db.selectFrom('accounts').select((eb) => eb.fn.countAll<number>().as('n')).where(scope).executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function findAccount(db: Q, scope: Expression<SqlBool>, id: string): Promise<Account | undefined> {
  const r = (await base(db, scope).where('accounts.id', '=', id).executeTakeFirst()) as Row | undefined;
  if (!r) return undefined;
  return toAccount(r, (await teams(db, [id])).get(id) ?? []);
}

export async function insertAccount(db: Q, row: Database['accounts']): Promise<void> {
  await db.insertInto('accounts').values(row).execute();
}

export async function updateAccount(db: Q, id: string, version: number, patch: Partial<Database['accounts']>): Promise<boolean> {
  const r = await db.updateTable('accounts').set({ ...patch, version: version + 1 }).where('id', '=', id).where('version', '=', version).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function upsertTeamMember(db: Q, accountId: string, userId: string, role: string): Promise<void> {
  await db.deleteFrom('account_team').where('account_id', '=', accountId).where('user_id', '=', userId).execute();
  await db.insertInto('account_team').values({ account_id: accountId, user_id: userId, role }).execute();
}

export async function removeTeamMember(db: Q, accountId: string, userId: string): Promise<boolean> {
  const r = await db.deleteFrom('account_team').where('account_id', '=', accountId).where('user_id', '=', userId).executeTakeFirst();
  return Number(r.numDeletedRows) === 1;
}

/** Bumps the version so an account's ETag changes when its team changes. */
export async function touchAccount(db: Q, id: string, updatedAt: string): Promise<void> {
  await db.updateTable('accounts').set((eb) => ({ version: eb('version', '+', 1), updated_at: updatedAt })).where('id', '=', id).execute();
}

export async function userTeamInfo(db: Q, userId: string) {
  return db.selectFrom('users').leftJoin('teams', 'teams.id', 'users.team_id').select(['users.id', 'users.role', 'users.active', 'teams.director_id']).where('users.id', '=', userId).executeTakeFirst();
}
