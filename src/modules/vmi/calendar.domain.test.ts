import { describe, expect, it } from 'vitest';
import { earliestArrival, heldArrival, nextVisit } from './calendar.domain.js';

// 2027-03-01 is a Monday.
describe('the VMI calendar', () => {
  it('finds the next visit in a weekly and a fortnightly rhythm', () => {
    expect(nextVisit('2027-03-01', { weekdays: ['wed'] })).toBe('2027-03-03');
    expect(nextVisit('2027-03-01', { weekdays: ['mon'] })).toBe('2027-03-08');
    expect(nextVisit('2027-03-01', { weekdays: ['mon'], everyWeeks: 2 })).toBe('2027-03-15');
    expect(nextVisit('2027-03-01', { weekdays: ['mon', 'thu'], everyWeeks: 2 })).toBe('2027-03-04');
  });

  it('holds an arrival that falls under a warning until the day after it', () => {
    const typhoon = { from: '2027-03-03', to: '2027-03-05', reason: 'typhoon warning' };
    expect(earliestArrival('2027-03-01', 2, [], [typhoon])).toEqual({ date: '2027-03-06', movedBy: [typhoon] });
    expect(heldArrival('2027-03-04', [typhoon]).date).toBe('2027-03-06');
    expect(heldArrival('2027-03-02', [typhoon]).date).toBe('2027-03-02');
  });

  it('sends nothing whose transit would cross a lane closure', () => {
    const thaw = { from: '2027-03-09', to: '2027-03-20', reason: 'spring road ban' };
    expect(earliestArrival('2027-03-01', 2, [thaw], []).date).toBe('2027-03-03');
    // Leaving on 03-08 it would still be on the road on 03-09: it leaves 03-21 instead.
    expect(earliestArrival('2027-03-08', 2, [thaw], []).date).toBe('2027-03-23');
  });
});
