import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { Ctx } from '../../server/context.js';
import { AppError, badRequest, conflict, notFound } from '../../server/errors.js';
import { newId } from '../../shared/ids.js';
import { dayBounds, localDateOf, localIsoOf } from '../../shared/time.js';
import { recordVisitActivity } from '../activities/activities.service.js';
import { recordAudit } from '../audit/audit.service.js';
import { parseSort } from '../../db/keyset.js';
import type { Visit, VisitQuery } from './visits.contract.js';
import {
  checkInDistance, checkInRefusal, checkInWindow, classifyArrival, complianceOf, expandSlot, outcomeOf, type Slot, type VisitFacts,
} from './visits.domain.js';
import { managerVisibleTo, programVisibleTo } from './visits.policy.js';
import * as repo from './visits.repository.js';

type Trx = Transaction<Database>;
const visitScope = (ctx: Ctx) => programVisibleTo(ctx.actor, 'visits');
const planScope = (ctx: Ctx) => programVisibleTo(ctx.actor, 'call_plans');

export const slotOfPlan = (p: Database['call_plans']): Slot => ({
  weekday: p.weekday as Slot['weekday'], startTime: p.start_time, durationMinutes: p.duration_minutes, intervalWeeks: p.interval_weeks,
  timeZone: p.time_zone, anchorDate: p.anchor_date, endsOn: p.ends_on,
});

const factsOf = (r: Database['visits']): VisitFacts => ({
  status: r.status as VisitFacts['status'], scheduledEnd: r.scheduled_end, punctuality: r.punctuality as VisitFacts['punctuality'], movedAtCustomerRequest: r.moved_from !== null,
});

const windowOf = (r: Database['visits']) => checkInWindow({ start: new Date(r.scheduled_start), end: new Date(r.scheduled_end), timeZone: r.time_zone });

export function toVisit(r: repo.VisitRow, now: Date): Visit {
  const window = windowOf(r);
  return {
    id: r.id, planId: r.plan_id, accountId: r.account_id, accountName: r.account_name, accountNameEn: r.account_name_en, siteId: r.site_id, siteName: r.site_name, siteAddress: r.site_address,
    site: r.site_lat !== null && r.site_lng !== null ? { lat: r.site_lat, lng: r.site_lng } : null,
    managerId: r.manager_id, occurrenceDate: r.occurrence_date, scheduledStart: r.scheduled_start, scheduledEnd: r.scheduled_end,
    localStart: localIsoOf(new Date(r.scheduled_start), r.time_zone), timeZone: r.time_zone, status: r.status as Visit['status'],
    outcome: outcomeOf(factsOf(r), now), toleranceMinutes: r.tolerance_minutes,
    checkInWindow: { opensAt: window.opens.toISOString(), closesAt: window.closes.toISOString() },
    checkIn: r.check_in_at ? { at: r.check_in_at, lat: r.check_in_lat, lng: r.check_in_lng, distanceMetres: r.check_in_distance_m } : null,
    checkOut: r.check_out_at ? { at: r.check_out_at, lat: r.check_out_lat, lng: r.check_out_lng, distanceMetres: r.check_out_distance_m } : null,
    punctuality: r.punctuality as Visit['punctuality'], missedReason: r.missed_reason,
    moved: r.moved_from ? { from: r.moved_from, contactId: r.moved_contact_id, note: r.moved_note } : null,
    outcomeNotes: r.outcome_notes,
    order: r.order_amount_minor !== null && r.order_currency ? { amountMinor: Number(r.order_amount_minor), currency: r.order_currency } : null,
    issues: r.issues_json ? (JSON.parse(r.issues_json) as Visit['issues']) : [],
    createdAt: r.created_at, updatedAt: r.updated_at, version: r.version,
  };
}

// ---- materialisation ----

export type MaterialiseCounts = { created: number; updated: number; removed: number };

/**
 * Brings one plan's visits from today (local) to `weeks` ahead in line with its slot, idempotently:
 * missing occurrences are created, planned ones whose time moved are rescheduled, planned ones the
 * slot no longer holds are removed. Visits that happened, were missed or were moved are kept as they are.
 */
