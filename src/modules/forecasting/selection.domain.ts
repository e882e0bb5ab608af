/**
 * Per-series weights by rolling-origin validation inside the training data
 * (docs/decisions/036-forecast-weights-by-rolling-origin.md). The members are fitted once on
 * the whole training part (ETS chosen by AICc, ARIMA orders by the stepwise search); at a few
 * origins at the end of the training part each member forecasts from the data before the
 * origin (Theta refitted; ETS and ARIMA with their fitted parameters run over that data, no
 * new search) and is scored on the values after it by the scaled absolute error. Each member's
 * weight is the inverse of its mean scaled error over the origins. Pure.
 */
import { arimaOnData, arimaPoint, type ArimaFit } from './arima.domain.js';
import { fitSeasonalNaive, baselinePoint } from './baseline.domain.js';
import { etsOnData, etsPoint, type EtsFit } from './ets.domain.js';
import { fitTheta, seasonalAdjust, thetaPoint } from './theta.domain.js';

/**
 * The members fitted on the whole training part, run over the data before each origin: ETS and
 * ARIMA were fitted on the adjusted values from `start` on; `seasonal` is the whole part's
 * decision to adjust (kept at the origins, where only the indexes are re-estimated).
 */
export type CandidateForms = { ets?: EtsFit; arima?: ArimaFit; start: number; seasonal: boolean };

export type CandidateName = 'theta' | 'ets' | 'arima' | 'snaive';

/** Point forecasts of each candidate from one origin (undefined: could not be fitted there). */
export type OriginForecasts = Partial<Record<CandidateName, number[]>>;

export type ValidationPlan = { origins: number[]; horizon: number };

/**
 * Where to validate: up to `count` origins, the last one `horizon` steps before the end, each a
 * `step` earlier; the validation horizon is the forecast horizon, cut to a quarter of the
 * series (short series keep their data for fitting). Origins leave at least `minTrain` values
 * before them; none fit → no validation (the caller keeps its default).
 */
export function validationPlan(n: number, m: number, h: number, count = 3): ValidationPlan {
  const horizon = Math.max(1, Math.min(h, Math.floor(n / 4)));
  const minTrain = Math.max(8, m > 1 && m <= 24 ? 2 * m + 2 : 8);
  const step = Math.max(1, Math.ceil(horizon / 2));
  const origins: number[] = [];
  for (let k = 0; k < count; k++) {
    const o = n - horizon - k * step;
    if (o >= minTrain) origins.unshift(o);
  }
  return { origins, horizon };
}

/** The MASE scale of the data before an origin: mean |y_t − y_{t−m}|, lag 1 when too short or flat. */
export function scaleOf(y: ArrayLike<number>, m: number, to: number): number {
  const at = (lag: number) => {
    let s = 0;
    let c = 0;
    for (let t = lag; t < to; t++) {
      s += Math.abs(y[t]! - y[t - lag]!);
      c++;
    }
    return c ? s / c : 0;
  };
  const seasonal = m > 1 && to > m ? at(m) : 0;
  return seasonal > 0 ? seasonal : at(1);
}

/**
 * Forecasts of every candidate from one origin: the data before it are seasonally adjusted
 * afresh (the whole part's decision to adjust, indexes re-estimated); Theta and the seasonal naive are refitted on
 * them (they cost microseconds); ETS and ARIMA keep the whole part's fitted parameters and are
 * only run over the adjusted data before the origin (a refit would cost a search per origin).
 */
export function forecastsFromOrigin(
  y: Float64Array,
  m: number,
  origin: number,
  h: number,
  forms: CandidateForms,
): OriginForecasts {
  const x = y.subarray(0, origin);
  const sa = seasonalAdjust(x, m, forms.seasonal);
  const recent = sa.adjusted.subarray(Math.min(forms.start, origin));
  const scale = Array.from({ length: h }, (_, i) => sa.seasonNext[i % sa.m]!);
  const out: OriginForecasts = {};
  try {
    out.theta = thetaPoint(fitTheta(x, m, sa), h);
  } catch {
    // Left out at this origin.
  }
  if (forms.ets) {
    const fit = etsOnData(forms.ets, recent);
    if (fit) out.ets = etsPoint(fit, h).map((v, i) => v * scale[i]!);
  }
  if (forms.arima) {
    const fit = arimaOnData(forms.arima, recent);
    if (fit) out.arima = arimaPoint(fit, h).map((v, i) => v * scale[i]!);
  }
  if (m > 1 && origin >= m) out.snaive = baselinePoint(fitSeasonalNaive(x, m), h);
  for (const k of Object.keys(out) as CandidateName[]) if (!out[k]!.every(Number.isFinite)) delete out[k];
  return out;
}

export type Validation = { errors: Partial<Record<CandidateName, number>>; origins: number };

/**
 * Mean scaled absolute error of each candidate over the plan's origins; a candidate missing at
 * any origin is left out (its error would rest on fewer windows than the others').
 */
export function validate(
  y: Float64Array,
  m: number,
  plan: ValidationPlan,
  forms: CandidateForms,
): Validation {
  const sums = new Map<CandidateName, number>();
  const counts = new Map<CandidateName, number>();
  let used = 0;
  for (const o of plan.origins) {
    const scale = scaleOf(y, m, o);
    if (!(scale > 0)) continue;
    used++;
    const f = forecastsFromOrigin(y, m, o, plan.horizon, forms);
    for (const [name, point] of Object.entries(f) as [CandidateName, number[]][]) {
      let e = 0;
      for (let i = 0; i < plan.horizon; i++) e += Math.abs(y[o + i]! - point[i]!);
      sums.set(name, (sums.get(name) ?? 0) + e / plan.horizon / scale);
      counts.set(name, (counts.get(name) ?? 0) + 1);
    }
  }
  const errors: Partial<Record<CandidateName, number>> = {};
  for (const [name, s] of sums) if (counts.get(name) === used) errors[name] = s / used;
  return { errors, origins: used };
}

/**
 * Inverse-error weights (Bates & Granger's idea with the error measure the forecasts are judged
 * by): a member's weight is 1 / its mean scaled error, normalised to sum to 1. Members without a
 * validation error get none; fewer than two validated members → undefined (no evidence to weigh
 * by; the caller keeps equal weights). Errors are floored so a perfect fit cannot take it all.
 */
export function inverseErrorWeights(v: Validation, members: readonly CandidateName[]): Partial<Record<CandidateName, number>> | undefined {
  if (v.origins === 0) return undefined;
  const ok = members.filter((k) => Number.isFinite(v.errors[k]));
  if (ok.length < 2) return undefined;
  const raw = ok.map((k) => 1 / Math.max(v.errors[k]!, 1e-3));
  const total = raw.reduce((s, x) => s + x, 0);
  return Object.fromEntries(ok.map((k, i) => [k, raw[i]! / total]));
}
