/**
 * Time-zone helpers on IANA zone names, built on Intl only (no I/O, no tz data of our own).
 * OpenKAM stores instants as UTC ISO text and shows them in a zone; these functions convert
 * between an instant and a local wall-clock date/time in a zone, DST included.
 */

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';
export const WEEKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** The zone OpenKAM assumes when none is given. */
export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

/** A wall-clock date and time: month 1–12. */
export type LocalDateTime = { year: number; month: number; day: number; hour: number; minute: number; second: number };

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
    });
    formatters.set(tz, f);
  }
  return f;
}

/** True when `tz` is an IANA time zone this runtime knows (e.g. "Asia/Shanghai", "Europe/Berlin"). */
export function isTimeZone(tz: string): boolean {
  if (!tz || tz.length > 64) return false;
  try {
    formatter(tz);
    return true;
  } catch {
    return false;
  }
}

/** The wall-clock date and time of an instant in a zone. */
export function toLocal(instant: Date, tz: string): LocalDateTime {
  const parts: Record<string, number> = {};
  for (const p of formatter(tz).formatToParts(instant)) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return { year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour! % 24, minute: parts.minute!, second: parts.second! };
}

const utcOf = (l: LocalDateTime): number => Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute, l.second);

/** Offset of the zone from UTC at an instant, in minutes (Asia/Shanghai: 480). */
export function offsetMinutes(instant: Date, tz: string): number {
  const ms = Math.floor(instant.getTime() / 1000) * 1000;
  return Math.round((utcOf(toLocal(new Date(ms), tz)) - ms) / 60_000);
}

const sameLocal = (a: LocalDateTime, b: LocalDateTime) =>
  a.year === b.year && a.month === b.month && a.day === b.day && a.hour === b.hour && a.minute === b.minute && a.second === b.second;

/**
 * The instant of a wall-clock time in a zone. A time that occurs twice (autumn fall-back) is
 * the earlier one; a time that does not exist (spring gap) moves forward by the gap
 * (02:30 on the spring-forward night in Berlin → 03:30 CEST), as RFC 5545 says.
 */
export function fromLocal(local: LocalDateTime, tz: string): Date {
  const target = utcOf(local);
  const before = offsetMinutes(new Date(target - 86_400_000), tz);
  const after = offsetMinutes(new Date(target + 86_400_000), tz);
  const candidates = [...new Set([target - before * 60_000, target - after * 60_000])]
    .filter((t) => sameLocal(toLocal(new Date(t), tz), local))
    .sort((a, b) => a - b);
  return new Date(candidates[0] ?? target - before * 60_000);
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** Parses "YYYY-MM-DD" and "HH:MM" into a LocalDateTime. */
export function parseLocal(date: string, time = '00:00'): LocalDateTime {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const t = /^(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(time);
  if (!d || !t) throw new Error(`invalid local date/time "${date} ${time}"`);
  return { year: Number(d[1]), month: Number(d[2]), day: Number(d[3]), hour: Number(t[1]), minute: Number(t[2]), second: Number(t[3] ?? 0) };
}

/** The instant of a local date and "HH:MM" in a zone. */
export const instantOf = (date: string, time: string, tz: string): Date => fromLocal(parseLocal(date, time), tz);

/** "YYYY-MM-DD" of an instant in a zone. */
export function localDateOf(instant: Date, tz: string): string {
  const l = toLocal(instant, tz);
  return `${pad(l.year, 4)}-${pad(l.month)}-${pad(l.day)}`;
}

/** "HH:MM" of an instant in a zone. */
export function localTimeOf(instant: Date, tz: string): string {
  const l = toLocal(instant, tz);
  return `${pad(l.hour)}:${pad(l.minute)}`;
}

/** "YYYY-MM-DDTHH:MM:SS" (no offset) of an instant in a zone: what iCalendar's TZID times hold. */
export function localIsoOf(instant: Date, tz: string): string {
  const l = toLocal(instant, tz);
  return `${pad(l.year, 4)}-${pad(l.month)}-${pad(l.day)}T${pad(l.hour)}:${pad(l.minute)}:${pad(l.second)}`;
}

/** A calendar date plus n days ("2026-12-31" + 1 → "2027-01-01"). */
export function addDays(date: string, n: number): string {
  const l = parseLocal(date);
  return new Date(Date.UTC(l.year, l.month - 1, l.day + n)).toISOString().slice(0, 10);
}

/** The weekday of a calendar date. */
export function weekdayOfDate(date: string): Weekday {
  const l = parseLocal(date);
  return WEEKDAYS[(new Date(Date.UTC(l.year, l.month - 1, l.day)).getUTCDay() + 6) % 7]!;
}

/** The first date on or after `date` that falls on `weekday`. */
export function nextWeekday(date: string, weekday: Weekday): string {
  const diff = (WEEKDAYS.indexOf(weekday) - WEEKDAYS.indexOf(weekdayOfDate(date)) + 7) % 7;
  return addDays(date, diff);
}

/** The instants a local calendar day starts and ends at in a zone (23, 24 or 25 hours apart). */
export function dayBounds(date: string, tz: string): { start: Date; end: Date } {
  return { start: instantOf(date, '00:00', tz), end: instantOf(addDays(date, 1), '00:00', tz) };
}

/** "HH:MM" → minutes since midnight. */
export const minutesOfClock = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Minutes since midnight → "HH:MM". */
export const clockOfMinutes = (m: number): string => `${pad(Math.floor(m / 60) % 24)}:${pad(Math.round(m) % 60)}`;
