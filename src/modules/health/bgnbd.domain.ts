/**
 * The BG/NBD model of a customer base that buys when it likes and leaves without saying so
 * (Fader, Hardie & Lee 2005, "Counting your customers the easy way: an alternative to the
 * Pareto/NBD model", Marketing Science 24(2), 275–284).
 *
 * While alive a customer buys as a Poisson process of rate λ; after each purchase they drop out
 * with probability p. Across customers λ ~ Gamma(r, α) (shape r, rate α) and p ~ Beta(a, b).
 * A customer is summarised by (x, t_x, T): x repeat purchases (`frequency`), the last at t_x
 * (`recency`, time from the first purchase), observed for T (time from the first purchase to
 * the end of the calibration period). Time is in whatever unit the summary uses (weeks for
 * CDNOW); α and predictions are in that unit too.
 *
 * Pure: no I/O. The formulas, with their sources:
 * - log-likelihood (paper, eq. 6, written as in Fader, Hardie & Lee's note "Implementing the
 *   BG/NBD model for customer base analysis in Excel", 2005):
 *     ln L = A1 + A2 + ln(e^A3 + δ(x>0) e^A4),
 *     A1 = ln Γ(r+x) − ln Γ(r) + r ln α,
 *     A2 = ln Γ(a+b) + ln Γ(b+x) − ln Γ(b) − ln Γ(a+b+x),
 *     A3 = −(r+x) ln(α+T),
 *     A4 = ln a − ln(b+x−1) − (r+x) ln(α+t_x).
 *   Evaluated as A3 + softplus(A4 − A3), which never overflows; with x = 0 the A4 term is absent.
 * - P(alive | x, t_x, T) = 1 / (1 + δ(x>0) · a/(b+x−1) · ((α+T)/(α+t_x))^(r+x))
 *   (Fader, Hardie & Lee, "Computing P(alive) using the BG/NBD model", 2008, eq. 2).
 * - E[Y(t) | x, t_x, T] (paper, eq. 10):
 *     (a+b+x−1)/(a−1) · [1 − ((α+T)/(α+T+t))^(r+x) · 2F1(r+x, b+x; a+b+x−1; z)] · P(alive),
 *   z = t/(α+T+t). Euler's transformation 2F1(A,B;C;z) = (1−z)^(C−A−B) 2F1(C−A, C−B; C; z)
 *   turns (1−z)^(r+x) 2F1(r+x, b+x; a+b+x−1; z) into (1−z)^(a−1) 2F1(a+b−1−r, a−1; a+b+x−1; z),
 *   whose parameters no longer grow with x (no overflow for large frequencies, and the series
 *   converges faster as x grows). Writing 2F1(·, a−1; ·) = 1 + (a−1)·G divides the (a−1) out
 *   exactly, so a = 1 (where eq. 10 reads 0/0) is no special case:
 *     E = [ c·(1 − (1−z)^(a−1))/(a−1) − (1−z)^(a−1) · c·G ] · P(alive),  c = a+b+x−1,
 *     c·G = Σ_{k≥1} (a+b−1−r)_k (a)_(k−1) z^k / ((c+1)_(k−1) k!).
 * - E[X(t)] for a new customer (paper, eq. 7) is the same with x = t_x = T = 0.
 */
import { minimizeBfgs } from '../../shared/minimize.js';
import { digammaDifference, lnGamma, lnGammaRatio, lnHyp2f1Positive, type SeriesOptions, SeriesDivergenceError, sumSeries } from '../../shared/special.js';

export type BgNbdParams = { r: number; alpha: number; a: number; b: number };

/** One customer's calibration summary: repeat purchases, time of the last one, time observed. */
export type CustomerSummary = { frequency: number; recency: number; T: number };

export type BgNbdErrorCode = 'invalid_customer' | 'no_customers' | 'no_repeat_purchases' | 'invalid_parameters';

export class BgNbdError extends Error {
  constructor(
    readonly code: BgNbdErrorCode,
    message: string,
    /** Index of the offending customer in the input, for invalid_customer. */
    readonly index?: number,
  ) {
    super(message);
    this.name = 'BgNbdError';
  }
}

/** Recency may exceed T by this relative margin (rounding in exported summaries), no more. */
const RECENCY_SLACK = 1e-9;

