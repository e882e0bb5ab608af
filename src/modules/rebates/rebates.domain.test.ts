import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  allocate,
  calcRebate,
  creditNoteLines,
  monthsOf,
  nextTier,
  parseTerms,
  RebateTermsError,
  roundHalfUp,
  settle,
  tierIssues,
  toDecimal,
  versionInForce,
  type RebateTerms,
} from './rebates.domain.js';

// Annual 2 % / 3 % / 4 % with thresholds at ¥10,000 and ¥20,000 (CNY: minor units are fen).
const tiers = [
  { from: 0, ratePercent: 2 },
  { from: 1_000_000, ratePercent: 3 },
  { from: 2_000_000, ratePercent: 4 },
];
const retro: RebateTerms = { method: 'retroactive', tiers };
const incr: RebateTerms = { method: 'incremental', tiers };

describe('retroactive and incremental rebates at the edges of a tier', () => {
  it('just below the threshold: both earn 2 % of the whole basis (999,999 × 2 % = 19,999.98 → 20,000)', () => {
    expect(calcRebate(retro, 999_999)).toEqual({
      rebateMinor: 20_000,
      tierIndex: 0,
      bands: [
        { from: 0, to: 1_000_000, basisInBand: 999_999, ratePercent: 2, rebateMinor: 20_000 },
        { from: 1_000_000, to: 2_000_000, basisInBand: 0, ratePercent: 3, rebateMinor: 0 },
        { from: 2_000_000, to: null, basisInBand: 0, ratePercent: 4, rebateMinor: 0 },
      ],
    });
    expect(calcRebate(incr, 999_999).rebateMinor).toBe(20_000);
  });

  it('exactly at the threshold: the tier is reached (half-open bands); retroactive 3 % of 1,000,000 = 30,000, incremental 2 % of 1,000,000 + 3 % of 0 = 20,000', () => {
    const r = calcRebate(retro, 1_000_000);
    expect(r.tierIndex).toBe(1);
    expect(r.rebateMinor).toBe(30_000);
    // Retroactive: the reached rate applies to every band's part.
    expect(r.bands.map((b) => [b.basisInBand, b.ratePercent, b.rebateMinor])).toEqual([[1_000_000, 3, 30_000], [0, 3, 0], [0, 4, 0]]);
    const i = calcRebate(incr, 1_000_000);
    expect(i.tierIndex).toBe(1);
    expect(i.rebateMinor).toBe(20_000);
  });

  it('just above the threshold: retroactive 1,000,001 × 3 % = 30,000.03 → 30,000; incremental 20,000 + 1 × 3 % = 20,000.03 → 20,000', () => {
    expect(calcRebate(retro, 1_000_001).rebateMinor).toBe(30_000);
    const i = calcRebate(incr, 1_000_001);
    expect(i.rebateMinor).toBe(20_000);
    expect(i.bands.map((b) => [b.basisInBand, b.ratePercent, b.rebateMinor])).toEqual([[1_000_000, 2, 20_000], [1, 3, 0], [0, 4, 0]]);
  });

  it('prices each band at its own rate for incremental: 2,500,000 → 20,000 + 30,000 + 20,000 = 70,000 (retroactive: 4 % of all = 100,000)', () => {
    const i = calcRebate(incr, 2_500_000);
    expect(i.rebateMinor).toBe(70_000);
    expect(i.tierIndex).toBe(2);
    expect(i.bands.map((b) => b.rebateMinor)).toEqual([20_000, 30_000, 20_000]);
    expect(calcRebate(retro, 2_500_000).rebateMinor).toBe(100_000);
  });

  it('reproduces the CLI example: basis 380,000 with 10 % from 0 and 20 % from 10,000', () => {
    const t = [{ from: 0, ratePercent: 10 }, { from: 10_000, ratePercent: 20 }];
    expect(calcRebate({ method: 'retroactive', tiers: t }, 380_000).rebateMinor).toBe(76_000); // 380,000 × 20 %
    expect(calcRebate({ method: 'incremental', tiers: t }, 380_000).rebateMinor).toBe(75_000); // 10,000 × 10 % + 370,000 × 20 %
  });

  it('earns nothing below the first tier and says tierIndex -1', () => {
    const t: RebateTerms = { method: 'retroactive', tiers: [{ from: 500_000, ratePercent: 2 }, { from: 1_000_000, ratePercent: 3 }] };
    const r = calcRebate(t, 499_999);
    expect(r).toEqual({ rebateMinor: 0, tierIndex: -1, bands: [
      { from: 500_000, to: 1_000_000, basisInBand: 0, ratePercent: 2, rebateMinor: 0 },
      { from: 1_000_000, to: null, basisInBand: 0, ratePercent: 3, rebateMinor: 0 },
    ] });
    expect(calcRebate(t, 500_000).rebateMinor).toBe(10_000); // 2 % of all 500,000, not of the part above 500,000
    expect(calcRebate(t, 500_000).bands[0]).toEqual({ from: 500_000, to: 1_000_000, basisInBand: 500_000, ratePercent: 2, rebateMinor: 10_000 });
    expect(calcRebate({ ...t, method: 'incremental' }, 600_000).rebateMinor).toBe(2_000); // 2 % of the 100,000 inside [500,000, 1,000,000)
    expect(calcRebate(retro, -5_000).tierIndex).toBe(-1); // more returns than sales
    expect(calcRebate(retro, -5_000).rebateMinor).toBe(0);
  });
});

