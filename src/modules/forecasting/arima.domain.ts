/**
 * ARIMA / seasonal ARIMA with automatic order selection, ported from R's stats::arima and
 * forecast::auto.arima (Hyndman & Khandakar 2008) so results can be checked against R:
 * - fit: conditional sum of squares, then exact Gaussian likelihood by a Kalman filter on the
 *   differenced series (stationary start, as R's Gardner initialisation), BFGS as R's optim
 *   (numerical gradient, parscale 10·se for the mean or drift), AR parts through the PACF
 *   transform; constant (d + D = 0) or drift (d + D = 1) as R's regression term;
 * - d by repeated KPSS tests (5%, lag ⌊3√n/13⌋), D by STL seasonal strength > 0.64;
 * - stepwise search by AICc from (2,d,2)(1,D,1), rejecting fits with a root within 1.01 of
 *   the unit circle or a non-positive-definite Hessian; CSS during the search when
 *   n > 150 or m > 12, then the best models refitted by maximum likelihood;
 * - forecasts from the filtered state; normal quantiles from the ψ-weights.
 * Pure: no I/O.
 */
import { ForecastError } from './forecasting.contract.js';
import { bfgs, numericHessian } from './optim.domain.js';
import { qnorm } from './stats.domain.js';
import { seasonalStrength } from './stl.domain.js';

export type ArimaSpec = { p: number; d: number; q: number; P: number; D: number; Q: number; m: number; constant: boolean };

export type ArimaFit = {
  spec: ArimaSpec;
  method: 'CSS' | 'CSS-ML';
  /** Estimated coefficients in R's order: ar, ma, sar, sma, then intercept/drift when present. */
  coef: number[];
  /** Expanded AR and MA polynomials (lags 1…), seasonal parts multiplied in. */
  phi: Float64Array;
  theta: Float64Array;
  /** Mean of the differenced series implied by the intercept or drift. */
  mu: number;
  /** Residual variance as forecast::Arima reports it (sum of squares / (n* − k + 1)). */
  sigma2: number;
  loglik: number;
  aic: number;
  aicc: number;
  bic: number;
  /** The selection criterion (AICc, or AIC for n ≤ 3); Infinity when the fit is rejected. */
  ic: number;
  n: number;
  /** Kalman state after the last observation, and the last d + mD values of the series. */
  state: Float64Array;
  tail: Float64Array;
  /** forecast's checkarima, run on demand (it costs a numerical Hessian): false rejects the fit. */
  hessianOk?: () => boolean;
};

export function arimaName(s: ArimaSpec): string {
  const seasonal = s.P + s.D + s.Q > 0 ? `(${s.P},${s.D},${s.Q})[${s.m}]` : '';
  const k = s.d + s.D;
  const c = s.constant ? (k === 0 ? ' with non-zero mean' : k === 1 ? ' with drift' : '') : '';
  return `ARIMA(${s.p},${s.d},${s.q})${seasonal}${c}`;
}

// ---- polynomials ------------------------------------------------------------------------

/** R's partrans: tanh, then Durbin–Levinson from partial autocorrelations to AR coefficients. */
function partrans(raw: ArrayLike<number>, from: number, p: number, out: Float64Array, at: number): void {
  const work = new Float64Array(p);
  for (let j = 0; j < p; j++) work[j] = out[at + j] = Math.tanh(raw[from + j]!);
  for (let j = 1; j < p; j++) {
    const a = out[at + j]!;
    for (let k = 0; k < j; k++) work[k] = work[k]! - a * out[at + j - k - 1]!;
    for (let k = 0; k < j; k++) out[at + k] = work[k]!;
  }
}

/** R's invpartrans: AR coefficients back to atanh of the partial autocorrelations. */
function invpartrans(phi: ArrayLike<number>, from: number, p: number, out: Float64Array, at: number): void {
  const nw = Float64Array.from({ length: p }, (_, j) => phi[from + j]!);
  const work = Float64Array.from(nw);
  for (let j = p - 1; j > 0; j--) {
    const a = nw[j]!;
    for (let k = 0; k < j; k++) work[k] = (nw[k]! + a * nw[j - k - 1]!) / (1 - a * a);
    for (let k = 0; k < j; k++) nw[k] = work[k]!;
  }
  for (let j = 0; j < p; j++) out[at + j] = Math.atanh(nw[j]!);
}

/**
 * True when 1 − a₁z − … − a_k z^k has every root outside the circle of radius `radius`
 * (Schur–Cohn step-down: every reflection coefficient of the rescaled polynomial inside (−1, 1)).
 */
export function rootsOutside(a: ArrayLike<number>, radius = 1): boolean {
  let k = a.length;
  while (k > 0 && Math.abs(a[k - 1]!) <= 1e-8) k--;
  if (k === 0) return true;
  let c = Float64Array.from({ length: k }, (_, j) => a[j]! * radius ** (j + 1));
  for (let j = k - 1; j >= 0; j--) {
    const r = c[j]!;
    if (!(Math.abs(r) < 1)) return false;
    const next = new Float64Array(j);
    for (let i = 0; i < j; i++) next[i] = (c[i]! + r * c[j - 1 - i]!) / (1 - r * r);
    c = next;
  }
  return true;
}