/**
 * Why a summary cannot be a BG/NBD customer, or null when it can: frequency a whole number ≥ 0,
 * 0 ≤ recency ≤ T, and recency 0 when there is no repeat purchase (recency is the time of the
 * last repeat purchase; a file with "time since last purchase" in it is caught here).
 */
export function customerProblem(c: CustomerSummary): string | null {
  const { frequency: x, recency: tx, T } = c;
  if (!Number.isFinite(x) || !Number.isInteger(x) || x < 0) return `frequency must be a whole number ≥ 0, got ${x}`;
  if (!Number.isFinite(T) || T < 0) return `T must be a number ≥ 0, got ${T}`;
  if (!Number.isFinite(tx) || tx < 0) return `recency must be a number ≥ 0, got ${tx}`;
  if (tx > T * (1 + RECENCY_SLACK) + RECENCY_SLACK) return `recency (${tx}) is after the end of the observation T (${T})`;
  if (x === 0 && tx !== 0) return `recency must be 0 when frequency is 0 (it is the time of the last repeat purchase), got ${tx}`;
  return null;
}

function checkParams(p: BgNbdParams): void {
  for (const k of ['r', 'alpha', 'a', 'b'] as const) {
    if (!(Number.isFinite(p[k]) && p[k] > 0)) throw new BgNbdError('invalid_parameters', `${k} must be a positive number, got ${p[k]}`);
  }
}

/**
 * Customers in columns, identical summaries merged (weight = how many; files in whole days or
 * weeks repeat them often: every CDNOW customer without a repeat purchase shares T with its
 * cohort), and the frequencies reduced to their distinct values (A1, A2 depend on x alone).
 */
type Prepared = {
  /** Customers in the input. */
  n: number;
  /** Distinct summaries, and how many customers have each. */
  m: number;
  weight: Float64Array;
  T: Float64Array;
  tx: Float64Array;
  /** Index into xs of each distinct summary's frequency. */
  xi: Int32Array;
  xs: Float64Array;
  xCount: Float64Array;
  repeatBuyers: number;
  sumX: number;
  sumT: number;
};

function prepare(customers: readonly CustomerSummary[]): Prepared {
  const n = customers.length;
  const rows = new Map<string, number>();
  const weight: number[] = [];
  const T: number[] = [];
  const tx: number[] = [];
  const xi: number[] = [];
  const xIndex = new Map<number, number>();
  const xs: number[] = [];
  const counts: number[] = [];
  let repeatBuyers = 0;
  let sumX = 0;
  let sumT = 0;
  for (let i = 0; i < n; i++) {
    const c = customers[i]!;
    const problem = customerProblem(c);
    if (problem) throw new BgNbdError('invalid_customer', `customer ${i + 1}: ${problem}`, i);
    let k = xIndex.get(c.frequency);
    if (k === undefined) {
      k = xs.length;
      xIndex.set(c.frequency, k);
      xs.push(c.frequency);
      counts.push(0);
    }
    counts[k]!++;
    if (c.frequency > 0) repeatBuyers++;
    sumX += c.frequency;
    sumT += c.T;
    const recency = Math.min(c.recency, c.T);
    const key = `${c.frequency} ${recency} ${c.T}`;
    const j = rows.get(key);
    if (j !== undefined) {
      weight[j]!++;
      continue;
    }
    rows.set(key, weight.length);
    weight.push(1);
    T.push(c.T);
    tx.push(recency);
    xi.push(k);
  }
  return {
    n,
    m: weight.length,
    weight: Float64Array.from(weight),
    T: Float64Array.from(T),
    tx: Float64Array.from(tx),
    xi: Int32Array.from(xi),
    xs: Float64Array.from(xs),
    xCount: Float64Array.from(counts),
    repeatBuyers,
    sumX,
    sumT,
  };
}

/**
 * Total log-likelihood at params, and its gradient d lnL / d(r, α, a, b) into grad when given.
 * lnQ and invB are scratch arrays of the distinct-frequency count.
 */
