import { describe, expect, it } from 'vitest';
import { WEEKS_PER_YEAR, type RiskBucket, type TyphoonRisk, type YearPassages } from './climate.domain.js';
import { defaultModePlanSettings, monthlyWeekChances, planModes, quantile, rateOn, transitOf, type LaneTyphoonRisk, type PastShipment, type RateLine } from './mode-plan.domain.js';

/**
 * A hand-made lane, worked out on paper (the numbers in the comments are the expected ones).
 *
 * Climatology, 10 years (2001–2010): weeks 26–39 (25 June – 30 September) have a 30 % chance of a
 * ≥ 34 kt passage and 10 % of ≥ 64 kt; no other week has any. Years with a ≥ 34 kt passage by
 * month: 2001 Jul Aug, 2002 Aug, 2003 Jul Sep, 2004 Jul Aug, 2005 Aug Sep, 2006 Jul, 2007 Aug Sep
 * → July 4/10, August 5/10, September 3/10; July–September 7/10.
 */
function riskOf(threshold: number, weekly: number, byYear: YearPassages[]): TyphoonRisk {
  const years = 10;
  const byWeek: RiskBucket[] = Array.from({ length: WEEKS_PER_YEAR }, (_, i) => ({ index: i + 1, yearsWithPassage: 0, probability: i + 1 >= 26 && i + 1 <= 39 ? weekly : 0, storms: 0 }));
  const byMonth: RiskBucket[] = Array.from({ length: 12 }, (_, i) => {
    const n = byYear.filter((y) => y.months.includes(i + 1)).length;
    return { index: i + 1, yearsWithPassage: n, probability: n / years, storms: n };
  });
  return { points: [{ lat: 29.87, lng: 121.55 }], distanceKm: 200, thresholdKt: threshold, method: 'track', years: { from: 2001, to: 2010, count: years }, byWeek, byMonth, byYear };
}
const y = (year: number, months: number[]): YearPassages => ({ year, weeks: [], months, storms: [] });
const risk: LaneTyphoonRisk = {
  kt34: riskOf(34, 0.3, [y(2001, [7, 8]), y(2002, [8]), y(2003, [7, 9]), y(2004, [7, 8]), y(2005, [8, 9]), y(2006, [7]), y(2007, [8, 9])]),
  kt64: riskOf(64, 0.1, [y(2001, [8]), y(2004, [7])]),
};

const ship = (month: number, day: number, days: number): PastShipment => {
  const shippedAt = new Date(Date.UTC(2025, month - 1, day, 8));
  return { mode: 'ship', shippedAt: shippedAt.toISOString(), deliveredAt: new Date(shippedAt.getTime() + days * 86_400_000).toISOString(), tonnes: 500, freightMinor: 6_000_000 };
};
const rail = (month: number, day: number, days: number): PastShipment => ({ ...ship(month, day, days), mode: 'rail' });
// Ship: July 4, 5, 7 days; August 5, 5, 6; September 4, 4, 5. Rail: three in March, 4.5, 5, 5.5.
const shipments = [
  ship(7, 3, 4), ship(7, 12, 5), ship(7, 20, 7), ship(8, 2, 5), ship(8, 15, 5), ship(8, 28, 6), ship(9, 5, 4), ship(9, 14, 4), ship(9, 22, 5),
  rail(3, 4, 4.5), rail(3, 11, 5), rail(3, 18, 5.5),
];
const rate = (id: string, mode: RateLine['mode'], validFrom: string, validTo: string | null, perTonneMinor: number): RateLine => ({ id, mode, validFrom, validTo, currency: 'CNY', perTonneMinor });
// Ship ¥120/t all year, ¥125 from 1 September; rail ¥140 to 30 June, ¥145 from 1 July.
const rates = [
  rate('s1', 'ship', '2026-01-01', null, 12_000), rate('s2', 'ship', '2026-09-01', null, 12_500),
  rate('r1', 'rail', '2026-01-01', '2026-06-30', 14_000), rate('r2', 'rail', '2026-07-01', '2026-12-31', 14_500),
];
const settings = defaultModePlanSettings(2026); // ship exposure 1, 2 d / 4 d; rail 0.2, 1 d / 2 d; rule ship → rail, 0.5 d or 10 points for ≤ ¥30/t