/** Complex roots of 1 + c₁z + … + c_k z^k (Durand–Kerner), for maInvert. */
function polyRoots(c: ArrayLike<number>): [number, number][] {
  const k = c.length;
  // Monic in z: z^k + (c_{k−1}/c_k) z^{k−1} + … + 1/c_k.
  const a = new Float64Array(k + 1);
  a[k] = 1;
  for (let j = 0; j < k; j++) a[j] = (j === 0 ? 1 : c[j - 1]!) / c[k - 1]!;
  const re = new Float64Array(k);
  const im = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    const ang = (2 * Math.PI * i) / k + 0.4;
    re[i] = Math.cos(ang) * 1.3;
    im[i] = Math.sin(ang) * 1.3;
  }
  for (let iter = 0; iter < 500; iter++) {
    let change = 0;
    for (let i = 0; i < k; i++) {
      // p(z_i)
      let pr = 1;
      let pi = 0;
      for (let j = k - 1; j >= 0; j--) {
        const nr = pr * re[i]! - pi * im[i]! + a[j]!;
        pi = pr * im[i]! + pi * re[i]!;
        pr = nr;
      }
      let dr = 1;
      let di = 0;
      for (let j = 0; j < k; j++) {
        if (j === i) continue;
        const xr = re[i]! - re[j]!;
        const xi = im[i]! - im[j]!;
        const nr = dr * xr - di * xi;
        di = dr * xi + di * xr;
        dr = nr;
      }
      const den = dr * dr + di * di;
      if (den === 0) continue;
      const qr = (pr * dr + pi * di) / den;
      const qi = (pi * dr - pr * di) / den;
      re[i] = re[i]! - qr;
      im[i] = im[i]! - qi;
      change = Math.max(change, Math.abs(qr) + Math.abs(qi));
    }
    if (change < 1e-14) break;
  }
  return Array.from({ length: k }, (_, i) => [re[i]!, im[i]!]);
}

/** R's maInvert: reflects MA roots inside the unit circle to make the MA part invertible. */
function maInvert(ma: number[]): number[] {
  let q0 = ma.length;
  while (q0 > 0 && ma[q0 - 1] === 0) q0--;
  if (q0 === 0) return ma;
  const roots = polyRoots(ma.slice(0, q0));
  if (roots.every(([r, i]) => Math.hypot(r, i) >= 1)) return ma;
  // Product of (1 − z/root) with inside roots inverted.
  let pr = [1];
  let pi = [0];
  for (const [r0, i0] of roots) {
    let r = r0;
    let i = i0;
    const mod2 = r * r + i * i;
    if (Math.sqrt(mod2) < 1) {
      r = r / mod2;
      i = -i / mod2;
    }
    // multiply by (1 − z·w), w = 1/root
    const m2 = r * r + i * i;
    const wr = r / m2;
    const wi = -i / m2;
    const nr = new Array<number>(pr.length + 1).fill(0);
    const ni = new Array<number>(pr.length + 1).fill(0);
    for (let j = 0; j < pr.length; j++) {
      nr[j] = nr[j]! + pr[j]!;
      ni[j] = ni[j]! + pi[j]!;
      nr[j + 1] = nr[j + 1]! - (pr[j]! * wr - pi[j]! * wi);
      ni[j + 1] = ni[j + 1]! - (pr[j]! * wi + pi[j]! * wr);
    }
    pr = nr;
    pi = ni;
  }
  const out = ma.slice();
  for (let j = 0; j < q0; j++) out[j] = pr[j + 1]!;
  return out;
}

type Layout = { p: number; q: number; P: number; Q: number; m: number; nx: number };

/** Scratch arrays for expand() inside an objective (it runs thousands of times a fit). */
type ExpandBuffers = { ar: Float64Array; sar: Float64Array; phi: Float64Array; theta: Float64Array };
function expandBuffers(L: Layout): ExpandBuffers {
  return { ar: new Float64Array(L.p), sar: new Float64Array(L.P), phi: new Float64Array(L.p + L.m * L.P), theta: new Float64Array(L.q + L.m * L.Q) };
}

/**
 * R's ARIMA_transPars: expanded phi and theta from the parameter vector; with `into`, written
 * into those arrays (the result is then only valid until the next call with them).
 */
function expand(par: ArrayLike<number>, L: Layout, trans: boolean, into?: ExpandBuffers): { phi: Float64Array; theta: Float64Array } {
  const { p, q, P, Q, m } = L;
  const pp = p + m * P;
  const qq = q + m * Q;
  const ar = into ? into.ar : new Float64Array(p);
  const sar = into ? into.sar : new Float64Array(P);
  if (trans) {
    if (p > 0) partrans(par, 0, p, ar, 0);
    if (P > 0) partrans(par, p + q, P, sar, 0);
  } else {
    for (let i = 0; i < p; i++) ar[i] = par[i]!;
    for (let i = 0; i < P; i++) sar[i] = par[p + q + i]!;
  }
  const phi = into ? into.phi.fill(0) : new Float64Array(pp);
  const theta = into ? into.theta.fill(0) : new Float64Array(qq);
  for (let i = 0; i < p; i++) phi[i] = ar[i]!;
  for (let i = 0; i < q; i++) theta[i] = par[p + i]!;
  for (let j = 0; j < P; j++) {
    phi[(j + 1) * m - 1] = phi[(j + 1) * m - 1]! + sar[j]!;
    for (let i = 0; i < p; i++) phi[(j + 1) * m + i] = phi[(j + 1) * m + i]! - ar[i]! * sar[j]!;
  }
  for (let j = 0; j < Q; j++) {
    const s = par[p + q + P + j]!;
    theta[(j + 1) * m - 1] = theta[(j + 1) * m - 1]! + s;
    for (let i = 0; i < q; i++) theta[(j + 1) * m + i] = theta[(j + 1) * m + i]! + par[p + i]! * s;
  }
  return { phi, theta };
}

// ---- differencing -------------------------------------------------------------------------

