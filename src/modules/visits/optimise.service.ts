import type { z } from 'zod';
import type { Ctx } from '../../server/context.js';
import { badRequest } from '../../server/errors.js';
import { accountVisibleTo } from '../../server/policy.js';
import type { Weekday } from '../../shared/time.js';
import type { OpeningHours } from '../sites/sites.contract.js';
import type { IssueParams, OptimiseWeekBody } from './visits.contract.js';
import { loadRoute } from './call-plans.service.js';
import { type DayPlan, type DayPlanInput, routingPlanner, type VisitPlanner, type WeekPlan, type WeekPlanInput } from './visits.planner.js';
import { managerVisibleTo, programVisibleTo } from './visits.policy.js';
import * as repo from './visits.repository.js';
import { assertManagerVisible } from './visits.service.js';

type Site = NonNullable<Awaited<ReturnType<typeof repo.findSite>>>;
const hoursOf = (site: Site): OpeningHours | null => (site.opening_hours ? (JSON.parse(site.opening_hours) as OpeningHours) : null);
/** A site's windows on a weekday for the planners: absent = always open, [] = closed that day. */
const windowsOn = (site: Site, day: Weekday) => {
  const h = hoursOf(site);
  return h ? (h[day] ?? []).map(([start, end]) => ({ start, end })) : undefined;
};

type IssueParams = z.infer<typeof IssueParams>;
const match = (text: string, re: RegExp) => re.exec(text)?.[1];

/**
 * The parameters of a day planner's reason, for the UI to phrase in the user's language: what the
 * visit needs (length, opening hours, fixed start, the working day) and what the planner found
 * (earliest arrival, end of the visit and drive back, other visits), read from its English text.
 */
type StopInfo = { visitMinutes: number; openingHours?: readonly { start: string | number; end: string | number }[]; fixedSlot?: { start: string | number } };
const clock = (v: string | number) => (typeof v === 'string' ? v : `${String(Math.floor(v / 60)).padStart(2, '0')}:${String(Math.round(v % 60)).padStart(2, '0')}`);
function dayIssueParams(code: string, reason: string, stop: StopInfo | undefined, day: { weekday: Weekday; dayStart: string; dayEnd: string }): IssueParams {
  const params: IssueParams = { weekday: day.weekday, dayStart: day.dayStart, dayEnd: day.dayEnd };
  if (stop) {
    params.durationMinutes = stop.visitMinutes;
    if (stop.openingHours) params.openingHours = stop.openingHours.map((w) => `${clock(w.start)}–${clock(w.end)}`);
    if (stop.fixedSlot) params.fixedStart = clock(stop.fixedSlot.start);
  }
  const earliest = code === 'unreachable' ? match(reason, /earliest arrival (\d\d:\d\d)/) : undefined;
  if (earliest) params.earliestArrival = earliest;
  if (code === 'cannot-return') {
    const end = match(reason, /end at (\d\d:\d\d)/);
    const back = match(reason, /takes (\d+) min/);
    if (end) params.visitEnd = end;
    if (back) params.returnMinutes = Number(back);
  }
  const others = code === 'day-full' ? match(reason, /with (\d+) other visits/) : undefined;
  if (others) params.otherVisits = Number(others);
  return params;
}

const WEEKDAY_SET = new Set(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);

/** The week planner's reason for an account it could not place, as a code and parameters. */
type WeekStopInfo = { visitMinutes: number; hours?: Partial<Record<Weekday, { start: string; end: string }[]>>; fixedStart?: string };
function weekIssue(reason: string, accountKey: string, week: WeekPlan, days: Weekday[], workday: { dayStart: string; dayEnd: string }, info: WeekStopInfo | undefined): { code: string; params: IssueParams } {
  const stopOn = (d: Weekday): StopInfo | undefined => info && {
    visitMinutes: info.visitMinutes, ...(info.hours && { openingHours: info.hours[d] ?? [] }), ...(info.fixedStart && { fixedSlot: { start: info.fixedStart } }),
  };
  const prefix = /^(mon|tue|wed|thu|fri|sat|sun): /.exec(reason)?.[1] as Weekday | undefined;
  if (prefix) {
    // Dropped inside a planned day: that day's planner says why.
    const u = week.days.find((d) => d.weekday === prefix)?.plan.unassigned.find((x) => x.stopId === accountKey);
    const code = u?.code ?? 'day-full';
    return { code, params: dayIssueParams(code, u?.reason ?? reason, stopOn(prefix), { weekday: prefix, ...workday }) };
  }
  const fixedDay = match(reason, /^its fixed day (\w+) is not a planning day/);
  if (fixedDay && WEEKDAY_SET.has(fixedDay)) return { code: 'fixed-day-not-planned', params: { weekday: fixedDay as Weekday, planningDays: days } };
  if (reason.startsWith('no planning day possible')) return { code: 'no-day-possible', params: { planningDays: days } };
  const fits = /^fits on no planning day: (.*)$/.exec(reason)?.[1];
  if (fits) {
    const perDay = fits.split('; ').flatMap((part) => {
      const [d, ...rest] = part.split(' ');
      if (!d || !WEEKDAY_SET.has(d)) return [];
      const text = rest.join(' ');
      const visits = match(text, /^full \((\d+) visits\)/);
      const code = visits ? 'day-full' : text.startsWith('full') ? 'would-displace' : text.startsWith('no time between') ? 'fixed-slot-conflict'
        : text.includes('closed') ? 'closed' : text.includes('outside the opening hours') ? 'fixed-slot-outside-opening-hours'
        : text.includes('does not fit in the opening hours') ? 'visit-too-long' : text.includes('outside the working day') ? 'outside-day'
        : text.includes('cannot be reached') ? 'unreachable' : text.includes('return to base') ? 'cannot-return' : 'other';
      return [{ weekday: d as Weekday, code, ...(visits && { visits: Number(visits) }) }];
    });
    return { code: 'fits-no-day', params: { days: perDay, ...(info && { durationMinutes: info.visitMinutes }) } };
  }
  return { code: 'other', params: {} };
}