function logLikelihoodOf(d: Prepared, p: BgNbdParams, grad?: Float64Array): number {
  const { r, alpha, a, b } = p;
  const lnA = Math.log(a);
  const m = d.xs.length;
  const lnQ = new Float64Array(m);
  const invB = new Float64Array(m);
  let total = 0;
  let gr = 0;
  let gAlpha = 0;
  let ga = 0;
  let gb = 0;
  const needGrad = grad !== undefined;
  // The parts of A1 and A2 that depend on x alone (A1's r ln α is combined with A3 and A4 below).
  for (let k = 0; k < m; k++) {
    const x = d.xs[k]!;
    if (x === 0) continue;
    const w = d.xCount[k]!;
    const bx1 = b + x - 1;
    lnQ[k] = lnA - Math.log(bx1);
    invB[k] = 1 / bx1;
    total += w * (lnGammaRatio(r, x) + lnGammaRatio(b, x) - lnGammaRatio(a + b, x));
    if (needGrad) {
      const dAB = digammaDifference(a + b, x);
      gr += w * digammaDifference(r, x);
      ga -= w * dAB;
      gb += w * (digammaDifference(b, x) - dAB);
    }
  }
  // Per customer, r ln α + A3 = −r ln(1 + T/α) − x ln(α+T), and likewise for A4 with t_x:
  // written so, a large r and α (a purchase rate nearly the same for all) do not cancel.
  for (let i = 0; i < d.m; i++) {
    const k = d.xi[i]!;
    const x = d.xs[k]!;
    const T = d.T[i]!;
    const n = d.weight[i]!;
    const aT = alpha + T;
    const l1T = Math.log1p(T / alpha);
    if (x === 0) {
      total -= n * r * l1T;
      if (needGrad) {
        gr -= n * l1T;
        gAlpha += (n * r * T) / (alpha * aT);
      }
      continue;
    }
    const tx = d.tx[i]!;
    const aTx = alpha + tx;
    const l1Tx = Math.log1p(tx / alpha);
    const rx = r + x;
    const A3 = -r * l1T - x * Math.log(aT);
    // A4 − A3 = ln a − ln(b+x−1) + (r+x) ln((α+T)/(α+t_x)).
    const diff = lnQ[k]! + rx * Math.log1p((T - tx) / aTx);
    const e = Math.exp(-Math.abs(diff));
    total += n * (A3 + Math.max(diff, 0) + Math.log1p(e));
    if (needGrad) {
      // Weight of the "dropped out right after t_x" branch (A4) in the mixture.
      const wt = diff > 0 ? 1 / (1 + e) : e / (1 + e);
      gr -= n * ((1 - wt) * l1T + wt * l1Tx);
      // ∂/∂α of −r ln(1 + T/α) − x ln(α+T) = (rT/α − x)/(α+T).
      gAlpha += n * ((1 - wt) * ((r * T) / alpha - x) / aT + wt * ((r * tx) / alpha - x) / aTx);
      ga += (n * wt) / a;
      gb -= n * wt * invB[k]!;
    }
  }
  if (grad) {
    grad[0] = gr;
    grad[1] = gAlpha;
    grad[2] = ga;
    grad[3] = gb;
  }
  return total;
}

/** Log-likelihood of the customers under params (the sum of eq. 6 over customers). */
export function bgnbdLogLikelihood(params: BgNbdParams, customers: readonly CustomerSummary[]): number {
  checkParams(params);
  return logLikelihoodOf(prepare(customers), params);
}

/** Gradient of the log-likelihood in (r, α, a, b): for tests of the fit's first-order condition. */
export function bgnbdGradient(params: BgNbdParams, customers: readonly CustomerSummary[]): [number, number, number, number] {
  checkParams(params);
  const g = new Float64Array(4);
  logLikelihoodOf(prepare(customers), params, g);
  return [g[0]!, g[1]!, g[2]!, g[3]!];
}

export type BgNbdFit = {
  params: BgNbdParams;
  logLikelihood: number;
  customers: number;
  /** The best start's gradient test passed (largest |∂(−lnL/n)/∂ln θ| ≤ 1e-9, or no further decrease). */
  converged: boolean;
  /** Largest |∂(−lnL/n)/∂ln θ| at the answer. */
  gradientNorm: number;
  iterations: number;
  evaluations: number;
  /** How many starts reached (within 1e-6 per customer) the best log-likelihood: agreement of independent starts. */
  startsAgreeing: number;
  starts: number;
  /**
   * Parameters that ran to the edge (beyond e^±15, about 3e6 or 3e-7): the likelihood keeps rising as they go to 0
   * or ∞, so this file does not identify them (a small file, or one without drop-outs). The
   * other parameters and the predictions still hold; these values are not estimates.
   */
  atEdge: ('r' | 'alpha' | 'a' | 'b')[];
};

/** Log-parameters beyond this are answered +∞, so the line search stays where exp() is finite and meaningful. */
const LOG_BOUND = 30;
/** A log-parameter beyond this at the optimum is reported in atEdge. */
const EDGE = 15;

