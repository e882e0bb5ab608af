import type { Transaction } from 'kysely';
import { parseSort } from '../../db/keyset.js';
import type { Database } from '../../db/schema.js';
import type { Ctx } from '../../server/context.js';
import { AppError, badRequest, conflict, forbidden, notFound, type FieldError } from '../../server/errors.js';
import { accountVisibleTo } from '../../server/policy.js';
import { newId } from '../../shared/ids.js';
import { localDateOf, nextWeekday } from '../../shared/time.js';
import { recordAudit } from '../audit/audit.service.js';
import type {
  BatchChangeBody, CallPlan, ChangeQuery, ChangeRequestBody, CreatePlanBody, CreateRouteBody, PlanChange, PlanQuery, ProgramManager, SlotPatch, UpdateRouteBody, VisitRoute,
} from './visits.contract.js';
import { needsApproval, slotChanges, slotRRuleText, type SlotView } from './visits.domain.js';
import { actorFor, managerVisibleTo, programVisibleTo } from './visits.policy.js';
import * as repo from './visits.repository.js';
import { materialisePlan } from './visits.service.js';

/** How far ahead visits are materialised on every plan change (and by default by the job). */
export const MATERIALISE_WEEKS = 4;

const planScope = (ctx: Ctx) => programVisibleTo(ctx.actor, 'call_plans');
const changeScope = (ctx: Ctx) => programVisibleTo(ctx.actor, 'call_plan_changes');
const routeScope = (ctx: Ctx) => managerVisibleTo(ctx.actor, 'visit_routes.manager_id');

// ---- routes ----

/** A joined site's name, address and position (API names). */
export const siteOf = (r: { site_name: string | null; site_address: string | null; site_lat: number | null; site_lng: number | null }) => ({
  siteName: r.site_name, siteAddress: r.site_address, site: r.site_lat !== null && r.site_lng !== null ? { lat: r.site_lat, lng: r.site_lng } : null,
});

/**
 * The managers whose visit program the caller can see, and whether they may plan for them:
 * a manager themselves; a director themselves and their teams' managers; admin all; executive all, read only.
 */
export async function programManagers(ctx: Ctx): Promise<ProgramManager[]> {
  const rows = await repo.programManagers(ctx.db.kysely, managerVisibleTo(ctx.actor, 'users.id'));
  return rows.map((u) => ({
    id: u.id, name: u.name, role: u.role as ProgramManager['role'], teamId: u.team_id, teamName: u.team_name, timeZone: u.time_zone, self: u.id === ctx.actor.userId,
    canPlan: ctx.actor.role === 'admin' || u.id === ctx.actor.userId || (ctx.actor.role === 'director' && u.director_id === ctx.actor.userId),
  }));
}

function toRoute(r: Database['visit_routes'], stops: repo.PlanRow[]): VisitRoute {
  return {
    id: r.id, name: r.name, managerId: r.manager_id, weekday: r.weekday as VisitRoute['weekday'], timeZone: r.time_zone,
    base: { label: r.base_label, lat: r.base_lat, lng: r.base_lng }, dayStart: r.day_start, dayEnd: r.day_end,
    stops: stops.map((p) => ({
      planId: p.id, accountId: p.account_id, accountName: p.account_name, accountNameEn: p.account_name_en, siteId: p.site_id, ...siteOf(p), position: p.route_position, startTime: p.start_time,
      durationMinutes: p.duration_minutes, timeFixed: p.time_fixed === 1, version: p.version,
    })),
    createdAt: r.created_at, updatedAt: r.updated_at, version: r.version,
  };
}