export async function materialisePlan(trx: Trx, plan: Database['call_plans'], now: Date, weeks: number): Promise<MaterialiseCounts> {
  const today = localDateOf(now, plan.time_zone);
  const from = dayBounds(today, plan.time_zone).start;
  const to = new Date(now.getTime() + weeks * 7 * 86_400_000);
  const wanted = plan.status === 'active' ? expandSlot(slotOfPlan(plan), from, to) : [];
  const existing = await repo.planVisitsFrom(trx, plan.id, today);
  const byDate = new Map(existing.map((v) => [v.occurrence_date, v]));
  const untouched = (v: Database['visits']) => v.status === 'planned' && v.moved_from === null && v.check_in_at === null;
  const stamp = now.toISOString();
  const counts = { created: 0, updated: 0, removed: 0 };
  const inserts: Database['visits'][] = [];
  for (const o of wanted) {
    const v = byDate.get(o.occurrenceDate);
    const start = o.start.toISOString();
    const end = o.end.toISOString();
    if (!v) {
      inserts.push({
        id: newId(), plan_id: plan.id, account_id: plan.account_id, site_id: plan.site_id, manager_id: plan.manager_id, occurrence_date: o.occurrenceDate,
        scheduled_start: start, scheduled_end: end, time_zone: plan.time_zone, status: 'planned', tolerance_minutes: plan.tolerance_minutes,
        check_in_at: null, check_in_lat: null, check_in_lng: null, check_in_distance_m: null, check_out_at: null, check_out_lat: null, check_out_lng: null,
        check_out_distance_m: null, punctuality: null, missed_reason: null, moved_from: null, moved_contact_id: null, moved_note: null,
        outcome_notes: null, order_amount_minor: null, order_currency: null, issues_json: null, created_at: stamp, updated_at: stamp, version: 1,
      });
    } else if (untouched(v) && (v.scheduled_start !== start || v.scheduled_end !== end || v.time_zone !== plan.time_zone || v.site_id !== plan.site_id
      || v.manager_id !== plan.manager_id || v.tolerance_minutes !== plan.tolerance_minutes)) {
      await repo.rescheduleVisit(trx, v.id, start, end, plan.time_zone, plan.tolerance_minutes, plan.site_id, plan.manager_id, stamp);
      counts.updated++;
    }
  }
  await repo.insertVisits(trx, inserts);
  counts.created = inserts.length;
  const keep = new Set(wanted.map((o) => o.occurrenceDate));
  // Only visits not yet begun: one whose slot has started today stays (it may still be checked in, or be missed).
  const stale = existing.filter((v) => untouched(v) && !keep.has(v.occurrence_date) && v.scheduled_start > stamp).map((v) => v.id);
  await repo.deleteVisits(trx, stale);
  counts.removed = stale.length;
  return counts;
}

/** Materialises every active plan in the caller's scope (or one manager's): the endpoint and the daily job. */
export async function materialise(ctx: Ctx, q: { weeks: number; managerId?: string }) {
  const plans = await repo.listPlans(ctx.db.kysely, planScope(ctx), { managerId: q.managerId });
  const now = ctx.clock.now();
  const total = { plans: plans.length, created: 0, updated: 0, removed: 0 };
  for (const p of plans) {
    await ctx.db.kysely.transaction().execute(async (trx) => {
      const c = await materialisePlan(trx, p, now, q.weeks);
      total.created += c.created; total.updated += c.updated; total.removed += c.removed;
      if (c.created + c.updated + c.removed > 0) {
        await recordAudit(trx, ctx, { action: 'materialise', entity: 'call_plan', entityId: p.id, accountId: p.account_id, after: c });
      }
    });
  }
  return total;
}

// ---- reading ----

export async function listVisits(ctx: Ctx, q: VisitQuery): Promise<{ items: Visit[]; nextCursor: string | null }> {
  const now = ctx.clock.now();
  const { limit, cursor, sort, when, ...f } = q;
  // Coming visits soonest first, past ones newest first: what a person reads from the top.
  const page = await repo.listVisitsPage(ctx.db.kysely, visitScope(ctx), {
    ...f, from: f.from && new Date(f.from).toISOString(), to: f.to && new Date(f.to).toISOString(),
    needsReason: f.needsReason === 'true' ? { before: now.toISOString() } : undefined,
    when: when ? { kind: when, now: now.toISOString() } : undefined,
  }, { sort: parseSort(sort, repo.VISIT_SORTS, when === 'past' ? '-scheduledStart' : 'scheduledStart'), cursor, limit });
  return { items: page.items.map((r) => toVisit(r, now)), nextCursor: page.nextCursor };
}

