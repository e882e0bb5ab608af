import type { Ctx, Deps } from '../../server/context.js';
import { AppError, badRequest, notFound } from '../../server/errors.js';
import { newId } from '../../shared/ids.js';
import type { Actor } from '../auth/auth.domain.js';
import { hashPassword } from '../auth/auth.tokens.js';
import { recordAudit } from '../audit/audit.service.js';
import type { CreateUserBody, Team, UpdateUserBody, User } from './users.contract.js';
import * as repo from './users.repository.js';

type SystemCtx = Pick<Deps, 'db' | 'clock'> & { actor: Actor | null; requestId: string };

function checkDealerLink(role: string, accountId: string | null | undefined): void {
  if (role === 'dealer' && !accountId) throw badRequest('A dealer portal user needs an account', [{ path: 'body.accountId', message: 'required for role dealer' }]);
  if (role !== 'dealer' && accountId) throw badRequest('Only dealer portal users belong to an account', [{ path: 'body.accountId', message: 'only for role dealer' }]);
}

/** Department staff work one department's queue; a dealer works none. */
function checkDepartment(role: string, department: string | null | undefined): void {
  if (role === 'service' && !department) throw badRequest('Department staff need a department', [{ path: 'body.department', message: 'required for role service' }]);
  if (role === 'dealer' && department) throw badRequest('A dealer portal user belongs to no department', [{ path: 'body.department', message: 'not for role dealer' }]);
}

/** Creates a user (admins, the CLI and the demo seeder). The password is hashed with argon2id. */
export async function createUser(ctx: SystemCtx, body: CreateUserBody): Promise<User> {
  checkDealerLink(body.role, body.accountId);
  checkDepartment(body.role, body.department);
  const passwordHash = await hashPassword(body.password);
  const now = ctx.clock.now().toISOString();
  return ctx.db.kysely.transaction().execute(async (trx) => {
    if (await repo.findUserByEmail(trx, body.email)) throw new AppError('duplicate', 409, `A user with e-mail ${body.email} already exists`);
    const user = await repo.insertUser(trx, {
      id: newId(), email: body.email, name: body.name, role: body.role, password_hash: passwordHash, locale: body.locale,
      time_zone: body.timeZone, phone: body.phone, department: body.department, team_id: body.teamId, account_id: body.accountId, active: 1, created_at: now, updated_at: now, version: 1,
    });
    await recordAudit(trx, ctx, { action: 'create', entity: 'user', entityId: user.id, accountId: user.accountId, after: user });
    return user;
  });
}

export async function updateUserAsAdmin(ctx: Ctx, id: string, version: number, body: UpdateUserBody): Promise<User> {
  return ctx.db.kysely.transaction().execute(async (trx) => {
    const before = await repo.findUserById(trx, id);
    if (!before) throw notFound('User');
    const role = body.role ?? before.role;
    const accountId = body.accountId === undefined ? before.accountId : body.accountId;
    checkDealerLink(role, accountId);
    checkDepartment(role, body.department === undefined ? before.department : body.department);
    if (id === ctx.actor.userId && (body.active === false || (body.role && body.role !== 'admin'))) {
      throw new AppError('forbidden', 403, 'You cannot deactivate or demote yourself');
    }
    const after = await repo.updateUser(trx, id, version, {
      ...(body.name !== undefined && { name: body.name }),
      ...(body.role !== undefined && { role: body.role }),
      ...(body.teamId !== undefined && { team_id: body.teamId }),
      ...(body.accountId !== undefined && { account_id: body.accountId }),
      ...(body.active !== undefined && { active: body.active ? 1 : 0 }),
      ...(body.locale !== undefined && { locale: body.locale }),
      ...(body.timeZone !== undefined && { time_zone: body.timeZone }),
      ...(body.phone !== undefined && { phone: body.phone }),
      ...(body.department !== undefined && { department: body.department }),
      updated_at: ctx.clock.now().toISOString(),
    });
    if (!after) throw new AppError('precondition_failed', 412, 'The user was changed by someone else; reload and try again');
    if (body.active === false) await trx.deleteFrom('sessions').where('user_id', '=', id).execute();
    const { passwordHash: _omit, ...plainBefore } = before;
    await recordAudit(trx, ctx, { action: 'update', entity: 'user', entityId: id, accountId: after.accountId, before: plainBefore, after });
    return after;
  });
}

