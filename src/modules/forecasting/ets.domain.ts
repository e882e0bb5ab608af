/**
 * ETS exponential-smoothing state-space models (Hyndman, Koehler, Ord & Snyder 2008), fitted
 * and selected the way R's forecast::ets() does by default, so results can be checked
 * series by series against R:
 * - error A/M, trend N/A/Ad, season N/A/M; no multiplicative trend; models with infinite
 *   variance excluded (A error with M season); M error only for strictly positive data;
 * - initial states from a classical decomposition and a line on the first seasonally
 *   adjusted values; parameters and initial states fitted together by maximum likelihood with
 *   Nelder–Mead (2000 evaluations), inside the usual bounds and the admissible region;
 * - the model with the smallest AICc wins.
 * Pure functions: no I/O.
 */
import { ForecastError } from './forecasting.contract.js';
import { classicalSeasonal, linearFit, mean, normalSampler, qnorm, rng, sortedQuantile } from './stats.domain.js';
import { nelderMead } from './optim.domain.js';

export type EtsError = 'A' | 'M';
export type EtsTrend = 'N' | 'A';
export type EtsSeason = 'N' | 'A' | 'M';
export type EtsSpec = { error: EtsError; trend: EtsTrend; damped: boolean; season: EtsSeason };

export type EtsFit = EtsSpec & {
  /** Season length used by the model (1 when non-seasonal). */
  m: number;
  alpha: number;
  beta: number;
  gamma: number;
  phi: number;
  /** Initial states: level, slope (if trend), seasonal s0 (newest) … s(m−1) (oldest). */
  initState: number[];
  /** States after the last observation, same layout. */
  finalState: number[];
  /** −2 log-likelihood up to a constant, as R's ets reports it. */
  lik: number;
  aic: number;
  aicc: number;
  bic: number;
  /** Residual variance (relative errors for multiplicative error). */
  sigma2: number;
  /** In-sample one-step MSE. */
  mse: number;
  n: number;
  /** Number of estimated parameters, excluding the variance. */
  nParams: number;
};

export type EtsOptions = {
  /** Restrict the search; e.g. [{error:'A',trend:'A',damped:true,season:'N'}]. */
  models?: EtsSpec[];
  /** 'lik' (default, as ets) or 'mse' (as ses/thetaf). */
  criterion?: 'lik' | 'mse';
  /** Nelder–Mead evaluation budget per model (R: 2000). */
  maxit?: number;
  /** Information criterion used to pick a model (R default: aicc). */
  ic?: 'aicc' | 'aic' | 'bic';
};

const LOWER = [1e-4, 1e-4, 1e-4, 0.8] as const;
const UPPER = [0.9999, 0.9999, 0.9999, 0.98] as const;
const TOL = 1e-10;
const HUGEN = 1e10;

export function etsName(s: EtsSpec): string {
  return `ETS(${s.error},${s.trend}${s.damped ? 'd' : ''},${s.season})`;
}

/** The model space R's ets() searches by default, in R's order (ties keep the first). */
export function defaultEtsModels(m: number, n: number, positive: boolean): EtsSpec[] {
  const seasons: EtsSeason[] = m > 1 && m <= 24 && n > m ? ['N', 'A', 'M'] : ['N'];
  const out: EtsSpec[] = [];
  for (const error of ['A', 'M'] as const) {
    if (error === 'M' && !positive) continue;
    for (const trend of ['N', 'A'] as const) {
      for (const season of seasons) {
        for (const damped of [true, false]) {
          if (trend === 'N' && damped) continue;
          if (error === 'A' && season === 'M') continue;
          out.push({ error, trend, damped, season });
        }
      }
    }
  }
  return out;
}

/**
 * One pass of the state-space recursions (R's etscalc). Returns −2·loglik (up to a constant)
 * or, for criterion 'mse', the mean squared one-step error. Writes residuals into `e` and the
 * final state into `finalOut` when given.
 */
