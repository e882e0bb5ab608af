import { describe, expect, it } from 'vitest';
import { fitCroston, fitTsb, intermittentQuantiles, isIntermittent } from './intermittent.domain.js';

describe('intermittent demand methods', () => {
  // Demands 4 (after 2 periods), 6 (after 3), 2 (after 1).
  const y = [0, 4, 0, 0, 6, 2];

  it('computes Croston as R does: SES with α = 0.1 on sizes and intervals, started at the first', () => {
    const fit = fitCroston(y);
    const z = 4 + 0.1 * (6 - 4);
    const zz = z + 0.1 * (2 - z);
    const p = 2 + 0.1 * (3 - 2);
    const pp = p + 0.1 * (1 - p);
    expect(fit.rate).toBeCloseTo(zz / pp, 12);
  });

  it('scales Croston by 1 − α/2 for SBA', () => {
    expect(fitCroston(y, 'sba').rate).toBeCloseTo(fitCroston(y).rate * 0.95, 12);
  });

  it('lets TSB decay the demand probability through periods without demand', () => {
    const before = fitTsb([3, 0, 3, 0, 3, 0]);
    const after = fitTsb([3, 0, 3, 0, 3, 0, 0, 0, 0, 0]);
    expect(after.probability).toBeLessThan(before.probability);
    expect(after.rate).toBeCloseTo(after.probability * after.size, 12);
  });

  it('forecasts zero with zero quantiles when there was never any demand', () => {
    const q = intermittentQuantiles(fitTsb([0, 0, 0, 0]), 3, [0.5, 0.99]);
    expect(q.quantiles.flat()).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('draws quantiles from observed demand sizes and makes totals grow with the horizon', () => {
    const q = intermittentQuantiles(fitTsb([0, 5, 0, 0, 5, 0, 10, 0]), 4, [0.5, 0.9, 0.99]);
    for (let i = 0; i < 4; i++) {
      expect(q.quantiles[0]![i]!).toBeLessThanOrEqual(q.quantiles[1]![i]!);
      expect(q.quantiles[1]![i]!).toBeLessThanOrEqual(q.quantiles[2]![i]!);
    }
    expect(q.cumulative[2]![3]!).toBeGreaterThan(q.cumulative[2]![0]!);
  });

  it('classifies a series with many zeros as intermittent, and one with negatives as not', () => {
    expect(isIntermittent(y)).toBe(true);
    expect(isIntermittent([5, 6, 7, 5, 6, 8])).toBe(false);
    expect(isIntermittent([0, -1, 0, 0, 2])).toBe(false);
  });
});
