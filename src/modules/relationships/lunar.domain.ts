/**
 * The Chinese lunisolar calendar (农历) as Node's Intl knows it (ICU's `chinese` calendar, computed
 * for the meridian of Beijing), turned into tables of Gregorian dates. Pure: no I/O; the only
 * state is a cache of year tables, which are the same every time they are built.
 *
 * A lunar year here is the one ICU calls `relatedYear`: lunar year 2025 runs from Spring Festival
 * 2025-01-29 to the day before Spring Festival 2026.
 */
import { addDays } from '../../shared/time.js';

/** A date in the lunar calendar: month 1–12, day 1–30, and whether the month is a leap (闰) month. */
export type LunarDate = { month: number; day: number; leap: boolean };

/** One month of a lunar year: its number, leap flag, first Gregorian day and length (29 or 30). */
export type LunarMonth = { month: number; leap: boolean; start: string; length: 29 | 30 };

/** A lunar year: its months in order (12, or 13 with a leap month) and its first Gregorian day. */
export type LunarYear = { year: number; start: string; months: LunarMonth[]; leapMonth: number | null };

/** Years we build tables for; ICU's astronomy is good across this range and it covers every birthday we hold. */
export const LUNAR_MIN_YEAR = 1901;
export const LUNAR_MAX_YEAR = 2099;

const formatter = new Intl.DateTimeFormat('zh-CN-u-ca-chinese', { timeZone: 'UTC', year: 'numeric', month: 'long', day: 'numeric' });

const NUMERALS: Record<string, number> = { 正: 1, 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9, 十: 10, 冬: 11, 腊: 12 };

/** "正月" → 1, "十一月" → 11, "腊月" → 12, "闰四月" → 4 leap. Throws on a name it does not know, so a change in ICU's naming fails loudly. */
export function parseLunarMonthName(name: string): { month: number; leap: boolean } {
  const leap = name.startsWith('闰');
  const core = (leap ? name.slice(1) : name).replace(/月$/, '');
  let month: number | undefined;
  if (/^\d+$/.test(core)) month = Number(core);
  else if (core.length === 1) month = NUMERALS[core];
  else if (core.length === 2 && core[0] === '十') month = 10 + (NUMERALS[core[1]!] ?? Number.NaN);
  if (month === undefined || !Number.isInteger(month) || month < 1 || month > 12) throw new Error(`unknown lunar month name: ${name}`);
  return { month, leap };
}

/** ICU's own reading of a Gregorian date, before our corrections. */
function icuLunarOf(date: string): LunarDate & { year: number } {
  const parts = formatter.formatToParts(new Date(`${date}T00:00:00Z`));
  const get = (type: string): string => {
    const p = parts.find((x) => (x.type as string) === type);
    if (!p) throw new Error(`Intl gave no ${type} for ${date}`);
    return p.value;
  };
  const { month, leap } = parseLunarMonthName(get('month'));
  return { year: Number(get('relatedYear')), month, day: Number(get('day')), leap };
}

type MonthStart = { year: number; month: number; leap: boolean; start: string };

/**
 * Month starts where the ICU in Node 20 (ICU 78) disagrees with the Hong Kong Observatory's
 * tables, which follow GB/T 33661-2017 as the Purple Mountain Observatory does. ICU's astronomy
 * is a few minutes off, which matters when a new moon falls just before midnight in Beijing:
 * the new moon of 6 Feb 2027 is at 23:56 UTC+8, so Spring Festival 2027 is 6 Feb (HKO 2027e), not
 * ICU's 7 Feb; the new moon of 3 Feb 2030 is at 00:07 UTC+8, so Spring Festival 2030 is 3 Feb
 * (HKO 2030e), not ICU's 2 Feb. Only 2020–2030 has been checked against HKO row by row (the
 * festivals and leap months in lunar.domain.test.ts); add a row here when a published table
 * shows another difference (2033's leap 11th month and 2057 are known trouble spots).
 */
export const MONTH_START_CORRECTIONS: readonly MonthStart[] = [
  { year: 2027, month: 1, leap: false, start: '2027-02-06' },
  { year: 2030, month: 1, leap: false, start: '2030-02-03' },
];

const sameMonth = (a: { year: number; month: number; leap: boolean }, b: { year: number; month: number; leap: boolean }): boolean => a.year === b.year && a.month === b.month && a.leap === b.leap;

const daysBetween = (a: string, b: string): number => Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);

const cache = new Map<number, LunarYear>();

/**
 * The table of a lunar year, built by walking Gregorian days from 1 January of that Gregorian year
 * (Spring Festival always falls between 21 January and 20 February) until the next lunar year
 * begins, then applying MONTH_START_CORRECTIONS. About 420 Intl calls the first time (some 30 ms);
 * cached after that.
 */
