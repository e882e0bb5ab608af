import { describe, expect, it } from 'vitest';
import {
  type Alternative, buildWaterfall, compareOffer, type ComparisonInput, divRound, priceInOurUnit, thresholdBp, undercut, type WaterfallStep,
} from './competition.domain.js';

const step = (kind: WaterfallStep['kind'], order: number, amountMinor: number, currency = 'CNY'): WaterfallStep =>
  ({ id: `t.${kind}`, module: 't', kind, labelKey: `t.${kind}`, params: {}, amountMinor, currency, order });

describe('rounding', () => {
  it('rounds halves away from zero and everything else to the nearest', () => {
    expect(divRound(5n, 2n)).toBe(3n);
    expect(divRound(-5n, 2n)).toBe(-3n);
    expect(divRound(7n, 3n)).toBe(2n);
    expect(divRound(8n, 3n)).toBe(3n);
    expect(divRound(-8n, 3n)).toBe(-3n);
    expect(divRound(8n, -3n)).toBe(-3n);
  });
});

describe('the waterfall', () => {
  it('goes from list to pocket, per unit, with freight and claims shown as not yet recorded', () => {
    // 1 000 bags at ¥28.00 list = 2 800 000 fen; discount −140 000 (5 %); rebate −56 000; services −12 345.
    const w = buildWaterfall([step('rebate', 20, -56_000), step('list', 0, 2_800_000), step('discount', 10, -140_000), step('service', 30, -12_345)], 1000, 'CNY');
    expect(w.listMinor).toBe(2_800_000);
    expect(w.listPerUnitMinor).toBe(2800);
    // 2 800 000 − 140 000 − 56 000 − 12 345 = 2 591 655; per bag 2 591.655 → 2 592 (half away from zero).
    expect(w.pocketMinor).toBe(2_591_655);
    expect(w.pocketPerUnitMinor).toBe(2592);
    expect(w.rows.map((r) => `${r.kind}:${r.state}`)).toEqual(['list:known', 'discount:known', 'rebate:known', 'service:known', 'freight:unknown', 'claim:unknown']);
    const service = w.rows[3]!;
    // −12 345 / 1 000 = −12.345 → −12.
    expect(service.state === 'known' && [service.perUnitMinor, service.runningMinor, service.runningPerUnitMinor]).toEqual([-12, 2_591_655, 2592]);
    expect(w.rows[4]).toMatchObject({ state: 'unknown', reasonKey: 'competition.waterfall.notYetRecorded' });
    expect(w.missing).toEqual(['freight', 'claim']);
  });

  it('has no pocket price without a list price, and says the missing list is not available', () => {
    const w = buildWaterfall([step('service', 30, -500)], 10, 'CNY');
    expect(w.pocketMinor).toBeNull();
    expect(w.pocketPerUnitMinor).toBeNull();
    expect(w.rows[0]).toMatchObject({ kind: 'list', state: 'unknown', reasonKey: 'competition.waterfall.notAvailable' });
  });

  it('has no per-unit figures over a zero quantity', () => {
    const w = buildWaterfall([step('list', 0, 0)], 0, 'CNY');
    expect(w.pocketMinor).toBe(0);
    expect(w.pocketPerUnitMinor).toBeNull();
  });

  it('refuses a step in another currency', () => {
    expect(() => buildWaterfall([step('list', 0, 100, 'USD')], 1, 'CNY')).toThrow(/USD/);
  });

  it('refuses two list prices rather than adding them up', () => {
    const twice = [{ ...step('list', 0, 2600), id: 'a.list' }, { ...step('list', 0, 1790), id: 'b.list' }];
    expect(() => buildWaterfall(twice, 1, 'CNY')).toThrow(/a\.list, b\.list/);
  });
});

describe('units and the undercut', () => {
  it('converts a price per box of 12 to our piece, and a price per kg to our 50 kg bag', () => {
    // ¥30.00 a box of 12 pieces → 3 000 / 12 = 250 fen a piece.
    expect(priceInOurUnit(3000, { competitorUnits: 1, ourUnits: 12 })).toBe(250);
    // ¥0.53 a kg, our bag 50 kg → 53 × 50 = 2 650 fen a bag.
    expect(priceInOurUnit(53, { competitorUnits: 50, ourUnits: 1 })).toBe(2650);
    // ¥10.00 for 3 of ours → 333.33 → 333.
    expect(priceInOurUnit(1000, { competitorUnits: 1, ourUnits: 3 })).toBe(333);
    expect(() => priceInOurUnit(1000, { competitorUnits: 0, ourUnits: 1 })).toThrow();
  });

  it('raises an alert only when the share is strictly above the threshold', () => {
    // Pocket 2 592, competitor 2 400: (2 592 − 2 400) / 2 592 = 7.41 % → 741 bp > 500.
    expect(undercut(2400, 2592, thresholdBp(5))).toEqual({ competitorUnitMinor: 2400, pocketUnitMinor: 2592, gapMinor: 192, shareBp: 741, alert: true });
    // Pocket 2 000, competitor 1 900: exactly 5 % → no alert.
    expect(undercut(1900, 2000, thresholdBp(5))).toMatchObject({ shareBp: 500, alert: false });
    // One fen lower: 101 / 2 000 = 5.05 % → alert.
    expect(undercut(1899, 2000, thresholdBp(5))).toMatchObject({ shareBp: 505, alert: true });
    // A dearer competitor: negative share.
    expect(undercut(2100, 2000, thresholdBp(5))).toMatchObject({ gapMinor: -100, shareBp: -500, alert: false });
    expect(thresholdBp(2.5)).toBe(250);
  });
});

