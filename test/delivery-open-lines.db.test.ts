import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../src/shared/ids.js';
import { buildTestApp, type Client, type TestApp } from './build-test-app.js';
import { describeEachDialect } from './dialects.js';

/**
 * The open orders of an account's Delivery tab. The clock stands at 2026-11-26. ACC1:
 *   A/1 promised 11-20, open, 4 of 10 delivered: overdue 6 days, 4 delivered.
 *   A/2 promised 11-10, open, 5 of 5 delivered: delivered in full, not listed.
 *   B/1 promised 11-30, open, nothing shipped: due in 4 days.
 *   C/1 promised 11-01, delivered: not listed.
 *   D/1 no promise, open, a delivery without a quantity (the whole line): not listed.
 *   E/1 no promise, open: unscheduled, last.
 *   VMI-2026-0001/1 promised 12-01, open, placed by VMI (source key vmi:…): due in 5 days, linked to its draft.
 * ACC3 (m3's): X/1 open, not m1's to see.
 */
const lines = (sku: string) => [
  { sourceKey: 'A/1', accountCode: 'ACC1', orderNo: 'A', lineNo: '1', quantity: 10, promisedDate: '2026-11-20', status: 'open', productSku: sku, unit: 'bag', shipments: [{ sourceKey: 'SA1', deliveredDate: '2026-11-21', quantity: 4 }] },
  { sourceKey: 'A/2', accountCode: 'ACC1', orderNo: 'A', lineNo: '2', quantity: 5, promisedDate: '2026-11-10', status: 'open', shipments: [{ sourceKey: 'SA2', deliveredDate: '2026-11-09', quantity: 5 }] },
  { sourceKey: 'B/1', accountCode: 'ACC1', orderNo: 'B', lineNo: '1', quantity: 3, promisedDate: '2026-11-30', status: 'open' },
  { sourceKey: 'C/1', accountCode: 'ACC1', orderNo: 'C', lineNo: '1', quantity: 2, promisedDate: '2026-11-01', status: 'delivered', shipments: [{ sourceKey: 'SC1', deliveredDate: '2026-11-01', quantity: 2 }] },
  { sourceKey: 'D/1', accountCode: 'ACC1', orderNo: 'D', lineNo: '1', quantity: 7, status: 'open', shipments: [{ sourceKey: 'SD1', deliveredDate: '2026-11-02' }] },
  { sourceKey: 'E/1', accountCode: 'ACC1', orderNo: 'E', lineNo: '1', quantity: 1, status: 'open' },
  { sourceKey: `vmi:VMI-2026-0001:p`, accountCode: 'ACC1', orderNo: 'VMI-2026-0001', lineNo: '1', quantity: 600, promisedDate: '2026-12-01', status: 'open', productSku: sku },
  { sourceKey: 'X/1', accountCode: 'ACC3', orderNo: 'X', lineNo: '1', quantity: 1, promisedDate: '2026-11-01', status: 'open' },
];

describeEachDialect('delivery: an account\'s open order lines', (dialect) => {
  let t: TestApp;
  let logistics: Client, m1: Client, dealer: Client;
  const draftId = newId();
  beforeAll(async () => {
    t = await buildTestApp(dialect);
    [logistics, m1, dealer] = await Promise.all(['logistics', 'm1', 'dealer'].map((k) => t.login(k))) as [Client, Client, Client];
    const at = '2026-11-25T08:00:00.000Z';
    await t.db.kysely.insertInto('vmi_drafts').values({
      id: draftId, number: 'VMI-2026-0001', account_id: t.world.accounts.acc1, site_id: null, as_of: '2026-11-25', status: 'signed', arrival: '2026-12-01',
      next_visit: '2026-12-02', next_arrival: '2026-12-08', protection_days: 7, lead_time_days: 6, load_json: '{}', notes_json: '[]', exceptions_json: '[]',
      expires_at: null, sent_by: null, sent_at: at, decided_at: at, cancel_reason: null, order_no: 'VMI-2026-0001', created_by: null, created_at: at, updated_at: at, version: 3,
    }).execute();
    const res = await logistics.post('/api/v1/delivery/order-lines', { lines: lines('PO425-B50') });
    expect(res.statusCode, res.body).toBe(200);
  });
  afterAll(async () => t?.close());

  it('lists the open lines not delivered in full, soonest promise first and unscheduled last, with days to the promise', async () => {
    const res = await m1.get(`/api/v1/accounts/${t.world.accounts.acc1}/open-lines`);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.total).toBe(4);
    expect(body.items.map((i: { orderNo: string }) => i.orderNo)).toEqual(['A', 'B', 'VMI-2026-0001', 'E']);
    expect(body.items[0]).toMatchObject({
      lineNo: '1', quantity: 10, delivered: 4, unit: 'bag', promisedDate: '2026-11-20', due: 'overdue', daysToPromise: -6, source: null,
      productId: t.world.product, productSku: 'PO425-B50', productName: { en: 'P.O 42.5 cement, 50 kg bag', zh: 'P.O 42.5 水泥 50公斤袋' },
    });
    expect(body.items[1]).toMatchObject({ due: 'due', daysToPromise: 4, delivered: 0, productId: null, productName: null });
    expect(body.items[2]).toMatchObject({ due: 'due', daysToPromise: 5, quantity: 600, source: { kind: 'vmi', draftId } });
    expect(body.items[3]).toMatchObject({ due: 'unscheduled', daysToPromise: null, promisedDate: null });
  });

  it('pages them and counts them all', async () => {
    const second = (await m1.get(`/api/v1/accounts/${t.world.accounts.acc1}/open-lines?limit=2&offset=2`)).json();
    expect(second.total).toBe(4);
    expect(second.items.map((i: { orderNo: string }) => i.orderNo)).toEqual(['VMI-2026-0001', 'E']);
  });

  it('lists the open lines of every account the caller sees on the dashboard', async () => {
    const mine = (await m1.get('/api/v1/delivery/open-lines')).json();
    expect(mine.total).toBe(4);
    expect(mine.items.every((i: { accountId: string }) => i.accountId === t.world.accounts.acc1)).toBe(true);
    const all = (await logistics.get('/api/v1/delivery/open-lines?limit=1')).json();
    expect(all.total).toBe(5);
    expect(all.items.map((i: { orderNo: string }) => i.orderNo)).toEqual(['X']);
    expect((await dealer.get('/api/v1/delivery/open-lines')).statusCode).toBe(403);
  });

  it('answers an account out of the caller\'s scope with 404 and the dealer portal with 403', async () => {
    expect((await m1.get(`/api/v1/accounts/${t.world.accounts.acc3}/open-lines`)).statusCode).toBe(404);
    expect((await logistics.get(`/api/v1/accounts/${t.world.accounts.acc3}/open-lines`)).json().total).toBe(1);
    expect((await dealer.get(`/api/v1/accounts/${t.world.accounts.acc1}/open-lines`)).statusCode).toBe(403);
  });
});