export function lunarYearTable(year: number): LunarYear {
  if (!Number.isInteger(year) || year < LUNAR_MIN_YEAR || year > LUNAR_MAX_YEAR) throw new RangeError(`lunar year ${year} is outside ${LUNAR_MIN_YEAR}–${LUNAR_MAX_YEAR}`);
  const hit = cache.get(year);
  if (hit) return hit;
  const starts: MonthStart[] = [];
  let date = `${String(year).padStart(4, '0')}-01-01`;
  for (;;) {
    const l = icuLunarOf(date);
    if (l.day === 1 && l.year >= year) {
      starts.push({ year: l.year, month: l.month, leap: l.leap, start: date });
      if (l.year > year) break;
    }
    date = addDays(date, 1);
  }
  for (const c of MONTH_START_CORRECTIONS) {
    const s = starts.find((m) => sameMonth(m, c));
    if (s) s.start = c.start;
  }
  const months: LunarMonth[] = [];
  for (let i = 0; i + 1 < starts.length; i++) {
    const m = starts[i]!;
    const length = daysBetween(m.start, starts[i + 1]!.start);
    if (length !== 29 && length !== 30) throw new Error(`lunar month ${m.month} of ${year} from ${m.start} has ${length} days`);
    months.push({ month: m.month, leap: m.leap, start: m.start, length });
  }
  const first = months[0];
  if (!first || first.month !== 1 || first.leap || months.length < 12 || months.length > 13) throw new Error(`lunar year ${year}: unexpected table from Intl`);
  const leapMonth = months.find((m) => m.leap)?.month ?? null;
  const table: LunarYear = { year, start: first.start, months, leapMonth };
  cache.set(year, table);
  return table;
}

/** The lunar year, month and day of a Gregorian date ("2020-05-23" → lunar 2020, leap 4th month, day 1), from the corrected tables. */
export function gregorianToLunar(date: string): LunarDate & { year: number } {
  const gy = Number(date.slice(0, 4));
  for (const y of [gy, gy - 1]) {
    if (y < LUNAR_MIN_YEAR || y > LUNAR_MAX_YEAR) continue;
    const t = lunarYearTable(y);
    if (date < t.start) continue;
    for (let i = t.months.length - 1; i >= 0; i--) {
      const m = t.months[i]!;
      if (date >= m.start) {
        const day = daysBetween(m.start, date) + 1;
        if (day > m.length) break;
        return { year: y, month: m.month, day, leap: m.leap };
      }
    }
  }
  throw new RangeError(`${date} is outside the lunar years ${LUNAR_MIN_YEAR}–${LUNAR_MAX_YEAR}`);
}

/** How a lunar date was moved to exist in a given year (empty when it exists as asked). */
export type LunarAdjustment = 'leap_month_absent' | 'day_30_in_29_day_month';

/**
 * The Gregorian date of a lunar date in lunar year `year`, with the rules for dates the year lacks:
 * - a leap-month date in a year whose leap month is another month (or none) falls in the normal
 *   month of the same number (someone born in 闰四月 celebrates in 四月 in most years);
 * - a leap-month date in a year that has that very leap month falls in the leap month;
 * - a normal-month date always falls in the normal month, never its leap repeat;
 * - day 30 in a month of 29 days falls on day 29, so the date stays in its own month.
 */
export function lunarToGregorian(year: number, date: LunarDate): { date: string; adjustments: LunarAdjustment[] } {
  if (!Number.isInteger(date.month) || date.month < 1 || date.month > 12) throw new RangeError(`lunar month ${date.month} is not 1–12`);
  if (!Number.isInteger(date.day) || date.day < 1 || date.day > 30) throw new RangeError(`lunar day ${date.day} is not 1–30`);
  const table = lunarYearTable(year);
  const adjustments: LunarAdjustment[] = [];
  let month = table.months.find((m) => m.month === date.month && m.leap === date.leap);
  if (!month) {
    adjustments.push('leap_month_absent');
    month = table.months.find((m) => m.month === date.month && !m.leap)!;
  }
  let day = date.day;
  if (day > month.length) {
    adjustments.push('day_30_in_29_day_month');
    day = month.length;
  }
  return { date: addDays(month.start, day - 1), adjustments };
}

/**
 * The Gregorian dates in Gregorian year `year` on which a lunar date falls: usually one, none or
 * two for dates late in the 12th month (lunar year Y−1's 腊月 falls in January or February of Y,
 * lunar year Y's 腊月 may fall in January of Y+1).
 */
export function lunarOccurrencesInGregorianYear(year: number, date: LunarDate): { lunarYear: number; date: string; adjustments: LunarAdjustment[] }[] {
  const out: { lunarYear: number; date: string; adjustments: LunarAdjustment[] }[] = [];
  for (const ly of [year - 1, year]) {
    if (ly < LUNAR_MIN_YEAR || ly > LUNAR_MAX_YEAR) continue;
    const g = lunarToGregorian(ly, date);
    if (g.date.startsWith(`${String(year).padStart(4, '0')}-`)) out.push({ lunarYear: ly, ...g });
  }
  return out;
}

/** Lunar festivals OpenKAM knows, with their lunar dates. */
export const LUNAR_FESTIVALS = {
  spring_festival: { month: 1, day: 1, leap: false },
  lantern: { month: 1, day: 15, leap: false },
  dragon_boat: { month: 5, day: 5, leap: false },
  qixi: { month: 7, day: 7, leap: false },
  mid_autumn: { month: 8, day: 15, leap: false },
  double_ninth: { month: 9, day: 9, leap: false },
} as const satisfies Record<string, LunarDate>;
export type LunarFestival = keyof typeof LUNAR_FESTIVALS;
