import { describe, expect, it } from 'vitest';
import { localIsoOf } from '../../shared/time.js';
import {
  checkInRefusal, checkInWindow, classifyArrival, complianceOf, complianceStatus, expandSlot, missedInARow, outcomeOf, type Slot, slotChanges, slotRRuleText,
  type SlotView, type VisitOutcome, weekStartOf,
} from './visits.domain.js';

const slot = (extra: Partial<Slot>): Slot => ({
  weekday: 'mon', startTime: '09:00', durationMinutes: 60, intervalWeeks: 1, timeZone: 'Asia/Shanghai', anchorDate: '2026-03-02', endsOn: null, ...extra,
});
const local = (occ: { start: Date }[], tz: string) => occ.map((o) => localIsoOf(o.start, tz));

describe('expandSlot', () => {
  it('keeps a weekly Monday 09:00 slot at 09:00 local across the spring DST switch in Berlin', () => {
    const s = slot({ timeZone: 'Europe/Berlin' });
    const occ = expandSlot(s, new Date('2026-03-16T00:00:00Z'), new Date('2026-04-07T00:00:00Z'));
    expect(local(occ, 'Europe/Berlin')).toEqual(['2026-03-16T09:00:00', '2026-03-23T09:00:00', '2026-03-30T09:00:00', '2026-04-06T09:00:00']);
    // CET (+1) before 29 March, CEST (+2) after: the UTC instant moves, the wall clock does not.
    expect(occ.map((o) => o.start.toISOString())).toEqual(['2026-03-16T08:00:00.000Z', '2026-03-23T08:00:00.000Z', '2026-03-30T07:00:00.000Z', '2026-04-06T07:00:00.000Z']);
  });

  it('keeps the local time across the autumn switch in New York', () => {
    const s = slot({ timeZone: 'America/New_York', anchorDate: '2026-10-26' });
    const occ = expandSlot(s, new Date('2026-10-26T00:00:00Z'), new Date('2026-11-10T00:00:00Z'));
    expect(local(occ, 'America/New_York')).toEqual(['2026-10-26T09:00:00', '2026-11-02T09:00:00', '2026-11-09T09:00:00']);
    expect(occ.map((o) => o.start.toISOString())).toEqual(['2026-10-26T13:00:00.000Z', '2026-11-02T14:00:00.000Z', '2026-11-09T14:00:00.000Z']);
  });

  it('runs every 2 weeks across 31 December in Asia/Shanghai, counting from the anchor', () => {
    const s = slot({ intervalWeeks: 2, anchorDate: '2026-12-14' });
    const occ = expandSlot(s, new Date('2026-12-01T00:00:00Z'), new Date('2027-02-01T00:00:00Z'));
    expect(occ.map((o) => o.occurrenceDate)).toEqual(['2026-12-14', '2026-12-28', '2027-01-11', '2027-01-25']);
    expect(occ[0]!.start.toISOString()).toBe('2026-12-14T01:00:00.000Z');
    expect(occ[0]!.end.toISOString()).toBe('2026-12-14T02:00:00.000Z');
  });

  it('stops at endsOn and starts no earlier than the anchor', () => {
    const s = slot({ anchorDate: '2026-03-09', endsOn: '2026-03-23' });
    const occ = expandSlot(s, new Date('2026-01-01T00:00:00Z'), new Date('2026-06-01T00:00:00Z'));
    expect(occ.map((o) => o.occurrenceDate)).toEqual(['2026-03-09', '2026-03-16', '2026-03-23']);
  });

  it('writes the slot as RFC 5545 text with its zone', () => {
    expect(slotRRuleText(slot({ intervalWeeks: 2 }))).toBe('DTSTART;TZID=Asia/Shanghai:20260302T090000\nRRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=MO;BYHOUR=9;BYMINUTE=0;BYSECOND=0');
  });
});

describe('punctuality and compliance', () => {
  const start = new Date('2026-12-07T01:00:00Z');
  it('classifies arrival against ±tolerance', () => {
    expect(classifyArrival(start, new Date('2026-12-07T01:10:00Z'), 10)).toBe('on_time');
    expect(classifyArrival(start, new Date('2026-12-07T00:50:00Z'), 10)).toBe('on_time');
    expect(classifyArrival(start, new Date('2026-12-07T01:10:01Z'), 10)).toBe('late');
    expect(classifyArrival(start, new Date('2026-12-07T00:49:00Z'), 10)).toBe('early');
    expect(classifyArrival(start, new Date('2026-12-07T01:14:00Z'), 15)).toBe('on_time');
  });

  it('counts a planned visit past its end as missed and a future one as upcoming', () => {
    const v = { status: 'planned' as const, scheduledEnd: '2026-12-07T02:00:00.000Z', punctuality: null, movedAtCustomerRequest: false };
    expect(outcomeOf(v, new Date('2026-12-07T02:00:00Z'))).toBe('missed');
    expect(outcomeOf(v, new Date('2026-12-07T01:59:00Z'))).toBe('upcoming');
    expect(outcomeOf({ ...v, movedAtCustomerRequest: true }, new Date('2027-01-01T00:00:00Z'))).toBe('moved');
  });

  it('computes rates over due visits only', () => {
    const c = complianceOf([
      { outcome: 'on_time', missedReason: null }, { outcome: 'on_time', missedReason: null }, { outcome: 'late', missedReason: null },
      { outcome: 'missed', missedReason: 'road closed' }, { outcome: 'missed', missedReason: null }, { outcome: 'moved', missedReason: null },
      { outcome: 'upcoming', missedReason: null }, { outcome: 'cancelled', missedReason: null },
    ]);
    expect(c).toEqual({ scheduled: 7, onTime: 2, late: 1, early: 0, missed: 2, missedWithoutReason: 1, moved: 1, upcoming: 1, due: 5, visitRate: 0.6, onTimeRate: 0.4 });
    expect(complianceOf([]).onTimeRate).toBeNull();
  });
});

