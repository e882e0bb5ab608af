import { monthSeason, springFestival } from './demo.catalog.js';

/** Days since 1970-01-01 (UTC): the demo world's date arithmetic works on whole days. */
export type DayNumber = number;

const DAY_MS = 86_400_000;

export const dayOf = (d: Date): DayNumber => Math.floor(d.getTime() / DAY_MS);
export const dayToIso = (day: DayNumber): string => new Date(day * DAY_MS).toISOString().slice(0, 10);
export const isoToDay = (iso: string): DayNumber => Math.floor(Date.parse(`${iso}T00:00:00Z`) / DAY_MS);
export const dayToMs = (day: DayNumber): number => day * DAY_MS;

/** `months` calendar months later (negative: earlier), the day of month clamped to the target month's length. */
export function addMonths(day: DayNumber, months: number): DayNumber {
  const d = new Date(day * DAY_MS);
  const y = d.getUTCFullYear(), m = d.getUTCMonth() + months, dom = d.getUTCDate();
  const last = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return Math.floor(Date.UTC(y, m, Math.min(dom, last)) / DAY_MS);
}

/** 0 = Sunday … 6 = Saturday. */
export const weekday = (day: DayNumber): number => (((day + 4) % 7) + 7) % 7;

/** Days from that year's Spring Festival (negative before it); outside the table, about 5 February. */
export function daysFromSpringFestival(day: DayNumber): number {
  const year = new Date(day * DAY_MS).getUTCFullYear();
  const iso = springFestival[year] ?? `${year}-02-05`;
  return day - isoToDay(iso);
}

/** Spring Festival factor: factories and sites close for the holiday and restart slowly. */
export function springFestivalFactor(day: DayNumber): number {
  const off = daysFromSpringFestival(day);
  if (off >= -12 && off <= -5) return 0.5;
  if (off >= -4 && off <= 6) return 0.04;
  if (off >= 7 && off <= 15) return 0.3;
  if (off >= 16 && off <= 25) return 0.7;
  return 1;
}

/** Relative sales activity of a day: building season × Spring Festival × weekday. */
export function salesDayWeight(day: DayNumber): number {
  const month = new Date(day * DAY_MS).getUTCMonth();
  const wd = weekday(day);
  const dow = wd === 0 ? 0.3 : wd === 6 ? 0.75 : 1;
  return monthSeason[month]! * springFestivalFactor(day) * dow;
}

/** One planning period: a calendar month ending on `to`, counted back from the reference day (k = 0 is the latest). */
export type Period = { k: number; from: DayNumber; to: DayNumber; weight: number };

/** `count` month-long periods ending on the reference day, newest first; each carries its summed day weight. */
export function periodsBack(reference: DayNumber, count: number): Period[] {
  const out: Period[] = [];
  for (let k = 0; k < count; k++) {
    const to = addMonths(reference, -k);
    const from = addMonths(reference, -(k + 1)) + 1;
    let weight = 0;
    for (let d = from; d <= to; d++) weight += salesDayWeight(d);
    out.push({ k, from, to, weight });
  }
  return out;
}