/**
 * Maximum-likelihood fit of r, α, a, b. Optimises on the log parameters (all stay positive)
 * with BFGS and the analytic gradient, from a few starts scaled to the data's purchase rate,
 * and keeps the best. Throws BgNbdError when there is nothing to fit (no customers, or not one
 * repeat purchase: the likelihood then has no interior maximum).
 */
export function fitBgNbd(customers: readonly CustomerSummary[], o: { starts?: readonly BgNbdParams[] } = {}): BgNbdFit {
  const d = prepare(customers);
  if (d.n === 0) throw new BgNbdError('no_customers', 'no customers to fit');
  if (d.repeatBuyers === 0) throw new BgNbdError('no_repeat_purchases', 'no customer has a repeat purchase (frequency > 0): the model cannot be fitted');
  // Mean time between repeat purchases: a start with E[λ] = r/α near the observed rate.
  const gap = d.sumT > 0 ? d.sumT / d.sumX : 1;
  const starts = o.starts ?? [
    { r: 1, alpha: gap, a: 1, b: 1 },
    { r: 0.3, alpha: 0.3 * gap, a: 0.5, b: 3 },
    { r: 3, alpha: 3 * gap, a: 2, b: 10 },
  ];
  const grad = new Float64Array(4);
  const objective = (u: Float64Array, g: Float64Array): number => {
    for (let i = 0; i < 4; i++) if (!(Math.abs(u[i]!) <= LOG_BOUND)) return Infinity;
    const p = { r: Math.exp(u[0]!), alpha: Math.exp(u[1]!), a: Math.exp(u[2]!), b: Math.exp(u[3]!) };
    const ll = logLikelihoodOf(d, p, grad);
    g[0] = (-grad[0]! * p.r) / d.n;
    g[1] = (-grad[1]! * p.alpha) / d.n;
    g[2] = (-grad[2]! * p.a) / d.n;
    g[3] = (-grad[3]! * p.b) / d.n;
    return -ll / d.n;
  };
  const results = starts.map((s) => {
    checkParams(s);
    return minimizeBfgs(objective, [Math.log(s.r), Math.log(s.alpha), Math.log(s.a), Math.log(s.b)], { gtol: 1e-9, maxIterations: 1000 });
  });
  let best = results[0]!;
  for (const res of results) if (res.value < best.value || !Number.isFinite(best.value)) best = res;
  if (!Number.isFinite(best.value)) throw new BgNbdError('no_repeat_purchases', 'the likelihood could not be evaluated at any start');
  const params = { r: Math.exp(best.x[0]!), alpha: Math.exp(best.x[1]!), a: Math.exp(best.x[2]!), b: Math.exp(best.x[3]!) };
  return {
    params,
    logLikelihood: logLikelihoodOf(d, params),
    customers: d.n,
    converged: best.converged,
    gradientNorm: best.gradientNorm,
    iterations: results.reduce((s, r) => s + r.iterations, 0),
    evaluations: results.reduce((s, r) => s + r.evaluations, 0),
    startsAgreeing: results.filter((r) => Math.abs(r.value - best.value) <= 1e-6).length,
    starts: results.length,
    atEdge: (['r', 'alpha', 'a', 'b'] as const).filter((_, i) => Math.abs(best.x[i]!) > EDGE),
  };
}

function checkedCustomer(c: CustomerSummary): void {
  const problem = customerProblem(c);
  if (problem) throw new BgNbdError('invalid_customer', problem);
}

/** ln of a/(b+x−1) · ((α+T)/(α+t_x))^(r+x): P(alive) = 1/(1 + e^this) for x > 0. */
function lnDeadOdds(p: BgNbdParams, c: CustomerSummary): number {
  const x = c.frequency;
  const tx = Math.min(c.recency, c.T);
  return Math.log(p.a) - Math.log(p.b + x - 1) + (p.r + x) * Math.log1p((c.T - tx) / (p.alpha + tx));
}

/**
 * Probability that the customer is still alive at T (Fader, Hardie & Lee 2008, eq. 2).
 * 1 for a customer without a repeat purchase: in BG/NBD a customer can only drop out right
 * after a purchase, so one who never bought again has not had the chance.
 */
