import { afterAll, beforeAll, expect, it } from 'vitest';
import { newId } from '../src/shared/ids.js';
import { addDays } from '../src/shared/time.js';
import { buildTestApp, type Client, type TestApp } from './build-test-app.js';
import { describeEachDialect } from './dialects.js';

/**
 * The account's VMI inventory read. The clock stands at 2026-11-26 (a Thursday, Shanghai).
 * ACC1, cement PO425-B50: a stock report every Thursday from 06-04 to 11-26 (26 reports), always
 * 100 bags on hand, except the last, which reports 77 sold since the week before; a delivery of
 * 70 bags each Monday in between (25 of them). Sold per week, derived: 100 + 70 − 100 = 70; the
 * last week as reported: 77. Weeks end on Thursdays, so each is one report interval:
 * the first of the 26 weeks shown (05-29 … 06-04) is before the history (unknown), the others known.
 * Sell-through of the last 13 weeks: (12 × 70 + 77) / 13 = 70.54 → 70.5, 'mixed'.
 * In transit: the open line V-OPEN of 100 bags promised 12-01, nothing delivered.
 * The replay: history from 06-05 (the day after the first report) to 11-26 = 175 days; the first
 * 28 are its past, so it runs 07-03 … 11-26, 147 days.
 * ACC1, sand SAND-1: one report only: listed, not replayed.
 */
const first = '2026-06-04';
const reports = Array.from({ length: 26 }, (_, i) => ({
  sourceKey: `INV-${i}`, accountCode: 'ACC1', sku: 'PO425-B50', reportDate: addDays(first, 7 * i), onHand: 100, unit: 'bag',
  ...(i === 25 ? { onHand: 93, soldSinceLast: 77 } : {}),
}));
const lines = [
  ...Array.from({ length: 25 }, (_, i) => ({
    sourceKey: `V-${i}/1`, accountCode: 'ACC1', orderNo: `V-${i}`, lineNo: '1', productSku: 'PO425-B50', item: 'PO425-B50', quantity: 70, promisedDate: addDays(first, 7 * i + 4), status: 'delivered',
    shipments: [{ sourceKey: `VS-${i}`, deliveredDate: addDays(first, 7 * i + 4), quantity: 70 }],
  })),
  { sourceKey: 'V-OPEN/1', accountCode: 'ACC1', orderNo: 'V-OPEN', lineNo: '1', productSku: 'PO425-B50', item: 'PO425-B50', quantity: 100, promisedDate: '2026-12-01', status: 'open' },
];

type Inventory = {
  asOf: string; total: number; replayNote: string | null; replayIssue: unknown;
  products: { sku: string; onHand: number | null; onHandDate: string | null; inTransit: number; transit: { orderNo: string; quantity: number }[]; sellThroughPerWeek: number | null; sellThroughSource: string;
    weeks: { start: string; sold: number | null; receipts: number; closing: number | null }[]; forecast: { model: string; weeks: { start: string; low: number; median: number; high: number }[] } | null }[];
  replay: { from: string; to: string; days: number; policy: { fillRate: number; demand: number; orders: number }; actual: { fillRate: number; demand: number; orders: number }; products: { sku: string }[]; method: string[]; assumptions: string[] } | null;
};