describe('concession against value', () => {
  const alt = (code: string, unitCostMinor: number, expectedUse: number): Alternative =>
    ({ serviceKindId: code, code, name: code, nameEn: code, unit: 'visit', unitCostMinor, currency: 'CNY', expectedUse, useBasis: 'given' });
  const base: ComparisonInput = {
    currency: 'CNY', horizonMonths: 6, pocketUnitMinor: 2600, competitorUnitMinor: 2400,
    expected: { point: 1200.4, low: 900, high: 1500 },
    sharing: { sharedAccounts: 3, sharedQuantity: 4000, windowMonths: 12 },
    alternatives: [alt('TRAIN', 80_000, 2), alt('TEST', 15_000, 6)],
    margin: { marginMinor: 2_400_000, months: 12 },
  };

  it('recommends offering value when the cheapest alternative costs less than matching', () => {
    const c = compareOffer(base);
    // Cut 200 fen a bag. Own: 200 × 1 200 (1 200.4 rounded) = 240 000.
    // Shared: 4 000 bags a year × 6 / 12 = 2 000 bags × 200 = 400 000. Matching: 640 000.
    expect(c.cutPerUnitMinor).toBe(200);
    expect(c.matching).toEqual({ ownMinor: 240_000, shared: { accounts: 3, quantity: 2000, costMinor: 400_000 }, totalMinor: 640_000, totalIsLowerBound: false });
    // TEST: 15 000 × 6 = 90 000 (14 % of 640 000: 14.06 → 14); TRAIN: 80 000 × 2 = 160 000 (25 %).
    expect(c.alternatives.map((a) => [a.code, a.costMinor, a.shareOfMatchingPercent])).toEqual([['TEST', 90_000, 14], ['TRAIN', 160_000, 25]]);
    // Margin at risk: 2 400 000 × 6 / 12 = 1 200 000.
    expect(c.marginAtRiskMinor).toBe(1_200_000);
    expect(c.recommendation).toBe('value');
    expect(c.reasonKey).toBe('competition.reason.value');
    expect(c.reasonParams).toMatchObject({ costMinor: 90_000, percent: 14, matchMinor: 640_000, marginMinor: 1_200_000 });
  });

  it('recommends matching when no alternative is cheaper and matching is within the margin at risk', () => {
    const c = compareOffer({ ...base, alternatives: [alt('TRAIN', 800_000, 1)] });
    // Matching 640 000 < alternative 800 000; 640 000 ≤ margin 1 200 000.
    expect(c.recommendation).toBe('match');
    expect(c.reasonKey).toBe('competition.reason.match');
  });

  it('recommends letting go when matching costs more than the margin at risk and no alternative fits in it', () => {
    // Margin 960 000 a year → 480 000 over 6 months < matching 640 000; the alternative 800 000 > 480 000.
    const c = compareOffer({ ...base, alternatives: [alt('TRAIN', 800_000, 1)], margin: { marginMinor: 960_000, months: 12 } });
    expect(c.marginAtRiskMinor).toBe(480_000);
    expect(c.recommendation).toBe('decline');
  });

  it('still offers value when matching exceeds the margin but an alternative fits within it', () => {
    const c = compareOffer({ ...base, margin: { marginMinor: 960_000, months: 12 } });
    // Matching 640 000 > 480 000, but TEST costs 90 000 ≤ 480 000.
    expect(c.recommendation).toBe('value');
  });

  it('says the cost on accounts sharing the list is unknown, and treats matching as a lower bound', () => {
    const c = compareOffer({ ...base, sharing: null, alternatives: [alt('TRAIN', 300_000, 1)] });
    // Own only: 240 000, a lower bound; the alternative 300 000 is not surely cheaper → match, shared unknown.
    expect(c.matching).toEqual({ ownMinor: 240_000, shared: null, totalMinor: 240_000, totalIsLowerBound: true });
    expect(c.recommendation).toBe('match');
    expect(c.reasonKey).toBe('competition.reason.matchSharedUnknown');
  });

  it('matches with the margin unknown when no costed sales exist and no alternative is cheaper', () => {
    const c = compareOffer({ ...base, margin: null, alternatives: [] });
    expect(c.marginAtRiskMinor).toBeNull();
    expect(c.reasonKey).toBe('competition.reason.matchMarginUnknown');
  });

  it('holds when the competitor is not below our pocket price', () => {
    const c = compareOffer({ ...base, competitorUnitMinor: 2700 });
    expect(c.cutPerUnitMinor).toBe(0);
    expect(c.matching.totalMinor).toBe(0);
    expect(c.recommendation).toBe('hold');
  });

  it('ignores alternatives priced in another currency', () => {
    const c = compareOffer({ ...base, alternatives: [{ ...alt('USD', 1, 1), currency: 'USD' }] });
    expect(c.alternatives).toEqual([]);
  });
});
