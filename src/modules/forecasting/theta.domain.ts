/**
 * The Theta method as R's forecast::thetaf (Hyndman & Billah 2003's SES-with-drift form of
 * Assimakopoulos & Nikolopoulos 2000): multiplicative classical decomposition when the lag-m
 * autocorrelation is significant at 90%, simple exponential smoothing fitted by MSE, drift of
 * half the slope of a straight line through the (adjusted) data, reseasonalised. Pure.
 */
import { ForecastError } from './forecasting.contract.js';
import { fitEtsModel, type EtsFit } from './ets.domain.js';
import { acf, classicalSeasonal, isConstant, linearFit, qnorm } from './stats.domain.js';

export type ThetaFit = {
  seasonal: boolean;
  /** Seasonal indexes for the next m steps (all 1 when not seasonal). */
  seasonNext: number[];
  alpha: number;
  level: number;
  drift: number;
  sigma2: number;
  n: number;
  m: number;
};

/** R's seasonality test of thetaf: |r_m| / sqrt((1 + 2 Σ_{k<m} r_k²)/n) > qnorm(0.95). */
export function seasonalityTest(y: ArrayLike<number>, m: number): boolean {
  const n = y.length;
  if (m <= 1 || isConstant(y) || n <= 2 * m) return false;
  const r = acf(y, m);
  let s = 0;
  for (let k = 0; k < m - 1; k++) s += r[k]! ** 2;
  const stat = Math.sqrt((1 + 2 * s) / n);
  return Math.abs(r[m - 1]!) / stat > qnorm(0.95);
}

/** SES with an optimised initial level, fitted by one-step MSE as R's ses(). */
export function fitSes(y: ArrayLike<number>): EtsFit {
  const fit = fitEtsModel(y, 1, { error: 'A', trend: 'N', damped: false, season: 'N' }, { criterion: 'mse' });
  if (fit) return fit;
  // Very short series: R falls back to HoltWinters; a plain mean is the safe equivalent.
  const n = y.length;
  let s = 0;
  for (let i = 0; i < n; i++) s += y[i]!;
  const l = s / n;
  let sse = 0;
  for (let i = 0; i < n; i++) sse += (y[i]! - l) ** 2;
  return {
    error: 'A', trend: 'N', damped: false, season: 'N', m: 1, alpha: 1e-4, beta: 0, gamma: 0, phi: 1,
    initState: [l], finalState: [l], lik: NaN, aic: NaN, aicc: NaN, bic: NaN,
    sigma2: n > 1 ? sse / (n - 1) : 0, mse: sse / n, n, nParams: 1,
  };
}

export type SeasonalAdjustment = { seasonal: boolean; adjusted: Float64Array; seasonNext: number[]; m: number };

/**
 * thetaf's seasonal adjustment: divide by the classical multiplicative seasonal indexes when
 * the seasonality test passes (or `seasonal` says so) and no index is near zero; seasonNext are
 * the indexes of the next m steps.
 */
export function seasonalAdjust(yIn: ArrayLike<number>, frequency: number, seasonal?: boolean): SeasonalAdjustment {
  const n = yIn.length;
  const m = Math.max(frequency, 1);
  const x = Float64Array.from(yIn);
  const none = { seasonal: false, adjusted: x, seasonNext: new Array<number>(m).fill(1), m };
  if (!(seasonal ?? seasonalityTest(x, m)) || m <= 1 || n < 2 * m) return none;
  const sc = classicalSeasonal(x, m, 'multiplicative');
  for (let i = 0; i < m; i++) if (!(Math.abs(sc[i]!) >= 1e-4)) return none;
  const adj = new Float64Array(n);
  for (let t = 0; t < n; t++) adj[t] = x[t]! / sc[t]!;
  return { seasonal: true, adjusted: adj, seasonNext: Array.from({ length: m }, (_, i) => sc[n - m + i]!), m };
}

export function fitTheta(yIn: ArrayLike<number>, frequency: number, adjustment?: SeasonalAdjustment): ThetaFit {
  const n = yIn.length;
  if (n < 2) throw new ForecastError('invalid_series', `Theta needs at least 2 values, got ${n}`);
  const sa = adjustment ?? seasonalAdjust(yIn, frequency);
  const x = sa.adjusted;
  const ses = fitSes(x);
  const drift = linearFit(x, 0)[1] / 2;
  return {
    seasonal: sa.seasonal,
    seasonNext: sa.seasonNext,
    alpha: Math.max(1e-10, ses.alpha),
    level: ses.finalState[0]!,
    drift,
    sigma2: ses.sigma2,
    n,
    m: sa.m,
  };
}

export function thetaPoint(fit: ThetaFit, h: number): number[] {
  const a = fit.alpha;
  const c = (1 - (1 - a) ** fit.n) / a;
  return Array.from({ length: h }, (_, i) => (fit.level + fit.drift * (i + c)) * fit.seasonNext[i % fit.m]!);
}

/**
 * Normal quantiles around the Theta forecast. The SES variance, σ²(1 + (i−1)α²) at step i, is
 * scaled by the seasonal index (R leaves it on the adjusted scale, which under-covers peaks).
 * Cumulative demand over steps 1..k: σ² Σ_i (1 + α(k − i))², the SES error of a total.
 */
export function thetaQuantiles(fit: ThetaFit, h: number, levels: readonly number[]): { quantiles: number[][]; cumulative: number[][] } {
  const point = thetaPoint(fit, h);
  const sd = Math.sqrt(Math.max(fit.sigma2, 0));
  const a = fit.alpha;
  const se = point.map((_, i) => sd * Math.sqrt(i * a * a + 1) * fit.seasonNext[i % fit.m]!);
  const cumMean: number[] = [];
  const cumSe: number[] = [];
  let cm = 0;
  for (let k = 1; k <= h; k++) {
    cm += point[k - 1]!;
    cumMean.push(cm);
    let v = 0;
    for (let i = 1; i <= k; i++) v += ((1 + a * (k - i)) * fit.seasonNext[(i - 1) % fit.m]!) ** 2;
    cumSe.push(sd * Math.sqrt(v));
  }
  return {
    quantiles: levels.map((p) => point.map((f, i) => f + qnorm(p) * se[i]!)),
    cumulative: levels.map((p) => cumMean.map((f, i) => f + qnorm(p) * cumSe[i]!)),
  };
}