/** Coefficients δ of (1 − B)^d (1 − B^m)^D = 1 − δ₁B − … . */
function deltaPoly(d: number, D: number, m: number): Float64Array {
  let c = [1];
  const mul = (lag: number) => {
    const out = new Array<number>(c.length + lag).fill(0);
    for (let i = 0; i < c.length; i++) {
      out[i] = out[i]! + c[i]!;
      out[i + lag] = out[i + lag]! - c[i]!;
    }
    c = out;
  };
  for (let i = 0; i < d; i++) mul(1);
  for (let i = 0; i < D; i++) mul(m);
  return Float64Array.from(c.slice(1), (v) => -v);
}

export function difference(y: ArrayLike<number>, lag: number, times = 1): Float64Array {
  let x = Float64Array.from(y);
  for (let k = 0; k < times; k++) {
    const out = new Float64Array(Math.max(0, x.length - lag));
    for (let i = lag; i < x.length; i++) out[i - lag] = x[i]! - x[i - lag]!;
    x = out;
  }
  return x;
}

function isConstantArr(x: ArrayLike<number>): boolean {
  for (let i = 1; i < x.length; i++) if (x[i] !== x[0]) return false;
  return true;
}

// ---- likelihoods ----------------------------------------------------------------------------

/** Conditional sum of squares (R's ARIMA_CSS on the differenced series): ssq / nu, residuals. */
function css(w: Float64Array, mu: number, phi: Float64Array, theta: Float64Array, ncond: number, resid?: Float64Array): number {
  const n = w.length;
  const p = phi.length;
  const q = theta.length;
  const e = resid ?? new Float64Array(n);
  let ssq = 0;
  let nu = 0;
  for (let l = 0; l < ncond && l < n; l++) e[l] = 0;
  for (let l = ncond; l < n; l++) {
    let tmp = w[l]! - mu;
    for (let j = 0; j < p; j++) tmp -= phi[j]! * (w[l - j - 1]! - mu);
    const jmax = Math.min(l - ncond, q);
    for (let j = 0; j < jmax; j++) tmp -= theta[j]! * e[l - j - 1]!;
    e[l] = tmp;
    if (!Number.isNaN(tmp)) {
      nu++;
      ssq += tmp * tmp;
    }
  }
  return ssq / nu;
}

/** Stationary state covariance of the ARMA state-space form: P = T P Tᵀ + R Rᵀ, by doubling. */
function stationaryCov(phi: Float64Array, theta: Float64Array, r: number): Float64Array | null {
  const p = phi.length;
  const R = new Float64Array(r);
  R[0] = 1;
  for (let i = 1; i < r; i++) R[i] = i - 1 < theta.length ? theta[i - 1]! : 0;
  let P = new Float64Array(r * r);
  for (let i = 0; i < r; i++) for (let j = 0; j < r; j++) P[i * r + j] = R[i]! * R[j]!;
  let A = new Float64Array(r * r);
  for (let i = 0; i < r; i++) {
    if (i < p) A[i * r] = phi[i]!;
    if (i + 1 < r) A[i * r + i + 1] = 1;
  }
  const tmp = new Float64Array(r * r);
  const add = new Float64Array(r * r);
  for (let it = 0; it < 64; it++) {
    // add = A P Aᵀ
    for (let i = 0; i < r; i++) for (let j = 0; j < r; j++) {
      let s = 0;
      for (let k = 0; k < r; k++) s += A[i * r + k]! * P[k * r + j]!;
      tmp[i * r + j] = s;
    }
    let big = 0;
    let scale = 0;
    for (let i = 0; i < r; i++) for (let j = 0; j < r; j++) {
      let s = 0;
      for (let k = 0; k < r; k++) s += tmp[i * r + k]! * A[j * r + k]!;
      add[i * r + j] = s;
    }
    for (let i = 0; i < r * r; i++) {
      P[i] = P[i]! + add[i]!;
      big = Math.max(big, Math.abs(add[i]!));
      scale = Math.max(scale, Math.abs(P[i]!));
    }
    if (!Number.isFinite(scale)) return null;
    if (big <= 1e-13 * scale) return P;
    // A = A·A
    const A2 = new Float64Array(r * r);
    for (let i = 0; i < r; i++) for (let k = 0; k < r; k++) {
      const a = A[i * r + k]!;
      if (a === 0) continue;
      for (let j = 0; j < r; j++) A2[i * r + j] = A2[i * r + j]! + a * A[k * r + j]!;
    }
    A = A2;
  }
  return scale(P) ? P : null;

  function scale(x: Float64Array): boolean {
    return x.every(Number.isFinite);
  }
}

type KalmanOut = { ssq: number; sumlog: number; nu: number; state: Float64Array };

