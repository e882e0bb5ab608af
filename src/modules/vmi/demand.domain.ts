/**
 * Demand over calendar days for replenishment (decision 030): a forecast per period (a week, a
 * month, a day) or a static daily rate, read from an order date as running totals over whole days,
 * so that lead times, visit gaps and closures in days can use the forecasting engine's
 * order-up-to rules (src/modules/forecasting/replenishment.domain.ts). Pure.
 */
import { DEFAULT_LEVELS } from '../forecasting/forecasting.contract.js';
import type { QuantileForecast } from '../forecasting/replenishment.domain.js';
import { qnorm } from '../forecasting/stats.domain.js';
import { daysFrom, VmiError } from './calendar.domain.js';

/** A forecast per period starting on `start` (period i covers days [start + i·periodDays, start + (i+1)·periodDays)). */
export type PeriodForecast = {
  start: string;
  periodDays: number;
  levels: readonly number[];
  /** Mean demand per period. */
  point: readonly number[];
  /** quantiles[k][i]: quantile levels[k] of the demand in period i. */
  quantiles: readonly (readonly number[])[];
  /** cumulative[k][i]: quantile levels[k] of the total over periods 0..i, when the method says. */
  cumulative?: readonly (readonly number[])[];
};

/** What a line's demand is read from: a forecast, or a static daily rate (sd per day: its spread; none = certain). */
export type DemandInput = { kind: 'forecast'; forecast: PeriodForecast } | { kind: 'rate'; perDay: number; sdPerDay?: number };

/**
 * Running demand totals from the order date: mean[j] is the expected demand over days [0, j),
 * spread[k][j] the signed distance of quantile levels[k] of that total from the mean, kept as a
 * variance (spread²) so that parts of periods add up as independent days would.
 */
export type DemandCurve = {
  levels: readonly number[];
  mean: Float64Array;
  /** spread² per level at each day boundary. */
  variance: Float64Array[];
  /** Sign of each level's spread (− below the mean, + above). */
  sign: number[];
  /** Days the source covers from the order date; beyond them its last period repeats. */
  coveredDays: number;
};

/**
 * The demand curve from `asOf` over `days` days. Within a period demand and variance accrue
 * evenly by day; a forecast that started before `asOf` loses the part already elapsed
 * (independent increments: variance is subtracted, not quantiles); beyond the forecast's horizon
 * its last period repeats, so a long closure can still be covered (and says so, see `coveredDays`).
 */
export function demandCurve(demand: DemandInput, asOf: string, days: number): DemandCurve {
  if (!Number.isInteger(days) || days < 0) throw new VmiError('invalid_input', `days must be a whole number ≥ 0, got ${days}`);
  if (demand.kind === 'rate') return rateCurve(demand.perDay, demand.sdPerDay ?? 0, days);
  const f = demand.forecast;
  const pd = f.periodDays;
  if (!(Number.isInteger(pd) && pd >= 1)) throw new VmiError('invalid_input', `periodDays must be a whole number ≥ 1, got ${pd}`);
  const h = f.point.length;
  if (h === 0) throw new VmiError('invalid_input', 'the forecast has no periods');
  const offset = daysFrom(f.start, asOf);
  if (offset < 0) throw new VmiError('invalid_input', `the forecast starts on ${f.start}, after the order date ${asOf}`);
  const levels = f.levels;
  // Totals at period boundaries n = 0..h: mean and, per level, signed spread².
  const m = new Float64Array(h + 1);
  for (let i = 0; i < h; i++) m[i + 1] = m[i]! + Math.max(0, f.point[i]!);
  const v = levels.map((_, k) => {
    const out = new Float64Array(h + 1);
    for (let n = 1; n <= h; n++) {
      if (f.cumulative) out[n] = (f.cumulative[k]![n - 1]! - m[n]!) ** 2;
      else out[n] = out[n - 1]! + (f.quantiles[k]![n - 1]! - Math.max(0, f.point[n - 1]!)) ** 2;
    }
    return out;
  });
  const sign = levels.map((p, k) => {
    const s = f.cumulative ? f.cumulative[k]![h - 1]! - m[h]! : f.quantiles[k]![h - 1]! - f.point[h - 1]!;
    return s === 0 ? Math.sign(p - 0.5) : Math.sign(s);
  });
  // Value at real time t (days from the forecast's start), by even accrual inside a period.
  const at = (arr: Float64Array, t: number) => {
    const x = t / pd;
    const n = Math.min(Math.floor(x), h - 1);
    return arr[n]! + (x - n) * (arr[n + 1]! - arr[n]!);
  };
  const mean = new Float64Array(days + 1);
  const variance = levels.map(() => new Float64Array(days + 1));
  const m0 = at(m, offset);
  const v0 = v.map((a) => at(a, offset));
  for (let j = 0; j <= days; j++) {
    mean[j] = at(m, offset + j) - m0;
    for (let k = 0; k < levels.length; k++) variance[k]![j] = Math.max(0, at(v[k]!, offset + j) - v0[k]!);
  }
  return { levels, mean, variance, sign, coveredDays: Math.max(0, h * pd - offset) };
}