/** Who may be given a visit program: an active manager or director the caller may manage (managers: themselves). */
async function assignableManager(ctx: Ctx, managerId: string, path: string): Promise<repo.UserRow> {
  const u = await repo.findUser(ctx.db.kysely, managerId);
  if (!u || u.active !== 1 || !['manager', 'director'].includes(u.role)) throw badRequest('The manager must be an active manager or director', [{ path, message: 'not an active manager' }]);
  if (ctx.actor.role === 'admin' || u.id === ctx.actor.userId) return u;
  if (ctx.actor.role === 'director' && u.director_id === ctx.actor.userId) return u;
  throw forbidden('You can only plan visits for yourself or, as a director, for your team');
}

export async function loadRoute(ctx: Ctx, id: string) {
  const r = await repo.findRoute(ctx.db.kysely, routeScope(ctx), id);
  if (!r) throw notFound('Route');
  return r;
}

export async function getRoute(ctx: Ctx, id: string): Promise<VisitRoute> {
  const r = await loadRoute(ctx, id);
  return toRoute(r, await repo.listPlans(ctx.db.kysely, planScope(ctx), { routeId: id, status: 'active' }));
}

export async function listRoutes(ctx: Ctx, q: { managerId?: string; weekday?: string }): Promise<VisitRoute[]> {
  const rows = await repo.listRoutes(ctx.db.kysely, routeScope(ctx), q);
  const plans = await repo.listPlans(ctx.db.kysely, planScope(ctx), { managerId: q.managerId, status: 'active' });
  return rows.map((r) => toRoute(r, plans.filter((p) => p.route_id === r.id)));
}

export async function createRoute(ctx: Ctx, body: CreateRouteBody): Promise<VisitRoute> {
  const managerId = body.managerId ?? ctx.actor.userId;
  await assignableManager(ctx, managerId, 'body.managerId');
  const now = ctx.clock.now().toISOString();
  const id = newId();
  await ctx.db.kysely.transaction().execute(async (trx) => {
    await repo.insertRoute(trx, {
      id, name: body.name, manager_id: managerId, weekday: body.weekday, time_zone: body.timeZone, base_label: body.base.label, base_lat: body.base.lat, base_lng: body.base.lng,
      day_start: body.dayStart, day_end: body.dayEnd, created_at: now, updated_at: now, version: 1,
    });
    await recordAudit(trx, ctx, { action: 'create', entity: 'visit_route', entityId: id, after: body });
  });
  return getRoute(ctx, id);
}

export async function updateRoute(ctx: Ctx, id: string, version: number, body: UpdateRouteBody): Promise<VisitRoute> {
  const before = await loadRoute(ctx, id);
  await assignableManager(ctx, before.manager_id, 'managerId');
  await ctx.db.kysely.transaction().execute(async (trx) => {
    const ok = await repo.updateRoute(trx, id, version, {
      ...(body.name !== undefined && { name: body.name }),
      ...(body.base !== undefined && { base_label: body.base.label, base_lat: body.base.lat, base_lng: body.base.lng }),
      ...(body.dayStart !== undefined && { day_start: body.dayStart }),
      ...(body.dayEnd !== undefined && { day_end: body.dayEnd }),
      updated_at: ctx.clock.now().toISOString(),
    });
    if (!ok) throw new AppError('precondition_failed', 412, 'The route was changed by someone else since you read it; reload and try again');
    await recordAudit(trx, ctx, { action: 'update', entity: 'visit_route', entityId: id, before, after: body });
  });
  return getRoute(ctx, id);
}

// ---- plans ----

const toPlan = (p: repo.PlanRow): CallPlan => ({
  id: p.id, accountId: p.account_id, accountName: p.account_name, accountNameEn: p.account_name_en, managerId: p.manager_id, managerName: p.manager_name, siteId: p.site_id, ...siteOf(p),
  routeId: p.route_id, routePosition: p.route_position, weekday: p.weekday as CallPlan['weekday'], startTime: p.start_time,
  durationMinutes: p.duration_minutes, intervalWeeks: p.interval_weeks, timeZone: p.time_zone, anchorDate: p.anchor_date, endsOn: p.ends_on,
  timeFixed: p.time_fixed === 1, toleranceMinutes: p.tolerance_minutes, rrule: p.rrule, status: p.status as CallPlan['status'],
  pendingChanges: Number(p.pending_changes), createdAt: p.created_at, updatedAt: p.updated_at, version: p.version,
});