function etsCalc(
  y: Float64Array,
  state: Float64Array,
  m: number,
  errM: boolean,
  trendA: boolean,
  season: 0 | 1 | 2,
  alpha: number,
  beta: number,
  gamma: number,
  phi: number,
  mseCrit: boolean,
  buf: Float64Array,
  e?: Float64Array,
  finalOut?: number[],
): number {
  const n = y.length;
  let l = state[0]!;
  let b = trendA ? state[1]! : 0;
  const so = trendA ? 2 : 1;
  // Circular buffer: s_j = buf[(p + j) % m]; s_{m-1} (the oldest) is used and replaced each step.
  for (let j = 0; j < m; j++) buf[j] = season ? state[so + j]! : 0;
  let p = 0;
  let sse = 0;
  let logf = 0;
  const ba = alpha > 0 ? beta / alpha : 0;
  for (let i = 0; i < n; i++) {
    const slot = p === 0 ? m - 1 : p - 1;
    const sOld = buf[slot]!;
    const phib = trendA ? phi * b : 0;
    const q = l + phib;
    let f = q;
    if (season === 1) f += sOld;
    else if (season === 2) f *= sOld;
    const yi = y[i]!;
    const err = errM ? (yi - f) / f : yi - f;
    if (e) e[i] = err;
    sse += err * err;
    if (errM) logf += Math.log(Math.abs(f));
    let pp: number;
    if (season === 0) pp = yi;
    else if (season === 1) pp = yi - sOld;
    else pp = Math.abs(sOld) < TOL ? HUGEN : yi / sOld;
    const oldl = l;
    l = q + alpha * (pp - q);
    if (trendA) b = phib + ba * (l - oldl - phib);
    if (season) {
      let t: number;
      if (season === 1) t = yi - q;
      else t = Math.abs(q) < TOL ? HUGEN : yi / q;
      buf[slot] = sOld + gamma * (t - sOld);
      p = slot;
    }
  }
  if (finalOut) {
    finalOut.length = 0;
    finalOut.push(l);
    if (trendA) finalOut.push(b);
    if (season) for (let j = 0; j < m; j++) finalOut.push(buf[(p + j) % m]!);
  }
  if (mseCrit) return sse / n;
  let lik = n * Math.log(sse);
  if (errM) lik += 2 * logf;
  return lik;
}

/**
 * All roots of c[0] + c[1] z + … + c[d] z^d (c[d] = 1) within radius ρ, by the Schur–Cohn
 * step-down recursion: cheaper than root finding and enough for R's max|root| ≤ 1 + 1e-10.
 */
function rootsWithin(c: number[], rho: number): boolean {
  const d = c.length - 1;
  // Monic in w = z/ρ: a_i = c[d-i] ρ^{-i}.
  const a = new Float64Array(d + 1);
  let scale = 1;
  for (let i = 0; i <= d; i++) {
    a[i] = c[d - i]! * scale;
    scale /= rho;
  }
  for (let k = d; k >= 1; k--) {
    const kk = a[k]!;
    if (!(Math.abs(kk) < 1)) return false;
    const den = 1 - kk * kk;
    const tmp = a.slice(0, k);
    for (let i = 1; i < k; i++) a[i] = (tmp[i]! - kk * tmp[k - i]!) / den;
  }
  return true;
}

/** Admissible parameter region (Hyndman, Akram & Archibald 2008), as R's admissible(). */
export function admissible(alpha: number, beta: number, gamma: number, phi: number, m: number, trend: boolean, seasonal: boolean): boolean {
  if (phi < 0 || phi > 1 + 1e-8) return false;
  if (!seasonal) {
    if (alpha < 1 - 1 / phi || alpha > 1 + 1 / phi) return false;
    if (trend && (beta < alpha * (phi - 1) || beta > (1 + phi) * (2 - alpha))) return false;
    return true;
  }
  if (m <= 1) return true;
  const bb = trend ? beta : 0;
  if (gamma < Math.max(1 - 1 / phi - alpha, 0) || gamma > 1 + 1 / phi - alpha) return false;
  if (alpha < 1 - 1 / phi - (gamma * (1 - m + phi + phi * m)) / (2 * phi * m)) return false;
  if (bb < -(1 - phi) * (gamma / m + alpha)) return false;
  const c: number[] = [phi * (1 - alpha - gamma), alpha + bb - alpha * phi + gamma - 1];
  for (let i = 0; i < m - 2; i++) c.push(alpha + bb - alpha * phi);
  c.push(alpha + bb - phi, 1);
  return rootsWithin(c, 1 + 1e-10);
}

