import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../src/shared/ids.js';
import { buildTestApp, type Client, loginAs, type TestApp } from './build-test-app.js';
import { describeEachDialect } from './dialects.js';
import { seedWeeklySales } from './vmi-helpers.js';
import { verifySignature } from '../src/modules/vmi/vmi.signing.js';
import type { Ctx } from '../src/server/context.js';

/** The signed document's hash as anyone holding the signed lines can recompute it (decision 034). */
const digestOf = (draftId: string, draftVersion: number, decision: string, lines: { productId: string; quantity: number }[]) =>
  createHash('sha256').update(JSON.stringify({ draftId, draftVersion, decision, lines }), 'utf8').digest('hex');

/**
 * The dealer's side of VMI (decision 034). The clock stands at Thursday 2026-11-26 08:00 UTC. ACC1
 * (m1's; the `dealer` user's company) sells 70 bags a week of B (packs of 10) and 35 of C (packs
 * of 5); the rep counts 20 of each, the order is drafted and sent. A second dealer, of ACC3,
 * must see none of it.
 */
describeEachDialect('vmi portal: the dealer signs its own orders, and only those', (dialect) => {
  let t: TestApp;
  let m1: Client, dealer: Client, dealer3: Client;
  let B: string, C: string;
  const acc1 = () => t.world.accounts.acc1;
  const ctxOf = (): Ctx => ({ db: t.db, clock: t.clock, actor: { userId: t.world.users.admin!, role: 'admin' } } as unknown as Ctx);

  beforeAll(async () => {
    t = await buildTestApp(dialect);
    [m1, dealer] = await Promise.all(['m1', 'dealer'].map((k) => t.login(k))) as [Client, Client];
    const k = t.db.kysely;
    const d = await k.selectFrom('users').selectAll().where('email', '=', 'dealer@test.local').executeTakeFirstOrThrow();
    await k.insertInto('users').values({ ...d, id: newId(), email: 'dealer3@test.local', name: 'Dealer of ACC3', account_id: t.world.accounts.acc3 }).execute();
    dealer3 = await loginAs(t.app, 'dealer3@test.local');
    [B, C] = await seedWeeklySales(t.db, acc1(), [{ letter: 'B', packSize: 10, weekly: 70 }, { letter: 'C', packSize: 5, weekly: 35 }]) as [string, string];
    const settings = {
      enabled: true, leadTimeDays: 3, rhythm: { weekdays: ['thu'], everyWeeks: 1 }, expiryHours: 72,
      lines: [{ productId: B, policy: { kind: 'minMax', minDays: 7, maxDays: 14 } }, { productId: C, policy: { kind: 'minMax', minDays: 7, maxDays: 14 } }],
    };
    expect((await m1.put(`/api/v1/vmi/accounts/${acc1()}/settings`, settings)).statusCode).toBe(200);
  });
  afterAll(async () => t?.close());

  /** Counts 20 of each (a new count id each time), edits B with an internal note, and sends: the sent order. */
  async function sentOrder(): Promise<{ id: string; number: string; version: number; arrival: string }> {
    const count = await m1.post(`/api/v1/vmi/accounts/${acc1()}/counts`, { clientId: newId(), countedAt: t.clock.now().toISOString(), lines: [{ productId: B, onHand: 20 }, { productId: C, onHand: 20 }] });
    expect(count.statusCode, count.body).toBe(200);
    const d = count.json().draft;
    const edited = await m1.patch(`/api/v1/vmi/drafts/${d.id}/lines/${B}`, { quantity: 150, reasonCode: 'other', note: 'INTERNAL: dealer is short of cash, margin thin', version: d.version });
    expect(edited.statusCode, edited.body).toBe(200);
    const sent = await m1.post(`/api/v1/vmi/drafts/${d.id}/send`, { version: edited.json().version });
    expect(sent.statusCode, sent.body).toBe(200);
    return sent.json();
  }

  describe('one sent order', () => {
    let o: { id: string; number: string; version: number; arrival: string };
    beforeAll(async () => { o = await sentOrder(); });

    it('the dealer lists and opens it without anything internal; a draft still being prepared is not shown', async () => {
      // A new draft of the same account, not sent: the dealer does not see it.
      const prepared = await m1.post(`/api/v1/vmi/accounts/${acc1()}/drafts`, {});
      expect(prepared.statusCode, prepared.body).toBe(201);
      const list = await dealer.get('/api/v1/portal/vmi/orders');
      expect(list.statusCode, list.body).toBe(200);
      expect(list.json()).toMatchObject({ total: 1, items: [{ id: o.id, number: o.number, status: 'sent', version: o.version }] });
      const one = await dealer.get(`/api/v1/portal/vmi/orders/${o.id}`);
      expect(one.statusCode, one.body).toBe(200);
      const body = one.json();
      expect(Object.keys(body.lines[0]).sort()).toEqual(['maxQuantity', 'minQuantity', 'packUnits', 'productId', 'productNameEn', 'productNameZh', 'quantity', 'sku', 'unit']);
      for (const hidden of ['why', 'notes', 'edits', 'exceptions', 'INTERNAL', 'margin', 'cost', 'onHand', 'suggestedQuantity', 'reasonCode', 'Demand']) expect(one.body, hidden).not.toContain(hidden);
      expect(body.lines.find((l: { productId: string }) => l.productId === B)).toMatchObject({ quantity: 150, minQuantity: 120, maxQuantity: 180 });
      const cards = (await dealer.get('/api/v1/portal/cards')).json();
      expect(JSON.stringify(cards)).toContain(o.number);
      // Cancel the prepared one so it does not linger.
      expect((await m1.post(`/api/v1/vmi/drafts/${prepared.json().id}/cancel`, { version: prepared.json().version, reason: 'test' })).statusCode).toBe(200);
    });

    it('another dealer neither sees nor signs it (404)', async () => {
      expect((await dealer3.get('/api/v1/portal/vmi/orders')).json()).toEqual({ items: [], total: 0 });
      expect((await dealer3.get(`/api/v1/portal/vmi/orders/${o.id}`)).statusCode).toBe(404);
      const sign = await dealer3.post(`/api/v1/portal/vmi/orders/${o.id}/sign`, { decision: 'accept', version: o.version });
      expect(sign.statusCode).toBe(404);
      expect((await dealer.get(`/api/v1/vmi/drafts/${o.id}`)).statusCode).toBe(403);
    });

    it('a later edit needs a new signature: the version the dealer saw is refused', async () => {
      const seen = o.version;
      const edit = await m1.patch(`/api/v1/vmi/drafts/${o.id}/lines/${B}`, { quantity: 160, reasonCode: 'dealer_request', version: seen });
      expect(edit.statusCode, edit.body).toBe(200);
      const old = await dealer.post(`/api/v1/portal/vmi/orders/${o.id}/sign`, { decision: 'accept', version: seen });
      expect(old.statusCode).toBe(409);
      expect(old.json()).toMatchObject({ code: 'stale_version', currentVersion: seen + 1 });
      expect(old.json().detail).toContain('A later edit needs a new signature');
      o.version = edit.json().version;
      expect((await dealer.get(`/api/v1/portal/vmi/orders/${o.id}`)).json().lines.find((l: { productId: string }) => l.productId === B)).toMatchObject({ quantity: 160, minQuantity: 128, maxQuantity: 192 });
    });

    it('a change outside a line\'s bounds is refused naming the line, and nothing is signed', async () => {
      const res = await dealer.post(`/api/v1/portal/vmi/orders/${o.id}/sign`, { decision: 'change', version: o.version, lines: [{ productId: B, quantity: 300 }] });
      expect(res.statusCode).toBe(400);
      expect(res.json().detail).toContain('line VMI-B: 300 is outside the allowed 128–192');
      expect(res.json().errors).toEqual([expect.objectContaining({ path: 'body.lines.0.quantity' })]);
      expect(await t.db.kysely.selectFrom('vmi_signatures').selectAll().execute()).toEqual([]);
      const unknown = await dealer.post(`/api/v1/portal/vmi/orders/${o.id}/sign`, { decision: 'change', version: o.version, lines: [{ productId: newId(), quantity: 1 }] });
      expect(unknown.json().errors).toEqual([expect.objectContaining({ path: 'body.lines.0.productId' })]);
    });

    it('the signature binds exactly the signed lines, and they become open delivery order lines promised for the arrival', async () => {
      const sentC = (await dealer.get(`/api/v1/portal/vmi/orders/${o.id}`)).json().lines.find((l: { productId: string }) => l.productId === C).quantity;
      const res = await dealer.post(`/api/v1/portal/vmi/orders/${o.id}/sign`, { decision: 'change', version: o.version, lines: [{ productId: B, quantity: 140 }] });
      expect(res.statusCode, res.body).toBe(200);
      const { signature, order } = res.json();
      const signed = [{ productId: B, quantity: 140 }, ...(sentC > 0 ? [{ productId: C, quantity: sentC }] : [])].sort((a, b) => (a.productId < b.productId ? -1 : 1));
      expect(signature).toMatchObject({ decision: 'change', draftVersion: o.version, lines: signed, orderNo: o.number, signedBy: { name: 'User dealer' } });
      expect(signature.hash).toBe(digestOf(o.id, o.version, 'change', signed));
      expect(order).toEqual({ orderNo: o.number, lineCount: signed.length, promisedDate: o.arrival });
      const lines = await t.db.kysely.selectFrom('order_lines').select(['order_no', 'product_id', 'quantity', 'status', 'promised_date', 'ordered_date']).where('order_no', '=', o.number).orderBy('line_no').execute();
      expect(lines.map((l) => ({ productId: l.product_id, quantity: Number(l.quantity) })).sort((a, b) => (a.productId! < b.productId! ? -1 : 1))).toEqual(signed);
      for (const l of lines) expect(l).toMatchObject({ status: 'open', promised_date: o.arrival, ordered_date: '2026-11-26' });
      const staff = (await m1.get(`/api/v1/vmi/drafts/${o.id}`)).json();
      expect(staff).toMatchObject({ status: 'signed', orderNo: o.number, signatureValid: true, signature: { hash: signature.hash } });
      expect(await verifySignature(ctxOf(), o.id)).toBe(true);
      // Signed once: a second signature is refused.
      expect((await dealer.post(`/api/v1/portal/vmi/orders/${o.id}/sign`, { decision: 'accept', version: staff.version })).json()).toMatchObject({ status: 409, code: 'draft_status' });
      // The rep is told.
      const told = await t.db.kysely.selectFrom('notifications').select(['user_id', 'kind']).where('entity_id', '=', o.id).where('kind', '=', 'vmi.signed').execute();
      expect(told).toEqual([{ user_id: t.world.users.m1, kind: 'vmi.signed' }]);
    });

    it('shows on the account header, the timeline and the rep\'s day', async () => {
      const facts = (await m1.get(`/api/v1/accounts/${acc1()}/facts`)).json();
      const ids = JSON.stringify(facts);
      expect(ids).toContain('vmi.exceptions');
      const timeline = (await m1.get(`/api/v1/accounts/${acc1()}/timeline`)).json();
      const kinds = (timeline.items as { kind: string; params: { number?: string } }[]).filter((e) => e.kind.startsWith('vmi.'));
      expect(kinds.filter((e) => e.params.number === o.number).map((e) => e.kind).sort()).toEqual(['vmi.sent', 'vmi.signed']);
      const day = (await m1.get('/api/v1/home/day')).json();
      expect(JSON.stringify(day)).toContain(`vmi:${o.id}`);
    });

    it('a stored signature whose lines were altered no longer verifies', async () => {
      const row = await t.db.kysely.selectFrom('vmi_signatures').selectAll().where('draft_id', '=', o.id).executeTakeFirstOrThrow();
      const lines = JSON.parse(row.lines_json) as { productId: string; quantity: number }[];
      lines[0]!.quantity += 10;
      await t.db.kysely.updateTable('vmi_signatures').set({ lines_json: JSON.stringify(lines) }).where('id', '=', row.id).execute();
      expect(await verifySignature(ctxOf(), o.id)).toBe(false);
      expect((await m1.get(`/api/v1/vmi/drafts/${o.id}`)).json().signatureValid).toBe(false);
      await t.db.kysely.updateTable('vmi_signatures').set({ lines_json: row.lines_json }).where('id', '=', row.id).execute();
      expect(await verifySignature(ctxOf(), o.id)).toBe(true);
    });

    it('a signed order whose delivery order was not made gets it when the dealer tries again, once', async () => {
      const k = t.db.kysely;
      await k.deleteFrom('order_lines').where('order_no', '=', o.number).execute();
      await k.updateTable('vmi_drafts').set({ order_no: null }).where('id', '=', o.id).execute();
      const version = (await m1.get(`/api/v1/vmi/drafts/${o.id}`)).json().version;
      const again = await dealer.post(`/api/v1/portal/vmi/orders/${o.id}/sign`, { decision: 'accept', version });
      expect(again.statusCode, again.body).toBe(200);
      expect(again.json()).toMatchObject({ signature: { decision: 'change', draftVersion: o.version }, order: { orderNo: o.number } });
      expect(await k.selectFrom('vmi_signatures').selectAll().where('draft_id', '=', o.id).execute()).toHaveLength(1);
      const n = (await k.selectFrom('order_lines').select('id').where('order_no', '=', o.number).execute()).length;
      expect(n).toBeGreaterThan(0);
      expect((await dealer.post(`/api/v1/portal/vmi/orders/${o.id}/sign`, { decision: 'accept', version })).json().code).toBe('draft_status');
      expect((await k.selectFrom('order_lines').select('id').where('order_no', '=', o.number).execute()).length).toBe(n);
    });
  });

  describe('rejection and expiry', () => {
    it('a rejection needs a reason, makes no order, and tells the rep', async () => {
      const o = await sentOrder();
      expect((await dealer.post(`/api/v1/portal/vmi/orders/${o.id}/sign`, { decision: 'reject', version: o.version })).statusCode).toBe(400);
      const res = await dealer.post(`/api/v1/portal/vmi/orders/${o.id}/sign`, { decision: 'reject', version: o.version, reason: 'Our warehouse is full until January' });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ order: null, signature: { decision: 'reject', reason: 'Our warehouse is full until January', lines: [] } });
      expect(await t.db.kysely.selectFrom('order_lines').selectAll().where('order_no', '=', o.number).execute()).toEqual([]);
      expect((await m1.get(`/api/v1/vmi/drafts/${o.id}`)).json()).toMatchObject({ status: 'rejected', signatureValid: true, orderNo: null });
    });

    it('an expired order cannot be signed (410, status expired); the signed one shows as overdue in the delivery view once its promise passes', async () => {
      const o = await sentOrder();
      t.clock.advance(73 * 3_600_000);
      const res = await dealer.post(`/api/v1/portal/vmi/orders/${o.id}/sign`, { decision: 'accept', version: o.version });
      expect(res.statusCode).toBe(410);
      expect(res.json()).toMatchObject({ status: 410, code: 'draft_expired', draftStatus: 'expired' });
      expect((await dealer.get(`/api/v1/portal/vmi/orders/${o.id}`)).json().status).toBe('expired');
      expect((await m1.get(`/api/v1/vmi/drafts/${o.id}`)).json().status).toBe('expired');
      expect(await t.db.kysely.selectFrom('notifications').select(['user_id']).where('entity_id', '=', o.id).where('kind', '=', 'vmi.expired').execute()).toEqual([{ user_id: t.world.users.m1 }]);
      // Two more days: the first order's promise (Sun 29th) has passed and it is not delivered.
      t.clock.advance(48 * 3_600_000);
      const overdue = await m1.get(`/api/v1/delivery/overdue-lines?accountId=${acc1()}`);
      expect(overdue.statusCode, overdue.body).toBe(200);
      expect(overdue.json().items.map((l: { orderNo: string }) => l.orderNo)).toContain('VMI-2026-00001');
    });
  });
});