/** Exact likelihood pieces of the ARMA for w − mu (R's ARIMA_Like without the diffuse part). */
function kalman(w: Float64Array, mu: number, phi: Float64Array, theta: Float64Array, resid?: Float64Array): KalmanOut | null {
  const n = w.length;
  const p = phi.length;
  const q = theta.length;
  const r = Math.max(p, q + 1);
  const P0 = stationaryCov(phi, theta, r);
  if (!P0) return null;
  const V = new Float64Array(r);
  V[0] = 1;
  for (let i = 1; i < r; i++) V[i] = i - 1 < q ? theta[i - 1]! : 0;
  const a = new Float64Array(r);
  const anew = new Float64Array(r);
  let P = new Float64Array(r * r);
  let Pnew = P0;
  const M = new Float64Array(r);
  let ssq = 0;
  let sumlog = 0;
  let nu = 0;
  // Once the filtered covariance stops changing (it converges geometrically for an invertible
  // model), the gain is constant: later steps skip the covariance recursion.
  let steady = false;
  for (let l = 0; l < n; l++) {
    for (let i = 0; i < r; i++) anew[i] = (i < r - 1 ? a[i + 1]! : 0) + (i < p ? phi[i]! * a[0]! : 0);
    if (l > 0 && !steady) {
      const P00 = P[0]!;
      for (let i = 0; i < r; i++) {
        const phii = i < p ? phi[i]! : 0;
        for (let j = i; j < r; j++) {
          const phij = j < p ? phi[j]! : 0;
          let t = V[i]! * V[j]! + phii * phij * P00;
          if (i < r - 1 && j < r - 1) t += P[(i + 1) * r + j + 1]!;
          if (j < r - 1) t += phii * P[j + 1]!;
          if (i < r - 1) t += phij * P[i + 1]!;
          Pnew[i * r + j] = t;
          Pnew[j * r + i] = t;
        }
      }
    }
    const resid0 = w[l]! - mu - anew[0]!;
    const gain = Pnew[0]!;
    if (!(gain > 0) || !Number.isFinite(gain)) return null;
    if (gain < 1e4) {
      nu++;
      ssq += (resid0 * resid0) / gain;
      sumlog += Math.log(gain);
    }
    if (resid) resid[l] = resid0 / Math.sqrt(gain);
    for (let i = 0; i < r; i++) M[i] = Pnew[i]!;
    for (let i = 0; i < r; i++) a[i] = anew[i]! + (M[i]! * resid0) / gain;
    if (steady) continue;
    if (l === 0) Pnew = new Float64Array(r * r);
    let change = 0;
    for (let i = 0; i < r; i++) for (let j = 0; j < r; j++) {
      const v = (l === 0 ? P0[i * r + j]! : Pnew[i * r + j]!) - (M[i]! * M[j]!) / gain;
      change = Math.max(change, Math.abs(v - P[i * r + j]!));
      P[i * r + j] = v;
    }
    if (l > 0 && change <= 1e-12 * gain) steady = true;
  }
  return { ssq, sumlog, nu, state: a };
}

// ---- one model ------------------------------------------------------------------------------

export type ArimaMethod = 'CSS' | 'CSS-ML';

/**
 * One ARIMA model as forecast::Arima(y, order, seasonal, include.constant, method) and its
 * myarima() wrapper inside auto.arima (AICc, the root and Hessian checks). Returns null when
 * R's fit would fail (e.g. a non-stationary AR part from CSS).
 */
