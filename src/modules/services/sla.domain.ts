/**
 * The SLA clock: working time on a calendar of working windows, weekdays and public holidays,
 * in any IANA zone. Pure: no I/O; the only state is a memo of per-day data per calendar.
 *
 * Model. A local day D of the calendar's zone is a working day by `isWorkingDay`. Its working
 * time is every instant whose wall-clock time in the zone is on D and inside one of the windows.
 * Working time is real elapsed time: a window that a DST change shortens or lengthens counts
 * what actually elapses (02:00–04:00 on the spring-forward night in Berlin is one hour; wall
 * times that never happen are not worked, repeated ones are worked twice).
 *
 * Counting. `dueAt(start, m)` is the first instant at which m minutes of working time, not
 * counting paused intervals, have elapsed since `start`; counting starts at the next working
 * instant when `start` is outside working time. A due time that falls exactly at the end of a
 * window is that end (18:00), not the next window's start. With m = 0 the answer is the next
 * working instant: `start` itself inside a window and not paused, else the next window start
 * (or pause end). `workingMinutesBetween(start, dueAt(start, m)) === m` for every m.
 *
 * Speed. Each calendar's local days are computed once (two Intl look-ups per day, a few dozen
 * on a DST day) and kept; a call walks days by their precomputed working segments and skips
 * whole days, so it costs a few map look-ups per day spanned.
 *
 * Calendars are values: the memo is keyed by the calendar object and by its contents, so do
 * not mutate a calendar (or its holiday sets) after using it; make a new one.
 */
import { isTimeZone, offsetMinutes } from '../../shared/time.js';

export type HolidayTable = { off: ReadonlySet<string>; work: ReadonlySet<string> }; // ISO dates, local to the calendar's zone
export type WorkingCalendar = {
  /** IANA zone, e.g. Asia/Shanghai. */
  timeZone: string;
  /** Working windows in minutes from local midnight, sorted, e.g. [[540,720],[780,1080]] for 09:00-12:00,13:00-18:00. */
  windows: [number, number][];
  /** ISO weekdays that work normally, 1=Mon..7=Sun; default [1,2,3,4,5]. */
  weekdays: number[];
  /** null: weekdays only. */
  holidays: HolidayTable | null;
};
/** A paused interval (waiting on the customer). */
export type Interval = { from: Date; to: Date };

export const DEFAULT_WEEKDAYS: readonly number[] = [1, 2, 3, 4, 5];

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** dueAt gives up after this many consecutive local days without working time. */
const MAX_IDLE_DAYS = 3700;

/** A calendar with the defaults filled in (weekdays Mon–Fri, no holidays), checked. */
export function workingCalendar(c: { timeZone: string; windows: [number, number][] | string; weekdays?: number[]; holidays?: HolidayTable | null }): WorkingCalendar {
  const cal: WorkingCalendar = {
    timeZone: c.timeZone,
    windows: typeof c.windows === 'string' ? parseWindows(c.windows) : c.windows,
    weekdays: c.weekdays ?? [...DEFAULT_WEEKDAYS],
    holidays: c.holidays ?? null,
  };
  checkCalendar(cal);
  return cal;
}

/**
 * Parses working windows: "09:00-12:00,13:00-18:00" → [[540,720],[780,1080]]. Times are HH:MM
 * (24:00 allowed as an end); windows are sorted, adjacent ones joined; overlapping ones, an
 * end not after its start and malformed times are errors with the offending part named.
 */
export function parseWindows(spec: string): [number, number][] {
  const parts = spec.split(',').map((p) => p.trim());
  if (spec.trim() === '') throw new Error('working windows: none given (expected e.g. "09:00-12:00,13:00-18:00")');
  const out: [number, number][] = [];
  for (const part of parts) {
    const m = /^(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})$/.exec(part);
    if (!m) throw new Error(`working windows: "${part}" is not HH:MM-HH:MM`);
    const clock = (h: string, min: string, isEnd: boolean): number => {
      const hh = Number(h);
      const mm = Number(min);
      const v = hh * 60 + mm;
      if (mm > 59 || hh > 24 || v > 1440 || (v === 1440 && !isEnd)) throw new Error(`working windows: "${h}:${min}" in "${part}" is not a time of day`);
      return v;
    };
    const a = clock(m[1]!, m[2]!, false);
    const b = clock(m[3]!, m[4]!, true);
    if (b <= a) throw new Error(`working windows: "${part}" ends before it starts`);
    out.push([a, b]);
  }
  out.sort((x, y) => x[0] - y[0]);
  const merged: [number, number][] = [];
  for (const w of out) {
    const last = merged[merged.length - 1];
    if (last && w[0] < last[1]) throw new Error(`working windows: ${clockText(last)} and ${clockText(w)} overlap`);
    if (last && w[0] === last[1]) last[1] = w[1];
    else merged.push([w[0], w[1]]);
  }
  return merged;
}