describe('growth, per-unit, minimum and cap', () => {
  const growth: RebateTerms = { method: 'growth', tiers: [{ from: 0, ratePercent: 1 }, { from: 200_000, ratePercent: 5 }] };

  it('growth over a smaller reference period: increase 1,300,000 − 1,000,000 = 300,000 reaches 5 %, paid on the increase: 15,000', () => {
    const r = calcRebate(growth, 1_300_000, 1_000_000);
    expect(r.rebateMinor).toBe(15_000);
    expect(r.tierIndex).toBe(1);
    expect(r.bands.map((b) => [b.basisInBand, b.ratePercent, b.rebateMinor])).toEqual([[200_000, 5, 10_000], [100_000, 5, 5_000]]);
    // Increase 199,999 stays at 1 %: 1,999.99 → 2,000.
    expect(calcRebate(growth, 1_199_999, 1_000_000).rebateMinor).toBe(2_000);
  });

  it('growth below the reference earns nothing (the increase is floored at 0)', () => {
    expect(calcRebate(growth, 900_000, 1_000_000)).toMatchObject({ rebateMinor: 0, tierIndex: 0 });
    expect(() => calcRebate(growth, 900_000)).toThrow(RebateTermsError);
  });

  it('per-unit: the tier reached by quantity pays its amount per unit on every unit (1,200 units × 80 fen = 96,000)', () => {
    const perUnit: RebateTerms = { method: 'per-unit', tiers: [{ from: 0, ratePercent: 50 }, { from: 1_000, ratePercent: 80 }] };
    expect(calcRebate(perUnit, 999).rebateMinor).toBe(49_950);
    expect(calcRebate(perUnit, 1_200)).toMatchObject({ rebateMinor: 96_000, tierIndex: 1 });
    // Half a fen per unit: 3 units → 1.5 → 2 (half-up).
    expect(calcRebate({ method: 'per-unit', tiers: [{ from: 0, ratePercent: 0.5 }] }, 3).rebateMinor).toBe(2);
  });

  it('pays nothing below the minimum basis and never more than the cap', () => {
    expect(calcRebate({ ...retro, minimumBasis: 500_000 }, 499_999).rebateMinor).toBe(0);
    expect(calcRebate({ ...retro, minimumBasis: 500_000 }, 500_000).rebateMinor).toBe(10_000);
    const capped = calcRebate({ ...retro, capMinor: 25_000 }, 1_000_000);
    expect(capped.rebateMinor).toBe(25_000);
    expect(capped.bands.reduce((s, b) => s + b.rebateMinor, 0)).toBe(25_000);
  });

  it('rounds half-up once, on exact decimal rates (no float error)', () => {
    const at = (rate: number, basis: number) => calcRebate({ method: 'retroactive', tiers: [{ from: 0, ratePercent: rate }] }, basis).rebateMinor;
    expect(at(2, 25)).toBe(1); // 0.5 → 1
    expect(at(2, 24)).toBe(0); // 0.48 → 0
    expect(at(2.5, 60)).toBe(2); // 1.5 → 2
    expect(at(2.5, 1_234_567)).toBe(30_864); // 30,864.175 → 30,864
    expect(at(0.1, 500)).toBe(1); // 0.5 → 1
    expect(at(1.15, 100)).toBe(1); // 1.15 exactly; as a float 1.15 × 100 / 100 = 1.1499999…
    expect(at(0.07, 50)).toBe(0); // 0.035
    // Incremental sums the bands exactly, then rounds once: 0.5 + 0.5 = 1, not 1 + 1.
    const inc: RebateTerms = { method: 'incremental', tiers: [{ from: 0, ratePercent: 1 }, { from: 50, ratePercent: 1 }] };
    expect(calcRebate(inc, 100).rebateMinor).toBe(1);
  });

  it('handles products beyond 2^53 exactly', () => {
    expect(calcRebate({ method: 'retroactive', tiers: [{ from: 0, ratePercent: 3.3333 }] }, 9_000_000_000_000_000).rebateMinor).toBe(299_997_000_000_000);
  });
});

