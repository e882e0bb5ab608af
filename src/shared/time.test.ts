import { describe, expect, it } from 'vitest';
import { addDays, dayBounds, fromLocal, instantOf, isTimeZone, localIsoOf, nextWeekday, offsetMinutes, weekdayOfDate } from './time.js';

describe('time zones', () => {
  it('knows IANA zones and refuses others', () => {
    expect(isTimeZone('Asia/Shanghai')).toBe(true);
    expect(isTimeZone('Europe/Berlin')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
  });

  it('converts local times both ways, DST included', () => {
    expect(instantOf('2026-12-07', '09:00', 'Asia/Shanghai').toISOString()).toBe('2026-12-07T01:00:00.000Z');
    expect(instantOf('2026-07-06', '09:00', 'Europe/Berlin').toISOString()).toBe('2026-07-06T07:00:00.000Z');
    expect(localIsoOf(new Date('2026-07-06T07:00:00Z'), 'Europe/Berlin')).toBe('2026-07-06T09:00:00');
    expect(offsetMinutes(new Date('2026-01-01T00:00:00Z'), 'America/New_York')).toBe(-300);
  });

  it('moves a time in the spring gap forward and takes the earlier of a repeated autumn time', () => {
    expect(fromLocal({ year: 2026, month: 3, day: 29, hour: 2, minute: 30, second: 0 }, 'Europe/Berlin').toISOString()).toBe('2026-03-29T01:30:00.000Z');
    expect(fromLocal({ year: 2026, month: 10, day: 25, hour: 2, minute: 30, second: 0 }, 'Europe/Berlin').toISOString()).toBe('2026-10-25T00:30:00.000Z');
  });

  it('does calendar arithmetic across the year end', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(weekdayOfDate('2026-12-28')).toBe('mon');
    expect(nextWeekday('2026-12-30', 'mon')).toBe('2027-01-04');
    const d = dayBounds('2026-03-29', 'Europe/Berlin');
    expect((d.end.getTime() - d.start.getTime()) / 3_600_000).toBe(23);
  });
});