export function fitArimaModel(
  yIn: ArrayLike<number>,
  spec: ArimaSpec,
  method: ArimaMethod = 'CSS-ML',
  ic: 'aicc' | 'aic' = 'aicc',
  checkHessian = true,
  withState = true,
): ArimaFit | null {
  const y = Float64Array.from(yIn);
  const n = y.length;
  const { p, d, q, P, D, Q, constant } = spec;
  const m = P + D + Q > 0 ? spec.m : 1;
  const w = difference(difference(y, m, D), 1, d);
  const nUsed = w.length;
  if (nUsed < 2) return null;
  const diffs = d + D;
  const hasX = constant && diffs <= 1;
  // Regression term: intercept (no differencing) or drift (one), whose differenced regressor is c.
  const c = diffs === 0 ? 1 : D === 1 ? m : 1;
  const L: Layout = { p, q, P, Q, m, nx: hasX ? 1 : 0 };
  const narma = p + q + P + Q;
  const npar = narma + L.nx;
  const ncond = p + m * P;
  if (ncond >= nUsed) return null;
  const init0 = new Float64Array(npar);
  const parscale = new Float64Array(npar).fill(1);
  if (hasX) {
    let s = 0;
    for (let i = 0; i < nUsed; i++) s += w[i]!;
    const beta = s / nUsed / c;
    let rss = 0;
    for (let i = 0; i < nUsed; i++) rss += (w[i]! - c * beta) ** 2;
    const se = Math.sqrt(rss / Math.max(1, nUsed - 1)) / (c * Math.sqrt(nUsed));
    init0[narma] = beta;
    parscale[narma] = se > 0 ? 10 * se : 1;
  }
  const muOf = (par: ArrayLike<number>) => (hasX ? par[narma]! * c : 0);
  const cssBuf = expandBuffers(L);
  const cssResid = new Float64Array(nUsed);
  const cssObj = (par: Float64Array) => {
    const { phi, theta } = expand(par, L, false, cssBuf);
    const v = css(w, muOf(par), phi, theta, ncond, cssResid);
    return 0.5 * Math.log(v);
  };
  const cssRes = bfgs(cssObj, init0, { parscale });
  let coef = cssRes.converged ? Float64Array.from(cssRes.par) : Float64Array.from(init0);
  if (!Number.isFinite(cssRes.value) && method === 'CSS') return null;
  let phi: Float64Array;
  let theta: Float64Array;
  let sigma2: number;
  let loglik: number;
  let aic: number;
  let hessFn: (x: Float64Array) => number;
  let hessAt: Float64Array;
  let trans = false;
  const resid = new Float64Array(nUsed);
  if (method === 'CSS') {
    coef = Float64Array.from(cssRes.par);
    ({ phi, theta } = expand(coef, L, false));
    sigma2 = css(w, muOf(coef), phi, theta, ncond, resid);
    loglik = -0.5 * (nUsed - ncond) * (Math.log(sigma2) + 1 + Math.log(2 * Math.PI));
    aic = NaN;
    hessFn = cssObj;
    hessAt = coef;
  } else {
    if (p > 0 && !rootsOutside(coef.subarray(0, p))) return null;
    if (P > 0 && !rootsOutside(coef.subarray(p + q, p + q + P))) return null;
    // To the transformed scale (PACF for AR parts), MA parts made invertible.
    const init = Float64Array.from(coef);
    if (p > 0) invpartrans(coef, 0, p, init, 0);
    if (P > 0) invpartrans(coef, p + q, P, init, p + q);
    if (q > 0) init.set(maInvert(Array.from(coef.subarray(p, p + q))), p);
    if (Q > 0) init.set(maInvert(Array.from(coef.subarray(p + q + P, p + q + P + Q))), p + q + P);
    trans = true;
    const mlBuf = expandBuffers(L);
    const mlObj = (par: Float64Array) => {
      const e = expand(par, L, true, mlBuf);
      const k = kalman(w, muOf(par), e.phi, e.theta);
      if (!k || k.nu === 0) return Number.MAX_VALUE;
      const s2 = k.ssq / k.nu;
      return 0.5 * (Math.log(s2) + k.sumlog / k.nu);
    };
    if (!Number.isFinite(mlObj(init)) || mlObj(init) >= Number.MAX_VALUE) return null;
    const res = bfgs(mlObj, init, { parscale });
    const raw = Float64Array.from(res.par);
    // Back to AR coefficients; MA parts made invertible.
    const ex = expand(raw, L, true);
    coef = Float64Array.from(raw);
    if (p > 0) partrans(raw, 0, p, coef, 0);
    if (P > 0) partrans(raw, p + q, P, coef, p + q);
    let rawFinal = raw;
    if (q > 0 || Q > 0) {
      const ma = q > 0 ? maInvert(Array.from(coef.subarray(p, p + q))) : [];
      const sma = Q > 0 ? maInvert(Array.from(coef.subarray(p + q + P, p + q + P + Q))) : [];
      coef.set(ma, p);
      coef.set(sma, p + q + P);
      rawFinal = Float64Array.from(raw);
      rawFinal.set(ma, p);
      rawFinal.set(sma, p + q + P);
    }
    ({ phi, theta } = q > 0 || Q > 0 ? expand(coef, L, false) : ex);
    const k = kalman(w, muOf(coef), phi, theta, resid);
    if (!k) return null;
    sigma2 = k.ssq / nUsed;
    const value = 0.5 * (Math.log(k.ssq / k.nu) + k.sumlog / k.nu);
    const m2 = 2 * nUsed * value + nUsed + nUsed * Math.log(2 * Math.PI);
    loglik = -0.5 * m2;
    aic = m2 + 2 * npar + 2;
    hessFn = mlObj;
    hessAt = rawFinal;
  }
  const nstar = n - d - D * m;
  const k = npar + 1;
  if (method === 'CSS') aic = nstar * Math.log(sigma2) + 2 * k;
  let aicc = aic + (2 * k * (k + 1)) / (nstar - k - 1);
  const bic = aic + k * (Math.log(nstar) - 2);
  if (!Number.isFinite(aic)) aicc = Infinity;
  let icv = ic === 'aic' ? aic : aicc;
  if (!Number.isFinite(icv)) icv = Infinity;
  let ssr = 0;
  for (let i = 0; i < nUsed; i++) ssr += resid[i]! * resid[i]!;
  const sigmaAdj = ssr / (nstar - k + 1);
  // Roots within 1.01 of the unit circle: R's myarima refuses the model.
  if (!rootsOutside(phi, 1.01) || !rootsOutside(Array.from(theta, (v) => -v), 1.01)) icv = Infinity;
  const fit: ArimaFit = {
    spec: { ...spec, m: spec.m },
    method,
    coef: Array.from(coef),
    phi,
    theta,
    mu: muOf(coef),
    sigma2: sigmaAdj,
    loglik,
    aic,
    aicc,
    bic,
    ic: icv,
    n,
    state: new Float64Array(0),
    tail: y.slice(n - (d + D * m)),
  };
  if (npar > 0) fit.hessianOk = () => hessianOk(hessFn, hessAt, parscale, L, trans, nUsed);
  if (checkHessian && icv < Infinity && fit.hessianOk && !fit.hessianOk()) fit.ic = Infinity;
  if (withState && !withFilteredState(fit, w)) return null;
  return fit;
}

/**
 * The fitted model (orders and coefficients kept) run over other data, e.g. the values before a
 * validation origin: forecasts then start from that data's end. Null when the filter fails.
 */
export function arimaOnData(fit: ArimaFit, yIn: ArrayLike<number>): ArimaFit | null {
  const { d, D } = fit.spec;
  const m = fit.spec.P + D + fit.spec.Q > 0 ? fit.spec.m : 1;
  const y = Float64Array.from(yIn);
  if (y.length <= d + D * m + 1) return null;
  const out: ArimaFit = { ...fit, n: y.length, tail: y.slice(y.length - (d + D * m)) };
  return withFilteredState(out, undefined, y) ? out : null;
}

/** Runs the Kalman filter over the differenced series to get the state forecasts start from. */
function withFilteredState(fit: ArimaFit, w?: Float64Array, y?: ArrayLike<number>): boolean {
  const { d, D } = fit.spec;
  const m = fit.spec.P + D + fit.spec.Q > 0 ? fit.spec.m : 1;
  const ww = w ?? difference(difference(y!, m, D), 1, d);
  const st = kalman(ww, fit.mu, fit.phi, fit.theta);
  if (!st) return false;
  fit.state = st.state;
  return true;
}

