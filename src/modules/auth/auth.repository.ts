import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';

type Q = Kysely<Database> | Transaction<Database>;

export async function insertSession(db: Q, row: Database['sessions']): Promise<void> {
  await db.insertInto('sessions').values(row).execute();
}

/** The live session with its user, by token hash. */
export async function findSession(db: Q, id: string, nowIso: string) {
  return db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select(['sessions.id as session_id', 'sessions.csrf_token', 'sessions.expires_at', 'sessions.last_seen_at'])
    .selectAll('users')
    .where('sessions.id', '=', id)
    .where('sessions.expires_at', '>', nowIso)
    .where('users.active', '=', 1)
    .executeTakeFirst();
}

export async function touchSession(db: Q, id: string, nowIso: string): Promise<void> {
  await db.updateTable('sessions').set({ last_seen_at: nowIso }).where('id', '=', id).execute();
}

export async function deleteSession(db: Q, id: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', id).execute();
}

export async function deleteUserSessions(db: Q, userId: string, exceptId?: string): Promise<number> {
  let q = db.deleteFrom('sessions').where('user_id', '=', userId);
  if (exceptId) q = q.where('id', '!=', exceptId);
  const r = await q.executeTakeFirst();
  return Number(r.numDeletedRows);
}

export async function deleteExpiredSessions(db: Q, nowIso: string): Promise<void> {
  await db.deleteFrom('sessions').where('expires_at', '<=', nowIso).execute();
}

export async function insertApiToken(db: Q, row: Database['api_tokens']): Promise<void> {
  await db.insertInto('api_tokens').values(row).execute();
}

export async function findApiToken(db: Q, prefix: string) {
  return db
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .select(['api_tokens.id as token_id', 'api_tokens.token_hash', 'api_tokens.scope', 'api_tokens.revoked_at'])
    .selectAll('users')
    .where('api_tokens.prefix', '=', prefix)
    .where('users.active', '=', 1)
    .executeTakeFirst();
}

export async function touchApiToken(db: Q, id: string, nowIso: string): Promise<void> {
  await db.updateTable('api_tokens').set({ last_used_at: nowIso }).where('id', '=', id).execute();
}

export async function listApiTokens(db: Q, userId: string) {
  return db.selectFrom('api_tokens').selectAll().where('user_id', '=', userId).orderBy('created_at', 'desc').execute();
}

export async function revokeApiToken(db: Q, userId: string, id: string, nowIso: string): Promise<boolean> {
  const r = await db.updateTable('api_tokens').set({ revoked_at: nowIso }).where('id', '=', id).where('user_id', '=', userId).where('revoked_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Whether the device (by cookie hash) is a live known device of the user. */
export async function isKnownDevice(db: Q, id: string, userId: string, nowIso: string): Promise<boolean> {
  const r = await db.selectFrom('known_devices').select('id').where('id', '=', id).where('user_id', '=', userId).where('expires_at', '>', nowIso).executeTakeFirst();
  return r !== undefined;
}

export async function insertKnownDevice(db: Q, row: Database['known_devices']): Promise<void> {
  await db.insertInto('known_devices').values(row).execute();
}

export async function touchKnownDevice(db: Q, id: string, nowIso: string, expiresIso: string): Promise<void> {
  await db.updateTable('known_devices').set({ last_used_at: nowIso, expires_at: expiresIso }).where('id', '=', id).execute();
}

export async function deleteExpiredKnownDevices(db: Q, nowIso: string): Promise<void> {
  await db.deleteFrom('known_devices').where('expires_at', '<=', nowIso).execute();
}

export async function deleteUserKnownDevices(db: Q, userId: string): Promise<number> {
  const r = await db.deleteFrom('known_devices').where('user_id', '=', userId).executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** Revokes every live API token of the user; returns the ids revoked. */
export async function revokeUserApiTokens(db: Q, userId: string, nowIso: string): Promise<string[]> {
  const rows = await db.updateTable('api_tokens').set({ revoked_at: nowIso }).where('user_id', '=', userId).where('revoked_at', 'is', null).returning('id').execute();
  return rows.map((r) => r.id);
}
