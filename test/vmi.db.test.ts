import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../src/shared/ids.js';
import { buildTestApp, type Client, type TestApp } from './build-test-app.js';
import { describeEachDialect } from './dialects.js';
import { seedWeeklySales } from './vmi-helpers.js';
import { loadConfig } from '../src/server/config.js';
import type { Ctx } from '../src/server/context.js';
import { systemActor } from '../src/modules/auth/auth.domain.js';
import { draftDueOrders } from '../src/modules/vmi/vmi.service.js';

/**
 * VMI drafts through the API (decision 034). The clock stands at Thursday 2026-11-26 08:00 UTC
 * (16:00 in Shanghai, the dealer's day 2026-11-26). ACC1 (m1's, the dealer user's) sells 70 bags a
 * week of product B (packs of 10 bags) and 14 a week of product C (packs of 5); the rep visits on
 * Thursdays; the lane takes 3 days: this order arrives Sun 29th, the next one Sun 6 Dec.
 */
describeEachDialect('vmi: settings, drafting, counts, edits and sending', (dialect) => {
  let t: TestApp;
  let m1: Client, m3: Client, exec: Client;
  let B: string, C: string;
  const acc1 = () => t.world.accounts.acc1;

  beforeAll(async () => {
    t = await buildTestApp(dialect);
    [m1, m3, exec] = await Promise.all(['m1', 'm3', 'exec'].map((k) => t.login(k))) as [Client, Client, Client];
    // Twelve weeks of sales: 70 of B and 14 of C each week, booked on the Wednesdays before the clock.
    [B, C] = await seedWeeklySales(t.db, acc1(), [{ letter: 'B', packSize: 10, weekly: 70 }, { letter: 'C', packSize: 5, weekly: 14 }]) as [string, string];
  });
  afterAll(async () => t?.close());

  const settings = (over: Record<string, unknown> = {}) => ({
    enabled: true, leadTimeDays: 3, rhythm: { weekdays: ['thu'], everyWeeks: 1 }, expiryHours: 72,
    lines: [
      { productId: B, policy: { kind: 'minMax', minDays: 7, maxDays: 14 }, packKg: 500 },
      { productId: C, policy: { kind: 'minMax', minDays: 7, maxDays: 14 }, changeDownPct: 50, changeUpPct: 0 },
    ],
    ...over,
  });

  describe('settings', () => {
    it('answers the defaults before anything is saved: 7 days without delivery history, the default rhythm, 72 hours', async () => {
      const res = await m1.get(`/api/v1/vmi/accounts/${acc1()}/settings`);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ stored: false, enabled: false, leadTimeDays: 7, leadTimeSource: 'default', rhythmSource: 'default', expiryHours: 72, lines: [] });
    });

    it('saves the settings with pack units from the product, audits them, and refuses another manager\'s account', async () => {
      const res = await m1.put(`/api/v1/vmi/accounts/${acc1()}/settings`, settings());
      expect(res.statusCode, res.body).toBe(200);
      const s = res.json();
      expect(s).toMatchObject({ stored: true, enabled: true, leadTimeDays: 3, leadTimeSource: 'set', rhythm: { weekdays: ['thu'], everyWeeks: 1 }, version: 1 });
      expect(s.lines.map((l: { sku: string; packUnits: number; changeDownPct: number; changeUpPct: number }) => [l.sku, l.packUnits, l.changeDownPct, l.changeUpPct])).toEqual([['VMI-B', 10, 20, 20], ['VMI-C', 5, 50, 0]]);
      const audit = await t.db.kysely.selectFrom('audit_log').select('action').where('entity', '=', 'vmi_settings').where('entity_id', '=', acc1()).execute();
      expect(audit.map((a) => a.action)).toEqual(['vmi.settings']);
      expect((await m3.put(`/api/v1/vmi/accounts/${acc1()}/settings`, settings())).statusCode).toBe(404);
      expect((await exec.put(`/api/v1/vmi/accounts/${acc1()}/settings`, settings())).statusCode).toBe(403);
    });
  });

  describe('a rep\'s count drafts the order; edits, sending and cancelling', () => {
    let draftId: string;
    let version: number;
    const clientId = newId();

    it('saves a count as dealer stock reports and drafts the order from it', async () => {
      const body = { clientId, countedAt: '2026-11-26T03:00:00Z', lines: [{ productId: B, onHand: 20 }, { productId: C, onHand: 100 }] };
      const res = await m1.post(`/api/v1/vmi/accounts/${acc1()}/counts`, body);
      expect(res.statusCode, res.body).toBe(200);
      const out = res.json();
      expect(out).toMatchObject({ saved: 2, duplicate: false });
      const d = out.draft;
      draftId = d.id; version = d.version;
      expect(d).toMatchObject({ number: 'VMI-2026-00001', status: 'draft', asOf: '2026-11-26', arrival: '2026-11-29', nextArrival: '2026-12-06', leadTimeDays: 3, version: 1 });
      const b = d.lines.find((l: { productId: string }) => l.productId === B);
      const c = d.lines.find((l: { productId: string }) => l.productId === C);
      // B: 10 a day over the 10 days to the next arrival plus 7 days of min is far above the 20 on hand:
      // order up to 17 days of supply at arrival (170) less the position (20) = 150: 15 packs of 10.
      expect(b).toMatchObject({ onHand: 20, inTransit: 0, suggestedQuantity: 150, quantity: 150, packUnits: 10, edited: false, minQuantity: 120, maxQuantity: 180 });
      expect(b.why[0]).toBe('On hand 20 as reported on 2026-11-26');
      // C: 2 a day; 100 on hand lasts 50 days: nothing to order.
      expect(c).toMatchObject({ onHand: 100, suggestedQuantity: 0, quantity: 0 });
      const reports = await t.db.kysely.selectFrom('dealer_stock_reports').select(['product_id', 'on_hand', 'source', 'report_date']).where('account_id', '=', acc1()).orderBy('on_hand').execute();
      expect(reports.map((r) => [r.source, r.report_date, Number(r.on_hand)])).toEqual([['count', '2026-11-26', 20], ['count', '2026-11-26', 100]]);
    });

    it('an offline count sent twice saves once and answers duplicate', async () => {
      const body = { clientId, countedAt: '2026-11-26T03:00:00Z', lines: [{ productId: B, onHand: 20 }, { productId: C, onHand: 100 }] };
      const again = await m1.post(`/api/v1/vmi/accounts/${acc1()}/counts`, body);
      expect(again.statusCode, again.body).toBe(200);
      expect(again.json()).toMatchObject({ saved: 0, duplicate: true, draft: { id: draftId, version: 1 } });
      const n = await t.db.kysely.selectFrom('dealer_stock_reports').select((eb) => eb.fn.countAll<number>().as('n')).where('account_id', '=', acc1()).executeTakeFirstOrThrow();
      expect(Number(n.n)).toBe(2);
      const counts = await t.db.kysely.selectFrom('vmi_counts').selectAll().execute();
      expect(counts).toHaveLength(1);
      // Both at once (the outbox and a retry racing): still one count.
      const other = { ...body, clientId: newId(), lines: [{ productId: B, onHand: 30 }] };
      const [a, b] = await Promise.all([m1.post(`/api/v1/vmi/accounts/${acc1()}/counts`, other), m1.post(`/api/v1/vmi/accounts/${acc1()}/counts`, other)]);
      expect([a.json().duplicate, b.json().duplicate].sort()).toEqual([false, true]);
      expect(await t.db.kysely.selectFrom('vmi_counts').selectAll().execute()).toHaveLength(2);
      const latest = (await m1.get(`/api/v1/vmi/drafts/${draftId}`)).json();
      expect(latest.lines.find((l: { productId: string }) => l.productId === B)).toMatchObject({ onHand: 30, suggestedQuantity: 140 });
      version = latest.version;
    });

    it('edits a line with a reason; a stale version is a 409 problem; other needs a note', async () => {
      const url = `/api/v1/vmi/drafts/${draftId}/lines/${B}`;
      const noNote = await m1.patch(url, { quantity: 160, reasonCode: 'other', version });
      expect(noNote.statusCode).toBe(400);
      const ok = await m1.patch(url, { quantity: 160, reasonCode: 'known_project', note: 'A school site starts next week', version });
      expect(ok.statusCode, ok.body).toBe(200);
      const d = ok.json();
      expect(d.version).toBe(version + 1);
      expect(d.lines.find((l: { productId: string }) => l.productId === B)).toMatchObject({ quantity: 160, suggestedQuantity: 140, edited: true, reasonCode: 'known_project', minQuantity: 128, maxQuantity: 192 });
      expect(d.edits).toEqual([expect.objectContaining({ productId: B, fromQuantity: 140, toQuantity: 160, reasonCode: 'known_project', by: { id: t.world.users.m1, name: 'User m1' } })]);
      const stale = await m1.patch(url, { quantity: 170, reasonCode: 'promotion', version });
      expect(stale.statusCode).toBe(409);
      expect(stale.headers['content-type']).toContain('application/problem+json');
      expect(stale.json()).toMatchObject({ status: 409, code: 'stale_version' });
      version = d.version;
    });

    it('recomputing keeps the rep\'s edited line and refreshes the others', async () => {
      const res = await m1.post(`/api/v1/vmi/accounts/${acc1()}/drafts`, {});
      expect(res.statusCode, res.body).toBe(201);
      const d = res.json();
      expect(d.id).toBe(draftId);
      expect(d.version).toBe(version + 1);
      expect(d.lines.find((l: { productId: string }) => l.productId === B)).toMatchObject({ quantity: 160, suggestedQuantity: 140, reasonCode: 'known_project', note: 'A school site starts next week' });
      version = d.version;
    });

    it('sends the order: 72 hours to sign, the dealer notified, audited; a sent order cannot be sent again', async () => {
      const res = await m1.post(`/api/v1/vmi/drafts/${draftId}/send`, { version });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ status: 'sent', expiresAt: '2026-11-29T08:00:00.000Z', sentBy: { id: t.world.users.m1 } });
      const notes = await t.db.kysely.selectFrom('notifications').select(['user_id', 'kind']).where('entity_id', '=', draftId).execute();
      expect(notes).toEqual([{ user_id: t.world.users.dealer, kind: 'vmi.sign' }]);
      expect((await m1.post(`/api/v1/vmi/drafts/${draftId}/send`, { version: version + 1 })).json()).toMatchObject({ status: 409, code: 'draft_status' });
      const audit = await t.db.kysely.selectFrom('audit_log').select('action').where('entity_id', '=', draftId).orderBy('at').orderBy('id').execute();
      expect(audit.map((a) => a.action)).toEqual(['vmi.draft', 'vmi.recompute', 'vmi.edit', 'vmi.recompute', 'vmi.send']);
    });

    it('lists, scopes and boards the orders', async () => {
      const list = (await m1.get(`/api/v1/vmi/drafts?accountId=${acc1()}`)).json();
      expect(list).toMatchObject({ total: 1, items: [{ id: draftId, status: 'sent', lineCount: 2, totalQuantity: 160 }] });
      expect((await m3.get(`/api/v1/vmi/drafts/${draftId}`)).statusCode).toBe(404);
      expect((await m3.get('/api/v1/vmi/drafts')).json().total).toBe(0);
      expect((await exec.get(`/api/v1/vmi/drafts/${draftId}`)).statusCode).toBe(200);
      const board = await exec.get('/api/v1/vmi/exceptions?from=2026-11-01&to=2026-12-31');
      expect(board.statusCode, board.body).toBe(200);
      for (const row of board.json().items) expect(row).toMatchObject({ draftId, draftNumber: 'VMI-2026-00001', account: { id: acc1() } });
      // One kind: the server filters, so the page and its total are of that kind only.
      const all = board.json() as { items: { kind: string }[]; total: number };
      expect(all.total).toBeGreaterThan(0);
      for (const kind of ['stockout', 'belowMin', 'aboveMax', 'slowMover']) {
        const one = (await exec.get(`/api/v1/vmi/exceptions?from=2026-11-01&to=2026-12-31&kind=${kind}`)).json() as { items: { kind: string }[]; total: number };
        expect(one.total, kind).toBe(all.items.filter((r) => r.kind === kind).length);
        expect(one.items.every((r) => r.kind === kind)).toBe(true);
      }
      expect((await exec.get('/api/v1/vmi/exceptions?kind=late')).statusCode).toBe(400);
    });

    it('cancels with a reason; a cancelled order cannot be edited', async () => {
      // A second account's order to cancel: ACC2 (m2's, with m1 on its team).
      const acc2 = t.world.accounts.acc2;
      expect((await m1.put(`/api/v1/vmi/accounts/${acc2}/settings`, settings())).statusCode).toBe(200);
      const d = (await m1.post(`/api/v1/vmi/accounts/${acc2}/drafts`, { asOf: '2026-11-26' })).json();
      expect(d).toMatchObject({ number: 'VMI-2026-00002', status: 'draft' });
      const res = await m1.post(`/api/v1/vmi/drafts/${d.id}/cancel`, { version: d.version, reason: 'The dealer is closing the warehouse' });
      expect(res.json()).toMatchObject({ status: 'cancelled', cancelReason: 'The dealer is closing the warehouse' });
      expect((await m1.patch(`/api/v1/vmi/drafts/${d.id}/lines/${B}`, { quantity: 1, reasonCode: 'cash', version: res.json().version })).json().code).toBe('draft_status');
    });
  });

  describe('what a draft is drafted from', () => {
    it('takes the lead time from the delivery history, counts open order lines as in transit, and holds the arrival past a warning over the site', async () => {
      const acc4 = t.world.accounts.acc4;
      const admin = await t.login('admin');
      const logistics = await t.login('logistics');
      // Order → promise: 4, 5, 9 days (delivered) and 5 (open, 50 of B coming on the 28th): the median is 5.
      const line = (key: string, ordered: string, promised: string, status: 'open' | 'delivered', quantity = 10) => ({
        sourceKey: key, accountCode: 'ACC4', orderNo: key, productSku: 'VMI-B', quantity, orderedDate: ordered, promisedDate: promised, status,
        shipments: status === 'delivered' ? [{ sourceKey: `${key}/s`, deliveredDate: promised, quantity }] : [],
      });
      const batch = await logistics.post('/api/v1/delivery/order-lines', { lines: [
        line('H1', '2026-10-01', '2026-10-05', 'delivered'), line('H2', '2026-10-10', '2026-10-15', 'delivered'), line('H3', '2026-10-20', '2026-10-29', 'delivered'),
        line('OPEN', '2026-11-23', '2026-11-28', 'open', 50),
      ] });
      expect(batch.statusCode, batch.body).toBe(200);
      // The visit program: a fortnightly Tuesday visit.
      await t.db.kysely.insertInto('call_plans').values({
        id: newId(), account_id: acc4, site_id: null, manager_id: t.world.users.m1!, route_id: null, route_position: null, rrule: 'FREQ=WEEKLY;INTERVAL=2;BYDAY=TU', time_zone: 'Asia/Shanghai',
        weekday: 'tue', start_time: '09:00', duration_minutes: 60, interval_weeks: 2, anchor_date: '2026-11-03', ends_on: null, time_fixed: 0, tolerance_minutes: 30, status: 'active',
        created_at: '2026-11-01T00:00:00.000Z', updated_at: '2026-11-01T00:00:00.000Z', version: 1,
      }).execute();
      const put = await admin.put(`/api/v1/vmi/accounts/${acc4}/settings`, settings({ leadTimeDays: null, rhythm: null }));
      expect(put.json()).toMatchObject({ leadTimeDays: 5, leadTimeSource: 'delivery_history', rhythm: { weekdays: ['tue'], everyWeeks: 2 }, rhythmSource: 'visit_program' });
      const k = t.db.kysely;
      const siteId = t.world.records.acc4!.site;
      // A typhoon warning over the warehouse from today to 2 December: the order cannot arrive before the 3rd.
      const alertId = newId();
      await k.insertInto('hazard_alerts').values({
        id: alertId, sender: 'test', identifier: 'W1', sent_at: '2026-11-26T00:00:00.000Z', sent_text: '2026-11-26T08:00:00+08:00', status: 'Actual', msg_type: 'Alert', thread_key: 'test/W1',
        expires_at: '2026-12-02T12:00:00.000Z', headline: 'Typhoon warning', headlines_json: null, event: 'Typhoon', severity: 'Severe', urgency: 'Expected', certainty: 'Likely',
        languages: 'en', alert_json: '{}', warnings_json: null, source: 'upload', feed_id: null, file_path: null, received_at: '2026-11-26T00:00:00.000Z', received_by: null,
      }).execute();
      await k.insertInto('hazard_matches').values({
        id: newId(), thread_key: 'test/W1', alert_id: alertId, area_id: 'a1', area_label: null, site_id: siteId, account_id: acc4, inside: 1, distance_m: 0,
        first_matched_at: '2026-11-26T00:00:00.000Z', last_seen_at: '2026-11-26T00:00:00.000Z', ended_at: null, end_reason: null,
      }).execute();
      const res = await admin.post(`/api/v1/vmi/accounts/${acc4}/drafts`, { asOf: '2026-11-26' });
      expect(res.statusCode, res.body).toBe(201);
      const d = res.json();
      // Without the warning it would arrive on 1 December (5 days).
      expect(d).toMatchObject({ leadTimeDays: 5, arrival: '2026-12-03' });
      // The next visit is a Tuesday of the fortnightly rhythm, its weeks counted from the order date's (decision 030).
      expect(d).toMatchObject({ nextVisit: '2026-12-08', nextArrival: '2026-12-13' });
      expect(d.lines.find((l: { productId: string }) => l.productId === B)).toMatchObject({ onHand: 0, inTransit: 50 });
      expect(JSON.stringify(d.lines)).toContain('Typhoon warning');
    });

    it('refuses to draft for an account without VMI', async () => {
      const res = await m3.post(`/api/v1/vmi/accounts/${t.world.accounts.acc3}/drafts`, {});
      expect(res.statusCode).toBe(409);
      expect(res.json().code).toBe('vmi_disabled');
    });
  });

  it('recomputes one dealer\'s order of 20 products with two years of weekly sales after each stock count, keeping one draft (its time is measured by bench/vmi.ts)', async () => {
    const acc3 = t.world.accounts.acc3;
    const k = t.db.kysely;
    const NOW = '2026-11-01T00:00:00.000Z';
    const ids = Array.from({ length: 20 }, () => newId());
    await k.insertInto('products').values(ids.map((id, i) => ({ id, sku: `BENCH-${i}`, name_en: `Bench ${i}`, name_zh: `基准${i}`, unit: 'bag', pack_size: 10, category: 'cement', created_at: NOW, updated_at: NOW, version: 1 }))).execute();
    const rows = [];
    for (let w = 0; w < 104; w++) {
      const date = new Date(Date.parse('2026-11-25T00:00:00Z') - w * 7 * 86_400_000).toISOString().slice(0, 10);
      // Seasonal, trending, a little noisy: a different series per product.
      for (let i = 0; i < ids.length; i++) {
        const q = Math.max(0, Math.round(40 + 2 * i + 15 * Math.sin((2 * Math.PI * w) / 52 + i) - 0.1 * w + ((w * 7 + i * 13) % 11) - 5));
        rows.push({ doc_no: `B-${w}`, line_no: i + 1, date, account_id: acc3, product_id: ids[i]!, quantity: q, net_amount_minor: q * 3000, cost_amount_minor: q * 2000, currency: 'CNY', created_at: NOW, updated_at: NOW });
      }
    }
    for (let i = 0; i < rows.length; i += 200) await k.insertInto('sales_lines').values(rows.slice(i, i + 200)).execute();
    const put = await m3.put(`/api/v1/vmi/accounts/${acc3}/settings`, settings({
      lines: ids.map((productId, i) => ({ productId, policy: i % 2 ? { kind: 'minMax', minDays: 7, maxDays: 21 } : { kind: 'service', level: 0.95 } })),
    }));
    expect(put.statusCode, put.body).toBe(200);
    const draftIds = new Set<string>();
    for (let n = 0; n < 6; n++) {
      const res = await m3.post(`/api/v1/vmi/accounts/${acc3}/counts`, { clientId: newId(), countedAt: '2026-11-26T04:00:00Z', lines: ids.map((productId, i) => ({ productId, onHand: 30 + i + n })) });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().draft.lines).toHaveLength(20);
      draftIds.add(res.json().draft.id);
    }
    expect(draftIds.size).toBe(1);
  }, 60_000);

  it('drafts the week\'s orders on each account\'s visit day, once per visit, and reports none on other days', async () => {
    const ctx = { db: t.db, clock: t.clock, config: loadConfig({ OPENKAM_DATA_DIR: '/tmp/openkam-test', LOG_LEVEL: 'silent' }), jobs: null as never, contributions: null as never, actor: systemActor('test'), requestId: 'test' } as unknown as Ctx;
    const acc3 = t.world.accounts.acc3;
    // acc3 is visited on Thursdays (its settings above) and has a draft as of Thursday 26 Nov.
    const wednesday = await draftDueOrders(ctx, '2026-12-02');
    expect(wednesday).toMatchObject({ due: 0, drafted: [], failed: [] });
    const thursday = await draftDueOrders(ctx, '2026-12-03');
    expect(thursday.failed).toEqual([]);
    const d3 = (await t.db.kysely.selectFrom('vmi_drafts').select(['id', 'as_of', 'status']).where('account_id', '=', acc3).where('status', '=', 'draft').execute());
    expect(d3).toHaveLength(1);
    expect(d3[0]!.as_of).toBe('2026-12-03');
    expect(thursday.drafted).toContain(d3[0]!.id);
    const again = await draftDueOrders(ctx, '2026-12-03');
    expect(again.drafted).not.toContain(d3[0]!.id);
  }, 60_000);
});