describe('terms validation', () => {
  it('names each problem with its path', () => {
    const issues = (t: unknown) => tierIssues(t, 'retroactive').map((i) => `${i.path}: ${i.message}`);
    expect(issues([])).toEqual(['tiers: needs at least one tier']);
    expect(issues([{ from: -1, ratePercent: 2 }])[0]).toMatch(/^tiers\[0\]\.from: the first tier must start at 0/);
    expect(issues([{ from: 0, ratePercent: 2 }, { from: 0, ratePercent: 3 }])[0]).toMatch(/^tiers\[1\]\.from: 0 is the same as tiers\[0\]\.from: tiers overlap/);
    expect(issues([{ from: 100, ratePercent: 2 }, { from: 50, ratePercent: 3 }])[0]).toMatch(/^tiers\[1\]\.from: 50 is below tiers\[0\]\.from 100: tiers must be in increasing order/);
    expect(issues([{ from: 0, ratePercent: -1 }])).toEqual(['tiers[0].ratePercent: must not be negative, got -1']);
    expect(issues([{ from: 0, to: 200, ratePercent: 1 }, { from: 100, ratePercent: 2 }])[0]).toMatch(/tiers\[0\]\.to: 200 is above tiers\[1\]\.from 100: tiers overlap/);
    expect(issues([{ from: 0.5, ratePercent: 1 }])[0]).toMatch(/tiers\[0\]\.from: must be a whole number/);
    expect(tierIssues([{ from: 0, perUnitMinor: -3 }], 'per-unit')[0]!.path).toBe('tiers[0].perUnitMinor');
  });

  it('parses terms with aliases and refuses an unknown method', () => {
    expect(parseTerms({ method: 'incremental', tiers: [{ from: 0, ratePercent: 1 }], minimum: 5, cap: 9 })).toEqual({
      method: 'incremental', tiers: [{ from: 0, ratePercent: 1 }], minimumBasis: 5, capMinor: 9,
    });
    expect(parseTerms({ method: 'per-unit', tiers: [{ from: 0, perUnitMinor: 30 }] }).tiers).toEqual([{ from: 0, ratePercent: 30 }]);
    expect(() => parseTerms({ method: 'stepped', tiers: [{ from: 0, ratePercent: 1 }] })).toThrow(/method: must be one of retroactive, incremental, growth, per-unit/);
  });

  it('reads decimals exactly', () => {
    expect(toDecimal(2.5)).toEqual({ num: 25n, den: 10n });
    expect(toDecimal(1e-7)).toEqual({ num: 1n, den: 10_000_000n });
    expect(toDecimal(300)).toEqual({ num: 300n, den: 1n });
    expect(roundHalfUp(5n, 10n)).toBe(1n);
    expect(roundHalfUp(4n, 10n)).toBe(0n);
  });
});

