import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { Ctx, Deps } from '../../server/context.js';
import { AppError, notFound } from '../../server/errors.js';
import { newId } from '../../shared/ids.js';
import { recordAudit } from '../audit/audit.service.js';
import * as users from '../users/users.repository.js';
import type { Actor, Role, TokenScope } from './auth.domain.js';
import * as repo from './auth.repository.js';
import type { LoginThrottle } from './auth.throttle.js';
import { hashPassword, newApiToken, parseApiToken, randomToken, safeEqual, sha256, verifyPassword } from './auth.tokens.js';

// Compared against when the e-mail is unknown, so a wrong e-mail costs as much time as a wrong password.
let dummyHash: Promise<string> | undefined;

const toActor = (u: Database['users'], via: Actor['via'], extra: Partial<Actor> = {}): Actor => ({
  userId: u.id, email: u.email, name: u.name, role: u.role as Role, teamId: u.team_id, accountId: u.account_id, department: u.department ?? null,
  locale: u.locale, timeZone: u.time_zone, via, ...extra,
});

/** How long a device that signed in stays known without signing in again. */
export const KNOWN_DEVICE_DAYS = 365;

/**
 * Signs in with e-mail and password; returns the session token for the cookie and the device token
 * for the device cookie. Throttled per account and client, per account, and per address; a known
 * device of the account (its device cookie) is held to its own count only (decision 003).
 */
export async function login(
  deps: Deps & { throttle: LoginThrottle; requestId: string },
  input: { email: string; password: string; ip: string; userAgent: string | undefined; deviceToken: string | undefined },
): Promise<{ token: string; actor: Actor; csrfToken: string; deviceToken: string }> {
  const now = deps.clock.now();
  const user = await users.findUserByEmail(deps.db.kysely, input.email);
  const presented = input.deviceToken ? sha256(input.deviceToken) : undefined;
  const device = user && presented && (await repo.isKnownDevice(deps.db.kysely, presented, user.id, now.toISOString())) ? presented : undefined;
  const attempt = { email: input.email, ip: input.ip, device };
  const wait = deps.throttle.retryAfter(attempt);
  if (wait > 0) {
    throw new AppError('too_many_attempts', 429, `Too many failed sign-ins; try again in ${Math.ceil(wait / 60)} minutes`, undefined, { 'retry-after': String(wait) });
  }
  dummyHash ??= hashPassword('not-a-real-password');
  const ok = user && user.active ? await verifyPassword(user.passwordHash, input.password) : (await verifyPassword(await dummyHash, input.password), false);
  if (!user || !ok) {
    deps.throttle.fail(attempt);
    throw new AppError('invalid_credentials', 401, 'E-mail or password is wrong');
  }
  deps.throttle.succeed(attempt);
  const token = randomToken();
  const csrfToken = randomToken(18);
  const deviceToken = device ? input.deviceToken! : randomToken();
  const deviceExpires = new Date(now.getTime() + KNOWN_DEVICE_DAYS * 86_400_000).toISOString();
  await deps.db.kysely.transaction().execute(async (trx) => {
    await repo.deleteExpiredSessions(trx, now.toISOString());
    await repo.insertSession(trx, {
      id: sha256(token), user_id: user.id, csrf_token: csrfToken, created_at: now.toISOString(), last_seen_at: now.toISOString(),
      expires_at: new Date(now.getTime() + deps.config.sessionHours * 3_600_000).toISOString(), ip: input.ip, user_agent: input.userAgent?.slice(0, 300) ?? null,
    });
    await repo.deleteExpiredKnownDevices(trx, now.toISOString());
    if (device) await repo.touchKnownDevice(trx, device, now.toISOString(), deviceExpires);
    else await repo.insertKnownDevice(trx, { id: sha256(deviceToken), user_id: user.id, created_at: now.toISOString(), last_used_at: now.toISOString(), expires_at: deviceExpires });
    const actor = { userId: user.id, name: user.name, email: user.email } as Actor;
    await recordAudit(trx, { ...deps, actor }, { action: 'login', entity: 'user', entityId: user.id, after: { knownDevice: !!device } });
  });
  const actor = await actorFromSession(deps, token);
  if (!actor) throw new AppError('internal', 500, 'The new session could not be read back');
  return { token, csrfToken, actor, deviceToken };
}

/**
 * The actor behind a session cookie token, or null. A session unused for the idle timeout is ended
 * here (and deleted). Its last use is written at most once a minute, not on every request: the idle
 * clock may then start up to a minute early, never late.
 */
export async function actorFromSession(deps: Deps, token: string): Promise<Actor | null> {
  const id = sha256(token);
  const now = deps.clock.now();
  const r = await repo.findSession(deps.db.kysely, id, now.toISOString());
  if (!r) return null;
  const idleMs = deps.config.sessionIdleMinutes * 60_000;
  const unusedMs = now.getTime() - Date.parse(r.last_seen_at);
  if (unusedMs >= idleMs) {
    await repo.deleteSession(deps.db.kysely, id);
    return null;
  }
  if (unusedMs >= Math.min(60_000, idleMs / 10)) await repo.touchSession(deps.db.kysely, id, now.toISOString());
  const { session_id: _s, csrf_token, expires_at: _e, last_seen_at: _l, ...u } = r;
  return toActor(u, 'session', { csrfToken: csrf_token });
}

