import { describe, expect, it } from 'vitest';
import { applyChange, canonicalLines, demandOf, medianDays, signBounds, signedDocument } from './vmi.drafts.domain.js';

describe('the bounds a dealer signs within', () => {
  it('rounds the least up and the most down to whole units', () => {
    expect(signBounds(150, 20, 20)).toEqual({ min: 120, max: 180 });
    // 7 − 20 % = 5.6 → 6; 7 + 20 % = 8.4 → 8.
    expect(signBounds(7, 20, 20)).toEqual({ min: 6, max: 8 });
    expect(signBounds(0, 20, 20)).toEqual({ min: 0, max: 0 });
    expect(signBounds(10, 100, 0)).toEqual({ min: 0, max: 10 });
  });
});

describe('a dealer\'s change', () => {
  const lines = [
    { productId: 'b', label: 'SKU-B', quantity: 150, min: 120, max: 180 },
    { productId: 'a', label: 'SKU-A', quantity: 20, min: 16, max: 24 },
  ];
  it('applies changes within bounds and keeps the other lines as sent', () => {
    expect(applyChange(lines, [{ productId: 'a', quantity: 16 }])).toEqual({ lines: [{ productId: 'b', quantity: 150 }, { productId: 'a', quantity: 16 }], problems: [] });
  });
  it('names the line of a change outside its bounds, an unknown product, and a line changed twice', () => {
    const { problems } = applyChange(lines, [{ productId: 'b', quantity: 181 }, { productId: 'zz', quantity: 1 }, { productId: 'a', quantity: 20 }, { productId: 'a', quantity: 21 }]);
    expect(problems).toEqual([
      { index: 0, field: 'quantity', message: 'line SKU-B: 181 is outside the allowed 120–180 (sent 150)' },
      { index: 1, field: 'productId', message: 'change 2: the product is not a line of this order' },
      { index: 3, field: 'productId', message: 'line SKU-A: changed twice' },
    ]);
  });
});

describe('the signed document', () => {
  it('is the same text for the same lines in any order, without lines of 0, and differs when a quantity, the version or the decision does', () => {
    const doc = (lines: { productId: string; quantity: number }[], draftVersion = 3, decision = 'accept') => signedDocument({ draftId: 'd1', draftVersion, decision, lines });
    const one = doc([{ productId: 'b', quantity: 150 }, { productId: 'a', quantity: 20 }, { productId: 'c', quantity: 0 }]);
    expect(one).toBe('{"draftId":"d1","draftVersion":3,"decision":"accept","lines":[{"productId":"a","quantity":20},{"productId":"b","quantity":150}]}');
    expect(doc([{ productId: 'a', quantity: 20 }, { productId: 'b', quantity: 150 }])).toBe(one);
    expect(doc([{ productId: 'a', quantity: 21 }, { productId: 'b', quantity: 150 }])).not.toBe(one);
    expect(doc([{ productId: 'a', quantity: 20 }, { productId: 'b', quantity: 150 }], 4)).not.toBe(one);
    expect(doc([{ productId: 'a', quantity: 20 }, { productId: 'b', quantity: 150 }], 3, 'change')).not.toBe(one);
    expect(canonicalLines([{ productId: 'b', quantity: 1 }, { productId: 'a', quantity: 0 }])).toEqual([{ productId: 'b', quantity: 1 }]);
  });
});

describe('drafting inputs', () => {
  it('takes the lower middle of the delivery history as the lead time', () => {
    expect(medianDays([])).toBeNull();
    expect(medianDays([9, 3, 5])).toBe(5);
    expect(medianDays([3, 1, 2, 10])).toBe(2);
  });

  const daily = (weeks: number, perWeek: number, total = 364) => {
    const d = new Array<number>(total).fill(0);
    // One sale a week, on the last day of each week before the order date.
    for (let w = 0; w < weeks; w++) d[total - 1 - 7 * w] = perWeek;
    return d;
  };
  it('expects no demand without sales, a rate with little history, and a weekly forecast with enough', () => {
    expect(demandOf(daily(0, 0), '2026-11-26', 8).demand).toEqual({ kind: 'rate', perDay: 0 });
    // Three weeks: 3 × 70 over the 15 days since the first sale (on day 364 − 15).
    const few = demandOf(daily(3, 70), '2026-11-26', 8);
    expect(few.demand).toEqual({ kind: 'rate', perDay: 210 / 15 });
    expect(few.basis).toContain('3 week(s)');
    const many = demandOf(daily(12, 70), '2026-11-26', 8);
    expect(many.demand.kind).toBe('forecast');
    if (many.demand.kind !== 'forecast') return;
    expect(many.demand.forecast).toMatchObject({ start: '2026-11-26', periodDays: 7 });
    expect(many.demand.forecast.point).toHaveLength(8);
    for (const p of many.demand.forecast.point) expect(p).toBeCloseTo(70, 6);
  });
});
