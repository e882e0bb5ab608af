import { parseSort } from '../../db/keyset.js';
import type { Ctx } from '../../server/context.js';
import { AppError, badRequest, forbidden, notFound } from '../../server/errors.js';
import { accountVisibleTo } from '../../server/policy.js';
import { newId } from '../../shared/ids.js';
import { recordAudit } from '../audit/audit.service.js';
import { type Account, type AccountQuery, accountSorts, type CreateAccountBody, type UpdateAccountBody } from './accounts.contract.js';
import * as repo from './accounts.repository.js';

const scope = (ctx: Ctx) => accountVisibleTo(ctx.actor, 'accounts.id');

/** Dealers see their own account without the manufacturer's internal classification. */
const forViewer = (ctx: Ctx, a: Account): Account => (ctx.actor.role === 'dealer' ? { ...a, tier: null, team: [] } : a);

export async function listAccounts(ctx: Ctx, q: AccountQuery) {
  // "name" means the name the reader sees: the English form for English readers.
  const sort = ctx.actor.locale === 'en' ? q.sort?.replace(/^(-?)name$/, '$1nameEn') : q.sort;
  const page = await repo.listAccounts(ctx.db.kysely, scope(ctx), q, parseSort(sort, accountSorts, ctx.actor.locale === 'en' ? 'nameEn' : 'name'));
  return { ...page, items: page.items.map((a) => forViewer(ctx, a)) };
}

export async function getAccount(ctx: Ctx, id: string): Promise<Account> {
  const a = await repo.findAccount(ctx.db.kysely, scope(ctx), id);
  if (!a) throw notFound('Account');
  return forViewer(ctx, a);
}

/** Throws unless the caller's scope still covers an account it edits (no-op for those who read all). */
async function assertWritable(ctx: Ctx, id: string): Promise<Account> {
  const a = await repo.findAccount(ctx.db.kysely, scope(ctx), id);
  if (!a) throw notFound('Account');
  return a;
}

/**
 * Who may own an account the caller creates or reassigns: managers only themselves,
 * directors themselves and their teams' members, admins anyone active on the staff.
 */
async function checkOwner(ctx: Ctx, ownerId: string | null): Promise<void> {
  if (ownerId === null) return;
  const owner = await repo.userTeamInfo(ctx.db.kysely, ownerId);
  if (!owner || owner.active !== 1 || !['manager', 'director', 'admin'].includes(owner.role)) {
    throw badRequest('The owner must be an active manager or director', [{ path: 'body.ownerId', message: 'not an active manager or director' }]);
  }
  if (ctx.actor.role === 'admin' || ownerId === ctx.actor.userId) return;
  if (ctx.actor.role === 'director' && owner.director_id === ctx.actor.userId) return;
  throw forbidden('You can only give accounts to yourself or, as a director, to your team');
}

export async function createAccount(ctx: Ctx, body: CreateAccountBody): Promise<Account> {
  const ownerId = body.ownerId ?? (ctx.actor.role === 'admin' ? null : ctx.actor.userId);
  await checkOwner(ctx, ownerId);
  if (body.parentId) await assertWritable(ctx, body.parentId);
  const now = ctx.clock.now().toISOString();
  const id = newId();
  await ctx.db.kysely.transaction().execute(async (trx) => {
    if (await trx.selectFrom('accounts').select('id').where('code', '=', body.code).executeTakeFirst()) {
      throw new AppError('duplicate', 409, `Account code ${body.code} is already used`, { errors: [{ path: 'body.code', message: 'already used' }] });
    }
    await repo.insertAccount(trx, {
      id, code: body.code, name: body.name, name_en: body.nameEn, kind: body.kind, parent_id: body.parentId, owner_id: ownerId,
      territory_id: body.territoryId, province: body.province, city: body.city, tier: body.tier, status: body.status, currency: body.currency, price_group: null,
      created_at: now, updated_at: now, version: 1,
    });
    await recordAudit(trx, ctx, { action: 'create', entity: 'account', entityId: id, accountId: id, after: body });
  });
  return getAccount(ctx, id);
}

export async function updateAccount(ctx: Ctx, id: string, version: number, body: UpdateAccountBody): Promise<Account> {
  const before = await assertWritable(ctx, id);
  if (body.ownerId !== undefined && body.ownerId !== before.ownerId) await checkOwner(ctx, body.ownerId);
  if (body.parentId) {
    if (body.parentId === id) throw badRequest('An account cannot be its own parent', [{ path: 'body.parentId', message: 'same as the account' }]);
    await assertWritable(ctx, body.parentId);
  }
  await ctx.db.kysely.transaction().execute(async (trx) => {
    const ok = await repo.updateAccount(trx, id, version, {
      ...(body.name !== undefined && { name: body.name }),
      ...(body.nameEn !== undefined && { name_en: body.nameEn }),
      ...(body.kind !== undefined && { kind: body.kind }),
      ...(body.parentId !== undefined && { parent_id: body.parentId }),
      ...(body.ownerId !== undefined && { owner_id: body.ownerId }),
      ...(body.territoryId !== undefined && { territory_id: body.territoryId }),
      ...(body.province !== undefined && { province: body.province }),
      ...(body.city !== undefined && { city: body.city }),
      ...(body.tier !== undefined && { tier: body.tier }),
      ...(body.status !== undefined && { status: body.status }),
      updated_at: ctx.clock.now().toISOString(),
    });
    if (!ok) throw new AppError('precondition_failed', 412, 'The account was changed by someone else since you read it; reload and try again');
    const changedBefore = Object.fromEntries(Object.keys(body).map((k) => [k, before[k as keyof Account]]));
    await recordAudit(trx, ctx, { action: 'update', entity: 'account', entityId: id, accountId: id, before: changedBefore, after: body });
  });
  return getAccount(ctx, id);
}

export async function setTeamMember(ctx: Ctx, id: string, userId: string, role: string): Promise<Account> {
  await assertWritable(ctx, id);
  const user = await repo.userTeamInfo(ctx.db.kysely, userId);
  if (!user || user.active !== 1 || user.role === 'dealer') throw badRequest('Team members must be active staff', [{ path: 'body.userId', message: 'not active staff' }]);
  await ctx.db.kysely.transaction().execute(async (trx) => {
    await repo.upsertTeamMember(trx, id, userId, role);
    await repo.touchAccount(trx, id, ctx.clock.now().toISOString());
    await recordAudit(trx, ctx, { action: 'team_add', entity: 'account', entityId: id, accountId: id, after: { userId, role } });
  });
  return getAccount(ctx, id);
}

export async function removeTeamMember(ctx: Ctx, id: string, userId: string): Promise<Account> {
  await assertWritable(ctx, id);
  await ctx.db.kysely.transaction().execute(async (trx) => {
    if (!(await repo.removeTeamMember(trx, id, userId))) throw notFound('Team member');
    await repo.touchAccount(trx, id, ctx.clock.now().toISOString());
    await recordAudit(trx, ctx, { action: 'team_remove', entity: 'account', entityId: id, accountId: id, before: { userId } });
  });
  return getAccount(ctx, id);
}
