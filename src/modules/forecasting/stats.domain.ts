/** Small numeric helpers for the forecasting engine (pure, no I/O). */

/** Inverse of the standard normal CDF (Wichura's AS241, about 1e-16 relative accuracy). */
export function qnorm(p: number): number {
  if (!(p > 0 && p < 1)) {
    if (p === 0) return -Infinity;
    if (p === 1) return Infinity;
    return NaN;
  }
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    return (
      (q *
        (((((((r * 2509.0809287301226727 + 33430.575583588128105) * r + 67265.770927008700853) * r +
          45921.953931549871457) * r + 13731.693765509461125) * r + 1971.5909503065514427) * r +
          133.14166789178437745) * r + 3.387132872796366608)) /
      (((((((r * 5226.495278852545925 + 28729.085735721942674) * r + 39307.89580009271061) * r +
        21213.794301586595867) * r + 5394.1960214247511077) * r + 687.1870074920579083) * r +
        42.313330701600911252) * r + 1)
    );
  }
  let r = q < 0 ? p : 1 - p;
  r = Math.sqrt(-Math.log(r));
  let val: number;
  if (r <= 5) {
    r -= 1.6;
    val =
      (((((((r * 7.7454501427834140764e-4 + 0.0227238449892691845833) * r + 0.24178072517745061177) * r +
        1.27045825245236838258) * r + 3.64784832476320460504) * r + 5.7694972214606914055) * r +
        4.6303378461565452959) * r + 1.42343711074968357734) /
      (((((((r * 1.05075007164441684324e-9 + 5.475938084995344946e-4) * r + 0.0151986665636164571966) * r +
        0.14810397642748007459) * r + 0.68976733498510000455) * r + 1.6763848301838038494) * r +
        2.05319162663775882187) * r + 1);
  } else {
    r -= 5;
    val =
      (((((((r * 2.01033439929228813265e-7 + 2.71155556874348757815e-5) * r + 0.0012426609473880784386) * r +
        0.026532189526576123093) * r + 0.29656057182850489123) * r + 1.7848265399172913358) * r +
        5.4637849111641143699) * r + 6.6579046435011037772) /
      (((((((r * 2.04426310338993978564e-15 + 1.4215117583164458887e-7) * r + 1.8463183175100546818e-5) * r +
        7.868691311456132591e-4) * r + 0.0148753612908506148525) * r + 0.13692988092273580531) * r +
        0.59983220655588793769) * r + 1);
  }
  return q < 0 ? -val : val;
}

/** Standard normal density. */
export function dnorm(z: number): number {
  return Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
}

/**
 * Standard normal CDF, by Marsaglia's Taylor series ("Evaluating the normal distribution",
 * J. Stat. Software 2004): about 1e-15 absolute accuracy, which is what the loss function needs.
 */
export function pnorm(z: number): number {
  if (Number.isNaN(z)) return NaN;
  if (z < -38) return 0;
  if (z > 38) return 1;
  let s = z;
  let t = 0;
  let b = z;
  const q = z * z;
  for (let i = 1; s !== t; ) s = (t = s) + (b *= q / (i += 2));
  return Math.min(1, Math.max(0, 0.5 + s * Math.exp(-0.5 * q - 0.91893853320467274178)));
}

/**
 * Standard normal loss function G(z) = E[(Z − z)+] = φ(z) − z·(1 − Φ(z)): the expected
 * shortage, in standard deviations, when stock covers z standard deviations above the mean.
 */
export function normalLoss(z: number): number {
  if (z === Infinity) return 0;
  if (z === -Infinity) return Infinity;
  return Math.max(0, dnorm(z) - z * pnorm(-z));
}

export function mean(x: ArrayLike<number>, from = 0, to = x.length): number {
  let s = 0;
  for (let i = from; i < to; i++) s += x[i]!;
  return to > from ? s / (to - from) : NaN;
}

/** Least-squares line through (t_i, x_i), t_i = t0, t0+1, …: [intercept, slope]. */
export function linearFit(x: ArrayLike<number>, t0 = 1, n = x.length): [number, number] {
  if (n === 1) return [x[0]! , 0];
  let st = 0;
  let sx = 0;
  for (let i = 0; i < n; i++) {
    st += t0 + i;
    sx += x[i]!;
  }
  const mt = st / n;
  const mx = sx / n;
  let stt = 0;
  let stx = 0;
  for (let i = 0; i < n; i++) {
    const dt = t0 + i - mt;
    stt += dt * dt;
    stx += dt * (x[i]! - mx);
  }
  const slope = stt > 0 ? stx / stt : 0;
  return [mx - slope * mt, slope];
}