describe('the team view: status, missed in a row, week start', () => {
  const counts = (outcomes: ('on_time' | 'late' | 'missed' | 'upcoming')[], reasons = true) =>
    complianceOf(outcomes.map((o) => ({ outcome: o, missedReason: o === 'missed' && reasons ? 'customer closed' : null })));

  it('judges a stretch by visits made and on time, and flags a missed visit nobody explained', () => {
    expect(complianceStatus(counts(['upcoming']))).toBe('info');
    expect(complianceStatus(counts(Array(20).fill('on_time')))).toBe('ok');
    // 19 of 20 visited is still fine (95 %, explained); 18 of 20 is worth watching.
    expect(complianceStatus(counts([...Array(19).fill('on_time'), 'missed']))).toBe('ok');
    expect(complianceStatus(counts([...Array(18).fill('on_time'), 'missed', 'missed']))).toBe('watch');
    // Everything on time but the one missed visit has no reason.
    expect(complianceStatus(counts([...Array(19).fill('on_time'), 'missed'], false))).toBe('watch');
    // 3 of 4 visited: act.
    expect(complianceStatus(counts(['on_time', 'on_time', 'on_time', 'missed']))).toBe('act');
    // All visited, but 2 of 4 late: act on punctuality.
    expect(complianceStatus(counts(['on_time', 'on_time', 'late', 'late']))).toBe('act');
  });

  it('counts missed visits back from the latest, skipping moved and future ones, up to the last visit made', () => {
    const v = (outcome: VisitOutcome, d: number) => ({ outcome, scheduledStart: `2026-11-${String(d).padStart(2, '0')}T01:00:00.000Z` });
    expect(missedInARow([v('upcoming', 30), v('missed', 23), v('moved', 16), v('missed', 9), v('on_time', 2), v('missed', 1)])).toEqual({ count: 2, since: '2026-11-09T01:00:00.000Z' });
    expect(missedInARow([v('late', 23), v('missed', 16)])).toEqual({ count: 0, since: null });
    expect(missedInARow([])).toEqual({ count: 0, since: null });
  });

  it('starts the week on Monday', () => {
    expect(weekStartOf('2026-11-26')).toBe('2026-11-23');
    expect(weekStartOf('2026-11-23')).toBe('2026-11-23');
    expect(weekStartOf('2026-11-29')).toBe('2026-11-23');
  });
});

describe('the check-in window', () => {
  // A Monday 09:00–10:00 slot in Shanghai (UTC+8).
  const visit = { start: new Date('2026-12-07T01:00:00Z'), end: new Date('2026-12-07T02:00:00Z'), timeZone: 'Asia/Shanghai' };
  const w = checkInWindow(visit);

  it('opens two hours before the start and closes at the end of the local day', () => {
    expect(w.opens.toISOString()).toBe('2026-12-06T23:00:00.000Z');
    expect(w.closes.toISOString()).toBe('2026-12-07T16:00:00.000Z');
  });

  it('refuses 04:12 for a 09:00 slot and the next day, accepts 07:00 and a late 21:00', () => {
    expect(checkInRefusal(w, new Date('2026-12-06T20:12:00Z'))).toBe('too_early');
    expect(checkInRefusal(w, new Date('2026-12-06T23:00:00Z'))).toBeNull();
    expect(checkInRefusal(w, new Date('2026-12-07T13:00:00Z'))).toBeNull();
    expect(checkInRefusal(w, new Date('2026-12-07T16:00:00Z'))).toBe('too_late');
  });

  it('is configurable and keeps a slot running past midnight open until it ends', () => {
    expect(checkInWindow(visit, 30).opens.toISOString()).toBe('2026-12-07T00:30:00.000Z');
    const late = checkInWindow({ start: new Date('2026-12-07T15:30:00Z'), end: new Date('2026-12-07T17:00:00Z'), timeZone: 'Asia/Shanghai' });
    expect(late.closes.toISOString()).toBe('2026-12-07T17:00:00.000Z');
  });
});

describe('slot changes', () => {
  const before: SlotView = {
    weekday: 'mon', startTime: '13:30', durationMinutes: 60, intervalWeeks: 1, timeZone: 'Asia/Shanghai', anchorDate: '2026-12-07', endsOn: null,
    siteId: 's1', managerId: 'm1', routeId: 'r1', routePosition: 2, timeFixed: false, toleranceMinutes: 10,
  };
  it('sees no change in the same day and time, even with another stop number', () => {
    expect(slotChanges(before, { ...before })).toBe(false);
    expect(slotChanges(before, { ...before, routePosition: 3 })).toBe(false);
  });
  it('sees a new time, day, length or place as a change', () => {
    expect(slotChanges(before, { ...before, startTime: '14:00' })).toBe(true);
    expect(slotChanges(before, { ...before, weekday: 'tue' })).toBe(true);
    expect(slotChanges(before, { ...before, durationMinutes: 90 })).toBe(true);
    expect(slotChanges(before, { ...before, siteId: 's2' })).toBe(true);
  });
});
