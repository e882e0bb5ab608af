import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type BreakMode, type ListCandidate, pickList, type PriceBreak, quote, validateBreaks } from './pricing.domain.js';

// ¥10.00 a unit below 100, ¥9.00 from 100, ¥8.00 from 500 (minor units: fen).
const BREAKS: PriceBreak[] = [{ from: 0, unitPriceMinor: 1000 }, { from: 100, unitPriceMinor: 900 }, { from: 500, unitPriceMinor: 800 }];

const ok = (breaks: PriceBreak[], mode: BreakMode, q: number) => {
  const r = quote(breaks, mode, q);
  if (!r.ok) throw new Error(r.reason);
  return r.quote;
};
const total = (mode: BreakMode, q: number) => ok(BREAKS, mode, q).totalMinor;

describe('all-units: the rate of the reached break applies to every unit', () => {
  it('prices at, just below and just above each break', () => {
    expect(total('all-units', 99)).toBe(99 * 1000); // 99,000: still the first band
    expect(total('all-units', 100)).toBe(100 * 900); // 90,000: the break is reached, every unit at 9.00
    expect(total('all-units', 101)).toBe(101 * 900); // 90,900
    expect(total('all-units', 499)).toBe(499 * 900); // 449,100
    expect(total('all-units', 500)).toBe(500 * 800); // 400,000
    expect(total('all-units', 501)).toBe(501 * 800); // 400,800
  });

  it('makes 100 units cheaper than 99 (the cliff at a break): 90,000 against 99,000', () => {
    expect(total('all-units', 100)).toBeLessThan(total('all-units', 99));
  });

  it('answers the reached break, one band holding every unit, and the effective unit price', () => {
    expect(ok(BREAKS, 'all-units', 250)).toEqual({
      totalMinor: 225_000, unitPriceMinor: 900, breakIndex: 1,
      bands: [{ from: 100, to: 500, quantity: 250, unitPriceMinor: 900, amountMinor: 225_000 }],
    });
  });
});

describe('graduated: each band at its own rate', () => {
  it('prices at, just below and just above each break', () => {
    expect(total('graduated', 99)).toBe(99 * 1000); // 99,000
    expect(total('graduated', 100)).toBe(100 * 1000); // 100,000: units [0, 100) fill the first band, none yet at 9.00
    expect(total('graduated', 101)).toBe(100 * 1000 + 1 * 900); // 100,900
    expect(total('graduated', 499)).toBe(100 * 1000 + 399 * 900); // 459,100
    expect(total('graduated', 500)).toBe(100 * 1000 + 400 * 900); // 460,000
    expect(total('graduated', 501)).toBe(100 * 1000 + 400 * 900 + 1 * 800); // 460,800
  });

  it('lists each band used with its quantity and amount; the effective unit price is rounded half-up', () => {
    expect(ok(BREAKS, 'graduated', 501)).toEqual({
      totalMinor: 460_800,
      unitPriceMinor: 920, // 460,800 / 501 = 919.76 → 920
      breakIndex: 2,
      bands: [
        { from: 0, to: 100, quantity: 100, unitPriceMinor: 1000, amountMinor: 100_000 },
        { from: 100, to: 500, quantity: 400, unitPriceMinor: 900, amountMinor: 360_000 },
        { from: 500, to: null, quantity: 1, unitPriceMinor: 800, amountMinor: 800 },
      ],
    });
    expect(ok(BREAKS, 'graduated', 101).unitPriceMinor).toBe(999); // 100,900 / 101 = 999.0099 → 999
    expect(ok(BREAKS, 'graduated', 499).unitPriceMinor).toBe(920); // 459,100 / 499 = 920.04 → 920
  });

  it('reaches a break at exactly its quantity but prices no unit at it yet', () => {
    const q = ok(BREAKS, 'graduated', 100);
    expect(q.breakIndex).toBe(1);
    expect(q.bands).toEqual([{ from: 0, to: 100, quantity: 100, unitPriceMinor: 1000, amountMinor: 100_000 }]);
  });
});

describe('fractional quantities', () => {
  const B: PriceBreak[] = [{ from: 0, unitPriceMinor: 333 }, { from: 10, unitPriceMinor: 250 }];
  it('rounds each band once, half-up, to a whole minor unit', () => {
    expect(total2(B, 'all-units', 2.5)).toBe(833); // 333 × 2.5 = 832.5 → 833
    expect(total2(B, 'all-units', 0.5)).toBe(167); // 166.5 → 167
    expect(total2(B, 'all-units', 0.25)).toBe(83); // 83.25 → 83
    expect(ok(B, 'all-units', 2.5).unitPriceMinor).toBe(333); // 833 / 2.5 = 333.2 → 333
    // graduated 10.5: 10 × 333 = 3,330 plus 0.5 × 250 = 125 → 3,455; 3,455 / 10.5 = 329.05 → 329
    expect(ok(B, 'graduated', 10.5)).toMatchObject({ totalMinor: 3455, unitPriceMinor: 329, breakIndex: 1 });
  });
  it('rounds per band, so a graduated total can be a minor unit above the same rate applied at once', () => {
    const same: PriceBreak[] = [{ from: 0, unitPriceMinor: 3 }, { from: 0.5, unitPriceMinor: 3 }];
    expect(total2(same, 'graduated', 1)).toBe(4); // 0.5 × 3 = 1.5 → 2, twice
    expect(total2(same, 'all-units', 1)).toBe(3);
  });
  const total2 = (b: PriceBreak[], m: BreakMode, q: number) => ok(b, m, q).totalMinor;
});

