import { describe, expect, it } from 'vitest';
import { hasReferenceData, referenceDataMissing, referencePath } from '../../shared/reference-data.js';
import { fitTheta, seasonalityTest, thetaPoint, thetaQuantiles } from './theta.domain.js';
import { readLongSeries, readRForecasts } from './forecasting.reference.js';

/**
 * Tolerance 1e-6 relative: thetaf is SES (a 2-parameter Nelder–Mead fit) plus closed-form
 * steps, and our port follows R's optimiser move by move, so forecasts agree to ~1e-12; the
 * margin covers floating-point summation order only.
 */
const TOLERANCE = 1e-6;

const NAMED = [
  { freq: 'monthly', m: 12, ids: ['N1402', 'N2000', 'N2500'], seasonal: [false, false, true] },
  { freq: 'quarterly', m: 4, ids: ['N0646', 'N0700', 'N1000'], seasonal: [true, false, true] },
  { freq: 'yearly', m: 1, ids: ['N0001', 'N0500'], seasonal: [false, false] },
  { freq: 'other', m: 1, ids: ['N2830'], seasonal: [false] },
] as const;

describe.skipIf(!hasReferenceData)('Theta against R thetaf on M3 series', () => {
  if (!hasReferenceData) console.warn(referenceDataMissing);
  for (const c of NAMED) {
    it(`reproduces thetaf forecasts and its seasonality decision on ${c.freq} series ${c.ids.join(', ')}`, () => {
      const series = readLongSeries(referencePath('forecast/m3', `m3_${c.freq}.csv`), c.ids);
      const r = readRForecasts(referencePath('forecast/m3', `r_forecasts_${c.freq}.csv`), c.ids);
      c.ids.forEach((id, k) => {
        const s = series.find((x) => x.id === id)!;
        const fit = fitTheta(s.train, c.m);
        expect(fit.seasonal, id).toBe(c.seasonal[k]);
        const theirs = r.get(id)!.get('theta')!;
        thetaPoint(fit, s.test.length).forEach((v, i) => expect(Math.abs(v - theirs[i]!) / Math.abs(theirs[i]!), `${id} step ${i + 1}`).toBeLessThan(TOLERANCE));
      });
    });
  }
});

describe('Theta method', () => {
  const seasonalSeries = Array.from({ length: 72 }, (_, t) => 100 + t + 30 * Math.sin((2 * Math.PI * t) / 12) + ((t * 7919) % 13) / 13);

  it('finds monthly seasonality with the 90% autocorrelation test at lag 12', () => {
    expect(seasonalityTest(seasonalSeries, 12)).toBe(true);
    expect(seasonalityTest(Array.from({ length: 72 }, (_, t) => 100 + t), 12)).toBe(false);
  });

  it('does not test seasonality with two seasons of data or fewer', () => {
    expect(seasonalityTest(seasonalSeries.slice(0, 24), 12)).toBe(false);
  });

  it('continues a straight line with half its slope as drift plus the SES level', () => {
    const y = Array.from({ length: 30 }, (_, t) => 10 + 2 * t);
    const f = thetaPoint(fitTheta(y, 1), 3);
    expect(f[1]! - f[0]!).toBeCloseTo(1, 6);
  });

  it('gives normal quantiles that widen with the horizon', () => {
    const fit = fitTheta(seasonalSeries, 12);
    const q = thetaQuantiles(fit, 12, [0.5, 0.95]);
    expect(q.quantiles[1]![11]! - q.quantiles[0]![11]!).toBeGreaterThan(0);
    expect(q.cumulative[1]![11]!).toBeGreaterThan(q.cumulative[0]![11]!);
  });
});
