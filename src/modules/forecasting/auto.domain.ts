/**
 * The automatic choice (docs/decisions/029-forecast-choice-that-generalises.md and
 * 036-forecast-weights-by-rolling-origin.md). Intermittent series (many zeros) go to the
 * intermittent family; the rest get a weighted mean of forecasts of Theta's seasonally adjusted
 * data, reseasonalised — Theta, an ETS chosen by AICc among the non-seasonal models, a
 * non-seasonal ARIMA chosen by auto.arima's stepwise search — and, for m > 1, the seasonal
 * naive; each series' weights come from rolling-origin validation inside its training data
 * (selection.domain.ts). The members fail differently (trend extrapolation, damping,
 * autocorrelation, a moving season), nothing is tuned on a data set, and the same path serves
 * monthly, quarterly, yearly and weekly (m = 52) series within 10 ms.
 * See docs/benchmarks.md, section forecast, for M3 and the held-out sets. Pure.
 */
import { arimaName, arimaPoint, arimaQuantiles, autoArima, type ArimaFit } from './arima.domain.js';
import { defaultEtsModels, etsName, etsPoint, etsQuantiles, fitEts, type EtsFit } from './ets.domain.js';
import { fitTsb, intermittentDistributionQuantiles, isIntermittent } from './intermittent.domain.js';
import { fitTheta, seasonalAdjust, thetaPoint, thetaQuantiles, type SeasonalAdjustment } from './theta.domain.js';
import { seasonalStrength } from './stl.domain.js';
import { baselinePoint, baselineQuantiles, fitSeasonalNaive } from './baseline.domain.js';
import { inverseErrorWeights, validate, validationPlan, type CandidateForms, type CandidateName } from './selection.domain.js';
import type { DemandTotal } from './forecasting.contract.js';

export type MethodOutput = { model: string; point: number[]; quantiles: number[][]; cumulative: number[][]; totals?: DemandTotal[] };

/**
 * Averages forecasts and, level by level, their quantiles (a valid quantile function), with
 * equal weights or the given ones (any positive numbers; normalised here).
 */
export function combine(parts: MethodOutput[], model: string, weights?: readonly number[]): MethodOutput {
  const w = weights ?? parts.map(() => 1);
  const total = w.reduce((s, x) => s + x, 0);
  const avg = (rows: number[][]) => rows[0]!.map((_, i) => rows.reduce((s, r, j) => s + (w[j]! * r[i]!) / total, 0));
  return {
    model,
    point: avg(parts.map((p) => p.point)),
    quantiles: parts[0]!.quantiles.map((_, k) => avg(parts.map((p) => p.quantiles[k]!))),
    cumulative: parts[0]!.cumulative.map((_, k) => avg(parts.map((p) => p.cumulative[k]!))),
  };
}

/** Theta (as R's thetaf). */
export function forecastTheta(y: Float64Array, m: number, h: number, levels: readonly number[], sa?: SeasonalAdjustment): MethodOutput {
  const fit = fitTheta(y, m, sa);
  return { model: fit.seasonal ? 'Theta (seasonally adjusted)' : 'Theta', point: thetaPoint(fit, h), ...thetaQuantiles(fit, h, levels) };
}

/** Non-seasonal ETS (AICc) on Theta's seasonally adjusted data, reseasonalised. */
export function forecastEtsAdjusted(y: Float64Array, m: number, h: number, levels: readonly number[], adjustment?: SeasonalAdjustment): MethodOutput {
  return etsAdjustedOutput(fitEtsAdjusted(adjustment ?? seasonalAdjust(y, m)), h, levels);
}

/** The ETS member's fit: every non-seasonal form of R's space on the adjusted data, best AICc. */
export function fitEtsAdjusted(sa: SeasonalAdjustment): { fit: EtsFit; sa: SeasonalAdjustment } {
  const x = sa.adjusted;
  let positive = true;
  for (let i = 0; i < x.length; i++) if (!(x[i]! > 0)) positive = false;
  return { fit: fitEts(x, 1, { models: defaultEtsModels(1, x.length, positive) }), sa };
}

function etsAdjustedOutput({ fit, sa }: { fit: EtsFit; sa: SeasonalAdjustment }, h: number, levels: readonly number[]): MethodOutput {
  const scale = Array.from({ length: h }, (_, i) => sa.seasonNext[i % sa.m]!);
  return {
    model: `${etsName(fit)}${sa.seasonal ? ' on seasonally adjusted data' : ''}`,
    point: etsPoint(fit, h).map((v, i) => v * scale[i]!),
    ...etsQuantiles(fit, h, levels, scale),
  };
}

/** auto.arima as R's, seasonal orders included (the 'arima' method). */
export function forecastArima(y: Float64Array, m: number, h: number, levels: readonly number[]): MethodOutput {
  const fit = autoArima(y, m);
  return { model: arimaName(fit.spec), point: arimaPoint(fit, h), ...arimaQuantiles(fit, h, levels) };
}

/**
 * Non-seasonal auto.arima on Theta's seasonally adjusted data, reseasonalised; searched and fitted by
 * CSS (R's approximation without the final ML refit), which keeps the member near 5 ms.
 */
export function forecastArimaAdjusted(y: Float64Array, m: number, h: number, levels: readonly number[], adjustment?: SeasonalAdjustment): MethodOutput {
  return arimaAdjustedOutput(fitArimaAdjusted(adjustment ?? seasonalAdjust(y, m)), h, levels);
}

/** The ARIMA member's fit: non-seasonal auto.arima on the adjusted data, CSS only. */
export function fitArimaAdjusted(sa: SeasonalAdjustment): { fit: ArimaFit; sa: SeasonalAdjustment } {
  return { fit: autoArima(sa.adjusted, 1, { approximation: true, cssOnly: true }), sa };
}

