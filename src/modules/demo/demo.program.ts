/**
 * The demo world's visit program: fixed weekly routes for every manager, a call plan for each of
 * their A and B accounts (a fixed weekday and time inside the site's opening hours), the slot
 * history with a few customer requests and pending changes for the directors, and the visits
 * themselves from twelve weeks back to four weeks ahead — the window the daily job materialises,
 * built with the visit program's own slot expansion, so the first run of the job finds every
 * visit it would have made and adds none.
 *
 * Pure: rows from the generator's plans and a reference instant; no clock, no Math.random.
 */
import type { Database } from '../../db/schema.js';
import { haversineMetres } from '../../shared/geo.js';
import {
  addDays, clockOfMinutes, dayBounds, localDateOf, minutesOfClock, nextWeekday, type Weekday,
} from '../../shared/time.js';
import { checkInDistance, classifyArrival, type Slot, slotRRuleText } from '../visits/visits.domain.js';
import { dayToIso, daysFromSpringFestival, isoToDay } from './demo.calendar.js';
import type { Rng } from './demo.random.js';

export const DEMO_TIME_ZONE = 'Asia/Shanghai';
/** Weeks of visit history before the reference date, and weeks ahead (what the daily job materialises). */
export const HISTORY_WEEKS = 12;
export const AHEAD_WEEKS = 4;

export type ProgramManager = { id: string; english: boolean; directorId: string | null; name: string };
export type ProgramAccount = {
  id: string; ownerId: string; tier: 'A' | 'B' | 'C' | null; status: string; kind: string; revenue: number; createdAt: string;
};
type SiteRow = Database['sites'];
type ContactRow = Database['contacts'];

export type ProgramInput = {
  now: Date;
  rng: Rng;
  /** A deterministic id for a row created at that instant. */
  idAt: (iso: string) => string;
  managers: readonly ProgramManager[];
  accounts: readonly ProgramAccount[];
  sites: readonly SiteRow[];
  contacts: readonly ContactRow[];
  /** Sites the manager should visit for an account in preference to its office (the pinned coastal warehouses). */
  preferredSites: ReadonlySet<string>;
  /** Where a site's city is: the manager's base for a route (city centre as the generator scatters sites around it). */
  cityCentre: (site: SiteRow) => { lat: number; lng: number; label: string; labelEn: string; order: number };
};

export type ProgramRows = {
  visit_routes: Database['visit_routes'][];
  call_plans: Database['call_plans'][];
  call_plan_changes: Database['call_plan_changes'][];
  visits: Database['visits'][];
};

type Hours = Partial<Record<Weekday, [string, string][]>>;

/** Route days by how many are needed: spread over the week, Friday always in from three days on. */
const DAY_SETS: Record<number, Weekday[]> = {
  1: ['tue'], 2: ['tue', 'thu'], 3: ['mon', 'wed', 'fri'], 4: ['mon', 'tue', 'thu', 'fri'], 5: ['mon', 'tue', 'wed', 'thu', 'fri'],
};
const WEEKDAY_ZH: Record<Weekday, string> = { mon: '周一', tue: '周二', wed: '周三', thu: '周四', fri: '周五', sat: '周六', sun: '周日' };
const WEEKDAY_EN: Record<Weekday, string> = { mon: 'Monday', tue: 'Tuesday', wed: 'Wednesday', thu: 'Thursday', fri: 'Friday', sat: 'Saturday', sun: 'Sunday' };
const DAY_START = '08:30';
const DAY_END = '17:30';
const MAX_STOPS = 4;
const DAY_MS = 86_400_000;