/** Ordinary least squares by normal equations (tiny designs only). */
function ols(X: number[][], y: ArrayLike<number>): number[] {
  const k = X[0]!.length;
  const A: number[][] = Array.from({ length: k }, () => new Array<number>(k + 1).fill(0));
  for (let r = 0; r < X.length; r++) {
    const row = X[r]!;
    for (let i = 0; i < k; i++) {
      for (let j = 0; j < k; j++) A[i]![j]! += row[i]! * row[j]!;
      A[i]![k]! += row[i]! * y[r]!;
    }
  }
  for (let i = 0; i < k; i++) {
    let piv = i;
    for (let r = i + 1; r < k; r++) if (Math.abs(A[r]![i]!) > Math.abs(A[piv]![i]!)) piv = r;
    [A[i], A[piv]] = [A[piv]!, A[i]!];
    const d = A[i]![i]!;
    if (Math.abs(d) < 1e-300) continue;
    for (let r = 0; r < k; r++) {
      if (r === i) continue;
      const f = A[r]![i]! / d;
      for (let j = i; j <= k; j++) A[r]![j]! -= f * A[i]![j]!;
    }
  }
  return A.map((row, i) => (Math.abs(row[i]!) < 1e-300 ? 0 : row[k]! / row[i]!));
}

/** Initial states as R's initstate(): [l, b?, s0 … s(m−2)] (the last seasonal state is implied). */
export function initialStates(y: Float64Array, m: number, trend: EtsTrend, season: EtsSeason): number[] {
  const n = y.length;
  let ysa: Float64Array = y;
  const seas: number[] = [];
  let mm = 1;
  if (season !== 'N') {
    mm = m;
    if (n < 4) throw new ForecastError('invalid_series', 'not enough data for a seasonal model');
    let sc: Float64Array;
    if (n < 3 * m) {
      const X: number[][] = [];
      for (let t = 1; t <= n; t++) {
        const row = [1, t, Math.cos((2 * Math.PI * t) / m)];
        if (m > 2) row.push(Math.sin((2 * Math.PI * t) / m));
        X.push(row);
      }
      const beta = ols(X, y);
      sc = new Float64Array(n);
      for (let t = 1; t <= n; t++) {
        const line = beta[0]! + beta[1]! * t;
        sc[t - 1] = season === 'A' ? y[t - 1]! - line : y[t - 1]! / line;
      }
    } else {
      sc = classicalSeasonal(y, m, season === 'A' ? 'additive' : 'multiplicative');
    }
    for (let i = m - 1; i >= 1; i--) seas.push(sc[i]!);
    ysa = new Float64Array(n);
    if (season === 'A') {
      for (let t = 0; t < n; t++) ysa[t] = y[t]! - sc[t]!;
    } else {
      for (let i = 0; i < seas.length; i++) seas[i] = Math.max(seas[i]!, 1e-2);
      const s = seas.reduce((a, v) => a + v, 0);
      if (s > m) {
        const d = s + 1e-2 * seas.length;
        for (let i = 0; i < seas.length; i++) seas[i] = seas[i]! / d;
      }
      for (let t = 0; t < n; t++) ysa[t] = y[t]! / Math.max(sc[t]!, 1e-2);
    }
  }
  const maxn = Math.min(Math.max(10, 2 * mm), n);
  const out: number[] = [];
  if (trend === 'N') out.push(mean(ysa, 0, maxn));
  else {
    let [l0, b0] = linearFit(ysa, 1, maxn);
    if (Math.abs(l0 + b0) < 1e-8) {
      l0 *= 1 + 1e-3;
      b0 *= 1 - 1e-3;
    }
    out.push(l0, b0);
  }
  return out.concat(seas);
}

