import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import type { AccountFact, AgendaItem, PortalCard, TimelineEvent } from '../src/platform/contributions.contract.js';
import type { Deps } from '../src/server/context.js';
import { checkClocks } from '../src/modules/services/requests.service.js';
import { buildTestApp, type Client, type TestApp } from './build-test-app.js';
import { describeEachDialect } from './dialects.js';

type Kind = { id: string; version: number };
type Req = { id: string; number: string; version: number; status: string; department: string; slaState: string; escalationLevel: number; firstResponseAt: string | null; resolutionDueAt: string; events: { kind: string; internal: boolean; body: string | null }[] };

// The test clock starts at 2026-11-26 08:00 UTC (Thursday 16:00 in Shanghai); acc1 is tier A, owned by m1.
describeEachDialect('services: entitlements, requests and service levels', (dialect) => {
  let t: TestApp;
  let admin: Client, m1: Client, m3: Client, dealer: Client, logistics: Client, quality: Client;
  const login = async (k: string) => t.login(k);
  beforeAll(async () => {
    t = await buildTestApp(dialect);
    [admin, m1, m3, dealer, logistics, quality] = await Promise.all([login('admin'), login('m1'), login('m3'), login('dealer'), login('logistics'), login('quality')]);
  });
  beforeEach(() => { t.clock.set('2026-11-26T08:00:00.000Z'); });
  afterAll(async () => { await t?.close(); });

  const kind = async (code: string, unit = 'training_session', department = 'technical', unitCostMinor = 120_000): Promise<Kind> => {
    const res = await admin.post('/api/v1/service-kinds', { code, name: `服务 ${code}`, nameEn: `Service ${code}`, unit, unitCostMinor, department });
    expect(res.statusCode, res.body).toBe(201);
    return res.json();
  };
  const balanceOf = async (serviceKindId: string) =>
    ((await m1.get(`/api/v1/accounts/${t.world.accounts.acc1}/services`)).json() as { balances: { serviceKindId: string; allowance: number; used: number; remaining: number; carried: number }[] })
      .balances.find((b) => b.serviceKindId === serviceKindId);

  it('gives the last unit of an entitlement to one of two people asking at once, and costs what is delivered', async () => {
    const k = await kind('training-last');
    const ent = await admin.post('/api/v1/service-entitlements', { serviceKindId: k.id, scope: 'tier', tier: 'A', quantity: 1, period: 'month', consumedOn: 'delivery', validFrom: '2026-01-01' });
    expect(ent.statusCode, ent.body).toBe(201);
    const body = { accountId: t.world.accounts.acc1, serviceKindId: k.id, quantity: 1, reference: 'Store staff training' };
    const [a, b] = await Promise.all([m1.post('/api/v1/service-usage', body), m1.post('/api/v1/service-usage', body)]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([201, 409]);
    const refused = [a, b].find((r) => r.statusCode === 409)!;
    expect(refused.json()).toMatchObject({ code: 'entitlement_exhausted', remaining: 0 });
    expect(await balanceOf(k.id)).toMatchObject({ allowance: 1, used: 1, remaining: 0 });
    const uses = await t.db.kysely.selectFrom('service_usage').selectAll().where('service_kind_id', '=', k.id).execute();
    expect(uses).toHaveLength(1);
    expect(Number(uses[0]!.cost_minor)).toBe(120_000);
    // Beyond the entitlement when asked for (goodwill): counted against nothing, still costed.
    const extra = await m1.post('/api/v1/service-usage', { ...body, beyondEntitlement: true });
    expect(extra.json()).toMatchObject({ entitlementId: null, costMinor: 120_000 });
    const facts = (await m1.get(`/api/v1/accounts/${t.world.accounts.acc1}/facts`)).json() as { items: AccountFact[] };
    expect(facts.items.find((f) => f.id === 'services.cost')?.value).toMatchObject({ kind: 'money', amountMinor: 240_000 });
    // acc3 is tier B: the tier A entitlement gives it nothing.
    const m3res = await m3.post('/api/v1/service-usage', { ...body, accountId: t.world.accounts.acc3 });
    expect(m3res.statusCode).toBe(409);
    // And m3 cannot take services for m1's account at all.
    expect((await m3.post('/api/v1/service-usage', body)).statusCode).toBe(404);
    const audit = await t.db.kysely.selectFrom('audit_log').select('action').where('entity', '=', 'service_usage').where('account_id', '=', t.world.accounts.acc1).execute();
    expect(audit.map((x) => x.action)).toEqual(['service.deliver', 'service.deliver']);
  });

  it('carries over what was left of last month, once, and not when the entitlement says no', async () => {
    const withCarry = await kind('visit-carry', 'engineer_visit');
    const without = await kind('visit-nocarry', 'engineer_visit');
    for (const [k, carryOver] of [[withCarry, true], [without, false]] as const) {
      const res = await admin.post('/api/v1/service-entitlements', { serviceKindId: k.id, scope: 'account', accountId: t.world.accounts.acc1, quantity: 3, period: 'month', consumedOn: 'delivery', carryOver, validFrom: '2026-10-01' });
      expect(res.statusCode, res.body).toBe(201);
      expect((await m1.post('/api/v1/service-usage', { accountId: t.world.accounts.acc1, serviceKindId: k.id, quantity: 1 })).statusCode).toBe(201);
    }
    expect(await balanceOf(withCarry.id)).toMatchObject({ allowance: 6, carried: 3, used: 1, remaining: 5 }); // October's 3 unused
    t.clock.set('2026-12-02T02:00:00.000Z'); // 10:00 on 2 December in Shanghai: a new month
    expect(await balanceOf(withCarry.id)).toMatchObject({ carried: 2, allowance: 5, used: 0, remaining: 5 });
    expect(await balanceOf(without.id)).toMatchObject({ carried: 0, allowance: 3, used: 0, remaining: 3 });
  });

  it('takes a dealer\'s delivery complaint from the portal to logistics, and back, keeping internal notes internal', async () => {
    const opened = await dealer.post('/api/v1/service-requests', { type: 'delivery_problem', priority: 'high', subject: 'Truck 3 days late', body: 'The cement ordered for Monday came on Thursday.' });
    expect(opened.statusCode, opened.body).toBe(201);
    let r = opened.json() as Req;
    expect(r).toMatchObject({ department: 'logistics', status: 'open', slaState: 'ok', escalationLevel: 1 });
    expect(r.number).toMatch(/^SR-2026-\d{6}$/);

    // Who sees it: the dealer's manager and logistics; not m3, not the quality department.
    expect((await m1.get(`/api/v1/service-requests/${r.id}`)).statusCode).toBe(200);
    expect((await m3.get(`/api/v1/service-requests/${r.id}`)).statusCode).toBe(404);
    expect((await quality.get(`/api/v1/service-requests/${r.id}`)).statusCode).toBe(404);
    expect((await dealer.post(`/api/v1/service-requests/${r.id}/take`, { version: r.version })).statusCode).toBe(403);
    expect((await dealer.post(`/api/v1/service-requests/${r.id}/messages`, { body: 'x', internal: true })).statusCode).toBe(400);

    r = (await logistics.post(`/api/v1/service-requests/${r.id}/take`, { version: r.version })).json();
    expect(r.status).toBe('in_progress');
    await logistics.post(`/api/v1/service-requests/${r.id}/messages`, { body: 'Carrier Zhou missed two slots; charge them back.', internal: true });
    t.clock.advance(30 * 60_000);
    r = (await logistics.post(`/api/v1/service-requests/${r.id}/messages`, { body: 'We are sorry: the next delivery goes first on the route.' })).json();
    expect(r.firstResponseAt).toBe('2026-11-26T08:30:00.000Z');
    r = (await logistics.post(`/api/v1/service-requests/${r.id}/status`, { status: 'waiting_customer', note: 'Which day suits you?', version: r.version })).json();
    t.clock.advance(2 * 86_400_000);
    r = (await dealer.post(`/api/v1/service-requests/${r.id}/messages`, { body: 'Tuesday morning, please.' })).json();
    expect(r.status).toBe('in_progress');
    r = (await logistics.post(`/api/v1/service-requests/${r.id}/status`, { status: 'resolved', note: 'Booked for Tuesday 8:00.', version: r.version })).json();
    expect(r.slaState).toBe('met');

    const seen = (await dealer.get(`/api/v1/service-requests/${r.id}`)).json() as Req;
    expect(seen.status).toBe('resolved');
    expect(seen.events.some((e) => e.internal)).toBe(false);
    expect(seen.events.map((e) => e.body)).not.toContain('Carrier Zhou missed two slots; charge them back.');
    const internal = (await m1.get(`/api/v1/service-requests/${r.id}`)).json() as Req;
    expect(internal.events.filter((e) => e.internal).map((e) => e.body)).toContain('Carrier Zhou missed two slots; charge them back.');

    const timeline = (await m1.get(`/api/v1/accounts/${t.world.accounts.acc1}/timeline`)).json() as { items: TimelineEvent[] };
    expect(timeline.items.filter((e) => e.module === 'services').map((e) => e.kind)).toEqual(expect.arrayContaining(['service.request', 'service.resolved']));
    const mine = (await dealer.get('/api/v1/service-requests?status=all')).json() as { items: Req[] };
    expect(mine.items.map((x) => x.id)).toContain(r.id);
    const cards = (await dealer.get('/api/v1/portal/cards')).json() as { items: PortalCard[] };
    expect(cards.items.find((c) => c.module === 'services')?.lines[0]?.href).toBe(`/portal/requests/${r.id}`);
  });

  it('puts a request on its department\'s and its manager\'s day, warns before the breach, and escalates when the clock runs out', async () => {
    const opened = (await m1.post('/api/v1/service-requests', { accountId: t.world.accounts.acc1, type: 'quality_complaint', priority: 'urgent', subject: 'Strength below 42.5 MPa', body: 'Three cube tests failed.' })).json() as Req & { responseDueAt: string };
    // Urgent: respond within 1 working hour, resolve within 8. Opened Thursday 16:00 in Shanghai:
    // response due 17:00; resolution Thu 16:00–18:00 (2 h), Fri 09:00–12:00 (3 h), 13:00–16:00 (3 h): Friday 16:00.
    expect(opened.responseDueAt).toBe('2026-11-26T09:00:00.000Z');
    expect(opened.resolutionDueAt).toBe('2026-11-27T08:00:00.000Z');
    expect(opened.department).toBe('quality');

    // The quality department now sees the account (and only it) and has the request on its day.
    const accounts = (await quality.get('/api/v1/accounts?limit=50')).json() as { items: { id: string }[] };
    expect(accounts.items.map((a) => a.id)).toEqual([t.world.accounts.acc1]);
    const qDay = (await quality.get('/api/v1/home/day')).json() as { items: AgendaItem[] };
    expect(qDay.items.find((i) => i.id === `service-request:${opened.id}`)).toMatchObject({ titleKey: 'services.agenda.queueNew' });
    const mDay = (await m1.get('/api/v1/home/day')).json() as { items: AgendaItem[] };
    expect(mDay.items.find((i) => i.id === `service-request:${opened.id}`)).toMatchObject({ urgency: 'waiting', flags: [] });

    const deps = { db: t.db, clock: t.clock } as unknown as Deps;
    t.clock.set('2026-11-26T08:50:00.000Z'); // 48 of 60 minutes gone: due soon
    expect(await checkClocks(deps)).toMatchObject({ warned: 1, breached: 0 });
    expect(((await m1.get(`/api/v1/service-requests/${opened.id}`)).json() as Req).slaState).toBe('warning');
    t.clock.set('2026-11-26T09:01:00.000Z');
    expect(await checkClocks(deps)).toMatchObject({ warned: 0, breached: 1 });
    expect(await checkClocks(deps)).toMatchObject({ warned: 0, breached: 0 }); // once only
    const breached = (await m1.get(`/api/v1/service-requests/${opened.id}`)).json() as Req;
    expect(breached).toMatchObject({ slaState: 'breached', escalationLevel: 2 });
    // Escalated to the next level: the account's director hears of it.
    const d1 = await t.login('d1');
    const notes = (await d1.get('/api/v1/notifications')).json() as { items: { kind: string; title: string }[] };
    expect(notes.items.find((n) => n.kind === 'service.breach')?.title).toContain(breached.number);
    const day = (await m1.get('/api/v1/home/day')).json() as { items: AgendaItem[] };
    expect(day.items.find((i) => i.id === `service-request:${opened.id}`)).toMatchObject({ urgency: 'now', flags: [{ kind: 'service.breach' }] });
    const timeline = (await m1.get(`/api/v1/accounts/${t.world.accounts.acc1}/timeline`)).json() as { items: TimelineEvent[] };
    expect(timeline.items.some((e) => e.kind === 'service.breach' && e.params.number === breached.number)).toBe(true);
  });

  it('pauses the clock while waiting on the customer', async () => {
    let r = (await m1.post('/api/v1/service-requests', { accountId: t.world.accounts.acc1, type: 'credit_invoicing', priority: 'normal', subject: 'Invoice 8812 shows the old price', body: '¥15/t too much.' })).json() as Req;
    // 24 working hours from Thursday 16:00: Thu 2 h, Fri 8 h, (weekend), Mon 8 h, Tue 09:00–12:00 and 13:00–16:00.
    expect(r.resolutionDueAt).toBe('2026-12-01T08:00:00.000Z');
    t.clock.set('2026-11-26T09:00:00.000Z'); // Thursday 17:00: finance (here the admin) asks the customer
    r = (await admin.post(`/api/v1/service-requests/${r.id}/status`, { status: 'waiting_customer', note: 'Please send the delivery note.', version: r.version })).json();
    t.clock.set('2026-11-28T09:00:00.000Z'); // two days later, Saturday 17:00: the answer is in
    r = (await admin.post(`/api/v1/service-requests/${r.id}/status`, { status: 'in_progress', note: null, version: r.version })).json();
    // Paused Thursday 17:00–18:00 and all Friday (9 working hours): due Wednesday 2 December 17:00.
    expect(r.resolutionDueAt).toBe('2026-12-02T09:00:00.000Z');
    expect((await m3.post(`/api/v1/service-requests/${r.id}/status`, { status: 'resolved', note: null, version: r.version })).statusCode).toBe(404);
    expect((await m1.post(`/api/v1/service-requests/${r.id}/status`, { status: 'resolved', note: null, version: r.version })).statusCode).toBe(403);
  });
});