/** The actor behind a personal API token (`Authorization: Bearer okm_…`), or null. */
export async function actorFromApiToken(deps: Deps, token: string): Promise<Actor | null> {
  const parsed = parseApiToken(token);
  if (!parsed) return null;
  const r = await repo.findApiToken(deps.db.kysely, parsed.prefix);
  if (!r || r.revoked_at || !safeEqual(r.token_hash, sha256(token))) return null;
  await repo.touchApiToken(deps.db.kysely, r.token_id, deps.clock.now().toISOString());
  const { token_id: _t, token_hash: _h, scope, revoked_at: _r, ...u } = r;
  return toActor(u, 'token', { tokenScope: scope as TokenScope });
}

export async function logout(ctx: Ctx, token: string): Promise<void> {
  await ctx.db.kysely.transaction().execute(async (trx) => {
    await repo.deleteSession(trx, sha256(token));
    await recordAudit(trx, ctx, { action: 'logout', entity: 'user', entityId: ctx.actor.userId });
  });
}

/**
 * Ends every session of the caller, on every device, revokes their API tokens (a script holding one
 * would otherwise keep access) and forgets their known devices.
 */
export async function logoutEverywhere(ctx: Ctx): Promise<{ sessionsEnded: number; tokensRevoked: number }> {
  return ctx.db.kysely.transaction().execute(async (trx) => {
    const sessionsEnded = await repo.deleteUserSessions(trx, ctx.actor.userId);
    const devicesForgotten = await repo.deleteUserKnownDevices(trx, ctx.actor.userId);
    const revoked = await revokeAllApiTokens(trx, ctx, 'logout_everywhere');
    await recordAudit(trx, ctx, { action: 'logout_everywhere', entity: 'user', entityId: ctx.actor.userId, after: { sessionsEnded, devicesForgotten } });
    return { sessionsEnded, tokensRevoked: revoked };
  });
}

/** Changes the caller's password; every other session is ended and every API token revoked. */
export async function changePassword(ctx: Ctx, currentToken: string | undefined, currentPassword: string, newPassword: string): Promise<void> {
  const user = await users.findUserById(ctx.db.kysely, ctx.actor.userId);
  if (!user || !(await verifyPassword(user.passwordHash, currentPassword))) {
    throw new AppError('invalid_credentials', 400, 'The current password is wrong', { errors: [{ path: 'body.currentPassword', message: 'wrong password' }] });
  }
  const hashText = await hashPassword(newPassword);
  await ctx.db.kysely.transaction().execute(async (trx) => {
    await users.setPasswordHash(trx, user.id, hashText, ctx.clock.now().toISOString());
    await repo.deleteUserSessions(trx, user.id, currentToken ? sha256(currentToken) : undefined);
    await revokeAllApiTokens(trx, ctx, 'password_change');
    await recordAudit(trx, ctx, { action: 'password_change', entity: 'user', entityId: user.id });
  });
}

// Each token's revocation is audited as if revoked by hand, with the reason.
async function revokeAllApiTokens(trx: Transaction<Database>, ctx: Ctx, reason: string): Promise<number> {
  const ids = await repo.revokeUserApiTokens(trx, ctx.actor.userId, ctx.clock.now().toISOString());
  for (const id of ids) await recordAudit(trx, ctx, { action: 'revoke', entity: 'api_token', entityId: id, after: { reason } });
  return ids.length;
}

type TokenView = { id: string; name: string; prefix: string; scope: TokenScope; createdAt: string; lastUsedAt: string | null; revokedAt: string | null };
const toTokenView = (r: Database['api_tokens']): TokenView => ({
  id: r.id, name: r.name, prefix: r.prefix, scope: r.scope as TokenScope, createdAt: r.created_at, lastUsedAt: r.last_used_at, revokedAt: r.revoked_at,
});

export async function createApiToken(ctx: Ctx, name: string, scope: TokenScope): Promise<TokenView & { token: string }> {
  if (ctx.actor.via === 'token') throw new AppError('forbidden', 403, 'API tokens cannot create API tokens; sign in');
  const t = newApiToken();
  const row: Database['api_tokens'] = {
    id: newId(), user_id: ctx.actor.userId, name, prefix: t.prefix, token_hash: t.hash, scope, created_at: ctx.clock.now().toISOString(), last_used_at: null, revoked_at: null,
  };
  await ctx.db.kysely.transaction().execute(async (trx) => {
    await repo.insertApiToken(trx, row);
    await recordAudit(trx, ctx, { action: 'create', entity: 'api_token', entityId: row.id, after: { name, scope, prefix: t.prefix } });
  });
  return { ...toTokenView(row), token: t.token };
}

export async function listApiTokens(ctx: Ctx): Promise<TokenView[]> {
  return (await repo.listApiTokens(ctx.db.kysely, ctx.actor.userId)).map(toTokenView);
}

export async function revokeApiToken(ctx: Ctx, id: string): Promise<void> {
  await ctx.db.kysely.transaction().execute(async (trx) => {
    if (!(await repo.revokeApiToken(trx, ctx.actor.userId, id, ctx.clock.now().toISOString()))) throw notFound('Active API token');
    await recordAudit(trx, ctx, { action: 'revoke', entity: 'api_token', entityId: id });
  });
}
