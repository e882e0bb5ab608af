import ICAL from 'ical.js';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildTestApp, type Client, type TestApp } from './build-test-app.js';
import { describeEachDialect } from './dialects.js';

/**
 * The fixed visit program end to end on the small test world (test/factories.ts):
 * team1 = d1 with m1, m2; team2 = d2 with m3. acc1 owned by m1, acc2 by m2 with m1 on its team.
 * The clock starts on Thursday 2026-11-26 16:00 in Shanghai; Mondays from 30 November on.
 */
describeEachDialect('visit program: plans, change control, optimisation, visits, compliance, calendar', (dialect) => {
  let t: TestApp;
  const c: Record<string, Client> = {};
  let routeId: string;
  let p1: { id: string; version: number };
  let p2: { id: string; version: number };
  const visitsOf = async (planId: string) => (await c.m1!.get(`/api/v1/visits?planId=${planId}`)).json().items as any[];
  const etag = (id: string, version: number) => ({ 'if-match': `"${id}.${version}"` });

  beforeAll(async () => {
    t = await buildTestApp(dialect);
    for (const k of ['m1', 'm2', 'm3', 'd1', 'd2', 'admin', 'exec', 'dealer']) c[k] = await t.login(k);
  });
  afterAll(async () => t?.close());

  it('creates a route and a weekly Monday 09:00 plan whose next 4 weeks of visits are materialised, idempotently', async () => {
    const r = await c.m1!.post('/api/v1/visit-routes', { name: 'Monday Taizhou', weekday: 'mon', base: { label: 'Office', lat: 28.40, lng: 121.40 } });
    expect(r.statusCode).toBe(201);
    routeId = r.json().id;
    const res = await c.m1!.post('/api/v1/call-plans', {
      accountId: t.world.accounts.acc1, siteId: t.world.records.acc1!.site, weekday: 'mon', startTime: '09:00', durationMinutes: 60, routeId, routePosition: 1,
    });
    expect(res.statusCode, res.body).toBe(201);
    p1 = res.json();
    expect(res.json()).toMatchObject({ timeZone: 'Asia/Shanghai', anchorDate: '2026-11-30', status: 'active', rrule: 'DTSTART;TZID=Asia/Shanghai:20261130T090000\nRRULE:FREQ=WEEKLY;INTERVAL=1;BYDAY=MO;BYHOUR=9;BYMINUTE=0;BYSECOND=0' });
    const v = await visitsOf(p1.id);
    expect(v.map((x) => x.scheduledStart)).toEqual(['2026-11-30T01:00:00.000Z', '2026-12-07T01:00:00.000Z', '2026-12-14T01:00:00.000Z', '2026-12-21T01:00:00.000Z']);
    expect(v[0].localStart).toBe('2026-11-30T09:00:00');
    const again = await c.m1!.post('/api/v1/visits/materialise', { weeks: 4 });
    expect(again.json()).toMatchObject({ created: 0, updated: 0, removed: 0 });
    const p2res = await c.m1!.post('/api/v1/call-plans', {
      accountId: t.world.accounts.acc2, siteId: t.world.records.acc2!.site, weekday: 'mon', startTime: '14:00', durationMinutes: 60, routeId, routePosition: 2,
    });
    expect(p2res.statusCode, p2res.body).toBe(201);
    p2 = p2res.json();
  });

  it('refuses a customer request without the requesting contact, with a field error', async () => {
    const res = await c.m1!.post(`/api/v1/call-plans/${p1.id}/changes`, { reason: 'customer_request', slot: { startTime: '10:00' } }, etag(p1.id, p1.version));
    expect(res.statusCode).toBe(400);
    expect(res.json().errors.map((e: { path: string }) => e.path)).toContain('body.contactId');
    const other = await c.m1!.post(`/api/v1/call-plans/${p1.id}/changes`, { reason: 'customer_request', contactId: t.world.records.acc3!.contact, slot: { startTime: '10:00' } }, etag(p1.id, p1.version));
    expect(other.statusCode).toBe(400);
    expect(other.json().errors[0].path).toBe('body.contactId');
    const noNote = await c.m1!.post(`/api/v1/call-plans/${p1.id}/changes`, { reason: 'other', slot: { startTime: '10:00' } }, etag(p1.id, p1.version));
    expect(noNote.json().errors[0].path).toBe('body.note');
  });

  it('applies a customer request at once and moves the planned visits', async () => {
    const res = await c.m1!.post(`/api/v1/call-plans/${p1.id}/changes`, { reason: 'customer_request', contactId: t.world.records.acc1!.contact, slot: { startTime: '10:00' } }, etag(p1.id, p1.version));
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().change).toMatchObject({ status: 'applied', reason: 'customer_request', contactId: t.world.records.acc1!.contact });
    p1 = res.json().plan;
    expect(p1).toMatchObject({ startTime: '10:00', version: 2 });
    expect((await visitsOf(p1.id))[0].scheduledStart).toBe('2026-11-30T02:00:00.000Z');
  });

  it('keeps any other reason pending until the director of the team approves; others cannot', async () => {
    const res = await c.m1!.post(`/api/v1/call-plans/${p1.id}/changes`, { reason: 'manager_capacity', note: 'two new accounts on Monday', slot: { startTime: '11:00' } }, etag(p1.id, p1.version));
    expect(res.statusCode).toBe(201);
    const change = res.json().change;
    expect(change.status).toBe('pending');
    expect(res.json().plan).toMatchObject({ startTime: '10:00', pendingChanges: 1 });
    const pending = (await c.d1!.get('/api/v1/call-plan-changes?status=pending')).json().items;
    expect(pending.map((x: { id: string }) => x.id)).toEqual([change.id]);
    expect((await c.d2!.get('/api/v1/call-plan-changes?status=pending')).json().items).toEqual([]);
    expect((await c.m2!.post(`/api/v1/call-plan-changes/${change.id}/approve`, {})).statusCode).toBe(403);
    expect((await c.m1!.post(`/api/v1/call-plan-changes/${change.id}/approve`, {})).statusCode).toBe(403);
    expect((await c.d2!.post(`/api/v1/call-plan-changes/${change.id}/approve`, {})).statusCode).toBe(404);
    expect((await c.m1!.get(`/api/v1/call-plans/${p1.id}`)).json().startTime).toBe('10:00');
    const ok = await c.d1!.post(`/api/v1/call-plan-changes/${change.id}/approve`, { note: 'fine' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().change).toMatchObject({ status: 'applied', decidedBy: t.world.users.d1, decisionNote: 'fine' });
    p1 = ok.json().plan;
    expect(p1).toMatchObject({ startTime: '11:00', pendingChanges: 0 });
    expect((await visitsOf(p1.id))[0].scheduledStart).toBe('2026-11-30T03:00:00.000Z');
    expect((await c.d1!.post(`/api/v1/call-plan-changes/${change.id}/reject`, {})).statusCode).toBe(409);
  });

  it('shows the full history of the slot', async () => {
    const h = (await c.m1!.get(`/api/v1/call-plans/${p1.id}/history`)).json().items;
    expect(h.map((x: any) => [x.kind, x.reason, x.status, x.after.startTime])).toEqual([
      ['create', 'initial', 'applied', '09:00'], ['change', 'customer_request', 'applied', '10:00'], ['change', 'manager_capacity', 'applied', '11:00'],
    ]);
    const audit = (await c.admin!.get(`/api/v1/audit?entityId=${p1.id}`));
    if (audit.statusCode === 200) expect(audit.json().items.map((a: { action: string }) => a.action)).toContain('slot_change_approved');
  });

  it('keeps plans and visits within scope: another manager cannot see or change them, a dealer gets 403', async () => {
    expect((await c.m3!.get(`/api/v1/call-plans/${p1.id}`)).statusCode).toBe(404);
    expect((await c.m2!.get(`/api/v1/call-plans/${p1.id}`)).statusCode).toBe(404);
    expect((await c.m2!.get('/api/v1/call-plans')).json().items).toEqual([]);
    expect((await c.m2!.get('/api/v1/visits')).json().items).toEqual([]);
    expect((await c.m2!.post(`/api/v1/call-plans/${p1.id}/changes`, { reason: 'customer_request', contactId: t.world.records.acc1!.contact, slot: { startTime: '08:00' } }, etag(p1.id, p1.version))).statusCode).toBe(404);
    const visit = (await visitsOf(p1.id))[0];
    expect((await c.m3!.post(`/api/v1/visits/${visit.id}/check-in`, { lat: 28.37, lng: 121.36 })).statusCode).toBe(404);
    expect((await c.m2!.get('/api/v1/visits/today?managerId=' + t.world.users.m1)).statusCode).toBe(404);
    expect((await c.d1!.get('/api/v1/call-plans')).json().items.map((p: { id: string }) => p.id).sort()).toEqual([p1.id, p2.id].sort());
    expect((await c.d2!.get('/api/v1/call-plans')).json().items).toEqual([]);
    expect((await c.exec!.get('/api/v1/call-plans')).json().items).toHaveLength(2);
    for (const url of ['/api/v1/call-plans', '/api/v1/visits', '/api/v1/visits/today', `/api/v1/call-plans/${p1.id}`, '/api/v1/calendar/feeds']) {
      expect((await c.dealer!.get(url)).statusCode, url).toBe(403);
    }
    expect((await c.dealer!.post('/api/v1/call-plans', { accountId: t.world.accounts.acc1, weekday: 'mon', startTime: '09:00', durationMinutes: 60 })).statusCode).toBe(403);
    // A manager cannot plan visits for another manager.
    const forOther = await c.m1!.post('/api/v1/call-plans', { accountId: t.world.accounts.acc1, managerId: t.world.users.m2, weekday: 'tue', startTime: '09:00', durationMinutes: 60 });
    expect(forOther.statusCode).toBe(403);
  });

  it('reports the stop that cannot be planned and why, and proposes the rest', async () => {
    // acc2's warehouse opens on Tuesdays only: its Monday stop cannot be planned.
    await t.db.kysely.updateTable('sites').set({ opening_hours: JSON.stringify({ tue: [['08:00', '18:00']] }) }).where('id', '=', t.world.records.acc2!.site).execute();
    await t.db.kysely.updateTable('sites').set({ opening_hours: JSON.stringify({ mon: [['08:00', '12:00'], ['13:30', '17:30']] }) }).where('id', '=', t.world.records.acc1!.site).execute();
    const res = await c.m1!.post(`/api/v1/visit-routes/${routeId}/optimise-day`, {});
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.complete).toBe(false);
    expect(body.unassigned).toHaveLength(1);
    expect(body.unassigned[0]).toMatchObject({ planId: p2.id, accountId: t.world.accounts.acc2, code: 'closed' });
    // Structured for the UI to phrase: the account, the weekday, the visit and the (empty) Monday hours.
    expect(body.unassigned[0]).toMatchObject({ accountName: 'Account 2', params: { weekday: 'mon', durationMinutes: 60, openingHours: [], dayStart: '08:00', dayEnd: '18:00' } });
    expect(body.stops[0]).toMatchObject({ accountName: 'Account 1', siteName: 'Warehouse of acc1' });
    expect(body.unassigned[0].reason).toContain('Account 2');
    expect(body.stops.map((s: { planId: string }) => s.planId)).toEqual([p1.id]);
    const s = body.stops[0];
    expect(s.proposedStart >= '08:00' && s.proposedEnd <= '12:00').toBe(true);
    // The proposal is applied as changes with reason route_optimisation: pending the director.
    if (body.changes.length) {
      const sub = await c.m1!.post('/api/v1/call-plan-changes/batch', { reason: 'route_optimisation', changes: body.changes });
      expect(sub.statusCode, sub.body).toBe(201);
      expect(sub.json().items.every((x: { status: string }) => x.status === 'pending')).toBe(true);
      for (const x of sub.json().items) expect((await c.d1!.post(`/api/v1/call-plan-changes/${x.id}/reject`, { note: 'keep 11:00' })).statusCode).toBe(200);
    }
    const week = await c.m1!.post('/api/v1/visit-routes/optimise-week', { newAccounts: [{ accountId: t.world.accounts.acc1, durationMinutes: 30 }] });
    expect(week.statusCode, week.body).toBe(200);
    expect(week.json().assignments.find((a: { planId: string | null }) => a.planId === p1.id)).toMatchObject({ weekday: 'mon', start: '11:00', status: 'kept' });
  });

  it('records check-in distance and classifies punctuality; a missed visit needs a reason; compliance adds up', async () => {
    const [v1, v2, v3] = await visitsOf(p1.id);
    const [w1, w2] = await visitsOf(p2.id);
    t.clock.set('2026-11-30T03:05:00.000Z');
    const today = (await c.m1!.get('/api/v1/visits/today')).json();
    expect(today).toMatchObject({ date: '2026-11-30', timeZone: 'Asia/Shanghai' });
    expect(today.visits.map((v: { id: string }) => v.id)).toEqual([v1.id, w1.id]);
    expect(today.next.id).toBe(v1.id);
    // 0.001° of latitude north of the site: about 111 m.
    const inRes = await c.m1!.post(`/api/v1/visits/${v1.id}/check-in`, { lat: 28.371, lng: 121.36 });
    expect(inRes.statusCode, inRes.body).toBe(200);
    expect(inRes.json()).toMatchObject({ status: 'checked_in', punctuality: 'on_time', outcome: 'on_time' });
    expect(inRes.json().checkIn.distanceMetres).toBe(111);
    expect((await c.m1!.get('/api/v1/visits/today')).json().next.id).toBe(w1.id);
    t.clock.set('2026-11-30T04:00:00.000Z');
    const out = await c.m1!.post(`/api/v1/visits/${v1.id}/check-out`, { lat: 28.37, lng: 121.36, outcomeNotes: 'Order for December', order: { amountMinor: 1_250_000, currency: 'CNY' }, issues: [{ text: 'Damaged bags', severity: 'high' }] });
    expect(out.json()).toMatchObject({ status: 'completed', order: { amountMinor: 1_250_000, currency: 'CNY' }, issues: [{ text: 'Damaged bags', severity: 'high' }] });
    expect(out.json().checkOut.distanceMetres).toBe(0);

    t.clock.set('2026-12-07T03:25:00.000Z');
    // A phone without a position checks in all the same, saying why; half a position is refused.
    const half = await c.m1!.post(`/api/v1/visits/${v2.id}/check-in`, { lat: 28.37 });
    expect(half.json().errors.map((e: { path: string }) => e.path)).toEqual(['body.lng']);
    const unexplained = await c.m1!.post(`/api/v1/visits/${v2.id}/check-in`, {});
    expect(unexplained.json().errors.map((e: { path: string }) => e.path)).toEqual(['body.positionUnavailable']);
    const blind = await c.m1!.post(`/api/v1/visits/${v2.id}/check-in`, { positionUnavailable: 'denied' });
    expect(blind.json()).toMatchObject({ punctuality: 'late', checkIn: { lat: null, lng: null, distanceMetres: null } });

    t.clock.set('2026-12-08T00:00:00.000Z');
    const move = await c.m1!.post(`/api/v1/visits/${v3.id}/move`, { contactId: t.world.records.acc1!.contact, start: '2026-12-15T10:00:00+08:00' });
    expect(move.json()).toMatchObject({ outcome: 'moved', scheduledStart: '2026-12-15T02:00:00.000Z', moved: { from: '2026-12-14T03:00:00.000Z' } });
    expect((await c.m1!.get('/api/v1/visits?needsReason=true')).json().items.map((v: { id: string }) => v.id)).toEqual([w1.id, w2.id]);
    expect((await c.m1!.post(`/api/v1/visits/${w1.id}/missed`, {})).statusCode).toBe(400);
    const missed = await c.m1!.post(`/api/v1/visits/${w1.id}/missed`, { reason: 'Road closed by flooding' });
    expect(missed.json()).toMatchObject({ status: 'missed', outcome: 'missed', missedReason: 'Road closed by flooding' });

    // By hand: P1 on time, late, moved, upcoming (21 Dec is outside); P2 missed with reason, missed without, upcoming.
    const q = '/api/v1/visits/compliance?from=2026-11-30T00:00:00%2B08:00&to=2026-12-21T00:00:00%2B08:00';
    const expected = { scheduled: 6, onTime: 1, late: 1, early: 0, missed: 2, missedWithoutReason: 1, moved: 1, upcoming: 1, due: 4, visitRate: 0.5, onTimeRate: 0.25 };
    const m1 = (await c.m1!.get(q)).json();
    expect(m1.managers).toEqual([{ managerId: t.world.users.m1, name: 'User m1', teamId: t.world.teams.team1, ...expected }]);
    expect(m1.total).toEqual(expected);
    expect((await c.d1!.get(q)).json().teams).toEqual([{ teamId: t.world.teams.team1, name: 'Team 1', ...expected }]);
    expect((await c.exec!.get(q)).json().total).toEqual(expected);
    expect((await c.m2!.get(q)).json().total.scheduled).toBe(0);
    expect((await c.d2!.get(q)).json().managers).toEqual([]);
  });

  it('serves a secret iCalendar feed with the right zones that ical.js parses; a revoked feed is not found', async () => {
    // A plan in a DST zone too: Monday 09:00 Berlin.
    const berlin = await c.m1!.post('/api/v1/call-plans', { accountId: t.world.accounts.acc1, weekday: 'mon', startTime: '09:00', durationMinutes: 45, timeZone: 'Europe/Berlin' });
    expect(berlin.statusCode, berlin.body).toBe(201);
    const created = await c.m1!.post('/api/v1/calendar/feeds', { name: 'Phone' });
    expect(created.statusCode).toBe(201);
    const { url, token, id } = created.json();
    // Absolute, from the request's host (no OPENKAM_PUBLIC_URL in the tests).
    expect(url).toBe(`http://localhost:80/api/v1/calendar/feeds/${token}.ics`);
    expect(JSON.stringify((await c.m1!.get('/api/v1/calendar/feeds')).json())).not.toContain(token);
    const path = new URL(url).pathname;
    const res = await t.app.inject({ method: 'GET', url: path });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/calendar');
    const cal = new ICAL.Component(ICAL.parse(res.body));
    const zones = cal.getAllSubcomponents('vtimezone');
    expect(zones.map((z) => z.getFirstPropertyValue('tzid')).sort()).toEqual(['Asia/Shanghai', 'Europe/Berlin']);
    for (const z of zones) ICAL.TimezoneService.register(z);
    const events = cal.getAllSubcomponents('vevent');
    const byUid = (uid: string) => events.find((e) => e.getFirstPropertyValue('uid') === uid)!;
    const [v1] = await visitsOf(p1.id);
    const e1 = byUid(`visit-${v1.id}@openkam`);
    const start = e1.getFirstProperty('dtstart')!;
    expect(start.getParameter('tzid')).toBe('Asia/Shanghai');
    expect(String(start.getFirstValue())).toBe('2026-11-30T11:00:00');
    expect(new ICAL.Event(e1).startDate.toJSDate().toISOString()).toBe('2026-11-30T03:00:00.000Z');
    // Berlin: 09:00 local on 14 December (CET, UTC+1).
    const berlinVisits = await visitsOf(berlin.json().id);
    const eb = byUid(`visit-${berlinVisits[0].id}@openkam`);
    expect(eb.getFirstProperty('dtstart')!.getParameter('tzid')).toBe('Europe/Berlin');
    expect(String(eb.getFirstPropertyValue('dtstart'))).toBe('2026-12-14T09:00:00');
    expect(new ICAL.Event(eb).startDate.toJSDate().toISOString()).toBe('2026-12-14T08:00:00.000Z');
    // The plan continues as a weekly series after the materialised visits.
    const series = byUid(`plan-${p1.id}@openkam`);
    expect(String(series.getFirstPropertyValue('rrule'))).toContain('FREQ=WEEKLY');
    expect(series.getFirstProperty('dtstart')!.getParameter('tzid')).toBe('Asia/Shanghai');
    // The other managers' visits are not in m1's feed.
    expect(events.length).toBe(4 + 4 + berlinVisits.length + 3);

    const one = await c.m1!.get(`/api/v1/visits/${v1.id}/calendar.ics`);
    expect(one.statusCode).toBe(200);
    const single = new ICAL.Component(ICAL.parse(one.body));
    expect(single.getAllSubcomponents('vevent')).toHaveLength(1);
    expect(single.getFirstSubcomponent('vtimezone')!.getFirstPropertyValue('tzid')).toBe('Asia/Shanghai');

    expect((await c.m2!.del(`/api/v1/calendar/feeds/${id}`)).statusCode).toBe(404);
    expect((await c.m1!.del(`/api/v1/calendar/feeds/${id}`)).statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: path })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/calendar/feeds/okc_not-a-real-token-at-all-000.ics' })).statusCode).toBe(404);
  });

  it('carries site names, addresses and positions in plans, route stops and visits, and names in change records', async () => {
    await t.db.kysely.updateTable('sites').set({ address: '椒江区开发大道 1 号' }).where('id', '=', t.world.records.acc1!.site).execute();
    const plan = (await c.m1!.get(`/api/v1/call-plans/${p1.id}`)).json();
    expect(plan).toMatchObject({ siteName: 'Warehouse of acc1', siteAddress: '椒江区开发大道 1 号', site: { lat: expect.any(Number), lng: expect.any(Number) } });
    const route = (await c.m1!.get(`/api/v1/visit-routes/${routeId}`)).json();
    expect(route.stops.find((s: { planId: string }) => s.planId === p1.id)).toMatchObject({ accountName: 'Account 1', siteName: 'Warehouse of acc1', siteAddress: '椒江区开发大道 1 号', site: plan.site, version: plan.version });
    const [visit] = await visitsOf(p1.id);
    expect(visit).toMatchObject({ siteName: 'Warehouse of acc1', siteAddress: '椒江区开发大道 1 号' });
    const noSite = (await c.m1!.get('/api/v1/call-plans?sort=accountName')).json().items.find((p: { siteId: string | null }) => p.siteId === null);
    expect(noSite).toMatchObject({ siteName: null, siteAddress: null, site: null });
    const history = (await c.m1!.get(`/api/v1/call-plans/${p1.id}/history`)).json().items;
    expect(history[1]).toMatchObject({ accountName: 'Account 1', managerName: 'User m1', contactName: 'Contact of acc1', reason: 'customer_request' });
    expect(history[0]).toMatchObject({ contactName: null });
    const changes = (await c.d1!.get('/api/v1/call-plan-changes?status=rejected')).json().items;
    for (const ch of changes) expect(ch).toMatchObject({ accountName: expect.any(String), managerName: 'User m1', contactName: null });
  });

  it('lists the managers the caller can plan for: self, the director\'s teams, everyone for an admin; read only for an executive', async () => {
    const names = async (k: string) => (await c[k]!.get('/api/v1/visit-managers')).json().items.map((m: { name: string; canPlan: boolean }) => `${m.name}${m.canPlan ? '' : ' (read)'}`);
    expect(await names('m1')).toEqual(['User m1']);
    expect(await names('d1')).toEqual(['User d1', 'User m1', 'User m2']);
    expect(await names('d2')).toEqual(['User d2', 'User m3']);
    expect(await names('admin')).toEqual(['User d1', 'User d2', 'User m1', 'User m2', 'User m3']);
    expect(await names('exec')).toEqual(['User d1 (read)', 'User d2 (read)', 'User m1 (read)', 'User m2 (read)', 'User m3 (read)']);
    const d1 = (await c.d1!.get('/api/v1/visit-managers')).json().items;
    expect(d1.find((m: { id: string }) => m.id === t.world.users.d1)).toMatchObject({ self: true, role: 'director', canPlan: true });
    expect(d1.find((m: { id: string }) => m.id === t.world.users.m2)).toMatchObject({ self: false, role: 'manager', teamId: t.world.teams.team1, teamName: 'Team 1', timeZone: expect.any(String), canPlan: true });
    expect((await c.dealer!.get('/api/v1/visit-managers')).statusCode).toBe(403);
  });

  it('explains the accounts the week optimisation cannot place with a code and parameters', async () => {
    const week = await c.m1!.post('/api/v1/visit-routes/optimise-week', { days: ['tue', 'wed'] });
    expect(week.statusCode, week.body).toBe(200);
    const issue = week.json().unassigned.find((u: { planId: string | null }) => u.planId === p1.id);
    expect(issue).toMatchObject({ accountName: 'Account 1', code: 'fixed-day-not-planned', params: { weekday: 'mon', planningDays: ['tue', 'wed'] } });
    expect(typeof issue.reason).toBe('string');
    // Allowed to move: Account 1 goes to a Tuesday or Wednesday, shown with its previous slot.
    const moved = (await c.m1!.post('/api/v1/visit-routes/optimise-week', { days: ['tue', 'wed'], allowMovingExisting: true })).json();
    const a = moved.assignments.find((x: { planId: string | null }) => x.planId === p1.id);
    if (a) {
      expect(a).toMatchObject({ accountName: 'Account 1', siteName: 'Warehouse of acc1', status: 'moved', previous: { weekday: 'mon' }, durationMinutes: 60 });
      expect(moved.changes.map((x: { planId: string }) => x.planId)).toContain(p1.id);
    } else {
      expect(moved.unassigned.find((u: { planId: string | null }) => u.planId === p1.id).code).toEqual(expect.any(String));
    }
  });

  it('pages plans, visits and changes by cursor, in a stable order', async () => {
    const all = async (k: string, url: string) => {
      const out: any[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const res = await c[k]!.get(`${url}${url.includes('?') ? '&' : '?'}limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        expect(res.statusCode, res.body).toBe(200);
        out.push(...res.json().items);
        cursor = res.json().nextCursor;
        pages++;
      } while (cursor && pages < 50);
      return { out, pages };
    };
    const plansPaged = await all('m1', '/api/v1/call-plans');
    expect(plansPaged.pages).toBe(2);
    // Default order: weekday, then the local start time (the Berlin plan is on Monday 09:00, before 11:00 and 14:00).
    expect(plansPaged.out.map((p) => `${p.weekday} ${p.startTime}`)).toEqual(['mon 09:00', 'mon 11:00', 'mon 14:00']);
    expect(new Set(plansPaged.out.map((p) => p.id)).size).toBe(3);
    const visitsPaged = await all('m1', `/api/v1/visits?planId=${p1.id}`);
    expect(visitsPaged.out.map((v) => v.id)).toEqual((await visitsOf(p1.id)).map((v) => v.id));
    expect(visitsPaged.pages).toBeGreaterThan(1);
    const desc = (await c.m1!.get(`/api/v1/visits?planId=${p1.id}&sort=-scheduledStart&limit=1`)).json();
    expect(desc.items[0].scheduledStart).toBe(visitsPaged.out[visitsPaged.out.length - 1].scheduledStart);
    const changesPaged = await all('m1', `/api/v1/call-plan-changes?planId=${p1.id}`);
    expect(changesPaged.out.map((x) => x.id)).toEqual((await c.m1!.get(`/api/v1/call-plans/${p1.id}/history`)).json().items.map((x: { id: string }) => x.id));
    const bad = await c.m1!.get('/api/v1/call-plans?cursor=nonsense');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].path).toBe('querystring.cursor');
    expect((await c.m1!.get('/api/v1/call-plans?sort=colour')).json().errors[0].path).toBe('querystring.sort');
  });

  it('builds the feed URL from OPENKAM_PUBLIC_URL when set, else from the request (forwarded headers only behind a trusted proxy)', async () => {
    const forwarded = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'kam.example.com' };
    const direct = (await c.m1!.post('/api/v1/calendar/feeds', { name: 'direct' }, forwarded)).json();
    expect(direct.url).toMatch(/^http:\/\/localhost:80\/api\/v1\/calendar\/feeds\/okc_[\w-]+\.ics$/);
    const proxied = await buildTestApp(dialect, { OPENKAM_TRUST_PROXY: 'true' });
    const saved = process.env.OPENKAM_PUBLIC_URL;
    try {
      const m1 = await proxied.login('m1');
      expect((await m1.post('/api/v1/calendar/feeds', { name: 'proxied' }, forwarded)).json().url).toMatch(/^https:\/\/kam\.example\.com\/api\/v1\/calendar\/feeds\/okc_[\w-]+\.ics$/);
      process.env.OPENKAM_PUBLIC_URL = 'https://openkam.example.cn/kam/';
      const pub = (await m1.post('/api/v1/calendar/feeds', { name: 'public' }, forwarded)).json();
      expect(pub.url).toBe(`https://openkam.example.cn/kam/api/v1/calendar/feeds/${pub.token}.ics`);
    } finally {
      if (saved === undefined) delete process.env.OPENKAM_PUBLIC_URL; else process.env.OPENKAM_PUBLIC_URL = saved;
      await proxied.close();
    }
  });
});
