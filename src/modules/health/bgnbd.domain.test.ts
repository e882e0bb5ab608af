import { existsSync, readFileSync } from 'node:fs';
import { rng } from '../forecasting/stats.domain.js';
import { describe, expect, it } from 'vitest';
import { referenceDataDir, referencePath } from '../../shared/reference-data.js';
import { hyp2f1 } from '../../shared/special.js';
import {
  BgNbdError,
  type BgNbdParams,
  bgnbdGradient,
  bgnbdLogLikelihood,
  conditionalExpectedPurchases,
  type CustomerSummary,
  type ExpectationMethod,
  expectedPurchases,
  expectedPurchasesIfAlive,
  fitBgNbd,
  probabilityAlive,
  simulateCustomers,
} from './bgnbd.domain.js';

/** The parameters Fader, Hardie & Lee (2005) publish for the CDNOW calibration sample. */
const PUBLISHED: BgNbdParams = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };

const CDNOW = referencePath('customers', 'cdnow', 'cdnow_customers_summary.csv');
const hasCdnow = existsSync(CDNOW);

function readCdnow(): CustomerSummary[] {
  const [, ...lines] = readFileSync(CDNOW, 'utf8').trim().split(/\r?\n/);
  return lines.map((l) => {
    const [, frequency, recency, T] = l.split(',').map(Number);
    return { frequency: frequency!, recency: recency!, T: T! };
  });
}

/** Eq. 10 of the paper exactly as printed, with the plain 2F1 series: an independent path to the same number. */
function eq10AsPrinted(p: BgNbdParams, c: CustomerSummary, t: number): number {
  const { r, alpha, a, b } = p;
  const { frequency: x, recency: tx, T } = c;
  const z = t / (alpha + T + t);
  const bracket = 1 - ((alpha + T) / (alpha + T + t)) ** (r + x) * hyp2f1(r + x, b + x, a + b + x - 1, z);
  const den = 1 + (x > 0 ? (a / (b + x - 1)) * ((alpha + T) / (alpha + tx)) ** (r + x) : 0);
  return (((a + b + x - 1) / (a - 1)) * bracket) / den;
}

describe.skipIf(!hasCdnow)(`BG/NBD on the CDNOW sample${hasCdnow ? '' : ` (${CDNOW} not found under ${referenceDataDir}; set OPENKAM_REFERENCE_DATA): skipped`}`, () => {
  it('reproduces the published r, alpha, a, b to three decimals and the log-likelihood to one', () => {
    const customers = readCdnow();
    expect(customers).toHaveLength(2357);
    const fit = fitBgNbd(customers);
    expect(fit.converged).toBe(true);
    expect(fit.params.r.toFixed(3)).toBe('0.243');
    expect(fit.params.alpha.toFixed(3)).toBe('4.414');
    expect(fit.params.a.toFixed(3)).toBe('0.793');
    expect(fit.params.b.toFixed(3)).toBe('2.426');
    expect(fit.logLikelihood.toFixed(1)).toBe('-9582.4');
    expect(fit.customers).toBe(2357);
    // scipy (gammaln/betaln, Nelder–Mead then BFGS to gtol 1e-10) lands on r 0.2425929,
    // alpha 4.4135316, a 0.7928861, b 2.4257536, lnL −9582.4255606: the same optimum.
    expect(fit.params.r).toBeCloseTo(0.2425929, 6);
    expect(fit.params.alpha).toBeCloseTo(4.4135316, 5);
    expect(fit.params.a).toBeCloseTo(0.7928861, 5);
    expect(fit.params.b).toBeCloseTo(2.4257536, 5);
    expect(fit.logLikelihood).toBeCloseTo(-9582.4255606, 6);
    // All three starts reach it: the maximum is not an accident of the start.
    expect(fit.startsAgreeing).toBe(3);
    expect(fit.atEdge).toEqual([]);
    // The gradient of lnL vanishes there (in every direction, relative to lnL's size).
    for (const g of bgnbdGradient(fit.params, customers)) expect(Math.abs(g)).toBeLessThan(1e-3);
  });

  it('gives the log-likelihood at the published parameters that an independent implementation gives', () => {
    // scipy: sum(gammaln(r+x) − gammaln(r) + r ln α + betaln(a, b+x) − betaln(a, b)
    //   + logaddexp(−(r+x) ln(α+T), [x>0](ln a − ln(b+x−1) − (r+x) ln(α+t_x)))) = −9582.426831182365
    expect(bgnbdLogLikelihood(PUBLISHED, readCdnow())).toBeCloseTo(-9582.426831182365, 8);
  });
});