/** Fits one ETS model; null when there is too little data or no admissible start. */
export function fitEtsModel(yIn: ArrayLike<number>, frequency: number, spec: EtsSpec, options: EtsOptions = {}): EtsFit | null {
  const y = Float64Array.from(yIn);
  const n = y.length;
  const seasonal = spec.season !== 'N';
  const m = seasonal ? frequency : 1;
  const trendA = spec.trend === 'A';
  const season = spec.season === 'N' ? 0 : spec.season === 'A' ? 1 : 2;
  const errM = spec.error === 'M';
  const mseCrit = options.criterion === 'mse';
  // Starting values as R's initparam().
  const alpha0 = LOWER[0] + (0.2 * (UPPER[0] - LOWER[0])) / m;
  const par: number[] = [alpha0];
  if (trendA) par.push(LOWER[1] + 0.1 * (Math.min(UPPER[1], alpha0) - LOWER[1]));
  if (seasonal) par.push(LOWER[2] + 0.05 * (Math.min(UPPER[2], 1 - alpha0) - LOWER[2]));
  if (spec.damped) par.push(LOWER[3] + 0.99 * (UPPER[3] - LOWER[3]));
  const nSmooth = par.length;
  let init: number[];
  try {
    init = initialStates(y, m, spec.trend, spec.season);
  } catch {
    return null;
  }
  const start = par.concat(init);
  const np = start.length;
  if (np >= n - 1) return null;
  const nState = init.length;
  const state = new Float64Array(nState + (seasonal ? 1 : 0));
  const buf = new Float64Array(m);
  const so = trendA ? 2 : 1;

  const unpack = (x: ArrayLike<number>): [number, number, number, number] => {
    let k = 0;
    const a = x[k++]!;
    const b = trendA ? x[k++]! : 0;
    const g = seasonal ? x[k++]! : 0;
    const ph = spec.damped ? x[k++]! : 1;
    return [a, b, g, ph];
  };
  const fillState = (x: ArrayLike<number>): boolean => {
    for (let i = 0; i < nState; i++) state[i] = x[nSmooth + i]!;
    if (seasonal) {
      let s = 0;
      for (let i = so; i < nState; i++) s += state[i]!;
      state[nState] = (season === 2 ? m : 0) - s;
      if (season === 2) for (let i = so; i <= nState; i++) if (state[i]! < 0) return false;
    }
    return true;
  };
  const objective = (x: Float64Array): number => {
    const [a, b, g, ph] = unpack(x);
    if (a < LOWER[0] || a > UPPER[0]) return Infinity;
    if (trendA && (b < LOWER[1] || b > a || b > UPPER[1])) return Infinity;
    if (spec.damped && (ph < LOWER[3] || ph > UPPER[3])) return Infinity;
    if (seasonal && (g < LOWER[2] || g > 1 - a || g > UPPER[2])) return Infinity;
    if (!admissible(a, b, g, ph, m, trendA, seasonal)) return Infinity;
    if (!fillState(x)) return Infinity;
    let v = etsCalc(y, state, m, errM, trendA, season, a, b, g, ph, mseCrit, buf);
    if (v < -1e10) v = -1e10;
    if (Number.isNaN(v)) return Infinity;
    return v;
  };
  if (!Number.isFinite(objective(Float64Array.from(start)))) return null;
  const res = nelderMead(objective, start, { maxit: options.maxit ?? 2000 });
  const x = res.par;
  const [alpha, beta, gamma, phi] = unpack(x);
  if (!fillState(x)) return null;
  const e = new Float64Array(n);
  const finalState: number[] = [];
  const lik = etsCalc(y, state, m, errM, trendA, season, alpha, beta, gamma, phi, false, buf, e, finalState);
  if (!Number.isFinite(lik)) return null;
  let sse = 0;
  for (let i = 0; i < n; i++) sse += e[i]! * e[i]!;
  let mse = 0;
  {
    // One-step MSE on the data scale (equals sse/n for additive errors).
    const fitted = new Float64Array(n);
    for (let i = 0; i < n; i++) fitted[i] = errM ? y[i]! / (1 + e[i]!) : y[i]! - e[i]!;
    for (let i = 0; i < n; i++) mse += (y[i]! - fitted[i]!) ** 2;
    mse /= n;
  }
  const k = np + 1;
  const aic = lik + 2 * k;
  const bic = lik + Math.log(n) * k;
  const aicc = aic + (2 * k * (k + 1)) / (n - k - 1);
  return {
    ...spec,
    m,
    alpha,
    beta,
    gamma,
    phi,
    initState: Array.from(state),
    finalState,
    lik,
    aic,
    aicc,
    bic,
    sigma2: sse / (n - np),
    mse,
    n,
    nParams: np,
  };
}

