/**
 * STL seasonal-trend decomposition by loess (Cleveland, Cleveland, McRae & Terpenning 1990),
 * a port of the non-robust path of R's stats::stl (its Fortran, jumps and end rules included),
 * and the seasonal strength R's forecast::nsdiffs(test = "seas") computes from it. Pure.
 */
import { mean } from './stats.domain.js';

/** Local (degree 0 or 1) tricube-weighted fit at xs over y[nleft..nright] (1-based, as stlest). */
function stlest(y: Float64Array, n: number, len: number, ideg: number, xs: number, nleft: number, nright: number, w: Float64Array): number | null {
  const range = n - 1;
  let h = Math.max(xs - nleft, nright - xs);
  if (len > n) h += Math.trunc((len - n) / 2);
  const h9 = 0.999 * h;
  const h1 = 0.001 * h;
  let a = 0;
  for (let j = nleft; j <= nright; j++) {
    w[j] = 0;
    const r = Math.abs(j - xs);
    if (r <= h9) {
      w[j] = r <= h1 ? 1 : (1 - (r / h) ** 3) ** 3;
      a += w[j]!;
    }
  }
  if (a <= 0) return null;
  for (let j = nleft; j <= nright; j++) w[j] = w[j]! / a;
  if (h > 0 && ideg > 0) {
    let aa = 0;
    for (let j = nleft; j <= nright; j++) aa += w[j]! * j;
    let b = xs - aa;
    let c = 0;
    for (let j = nleft; j <= nright; j++) c += w[j]! * (j - aa) ** 2;
    if (Math.sqrt(c) > 0.001 * range) {
      b /= c;
      for (let j = nleft; j <= nright; j++) w[j] = w[j]! * (b * (j - aa) + 1);
    }
  }
  let ys = 0;
  for (let j = nleft; j <= nright; j++) ys += w[j]! * y[j]!;
  return ys;
}

/** Loess smoothing of y[1..n] into ys[1..n], evaluated every njump points and interpolated (stless). */
function stless(y: Float64Array, n: number, len: number, ideg: number, njump: number, ys: Float64Array, w: Float64Array): void {
  if (n < 2) {
    ys[1] = y[1]!;
    return;
  }
  const newnj = Math.min(njump, n - 1);
  let nleft = 1;
  let nright = n;
  const at = (i: number) => {
    const v = stlest(y, n, len, ideg, i, nleft, nright, w);
    ys[i] = v === null ? y[i]! : v;
  };
  if (len >= n) {
    nleft = 1;
    nright = n;
    for (let i = 1; i <= n; i += newnj) at(i);
  } else if (newnj === 1) {
    const nsh = Math.trunc((len + 1) / 2);
    nleft = 1;
    nright = len;
    for (let i = 1; i <= n; i++) {
      if (i > nsh && nright !== n) {
        nleft++;
        nright++;
      }
      at(i);
    }
  } else {
    const nsh = Math.trunc((len + 1) / 2);
    for (let i = 1; i <= n; i += newnj) {
      if (i < nsh) {
        nleft = 1;
        nright = len;
      } else if (i >= n - nsh + 1) {
        nleft = n - len + 1;
        nright = n;
      } else {
        nleft = i - nsh + 1;
        nright = len + i - nsh;
      }
      at(i);
    }
  }
  if (newnj !== 1) {
    for (let i = 1; i <= n - newnj; i += newnj) {
      const delta = (ys[i + newnj]! - ys[i]!) / newnj;
      for (let j = i + 1; j <= i + newnj - 1; j++) ys[j] = ys[i]! + delta * (j - i);
    }
    const k = Math.trunc((n - 1) / newnj) * newnj + 1;
    if (k !== n) {
      at(n);
      if (k !== n - 1) {
        const delta = (ys[n]! - ys[k]!) / (n - k);
        for (let j = k + 1; j <= n - 1; j++) ys[j] = ys[k]! + delta * (j - k);
      }
    }
  }
}

/** Moving average of length len over x[1..n] into ave[1..n−len+1]. */
function stlma(x: Float64Array, n: number, len: number, ave: Float64Array): void {
  const newn = n - len + 1;
  let v = 0;
  for (let i = 1; i <= len; i++) v += x[i]!;
  ave[1] = v / len;
  for (let j = 2, k = len + 1, m = 1; j <= newn; j++, k++, m++) {
    v = v - x[m]! + x[k]!;
    ave[j] = v / len;
  }
}