describe('BG/NBD probability alive and expected purchases (published CDNOW parameters)', () => {
  // Customers 1, 2 and 3 of the CDNOW summary, and three made up (a heavy buyer, a buyer gone
  // quiet, a shorter observation). P(alive) by hand from the closed form of Fader, Hardie & Lee,
  // "Computing P(alive) using the BG/NBD model" (2008), eq. 2:
  //   P = 1 / (1 + a/(b+x−1) · ((α+T)/(α+t_x))^(r+x))
  // Customer 1 (x 2, t_x 30.43, T 38.86): a/(b+x−1) = 0.793/3.426 = 0.231465;
  //   (43.274/34.844)^2.243 = 1.241935^2.243 = e^(2.243 · 0.216671) = e^0.485993 = 1.625789;
  //   0.231465 · 1.625789 = 0.376314; P = 1/1.376314 = 0.726579.
  // Customer 2 (x 1, t_x 1.71, T 38.86): a/b = 0.793/2.426 = 0.326876;
  //   (43.274/6.124)^1.243 = 7.066297^1.243 = e^(1.243 · 1.955337) = e^2.430483 = 11.36437;
  //   0.326876 · 11.36437 = 3.714735; P = 1/4.714735 = 0.212101.
  // Customer 3 (x 0): 1; without a repeat purchase the customer has had no chance to drop out.
  // Expected purchases in the next t weeks (paper, eq. 10), evaluated with mpmath at 40 digits:
  //   (a+b+x−1)/(a−1) · (1 − ((α+T)/(α+T+t))^(r+x) · hyp2f1(r+x, b+x, a+b+x−1, t/(α+T+t))) · P
  const cases: { c: CustomerSummary; t: number; expected: number; alive: number }[] = [
    { c: { frequency: 2, recency: 30.43, T: 38.86 }, t: 39, expected: 1.22602817476714, alive: 0.726578570080673 },
    { c: { frequency: 1, recency: 1.71, T: 38.86 }, t: 39, expected: 0.203186987079754, alive: 0.212100985377379 },
    { c: { frequency: 0, recency: 0, T: 38.86 }, t: 39, expected: 0.195098052011263, alive: 1 },
    { c: { frequency: 7, recency: 29.43, T: 35.14 }, t: 39, expected: 4.33191863964757, alive: 0.774523770835716 },
    { c: { frequency: 26, recency: 38.5, T: 38.86 }, t: 52, expected: 22.0982113157171, alive: 0.96524950010396 },
    { c: { frequency: 3, recency: 3, T: 38.86 }, t: 52, expected: 0.0546132896613521, alive: 0.0179542055011342 },
  ];

  it('matches the hand computation of P(alive) to six decimals', () => {
    expect(probabilityAlive(PUBLISHED, cases[0]!.c)).toBeCloseTo(0.726579, 6);
    expect(probabilityAlive(PUBLISHED, cases[1]!.c)).toBeCloseTo(0.212101, 6);
    expect(probabilityAlive(PUBLISHED, cases[2]!.c)).toBe(1);
  });

  it.each(cases)('expects $expected purchases in $t weeks and P(alive) $alive for x=$c.frequency, t_x=$c.recency, T=$c.T', ({ c, t, expected, alive }) => {
    expect(conditionalExpectedPurchases(PUBLISHED, c, t)).toBeCloseTo(expected, 12);
    expect(probabilityAlive(PUBLISHED, c)).toBeCloseTo(alive, 13);
    // The Euler-transformed series agrees with eq. 10 computed as printed.
    expect(conditionalExpectedPurchases(PUBLISHED, c, t)).toBeCloseTo(eq10AsPrinted(PUBLISHED, c, t), 10);
  });

  it('gives E[X(t)] of eq. 7 for a new customer', () => {
    // mpmath: (a+b−1)/(a−1) · (1 − (α/(α+t))^r · hyp2f1(r, b, a+b−1, t/(α+t)))
    expect(expectedPurchases(PUBLISHED, 39)).toBeCloseTo(1.19672319332082, 12);
    expect(expectedPurchases(PUBLISHED, 78)).toBeCloseTo(1.86051905794277, 12);
    expect(expectedPurchases(PUBLISHED, 0)).toBe(0);
    // A customer first seen today (T = 0) is a new customer.
    expect(conditionalExpectedPurchases(PUBLISHED, { frequency: 0, recency: 0, T: 0 }, 52)).toBeCloseTo(1.4460505953964, 12);
    expect(conditionalExpectedPurchases(PUBLISHED, { frequency: 0, recency: 0, T: 0 }, 52)).toBeCloseTo(expectedPurchases(PUBLISHED, 52), 14);
  });

  it('grows with the horizon and never exceeds what the customer would buy if certainly alive', () => {
    const c = { frequency: 4, recency: 20, T: 38 };
    let prev = 0;
    for (const t of [1, 5, 10, 26, 52, 104, 520]) {
      const e = conditionalExpectedPurchases(PUBLISHED, c, t);
      expect(e).toBeGreaterThan(prev);
      // Alive, the posterior mean rate is (r+x)/(α+T); dropping out can only lower the count.
      expect(e).toBeLessThan((probabilityAlive(PUBLISHED, c) * t * (PUBLISHED.r + 4)) / (PUBLISHED.alpha + 38));
      prev = e;
    }
  });
});

