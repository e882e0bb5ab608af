import { afterAll, beforeAll, expect, it } from 'vitest';
import type { AccountFact, AgendaItem, TimelineEvent } from '../src/platform/contributions.contract.js';
import { balancesOn } from '../src/modules/services/entitlements.service.js';
import { newId } from '../src/shared/ids.js';
import { buildTestApp, type Client, type TestApp } from './build-test-app.js';
import { describeEachDialect } from './dialects.js';

type Reservation = { id: string; week: string; truckloads: number; ordered: number; free: number; status: string; version: number };
type Order = { id: string; accountId: string; accountName: string; truckloads: number; status: string; version: number };

const NOW = '2026-11-01T00:00:00.000Z';

// The test clock stands at Thursday 2026-11-26, 16:00 in Shanghai: week 2026-W48. Week 50 starts on
// Monday 7 December, week 49 on 30 November (within seven days).
describeEachDialect('priority delivery: reserved capacity and orders against it', (dialect) => {
  let t: TestApp;
  let logistics: Client, m1: Client, m3: Client;
  let depotId: string;
  const kindId = newId();

  const reserve = async (week: string, truckloads: number) => {
    const res = await logistics.post('/api/v1/capacity-reservations', { depotId, week, truckloads });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as Reservation;
  };
  const reservation = async (id: string) =>
    ((await logistics.get('/api/v1/capacity-reservations?from=2026-W48&to=2027-W10')).json() as { items: Reservation[] }).items.find((r) => r.id === id)!;
  const remaining = async (accountKey: 'acc1' | 'acc3', tier: string) =>
    (await balancesOn(t.db.kysely, { id: t.world.accounts[accountKey], tier }, '2026-11-26', kindId)).reduce((s, b) => s + b.remaining, 0);
  const count = async (table: 'capacity_orders' | 'service_usage' | 'audit_log') =>
    Number((await t.db.kysely.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

  beforeAll(async () => {
    t = await buildTestApp(dialect);
    const k = t.db.kysely;
    await k.insertInto('service_kinds').values({
      id: kindId, code: 'priority_delivery', name: '旺季优先配送', name_en: 'Priority delivery in peak season', unit: 'truckload', unit_cost_minor: 35_000,
      currency: 'CNY', department: 'logistics', active: 1, created_at: NOW, updated_at: NOW, version: 1,
    }).execute();
    const entitlement = (o: { scope: string; tier?: string; accountId?: string; quantity: number }) => ({
      id: newId(), service_kind_id: kindId, scope: o.scope, tier: o.tier ?? null, account_id: o.accountId ?? null, agreement_ref: null, quantity: o.quantity,
      period: 'quarter', consumed_on: 'request', carry_over: 0, peak_windows_json: null, valid_from: '2026-01-01', valid_to: null, created_at: NOW, updated_at: NOW, version: 1,
    });
    // acc1 is the only tier-A account; acc3 (m3's) and acc4 (nobody's) have their own; acc2 has none.
    await k.insertInto('service_entitlements').values([
      entitlement({ scope: 'tier', tier: 'A', quantity: 20 }),
      entitlement({ scope: 'account', accountId: t.world.accounts.acc3, quantity: 4 }),
      entitlement({ scope: 'account', accountId: t.world.accounts.acc4, quantity: 4 }),
    ]).execute();
    [logistics, m1, m3] = await Promise.all([t.login('logistics'), t.login('m1'), t.login('m3')]);
  });
  afterAll(async () => { await t?.close(); });

  it('lets logistics add a depot, which everyone in staff then lists, and refuses a second one with the same code', async () => {
    const res = await logistics.post('/api/v1/depots', { code: 'TZ-PLANT', name: '台州工厂', nameEn: 'Taizhou plant', kind: 'plant', city: '台州市' });
    expect(res.statusCode, res.body).toBe(201);
    depotId = res.json().id;
    expect((await logistics.post('/api/v1/depots', { code: 'TZ-PLANT', name: 'x', nameEn: 'x', kind: 'depot' })).statusCode).toBe(409);
    expect((await m1.post('/api/v1/depots', { code: 'NB', name: '宁波中转库', nameEn: 'Ningbo depot', kind: 'depot' })).statusCode).toBe(403);
    expect((await m1.get('/api/v1/depots')).json().items).toEqual([{ id: depotId, code: 'TZ-PLANT', name: '台州工厂', nameEn: 'Taizhou plant', kind: 'plant', city: '台州市' }]);
    expect((await (await t.login('dealer')).get('/api/v1/depots')).statusCode).toBe(403);
  });

  it('reserves truckloads of a week for priority delivery, once per depot and week, never for a week that is over', async () => {
    const r = await reserve('2026-W50', 3);
    expect(r).toMatchObject({ week: '2026-W50', truckloads: 3, ordered: 0, free: 3, status: 'open', serviceKindId: kindId, depotNameEn: 'Taizhou plant', weekStart: '2026-12-07' });
    expect((await logistics.post('/api/v1/capacity-reservations', { depotId, week: '2026-W50', truckloads: 5 })).statusCode).toBe(409);
    const past = await logistics.post('/api/v1/capacity-reservations', { depotId, week: '2026-W47', truckloads: 5 });
    expect(past.statusCode).toBe(400);
    expect(past.json().errors).toEqual([{ path: 'body.week', message: 'the week has ended' }]);
    expect((await logistics.post('/api/v1/capacity-reservations', { depotId, week: '2027-W53', truckloads: 5 })).statusCode).toBe(400);
    expect((await m1.post('/api/v1/capacity-reservations', { depotId, week: '2026-W51', truckloads: 5 })).statusCode).toBe(403);
  });

  it('places an order against a reservation, taking its truckloads from the account\'s entitlement', async () => {
    const r = await reserve('2026-W52', 3);
    const before = await remaining('acc1', 'A');
    const res = await m1.post(`/api/v1/capacity-reservations/${r.id}/orders`, { accountId: t.world.accounts.acc1, truckloads: 2, deliveryDate: '2026-12-22', orderRef: 'SO-88120' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ accountId: t.world.accounts.acc1, accountName: 'Account 1', accountCode: 'ACC1', truckloads: 2, status: 'placed', orderRef: 'SO-88120', createdBy: { name: 'User m1' } });
    expect(await reservation(r.id)).toMatchObject({ ordered: 2, free: 1, status: 'open' });
    expect(await remaining('acc1', 'A')).toBe(before - 2);
    const usage = await t.db.kysely.selectFrom('service_usage').selectAll().where('reference', '=', 'SO-88120').executeTakeFirstOrThrow();
    expect(usage).toMatchObject({ account_id: t.world.accounts.acc1, service_kind_id: kindId, quantity: 2, status: 'taken', delivered_at: null });

    const outside = await m1.post(`/api/v1/capacity-reservations/${r.id}/orders`, { accountId: t.world.accounts.acc1, truckloads: 1, deliveryDate: '2026-12-28' });
    expect(outside.statusCode).toBe(400);
    expect(outside.json().errors[0].path).toBe('body.deliveryDate');
  });

  it('refuses an order beyond the free truckloads unless the week is knowingly over-subscribed, and then warns of it', async () => {
    const r = await reserve('2027-W02', 2);
    const first = await m1.post(`/api/v1/capacity-reservations/${r.id}/orders`, { accountId: t.world.accounts.acc1, truckloads: 1, deliveryDate: '2027-01-11' });
    expect(first.statusCode).toBe(201);
    const refused = await m1.post(`/api/v1/capacity-reservations/${r.id}/orders`, { accountId: t.world.accounts.acc1, truckloads: 2, deliveryDate: '2027-01-12' });
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ code: 'over_subscribed', free: 1, asked: 2 });
    expect(await reservation(r.id)).toMatchObject({ ordered: 1, free: 1, status: 'open' });

    const allowed = await m1.post(`/api/v1/capacity-reservations/${r.id}/orders`, { accountId: t.world.accounts.acc1, truckloads: 2, deliveryDate: '2027-01-12', allowOver: true });
    expect(allowed.statusCode, allowed.body).toBe(201);
    const list = (await m1.get('/api/v1/capacity-reservations?from=2027-W01&to=2027-W04')).json() as { items: Reservation[]; warnings: { reservationId: string; kind: string; message: string }[] };
    expect(list.items.find((x) => x.id === r.id)).toMatchObject({ truckloads: 2, ordered: 3, free: 0, status: 'over' });
    expect(list.warnings).toEqual([{ reservationId: r.id, kind: 'over', message: 'Taizhou plant, 2027-W02: 3 truckloads ordered against 2 reserved (1 over)' }]);

    // Logistics sees the over-subscribed week on their day; a manager does not plan capacity.
    const day = (await logistics.get('/api/v1/home/day')).json() as { items: AgendaItem[] };
    expect(day.items.filter((i) => i.module === 'capacity').map((i) => [i.titleKey, i.params.week, i.params.over, i.urgency])).toEqual([['capacity.agenda.over', '2027-W02', 1, 'soon']]);
    expect(((await m1.get('/api/v1/home/day')).json() as { items: AgendaItem[] }).items.filter((i) => i.module === 'capacity')).toEqual([]);
  });

  it('gives the last free truckload to exactly one of two orders placed at the same moment', async () => {
    const r = await reserve('2027-W03', 1);
    const order = (c: Client, account: 'acc1' | 'acc4') => c.post(`/api/v1/capacity-reservations/${r.id}/orders`, { accountId: t.world.accounts[account], truckloads: 1, deliveryDate: '2027-01-19' });
    const answers = await Promise.all([order(m1, 'acc1'), order(logistics, 'acc4')]);
    expect(answers.map((a) => a.statusCode).sort()).toEqual([201, 409]);
    expect(answers.find((a) => a.statusCode === 409)!.json().code).toBe('over_subscribed');
    expect(await reservation(r.id)).toMatchObject({ ordered: 1, free: 0, status: 'full' });
    const placed = await t.db.kysely.selectFrom('capacity_orders').select('account_id').where('reservation_id', '=', r.id).execute();
    expect(placed).toHaveLength(1);
    // Only the winner's entitlement was drawn on.
    const taken = await t.db.kysely.selectFrom('service_usage').select(['account_id']).where('note', 'like', '%2027-W03%').execute();
    expect(taken.map((u) => u.account_id)).toEqual(placed.map((p) => p.account_id));
  });

  it('refuses an order for an account without entitlement left, and writes nothing', async () => {
    const r = await reserve('2027-W04', 5);
    const [orders, usage, audit] = [await count('capacity_orders'), await count('service_usage'), await count('audit_log')];
    const res = await m1.post(`/api/v1/capacity-reservations/${r.id}/orders`, { accountId: t.world.accounts.acc2, truckloads: 1, deliveryDate: '2027-01-26' });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'entitlement_exhausted', remaining: 0, asked: 1 });
    // acc4 has 4 a quarter, of which the concurrent test may have taken 1: 5 is more than it has either way.
    const tooMany = await logistics.post(`/api/v1/capacity-reservations/${r.id}/orders`, { accountId: t.world.accounts.acc4, truckloads: 5, deliveryDate: '2027-01-26' });
    expect(tooMany.statusCode).toBe(409);
    expect(tooMany.json().code).toBe('entitlement_exhausted');
    expect([await count('capacity_orders'), await count('service_usage'), await count('audit_log')]).toEqual([orders, usage, audit]);
    expect(await reservation(r.id)).toMatchObject({ ordered: 0, free: 5 });
  });

  it('gives the truckloads back when an order is cancelled, and costs them when it is delivered', async () => {
    const r = await reserve('2027-W05', 6);
    const place = async (truckloads: number) => {
      const res = await m1.post(`/api/v1/capacity-reservations/${r.id}/orders`, { accountId: t.world.accounts.acc1, truckloads, deliveryDate: '2027-02-02' });
      expect(res.statusCode, res.body).toBe(201);
      return res.json() as Order;
    };
    const before = await remaining('acc1', 'A');
    const cancelled = await place(2);
    const delivered = await place(1);
    expect(await remaining('acc1', 'A')).toBe(before - 3);

    const stale = await m1.post(`/api/v1/capacity-orders/${cancelled.id}/status`, { status: 'cancelled', version: cancelled.version + 1 });
    expect(stale.statusCode).toBe(412);
    const res = await m1.post(`/api/v1/capacity-orders/${cancelled.id}/status`, { status: 'cancelled', version: cancelled.version });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'cancelled', version: cancelled.version + 1 });
    expect(await remaining('acc1', 'A')).toBe(before - 1);
    expect(await reservation(r.id)).toMatchObject({ ordered: 1, free: 5 });
    expect((await m1.post(`/api/v1/capacity-orders/${cancelled.id}/status`, { status: 'delivered', version: cancelled.version + 1 })).statusCode).toBe(409);

    expect((await m1.post(`/api/v1/capacity-orders/${delivered.id}/status`, { status: 'delivered', version: delivered.version })).statusCode).toBe(200);
    const usage = await t.db.kysely.selectFrom('service_usage').select(['status', 'cost_minor', 'delivered_at']).where('reference', '=', `capacity-order:${delivered.id}`).executeTakeFirstOrThrow();
    expect({ ...usage, cost_minor: Number(usage.cost_minor) }).toEqual({ status: 'delivered', cost_minor: 35_000, delivered_at: '2026-11-26T08:00:00.000Z' });
    // Delivered units stay counted against the entitlement.
    expect(await remaining('acc1', 'A')).toBe(before - 1);
    expect(await reservation(r.id)).toMatchObject({ ordered: 1 });
  });

  it('shows a manager only the orders of their own accounts and lets them order for no one else', async () => {
    const r = await reserve('2027-W06', 6);
    expect((await m1.post(`/api/v1/capacity-reservations/${r.id}/orders`, { accountId: t.world.accounts.acc1, truckloads: 1, deliveryDate: '2027-02-09' })).statusCode).toBe(201);
    const own = await m3.post(`/api/v1/capacity-reservations/${r.id}/orders`, { accountId: t.world.accounts.acc3, truckloads: 2, deliveryDate: '2027-02-10' });
    expect(own.statusCode, own.body).toBe(201);

    const seen = (c: Client) => c.get(`/api/v1/capacity-reservations/${r.id}/orders`).then((res) => (res.json() as { items: Order[] }).items.map((o) => o.accountName));
    expect(await seen(m3)).toEqual(['Account 3']);
    expect(await seen(m1)).toEqual(['Account 1']);
    expect(await seen(logistics)).toEqual(['Account 1', 'Account 3']);
    // The week's totals count every order: capacity is shared, the accounts are not.
    expect(await reservation(r.id)).toMatchObject({ ordered: 3 });

    const intruding = await m3.post(`/api/v1/capacity-reservations/${r.id}/orders`, { accountId: t.world.accounts.acc1, truckloads: 1, deliveryDate: '2027-02-09' });
    expect(intruding.statusCode).toBe(404);
    expect(intruding.json().errors).toEqual([{ path: 'body.accountId', message: 'no such account in your scope' }]);
    const m1Order = (await m1.get(`/api/v1/capacity-reservations/${r.id}/orders`)).json().items[0] as Order;
    expect((await m3.post(`/api/v1/capacity-orders/${m1Order.id}/status`, { status: 'cancelled', version: m1Order.version })).statusCode).toBe(404);
    expect((await m3.get(`/api/v1/capacity-reservations/${newId()}/orders`)).statusCode).toBe(404);
  });

  it('lets a planner cut a reservation below what is ordered, which then shows over-subscribed', async () => {
    const r = await reserve('2027-W07', 4);
    expect((await m1.post(`/api/v1/capacity-reservations/${r.id}/orders`, { accountId: t.world.accounts.acc1, truckloads: 2, deliveryDate: '2027-02-16' })).statusCode).toBe(201);
    expect((await m1.patch(`/api/v1/capacity-reservations/${r.id}`, { truckloads: 1, version: r.version })).statusCode).toBe(403);
    const cut = await logistics.patch(`/api/v1/capacity-reservations/${r.id}`, { truckloads: 1, note: 'Kiln 2 maintenance', version: r.version });
    expect(cut.statusCode, cut.body).toBe(200);
    expect(cut.json()).toMatchObject({ truckloads: 1, ordered: 2, free: 0, status: 'over', note: 'Kiln 2 maintenance', version: r.version + 1 });
    expect((await logistics.patch(`/api/v1/capacity-reservations/${r.id}`, { truckloads: 3, version: r.version })).statusCode).toBe(412);
  });

  it('warns of a reservation going unused in the coming week, on the list and on the planner\'s day', async () => {
    const r = await reserve('2026-W49', 4);
    const list = (await logistics.get('/api/v1/capacity-reservations?from=2026-W49&to=2026-W49')).json() as { items: Reservation[]; warnings: { kind: string; reservationId: string }[] };
    expect(list.items.map((x) => x.status)).toEqual(['unused']);
    expect(list.warnings).toMatchObject([{ reservationId: r.id, kind: 'unused' }]);
    const day = (await logistics.get('/api/v1/home/day')).json() as { items: AgendaItem[] };
    expect(day.items.find((i) => i.id === `capacity:${r.id}:unused`)).toMatchObject({ urgency: 'today', params: { week: '2026-W49', ordered: 0, truckloads: 4 }, link: { to: `/capacity?depot=${depotId}&week=2026-W49` } });
  });

  it('records every change in the audit log, orders on their account, and shows them on the account page', async () => {
    const audit = await t.db.kysely.selectFrom('audit_log').select(['action', 'account_id']).where('action', 'like', 'capacity.%').execute();
    const actions = new Set(audit.map((a) => a.action));
    for (const a of ['capacity.depot.create', 'capacity.reserve', 'capacity.reservation.update', 'capacity.order.place', 'capacity.order.cancel', 'capacity.order.deliver']) expect(actions, a).toContain(a);
    expect(audit.filter((a) => a.action.startsWith('capacity.order.')).every((a) => a.account_id !== null)).toBe(true);

    const acc1 = t.world.accounts.acc1;
    const timeline = (await m1.get(`/api/v1/accounts/${acc1}/timeline?kind=capacity.order&limit=100`)).json() as { items: TimelineEvent[] };
    const keys = timeline.items.map((e) => e.titleKey);
    expect(keys).toContain('capacity.timeline.placed');
    expect(keys).toContain('capacity.timeline.cancelled');
    expect(keys).toContain('capacity.timeline.delivered');
    expect(timeline.items.find((e) => e.titleKey === 'capacity.timeline.cancelled')!.actor).toMatchObject({ name: 'User m1' });

    const facts = (await m1.get(`/api/v1/accounts/${acc1}/facts`)).json() as { items: AccountFact[] };
    const placed = await t.db.kysely.selectFrom('capacity_orders').select('truckloads').where('account_id', '=', acc1).where('status', '=', 'placed').execute();
    expect(facts.items.find((f) => f.id === 'capacity.booked')).toMatchObject({ value: { kind: 'count', value: placed.reduce((s, o) => s + o.truckloads, 0) }, noteKey: 'capacity.facts.next' });
    // An account that never ordered gets no figure.
    expect(((await m1.get(`/api/v1/accounts/${t.world.accounts.acc2}/facts`)).json() as { items: AccountFact[] }).items.find((f) => f.id === 'capacity.booked')).toBeUndefined();
  });
});