const missedReasonsZh = [
  '客户老板临时去外地，电话约到下周', '高速因事故封路两小时，赶到时客户已下班', '被临时叫去处理另一家客户的质量投诉',
  '发烧请假一天，已微信告知客户', '客户仓库盘点，谢绝来访', '公司季度会议临时改期到当天上午', '车子在半路爆胎，未能赶到',
  '客户采购经理出差，改为电话沟通',
] as const;
const missedReasonsEn = [
  'The owner was called away to another city; rebooked for next week by phone', 'Motorway closed for two hours after an accident; the customer had left by the time I arrived',
  'Pulled into a quality complaint at another customer', 'Off sick for the day; told the customer on WeChat', 'Stocktake at the customer, no visitors that day',
  'Quarterly meeting moved to that morning at short notice', 'Flat tyre on the way; could not make it', 'Their buyer was travelling; we spoke by phone instead',
] as const;
const moveNotesZh = ['上午要卸一车水泥，改到', '老板上午要去银行办贷款，改到', '仓库当天盘点，改到', '要陪设计院的人看工地，改到'] as const;
const moveNotesEn = ['A cement delivery is being unloaded that morning; moved to', 'The owner has a bank appointment; moved to', 'Stocktake that day; moved to', 'They are showing a design institute round a site; moved to'] as const;
const outcomeNotesZh = [
  '对账完成，确认本月回款计划', '客户反馈旺季到货偏慢，已转物流协调排车', '介绍了 C2TE 瓷砖胶，约下周送样', '库存偏低，建议本月补货 40 吨',
  '竞品降价 10 元/吨，客户观望，需跟进价格政策', '新开两个工地，预计散装需求增加', '仓库防潮条件一般，提醒先进先出', '讨论了年度返利政策调整',
] as const;
const outcomeNotesEn = [
  'Statement reconciled; payment plan for the month confirmed', 'They say deliveries are slow in the peak season; passed to logistics', 'Introduced the C2TE tile adhesive; samples next week',
  'Stock is low; suggested a 40 t top-up this month', 'A competitor cut ¥10/t; they are waiting, follow up on pricing', 'Two new building sites; expect more bulk demand',
  'Damp in the warehouse; reminded them to rotate stock first in, first out', 'Discussed changes to the annual rebate',
] as const;
const issuesZh = [{ text: '两袋破损，要求补发', severity: 'low' }, { text: '上批货到货晚了三天', severity: 'medium' }, { text: '客户反映 P.O 42.5 强度波动', severity: 'high' }] as const;
const issuesEn = [{ text: 'Two bags damaged; they want replacements', severity: 'low' }, { text: 'The last delivery was three days late', severity: 'medium' }, { text: 'They report strength variation in P.O 42.5', severity: 'high' }] as const;

/** Public holidays when customers are closed: New Year's Day, Spring Festival week, Labour Day, National Day. */
export function isHoliday(date: string): boolean {
  const md = date.slice(5);
  if (md === '01-01' || (md >= '05-01' && md <= '05-05') || (md >= '10-01' && md <= '10-07')) return true;
  const off = daysFromSpringFestival(isoToDay(date));
  return off >= -1 && off <= 6;
}

const windowsOn = (site: SiteRow, day: Weekday): [number, number][] => {
  if (!site.opening_hours) return [[0, 24 * 60]];
  const h = JSON.parse(site.opening_hours) as Hours;
  return (h[day] ?? []).map(([a, b]) => [minutesOfClock(a), minutesOfClock(b)]);
};

/** The earliest start at or after `t` (minutes) at which a visit of `dur` minutes fits one opening window. */
function fitStart(windows: [number, number][], t: number, dur: number): number | null {
  for (const [open, close] of windows) {
    const s = Math.max(t, open);
    if (s + dur <= close) return s;
  }
  return null;
}

const travelMinutes = (a: { lat: number; lng: number }, b: { lat: number; lng: number }): number => {
  // Road distance about 1.3 × the straight line, 40 km/h through towns, in 5-minute steps.
  const km = (haversineMetres(a, b) / 1000) * 1.3;
  return Math.max(10, Math.ceil(((km / 40) * 60) / 5) * 5);
};

/** A point about `metres` from `p` in a random direction (a phone's fix near the door). */
function near(rng: Rng, p: { lat: number; lng: number }, metres: number) {
  const angle = 2 * Math.PI * rng.next();
  const dLat = (metres * Math.cos(angle)) / 111_320;
  const dLng = (metres * Math.sin(angle)) / (111_320 * Math.cos((p.lat * Math.PI) / 180));
  return { lat: Math.round((p.lat + dLat) * 1e6) / 1e6, lng: Math.round((p.lng + dLng) * 1e6) / 1e6 };
}

type Stop = { account: ProgramAccount; site: SiteRow; duration: number; interval: number };
type PlacedStop = Stop & { start: number };