describeEachDialect('vmi: the account inventory read', (dialect) => {
  let t: TestApp;
  let logistics: Client, m1: Client, m3: Client, dealer: Client;
  let url: string;
  beforeAll(async () => {
    t = await buildTestApp(dialect);
    [logistics, m1, m3, dealer] = await Promise.all(['logistics', 'm1', 'm3', 'dealer'].map((k) => t.login(k))) as [Client, Client, Client, Client];
    await t.db.kysely.insertInto('products').values({ id: newId(), sku: 'SAND-1', name_en: 'Washed sand', name_zh: '水洗砂', unit: 't', pack_size: 1, category: 'aggregate', created_at: '2026-11-01T00:00:00.000Z', updated_at: '2026-11-01T00:00:00.000Z', version: 1 }).execute();
    const r = await logistics.post('/api/v1/stock/reports', { reports: [...reports, { sourceKey: 'SAND-R', accountCode: 'ACC1', sku: 'SAND-1', reportDate: '2026-11-20', onHand: 12, unit: 't' }] });
    expect(r.statusCode, r.body).toBe(200);
    const o = await logistics.post('/api/v1/delivery/order-lines', { lines });
    expect(o.statusCode, o.body).toBe(200);
    url = `/api/v1/vmi/accounts/${t.world.accounts.acc1}/inventory`;
  });
  afterAll(async () => t?.close());

  it('gives the latest on hand, what is in transit and the weekly sell-through, derived or reported', async () => {
    const res = await m1.get(url);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as Inventory;
    expect(body.asOf).toBe('2026-11-26');
    expect(body.total).toBe(2);
    const cement = body.products.find((p) => p.sku === 'PO425-B50')!;
    expect(cement).toMatchObject({ onHand: 93, onHandDate: '2026-11-26', inTransit: 100, transit: [{ orderNo: 'V-OPEN', quantity: 100 }], sellThroughPerWeek: 70.5, sellThroughSource: 'mixed' });
    expect(cement.weeks).toHaveLength(26);
    expect(cement.weeks[0]).toEqual({ start: '2026-05-29', sold: null, receipts: 0, closing: 100 });
    expect(cement.weeks[1]).toEqual({ start: '2026-06-05', sold: 70, receipts: 70, closing: 100 });
    expect(cement.weeks[25]).toEqual({ start: '2026-11-20', sold: 77, receipts: 70, closing: 93 });
    const sand = body.products.find((p) => p.sku === 'SAND-1')!;
    expect(sand).toMatchObject({ onHand: 12, inTransit: 0, sellThroughPerWeek: null, sellThroughSource: 'none', forecast: null });
  });

  it('forecasts a band after the last known week from the forecasting engine', async () => {
    const cement = (await m1.get(url)).json<Inventory>().products.find((p) => p.sku === 'PO425-B50')!;
    expect(cement.forecast!.weeks).toHaveLength(8);
    expect(cement.forecast!.weeks[0]!.start).toBe('2026-11-27');
    for (const w of cement.forecast!.weeks) {
      expect(w.low).toBeLessThanOrEqual(w.median);
      expect(w.median).toBeLessThanOrEqual(w.high);
      expect(w.median).toBeGreaterThan(60);
      expect(w.median).toBeLessThan(85);
    }
  });

  it('replays the policy against the dealer over the days its reports span, and says which products it left out', async () => {
    const body = (await m1.get(url)).json<Inventory>();
    const r = body.replay!;
    expect(r).toMatchObject({ from: '2026-07-03', to: '2026-11-26', days: 147 });
    expect(r.products.map((p) => p.sku)).toEqual(['PO425-B50']);
    expect(body.replayNote).toContain('SAND-1');
    expect(body.replayIssue).toEqual({ kind: 'leftOut', skus: ['SAND-1'], days: 56 });
    // Both sides face the same demand; the dealer received 21 deliveries in the window (07-06 … 11-23).
    expect(r.policy.demand).toBeCloseTo(r.actual.demand, 6);
    expect(r.actual.orders).toBe(21);
    expect(r.actual.fillRate).toBe(1);
    expect(r.policy.orders).toBeGreaterThan(0);
    expect(r.method.join(' ')).toMatch(/opening \+ receipts − closing/);
    expect(r.assumptions.join(' ')).toMatch(/min 7 \/ max 21 days/);
  });

  it('replays again when a report changes (the replay is kept only while its inputs stay the same)', async () => {
    const before = (await m1.get(url)).json<Inventory>().replay!;
    expect((await logistics.post('/api/v1/stock/reports', { reports: [{ ...reports[25]!, onHand: 20 }] })).statusCode).toBe(200);
    const after = (await m1.get(url)).json<Inventory>().replay!;
    // The last week's sale, derived now: 100 + 70 − 20 = 80, but reported as 77, so demand stays; the dealer's stock reports differ.
    expect(after.assumptions.join(' ')).not.toEqual(before.assumptions.join(' '));
    expect((await logistics.post('/api/v1/stock/reports', { reports: [reports[25]!] })).statusCode).toBe(200);
    expect((await m1.get(url)).json<Inventory>().replay).toEqual(before);
  });

  it('pages the products', async () => {
    const body = (await m1.get(`${url}?limit=1&offset=1`)).json<Inventory>();
    expect(body.total).toBe(2);
    expect(body.products.map((p) => p.sku)).toEqual(['SAND-1']);
    const full = (await m1.get(url)).json<Inventory>();
    expect(full.products).toHaveLength(2);
  });

  it('answers for a dealer of 20 products with a year of weekly reports and deliveries: every product forecast, the replay over 336 days', async () => {
    const now = '2026-11-01T00:00:00.000Z';
    const products = Array.from({ length: 20 }, (_, i) => ({ id: newId(), sku: `BIG-${String(i).padStart(2, '0')}`, name_en: `Product ${i}`, name_zh: `产品 ${i}`, unit: 'bag', pack_size: 10, category: 'cement', created_at: now, updated_at: now, version: 1 }));
    await t.db.kysely.insertInto('products').values(products).execute();
    const start = '2025-11-27';
    const reportsBig = products.flatMap((p, i) => Array.from({ length: 53 }, (_, w) => ({ sourceKey: `BIG-${i}-${w}`, accountCode: 'ACC2', sku: p.sku, reportDate: addDays(start, 7 * w), onHand: 200 + ((w * 37 + i * 11) % 90), unit: 'bag' })));
    expect((await logistics.post('/api/v1/stock/reports', { reports: reportsBig })).statusCode).toBe(200);
    const deliveries = products.flatMap((p, i) => Array.from({ length: 52 }, (_, w) => ({
      sourceKey: `BIGL-${i}-${w}`, accountCode: 'ACC2', orderNo: `B-${i}-${w}`, lineNo: '1', productSku: p.sku, item: p.sku, quantity: 60 + ((w * 13 + i) % 40),
      promisedDate: addDays(start, 7 * w + 3), status: 'delivered', shipments: [{ sourceKey: `BIGS-${i}-${w}`, deliveredDate: addDays(start, 7 * w + 3), quantity: 60 + ((w * 13 + i) % 40) }],
    })));
    expect((await logistics.post('/api/v1/delivery/order-lines', { lines: deliveries })).statusCode).toBe(200);
    const big = `/api/v1/vmi/accounts/${t.world.accounts.acc2}/inventory?limit=20`;
    const res = await m1.get(big);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json<Inventory>();
    expect(body.products).toHaveLength(20);
    // History 2025-11-28 … 2026-11-26 = 364 days, less the 28 days of past: 336.
    expect(body.replay!.days).toBe(336);
    expect(body.products.every((p) => p.forecast !== null)).toBe(true);
  });

  it('is scoped by account and closed to the portal', async () => {
    expect((await m3.get(url)).statusCode).toBe(404);
    expect((await dealer.get(url)).statusCode).toBe(403);
    expect((await m1.get(`/api/v1/vmi/accounts/${t.world.accounts.acc3}/inventory`)).statusCode).toBe(404);
  });
});