/**
 * Automatic ETS as R's ets(y): fits every model of the default space, keeps the best AICc.
 * Throws ForecastError when no model can be fitted (e.g. fewer than 4 values).
 */
export function fitEts(yIn: ArrayLike<number>, frequency: number, options: EtsOptions = {}): EtsFit {
  const n = yIn.length;
  if (n < 3) throw new ForecastError('invalid_series', `ETS needs at least 3 values, got ${n}`);
  let positive = true;
  for (let i = 0; i < n; i++) if (!(yIn[i]! > 0)) positive = false;
  const models = options.models ?? defaultEtsModels(frequency, n, positive);
  const ic = options.ic ?? 'aicc';
  let best: EtsFit | null = null;
  for (const spec of models) {
    if (spec.error === 'M' && !positive) continue;
    const fit = fitEtsModel(yIn, frequency, spec, options);
    if (fit && Number.isFinite(fit[ic]) && (!best || fit[ic] < best[ic])) best = fit;
  }
  if (!best) throw new ForecastError('invalid_series', `no ETS model could be fitted to ${n} values`);
  return best;
}

/**
 * The fitted model (form, smoothing parameters and initial states kept) run over other data,
 * e.g. the values before a validation origin: forecasts then start from that data's end.
 * Null when the filter leaves the admissible region (non-finite likelihood).
 */
export function etsOnData(fit: EtsFit, yIn: ArrayLike<number>): EtsFit | null {
  const y = Float64Array.from(yIn);
  // initState holds the layout etsCalc reads (every seasonal state, the implied one included).
  const state = Float64Array.from(fit.initState);
  const finalState: number[] = [];
  const season = fit.season === 'N' ? 0 : fit.season === 'A' ? 1 : 2;
  const lik = etsCalc(y, state, fit.m, fit.error === 'M', fit.trend === 'A', season, fit.alpha, fit.beta, fit.gamma, fit.phi, false, new Float64Array(fit.m), undefined, finalState);
  if (!Number.isFinite(lik)) return null;
  return { ...fit, finalState, n: y.length };
}

/** Point forecasts from the final state (the model's conditional means for additive error). */
export function etsPoint(fit: EtsFit, h: number): number[] {
  const st = fit.finalState;
  const l = st[0]!;
  const b = fit.trend === 'A' ? st[1]! : 0;
  const so = fit.trend === 'A' ? 2 : 1;
  const out: number[] = [];
  let phistar = fit.phi;
  for (let i = 0; i < h; i++) {
    let f = fit.trend === 'A' ? l + phistar * b : l;
    if (fit.season !== 'N') {
      let j = fit.m - 1 - i;
      while (j < 0) j += fit.m;
      const s = st[so + j]!;
      f = fit.season === 'A' ? f + s : f * s;
    }
    out.push(f);
    phistar += Math.abs(fit.phi - 1) < TOL ? 1 : fit.phi ** (i + 1);
  }
  return out;
}

export type SimulatedPaths = { perStep: Float64Array[]; cumulative: Float64Array[] };

/** Sample paths of future values with Gaussian errors (as R's simulate.ets). Sorted per step. */
export function etsSimulate(fit: EtsFit, h: number, paths = 1000, seed = 20260101): SimulatedPaths {
  const draw = normalSampler(rng(seed));
  const sd = Math.sqrt(Math.max(fit.sigma2, 0));
  const perStep = Array.from({ length: h }, () => new Float64Array(paths));
  const cumulative = Array.from({ length: h }, () => new Float64Array(paths));
  const m = fit.m;
  const trendA = fit.trend === 'A';
  const so = trendA ? 2 : 1;
  const buf = new Float64Array(m);
  for (let k = 0; k < paths; k++) {
    let l = fit.finalState[0]!;
    let b = trendA ? fit.finalState[1]! : 0;
    for (let j = 0; j < m; j++) buf[j] = fit.season !== 'N' ? fit.finalState[so + j]! : 0;
    let p = 0;
    let cum = 0;
    for (let i = 0; i < h; i++) {
      const slot = p === 0 ? m - 1 : p - 1;
      const sOld = buf[slot]!;
      const phib = trendA ? fit.phi * b : 0;
      const q = l + phib;
      let f = q;
      if (fit.season === 'A') f += sOld;
      else if (fit.season === 'M') f *= sOld;
      const eps = sd * draw();
      const yv = fit.error === 'M' ? f * (1 + eps) : f + eps;
      let pp: number;
      if (fit.season === 'N') pp = yv;
      else if (fit.season === 'A') pp = yv - sOld;
      else pp = Math.abs(sOld) < TOL ? HUGEN : yv / sOld;
      const oldl = l;
      l = q + fit.alpha * (pp - q);
      if (trendA) b = phib + (fit.beta / fit.alpha) * (l - oldl - phib);
      if (fit.season !== 'N') {
        const t = fit.season === 'A' ? yv - q : Math.abs(q) < TOL ? HUGEN : yv / q;
        buf[slot] = sOld + fit.gamma * (t - sOld);
        p = slot;
      }
      cum += yv;
      perStep[i]![k] = Number.isFinite(yv) ? yv : f;
      cumulative[i]![k] = Number.isFinite(cum) ? cum : 0;
    }
  }
  for (const a of perStep) a.sort();
  for (const a of cumulative) a.sort();
  return { perStep, cumulative };
}