/** The slot as the change history stores it (call-plans.service.ts slotView). */
const slotView = (p: Database['call_plans']) => ({
  weekday: p.weekday, startTime: p.start_time, durationMinutes: p.duration_minutes, intervalWeeks: p.interval_weeks, timeZone: p.time_zone,
  anchorDate: p.anchor_date, endsOn: p.ends_on, siteId: p.site_id, managerId: p.manager_id, routeId: p.route_id, routePosition: p.route_position,
  timeFixed: p.time_fixed === 1, toleranceMinutes: p.tolerance_minutes, rrule: p.rrule, status: p.status,
});

export const slotOf = (p: Pick<Database['call_plans'], 'weekday' | 'start_time' | 'duration_minutes' | 'interval_weeks' | 'time_zone' | 'anchor_date' | 'ends_on'>): Slot => ({
  weekday: p.weekday as Weekday, startTime: p.start_time, durationMinutes: p.duration_minutes, intervalWeeks: p.interval_weeks,
  timeZone: p.time_zone, anchorDate: p.anchor_date, endsOn: p.ends_on,
});

/** Places a day's stops in order from the base; those that do not fit before the end of the day come back. */
function placeDay(day: Weekday, base: { lat: number; lng: number }, stops: Stop[]): { placed: PlacedStop[]; overflow: Stop[] } {
  const placed: PlacedStop[] = [];
  const overflow: Stop[] = [];
  let at = base;
  let t = minutesOfClock(DAY_START);
  for (const s of stops) {
    const pos = { lat: s.site.lat!, lng: s.site.lng! };
    const arrive = Math.ceil((t + travelMinutes(at, pos)) / 15) * 15;
    const start = placed.length < MAX_STOPS ? fitStart(windowsOn(s.site, day), arrive, s.duration) : null;
    if (start === null || start + s.duration > minutesOfClock(DAY_END)) { overflow.push(s); continue; }
    placed.push({ ...s, start });
    t = start + s.duration;
    at = pos;
  }
  return { placed, overflow };
}

/** Nearest-neighbour order from the base: a route a manager would drive. */
function routeOrder(base: { lat: number; lng: number }, stops: Stop[]): Stop[] {
  const left = [...stops];
  const out: Stop[] = [];
  let at = base;
  while (left.length) {
    let bi = 0, bd = Infinity;
    left.forEach((s, i) => {
      const d = haversineMetres(at, { lat: s.site.lat!, lng: s.site.lng! });
      if (d < bd || (d === bd && s.account.id < left[bi]!.account.id)) { bd = d; bi = i; }
    });
    const [s] = left.splice(bi, 1);
    out.push(s!);
    at = { lat: s!.site.lat!, lng: s!.site.lng! };
  }
  return out;
}

const SITE_PREFERENCE: Record<string, number> = { office: 0, warehouse: 1, store: 2, yard: 3 };