export function isConstant(x: ArrayLike<number>): boolean {
  for (let i = 1; i < x.length; i++) if (x[i] !== x[0]) return false;
  return true;
}

/**
 * Classical decomposition as R's stats::decompose: centred moving average of order m
 * (2×m when m is even), seasonal figure = mean detrended value per position, normalised.
 * Returns the seasonal component at every time index (length n). Needs n ≥ 2m.
 */
export function classicalSeasonal(x: ArrayLike<number>, m: number, type: 'additive' | 'multiplicative'): Float64Array {
  const n = x.length;
  const even = m % 2 === 0;
  const half = Math.floor(m / 2);
  const detr = new Float64Array(n).fill(NaN);
  for (let t = half; t < n - half; t++) {
    let s = 0;
    if (even) {
      s = 0.5 * x[t - half]! + 0.5 * x[t + half]!;
      for (let j = -half + 1; j <= half - 1; j++) s += x[t + j]!;
    } else {
      for (let j = -half; j <= half; j++) s += x[t + j]!;
    }
    const trend = s / m;
    detr[t] = type === 'additive' ? x[t]! - trend : x[t]! / trend;
  }
  const figure = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    let s = 0;
    let c = 0;
    for (let t = i; t < n; t += m) {
      const v = detr[t]!;
      if (!Number.isNaN(v)) {
        s += v;
        c++;
      }
    }
    figure[i] = c > 0 ? s / c : NaN;
  }
  const fm = mean(figure);
  for (let i = 0; i < m; i++) figure[i] = type === 'additive' ? figure[i]! - fm : figure[i]! / fm;
  const out = new Float64Array(n);
  for (let t = 0; t < n; t++) out[t] = figure[t % m]!;
  return out;
}

/** Sample autocorrelations at lags 1..maxLag, as R's acf (mean removed, divided by n·c0). */
export function acf(x: ArrayLike<number>, maxLag: number): Float64Array {
  const n = x.length;
  const mu = mean(x);
  let c0 = 0;
  for (let i = 0; i < n; i++) c0 += (x[i]! - mu) ** 2;
  const r = new Float64Array(maxLag);
  for (let k = 1; k <= maxLag; k++) {
    let s = 0;
    for (let i = 0; i + k < n; i++) s += (x[i]! - mu) * (x[i + k]! - mu);
    r[k - 1] = c0 > 0 ? s / c0 : 0;
  }
  return r;
}

/** Fills nulls by linear interpolation between neighbours (nearest value at the ends). */
export function fillMissing(values: ReadonlyArray<number | null>): Float64Array {
  const n = values.length;
  const out = new Float64Array(n);
  let prev = -1;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v === null || v === undefined || !Number.isFinite(v)) continue;
    out[i] = v;
    if (prev === -1) {
      for (let j = 0; j < i; j++) out[j] = v;
    } else if (i - prev > 1) {
      const a = out[prev]!;
      for (let j = prev + 1; j < i; j++) out[j] = a + ((v - a) * (j - prev)) / (i - prev);
    }
    prev = i;
  }
  if (prev >= 0) for (let j = prev + 1; j < n; j++) out[j] = out[prev]!;
  return out;
}

/** Deterministic PRNG (mulberry32), so simulated quantiles are reproducible. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal draws from a uniform source (Box–Muller). */
export function normalSampler(u: () => number): () => number {
  let spare: number | null = null;
  return () => {
    if (spare !== null) {
      const s = spare;
      spare = null;
      return s;
    }
    let a = u();
    while (a <= 1e-300) a = u();
    const b = u();
    const r = Math.sqrt(-2 * Math.log(a));
    spare = r * Math.sin(2 * Math.PI * b);
    return r * Math.cos(2 * Math.PI * b);
  };
}

/** Quantile (R type 7) of an ascending-sorted sample. */
export function sortedQuantile(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/** Quantile (R type 1, inverse empirical CDF) of an ascending-sorted sample: always a sample value. */
export function sortedQuantileInverse(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  return sorted[Math.min(n - 1, Math.max(0, Math.ceil(n * p - 1e-12) - 1))]!;
}