/**
 * Orders a route's stops and proposes slot times minimising travel, from and back to the
 * manager's base, under the sites' opening hours and fixed slot times. Stops that cannot be
 * planned are listed with the reason; nothing changes until the proposal is submitted as changes.
 */
export async function optimiseDay(ctx: Ctx, routeId: string, body: { keepTimes: boolean }, planner: VisitPlanner = routingPlanner) {
  const route = await loadRoute(ctx, routeId);
  const plans = await repo.listPlans(ctx.db.kysely, programVisibleTo(ctx.actor, 'call_plans'), { routeId, status: 'active' });
  const sites = new Map((await repo.sitesByIds(ctx.db.kysely, plans.flatMap((p) => (p.site_id ? [p.site_id] : [])))).map((s) => [s.id, s]));
  const unassigned: { planId: string; accountId: string; accountName: string; accountNameEn: string | null; code: string; params: IssueParams; reason: string }[] = [];
  const stops: DayPlanInput['stops'][number][] = [];
  const day = { weekday: route.weekday as Weekday, dayStart: route.day_start, dayEnd: route.day_end };
  for (const p of plans) {
    const site = p.site_id ? sites.get(p.site_id) : undefined;
    if (!site || site.lat === null || site.lng === null) {
      unassigned.push({ planId: p.id, accountId: p.account_id, accountName: p.account_name, accountNameEn: p.account_name_en, code: 'no-location', params: { durationMinutes: p.duration_minutes }, reason: `${p.account_name}: the visit has no site with a position` });
      continue;
    }
    const openingHours = windowsOn(site, route.weekday as Weekday);
    stops.push({
      id: p.id, location: { lat: site.lat, lng: site.lng }, visitMinutes: p.duration_minutes,
      ...(openingHours && { openingHours }),
      ...((p.time_fixed === 1 || body.keepTimes) && { fixedSlot: { start: p.start_time, toleranceMinutes: 0 } }),
    });
  }
  const input: DayPlanInput = { base: { lat: route.base_lat, lng: route.base_lng }, dayStart: route.day_start, dayEnd: route.day_end, stops };
  const byId = new Map(plans.map((p) => [p.id, p]));
  const drive = (d: { travelMinutes: number; travelMetres: number }) => ({ travelMinutes: Math.round(d.travelMinutes), travelMetres: Math.round(d.travelMetres) });
  /** The stops a plan places, driven in today's order (by their current times): what the proposal is measured against. */
  const currentDrive = (plan: DayPlan) => {
    const order = plan.visits.map((v) => byId.get(v.stopId)!)
      .sort((a, b) => a.start_time.localeCompare(b.start_time) || (a.route_position ?? 1e6) - (b.route_position ?? 1e6)).map((p) => p.id);
    return drive(planner.measureDay(input, order));
  };
  let plan = planner.planDay(input);
  let current = currentDrive(plan);
  if (!body.keepTimes && drive(plan).travelMinutes >= current.travelMinutes) {
    // Not a minute shorter: keep today's times if they still work, rather than move slots for
    // nothing (the same tour driven backwards, say).
    const kept = planner.planDay({ ...input, stops: stops.map((st) => ({ ...st, fixedSlot: st.fixedSlot ?? { start: byId.get(st.id)!.start_time, toleranceMinutes: 0 } })) });
    if (kept.visits.length >= plan.visits.length) {
      plan = kept;
      current = currentDrive(kept);
    }
  }
  for (const u of plan.unassigned) {
    const p = byId.get(u.stopId)!;
    const stop = stops.find((st) => st.id === u.stopId);
    unassigned.push({ planId: p.id, accountId: p.account_id, accountName: p.account_name, accountNameEn: p.account_name_en, code: u.code, params: dayIssueParams(u.code, u.reason, stop, day), reason: `${p.account_name}: ${u.reason}` });
  }
  const proposed = plan.visits.map((v, i) => {
    const p = byId.get(v.stopId)!;
    return {
      position: i + 1, planId: p.id, accountId: p.account_id, accountName: p.account_name, accountNameEn: p.account_name_en, siteId: p.site_id, siteName: p.site_name, fixed: p.time_fixed === 1 || body.keepTimes, currentStart: p.start_time,
      proposedStart: v.start, proposedEnd: v.end, arrival: v.arrival, travelMinutesFromPrevious: Math.round(v.travelMinutesFromPrevious), version: p.version,
    };
  });
  // Only stops whose time moves become changes: the same day and time is no change to ask the
  // director for, whatever the stop number (the day's order follows the times).
  const changes = proposed
    .filter((st) => st.proposedStart !== st.currentStart)
    .map((st) => ({ planId: st.planId, version: st.version, slot: { startTime: st.proposedStart, routePosition: st.position } }));
  // What it saves: the same stops driven in today's order against the proposal.
  const after = drive(plan);
  const pct = (saved: number, of: number) => (of > 0 ? Math.round((saved / of) * 1000) / 10 : 0);
  const saving = {
    minutes: current.travelMinutes - after.travelMinutes, metres: current.travelMetres - after.travelMetres,
    minutesPercent: pct(current.travelMinutes - after.travelMinutes, current.travelMinutes), metresPercent: pct(current.travelMetres - after.travelMetres, current.travelMetres),
  };
  return {
    routeId, weekday: route.weekday as Weekday, timeZone: route.time_zone, complete: plan.complete && unassigned.length === 0,
    departure: plan.departure, returnTime: plan.returnTime, ...after, current, saving,
    stops: proposed.map(({ version: _v, ...st }) => st), unassigned, changes,
  };
}

