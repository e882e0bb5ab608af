/**
 * Key dates of the people and companies we serve: anniversaries, birthdays (Gregorian or lunar),
 * festivals and the dealer's own days, turned into their next occurrences in a window and the
 * reminders due at chosen lead times. Pure: dates are ISO calendar dates ("2026-09-12"), no zones.
 */
import { addDays } from '../../shared/time.js';
import { LUNAR_FESTIVALS, LUNAR_MAX_YEAR, LUNAR_MIN_YEAR, type LunarAdjustment, type LunarFestival, lunarToGregorian } from './lunar.domain.js';

export type KeyDateKind = 'company_anniversary' | 'store_anniversary' | 'birthday' | 'festival' | 'custom';

/** When a key date recurs: a Gregorian month and day, or a lunar month, day and leap flag. */
export type KeyDateRule = { calendar: 'gregorian'; month: number; day: number } | { calendar: 'lunar'; month: number; day: number; leap: boolean };

/**
 * A key date. `firstYear` is the year it first happened (the store opened, the person was born),
 * Gregorian for a Gregorian rule and the lunar year for a lunar one; it lets occurrences be counted
 * ("3rd anniversary"). Null when unknown or meaningless (festivals).
 */
export type KeyDate = { id: string; kind: KeyDateKind; label: string; rule: KeyDateRule; firstYear: number | null; leadDays?: readonly number[] };

export type OccurrenceAdjustment = LunarAdjustment | 'feb_29_in_common_year';

/** One occurrence of a key date. `ordinal` counts years since `firstYear` (3 = 3rd anniversary, or turning 3). */
export type Occurrence = { keyDateId: string; kind: KeyDateKind; label: string; date: string; ordinal: number | null; adjustments: OccurrenceAdjustment[] };

/** A reminder due on `remindOn`, `leadDays` before its occurrence. */
export type Reminder = { remindOn: string; leadDays: number; occurrence: Occurrence };

/** Lead times used when a key date names none: two weeks (to order a gift), three days (to call), the day itself. */
export const DEFAULT_LEAD_DAYS: readonly number[] = [14, 3, 0];

export const MAX_LEAD_DAYS = 120;

const isLeapYear = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Problems with a rule, empty when it is valid (the service answers 400 with them). */
export function ruleProblems(rule: KeyDateRule): string[] {
  const out: string[] = [];
  if (!Number.isInteger(rule.month) || rule.month < 1 || rule.month > 12) out.push('month must be 1–12');
  else if (rule.calendar === 'gregorian' && (!Number.isInteger(rule.day) || rule.day < 1 || rule.day > DAYS_IN_MONTH[rule.month - 1]!)) out.push(`day must be 1–${DAYS_IN_MONTH[rule.month - 1]} in month ${rule.month}`);
  if (rule.calendar === 'lunar' && (!Number.isInteger(rule.day) || rule.day < 1 || rule.day > 30)) out.push('a lunar day must be 1–30');
  return out;
}

/** A key date for one of the lunar festivals. */
export function festivalKeyDate(festival: LunarFestival, label: string = festival): KeyDate {
  const f = LUNAR_FESTIVALS[festival];
  return { id: `festival:${festival}`, kind: 'festival', label, rule: { calendar: 'lunar', month: f.month, day: f.day, leap: f.leap }, firstYear: null };
}

/**
 * The Gregorian date of a Gregorian rule in year `year`. A 29 February date falls on 28 February
 * in a common year: the day stays in its month and the reminder comes before, never after, the
 * day the person counts as theirs.
 */
export function gregorianOccurrence(year: number, month: number, day: number): { date: string; adjustments: OccurrenceAdjustment[] } {
  if (month === 2 && day === 29 && !isLeapYear(year)) return { date: `${pad(year, 4)}-02-28`, adjustments: ['feb_29_in_common_year'] };
  return { date: `${pad(year, 4)}-${pad(month)}-${pad(day)}`, adjustments: [] };
}

/**
 * The occurrences of a key date from `from` to `to` (both inclusive), in date order. Anniversaries
 * and birthdays with a known first year start at ordinal 1: the founding day itself is not an
 * occurrence.
 */
export function occurrences(keyDate: KeyDate, from: string, to: string): Occurrence[] {
  if (to < from) return [];
  const out: Occurrence[] = [];
  const y0 = Number(from.slice(0, 4));
  const y1 = Number(to.slice(0, 4));
  const { rule } = keyDate;
  // a lunar year starts in January or February of its Gregorian year, so its 12th month may reach into the next one
  for (let y = rule.calendar === 'lunar' ? y0 - 1 : y0; y <= y1; y++) {
    const ordinal = keyDate.firstYear === null ? null : y - keyDate.firstYear;
    if (ordinal !== null && ordinal < 1) continue;
    let at: { date: string; adjustments: OccurrenceAdjustment[] };
    if (rule.calendar === 'gregorian') at = gregorianOccurrence(y, rule.month, rule.day);
    else {
      if (y < LUNAR_MIN_YEAR || y > LUNAR_MAX_YEAR) continue;
      at = lunarToGregorian(y, rule);
    }
    if (at.date < from || at.date > to) continue;
    out.push({ keyDateId: keyDate.id, kind: keyDate.kind, label: keyDate.label, date: at.date, ordinal, adjustments: at.adjustments });
  }
  return out;
}

/** The next occurrence on or after `on`, looking up to two years ahead (null if none, e.g. outside the lunar tables). */
export function nextOccurrence(keyDate: KeyDate, on: string): Occurrence | null {
  return occurrences(keyDate, on, addDays(on, 731))[0] ?? null;
}

/**
 * Reminders due from `from` to `to` (inclusive) for the key dates, each at its own lead times or
 * `defaultLeadDays`. A reminder may point past `to` (a 10 January birthday with 14 days' lead is
 * reminded on 27 December), so occurrences are looked up to the longest lead beyond the window.
 * Sorted by reminder date, then occurrence date, then label.
 */
export function reminders(keyDates: readonly KeyDate[], from: string, to: string, defaultLeadDays: readonly number[] = DEFAULT_LEAD_DAYS): Reminder[] {
  const out: Reminder[] = [];
  for (const kd of keyDates) {
    const leads = [...new Set(kd.leadDays ?? defaultLeadDays)];
    for (const l of leads) if (!Number.isInteger(l) || l < 0 || l > MAX_LEAD_DAYS) throw new RangeError(`lead time ${l} is not 0–${MAX_LEAD_DAYS} days`);
    if (leads.length === 0) continue;
    const reach = Math.max(...leads);
    for (const occ of occurrences(kd, from, addDays(to, reach))) {
      for (const leadDays of leads) {
        const remindOn = addDays(occ.date, -leadDays);
        if (remindOn >= from && remindOn <= to) out.push({ remindOn, leadDays, occurrence: occ });
      }
    }
  }
  return out.sort((a, b) => a.remindOn.localeCompare(b.remindOn) || a.occurrence.date.localeCompare(b.occurrence.date) || a.occurrence.label.localeCompare(b.occurrence.label));
}

/** "1st", "2nd", "3rd", "11th", "22nd": the English ordinal, for briefs (the web app formats its own). */
export function englishOrdinal(n: number): string {
  const tens = n % 100;
  if (tens >= 11 && tens <= 13) return `${n}th`;
  return `${n}${({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[n % 10] ?? 'th'}`;
}