async function loadVisit(ctx: Ctx, id: string): Promise<repo.VisitRow> {
  const r = await repo.findVisit(ctx.db.kysely, visitScope(ctx), id);
  if (!r) throw notFound('Visit');
  return r;
}

export const getVisit = async (ctx: Ctx, id: string): Promise<Visit> => toVisit(await loadVisit(ctx, id), ctx.clock.now());

// ---- the phone: check in, check out, outcome ----

/** The time the phone recorded, if given: not in the future (2 minutes' clock skew allowed). */
function deviceTime(ctx: Ctx, at: string | undefined, path: string): Date {
  const now = ctx.clock.now();
  if (!at) return now;
  const t = new Date(at);
  if (t.getTime() > now.getTime() + 120_000) throw badRequest('The time is in the future', [{ path, message: 'in the future' }]);
  return t;
}

async function saveVisit(ctx: Ctx, before: repo.VisitRow, patch: Partial<Database['visits']>, action: string, after: Record<string, unknown>): Promise<Visit> {
  await ctx.db.kysely.transaction().execute(async (trx) => {
    const ok = await repo.updateVisit(trx, before.id, before.version, { ...patch, updated_at: ctx.clock.now().toISOString() });
    if (!ok) throw new AppError('precondition_failed', 412, 'The visit was changed by someone else since you read it; reload and try again');
    const activityId = action === 'check_in' || action === 'check_out' || 'outcome_notes' in patch ? await recordActivity(trx, ctx, { ...before, ...patch }, action) : null;
    await recordAudit(trx, ctx, { action, entity: 'visit', entityId: before.id, accountId: before.account_id, after: activityId ? { ...after, activityId } : after });
  });
  return getVisit(ctx, before.id);
}

/**
 * A visit that was checked in is also the account's activity (kind "visit"): the check-in records
 * it, the check-out gives it its real length and the outcome notes, an outcome edit keeps the
 * notes in step. So the activity list, the last contact and the time spent on the account count
 * program visits; the account timeline shows the visit once, as the visit's event (the activities
 * module leaves these out of its own events). Decision 015.
 */
async function recordActivity(trx: Trx, ctx: Ctx, v: repo.VisitRow, action: string): Promise<string | null> {
  if (!v.check_in_at) return null;
  const end = v.check_out_at ?? new Date(new Date(v.check_in_at).getTime() + (new Date(v.scheduled_end).getTime() - new Date(v.scheduled_start).getTime())).toISOString();
  return recordVisitActivity(trx, ctx, {
    visitId: v.id, accountId: v.account_id, startsAt: v.check_in_at, durationMinutes: Math.round((new Date(end).getTime() - new Date(v.check_in_at).getTime()) / 60_000),
    subject: v.site_name ?? v.account_name, notes: v.outcome_notes,
  }, action);
}

/** Check-in from the phone: time, position, distance to the site in metres, punctuality against the slot. */
type Position = { lat?: number; lng?: number; positionUnavailable?: 'denied' | 'unavailable' };
const located = (b: Position) => (b.lat !== undefined && b.lng !== undefined ? { lat: b.lat, lng: b.lng } : null);

/**
 * A check-in counts only near its slot: from two hours before the start to the end of the visit's
 * day (visits.domain `checkInWindow`). Late is still a visit (marked late); 04:12 for 09:00 is not.
 */
function assertCheckInWindow(v: repo.VisitRow, at: Date): void {
  const window = windowOf(v);
  const refusal = checkInRefusal(window, at);
  if (!refusal) return;
  const local = (d: Date) => localIsoOf(d, v.time_zone).replace('T', ' ').slice(0, 16);
  const details = { opensAt: window.opens.toISOString(), closesAt: window.closes.toISOString(), scheduledStart: v.scheduled_start, timeZone: v.time_zone };
  if (refusal === 'too_early') {
    const minutes = Math.round((new Date(v.scheduled_start).getTime() - window.opens.getTime()) / 60_000);
    throw new AppError('check_in_too_early', 409, `Check-in for this visit opens at ${local(window.opens)} (${v.time_zone}), ${minutes} minutes before its ${local(new Date(v.scheduled_start)).slice(11)} slot`, details);
  }
  throw new AppError('check_in_closed', 409, `Check-in for this visit closed at ${local(window.closes)} (${v.time_zone}), the end of its day; record it as missed with a reason`, details);
}

