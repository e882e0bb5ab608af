import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type Client, type TestApp } from './build-test-app.js';
import { describeEachDialect } from './dialects.js';

/**
 * Order lines and shipments through the API, and OTIF from them. The clock stands at 2026-11-26.
 * ACC1's lines promised in October 2026, tolerance 0 days early, 1 day late, in full ±0 %:
 *   O1/1 promised 10-05, 10 of 10 on 10-05: on time, in full.
 *   O1/2 promised 10-10, 6 on 10-09 and 4 on 10-12: the completing part is 2 days late: late, and not in full by 10-11.
 *   O2/1 promised 10-20, open, nothing delivered: overdue, a failure.
 *   O2/2 promised 10-25, cancelled on 10-01 (before its window): left out.
 *   O3/1 promised 10-04 (a Sunday), 5 of 5 on 10-05: 1 day late, inside the window.
 * So 4 lines counted, 2 on time (50 %), 2 in full; orders: O1 late (one line late), O2 late, O3 on time: 1 of 3.
 * November has no line: no data, never 100 %.
 */
const batch = (over: Record<string, unknown> = {}) => ({
  lines: [
    { sourceKey: 'O1/1', accountCode: 'ACC1', orderNo: 'O1', quantity: 10, promisedDate: '2026-10-05', status: 'delivered', shipments: [{ sourceKey: 'S1', deliveredDate: '2026-10-05', quantity: 10, mode: 'ship', freightMinor: 12_000, freightCurrency: 'CNY' }] },
    { sourceKey: 'O1/2', accountCode: 'ACC1', orderNo: 'O1', quantity: 10, promisedDate: '2026-10-10', status: 'delivered', shipments: [
      { sourceKey: 'S2a', deliveredDate: '2026-10-09', quantity: 6, mode: 'ship' }, { sourceKey: 'S2b', deliveredDate: '2026-10-12', quantity: 4, mode: 'ship', freightNote: 'Freight Included in Commodity Cost' }] },
    { sourceKey: 'O2/1', accountCode: 'ACC1', orderNo: 'O2', quantity: 8, promisedDate: '2026-10-20', status: 'open' },
    { sourceKey: 'O2/2', accountCode: 'ACC1', orderNo: 'O2', quantity: 8, promisedDate: '2026-10-25', status: 'cancelled', cancelledDate: '2026-10-01' },
    { sourceKey: 'O3/1', accountCode: 'ACC1', orderNo: 'O3', quantity: 5, promisedDate: '2026-10-04', status: 'delivered', shipments: [{ sourceKey: 'S3', deliveredDate: '2026-10-05', quantity: 5, mode: 'rail' }] },
    { sourceKey: 'X/1', accountCode: 'ACC3', orderNo: 'X', quantity: 1, promisedDate: '2026-10-05', status: 'delivered', shipments: [{ sourceKey: 'SX', deliveredDate: '2026-10-30', quantity: 1, mode: 'road' }] },
  ],
  ...over,
});

