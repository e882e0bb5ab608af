import { describe, expect, it } from 'vitest';
import { assessGap, exposureFactor, exposureParts, gapRankValue, insuranceState, uninsuredShare, type GapInput } from './site-risk.domain.js';

const cny = (yuan: number) => ({ amountMinor: yuan * 100, currency: 'CNY' });
const site = (p: Partial<GapInput>): GapInput => ({ insuranceStatus: 'unknown', expiresOn: null, cover: null, inventory: null, coastDistanceM: null, floodProne: false, ...p });
const today = '2026-12-01';

describe('insurance, three-valued', () => {
  it('says insured, not insured (none or refused) or unknown, never "not insured" for what nobody recorded', () => {
    expect(['insured', 'none', 'refused', 'unknown', 'something-else'].map(insuranceState)).toEqual(['insured', 'not-insured', 'not-insured', 'unknown', 'unknown']);
  });
});

describe('exposure factor', () => {
  it('is 1 inland, rises linearly to 2 on the coast within 20 km, and weighs flood-prone sites 1.5 times', () => {
    expect(exposureParts(null, false)).toEqual({ coast: 1, flood: 1, factor: 1 });
    expect(exposureParts(25_000, false).factor).toBe(1);
    expect(exposureParts(10_000, false).factor).toBe(1.5);
    expect(exposureParts(200, true)).toEqual({ coast: 1.99, flood: 1.5, factor: 2.985 });
    expect(exposureFactor(0, false)).toBe(2);
  });
});

describe('insurance gaps', () => {
  it('ranks a known gap on the uncovered share of a known stock value', () => {
    expect(assessGap(site({ insuranceStatus: 'none', inventory: cny(1000) }), today, 60)).toEqual({ kind: 'ranked', reason: 'uninsured', daysToExpiry: null, uninsuredShare: 1 });
    expect(assessGap(site({ insuranceStatus: 'insured', inventory: cny(1000), cover: cny(750), expiresOn: '2027-06-30' }), today, 60))
      .toEqual({ kind: 'ranked', reason: 'underinsured', daysToExpiry: 211, uninsuredShare: 0.25 });
    expect(assessGap(site({ insuranceStatus: 'insured', inventory: cny(1000), cover: cny(1000), expiresOn: '2026-12-31' }), today, 60)).toMatchObject({ kind: 'ranked', reason: 'expiring', daysToExpiry: 30, uninsuredShare: 1 });
    expect(assessGap(site({ insuranceStatus: 'insured', inventory: cny(1000), cover: cny(1000), expiresOn: '2027-12-31' }), today, 60)).toBeUndefined();
  });

  it('never ranks an unrecorded stock value or insurance as zero: it says what is missing', () => {
    expect(assessGap(site({ insuranceStatus: 'none' }), today, 60)).toEqual({ kind: 'unknown', reason: 'uninsured', daysToExpiry: null, missing: ['stock'] });
    expect(assessGap(site({ inventory: cny(1000) }), today, 60)).toEqual({ kind: 'unknown', reason: null, daysToExpiry: null, missing: ['insurance'] });
    expect(assessGap(site({}), today, 60)).toEqual({ kind: 'unknown', reason: null, daysToExpiry: null, missing: ['stock', 'insurance'] });
  });

  it('weighs the uncovered value by exposure for the ranking key', () => {
    expect(uninsuredShare('underinsured', cny(1000), cny(900))).toBe(0.1);
    expect(gapRankValue(100_000, 0.25, 1.99)).toBe(49_750);
  });
});
