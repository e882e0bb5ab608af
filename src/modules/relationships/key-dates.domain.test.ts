import { describe, expect, it } from 'vitest';
import { englishOrdinal, festivalKeyDate, type KeyDate, nextOccurrence, occurrences, reminders, ruleProblems } from './key-dates.domain.js';

const storeOpened: KeyDate = { id: 'k1', kind: 'store_anniversary', label: 'Zhou Mart Wuhan', rule: { calendar: 'gregorian', month: 9, day: 12 }, firstYear: 2023 };
const janBirthday: KeyDate = { id: 'k2', kind: 'birthday', label: 'Ms Li', rule: { calendar: 'gregorian', month: 1, day: 10 }, firstYear: 1975 };
const leapDay: KeyDate = { id: 'k3', kind: 'birthday', label: 'Mr Wang', rule: { calendar: 'gregorian', month: 2, day: 29 }, firstYear: 1996 };
// born on lunar 腊月初五 of lunar year 1980 (1981-01-10)
const lunarBirthday: KeyDate = { id: 'k4', kind: 'birthday', label: 'Mr Zhou', rule: { calendar: 'lunar', month: 12, day: 5, leap: false }, firstYear: 1980 };

describe('key dates', () => {
  it('counts anniversaries and skips the founding year itself', () => {
    expect(occurrences(storeOpened, '2026-09-01', '2026-09-30')).toEqual([
      { keyDateId: 'k1', kind: 'store_anniversary', label: 'Zhou Mart Wuhan', date: '2026-09-12', ordinal: 3, adjustments: [] },
    ]);
    expect(englishOrdinal(3)).toBe('3rd');
    expect([1, 2, 4, 11, 12, 13, 21, 22, 101, 111].map(englishOrdinal)).toEqual(['1st', '2nd', '4th', '11th', '12th', '13th', '21st', '22nd', '101st', '111th']);
    expect(occurrences(storeOpened, '2023-01-01', '2023-12-31')).toEqual([]);
    expect(occurrences(storeOpened, '2024-01-01', '2026-12-31').map((o) => [o.date, o.ordinal])).toEqual([['2024-09-12', 1], ['2025-09-12', 2], ['2026-09-12', 3]]);
    // window edges are inclusive
    expect(occurrences(storeOpened, '2026-09-12', '2026-09-12')).toHaveLength(1);
    expect(occurrences(storeOpened, '2026-09-13', '2027-09-11')).toEqual([]);
  });

  it('reminds of a 10 January birthday on 27 December with a 14-day lead, across the year end', () => {
    const due = reminders([janBirthday], '2026-12-20', '2026-12-31', [14, 3, 0]);
    expect(due).toEqual([{ remindOn: '2026-12-27', leadDays: 14, occurrence: { keyDateId: 'k2', kind: 'birthday', label: 'Ms Li', date: '2027-01-10', ordinal: 52, adjustments: [] } }]);
    expect(reminders([janBirthday], '2027-01-01', '2027-01-31', [14, 3, 0]).map((r) => [r.remindOn, r.leadDays])).toEqual([['2027-01-07', 3], ['2027-01-10', 0]]);
  });

  it('puts a 29 February birthday on 28 February in common years', () => {
    expect(occurrences(leapDay, '2027-01-01', '2028-12-31').map((o) => [o.date, o.ordinal, o.adjustments])).toEqual([
      ['2027-02-28', 31, ['feb_29_in_common_year']],
      ['2028-02-29', 32, []],
    ]);
    expect(reminders([leapDay], '2027-02-01', '2027-03-05', [3]).map((r) => r.remindOn)).toEqual(['2027-02-25']);
    expect(reminders([leapDay], '2100-02-01', '2100-03-05', [0]).map((r) => r.remindOn)).toEqual(['2100-02-28']); // 2100 is not a leap year
  });

  it('converts a lunar birthday each year and counts lunar years', () => {
    // 腊月初五 of lunar 2024 is 2025-01-04, of lunar 2025 is 2026-01-23 (HKO: 腊月初一 2024-12-31, 2026-01-19)
    expect(occurrences(lunarBirthday, '2025-01-01', '2026-12-31').map((o) => [o.date, o.ordinal])).toEqual([['2025-01-04', 44], ['2026-01-23', 45]]);
    expect(nextOccurrence(lunarBirthday, '2025-01-05')).toMatchObject({ date: '2026-01-23', ordinal: 45 });
    expect(reminders([lunarBirthday], '2025-12-25', '2026-01-15', [14]).map((r) => [r.remindOn, r.occurrence.date])).toEqual([['2026-01-09', '2026-01-23']]);
  });

  it('places the festivals, Spring Festival 2027 on 6 February, and reminds in date order', () => {
    const mid = festivalKeyDate('mid_autumn', 'Mid-Autumn');
    const spring = festivalKeyDate('spring_festival', 'Spring Festival');
    const dragon = festivalKeyDate('dragon_boat', 'Dragon Boat');
    expect(occurrences(mid, '2026-09-01', '2026-10-31')).toEqual([{ keyDateId: 'festival:mid_autumn', kind: 'festival', label: 'Mid-Autumn', date: '2026-09-25', ordinal: null, adjustments: [] }]);
    expect(occurrences(spring, '2026-12-01', '2027-03-01').map((o) => o.date)).toEqual(['2027-02-06']);
    expect(occurrences(dragon, '2026-01-01', '2026-12-31').map((o) => o.date)).toEqual(['2026-06-19']);
    const all = reminders([mid, storeOpened, { ...janBirthday, leadDays: [0] }], '2026-09-01', '2026-09-30', [14, 0]);
    expect(all.map((r) => `${r.remindOn} ${r.leadDays} ${r.occurrence.label}`)).toEqual([
      '2026-09-11 14 Mid-Autumn',
      '2026-09-12 0 Zhou Mart Wuhan',
      '2026-09-25 0 Mid-Autumn',
    ]);
    expect(reminders([{ ...storeOpened, leadDays: [] }], '2026-08-01', '2026-09-30')).toEqual([]);
  });

  it('refuses lead times it cannot honour and rules that name no date', () => {
    expect(() => reminders([storeOpened], '2026-01-01', '2026-12-31', [-1])).toThrow(RangeError);
    expect(() => reminders([storeOpened], '2026-01-01', '2026-12-31', [1.5])).toThrow(RangeError);
    expect(ruleProblems({ calendar: 'gregorian', month: 2, day: 30 })).toEqual(['day must be 1–29 in month 2']);
    expect(ruleProblems({ calendar: 'gregorian', month: 2, day: 29 })).toEqual([]);
    expect(ruleProblems({ calendar: 'lunar', month: 13, day: 30, leap: false })).toEqual(['month must be 1–12']);
    expect(ruleProblems({ calendar: 'lunar', month: 4, day: 30, leap: true })).toEqual([]);
  });
});