const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
const clockText = (w: [number, number]) => `${hhmm(w[0])}-${hhmm(w[1])}`;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01 of an ISO date, or NaN when it is not a calendar date. */
export function dayNumberOf(isoDate: string): number {
  const m = ISO_DATE.exec(isoDate);
  if (!m) return Number.NaN;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const t = Date.UTC(y, mo - 1, d);
  const back = new Date(t);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return Number.NaN;
  return t / DAY;
}

const isoOfDayNumber = (n: number): string => new Date(n * DAY).toISOString().slice(0, 10);
/** ISO weekday (1 = Monday) of a day number: 1970-01-01 was a Thursday. */
const isoWeekdayOf = (n: number): number => ((((n + 3) % 7) + 7) % 7) + 1;

/** Holidays off → false; make-up working days → true (a make-up Saturday); else the weekday rule. */
export function isWorkingDay(cal: WorkingCalendar, isoDate: string): boolean {
  const n = dayNumberOf(isoDate);
  if (Number.isNaN(n)) throw new Error(`"${isoDate}" is not a date (YYYY-MM-DD)`);
  return workingOn(cal.holidays, cal.weekdays, isoDate, n);
}

function workingOn(h: HolidayTable | null, weekdays: readonly number[], iso: string, n: number): boolean {
  if (h?.off.has(iso)) return false;
  if (h?.work.has(iso)) return true;
  return weekdays.includes(isoWeekdayOf(n));
}

/** Checks a calendar; throws an Error naming what is wrong. */
export function checkCalendar(cal: WorkingCalendar): void {
  if (!isTimeZone(cal.timeZone)) throw new Error(`time zone "${cal.timeZone}" is not an IANA zone this runtime knows`);
  let prev = -1;
  for (const w of cal.windows) {
    if (!Array.isArray(w) || w.length !== 2 || !Number.isInteger(w[0]) || !Number.isInteger(w[1])) throw new Error(`working window ${JSON.stringify(w)} is not [startMinute, endMinute]`);
    if (w[0] < 0 || w[1] > 1440 || w[1] <= w[0]) throw new Error(`working window ${clockText(w)} must lie within 00:00-24:00 and end after it starts`);
    if (w[0] < prev) throw new Error(`working windows must be sorted and must not overlap (${clockText(w)})`);
    prev = w[1];
  }
  for (const d of cal.weekdays) if (!Number.isInteger(d) || d < 1 || d > 7) throw new Error(`weekday ${d} is not an ISO weekday 1 (Monday) … 7 (Sunday)`);
}

// ---- per-calendar memo of local days ----

type Day = {
  n: number; // day number of the local date
  start: number; // first instant of the local day, ms
  end: number; // first instant of the next local day, ms
  offset: number; // zone offset at `start`, ms
  segs: number[]; // working segments [s0, e0, s1, e1, …] in ms, sorted, disjoint, non-empty
  total: number; // working ms of the day
};

type Memo = {
  cal: WorkingCalendar;
  days: Map<number, Day>;
  lastOffset: number;
};

const byObject = new WeakMap<WorkingCalendar, Memo>();
const byHolidays = new WeakMap<HolidayTable, Map<string, Memo>>();
const withoutHolidays = new Map<string, Memo>();
const MAX_MEMOS_PER_TABLE = 128;

function memoOf(cal: WorkingCalendar): Memo {
  const hit = byObject.get(cal);
  if (hit) return hit;
  const key = `${cal.timeZone}|${cal.windows.map((w) => `${w[0]}-${w[1]}`).join(',')}|${cal.weekdays.join(',')}`;
  let table = cal.holidays ? byHolidays.get(cal.holidays) : withoutHolidays;
  if (!table) {
    table = new Map();
    byHolidays.set(cal.holidays!, table);
  }
  let memo = table.get(key);
  if (!memo) {
    checkCalendar(cal);
    // Copies, so a caller's later edit of its arrays cannot desynchronise the memo.
    const frozen: WorkingCalendar = { timeZone: cal.timeZone, windows: cal.windows.map((w) => [w[0], w[1]]), weekdays: [...cal.weekdays], holidays: cal.holidays };
    memo = { cal: frozen, days: new Map(), lastOffset: 0 };
    if (table.size >= MAX_MEMOS_PER_TABLE) table.clear();
    table.set(key, memo);
  }
  byObject.set(cal, memo);
  return memo;
}

