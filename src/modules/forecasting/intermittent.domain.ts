/**
 * Intermittent-demand methods: Croston (1972), SBA (Syntetos & Boylan 2005) and TSB
 * (Teunter, Syntetos & Babai 2011), plus a predictive distribution for them. Pure.
 *
 * Point forecasts follow R's forecast::croston (α = 0.1, states started at the first demand
 * size and the first inter-demand interval). Quantiles come from simulating a compound
 * Bernoulli process: demand occurs with the forecast probability, and its size is drawn from
 * the observed non-zero sizes rescaled to the forecast mean size. That keeps the shape of the
 * real size distribution (lumpy, skewed) and gives the distribution of totals over a lead time.
 */
import { mean, rng, sortedQuantileInverse } from './stats.domain.js';

export type IntermittentKind = 'croston' | 'sba' | 'tsb';

export type IntermittentFit = {
  kind: IntermittentKind;
  /** Probability of a demand in a period. */
  probability: number;
  /** Mean size of a non-zero demand. */
  size: number;
  /** Point forecast per period (flat). */
  rate: number;
  /** Observed non-zero sizes (for the predictive distribution). */
  sizes: number[];
};

/** Share of zero values. */
export function zeroShare(y: ArrayLike<number>): number {
  let z = 0;
  for (let i = 0; i < y.length; i++) if (y[i] === 0) z++;
  return y.length ? z / y.length : 0;
}

/** Average inter-demand interval (ADI), Infinity if no demand at all. */
export function averageDemandInterval(y: ArrayLike<number>): number {
  let nz = 0;
  for (let i = 0; i < y.length; i++) if (y[i]! > 0) nz++;
  return nz ? y.length / nz : Infinity;
}

/**
 * Intermittent when demand is absent in at least a quarter of the periods or arrives on
 * average less than every 1.32 periods' worth (Syntetos–Boylan's ADI cut-off), and nothing
 * is negative.
 */
export function isIntermittent(y: ArrayLike<number>): boolean {
  for (let i = 0; i < y.length; i++) if (y[i]! < 0) return false;
  return zeroShare(y) >= 0.25 || averageDemandInterval(y) > 1.32;
}

function ses(x: number[], alpha: number): number {
  let l = x[0]!;
  for (let i = 1; i < x.length; i++) l += alpha * (x[i]! - l);
  return l;
}

/** Croston or SBA as R's croston(): SES (α, started at the first value) on sizes and intervals. */
export function fitCroston(y: ArrayLike<number>, kind: 'croston' | 'sba' = 'croston', alpha = 0.1): IntermittentFit {
  const sizes: number[] = [];
  const intervals: number[] = [];
  let last = 0;
  for (let i = 0; i < y.length; i++) {
    if (y[i]! > 0) {
      sizes.push(y[i]!);
      intervals.push(i + 1 - last);
      last = i + 1;
    }
  }
  if (sizes.length === 0) return { kind, probability: 0, size: 0, rate: 0, sizes };
  const z = ses(sizes, alpha);
  const p = ses(intervals, alpha);
  let rate = z / p;
  if (kind === 'sba') rate *= 1 - alpha / 2;
  return { kind, probability: Math.min(1, 1 / p), size: z, rate, sizes };
}

/**
 * TSB: the demand probability is smoothed every period (β), the size only when demand
 * occurs (α); both start at their in-sample means. Forecast = probability × size.
 */
export function fitTsb(y: ArrayLike<number>, alpha = 0.1, beta = 0.1): IntermittentFit {
  const sizes: number[] = [];
  for (let i = 0; i < y.length; i++) if (y[i]! > 0) sizes.push(y[i]!);
  if (sizes.length === 0) return { kind: 'tsb', probability: 0, size: 0, rate: 0, sizes };
  let p = sizes.length / y.length;
  let z = mean(sizes);
  for (let i = 0; i < y.length; i++) {
    const v = y[i]!;
    if (v > 0) {
      p += beta * (1 - p);
      z += alpha * (v - z);
    } else p += beta * (0 - p);
  }
  return { kind: 'tsb', probability: p, size: z, rate: p * z, sizes };
}

