import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isWorkingDay, workingCalendar } from '../services/sla.domain.js';
import { shippedChinaHolidays, holidayTableOf } from '../services/work-calendar.js';
import {
  LATENESS_BUCKETS,
  CALENDAR_DAYS, daysLate, dayNumber, evaluateLine, isoOfDay, monthsBetween, otifGroups, workingDays,
  type OtifLine, type OtifTolerances,
} from './otif.domain.js';

const line = (o: Partial<OtifLine> & { promisedDate: string }): OtifLine => ({ keys: {}, deliveries: [], status: 'delivered', ...o });
const delivered = (promisedDate: string, date: string, quantity = 100, orderedQty: number | null = 100): OtifLine =>
  line({ promisedDate, deliveries: [{ date, quantity }], orderedQty });
const tol = (earlyDays: number, lateDays: number, inFullPercent = 0): OtifTolerances => ({ earlyDays, lateDays, inFullPercent });
const AS_OF = '2026-12-01';
const weekdays = workingDays(null);

describe('days late', () => {
  it('counts calendar days, or working days from the promised day up to the delivery day', () => {
    // 2026-03-09 is a Monday.
    expect(daysLate(CALENDAR_DAYS, '2026-03-09', '2026-03-16')).toBe(7);
    expect(daysLate(weekdays, '2026-03-09', '2026-03-16')).toBe(5);
    expect(daysLate(weekdays, '2026-03-09', '2026-03-06')).toBe(-1); // the Friday before
    // A delivery on a weekend counts as on the next working day.
    expect(daysLate(weekdays, '2026-03-09', '2026-03-08')).toBe(0); // Sunday before a Monday promise
    expect(daysLate(weekdays, '2026-03-13', '2026-03-14')).toBe(1); // Saturday after a Friday promise
  });

  it('refuses a date that is not YYYY-MM-DD or does not exist', () => {
    expect(Number.isNaN(dayNumber('2026-02-29'))).toBe(true);
    expect(dayNumber('1970-01-02')).toBe(1);
    expect(() => daysLate(CALENDAR_DAYS, '2026-3-9', '2026-03-10')).toThrow(/promised: "2026-3-9" is not a date/);
  });
});

describe('on time: the window [promised − early, promised + late]', () => {
  it('takes both edges of the window and refuses one day beyond each (calendar days)', () => {
    // Promised Tuesday 10 March, 2 days early and 1 day late allowed: 8 … 11 March.
    const t = tol(2, 1);
    const onTime = (date: string) => (evaluateLine(delivered('2026-03-10', date), t, AS_OF) as { onTime: boolean }).onTime;
    expect([onTime('2026-03-07'), onTime('2026-03-08'), onTime('2026-03-10'), onTime('2026-03-11'), onTime('2026-03-12')]).toEqual([false, true, true, true, false]);
  });

  it('counts the edges in working days: a weekend does not use up the tolerance', () => {
    // Promised Monday 9 March, 1 working day either way: Friday 6 … Tuesday 10 March.
    const t = tol(1, 1);
    const onTime = (date: string) => (evaluateLine(delivered('2026-03-09', date), t, AS_OF, weekdays) as { onTime: boolean }).onTime;
    expect(onTime('2026-03-05')).toBe(false); // Thursday: 2 working days early
    expect(onTime('2026-03-06')).toBe(true); // Friday: 1 early
    expect(onTime('2026-03-10')).toBe(true); // Tuesday: 1 late
    expect(onTime('2026-03-11')).toBe(false); // Wednesday: 2 late
    // Promised Friday 13 March with no late tolerance: the Saturday is received Monday, late.
    expect(evaluateLine(delivered('2026-03-13', '2026-03-14'), tol(0, 0), AS_OF, weekdays)).toMatchObject({ onTime: false, lateness: 1 });
  });

  it('does not count a public holiday inside the window (National Day 2026 on the China calendar)', () => {
    // Promised Wednesday 30 September 2026, 2 working days late allowed. 1–7 October are off and
    // Saturday 10 October is a make-up working day (State Council notice for 2026).
    const cn = workingDays({ off: new Set(['2026-10-01', '2026-10-02', '2026-10-03', '2026-10-04', '2026-10-05', '2026-10-06', '2026-10-07']), work: new Set(['2026-09-20', '2026-10-10']) });
    const t = tol(0, 2);
    // Thursday 8 October: only 30 September is a working day before it → 1 day late, on time.
    expect(evaluateLine(delivered('2026-09-30', '2026-10-08'), t, AS_OF, cn)).toMatchObject({ onTime: true, lateness: 1 });
    // Friday 9 October: 30 Sep, 8 Oct → 2, the last day of the window.
    expect(evaluateLine(delivered('2026-09-30', '2026-10-09'), t, AS_OF, cn)).toMatchObject({ onTime: true, lateness: 2 });
    // Saturday 10 October is worked: 30 Sep, 8 Oct, 9 Oct → 3, late.
    expect(evaluateLine(delivered('2026-09-30', '2026-10-10'), t, AS_OF, cn)).toMatchObject({ onTime: false, lateness: 3 });
    // The same 8 October delivery in calendar days is 8 days late.
    expect(evaluateLine(delivered('2026-09-30', '2026-10-08'), t, AS_OF)).toMatchObject({ onTime: false, lateness: 8 });
    // The shipped China table says the same.
    const shipped = workingDays(holidayTableOf(shippedChinaHolidays().years));
    expect(daysLate(shipped, '2026-09-30', '2026-10-08')).toBe(1);
    expect(daysLate(shipped, '2026-09-30', '2026-10-10')).toBe(3);
  });
});