/** forecast's checkarima: the coefficient covariance (inverse Hessian) has a non-positive variance. */
function hessianOk(fn: (x: Float64Array) => number, at: Float64Array, parscale: Float64Array, L: Layout, trans: boolean, nUsed: number): boolean {
  const k = at.length;
  const H = numericHessian(fn, at, { parscale });
  const inv = invert(H.map((row) => row.map((v) => v * nUsed)));
  if (!inv) return false;
  // Jacobian of the PACF transform (R's ARIMA_Gradtrans, forward differences 1e-3).
  const A: Float64Array[] = Array.from({ length: k }, (_, i) => {
    const row = new Float64Array(k);
    row[i] = 1;
    return row;
  });
  if (trans) {
    for (const [from, len] of [[0, L.p], [L.p + L.q, L.P]] as const) {
      if (len === 0) continue;
      const w1 = new Float64Array(len);
      partrans(at, from, len, w1, 0);
      for (let i = 0; i < len; i++) {
        const w2 = Float64Array.from(at);
        w2[from + i] = w2[from + i]! + 1e-3;
        const w3 = new Float64Array(len);
        partrans(w2, from, len, w3, 0);
        for (let j = 0; j < len; j++) A[from + i]![from + j] = (w3[j]! - w1[j]!) / 1e-3;
      }
    }
  }
  for (let j = 0; j < k; j++) {
    let v = 0;
    for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) v += A[a]![j]! * inv[a]![b]! * A[b]![j]!;
    if (!(v >= 0)) return false;
  }
  return true;
}

function invert(M: Float64Array[]): Float64Array[] | null {
  const n = M.length;
  const a = M.map((r) => Float64Array.from(r));
  const inv = Array.from({ length: n }, (_, i) => {
    const r = new Float64Array(n);
    r[i] = 1;
    return r;
  });
  let maxAbs = 0;
  for (const r of a) for (const v of r) maxAbs = Math.max(maxAbs, Math.abs(v));
  for (let col = 0; col < n; col++) {
    let piv = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(a[r]![col]!) > Math.abs(a[piv]![col]!)) piv = r;
    if (!(Math.abs(a[piv]![col]!) > 1e-14 * maxAbs)) return null;
    [a[col], a[piv]] = [a[piv]!, a[col]!];
    [inv[col], inv[piv]] = [inv[piv]!, inv[col]!];
    const d = a[col]![col]!;
    for (let j = 0; j < n; j++) {
      a[col]![j] = a[col]![j]! / d;
      inv[col]![j] = inv[col]![j]! / d;
    }
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const f = a[r]![col]!;
      if (f === 0) continue;
      for (let j = 0; j < n; j++) {
        a[r]![j] = a[r]![j]! - f * a[col]![j]!;
        inv[r]![j] = inv[r]![j]! - f * inv[col]![j]!;
      }
    }
  }
  return inv;
}

// ---- unit-root tests --------------------------------------------------------------------------

/** KPSS level-stationarity statistic as urca::ur.kpss(type = "mu", use.lag = ⌊3√n/13⌋). */
export function kpssStatistic(x: ArrayLike<number>): number {
  const n = x.length;
  const lmax = Math.trunc((3 * Math.sqrt(n)) / 13);
  let mu = 0;
  for (let i = 0; i < n; i++) mu += x[i]!;
  mu /= n;
  const e = Float64Array.from({ length: n }, (_, i) => x[i]! - mu);
  let S = 0;
  let num = 0;
  let s2 = 0;
  for (let i = 0; i < n; i++) {
    S += e[i]!;
    num += S * S;
    s2 += e[i]! * e[i]!;
  }
  num /= n * n;
  s2 /= n;
  let den = s2;
  for (let l = 1; l <= lmax; l++) {
    let cov = 0;
    for (let t = l; t < n; t++) cov += e[t]! * e[t - l]!;
    den += (2 / n) * (1 - l / (lmax + 1)) * cov;
  }
  return num / den;
}

/** forecast::ndiffs(x, test = "kpss", alpha = 0.05, max.d = 2). */
export function ndiffs(xIn: ArrayLike<number>, maxD = 2): number {
  let x: Float64Array = Float64Array.from(xIn);
  let d = 0;
  if (isConstantArr(x)) return 0;
  const test = (v: Float64Array) => v.length > 1 && kpssStatistic(v) > 0.463;
  let dodiff = test(x);
  while (dodiff && d < maxD) {
    d++;
    x = difference(x, 1);
    if (isConstantArr(x)) return d;
    dodiff = test(x);
  }
  return d;
}

/** forecast::nsdiffs(x, test = "seas", max.D = 1): 1 when the STL seasonal strength exceeds 0.64. */
export function nsdiffs(x: ArrayLike<number>, m: number): number {
  if (isConstantArr(x) || m >= x.length || x.length <= 2 * m) return 0;
  return seasonalStrength(x, m) > 0.64 ? 1 : 0;
}

// ---- automatic selection ------------------------------------------------------------------------

export type AutoArimaOptions = {
  /** CSS during the search (R: n > 150 or m > 12). */
  approximation?: boolean;
  /** Skip the maximum-likelihood refit after an approximate search (fast mode, CSS forecasts). */
  cssOnly?: boolean;
  /** Largest seasonal AR / MA orders (R: 2). */
  maxP?: number;
  maxQ?: number;
  /** Allow seasonal terms (R: seasonal = TRUE). */
  seasonal?: boolean;
};

/**
 * auto.arima(y) with R's defaults: stepwise Hyndman–Khandakar search by AICc.
 * Throws ForecastError when no model can be fitted.
 */
