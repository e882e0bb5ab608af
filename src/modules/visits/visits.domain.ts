/**
 * The fixed visit program, pure: recurring slots as RFC 5545 RRULEs in a time zone, their
 * expansion into occurrences, punctuality and compliance. No I/O.
 */
import rrulePkg from 'rrule';
import { haversineMetres, type LatLng } from '../../shared/geo.js';
import {
  addDays, fromLocal, localDateOf, parseLocal, type Weekday, WEEKDAYS, weekdayOfDate,
} from '../../shared/time.js';

// rrule ships CommonJS; its named exports are not visible to Node's ESM loader.
const { RRule } = rrulePkg;

/** A recurring visit slot: weekday, local start time, duration, every N weeks from an anchor date, in a zone. */
export type Slot = {
  weekday: Weekday;
  /** Local start "HH:MM". */
  startTime: string;
  durationMinutes: number;
  intervalWeeks: number;
  timeZone: string;
  /** The first occurrence's local date (on `weekday`); every-N-weeks counts from here. */
  anchorDate: string;
  /** Last local date a visit may fall on; null: open-ended. */
  endsOn: string | null;
};

export type Occurrence = { occurrenceDate: string; start: Date; end: Date };

const RRULE_DAYS = { mon: RRule.MO, tue: RRule.TU, wed: RRule.WE, thu: RRule.TH, fri: RRule.FR, sat: RRule.SA, sun: RRule.SU } as const;

/** A "floating" Date whose UTC fields hold a local wall-clock time: rrule's way of computing in local time. */
const floating = (date: string, time = '00:00'): Date => {
  const l = parseLocal(date, time);
  return new Date(Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute, l.second));
};

function ruleOf(slot: Slot, withZone: boolean) {
  const [h, m] = slot.startTime.split(':').map(Number) as [number, number];
  return new RRule({
    freq: RRule.WEEKLY,
    interval: slot.intervalWeeks,
    byweekday: [RRULE_DAYS[slot.weekday]],
    byhour: [h],
    byminute: [m],
    bysecond: [0],
    dtstart: floating(slot.anchorDate, slot.startTime),
    ...(slot.endsOn ? { until: floating(slot.endsOn, '23:59') } : {}),
    ...(withZone ? { tzid: slot.timeZone } : {}),
  });
}

/**
 * The slot as RFC 5545 text: `DTSTART;TZID=Asia/Shanghai:20261130T090000` and
 * `RRULE:FREQ=WEEKLY;INTERVAL=1;BYDAY=MO;…` — what is stored and what calendars receive.
 */
export function slotRRuleText(slot: Slot): string {
  return ruleOf(slot, true).toString();
}

/** Just the RRULE value (without DTSTART), for an iCalendar VEVENT. */
export function slotRRuleValue(slot: Slot): string {
  const line = slotRRuleText(slot).split('\n').find((l) => l.startsWith('RRULE:'))!;
  return line.slice('RRULE:'.length);
}

/**
 * The occurrences of a slot whose start lies in [from, to). The rule is expanded in local
 * wall-clock time and each occurrence then placed in the zone, so a Monday 09:00 slot stays
 * at 09:00 local across a DST switch (its UTC instant moves instead).
 */
export function expandSlot(slot: Slot, from: Date, to: Date): Occurrence[] {
  if (to <= from) return [];
  // A day of margin either side covers every zone offset (±14 h).
  const lo = floating(addDays(localDateOf(from, 'UTC'), -1));
  const hi = floating(addDays(localDateOf(to, 'UTC'), 2));
  const out: Occurrence[] = [];
  for (const f of ruleOf(slot, false).between(lo, hi, true)) {
    const local = { year: f.getUTCFullYear(), month: f.getUTCMonth() + 1, day: f.getUTCDate(), hour: f.getUTCHours(), minute: f.getUTCMinutes(), second: 0 };
    const start = fromLocal(local, slot.timeZone);
    if (start < from || start >= to) continue;
    out.push({ occurrenceDate: f.toISOString().slice(0, 10), start, end: new Date(start.getTime() + slot.durationMinutes * 60_000) });
  }
  return out;
}