async function loadPlan(ctx: Ctx, id: string): Promise<repo.PlanRow> {
  const p = await repo.findPlan(ctx.db.kysely, planScope(ctx), id);
  if (!p) throw notFound('Call plan');
  return p;
}

export const getPlan = async (ctx: Ctx, id: string): Promise<CallPlan> => toPlan(await loadPlan(ctx, id));

export async function listPlans(ctx: Ctx, q: PlanQuery): Promise<{ items: CallPlan[]; nextCursor: string | null }> {
  const { limit, cursor, sort, ...filter } = q;
  const page = await repo.listPlansPage(ctx.db.kysely, planScope(ctx), filter, { sort: parseSort(sort, repo.PLAN_SORTS, 'slot'), cursor, limit });
  return { items: page.items.map(toPlan), nextCursor: page.nextCursor };
}

/** The slot columns of a plan after applying a patch, checked: site of the account, route of the manager on that weekday, account visible to the manager. */
async function resolveSlot(ctx: Ctx, accountId: string, current: Database['call_plans'] | null, patch: SlotPatch, prefix: string) {
  const errors: FieldError[] = [];
  const managerId = patch.managerId ?? current?.manager_id ?? ctx.actor.userId;
  const manager = current && managerId === current.manager_id ? await repo.findUser(ctx.db.kysely, managerId) : await assignableManager(ctx, managerId, `${prefix}.managerId`);
  if (!manager) throw notFound('Manager');
  // The account must be in the assigned manager's own scope, not only the caller's.
  if (!(await repo.accountVisible(ctx.db.kysely, accountVisibleTo(actorFor(manager), 'accounts.id'), accountId))) {
    errors.push({ path: `${prefix}.managerId`, message: 'the account is not in this manager\'s portfolio' });
  }
  const weekday = patch.weekday ?? (current?.weekday as SlotPatch['weekday']) ?? 'mon';
  const timeZone = patch.timeZone ?? current?.time_zone ?? 'Asia/Shanghai';
  const intervalWeeks = patch.intervalWeeks ?? current?.interval_weeks ?? 1;
  const today = localDateOf(ctx.clock.now(), timeZone);
  // Every-N-weeks counts from the anchor: it moves only when the weekday, rhythm or start date changes.
  const anchorDate = patch.startsOn || !current || patch.weekday !== undefined && patch.weekday !== current.weekday || patch.intervalWeeks !== undefined && patch.intervalWeeks !== current.interval_weeks
    ? nextWeekday(patch.startsOn ?? (current && current.anchor_date > today ? current.anchor_date : today), weekday!)
    : current.anchor_date;
  const siteId = patch.siteId !== undefined ? patch.siteId : current?.site_id ?? null;
  if (siteId) {
    const site = await repo.findSite(ctx.db.kysely, siteId);
    if (!site || site.account_id !== accountId) errors.push({ path: `${prefix}.siteId`, message: 'not a site of the account' });
  }
  const routeId = patch.routeId !== undefined ? patch.routeId : current?.route_id ?? null;
  if (routeId) {
    const route = await repo.findRoute(ctx.db.kysely, managerVisibleTo(ctx.actor, 'visit_routes.manager_id'), routeId);
    if (!route) errors.push({ path: `${prefix}.routeId`, message: 'no such route in your scope' });
    else if (route.manager_id !== managerId || route.weekday !== weekday || route.time_zone !== timeZone) {
      errors.push({ path: `${prefix}.routeId`, message: `the route belongs to another manager, weekday or time zone (${route.weekday}, ${route.time_zone})` });
    }
  }
  const endsOn = patch.endsOn !== undefined ? patch.endsOn : current?.ends_on ?? null;
  if (endsOn && endsOn < anchorDate && (!current || endsOn < today)) errors.push({ path: `${prefix}.endsOn`, message: 'before the first visit' });
  if (errors.length) throw badRequest('The slot is not valid', errors);
  const slot = {
    manager_id: managerId, weekday: weekday!, time_zone: timeZone, interval_weeks: intervalWeeks, anchor_date: anchorDate, site_id: siteId, route_id: routeId,
    start_time: patch.startTime ?? current?.start_time ?? '09:00', duration_minutes: patch.durationMinutes ?? current?.duration_minutes ?? 60,
    ends_on: endsOn, route_position: patch.routePosition !== undefined ? patch.routePosition : current?.route_position ?? null,
    time_fixed: patch.timeFixed !== undefined ? (patch.timeFixed ? 1 : 0) : current?.time_fixed ?? 0,
    tolerance_minutes: patch.toleranceMinutes ?? current?.tolerance_minutes ?? 10,
  };
  const rrule = slotRRuleText({
    weekday: slot.weekday, startTime: slot.start_time, durationMinutes: slot.duration_minutes, intervalWeeks: slot.interval_weeks, timeZone: slot.time_zone,
    anchorDate: slot.anchor_date, endsOn: slot.ends_on,
  });
  const status = endsOn && endsOn < today ? 'ended' : 'active';
  return { ...slot, rrule, status };
}

