import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FeaturePlugin } from '../src/server/app.js';
import type { PriceStep } from '../src/platform/contributions.contract.js';
import { newId } from '../src/shared/ids.js';
import { buildTestApp, type Client, type TestApp } from './build-test-app.js';
import { describeEachDialect } from './dialects.js';

/**
 * A stand-in for the pricing and rebates modules: list ¥28.00 a bag shared with 3 other accounts that
 * bought 4 000 bags in the window, a 5 % quantity discount (−¥1.40) and a 2 % rebate (−¥0.56).
 */
const testPricing: FeaturePlugin = async (_app, deps) => {
  deps.contributions.add({
    module: 'test-pricing',
    pocket: {
      permission: 'margin:read',
      list: async (_ctx, q): Promise<PriceStep[]> => [
        { id: 'test.list', module: 'test-pricing', kind: 'list', labelKey: 'test.list', params: { listId: 'L1', listName: 'Dealers East', sharedAccounts: 3, sharedQuantity: 4000 }, amountMinor: 2800 * q.quantity, currency: q.currency, order: 0 },
        { id: 'test.discount', module: 'test-pricing', kind: 'discount', labelKey: 'test.discount', params: {}, amountMinor: -140 * q.quantity, currency: q.currency, order: 10 },
        { id: 'test.rebate', module: 'test-pricing', kind: 'rebate', labelKey: 'test.rebate', params: {}, amountMinor: -56 * q.quantity, currency: q.currency, order: 20 },
      ],
    },
  });
};

const NOW = '2026-11-01T00:00:00.000Z';

