import { describe, expect, it } from 'vitest';
import { adviseOrder, demandQuantileOver, roundOrder, simulateOrderUpTo } from './replenishment.domain.js';
import { qnorm } from './stats.domain.js';

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