function rateCurve(perDay: number, sd: number, days: number): DemandCurve {
  if (!(perDay >= 0) || !(sd >= 0)) throw new VmiError('invalid_input', `a daily rate and its spread cannot be negative (rate ${perDay}, sd ${sd})`);
  const levels = DEFAULT_LEVELS;
  const mean = new Float64Array(days + 1);
  const z = levels.map((p) => qnorm(p));
  const variance = levels.map(() => new Float64Array(days + 1));
  for (let j = 0; j <= days; j++) {
    mean[j] = perDay * j;
    for (let k = 0; k < levels.length; k++) variance[k]![j] = z[k]! ** 2 * sd ** 2 * j;
  }
  return { levels, mean, variance, sign: z.map((x) => Math.sign(x)), coveredDays: Infinity };
}

/** Expected demand over days [a, b) from the order date (beyond the curve: its last day's rate repeats). */
export function meanOver(c: DemandCurve, a: number, b: number): number {
  return meanAt(c, b) - meanAt(c, a);
}

function meanAt(c: DemandCurve, j: number): number {
  const n = c.mean.length - 1;
  if (j <= n) return c.mean[j]!;
  const last = n > 0 ? c.mean[n]! - c.mean[n - 1]! : 0;
  return c.mean[n]! + (j - n) * last;
}

/** Expected demand per day over days [a, a + window) (for days of supply). */
export function ratePerDay(c: DemandCurve, a: number, window = 28): number {
  return meanOver(c, a, a + window) / window;
}

/**
 * The first `days` days of the curve as a forecast with one period per day (point, per-day
 * quantiles, cumulative quantiles), the shape `orderUpToLevel` reads.
 */
export function dailyForecast(c: DemandCurve, days: number): QuantileForecast & { point: number[]; cumulative: number[][] } {
  if (days >= c.mean.length) throw new VmiError('invalid_input', `the demand curve covers ${c.mean.length - 1} days; ${days} asked`);
  const point: number[] = [];
  for (let j = 0; j < days; j++) point.push(c.mean[j + 1]! - c.mean[j]!);
  const quantiles: number[][] = [];
  const cumulative: number[][] = [];
  c.levels.forEach((_, k) => {
    const v = c.variance[k]!;
    const s = c.sign[k]!;
    const q: number[] = [];
    const cum: number[] = [];
    for (let j = 0; j < days; j++) {
      q.push(Math.max(0, point[j]! + s * Math.sqrt(Math.max(0, v[j + 1]! - v[j]!))));
      cum.push(Math.max(0, c.mean[j + 1]! + s * Math.sqrt(v[j + 1]!)));
    }
    quantiles.push(q);
    cumulative.push(cum);
  });
  // Quantiles non-decreasing in the level, as the engine guarantees.
  for (const rows of [quantiles, cumulative]) for (let k = 1; k < rows.length; k++) for (let j = 0; j < days; j++) rows[k]![j] = Math.max(rows[k]![j]!, rows[k - 1]![j]!);
  return { levels: [...c.levels], point, quantiles, cumulative };
}
