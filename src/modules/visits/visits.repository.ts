import type { Expression, Kysely, RawBuilder, SqlBool, Transaction } from 'kysely';
import { keyset, pageOf, type Sort } from '../../db/keyset.js';
import type { Database } from '../../db/schema.js';

/** All SQL of the visit program. Callers pass the scope condition from visits.policy.ts. */
type Q = Kysely<Database> | Transaction<Database>;
type DB = Database;

type SiteCols = { site_name: string | null; site_address: string | null; site_lat: number | null; site_lng: number | null };
export type PlanRow = DB['call_plans'] & SiteCols & { account_name: string; account_name_en: string | null; manager_name: string; pending_changes: number };
export type VisitRow = DB['visits'] & SiteCols & { account_name: string; account_name_en: string | null };
export type ChangeRow = DB['call_plan_changes'] & { requested_by_name: string; account_name: string; account_name_en: string | null; manager_name: string; contact_name: string | null; contact_name_en: string | null };
export type Paged<T> = { items: T[]; nextCursor: string | null };
type PageArgs = { sort: Sort; cursor?: string; limit: number };
export type UserRow = DB['users'] & { director_id: string | null };

// ---- users, accounts, sites, contacts (read only, for checks) ----

export async function findUser(db: Q, id: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').leftJoin('teams', 'teams.id', 'users.team_id').selectAll('users').select('teams.director_id').where('users.id', '=', id).executeTakeFirst();
}