type Resolved = Awaited<ReturnType<typeof resolveSlot>>;

/** The slot as shown in history (API names). */
const slotView = (s: Pick<Database['call_plans'], keyof Resolved>) => ({
  weekday: s.weekday, startTime: s.start_time, durationMinutes: s.duration_minutes, intervalWeeks: s.interval_weeks, timeZone: s.time_zone,
  anchorDate: s.anchor_date, endsOn: s.ends_on, siteId: s.site_id, managerId: s.manager_id, routeId: s.route_id, routePosition: s.route_position,
  timeFixed: s.time_fixed === 1, toleranceMinutes: s.tolerance_minutes, rrule: s.rrule, status: s.status,
});

export async function createPlan(ctx: Ctx, body: CreatePlanBody): Promise<CallPlan> {
  if (!(await repo.accountVisible(ctx.db.kysely, accountVisibleTo(ctx.actor, 'accounts.id'), body.accountId))) {
    throw new AppError('not_found', 404, 'Account was not found', { errors: [{ path: 'body.accountId', message: 'no such account in your scope' }] });
  }
  const { accountId, ...patch } = body;
  const slot = await resolveSlot(ctx, accountId, null, patch, 'body');
  const now = ctx.clock.now();
  const stamp = now.toISOString();
  const id = newId();
  await ctx.db.kysely.transaction().execute(async (trx) => {
    const row: Database['call_plans'] = { id, account_id: accountId, ...slot, created_at: stamp, updated_at: stamp, version: 1 };
    await repo.insertPlan(trx, row);
    await repo.insertChange(trx, {
      id: newId(), plan_id: id, account_id: accountId, manager_id: slot.manager_id, kind: 'create', reason: 'initial', note: null, contact_id: null,
      status: 'applied', base_version: 0, before_json: null, after_json: JSON.stringify(slotView(slot)), requested_by: ctx.actor.userId,
      requested_at: stamp, decided_by: ctx.actor.userId, decided_at: stamp, decision_note: null,
    });
    await materialisePlan(trx, row, now, MATERIALISE_WEEKS);
    await recordAudit(trx, ctx, { action: 'create', entity: 'call_plan', entityId: id, accountId, after: slotView(slot) });
  });
  return getPlan(ctx, id);
}