export async function getUser(ctx: Ctx, id: string): Promise<User> {
  if (ctx.actor.role === 'dealer' && id !== ctx.actor.userId) throw notFound('User');
  const u = await repo.findUserById(ctx.db.kysely, id);
  if (!u) throw notFound('User');
  const { passwordHash: _omit, ...user } = u;
  return user;
}

export async function listUsers(
  ctx: Ctx,
  q: { limit: number; cursor?: string; q?: string; role?: string; teamId?: string },
): Promise<{ items: User[]; nextCursor: string | null }> {
  const rows = await repo.listUsers(ctx.db.kysely, {
    ...q, afterEmail: q.cursor, limit: q.limit + 1, ...(ctx.actor.role === 'dealer' && { onlyId: ctx.actor.userId }),
  });
  const page = rows.slice(0, q.limit);
  return { items: page, nextCursor: rows.length > q.limit ? page[page.length - 1]!.email : null };
}

export const listTeams = (ctx: Ctx): Promise<Team[]> => repo.listTeams(ctx.db.kysely);

export async function createTeam(ctx: Ctx, body: { name: string; directorId: string | null; territoryId: string | null }): Promise<Team> {
  const now = ctx.clock.now().toISOString();
  const id = newId();
  await ctx.db.kysely.transaction().execute(async (trx) => {
    await repo.insertTeam(trx, { id, name: body.name, director_id: body.directorId, territory_id: body.territoryId, created_at: now, updated_at: now, version: 1 });
    await recordAudit(trx, ctx, { action: 'create', entity: 'team', entityId: id, after: body });
  });
  return (await repo.listTeams(ctx.db.kysely)).find((t) => t.id === id)!;
}

export async function updateTeam(ctx: Ctx, id: string, version: number, body: { name?: string; directorId?: string | null; territoryId?: string | null }): Promise<Team> {
  await ctx.db.kysely.transaction().execute(async (trx) => {
    const before = await repo.findTeam(trx, id);
    if (!before) throw notFound('Team');
    const ok = await repo.updateTeam(trx, id, version, {
      ...(body.name !== undefined && { name: body.name }),
      ...(body.directorId !== undefined && { director_id: body.directorId }),
      ...(body.territoryId !== undefined && { territory_id: body.territoryId }),
      updated_at: ctx.clock.now().toISOString(),
    });
    if (!ok) throw new AppError('precondition_failed', 412, 'The team was changed by someone else; reload and try again');
    await recordAudit(trx, ctx, { action: 'update', entity: 'team', entityId: id, before, after: body });
  });
  return (await repo.listTeams(ctx.db.kysely)).find((t) => t.id === id)!;
}

export async function listTerritories(ctx: Ctx) {
  const rows = await repo.listTerritories(ctx.db.kysely);
  return rows.map((r) => ({ id: r.id, code: r.code, name: r.name, nameZh: r.name_zh }));
}

/** The caller's own name, language and time zone (remembered per user). */
export async function updateProfile(ctx: Ctx, body: { name?: string; locale?: User['locale']; timeZone?: string }): Promise<User> {
  return ctx.db.kysely.transaction().execute(async (trx) => {
    const before = await repo.findUserById(trx, ctx.actor.userId);
    if (!before) throw notFound('User');
    const after = await repo.updateUser(trx, before.id, before.version, {
      ...(body.name !== undefined && { name: body.name }),
      ...(body.locale !== undefined && { locale: body.locale }),
      ...(body.timeZone !== undefined && { time_zone: body.timeZone }),
      updated_at: ctx.clock.now().toISOString(),
    });
    if (!after) throw new AppError('conflict', 409, 'Your profile changed meanwhile; try again');
    await recordAudit(trx, ctx, { action: 'update', entity: 'user', entityId: after.id, before: { name: before.name, locale: before.locale, timeZone: before.timeZone }, after: body });
    return after;
  });
}