describe('mode plan arithmetic', () => {
  it('picks the rate valid on the day, the latest start winning (a tie: the line listed last), validTo inclusive', () => {
    expect(rateOn([rate('a', 'ship', '2026-09-01', null, 1), rate('b', 'ship', '2026-09-01', null, 2)], 'ship', '2026-09-05')?.id).toBe('b');
    expect(rateOn(rates, 'ship', '2026-08-31')?.id).toBe('s1');
    expect(rateOn(rates, 'ship', '2026-09-01')?.id).toBe('s2');
    expect(rateOn(rates, 'rail', '2026-06-30')?.id).toBe('r1');
    expect(rateOn(rates, 'rail', '2027-01-01')).toBeNull();
    expect(rateOn(rates, 'road', '2026-07-01')).toBeNull();
  });

  it('takes quantiles linearly between order statistics', () => {
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([1, 2, 3, 4], 0.1)).toBeCloseTo(1.3, 12);
    expect(quantile([1, 2, 3, 4], 0.9)).toBeCloseTo(3.7, 12);
    expect(quantile([7], 0.9)).toBe(7);
  });

  it('takes transit from the month, else from all months of the mode, else none', () => {
    // July 4, 5, 7: median 5, p10 4 + 0.2·1 = 4.2, p90 5 + 0.8·2 = 6.6.
    const july = transitOf(shipments, 'ship', 7, 3)!;
    expect(july).toMatchObject({ n: 3, source: 'month', medianDays: 5 });
    expect(july.p10Days).toBeCloseTo(4.2, 9);
    expect(july.p90Days).toBeCloseTo(6.6, 9);
    // January has none: all nine ship shipments, 4 4 4 5 5 5 5 6 7 → median 5.
    expect(transitOf(shipments, 'ship', 1, 3)).toMatchObject({ n: 9, source: 'all-months', medianDays: 5 });
    expect(transitOf(shipments, 'road', 7, 3)).toBeNull();
    expect(transitOf(shipments, 'rail', 7, 4)).toBeNull(); // three rail shipments in all < 4
  });

  it('averages the weekly chances over the days of the month', () => {
    // July, August, September lie wholly in weeks 26–39; June has 25–30 June (6 of 30 days) in week 26.
    expect(monthlyWeekChances(risk, 7)).toEqual({ p34: expect.closeTo(0.3, 12), p64: expect.closeTo(0.1, 12) });
    const june = monthlyWeekChances(risk, 6);
    expect(june.p34).toBeCloseTo(0.06, 12);
    expect(june.p64).toBeCloseTo(0.02, 12);
    expect(monthlyWeekChances(risk, 10)).toEqual({ p34: 0, p64: 0 });
  });
});