export function probabilityAlive(params: BgNbdParams, c: CustomerSummary): number {
  checkParams(params);
  checkedCustomer(c);
  if (c.frequency === 0) return 1;
  const l = lnDeadOdds(params, c);
  return l > 0 ? Math.exp(-l) / (1 + Math.exp(-l)) : 1 / (1 + Math.exp(l));
}

/** How E[Y(t) | alive] is evaluated: see expectedPurchasesIfAlive. */
export type ExpectationMethod = 'euler' | 'gauss' | 'quadrature';

/** Euler-transformed series of the header comment; null when it would cancel badly or does not converge. */
function byEulerSeries(p: BgNbdParams, x: number, T: number, t: number, series?: SeriesOptions): number | null {
  const { r, alpha, a, b } = p;
  const L = -Math.log1p(t / (alpha + T)); // ln(1 − z)
  const z = t / (alpha + T + t);
  const c = a + b + x - 1;
  const A = a + b - 1 - r;
  // With A < 0 the first −A terms alternate in sign; past |A|·z ≈ 5 their sum cancels too much.
  if (A < 0 && -A * z > 5) return null;
  const am1 = a - 1;
  const oneMinusPow = am1 === 0 ? -L : -Math.expm1(am1 * L) / am1; // (1 − (1−z)^(a−1)) / (a−1)
  // c·G: first term A·z; term(k+1)/term(k) = (A+k)(a+k−1) z / ((c+k)(k+1)) for k ≥ 1.
  let cG: number;
  try {
    cG = A === 0 ? 0 : sumSeries(A * z, (k) => ((A + k + 1) * (a + k) * z) / ((c + k + 1) * (k + 2)), { tol: series?.tol, maxTerms: series?.maxTerms ?? 20_000 });
  } catch (e) {
    if (e instanceof SeriesDivergenceError) return null;
    throw e;
  }
  return c * oneMinusPow - Math.exp(am1 * L) * cG;
}

/**
 * Eq. 10 as printed, with ln 2F1 summed on a running scale (no overflow for large x): accurate
 * when a is away from 1 (it divides by a − 1) and fast when a is large (c = a+b+x−1 then
 * shrinks the terms), which is where the Euler form is slow. Null when a < 2 or it does not converge.
 */
function byGaussSeries(p: BgNbdParams, x: number, T: number, t: number, series?: SeriesOptions): number | null {
  const { r, alpha, a, b } = p;
  if (a < 2) return null;
  const L = -Math.log1p(t / (alpha + T));
  const z = t / (alpha + T + t);
  const c = a + b + x - 1;
  let lnF: number;
  try {
    lnF = lnHyp2f1Positive(r + x, b + x, c, z, { tol: series?.tol, maxTerms: series?.maxTerms ?? 20_000 });
  } catch (e) {
    if (e instanceof SeriesDivergenceError) return null;
    throw e;
  }
  return (c / (a - 1)) * -Math.expm1((r + x) * L + lnF);
}

const softplus = (v: number): number => (v > 0 ? v + Math.log1p(Math.exp(-v)) : Math.log1p(Math.exp(v)));

/**
 * E[Y(t) | alive] as the integral it is: given alive, λ ~ Gamma(r+x, α+T) and p ~ Beta(a, b+x)
 * independently, and E[Y(t) | λ, p] = (1 − e^(−λpt))/p, so
 *   E[Y(t) | alive] = ∫₀¹ (1 − (1 + p·t/(α+T))^−(r+x)) / p · Beta(p; a, b+x) dp,
 * by the tanh-sinh rule (p = 1/(1 + e^(−π sinh u)), trapezoids on u, halving the step until two
 * agree to 1e-12), in log space so the Beta density's end-point singularities are harmless.
 * Slower than the series but needs no condition on the parameters: the fallback.
 */
