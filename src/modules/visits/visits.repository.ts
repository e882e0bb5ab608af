import type { Expression, Kysely, SqlBool, Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';

/** All SQL of the visit program. Callers pass the scope condition from visits.policy.ts. */
type Q = Kysely<Database> | Transaction<Database>;
type DB = Database;

export type PlanRow = DB['call_plans'] & { account_name: string; manager_name: string; pending_changes: number };
export type VisitRow = DB['visits'] & { account_name: string; site_name: string | null; site_lat: number | null; site_lng: number | null };
export type ChangeRow = DB['call_plan_changes'] & { requested_by_name: string };
export type UserRow = DB['users'] & { director_id: string | null };

// ---- users, accounts, sites, contacts (read only, for checks) ----

export async function findUser(db: Q, id: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').leftJoin('teams', 'teams.id', 'users.team_id').selectAll('users').select('teams.director_id').where('users.id', '=', id).executeTakeFirst();
}

export async function accountVisible(db: Q, scope: Expression<SqlBool>, id: string) {
  return db.selectFrom('accounts').select(['id', 'name', 'currency']).where('id', '=', id).where(scope).executeTakeFirst();
}

export async function findSite(db: Q, id: string) {
  return db.selectFrom('sites').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function firstLocatedSite(db: Q, accountId: string) {
  return db.selectFrom('sites').selectAll().where('account_id', '=', accountId).where('lat', 'is not', null).orderBy('created_at').orderBy('id').executeTakeFirst();
}

export async function findContact(db: Q, id: string) {
  return db.selectFrom('contacts').select(['id', 'account_id', 'name']).where('id', '=', id).executeTakeFirst();
}

export async function sitesByIds(db: Q, ids: string[]) {
  if (!ids.length) return [];
  return db.selectFrom('sites').selectAll().where('id', 'in', ids).execute();
}

// ---- routes ----

export async function insertRoute(db: Q, row: DB['visit_routes']): Promise<void> {
  await db.insertInto('visit_routes').values(row).execute();
}

export async function findRoute(db: Q, scope: Expression<SqlBool>, id: string) {
  return db.selectFrom('visit_routes').selectAll().where('id', '=', id).where(scope).executeTakeFirst();
}

export async function listRoutes(db: Q, scope: Expression<SqlBool>, f: { managerId?: string; weekday?: string }) {
  let q = db.selectFrom('visit_routes').selectAll().where(scope);
  if (f.managerId) q = q.where('manager_id', '=', f.managerId);
  if (f.weekday) q = q.where('weekday', '=', f.weekday);
  return q.orderBy('manager_id').orderBy('weekday').orderBy('name').execute();
}

export async function updateRoute(db: Q, id: string, version: number, patch: Partial<DB['visit_routes']>): Promise<boolean> {
  const r = await db.updateTable('visit_routes').set({ ...patch, version: version + 1 }).where('id', '=', id).where('version', '=', version).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

// ---- plans ----

const planBase = (db: Q) =>
  db.selectFrom('call_plans')
    .innerJoin('accounts', 'accounts.id', 'call_plans.account_id')
    .innerJoin('users', 'users.id', 'call_plans.manager_id')
    .selectAll('call_plans')
    .select(['accounts.name as account_name', 'users.name as manager_name'])
    .select((eb) => eb.selectFrom('call_plan_changes').select((e) => e.fn.countAll<number>().as('n'))
      .whereRef('call_plan_changes.plan_id', '=', 'call_plans.id').where('call_plan_changes.status', '=', 'pending').as('pending_changes'));

export async function findPlan(db: Q, scope: Expression<SqlBool>, id: string): Promise<PlanRow | undefined> {
  return (await planBase(db).where('call_plans.id', '=', id).where(scope).executeTakeFirst()) as PlanRow | undefined;
}

export async function listPlans(db: Q, scope: Expression<SqlBool>, f: { managerId?: string; accountId?: string; routeId?: string; weekday?: string; status?: string }): Promise<PlanRow[]> {
  let q = planBase(db).where(scope);
  if (f.managerId) q = q.where('call_plans.manager_id', '=', f.managerId);
  if (f.accountId) q = q.where('call_plans.account_id', '=', f.accountId);
  if (f.routeId) q = q.where('call_plans.route_id', '=', f.routeId);
  if (f.weekday) q = q.where('call_plans.weekday', '=', f.weekday);
  if (f.status) q = q.where('call_plans.status', '=', f.status);
  return (await q.orderBy('call_plans.weekday').orderBy('call_plans.route_position').orderBy('call_plans.start_time').orderBy('call_plans.id').execute()) as PlanRow[];
}

export async function insertPlan(db: Q, row: DB['call_plans']): Promise<void> {
  await db.insertInto('call_plans').values(row).execute();
}

export async function updatePlan(db: Q, id: string, version: number, patch: Partial<DB['call_plans']>): Promise<boolean> {
  const r = await db.updateTable('call_plans').set({ ...patch, version: version + 1 }).where('id', '=', id).where('version', '=', version).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

// ---- changes ----

const changeBase = (db: Q) =>
  db.selectFrom('call_plan_changes').innerJoin('users', 'users.id', 'call_plan_changes.requested_by')
    .selectAll('call_plan_changes').select('users.name as requested_by_name');

export async function insertChange(db: Q, row: DB['call_plan_changes']): Promise<void> {
  await db.insertInto('call_plan_changes').values(row).execute();
}

export async function findChange(db: Q, scope: Expression<SqlBool>, id: string): Promise<ChangeRow | undefined> {
  return changeBase(db).where('call_plan_changes.id', '=', id).where(scope).executeTakeFirst();
}

export async function listChanges(db: Q, scope: Expression<SqlBool>, f: { status?: string; managerId?: string; planId?: string }): Promise<ChangeRow[]> {
  let q = changeBase(db).where(scope);
  if (f.status) q = q.where('call_plan_changes.status', '=', f.status);
  if (f.managerId) q = q.where('call_plan_changes.manager_id', '=', f.managerId);
  if (f.planId) q = q.where('call_plan_changes.plan_id', '=', f.planId);
  return q.orderBy('call_plan_changes.requested_at').orderBy('call_plan_changes.id').limit(1000).execute();
}

export async function decideChange(db: Q, id: string, patch: { status: string; decided_by: string; decided_at: string; decision_note: string | null }): Promise<boolean> {
  const r = await db.updateTable('call_plan_changes').set(patch).where('id', '=', id).where('status', '=', 'pending').executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

// ---- visits ----

const visitBase = (db: Q) =>
  db.selectFrom('visits')
    .innerJoin('accounts', 'accounts.id', 'visits.account_id')
    .leftJoin('sites', 'sites.id', 'visits.site_id')
    .selectAll('visits')
    .select(['accounts.name as account_name', 'sites.name as site_name', 'sites.lat as site_lat', 'sites.lng as site_lng']);

export async function findVisit(db: Q, scope: Expression<SqlBool>, id: string): Promise<VisitRow | undefined> {
  return visitBase(db).where('visits.id', '=', id).where(scope).executeTakeFirst();
}

export async function listVisits(db: Q, scope: Expression<SqlBool>, f: {
  from?: string; to?: string; managerId?: string; accountId?: string; planId?: string; status?: string; teamId?: string; limit?: number; needsReason?: { before: string };
}): Promise<VisitRow[]> {
  let q = visitBase(db).where(scope);
  if (f.from) q = q.where('visits.scheduled_start', '>=', f.from);
  if (f.to) q = q.where('visits.scheduled_start', '<', f.to);
  if (f.managerId) q = q.where('visits.manager_id', '=', f.managerId);
  if (f.accountId) q = q.where('visits.account_id', '=', f.accountId);
  if (f.planId) q = q.where('visits.plan_id', '=', f.planId);
  if (f.status) q = q.where('visits.status', '=', f.status);
  if (f.teamId) q = q.where('visits.manager_id', 'in', (eb) => eb.selectFrom('users').select('users.id').where('users.team_id', '=', f.teamId!));
  if (f.needsReason) {
    const before = f.needsReason.before;
    q = q.where('visits.missed_reason', 'is', null).where('visits.moved_from', 'is', null).where((eb) => eb.or([
      eb('visits.status', '=', 'missed'),
      eb.and([eb('visits.status', '=', 'planned'), eb('visits.scheduled_end', '<=', before)]),
    ]));
  }
  q = q.orderBy('visits.scheduled_start').orderBy('visits.id');
  return f.limit ? q.limit(f.limit).execute() : q.execute();
}

export async function planVisitsFrom(db: Q, planId: string, fromDate: string) {
  return db.selectFrom('visits').selectAll().where('plan_id', '=', planId).where('occurrence_date', '>=', fromDate).execute();
}

export async function lastOccurrence(db: Q, planId: string): Promise<string | undefined> {
  const r = await db.selectFrom('visits').select((eb) => eb.fn.max('occurrence_date').as('d')).where('plan_id', '=', planId).executeTakeFirst();
  return (r?.d as string | null) ?? undefined;
}

export async function insertVisits(db: Q, rows: DB['visits'][]): Promise<void> {
  if (rows.length) await db.insertInto('visits').values(rows).execute();
}

export async function rescheduleVisit(db: Q, id: string, start: string, end: string, tz: string, tolerance: number, siteId: string | null, managerId: string, now: string): Promise<void> {
  await db.updateTable('visits').set((eb) => ({
    scheduled_start: start, scheduled_end: end, time_zone: tz, tolerance_minutes: tolerance, site_id: siteId, manager_id: managerId, updated_at: now, version: eb('version', '+', 1),
  })).where('id', '=', id).execute();
}

export async function deleteVisits(db: Q, ids: string[]): Promise<void> {
  if (ids.length) await db.deleteFrom('visits').where('id', 'in', ids).execute();
}

export async function updateVisit(db: Q, id: string, version: number, patch: Partial<DB['visits']>): Promise<boolean> {
  const r = await db.updateTable('visits').set({ ...patch, version: version + 1 }).where('id', '=', id).where('version', '=', version).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function managersWithTeams(db: Q, ids: string[]) {
  if (!ids.length) return [];
  return db.selectFrom('users').leftJoin('teams', 'teams.id', 'users.team_id')
    .select(['users.id', 'users.name', 'users.team_id', 'teams.name as team_name']).where('users.id', 'in', ids).execute();
}

// ---- calendar feeds ----

export async function insertFeed(db: Q, row: DB['calendar_feeds']): Promise<void> {
  await db.insertInto('calendar_feeds').values(row).execute();
}

export async function listFeeds(db: Q, userId: string) {
  return db.selectFrom('calendar_feeds').selectAll().where('user_id', '=', userId).orderBy('created_at').execute();
}

export async function revokeFeed(db: Q, userId: string, id: string, now: string): Promise<boolean> {
  const r = await db.updateTable('calendar_feeds').set({ revoked_at: now }).where('id', '=', id).where('user_id', '=', userId).where('revoked_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function feedByHash(db: Q, hash: string) {
  return db.selectFrom('calendar_feeds').selectAll().where('token_hash', '=', hash).where('revoked_at', 'is', null).executeTakeFirst();
}

export async function touchFeed(db: Q, id: string, now: string): Promise<void> {
  await db.updateTable('calendar_feeds').set({ last_used_at: now }).where('id', '=', id).execute();
}
