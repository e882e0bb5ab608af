import { describe, expect, it } from 'vitest';
import {
  adviseOrder,
  demandQuantileOver,
  expectedShortage,
  fillRateOf,
  fillRateOrderUpTo,
  normalExpectedShortage,
  normalFillRateOrderUpTo,
  orderUpToLevel,
  roundOrder,
  simulateOrderUpTo,
} from './replenishment.domain.js';
import { normalLoss, pnorm, qnorm } from './stats.domain.js';

// Demand quantiles for 3 periods; cumulative[k][i] is the total over periods 1..i+1.
const forecast = {
  levels: [0.5, 0.9, 0.95],
  point: [10, 10, 10],
  quantiles: [
    [10, 10, 10],
    [14, 15, 16],
    [16, 17, 18],
  ],
  cumulative: [
    [10, 20, 30],
    [14, 26, 37],
    [16, 29, 41],
  ],
};

describe('order-up-to replenishment', () => {
  it('orders up to the service-level quantile of demand over lead time plus review period', () => {
    // Lead time 1 + review 1 → total over 2 periods at 0.95 = 29; position 8 + 5 − 2 = 11.
    const advice = adviseOrder({ forecast, serviceLevel: 0.95, leadTime: 1, reviewPeriod: 1, onHand: 8, onOrder: 5, backorders: 2 });
    expect(advice).toEqual({ orderUpTo: 29, inventoryPosition: 11, quantity: 18 });
  });

  it('interpolates between quantile levels for a service level in between', () => {
    expect(demandQuantileOver(forecast, 3, 0.925)).toBeCloseTo(39, 12);
  });

  it('rounds the order up to whole packs', () => {
    const advice = adviseOrder({ forecast, serviceLevel: 0.95, leadTime: 1, reviewPeriod: 1, onHand: 8, onOrder: 5, backorders: 2, packSize: 12 });
    expect(advice.quantity).toBe(24);
    expect(roundOrder(24, 12)).toBe(24);
  });

  it('raises a small order to the minimum order, in whole packs', () => {
    expect(roundOrder(3, 1, 10)).toBe(10);
    expect(roundOrder(3, 4, 10)).toBe(12);
  });

  it('orders nothing when the inventory position already covers the level', () => {
    expect(adviseOrder({ forecast, serviceLevel: 0.9, leadTime: 0, reviewPeriod: 1, onHand: 30, onOrder: 0, minOrder: 10 }).quantity).toBe(0);
  });

  it('falls back to independent normal steps when the forecast has no cumulative quantiles', () => {
    const { cumulative: _unused, ...perStep } = forecast;
    // Step sd read from the 0.95 quantile: (16−10)/z, (17−10)/z.
    const z = qnorm(0.95);
    const expected = 20 + qnorm(0.9) * Math.sqrt((6 / z) ** 2 + (7 / z) ** 2);
    expect(demandQuantileOver(perStep, 2, 0.9)).toBeCloseTo(expected, 10);
  });

  it('refuses a protection period longer than the forecast', () => {
    expect(() => adviseOrder({ forecast, serviceLevel: 0.9, leadTime: 3, reviewPeriod: 1, onHand: 0, onOrder: 0 })).toThrow(/covers 3 periods/);
  });
});

describe('order-up-to simulation', () => {
  it('replays a window and reports fill rate and average stock, computed by hand', () => {
    // S = 10, lead time 1, review 1, start with 10 on hand.
    // t0: order 0; demand 6 → stock 4.  t1: order 6 (arrives t2); demand 8 → 4 filled, stock 0.
    // t2: +6; position 6 → order 4; demand 3 → stock 3.   t3: +4 → 7; order 3; demand 0 → stock 7.
    const sim = simulateOrderUpTo({ demand: [6, 8, 3, 0], orderUpTo: 10, leadTime: 1, reviewPeriod: 1, initialOnHand: 10 });
    expect(sim.orders).toEqual([0, 6, 4, 3]);
    expect(sim.totalDemand).toBe(17);
    expect(sim.totalFilled).toBe(13);
    expect(sim.fillRate).toBeCloseTo(13 / 17, 12);
    expect(sim.averageOnHand).toBeCloseTo((4 + 0 + 3 + 7) / 4, 12);
    expect(sim.stockoutPeriods).toBe(1);
  });

  it('reports a full fill rate when there was no demand', () => {
    expect(simulateOrderUpTo({ demand: [0, 0], orderUpTo: 5, leadTime: 0, reviewPeriod: 1 }).fillRate).toBe(1);
  });

  it('orders in packs during the replay', () => {
    // t0: 10 on hand, order 0, stock 3.  t1: need 7 → 10 (two packs), stock 13 − 7 = 6.
    // t2: need 4 → 5 (one pack).
    const sim = simulateOrderUpTo({ demand: [7, 7, 7], orderUpTo: 10, leadTime: 0, reviewPeriod: 1, packSize: 5 });
    expect(sim.orders).toEqual([0, 10, 5]);
  });
});