const toChange = (c: repo.ChangeRow): PlanChange => ({
  id: c.id, planId: c.plan_id, accountId: c.account_id, accountName: c.account_name, accountNameEn: c.account_name_en, managerId: c.manager_id, managerName: c.manager_name,
  kind: c.kind as PlanChange['kind'], reason: c.reason as PlanChange['reason'], note: c.note, contactId: c.contact_id, contactName: c.contact_name, contactNameEn: c.contact_name_en, status: c.status as PlanChange['status'], before: c.before_json ? JSON.parse(c.before_json) : null,
  after: JSON.parse(c.after_json), requestedBy: c.requested_by, requestedByName: c.requested_by_name, requestedAt: c.requested_at,
  decidedBy: c.decided_by, decidedAt: c.decided_at, decisionNote: c.decision_note,
});

/** Writes a resolved slot onto the plan (version checked), re-materialises its visits, audits. */
async function applySlot(ctx: Ctx, trx: Transaction<Database>, plan: Database['call_plans'], slot: Resolved, changeId: string) {
  const now = ctx.clock.now();
  const ok = await repo.updatePlan(trx, plan.id, plan.version, { ...slot, updated_at: now.toISOString() });
  if (!ok) throw new AppError('precondition_failed', 412, 'The call plan was changed by someone else since you read it; reload and try again');
  const updated = { ...plan, ...slot, version: plan.version + 1 };
  await materialisePlan(trx, updated, now, MATERIALISE_WEEKS);
  await recordAudit(trx, ctx, { action: 'slot_change', entity: 'call_plan', entityId: plan.id, accountId: plan.account_id, before: slotView(plan), after: { ...slotView(slot), changeId } });
}

/**
 * A slot changes only with a reason. A customer's request names the contact who asked and
 * applies at once; any other reason waits for the director of the manager's team (or an admin).
 */
export async function requestChange(ctx: Ctx, planId: string, version: number, body: ChangeRequestBody): Promise<{ change: PlanChange; plan: CallPlan }> {
  const plan = await loadPlan(ctx, planId);
  if (plan.version !== version) throw new AppError('precondition_failed', 412, 'The call plan was changed by someone else since you read it; reload and try again');
  if (Object.keys(body.slot).length === 0) throw badRequest('Name at least one field of the slot to change', [{ path: 'body.slot', message: 'empty' }]);
  if (body.reason === 'customer_request') {
    if (!body.contactId) throw badRequest('A customer request names the contact who asked', [{ path: 'body.contactId', message: 'required for customer_request' }]);
    const contact = await repo.findContact(ctx.db.kysely, body.contactId);
    if (!contact || contact.account_id !== plan.account_id) throw badRequest('The contact must be a contact of this account', [{ path: 'body.contactId', message: 'not a contact of the account' }]);
  }
  if (body.reason === 'other' && !body.note) throw badRequest('Say why in a note', [{ path: 'body.note', message: 'required for reason other' }]);
  const slot = await resolveSlot(ctx, plan.account_id, plan, body.slot, 'body.slot');
  const after = slotView(slot);
  if (!slotChanges(slotView(plan), after)) {
    throw new AppError('no_change', 409, `This leaves the slot as it is (${plan.weekday} ${plan.start_time}): there is no change to ask for`, {
      errors: [{ path: 'body.slot', message: 'no change: the same day and time' }],
    });
  }
  const pending = needsApproval(body.reason);
  // One pending change per slot: asking again for what already waits returns it (applying the
  // same route proposal twice adds nothing); asking for something else replaces it.
  const waiting = await repo.listChanges(ctx.db.kysely, changeScope(ctx), { planId: plan.id, status: 'pending' });
  const same = pending ? waiting.find((c) => !slotChanges(JSON.parse(c.after_json) as SlotView, after)) : undefined;
  if (same) return { change: toChange(same), plan: toPlan(plan) };
  const id = newId();
  const stamp = ctx.clock.now().toISOString();
  await ctx.db.kysely.transaction().execute(async (trx) => {
    for (const c of waiting) {
      if (!(await repo.decideChange(trx, c.id, { status: 'superseded', decided_by: ctx.actor.userId, decided_at: stamp, decision_note: `Replaced by change ${id}` }))) throw conflict('A pending change of this slot was decided meanwhile; reload and try again');
      await recordAudit(trx, ctx, { action: 'slot_change_superseded', entity: 'call_plan', entityId: plan.id, accountId: plan.account_id, after: { changeId: c.id, supersededBy: id } });
    }
    await repo.insertChange(trx, {
      id, plan_id: plan.id, account_id: plan.account_id, manager_id: plan.manager_id, kind: 'change', reason: body.reason, note: body.note ?? null,
      contact_id: body.contactId ?? null, status: pending ? 'pending' : 'applied', base_version: plan.version, before_json: JSON.stringify(slotView(plan)),
      after_json: JSON.stringify(after), requested_by: ctx.actor.userId, requested_at: stamp,
      decided_by: pending ? null : ctx.actor.userId, decided_at: pending ? null : stamp, decision_note: null,
    });
    if (pending) await recordAudit(trx, ctx, { action: 'slot_change_requested', entity: 'call_plan', entityId: plan.id, accountId: plan.account_id, after: { changeId: id, reason: body.reason, note: body.note, slot: body.slot } });
    else await applySlot(ctx, trx, plan, slot, id);
  });
  const change = await repo.findChange(ctx.db.kysely, changeScope(ctx), id);
  return { change: toChange(change!), plan: await getPlan(ctx, plan.id) };
}