export type Punctuality = 'on_time' | 'late' | 'early';

/** On time within ±tolerance minutes of the slot's start; later is late, earlier is early. */
export function classifyArrival(scheduledStart: Date, checkIn: Date, toleranceMinutes: number): Punctuality {
  const diff = (checkIn.getTime() - scheduledStart.getTime()) / 60_000;
  if (diff > toleranceMinutes) return 'late';
  if (diff < -toleranceMinutes) return 'early';
  return 'on_time';
}

/** How long before a slot's start a check-in is accepted (a manager arriving early may start the visit). */
export const CHECK_IN_OPENS_MINUTES_BEFORE = 120;

export type CheckInWindow = { opens: Date; closes: Date };

/**
 * When a visit may be checked in: from `opensMinutesBefore` before its start to the end of its
 * local day (or its end, if the slot runs past midnight). A late arrival is still a visit, marked
 * late; a check-in at 04:12 for a 09:00 slot, or on the next day, is not.
 */
export function checkInWindow(v: { start: Date; end: Date; timeZone: string }, opensMinutesBefore = CHECK_IN_OPENS_MINUTES_BEFORE): CheckInWindow {
  const endOfDay = fromLocal(parseLocal(addDays(localDateOf(v.start, v.timeZone), 1)), v.timeZone);
  return { opens: new Date(v.start.getTime() - opensMinutesBefore * 60_000), closes: endOfDay > v.end ? endOfDay : v.end };
}

/** Why a check-in at `at` falls outside the window, or null when it is inside. */
export function checkInRefusal(window: CheckInWindow, at: Date): 'too_early' | 'too_late' | null {
  if (at < window.opens) return 'too_early';
  if (at >= window.closes) return 'too_late';
  return null;
}

/** Metres between where the phone checked in and the site, rounded; null when the site has no position. */
export function checkInDistance(site: LatLng | null, at: LatLng): number | null {
  return site ? Math.round(haversineMetres(site, at)) : null;
}

/** How a visit counts in compliance. */
export type VisitOutcome = 'on_time' | 'late' | 'early' | 'missed' | 'moved' | 'upcoming' | 'cancelled';

export type VisitFacts = {
  status: 'planned' | 'checked_in' | 'completed' | 'missed' | 'cancelled';
  scheduledEnd: string;
  punctuality: Punctuality | null;
  movedAtCustomerRequest: boolean;
};

/**
 * The outcome of one visit at `now`: moved at the customer's request counts as moved whatever
 * happened after; a visit checked in counts by its punctuality; a planned visit whose slot has
 * ended without a check-in is missed (and needs a reason).
 */
export function outcomeOf(v: VisitFacts, now: Date): VisitOutcome {
  if (v.status === 'cancelled') return 'cancelled';
  if (v.movedAtCustomerRequest) return 'moved';
  if (v.punctuality) return v.punctuality;
  if (v.status === 'missed') return 'missed';
  return new Date(v.scheduledEnd) <= now ? 'missed' : 'upcoming';
}

export type ComplianceCounts = {
  scheduled: number;
  onTime: number;
  late: number;
  early: number;
  missed: number;
  missedWithoutReason: number;
  moved: number;
  upcoming: number;
  /** Visits due so far (scheduled − moved − upcoming): the denominator of the rates. */
  due: number;
  /** Visited (on time, late or early) ÷ due; null when nothing was due. */
  visitRate: number | null;
  /** On time ÷ due; null when nothing was due. */
  onTimeRate: number | null;
};