export function autoArima(yIn: ArrayLike<number>, frequency: number, options: AutoArimaOptions = {}): ArimaFit {
  const x = Float64Array.from(yIn);
  const n = x.length;
  if (n < 2) throw new ForecastError('invalid_series', `ARIMA needs at least 2 values, got ${n}`);
  let m = options.seasonal === false ? 1 : Math.max(1, Math.round(frequency));
  let ic: 'aicc' | 'aic' = n <= 3 ? 'aic' : 'aicc';
  if (isConstantArr(x)) {
    const fit = fitArimaModel(x, { p: 0, d: 0, q: 0, P: 0, D: 0, Q: 0, m, constant: true }, 'CSS', ic, false);
    if (!fit) throw new ForecastError('invalid_series', 'no ARIMA model for a constant series');
    return fit;
  }
  let maxp = Math.min(5, Math.floor(n / 3));
  let maxq = Math.min(5, Math.floor(n / 3));
  let maxP = Math.min(options.maxP ?? 2, Math.floor(n / 3 / m));
  let maxQ = Math.min(options.maxQ ?? 2, Math.floor(n / 3 / m));
  let D = 0;
  if (m === 1) {
    maxP = 0;
    maxQ = 0;
  } else if (n > 2 * m) D = nsdiffs(x, m);
  let dx = D > 0 ? difference(x, m) : x;
  const d = ndiffs(dx);
  dx = difference(dx, 1, d);
  if (dx.length === 0) throw new ForecastError('invalid_series', 'not enough data for ARIMA');
  if (isConstantArr(dx)) {
    const spec = { p: 0, d, q: 0, P: 0, D, Q: 0, m, constant: d + D < 2 };
    const fit = fitArimaModel(x, spec, 'CSS', ic, false);
    if (!fit) throw new ForecastError('invalid_series', 'no ARIMA model for a polynomial series');
    return fit;
  }
  if (m > 1) {
    if (maxP > 0) maxp = Math.min(maxp, m - 1);
    if (maxQ > 0) maxq = Math.min(maxq, m - 1);
  }
  const approximation = options.approximation ?? (n > 150 || m > 12);
  const method: ArimaMethod = approximation ? 'CSS' : 'CSS-ML';
  const allowdrift = d + D === 1;
  const allowmean = d + D === 0;
  let constant = allowdrift || allowmean;
  const nmodels = 94;
  type Row = [number, number, number, number, boolean, number];
  const results: Row[] = [];
  let best: ArimaFit | null = null;
  let bestIc = Infinity;
  const seen = (pp: number, qq: number, PP: number, QQ: number, cc: boolean) => results.some((r) => r[0] === pp && r[1] === qq && r[2] === PP && r[3] === QQ && r[4] === cc);
  // Fits lazily check the Hessian only when they would become the best (the only case it matters).
  const tryFit = (pp: number, qq: number, PP: number, QQ: number, cc: boolean): boolean => {
    const spec: ArimaSpec = { p: pp, d, q: qq, P: PP, D, Q: QQ, m, constant: cc };
    const fit = fitArimaModel(x, spec, method, ic, false, false);
    let v = fit ? fit.ic : Infinity;
    if (fit && v < bestIc && fit.hessianOk && !fit.hessianOk()) v = fit.ic = Infinity;
    results.push([pp, qq, PP, QQ, cc, v]);
    if (fit && v < bestIc) {
      best = fit;
      bestIc = v;
      return true;
    }
    return false;
  };
  let sp = 2;
  let sq = 2;
  let sP = 1;
  let sQ = 1;
  if (n < 10) {
    sp = Math.min(sp, 1);
    sq = Math.min(sq, 1);
    sP = 0;
    sQ = 0;
  }
  let p = Math.min(sp, maxp);
  let q = Math.min(sq, maxq);
  let P = Math.min(sP, maxP);
  let Q = Math.min(sQ, maxQ);
  tryFit(p, q, P, Q, constant);
  if (tryFit(0, 0, 0, 0, constant)) p = q = P = Q = 0;
  if (maxp > 0 || maxP > 0) {
    const a = maxp > 0 ? 1 : 0;
    const b = m > 1 && maxP > 0 ? 1 : 0;
    if (tryFit(a, 0, b, 0, constant)) {
      p = a;
      P = b;
      q = Q = 0;
    }
  }
  if (maxq > 0 || maxQ > 0) {
    const a = maxq > 0 ? 1 : 0;
    const b = m > 1 && maxQ > 0 ? 1 : 0;
    if (tryFit(0, a, 0, b, constant)) {
      p = P = 0;
      Q = b;
      q = a;
    }
  }
  if (constant) if (tryFit(0, 0, 0, 0, false)) p = q = P = Q = 0;
  let k = results.length;
  let startk = 0;
  while (startk < k && k < nmodels) {
    startk = k;
    const moves: [boolean, number, number, number, number, boolean][] = [
      [P > 0, p, q, P - 1, Q, constant],
      [Q > 0, p, q, P, Q - 1, constant],
      [P < maxP, p, q, P + 1, Q, constant],
      [Q < maxQ, p, q, P, Q + 1, constant],
      [Q > 0 && P > 0, p, q, P - 1, Q - 1, constant],
      [Q < maxQ && P > 0, p, q, P - 1, Q + 1, constant],
      [Q > 0 && P < maxP, p, q, P + 1, Q - 1, constant],
      [Q < maxQ && P < maxP, p, q, P + 1, Q + 1, constant],
      [p > 0, p - 1, q, P, Q, constant],
      [q > 0, p, q - 1, P, Q, constant],
      [p < maxp, p + 1, q, P, Q, constant],
      [q < maxq, p, q + 1, P, Q, constant],
      [q > 0 && p > 0, p - 1, q - 1, P, Q, constant],
      [q < maxq && p > 0, p - 1, q + 1, P, Q, constant],
      [q > 0 && p < maxp, p + 1, q - 1, P, Q, constant],
      [q < maxq && p < maxp, p + 1, q + 1, P, Q, constant],
      [allowdrift || allowmean, p, q, P, Q, !constant],
    ];
    for (const [ok, pp, qq, PP, QQ, cc] of moves) {
      if (!ok || seen(pp, qq, PP, QQ, cc)) continue;
      k++;
      if (k > nmodels) break;
      if (tryFit(pp, qq, PP, QQ, cc)) {
        p = pp;
        q = qq;
        P = PP;
        Q = QQ;
        constant = cc;
        break;
      }
    }
    k = results.length;
  }
  if (approximation && !options.cssOnly && best) {
    const order = results.map((r, i) => [r[5], i] as const).filter(([v]) => !Number.isNaN(v)).sort((a, b) => a[0] - b[0]);
    best = null;
    for (const [, i] of order) {
      const r = results[i]!;
      const fit = fitArimaModel(x, { p: r[0], d, q: r[1], P: r[2], D, Q: r[3], m, constant: r[4] }, 'CSS-ML', ic, true, false);
      if (fit && fit.ic < Infinity) {
        best = fit;
        break;
      }
    }
  }
  const chosen = best as ArimaFit | null;
  if (!chosen || (chosen.ic === Infinity && method !== 'CSS')) throw new ForecastError('invalid_series', 'no suitable ARIMA model found');
  if (!withFilteredState(chosen, undefined, x)) throw new ForecastError('invalid_series', 'the ARIMA filter failed');
  return chosen;
}

