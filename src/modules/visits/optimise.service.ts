import type { Ctx } from '../../server/context.js';
import { badRequest } from '../../server/errors.js';
import { accountVisibleTo } from '../../server/policy.js';
import type { Weekday } from '../../shared/time.js';
import type { OpeningHours } from '../sites/sites.contract.js';
import type { OptimiseWeekBody } from './visits.contract.js';
import { loadRoute } from './call-plans.service.js';
import { type DayPlanInput, routingPlanner, type VisitPlanner, type WeekPlanInput } from './visits.planner.js';
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

/**
 * Orders a route's stops and proposes slot times minimising travel, from and back to the
 * manager's base, under the sites' opening hours and fixed slot times. Stops that cannot be
 * planned are listed with the reason; nothing changes until the proposal is submitted as changes.
 */
export async function optimiseDay(ctx: Ctx, routeId: string, body: { keepTimes: boolean }, planner: VisitPlanner = routingPlanner) {
  const route = await loadRoute(ctx, routeId);
  const plans = await repo.listPlans(ctx.db.kysely, programVisibleTo(ctx.actor, 'call_plans'), { routeId, status: 'active' });
  const sites = new Map((await repo.sitesByIds(ctx.db.kysely, plans.flatMap((p) => (p.site_id ? [p.site_id] : [])))).map((s) => [s.id, s]));
  const unassigned: { planId: string; accountId: string; code: string; reason: string }[] = [];
  const stops: DayPlanInput['stops'][number][] = [];
  for (const p of plans) {
    const site = p.site_id ? sites.get(p.site_id) : undefined;
    if (!site || site.lat === null || site.lng === null) {
      unassigned.push({ planId: p.id, accountId: p.account_id, code: 'no-location', reason: `${p.account_name}: the visit has no site with a position` });
      continue;
    }
    const openingHours = windowsOn(site, route.weekday as Weekday);
    stops.push({
      id: p.id, location: { lat: site.lat, lng: site.lng }, visitMinutes: p.duration_minutes,
      ...(openingHours && { openingHours }),
      ...((p.time_fixed === 1 || body.keepTimes) && { fixedSlot: { start: p.start_time, toleranceMinutes: 0 } }),
    });
  }
  const plan = planner.planDay({ base: { lat: route.base_lat, lng: route.base_lng }, dayStart: route.day_start, dayEnd: route.day_end, stops });
  const byId = new Map(plans.map((p) => [p.id, p]));
  for (const u of plan.unassigned) {
    const p = byId.get(u.stopId)!;
    unassigned.push({ planId: p.id, accountId: p.account_id, code: u.code, reason: `${p.account_name}: ${u.reason}` });
  }
  const proposed = plan.visits.map((v, i) => {
    const p = byId.get(v.stopId)!;
    return {
      position: i + 1, planId: p.id, accountId: p.account_id, siteId: p.site_id, fixed: v.fixed, currentStart: p.start_time,
      proposedStart: v.start, proposedEnd: v.end, arrival: v.arrival, travelMinutesFromPrevious: Math.round(v.travelMinutesFromPrevious), version: p.version, currentPosition: p.route_position,
    };
  });
  const changes = proposed
    .filter((s) => s.proposedStart !== s.currentStart || s.position !== s.currentPosition)
    .map((s) => ({ planId: s.planId, version: s.version, slot: { startTime: s.proposedStart, routePosition: s.position } }));
  return {
    routeId, weekday: route.weekday as Weekday, timeZone: route.time_zone, complete: plan.complete && unassigned.length === 0,
    departure: plan.departure, returnTime: plan.returnTime, travelMinutes: Math.round(plan.travelMinutes), travelMetres: Math.round(plan.travelMetres),
    stops: proposed.map(({ version: _v, currentPosition: _c, ...s }) => s), unassigned, changes,
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
  const unassigned: { accountId: string; planId: string | null; reason: string }[] = [];
  for (const [i, a] of body.newAccounts.entries()) {
    if (!(await repo.accountVisible(ctx.db.kysely, accountVisibleTo(ctx.actor, 'accounts.id'), a.accountId))) {
      throw badRequest('Unknown account', [{ path: `body.newAccounts.${i}.accountId`, message: 'no such account in your scope' }]);
    }
    const site = a.siteId ? await repo.findSite(ctx.db.kysely, a.siteId) : await repo.firstLocatedSite(ctx.db.kysely, a.accountId);
    if (a.siteId && site?.account_id !== a.accountId) throw badRequest('Unknown site', [{ path: `body.newAccounts.${i}.siteId`, message: 'not a site of the account' }]);
    if (!site || site.lat === null || site.lng === null) unassigned.push({ accountId: a.accountId, planId: null, reason: 'no site with a position' });
    else newSites.set(a.accountId, site);
  }
  const sites = new Map((await repo.sitesByIds(ctx.db.kysely, siteIds)).map((s) => [s.id, s]));
  const hoursForWeek = (site: Site) => {
    const h = hoursOf(site);
    if (!h) return undefined;
    return Object.fromEntries(Object.entries(h).map(([d, ws]) => [d, ws!.map(([start, end]) => ({ start, end }))]));
  };
  const accounts: WeekPlanInput['accounts'][number][] = [];
  const keyOf = new Map<string, { planId: string | null; accountId: string; siteId: string | null; version?: number; weekday?: string; start?: string }>();
  for (const p of plans) {
    const site = p.site_id ? sites.get(p.site_id) : undefined;
    if (!site || site.lat === null || site.lng === null) {
      if (changed.has(p.id)) unassigned.push({ accountId: p.account_id, planId: p.id, reason: 'no site with a position' });
      continue;
    }
    const hours = hoursForWeek(site);
    accounts.push({
      id: p.id, location: { lat: site.lat, lng: site.lng }, visitMinutes: p.duration_minutes, ...(hours && { openingHours: hours }),
      fixedVisit: { weekday: p.weekday as Weekday, start: p.start_time, toleranceMinutes: 0 }, changed: changed.has(p.id),
    });
    keyOf.set(p.id, { planId: p.id, accountId: p.account_id, siteId: p.site_id, version: p.version, weekday: p.weekday, start: p.start_time });
  }
  for (const a of body.newAccounts) {
    const site = newSites.get(a.accountId);
    if (!site) continue;
    const hours = hoursForWeek(site);
    const key = `new:${a.accountId}`;
    accounts.push({ id: key, location: { lat: site.lat!, lng: site.lng! }, visitMinutes: a.durationMinutes, ...(hours && { openingHours: hours }) });
    keyOf.set(key, { planId: null, accountId: a.accountId, siteId: site.id });
  }
  const week = planner.planWeek({
    base: { lat: home.base_lat, lng: home.base_lng }, days: body.days, dayStart: home.day_start, dayEnd: home.day_end, accounts, allowMovingFixed: body.allowMovingExisting,
  });
  const routeOn = (day: string) => routes.find((r) => r.weekday === day)?.id ?? null;
  const assignments = week.assignments.map((a) => {
    const k = keyOf.get(a.accountId)!;
    return { accountId: k.accountId, planId: k.planId, siteId: k.siteId, weekday: a.weekday, start: a.start, status: a.status, routeId: routeOn(a.weekday) };
  });
  for (const u of week.unassigned) {
    const k = keyOf.get(u.accountId)!;
    unassigned.push({ accountId: k.accountId, planId: k.planId, reason: u.reason });
  }
  const changes = week.assignments.flatMap((a) => {
    const k = keyOf.get(a.accountId)!;
    if (!k.planId || (a.weekday === k.weekday && a.start === k.start)) return [];
    return [{ planId: k.planId, version: k.version!, slot: { weekday: a.weekday, startTime: a.start, routeId: routeOn(a.weekday), routePosition: null } }];
  });
  return { managerId, assignments, unassigned, travelMinutes: Math.round(week.travelMinutes), changes };
}