/**
 * Several changes with one reason (e.g. an optimisation proposal): each becomes a pending change.
 * Idempotent: a change that already waits is returned, not repeated; one that would leave its slot
 * as it is (same day and time) is left out rather than sent to the director.
 */
export async function requestChanges(ctx: Ctx, body: BatchChangeBody): Promise<PlanChange[]> {
  const out: PlanChange[] = [];
  for (const c of body.changes) {
    try {
      out.push((await requestChange(ctx, c.planId, c.version, { reason: body.reason, note: body.note, slot: c.slot })).change);
    } catch (err) {
      if (!(err instanceof AppError && err.code === 'no_change')) throw err;
    }
  }
  if (!out.length) throw new AppError('no_change', 409, 'None of these changes would move a slot: there is nothing to ask for');
  return out;
}

export async function listChanges(ctx: Ctx, q: ChangeQuery): Promise<{ items: PlanChange[]; nextCursor: string | null }> {
  const { limit, cursor, sort, ...filter } = q;
  const page = await repo.listChangesPage(ctx.db.kysely, changeScope(ctx), filter, { sort: parseSort(sort, repo.CHANGE_SORTS, 'requestedAt'), cursor, limit });
  return { items: page.items.map(toChange), nextCursor: page.nextCursor };
}

export async function planHistory(ctx: Ctx, planId: string): Promise<PlanChange[]> {
  await loadPlan(ctx, planId);
  return (await repo.listChanges(ctx.db.kysely, changeScope(ctx), { planId })).map(toChange);
}

/** The director of the plan manager's team, or an admin, decides; nobody else. */
async function loadDecidable(ctx: Ctx, id: string): Promise<repo.ChangeRow> {
  const c = await repo.findChange(ctx.db.kysely, changeScope(ctx), id);
  if (!c) throw notFound('Change');
  if (c.status !== 'pending') throw conflict(`This change is already ${c.status}`);
  if (ctx.actor.role !== 'admin') {
    const manager = await repo.findUser(ctx.db.kysely, c.manager_id);
    if (ctx.actor.role !== 'director' || manager?.director_id !== ctx.actor.userId) throw forbidden('Only the director of the manager\'s team or an admin can decide on this change');
  }
  return c;
}

/** The slot a pending change asks for, from its stored "after" view. */
function requestedSlot(c: repo.ChangeRow): Resolved {
  const after = JSON.parse(c.after_json) as ReturnType<typeof slotView>;
  return {
    manager_id: after.managerId, weekday: after.weekday as Resolved['weekday'], time_zone: after.timeZone, interval_weeks: after.intervalWeeks, anchor_date: after.anchorDate,
    site_id: after.siteId, route_id: after.routeId, start_time: after.startTime, duration_minutes: after.durationMinutes, ends_on: after.endsOn,
    route_position: after.routePosition, time_fixed: after.timeFixed ? 1 : 0, tolerance_minutes: after.toleranceMinutes, rrule: after.rrule, status: after.status,
  };
}