describe('returns, settlements and credit notes', () => {
  it('returns that drop the basis below a tier claw back on the next settlement', () => {
    // Partial settlement at 1,050,000 (tier 2, 3 %): 31,500 paid.
    const paid = [settle(calcRebate(retro, 1_050_000).rebateMinor, [])];
    expect(paid).toEqual([31_500]);
    // A 100,000 credit note drops the basis to 950,000: back to 2 %, earned 19,000; 12,500 owed back.
    expect(settle(calcRebate(retro, 950_000).rebateMinor, paid)).toBe(-12_500);
  });

  it('two partial settlements and a final one each deduct what was already paid and sum to the final earned amount', () => {
    const p1 = settle(calcRebate(retro, 600_000).rebateMinor, []); // 12,000
    const p2 = settle(calcRebate(retro, 1_400_000).rebateMinor, [p1]); // 42,000 − 12,000
    const fin = settle(calcRebate(retro, 2_100_000).rebateMinor, [p1, p2]); // 84,000 − 42,000
    expect([p1, p2, fin]).toEqual([12_000, 30_000, 42_000]);
    expect(p1 + p2 + fin).toBe(84_000);
  });

  it('shares a credit note over many lines by largest remainder so the lines sum to the total', () => {
    expect(allocate(100, [1, 1, 1, 1, 1, 1, 1])).toEqual([15, 15, 14, 14, 14, 14, 14]);
    expect(allocate(1_000, [1, 1, 1])).toEqual([334, 333, 333]);
    // 12 categories with uneven bases; 100,001 fen shared: exact parts 8,333.42 … rounded by remainder.
    const bases = [123_457, 98_765, 55_555, 44_444, 33_333, 22_222, 11_111, 9_999, 8_888, 7_777, 6_666, 5_555];
    const lines = creditNoteLines(100_001, bases.map((b, i) => ({ key: `c${i}`, label: `Category ${i}`, weight: b })));
    expect(lines.reduce((s, l) => s + l.amountMinor, 0)).toBe(100_001);
    // Base total 427,772. Exact parts: 28,860.756 23,088.465 12,987.188 10,389.751 7,792.313 5,194.875
    // 2,597.438 2,337.484 2,077.763 1,818.043 1,558.322 1,298.602; floors sum to 99,995, so the six
    // largest remainders (.875 .763 .756 .751 .602 .484) get one fen each.
    expect(lines.map((l) => l.amountMinor)).toEqual([28_861, 23_088, 12_987, 10_390, 7_792, 5_195, 2_597, 2_338, 2_078, 1_818, 1_558, 1_299]);
    expect(allocate(-7, [1, 1])).toEqual([-4, -3]);
    expect(allocate(5, [0, 0])).toEqual([3, 2]);
  });
});

describe('progress, versions and periods', () => {
  it('says how much more reaches the next tier and what it is worth', () => {
    expect(nextTier(retro, 800_000)).toEqual({ tierIndex: 1, ratePercent: 3, moreNeeded: 200_000, rebateAtTierMinor: 30_000, gainMinor: 14_000 });
    expect(nextTier(retro, 2_000_000)).toBeNull();
    expect(nextTier({ method: 'growth', tiers: [{ from: 0, ratePercent: 1 }, { from: 200_000, ratePercent: 5 }] }, 1_100_000, 1_000_000))
      .toMatchObject({ moreNeeded: 100_000, rebateAtTierMinor: 10_000 });
  });

  it('picks the version in force on a date; before the first, the first', () => {
    const vs = [{ id: 'b', effectiveFrom: '2026-07-01' }, { id: 'a', effectiveFrom: '2026-01-01' }];
    expect(versionInForce(vs, '2026-06-30', (v) => v.effectiveFrom)!.id).toBe('a');
    expect(versionInForce(vs, '2026-07-01', (v) => v.effectiveFrom)!.id).toBe('b');
    expect(versionInForce(vs, '2025-12-01', (v) => v.effectiveFrom)!.id).toBe('a');
  });

  it('lists the months of a half-open period', () => {
    expect(monthsOf('2026-01-01', '2027-01-01')).toHaveLength(12);
    expect(monthsOf('2026-04-15', '2026-06-10')).toEqual(['2026-04', '2026-05', '2026-06']);
  });
});

