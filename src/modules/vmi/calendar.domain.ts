/**
 * The VMI calendar (decision 030): when an order placed on a date can arrive, given the lane's
 * lead time, the lane's closures (no shipment on the lane) and the site's warnings (no arrival into
 * the site), and when the next visit (review) falls. Dates are YYYY-MM-DD, windows inclusive. Pure.
 */
import { addDays, WEEKDAYS, weekdayOfDate, type Weekday } from '../../shared/time.js';

export type VmiErrorCode = 'invalid_input';

/** The VMI core's one error: a code, and a message meant for the person who gave the input. */
export class VmiError extends Error {
  constructor(
    readonly code: VmiErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'VmiError';
  }
}

/**
 * A window of days [from, to], both inclusive, with the reason shown to the rep. `knownFrom`: the
 * date it was known (a warning's issue date); the replay only lets a decision see windows known by
 * then. Absent: known all along (a seasonal lane closure).
 */
export type DayWindow = { from: string; to: string; reason: string; knownFrom?: string };

/** Visits on these weekdays, every `everyWeeks` weeks counted from the order date's week (default 1). */
export type VisitRhythm = { weekdays: readonly Weekday[]; everyWeeks?: number };

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const dayNo = (d: string): number => {
  if (!DATE.test(d)) throw new VmiError('invalid_input', `not a date (YYYY-MM-DD): ${JSON.stringify(d)}`);
  return Date.UTC(Number(d.slice(0, 4)), Number(d.slice(5, 7)) - 1, Number(d.slice(8, 10))) / 86_400_000;
};

/** Calendar days from a to b (b − a). */
export const daysFrom = (a: string, b: string): number => dayNo(b) - dayNo(a);

export function checkWindow(w: DayWindow): void {
  if (daysFrom(w.from, w.to) < 0) throw new VmiError('invalid_input', `the window "${w.reason}" ends (${w.to}) before it starts (${w.from})`);
}

/** The window of `windows` that holds `date`, if any. */
export function windowOn(windows: readonly DayWindow[], date: string): DayWindow | undefined {
  return windows.find((w) => w.from <= date && date <= w.to);
}

/** An arrival: the day it can arrive, and the windows that moved it later than order date + lead time. */
export type Arrival = { date: string; movedBy: DayWindow[] };

/**
 * The earliest arrival of an order placed on `orderDate`: it leaves on a day from which its whole
 * transit [departure, departure + lead] misses every lane closure, and it cannot arrive on a day
 * the site is under a warning (it is held until the day after the warning ends).
 */
export function earliestArrival(orderDate: string, leadDays: number, closures: readonly DayWindow[], warnings: readonly DayWindow[]): Arrival {
  if (!Number.isInteger(leadDays) || leadDays < 0) throw new VmiError('invalid_input', `the lead time must be a whole number of days ≥ 0, got ${leadDays}`);
  const movedBy: DayWindow[] = [];
  let departure = orderDate;
  let arrival = addDays(departure, leadDays);
  for (let guard = 0; guard < 1000; guard++) {
    const closed = closures.find((w) => w.from <= arrival && departure <= w.to);
    if (closed) {
      if (!movedBy.includes(closed)) movedBy.push(closed);
      departure = addDays(closed.to, 1);
      arrival = addDays(departure, leadDays);
      continue;
    }
    const warned = windowOn(warnings, arrival);
    if (warned) {
      if (!movedBy.includes(warned)) movedBy.push(warned);
      arrival = addDays(warned.to, 1);
      continue;
    }
    return { date: arrival, movedBy };
  }
  throw new VmiError('invalid_input', 'closures and warnings leave no day to arrive on');
}

/** A shipment already on its way arrives on `date`, or the day after a warning that holds that day. */
export function heldArrival(date: string, warnings: readonly DayWindow[]): Arrival {
  const movedBy: DayWindow[] = [];
  let d = date;
  for (let w = windowOn(warnings, d); w; w = windowOn(warnings, d)) {
    if (movedBy.includes(w)) break;
    movedBy.push(w);
    d = addDays(w.to, 1);
  }
  return { date: d, movedBy };
}

const weekIndex = (d: string) => Math.floor((dayNo(d) + 3) / 7); // 1970-01-01 was a Thursday: weeks start on Monday

/** The first visit after `date` in the rhythm. */
export function nextVisit(date: string, rhythm: VisitRhythm): string {
  const every = rhythm.everyWeeks ?? 1;
  if (rhythm.weekdays.length === 0 || rhythm.weekdays.some((w) => !WEEKDAYS.includes(w))) throw new VmiError('invalid_input', 'the visit rhythm needs at least one weekday (mon … sun)');
  if (!Number.isInteger(every) || every < 1) throw new VmiError('invalid_input', `a visit rhythm repeats every whole number ≥ 1 of weeks, got ${every}`);
  const w0 = weekIndex(date);
  for (let i = 1; i <= 7 * every; i++) {
    const d = addDays(date, i);
    if ((weekIndex(d) - w0) % every === 0 && rhythm.weekdays.includes(weekdayOfDate(d))) return d;
  }
  throw new VmiError('invalid_input', 'the visit rhythm has no visit');
}

/** Whether `date` is a visit day of the rhythm, counting weeks from `anchor`. */
export function isVisitDay(date: string, rhythm: VisitRhythm, anchor: string): boolean {
  const every = rhythm.everyWeeks ?? 1;
  return rhythm.weekdays.includes(weekdayOfDate(date)) && (((weekIndex(date) - weekIndex(anchor)) % every) + every) % every === 0;
}
