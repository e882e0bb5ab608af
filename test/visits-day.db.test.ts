import { afterAll, beforeAll, expect, it } from 'vitest';
import type { AgendaItem } from '../src/platform/contributions.contract.js';
import { buildTestApp, type Client, type TestApp } from './build-test-app.js';
import { describeEachDialect } from './dialects.js';

/**
 * The visit program on people's day: today's visits in route order for the manager, the director's
 * approvals grouped by manager and approved a group at once, and the answers the manager waits for.
 * Clock: Thursday 2026-11-26 16:00 in Shanghai. team1 = d1 with m1, m2; team2 = d2 with m3.
 */
describeEachDialect('visit program on the day: route order, grouped approvals', (dialect) => {
  let t: TestApp;
  const c: Record<string, Client> = {};
  const etag = (p: { id: string; version: number }) => ({ 'if-match': `"${p.id}.${p.version}"` });
  const day = async (who: string) => ((await c[who]!.get('/api/v1/home/day')).json() as { items: AgendaItem[] }).items;

  beforeAll(async () => {
    t = await buildTestApp(dialect);
    for (const k of ['m1', 'm2', 'm3', 'd1', 'd2']) c[k] = await t.login(k);
  });
  afterAll(async () => t?.close());

  it("lists today's visits on the manager's day in route order, with the site and the time", async () => {
    const route = (await c.m1!.post('/api/v1/visit-routes', { name: 'Thursday', weekday: 'thu', base: { label: 'Office', lat: 28.4, lng: 121.4 } })).json();
    for (const [acc, time, pos] of [['acc2', '18:00', 2], ['acc1', '17:00', 1]] as const) {
      const res = await c.m1!.post('/api/v1/call-plans', { accountId: t.world.accounts[acc], siteId: t.world.records[acc]!.site, weekday: 'thu', startTime: time, durationMinutes: 45, routeId: route.id, routePosition: pos });
      expect(res.statusCode, res.body).toBe(201);
    }
    const visits = (await day('m1')).filter((i) => i.kind === 'visit');
    expect(visits.map((v) => [v.order, v.params.site, v.at, v.urgency])).toEqual([
      [1, 'Warehouse of acc1', '2026-11-26T09:00:00.000Z', 'today'],
      [2, 'Warehouse of acc2', '2026-11-26T10:00:00.000Z', 'today'],
    ]);
    expect(visits[0]!.account).toMatchObject({ id: t.world.accounts.acc1, code: 'ACC1' });
    expect((await day('m2')).filter((i) => i.kind === 'visit')).toEqual([]);
  });

  it("groups the director's approvals by manager and approves a group at once, all or none", async () => {
    const plans = (await c.m1!.get('/api/v1/call-plans?limit=50')).json().items as { id: string; version: number; accountId: string }[];
    const asked: string[] = [];
    for (const [i, p] of plans.entries()) {
      const res = await c.m1!.post(`/api/v1/call-plans/${p.id}/changes`, { reason: 'manager_capacity', note: 'new accounts on Thursday', slot: { startTime: ['14:00', '15:00'][i] } }, etag(p));
      expect(res.statusCode, res.body).toBe(201);
      asked.push(res.json().change.id);
    }
    const m3route = (await c.m3!.post('/api/v1/visit-routes', { name: 'Fri', weekday: 'fri', base: { label: 'Office', lat: 28.4, lng: 121.4 } })).json();
    const m3plan = (await c.m3!.post('/api/v1/call-plans', { accountId: t.world.accounts.acc3, siteId: t.world.records.acc3!.site, weekday: 'fri', startTime: '09:00', durationMinutes: 30, routeId: m3route.id, routePosition: 1 })).json();
    const m3change = (await c.m3!.post(`/api/v1/call-plans/${m3plan.id}/changes`, { reason: 'other', note: 'road works', slot: { startTime: '10:00' } }, etag(m3plan))).json().change.id as string;

    const approvals = (await day('d1')).filter((i) => i.kind === 'approval');
    expect(approvals.map((a) => [a.params.manager, a.params.count, a.urgency])).toEqual([['User m1', 2, 'waiting']]);
    expect(approvals[0]!.link.to).toBe(`/visits/changes?managerId=${t.world.users.m1}`);
    expect((await day('d2')).filter((i) => i.kind === 'approval').map((a) => a.params.count)).toEqual([1]);

    // A group with a change d1 may not decide is refused whole: nothing is applied.
    const mixed = await c.d1!.post('/api/v1/call-plan-changes/approve', { ids: [...asked, m3change] });
    expect(mixed.statusCode).toBe(404);
    expect((await c.d1!.get('/api/v1/call-plan-changes?status=pending')).json().items).toHaveLength(2);

    const ok = await c.d1!.post('/api/v1/call-plan-changes/approve', { ids: asked, note: 'agreed' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().items.map((x: { status: string; decisionNote: string }) => [x.status, x.decisionNote])).toEqual([['applied', 'agreed'], ['applied', 'agreed']]);
    expect(((await c.m1!.get('/api/v1/call-plans?limit=50')).json().items as { startTime: string }[]).map((p) => p.startTime).sort()).toEqual(['14:00', '15:00']);
    expect((await day('d1')).filter((i) => i.kind === 'approval')).toEqual([]);
    // m1 sees the answers on the day; the approval is audited per plan.
    expect((await day('m1')).filter((i) => i.kind === 'slot-change').map((i) => i.titleKey)).toEqual(['visits.agenda.slotChange.applied', 'visits.agenda.slotChange.applied']);
    const audit = await c.d1!.get(`/api/v1/accounts/${t.world.accounts.acc1}/audit`);
    expect(audit.json().items.map((a: { action: string }) => a.action)).toContain('slot_change_approved');
    expect((await c.m1!.post('/api/v1/call-plan-changes/approve', { ids: asked })).statusCode).toBe(403);
  });
});