describe('terms per dealer', () => {
  it("judges each line on its own dealer's calendar and tolerances in one computation", () => {
    // Both promised Wednesday 30 September 2026, delivered Thursday 8 October. Dealer A counts China
    // working days with 1 day late allowed: 1 day late, on time. Dealer B counts calendar days with
    // 3 days allowed: 8 days late, late. As of 20 October an open line of each promised 14 October:
    // A's window ends on C(14 Oct) + 1 = 15 October, B's on 17 October; both are overdue.
    const cn = workingDays(holidayTableOf(shippedChinaHolidays().years));
    const a = { keys: { account: 'A' } }, b = { keys: { account: 'B' } };
    const lines = [
      { ...delivered('2026-09-30', '2026-10-08'), ...a }, { ...delivered('2026-09-30', '2026-10-08'), ...b },
      line({ promisedDate: '2026-10-14', status: 'open', ...a }), line({ promisedDate: '2026-10-14', status: 'open', ...b }),
    ];
    const groups = otifGroups(lines, {
      by: ['account'], asOf: '2026-10-20',
      tolerances: (l) => (l.keys.account === 'A' ? tol(0, 1) : tol(0, 3)),
      calendar: (l) => (l.keys.account === 'A' ? cn : CALENDAR_DAYS),
    });
    expect(groups.map((g) => [g.key[0], g.lines.onTime.count, g.lines.onTime.of, g.failures.overdueOpen, g.lateness.max])).toEqual([
      ['A', 1, 2, 1, 1], ['B', 0, 2, 1, 8],
    ]);
  });
});

describe('in full and split deliveries', () => {
  // Promised 10 March, 2 calendar days late allowed (window end 12 March), 5 % quantity tolerance.
  const t = tol(0, 2, 5);
  const split = (...ds: [string, number][]) => line({ promisedDate: '2026-03-10', orderedQty: 100, deliveries: ds.map(([date, quantity]) => ({ date, quantity })) });

  it('times the delivery that completes the line: 60 on the 9th and 40 on the 12th is on time and in full', () => {
    expect(evaluateLine(split(['2026-03-12', 40], ['2026-03-09', 60]), t, AS_OF)).toEqual({ counted: true, onTime: true, inFull: true, otif: true, lateness: 2, failure: null });
  });

  it('a remainder after the window end makes the line late and not in full (60 by the 12th)', () => {
    expect(evaluateLine(split(['2026-03-09', 60], ['2026-03-13', 40]), t, AS_OF)).toEqual({ counted: true, onTime: false, inFull: false, otif: false, lateness: 3, failure: null });
  });

  it('the line is complete once the quantity reaches the tolerance band: 96 of 100 on the 10th, 4 more later', () => {
    expect(evaluateLine(split(['2026-03-10', 96], ['2026-03-20', 4]), t, AS_OF)).toMatchObject({ onTime: true, inFull: true, lateness: 0 });
  });

  it('a short delivery (94 of 100) or one beyond the band (106) is not in full; 95 and 105 are', () => {
    expect(evaluateLine(split(['2026-03-10', 94]), t, AS_OF)).toMatchObject({ onTime: true, inFull: false, otif: false });
    expect(evaluateLine(split(['2026-03-10', 106]), t, AS_OF)).toMatchObject({ onTime: true, inFull: false });
    expect(evaluateLine(split(['2026-03-10', 95]), t, AS_OF)).toMatchObject({ inFull: true, otif: true });
    expect(evaluateLine(split(['2026-03-10', 105]), t, AS_OF)).toMatchObject({ inFull: true });
  });

  it('without an ordered quantity, in full and OTIF are unknown (null), and the last delivery is timed', () => {
    const l = line({ promisedDate: '2026-03-10', deliveries: [{ date: '2026-03-09', quantity: 1 }, { date: '2026-03-11', quantity: 1 }] });
    expect(evaluateLine(l, t, AS_OF)).toEqual({ counted: true, onTime: true, inFull: null, otif: null, lateness: 1, failure: null });
  });
});

