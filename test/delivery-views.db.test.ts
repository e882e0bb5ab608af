import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgendaItem, PortalCard, TimelineEvent } from '../src/platform/contributions.contract.js';
import { buildTestApp, type Client, type TestApp } from './build-test-app.js';
import { describeEachDialect } from './dialects.js';

/**
 * What the delivery screens read beside OTIF: overdue open lines, the dealer's own on-time figure,
 * shipments of a month, and the timeline, day and portal contributions. The clock stands at
 * 2026-11-26. ACC1 (m1's, the dealer's own):
 *   A/1 promised 10-05, 10 of 10 delivered 10-08: 3 days late.
 *   A/2 promised 11-10, open, 5 shipped 11-20 and not delivered: overdue 16 days, on the way.
 *   A/3 promised 11-20, open, 4 of 10 delivered 11-21: overdue 6 days (not in full), that shipment 1 day late.
 *   B/1 promised 11-30, open: not due yet.
 *   C/1 promised 11-01, delivered 11-01 without a quantity (the whole line): on time.
 *   D/1 promised 11-15, still open but 10 of 10 delivered 11-14: not overdue; a day early, so not on time with no tolerance.
 * ACC3 (m3's): X/1 promised 11-01, open, nothing delivered: overdue 25 days.
 * Modes: SA1 and SA2 by Ocean, SA3 by Truck, X/1 planned by rail, the others none.
 */
const lines = [
  { sourceKey: 'A/1', accountCode: 'ACC1', orderNo: 'A', lineNo: '1', quantity: 10, promisedDate: '2026-10-05', status: 'delivered', shipments: [{ sourceKey: 'SA1', deliveredDate: '2026-10-08', quantity: 10, mode: 'Ocean', freightMinor: 5000, freightCurrency: 'CNY', weightGrams: 120_000 }] },
  { sourceKey: 'A/2', accountCode: 'ACC1', orderNo: 'A', lineNo: '2', quantity: 5, promisedDate: '2026-11-10', status: 'open', shipments: [{ sourceKey: 'SA2', shippedDate: '2026-11-20', quantity: 5, mode: 'Ocean' }] },
  { sourceKey: 'A/3', accountCode: 'ACC1', orderNo: 'A', lineNo: '3', quantity: 10, promisedDate: '2026-11-20', status: 'open', shipments: [{ sourceKey: 'SA3', deliveredDate: '2026-11-21', quantity: 4, mode: 'Truck' }] },
  { sourceKey: 'B/1', accountCode: 'ACC1', orderNo: 'B', lineNo: '1', quantity: 3, promisedDate: '2026-11-30', status: 'open' },
  { sourceKey: 'C/1', accountCode: 'ACC1', orderNo: 'C', quantity: 2, promisedDate: '2026-11-01', status: 'delivered', shipments: [{ sourceKey: 'SC1', deliveredDate: '2026-11-01' }] },
  { sourceKey: 'D/1', accountCode: 'ACC1', orderNo: 'D', lineNo: '1', quantity: 10, promisedDate: '2026-11-15', status: 'open', shipments: [{ sourceKey: 'SD1', deliveredDate: '2026-11-14', quantity: 10 }] },
  { sourceKey: 'X/1', accountCode: 'ACC3', orderNo: 'X', lineNo: '1', quantity: 1, promisedDate: '2026-11-01', status: 'open', plannedMode: 'rail' },
];