// ---- forecasting ---------------------------------------------------------------------------------

/** Point forecasts: the ARMA state run forward, the differencing undone. */
export function arimaPoint(fit: ArimaFit, h: number): number[] {
  const { phi } = fit;
  const p = phi.length;
  const r = fit.state.length;
  const a = Float64Array.from(fit.state);
  const wf: number[] = [];
  for (let i = 0; i < h; i++) {
    const a0 = a[0]!;
    const next = new Float64Array(r);
    for (let j = 0; j < r; j++) next[j] = (j < r - 1 ? a[j + 1]! : 0) + (j < p ? phi[j]! * a0 : 0);
    a.set(next);
    wf.push(a[0]! + fit.mu);
  }
  const { d, D } = fit.spec;
  const m = fit.spec.P + D + fit.spec.Q > 0 ? fit.spec.m : 1;
  const delta = deltaPoly(d, D, m);
  const hist = Array.from(fit.tail);
  const out: number[] = [];
  for (let i = 0; i < h; i++) {
    let v = wf[i]!;
    for (let j = 0; j < delta.length; j++) v += delta[j]! * hist[hist.length - 1 - j]!;
    hist.push(v);
    out.push(v);
  }
  return out;
}

/** ψ-weights ψ₀…ψ_{h−1} of the full model (AR part times the differencing). */
export function arimaPsi(fit: ArimaFit, h: number): Float64Array {
  const { d, D } = fit.spec;
  const m = fit.spec.P + D + fit.spec.Q > 0 ? fit.spec.m : 1;
  const delta = deltaPoly(d, D, m);
  const ar = new Float64Array(fit.phi.length + delta.length);
  // (1 − Σφ B)(1 − Σδ B) = 1 − Σ a B
  const A = [1, ...Array.from(fit.phi, (v) => -v)];
  const Bp = [1, ...Array.from(delta, (v) => -v)];
  const prod = new Float64Array(A.length + Bp.length - 1);
  for (let i = 0; i < A.length; i++) for (let j = 0; j < Bp.length; j++) prod[i + j] = prod[i + j]! + A[i]! * Bp[j]!;
  for (let i = 1; i < prod.length; i++) ar[i - 1] = -prod[i]!;
  const psi = new Float64Array(h);
  psi[0] = 1;
  for (let j = 1; j < h; j++) {
    let v = j - 1 < fit.theta.length ? fit.theta[j - 1]! : 0;
    for (let k = 1; k <= Math.min(j, ar.length); k++) v += ar[k - 1]! * psi[j - k]!;
    psi[j] = v;
  }
  return psi;
}

/** Normal quantiles per step (σ² Σ ψ²) and of running totals (σ² Σ (cumulative ψ)²). */
export function arimaQuantiles(fit: ArimaFit, h: number, levels: readonly number[]): { quantiles: number[][]; cumulative: number[][] } {
  const point = arimaPoint(fit, h);
  const psi = arimaPsi(fit, h);
  const sd = Math.sqrt(Math.max(fit.sigma2, 0));
  const se: number[] = [];
  let v = 0;
  for (let i = 0; i < h; i++) {
    v += psi[i]! ** 2;
    se.push(sd * Math.sqrt(v));
  }
  const Psi = new Float64Array(h);
  let acc = 0;
  for (let i = 0; i < h; i++) Psi[i] = acc += psi[i]!;
  const cumMean: number[] = [];
  const cumSe: number[] = [];
  let cm = 0;
  let cv = 0;
  for (let k = 0; k < h; k++) {
    cm += point[k]!;
    cumMean.push(cm);
    cv += Psi[k]! ** 2;
    cumSe.push(sd * Math.sqrt(cv));
  }
  return {
    quantiles: levels.map((lv) => point.map((f, i) => f + qnorm(lv) * se[i]!)),
    cumulative: levels.map((lv) => cumMean.map((f, i) => f + qnorm(lv) * cumSe[i]!)),
  };
}
