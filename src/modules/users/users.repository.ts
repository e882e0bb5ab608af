import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { Role } from '../auth/auth.domain.js';
import type { Team, User } from './users.contract.js';

type Q = Kysely<Database> | Transaction<Database>;
type UserRow = Database['users'];

export const toUser = (r: UserRow): User => ({
  id: r.id, email: r.email, name: r.name, role: r.role as Role, locale: r.locale as User['locale'], timeZone: r.time_zone, phone: r.phone ?? null, department: (r.department ?? null) as User['department'],
  teamId: r.team_id, accountId: r.account_id, active: r.active === 1, createdAt: r.created_at, updatedAt: r.updated_at, version: r.version,
});

export async function findUserByEmail(db: Q, email: string): Promise<(User & { passwordHash: string }) | undefined> {
  const r = await db.selectFrom('users').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirst();
  return r ? { ...toUser(r), passwordHash: r.password_hash } : undefined;
}

export async function findUserById(db: Q, id: string): Promise<(User & { passwordHash: string }) | undefined> {
  const r = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? { ...toUser(r), passwordHash: r.password_hash } : undefined;
}

export async function insertUser(db: Q, row: UserRow): Promise<User> {
  await db.insertInto('users').values(row).execute();
  return toUser(row);
}

/** Optimistic update: only when the stored version is `version`; returns undefined otherwise. */
export async function updateUser(db: Q, id: string, version: number, patch: Partial<UserRow>): Promise<User | undefined> {
  const res = await db.updateTable('users').set({ ...patch, version: version + 1 }).where('id', '=', id).where('version', '=', version).executeTakeFirst();
  if (Number(res.numUpdatedRows) !== 1) return undefined;
  const r = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  return toUser(r);
}

export async function setPasswordHash(db: Q, id: string, passwordHash: string, updatedAt: string): Promise<void> {
  await db.updateTable('users').set((eb) => ({ password_hash: passwordHash, updated_at: updatedAt, version: eb('version', '+', 1) })).where('id', '=', id).execute();
}

export async function listUsers(
  db: Q,
  f: { q?: string; role?: string; teamId?: string; afterEmail?: string; limit: number; onlyId?: string },
): Promise<User[]> {
  let q = db.selectFrom('users').selectAll();
  if (f.onlyId) q = q.where('id', '=', f.onlyId);
  if (f.role) q = q.where('role', '=', f.role);
  if (f.teamId) q = q.where('team_id', '=', f.teamId);
  if (f.q) {
    const pat = `%${f.q.toLowerCase()}%`;
    q = q.where((eb) => eb.or([eb(eb.fn('lower', ['name']), 'like', pat), eb('email', 'like', pat)]));
  }
  if (f.afterEmail) q = q.where('email', '>', f.afterEmail);
  const rows = await q.orderBy('email').limit(f.limit).execute();
  return rows.map(toUser);
}

export async function countUsers(db: Q): Promise<number> {
  const r = await db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function listTeams(db: Q): Promise<Team[]> {
  const rows = await db
    .selectFrom('teams')
    .leftJoin('users', 'users.team_id', 'teams.id')
    .select(['teams.id', 'teams.name', 'teams.director_id', 'teams.territory_id', 'teams.version'])
    .select((eb) => eb.fn.count<number>('users.id').as('member_count'))
    .groupBy(['teams.id', 'teams.name', 'teams.director_id', 'teams.territory_id', 'teams.version'])
    .orderBy('teams.name')
    .execute();
  return rows.map((r) => ({ id: r.id, name: r.name, directorId: r.director_id, territoryId: r.territory_id, memberCount: Number(r.member_count), version: r.version }));
}

export async function findTeam(db: Q, id: string): Promise<Database['teams'] | undefined> {
  return db.selectFrom('teams').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertTeam(db: Q, row: Database['teams']): Promise<void> {
  await db.insertInto('teams').values(row).execute();
}

export async function updateTeam(db: Q, id: string, version: number, patch: Partial<Database['teams']>): Promise<boolean> {
  const res = await db.updateTable('teams').set({ ...patch, version: version + 1 }).where('id', '=', id).where('version', '=', version).executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

export async function listTerritories(db: Q): Promise<Database['territories'][]> {
  return db.selectFrom('territories').selectAll().orderBy('code').execute();
}
