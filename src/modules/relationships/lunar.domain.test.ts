import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { gregorianToLunar, LUNAR_FESTIVALS, lunarOccurrencesInGregorianYear, lunarToGregorian, lunarYearTable, parseLunarMonthName } from './lunar.domain.js';

/*
 * Expected dates come from published tables, not from Intl:
 * - Hong Kong Observatory, "Gregorian-Lunar Calendar Conversion Table" (公曆與農曆日期對照表),
 *   https://www.hko.gov.hk/en/gts/time/conversion1_text.htm, yearly files T2020e.txt … T2030e.txt:
 *   first days of lunar months, including the leap months 閏四月 2020, 閏二月 2023, 閏六月 2025.
 * - The Spring Festival, Dragon Boat and Mid-Autumn dates 2020–2030 in the same tables, which
 *   agree with the State Council's holiday notices (国务院办公厅关于…部分节假日安排的通知) for 2020–2026.
 * - Hong Kong's gazetted general holiday "The Birthday of the Buddha" (lunar 4th month, day 8)
 *   for 2020–2025, Hong Kong government, https://www.gov.hk/en/about/abouthk/holiday/.
 */
const SPRING_FESTIVAL: Record<number, string> = {
  2020: '2020-01-25', 2021: '2021-02-12', 2022: '2022-02-01', 2023: '2023-01-22', 2024: '2024-02-10', 2025: '2025-01-29',
  2026: '2026-02-17', 2027: '2027-02-06', 2028: '2028-01-26', 2029: '2029-02-13', 2030: '2030-02-03',
};
const DRAGON_BOAT: Record<number, string> = {
  2020: '2020-06-25', 2021: '2021-06-14', 2022: '2022-06-03', 2023: '2023-06-22', 2024: '2024-06-10', 2025: '2025-05-31',
  2026: '2026-06-19', 2027: '2027-06-09', 2028: '2028-05-28', 2029: '2029-06-16', 2030: '2030-06-05',
};
const MID_AUTUMN: Record<number, string> = {
  2020: '2020-10-01', 2021: '2021-09-21', 2022: '2022-09-10', 2023: '2023-09-29', 2024: '2024-09-17', 2025: '2025-10-06',
  2026: '2026-09-25', 2027: '2027-09-15', 2028: '2028-10-03', 2029: '2029-09-22', 2030: '2030-09-12',
};
const BUDDHA_BIRTHDAY: Record<number, string> = {
  2020: '2020-04-30', 2021: '2021-05-19', 2022: '2022-05-08', 2023: '2023-05-26', 2024: '2024-05-15', 2025: '2025-05-05',
};