describe('bad terms are refused with the reason', () => {
  it('names unordered, overlapping and negative breaks', () => {
    expect(validateBreaks([{ from: 0, unitPriceMinor: 10 }, { from: 100, unitPriceMinor: 9 }, { from: 50, unitPriceMinor: 8 }]))
      .toEqual([{ index: 2, field: 'from', reason: 'breaks must be in increasing order of quantity: 50 comes after 100' }]);
    expect(validateBreaks([{ from: 0, unitPriceMinor: 10 }, { from: 0, unitPriceMinor: 9 }]))
      .toEqual([{ index: 1, field: 'from', reason: 'overlaps break 1 (both start at 0)' }]);
    expect(validateBreaks([{ from: 0, unitPriceMinor: -1 }])).toEqual([{ index: 0, field: 'unitPriceMinor', reason: 'the unit price must not be negative' }]);
    expect(validateBreaks([{ from: 0, unitPriceMinor: 1.5 }])[0]!.reason).toBe('the unit price must be a whole number of minor units');
    expect(validateBreaks([{ from: -1, unitPriceMinor: 1 }])[0]!.field).toBe('from');
    expect(validateBreaks([])[0]!.reason).toBe('at least one break is needed');
  });
  it('refuses a quantity below the minimum of the first break, zero or negative', () => {
    const min: PriceBreak[] = [{ from: 10, unitPriceMinor: 500 }];
    expect(quote(min, 'all-units', 9)).toEqual({ ok: false, reason: 'below the minimum quantity of 10' });
    expect(ok(min, 'graduated', 10).totalMinor).toBe(5000); // from unit 0 at the first rate
    expect(quote(BREAKS, 'graduated', 0).ok).toBe(false);
    expect(quote(BREAKS, 'graduated', -5).ok).toBe(false);
    expect(quote([{ from: 0, unitPriceMinor: 1 }, { from: 0, unitPriceMinor: 2 }], 'graduated', 5)).toEqual({ ok: false, reason: 'breaks[1].from: overlaps break 1 (both start at 0)' });
  });
});

// Breaks with falling (non-increasing) unit prices, integer quantities: no rounding happens.
const fallingBreaks = fc.array(fc.tuple(fc.integer({ min: 1, max: 500 }), fc.integer({ min: 0, max: 200 })), { minLength: 0, maxLength: 6 })
  .chain((steps) => fc.integer({ min: 1, max: 100_000 }).map((first) => {
    const out: PriceBreak[] = [{ from: 0, unitPriceMinor: first }];
    for (const [gap, drop] of steps) out.push({ from: out[out.length - 1]!.from + gap, unitPriceMinor: Math.max(0, out[out.length - 1]!.unitPriceMinor - drop) });
    return out;
  }));
const anyBreaks = fc.uniqueArray(fc.integer({ min: 1, max: 5000 }), { maxLength: 6 })
  .chain((froms) => fc.array(fc.integer({ min: 0, max: 100_000 }), { minLength: froms.length + 1, maxLength: froms.length + 1 })
    .map((prices) => [0, ...froms.sort((a, b) => a - b)].map((from, i) => ({ from, unitPriceMinor: prices[i]! }))));