/** Counts and rates over visits' outcomes (cancelled visits are left out entirely). */
export function complianceOf(items: { outcome: VisitOutcome; missedReason: string | null }[]): ComplianceCounts {
  const c = { scheduled: 0, onTime: 0, late: 0, early: 0, missed: 0, missedWithoutReason: 0, moved: 0, upcoming: 0 };
  for (const i of items) {
    if (i.outcome === 'cancelled') continue;
    c.scheduled++;
    if (i.outcome === 'on_time') c.onTime++;
    else if (i.outcome === 'late') c.late++;
    else if (i.outcome === 'early') c.early++;
    else if (i.outcome === 'moved') c.moved++;
    else if (i.outcome === 'upcoming') c.upcoming++;
    else {
      c.missed++;
      if (!i.missedReason) c.missedWithoutReason++;
    }
  }
  const due = c.onTime + c.late + c.early + c.missed;
  const rate = (n: number) => (due ? Math.round((n / due) * 10_000) / 10_000 : null);
  return { ...c, due, visitRate: rate(c.onTime + c.late + c.early), onTimeRate: rate(c.onTime) };
}

/** Change reasons: a customer's request applies at once; any other needs the director's approval. */
export type ChangeReason = 'customer_request' | 'route_optimisation' | 'manager_capacity' | 'other';
export const needsApproval = (reason: ChangeReason): boolean => reason !== 'customer_request';

/** A slot as its change history records it (the API's names). */
export type SlotView = {
  weekday: string; startTime: string; durationMinutes: number; intervalWeeks: number; timeZone: string; anchorDate: string; endsOn: string | null;
  siteId: string | null; managerId: string; routeId: string | null; routePosition: number | null; timeFixed: boolean; toleranceMinutes: number;
};

/**
 * Whether a change moves anything the customer or the manager lives by: day, time, length,
 * rhythm, place, manager, route, end. The stop number on a route alone does not count (the
 * day's order follows the times), so "Monday 13:30 → Monday 13:30" is no change to ask for.
 */
export function slotChanges(before: SlotView, after: SlotView): boolean {
  const keys = ['weekday', 'startTime', 'durationMinutes', 'intervalWeeks', 'timeZone', 'anchorDate', 'endsOn', 'siteId', 'managerId', 'routeId', 'timeFixed', 'toleranceMinutes'] as const;
  return keys.some((k) => before[k] !== after[k]);
}

/** The weekday index used to order a week (Monday first). */
export const weekdayIndex = (d: Weekday): number => WEEKDAYS.indexOf(d);

/** How a stretch of the program stands, for the director's view of the team. */
export type ComplianceStatus = 'ok' | 'watch' | 'act' | 'info';

/**
 * Visited under four in five due visits, or on time under three in four: act; under 95 % visited,
 * under 90 % on time (the program promises a fixed time), or a missed visit nobody explained:
 * watch. Nothing due yet: no judgement.
 */
export function complianceStatus(c: ComplianceCounts): ComplianceStatus {
  if (c.visitRate === null || c.onTimeRate === null) return 'info';
  if (c.visitRate < 0.8 || c.onTimeRate < 0.75) return 'act';
  if (c.visitRate < 0.95 || c.onTimeRate < 0.9 || c.missedWithoutReason > 0) return 'watch';
  return 'ok';
}

/**
 * How many of an account's latest due visits were missed one after the other, newest first:
 * visits moved at the customer's request, cancelled or still to come neither count nor break the
 * run; the first visit made ends it. `since`: the scheduled start of the oldest missed visit in the run.
 */
export function missedInARow(newestFirst: { outcome: VisitOutcome; scheduledStart: string }[]): { count: number; since: string | null } {
  let count = 0;
  let since: string | null = null;
  for (const v of newestFirst) {
    if (v.outcome === 'moved' || v.outcome === 'cancelled' || v.outcome === 'upcoming') continue;
    if (v.outcome !== 'missed') break;
    count++;
    since = v.scheduledStart;
  }
  return { count, since };
}

/** The local Monday of the week `date` (YYYY-MM-DD) falls in: weeks of the program start on Monday. */
export const weekStartOf = (date: string): string => addDays(date, -weekdayIndex(weekdayOfDate(date)));
