/** Accuracy measures for bench/forecast.ts (the M3 / car-parts protocol of the data README). */

/** sMAPE in percent: mean of 200·|y−f|/(|y|+|f|); steps where both are 0 count as 0. */
export function smape(actual: readonly number[], forecast: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < actual.length; i++) {
    const d = Math.abs(actual[i]!) + Math.abs(forecast[i]!);
    s += d === 0 ? 0 : (200 * Math.abs(actual[i]! - forecast[i]!)) / d;
  }
  return s / actual.length;
}

/** Mean in-sample |y_t − y_{t−m}| (the MASE scale); falls back to lag 1 when n ≤ m. */
export function naiveScale(train: readonly number[], m: number, power: 1 | 2 = 1): number {
  const lag = train.length > m ? m : 1;
  let s = 0;
  let c = 0;
  for (let t = lag; t < train.length; t++) {
    s += Math.abs(train[t]! - train[t - lag]!) ** power;
    c++;
  }
  return c ? s / c : NaN;
}

export function mase(train: readonly number[], actual: readonly number[], forecast: readonly number[], m: number): number {
  let s = 0;
  for (let i = 0; i < actual.length; i++) s += Math.abs(actual[i]! - forecast[i]!);
  return s / actual.length / naiveScale(train, m);
}

/** Root mean squared scaled error (scale: in-sample mean squared lag-m difference). */
export function rmsse(train: readonly number[], actual: readonly number[], forecast: readonly number[], m: number): number {
  let s = 0;
  for (let i = 0; i < actual.length; i++) s += (actual[i]! - forecast[i]!) ** 2;
  return Math.sqrt(s / actual.length / naiveScale(train, m, 2));
}

/** Mean pinball loss of quantile forecasts q at level p, scaled by the MASE scale. */
export function scaledPinball(train: readonly number[], actual: readonly number[], q: readonly number[], p: number, m: number): number {
  let s = 0;
  for (let i = 0; i < actual.length; i++) {
    const d = actual[i]! - q[i]!;
    s += d >= 0 ? p * d : (p - 1) * d;
  }
  return s / actual.length / naiveScale(train, m);
}

export function average(x: readonly number[]): number {
  let s = 0;
  let c = 0;
  for (const v of x) if (Number.isFinite(v)) {
    s += v;
    c++;
  }
  return c ? s / c : NaN;
}

/** CPU milliseconds (user + system) spent by fn, and its result. */
export function cpuTimed<T>(fn: () => T): [T, number] {
  const t0 = process.cpuUsage();
  const r = fn();
  const u = process.cpuUsage(t0);
  return [r, (u.user + u.system) / 1000];
}
