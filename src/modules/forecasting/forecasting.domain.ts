/**
 * One entry point for every forecasting method: validates the series, fills missing values,
 * dispatches, and guarantees the output contract (finite numbers, quantiles non-decreasing
 * in the level, non-negative when demand cannot be negative). Pure.
 */
import {
  DEFAULT_LEVELS,
  ForecastError,
  type Forecast,
  type ForecastMethod,
  type ForecastOptions,
  type SeriesInput,
} from './forecasting.contract.js';
import { forecastArima, forecastAuto, forecastTheta, type MethodOutput } from './auto.domain.js';
import { baselinePoint, baselineQuantiles, fitNaive, fitSeasonalNaive } from './baseline.domain.js';
import { etsName, etsPoint, etsQuantiles, fitEts } from './ets.domain.js';
import { fitCroston, fitTsb, intermittentQuantiles, type IntermittentFit } from './intermittent.domain.js';
import { fitSes } from './theta.domain.js';
import { fillMissing, isConstant } from './stats.domain.js';


const METHODS: readonly ForecastMethod[] = ['auto', 'ets', 'arima', 'theta', 'snaive', 'naive', 'ses', 'croston', 'sba', 'tsb'];

export function isForecastMethod(s: string): s is ForecastMethod {
  return (METHODS as readonly string[]).includes(s);
}

function validate(input: SeriesInput, options: ForecastOptions): { y: Float64Array; m: number; h: number; levels: number[] } {
  const h = options.horizon;
  if (!Number.isInteger(h) || h < 1) throw new ForecastError('invalid_horizon', `horizon must be a whole number ≥ 1, got ${h}`);
  if (h > 10_000) throw new ForecastError('invalid_horizon', `horizon ${h} is too long (at most 10000)`);
  const f = input.frequency;
  if (typeof f !== 'number' || !Number.isFinite(f) || f < 1 || f > 10_000) throw new ForecastError('invalid_option', `frequency must be a number from 1 to 10000, got ${f}`);
  // A non-integer season (52.18 weeks a year) is forecast with the nearest whole period, as R's
  // seasonal methods round it; the pattern drifts by 0.18 weeks a year, well under a week over
  // the few seasons the seasonal test and indexes rest on.
  const m = Math.round(f);
  const levels = [...new Set(options.levels ?? DEFAULT_LEVELS)].sort((a, b) => a - b);
  if (levels.length === 0 || levels.some((p) => !(p > 0 && p < 1))) {
    throw new ForecastError('invalid_option', `quantile levels must lie strictly between 0 and 1, got ${levels.join(', ')}`);
  }
  const values = input.values;
  if (values.length === 0) throw new ForecastError('invalid_series', 'the series is empty');
  let observed = 0;
  for (const v of values) {
    if (v === null) continue;
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new ForecastError('invalid_series', `the series has a non-numeric value: ${String(v)}`);
    observed++;
  }
  if (observed === 0) throw new ForecastError('invalid_series', 'every value of the series is missing');
  return { y: fillMissing(values), m, h, levels };
}

function flat(value: number, h: number, levels: readonly number[], model: string): MethodOutput {
  const row = new Array<number>(h).fill(value);
  return { model, point: row, quantiles: levels.map(() => row.slice()), cumulative: levels.map(() => row.map((v, i) => v * (i + 1))) };
}

function intermittent(fit: IntermittentFit, h: number, levels: readonly number[], model: string): MethodOutput {
  return { model, point: new Array<number>(h).fill(fit.rate), ...intermittentQuantiles(fit, h, levels) };
}

function run(method: ForecastMethod, y: Float64Array, m: number, h: number, levels: number[], withTotals = false): MethodOutput {
  const n = y.length;
  if (isConstant(y)) return flat(y[0]!, h, levels, `constant (${method})`);
  switch (method) {
    case 'auto':
      return forecastAuto(y, m, h, levels, withTotals);
    case 'ets': {
      const fit = fitEts(y, m);
      return { model: etsName(fit), point: etsPoint(fit, h), ...etsQuantiles(fit, h, levels) };
    }
    case 'arima':
      return forecastArima(y, m, h, levels);
    case 'theta':
      return forecastTheta(y, m, h, levels);
    case 'ses': {
      const fit = fitSes(y);
      return { model: 'SES', point: etsPoint(fit, h), ...etsQuantiles(fit, h, levels) };
    }
    case 'naive':
    case 'snaive': {
      const fit = method === 'naive' || n < m ? fitNaive(y) : fitSeasonalNaive(y, m);
      return { model: fit.m > 1 ? 'seasonal naive' : 'naive', point: baselinePoint(fit, h), ...baselineQuantiles(fit, h, levels) };
    }
    case 'croston':
    case 'sba':
      return intermittent(fitCroston(y, method), h, levels, method === 'sba' ? 'SBA' : 'Croston');
    case 'tsb':
      return intermittent(fitTsb(y), h, levels, 'TSB');
  }
}

function finite(out: MethodOutput): boolean {
  const ok = (r: number[]) => r.every(Number.isFinite);
  return ok(out.point) && out.quantiles.every(ok) && out.cumulative.every(ok) && (out.totals ?? []).every((t) => t.step > 0 && ok(t.pmf));
}

/**
 * Forecasts one series. Throws ForecastError for unusable input (empty or all-missing
 * series, bad horizon, frequency or levels); otherwise always returns finite numbers.
 */
export function forecastSeries(input: SeriesInput, options: ForecastOptions & { method?: ForecastMethod }): Forecast {
  const { y, m, h, levels } = validate(input, options);
  const method = options.method ?? 'auto';
  let nonNegative = options.nonNegative;
  if (nonNegative === undefined) nonNegative = y.every((v) => v >= 0);
  let out: MethodOutput;
  try {
    out = run(method, y, m, h, levels, options.distribution ?? false);
    if (!finite(out)) throw new Error('non-finite forecast');
  } catch (err) {
    if (err instanceof ForecastError && err.code !== 'invalid_series') throw err;
    // Too little or degenerate data for the method: fall back to the naive forecast.
    out = run('naive', y, m, h, levels);
    out.model = `naive (fallback from ${method})`;
  }
  const clamp = (v: number) => (nonNegative ? Math.max(0, v) : v);
  const monotone = (rows: number[][]) => {
    const res = rows.map((r) => r.map(clamp));
    for (let i = 0; i < h; i++) for (let k = 1; k < res.length; k++) if (res[k]![i]! < res[k - 1]![i]!) res[k]![i] = res[k - 1]![i]!;
    return res;
  };
  return {
    method,
    model: out.model,
    point: out.point.map(clamp),
    levels,
    quantiles: monotone(out.quantiles),
    cumulative: monotone(out.cumulative),
    ...(out.totals ? { totals: out.totals } : {}),
  };
}
