import { describe, expect, it } from 'vitest';
import { dayOfYear, isMonthDay, monthsFrom, periodDays, periodsOverlap, ruleInForce, validityOverlaps } from './lanes.domain.js';

describe('lane periods and validity', () => {
  it('counts validity inclusive at both ends, an open end running on', () => {
    expect(validityOverlaps({ from: '2026-01-01', to: '2026-08-31' }, { from: '2026-08-31', to: null })).toBe(true);
    expect(validityOverlaps({ from: '2026-01-01', to: '2026-08-31' }, { from: '2026-09-01', to: null })).toBe(false);
    expect(validityOverlaps({ from: '2026-09-01', to: null }, { from: '2030-01-01', to: '2030-01-02' })).toBe(true);
  });

  it('reads MM-DD as a day of a 365-day year, 29 February as the 28th', () => {
    expect([dayOfYear('01-01'), dayOfYear('07-01'), dayOfYear('12-31'), dayOfYear('02-29')]).toEqual([0, 181, 364, 58]);
    expect([isMonthDay('02-29'), isMonthDay('02-30'), isMonthDay('13-01'), isMonthDay('7-1')]).toEqual([true, false, false, false]);
  });

  it('runs a period over the new year when it ends before it starts', () => {
    expect(periodDays('12-30', '01-02')).toEqual([363, 364, 0, 1]);
    expect(monthsFrom(11, 2)).toEqual([11, 12, 1, 2]);
    expect(periodsOverlap({ fromDay: '11-01', toDay: '01-31' }, { fromDay: '01-31', toDay: '03-31' })).toBe(true);
    expect(periodsOverlap({ fromDay: '07-01', toDay: '09-30' }, { fromDay: '10-01', toDay: '10-31' })).toBe(false);
  });

  it('finds the rule in force today, else the next to start, counting days over the new year', () => {
    const rules = [{ id: 'summer', toMode: 'rail', fromDay: '07-01', toDay: '09-30' }, { id: 'winter', toMode: 'road', fromDay: '12-15', toDay: '01-15' }];
    expect(ruleInForce(rules, '2026-08-10')).toMatchObject({ rule: { id: 'summer' }, inForce: true, startsInDays: 0 });
    expect(ruleInForce(rules, '2027-01-10')).toMatchObject({ rule: { id: 'winter' }, inForce: true });
    // 26 November (day 329): winter starts on day 348, 19 days on; summer in 217.
    expect(ruleInForce(rules, '2026-11-26')).toMatchObject({ rule: { id: 'winter' }, inForce: false, startsInDays: 19 });
    expect(ruleInForce([], '2026-11-26')).toBeNull();
  });
});