function arimaAdjustedOutput({ fit, sa }: { fit: ArimaFit; sa: SeasonalAdjustment }, h: number, levels: readonly number[]): MethodOutput {
  const scale = Array.from({ length: h }, (_, i) => sa.seasonNext[i % sa.m]!);
  const q = arimaQuantiles(fit, h, levels);
  const point = arimaPoint(fit, h);
  // Per step: quantile × index. Totals: the reseasonalised mean plus the adjusted-scale spread
  // times the index of the last step (an approximation; indexes are close to 1 over a total).
  const quantiles = q.quantiles.map((r) => r.map((v, i) => v * scale[i]!));
  const cumulative = q.cumulative.map((r) => {
    let base = 0;
    let mean = 0;
    return r.map((v, i) => {
      base += point[i]!;
      mean += point[i]! * scale[i]!;
      return mean + (v - base) * scale[i]!;
    });
  });
  return {
    model: `${arimaName(fit.spec)}${sa.seasonal ? ' on seasonally adjusted data' : ''}`,
    point: point.map((v, i) => v * scale[i]!),
    quantiles,
    cumulative,
  };
}

/**
 * TSB point forecast with the exact compound-Bernoulli predictive distribution (hurdle shifted
 * Poisson sizes); with `withTotals`, the distribution of the running totals too.
 */
export function forecastIntermittent(y: Float64Array, h: number, levels: readonly number[], withTotals = false): MethodOutput {
  const fit = fitTsb(y);
  return { model: 'TSB', point: new Array<number>(h).fill(fit.rate), ...intermittentDistributionQuantiles(fit, h, levels, withTotals) };
}

/**
 * The seasonal adjustment the members share. Up to m = 12, thetaf's autocorrelation test (what
 * M3 results rest on). For longer seasons (weekly, m = 52) that test almost never fires — a
 * smooth yearly pattern makes every lag below m autocorrelated, which inflates its standard
 * error — so the STL seasonal strength decides, with auto.arima's threshold (> 0.64), measured
 * on the last STRENGTH_SEASONS seasons (STL's cost grows with the length; the decision is about
 * the pattern now).
 */
export function adjustmentFor(y: Float64Array, m: number): SeasonalAdjustment {
  if (m > 12 && y.length > 2 * m) {
    const recent = y.subarray(Math.max(0, y.length - STRENGTH_SEASONS * m));
    return seasonalAdjust(y, m, seasonalStrength(recent, m) > 0.64);
  }
  return seasonalAdjust(y, m);
}

const STRENGTH_SEASONS = 4;

/**
 * The ETS and ARIMA members estimate on at most the last FIT_WINDOW values of the adjusted
 * series: their search costs grow with the length (a 1,000-week series costs tens of ms), the
 * CPU budget is 10 ms a series, and the short horizons asked for depend on the recent level and
 * trend. 96 (8 years of months, 2 of weeks): on M3 monthly it costs 1.5 ms less than the whole
 * part (≤ 126 values) at the same MASE (0.840 against 0.843 on every third series).
 */
export const FIT_WINDOW = 96;

/**
 * The automatic choice: Theta, ETS and ARIMA on the seasonally adjusted data and, for seasonal
 * frequencies, the seasonal naive forecast, combined with per-series weights from rolling-origin
 * validation inside the training data (inverse mean scaled error, selection.domain.ts). When
 * the series is too short to validate, the equal-weight mean of Theta, ETS and ARIMA.
 */
export function forecastAuto(y: Float64Array, m: number, h: number, levels: readonly number[], withTotals = false): MethodOutput {
  if (isIntermittent(y)) return forecastIntermittent(y, h, levels, withTotals);
  const sa = adjustmentFor(y, m);
  const parts = new Map<CandidateName, MethodOutput>([['theta', forecastTheta(y, m, h, levels, sa)]]);
  const start = Math.max(0, y.length - FIT_WINDOW);
  const recent = start > 0 ? { ...sa, adjusted: sa.adjusted.subarray(start) } : sa;
  const forms: CandidateForms = { start, seasonal: sa.seasonal };
  try {
    const e = fitEtsAdjusted(recent);
    parts.set('ets', etsAdjustedOutput(e, h, levels));
    forms.ets = e.fit;
  } catch {
    // A member that cannot be fitted (too short, degenerate) leaves the others.
  }
  try {
    const a = fitArimaAdjusted(recent);
    parts.set('arima', arimaAdjustedOutput(a, h, levels));
    forms.arima = a.fit;
  } catch {
    // As above.
  }
  const plan = validationPlan(y.length, m, h);
  const weights = plan.origins.length ? inverseErrorWeights(validate(y, m, plan, forms), [...parts.keys(), ...(m > 1 ? (['snaive'] as const) : [])]) : undefined;
  if (weights) {
    if (weights.snaive !== undefined) {
      const fit = fitSeasonalNaive(y, m);
      parts.set('snaive', { model: 'seasonal naive', point: baselinePoint(fit, h), ...baselineQuantiles(fit, h, levels) });
    }
    const used = [...parts.entries()].filter(([k]) => weights[k] !== undefined);
    if (used.length === 1) return used[0]![1];
    return combine(
      used.map(([, p]) => p),
      `weighted mean (rolling-origin weights) of ${used.map(([k, p]) => `${p.model} ${weights[k]!.toFixed(2)}`).join(', ')}`,
      used.map(([k]) => weights[k]!),
    );
  }
  const all = [...parts.values()];
  if (all.length === 1) return all[0]!;
  return combine(all, `mean of ${all.map((p) => p.model).join(', ')}`);
}
