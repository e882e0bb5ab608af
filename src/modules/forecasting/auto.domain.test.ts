import { describe, expect, it } from 'vitest';
import { forecastSeries } from './forecasting.domain.js';
import { normalSampler, rng } from './stats.domain.js';

describe('the automatic choice', () => {
  const normal = normalSampler(rng(11));
  // Three years of weekly demand with a yearly pattern and a slow trend.
  const weekly = Array.from({ length: 156 }, (_, t) => 200 + 0.3 * t + 40 * Math.sin((2 * Math.PI * t) / 52) + 8 * normal());

  it('forecasts weekly series (52 weeks a season) from Theta, ETS and ARIMA on seasonally adjusted data and the seasonal naive', () => {
    const f = forecastSeries({ values: weekly, frequency: 52 }, { horizon: 13 });
    expect(f.model).toMatch(/^weighted mean \(rolling-origin weights\) of Theta \(seasonally adjusted\) [.0-9]+, ETS\(.*\) on seasonally adjusted data [.0-9]+, ARIMA\(.*\).* on seasonally adjusted data [.0-9]+, seasonal naive [.0-9]+$/);
    // It follows the season: the next 13 weeks (a rising quarter of the yearly wave) rise.
    expect(f.point[12]! - f.point[0]!).toBeGreaterThan(20);
    for (let k = 1; k < f.levels.length; k++) f.quantiles[k]!.forEach((v, i) => expect(v).toBeGreaterThanOrEqual(f.quantiles[k - 1]![i]!));
  });

  it('keeps TSB for intermittent demand', () => {
    const y = Array.from({ length: 48 }, (_, t) => (t % 4 === 0 ? 3 : 0));
    expect(forecastSeries({ values: y, frequency: 12 }, { horizon: 6 }).model).toBe('TSB');
  });

  it('still forecasts a series too short for ARIMA or ETS', () => {
    const f = forecastSeries({ values: [5, 7, 6], frequency: 12 }, { horizon: 3 });
    expect(f.point.every(Number.isFinite)).toBe(true);
  });
});
