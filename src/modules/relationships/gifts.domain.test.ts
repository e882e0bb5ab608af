import { describe, expect, it } from 'vitest';
import { DEFAULT_GIFT_POLICY, evaluateGift, giftRegister, type GiftPolicy, type GiftRecord, policyProblems } from './gifts.domain.js';

const policy: GiftPolicy = { currency: 'CNY', perGiftLimitMinor: 50_000, perPersonYearLimitMinor: 120_000, approvalAlwaysKinds: ['cash_equivalent'], perKindLimitMinor: { hospitality: 30_000 } };
const cny = (amountMinor: number) => ({ amountMinor, currency: 'CNY' });
const rec = (id: string, personId: string, date: string, amountMinor: number, status: GiftRecord['status'] = 'allowed', kind: GiftRecord['kind'] = 'gift'): GiftRecord => ({ id, personId, date, kind, value: cny(amountMinor), status });

describe('gift policy', () => {
  it('allows a gift at the per-gift limit and asks approval one fen above it', () => {
    expect(evaluateGift(policy, { personId: 'p1', date: '2026-09-12', kind: 'gift', value: cny(50_000) }, [])).toEqual({
      ok: true, decision: 'allowed', reasons: [],
      totals: { year: 2026, currency: 'CNY', personYearBeforeMinor: 0, personYearAfterMinor: 50_000, perPersonYearLimitMinor: 120_000, remainingAfterMinor: 70_000 },
    });
    expect(evaluateGift(policy, { personId: 'p1', date: '2026-09-12', kind: 'gift', value: cny(50_001) }, [])).toMatchObject({
      ok: true, decision: 'needs_approval', reasons: [{ code: 'over_per_gift_limit', limitMinor: 50_000, valueMinor: 50_001 }],
    });
  });

  it('adds up the person\'s gifts in the calendar year, leaving out other people, other years and declined gifts', () => {
    const history = [
      rec('g1', 'p1', '2026-02-17', 40_000), // Spring Festival
      rec('g2', 'p1', '2026-06-19', 30_000, 'approved'),
      rec('g3', 'p1', '2026-07-01', 45_000, 'declined'),
      rec('g4', 'p2', '2026-08-01', 45_000),
      rec('g5', 'p1', '2025-12-31', 45_000),
      rec('g6', 'p1', '2026-08-20', 10_000, 'pending_approval'),
    ];
    const e = evaluateGift(policy, { personId: 'p1', date: '2026-09-25', kind: 'gift', value: cny(40_001) }, history);
    expect(e).toEqual({
      ok: true, decision: 'needs_approval',
      reasons: [{ code: 'over_per_person_year_limit', limitMinor: 120_000, totalAfterMinor: 120_001 }],
      totals: { year: 2026, currency: 'CNY', personYearBeforeMinor: 80_000, personYearAfterMinor: 120_001, perPersonYearLimitMinor: 120_000, remainingAfterMinor: 0 },
    });
    expect(evaluateGift(policy, { personId: 'p1', date: '2026-09-25', kind: 'gift', value: cny(40_000) }, history)).toMatchObject({ decision: 'allowed', totals: { remainingAfterMinor: 0 } });
    // a new year starts from nothing
    expect(evaluateGift(policy, { personId: 'p1', date: '2027-01-02', kind: 'gift', value: cny(40_001) }, history)).toMatchObject({ decision: 'allowed', totals: { personYearBeforeMinor: 0 } });
  });

  it('always asks approval for cash equivalents and applies a lower limit to hospitality', () => {
    expect(evaluateGift(policy, { personId: 'p1', date: '2026-02-17', kind: 'cash_equivalent', value: cny(8_800) }, [])).toMatchObject({ decision: 'needs_approval', reasons: [{ code: 'kind_needs_approval', kind: 'cash_equivalent' }] });
    expect(evaluateGift(policy, { personId: 'p1', date: '2026-02-17', kind: 'hospitality', value: cny(30_000) }, [])).toMatchObject({ decision: 'allowed' });
    expect(evaluateGift(policy, { personId: 'p1', date: '2026-02-17', kind: 'hospitality', value: cny(30_100) }, [])).toMatchObject({ decision: 'needs_approval', reasons: [{ code: 'over_kind_limit', kind: 'hospitality', limitMinor: 30_000, valueMinor: 30_100 }] });
    // every reason is given at once
    const many = evaluateGift(policy, { personId: 'p1', date: '2026-02-17', kind: 'cash_equivalent', value: cny(200_000) }, []);
    expect(many.ok && many.reasons.map((r) => r.code)).toEqual(['kind_needs_approval', 'over_per_gift_limit', 'over_per_person_year_limit']);
  });

  it('refuses a value in another currency or not in whole minor units', () => {
    expect(evaluateGift(policy, { personId: 'p1', date: '2026-02-17', kind: 'gift', value: { amountMinor: 100, currency: 'USD' } }, [])).toMatchObject({ ok: false, status: 400, field: 'currency' });
    expect(evaluateGift(policy, { personId: 'p1', date: '2026-02-17', kind: 'gift', value: cny(10.5) }, [])).toMatchObject({ ok: false, field: 'amountMinor' });
    expect(evaluateGift(policy, { personId: 'p1', date: '2026-02-17', kind: 'gift', value: cny(-1) }, [])).toMatchObject({ ok: false, field: 'amountMinor' });
    expect(policyProblems(DEFAULT_GIFT_POLICY)).toEqual([]);
    expect(policyProblems({ ...policy, currency: 'yuan', perGiftLimitMinor: -5 }).map((p) => p.field)).toEqual(['currency', 'perGiftLimitMinor']);
  });

  it('keeps a register in date order with running totals per person and year', () => {
    const rows = giftRegister(policy, [
      rec('g3', 'p1', '2026-09-25', 50_000),
      rec('g1', 'p1', '2026-02-17', 40_000),
      rec('g2', 'p2', '2026-02-17', 60_000, 'approved'),
      rec('g4', 'p1', '2026-10-01', 40_000, 'declined'),
      rec('g5', 'p1', '2026-12-24', 30_001, 'pending_approval'),
    ]);
    expect(rows.map((r) => [r.gift.id, r.decision, r.personYearTotalMinor])).toEqual([
      ['g1', 'allowed', 40_000],
      ['g2', 'needs_approval', 60_000],
      ['g3', 'allowed', 90_000],
      ['g4', 'needs_approval', 90_000], // 130,000 would be over the year limit; declined, so it adds nothing
      ['g5', 'needs_approval', 120_001],
    ]);
  });
});