describe('BG/NBD where the printed formulas break down', () => {
  it('handles a = 1, where eq. 10 reads 0/0, as its limit', () => {
    const p = { r: 0.5, alpha: 2, a: 1, b: 3 };
    const c = { frequency: 3, recency: 5, T: 8 };
    // mpmath, 60 digits, eq. 10 at a = 1 + 1e-20: 1.59945511787376.
    expect(conditionalExpectedPurchases(p, c, 10)).toBeCloseTo(1.59945511787376, 12);
    const below = conditionalExpectedPurchases({ ...p, a: 1 - 1e-9 }, c, 10);
    const above = conditionalExpectedPurchases({ ...p, a: 1 + 1e-9 }, c, 10);
    expect(Math.abs(below - above)).toBeLessThan(1e-8);
  });

  it('stays finite for a very heavy buyer, where ((α+T)/(α+t_x))^(r+x) and 2F1 overflow', () => {
    const c = { frequency: 500, recency: 38.5, T: 38.86 };
    // mpmath, 60 digits: 96.351228490065.
    expect(conditionalExpectedPurchases(PUBLISHED, c, 10)).toBeCloseTo(96.351228490065, 9);
    let printed: number;
    try {
      printed = eq10AsPrinted(PUBLISHED, { frequency: 5000, recency: 30, T: 38.86 }, 10);
    } catch {
      printed = Number.NaN; // the plain 2F1 series overflows
    }
    expect(Number.isFinite(printed)).toBe(false);
    const huge = { frequency: 5000, recency: 30, T: 38.86 };
    expect(probabilityAlive(PUBLISHED, huge)).toBe(0);
    expect(conditionalExpectedPurchases(PUBLISHED, huge, 10)).toBe(0);
    const stillBuying = { frequency: 5000, recency: 38.86, T: 38.86 };
    const e = conditionalExpectedPurchases(PUBLISHED, stillBuying, 1);
    expect(e).toBeGreaterThan(0);
    expect(e).toBeLessThan((5000 + PUBLISHED.r) / (PUBLISHED.alpha + 38.86));
  });

  it('reads recency = T as a purchase at the very end: P(alive) = 1/(1 + a/(b+x−1))', () => {
    expect(probabilityAlive(PUBLISHED, { frequency: 3, recency: 20, T: 20 })).toBeCloseTo(1 / (1 + 0.793 / 4.426), 14);
  });

  it('gives a customer observed for no time a log-likelihood of 0 (they tell us nothing)', () => {
    expect(bgnbdLogLikelihood(PUBLISHED, [{ frequency: 0, recency: 0, T: 0 }])).toBeCloseTo(0, 14);
    const base = [{ frequency: 2, recency: 10, T: 30 }, { frequency: 0, recency: 0, T: 30 }];
    expect(bgnbdLogLikelihood(PUBLISHED, [...base, { frequency: 0, recency: 0, T: 0 }])).toBeCloseTo(bgnbdLogLikelihood(PUBLISHED, base), 12);
  });

  it('refuses summaries that cannot be BG/NBD customers, naming the customer', () => {
    const bad: [CustomerSummary, RegExp][] = [
      [{ frequency: 1.5, recency: 2, T: 3 }, /frequency must be a whole number/],
      [{ frequency: -1, recency: 0, T: 3 }, /frequency must be a whole number/],
      [{ frequency: 2, recency: 4, T: 3 }, /after the end of the observation/],
      [{ frequency: 0, recency: 2, T: 3 }, /recency must be 0 when frequency is 0/],
      [{ frequency: 1, recency: 1, T: Number.NaN }, /T must be a number/],
    ];
    for (const [c, message] of bad) {
      expect(() => fitBgNbd([{ frequency: 1, recency: 1, T: 2 }, c])).toThrow(message);
      try {
        fitBgNbd([{ frequency: 1, recency: 1, T: 2 }, c]);
      } catch (e) {
        expect((e as BgNbdError).index).toBe(1);
        expect((e as Error).message).toMatch(/^customer 2: /);
      }
    }
  });

  it('refuses to fit customers without a single repeat purchase, and no customers at all', () => {
    expect(() => fitBgNbd([{ frequency: 0, recency: 0, T: 10 }, { frequency: 0, recency: 0, T: 5 }])).toThrow(/no customer has a repeat purchase/);
    expect(() => fitBgNbd([])).toThrow(/no customers/);
  });
});