describe('properties', () => {
  it('all-units is never above graduated when unit prices fall with quantity (every unit gets the lowest rate reached)', () => {
    fc.assert(fc.property(fallingBreaks, fc.integer({ min: 1, max: 10_000 }), (b, q) => total3(b, 'all-units', q) <= total3(b, 'graduated', q)));
  });
  it('a graduated total never falls when the quantity grows', () => {
    fc.assert(fc.property(anyBreaks, fc.integer({ min: 1, max: 10_000 }), fc.integer({ min: 0, max: 1000 }), (b, q, more) =>
      total3(b, 'graduated', q) <= total3(b, 'graduated', q + more)));
  });
  it('graduated bands are contiguous, hold the whole quantity and add up to the total', () => {
    fc.assert(fc.property(anyBreaks, fc.integer({ min: 1, max: 10_000 }), (b, q) => {
      const r = ok(b, 'graduated', q);
      const units = r.bands.reduce((s, x) => s + x.quantity, 0);
      const amounts = r.bands.reduce((s, x) => s + x.amountMinor, 0);
      return units === q && amounts === r.totalMinor && r.bands.every((x, i) => i === 0 || x.from === r.bands[i - 1]!.to);
    }));
  });
  it('all-units is the reached rate times the quantity, and both modes agree below the second break', () => {
    fc.assert(fc.property(anyBreaks, fc.integer({ min: 1, max: 10_000 }), (b, q) => {
      const r = ok(b, 'all-units', q);
      const agree = b.length < 2 || q >= b[1]!.from || total3(b, 'graduated', q) === r.totalMinor;
      return r.totalMinor === b[r.breakIndex]!.unitPriceMinor * q && agree;
    }));
  });
  it('the effective unit price lies between the lowest and highest rate used', () => {
    fc.assert(fc.property(anyBreaks, fc.integer({ min: 1, max: 10_000 }), fc.constantFrom<BreakMode>('all-units', 'graduated'), (b, q, m) => {
      const r = ok(b, m, q);
      const rates = r.bands.map((x) => x.unitPriceMinor);
      return r.unitPriceMinor >= Math.min(...rates) && r.unitPriceMinor <= Math.max(...rates);
    }));
  });
  it('fractional quantities: each band is within half a minor unit of its exact amount', () => {
    fc.assert(fc.property(anyBreaks, fc.integer({ min: 1, max: 10_000_000 }), (b, micro) => {
      const q = micro / 1e6 + b[0]!.from;
      const r = ok(b, 'graduated', q);
      return r.bands.every((x) => Math.abs(x.amountMinor - x.unitPriceMinor * x.quantity) <= 0.5 + 1e-6);
    }));
  });
  const total3 = (b: PriceBreak[], m: BreakMode, q: number) => ok(b, m, q).totalMinor;
});

describe('which list wins', () => {
  const account = { id: 'acc-1', priceGroup: 'key-accounts', territoryId: 'terr-east' };
  const list = (id: string, o: Partial<ListCandidate>): ListCandidate => ({ id, name: id, scopeKind: 'all', scopeValue: null, priority: 0, validFrom: '2026-01-01', validTo: null, ...o });
  const national = list('n', {});
  const east = list('t', { scopeKind: 'territory', scopeValue: 'terr-east' });
  const group = list('g', { scopeKind: 'group', scopeValue: 'key-accounts' });
  const own = list('a', { scopeKind: 'account', scopeValue: 'acc-1' });

  it('takes the account\'s own list over its group\'s, its territory\'s and the national one, and says each lost on scope', () => {
    const p = pickList([national, east, group, own], account, '2026-06-01')!;
    expect(p.winner.id).toBe('a');
    expect(p.rule).toBe('scope');
    expect(p.losers.map((l) => [l.list.id, l.lostOn])).toEqual([['g', 'scope'], ['t', 'scope'], ['n', 'scope']]);
    expect(pickList([national, east], account, '2026-06-01')!.winner.id).toBe('t');
    expect(pickList([national, east, group], account, '2026-06-01')!.winner.id).toBe('g');
  });
  it('ignores lists of other accounts, groups and territories', () => {
    const p = pickList([national, list('x', { scopeKind: 'account', scopeValue: 'acc-2' }), list('y', { scopeKind: 'territory', scopeValue: 'terr-west' }), list('z', { scopeKind: 'group', scopeValue: 'other' })], account, '2026-06-01')!;
    expect(p).toEqual({ winner: national, rule: 'only', losers: [] });
    expect(pickList([list('z', { scopeKind: 'group', scopeValue: 'key-accounts' })], { ...account, priceGroup: null }, '2026-06-01')).toBeNull();
  });
  it('within one scope takes the higher priority, then the newest start, then the smaller id', () => {
    expect(pickList([list('n1', { priority: 1 }), list('n2', { priority: 5 })], account, '2026-06-01')).toMatchObject({ winner: { id: 'n2' }, rule: 'priority' });
    expect(pickList([list('n1', { validFrom: '2026-01-01' }), list('n2', { validFrom: '2026-03-01' })], account, '2026-06-01')).toMatchObject({ winner: { id: 'n2' }, rule: 'validFrom' });
    expect(pickList([list('n2', {}), list('n1', {})], account, '2026-06-01')).toMatchObject({ winner: { id: 'n1' }, rule: 'id' });
  });
  it('treats validTo as exclusive and validFrom as inclusive', () => {
    const spring = list('s', { validFrom: '2026-03-01', validTo: '2026-06-01' });
    expect(pickList([spring], account, '2026-02-28')).toBeNull();
    expect(pickList([spring], account, '2026-03-01')!.winner.id).toBe('s');
    expect(pickList([spring], account, '2026-05-31')!.winner.id).toBe('s');
    expect(pickList([spring], account, '2026-06-01')).toBeNull();
  });
  it('picks the same winner whatever order the lists come in', () => {
    const pool = [national, east, group, own, list('n9', { priority: 9 }), list('t2', { scopeKind: 'territory', scopeValue: 'terr-east', validFrom: '2026-05-01' })];
    fc.assert(fc.property(fc.shuffledSubarray(pool, { minLength: 1 }), (lists) => {
      const a = pickList(lists, account, '2026-06-01');
      const b = pickList([...lists].reverse(), account, '2026-06-01');
      return a?.winner.id === b?.winner.id && a?.losers.length === lists.length - 1;
    }));
  });
});