describe('open and cancelled lines', () => {
  const t = tol(0, 2, 0);
  const open = line({ promisedDate: '2026-03-10', status: 'open', orderedQty: 100 });

  it('an open line past the window end is a failure, late and not in full; before it, not counted', () => {
    expect(evaluateLine(open, t, '2026-03-13')).toEqual({ counted: true, onTime: false, inFull: false, otif: false, lateness: null, failure: 'overdue-open' });
    expect(evaluateLine(open, t, '2026-03-12')).toEqual({ counted: false, why: 'not-due' });
    // Partly delivered and still open past the window: a failure as well.
    expect(evaluateLine({ ...open, deliveries: [{ date: '2026-03-10', quantity: 50 }] }, t, '2026-03-20')).toMatchObject({ counted: true, failure: 'overdue-open' });
  });

  it('a never-delivered line stays in the rate: one on time and one overdue open are 1 of 2', () => {
    const [g] = otifGroups([delivered('2026-03-10', '2026-03-10'), open], { by: [], tolerances: t, asOf: '2026-03-20' });
    expect(g!.lines).toEqual({ counted: 2, onTime: { count: 1, of: 2, share: 0.5 }, inFull: { count: 1, of: 2, share: 0.5 }, otif: { count: 1, of: 2, share: 0.5 } });
    expect(g!.failures).toEqual({ overdueOpen: 1, cancelledLate: 0 });
    expect(g!.lateness.measured).toBe(1);
  });

  it('a cancelled line is left out when cancelled by the window end, a failure when cancelled after it', () => {
    const cancelled = (cancelledDate: string | null) => ({ ...open, status: 'cancelled' as const, cancelledDate });
    expect(evaluateLine(cancelled('2026-03-01'), t, AS_OF)).toEqual({ counted: false, why: 'cancelled' });
    expect(evaluateLine(cancelled('2026-03-12'), t, AS_OF)).toEqual({ counted: false, why: 'cancelled' });
    expect(evaluateLine(cancelled('2026-03-13'), t, AS_OF)).toMatchObject({ counted: true, onTime: false, inFull: false, failure: 'cancelled-late' });
    expect(evaluateLine(cancelled(null), t, AS_OF)).toEqual({ counted: false, why: 'cancelled' });
    const [g] = otifGroups([delivered('2026-03-10', '2026-03-10'), cancelled('2026-03-01')], { by: [], tolerances: t, asOf: AS_OF });
    expect(g!.lines.onTime).toEqual({ count: 1, of: 1, share: 1 });
    expect(g!.excluded).toEqual({ cancelled: 1, notDue: 0 });
  });
});