describeEachDialect('delivery views: overdue lines, the dealer\'s on-time figure and the contributions', (dialect) => {
  let t: TestApp;
  let logistics: Client, m1: Client, m3: Client, dealer: Client;
  beforeAll(async () => {
    t = await buildTestApp(dialect);
    [logistics, m1, m3, dealer] = await Promise.all(['logistics', 'm1', 'm3', 'dealer'].map((k) => t.login(k))) as [Client, Client, Client, Client];
    const res = await logistics.post('/api/v1/delivery/order-lines', { lines });
    expect(res.statusCode, res.body).toBe(200);
  });
  afterAll(async () => t?.close());

  describe('overdue open lines', () => {
    it('lists the open lines past their promise and not delivered in full, oldest first, with days overdue', async () => {
      const res = await m1.get('/api/v1/delivery/overdue-lines');
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toEqual({
        total: 2,
        items: [
          expect.objectContaining({ orderNo: 'A', lineNo: '2', promisedDate: '2026-11-10', delivered: 0, daysOverdue: 16 }),
          expect.objectContaining({ orderNo: 'A', lineNo: '3', promisedDate: '2026-11-20', quantity: 10, delivered: 4, daysOverdue: 6 }),
        ],
      });
    });

    it('logistics sees every dealer\'s, pages them, and a manager cannot ask for another\'s account', async () => {
      const all = (await logistics.get('/api/v1/delivery/overdue-lines?limit=1&offset=0')).json();
      expect(all.total).toBe(3);
      expect(all.items.map((i: { orderNo: string }) => i.orderNo)).toEqual(['X']);
      const second = (await logistics.get('/api/v1/delivery/overdue-lines?limit=1&offset=1')).json();
      expect(second.items.map((i: { lineNo: string }) => i.lineNo)).toEqual(['2']);
      expect((await m1.get(`/api/v1/delivery/overdue-lines?accountId=${t.world.accounts.acc3}`)).statusCode).toBe(404);
      expect((await dealer.get('/api/v1/delivery/overdue-lines')).statusCode).toBe(403);
    });

    it('limits to a range of promised dates', async () => {
      const late = (await logistics.get(`/api/v1/delivery/overdue-lines?accountId=${t.world.accounts.acc1}&from=2026-11-15&to=2026-12-01`)).json();
      expect(late.items.map((i: { lineNo: string }) => i.lineNo)).toEqual(['3']);
    });
  });

  describe('shipments of a month', () => {
    it('lists the shipments of lines promised in the month, those on the way first', async () => {
      const nov = (await m1.get(`/api/v1/accounts/${t.world.accounts.acc1}/shipments?from=2026-11-01&to=2026-12-01`)).json().items;
      expect(nov.map((s: { orderNo: string; deliveredDate: string | null }) => `${s.orderNo}:${s.deliveredDate}`)).toEqual(['A:null', 'A:2026-11-21', 'D:2026-11-14', 'C:2026-11-01']);
      const oct = (await m1.get(`/api/v1/accounts/${t.world.accounts.acc1}/shipments?from=2026-10-01&to=2026-11-01`)).json().items;
      expect(oct).toEqual([expect.objectContaining({ orderNo: 'A', lineNo: '1', daysLate: 3 })]);
    });

    it('lateOnly=false lists every shipment, lateOnly=true only the late ones', async () => {
      const all = (await m1.get(`/api/v1/accounts/${t.world.accounts.acc1}/shipments?lateOnly=false`)).json().items;
      expect(all).toHaveLength(5);
      const late = (await m1.get(`/api/v1/accounts/${t.world.accounts.acc1}/shipments?lateOnly=true`)).json().items;
      expect(late.map((s: { deliveredDate: string }) => s.deliveredDate)).toEqual(['2026-11-21', '2026-10-08']);
    });
  });

  describe('the lines behind a bar of OTIF by mode', () => {
    it('lists the shipments and overdue lines of the mode each OTIF group names, and of none for the group without one', async () => {
      const groups = (await logistics.get('/api/v1/delivery/otif?by=mode&from=2026-10-01&to=2026-12-01')).json().groups.map((g: { key: string[] }) => g.key[0]).sort();
      expect(groups).toEqual(['', 'Ocean', 'Truck', 'rail']);
      const ships = async (mode: string) => (await logistics.get(`/api/v1/delivery/shipments?mode=${encodeURIComponent(mode)}`)).json().items.map((s: { orderNo: string; lineNo: string | null }) => `${s.orderNo}/${s.lineNo ?? ''}`);
      const overdue = async (mode: string) => (await logistics.get(`/api/v1/delivery/overdue-lines?mode=${encodeURIComponent(mode)}`)).json().items.map((l: { orderNo: string; lineNo: string }) => `${l.orderNo}/${l.lineNo}`);
      expect(await ships('Ocean')).toEqual(['A/2', 'A/1']);
      expect(await ships('Truck')).toEqual(['A/3']);
      expect((await ships('')).sort()).toEqual(['C/', 'D/1']);
      expect(await overdue('Ocean')).toEqual(['A/2']);
      expect(await overdue('Truck')).toEqual(['A/3']);
      // Nothing shipped yet: counted under its planned mode.
      expect(await overdue('rail')).toEqual(['X/1']);
      expect(await overdue('')).toEqual([]);
      expect(await ships('Air')).toEqual([]);
    });
  });

  describe('the dealer\'s own on-time figure', () => {
    it('gives its on-time share for each of the last 12 months, no data where nothing was due', async () => {
      const res = await dealer.get('/api/v1/portal/delivery-summary');
      expect(res.statusCode, res.body).toBe(200);
      const { asOf, months } = res.json();
      expect(asOf).toBe('2026-11-26');
      expect(months).toHaveLength(12);
      expect(months[0]).toEqual({ month: '2025-12', lines: 0, onTime: 0, share: null });
      // October: A/1 three days late. November: A/2 and A/3 overdue, C/1 on time, D/1 a day early; B/1 not due.
      expect(months[10]).toEqual({ month: '2026-10', lines: 1, onTime: 0, share: 0 });
      expect(months[11]).toEqual({ month: '2026-11', lines: 4, onTime: 1, share: 0.25 });
      expect(Object.keys(res.json()).sort()).toEqual(['asOf', 'months']);
    });

    it('is the dealer\'s alone: staff read OTIF instead', async () => {
      expect((await m1.get('/api/v1/portal/delivery-summary')).statusCode).toBe(403);
      expect((await logistics.get('/api/v1/portal/delivery-summary')).statusCode).toBe(403);
    });
  });

  describe('contributions', () => {
    it('the account timeline shows each shipment delivered after its promise, newest first, and pages', async () => {
      const url = `/api/v1/accounts/${t.world.accounts.acc1}/timeline?kind=delivery.late`;
      const first = (await m1.get(`${url}&limit=1`)).json();
      expect(first.items).toEqual([expect.objectContaining({ kind: 'delivery.late', at: '2026-11-21T00:00:00.000Z', titleKey: 'delivery.timeline.late', params: expect.objectContaining({ order: 'A', line: '3', count: 1 }), status: 'watch' })]);
      const second = (await m1.get(`${url}&limit=1&cursor=${encodeURIComponent(first.nextCursor)}`)).json();
      expect(second.items.map((e: TimelineEvent) => [e.at, e.params.count, e.status])).toEqual([['2026-10-08T00:00:00.000Z', 3, 'watch']]);
      expect(second.nextCursor).toBeNull();
    });

    it('the manager\'s day has one item per own account with overdue lines, the oldest promise named', async () => {
      const day = (await m1.get('/api/v1/home/day')).json();
      const mine = (day.items as AgendaItem[]).filter((i) => i.module === 'delivery');
      expect(mine).toEqual([expect.objectContaining({
        id: `delivery-overdue:${t.world.accounts.acc1}`, kind: 'delivery-overdue', urgency: 'now', titleKey: 'delivery.agenda.overdue',
        params: { count: 2, order: 'A', days: 16, promised: '2026-11-10' }, link: { to: `/accounts/${t.world.accounts.acc1}?tab=delivery` },
      })]);
      const other = ((await m3.get('/api/v1/home/day')).json().items as AgendaItem[]).filter((i) => i.module === 'delivery');
      expect(other.map((i) => [i.account?.id, i.params.count])).toEqual([[t.world.accounts.acc3, 1]]);
      // Logistics sees every account but owns none: nothing on its day.
      expect(((await logistics.get('/api/v1/home/day')).json().items as AgendaItem[]).some((i) => i.module === 'delivery')).toBe(false);
    });

    it('the dealer\'s portal card counts its shipments on the way and its overdue lines, nothing of others', async () => {
      const cards = (await dealer.get('/api/v1/portal/cards')).json().items as PortalCard[];
      const card = cards.find((c) => c.module === 'delivery');
      expect(card).toMatchObject({ titleKey: 'delivery.portal.title', status: 'watch', lines: [
        { labelKey: 'delivery.portal.onTheWay', value: { kind: 'count', value: 1 } },
        { labelKey: 'delivery.portal.late', value: { kind: 'count', value: 2 } },
      ] });
    });

    it('the dealer\'s deliveries list the one on the way first and carry no freight or weight', async () => {
      const items = (await dealer.get('/api/v1/portal/deliveries')).json().items as Record<string, unknown>[];
      expect(items[0]).toMatchObject({ orderNo: 'A', lineNo: '2', deliveredDate: null, shippedDate: '2026-11-20' });
      expect(items.some((i) => 'freightMinor' in i || 'weightGrams' in i)).toBe(false);
    });
  });
});