const offsetAt = (tz: string, t: number): number => offsetMinutes(new Date(t), tz) * MINUTE;

function getDay(memo: Memo, n: number): Day {
  let day = memo.days.get(n);
  if (!day) {
    day = buildDay(memo.cal, n);
    memo.days.set(n, day);
  }
  return day;
}

function buildDay(cal: WorkingCalendar, n: number): Day {
  const tz = cal.timeZone;
  const l0 = n * DAY; // the local midnight as if it were UTC
  // Every instant of the local day lies in [l0 − 14 h, l0 + 24 h + 12 h]: offsets run −12 h … +14 h.
  const lo = l0 - 15 * HOUR;
  const hi = l0 + DAY + 13 * HOUR;
  const oBefore = offsetAt(tz, lo);
  const oAfter = offsetAt(tz, hi);
  const working = workingOn(cal.holidays, cal.weekdays, isoOfDayNumber(n), n);
  if (oBefore === oAfter) {
    const segs: number[] = [];
    let total = 0;
    if (working) {
      for (const [a, b] of cal.windows) {
        segs.push(l0 + a * MINUTE - oBefore, l0 + b * MINUTE - oBefore);
        total += (b - a) * MINUTE;
      }
    }
    return { n, start: l0 - oBefore, end: l0 + DAY - oBefore, offset: oBefore, segs, total };
  }
  // One offset change near this day (a DST day or its neighbour): find the instant it happens.
  const change = transitionBetween(tz, lo, hi, oBefore);
  // Instants whose wall clock lies in [la, lb): before the change at offset oBefore, from it at oAfter.
  const preimage = (la: number, lb: number): [number, number][] => {
    const pieces: [number, number][] = [];
    const s1 = la - oBefore;
    const e1 = Math.min(lb - oBefore, change);
    if (s1 < e1) pieces.push([s1, e1]);
    const s2 = Math.max(la - oAfter, change);
    const e2 = lb - oAfter;
    if (s2 < e2) pieces.push([s2, e2]);
    return pieces;
  };
  const whole = preimage(l0, l0 + DAY);
  const start = Math.min(...whole.map((p) => p[0]));
  const end = Math.max(...whole.map((p) => p[1]));
  const pieces: [number, number][] = [];
  if (working) for (const [a, b] of cal.windows) pieces.push(...preimage(l0 + a * MINUTE, l0 + b * MINUTE));
  pieces.sort((x, y) => x[0] - y[0]);
  const segs: number[] = [];
  let total = 0;
  for (const [s, e] of pieces) {
    const last = segs.length - 1;
    if (last > 0 && s <= segs[last]!) {
      if (e > segs[last]!) {
        total += e - segs[last]!;
        segs[last] = e;
      }
    } else {
      segs.push(s, e);
      total += e - s;
    }
  }
  return { n, start, end, offset: start < change ? oBefore : oAfter, segs, total };
}

/** The first whole second in (lo, hi] at which the offset is no longer `o` (binary search). */
function transitionBetween(tz: string, lo: number, hi: number, o: number): number {
  let l = Math.ceil(lo / 1000);
  let h = Math.floor(hi / 1000);
  while (h - l > 1) {
    const m = Math.floor((l + h) / 2);
    if (offsetAt(tz, m * 1000) === o) l = m;
    else h = m;
  }
  return h * 1000;
}

/** The local day an instant falls on. */
function dayAt(memo: Memo, t: number): Day {
  let day = getDay(memo, Math.floor((t + memo.lastOffset) / DAY));
  while (t < day.start) day = getDay(memo, day.n - 1);
  while (t >= day.end) day = getDay(memo, day.n + 1);
  memo.lastOffset = day.offset;
  return day;
}

// ---- pauses ----

type Pauses = { from: number[]; to: number[] };
const NO_PAUSES: Pauses = { from: [], to: [] };

/** The union of the pauses that end after `after`, sorted. */
function unionOf(paused: Interval[] | undefined, after: number): Pauses {
  if (!paused || paused.length === 0) return NO_PAUSES;
  const list: [number, number][] = [];
  for (const p of paused) {
    const a = p.from.getTime();
    const b = p.to.getTime();
    if (Number.isNaN(a) || Number.isNaN(b)) throw new Error('a paused interval has an invalid date');
    if (b > a && b > after) list.push([a, b]);
  }
  list.sort((x, y) => x[0] - y[0]);
  const out: Pauses = { from: [], to: [] };
  for (const [a, b] of list) {
    const k = out.to.length - 1;
    if (k >= 0 && a <= out.to[k]!) out.to[k] = Math.max(out.to[k]!, b);
    else {
      out.from.push(a);
      out.to.push(b);
    }
  }
  return out;
}