describe('groups: per line, per order, by volume, and no data', () => {
  const t = tol(0, 0, 0);

  it('reports the three rates apart: lines 2 of 3, orders 1 of 2, volume 150 of 450', () => {
    // The late line of order A had nothing by the window end: late and not in full.
    const lines: OtifLine[] = [
      { ...delivered('2026-03-10', '2026-03-10', 100, 100), orderId: 'A' },
      { ...delivered('2026-03-10', '2026-03-12', 300, 300), orderId: 'A' }, // late
      { ...delivered('2026-03-10', '2026-03-10', 50, 50), orderId: 'B' },
    ];
    const [g] = otifGroups(lines, { by: [], tolerances: t, asOf: AS_OF });
    expect(g!.lines.otif).toEqual({ count: 2, of: 3, share: 2 / 3 });
    expect(g!.orders).toEqual({ counted: 2, onTime: { count: 1, of: 2, share: 0.5 }, inFull: { count: 1, of: 2, share: 0.5 }, otif: { count: 1, of: 2, share: 0.5 } });
    expect(g!.volume).toEqual({ ordered: 450, onTime: 150, inFull: 150, otif: 150, onTimeShare: 150 / 450, inFullShare: 150 / 450, otifShare: 150 / 450 });
  });

  it('gives the same per-order rate with linesGroupedByOrder when the lines of each order are together', () => {
    const lines: OtifLine[] = [
      { ...delivered('2026-03-10', '2026-03-10'), orderId: 'A', keys: { dealer: 'D1' } },
      { ...delivered('2026-03-10', '2026-03-11'), orderId: 'A', keys: { dealer: 'D1' } },
      { ...delivered('2026-03-10', '2026-03-10'), orderId: 'B', keys: { dealer: 'D2' } },
      { ...delivered('2026-03-10', '2026-03-10'), orderId: 'C', keys: { dealer: 'D1' } },
      { ...delivered('2026-03-10', '2026-03-10'), orderId: 'C', keys: { dealer: 'D1' } },
      { ...delivered('2026-03-10', '2026-03-10'), keys: { dealer: 'D1' } },
    ];
    const o = { by: ['dealer'], tolerances: t, asOf: AS_OF };
    const plain = otifGroups(lines, o);
    expect(plain.map((g) => [g.key[0], g.orders.counted, g.orders.otif?.count])).toEqual([['D1', 3, 2], ['D2', 1, 1]]);
    expect(otifGroups(lines, { ...o, linesGroupedByOrder: true })).toEqual(plain);
  });

  it('groups by field and month of the promised date, and a month without lines is no data, not 100 %', () => {
    const lines: OtifLine[] = [
      { ...delivered('2026-02-10', '2026-02-10'), keys: { dealer: 'D1' } },
      { ...delivered('2026-04-10', '2026-04-11'), keys: { dealer: 'D1' } },
      { ...delivered('2026-04-10', '2026-04-10'), keys: { dealer: 'D2' } },
    ];
    const groups = otifGroups(lines, { by: ['dealer', 'month'], tolerances: t, asOf: AS_OF, months: { from: '2026-02', to: '2026-04' } });
    expect(groups.map((g) => [g.key.join(' '), g.lines.counted, g.lines.onTime.share])).toEqual([
      ['D1 2026-02', 1, 1], ['D1 2026-03', 0, null], ['D1 2026-04', 1, 0],
      ['D2 2026-02', 0, null], ['D2 2026-03', 0, null], ['D2 2026-04', 1, 1],
    ]);
    const empty = groups[1]!;
    expect(empty.lines).toEqual({ counted: 0, onTime: { count: 0, of: 0, share: null }, inFull: null, otif: null });
    expect(empty.volume).toBeNull();
    expect(empty.lateness).toMatchObject({ measured: 0, p50: null, p90: null, max: null });
  });

  it('a group of only not-yet-due and cancelled lines is no data too', () => {
    const [g] = otifGroups([line({ promisedDate: '2026-12-20', status: 'open' }), line({ promisedDate: '2026-03-10', status: 'cancelled' })], { by: [], tolerances: t, asOf: AS_OF });
    expect(g!.lines.onTime.share).toBeNull();
    expect(g!.excluded).toEqual({ cancelled: 1, notDue: 1 });
  });

  it('gives the lateness distribution: histogram and nearest-rank p50 and p90', () => {
    // Days late −1, 0, 0, 1, 2, 5, 12: p50 is the 4th of 7 (1), p90 the 7th (12).
    const lines = [-1, 0, 0, 1, 2, 5, 12].map((d) => delivered('2026-03-10', `2026-03-${String(10 + d).padStart(2, '0')}`, 1, null));
    const [g] = otifGroups(lines, { by: [], tolerances: t, asOf: AS_OF });
    expect(g!.lateness.p50).toBe(1);
    expect(g!.lateness.p90).toBe(12);
    expect(g!.lateness.max).toBe(12);
    expect(Object.fromEntries(g!.lateness.histogram.map((count, i) => [LATENESS_BUCKETS[i]!.label, count] as const).filter(([, count]) => count > 0))).toEqual({ '−1': 1, '0': 2, '1': 1, '2': 1, '3…5': 1, '11…20': 1 });
    expect(g!.lines.inFull).toBeNull();
    expect(g!.volume).toBeNull();
  });

  it('takes tolerances per line (per account or agreement)', () => {
    const lines: OtifLine[] = [
      { ...delivered('2026-03-10', '2026-03-12'), keys: { dealer: 'strict' } },
      { ...delivered('2026-03-10', '2026-03-12'), keys: { dealer: 'lenient' } },
    ];
    const strict = tol(0, 0), lenient = tol(0, 3);
    const groups = otifGroups(lines, { by: ['dealer'], tolerances: (l) => (l.keys.dealer === 'strict' ? strict : lenient), asOf: AS_OF });
    expect(groups.map((g) => [g.key[0], g.lines.onTime.share])).toEqual([['lenient', 1], ['strict', 0]]);
  });

  it('refuses tolerances that are not whole days or a percentage', () => {
    expect(() => otifGroups([], { by: [], tolerances: tol(-1, 0), asOf: AS_OF })).toThrow(/earlyDays must be a whole number/);
    expect(() => otifGroups([], { by: [], tolerances: { earlyDays: 0, lateDays: 1.5, inFullPercent: 0 }, asOf: AS_OF })).toThrow(/lateDays/);
    expect(() => otifGroups([], { by: [], tolerances: tol(0, 0, 120), asOf: AS_OF })).toThrow(/inFullPercent/);
  });

  it('lists the months of a range', () => {
    expect(monthsBetween('2025-11', '2026-02')).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
  });
});

