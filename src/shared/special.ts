/**
 * Special functions for the statistical models (BG/NBD and whatever comes after it): the log
 * of the gamma function, its derivative (digamma) and the Gauss hypergeometric series 2F1.
 * Pure; accurate to about 1e-14 relative on the positive arguments the models use.
 */

/** Lanczos coefficients for g = 7, n = 9 (Numerical Recipes 3rd ed., Godfrey's set). */
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];
const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/** ln Γ(x) for x > 0 (reflection below 0.5; NaN at the poles 0, −1, −2, …). */
export function lnGamma(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x < 0.5) {
    if (Number.isInteger(x)) return NaN;
    // Γ(x)Γ(1−x) = π / sin(πx); only the magnitude is returned.
    return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lnGamma(1 - x);
  }
  if (x > 1e15) return (x - 0.5) * Math.log(x) - x + HALF_LOG_2PI + 1 / (12 * x);
  const z = x - 1;
  let s = LANCZOS[0]!;
  for (let i = 1; i < 9; i++) s += LANCZOS[i]! / (z + i);
  const t = z + 7.5;
  return HALF_LOG_2PI + (z + 0.5) * Math.log(t) - t + Math.log(s);
}

/** ψ(x) = d/dx ln Γ(x) for x > 0: recurrence up to 10, then the asymptotic series. */
export function digamma(x: number): number {
  if (!(x > 0)) return NaN;
  let acc = 0;
  while (x < 10) {
    acc -= 1 / x;
    x += 1;
  }
  const x2 = 1 / (x * x);
  // Bernoulli terms B2k / (2k x^2k), k = 1..6.
  const tail = x2 * (1 / 12 - x2 * (1 / 120 - x2 * (1 / 252 - x2 * (1 / 240 - x2 * (1 / 132 - x2 * (691 / 32760))))));
  return acc + Math.log(x) - 0.5 / x - tail;
}

/** The series did not reach its tolerance within its term budget. */
export class SeriesDivergenceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SeriesDivergenceError';
  }
}

export type SeriesOptions = {
  /** Stop when a term is below tol × |sum| and the terms are shrinking (default 1e-16). */
  tol?: number;
  /** Most terms summed before giving up with SeriesDivergenceError (default 1,000,000). */
  maxTerms?: number;
};

/**
 * Sum of the series Σ_{k≥0} t_k with t_0 = first and t_{k+1} = t_k · ratio(k), stopping once a
 * term is negligible and |ratio| < 1 (so the rest are smaller still, for the hypergeometric-type
 * ratios this is used with, whose |ratio| decreases towards |z| once k passes the parameters).
 */
export function sumSeries(first: number, ratio: (k: number) => number, o: SeriesOptions = {}): number {
  const tol = o.tol ?? 1e-16;
  const maxTerms = o.maxTerms ?? 1_000_000;
  let term = first;
  let sum = first;
  for (let k = 0; k < maxTerms; k++) {
    const q = ratio(k);
    term *= q;
    sum += term;
    if (term === 0 || (Math.abs(term) <= tol * Math.abs(sum) && Math.abs(q) < 1)) return sum;
    if (!Number.isFinite(sum)) throw new SeriesDivergenceError(`series overflowed after ${k + 1} terms`);
  }
  throw new SeriesDivergenceError(`series did not converge in ${maxTerms} terms`);
}

/**
 * Gauss hypergeometric function 2F1(a, b; c; z) by its defining series, for |z| < 1 and c not
 * a non-positive integer. Slow as |z| → 1 (about 37 / −ln|z| terms); throws
 * SeriesDivergenceError past the term budget rather than return a wrong number.
 */
export function hyp2f1(a: number, b: number, c: number, z: number, o: SeriesOptions = {}): number {
  if (!(Math.abs(z) < 1)) throw new RangeError(`hyp2f1: |z| must be below 1, got ${z}`);
  if (c <= 0 && Number.isInteger(c)) throw new RangeError(`hyp2f1: c must not be a non-positive integer, got ${c}`);
  if (z === 0) return 1;
  return sumSeries(1, (k) => ((a + k) * (b + k) * z) / ((c + k) * (k + 1)), o);
}

/**
 * ln Γ(y+x) − ln Γ(y) for y > 0, x ≥ 0, without the cancellation of subtracting two large
 * ln Γ values (y = 1e13 loses everything that way): a sum of logs for small whole x, Stirling's
 * difference for large y.
 */
export function lnGammaRatio(y: number, x: number): number {
  if (x === 0) return 0;
  if (Number.isInteger(x) && x <= 64) {
    let s = 0;
    for (let i = 0; i < x; i++) s += Math.log(y + i);
    return s;
  }
  if (y > 1e6) {
    // ln Γ(z) = (z − ½) ln z − z + ½ ln 2π + 1/(12z) − 1/(360z³) + …
    const yx = y + x;
    const corr = 1 / (12 * yx) - 1 / (12 * y) - 1 / (360 * yx ** 3) + 1 / (360 * y ** 3);
    return (y - 0.5) * Math.log1p(x / y) + x * Math.log(yx) - x + corr;
  }
  return lnGamma(y + x) - lnGamma(y);
}

/** ψ(y+x) − ψ(y) for y > 0, x ≥ 0: the sum Σ 1/(y+i) for small whole x (no cancellation when y is large). */
export function digammaDifference(y: number, x: number): number {
  if (x === 0) return 0;
  if (Number.isInteger(x) && x <= 64) {
    let s = 0;
    for (let i = 0; i < x; i++) s += 1 / (y + i);
    return s;
  }
  return digamma(y + x) - digamma(y);
}

/**
 * ln 2F1(a, b; c; z) for a, b, c > 0 and 0 ≤ z < 1, where every term is positive: summed with a
 * running scale, so a value past 1e308 (large a or b) is still found. Same stopping rule and
 * term budget as hyp2f1.
 */
export function lnHyp2f1Positive(a: number, b: number, c: number, z: number, o: SeriesOptions = {}): number {
  if (!(a > 0 && b > 0 && c > 0 && z >= 0 && z < 1)) throw new RangeError(`lnHyp2f1Positive: needs a, b, c > 0 and 0 ≤ z < 1, got ${a}, ${b}, ${c}, ${z}`);
  const tol = o.tol ?? 1e-16;
  const maxTerms = o.maxTerms ?? 1_000_000;
  let lnScale = 0;
  let term = 1;
  let sum = 1;
  if (z === 0) return 0;
  for (let k = 0; k < maxTerms; k++) {
    const q = ((a + k) * (b + k) * z) / ((c + k) * (k + 1));
    term *= q;
    sum += term;
    if (term <= tol * sum && q < 1) return lnScale + Math.log(sum);
    if (sum > 1e250) {
      lnScale += Math.log(sum);
      term /= sum;
      sum = 1;
    }
  }
  throw new SeriesDivergenceError(`series did not converge in ${maxTerms} terms`);
}
