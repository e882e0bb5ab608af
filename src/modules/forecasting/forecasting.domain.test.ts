import { describe, expect, it } from 'vitest';
import { forecastSeries } from './forecasting.domain.js';
import { ForecastError, type Forecast, type ForecastMethod } from './forecasting.contract.js';

const METHODS: ForecastMethod[] = ['auto', 'ets', 'theta', 'snaive', 'naive', 'ses', 'croston', 'sba', 'tsb'];

function expectWellFormed(f: Forecast, h: number): void {
  expect(f.point).toHaveLength(h);
  for (const row of [f.point, ...f.quantiles, ...(f.cumulative ?? [])]) {
    expect(row).toHaveLength(h);
    for (const v of row) expect(Number.isFinite(v)).toBe(true);
  }
  for (let i = 0; i < h; i++) {
    for (let k = 1; k < f.levels.length; k++) expect(f.quantiles[k]![i]!).toBeGreaterThanOrEqual(f.quantiles[k - 1]![i]!);
  }
}

const monthly = Array.from({ length: 60 }, (_, t) => 200 + 2 * t + 40 * Math.cos((2 * Math.PI * t) / 12) + ((t * 37) % 11));

describe('forecastSeries', () => {
  it('returns the default quantile levels 0.5, 0.8, 0.9, 0.95 and 0.99', () => {
    const f = forecastSeries({ values: monthly, frequency: 12 }, { horizon: 18 });
    expect(f.levels).toEqual([0.5, 0.8, 0.9, 0.95, 0.99]);
    expectWellFormed(f, 18);
  });

  it.each(METHODS)('gives finite, monotone quantiles with method %s on a seasonal series', (method) => {
    expectWellFormed(forecastSeries({ values: monthly, frequency: 12 }, { horizon: 18, method }), 18);
  });

  it.each(METHODS)('forecasts a series shorter than two seasons with method %s', (method) => {
    const f = forecastSeries({ values: monthly.slice(0, 15), frequency: 12 }, { horizon: 6, method });
    expectWellFormed(f, 6);
  });

  it.each(METHODS)('forecasts a three-value series with method %s', (method) => {
    expectWellFormed(forecastSeries({ values: [5, 7, 6], frequency: 12 }, { horizon: 4, method }), 4);
  });

  it('forecasts a single value as itself', () => {
    const f = forecastSeries({ values: [42], frequency: 1 }, { horizon: 3 });
    expect(f.point).toEqual([42, 42, 42]);
  });

  it.each(METHODS)('forecasts a constant series as that constant with method %s', (method) => {
    const f = forecastSeries({ values: new Array(30).fill(7), frequency: 4 }, { horizon: 5, method });
    expect(f.point).toEqual([7, 7, 7, 7, 7]);
    expectWellFormed(f, 5);
  });

  it.each(METHODS)('forecasts zero demand for an all-zero series with method %s', (method) => {
    const f = forecastSeries({ values: new Array(24).fill(0), frequency: 12 }, { horizon: 6, method });
    expect(f.point.every((v) => v === 0)).toBe(true);
    expect(f.quantiles.flat().every((v) => v === 0)).toBe(true);
  });

  it.each(METHODS)('allows negative forecasts for a series with negative values with method %s', (method) => {
    const y = Array.from({ length: 40 }, (_, t) => -50 - t + ((t * 13) % 7));
    const f = forecastSeries({ values: y, frequency: 4 }, { horizon: 8, method });
    expectWellFormed(f, 8);
    if (method !== 'croston' && method !== 'sba' && method !== 'tsb') expect(f.point[0]!).toBeLessThan(0);
  });

  it('never forecasts negative demand for a non-negative series falling to zero', () => {
    const y = Array.from({ length: 36 }, (_, t) => Math.max(0, 100 - 4 * t));
    const f = forecastSeries({ values: y, frequency: 12 }, { horizon: 12 });
    expect([...f.point, ...f.quantiles.flat()].every((v) => v >= 0)).toBe(true);
  });

  it.each(METHODS)('fills missing values before forecasting with method %s', (method) => {
    const y: (number | null)[] = monthly.slice();
    y[0] = null;
    y[10] = null;
    y[11] = null;
    y[59] = null;
    expectWellFormed(forecastSeries({ values: y, frequency: 12 }, { horizon: 12, method }), 12);
  });

  it('forecasts one step ahead', () => {
    const f = forecastSeries({ values: monthly, frequency: 12 }, { horizon: 1, method: 'ets' });
    expectWellFormed(f, 1);
  });

  it('sends a series with many zeros to the intermittent family', () => {
    const y = Array.from({ length: 48 }, (_, t) => (t % 3 === 0 ? 2 + (t % 5) : 0));
    expect(forecastSeries({ values: y, frequency: 12 }, { horizon: 6 }).model).toBe('TSB');
  });

  it('returns the exact distribution of the totals of an intermittent series only when asked', () => {
    const y = Array.from({ length: 48 }, (_, t) => (t % 3 === 0 ? 2 + (t % 5) : 0));
    const f = forecastSeries({ values: y, frequency: 12 }, { horizon: 6, distribution: true });
    expect(f.totals).toHaveLength(6);
    f.totals!.forEach((t, i) => {
      expect(t.pmf.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
      expect(t.pmf.reduce((a, w, j) => a + w * j * t.step, 0)).toBeCloseTo(f.point[0]! * (i + 1), 8);
    });
    expect(forecastSeries({ values: y, frequency: 12 }, { horizon: 6 }).totals).toBeUndefined();
    expect(forecastSeries({ values: monthly, frequency: 12 }, { horizon: 6, distribution: true }).totals).toBeUndefined();
  });

  it('weighs Theta, ETS, ARIMA and the seasonal naive for a regular series', () => {
    expect(forecastSeries({ values: monthly, frequency: 12 }, { horizon: 6 }).model).toMatch(/^weighted mean \(rolling-origin weights\) of Theta.*, ETS.*, ARIMA.*, seasonal naive/);
  });

  it('rejects a horizon of zero, a fraction or a negative number', () => {
    for (const horizon of [0, 1.5, -3]) {
      expect(() => forecastSeries({ values: monthly, frequency: 12 }, { horizon })).toThrow(ForecastError);
    }
    expect(() => forecastSeries({ values: monthly, frequency: 12 }, { horizon: 0 })).toThrow(/horizon/);
  });

  it('rejects an empty series and a series with every value missing', () => {
    expect(() => forecastSeries({ values: [], frequency: 1 }, { horizon: 3 })).toThrow(/empty/);
    expect(() => forecastSeries({ values: [null, null], frequency: 1 }, { horizon: 3 })).toThrow(/missing/);
  });

  it('rejects a frequency below 1 and quantile levels outside (0, 1)', () => {
    expect(() => forecastSeries({ values: monthly, frequency: 0 }, { horizon: 3 })).toThrow(/frequency/);
    expect(() => forecastSeries({ values: monthly, frequency: 12 }, { horizon: 3, levels: [0.5, 1] })).toThrow(/levels/);
  });

  it('rejects a non-finite value in the series', () => {
    expect(() => forecastSeries({ values: [1, Number.NaN, 3], frequency: 1 }, { horizon: 3 })).toThrow(/non-numeric/);
  });
});