describe('properties', () => {
  const cnTable = holidayTableOf(shippedChinaHolidays().years);
  const cn = workingDays(cnTable);
  const slaCal = workingCalendar({ timeZone: 'Asia/Shanghai', windows: '09:00-18:00', holidays: cnTable });
  const isoArb = fc.integer({ min: dayNumber('2007-01-01'), max: dayNumber('2026-12-31') }).map(isoOfDay);

  it("counts the working days from the promise up to the delivery as the SLA calendar's isWorkingDay does", () => {
    fc.assert(fc.property(isoArb, fc.integer({ min: -40, max: 40 }), (p, k) => {
      const d = isoOfDay(dayNumber(p) + k);
      const [from, to] = k >= 0 ? [p, d] : [d, p];
      let n = 0;
      for (let x = dayNumber(from); x < dayNumber(to); x++) if (isWorkingDay(slaCal, isoOfDay(x))) n++;
      expect(daysLate(cn, p, d)).toBe(k >= 0 ? n : 0 - n);
    }), { numRuns: 300 });
  });

  it('a group counts exactly the lines that evaluateLine counts, on time and OTIF alike', () => {
    const lineArb = fc.record({
      p: fc.integer({ min: 0, max: 60 }), late: fc.array(fc.tuple(fc.integer({ min: -6, max: 9 }), fc.integer({ min: 0, max: 120 })), { maxLength: 3 }),
      ordered: fc.option(fc.integer({ min: 1, max: 100 })), status: fc.constantFrom('open', 'delivered', 'cancelled'), cancelAt: fc.option(fc.integer({ min: -5, max: 10 })),
    });
    fc.assert(fc.property(fc.array(lineArb, { maxLength: 30 }), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 10 }), (specs, e, l, pct) => {
      const base = dayNumber('2026-03-02');
      const lines: OtifLine[] = specs.map((s, i) => ({
        keys: {}, orderId: `O${i % 4}`, promisedDate: isoOfDay(base + s.p), orderedQty: s.ordered, status: s.status as OtifLine['status'],
        cancelledDate: s.cancelAt === null ? null : isoOfDay(base + s.p + s.cancelAt),
        deliveries: s.late.map(([d, q]) => ({ date: isoOfDay(base + s.p + d), quantity: q })),
      }));
      const t = tol(e, l, pct);
      const outcomes = lines.map((x) => evaluateLine(x, t, '2026-04-10', weekdays));
      const [g] = otifGroups(lines, { by: [], tolerances: t, asOf: '2026-04-10', calendar: weekdays });
      const counted = outcomes.filter((o) => o.counted);
      expect(g!.lines.counted).toBe(counted.length);
      expect(g!.lines.onTime.count).toBe(counted.filter((o) => o.onTime).length);
      expect(g!.lines.otif?.count ?? 0).toBe(counted.filter((o) => o.otif === true).length);
      expect(g!.excluded.cancelled + g!.excluded.notDue + g!.lines.counted).toBe(lines.length);
      expect(g!.lateness.measured).toBe(counted.filter((o) => o.lateness !== null).length);
      if (g!.lines.counted === 0) expect(g!.lines.onTime.share).toBeNull();
    }), { numRuns: 300 });
  });
});
