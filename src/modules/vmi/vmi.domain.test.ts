import { describe, expect, it } from 'vitest';
import { qnorm } from '../forecasting/stats.domain.js';
import { suggestOrder, type LineInput, type SiteInput } from './vmi.domain.js';

// Order date Monday 2027-03-01, weekly Monday visits; static rates are certain unless given a spread.
const site = (lines: LineInput[], more: Partial<SiteInput> = {}): SiteInput => ({ asOf: '2027-03-01', leadTimeDays: 3, rhythm: { weekdays: ['mon'] }, lines, ...more });
const each = { units: 1, kg: 1 };
const line = (productId: string, perDay: number, onHand: number, more: Partial<LineInput> = {}): LineInput => ({
  productId, onHand, demand: { kind: 'rate', perDay }, policy: { kind: 'minMax', minDays: 7, maxDays: 21 }, pack: each, ...more,
});
/** Cement in kg: 50 kg bags, 40 bags a pallet. */
const bag = { units: 50, kg: 50, perPallet: 40 };
const cement = (productId: string, perDay: number, onHand: number, more: Partial<LineInput> = {}) =>
  line(productId, perDay, onHand, { pack: bag, policy: { kind: 'minMax', minDays: 5, maxDays: 14 }, ...more });

describe('min/max days of supply', () => {
  it('orders up to max days at arrival when the stock would fall below min before the next arrival', () => {
    // Arrives 03-04 (day 3); the next visit's order arrives 03-11 (day 10). Position 80 + 20 = 100.
    // Min: 100 demand to day 10 + 7 days × 10 = 170 > 100. Max: 30 before arrival + 21 days × 10 = 240.
    const s = suggestOrder(site([line('A', 10, 80, { inTransit: [{ quantity: 20, arrives: '2027-03-02' }], pack: { units: 25, kg: 25 } })]));
    expect(s.arrival).toBe('2027-03-04');
    expect(s.nextArrival).toBe('2027-03-11');
    expect(s.protectionDays).toBe(10);
    const [a] = s.lines;
    expect(a).toMatchObject({ position: 100, need: 140, quantity: 150, packs: 6 });
    expect(a!.why).toEqual([
      'Below min: position 100 (80 on hand + 20 in transit) less 100 expected demand over the 10 days to the next arrival leaves 0, under 7 days of supply (70); order up to 21 days of supply at arrival: 30 demand before arrival + 210 = 240; need 140.',
      'Rounded to 150: 6 packs of 25.',
    ]);
    expect(s.exceptions).toEqual([]);
  });

  it('orders nothing while the stock covers min days at the next arrival', () => {
    const s = suggestOrder(site([line('A', 10, 170)]));
    expect(s.lines[0]!.quantity).toBe(0);
    expect(s.lines[0]!.why[0]).toMatch(/^No order/);
  });
});

describe('service level', () => {
  it('orders up to the quantile of demand over the days until the next order arrives', () => {
    const s = suggestOrder(site([line('A', 10, 40, { demand: { kind: 'rate', perDay: 10, sdPerDay: 3 }, policy: { kind: 'service', level: 0.95 } })]));
    const level = 100 + qnorm(0.95) * 3 * Math.sqrt(10);
    expect(s.lines[0]!.orderUpTo).toBeCloseTo(level, 6);
    expect(s.lines[0]!.quantity).toBe(Math.ceil(level - 40));
  });
});

describe('rounding to packs and the minimum order', () => {
  it('rounds cement in kg up to whole 50 kg bags', () => {
    // Lead 2: arrival day 2, next arrival day 9. Need: max(9×137 + 5×137, 16×137) − 1000 = 1192 kg → 24 bags.
    const s = suggestOrder(site([cement('OPC', 137, 1000)], { leadTimeDays: 2 }));
    expect(s.lines[0]).toMatchObject({ need: 1192, quantity: 1200, packs: 24, kg: 1200 });
  });

  it('raises a small need to the minimum order, in whole bags', () => {
    const s = suggestOrder(site([cement('OPC', 10, 80, { minOrder: 1020 })], { leadTimeDays: 2 }));
    // Need max(140, 160) − 80 = 80 kg; minimum 1020 kg → 21 bags.
    expect(s.lines[0]).toMatchObject({ need: 80, quantity: 1050 });
  });
});