/**
 * Quantiles of an ETS forecast, levels × steps, per step and of the running total.
 * Without multiplicative seasonality they are normal with the state-space forecast variance
 * σ²(1 + Σ_{j<h} c_j²), c_j = α + β(φ + … + φ^j) + γ·[j ≡ 0 mod m] (exact for additive
 * error; for multiplicative error the shocks are scaled by the mean forecast, a first-order
 * approximation). With multiplicative seasonality, from 1000 simulated paths.
 * `scale` multiplies step i (used to reseasonalise forecasts of adjusted data).
 */
export function etsQuantiles(
  fit: EtsFit,
  h: number,
  levels: readonly number[],
  scale?: readonly number[],
): { quantiles: number[][]; cumulative: number[][] } {
  const sc = (i: number) => (scale ? scale[i % scale.length]! : 1);
  if (fit.season === 'M') {
    const sim = etsSimulate(fit, h);
    if (scale) {
      for (let i = 0; i < h; i++) for (const a of [sim.perStep[i]!, sim.cumulative[i]!]) for (let k = 0; k < a.length; k++) a[k] = a[k]! * sc(i);
    }
    return {
      quantiles: levels.map((p) => sim.perStep.map((s) => sortedQuantile(s, p))),
      cumulative: levels.map((p) => sim.cumulative.map((s) => sortedQuantile(s, p))),
    };
  }
  const base = etsPoint(fit, h);
  const point = base.map((v, i) => v * sc(i));
  const sd = Math.sqrt(Math.max(fit.sigma2, 0));
  // c[r]: effect of a shock on the value r steps later (adjusted scale).
  const c = new Float64Array(h);
  let phisum = 0;
  for (let r = 1; r < h; r++) {
    phisum += fit.trend === 'A' ? fit.phi ** r : 0;
    c[r] = fit.alpha + fit.beta * phisum + (fit.season !== 'N' && r % fit.m === 0 ? fit.gamma : 0);
  }
  // Shock size at step j, adjusted scale.
  const shock = base.map((f) => (fit.error === 'M' ? sd * Math.abs(f) : sd));
  const se: number[] = [];
  for (let i = 0; i < h; i++) {
    let v = shock[i]! ** 2;
    for (let j = 0; j < i; j++) v += (shock[j]! * c[i - j]!) ** 2;
    se.push(Math.sqrt(v) * Math.abs(sc(i)));
  }
  const cumMean: number[] = [];
  const cumSe: number[] = [];
  let acc = 0;
  for (let k = 0; k < h; k++) {
    acc += point[k]!;
    cumMean.push(acc);
    let v = 0;
    for (let j = 0; j <= k; j++) {
      let w = sc(j);
      for (let r = 1; r <= k - j; r++) w += c[r]! * sc(j + r);
      v += (shock[j]! * w) ** 2;
    }
    cumSe.push(Math.sqrt(v));
  }
  return {
    quantiles: levels.map((p) => point.map((f, i) => f + qnorm(p) * se[i]!)),
    cumulative: levels.map((p) => cumMean.map((f, i) => f + qnorm(p) * cumSe[i]!)),
  };
}

