import { describe, expect, it } from 'vitest';
import { arimaPoint, arimaQuantiles, autoArima, fitArimaModel, kpssStatistic, ndiffs, nsdiffs, rootsOutside } from './arima.domain.js';
import { forecastSeries } from './forecasting.domain.js';
import { rng, normalSampler } from './stats.domain.js';

/**
 * R's own data sets (datasets package), with what R 4.2.2 + forecast 8.20 gives for
 * auto.arima(x) and forecast(fit, h = 6)$mean. Our port follows R's optimiser move by move,
 * so orders match exactly. R keeps the differenced-away states in the filter with a large but
 * finite prior variance (1e6) where we difference exactly, which moves the likelihood of a
 * seasonally differenced model by about 0.002: hence AICc to 0.01 and forecasts to 1e-4.
 */
const LH = [2.4, 2.4, 2.4, 2.2, 2.1, 1.5, 2.3, 2.3, 2.5, 2, 1.9, 1.7, 2.2, 1.8, 3.2, 3.2, 2.7, 2.2, 2.2, 1.9, 1.9, 1.8, 2.7, 3, 2.3, 2, 2, 2.9, 2.9, 2.7, 2.7, 2.3, 2.6, 2.4, 1.8, 1.7, 1.5, 1.4, 2.1, 3.3, 3.5, 3.5, 3.1, 2.6, 2.1, 3.4, 3, 2.9];
const WWW = [88, 84, 85, 85, 84, 85, 83, 85, 88, 89, 91, 99, 104, 112, 126, 138, 146, 151, 150, 148, 147, 149, 143, 132, 131, 139, 147, 150, 148, 145, 140, 134, 131, 131, 129, 126, 126, 132, 137, 140, 142, 150, 159, 167, 170, 171, 172, 172, 174, 175, 172, 172, 174, 174, 169, 165, 156, 142, 131, 121, 112, 104, 102, 99, 99, 95, 88, 84, 84, 87, 89, 88, 85, 86, 89, 91, 91, 94, 101, 110, 121, 135, 145, 149, 156, 165, 171, 175, 177, 182, 193, 204, 208, 210, 215, 222, 228, 226, 222, 220];
const USACC = [9007, 8106, 8928, 9137, 10017, 10826, 11317, 10744, 9713, 9938, 9161, 8927, 7750, 6981, 8038, 8422, 8714, 9512, 10120, 9823, 8743, 9129, 8710, 8680, 8162, 7306, 8124, 7870, 9387, 9556, 10093, 9620, 8285, 8466, 8160, 8034, 7717, 7461, 7767, 7925, 8623, 8945, 10078, 9179, 8037, 8488, 7874, 8647, 7792, 6957, 7726, 8106, 8890, 9299, 10625, 9302, 8314, 8850, 8265, 8796, 7836, 6892, 7791, 8192, 9115, 9434, 10484, 9827, 9110, 9070, 8633, 9240];

const R_CASES = [
  { name: 'lh', y: LH, m: 1, order: [1, 0, 0, 0, 0, 0], constant: true, aicc: 65.30377932, forecast: [2.692626406, 2.573608562, 2.505300698, 2.466096793, 2.443596512, 2.430682934] },
  { name: 'WWWusage', y: WWW, m: 1, order: [1, 1, 1, 0, 0, 0], constant: false, aicc: 514.5521032, forecast: [218.8804967, 218.1523987, 217.6788612, 217.3708838, 217.1705828, 217.0403117] },
  { name: 'USAccDeaths', y: USACC, m: 12, order: [0, 1, 1, 0, 1, 1], constant: false, aicc: 857.3163507, forecast: [8336.061266, 7531.829141, 8314.64376, 8616.868756, 9488.912522, 9859.75736] },
];

describe('auto.arima against R', () => {
  for (const c of R_CASES) {
    it(`chooses R's model for ${c.name} and forecasts what R forecasts`, () => {
      const fit = autoArima(c.y, c.m);
      const s = fit.spec;
      expect([s.p, s.d, s.q, s.P, s.D, s.Q]).toEqual(c.order);
      expect(s.constant).toBe(c.constant);
      expect(Math.abs(fit.aicc - c.aicc)).toBeLessThan(0.01);
      arimaPoint(fit, 6).forEach((v, i) => expect(Math.abs(v - c.forecast[i]!) / Math.abs(c.forecast[i]!), `step ${i + 1}`).toBeLessThan(1e-4));
    });
  }
});

describe('ARIMA building blocks', () => {
  const normal = normalSampler(rng(7));
  const walk: number[] = [];
  for (let t = 0, v = 100; t < 150; t++) walk.push((v += normal()));
  const noise = Array.from({ length: 150 }, () => normal());

  it('differences a random walk once and leaves white noise alone (KPSS at 5%)', () => {
    expect(kpssStatistic(walk)).toBeGreaterThan(0.463);
    expect(ndiffs(walk)).toBe(1);
    expect(ndiffs(noise)).toBe(0);
  });

  it('takes a seasonal difference only when the seasonal pattern is strong', () => {
    const seasonal = Array.from({ length: 96 }, (_, t) => 100 + 20 * Math.sin((2 * Math.PI * t) / 12) + noise[t]!);
    expect(nsdiffs(seasonal, 12)).toBe(1);
    expect(nsdiffs(noise.slice(0, 96), 12)).toBe(0);
  });

  it('tells stationary AR polynomials from explosive ones, with a margin', () => {
    expect(rootsOutside([0.5])).toBe(true);
    expect(rootsOutside([1.2])).toBe(false);
    expect(rootsOutside([0.995], 1.01)).toBe(false);
    expect(rootsOutside([0.5, 0.3])).toBe(true);
  });

  it('continues a drifting series with its drift and widens its intervals with the horizon', () => {
    const y = walk.map((v, t) => v + 0.5 * t);
    const fit = fitArimaModel(y, { p: 0, d: 1, q: 0, P: 0, D: 0, Q: 0, m: 1, constant: true })!;
    const f = arimaPoint(fit, 10);
    expect(f[9]! - f[0]!).toBeCloseTo(9 * fit.mu, 6);
    const q = arimaQuantiles(fit, 10, [0.1, 0.9]);
    expect(q.quantiles[1]![9]! - q.quantiles[0]![9]!).toBeGreaterThan(q.quantiles[1]![0]! - q.quantiles[0]![0]!);
    expect(q.cumulative[1]![9]!).toBeGreaterThan(q.cumulative[0]![9]!);
  });

  it('is available as the "arima" method and names the model it chose', () => {
    const f = forecastSeries({ values: LH, frequency: 1 }, { horizon: 12, method: 'arima' });
    expect(f.model).toBe('ARIMA(1,0,0) with non-zero mean');
    expect(f.point).toHaveLength(12);
  });
});