/** In-sample one-step errors of a flat-forecast method refitted at each origin (for σ). */
export function intermittentResiduals(y: ArrayLike<number>, fitAt: (prefix: number[]) => number, start = 3): number[] {
  const arr = Array.from(y);
  const out: number[] = [];
  for (let t = start; t < arr.length; t++) out.push(arr[t]! - fitAt(arr.slice(0, t)));
  return out;
}

/**
 * Quantiles (per step and of the running total) of a compound Bernoulli demand with the
 * fit's probability and mean size; sizes resampled from the history. Deterministic seed.
 */
export function intermittentQuantiles(
  fit: IntermittentFit,
  h: number,
  levels: readonly number[],
  paths = 2000,
  seed = 7,
): { quantiles: number[][]; cumulative: number[][] } {
  if (fit.rate <= 0 || fit.sizes.length === 0) {
    const zeros = levels.map(() => new Array<number>(h).fill(0));
    return { quantiles: zeros, cumulative: zeros.map((r) => r.slice()) };
  }
  const u = rng(seed);
  const scale = fit.size / mean(fit.sizes);
  const p = Math.min(1, fit.rate / fit.size);
  const step = Array.from({ length: h }, () => new Float64Array(paths));
  const cum = Array.from({ length: h }, () => new Float64Array(paths));
  const ns = fit.sizes.length;
  for (let k = 0; k < paths; k++) {
    let c = 0;
    for (let i = 0; i < h; i++) {
      let d = 0;
      if (u() < p) d = fit.sizes[Math.floor(u() * ns)]! * scale;
      c += d;
      step[i]![k] = d;
      cum[i]![k] = c;
    }
  }
  for (const a of step) a.sort();
  for (const a of cum) a.sort();
  return {
    quantiles: levels.map((lv) => step.map((s) => sortedQuantileInverse(s, lv))),
    cumulative: levels.map((lv) => cum.map((s) => sortedQuantileInverse(s, lv))),
  };
}

/** Pseudo-observations given to the smooth prior of the size distribution (chosen on a training holdout, see ADR 006). */
export const SIZE_PRIOR_WEIGHT = 8;

/** Most grid cells used for the size distribution when sizes are not small whole multiples of one unit. */
const MAX_GRID = 256;

/** Poisson probabilities 0..K covering all but 1e-10 of the mass (K ≤ cap). */
function poissonProbs(lambda: number, cap: number): number[] {
  const out = [Math.exp(-lambda)];
  let c = out[0]!;
  for (let k = 1; k <= cap && c < 1 - 1e-10; k++) {
    out.push((out[k - 1]! * lambda) / k);
    c += out[k]!;
  }
  return out;
}

/**
 * Distribution of one non-zero demand on a grid of step `unit`: the observed sizes (weight n)
 * mixed with a smooth prior of the same mean (weight SIZE_PRIOR_WEIGHT), the prior being
 * 1 + Poisson counts of the smallest observed size. Sizes off the grid are split between the
 * two neighbouring cells so the mean is kept. The whole distribution is then rescaled to
 * the fitted mean size by the caller. pmf[j] = P(size = j·unit); pmf[0] = 0.
 */
