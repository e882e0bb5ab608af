/** Naive and seasonal naive forecasts with normal quantiles from their in-sample errors. Pure. */
import { qnorm } from './stats.domain.js';

export type BaselineFit = { lastSeason: number[]; m: number; sigma: number };

/** Seasonal naive: repeat the last season; σ from the in-sample lag-m differences. */
export function fitSeasonalNaive(y: ArrayLike<number>, frequency: number): BaselineFit {
  const n = y.length;
  const m = frequency > 1 && n >= frequency ? frequency : 1;
  const last = Array.from({ length: m }, (_, i) => y[n - m + i]!);
  let s = 0;
  let c = 0;
  for (let t = m; t < n; t++) {
    s += (y[t]! - y[t - m]!) ** 2;
    c++;
  }
  return { lastSeason: last, m, sigma: c ? Math.sqrt(s / c) : 0 };
}

export function fitNaive(y: ArrayLike<number>): BaselineFit {
  return fitSeasonalNaive(y, 1);
}

export function baselinePoint(fit: BaselineFit, h: number): number[] {
  return Array.from({ length: h }, (_, i) => fit.lastSeason[i % fit.m]!);
}

/** Step i has the error of ⌊(i−1)/m⌋+1 seasonal random-walk steps; a total adds them up. */
export function baselineQuantiles(fit: BaselineFit, h: number, levels: readonly number[]): { quantiles: number[][]; cumulative: number[][] } {
  const point = baselinePoint(fit, h);
  const se = point.map((_, i) => fit.sigma * Math.sqrt(Math.floor(i / fit.m) + 1));
  const cm: number[] = [];
  const cse: number[] = [];
  let acc = 0;
  for (let k = 1; k <= h; k++) {
    acc += point[k - 1]!;
    cm.push(acc);
    // Steps sharing a season position share their random-walk errors.
    let v = 0;
    for (let pos = 0; pos < fit.m && pos < k; pos++) {
      const count = Math.floor((k - 1 - pos) / fit.m) + 1;
      v += (count * (count + 1) * (2 * count + 1)) / 6;
    }
    cse.push(fit.sigma * Math.sqrt(v));
  }
  return {
    quantiles: levels.map((p) => point.map((f, i) => f + qnorm(p) * se[i]!)),
    cumulative: levels.map((p) => cm.map((f, i) => f + qnorm(p) * cse[i]!)),
  };
}
