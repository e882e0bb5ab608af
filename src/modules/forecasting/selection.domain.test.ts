import { describe, expect, it } from 'vitest';
import { forecastSeries } from './forecasting.domain.js';
import { FIT_WINDOW, adjustmentFor, fitArimaAdjusted, fitEtsAdjusted } from './auto.domain.js';
import { forecastsFromOrigin, inverseErrorWeights, validate, validationPlan, type CandidateForms } from './selection.domain.js';
import { normalSampler, rng } from './stats.domain.js';

/** The weights the automatic choice reports in its model string, by member. */
function weightsOf(model: string): Record<string, number> {
  expect(model).toMatch(/^weighted mean \(rolling-origin weights\) of /);
  const out: Record<string, number> = {};
  for (const [, name, w] of model.matchAll(/(Theta|ETS|ARIMA|seasonal naive)(?:\([^)]*\))?[^,]*? (\d\.\d\d)(?=, |$)/g)) out[name!] = Number(w);
  return out;
}

const noise = normalSampler(rng(7));
const A = [10, 12, 15, 20, 28, 35, 40, 38, 30, 22, 15, 11];
const B = [30, 25, 20, 15, 12, 10, 12, 15, 20, 25, 30, 35];

describe('weights by rolling-origin validation', () => {
  it('gives the seasonal naive most weight when the seasonal pattern has changed', () => {
    // Four years of one pattern, then four of another: fixed seasonal indexes average the two.
    const y = Array.from({ length: 96 }, (_, t) => 100 + 3 * (t < 48 ? A : B)[t % 12]! + noise());
    const f = forecastSeries({ values: y, frequency: 12 }, { horizon: 12 });
    const w = weightsOf(f.model);
    expect(w['seasonal naive']).toBeGreaterThan(0.6);
    // And the forecast follows the new pattern (low in month 6, high in month 12).
    expect(f.point[11]! - f.point[5]!).toBeGreaterThan(40);
  });

  it('gives the trend models most weight on a straight trend, and Theta (half the slope) little', () => {
    const y = Array.from({ length: 40 }, (_, t) => 50 + 3 * t + 2 * noise());
    const f = forecastSeries({ values: y, frequency: 1 }, { horizon: 6 });
    const w = weightsOf(f.model);
    expect(w.ETS! + w.ARIMA!).toBeGreaterThan(0.7);
    expect(w.Theta).toBeLessThan(0.25);
    // Six steps ahead lie on the line (t = 45: 185), not flat at the last value.
    expect(Math.abs(f.point[5]! - 185)).toBeLessThan(8);
  });

  it('gives the seasonal naive almost nothing on a trend with a faint season', () => {
    const y = Array.from({ length: 72 }, (_, t) => 50 + 3 * t + 2 * Math.sin((2 * Math.PI * t) / 12) + 2 * noise());
    const w = weightsOf(forecastSeries({ values: y, frequency: 12 }, { horizon: 12 }).model);
    expect(w['seasonal naive']).toBeLessThan(0.1);
  });

  it('keeps the weights near equal on a stable season, where every member does about as well', () => {
    const y = Array.from({ length: 96 }, (_, t) => 100 + 3 * A[t % 12]! + 2 * noise());
    const w = Object.values(weightsOf(forecastSeries({ values: y, frequency: 12 }, { horizon: 12 }).model));
    expect(w).toHaveLength(4);
    for (const x of w) expect(x).toBeGreaterThan(0.15);
  });

  it('falls back to the equal-weight mean on a series too short to validate', () => {
    const f = forecastSeries({ values: [5, 7, 6, 8, 9, 7, 8, 10], frequency: 1 }, { horizon: 6 });
    expect(f.model).toMatch(/^mean of Theta, ETS/);
  });

  it('forecasts weekly data given 52.18 weeks a year, following the yearly wave', () => {
    const y = Array.from({ length: 300 }, (_, t) => 500 + 100 * Math.sin((2 * Math.PI * t) / 52.18) + 10 * noise());
    const f = forecastSeries({ values: y, frequency: 52.18 }, { horizon: 13 });
    expect(f.model).toMatch(/seasonally adjusted/);
    // Weeks 300…312 climb the wave from about 400 to about 490.
    expect(f.point[12]! - f.point[0]!).toBeGreaterThan(40);
    expect(f.point.every(Number.isFinite)).toBe(true);
  });
});

describe('the validation itself', () => {
  it('places its origins inside the training part, leaving enough data before them', () => {
    expect(validationPlan(100, 12, 18)).toEqual({ origins: [64, 73, 82], horizon: 18 });
    // A quarter of a short series at most, and no origin before two seasons and a bit.
    expect(validationPlan(30, 4, 8)).toEqual({ origins: [15, 19, 23], horizon: 7 });
    expect(validationPlan(12, 12, 18).origins).toEqual([]);
    expect(validationPlan(14, 1, 6)).toEqual({ origins: [9, 11], horizon: 3 });
  });

  it('forecasts from an origin with the data before it only', () => {
    const y = Float64Array.from({ length: 80 }, (_, t) => 100 + 3 * A[t % 12]! + t + noise());
    const sa = adjustmentFor(y, 12);
    const forms: CandidateForms = { ets: fitEtsAdjusted(sa).fit, arima: fitArimaAdjusted(sa).fit, start: 0, seasonal: sa.seasonal };
    const before = forecastsFromOrigin(y, 12, 60, 12, forms);
    const changed = Float64Array.from(y, (v, t) => (t >= 60 ? v * 5 : v));
    expect(forecastsFromOrigin(changed, 12, 60, 12, forms)).toEqual(before);
    expect(Object.keys(before).sort()).toEqual(['arima', 'ets', 'snaive', 'theta']);
  });

  it('weighs by the inverse of the mean scaled error, leaving out members missing at an origin', () => {
    expect(inverseErrorWeights({ errors: { theta: 1, ets: 0.5 }, origins: 3 }, ['theta', 'ets', 'arima'])).toEqual({ theta: 1 / 3, ets: 2 / 3 });
    expect(inverseErrorWeights({ errors: { theta: 1 }, origins: 3 }, ['theta', 'ets'])).toBeUndefined();
    expect(inverseErrorWeights({ errors: {}, origins: 0 }, ['theta', 'ets'])).toBeUndefined();
    const y = Float64Array.from({ length: 60 }, (_, t) => 10 + t + noise());
    const sa = adjustmentFor(y, 1);
    const v = validate(y, 1, validationPlan(60, 1, 6), { ets: fitEtsAdjusted(sa).fit, start: 0, seasonal: false });
    expect(v.origins).toBe(3);
    expect(Object.keys(v.errors).sort()).toEqual(['ets', 'theta']);
  });

  it('fits ETS and ARIMA on the last FIT_WINDOW values of a long series and stays finite', () => {
    let level = 1000;
    const y = Array.from({ length: 1000 }, (_, t) => (level += 5 * noise()) + 40 * Math.sin((2 * Math.PI * t) / 52.18));
    const f = forecastSeries({ values: y, frequency: 52 }, { horizon: 13 });
    expect(FIT_WINDOW).toBeLessThan(y.length);
    expect(f.point.every(Number.isFinite)).toBe(true);
    expect(Math.abs(f.point[0]! - y[999]!)).toBeLessThan(100);
  });
});