describeEachDialect('competition: competitor prices, undercut alerts, the waterfall and the comparison', (dialect) => {
  let t: TestApp;
  let m1: Client, m3: Client, d1: Client, d2: Client, dealer: Client, admin: Client;
  let product2: string;
  let serviceKind: string;

  beforeAll(async () => {
    t = await buildTestApp(dialect, {}, { features: [testPricing] });
    [m1, m3, d1, d2, dealer, admin] = await Promise.all(['m1', 'm3', 'd1', 'd2', 'dealer', 'admin'].map((k) => t.login(k))) as [Client, Client, Client, Client, Client, Client];
    const k = t.db.kysely;
    product2 = newId();
    await k.insertInto('products').values({ id: product2, sku: 'PC325-B50', name_en: 'P.C 32.5 cement', name_zh: 'P.C 32.5 水泥', unit: 'bag', pack_size: 1, category: 'cement', created_at: NOW, updated_at: NOW, version: 1 }).execute();
    // acc1: 100 bags a month of the product from 2024-11 to 2026-10 at ¥26.00 net, cost ¥20.00.
    const lines: { doc_no: string; line_no: number; date: string; account_id: string; product_id: string; quantity: number; net_amount_minor: number; cost_amount_minor: number | null; currency: string; created_at: string; updated_at: string }[] = [];
    for (let i = 0; i < 24; i++) {
      const y = 2024 + Math.floor((10 + i) / 12), m = ((10 + i) % 12) + 1;
      const date = `${y}-${String(m).padStart(2, '0')}-15`;
      lines.push({ doc_no: `A1-${i}`, line_no: 1, date, account_id: t.world.accounts.acc1, product_id: t.world.product, quantity: 100, net_amount_minor: 260_000, cost_amount_minor: 200_000, currency: 'CNY', created_at: NOW, updated_at: NOW });
    }
    // acc2, 2026-01 to 2026-10: 50 bags of the product (¥1 300.00) and ¥3 900.00 of another product a month.
    for (let m = 1; m <= 10; m++) {
      const date = `2026-${String(m).padStart(2, '0')}-10`;
      lines.push({ doc_no: `A2-${m}`, line_no: 1, date, account_id: t.world.accounts.acc2, product_id: t.world.product, quantity: 50, net_amount_minor: 130_000, cost_amount_minor: null, currency: 'CNY', created_at: NOW, updated_at: NOW });
      lines.push({ doc_no: `A2-${m}`, line_no: 2, date, account_id: t.world.accounts.acc2, product_id: product2, quantity: 150, net_amount_minor: 390_000, cost_amount_minor: null, currency: 'CNY', created_at: NOW, updated_at: NOW });
    }
    await k.insertInto('sales_lines').values(lines).execute();
    const kind = await admin.post('/api/v1/service-kinds', { code: 'site-test', name: '现场检测', nameEn: 'On-site concrete test', unit: 'engineer_visit', unitCostMinor: 15_000, department: 'technical' });
    expect(kind.statusCode, kind.body).toBe(201);
    serviceKind = kind.json().id;
    // acc2 had ¥400.00 of services delivered in June 2026.
    await k.insertInto('service_usage').values({
      id: newId(), account_id: t.world.accounts.acc2, service_kind_id: serviceKind, entitlement_id: null, period_key: null, quantity: 2, status: 'delivered',
      cost_minor: 40_000, currency: 'CNY', request_id: null, reference: null, note: null, at: '2026-06-01T02:00:00.000Z', delivered_at: '2026-06-01T02:00:00.000Z',
      created_by: t.world.users.m2!, created_at: NOW, updated_at: NOW, version: 1,
    }).execute();
  });
  afterAll(async () => { await t?.close(); });

  const observe = (c: Client, body: Record<string, unknown>) => c.post('/api/v1/competitor-observations', {
    competitor: '海螺', competitorProduct: 'P.O 42.5 散装', productId: t.world.product, unit: 't', source: 'visit', ...body,
  });

  describe('the waterfall', () => {
    it('goes from list to pocket over the quantity sold, with services allocated by revenue share and freight and claims unknown', async () => {
      const res = await m1.get(`/api/v1/accounts/${t.world.accounts.acc2}/waterfall?productId=${t.world.product}`);
      expect(res.statusCode, res.body).toBe(200);
      const w = res.json();
      // Window 2025-11-27 to 2026-11-27: 10 months × 50 bags = 500.
      expect([w.from, w.to, w.quantity, w.quantityBasis]).toEqual(['2025-11-27', '2026-11-27', 500, 'sold']);
      // Services: ¥400.00 × (13 000.00 / 52 000.00 = 25 %) = ¥100.00.
      const service = w.rows.find((r: { kind: string }) => r.kind === 'service');
      expect(service).toMatchObject({ state: 'known', amountMinor: -10_000, perUnitMinor: -20, basisParams: { costMinor: 40_000, sharePercent: 25 } });
      // 1 400 000 − 70 000 − 28 000 − 10 000 = 1 292 000; per bag 2 584.
      expect([w.listMinor, w.pocketMinor, w.pocketPerUnitMinor]).toEqual([1_400_000, 1_292_000, 2584]);
      expect(w.rows.filter((r: { state: string }) => r.state === 'unknown').map((r: { kind: string; reasonKey: string }) => [r.kind, r.reasonKey]))
        .toEqual([['freight', 'competition.waterfall.notYetRecorded'], ['claim', 'competition.waterfall.notYetRecorded']]);
    });

    it('is not found for an account out of scope, and refused to a dealer', async () => {
      expect((await m3.get(`/api/v1/accounts/${t.world.accounts.acc2}/waterfall?productId=${t.world.product}`)).statusCode).toBe(404);
      expect((await dealer.get(`/api/v1/accounts/${t.world.accounts.acc1}/waterfall?productId=${t.world.product}`)).statusCode).toBe(403);
    });
  });

  describe('observations and alerts', () => {
    it('raises an alert when a price per ton undercuts the pocket price per bag by more than 5 %', async () => {
      // acc1: 1 100 bags in the window, pocket 2 800 − 140 − 56 = ¥26.04 a bag (no services).
      // ¥480.00 a ton, a ton = 20 bags → ¥24.00 a bag; (2 604 − 2 400) / 2 604 = 7.83 %.
      const res = await observe(m1, { accountId: t.world.accounts.acc1, priceMinor: 48_000, conversion: { competitorUnits: 1, ourUnits: 20 }, note: 'Seen on the dealer\'s desk' });
      expect(res.statusCode, res.body).toBe(201);
      const body = res.json();
      expect(body.observation).toMatchObject({ unitPriceMinor: 2400, province: '浙江省', accountId: t.world.accounts.acc1 });
      expect(body.undercut).toEqual({ competitorUnitMinor: 2400, pocketUnitMinor: 2604, gapMinor: 204, sharePercent: 7.83, thresholdPercent: 5, alert: true });
      expect(body.alert).toMatchObject({ status: 'open', sharePercent: 7.83, competitor: '海螺' });
    });

    it('raises none when the undercut is within the threshold', async () => {
      // ¥25.00 a bag: 104 / 2 604 = 3.99 %.
      const res = await observe(m1, { accountId: t.world.accounts.acc1, competitor: '华新', priceMinor: 2500, unit: 'bag' });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json().undercut).toMatchObject({ sharePercent: 3.99, alert: false });
      expect(res.json().alert).toBeNull();
    });

    it('refuses a price in another currency than the account\'s, and a region-only price without a province', async () => {
      const res = await observe(m1, { accountId: t.world.accounts.acc1, priceMinor: 300, currency: 'USD' });
      expect(res.statusCode).toBe(400);
      expect(res.json().errors).toEqual([{ path: 'body.currency', message: 'must be CNY' }]);
      expect((await observe(m1, { priceMinor: 2300 })).statusCode).toBe(400);
    });

    it('shows alerts and observations only within scope; region-only prices to every competitor reader; dealers are refused', async () => {
      const region = await observe(m3, { province: '江苏省', priceMinor: 2350, unit: 'bag', source: 'dealer' });
      expect(region.statusCode, region.body).toBe(201);
      expect(region.json().undercut).toBeNull();
      expect((await observe(m3, { accountId: t.world.accounts.acc1, priceMinor: 2300, unit: 'bag' })).statusCode).toBe(404);
      const alerts = async (c: Client) => (await c.get('/api/v1/undercut-alerts')).json().items.length;
      expect(await alerts(m1)).toBe(1);
      expect(await alerts(d1)).toBe(1);
      expect(await alerts(d2)).toBe(0);
      expect(await alerts(m3)).toBe(0);
      const seen = async (c: Client) => (await c.get('/api/v1/competitor-observations')).json().items.map((o: { province: string; accountId: string | null }) => o.accountId ? 'acc1' : o.province).sort();
      expect(await seen(m1)).toEqual(['acc1', 'acc1', '江苏省']);
      expect(await seen(m3)).toEqual(['江苏省']);
      for (const url of ['/api/v1/competitor-observations', '/api/v1/undercut-alerts', `/api/v1/competitor-trends?productId=${t.world.product}`, '/api/v1/competitor-offers']) {
        expect((await dealer.get(url)).statusCode, url).toBe(403);
      }
      expect((await observe(dealer, { accountId: t.world.accounts.acc1, priceMinor: 2300 })).statusCode).toBe(403);
    });

    it('puts the open alert on the manager\'s day, in the account header and on its timeline', async () => {
      const day = (await m1.get('/api/v1/home/day')).json();
      const item = day.items.find((i: { module: string }) => i.module === 'competition');
      expect(item).toMatchObject({ kind: 'undercut-alert', urgency: 'today', params: { competitor: '海螺', share: 7.83 } });
      const facts = (await m1.get(`/api/v1/accounts/${t.world.accounts.acc1}/facts`)).json().items;
      expect(facts.find((f: { id: string }) => f.id === 'competition.undercut')).toMatchObject({ value: { kind: 'percent', value: 7.83 }, status: 'act' });
      const tl = (await m1.get(`/api/v1/accounts/${t.world.accounts.acc1}/timeline?kind=competition.observation,competition.undercut`)).json().items;
      expect(tl.map((e: { kind: string }) => e.kind).sort()).toEqual(['competition.observation', 'competition.observation', 'competition.undercut']);
    });

    it('gives the trend by competitor and month and the provinces for the map', async () => {
      const res = await m1.get(`/api/v1/competitor-trends?productId=${t.world.product}`);
      expect(res.statusCode, res.body).toBe(200);
      const tr = res.json();
      expect(tr.months).toHaveLength(12);
      expect(tr.series.map((s: { competitor: string }) => s.competitor)).toEqual(['华新', '海螺']);
      const nov = tr.series.find((s: { competitor: string }) => s.competitor === '海螺').points.at(-1);
      // m1 sees the ¥24.00 at acc1 and the ¥23.50 in Jiangsu: average 2 375.
      expect(nov).toEqual({ month: '2026-11', avgUnitMinor: 2375, count: 2 });
      expect(tr.regions).toEqual([
        expect.objectContaining({ province: '江苏省', count: 1, lowestUnitMinor: 2350 }),
        expect.objectContaining({ province: '浙江省', count: 2, avgUnitMinor: 2450, lowestUnitMinor: 2400, lowestCompetitor: '海螺' }),
      ]);
    });
  });

  describe('concession against value', () => {
    const offer = () => ({
      accountId: t.world.accounts.acc1, productId: t.world.product, competitor: '海螺', offerPriceMinor: 2400, horizonMonths: 6,
      expectedUse: { [serviceKind]: 6 },
    });

    it('compares matching, the service alternative and the margin at risk, and recommends offering value', async () => {
      const res = await m1.post('/api/v1/competitor-offers/compare', offer());
      expect(res.statusCode, res.body).toBe(200);
      const c = res.json();
      // Cut 2 604 − 2 400 = 204. A flat 100 bags a month → 600 over 6 months: 204 × 600 = 122 400.
      // Others on the list: 4 000 bags a year × 6/12 = 2 000 × 204 = 408 000. Matching 530 400.
      expect(c.cutPerUnitMinor).toBe(204);
      expect([c.expectedQuantity, c.expectedLow, c.expectedHigh]).toEqual([600, 600, 600]);
      expect(c.matching).toEqual({ ownMinor: 122_400, shared: { accounts: 3, quantity: 2000, costMinor: 408_000 }, totalMinor: 530_400, totalIsLowerBound: false });
      // On-site test ¥150.00 × 6 = ¥900.00, 17 % of matching (16.97 rounded).
      expect(c.alternatives).toEqual([expect.objectContaining({ serviceKindId: serviceKind, costMinor: 90_000, shareOfMatchingPercent: 17, useBasis: 'given' })]);
      // Margin 2025-11..2026-10: 12 × (260 000 − 200 000) = 720 000; over 6 months 360 000.
      expect(c.marginBasis).toEqual({ marginMinor: 720_000, months: 12 });
      expect(c.marginAtRiskMinor).toBe(360_000);
      expect(c.recommendation).toBe('value');
      expect(c.reasonKey).toBe('competition.reason.value');
    });

    it('records the offer, the decision and the outcome, each audited, and refuses another manager\'s account', async () => {
      expect((await m3.post('/api/v1/competitor-offers', offer())).statusCode).toBe(404);
      const created = await m1.post('/api/v1/competitor-offers', offer());
      expect(created.statusCode, created.body).toBe(201);
      const o = created.json();
      expect(o).toMatchObject({ recommendation: 'value', decision: null, comparison: { matching: { totalMinor: 530_400 } } });
      expect((await m1.post(`/api/v1/competitor-offers/${o.id}/outcome`, { outcome: 'kept', version: o.version })).statusCode).toBe(409);
      expect((await m1.post(`/api/v1/competitor-offers/${o.id}/decision`, { decision: 'value', version: o.version })).statusCode).toBe(400);
      const decided = await m1.post(`/api/v1/competitor-offers/${o.id}/decision`, { decision: 'value', alternativeId: serviceKind, note: 'Two on-site tests a month', version: o.version });
      expect(decided.statusCode, decided.body).toBe(200);
      expect(decided.json()).toMatchObject({ decision: 'value', alternativeId: serviceKind, decidedBy: { id: t.world.users.m1 } });
      const done = await m1.post(`/api/v1/competitor-offers/${o.id}/outcome`, { outcome: 'kept', note: 'Stayed with us', version: decided.json().version });
      expect(done.statusCode, done.body).toBe(200);
      expect(done.json()).toMatchObject({ outcome: 'kept', outcomeNote: 'Stayed with us' });
      const audit = await t.db.kysely.selectFrom('audit_log').select(['action', 'actor_id']).where('entity_id', '=', o.id).orderBy('at').execute();
      expect(audit.map((a) => a.action)).toEqual(['competitor_offer.create', 'competitor_offer.decide', 'competitor_offer.outcome']);
      expect(audit.every((a) => a.actor_id === t.world.users.m1)).toBe(true);
      expect((await d2.get(`/api/v1/competitor-offers/${o.id}`)).statusCode).toBe(404);
      expect((await d1.get(`/api/v1/competitor-offers/${o.id}`)).statusCode).toBe(200);
      const tl = (await m1.get(`/api/v1/accounts/${t.world.accounts.acc1}/timeline?kind=competition.decision,competition.outcome`)).json().items;
      expect(tl.map((e: { titleKey: string }) => e.titleKey)).toEqual(['competition.timeline.outcome.kept', 'competition.timeline.decision.value']);
    });

    it('acknowledges an alert once, audited', async () => {
      const [alert] = (await m1.get('/api/v1/undercut-alerts')).json().items;
      const res = await m1.post(`/api/v1/undercut-alerts/${alert.id}/acknowledge`, { version: alert.version });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().status).toBe('acknowledged');
      expect((await m1.post(`/api/v1/undercut-alerts/${alert.id}/acknowledge`, { version: res.json().version })).statusCode).toBe(409);
      expect((await m1.get('/api/v1/undercut-alerts')).json().items).toEqual([]);
    });

    it('refuses to compare without a list price', async () => {
      const bare = await buildTestApp(dialect);
      try {
        const c = await bare.login('m1');
        const res = await c.post('/api/v1/competitor-offers/compare', { accountId: bare.world.accounts.acc1, productId: bare.world.product, competitor: 'x', offerPriceMinor: 100 });
        expect(res.statusCode).toBe(409);
        expect(res.json().code).toBe('no_pocket_price');
      } finally { await bare.close(); }
    });
  });
});