/**
 * Proposes weekdays (and times) for new or changed key accounts of one manager, keeping the
 * existing slots where they are unless moving them is allowed.
 */
export async function optimiseWeek(ctx: Ctx, body: OptimiseWeekBody, planner: VisitPlanner = routingPlanner) {
  const managerId = body.managerId ?? ctx.actor.userId;
  await assertManagerVisible(ctx, managerId);
  const routes = await repo.listRoutes(ctx.db.kysely, managerVisibleTo(ctx.actor, 'visit_routes.manager_id'), { managerId });
  const home = routes[0];
  if (!home) throw badRequest('Create a route with the manager\'s base first', [{ path: 'body.managerId', message: 'the manager has no route (no base location)' }]);
  const plans = await repo.listPlans(ctx.db.kysely, programVisibleTo(ctx.actor, 'call_plans'), { managerId, status: 'active' });
  const changed = new Set(body.changedPlanIds);
  for (const id of changed) if (!plans.some((p) => p.id === id)) throw badRequest('Unknown plan', [{ path: 'body.changedPlanIds', message: `${id} is not an active plan of this manager` }]);
  const siteIds = plans.flatMap((p) => (p.site_id ? [p.site_id] : []));
  const newSites = new Map<string, Site>();
  type Names = { accountName: string; accountNameEn: string | null };
  const unassigned: ({ accountId: string; planId: string | null; code: string; params: IssueParams; reason: string } & Names)[] = [];
  const noLocation = (accountId: string, names: Names, planId: string | null, durationMinutes: number) =>
    unassigned.push({ accountId, ...names, planId, code: 'no-location', params: { durationMinutes }, reason: 'no site with a position' });
  const newNames = new Map<string, Names>();
  for (const [i, a] of body.newAccounts.entries()) {
    const account = await repo.accountVisible(ctx.db.kysely, accountVisibleTo(ctx.actor, 'accounts.id'), a.accountId);
    if (!account) throw badRequest('Unknown account', [{ path: `body.newAccounts.${i}.accountId`, message: 'no such account in your scope' }]);
    const names = { accountName: account.name, accountNameEn: account.name_en };
    newNames.set(a.accountId, names);
    const site = a.siteId ? await repo.findSite(ctx.db.kysely, a.siteId) : await repo.firstLocatedSite(ctx.db.kysely, a.accountId);
    if (a.siteId && site?.account_id !== a.accountId) throw badRequest('Unknown site', [{ path: `body.newAccounts.${i}.siteId`, message: 'not a site of the account' }]);
    if (!site || site.lat === null || site.lng === null) noLocation(a.accountId, names, null, a.durationMinutes);
    else newSites.set(a.accountId, site);
  }
  const sites = new Map((await repo.sitesByIds(ctx.db.kysely, siteIds)).map((s) => [s.id, s]));
  const hoursForWeek = (site: Site) => {
    const h = hoursOf(site);
    if (!h) return undefined;
    return Object.fromEntries(Object.entries(h).map(([d, ws]) => [d, ws!.map(([start, end]) => ({ start, end }))]));
  };
  const accounts: WeekPlanInput['accounts'][number][] = [];
  type Key = {
    planId: string | null; accountId: string; siteId: string | null; siteName: string | null; durationMinutes: number;
    version?: number; weekday?: Weekday; start?: string; info: WeekStopInfo;
  } & Names;
  const keyOf = new Map<string, Key>();
  for (const p of plans) {
    const site = p.site_id ? sites.get(p.site_id) : undefined;
    if (!site || site.lat === null || site.lng === null) {
      if (changed.has(p.id)) noLocation(p.account_id, { accountName: p.account_name, accountNameEn: p.account_name_en }, p.id, p.duration_minutes);
      continue;
    }
    const hours = hoursForWeek(site);
    accounts.push({
      id: p.id, location: { lat: site.lat, lng: site.lng }, visitMinutes: p.duration_minutes, ...(hours && { openingHours: hours }),
      fixedVisit: { weekday: p.weekday as Weekday, start: p.start_time, toleranceMinutes: 0 }, changed: changed.has(p.id),
    });
    keyOf.set(p.id, {
      planId: p.id, accountId: p.account_id, accountName: p.account_name, accountNameEn: p.account_name_en, siteId: p.site_id, siteName: site.name, durationMinutes: p.duration_minutes,
      version: p.version, weekday: p.weekday as Weekday, start: p.start_time,
      info: { visitMinutes: p.duration_minutes, ...(hours && { hours }), ...(!changed.has(p.id) && !body.allowMovingExisting && { fixedStart: p.start_time }) },
    });
  }
  for (const a of body.newAccounts) {
    const site = newSites.get(a.accountId);
    if (!site) continue;
    const hours = hoursForWeek(site);
    const key = `new:${a.accountId}`;
    accounts.push({ id: key, location: { lat: site.lat!, lng: site.lng! }, visitMinutes: a.durationMinutes, ...(hours && { openingHours: hours }) });
    keyOf.set(key, {
      planId: null, accountId: a.accountId, ...(newNames.get(a.accountId) ?? { accountName: '', accountNameEn: null }), siteId: site.id, siteName: site.name, durationMinutes: a.durationMinutes,
      info: { visitMinutes: a.durationMinutes, ...(hours && { hours }) },
    });
  }
  const week = planner.planWeek({
    base: { lat: home.base_lat, lng: home.base_lng }, days: body.days, dayStart: home.day_start, dayEnd: home.day_end, accounts, allowMovingFixed: body.allowMovingExisting,
  });
  const routeOn = (day: string) => routes.find((r) => r.weekday === day)?.id ?? null;
  const assignments = week.assignments.map((a) => {
    const k = keyOf.get(a.accountId)!;
    return {
      accountId: k.accountId, accountName: k.accountName, accountNameEn: k.accountNameEn, planId: k.planId, siteId: k.siteId, siteName: k.siteName, weekday: a.weekday, start: a.start,
      durationMinutes: k.durationMinutes, previous: k.weekday && k.start ? { weekday: k.weekday, start: k.start } : null, status: a.status, routeId: routeOn(a.weekday),
    };
  });
  for (const u of week.unassigned) {
    const k = keyOf.get(u.accountId)!;
    const issue = weekIssue(u.reason, u.accountId, week, body.days, { dayStart: home.day_start, dayEnd: home.day_end }, k.info);
    unassigned.push({ accountId: k.accountId, accountName: k.accountName, accountNameEn: k.accountNameEn, planId: k.planId, ...issue, reason: u.reason });
  }
  const changes = week.assignments.flatMap((a) => {
    const k = keyOf.get(a.accountId)!;
    if (!k.planId || (a.weekday === k.weekday && a.start === k.start)) return [];
    return [{ planId: k.planId, version: k.version!, slot: { weekday: a.weekday, startTime: a.start, routeId: routeOn(a.weekday), routePosition: null } }];
  });
  return { managerId, assignments, unassigned, travelMinutes: Math.round(week.travelMinutes), changes };
}
