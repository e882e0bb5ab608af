import { describe, expect, it } from 'vitest';
import { hasReferenceData, referenceDataMissing, referencePath } from '../../shared/reference-data.js';
import { admissible, etsName, etsPoint, etsQuantiles, fitEts, fitEtsModel, type EtsSpec } from './ets.domain.js';
import { normalSampler, rng } from './stats.domain.js';
import { readLongSeries, readRForecasts } from './forecasting.reference.js';

/**
 * Series where our automatic ETS must reproduce R's (forecast 8.20) forecasts, with the model
 * it selects. R's model is not in the reference files; a forecast reproduced to 1e-3 over the
 * whole horizon is only possible with the same model, parameters and initial states.
 */
const NAMED: { freq: 'monthly' | 'quarterly' | 'yearly' | 'other'; m: number; id: string; model: string }[] = [
  { freq: 'monthly', m: 12, id: 'N1402', model: 'ETS(M,N,N)' },
  { freq: 'monthly', m: 12, id: 'N1404', model: 'ETS(A,A,N)' },
  { freq: 'monthly', m: 12, id: 'N2002', model: 'ETS(A,N,A)' },
  { freq: 'monthly', m: 12, id: 'N2005', model: 'ETS(A,A,A)' },
  { freq: 'monthly', m: 12, id: 'N2006', model: 'ETS(M,N,A)' },
  { freq: 'monthly', m: 12, id: 'N2008', model: 'ETS(M,A,M)' },
  { freq: 'monthly', m: 12, id: 'N2016', model: 'ETS(A,Ad,A)' },
  { freq: 'monthly', m: 12, id: 'N2500', model: 'ETS(M,Ad,M)' },
  { freq: 'quarterly', m: 4, id: 'N0646', model: 'ETS(A,N,N)' },
  { freq: 'quarterly', m: 4, id: 'N1000', model: 'ETS(A,A,N)' },
  { freq: 'yearly', m: 1, id: 'N0001', model: 'ETS(M,A,N)' },
  { freq: 'other', m: 1, id: 'N2900', model: 'ETS(A,A,N)' },
];

/**
 * Tolerance: 1e-3 relative at every step. We port R's likelihood, starting values and its
 * Nelder–Mead moves, so most series agree to 1e-12; seasonal models with 15–17 parameters
 * stop the simplex after 2000 evaluations, where rounding in a different root test (ours is
 * Schur–Cohn, R's uses polyroot) can leave the last digits apart (largest seen: 3e-4).
 */
const TOLERANCE = 1e-3;

describe.skipIf(!hasReferenceData)('ETS against R on M3 series', () => {
  if (!hasReferenceData) console.warn(referenceDataMissing);
  for (const freq of ['monthly', 'quarterly', 'yearly', 'other'] as const) {
    const cases = NAMED.filter((c) => c.freq === freq);
    it(`reproduces R's ets forecasts and model choice on ${freq} series ${cases.map((c) => c.id).join(', ')}`, () => {
      const ids = cases.map((c) => c.id);
      const series = readLongSeries(referencePath('forecast/m3', `m3_${freq}.csv`), ids);
      const r = readRForecasts(referencePath('forecast/m3', `r_forecasts_${freq}.csv`), ids);
      for (const c of cases) {
        const s = series.find((x) => x.id === c.id)!;
        const fit = fitEts(s.train, c.m);
        expect(etsName(fit), c.id).toBe(c.model);
        const ours = etsPoint(fit, s.test.length);
        const theirs = r.get(c.id)!.get('ets')!;
        ours.forEach((v, i) => expect(Math.abs(v - theirs[i]!) / Math.abs(theirs[i]!), `${c.id} step ${i + 1}`).toBeLessThan(TOLERANCE));
      }
    });
  }
});