describeEachDialect('delivery: order lines, shipments and OTIF', (dialect) => {
  let t: TestApp;
  let logistics: Client, m1: Client, dealer: Client;
  beforeAll(async () => {
    t = await buildTestApp(dialect);
    [logistics, m1, dealer] = await Promise.all(['logistics', 'm1', 'dealer'].map((k) => t.login(k))) as [Client, Client, Client];
  });
  afterAll(async () => t?.close());

  describe('taking a batch', () => {
    it('refuses a batch with a bad line, names the line, and saves nothing', async () => {
      const bad = batch();
      (bad.lines[1] as Record<string, unknown>).accountCode = 'NOPE';
      const res = await logistics.post('/api/v1/delivery/order-lines', bad);
      expect(res.statusCode).toBe(400);
      expect(res.json().errors).toEqual([expect.objectContaining({ path: 'lines.1.accountCode', message: expect.stringContaining('line 2') })]);
      const n = await t.db.kysely.selectFrom('order_lines').select('id').execute();
      expect(n).toHaveLength(0);
    });

    it('a dry run counts without saving; the batch then saves once, and sending it again changes nothing', async () => {
      const dry = await logistics.post('/api/v1/delivery/order-lines', batch({ dryRun: true }));
      expect(dry.json()).toMatchObject({ dryRun: true, inserted: 6 });
      expect(await t.db.kysely.selectFrom('order_lines').select('id').execute()).toHaveLength(0);
      const first = await logistics.post('/api/v1/delivery/order-lines', batch());
      expect(first.json()).toMatchObject({ inserted: 6, updated: 0, unchanged: 0, shipments: { inserted: 5 } });
      const again = await logistics.post('/api/v1/delivery/order-lines', batch());
      expect(again.json()).toMatchObject({ inserted: 0, updated: 0, unchanged: 6, shipments: { inserted: 0, updated: 0, unchanged: 5 } });
      const note = await t.db.kysely.selectFrom('shipments').select(['freight_minor', 'freight_note']).where('source_key', '=', 'S2b').executeTakeFirstOrThrow();
      expect(note).toEqual({ freight_minor: null, freight_note: 'Freight Included in Commodity Cost' });
    });

    it('a manager or a dealer may not send order lines', async () => {
      expect((await m1.post('/api/v1/delivery/order-lines', batch())).statusCode).toBe(403);
      expect((await dealer.post('/api/v1/delivery/order-lines', batch())).statusCode).toBe(403);
    });
  });

  describe('OTIF', () => {
    it('counts an overdue open line as a failure, leaves out an early cancellation, and shows an empty month as no data', async () => {
      const res = await m1.get('/api/v1/delivery/otif?by=month&from=2026-10-01&to=2026-12-01&lateDays=1');
      expect(res.statusCode).toBe(200);
      const [oct, nov] = res.json().groups;
      expect(oct.key).toEqual(['2026-10']);
      expect(oct.lines.onTime).toEqual({ count: 2, of: 4, share: 0.5 });
      expect(oct.lines.inFull).toEqual({ count: 2, of: 4, share: 0.5 });
      expect(oct.orders.onTime).toMatchObject({ count: 1, of: 3 });
      expect(oct.failures.overdueOpen).toBe(1);
      expect(oct.excluded.cancelled).toBe(1);
      expect(nov.key).toEqual(['2026-11']);
      expect(nov.lines.onTime.share).toBeNull();
    });

    it('with no late tolerance the Sunday promise delivered on Monday is late', async () => {
      const res = await m1.get('/api/v1/delivery/otif?by=mode&from=2026-10-01&to=2026-11-01');
      const byMode = Object.fromEntries(res.json().groups.map((g: { key: string[]; lines: { onTime: unknown } }) => [g.key[0], g.lines.onTime]));
      expect(byMode.rail).toEqual({ count: 0, of: 1, share: 0 });
      expect(byMode.ship).toEqual({ count: 1, of: 2, share: 0.5 });
    });

    it('a manager sees only their accounts; logistics sees all', async () => {
      const mine = (await m1.get('/api/v1/delivery/otif?by=account&from=2026-10-01&to=2026-11-01')).json().groups.map((g: { key: string[] }) => g.key[0]);
      expect(mine).toEqual([t.world.accounts.acc1]);
      const all = (await logistics.get('/api/v1/delivery/otif?by=account&from=2026-10-01&to=2026-11-01')).json().groups.map((g: { key: string[] }) => g.key[0]);
      expect(all.sort()).toEqual([t.world.accounts.acc1, t.world.accounts.acc3].sort());
      expect((await m1.get(`/api/v1/accounts/${t.world.accounts.acc3}/shipments`)).statusCode).toBe(404);
      expect((await m1.get('/api/v1/delivery/otif?by=nonsense')).statusCode).toBe(400);
    });
  });

  it('the account header shows the on-time share of the last 90 days and the overdue line', async () => {
    const res = await m1.get(`/api/v1/accounts/${t.world.accounts.acc1}/facts`);
    const fact = res.json().items.find((f: { id: string }) => f.id === 'delivery.onTime');
    // Promised 10-04…10-20 are all within 90 days of 11-26; with no tolerance O1/1 alone is on time: 1 of 4.
    expect(fact).toMatchObject({ value: { kind: 'percent', value: 25 }, status: 'act', noteKey: 'delivery.facts.overdue', noteParams: { count: 1 } });
    const other = await m1.get(`/api/v1/accounts/${t.world.accounts.acc2}/facts`);
    expect(other.json().items.some((f: { id: string }) => f.id === 'delivery.onTime')).toBe(false);
  });

  describe('the dealer', () => {
    it('sees its own deliveries with days late, without freight cost or weight, and no OTIF of others', async () => {
      const res = await dealer.get('/api/v1/portal/deliveries');
      expect(res.statusCode).toBe(200);
      const items = res.json().items as Record<string, unknown>[];
      expect(items).toHaveLength(4);
      expect(new Set(items.map((i) => i.accountId))).toEqual(new Set([t.world.accounts.acc1]));
      expect(items.some((i) => 'freightMinor' in i || 'freightNote' in i || 'weightGrams' in i)).toBe(false);
      expect(items.find((i) => i.orderNo === 'O1' && i.deliveredDate === '2026-10-12')).toMatchObject({ daysLate: 2 });
      expect((await dealer.get('/api/v1/delivery/otif')).statusCode).toBe(403);
      expect((await dealer.get('/api/v1/delivery/shipments')).statusCode).toBe(403);
    });

    it('staff see freight cost, and the kept reason where the source had text', async () => {
      const items = (await m1.get(`/api/v1/accounts/${t.world.accounts.acc1}/shipments?lateOnly=true`)).json().items;
      expect(items.map((i: { deliveredDate: string }) => i.deliveredDate)).toEqual(['2026-10-12', '2026-10-05']);
      expect(items[0]).toMatchObject({ freightMinor: null, freightNote: 'Freight Included in Commodity Cost' });
    });
  });

  describe("the dealer's delivery terms", () => {
    // ACC1 agrees 1 working day late on China's calendar (1–7 October 2026 off, Saturday 10 October worked):
    //   O1/1 promised Mon 10-05 (a holiday), delivered 10-05: 0, on time.
    //   O1/2 promised Sat 10-10 (worked), completed Mon 10-12: working days 10-10 only → 1, on time, and all 10 by the window end.
    //   O3/1 promised Sun 10-04, delivered Mon 10-05, both inside the holiday: 0, on time.
    //   O2/1 open since 10-20: overdue. So 3 of 4. ACC3 has no terms: X/1 25 days late, 0 of 1.
    it('judges each dealer on its own terms when the query names none, and on the query\'s when it does', async () => {
      expect((await m1.get(`/api/v1/accounts/${t.world.accounts.acc1}/delivery-terms`)).json()).toMatchObject({ agreed: false, lateDays: 0, calendar: 'calendar-days' });
      const put = await logistics.put(`/api/v1/accounts/${t.world.accounts.acc1}/delivery-terms`, { earlyDays: 0, lateDays: 1, inFullPercent: 0, calendar: 'working-days-cn', note: 'Agreement 2026' });
      expect(put.statusCode).toBe(200);
      expect(put.json()).toMatchObject({ agreed: true, version: 1, lateDays: 1, calendar: 'working-days-cn' });
      const res = (await logistics.get('/api/v1/delivery/otif?by=account&from=2026-10-01&to=2026-11-01')).json();
      expect(res).toMatchObject({ terms: 'account', tolerances: null });
      const byAcc = Object.fromEntries(res.groups.map((g: { key: string[]; lines: { onTime: unknown } }) => [g.key[0], g.lines.onTime]));
      expect(byAcc[t.world.accounts.acc1]).toEqual({ count: 3, of: 4, share: 0.75 });
      expect(byAcc[t.world.accounts.acc3]).toEqual({ count: 0, of: 1, share: 0 });
      const asked = (await logistics.get('/api/v1/delivery/otif?by=account&from=2026-10-01&to=2026-11-01&lateDays=1')).json();
      expect(asked).toMatchObject({ terms: 'query', tolerances: { earlyDays: 0, lateDays: 1, inFullPercent: 0, calendar: 'calendar-days' } });
      expect(asked.groups.find((g: { key: string[] }) => g.key[0] === t.world.accounts.acc1).lines.onTime).toEqual({ count: 2, of: 4, share: 0.5 });
      const fact = (await m1.get(`/api/v1/accounts/${t.world.accounts.acc1}/facts`)).json().items.find((f: { id: string }) => f.id === 'delivery.onTime');
      expect(fact).toMatchObject({ value: { kind: 'percent', value: 75 }, status: 'act' });
    });

    it('refuses a change without the version read or with a stale one, and audits the change', async () => {
      const url = `/api/v1/accounts/${t.world.accounts.acc1}/delivery-terms`;
      const body = { earlyDays: 1, lateDays: 2, inFullPercent: 5, calendar: 'weekdays' };
      expect((await logistics.put(url, body)).statusCode).toBe(409);
      expect((await logistics.put(url, { ...body, version: 7 })).json().detail).toContain('version 1');
      expect((await logistics.put(url, { ...body, version: 1 })).json()).toMatchObject({ version: 2, inFullPercent: 5 });
      const audit = await t.db.kysely.selectFrom('audit_log').select(['action']).where('action', '=', 'delivery.terms.set').execute();
      expect(audit).toHaveLength(2);
    });

    it('a manager reads the terms of their accounts only and may not change them; a dealer may not read them', async () => {
      expect((await m1.put(`/api/v1/accounts/${t.world.accounts.acc1}/delivery-terms`, { earlyDays: 0, lateDays: 9, inFullPercent: 0, calendar: 'calendar-days', version: 2 })).statusCode).toBe(403);
      expect((await m1.get(`/api/v1/accounts/${t.world.accounts.acc3}/delivery-terms`)).statusCode).toBe(404);
      expect((await dealer.get(`/api/v1/accounts/${t.world.accounts.acc1}/delivery-terms`)).statusCode).toBe(403);
      expect((await logistics.put(`/api/v1/accounts/${t.world.accounts.acc1}/delivery-terms`, { earlyDays: 0, lateDays: 99, inFullPercent: 0, calendar: 'calendar-days', version: 2 })).statusCode).toBe(400);
    });
  });
});