const nextOdd = (x: number) => {
  let v = Math.round(x);
  if (v % 2 === 0) v++;
  return v;
};

export type StlResult = { seasonal: Float64Array; trend: Float64Array; remainder: Float64Array };

/**
 * stl(x, s.window) with R's defaults for everything else (s.degree 0, t.window
 * nextodd(ceiling(1.5·m/(1 − 1.5/s.window))), l.window nextodd(m), degrees 1, jumps
 * ceiling(window/10), 2 inner passes, not robust). Needs n > 2m.
 */
export function stl(x: ArrayLike<number>, m: number, sWindow: number): StlResult {
  const n = x.length;
  if (m < 2 || n <= 2 * m) throw new RangeError('stl needs a seasonal period ≥ 2 and more than two periods');
  let ns = Math.max(3, sWindow);
  let nt = Math.max(3, nextOdd(Math.ceil((1.5 * m) / (1 - 1.5 / sWindow))));
  let nl = Math.max(3, nextOdd(m));
  if (ns % 2 === 0) ns++;
  if (nt % 2 === 0) nt++;
  if (nl % 2 === 0) nl++;
  const sj = Math.ceil(sWindow / 10);
  const tj = Math.ceil(nt / 10);
  const lj = Math.ceil(nl / 10);
  const np = m;
  const N = n + 2 * np + 2;
  const y = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) y[i + 1] = x[i]!;
  const trend = new Float64Array(n + 1);
  const season = new Float64Array(n + 1);
  const w1 = new Float64Array(N);
  const w2 = new Float64Array(N);
  const w3 = new Float64Array(N);
  const w4 = new Float64Array(N);
  const w5 = new Float64Array(N);
  const sub = new Float64Array(N);
  const subS = new Float64Array(N);
  const wts = new Float64Array(N);
  for (let pass = 0; pass < 2; pass++) {
    for (let i = 1; i <= n; i++) w1[i] = y[i]! - trend[i]!;
    // Cycle-subseries smoothing, one point beyond each end: w2[1..n+2np].
    for (let j = 1; j <= np; j++) {
      const k = Math.trunc((n - j) / np) + 1;
      for (let i = 1; i <= k; i++) sub[i] = w1[(i - 1) * np + j]!;
      stless(sub, k, ns, 0, sj, subS.subarray(1), wts);
      // subS is shifted by one: subS[1 + i] holds the smooth at i.
      const left = stlest(sub, k, ns, 0, 0, 1, Math.min(ns, k), wts);
      subS[1] = left === null ? subS[2]! : left;
      const right = stlest(sub, k, ns, 0, k + 1, Math.max(1, k - ns + 1), k, wts);
      subS[k + 2] = right === null ? subS[k + 1]! : right;
      for (let mm = 1; mm <= k + 2; mm++) w2[(mm - 1) * np + j] = subS[mm]!;
    }
    // Low-pass filter of the cycle-subseries: MA(np), MA(np), MA(3), loess(nl).
    stlma(w2, n + 2 * np, np, w3);
    stlma(w3, n + np + 1, np, w4);
    stlma(w4, n + 2, 3, w3);
    stless(w3, n, nl, 1, lj, w1, w5);
    for (let i = 1; i <= n; i++) season[i] = w2[np + i]! - w1[i]!;
    for (let i = 1; i <= n; i++) w1[i] = y[i]! - season[i]!;
    stless(w1, n, nt, 1, tj, trend, w3);
  }
  const out: StlResult = { seasonal: new Float64Array(n), trend: new Float64Array(n), remainder: new Float64Array(n) };
  for (let i = 0; i < n; i++) {
    out.seasonal[i] = season[i + 1]!;
    out.trend[i] = trend[i + 1]!;
    out.remainder[i] = y[i + 1]! - season[i + 1]! - trend[i + 1]!;
  }
  return out;
}

function variance(x: ArrayLike<number>): number {
  const n = x.length;
  const mu = mean(x);
  let v = 0;
  for (let i = 0; i < n; i++) v += (x[i]! - mu) ** 2;
  return v / (n - 1);
}

/** Seasonal strength max(0, min(1, 1 − var(R)/var(R + S))) from mstl's STL (s.window 11), as seas.heuristic. */
export function seasonalStrength(x: ArrayLike<number>, m: number): number {
  const d = stl(x, m, 11);
  const rs = d.remainder.map((r, i) => r + d.seasonal[i]!);
  return Math.max(0, Math.min(1, 1 - variance(d.remainder) / variance(rs)));
}