describe('BG/NBD gradient', () => {
  it('agrees with central differences of the log-likelihood', () => {
    const customers: CustomerSummary[] = [
      { frequency: 0, recency: 0, T: 30 },
      { frequency: 0, recency: 0, T: 0 },
      { frequency: 1, recency: 3, T: 30 },
      { frequency: 4, recency: 29, T: 30 },
      { frequency: 12, recency: 12, T: 12 },
      { frequency: 2, recency: 0, T: 7 },
    ];
    const p = { r: 0.7, alpha: 3.1, a: 1.4, b: 2.2 };
    const g = bgnbdGradient(p, customers);
    const keys = ['r', 'alpha', 'a', 'b'] as const;
    keys.forEach((k, i) => {
      const h = 1e-6 * p[k];
      const up = bgnbdLogLikelihood({ ...p, [k]: p[k] + h }, customers);
      const down = bgnbdLogLikelihood({ ...p, [k]: p[k] - h }, customers);
      expect(g[i]).toBeCloseTo((up - down) / (2 * h), 5);
    });
  });
});

describe('BG/NBD expected purchases given alive: three ways to the same number', () => {
  // Reference: eq. 10 without its P(alive) factor, (a+b+x−1)/(a−1) · (1 − ((α+T)/(α+T+t))^(r+x)
  // · hyp2f1(r+x, b+x, a+b+x−1, t/(α+T+t))), by mpmath at 50 digits (a = 1 as 1 + 1e-23).
  const cases: { p: BgNbdParams; x: number; T: number; t: number; expected: number; methods: ExpectationMethod[] }[] = [
    { p: PUBLISHED, x: 2, T: 38.86, t: 39, expected: 1.68739930580531, methods: ['euler', 'quadrature'] },
    { p: { r: 0.7, alpha: 3, a: 2.5, b: 4 }, x: 5, T: 20, t: 30, expected: 3.78593884020835, methods: ['euler', 'gauss', 'quadrature'] },
    { p: { r: 0.7, alpha: 3, a: 2.5, b: 4 }, x: 0, T: 0, t: 300, expected: 3.17260799575043, methods: ['euler', 'gauss', 'quadrature'] },
    { p: { r: 0.5, alpha: 2, a: 1, b: 3 }, x: 3, T: 8, t: 10, expected: 2.71415745969827, methods: ['euler', 'quadrature'] },
    { p: { r: 2, alpha: 0.01, a: 1.5, b: 0.5 }, x: 0, T: 0, t: 52, expected: 1.98613116225724, methods: ['euler', 'quadrature'] },
    // Degenerate fits a small or odd file can produce: a purchase rate nearly the same for all
    // (r, α → ∞), a drop-out probability nearly the same for all (a, b → ∞).
    { p: { r: 1e12, alpha: 1e13, a: 0.9, b: 3 }, x: 4, T: 30, t: 52, expected: 4.07197862991115, methods: ['quadrature'] },
    { p: { r: 2, alpha: 3, a: 1e12, b: 1e13 }, x: 40, T: 30, t: 52, expected: 10.9602395881554, methods: ['gauss'] },
    // Tiny a with a large r: nearly all the Beta mass lies at p below 1e-300, where p·t/(α+T) is
    // subnormal (the quadrature uses f's series about p = 0 there). mpmath 60 digits: 20.7451727848472169.
    { p: { r: 2352.725764693837, alpha: 0.8770460150832627, a: 0.0011040326065145138, b: 1696.1825386395478 }, x: 0, T: 30.425288853949493, t: 0.2760103720937295, expected: 20.7451727848472169, methods: ['quadrature'] },
  ];

  it.each(cases)('r=$p.r α=$p.alpha a=$p.a b=$p.b, x=$x, T=$T, t=$t → $expected', ({ p, x, T, t, expected, methods }) => {
    expect(expectedPurchasesIfAlive(p, x, T, t)).toBeCloseTo(expected, 11);
    for (const m of methods) expect(expectedPurchasesIfAlive(p, x, T, t, m)).toBeCloseTo(expected, 11);
  });

  it('says which series cannot be used rather than return a wrong number', () => {
    // eq. 10's own series divides by a − 1: refused below a = 2.
    expect(expectedPurchasesIfAlive(PUBLISHED, 2, 38.86, 39, 'gauss')).toBeNaN();
    // The Euler series with a large negative a+b−1−r cancels catastrophically: refused.
    expect(expectedPurchasesIfAlive({ r: 1e12, alpha: 1e13, a: 0.9, b: 3 }, 4, 30, 52, 'euler')).toBeNaN();
  });
});