describe('whole trucks of 30 t', () => {
  it('fills the last truck with the products with the fewest days of supply first', () => {
    // Lead 2. OPC needs 14 000 kg, PPC 4 000 kg: 0.6 of a truck. Both would have 7 days of
    // supply at the next arrival; the 12 000 kg left go 2:1 (their rates) until both have 15.
    // Slag (49 days of supply, no need) gets nothing.
    const s = suggestOrder(site([cement('OPC', 1000, 2000), cement('PPC', 500, 4000), cement('SLAG', 100, 5000)], { leadTimeDays: 2, truck: { kg: 30000, fullTrucks: true } }));
    const [opc, ppc, slag] = s.lines;
    expect(opc).toMatchObject({ quantity: 22000, truckChange: 8000, coverDays: 15 });
    expect(ppc).toMatchObject({ quantity: 8000, truckChange: 4000, coverDays: 15 });
    expect(slag!.quantity).toBe(0);
    expect(s.load).toMatchObject({ kg: 30000, trucks: 1, truckCount: 1 });
    expect(s.notes.join(' ')).toContain('Filled from 0.6 to 1 truck loads');
  });

  it('rounds down to one truck fewer when the site cannot take the fill, cutting the least at risk first', () => {
    // OPC 28 000 + PPC 4 000 = 1.07 trucks; a second full truck does not fit a 50 t site, so the
    // order is cut to 30 t: OPC has more days of supply after a cut than PPC, so it gives most.
    const s = suggestOrder(
      site([cement('OPC', 2000, 4000), cement('PPC', 500, 4000)], { leadTimeDays: 2, capacity: { kg: 50000 }, truck: { kg: 30000, fullTrucks: true } }),
    );
    const [opc, ppc] = s.lines;
    expect(opc!.quantity + ppc!.quantity).toBe(30000);
    expect(opc!.truckChange).toBe(-1600);
    expect(ppc!.truckChange).toBe(-400);
    expect(s.notes.join(' ')).toContain('Rounded down to 1 truck (from 1.1)');
    expect(opc!.why.join(' ')).toContain('Cut by 1600 (32 packs) to load 1 full truck');
  });

  it('does not try to fill a truck with a product that weighs nothing', () => {
    const s = suggestOrder(site([cement('OPC', 137, 1000), line('LEAFLET', 10, 0, { pack: { units: 100, kg: 0 } })], { leadTimeDays: 2, truck: { kg: 30000, fullTrucks: true } }));
    expect(s.lines[1]!.truckChange).toBe(0);
    expect(s.load.kg).toBe(30000);
  });

  it('counts whole pallets per product when trucks are counted in pallets', () => {
    // 1 200 kg = 24 bags = 1 pallet (40 bags); an 18-pallet truck is filled with 17 more pallets of it.
    const s = suggestOrder(site([cement('OPC', 137, 1000)], { leadTimeDays: 2, truck: { pallets: 18, fullTrucks: true } }));
    expect(s.load.pallets).toBe(18);
    expect(s.lines[0]!.packs).toBe(18 * 40);
  });
});

describe('site capacity', () => {
  it('never plans more stock than the site holds, cutting the product least at risk', () => {
    // At arrival: OPC 14 000 (7 days at the next arrival) + DRY 4 100 (34 days) = 18 100 kg > 16 000:
    // 2 100 kg (42 bags) come off DRY, which still has 13 days.
    const s = suggestOrder(
      site([cement('OPC', 1000, 2000), cement('DRY', 100, 100, { policy: { kind: 'minMax', minDays: 5, maxDays: 40 } })], { leadTimeDays: 2, capacity: { kg: 16000 } }),
    );
    const [opc, dry] = s.lines;
    expect(opc).toMatchObject({ quantity: 14000, capacityCut: 0 });
    expect(dry).toMatchObject({ quantity: 2000, capacityCut: -2100, coverDays: 13 });
    expect(s.notes.join(' ')).toContain("Cut to the site's capacity (16000 kg): DRY −2100");
  });
});