describe('properties', () => {
  const rate = fc.integer({ min: 0, max: 5_000 }).map((n) => n / 100); // 0.00 … 50.00 %
  const tierList = fc.tuple(fc.constantFrom(0, 0, 1, 500_000), fc.array(fc.tuple(fc.integer({ min: 1, max: 1_000_000 }), rate), { minLength: 1, maxLength: 6 })).map(([start, steps]) => {
    let from = start;
    return steps.map(([gap, r], i) => {
      if (i > 0) from += gap;
      return { from, ratePercent: r };
    });
  });
  const nonDecreasing = tierList.map((ts) => {
    const rates = ts.map((t) => t.ratePercent).sort((a, b) => a - b);
    return ts.map((t, i) => ({ ...t, ratePercent: rates[i]! }));
  });
  const basis = fc.integer({ min: -100_000, max: 20_000_000 });

  it('incremental ≤ retroactive for non-decreasing rates, exactly, after rounding', () => {
    fc.assert(fc.property(nonDecreasing, basis, (ts, b) => {
      expect(calcRebate({ method: 'incremental', tiers: ts }, b).rebateMinor).toBeLessThanOrEqual(calcRebate({ method: 'retroactive', tiers: ts }, b).rebateMinor);
    }), { numRuns: 2_000 });
  });

  it('the incremental rebate never falls as the basis grows, whatever the rates', () => {
    fc.assert(fc.property(tierList, basis, fc.integer({ min: 0, max: 5_000_000 }), (ts, b, more) => {
      const t: RebateTerms = { method: 'incremental', tiers: ts };
      expect(calcRebate(t, b + more).rebateMinor).toBeGreaterThanOrEqual(calcRebate(t, b).rebateMinor);
    }), { numRuns: 2_000 });
  });

  it('bands always sum to the rebate', () => {
    fc.assert(fc.property(tierList, basis, fc.constantFrom('retroactive', 'incremental', 'per-unit') as fc.Arbitrary<RebateTerms['method']>, (ts, b, method) => {
      const r = calcRebate({ method, tiers: ts }, b);
      expect(r.bands.reduce((s, x) => s + x.rebateMinor, 0)).toBe(r.rebateMinor);
    }), { numRuns: 1_000 });
  });

  it('settlements of a period sum to the final earned amount whatever the partial schedule (returns included)', () => {
    fc.assert(fc.property(tierList, fc.array(basis, { minLength: 1, maxLength: 8 }), (ts, bases) => {
      const t: RebateTerms = { method: 'retroactive', tiers: ts };
      const paid: number[] = [];
      for (const b of bases) paid.push(settle(calcRebate(t, b).rebateMinor, paid));
      expect(paid.reduce((s, x) => s + x, 0)).toBe(calcRebate(t, bases[bases.length - 1]!).rebateMinor);
    }), { numRuns: 1_000 });
  });

  it('credit-note lines sum exactly to the amount, each within one unit of its exact share', () => {
    fc.assert(fc.property(fc.integer({ min: -10_000_000, max: 10_000_000 }), fc.array(fc.integer({ min: 0, max: 1_000_000 }), { minLength: 1, maxLength: 40 }), (total, ws) => {
      const shares = allocate(total, ws);
      expect(shares.reduce((s, x) => s + x, 0)).toBe(total);
      const sum = ws.reduce((s, x) => s + x, 0);
      if (sum > 0) ws.forEach((w, i) => expect(Math.abs(shares[i]! - (total * w) / sum)).toBeLessThan(1 + 1e-9));
    }), { numRuns: 1_000 });
  });
});

describe('attainment forecast', () => {
  it('reads cumulative quantiles as chances: at the median 50 %, between levels linearly, beyond the top ~0', async () => {
    const { chanceOfAtLeast } = await import('./rebates.forecast.js');
    const levels = [0.1, 0.5, 0.9];
    const q = [100, 200, 300];
    expect(chanceOfAtLeast(0, levels, q)).toBe(1);
    expect(chanceOfAtLeast(200, levels, q)).toBeCloseTo(0.5, 9);
    expect(chanceOfAtLeast(250, levels, q)).toBeCloseTo(0.3, 9);
    expect(chanceOfAtLeast(50, levels, q)).toBeCloseTo(0.95, 9);
    expect(chanceOfAtLeast(10_000, levels, q)).toBe(0);
  });

  it('gives a steady customer a high chance of a tier its trend reaches and a low one of a tier far above', async () => {
    const { forecastAttainment } = await import('./rebates.forecast.js');
    const history = Array.from({ length: 24 }, (_, i) => 100_000 + (i % 3) * 1_000);
    const f = forecastAttainment(retro, { history, horizon: 6, currentMonthSoFar: 0, basisToDate: 600_000 })!;
    // Six more months of ~100,000 bring the basis to ~1,200,000: tier 1 (1,000,000) likely, tier 2 (2,000,000) not.
    expect(f.chances[0]!.probability).toBe(1);
    expect(f.chances[1]!.probability).toBeGreaterThan(0.9);
    expect(f.chances[2]!.probability).toBeLessThan(0.05);
    expect(f.expectedRebateMinor).toBeGreaterThan(30_000);
  });
});