describe('lunar calendar from Intl', () => {
  it('reads every month name ICU writes, leap months included', () => {
    expect(parseLunarMonthName('正月')).toEqual({ month: 1, leap: false });
    expect(parseLunarMonthName('十一月')).toEqual({ month: 11, leap: false });
    expect(parseLunarMonthName('腊月')).toEqual({ month: 12, leap: false });
    expect(parseLunarMonthName('闰四月')).toEqual({ month: 4, leap: true });
    expect(() => parseLunarMonthName('十三月')).toThrow(/unknown/);
  });

  it('puts the festivals on the published dates 2020–2030', () => {
    for (let y = 2020; y <= 2030; y++) {
      expect(lunarToGregorian(y, LUNAR_FESTIVALS.spring_festival).date, `Spring Festival ${y}`).toBe(SPRING_FESTIVAL[y]);
      expect(lunarToGregorian(y, LUNAR_FESTIVALS.dragon_boat).date, `Dragon Boat ${y}`).toBe(DRAGON_BOAT[y]);
      expect(lunarToGregorian(y, LUNAR_FESTIVALS.mid_autumn).date, `Mid-Autumn ${y}`).toBe(MID_AUTUMN[y]);
      expect(lunarYearTable(y).start).toBe(SPRING_FESTIVAL[y]);
    }
    for (const [y, d] of Object.entries(BUDDHA_BIRTHDAY)) expect(lunarToGregorian(Number(y), { month: 4, day: 8, leap: false }).date, `4/8 ${y}`).toBe(d);
  });

  it('knows the leap months of 2020, 2023 and 2025 and their first days', () => {
    expect(lunarYearTable(2020).leapMonth).toBe(4);
    expect(lunarYearTable(2023).leapMonth).toBe(2);
    expect(lunarYearTable(2025).leapMonth).toBe(6);
    expect(lunarYearTable(2024).leapMonth).toBeNull();
    expect(lunarYearTable(2024).months).toHaveLength(12);
    expect(lunarYearTable(2025).months).toHaveLength(13);
    expect(lunarToGregorian(2020, { month: 4, day: 1, leap: true })).toEqual({ date: '2020-05-23', adjustments: [] });
    expect(lunarToGregorian(2023, { month: 2, day: 1, leap: true })).toEqual({ date: '2023-03-22', adjustments: [] });
    expect(lunarToGregorian(2025, { month: 6, day: 1, leap: true })).toEqual({ date: '2025-07-25', adjustments: [] });
    expect(gregorianToLunar('2025-07-25')).toEqual({ year: 2025, month: 6, day: 1, leap: true });
    // the normal month before the leap one is still the normal month
    expect(gregorianToLunar('2020-04-30')).toEqual({ year: 2020, month: 4, day: 8, leap: false });
  });

  it('converts a lunar birthday to the right Gregorian date year after year, leap month or not', () => {
    // Born on 闰四月十五 2020 (2020-06-06): 2020 has that leap month; 2021–2025 do not, so the normal 四月十五
    // (HKO: 四月初一 2021-05-12, 2022-05-01, 2023-05-19, 2024-05-08, 2025-04-28).
    const born = { month: 4, day: 15, leap: true };
    expect(lunarToGregorian(2020, born)).toEqual({ date: '2020-06-06', adjustments: [] });
    expect(lunarToGregorian(2021, born)).toEqual({ date: '2021-05-26', adjustments: ['leap_month_absent'] });
    expect(lunarToGregorian(2022, born)).toEqual({ date: '2022-05-15', adjustments: ['leap_month_absent'] });
    expect(lunarToGregorian(2023, born)).toEqual({ date: '2023-06-02', adjustments: ['leap_month_absent'] });
    expect(lunarToGregorian(2024, born)).toEqual({ date: '2024-05-22', adjustments: ['leap_month_absent'] });
    expect(lunarToGregorian(2025, born)).toEqual({ date: '2025-05-12', adjustments: ['leap_month_absent'] });
    // born in the normal 六月: 2025 has a leap 六月, but the birthday stays in the first one (HKO: 六月初一 2025-06-25)
    expect(lunarToGregorian(2025, { month: 6, day: 10, leap: false }).date).toBe('2025-07-04');
    // born on 闰六月初十: in 2025 the leap month repeats
    expect(lunarToGregorian(2025, { month: 6, day: 10, leap: true }).date).toBe('2025-08-03');
  });

  it('moves day 30 of a 29-day month to day 29', () => {
    // Lunar 2024's 腊月 has 29 days (HKO: 腊月初一 2024-12-31, 正月初一 2025-01-29): no 年三十 that year.
    expect(lunarToGregorian(2024, { month: 12, day: 30, leap: false })).toEqual({ date: '2025-01-28', adjustments: ['day_30_in_29_day_month'] });
    // Lunar 2023's 腊月 has 30 days (腊月初一 2024-01-11, 正月初一 2024-02-10): 年三十 is 2024-02-09.
    expect(lunarToGregorian(2023, { month: 12, day: 30, leap: false })).toEqual({ date: '2024-02-09', adjustments: [] });
    // both rules at once: 闰四月三十 in 2023, whose 四月 has 30 days, then 2024, whose 四月 has 29
    expect(lunarToGregorian(2023, { month: 4, day: 30, leap: true })).toEqual({ date: '2023-06-17', adjustments: ['leap_month_absent'] });
    expect(lunarToGregorian(2024, { month: 4, day: 30, leap: true })).toEqual({ date: '2024-06-05', adjustments: ['leap_month_absent', 'day_30_in_29_day_month'] });
  });

  it('finds two occurrences of a late-腊月 date in one Gregorian year when there are two', () => {
    // 腊月初五: lunar 2023's falls on 2024-01-15, lunar 2024's on 2025-01-04, lunar 2025's on 2026-01-23
    // (HKO: 腊月初一 2024-01-11, 2024-12-31, 2026-01-19): one a year in 2024 and in 2025 …
    expect(lunarOccurrencesInGregorianYear(2024, { month: 12, day: 5, leap: false }).map((o) => o.date)).toEqual(['2024-01-15']);
    expect(lunarOccurrencesInGregorianYear(2025, { month: 12, day: 5, leap: false })).toEqual([{ lunarYear: 2024, date: '2025-01-04', adjustments: [] }]);
    // … but 腊月初一 falls twice in 2024: 2024-01-11 (lunar 2023) and 2024-12-31 (lunar 2024)
    expect(lunarOccurrencesInGregorianYear(2024, { month: 12, day: 1, leap: false }).map((o) => [o.lunarYear, o.date])).toEqual([[2023, '2024-01-11'], [2024, '2024-12-31']]);
  });

  it('corrects ICU where the published tables differ: Spring Festival 2027 is 6 February', () => {
    // HKO 2027e: 正月初一 2027-02-06; lunar 2026's 腊月 (from 2027-01-08) therefore has 29 days, lunar 2027's 正月 30.
    const t2026 = lunarYearTable(2026);
    expect(t2026.months.at(-1)).toEqual({ month: 12, leap: false, start: '2027-01-08', length: 29 });
    expect(lunarYearTable(2027).months[0]).toEqual({ month: 1, leap: false, start: '2027-02-06', length: 30 });
    expect(gregorianToLunar('2027-02-06')).toEqual({ year: 2027, month: 1, day: 1, leap: false });
    expect(gregorianToLunar('2027-02-05')).toEqual({ year: 2026, month: 12, day: 29, leap: false });
    expect(gregorianToLunar('2027-02-09')).toEqual({ year: 2027, month: 1, day: 4, leap: false });
    expect(lunarToGregorian(2026, { month: 12, day: 30, leap: false })).toEqual({ date: '2027-02-05', adjustments: ['day_30_in_29_day_month'] });
  });

  it('refuses years and dates outside what it can convert', () => {
    expect(() => lunarYearTable(1800)).toThrow(RangeError);
    expect(() => lunarToGregorian(2025, { month: 13, day: 1, leap: false })).toThrow(RangeError);
    expect(() => lunarToGregorian(2025, { month: 1, day: 31, leap: false })).toThrow(RangeError);
  });
});