export function generateProgram(input: ProgramInput): ProgramRows {
  const { now, rng, idAt } = input;
  const tz = DEMO_TIME_ZONE;
  const today = localDateOf(now, tz);
  const historyFrom = addDays(today, -HISTORY_WEEKS * 7);
  const horizon = new Date(now.getTime() + AHEAD_WEEKS * 7 * DAY_MS);
  const sitesByAccount = new Map<string, SiteRow[]>();
  for (const s of input.sites) if (s.lat !== null && s.lng !== null) sitesByAccount.set(s.account_id, [...(sitesByAccount.get(s.account_id) ?? []), s]);
  const contactsByAccount = new Map<string, ContactRow[]>();
  for (const c of input.contacts) contactsByAccount.set(c.account_id, [...(contactsByAccount.get(c.account_id) ?? []), c]);
  const out: ProgramRows = { visit_routes: [], call_plans: [], call_plan_changes: [], visits: [] };
  const plansOfManager = new Map<string, { plan: Database['call_plans']; stop: PlacedStop; route: Database['visit_routes'] }[]>();

  for (const m of input.managers) {
    const mrng = rng.fork(`manager/${m.id}`);
    const book = input.accounts.filter((a) => a.ownerId === m.id && sitesByAccount.has(a.id));
    let chosen = book.filter((a) => a.status === 'active' && (a.tier === 'A' || a.tier === 'B'));
    // A small book may have no A or B account: the manager still visits the best of the rest.
    if (chosen.length === 0) chosen = book.filter((a) => a.status === 'active' || a.status === 'prospect').sort((a, b) => b.revenue - a.revenue || (a.id < b.id ? -1 : 1)).slice(0, 2);
    if (chosen.length === 0) continue;
    const stops: Stop[] = chosen.map((a) => {
      const sites = sitesByAccount.get(a.id)!;
      const site = sites.find((s) => input.preferredSites.has(s.id))
        ?? [...sites].sort((x, y) => (SITE_PREFERENCE[x.kind] ?? 9) - (SITE_PREFERENCE[y.kind] ?? 9) || (x.id < y.id ? -1 : 1))[0]!;
      return { account: a, site, duration: a.tier === 'A' ? 60 : 45, interval: a.tier === 'A' ? 1 : 2 };
    });
    // Geography first: the manager's patch runs city by city, so group the stops by city, then by longitude.
    stops.sort((a, b) => input.cityCentre(a.site).order - input.cityCentre(b.site).order || a.site.lng! - b.site.lng! || (a.account.id < b.account.id ? -1 : 1));
    let dayCount = Math.min(5, Math.max(1, Math.ceil(stops.length / 3)));
    let days = DAY_SETS[dayCount]!;
    const perDay = Math.ceil(stops.length / days.length);
    const buckets = days.map((_, i) => stops.slice(i * perDay, (i + 1) * perDay));
    const placedDays: { day: Weekday; base: ReturnType<ProgramInput['cityCentre']>; stops: PlacedStop[] }[] = [];
    let carry: Stop[] = [];
    for (let i = 0; i < days.length || carry.length; i++) {
      if (i >= days.length) {
        if (dayCount >= 5) break;
        dayCount++;
        const used = new Set(days);
        const extra = DAY_SETS[dayCount]!.find((d) => !used.has(d));
        if (!extra) break;
        days = [...days, extra];
      }
      const day = days[i]!;
      const list = [...(buckets[i] ?? []), ...carry];
      if (list.length === 0) continue;
      const base = input.cityCentre(list[0]!.site);
      const { placed, overflow } = placeDay(day, base, routeOrder(base, list));
      carry = overflow;
      if (placed.length) placedDays.push({ day, base, stops: placed });
    }

    for (const d of placedDays) {
      const planCreated = (s: Stop) => {
        const earliest = Math.max(Date.parse(s.account.createdAt), Date.parse(s.site.created_at)) + DAY_MS;
        return new Date(Math.max(earliest, now.getTime() - mrng.int(110, 240) * DAY_MS)).toISOString();
      };
      const created = d.stops.map(planCreated);
      const routeCreated = created.reduce((a, b) => (a < b ? a : b));
      const cities = [...new Map(d.stops.map((s) => { const c = input.cityCentre(s.site); return [c.label, c] as const; })).values()];
      const route: Database['visit_routes'] = {
        id: idAt(routeCreated), manager_id: m.id, weekday: d.day, time_zone: tz,
        name: m.english ? `${WEEKDAY_EN[d.day]}: ${cities.map((c) => c.labelEn).join(' – ')}` : `${WEEKDAY_ZH[d.day]}：${cities.map((c) => c.label).join('—')}`,
        base_label: m.english ? `${d.base.labelEn} office` : `${d.base.label}办事处`, base_lat: d.base.lat, base_lng: d.base.lng,
        day_start: DAY_START, day_end: DAY_END, created_at: routeCreated, updated_at: routeCreated, version: 1,
      };
      out.visit_routes.push(route);
      d.stops.forEach((s, i) => {
        const createdAt = created[i]!;
        const anchor = nextWeekday(localDateOf(new Date(createdAt), tz), d.day);
        const fields = {
          weekday: d.day, start_time: clockOfMinutes(s.start), duration_minutes: s.duration, interval_weeks: s.interval, time_zone: tz,
          anchor_date: anchor, ends_on: null,
        };
        const plan: Database['call_plans'] = {
          id: idAt(createdAt), account_id: s.account.id, site_id: s.site.id, manager_id: m.id, route_id: route.id, route_position: i + 1,
          rrule: slotRRuleText(slotOf(fields)), ...fields, time_fixed: s.account.tier === 'A' && mrng.chance(0.4) ? 1 : 0,
          tolerance_minutes: 10, status: 'active', created_at: createdAt, updated_at: createdAt, version: 1,
        };
        out.call_plans.push(plan);
        plansOfManager.set(m.id, [...(plansOfManager.get(m.id) ?? []), { plan, stop: s, route }]);
      });
    }
  }

  // Slot history: every plan's creation; some slots moved at a customer's request before the
  // history window (so the visits below all follow today's slot); a few rejected requests.
  const changeRng = rng.fork('changes');
  for (const m of input.managers) {
    for (const { plan, stop } of plansOfManager.get(m.id) ?? []) {
      const contacts = contactsByAccount.get(plan.account_id) ?? [];
      const windowStart = dayBounds(historyFrom, tz).start.getTime();
      const changeAt = Date.parse(plan.created_at) + changeRng.int(7, 30) * DAY_MS;
      const earlier = stop.start + (changeRng.chance(0.5) ? -60 : 60);
      const earlierFits = fitStart(windowsOn(stop.site, plan.weekday as Weekday), earlier, stop.duration) === earlier && earlier >= minutesOfClock(DAY_START);
      const customerMoved = contacts.length > 0 && earlierFits && changeAt < windowStart && changeRng.chance(0.18);
      const original = customerMoved ? { ...plan, start_time: clockOfMinutes(earlier) } : plan;
      if (customerMoved) original.rrule = slotRRuleText(slotOf(original));
      out.call_plan_changes.push({
        id: idAt(plan.created_at), plan_id: plan.id, account_id: plan.account_id, manager_id: m.id, kind: 'create', reason: 'initial', note: null, contact_id: null,
        status: 'applied', base_version: 0, before_json: null, after_json: JSON.stringify(slotView(original)), requested_by: m.id, requested_at: plan.created_at,
        decided_by: m.id, decided_at: plan.created_at, decision_note: null,
      });
      if (customerMoved) {
        const at = new Date(changeAt).toISOString();
        const contact = changeRng.pick(contacts);
        out.call_plan_changes.push({
          id: idAt(at), plan_id: plan.id, account_id: plan.account_id, manager_id: m.id, kind: 'change', reason: 'customer_request',
          note: m.english ? `${contact.name_en ?? contact.name} asked for ${plan.start_time} instead of ${original.start_time}: they unload deliveries first thing`
            : `${contact.name}要求从 ${original.start_time} 改到 ${plan.start_time}：那个时段要先卸货`,
          contact_id: contact.id, status: 'applied', base_version: 1, before_json: JSON.stringify(slotView(original)), after_json: JSON.stringify(slotView(plan)),
          requested_by: m.id, requested_at: at, decided_by: m.id, decided_at: at, decision_note: null,
        });
        plan.version = 2;
        plan.updated_at = at;
      }
    }
  }

  // Pending changes for every director (and one rejected a month ago): time moves that keep the
  // visit inside opening hours and clear of the route's other stops.
  const byDirector = new Map<string, ProgramManager[]>();
  for (const m of input.managers) if (m.directorId) byDirector.set(m.directorId, [...(byDirector.get(m.directorId) ?? []), m]);
  for (const [directorId, managers] of [...byDirector.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const drng = rng.fork(`director/${directorId}`);
    const candidates = managers.flatMap((m) => (plansOfManager.get(m.id) ?? []).map((x) => ({ ...x, manager: m })));
    let pending = 0, rejected = 0;
    const used = new Set<string>();
    // One manager re-ordered a route (an optimisation run): two stops of the same length swap their
    // times, requested together, so the director has a group to approve at once.
    const reorder = reorderedPair(candidates, (c, minutes) => fitStart(windowsOn(c.stop.site, c.plan.weekday as Weekday), minutes, c.stop.duration) === minutes);
    if (reorder) {
      const at = new Date(now.getTime() - drng.int(3, 30) * 3_600_000).toISOString();
      for (const [c, other] of [[reorder[0], reorder[1]], [reorder[1], reorder[0]]] as const) {
        const after = { ...c.plan, start_time: clockOfMinutes(other.stop.start), version: c.plan.version };
        after.rrule = slotRRuleText(slotOf(after));
        const note = c.manager.english ? `Route re-ordered: ${other.stop.site.name} comes ${c.stop.start < other.stop.start ? 'first' : 'second'} now, no driving back` : `线路重排：${other.stop.site.name}调到${c.stop.start < other.stop.start ? '前面' : '后面'}，少走回头路`;
        out.call_plan_changes.push({
          id: idAt(at), plan_id: c.plan.id, account_id: c.plan.account_id, manager_id: c.manager.id, kind: 'change', reason: 'route_optimisation', note, contact_id: null,
          status: 'pending', base_version: c.plan.version, before_json: JSON.stringify(slotView(c.plan)), after_json: JSON.stringify(slotView(after)),
          requested_by: c.manager.id, requested_at: at, decided_by: null, decided_at: null, decision_note: null,
        });
        used.add(c.plan.id);
      }
    }
    for (const c of shuffled(drng, candidates)) {
      if (pending >= 3 && rejected >= 1) break;
      if (used.has(c.plan.id)) continue;
      const routeStops = candidates.filter((o) => o.route.id === c.route.id && o.plan.id !== c.plan.id).map((o) => o.stop);
      const start = shiftedStart(c.stop, c.plan.weekday as Weekday, routeStops);
      if (start === null) continue;
      const isPending = pending < 3;
      const reason = drng.pick(['route_optimisation', 'manager_capacity', 'other'] as const);
      const after = { ...c.plan, start_time: clockOfMinutes(start), version: c.plan.version };
      after.rrule = slotRRuleText(slotOf(after));
      const notes = c.manager.english
        ? { route_optimisation: 'Pairs with the next stop: saves a 30 km round trip', manager_capacity: 'Regional meeting on this morning every week from next month', other: 'The customer’s new shift pattern starts earlier' }
        : { route_optimisation: '和下一站合并，少跑 30 公里回头路', manager_capacity: '下月起每周这天上午有区域例会', other: '客户换了班次，上班时间提前' };
      const at = new Date(now.getTime() - (isPending ? drng.int(2, 96) * 3_600_000 : drng.int(25, 40) * DAY_MS)).toISOString();
      if (!isPending && at < c.plan.created_at) continue;
      out.call_plan_changes.push({
        id: idAt(at), plan_id: c.plan.id, account_id: c.plan.account_id, manager_id: c.manager.id, kind: 'change', reason, note: notes[reason], contact_id: null,
        status: isPending ? 'pending' : 'rejected', base_version: c.plan.version, before_json: JSON.stringify(slotView(c.plan)), after_json: JSON.stringify(slotView(after)),
        requested_by: c.manager.id, requested_at: at, decided_by: isPending ? null : directorId,
        decided_at: isPending ? null : new Date(Date.parse(at) + drng.int(3, 30) * 3_600_000).toISOString(),
        decision_note: isPending ? null : c.manager.english ? 'Keep the slot: the customer asked for this time' : '维持原时间：这个时段是客户点名要的',
      });
      if (isPending) pending++; else rejected++;
    }
  }

  // Visits: history with realistic punctuality, today as the reference instant finds it, and
  // the weeks ahead exactly as materialisation would make them.
  const visitRng = rng.fork('visits');
  for (const m of input.managers) {
    const mrng = visitRng.fork(m.id);
    // Managers differ: most are on time most of the time, a few run late often.
    const onTimeShare = 0.72 + 0.2 * mrng.next();
    const missedShare = 0.03 + 0.05 * mrng.next();
    for (const { plan, stop } of plansOfManager.get(m.id) ?? []) {
      const slot = slotOf(plan);
      const from = dayBounds(historyFrom > plan.anchor_date ? historyFrom : plan.anchor_date, tz).start;
      const contacts = contactsByAccount.get(plan.account_id) ?? [];
      const site = { lat: stop.site.lat!, lng: stop.site.lng! };
      for (const o of occurrences(slot, from, horizon)) {
        const made = new Date(Math.min(now.getTime(), Math.max(Date.parse(plan.created_at), o.start.getTime() - (AHEAD_WEEKS * 7 - 1) * DAY_MS))).toISOString();
        const v: Database['visits'] = {
          id: idAt(made), plan_id: plan.id, account_id: plan.account_id, site_id: plan.site_id, manager_id: m.id, occurrence_date: o.occurrenceDate,
          scheduled_start: o.start.toISOString(), scheduled_end: o.end.toISOString(), time_zone: tz, status: 'planned', tolerance_minutes: plan.tolerance_minutes,
          check_in_at: null, check_in_lat: null, check_in_lng: null, check_in_distance_m: null, check_out_at: null, check_out_lat: null, check_out_lng: null,
          check_out_distance_m: null, punctuality: null, missed_reason: null, moved_from: null, moved_contact_id: null, moved_note: null,
          outcome_notes: null, order_amount_minor: null, order_currency: null, issues_json: null, created_at: made, updated_at: made, version: 1,
        };
        out.visits.push(v);
        if (isHoliday(o.occurrenceDate)) {
          Object.assign(v, { status: 'cancelled', outcome_notes: m.english ? 'Public holiday: the customer is closed' : '法定节假日，客户放假', version: 2 });
          continue;
        }
        const isToday = o.occurrenceDate === today;
        const begun = o.start.getTime() <= now.getTime();
        const r = mrng.next();
        // Moved at the customer's request: in the past, and now and then in the coming week.
        const soon = o.start.getTime() - now.getTime() < 7 * DAY_MS;
        if (contacts.length && !isToday && ((begun && r < 0.05) || (!begun && soon && r < 0.04))) {
          const contact = mrng.pick(contacts);
          const moved = movedDay(o.start, o.start.getTime() > now.getTime() || mrng.chance(0.5) ? 1 : -1);
          const movedLocal = localDateOf(moved, tz);
          const lead = m.english ? mrng.pick(moveNotesEn) : mrng.pick(moveNotesZh);
          Object.assign(v, {
            scheduled_start: moved.toISOString(), scheduled_end: new Date(moved.getTime() + plan.duration_minutes * 60_000).toISOString(),
            moved_from: o.start.toISOString(), moved_contact_id: contact.id,
            moved_note: m.english ? `${contact.name_en ?? contact.name}: ${lead} ${movedLocal}` : `${contact.name}来电：${lead} ${movedLocal.slice(5)}`,
            version: 2, updated_at: new Date(Math.min(now.getTime(), o.start.getTime() - mrng.int(4, 48) * 3_600_000)).toISOString(),
          });
          if (moved.getTime() + plan.duration_minutes * 60_000 <= now.getTime()) happened(v, moved, true);
          continue;
        }
        if (!begun) continue;
        if (!isToday && r < 0.05 + missedShare) {
          const reason = m.english ? mrng.pick(missedReasonsEn) : mrng.pick(missedReasonsZh);
          Object.assign(v, { status: 'missed', missed_reason: reason, version: 2, updated_at: new Date(o.end.getTime() + mrng.int(1, 20) * 3_600_000).toISOString() });
          continue;
        }
        happened(v, o.start, false);
      }

      /** Check-in (and check-out when the visit is over by now) near the site, with punctuality against the slot. */
      function happened(v: Database['visits'], start: Date, moved: boolean) {
        const p = mrng.next();
        const lateShare = (1 - onTimeShare) * 0.68;
        const offset = p < onTimeShare || moved ? mrng.int(-8, 9)
          : p < onTimeShare + lateShare ? 11 + Math.min(60, Math.round(-14 * Math.log(1 - mrng.next())))
            : -mrng.int(12, 30);
        const checkIn = new Date(start.getTime() + offset * 60_000);
        if (checkIn.getTime() > now.getTime()) return;
        const at = near(mrng, site, mrng.int(4, 60));
        Object.assign(v, {
          status: 'checked_in', check_in_at: checkIn.toISOString(), check_in_lat: at.lat, check_in_lng: at.lng, check_in_distance_m: checkInDistance(site, at),
          punctuality: classifyArrival(new Date(v.scheduled_start), checkIn, v.tolerance_minutes), version: v.version + 1, updated_at: checkIn.toISOString(),
        });
        const checkOut = new Date(checkIn.getTime() + Math.max(20, plan.duration_minutes + mrng.int(-15, 20)) * 60_000);
        if (checkOut.getTime() > now.getTime()) return;
        const outAt = near(mrng, site, mrng.int(4, 60));
        const dealerish = stop.account.kind !== 'retail_chain';
        Object.assign(v, {
          status: 'completed', check_out_at: checkOut.toISOString(), check_out_lat: outAt.lat, check_out_lng: outAt.lng, check_out_distance_m: checkInDistance(site, outAt),
          outcome_notes: mrng.chance(0.4) ? (m.english ? mrng.pick(outcomeNotesEn) : mrng.pick(outcomeNotesZh)) : null,
          ...(dealerish && mrng.chance(0.25) ? { order_amount_minor: mrng.int(20, 300) * 100_000, order_currency: 'CNY' } : {}),
          issues_json: mrng.chance(0.08) ? JSON.stringify([m.english ? mrng.pick(issuesEn) : mrng.pick(issuesZh)]) : null,
          version: v.version + 1, updated_at: checkOut.toISOString(),
        });
      }
    }
  }
  out.visits.sort((a, b) => a.scheduled_start.localeCompare(b.scheduled_start) || (a.id < b.id ? -1 : 1));
  return out;
}

/**
 * The slot's occurrences that start in [from, to): every `intervalWeeks` weeks from the anchor
 * date at the local time. The same as the visit program's expandSlot (what materialisation
 * uses; the seed test checks that the daily job then adds, moves and removes nothing), done in
 * day arithmetic because the demo world's zone, Asia/Shanghai, is UTC+8 all year round (no
 * daylight saving since 1991): expandSlot goes through rrule and Intl and takes tens of
 * milliseconds per plan, which the first start of the server would wait for.
 */
function occurrences(slot: Slot, from: Date, to: Date): { occurrenceDate: string; start: Date; end: Date }[] {
  if (slot.timeZone !== DEMO_TIME_ZONE) throw new Error(`demo slots are in ${DEMO_TIME_ZONE}`);
  const out: { occurrenceDate: string; start: Date; end: Date }[] = [];
  const step = 7 * slot.intervalWeeks;
  const offsetMs = minutesOfClock(slot.startTime) * 60_000 - 8 * 3_600_000;
  const until = slot.endsOn ? isoToDay(slot.endsOn) : Infinity;
  let day = isoToDay(slot.anchorDate);
  // Skip whole periods up to `from` (a day's margin for the zone offset).
  if (day * DAY_MS < from.getTime() - DAY_MS) day += Math.floor((from.getTime() - DAY_MS - day * DAY_MS) / (step * DAY_MS)) * step;
  for (; day <= until; day += step) {
    const start = day * DAY_MS + offsetMs;
    if (start >= to.getTime()) break;
    if (start < from.getTime()) continue;
    out.push({ occurrenceDate: dayToIso(day), start: new Date(start), end: new Date(start + slot.durationMinutes * 60_000) });
  }
  return out;
}

/**
 * Two consecutive stops of one route, of the same length, each of which fits the other's start time:
 * the first such pair of the first manager (by id) that has one, or null.
 */
function reorderedPair<C extends { plan: Database['call_plans']; stop: PlacedStop; route: { id: string }; manager: ProgramManager }>(
  candidates: C[], fits: (c: C, minutes: number) => boolean,
): [C, C] | null {
  const byRoute = new Map<string, C[]>();
  for (const c of candidates) byRoute.set(c.route.id, [...(byRoute.get(c.route.id) ?? []), c]);
  const routes = [...byRoute.values()].sort((a, b) => (a[0]!.manager.id < b[0]!.manager.id ? -1 : a[0]!.manager.id > b[0]!.manager.id ? 1 : a[0]!.route.id < b[0]!.route.id ? -1 : 1));
  for (const stops of routes) {
    const ordered = [...stops].sort((a, b) => a.stop.start - b.stop.start);
    for (let i = 0; i + 1 < ordered.length; i++) {
      const [x, y] = [ordered[i]!, ordered[i + 1]!];
      if (x.stop.duration === y.stop.duration && fits(x, y.stop.start) && fits(y, x.stop.start)) return [x, y];
    }
  }
  return null;
}

/** The same time on the next (or previous) working day: customers ask for another day, not a weekend. */
function movedDay(start: Date, direction: 1 | -1): Date {
  let t = start.getTime() + direction * DAY_MS;
  // Asia/Shanghai has no daylight saving: the local weekday is the UTC+8 one.
  const weekdayOf = (ms: number) => new Date(ms + 8 * 3_600_000).getUTCDay();
  while (weekdayOf(t) === 0 || weekdayOf(t) === 6) t += direction * DAY_MS;
  return new Date(t);
}

/** A start 30–90 minutes away from the stop's own that fits its opening hours and clears the route's other stops. */
function shiftedStart(stop: PlacedStop, day: Weekday, others: PlacedStop[]): number | null {
  for (const delta of [30, -30, 60, -60, 90, -90]) {
    const s = stop.start + delta;
    if (s < minutesOfClock(DAY_START) || s + stop.duration > minutesOfClock(DAY_END)) continue;
    if (fitStart(windowsOn(stop.site, day), s, stop.duration) !== s) continue;
    if (others.some((o) => s < o.start + o.duration + 15 && o.start < s + stop.duration + 15)) continue;
    return s;
  }
  return null;
}

function shuffled<T>(rng: Rng, items: readonly T[]): T[] {
  const a = [...items];
  for (let i = a.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}