export async function accountVisible(db: Q, scope: Expression<SqlBool>, id: string) {
  return db.selectFrom('accounts').select(['id', 'name', 'name_en', 'currency']).where('id', '=', id).where(scope).executeTakeFirst();
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
    .leftJoin('sites', 'sites.id', 'call_plans.site_id')
    .selectAll('call_plans')
    .select(['accounts.name as account_name', 'accounts.name_en as account_name_en', 'users.name as manager_name', 'sites.name as site_name', 'sites.address as site_address', 'sites.lat as site_lat', 'sites.lng as site_lng'])
    .select((eb) => eb.selectFrom('call_plan_changes').select((e) => e.fn.countAll<number>().as('n'))
      .whereRef('call_plan_changes.plan_id', '=', 'call_plans.id').where('call_plan_changes.status', '=', 'pending').as('pending_changes'));

export async function findPlan(db: Q, scope: Expression<SqlBool>, id: string): Promise<PlanRow | undefined> {
  return (await planBase(db).where('call_plans.id', '=', id).where(scope).executeTakeFirst()) as PlanRow | undefined;
}

type PlanFilter = { managerId?: string; accountId?: string; routeId?: string; weekday?: string; status?: string };
const filteredPlans = (db: Q, scope: Expression<SqlBool>, f: PlanFilter) => {
  let q = planBase(db).where(scope);
  if (f.managerId) q = q.where('call_plans.manager_id', '=', f.managerId);
  if (f.accountId) q = q.where('call_plans.account_id', '=', f.accountId);
  if (f.routeId) q = q.where('call_plans.route_id', '=', f.routeId);
  if (f.weekday) q = q.where('call_plans.weekday', '=', f.weekday);
  if (f.status) q = q.where('call_plans.status', '=', f.status);
  return q;
};

export async function listPlans(db: Q, scope: Expression<SqlBool>, f: PlanFilter): Promise<PlanRow[]> {
  return (await filteredPlans(db, scope, f).orderBy('call_plans.weekday').orderBy('call_plans.route_position').orderBy('call_plans.start_time').orderBy('call_plans.id').execute()) as PlanRow[];
}

const DAY_INDEX: Record<string, number> = { mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6, sun: 7 };
/** The "slot" sort key: weekday number then local start time, e.g. "1-09:00" (the same text in SQL and for the cursor). */
export const PLAN_SORTS: Record<string, string> = {
  slot: `(case call_plans.weekday ${Object.entries(DAY_INDEX).map(([d, i]) => `when '${d}' then '${i}-'`).join(' ')} end || call_plans.start_time)`,
  accountName: 'accounts.name',
  createdAt: 'call_plans.created_at',
};
const planSortValue = (sort: Sort, r: PlanRow): unknown =>
  sort.column === PLAN_SORTS.slot ? `${DAY_INDEX[r.weekday]}-${r.start_time}` : sort.column === PLAN_SORTS.accountName ? r.account_name : r.created_at;

export async function listPlansPage(db: Q, scope: Expression<SqlBool>, f: PlanFilter, p: PageArgs): Promise<Paged<PlanRow>> {
  const rows = (await keyset(filteredPlans(db, scope, f), p.sort, 'call_plans.id', p.cursor, p.limit).execute()) as PlanRow[];
  return pageOf(rows, p.limit, (r) => planSortValue(p.sort, r), (r) => r.id, (r) => r);
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
  db.selectFrom('call_plan_changes')
    .innerJoin('users as requester', 'requester.id', 'call_plan_changes.requested_by')
    .innerJoin('users as manager', 'manager.id', 'call_plan_changes.manager_id')
    .innerJoin('accounts', 'accounts.id', 'call_plan_changes.account_id')
    .leftJoin('contacts', 'contacts.id', 'call_plan_changes.contact_id')
    .selectAll('call_plan_changes')
    .select(['requester.name as requested_by_name', 'manager.name as manager_name', 'accounts.name as account_name', 'accounts.name_en as account_name_en', 'contacts.name as contact_name', 'contacts.name_en as contact_name_en']);

export async function insertChange(db: Q, row: DB['call_plan_changes']): Promise<void> {
  await db.insertInto('call_plan_changes').values(row).execute();
}

export async function findChange(db: Q, scope: Expression<SqlBool>, id: string): Promise<ChangeRow | undefined> {
  return changeBase(db).where('call_plan_changes.id', '=', id).where(scope).executeTakeFirst();
}

type ChangeFilter = { status?: string; managerId?: string; planId?: string };
const filteredChanges = (db: Q, scope: Expression<SqlBool>, f: ChangeFilter) => {
  let q = changeBase(db).where(scope);
  if (f.status) q = q.where('call_plan_changes.status', '=', f.status);
  if (f.managerId) q = q.where('call_plan_changes.manager_id', '=', f.managerId);
  if (f.planId) q = q.where('call_plan_changes.plan_id', '=', f.planId);
  return q;
};

/** Every change of the filter, oldest first (a plan's history). */
export async function listChanges(db: Q, scope: Expression<SqlBool>, f: ChangeFilter): Promise<ChangeRow[]> {
  return filteredChanges(db, scope, f).orderBy('call_plan_changes.requested_at').orderBy('call_plan_changes.id').execute();
}

export const CHANGE_SORTS: Record<string, string> = { requestedAt: 'call_plan_changes.requested_at' };
export async function listChangesPage(db: Q, scope: Expression<SqlBool>, f: ChangeFilter, p: PageArgs): Promise<Paged<ChangeRow>> {
  const rows = (await keyset(filteredChanges(db, scope, f), p.sort, 'call_plan_changes.id', p.cursor, p.limit).execute()) as ChangeRow[];
  return pageOf(rows, p.limit, (r) => r.requested_at, (r) => r.id, (r) => r);
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
    .select(['accounts.name as account_name', 'accounts.name_en as account_name_en', 'sites.name as site_name', 'sites.address as site_address', 'sites.lat as site_lat', 'sites.lng as site_lng']);

export async function findVisit(db: Q, scope: Expression<SqlBool>, id: string): Promise<VisitRow | undefined> {
  return visitBase(db).where('visits.id', '=', id).where(scope).executeTakeFirst();
}

type VisitFilter = {
  from?: string; to?: string; managerId?: string; accountId?: string; planId?: string; status?: string; teamId?: string; limit?: number; needsReason?: { before: string };
  /** upcoming: the slot has not ended and the visit is not done; past: the rest. */
  when?: { kind: 'upcoming' | 'past'; now: string };
};
export async function listVisits(db: Q, scope: Expression<SqlBool>, f: VisitFilter): Promise<VisitRow[]> {
  const q = filteredVisits(db, scope, f).orderBy('visits.scheduled_start').orderBy('visits.id');
  return f.limit ? q.limit(f.limit).execute() : q.execute();
}

export const VISIT_SORTS: Record<string, string> = { scheduledStart: 'visits.scheduled_start' };
export async function listVisitsPage(db: Q, scope: Expression<SqlBool>, f: VisitFilter, p: PageArgs): Promise<Paged<VisitRow>> {
  const rows = await keyset(filteredVisits(db, scope, f), p.sort, 'visits.id', p.cursor, p.limit).execute();
  return pageOf(rows, p.limit, (r) => r.scheduled_start, (r) => r.id, (r) => r);
}

function filteredVisits(db: Q, scope: Expression<SqlBool>, f: VisitFilter) {
  let q = visitBase(db).where(scope);
  if (f.from) q = q.where('visits.scheduled_start', '>=', f.from);
  if (f.to) q = q.where('visits.scheduled_start', '<', f.to);
  if (f.managerId) q = q.where('visits.manager_id', '=', f.managerId);
  if (f.accountId) q = q.where('visits.account_id', '=', f.accountId);
  if (f.planId) q = q.where('visits.plan_id', '=', f.planId);
  if (f.status) q = q.where('visits.status', '=', f.status);
  if (f.teamId) q = q.where('visits.manager_id', 'in', (eb) => eb.selectFrom('users').select('users.id').where('users.team_id', '=', f.teamId!));
  if (f.when) {
    const { kind, now } = f.when;
    q = kind === 'upcoming'
      ? q.where('visits.scheduled_end', '>', now).where('visits.status', 'not in', ['completed', 'missed'])
      : q.where((eb) => eb.or([eb('visits.scheduled_end', '<=', now), eb('visits.status', 'in', ['completed', 'missed'])]));
  }
  if (f.needsReason) {
    const before = f.needsReason.before;
    q = q.where('visits.missed_reason', 'is', null).where('visits.moved_from', 'is', null).where((eb) => eb.or([
      eb('visits.status', '=', 'missed'),
      eb.and([eb('visits.status', '=', 'planned'), eb('visits.scheduled_end', '<=', before)]),
    ]));
  }
  return q;
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

/** Active managers and directors whose program `scope` (a condition on users.id) lets the caller see. */
export async function programManagers(db: Q, scope: Expression<SqlBool>) {
  return db.selectFrom('users').leftJoin('teams', 'teams.id', 'users.team_id')
    .select(['users.id', 'users.name', 'users.role', 'users.team_id', 'users.time_zone', 'teams.name as team_name', 'teams.director_id'])
    .where('users.active', '=', 1).where('users.role', 'in', ['manager', 'director']).where(scope)
    .orderBy('users.name').orderBy('users.id').execute();
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

// ---- contributions: the account page, the timeline, someone's day ----

/** The account's visits from `from` on (the last 12 weeks for punctuality and the next visit). */
export async function accountVisitsSince(db: Q, scope: Expression<SqlBool>, accountId: string, from: string, limit: number): Promise<VisitRow[]> {
  return visitBase(db).where(scope).where('visits.account_id', '=', accountId).where('visits.scheduled_start', '>=', from)
    .where('visits.status', '!=', 'cancelled').orderBy('visits.scheduled_start').orderBy('visits.id').limit(limit).execute();
}

/** The account's latest visit that was checked in (whenever it was). */
export async function lastCheckedInVisit(db: Q, scope: Expression<SqlBool>, accountId: string): Promise<VisitRow | undefined> {
  return visitBase(db).where(scope).where('visits.account_id', '=', accountId).where('visits.check_in_at', 'is not', null)
    .orderBy('visits.check_in_at', 'desc').limit(1).executeTakeFirst();
}

/** Visits for the timeline: those that happened or were due, at their check-in (or slot) time, newest first. */
export async function timelineVisits(db: Q, scope: Expression<SqlBool>, accountId: string, f: { before: Expression<SqlBool>; at: RawBuilder<string>; until: string; managerId?: string | undefined; limit: number }) {
  let q = visitBase(db).leftJoin('users', 'users.id', 'visits.manager_id').select(['users.name as manager_name', f.at.as('event_at')])
    .where(scope).where('visits.account_id', '=', accountId).where('visits.status', '!=', 'cancelled')
    .where((eb) => eb.or([eb('visits.check_in_at', 'is not', null), eb('visits.scheduled_start', '<', f.until)]))
    .where(f.before);
  if (f.managerId) q = q.where('visits.manager_id', '=', f.managerId);
  return q.orderBy(f.at, 'desc').orderBy('visits.id', 'desc').limit(f.limit).execute();
}

/** Slot changes of the account for the timeline, newest request first. */
export async function timelineChanges(db: Q, scope: Expression<SqlBool>, accountId: string, f: { before: Expression<SqlBool>; userId?: string | undefined; limit: number }) {
  let q = db.selectFrom('call_plan_changes').innerJoin('users as r', 'r.id', 'call_plan_changes.requested_by')
    .select(['call_plan_changes.id', 'call_plan_changes.requested_at', 'call_plan_changes.requested_by', 'call_plan_changes.kind', 'call_plan_changes.reason',
      'call_plan_changes.status', 'call_plan_changes.note', 'call_plan_changes.before_json', 'call_plan_changes.after_json', 'r.name as requested_by_name'])
    .where(scope).where('call_plan_changes.account_id', '=', accountId).where(f.before);
  if (f.userId) q = q.where('call_plan_changes.requested_by', '=', f.userId);
  return q.orderBy('call_plan_changes.requested_at', 'desc').orderBy('call_plan_changes.id', 'desc').limit(f.limit).execute();
}

/** A manager's visits in [from, to), with the route position of their plan (route order). */
export async function dayVisits(db: Q, scope: Expression<SqlBool>, managerId: string, from: string, to: string) {
  return visitBase(db).leftJoin('call_plans', 'call_plans.id', 'visits.plan_id')
    .select(['accounts.code as account_code', 'accounts.name_en as account_name_en', 'call_plans.route_position'])
    .where(scope).where('visits.manager_id', '=', managerId).where('visits.scheduled_start', '>=', from).where('visits.scheduled_start', '<', to)
    .where('visits.status', '!=', 'cancelled').orderBy('visits.scheduled_start').orderBy('visits.id').execute();
}

/** Changes a person asked for that were decided since `since` (the answers they wait for). */
export async function answeredChanges(db: Q, scope: Expression<SqlBool>, requestedBy: string, since: string) {
  return db.selectFrom('call_plan_changes').innerJoin('accounts as a', 'a.id', 'call_plan_changes.account_id')
    .select(['call_plan_changes.id', 'call_plan_changes.status', 'call_plan_changes.decided_at', 'call_plan_changes.kind', 'a.id as account_id', 'a.code', 'a.name', 'a.name_en'])
    .where(scope).where('call_plan_changes.requested_by', '=', requestedBy).where('call_plan_changes.decided_at', '>=', since)
    .where('call_plan_changes.decided_by', 'is not', null).where('call_plan_changes.status', 'in', ['applied', 'rejected'])
    // Answered by someone else: a plan's creation and a customer's request apply at once, unanswered.
    .whereRef('call_plan_changes.decided_by', '!=', 'call_plan_changes.requested_by').orderBy('call_plan_changes.decided_at', 'desc').limit(50).execute();
}

/** Pending changes waiting for a decision, counted per manager (the director's approvals). */
export async function pendingChangesByManager(db: Q, scope: Expression<SqlBool>) {
  return db.selectFrom('call_plan_changes').innerJoin('users as m', 'm.id', 'call_plan_changes.manager_id')
    .select((eb) => ['m.id as manager_id', 'm.name as manager_name', eb.fn.countAll<number>().as('n'), eb.fn.min('call_plan_changes.requested_at').as('oldest')])
    .where(scope).where('call_plan_changes.status', '=', 'pending').groupBy(['m.id', 'm.name']).orderBy('m.name').execute();
}

/** Visits of the key accounts (stored tier A or B) scheduled in [from, to), each account's newest first (the director's accounts at risk). */
export async function keyAccountVisits(db: Q, scope: Expression<SqlBool>, from: string, to: string) {
  return db.selectFrom('visits').innerJoin('accounts', 'accounts.id', 'visits.account_id')
    .select(['visits.id', 'visits.account_id', 'visits.status', 'visits.scheduled_start', 'visits.scheduled_end', 'visits.punctuality', 'visits.moved_from', 'visits.missed_reason',
      'accounts.code', 'accounts.name', 'accounts.name_en', 'accounts.tier'])
    .where(scope).where('accounts.tier', 'in', ['A', 'B']).where('visits.scheduled_start', '>=', from).where('visits.scheduled_start', '<', to)
    .orderBy('visits.account_id').orderBy('visits.scheduled_start', 'desc').orderBy('visits.id', 'desc').execute();
}