export async function checkIn(ctx: Ctx, id: string, body: Position & { at?: string; accuracyMetres?: number }): Promise<Visit> {
  const v = await loadVisit(ctx, id);
  if (v.check_in_at) throw conflict('This visit is already checked in');
  if (v.status === 'cancelled') throw conflict('This visit is cancelled');
  const at = deviceTime(ctx, body.at, 'body.at');
  assertCheckInWindow(v, at);
  const site = v.site_lat !== null && v.site_lng !== null ? { lat: v.site_lat, lng: v.site_lng } : null;
  const here = located(body);
  const distance = here ? checkInDistance(site, here) : null;
  const punctuality = classifyArrival(new Date(v.scheduled_start), at, v.tolerance_minutes);
  return saveVisit(ctx, v, {
    status: 'checked_in', check_in_at: at.toISOString(), check_in_lat: here?.lat ?? null, check_in_lng: here?.lng ?? null, check_in_distance_m: distance, punctuality,
  }, 'check_in', { at: at.toISOString(), lat: here?.lat ?? null, lng: here?.lng ?? null, positionUnavailable: body.positionUnavailable ?? null, accuracyMetres: body.accuracyMetres ?? null, distanceMetres: distance, punctuality });
}

type Outcome = { outcomeNotes?: string | null; order?: { amountMinor: number; currency: string } | null; issues?: { text: string; severity: string }[] };
const outcomePatch = (b: Outcome): Partial<Database['visits']> => ({
  ...(b.outcomeNotes !== undefined && { outcome_notes: b.outcomeNotes }),
  ...(b.order !== undefined && { order_amount_minor: b.order?.amountMinor ?? null, order_currency: b.order?.currency ?? null }),
  ...(b.issues !== undefined && { issues_json: JSON.stringify(b.issues) }),
});

export async function checkOut(ctx: Ctx, id: string, body: Position & { at?: string } & Outcome): Promise<Visit> {
  const v = await loadVisit(ctx, id);
  if (!v.check_in_at) throw conflict('Check in before checking out');
  if (v.check_out_at) throw conflict('This visit is already checked out');
  const at = deviceTime(ctx, body.at, 'body.at');
  if (at.toISOString() < v.check_in_at) throw badRequest('Check-out is before check-in', [{ path: 'body.at', message: 'before the check-in' }]);
  const site = v.site_lat !== null && v.site_lng !== null ? { lat: v.site_lat, lng: v.site_lng } : null;
  const here = located(body);
  const distance = here ? checkInDistance(site, here) : null;
  return saveVisit(ctx, v, {
    status: 'completed', check_out_at: at.toISOString(), check_out_lat: here?.lat ?? null, check_out_lng: here?.lng ?? null, check_out_distance_m: distance, ...outcomePatch(body),
  }, 'check_out', { ...body, at: at.toISOString(), distanceMetres: distance });
}

export async function updateOutcome(ctx: Ctx, id: string, version: number, body: Outcome): Promise<Visit> {
  const v = await loadVisit(ctx, id);
  if (v.version !== version) throw new AppError('precondition_failed', 412, 'The visit was changed by someone else since you read it; reload and try again');
  return saveVisit(ctx, v, outcomePatch(body), 'update', body);
}

/** A missed visit needs a reason: recorded here, for a visit not checked in whose slot has begun. */
export async function markMissed(ctx: Ctx, id: string, reason: string): Promise<Visit> {
  const v = await loadVisit(ctx, id);
  if (v.check_in_at) throw conflict('This visit was checked in; it is not missed');
  if (v.moved_from) throw conflict('This visit was moved at the customer\'s request');
  if (v.scheduled_start > ctx.clock.now().toISOString()) throw conflict('This visit has not begun yet; it cannot be missed');
  return saveVisit(ctx, v, { status: 'missed', missed_reason: reason }, 'missed', { reason });
}