describe('planning a lane through the typhoon season', () => {
  const plan = planModes({ rates, shipments, risk, settings });
  const row = (m: number) => plan.rows[m - 1]!;

  it('shows each mode month by month with the figures it came from', () => {
    const july = row(7).modes;
    // Ship: 1 × ((0.3 − 0.1) × 2 + 0.1 × 4) = 0.8 d; expected 5 + 0.8 = 5.8; chance 1 × 4/10.
    expect(july.ship.rate).toEqual({ id: 's1', currency: 'CNY', perTonneMinor: 12_000 });
    expect(july.ship.typhoonDelayDays).toBeCloseTo(0.8, 12);
    expect(july.ship.expectedDays).toBeCloseTo(5.8, 12);
    expect(july.ship.disruptionChance).toBeCloseTo(0.4, 12);
    // Rail: 0.2 × (0.2 × 1 + 0.1 × 2) = 0.08 d; median 5 (March, all months); 5.08; chance 0.2 × 0.4 = 0.08.
    expect(july.rail.rate?.id).toBe('r2');
    expect(july.rail.transit).toMatchObject({ source: 'all-months', medianDays: 5 });
    expect(july.rail.expectedDays).toBeCloseTo(5.08, 12);
    expect(july.rail.disruptionChance).toBeCloseTo(0.08, 12);
    // Road has no rates and no shipments: unknown, not zero.
    expect(july.road.rate).toBeNull();
    expect(july.road.expectedDays).toBeNull();
  });

  it('qualifies a month by days saved or by disruption points, within the extra cost allowed', () => {
    // July: +¥25/t, 5.8 − 5.08 = 0.72 d saved, 40 − 8 = 32 points. September: ship 4 + 0.8 = 4.8, rail 5.08
    // → −0.28 d (slower), but 30 − 6 = 24 points; +¥145 − ¥125 = +¥20/t.
    expect(row(7).switch).toMatchObject({ extraPerTonneMinor: 2500, qualifies: true, reasons: [] });
    expect(row(7).switch.daysSaved).toBeCloseTo(0.72, 12);
    expect(row(7).switch.chancePointsSaved).toBeCloseTo(32, 9);
    expect(row(9).switch).toMatchObject({ extraPerTonneMinor: 2000, qualifies: true });
    expect(row(9).switch.daysSaved).toBeCloseTo(-0.28, 12);
    // June: 5 + 0.16 against 5 + 0.016: 0.144 d and 0 points → too little gain. October: nothing to gain.
    expect(row(6).switch).toMatchObject({ qualifies: false, reasons: ['tooLittleGain'] });
    expect(row(6).switch.daysSaved).toBeCloseTo(0.144, 12);
    expect(row(10).switch.reasons).toEqual(['tooLittleGain']);
  });

  it('proposes rail from 1 July to 30 September with every number and its arithmetic', () => {
    expect(plan.proposals).toHaveLength(1);
    const p = plan.proposals[0]!;
    // Extra: (2500 + 2500 + 2000) / 3 = 2333.3 → 2333. Days: (0.72 + 0.72 − 0.28) / 3 = 0.3867 → 0.4.
    // Typhoon part: 0.8 − 0.08 = 0.72 d each month → 0.7.
    // Chance: 7 of 10 years had a ≥ 34 kt passage in July–September: ship 70 %, rail 0.2 × 70 % = 14 %.
    expect(p.message).toEqual({
      key: 'delivery.modePlan.rule',
      params: { from: 'ship', to: 'rail', fromDay: '07-01', toDay: '09-30', currency: 'CNY', extraPerTonneMinor: 2333, daysSaved: 0.4, typhoonDelaySaved: 0.7, chanceFromPct: 70, chanceToPct: 14 },
    });
    expect(p.months).toEqual([7, 8, 9]);
    expect(p.arithmetic.extraPerTonne).toEqual({ monthly: [2500, 2500, 2000], sum: 7000, count: 3, mean: 2333 });
    expect(p.arithmetic.daysSaved.sum).toBeCloseTo(1.16, 12);
    expect(p.daysSaved).toBeCloseTo(1.16 / 3, 12);
    expect(p.arithmetic.chance).toEqual({ yearsWithPassage: 7, years: 10, exposureFrom: 1, exposureTo: 0.2 });
    expect(p.chanceFrom).toBeCloseTo(0.7, 12);
    expect(p.chanceTo).toBeCloseTo(0.14, 12);
  });

  it('splits the season where a month is too dear, and says why', () => {
    const dear = [...rates, rate('r3', 'rail', '2026-08-01', '2026-08-31', 16_000)]; // +¥40/t in August > ¥30
    const p = planModes({ rates: dear, shipments, risk, settings });
    expect(p.rows[7]!.switch).toMatchObject({ extraPerTonneMinor: 4000, qualifies: false, reasons: ['tooDear'] });
    expect(p.proposals.map((x) => [x.fromDay, x.toDay, x.extraPerTonneMinor])).toEqual([['07-01', '07-31', 2500], ['09-01', '09-30', 2000]]);
  });

  it('proposes nothing for a month without a rate for either mode', () => {
    const noRail = planModes({ rates: rates.filter((r) => r.mode === 'ship'), shipments, risk, settings });
    expect(noRail.proposals).toEqual([]);
    expect(noRail.rows[6]!.switch.reasons).toEqual(['noRate']);
  });

  it('keeps one currency to a rule, and does not compare rates in two currencies', () => {
    const usd = (r: RateLine): RateLine => ({ ...r, currency: 'USD' });
    const september = [usd(rate('s4', 'ship', '2026-09-01', '2026-09-30', 1_750)), usd(rate('r4', 'rail', '2026-09-01', '2026-09-30', 2_000))];
    const p = planModes({ rates: [...rates.filter((r) => r.id !== 's2'), ...september], shipments, risk, settings });
    expect(p.proposals.map((x) => [x.currency, x.months, x.extraPerTonneMinor])).toEqual([['CNY', [7, 8], 2500], ['USD', [9], 250]]);
    const mixed = planModes({ rates: [...rates, september[1]!], shipments, risk, settings });
    expect(mixed.rows[8]!.switch.reasons).toEqual(['currencyMismatch']);
  });

  it('rounds the extra cost to the nearest minor unit, halves up, negative ones too', () => {
    const cheaper = [rate('s', 'ship', '2026-01-01', null, 10_000), rate('a', 'rail', '2026-07-01', '2026-07-31', 9_999), rate('b', 'rail', '2026-08-01', '2026-09-30', 9_998)];
    // July −1, August −2: mean −1.5 → −1.
    const p = planModes({ rates: cheaper, shipments, risk, settings: { ...settings, rule: { ...settings.rule, minChancePointsSaved: 25 } } });
    expect(p.proposals.map((x) => [x.months, x.extraPerTonneMinor])).toEqual([[[7, 8], -1]]);
  });
});
