import { describe, expect, it } from 'vitest';
import { replaySite, type ReplayInput, type ReplayLine } from './replay.domain.js';

// 28 days from Monday 2027-03-01, weekly Monday visits, lead time 2 days, 10 sold a day.
const policy = { kind: 'minMax', minDays: 3, maxDays: 10 } as const;
const base = (line: Partial<ReplayLine> = {}, more: Partial<ReplayInput> = {}): ReplayInput => ({
  from: '2027-03-01',
  days: 28,
  site: { leadTimeDays: 2, rhythm: { weekdays: ['mon'] } },
  demand: { kind: 'rate', days: 28 },
  lines: [{
    productId: 'A', policy, pack: { units: 1, kg: 2 }, history: new Array(28).fill(10), startOnHand: 50,
    // The dealer had nothing from the end of 03-05 to 03-08 and from 03-17 to 03-22: no sales then.
    sales: Array.from({ length: 28 }, (_, t) => ((t >= 5 && t <= 6) || (t >= 17 && t <= 20) ? 0 : 10)),
    receipts: [{ date: '2027-03-08', quantity: 100 }, { date: '2027-03-22', quantity: 100 }],
    ...line,
  }],
  ...more,
});

describe('the replay of a dealer site', () => {
  it('matches a hand-computed month for the policy and for what the dealer did', () => {
    const r = replaySite(base());
    // Policy: each Monday 50 on hand, min 9 × 10 + 3 × 10 = 120 → order 70, arriving Wednesday.
    // End-of-day stock every week 40, 30, 90, 80, 70, 60, 50: mean 60, never out.
    expect(r.orders.map((o) => [o.date, o.arrival, o.lines[0]!.quantity])).toEqual([
      ['2027-03-01', '2027-03-03', 70], ['2027-03-08', '2027-03-10', 70], ['2027-03-15', '2027-03-17', 70], ['2027-03-22', '2027-03-24', 70],
    ]);
    expect(r.policy).toMatchObject({ fillRate: 1, stockoutDays: 0, averageStock: 60, averageStockKg: 120, orders: 4, units: 280 });
    // Actual: out on days 5–6 and 17–20; those days' demand is taken as 10 (the 28-day rate) and lost.
    // End-of-day stock 40+30+20+10+0, then 90+80+…+0 (450), then 90+…+30 (420): 970 over 28 days.
    expect(r.actual).toMatchObject({ demand: 280, served: 220, lost: 60, stockoutDays: 6, orders: 2, units: 200 });
    expect(r.actual.fillRate).toBeCloseTo(220 / 280, 12);
    expect(r.actual.averageStock).toBeCloseTo(970 / 28, 12);
    expect(r.assumptions.join(' ')).toContain('mean of its last 28 days in stock');
  });

  it('loses the sales it cannot serve rather than owing them', () => {
    // Nothing on hand and nothing coming until the first order arrives on day 2: 20 lost, not made up later.
    const r = replaySite(base({ startOnHand: 0, receipts: [] }, { days: 7 }));
    expect(r.policy.lost).toBe(20);
    expect(r.policy.stockoutDays).toBe(2);
  });

  it('holds its order under a warning it could not have known of, and plans around one it knew of', () => {
    const typhoon = { from: '2027-03-03', to: '2027-03-04', reason: 'typhoon warning', knownFrom: '2027-03-02' };
    const r = replaySite(base({}, { site: { leadTimeDays: 2, rhythm: { weekdays: ['mon'] }, warnings: [typhoon] } }));
    expect(r.orders[0]).toMatchObject({ date: '2027-03-01', plannedArrival: '2027-03-03', arrival: '2027-03-05' });
    const early = replaySite(base({}, { site: { leadTimeDays: 2, rhythm: { weekdays: ['mon'] }, warnings: [{ ...typhoon, knownFrom: '2027-02-28' }] } }));
    expect(early.orders[0]).toMatchObject({ plannedArrival: '2027-03-05', arrival: '2027-03-05' });
    // Knowing it, the order covers two days more: 20 more.
    expect(early.orders[0]!.lines[0]!.quantity - r.orders[0]!.lines[0]!.quantity).toBe(20);
  });

  it('decides nothing before a date from data after it (refitted forecasts, no look-ahead)', () => {
    // 52 weeks of seasonal weekly history and 12 weeks replayed with the automatic forecast.
    const days = 84;
    const wave = (t: number) => Math.round(10 + 6 * Math.sin((2 * Math.PI * t) / 364) + ((t * 7919) % 5));
    const history = Array.from({ length: 364 }, (_, t) => wave(t));
    const sales = Array.from({ length: days }, (_, t) => wave(364 + t));
    const input = (s: number[]): ReplayInput => ({
      ...base({ history, sales: s, receipts: [{ date: '2027-03-15', quantity: 300 }, { date: '2027-04-12', quantity: 300 }] }),
      days,
      demand: { kind: 'forecast', periodDays: 7 },
    });
    const cut = '2027-04-05';
    const t = 35;
    const changed = sales.map((v, i) => (i >= t ? v * 3 + 5 : v));
    const a = replaySite(input(sales));
    const b = replaySite(input(changed));
    const before = (r: typeof a) => r.orders.filter((o) => o.date <= cut);
    expect(before(a).length).toBeGreaterThan(3);
    expect(before(b)).toEqual(before(a));
    // …and the data after the date does change what comes after it.
    expect(b.orders.filter((o) => o.date > cut)).not.toEqual(a.orders.filter((o) => o.date > cut));
  });

  it('compares the replayed stock with the stock reports it was given', () => {
    const r = replaySite(base({ stockReports: [{ date: '2027-03-02', onHand: 30 }, { date: '2027-03-09', onHand: 76 }] }));
    // Replayed end of 03-02: 30 (gap 0); end of 03-09: 80 (gap 4).
    expect(r.assumptions).toContain("The replayed actual stock differs from the dealer's 2 stock reports by 2 units on average.");
  });
});