/** Checks a pending change against its plan before it is applied (the plan must not have moved since the request). */
async function loadApprovable(ctx: Ctx, id: string) {
  const c = await loadDecidable(ctx, id);
  const plan = await loadPlan(ctx, c.plan_id);
  if (plan.version !== c.base_version) throw conflict('The call plan changed after this request was made; reject it and request again');
  return { c, plan };
}

async function applyApproval(ctx: Ctx, trx: Transaction<Database>, a: Awaited<ReturnType<typeof loadApprovable>>, stamp: string, note?: string): Promise<void> {
  if (!(await repo.decideChange(trx, a.c.id, { status: 'applied', decided_by: ctx.actor.userId, decided_at: stamp, decision_note: note ?? null }))) throw conflict('This change was decided meanwhile');
  await applySlot(ctx, trx, a.plan, requestedSlot(a.c), a.c.id);
  await recordAudit(trx, ctx, { action: 'slot_change_approved', entity: 'call_plan', entityId: a.plan.id, accountId: a.plan.account_id, after: { changeId: a.c.id, note } });
}

export async function approveChange(ctx: Ctx, id: string, note?: string): Promise<{ change: PlanChange; plan: CallPlan }> {
  const a = await loadApprovable(ctx, id);
  const stamp = ctx.clock.now().toISOString();
  await ctx.db.kysely.transaction().execute((trx) => applyApproval(ctx, trx, a, stamp, note));
  return { change: toChange((await repo.findChange(ctx.db.kysely, changeScope(ctx), id))!), plan: await getPlan(ctx, a.plan.id) };
}

/**
 * Approves a group of pending changes at once (a director's "approve all"): every one is checked
 * first and all are applied in one transaction, or none is. Two changes of one plan cannot both
 * apply (the second was asked against the plan the first replaces), so such a group is refused.
 */
export async function approveChanges(ctx: Ctx, ids: string[], note?: string): Promise<PlanChange[]> {
  const unique = [...new Set(ids)];
  const all: Awaited<ReturnType<typeof loadApprovable>>[] = [];
  for (const id of unique) all.push(await loadApprovable(ctx, id));
  const plans = new Set<string>();
  for (const a of all) {
    if (plans.has(a.plan.id)) throw conflict('Two of these changes are for the same call plan; decide them one by one');
    plans.add(a.plan.id);
  }
  const stamp = ctx.clock.now().toISOString();
  await ctx.db.kysely.transaction().execute(async (trx) => { for (const a of all) await applyApproval(ctx, trx, a, stamp, note); });
  return Promise.all(unique.map(async (id) => toChange((await repo.findChange(ctx.db.kysely, changeScope(ctx), id))!)));
}

export async function rejectChange(ctx: Ctx, id: string, note?: string): Promise<{ change: PlanChange; plan: CallPlan }> {
  const c = await loadDecidable(ctx, id);
  const stamp = ctx.clock.now().toISOString();
  await ctx.db.kysely.transaction().execute(async (trx) => {
    if (!(await repo.decideChange(trx, id, { status: 'rejected', decided_by: ctx.actor.userId, decided_at: stamp, decision_note: note ?? null }))) throw conflict('This change was decided meanwhile');
    await recordAudit(trx, ctx, { action: 'slot_change_rejected', entity: 'call_plan', entityId: c.plan_id, accountId: c.account_id, after: { changeId: id, note } });
  });
  return { change: toChange((await repo.findChange(ctx.db.kysely, changeScope(ctx), id))!), plan: await getPlan(ctx, c.plan_id) };
}