describe('warnings and lane closures', () => {
  const typhoon = { from: '2027-03-03', to: '2027-03-05', reason: 'typhoon warning' };

  it('lets nothing arrive under a warning, and dates the stock-out it causes', () => {
    // Lead 2 would arrive 03-03: held to 03-06 (day 5). 30 on hand at 10 a day is gone after 03-03.
    const s = suggestOrder(site([line('A', 10, 30, { policy: { kind: 'minMax', minDays: 3, maxDays: 10 }, inTransit: [{ quantity: 5, arrives: '2027-03-04' }] })], { leadTimeDays: 2, warnings: [typhoon] }));
    expect(s.arrival).toBe('2027-03-06');
    expect(s.notes[0]).toContain('Arrives 2027-03-06, not 2027-03-03');
    expect(s.lines[0]!.why[0]).toContain('5 in transit due 2027-03-04 is held until 2027-03-06');
    expect(s.exceptions).toContainEqual(expect.objectContaining({ kind: 'stockout', date: '2027-03-04', detail: expect.stringContaining('before this order arrives (2027-03-06)') }));
    // Min: 90 to the next arrival (03-10) + 30 = 120 > 35; max: 50 before arrival + 100 = 150.
    expect(s.lines[0]).toMatchObject({ position: 35, quantity: 115 });
  });

  it('builds stock before a lane closure to last until the first arrival after it', () => {
    const thaw = { from: '2027-03-09', to: '2027-03-20', reason: 'spring road ban' };
    const policy = { kind: 'minMax', minDays: 3, maxDays: 10 } as const;
    const open = suggestOrder(site([line('A', 10, 0, { policy })], { leadTimeDays: 2 }));
    const closed = suggestOrder(site([line('A', 10, 0, { policy })], { leadTimeDays: 2, closures: [thaw] }));
    // Open lane: the next order arrives day 9: max(90 + 30, 120) = 120. Closed: it arrives 03-23
    // (day 22): 220 + 30 = 250, the 13 days more at 10 a day.
    expect(open.lines[0]!.quantity).toBe(120);
    expect(closed.nextArrival).toBe('2027-03-23');
    expect(closed.lines[0]!.quantity).toBe(250);
    expect(closed.notes.join(' ')).toContain('cannot deliver before 2027-03-23: spring road ban (2027-03-09 to 2027-03-20)');
  });

  it('caps the pre-closure build at the site capacity and dates the stock-out during the closure', () => {
    const thaw = { from: '2027-03-09', to: '2027-03-20', reason: 'spring road ban' };
    const s = suggestOrder(site([line('A', 10, 20, { policy: { kind: 'minMax', minDays: 3, maxDays: 10 } })], { leadTimeDays: 2, closures: [thaw], capacity: { kg: 150 } }));
    // 150 from 03-03 at 10 a day lasts to the end of 03-17.
    expect(s.lines[0]).toMatchObject({ quantity: 150, capacityCut: -80 });
    expect(s.exceptions.map((e) => [e.kind, e.date])).toEqual([['belowMin', '2027-03-01'], ['stockout', '2027-03-18']]);
    expect(s.exceptions[1]!.detail).toContain('after this order, which was cut');
  });
});

describe('exceptions', () => {
  it('dates a projected stock-out, below min, above max and a slow mover', () => {
    const policy = { kind: 'service', level: 0.9, minDays: 5, maxDays: 21 } as const;
    const s = suggestOrder(site([line('OUT', 10, 15, { policy }), line('LOW', 10, 60, { policy }), line('HIGH', 10, 500, { policy }), line('SLOW', 10, 2000, { policy })]));
    const by = (id: string) => s.exceptions.filter((e) => e.productId === id).map((e) => [e.kind, e.date]);
    // 15 at 10 a day: 5 left for day 2's 10.
    expect(by('OUT')).toContainEqual(['stockout', '2027-03-02']);
    // 60: 40 at the end of day 2, under 5 days of supply (50).
    expect(by('LOW')).toEqual([['belowMin', '2027-03-02']]);
    expect(by('HIGH')).toEqual([['aboveMax', '2027-03-01']]);
    expect(by('SLOW')).toContainEqual(['slowMover', '2027-03-01']);
    expect(s.exceptions.find((e) => e.kind === 'slowMover')!.detail).toBe('Slow mover: 2000 on hand lasts 200 days at 10 a day, more than 120.');
  });
});