function byQuadrature(p: BgNbdParams, x: number, T: number, t: number): number {
  const { r, alpha, a, b } = p;
  const rho = r + x;
  const beta = b + x;
  const s = t / (alpha + T);
  const lnB = lnGamma(a) - lnGammaRatio(beta, a);
  const g = (u: number): number => {
    const v = Math.PI * Math.sinh(u);
    const lnP = -softplus(-v);
    const ln1mP = -softplus(v);
    const pr = Math.exp(lnP);
    const q = pr * s;
    // Where ρ·p·s is tiny (and p perhaps subnormal, with few bits left), the series of f about p = 0.
    const f = rho * q < 1e-8 ? rho * s * (1 - ((rho + 1) * q) / 2) : -Math.expm1(-rho * Math.log1p(q)) / pr;
    const w = a * lnP + beta * ln1mP - lnB;
    return w < -745 ? 0 : f * Math.exp(w) * Math.PI * Math.cosh(u);
  };
  // Out to where the density has fallen below e^−60 at both ends (p ≈ e^−|v| near 0, 1 − p near 1).
  const U = Math.asinh(Math.max(60 / a, 60 / beta, 60) / Math.PI) + 0.5;
  let h = U / 8;
  let sum = g(0);
  for (let k = 1; k * h <= U; k++) sum += g(k * h) + g(-k * h);
  let estimate = sum * h;
  for (let level = 1; level <= 14; level++) {
    h /= 2;
    for (let k = 1; k * h <= U; k += 2) sum += g(k * h) + g(-k * h);
    const next = sum * h;
    const done = level >= 4 && Math.abs(next - estimate) <= 1e-12 * Math.abs(next);
    estimate = next;
    if (done) break;
  }
  return estimate;
}

/**
 * E[Y(t) | x, T, alive]: the expected purchases in the next t periods of a customer known to be
 * alive (eq. 10 without its P(alive) factor). Tries the Euler-transformed series, then eq. 10's
 * own series when a ≥ 2, then quadrature; `method` forces one (for tests that cross-check them).
 */
export function expectedPurchasesIfAlive(params: BgNbdParams, x: number, T: number, t: number, method?: ExpectationMethod, series?: SeriesOptions): number {
  checkParams(params);
  if (t === 0) return 0;
  if (method === 'euler' || !method) {
    const v = byEulerSeries(params, x, T, t, series);
    if (v !== null || method) return v ?? NaN;
  }
  if (method === 'gauss' || !method) {
    const v = byGaussSeries(params, x, T, t, series);
    if (v !== null || method) return v ?? NaN;
  }
  return byQuadrature(params, x, T, t);
}

/**
 * Expected number of purchases in the next t periods for a customer with this history
 * (paper, eq. 10): P(alive) × expectedPurchasesIfAlive.
 */
export function conditionalExpectedPurchases(params: BgNbdParams, c: CustomerSummary, t: number, series?: SeriesOptions): number {
  checkParams(params);
  checkedCustomer(c);
  if (!(Number.isFinite(t) && t >= 0)) throw new RangeError(`t must be a number ≥ 0, got ${t}`);
  if (t === 0) return 0;
  const alive = probabilityAlive(params, c);
  if (alive === 0) return 0;
  return expectedPurchasesIfAlive(params, c.frequency, c.T, t, undefined, series) * alive;
}

/** E[X(t)]: expected purchases in (0, t] of a customer picked at random, from their first purchase (paper, eq. 7). */
export function expectedPurchases(params: BgNbdParams, t: number, series?: SeriesOptions): number {
  checkParams(params);
  if (!(Number.isFinite(t) && t >= 0)) throw new RangeError(`t must be a number ≥ 0, got ${t}`);
  if (t === 0) return 0;
  return expectedPurchasesIfAlive(params, 0, 0, t, undefined, series);
}

/** A Gamma(shape, 1) draw (Marsaglia & Tsang 2000; shape < 1 by the U^(1/shape) boost). */
function gammaDraw(shape: number, random: () => number): number {
  if (shape < 1) return gammaDraw(shape + 1, random) * random() ** (1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      // Standard normal by Box–Muller.
      x = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = 1 - random();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}

/**
 * Customers drawn from the model itself, one per observation length in Ts: λ ~ Gamma(r, α),
 * p ~ Beta(a, b), purchases a Poisson process of rate λ, and after each repeat purchase the
 * customer leaves with probability p. For benchmarks and tests of the fit (does it recover
 * the parameters it was given?); `random` is a seeded uniform [0, 1) generator.
 */
export function simulateCustomers(params: BgNbdParams, Ts: readonly number[], random: () => number): CustomerSummary[] {
  checkParams(params);
  return Ts.map((T) => {
    const lambda = gammaDraw(params.r, random) / params.alpha;
    const g1 = gammaDraw(params.a, random);
    const p = g1 / (g1 + gammaDraw(params.b, random));
    let t = 0;
    let x = 0;
    let tx = 0;
    for (;;) {
      t += -Math.log(1 - random()) / lambda;
      if (!(t <= T)) break;
      x++;
      tx = t;
      if (random() < p) break;
    }
    return { frequency: x, recency: tx, T };
  });
}
