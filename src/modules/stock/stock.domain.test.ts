import { describe, expect, it } from 'vitest';
import { causesOf, completedOn, daysOutIn, type LineFact, rateBefore, spellsOf, type StockReport, stockOuts } from './stock.domain.js';

/**
 * One dealer and product, as of 2026-11-26:
 *   10-01 100 on hand · 10-15 40 (sold 70 in 14 days) · 10-29 0 (sold 42 in 14 days): out from 10-29
 *   11-05 0 · 11-12 120: back, so spell 1 is 10-29…11-11, 14 days
 *   11-19 0 (sold 120 in 7 days): out again, still out: 11-19…11-26, 8 days.
 * Spell 1's rate: the reports of 10-15 and 10-29 (112 sold over 28 days) = 4 a day → 56 lost, at ¥25.50 = ¥1,428.00.
 * Spell 2's rate: 10-29 (42 over 14 days), and 11-19 (120 over 7); 11-05 and 11-12 began out of stock and are left out:
 *   162 over 21 days; 8 days → 1296/21 = 61.714… lost, valued 8 × 162 × 2550 / 21 = 157,371.43 → 157,371 minor.
 */
const reports: StockReport[] = [
  { date: '2026-10-01', onHand: 100, sold: null },
  { date: '2026-10-15', onHand: 40, sold: 70 },
  { date: '2026-10-29', onHand: 0, sold: 42 },
  { date: '2026-11-05', onHand: 0, sold: 0 },
  { date: '2026-11-12', onHand: 120, sold: null },
  { date: '2026-11-19', onHand: 0, sold: 120 },
];
const asOf = '2026-11-26';
const line = (over: Partial<LineFact>): LineFact => ({ id: 'L', orderNo: 'O', lineNo: null, promisedDate: '2026-10-25', quantity: 100, status: 'delivered', cancelledDate: null, deliveries: [], ...over });

describe('stock-out spells', () => {
  it('runs from the report with nothing on hand to the next report with stock, and stays open while still out', () => {
    expect(spellsOf(reports)).toEqual([{ start: '2026-10-29', end: '2026-11-12' }, { start: '2026-11-19', end: null }]);
  });

  it('reads reports in date order and lets a corrected report of the same date win', () => {
    expect(spellsOf([{ date: '2026-11-10', onHand: 5, sold: null }, { date: '2026-11-01', onHand: 0, sold: null }, { date: '2026-11-10', onHand: 0, sold: null }]))
      .toEqual([{ start: '2026-11-01', end: null }]);
  });

  it('counts the open spell up to and including the as-of date, clipped to the period', () => {
    expect(daysOutIn({ start: '2026-11-19', end: null }, { from: '2026-08-28', to: '2026-11-27' }, asOf)).toBe(8);
    expect(daysOutIn({ start: '2026-10-29', end: '2026-11-12' }, { from: '2026-11-01', to: '2026-12-01' }, asOf)).toBe(11);
    expect(daysOutIn({ start: '2026-10-29', end: '2026-11-12' }, { from: '2026-11-12', to: '2026-12-01' }, asOf)).toBe(0);
  });
});

describe('sell-through before a spell', () => {
  it('averages the reports of the 28 days up to the start, leaving out intervals that began out of stock', () => {
    expect(rateBefore(reports, '2026-10-29')).toEqual({ sold: 112, days: 28 });
    expect(rateBefore(reports, '2026-11-19')).toEqual({ sold: 162, days: 21 });
  });

  it('is unknown when no report before the spell says what was sold', () => {
    expect(rateBefore([{ date: '2026-11-01', onHand: 10, sold: null }, { date: '2026-11-08', onHand: 0, sold: null }], '2026-11-08')).toBeNull();
  });
});

describe('lost sales', () => {
  it('days out times the rate before each spell, valued at the unit price, and unknown without a rate', () => {
    const r = stockOuts({ reports, lines: [], period: { from: '2026-08-28', to: '2026-11-27' }, asOf, priceOn: () => 2550 });
    expect(r.spells.map((s) => [s.daysOut, s.lostQuantity, s.lostValueMinor])).toEqual([[14, 56, 142_800], [8, 61.71, 157_371]]);
    expect(r).toMatchObject({ daysOut: 22, lostQuantity: 117.71, lostValueMinor: 300_171, daysUnknown: 0, outNow: true });

    const unknown = stockOuts({ reports: [{ date: '2026-11-01', onHand: 0, sold: null }], lines: [], period: { from: '2026-11-01', to: '2026-11-27' }, asOf });
    expect(unknown).toMatchObject({ daysOut: 26, lostQuantity: null, lostValueMinor: null, daysUnknown: 26 });
  });

  // 11 days of spell 1 at 4 a day = 44, and spell 2's 61.714…: 105.71.
  it('without a price, counts the quantity and leaves the value unknown', () => {
    const r = stockOuts({ reports, lines: [], period: { from: '2026-11-01', to: '2026-11-27' }, asOf });
    expect(r).toMatchObject({ daysOut: 19, lostQuantity: 105.71, lostValueMinor: null });
  });
});

describe('causing lines', () => {
  const spell1 = { start: '2026-10-29', end: '2026-11-12' };
  const spell2 = { start: '2026-11-19', end: null };
  const late = line({ id: 'late', deliveries: [{ date: '2026-11-11', quantity: 100 }] });
  const onTime = line({ id: 'ontime', promisedDate: '2026-10-20', deliveries: [{ date: '2026-10-20', quantity: 100 }] });
  const missing = line({ id: 'missing', promisedDate: '2026-11-20', status: 'open' });
  const cancelledLate = line({ id: 'cancelled', promisedDate: '2026-11-01', status: 'cancelled', cancelledDate: '2026-11-03' });

  it('links a line delivered after its promise and after the stock ran out, not one on time or promised after the spell', () => {
    expect(causesOf(spell1, [late, onTime, missing, cancelledLate], asOf)).toEqual([
      { lineId: 'late', orderNo: 'O', lineNo: null, promisedDate: '2026-10-25', deliveredDate: '2026-11-11', reason: 'late', daysLate: 17 },
      { lineId: 'cancelled', orderNo: 'O', lineNo: null, promisedDate: '2026-11-01', deliveredDate: null, reason: 'cancelled', daysLate: 2 },
    ]);
  });

  it('links a line still missing to the open spell, and not a late line that arrived before it began', () => {
    expect(causesOf(spell2, [late, missing], asOf)).toEqual([
      { lineId: 'missing', orderNo: 'O', lineNo: null, promisedDate: '2026-11-20', deliveredDate: null, reason: 'missing', daysLate: 6 },
    ]);
  });

  it('times a split delivery by the part that completes it', () => {
    expect(completedOn(line({ deliveries: [{ date: '2026-10-30', quantity: 60 }, { date: '2026-10-24', quantity: 40 }] }))).toBe('2026-10-30');
    expect(completedOn(line({ status: 'open', deliveries: [{ date: '2026-10-24', quantity: 40 }] }))).toBeNull();
  });
});
