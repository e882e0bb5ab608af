import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../src/modules/auth/auth.tokens.js';
import { newId } from '../src/shared/ids.js';
import { buildTestApp, type Client, loginAs, type TestApp } from './build-test-app.js';
import { describeEachDialect } from './dialects.js';
import { PASSWORD } from './factories.js';

/**
 * Dealer stock reports and stock-outs through the API. The clock stands at 2026-11-26 (Shanghai);
 * the default period is the 90 days 2026-08-29 … 2026-11-26.
 * ACC1, cement PO425-B50 (¥25.50 a bag on the standard list):
 *   10-01 100 · 10-15 40 (sold 70) · 10-29 0 (sold 42) · 11-05 0 · 11-12 120 · 11-19 0 (sold 120)
 *   spell 1: 10-29 … 11-11, 14 days at 112/28 = 4 a day → 56 bags, ¥1,428.00; caused by line C-1/1, promised 10-25, delivered 11-11 (17 days late)
 *   spell 2: 11-19 … 11-26 (still out), 8 days at 162/21 a day → 61.71 bags, ¥1,573.71; caused by C-2/1, promised 11-20, still missing (6 days)
 *   together 22 days, 117.71 bags, 300,171 fen. Line C-3/1 (on time) and ACC3's lines cause nothing.
 * ACC1, "Washed sand" (not in the catalogue): 11-20 0, no sell-through: 7 days, lost sales unknown.
 * ACC3, cement: 11-10 0: 17 days out (seen by logistics, not by m1).
 */
const reports = [
  { sourceKey: 'R1', accountCode: 'ACC1', sku: 'PO425-B50', reportDate: '2026-10-01', onHand: 100, unit: 'bag' },
  { sourceKey: 'R2', accountCode: 'ACC1', sku: 'PO425-B50', reportDate: '2026-10-15', onHand: 40, soldSinceLast: 70, unit: 'bag' },
  { sourceKey: 'R3', accountCode: 'ACC1', sku: 'PO425-B50', reportDate: '2026-10-29', onHand: 0, soldSinceLast: 42, unit: 'bag' },
  { sourceKey: 'R4', accountCode: 'ACC1', sku: 'PO425-B50', reportDate: '2026-11-05', onHand: 0, soldSinceLast: 0, unit: 'bag' },
  { sourceKey: 'R5', accountCode: 'ACC1', sku: 'PO425-B50', reportDate: '2026-11-12', onHand: 120, unit: 'bag' },
  { sourceKey: 'R6', accountCode: 'ACC1', sku: 'PO425-B50', reportDate: '2026-11-19', onHand: 0, soldSinceLast: 120, unit: 'bag' },
  { sourceKey: 'S1', accountCode: 'ACC1', item: 'Washed sand', reportDate: '2026-11-20', onHand: 0, unit: 't' },
  { sourceKey: 'X1', accountCode: 'ACC3', sku: 'PO425-B50', reportDate: '2026-11-10', onHand: 0, unit: 'bag' },
];
const orderLines = {
  lines: [
    { sourceKey: 'C-1/1', accountCode: 'ACC1', orderNo: 'C-1', lineNo: '1', item: 'PO425-B50', quantity: 100, promisedDate: '2026-10-25', status: 'delivered', shipments: [{ sourceKey: 'CS1', deliveredDate: '2026-11-11', quantity: 100 }] },
    { sourceKey: 'C-2/1', accountCode: 'ACC1', orderNo: 'C-2', lineNo: '1', item: 'P.O 42.5 cement, 50 kg bag', quantity: 100, promisedDate: '2026-11-20', status: 'open' },
    { sourceKey: 'C-3/1', accountCode: 'ACC1', orderNo: 'C-3', lineNo: '1', item: 'PO425-B50', quantity: 50, promisedDate: '2026-10-20', status: 'delivered', shipments: [{ sourceKey: 'CS3', deliveredDate: '2026-10-20', quantity: 50 }] },
    { sourceKey: 'X-1/1', accountCode: 'ACC3', orderNo: 'X-1', item: 'PO425-B50', quantity: 10, promisedDate: '2026-11-01', status: 'open' },
  ],
};

