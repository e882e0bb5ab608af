/**
 * The automatic choice (docs/decisions/029-forecast-choice-that-generalises.md). Intermittent
 * series (many zeros) go to the intermittent family; the rest get the equal-weight mean of
 * three forecasts of Theta's seasonally adjusted data, reseasonalised: Theta, an ETS chosen by
 * AICc among the non-seasonal models, and a non-seasonal ARIMA chosen by auto.arima's stepwise
 * search. Nothing in it is tuned on a data set (equal weights, each member's own defaults), the
 * members fail differently (trend extrapolation, damping, autocorrelation), and the same path
 * serves monthly, quarterly, yearly and weekly (m = 52) series within a few milliseconds.
 * See docs/benchmarks.md, section forecast, for M3 and the held-out sets. Pure.
 */
import { arimaName, arimaPoint, arimaQuantiles, autoArima } from './arima.domain.js';
import { defaultEtsModels, etsName, etsPoint, etsQuantiles, fitEts } from './ets.domain.js';
import { fitTsb, intermittentDistributionQuantiles, isIntermittent } from './intermittent.domain.js';
import { fitTheta, seasonalAdjust, thetaPoint, thetaQuantiles, type SeasonalAdjustment } from './theta.domain.js';
import { seasonalStrength } from './stl.domain.js';
import type { DemandTotal } from './forecasting.contract.js';

export type MethodOutput = { model: string; point: number[]; quantiles: number[][]; cumulative: number[][]; totals?: DemandTotal[] };

/** Averages forecasts and, level by level, their quantiles (a valid quantile function). */
export function combine(parts: MethodOutput[], model: string): MethodOutput {
  const avg = (rows: number[][]) => rows[0]!.map((_, i) => rows.reduce((s, r) => s + r[i]!, 0) / rows.length);
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
  const sa = adjustment ?? seasonalAdjust(y, m);
  const x = sa.adjusted;
  let positive = true;
  for (let i = 0; i < x.length; i++) if (!(x[i]! > 0)) positive = false;
  const fit = fitEts(x, 1, { models: defaultEtsModels(1, x.length, positive) });
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
  const sa = adjustment ?? seasonalAdjust(y, m);
  const fit = autoArima(sa.adjusted, 1, { approximation: true, cssOnly: true });
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
 * error — so the STL seasonal strength decides, with auto.arima's threshold (> 0.64).
 */
export function adjustmentFor(y: Float64Array, m: number): SeasonalAdjustment {
  if (m > 12 && y.length > 2 * m) return seasonalAdjust(y, m, seasonalStrength(y, m) > 0.64);
  return seasonalAdjust(y, m);
}

export function forecastAuto(y: Float64Array, m: number, h: number, levels: readonly number[], withTotals = false): MethodOutput {
  if (isIntermittent(y)) return forecastIntermittent(y, h, levels, withTotals);
  const sa = adjustmentFor(y, m);
  const parts = [forecastTheta(y, m, h, levels, sa)];
  for (const member of [forecastEtsAdjusted, forecastArimaAdjusted]) {
    try {
      parts.push(member(y, m, h, levels, sa));
    } catch {
      // A member that cannot be fitted (too short, degenerate) leaves the others.
    }
  }
  if (parts.length === 1) return parts[0]!;
  return combine(parts, `mean of ${parts.map((p) => p.model).join(', ')}`);
}