/** Moves one visit at the customer's request (the plan stays): the contact who asked is recorded. */
export async function moveVisit(ctx: Ctx, id: string, body: { contactId: string; start: string; note?: string }): Promise<Visit> {
  const v = await loadVisit(ctx, id);
  if (v.check_in_at || v.status !== 'planned') throw conflict('Only a planned visit that has not begun can be moved');
  const contact = await repo.findContact(ctx.db.kysely, body.contactId);
  if (!contact || contact.account_id !== v.account_id) {
    throw badRequest('The requesting contact must be a contact of this account', [{ path: 'body.contactId', message: 'not a contact of the account' }]);
  }
  const start = new Date(body.start);
  const duration = new Date(v.scheduled_end).getTime() - new Date(v.scheduled_start).getTime();
  return saveVisit(ctx, v, {
    scheduled_start: start.toISOString(), scheduled_end: new Date(start.getTime() + duration).toISOString(),
    moved_from: v.moved_from ?? v.scheduled_start, moved_contact_id: contact.id, moved_note: body.note ?? null,
  }, 'move', { from: v.scheduled_start, to: start.toISOString(), contactId: contact.id, note: body.note ?? null });
}

// ---- today, for the phone ----

/** Has the caller the manager in scope? Managers: only themselves. */
export async function assertManagerVisible(ctx: Ctx, managerId: string): Promise<repo.UserRow> {
  const u = await repo.findUser(ctx.db.kysely, managerId);
  const visible = u && (await ctx.db.kysely.selectFrom('users').select('id').where('id', '=', managerId).where(managerVisibleTo(ctx.actor, 'users.id')).executeTakeFirst());
  if (!u || !visible) throw new AppError('not_found', 404, 'Manager was not found', { errors: [{ path: 'managerId', message: 'no such manager in your scope' }] });
  return u;
}

export async function today(ctx: Ctx, managerId = ctx.actor.userId) {
  const manager = await assertManagerVisible(ctx, managerId);
  const now = ctx.clock.now();
  const tz = manager.time_zone;
  const date = localDateOf(now, tz);
  const { start, end } = dayBounds(date, tz);
  const rows = await repo.listVisits(ctx.db.kysely, visitScope(ctx), { managerId, from: start.toISOString(), to: end.toISOString() });
  const visits = rows.filter((r) => r.status !== 'cancelled').map((r) => toVisit(r, now));
  const next = visits.find((v) => v.status === 'planned' && !v.moved?.from && v.scheduledEnd > now.toISOString())
    ?? visits.find((v) => v.status === 'planned' && v.scheduledEnd > now.toISOString()) ?? null;
  return { date, timeZone: tz, managerId, visits, next };
}

// ---- compliance ----

/** Counts and rates per manager, per team and in total over [from, to), within the caller's scope. */
export async function compliance(ctx: Ctx, q: { from: string; to: string; managerId?: string; teamId?: string }) {
  const from = new Date(q.from).toISOString();
  const to = new Date(q.to).toISOString();
  if (to <= from) throw badRequest('The period ends before it starts', [{ path: 'querystring.to', message: 'before from' }]);
  const now = ctx.clock.now();
  const rows = await repo.listVisits(ctx.db.kysely, visitScope(ctx), { from, to, managerId: q.managerId, teamId: q.teamId });
  const managers = await repo.managersWithTeams(ctx.db.kysely, [...new Set(rows.map((r) => r.manager_id))]);
  const items = rows.map((r) => ({ managerId: r.manager_id, outcome: outcomeOf(factsOf(r), now), missedReason: r.missed_reason }));
  const byManager = managers.map((m) => ({ managerId: m.id, name: m.name, teamId: m.team_id, ...complianceOf(items.filter((i) => i.managerId === m.id)) }))
    .sort((a, b) => a.name.localeCompare(b.name));
  const teamIds = [...new Set(managers.map((m) => m.team_id))];
  const teams = teamIds.map((t) => {
    const members = new Set(managers.filter((m) => m.team_id === t).map((m) => m.id));
    return { teamId: t, name: managers.find((m) => m.team_id === t)?.team_name ?? null, ...complianceOf(items.filter((i) => members.has(i.managerId))) };
  });
  return { from, to, managers: byManager, teams, total: complianceOf(items) };
}