// ---- the clock ----

/** The instant at which `minutes` of working time have elapsed after `start`, not counting paused intervals. */
export function dueAt(cal: WorkingCalendar, start: Date, minutes: number, paused?: Interval[]): Date {
  const t0 = start.getTime();
  if (Number.isNaN(t0)) throw new Error('dueAt: start is not a valid date');
  if (!(minutes >= 0) || !Number.isFinite(minutes)) throw new Error(`dueAt: minutes must be a finite number ≥ 0 (got ${minutes})`);
  const memo = memoOf(cal);
  let rem = Math.round(minutes * MINUTE);
  const p = unionOf(paused, t0);
  const np = p.from.length;
  let pi = 0;
  let t = t0;
  let day = dayAt(memo, t);
  let idle = 0;
  for (;;) {
    const segs = day.segs;
    while (pi < np && p.to[pi]! <= day.start) pi++;
    if (day.total === 0) {
      if (++idle > MAX_IDLE_DAYS) throw new Error(`dueAt: no working time within ${MAX_IDLE_DAYS} days of ${start.toISOString()}`);
    } else if (t <= segs[0]! && rem > day.total && (pi >= np || p.from[pi]! >= day.end)) {
      rem -= day.total; // a whole working day, no pause in it
      idle = 0;
    } else {
      idle = 0;
      for (let i = 0; i < segs.length; i += 2) {
        const e = segs[i + 1]!;
        if (e <= t) continue;
        let a = segs[i]! > t ? segs[i]! : t;
        if (pi >= np) {
          const avail = e - a;
          if (rem <= avail) return new Date(a + rem);
          rem -= avail;
          continue;
        }
        while (a < e) {
          while (pi < np && p.to[pi]! <= a) pi++;
          if (pi < np && p.from[pi]! <= a) {
            a = p.to[pi]!;
            continue;
          }
          const stop = pi < np && p.from[pi]! < e ? p.from[pi]! : e;
          const avail = stop - a;
          if (rem <= avail) return new Date(a + rem);
          rem -= avail;
          a = stop;
        }
      }
    }
    day = getDay(memo, day.n + 1);
    t = day.start;
  }
}

/** Working minutes between two instants (0 if to <= from), not counting paused intervals. Fractional when the instants are not on whole minutes. */
export function workingMinutesBetween(cal: WorkingCalendar, from: Date, to: Date, paused?: Interval[]): number {
  const f = from.getTime();
  const g = to.getTime();
  if (Number.isNaN(f) || Number.isNaN(g)) throw new Error('workingMinutesBetween: invalid date');
  if (g <= f) return 0;
  const memo = memoOf(cal);
  const p = unionOf(paused, f);
  const np = p.from.length;
  let pi = 0;
  let sum = 0;
  let day = dayAt(memo, f);
  for (;;) {
    const segs = day.segs;
    while (pi < np && p.to[pi]! <= day.start) pi++;
    if (day.total > 0) {
      if (f <= segs[0]! && g >= segs[segs.length - 1]! && (pi >= np || p.from[pi]! >= day.end)) sum += day.total;
      else {
        for (let i = 0; i < segs.length; i += 2) {
          let a = segs[i]! > f ? segs[i]! : f;
          const b = segs[i + 1]! < g ? segs[i + 1]! : g;
          if (a >= b) continue;
          if (pi >= np) {
            sum += b - a;
            continue;
          }
          while (a < b) {
            while (pi < np && p.to[pi]! <= a) pi++;
            if (pi < np && p.from[pi]! <= a) {
              a = p.to[pi]!;
              continue;
            }
            const stop = pi < np && p.from[pi]! < b ? p.from[pi]! : b;
            sum += stop - a;
            a = stop;
          }
        }
      }
    }
    if (day.end >= g) break;
    day = getDay(memo, day.n + 1);
  }
  return sum / MINUTE;
}

/** ISO 8601 with the zone's offset at that instant: 2026-02-14T17:50:00+08:00 (milliseconds only when not zero). */
export function isoInZone(instant: Date, timeZone: string): string {
  const t = instant.getTime();
  const off = offsetMinutes(instant, timeZone);
  const local = new Date(t + off * MINUTE).toISOString(); // wall clock as a UTC ISO string
  const body = ((t % 1000) + 1000) % 1000 === 0 ? local.slice(0, 19) : local.slice(0, 23);
  const abs = Math.abs(off);
  return `${body}${off < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}
