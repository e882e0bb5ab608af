import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { z } from 'zod';
import { ctxOf, type Deps } from '../src/server/context.js';
import { newId } from '../src/shared/ids.js';
import { buildTestApp, type Client, type TestApp } from './build-test-app.js';
import { describeEachDialect } from './dialects.js';

// The test clock reads 2026-11-26 (company calendar).
type Json = Record<string, any>;

/** A route of the test's own that reads the pocket-price waterfall through the registry. */
async function pocketProbe(fastify: FastifyInstance, deps: Deps) {
  fastify.get('/api/v1/test/pocket', { config: { policy: 'margin:read' } }, async (req) => {
    const q = z.object({ accountId: z.string(), productId: z.string(), from: z.string(), to: z.string(), quantity: z.coerce.number(), currency: z.string() }).parse(req.query);
    return deps.contributions.pocket(ctxOf(req, deps), q);
  });
}

describeEachDialect('price lists', (dialect) => {
  let t: TestApp;
  let admin: Client;
  let m1: Client;
  let m3: Client;
  let dealer: Client;
  let P: string; // PO425-B50
  let P2: string; // a second product, SKU2
  const lists = {} as Record<'nat' | 'east' | 'key' | 'acc1' | 'acc3' | 'imp', Json>;

  const create = async (body: Json) => {
    const r = await admin.post('/api/v1/price-lists', body);
    expect(r.statusCode, r.body).toBe(201);
    return r.json() as Json;
  };
  const put = async (listId: string, productId: string, breaks: Json[]) => {
    const r = await admin.put(`/api/v1/price-lists/${listId}/items/${productId}`, { breaks });
    expect(r.statusCode, r.body).toBe(200);
    return r.json() as Json;
  };
  const quoteOf = async (c: Client, accountId: string, quantity: number, date?: string, productId = P) => {
    const r = await c.get(`/api/v1/prices/quote?accountId=${accountId}&productId=${productId}&quantity=${quantity}${date ? `&date=${date}` : ''}`);
    return { status: r.statusCode, body: r.json() as Json };
  };
  const upload = (c: Client, listId: string, body: string | Buffer, query = '', type = 'text/csv') =>
    c.request({ method: 'POST', url: `/api/v1/price-lists/${listId}/import${query}`, payload: body, headers: { 'content-type': type } });

  beforeAll(async () => {
    t = await buildTestApp(dialect, {}, { features: [pocketProbe] });
    [admin, m1, m3, dealer] = await Promise.all([t.login('admin'), t.login('m1'), t.login('m3'), t.login('dealer')]);
    P = t.world.product;
    P2 = newId();
    await t.db.kysely.insertInto('products').values({
      id: P2, sku: 'SKU2', name_en: 'P.C 32.5 cement, bulk', name_zh: 'P.C 32.5 散装水泥', unit: 't', pack_size: 1, category: 'cement',
      created_at: '2026-11-01T00:00:00.000Z', updated_at: '2026-11-01T00:00:00.000Z', version: 1,
    }).execute();
    const { acc1 } = t.world.accounts;
    lists.nat = await create({ code: 'NAT-2026', name: 'National 2026', scopeKind: 'all', validFrom: '2026-01-01', breakMode: 'all-units' });
    lists.east = await create({ code: 'EAST-2026', name: 'East China 2026', scopeKind: 'territory', scopeValue: t.world.territory, validFrom: '2026-01-01', breakMode: 'graduated' });
    lists.key = await create({ code: 'KEY-H2', name: 'Key accounts H2', scopeKind: 'group', scopeValue: 'key', validFrom: '2026-06-01', breakMode: 'all-units' });
    lists.acc1 = await create({ code: 'ACC1-NOV', name: 'Account 1 November', scopeKind: 'account', scopeValue: acc1, validFrom: '2026-11-01', validTo: '2026-12-01', breakMode: 'graduated' });
    await put(lists.nat.id, P, [{ from: 0, unitPriceMinor: 1000 }, { from: 100, unitPriceMinor: 900 }]);
    await put(lists.east.id, P, [{ from: 0, unitPriceMinor: 980 }]);
    await put(lists.key.id, P, [{ from: 0, unitPriceMinor: 950 }, { from: 50, unitPriceMinor: 900 }]);
    await put(lists.acc1.id, P, [{ from: 0, unitPriceMinor: 940 }, { from: 100, unitPriceMinor: 880 }, { from: 500, unitPriceMinor: 850 }]);
  });
  afterAll(async () => t?.close());

  it("prices an account by its own list first, and says the territory and national lists lost on scope", async () => {
    const { body } = await quoteOf(m1, t.world.accounts.acc1, 250, '2026-11-26');
    // graduated: 100 × 9.40 + 150 × 8.80 = 940.00 + 1,320.00 = 2,260.00; effective 226,000 / 250 = 904
    expect(body.price).toMatchObject({
      listId: lists.acc1.id, listName: 'Account 1 November', scope: { kind: 'account', value: t.world.accounts.acc1 }, currency: 'CNY', breakMode: 'graduated',
      totalMinor: 226_000, unitPriceMinor: 904, baseUnitPriceMinor: 940, breakIndex: 1,
      bands: [{ from: 0, to: 100, quantity: 100, unitPriceMinor: 940, amountMinor: 94_000 }, { from: 100, to: 500, quantity: 150, unitPriceMinor: 880, amountMinor: 132_000 }],
    });
    expect(body.price.why.rule).toBe('scope');
    expect(body.price.why.break).toEqual({ index: 1, from: 100, to: 500 });
    expect(body.price.why.losers.map((l: Json) => [l.listName, l.lostOn])).toEqual([['East China 2026', 'scope'], ['National 2026', 'scope']]);
  });

  it('puts a customer group between the account and the territory, once the account is in the group (audited)', async () => {
    const { acc1, acc2 } = t.world.accounts;
    const r = await admin.put(`/api/v1/accounts/${acc2}/price-group`, { priceGroup: 'key' });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().lists.map((l: Json) => [l.code, l.rank])).toEqual([['KEY-H2', 1], ['EAST-2026', 2], ['NAT-2026', 3]]);
    // all-units at 250: every unit at 9.00 = 225,000
    expect((await quoteOf(m1, acc2, 250, '2026-11-26')).body.price).toMatchObject({ listCode: 'KEY-H2', totalMinor: 225_000, unitPriceMinor: 900, why: { rule: 'scope' } });
    expect((await m1.put(`/api/v1/accounts/${acc1}/price-group`, { priceGroup: 'key' })).statusCode).toBe(403);
    const audit = await t.db.kysely.selectFrom('audit_log').select(['before_json', 'after_json', 'account_id']).where('action', '=', 'pricing.account.group').execute();
    expect(audit).toEqual([{ before_json: '{"priceGroup":null}', after_json: '{"priceGroup":"key"}', account_id: acc2 }]);
    await admin.put(`/api/v1/accounts/${acc2}/price-group`, { priceGroup: null });
  });

  it('ends a list the day before its validTo (exclusive) and starts it on its validFrom', async () => {
    const { acc1 } = t.world.accounts;
    expect((await quoteOf(m1, acc1, 10, '2026-11-30')).body.price.listCode).toBe('ACC1-NOV');
    expect((await quoteOf(m1, acc1, 10, '2026-12-01')).body.price.listCode).toBe('EAST-2026');
    expect((await quoteOf(m1, acc1, 10, '2026-11-01')).body.price.listCode).toBe('ACC1-NOV');
    expect((await quoteOf(m1, acc1, 10, '2026-10-31')).body.price.listCode).toBe('EAST-2026');
    expect((await quoteOf(m1, acc1, 10, '2025-12-31')).body).toEqual({ price: null });
  });

  it('between lists of one scope takes the higher priority, then the newer start', async () => {
    const { acc4 } = t.world.accounts;
    await t.db.kysely.updateTable('accounts').set({ territory_id: null }).where('id', '=', acc4).execute();
    const promo = await create({ code: 'NAT-PROMO', name: 'National promotion', scopeKind: 'all', priority: 5, validFrom: '2026-11-01', validTo: '2026-11-27' });
    await put(promo.id, P, [{ from: 0, unitPriceMinor: 800 }]);
    const a = (await quoteOf(admin, acc4, 10, '2026-11-26')).body.price;
    expect(a).toMatchObject({ listCode: 'NAT-PROMO', totalMinor: 8000, why: { rule: 'priority', losers: [{ listName: 'National 2026', lostOn: 'priority' }] } });
    const newer = await create({ code: 'NAT-NOV', name: 'National November', scopeKind: 'all', validFrom: '2026-11-15' });
    await put(newer.id, P, [{ from: 0, unitPriceMinor: 990 }]);
    expect((await quoteOf(admin, acc4, 10, '2026-11-27')).body.price).toMatchObject({ listCode: 'NAT-NOV', why: { rule: 'validFrom' } });
    // A list that does not hold the product is no candidate for it.
    expect((await quoteOf(admin, acc4, 10, '2026-11-27', P2)).body).toEqual({ price: null });
    for (const l of [promo, newer]) expect((await admin.del(`/api/v1/price-lists/${l.id}?version=${(await admin.get(`/api/v1/price-lists/${l.id}`)).json().version}`)).statusCode).toBe(204);
    await t.db.kysely.updateTable('accounts').set({ territory_id: t.world.territory }).where('id', '=', acc4).execute();
  });

  it('refuses a quantity below the minimum of the winning list with the reason', async () => {
    const min = await create({ code: 'ACC3-MIN', name: 'Account 3 bulk', scopeKind: 'account', scopeValue: t.world.accounts.acc3, validFrom: '2026-01-01' });
    await put(min.id, P, [{ from: 20, unitPriceMinor: 700 }]);
    const r = await quoteOf(admin, t.world.accounts.acc3, 5, '2026-11-26');
    expect(r.status).toBe(422);
    expect(r.body).toMatchObject({ code: 'below_minimum', detail: 'Account 3 bulk: below the minimum quantity of 20' });
    lists.acc3 = min;
  });

  it('lets a dealer read no prices at all (403), and a manager neither write nor quote an account outside their scope', async () => {
    for (const url of ['/api/v1/price-lists', `/api/v1/prices/quote?accountId=${t.world.accounts.acc1}&productId=${P}&quantity=1`, `/api/v1/accounts/${t.world.accounts.acc1}/price-lists`, `/api/v1/price-lists/${lists.nat.id}/items`]) {
      expect((await dealer.get(url)).statusCode, url).toBe(403);
    }
    expect((await quoteOf(m3, t.world.accounts.acc1, 10)).status).toBe(404);
    expect((await quoteOf(m1, t.world.accounts.acc3, 10)).status).toBe(404);
    expect((await quoteOf(m1, t.world.accounts.acc2, 10)).status).toBe(200); // on acc2's account team
    expect((await m1.post('/api/v1/price-lists', { code: 'X', name: 'X', scopeKind: 'all', validFrom: '2026-01-01' })).statusCode).toBe(403);
    expect((await m1.put(`/api/v1/price-lists/${lists.nat.id}/items/${P}`, { breaks: [{ from: 0, unitPriceMinor: 1 }] })).statusCode).toBe(403);
    // The list for acc3 is no list to m1, who cannot see acc3; the others are.
    const visible = (await m1.get('/api/v1/price-lists?limit=200')).json().items as Json[];
    const seen = visible.map((l) => l.code);
    expect(visible.find((l) => l.code === 'EAST-2026')).toMatchObject({ scopeLabel: '华东', scopeLabelEn: 'East China' });
    expect(visible.find((l) => l.code === 'ACC1-NOV')).toMatchObject({ scopeLabel: 'Account 1', scopeLabelEn: 'Account 1' });
    expect(seen).toEqual(expect.arrayContaining(['NAT-2026', 'EAST-2026', 'KEY-H2', 'ACC1-NOV']));
    expect(seen).not.toContain('ACC3-MIN');
    expect((await m1.get(`/api/v1/price-lists/${lists.acc3.id}`)).statusCode).toBe(404);
    expect((await m3.get(`/api/v1/price-lists/${lists.acc3.id}`)).statusCode).toBe(200);
  });

  it('refuses bad breaks with the path of the break, and a stale version with 412', async () => {
    const r = await admin.put(`/api/v1/price-lists/${lists.nat.id}/items/${P}`, { breaks: [{ from: 0, unitPriceMinor: 10 }, { from: 100, unitPriceMinor: 9 }, { from: 50, unitPriceMinor: -8 }] });
    expect(r.statusCode).toBe(400);
    expect(r.json().errors).toEqual(expect.arrayContaining([
      expect.objectContaining({ message: 'breaks must be in increasing order of quantity: 50 comes after 100' }),
    ]));
    const list = (await admin.get(`/api/v1/price-lists/${lists.nat.id}`)).json();
    expect((await admin.patch(`/api/v1/price-lists/${lists.nat.id}`, { priority: 1, version: list.version - 1 })).statusCode).toBe(412);
    const ok = await admin.patch(`/api/v1/price-lists/${lists.nat.id}`, { priority: 1, version: list.version });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ priority: 1, version: list.version + 1 });
    const bad = await admin.post('/api/v1/price-lists', { code: 'BAD', name: 'Bad', scopeKind: 'all', validFrom: '2026-05-01', validTo: '2026-05-01' });
    expect(bad.statusCode).toBe(400);
    expect((await admin.post('/api/v1/price-lists', { code: 'NAT-2026', name: 'Again', scopeKind: 'all', validFrom: '2026-05-01' })).statusCode).toBe(409);
  });

  it('audits each change of a list and its prices with the old and new values', async () => {
    const rows = await t.db.kysely.selectFrom('audit_log').select(['action', 'before_json', 'after_json']).where('entity', '=', 'price_list').where('entity_id', '=', lists.nat.id).orderBy('id').execute();
    expect(rows.map((r) => r.action)).toEqual(['pricing.list.create', 'pricing.item.put', 'pricing.list.update']);
    expect(JSON.parse(rows[1]!.after_json!)).toEqual({ productId: P, breaks: [{ from: 0, unitPriceMinor: 1000 }, { from: 100, unitPriceMinor: 900 }] });
    expect(rows[1]!.before_json).toBeNull();
    expect(JSON.parse(rows[2]!.before_json!)).toMatchObject({ priority: 0 });
    expect(JSON.parse(rows[2]!.after_json!)).toEqual({ priority: 1 });
    await put(lists.nat.id, P, [{ from: 0, unitPriceMinor: 1000 }, { from: 100, unitPriceMinor: 920 }]);
    const last = await t.db.kysely.selectFrom('audit_log').select(['before_json', 'after_json']).where('action', '=', 'pricing.item.put').where('entity_id', '=', lists.nat.id).orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(JSON.parse(last.before_json!).breaks[1]).toEqual({ from: 100, unitPriceMinor: 900 });
    expect(JSON.parse(last.after_json!).breaks[1]).toEqual({ from: 100, unitPriceMinor: 920 });
  });

  it('imports a CSV of prices once, and importing it again changes nothing', async () => {
    const imp = await create({ code: 'IMP', name: 'Imported', scopeKind: 'all', validFrom: '2020-01-01', validTo: '2020-12-31' });
    const csv = 'sku,from,unit_price\nPO425-B50,100,9.50\nPO425-B50,0,10.00\n\nSKU2,,20\n';
    const first = await upload(admin, imp.id, csv);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toEqual({ applied: true, lines: 3, products: 2, created: 2, updated: 0, unchanged: 0, removed: 0, errors: [], errorCount: 0 });
    const items = (await admin.get(`/api/v1/price-lists/${imp.id}/items`)).json().items as Json[];
    expect(items.map((i) => [i.sku, i.breaks])).toEqual([
      ['PO425-B50', [{ from: 0, unitPriceMinor: 1000 }, { from: 100, unitPriceMinor: 950 }]],
      ['SKU2', [{ from: 0, unitPriceMinor: 2000 }]],
    ]);
    const auditCount = async () => Number((await t.db.kysely.selectFrom('audit_log').select((eb) => eb.fn.countAll().as('n')).where('entity_id', '=', imp.id).executeTakeFirstOrThrow()).n);
    const before = await auditCount();
    const version = (await admin.get(`/api/v1/price-lists/${imp.id}`)).json().version;
    expect((await upload(admin, imp.id, csv)).json()).toMatchObject({ applied: true, created: 0, updated: 0, unchanged: 2 });
    expect(await auditCount()).toBe(before);
    expect((await admin.get(`/api/v1/price-lists/${imp.id}`)).json().version).toBe(version);
    // One price changed, SKU2 left out with replace: one update, one removal, each audited.
    const again = await upload(admin, imp.id, 'SKU,起订量,单价\nPO425-B50,0,10.00\nPO425-B50,100,9.40\n', '?replace=true');
    expect(again.json()).toMatchObject({ applied: true, created: 0, updated: 1, unchanged: 0, removed: 1 });
    expect(await auditCount()).toBe(before + 2);
    lists.imp = imp;
  });

  it('reports every bad line with its line number and writes nothing', async () => {
    const imp = lists.imp;
    const before = (await admin.get(`/api/v1/price-lists/${imp.id}/items`)).json();
    const csv = [
      'sku,from,unit_price', // 1
      'PO425-B50,0,10.00', // 2
      'NOPE,0,1', // 3 unknown SKU
      'SKU2,0,-5', // 4 negative
      'PO425-B50,0,9', // 5 a second price from 0
      'SKU2,abc,5', // 6 not a number
      'SKU2,10,5.123', // 7 more decimals than CNY has
      'SKU2,0,7', // 8 fine on its own
    ].join('\n');
    const r = await upload(admin, imp.id, csv);
    expect(r.statusCode, r.body).toBe(200);
    const body = r.json();
    expect(body.applied).toBe(false);
    expect(body.errors.map((e: Json) => [e.line, e.column, e.reason])).toEqual([
      [3, 'sku', 'unknown SKU'],
      [4, 'unit_price', 'must not be negative'],
      [5, 'from', 'a second price for PO425-B50 from quantity 0 (first at line 2)'],
      [6, 'from', 'not a number'],
      [7, 'unit_price', 'more than 2 decimal places for CNY'],
    ]);
    expect((await admin.get(`/api/v1/price-lists/${imp.id}/items`)).json()).toEqual(before);
    const noHeader = await upload(admin, imp.id, 'code,amount\nA,1\n');
    expect(noHeader.statusCode).toBe(422);
    expect(noHeader.json().code).toBe('bad_header');
    expect((await upload(m1, imp.id, 'sku,unit_price\nSKU2,1\n')).statusCode).toBe(403);
  });

  it('imports an XLSX file through the same readers', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('价格');
    ws.addRow(['物料编码', '数量', '单价']);
    ws.addRow(['SKU2', 0, 21.5]);
    ws.addRow(['SKU2', 30, 20]);
    const r = await upload(admin, lists.imp.id, Buffer.from(await wb.xlsx.writeBuffer()), '', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(r.json()).toMatchObject({ applied: true, created: 1, errors: [] });
    const items = (await admin.get(`/api/v1/price-lists/${lists.imp.id}/items?q=SKU2`)).json().items as Json[];
    expect(items[0]!.breaks).toEqual([{ from: 0, unitPriceMinor: 2150 }, { from: 30, unitPriceMinor: 2000 }]);
  });

  it('gives the waterfall the list price, the break discount and how many other accounts share the list', async () => {
    const { acc1, acc2, acc3, acc4 } = t.world.accounts;
    const line = (doc: string, account: string, date: string, quantity: number) => ({
      doc_no: doc, line_no: 1, date, account_id: account, product_id: P, quantity, net_amount_minor: quantity * 900, cost_amount_minor: null,
      currency: 'CNY', created_at: '2026-11-01T00:00:00.000Z', updated_at: '2026-11-01T00:00:00.000Z',
    });
    await t.db.kysely.insertInto('sales_lines').values([line('W-1', acc4, '2026-11-10', 30), line('W-2', acc4, '2026-11-20', 12), line('W-3', acc4, '2026-10-20', 100), line('W-4', acc2, '2026-11-05', 7)]).execute();
    // Only this module's steps: others (services at cost) add their own to the same waterfall.
    const pocket = async (c: Client, accountId: string, quantity: number) => {
      const res = (await c.get(`/api/v1/test/pocket?accountId=${accountId}&productId=${P}&from=2026-11-01&to=2026-12-01&quantity=${quantity}&currency=CNY`)).json() as Json;
      return { ...res, items: res.items.filter((s: Json) => s.module === 'pricing') } as Json;
    };
    // acc1's own list (graduated 9.40 / 8.80 from 100 / 8.50 from 500) on 2026-11-30: list 250 × 9.40 = 235,000; quote 226,000.
    const own = await pocket(m1, acc1, 250);
    expect(own.unavailable).toEqual([]);
    expect(own.items.map((s: Json) => [s.id, s.kind, s.order, s.amountMinor])).toEqual([['pricing.list', 'list', 0, 235_000], ['pricing.discount', 'discount', 10, -9000]]);
    expect(own.items[0].params).toMatchObject({ listId: lists.acc1.id, listName: 'Account 1 November', sharedAccounts: 0, sharedQuantity: 0 });
    // acc2 is priced by the East China list, as is acc4; acc3 has its own list; acc1 its own.
    const east = await pocket(m1, acc2, 250);
    expect(east.items[0]).toMatchObject({ amountMinor: 245_000, params: { listName: 'East China 2026', sharedAccounts: 1, sharedQuantity: 42 } });
    expect(east.items[1].amountMinor).toBe(0);
    expect((await pocket(m1, acc2, 0)).items).toEqual([]);
    void acc3;
  });

  it('shows the list in force in the account header', async () => {
    const facts = (await m1.get(`/api/v1/accounts/${t.world.accounts.acc1}/facts`)).json() as { items: Json[] };
    expect(facts.items.find((f) => f.module === 'pricing')).toMatchObject({
      labelKey: 'pricing.facts.list', value: { kind: 'text', key: 'pricing.facts.listValue', params: { name: 'Account 1 November' } }, link: { tab: 'prices' },
    });
  });
});