export function sizeDistribution(sizes: readonly number[], priorWeight = SIZE_PRIOR_WEIGHT): { unit: number; pmf: number[] } {
  const n = sizes.length;
  if (n === 0) return { unit: 1, pmf: [0] };
  let min = Infinity;
  let max = 0;
  for (const s of sizes) {
    if (s < min) min = s;
    if (s > max) max = s;
  }
  const m0 = mean(sizes);
  const prior = priorWeight > 0 ? poissonProbs(Math.max(0, m0 / min - 1), 4 * MAX_GRID) : [];
  const top = Math.max(max, min * prior.length);
  const whole = sizes.every((s) => Math.abs(s / min - Math.round(s / min)) < 1e-9);
  const unit = whole && top / min <= MAX_GRID ? min : top / MAX_GRID;
  const cells = Math.ceil(top / unit - 1e-9) + 1;
  const pmf = new Array<number>(cells + 1).fill(0);
  const put = (x: number, w: number) => {
    const r = x / unit;
    const lo = Math.floor(r + 1e-9);
    const f = Math.max(0, r - lo);
    if (f < 1e-9) pmf[lo]! += w;
    else {
      pmf[lo]! += w * (1 - f);
      pmf[lo + 1]! += w * f;
    }
  };
  const wEmp = n / (n + priorWeight);
  for (const s of sizes) put(s, wEmp / n);
  if (prior.length) {
    let tot = 0;
    for (const p of prior) tot += p;
    prior.forEach((p, k) => put(min * (k + 1), ((1 - wEmp) * p) / tot));
  }
  while (pmf.length > 2 && pmf[pmf.length - 1] === 0) pmf.pop();
  return { unit, pmf };
}

/** Smallest index whose cumulative probability reaches p (the discrete inverse CDF). */
function inverseCdf(pmf: readonly number[], p: number): number {
  let c = 0;
  for (let j = 0; j < pmf.length; j++) {
    c += pmf[j]!;
    if (c >= p - 1e-12) return j;
  }
  return pmf.length - 1;
}

/**
 * Exact quantiles (per step and of the running total) of the compound Bernoulli demand of an
 * intermittent fit: each period, demand occurs with the fitted probability and its size follows
 * `sizeDistribution` rescaled to the fitted mean size. The totals over 1..h periods (the demand
 * over a lead time plus review period) are computed by convolving the per-period distribution,
 * not simulated, so quantiles are deterministic and monotone in the level and in the horizon.
 */
export function intermittentDistributionQuantiles(
  fit: IntermittentFit,
  h: number,
  levels: readonly number[],
  priorWeight = SIZE_PRIOR_WEIGHT,
): { quantiles: number[][]; cumulative: number[][] } {
  const zeros = () => levels.map(() => new Array<number>(h).fill(0));
  if (!(fit.rate > 0) || fit.sizes.length === 0 || !(fit.size > 0)) return { quantiles: zeros(), cumulative: zeros() };
  const { unit, pmf: g } = sizeDistribution(fit.sizes, priorWeight);
  let gMean = 0;
  g.forEach((w, j) => (gMean += w * j * unit));
  const scale = fit.size / gMean;
  const p = Math.min(1, fit.rate / fit.size);
  const one = g.map((w) => p * w);
  one[0] = 1 - p;
  const support: number[] = [];
  one.forEach((w, j) => {
    if (w > 0) support.push(j);
  });
  const quantiles = zeros();
  const cumulative = zeros();
  let cum = [1];
  for (let i = 0; i < h; i++) {
    const next = new Array<number>(cum.length + one.length - 1).fill(0);
    for (let a = 0; a < cum.length; a++) {
      const ca = cum[a]!;
      if (ca === 0) continue;
      for (const j of support) next[a + j]! += ca * one[j]!;
    }
    // Drop the far tail (mass below 1e-12), keeping the arrays short over long horizons.
    let c = 0;
    let cut = next.length;
    for (let j = 0; j < next.length; j++) {
      c += next[j]!;
      if (c >= 1 - 1e-12) {
        cut = j + 1;
        break;
      }
    }
    cum = next.length > cut ? next.slice(0, cut) : next;
    levels.forEach((lv, k) => {
      quantiles[k]![i] = inverseCdf(one, lv) * unit * scale;
      cumulative[k]![i] = inverseCdf(cum, lv) * unit * scale;
    });
  }
  return { quantiles, cumulative };
}