describe('BG/NBD fit on customers drawn from the model', () => {
  it('recovers the parameters it was given, within their sampling error', () => {
    const truth = { r: 0.6, alpha: 5, a: 0.8, b: 3 };
    const rnd = rng(11);
    const Ts = Array.from({ length: 8000 }, () => 20 + 60 * rnd());
    const customers = simulateCustomers(truth, Ts, rnd);
    const fit = fitBgNbd(customers);
    expect(fit.converged).toBe(true);
    expect(fit.params.r / truth.r).toBeGreaterThan(0.9);
    expect(fit.params.r / truth.r).toBeLessThan(1.1);
    expect(fit.params.alpha / truth.alpha).toBeGreaterThan(0.85);
    expect(fit.params.alpha / truth.alpha).toBeLessThan(1.15);
    // The mean drop-out probability a/(a+b) is what the data pin down; a and b alone less so.
    expect(fit.params.a / (fit.params.a + fit.params.b)).toBeCloseTo(truth.a / (truth.a + truth.b), 1);
    // The fitted model predicts the simulated total of repeat purchases it was fitted on.
    const observed = customers.reduce((s, c) => s + c.frequency, 0);
    const predicted = Ts.reduce((s, T) => s + expectedPurchases(fit.params, T), 0);
    expect(predicted / observed).toBeCloseTo(1, 1);
  });

  it('fits files in days as well as weeks: α scales with the time unit, the rest stays', () => {
    const rnd = rng(5);
    const weeks = simulateCustomers(PUBLISHED, Array.from({ length: 3000 }, () => 39 * rnd()), rnd);
    const days = weeks.map((c) => ({ frequency: c.frequency, recency: c.recency * 7, T: c.T * 7 }));
    const w = fitBgNbd(weeks);
    const d = fitBgNbd(days);
    expect(d.params.r).toBeCloseTo(w.params.r, 5);
    expect(d.params.alpha / 7).toBeCloseTo(w.params.alpha, 4);
    expect(d.params.a).toBeCloseTo(w.params.a, 4);
    expect(d.params.b).toBeCloseTo(w.params.b, 3);
  });

  it('converges on a small file whose maximum lies on the edge of the parameter space, and still predicts', () => {
    const rnd = rng(3);
    const customers = simulateCustomers({ r: 0.5, alpha: 2, a: 1, b: 2 }, Array.from({ length: 30 }, () => 10 * (0.3 + 0.7 * rnd())), rnd);
    const fit = fitBgNbd(customers);
    expect(fit.converged).toBe(true);
    // With 30 customers the drop-out distribution is not identified: a runs off to 0 or to ∞.
    expect(fit.params.a < 1e-6 || fit.params.a > 1e6).toBe(true);
    expect(fit.atEdge).toContain('a');
    for (const c of customers) {
      const e = conditionalExpectedPurchases(fit.params, c, 52);
      expect(Number.isFinite(e) && e >= 0).toBe(true);
      const alive = probabilityAlive(fit.params, c);
      expect(alive >= 0 && alive <= 1).toBe(true);
    }
  });
});
