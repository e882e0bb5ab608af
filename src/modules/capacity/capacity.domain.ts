/**
 * Priority delivery in the peak season, the pure core: ISO weeks (the unit capacity is reserved
 * in), how a week's reservation stands against the orders placed on it, and the warnings a
 * planner acts on (a week over-subscribed, a reservation about to go unused). No I/O.
 */
import { addDays } from '../../shared/time.js';

/** An ISO 8601 week, e.g. "2027-W03": weeks start on Monday; week 1 holds the year's first Thursday. */
export type WeekKey = string;

const WEEK = /^(\d{4})-W(\d{2})$/;
const DAY = 86_400_000;

const utc = (date: string): number => Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)));
const isoDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
/** Monday 1 … Sunday 7. */
const isoWeekday = (ms: number): number => ((new Date(ms).getUTCDay() + 6) % 7) + 1;

/** The ISO week a calendar date (YYYY-MM-DD) falls in: 2027-01-01 (a Friday) is in 2026-W53. */
export function weekOf(date: string): WeekKey {
  const ms = utc(date);
  const thursday = ms + (4 - isoWeekday(ms)) * DAY;
  const year = new Date(thursday).getUTCFullYear();
  const week = Math.floor((thursday - Date.UTC(year, 0, 1)) / DAY / 7) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** The Monday (YYYY-MM-DD) a week starts on; null for a key that names no week (2027-W53). */
export function weekStart(week: WeekKey): string | null {
  const m = WEEK.exec(week);
  if (!m) return null;
  const year = Number(m[1]);
  const n = Number(m[2]);
  if (n < 1 || n > 53) return null;
  // 4 January is always in week 1.
  const jan4 = Date.UTC(year, 0, 4);
  const monday = isoDay(jan4 - (isoWeekday(jan4) - 1) * DAY + (n - 1) * 7 * DAY);
  return weekOf(monday) === week ? monday : null;
}

/** True when the key names a real ISO week. */
export const isWeek = (week: string): boolean => weekStart(week) !== null;

function startOf(week: WeekKey): string {
  const s = weekStart(week);
  if (!s) throw new RangeError(`not an ISO week: ${week}`);
  return s;
}

/** The Sunday a week ends on. */
export const weekEnd = (week: WeekKey): string => addDays(startOf(week), 6);

/** The week n weeks after (or before, n < 0) a week. */
export const addWeeks = (week: WeekKey, n: number): WeekKey => weekOf(addDays(startOf(week), 7 * n));

/** Whether a calendar date falls in a week. */
export const inWeek = (date: string, week: WeekKey): boolean => weekOf(date) === week;

/** Whole weeks from one week to another (negative when `to` is earlier). */
export const weeksBetween = (from: WeekKey, to: WeekKey): number => Math.round((utc(startOf(to)) - utc(startOf(from))) / (7 * DAY));

/** The weeks from `from` to `to`, both included (empty when `to` is earlier). */
export function weekRange(from: WeekKey, to: WeekKey): WeekKey[] {
  const n = weeksBetween(from, to);
  return Array.from({ length: Math.max(0, n + 1) }, (_, i) => addWeeks(from, i));
}

export const reservationStatuses = ['open', 'full', 'over', 'unused', 'past'] as const;
export type ReservationStatus = (typeof reservationStatuses)[number];

/** A reservation goes unused when its week starts within this many days and less than half of it is ordered. */
export const UNUSED_WITHIN_DAYS = 7;

export type ReservationFigures = { week: WeekKey; truckloads: number; ordered: number };

/**
 * How a week's reservation stands on `today` (the company's calendar date):
 * past once the week has ended; over when more is ordered than reserved; full when all of it is;
 * unused when the week starts within seven days (or has started) and less than half is ordered;
 * open otherwise.
 */
export function reservationStatus(r: ReservationFigures, today: string): ReservationStatus {
  const start = startOf(r.week);
  if (addDays(start, 6) < today) return 'past';
  if (r.ordered > r.truckloads) return 'over';
  if (r.ordered === r.truckloads) return 'full';
  const daysToStart = (utc(start) - utc(today)) / DAY;
  if (daysToStart <= UNUSED_WITHIN_DAYS && r.ordered * 2 < r.truckloads) return 'unused';
  return 'open';
}

/** Truckloads still free (never negative: an over-subscribed week has none). */
export const freeOf = (r: Pick<ReservationFigures, 'truckloads' | 'ordered'>): number => Math.max(0, r.truckloads - r.ordered);

/** By how many truckloads an order of `asked` would over-subscribe the week (0: it fits). */
export const overBy = (r: Pick<ReservationFigures, 'truckloads' | 'ordered'>, asked: number): number => Math.max(0, r.ordered + asked - r.truckloads);

export type WarningKind = 'over' | 'unused';
export type CapacityWarning = { reservationId: string; kind: WarningKind; message: string };

/**
 * The warnings of a list of reservations, over-subscribed weeks first, each in week order. The
 * message is English for API readers; the web app words its own from the reservation's figures.
 */
export function capacityWarnings(rs: readonly (ReservationFigures & { id: string; depotNameEn: string; status: ReservationStatus })[]): CapacityWarning[] {
  const byWeek = [...rs].sort((a, b) => a.week.localeCompare(b.week) || a.depotNameEn.localeCompare(b.depotNameEn));
  const over = byWeek.filter((r) => r.status === 'over').map((r): CapacityWarning => ({
    reservationId: r.id, kind: 'over',
    message: `${r.depotNameEn}, ${r.week}: ${r.ordered} truckloads ordered against ${r.truckloads} reserved (${r.ordered - r.truckloads} over)`,
  }));
  const unused = byWeek.filter((r) => r.status === 'unused').map((r): CapacityWarning => ({
    reservationId: r.id, kind: 'unused',
    message: `${r.depotNameEn}, ${r.week} (from ${startOf(r.week)}): only ${r.ordered} of ${r.truckloads} reserved truckloads ordered`,
  }));
  return [...over, ...unused];
}