describe('fill-rate (type-2) order-up-to levels', () => {
  // D = 0 (½), 1 (0.3), 3 (0.2) on a grid of 1: mean 0.9.
  const d = { step: 1, pmf: [0.5, 0.3, 0, 0.2] };

  it('computes the expected shortage of a discrete total by hand', () => {
    expect(expectedShortage(d, 0)).toBeCloseTo(0.9, 12);
    expect(expectedShortage(d, 1)).toBeCloseTo(0.2 * 2, 12);
    expect(expectedShortage(d, 0.5)).toBeCloseTo(0.3 * 0.5 + 0.2 * 2.5, 12);
    expect(expectedShortage(d, 3)).toBe(0);
  });

  it('matches the printed table of the normal loss function', () => {
    // G(z) = E[(Z − z)+], e.g. Silver, Pyke & Peterson, table B.1.
    const table: [number, number][] = [[-1, 1.0833], [0, 0.3989], [0.5, 0.1978], [1, 0.0833], [1.5, 0.0293], [2, 0.0085], [3, 0.0004]];
    for (const [z, g] of table) expect(normalLoss(z)).toBeCloseTo(g, 4);
    expect(pnorm(1.959963984540054)).toBeCloseTo(0.975, 14);
    expect(pnorm(-1)).toBeCloseTo(0.15865525393145707, 14);
    expect(normalExpectedShortage(100, 20, 120)).toBeCloseTo(20 * 0.0833, 3);
  });

  it('finds the smallest level with the target fill when there is no lead time, by hand', () => {
    // Fill = 1 − E[(D − S)+]/0.9: S = 2 → 1 − 0.2/0.9 = 0.778, S = 3 → 1; linear in between, so
    // 0.9 is reached at S = 2.55 (E[(D − 2.55)+] = 0.2 × 0.45 = 0.09).
    expect(fillRateOrderUpTo(null, d, 0.9)).toBeCloseTo(2.55, 12);
    expect(fillRateOf(null, d, 2.55)).toBeCloseTo(0.9, 12);
    // Fill(0) = 0, Fill(1) = 1 − 0.4/0.9 = 5/9, so 0.5 is reached at S = 0.5 / (5/9) = 0.9.
    expect(fillRateOrderUpTo(null, d, 0.5)).toBeCloseTo(0.9, 12);
  });

  it('counts only the shortage of the review period, not the lead time, by hand', () => {
    // One period: 0 or 1 (½ each); two periods: 0 (¼), 1 (½), 2 (¼). Review-period demand 0.5.
    // Fill(S) = 1 − (E[(D₂ − S)+] − E[(D₁ − S)+]) / 0.5: S = 1 → 1 − (0.25 − 0)/0.5 = 0.5; S = 2 → 1.
    const one = { step: 1, pmf: [0.5, 0.5] };
    const two = { step: 1, pmf: [0.25, 0.5, 0.25] };
    expect(fillRateOf(one, two, 1)).toBeCloseTo(0.5, 12);
    expect(fillRateOf(one, two, 0)).toBeCloseTo(0, 12);
    expect(fillRateOrderUpTo(one, two, 0.75)).toBeCloseTo(1.5, 12);
    expect(fillRateOrderUpTo(one, two, 0.4)).toBeCloseTo(0.8, 12);
  });

  it('finds the normal level with the normal loss function', () => {
    // No lead time, demand N(100, 20²), fill 0.99 → E[(D − S)+] = 1 → G(z) = 0.05, z ≈ 1.255 (table: G(1.25) = 0.0506, G(1.26) = 0.0496).
    const S = normalFillRateOrderUpTo({ mean: 0, sd: 0 }, { mean: 100, sd: 20 }, 0.99);
    expect(normalExpectedShortage(100, 20, S)).toBeCloseTo(1, 9);
    expect(S).toBeGreaterThan(125.0);
    expect(S).toBeLessThan(125.2);
    // With a lead time, the shortage already expected by the end of the lead time is not counted
    // against the cycle: E[(D₂ − S)+] − E[(D₁ − S)+] = 1% of the cycle's demand 100, a lower level
    // than asking E[(D₂ − S)+] alone to be 1 (the same as fill 0.995 of 200 with no lead time).
    const withLead = normalFillRateOrderUpTo({ mean: 100, sd: 20 }, { mean: 200, sd: 20 * Math.SQRT2 }, 0.99);
    expect(normalExpectedShortage(200, 20 * Math.SQRT2, withLead) - normalExpectedShortage(100, 20, withLead)).toBeCloseTo(1, 9);
    expect(withLead).toBeLessThan(normalFillRateOrderUpTo({ mean: 0, sd: 0 }, { mean: 200, sd: 20 * Math.SQRT2 }, 0.995));
    expect(withLead).toBeGreaterThan(200);
  });

  it('uses the exact totals of a forecast when it has them, else normal totals from its quantiles', () => {
    const one = { step: 1, pmf: [0.5, 0.5] };
    const two = { step: 1, pmf: [0.25, 0.5, 0.25] };
    const exact = { ...forecast, totals: [one, two, { step: 1, pmf: [0.125, 0.375, 0.375, 0.125] }] };
    expect(orderUpToLevel(exact, 1, 1, 0.75, 'fill')).toBeCloseTo(1.5, 12);
    expect(orderUpToLevel(exact, 1, 1, 0.95, 'cycle')).toBe(29);
    // Without totals: normal, mean and spread of the cumulative quantiles (z of the top level 0.95).
    const z = qnorm(0.95);
    const expected = normalFillRateOrderUpTo({ mean: 10, sd: 6 / z }, { mean: 20, sd: 9 / z }, 0.9);
    expect(orderUpToLevel(forecast, 1, 1, 0.9, 'fill')).toBeCloseTo(expected, 9);
    expect(adviseOrder({ forecast: exact, serviceLevel: 0.75, serviceMeasure: 'fill', leadTime: 1, reviewPeriod: 1, onHand: 0, onOrder: 0, packSize: 0 }).orderUpTo).toBeCloseTo(1.5, 12);
  });

  it('refuses a fill target outside (0, 1)', () => {
    expect(() => orderUpToLevel(forecast, 1, 1, 1, 'fill')).toThrow(/between 0 and 1/);
  });
});
