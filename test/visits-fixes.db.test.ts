import { afterAll, beforeAll, expect, it } from 'vitest';
import { newId } from '../src/shared/ids.js';
import { buildTestApp, type Client, type TestApp } from './build-test-app.js';
import { describeEachDialect } from './dialects.js';

type Visit = { id: string; scheduledStart: string; scheduledEnd: string; status: string; punctuality: string | null; checkInWindow: { opensAt: string; closesAt: string } };
type Change = { id: string; planId: string; status: string; before: { weekday: string; startTime: string } | null; after: { weekday: string; startTime: string } };
type Event = { id: string; kind: string; titleKey: string; params: Record<string, unknown> };

/**
 * The visit program's defects of issue #13 (item 5), each as a user meets it, on the small test world.
 * A Monday route from an office at (28.40, 121.40) through three stops in a poor order: Account 1's
 * far warehouse A at 09:00, Account 2's warehouse B next to the office at 11:00, Account 1's far
 * yard C at 14:00. Clock: Thursday 2026-11-26 16:00 in Shanghai; the first Monday is 30 November.
 */
describeEachDialect('visit program fixes: timeline, order, check-in window, idempotent proposals, savings', (dialect) => {
  let t: TestApp;
  const c: Record<string, Client> = {};
  let routeId: string;
  const plan: Record<'A' | 'B' | 'C', { id: string; version: number }> = {} as never;
  const etag = (p: { id: string; version: number }) => ({ 'if-match': `"${p.id}.${p.version}"` });
  const firstVisit = async (planId: string) => ((await c.m1!.get(`/api/v1/visits?planId=${planId}`)).json().items as Visit[])[0]!;
  const pendingOf = async (planId: string) => ((await c.m1!.get(`/api/v1/call-plan-changes?planId=${planId}&status=pending`)).json().items as Change[]);

  beforeAll(async () => {
    t = await buildTestApp(dialect);
    for (const k of ['m1', 'd1', 'logistics']) c[k] = await t.login(k);
    const k = t.db.kysely;
    const yard = newId();
    await k.updateTable('sites').set({ lat: 28.60, lng: 121.40 }).where('id', '=', t.world.records.acc1!.site).execute();
    await k.updateTable('sites').set({ lat: 28.405, lng: 121.405 }).where('id', '=', t.world.records.acc2!.site).execute();
    await k.insertInto('sites').values({
      id: yard, account_id: t.world.accounts.acc1, name: 'Yard of acc1', kind: 'yard', address: null, city: '台州市', province: '浙江省', lat: 28.61, lng: 121.41,
      opening_hours: null, created_at: '2026-11-01T00:00:00.000Z', updated_at: '2026-11-01T00:00:00.000Z', version: 1,
    }).execute();
    const r = await c.m1!.post('/api/v1/visit-routes', { name: 'Monday', weekday: 'mon', base: { label: 'Office', lat: 28.40, lng: 121.40 }, dayStart: '08:00', dayEnd: '18:00' });
    expect(r.statusCode, r.body).toBe(201);
    routeId = r.json().id;
    // Stop numbers deliberately out of step with the times.
    for (const [key, accountId, siteId, startTime, pos] of [
      ['A', t.world.accounts.acc1, t.world.records.acc1!.site, '09:00', 3], ['B', t.world.accounts.acc2, t.world.records.acc2!.site, '11:00', 1], ['C', t.world.accounts.acc1, yard, '14:00', 2],
    ] as const) {
      const res = await c.m1!.post('/api/v1/call-plans', { accountId, siteId, weekday: 'mon', startTime, durationMinutes: 60, routeId, routePosition: pos });
      expect(res.statusCode, res.body).toBe(201);
      plan[key] = res.json();
    }
  });
  afterAll(async () => t?.close());

  it('shows what the route proposal saves: the drive now and proposed, in minutes, metres and percent', async () => {
    const res = await c.m1!.post(`/api/v1/visit-routes/${routeId}/optimise-day`, {});
    expect(res.statusCode, res.body).toBe(200);
    const p = res.json();
    // Today's order goes out to A, back past the office to B and out again to C.
    expect(p.current.travelMetres).toBeGreaterThan(p.travelMetres * 1.3);
    expect(p.saving).toEqual({
      minutes: p.current.travelMinutes - p.travelMinutes, metres: p.current.travelMetres - p.travelMetres,
      minutesPercent: Math.round(((p.current.travelMinutes - p.travelMinutes) / p.current.travelMinutes) * 1000) / 10,
      metresPercent: Math.round(((p.current.travelMetres - p.travelMetres) / p.current.travelMetres) * 1000) / 10,
    });
    expect(p.saving.minutes).toBeGreaterThan(0);
    // Keeping today's times keeps today's drive: nothing saved.
    const kept = (await c.m1!.post(`/api/v1/visit-routes/${routeId}/optimise-day`, { keepTimes: true })).json();
    expect(kept.current).toEqual({ travelMinutes: kept.travelMinutes, travelMetres: kept.travelMetres });
    expect(kept.saving).toMatchObject({ minutes: 0, metres: 0, minutesPercent: 0 });
  });

  it('never proposes or accepts a change that leaves the day and time as they are', async () => {
    // Same times, other stop numbers: before, three "13:30 → 13:30" changes went to the director.
    const kept = (await c.m1!.post(`/api/v1/visit-routes/${routeId}/optimise-day`, { keepTimes: true })).json();
    expect(kept.stops.map((s: { currentStart: string; proposedStart: string }) => [s.currentStart, s.proposedStart])).toEqual([['09:00', '09:00'], ['11:00', '11:00'], ['14:00', '14:00']]);
    expect(kept.changes).toEqual([]);
    const same = await c.m1!.post(`/api/v1/call-plans/${plan.A.id}/changes`, { reason: 'manager_capacity', note: 'same again', slot: { startTime: '09:00', routePosition: 1 } }, etag(plan.A));
    expect(same.statusCode).toBe(409);
    expect(same.headers['content-type']).toContain('application/problem+json');
    expect(same.json()).toMatchObject({ code: 'no_change', detail: expect.stringContaining('leaves the slot as it is (mon 09:00)') });
    const batch = await c.m1!.post('/api/v1/call-plan-changes/batch', { reason: 'route_optimisation', changes: [{ planId: plan.A.id, version: plan.A.version, slot: { startTime: '09:00', routePosition: 1 } }] });
    expect(batch.statusCode).toBe(409);
    expect(await pendingOf(plan.A.id)).toEqual([]);

    // Two stops: either order drives the same. Nothing saved, so no slot is moved for it.
    const shop = newId();
    await t.db.kysely.insertInto('sites').values({
      id: shop, account_id: t.world.accounts.acc2, name: 'Shop of acc2', kind: 'store', address: null, city: '台州市', province: '浙江省', lat: 28.50, lng: 121.50,
      opening_hours: null, created_at: '2026-11-01T00:00:00.000Z', updated_at: '2026-11-01T00:00:00.000Z', version: 1,
    }).execute();
    const tue = (await c.m1!.post('/api/v1/visit-routes', { name: 'Tuesday', weekday: 'tue', base: { label: 'Office', lat: 28.40, lng: 121.40 }, dayStart: '08:00', dayEnd: '18:00' })).json();
    for (const [accountId, siteId, startTime] of [[t.world.accounts.acc2, shop, '10:00'], [t.world.accounts.acc2, t.world.records.acc2!.site, '15:00']] as const) {
      expect((await c.m1!.post('/api/v1/call-plans', { accountId, siteId, weekday: 'tue', startTime, durationMinutes: 60, routeId: tue.id })).statusCode).toBe(201);
    }
    const even = (await c.m1!.post(`/api/v1/visit-routes/${tue.id}/optimise-day`, {})).json();
    expect(even.saving).toMatchObject({ minutes: 0, metres: 0 });
    expect(even.changes).toEqual([]);
  });

  it('applies the same route proposal twice without a second set of pending changes; a new request replaces the waiting one', async () => {
    const p = (await c.m1!.post(`/api/v1/visit-routes/${routeId}/optimise-day`, {})).json();
    expect(p.changes.length).toBeGreaterThan(0);
    const first = await c.m1!.post('/api/v1/call-plan-changes/batch', { reason: 'route_optimisation', changes: p.changes });
    expect(first.statusCode, first.body).toBe(201);
    const again = await c.m1!.post('/api/v1/call-plan-changes/batch', { reason: 'route_optimisation', changes: p.changes });
    expect(again.statusCode, again.body).toBe(201);
    expect(again.json().items.map((x: Change) => x.id)).toEqual(first.json().items.map((x: Change) => x.id));
    const pending = (await c.d1!.get('/api/v1/call-plan-changes?status=pending')).json().items as Change[];
    expect(pending).toHaveLength(p.changes.length);
    for (const x of pending) expect(`${x.after.weekday} ${x.after.startTime}`).not.toBe(`${x.before!.weekday} ${x.before!.startTime}`);

    const moved = pending[0]!;
    const current = (await c.m1!.get(`/api/v1/call-plans/${moved.planId}`)).json();
    const other = await c.m1!.post(`/api/v1/call-plans/${moved.planId}/changes`, { reason: 'manager_capacity', note: 'training that morning', slot: { startTime: '16:30' } }, etag(current));
    expect(other.statusCode, other.body).toBe(201);
    expect((await pendingOf(moved.planId)).map((x) => [x.id, x.after.startTime])).toEqual([[other.json().change.id, '16:30']]);
    const history = (await c.m1!.get(`/api/v1/call-plans/${moved.planId}/history`)).json().items as Change[];
    expect(history.find((x) => x.id === moved.id)).toMatchObject({ status: 'superseded' });
    // The director now decides one change per slot.
    expect((await c.d1!.get('/api/v1/call-plan-changes?status=pending')).json().items).toHaveLength(p.changes.length);
  });

  it('refuses a check-in at 04:12 for a 09:00 slot with a clear problem, and accepts one from 07:00; late is still a visit, the next day is not', async () => {
    const a = await firstVisit(plan.A.id);
    expect(a.scheduledStart).toBe('2026-11-30T01:00:00.000Z');
    expect(a.checkInWindow).toEqual({ opensAt: '2026-11-29T23:00:00.000Z', closesAt: '2026-11-30T16:00:00.000Z' });
    t.clock.set('2026-11-29T20:12:00.000Z');
    const early = await c.m1!.post(`/api/v1/visits/${a.id}/check-in`, { lat: 28.60, lng: 121.40 });
    expect(early.statusCode).toBe(409);
    expect(early.headers['content-type']).toContain('application/problem+json');
    expect(early.json()).toMatchObject({ code: 'check_in_too_early', opensAt: '2026-11-29T23:00:00.000Z', detail: expect.stringContaining('opens at 2026-11-30 07:00') });
    expect((await c.m1!.get(`/api/v1/visits/${a.id}`)).json()).toMatchObject({ status: 'planned', checkIn: null });
    // A phone that says it checked in at 04:12 is refused alike.
    t.clock.set('2026-11-30T00:30:00.000Z');
    expect((await c.m1!.post(`/api/v1/visits/${a.id}/check-in`, { lat: 28.60, lng: 121.40, at: '2026-11-29T20:12:00.000Z' })).json().code).toBe('check_in_too_early');
    const ok = await c.m1!.post(`/api/v1/visits/${a.id}/check-in`, { lat: 28.60, lng: 121.40 });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ status: 'checked_in', punctuality: 'early' });

    const b = await firstVisit(plan.B.id);
    t.clock.set('2026-11-30T09:00:00.000Z');
    const late = await c.m1!.post(`/api/v1/visits/${b.id}/check-in`, { lat: 28.405, lng: 121.405 });
    expect(late.statusCode, late.body).toBe(200);
    expect(late.json()).toMatchObject({ status: 'checked_in', punctuality: 'late', outcome: 'late' });

    const cv = await firstVisit(plan.C.id);
    t.clock.set('2026-11-30T16:30:00.000Z');
    const closed = await c.m1!.post(`/api/v1/visits/${cv.id}/check-in`, { lat: 28.61, lng: 121.41 });
    expect(closed.statusCode).toBe(409);
    expect(closed.json()).toMatchObject({ code: 'check_in_closed', detail: expect.stringContaining('record it as missed') });
  });

  it('records a check-in as the account\'s activity, completes it at check-out, and shows the visit once on the timeline', async () => {
    const a = await firstVisit(plan.A.id);
    const activities = async (who = 'm1') => ((await c[who]!.get(`/api/v1/activities?accountId=${t.world.accounts.acc1}`)).json().items as { id: string; kind: string; visitId: string | null; startsAt: string; durationMinutes: number; subject: string; notes: string | null; version: number }[]);
    const recorded = (await activities()).filter((x) => x.visitId === a.id);
    expect(recorded).toEqual([expect.objectContaining({ kind: 'visit', startsAt: '2026-11-30T00:30:00.000Z', durationMinutes: 60, subject: 'Warehouse of acc1', notes: null })]);

    t.clock.set('2026-11-30T17:00:00.000Z');
    const out = await c.m1!.post(`/api/v1/visits/${a.id}/check-out`, { lat: 28.60, lng: 121.40, at: '2026-11-30T01:45:00.000Z', outcomeNotes: 'Spring order agreed' });
    expect(out.statusCode, out.body).toBe(200);
    const [activity] = (await activities()).filter((x) => x.visitId === a.id);
    expect(activity).toMatchObject({ durationMinutes: 75, notes: 'Spring order agreed' });
    // Changed on the visit, not on its own: the two would disagree.
    const edit = await c.m1!.patch(`/api/v1/activities/${activity!.id}`, { notes: 'something else' }, { 'if-match': `"${activity!.id}.${activity!.version}"` });
    expect(edit.statusCode).toBe(409);
    expect(edit.json().detail).toContain('change its outcome on the visit');
    expect((await c.m1!.del(`/api/v1/activities/${activity!.id}`, { 'if-match': `"${activity!.id}.${activity!.version}"` })).statusCode).toBe(409);
    const visit = (await c.m1!.get(`/api/v1/visits/${a.id}`)).json();
    await c.m1!.patch(`/api/v1/visits/${a.id}`, { outcomeNotes: 'Spring order agreed; samples next week' }, { 'if-match': `"${a.id}.${visit.version}"` });
    expect((await activities()).find((x) => x.visitId === a.id)).toMatchObject({ notes: 'Spring order agreed; samples next week' });

    // One entry on the timeline: the visit's own event, not also an activity or a raw check-in.
    const timeline = async (who: string) => (await c[who]!.get(`/api/v1/accounts/${t.world.accounts.acc1}/timeline?limit=100`)).json().items as Event[];
    const events = await timeline('m1');
    expect(events.filter((e) => e.id === `visit:${a.id}`)).toEqual([expect.objectContaining({ kind: 'visit', titleKey: 'visits.timeline.visit.early' })]);
    expect(events.filter((e) => e.id === `activity:${activity!.id}`)).toEqual([]);
    expect(events.filter((e) => e.kind === 'history' && ['check_in', 'check_out'].includes(e.params.action as string))).toEqual([]);
    // Logistics reads activities but not the visit program: there it is the activity.
    const theirs = await timeline('logistics');
    expect(theirs.filter((e) => e.id === `activity:${activity!.id}` || e.id === `visit:${a.id}`).map((e) => e.kind)).toEqual(['activity']);
    // The account's last contact counts the program visit.
    const home = (await c.m1!.get('/api/v1/home')).json();
    expect(home.recentActivity.map((x: { id: string }) => x.id)).toContain(activity!.id);
    // Visited today: not among the key accounts "with no visit in 30+ days" (its last logged visit was 1 October).
    expect(home.attention.noVisit.map((x: { id: string }) => x.id)).not.toContain(t.world.accounts.acc1);
  });

  it('lists coming visits soonest first and past ones newest first, in the API and the account tab\'s queries', async () => {
    t.clock.set('2026-12-01T02:00:00.000Z');
    const list = async (q: string) => ((await c.m1!.get(`/api/v1/visits?accountId=${t.world.accounts.acc1}&${q}`)).json().items as Visit[]);
    const upcoming = await list('when=upcoming');
    expect(upcoming.map((v) => v.scheduledStart)).toEqual([
      '2026-12-07T01:00:00.000Z', '2026-12-07T06:00:00.000Z', '2026-12-14T01:00:00.000Z', '2026-12-14T06:00:00.000Z', '2026-12-21T01:00:00.000Z', '2026-12-21T06:00:00.000Z',
    ]);
    const past = await list('when=past');
    expect(past.map((v) => [v.scheduledStart, v.status])).toEqual([['2026-11-30T06:00:00.000Z', 'planned'], ['2026-11-30T01:00:00.000Z', 'completed']]);
    // Paged, the order holds across pages.
    const firstPage = (await c.m1!.get(`/api/v1/visits?accountId=${t.world.accounts.acc1}&when=upcoming&limit=4`)).json();
    const next = (await c.m1!.get(`/api/v1/visits?accountId=${t.world.accounts.acc1}&when=upcoming&limit=4&cursor=${encodeURIComponent(firstPage.nextCursor)}`)).json();
    expect([...firstPage.items, ...next.items].map((v: Visit) => v.scheduledStart)).toEqual(upcoming.map((v) => v.scheduledStart));
    // A visit done before its slot ends is past, not coming.
    const b = await firstVisit(plan.B.id);
    t.clock.set('2026-11-30T09:30:00.000Z');
    await c.m1!.post(`/api/v1/visits/${b.id}/check-out`, { lat: 28.405, lng: 121.405 });
    t.clock.set('2026-11-30T02:30:00.000Z');
    const acc2 = async (q: string) => ((await c.m1!.get(`/api/v1/visits?accountId=${t.world.accounts.acc2}&${q}`)).json().items as Visit[]).map((v) => v.id);
    expect(await acc2('when=past')).toEqual([b.id]);
    expect(await acc2('when=upcoming')).not.toContain(b.id);
  });
});
