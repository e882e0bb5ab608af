import { describe, expect, it } from 'vitest';
import { fitTsb, intermittentDistributionQuantiles, shiftedPoissonSizes } from './intermittent.domain.js';

const levels = [0.5, 0.8, 0.9, 0.95, 0.99];
const finite = (rows: number[][]) => rows.every((r) => r.every((v) => Number.isFinite(v) && v >= 0));
const monotone = (rows: number[][]) => rows.every((r, k) => k === 0 || r.every((v, i) => v >= rows[k - 1]![i]! - 1e-9));

describe('exact intermittent predictive distribution', () => {
  it('puts the sizes on whole multiples of the smallest size: smallest × (1 + Poisson), at the fitted mean', () => {
    // Smallest 1, mean 3 → 1 + Poisson(2): P(1) = e⁻², P(3) = e⁻²·2²/2!.
    const d = shiftedPoissonSizes(1, 3);
    expect(d.step).toBe(1);
    expect(d.pmf[0]).toBe(0);
    expect(d.pmf[1]).toBeCloseTo(Math.exp(-2), 12);
    expect(d.pmf[3]).toBeCloseTo(2 * Math.exp(-2), 12);
    expect(d.pmf.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(d.pmf.reduce((a, w, j) => a + w * j, 0)).toBeCloseTo(3, 10);
    // Smallest size 4 (a pack of four), mean 6 → 4 × (1 + Poisson(0.5)).
    const packs = shiftedPoissonSizes(4, 6);
    expect(packs.step).toBe(4);
    expect(packs.pmf[1]).toBeCloseTo(Math.exp(-0.5), 12);
  });

  it('is a single size when the mean is the smallest size', () => {
    expect(shiftedPoissonSizes(2, 2)).toEqual({ step: 2, pmf: [0, 1] });
  });

  it('keeps the mean on a coarser grid for large sizes, without underflow', () => {
    const d = shiftedPoissonSizes(0.7, 1000);
    expect(d.pmf.every(Number.isFinite)).toBe(true);
    expect(d.pmf.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
    expect(d.pmf.reduce((a, w, j) => a + w * j * d.step, 0)).toBeCloseTo(1000, 6);
    expect(d.pmf.length).toBeLessThanOrEqual(258);
  });

  it('returns the totals it convolves when asked, each a distribution with mean rate × periods', () => {
    const fit = fitTsb([0, 2, 0, 0, 3, 0, 1, 0, 0, 2, 0, 4]);
    const q = intermittentDistributionQuantiles(fit, 3, levels, true);
    expect(q.totals).toHaveLength(3);
    q.totals!.forEach((t, i) => {
      expect(t.pmf.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
      expect(t.pmf.reduce((a, w, j) => a + w * j * t.step, 0)).toBeCloseTo(fit.rate * (i + 1), 8);
    });
    expect(intermittentDistributionQuantiles(fit, 3, levels).totals).toBeUndefined();
  });

  it('matches hand-computed quantiles', () => {
    // p = 0.5, sizes {2} → one period: 0 or 2; two periods: 0 (¼), 2 (½), 4 (¼).
    const fit = { kind: 'tsb' as const, probability: 0.5, size: 2, rate: 1, sizes: [2, 2] };
    const q = intermittentDistributionQuantiles(fit, 2, [0.2, 0.6, 0.8]);
    expect(q.quantiles.map((r) => r[0])).toEqual([0, 2, 2]);
    expect(q.cumulative.map((r) => r[1])).toEqual([0, 2, 4]);
  });

  it('gives monotone, finite quantiles, rising with the horizon for the totals', () => {
    const q = intermittentDistributionQuantiles(fitTsb([0, 5, 0, 0, 5, 0, 10, 0, 0, 3, 0, 1]), 12, levels);
    expect(finite(q.quantiles) && finite(q.cumulative)).toBe(true);
    expect(monotone(q.quantiles) && monotone(q.cumulative)).toBe(true);
    for (const r of q.cumulative) for (let i = 1; i < r.length; i++) expect(r[i]!).toBeGreaterThanOrEqual(r[i - 1]!);
    expect(q.cumulative[4]![11]!).toBeGreaterThan(q.quantiles[4]![0]!);
  });

  it('returns zeros for an all-zero series and stays finite for one demand or a short series', () => {
    const z = intermittentDistributionQuantiles(fitTsb([0, 0, 0, 0]), 3, levels);
    expect(z.quantiles.flat().every((v) => v === 0) && z.cumulative.flat().every((v) => v === 0)).toBe(true);
    for (const y of [[0, 0, 0, 0, 0, 7], [4], [0, 2], [1, 0, 1]]) {
      const q = intermittentDistributionQuantiles(fitTsb(y), 6, levels);
      expect(finite(q.quantiles) && finite(q.cumulative)).toBe(true);
      expect(monotone(q.quantiles) && monotone(q.cumulative)).toBe(true);
    }
  });

  it('stays fast and bounded over a long horizon with large, irregular sizes', () => {
    const y = Array.from({ length: 60 }, (_, i) => (i % 3 === 0 ? 100 + ((i * 37) % 250) + 0.5 : 0));
    const t0 = performance.now();
    const q = intermittentDistributionQuantiles(fitTsb(y), 24, levels);
    expect(performance.now() - t0).toBeLessThan(500);
    expect(finite(q.cumulative) && monotone(q.cumulative)).toBe(true);
  });
});