// The State Council's holiday notices 2007–2026 as kept in NateScarlet/holiday-cn (MIT), in the shared
// reference data beside the project (absent from a user's clone, so the check is skipped there).
// Each festival's day must fall inside the block of days off named after it: an independent check of
// ICU (and of our corrections) over twenty years, weaker than a day-by-day table but from another source.
const HOLIDAY_CN = path.resolve('../shared/data/calendar/holiday-cn');
describe.skipIf(!existsSync(HOLIDAY_CN))('festivals inside the official holiday blocks 2007–2026', () => {
  it('puts Spring Festival, Dragon Boat and Mid-Autumn inside the days off named after them', () => {
    const names = { spring_festival: '春节', dragon_boat: '端午', mid_autumn: '中秋' } as const;
    let checked = 0;
    for (const file of readdirSync(HOLIDAY_CN).filter((f) => /^\d{4}\.json$/.test(f))) {
      const data = JSON.parse(readFileSync(path.join(HOLIDAY_CN, file), 'utf8')) as { year: number; days: { name: string; date: string; isOffDay: boolean }[] };
      for (const [festival, name] of Object.entries(names) as [keyof typeof names, string][]) {
        const off = data.days.filter((d) => d.isOffDay && d.name.includes(name) && d.date.startsWith(`${data.year}-`)).map((d) => d.date).sort();
        if (off.length === 0) continue; // Dragon Boat and Mid-Autumn became public holidays in 2008
        const day = lunarToGregorian(data.year, LUNAR_FESTIVALS[festival]).date;
        expect(day >= off[0]! && day <= off.at(-1)!, `${festival} ${data.year}: ${day} not in ${off[0]}…${off.at(-1)}`).toBe(true);
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(57); // 20 Spring Festivals, 19 Dragon Boats, 19 Mid-Autumns (less any year a notice merged away)
  });
});
