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