/** Simulates an ETS model with Gaussian errors from given states (the generative model). */
function simulate(spec: EtsSpec, n: number, m: number, p: { alpha: number; beta?: number; gamma?: number; phi?: number; sigma: number; l: number; b?: number; s?: number[] }, seed: number): number[] {
  const draw = normalSampler(rng(seed));
  let l = p.l;
  let b = p.b ?? 0;
  const s = (p.s ?? [0]).slice();
  const phi = spec.damped ? (p.phi ?? 0.9) : 1;
  const out: number[] = [];
  for (let t = 0; t < n; t++) {
    const si = spec.season === 'N' ? 0 : s[t % m]!;
    const q = l + phi * b;
    const mu = spec.season === 'A' ? q + si : spec.season === 'M' ? q * si : q;
    const e = p.sigma * draw();
    const y = spec.error === 'M' ? mu * (1 + e) : mu + e;
    const shock = spec.error === 'M' ? mu * e : e;
    const div = spec.season === 'M' ? si : 1;
    l = q + (p.alpha * shock) / div;
    if (spec.trend === 'A') b = phi * b + ((p.beta ?? 0) * shock) / div;
    if (spec.season === 'A') s[t % m] = si + (p.gamma ?? 0) * shock;
    if (spec.season === 'M') s[t % m] = si + ((p.gamma ?? 0) * shock) / q;
    out.push(y);
  }
  return out;
}

describe('ETS model selection by AICc', () => {
  it('picks ETS(A,N,N) for a simulated local-level series that crosses zero', () => {
    const y = simulate({ error: 'A', trend: 'N', damped: false, season: 'N' }, 120, 1, { alpha: 0.4, sigma: 1, l: 0 }, 11);
    expect(etsName(fitEts(y, 1))).toBe('ETS(A,N,N)');
  });

  it('picks an additive seasonal model without trend for a simulated ETS(A,N,A) series', () => {
    const season = [8, 5, 2, -1, -4, -7, -8, -5, -2, 1, 4, 7];
    const y = simulate({ error: 'A', trend: 'N', damped: false, season: 'A' }, 144, 12, { alpha: 0.2, gamma: 0.05, sigma: 1, l: 0, s: season }, 5);
    expect(etsName(fitEts(y, 12))).toBe('ETS(A,N,A)');
  });

  it('picks a trend model for a simulated ETS(A,A,N) series with a clear slope', () => {
    const y = simulate({ error: 'A', trend: 'A', damped: false, season: 'N' }, 100, 1, { alpha: 0.3, beta: 0.05, sigma: 1, l: -20, b: 0.8 }, 3);
    expect(fitEts(y, 1).trend).toBe('A');
  });

  it('keeps fitted smoothing parameters inside the bounds and the admissible region', () => {
    const y = simulate({ error: 'A', trend: 'A', damped: true, season: 'N' }, 80, 1, { alpha: 0.5, beta: 0.1, phi: 0.9, sigma: 1, l: 10, b: 1 }, 9);
    const fit = fitEtsModel(y, 1, { error: 'A', trend: 'A', damped: true, season: 'N' })!;
    expect(fit.alpha).toBeGreaterThanOrEqual(1e-4);
    expect(fit.alpha).toBeLessThanOrEqual(0.9999);
    expect(fit.beta).toBeLessThanOrEqual(fit.alpha);
    expect(fit.phi).toBeGreaterThanOrEqual(0.8);
    expect(fit.phi).toBeLessThanOrEqual(0.98);
    expect(admissible(fit.alpha, fit.beta, fit.gamma, fit.phi, 1, true, false)).toBe(true);
  });

  it('rejects seasonal parameters whose characteristic roots leave the unit circle', () => {
    expect(admissible(0.3, 0.01, 0.1, 1, 12, true, true)).toBe(true);
    // Inside the usual bounds and the easy linear tests, but a root of the characteristic
    // polynomial lies outside the unit circle (checked against Durand–Kerner roots).
    expect(admissible(0.6, 0.3, 0.3, 1, 12, true, true)).toBe(false);
    expect(admissible(1, 0.5, 0.5, 1, 12, true, true)).toBe(false);
  });

  it('gives quantiles that widen with the horizon and bracket the point forecast', () => {
    const y = simulate({ error: 'A', trend: 'N', damped: false, season: 'N' }, 60, 1, { alpha: 0.3, sigma: 2, l: 50 }, 1);
    const fit = fitEts(y, 1);
    const q = etsQuantiles(fit, 6, [0.05, 0.5, 0.95]);
    const point = etsPoint(fit, 6);
    for (let i = 0; i < 6; i++) {
      expect(q.quantiles[0]![i]!).toBeLessThan(point[i]!);
      expect(q.quantiles[1]![i]!).toBeCloseTo(point[i]!, 8);
      expect(q.quantiles[2]![i]!).toBeGreaterThan(point[i]!);
    }
    expect(q.quantiles[2]![5]! - q.quantiles[0]![5]!).toBeGreaterThan(q.quantiles[2]![0]! - q.quantiles[0]![0]!);
  });
});