type Row = { accountId: string; sku: string | null; item: string | null; daysOut: number; spells: { causes: { orderNo: string }[] }[] } & Record<string, unknown>;

describeEachDialect('stock: dealer stock reports and stock-outs', (dialect) => {
  let t: TestApp;
  let logistics: Client, m1: Client, dealer: Client, admin: Client;
  beforeAll(async () => {
    t = await buildTestApp(dialect);
    [logistics, m1, dealer, admin] = await Promise.all(['logistics', 'm1', 'dealer', 'admin'].map((k) => t.login(k))) as [Client, Client, Client, Client];
    const list = await admin.post('/api/v1/price-lists', { code: 'STD', name: 'Standard', scopeKind: 'all', validFrom: '2026-01-01' });
    expect(list.statusCode, list.body).toBe(201);
    const item = await admin.put(`/api/v1/price-lists/${list.json().id}/items/${t.world.product}`, { breaks: [{ from: 0, unitPriceMinor: 2550 }] });
    expect(item.statusCode, item.body).toBe(200);
    expect((await logistics.post('/api/v1/delivery/order-lines', orderLines)).statusCode).toBe(200);
  });
  afterAll(async () => t?.close());

  describe('taking a batch', () => {
    it('refuses a batch with bad lines, names each line, and saves nothing', async () => {
      const bad = [...reports.slice(0, 1),
        { sourceKey: 'B2', accountCode: 'ACC1', sku: 'NO-SUCH', reportDate: '2026-11-01', onHand: 1 },
        { sourceKey: 'B3', accountCode: 'NOPE', sku: 'PO425-B50', reportDate: '2026-11-01', onHand: 1 },
        { sourceKey: 'B4', accountCode: 'ACC1', item: 'Gravel', reportDate: '2026-11-27', onHand: 1 },
        { sourceKey: 'B5', accountCode: 'ACC1', reportDate: '2026-11-01', onHand: 1 },
        { ...reports[0]!, sourceKey: 'B6' }];
      const res = await logistics.post('/api/v1/stock/reports', { reports: bad });
      expect(res.statusCode).toBe(400);
      const errors = res.json().errors as { path: string; message: string }[];
      expect(errors.map((e) => e.path)).toEqual(['reports.1.sku', 'reports.2.accountCode', 'reports.3.reportDate', 'reports.4.sku', 'reports.5.reportDate']);
      expect(errors[0]!.message).toMatch(/^line 2: no product with SKU "NO-SUCH"/);
      expect(errors[4]!.message).toBe('line 6: a second report of the same product and date (first on line 1)');
      expect(await t.db.kysely.selectFrom('dealer_stock_reports').select('id').execute()).toHaveLength(0);
    });

    it('a dry run counts without saving; the batch saves once, again changes nothing, and a correction updates one', async () => {
      expect((await logistics.post('/api/v1/stock/reports', { reports, dryRun: true })).json()).toEqual({ dryRun: true, inserted: 8, updated: 0, unchanged: 0 });
      expect(await t.db.kysely.selectFrom('dealer_stock_reports').select('id').execute()).toHaveLength(0);
      expect((await logistics.post('/api/v1/stock/reports', { reports })).json()).toEqual({ dryRun: false, inserted: 8, updated: 0, unchanged: 0 });
      expect((await logistics.post('/api/v1/stock/reports', { reports })).json()).toEqual({ dryRun: false, inserted: 0, updated: 0, unchanged: 8 });
      const corrected = reports.map((r) => (r.sourceKey === 'X1' ? { ...r, onHand: 3 } : r));
      expect((await logistics.post('/api/v1/stock/reports', { reports: corrected })).json()).toMatchObject({ inserted: 0, updated: 1, unchanged: 7 });
      expect((await logistics.post('/api/v1/stock/reports', { reports })).json()).toMatchObject({ updated: 1 });
    });

    it('audits each batch on each account it touched', async () => {
      const rows = await t.db.kysely.selectFrom('audit_log').select(['account_id', 'after_json']).where('action', '=', 'stock.reports.upsert').orderBy('at').orderBy('id').execute();
      // The first save, the unchanged re-send, the correction and its undoing: four batches, two accounts each (a dry run rolls back, its entry too).
      expect(rows).toHaveLength(8);
      const firstSave = rows.slice(0, 2).map((r) => [r.account_id, JSON.parse(r.after_json!)]);
      expect(firstSave).toEqual(expect.arrayContaining([[t.world.accounts.acc1, { inserted: 7, updated: 0, unchanged: 0, dryRun: false }], [t.world.accounts.acc3, { inserted: 1, updated: 0, unchanged: 0, dryRun: false }]]));
    });

    it('a manager or a dealer may not send stock reports in batches', async () => {
      expect((await m1.post('/api/v1/stock/reports', { reports })).statusCode).toBe(403);
      expect((await dealer.post('/api/v1/stock/reports', { reports })).statusCode).toBe(403);
    });
  });

  describe('stock-outs', () => {
    it('counts days out per dealer and product, the sales likely lost at the list price, and links the late and the missing line', async () => {
      const res = await logistics.get('/api/v1/stock/outs');
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ asOf: '2026-11-26', from: '2026-08-29', to: '2026-11-27' });
      const items = res.json().items as Row[];
      expect(items.map((r) => [r.accountId, r.sku ?? r.item, r.daysOut])).toEqual([
        [t.world.accounts.acc1, 'PO425-B50', 22], [t.world.accounts.acc3, 'PO425-B50', 17], [t.world.accounts.acc1, 'Washed sand', 7]]);
      const cement = items[0]!;
      expect(cement).toMatchObject({ lostQuantity: 117.71, lostValueMinor: 300_171, currency: 'CNY', outNow: true, daysUnknown: 0, unit: 'bag' });
      expect(cement.spells).toEqual([
        { start: '2026-10-29', end: '2026-11-12', daysOut: 14, rate: { sold: 112, days: 28 }, lostQuantity: 56, lostValueMinor: 142_800,
          causes: [{ lineId: expect.any(String), orderNo: 'C-1', lineNo: '1', promisedDate: '2026-10-25', deliveredDate: '2026-11-11', reason: 'late', daysLate: 17 }] },
        { start: '2026-11-19', end: null, daysOut: 8, rate: { sold: 162, days: 21 }, lostQuantity: 61.71, lostValueMinor: 157_371,
          causes: [{ lineId: expect.any(String), orderNo: 'C-2', lineNo: '1', promisedDate: '2026-11-20', deliveredDate: null, reason: 'missing', daysLate: 6 }] },
      ]);
      expect(items[2]).toMatchObject({ lostQuantity: null, lostValueMinor: null, daysUnknown: 7 });
      expect(items[1]!.spells[0]!.causes.map((c) => c.orderNo)).toEqual(['X-1']);
    });

    it('clips the spells to the period asked for', async () => {
      const items = (await logistics.get(`/api/v1/stock/outs?from=2026-11-01&to=2026-11-27&accountId=${t.world.accounts.acc1}`)).json().items as Row[];
      // Spell 1 from 11-01 to 11-11 (11 days at 4 a day: 44 bags) and spell 2's 8 days (61.714…): 19 days, 105.71 bags.
      expect(items.map((r) => [r.sku ?? r.item, r.daysOut, r.lostQuantity])).toEqual([['PO425-B50', 19, 105.71], ['Washed sand', 7, null]]);
      expect((await logistics.get('/api/v1/stock/outs?from=2026-11-27&to=2026-11-01')).statusCode).toBe(400);
    });

    it('a manager sees only their dealers: another account is not found', async () => {
      const mine = (await m1.get('/api/v1/stock/outs')).json().items as Row[];
      expect(new Set(mine.map((r) => r.accountId))).toEqual(new Set([t.world.accounts.acc1]));
      expect((await m1.get(`/api/v1/stock/outs?accountId=${t.world.accounts.acc3}`)).statusCode).toBe(404);
      expect((await m1.get(`/api/v1/accounts/${t.world.accounts.acc3}/stock`)).statusCode).toBe(404);
    });

    it('an account\'s stock: the latest report per product, those out first, with the spell they are in', async () => {
      const res = (await m1.get(`/api/v1/accounts/${t.world.accounts.acc1}/stock`)).json();
      expect(res.latest.map((l: { sku: string | null; item: string | null; onHand: number; reportDate: string; outSince: string | null }) => [l.sku ?? l.item, l.onHand, l.reportDate, l.outSince]))
        .toEqual([['PO425-B50', 0, '2026-11-19', '2026-11-19'], ['Washed sand', 0, '2026-11-20', '2026-11-20']]);
      expect(res.outs).toHaveLength(2);
    });
  });

  describe('contributions', () => {
    it('the account header shows the days out of stock of the last 90 days, to act on while a product is out', async () => {
      const fact = (await m1.get(`/api/v1/accounts/${t.world.accounts.acc1}/facts`)).json().items.find((f: { id: string }) => f.id === 'stock.daysOut');
      expect(fact).toMatchObject({ value: { kind: 'count', value: 29 }, status: 'act', noteKey: 'stock.facts.outNow', noteParams: { count: 2 }, link: { tab: 'stock' } });
      const none = (await m1.get(`/api/v1/accounts/${t.world.accounts.acc2}/facts`)).json().items;
      expect(none.some((f: { id: string }) => f.id === 'stock.daysOut')).toBe(false);
    });

    it('the timeline shows each stock-out starting and ending', async () => {
      const items = (await m1.get(`/api/v1/accounts/${t.world.accounts.acc1}/timeline?kind=stock.out,stock.back`)).json().items as { kind: string; at: string; params: Record<string, unknown> }[];
      expect(items.map((e) => [e.kind, e.at])).toEqual([
        ['stock.out', '2026-11-19T16:00:00.000Z'], ['stock.out', '2026-11-18T16:00:00.000Z'], ['stock.back', '2026-11-11T16:00:00.000Z'], ['stock.out', '2026-10-28T16:00:00.000Z']]);
      expect(items[2]!.params).toMatchObject({ product: 'P.O 42.5 水泥 50公斤袋', productEn: 'P.O 42.5 cement, 50 kg bag', days: 14, causes: 1 });
    });

    it('the manager\'s day lists each product a dealer of theirs is out of now', async () => {
      const day = (await m1.get('/api/v1/home/day')).json();
      const out = day.items.filter((i: { kind: string }) => i.kind === 'stock-out');
      expect(out.map((i: { params: { since: string; days: number } }) => [i.params.since, i.params.days])).toEqual([['2026-11-19', 8], ['2026-11-20', 7]]);
      expect(out[0]).toMatchObject({ urgency: 'today', account: { id: t.world.accounts.acc1 }, link: { to: `/accounts/${t.world.accounts.acc1}?tab=stock` } });
    });
  });

  describe('the dealer', () => {
    it('sees its own stock and stock-outs with the lines behind them, and no value anywhere', async () => {
      const res = await dealer.get('/api/v1/portal/stock');
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body.outs.map((r: Row) => r.accountId)).toEqual([t.world.accounts.acc1, t.world.accounts.acc1]);
      expect(res.body).not.toMatch(/lostValueMinor|currency/);
      expect(body.outs[0].spells[0].causes[0]).toMatchObject({ orderNo: 'C-1', reason: 'late' });
      expect((await dealer.get('/api/v1/stock/outs')).statusCode).toBe(403);
      expect((await dealer.get(`/api/v1/accounts/${t.world.accounts.acc1}/stock`)).statusCode).toBe(403);
      const cards = (await dealer.get('/api/v1/portal/cards')).json().items.find((c: { id: string }) => c.id === 'stock.own');
      expect(cards).toMatchObject({ status: 'act', lines: [{ value: { kind: 'count', value: 2 } }, { value: { kind: 'count', value: 29 } }, expect.anything()] });
    });

    it('reports its own stock: on its own account only, a second report of the day corrects the first, audited', async () => {
      const first = await dealer.post('/api/v1/portal/stock-reports', { reports: [{ sku: 'PO425-B50', reportDate: '2026-11-26', onHand: 5, soldSinceLast: 10 }] });
      expect(first.json()).toEqual({ dryRun: false, inserted: 1, updated: 0, unchanged: 0 });
      const again = await dealer.post('/api/v1/portal/stock-reports', { reports: [{ sku: 'PO425-B50', reportDate: '2026-11-26', onHand: 60, soldSinceLast: 10 }] });
      expect(again.json()).toMatchObject({ inserted: 0, updated: 1 });
      expect((await dealer.post('/api/v1/portal/stock-reports', { reports: [{ sku: 'PO425-B50', accountCode: 'ACC3', reportDate: '2026-11-26', onHand: 1 }] })).statusCode).toBe(400);
      const bad = await dealer.post('/api/v1/portal/stock-reports', { reports: [{ item: 'Gravel', reportDate: '2026-11-26', onHand: 1 }, { sku: 'NOPE', reportDate: '2026-11-26', onHand: 1 }] });
      expect(bad.json().errors).toEqual([expect.objectContaining({ path: 'reports.1.sku', message: expect.stringMatching(/^line 2: /) })]);
      const rows = await t.db.kysely.selectFrom('dealer_stock_reports').select(['account_id', 'on_hand', 'source']).where('report_date', '=', '2026-11-26').execute();
      expect(rows.map((r) => [r.account_id, Number(r.on_hand), r.source])).toEqual([[t.world.accounts.acc1, 60, 'portal']]);
      const audit = await t.db.kysely.selectFrom('audit_log').select(['account_id']).where('action', '=', 'stock.reports.portal').execute();
      expect(audit.map((a) => a.account_id)).toEqual([t.world.accounts.acc1, t.world.accounts.acc1]);
      // Back in stock today: the open cement spell ends at 11-26, so the cement is no longer out now.
      const latest = (await dealer.get('/api/v1/portal/stock')).json().latest;
      expect(latest[0]).toMatchObject({ item: 'Washed sand', outSince: '2026-11-20' });
      expect(latest[1]).toMatchObject({ sku: 'PO425-B50', onHand: 60, outSince: null });
    });

    it('another dealer sees only its own stock', async () => {
      const id = newId();
      await t.db.kysely.insertInto('users').values({
        id, email: 'dealer3@test.local', name: 'Dealer of 3', role: 'dealer', password_hash: await hashPassword(PASSWORD), locale: 'en', time_zone: 'Asia/Shanghai',
        team_id: null, account_id: t.world.accounts.acc3, department: null, active: 1, created_at: '2026-11-01T00:00:00.000Z', updated_at: '2026-11-01T00:00:00.000Z', version: 1,
      }).execute();
      const other = await loginAs(t.app, 'dealer3@test.local');
      const body = (await other.get('/api/v1/portal/stock')).json();
      expect(body.latest.map((l: { onHand: number }) => l.onHand)).toEqual([0]);
      expect(body.outs.map((r: Row) => r.accountId)).toEqual([t.world.accounts.acc3]);
    });
  });
});
