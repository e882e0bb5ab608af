import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { typhoonRisk } from '../src/modules/delivery/climate.service.js';
import { buildTestApp, type Client, type TestApp } from './build-test-app.js';
import { describeEachDialect } from './dialects.js';

/**
 * Lanes, rates, the plan and seasonal rules through the API. The clock stands at 2026-11-26, so
 * the plan's year is 2026. Lane PLANT-ACC1 (inland, no sea ports: no typhoon risk) to ACC1 (m1's),
 * 12,000 t a year. Worked on paper:
 * - Rates: ship ¥120/t 1 Jan – 31 Aug, ¥125/t from 1 Sep (open); rail ¥140/t to 30 Jun, ¥145/t 1 Jul – 31 Dec; no road.
 *   Rail − ship: July 2,500, August 2,500, September 2,000 (minor units a tonne).
 * - Ship shipments (2025): July 4, 5, 7 days (promised so that 0, 1, 2 days late); August 5, 5, 6; September 4, 4, 5.
 *   Rail: three in March, 4, 5, 6 days (fewer than 3 in July: all months are used).
 *   Ship July: mean 16/3, median 5, p90 = 5 + 0.8 × 2 = 6.6; late mean 1, late share 2/3. Rail: mean 5, median 5, p90 5.8.
 *   Expected days (no typhoon): ship July 5, August 5, September 4; rail 5 → days saved 0, 0, −1.
 * - Rule ship → rail July–September: extra (2,500 + 2,500 + 2,000) / 3 = 2,333.33 → 2,333 a tonne;
 *   period tonnes 12,000 × 3 / 12 = 3,000; cost 3,000 × 2,333 = 6,999,000 (¥69,990); days saved −1/3.
 */
const shipLine = (key: string, shipped: string, delivered: string, promised: string, mode = 'ship') => ({
  sourceKey: key, accountCode: 'ACC1', orderNo: key, quantity: 1, promisedDate: promised, status: 'delivered', laneCode: 'PLANT-ACC1',
  shipments: [{ sourceKey: `S-${key}`, shippedDate: shipped, deliveredDate: delivered, quantity: 1, mode, weightGrams: 500_000_000 }],
});
const lines = [
  shipLine('J1', '2025-07-03', '2025-07-07', '2025-07-07'), shipLine('J2', '2025-07-12', '2025-07-17', '2025-07-16'), shipLine('J3', '2025-07-20', '2025-07-27', '2025-07-25'),
  shipLine('A1', '2025-08-02', '2025-08-07', '2025-08-10'), shipLine('A2', '2025-08-15', '2025-08-20', '2025-08-20'), shipLine('A3', '2025-08-28', '2025-09-03', '2025-09-03'),
  shipLine('S1', '2025-09-05', '2025-09-09', '2025-09-10'), shipLine('S2', '2025-09-14', '2025-09-18', '2025-09-18'), shipLine('S3', '2025-09-22', '2025-09-27', '2025-09-27'),
  shipLine('R1', '2025-03-04', '2025-03-08', '2025-03-10', 'rail'), shipLine('R2', '2025-03-11', '2025-03-16', '2025-03-16', 'rail'), shipLine('R3', '2025-03-18', '2025-03-24', '2025-03-24', 'rail'),
];
const lane = (accountId: string, over: Record<string, unknown> = {}) => ({
  code: 'PLANT-ACC1', accountId, name: 'Plant → Account 1', originName: 'Plant', originLat: 30.2, originLng: 120.2, ports: [], defaultMode: 'ship', annualTonnes: 12_000, ...over,
});

describeEachDialect('lanes: rates, plan and seasonal rules', (dialect) => {
  let t: TestApp;
  let logistics: Client, m1: Client, m3: Client, d1: Client, dealer: Client;
  const url = '/api/v1/lanes/PLANT-ACC1';
  beforeAll(async () => {
    t = await buildTestApp(dialect);
    [logistics, m1, m3, d1, dealer] = await Promise.all(['logistics', 'm1', 'm3', 'd1', 'dealer'].map((k) => t.login(k))) as [Client, Client, Client, Client, Client];
    expect((await logistics.post('/api/v1/delivery/order-lines', { lines })).statusCode).toBe(200);
  });
  afterAll(async () => t?.close());

  describe('lanes and rates', () => {
    it('a planner creates a lane to a dealer; its code is unique; a manager may not create one and a dealer sees none', async () => {
      const res = await logistics.post('/api/v1/lanes', lane(t.world.accounts.acc1));
      expect(res.statusCode).toBe(201);
      expect(res.json()).toMatchObject({ code: 'PLANT-ACC1', typhoonDistanceKm: 200, annualTonnes: 12_000, plan: null, account: { code: 'ACC1' } });
      expect((await logistics.post('/api/v1/lanes', lane(t.world.accounts.acc1))).statusCode).toBe(409);
      expect((await m1.post('/api/v1/lanes', lane(t.world.accounts.acc1, { code: 'OTHER' }))).statusCode).toBe(403);
      expect((await dealer.get('/api/v1/lanes')).statusCode).toBe(403);
      expect((await dealer.get(`${url}/plan`)).statusCode).toBe(403);
    });

    it('takes rate lines with validity and refuses one overlapping another of the same mode, naming it', async () => {
      const add = (mode: string, perTonneMinor: number, validFrom: string, validTo: string | null) => logistics.post(`${url}/rates`, { mode, currency: 'CNY', perTonneMinor, validFrom, validTo });
      for (const [m, p, f, to] of [['ship', 12_000, '2026-01-01', '2026-08-31'], ['ship', 12_500, '2026-09-01', null], ['rail', 14_000, '2026-01-01', '2026-06-30'], ['rail', 14_500, '2026-07-01', '2026-12-31']] as const) {
        expect((await add(m, p, f, to)).statusCode).toBe(201);
      }
      const clash = await add('ship', 13_000, '2026-08-15', '2026-08-31');
      expect(clash.statusCode).toBe(409);
      expect(clash.json()).toMatchObject({ code: 'rate_overlap' });
      expect(clash.json().detail ?? clash.json().title ?? clash.body).toContain('2026-01-01 – 2026-08-31');
      expect((await add('road', 9_000, '2026-03-01', '2026-02-01')).statusCode).toBe(400);
      const rates = (await m1.get(`${url}/rates`)).json().items;
      expect(rates).toHaveLength(4);
    });

    it('a manager of another dealer does not find the lane (404), nor its plan, rates or rules', async () => {
      for (const path of ['', '/plan', '/rates', '/rules']) expect((await m3.get(`${url}${path}`)).statusCode, path).toBe(404);
      expect((await m3.get('/api/v1/lanes')).json().items).toEqual([]);
      expect((await m1.get('/api/v1/lanes')).json().items.map((l: { code: string }) => l.code)).toEqual(['PLANT-ACC1']);
    });
  });

  describe('the plan', () => {
    it('picks the rate valid on the 1st of each month, and no data for a mode without one', async () => {
      const plan = (await m1.get(`${url}/plan`)).json();
      expect(plan.year).toBe(2026);
      const rate = (month: number, mode: string) => plan.months[month - 1].modes.find((m: { mode: string }) => m.mode === mode).rate?.perTonneMinor ?? null;
      expect([rate(6, 'rail'), rate(7, 'rail'), rate(8, 'ship'), rate(9, 'ship'), rate(7, 'road')]).toEqual([14_000, 14_500, 12_000, 12_500, null]);
    });

    it('gives transit mean, median and p90 from the lane\'s shipments by mode and month, the delay against the promise, and no typhoon risk inland', async () => {
      const plan = (await m1.get(`${url}/plan`)).json();
      const july = plan.months[6].modes;
      const ship = july.find((m: { mode: string }) => m.mode === 'ship'), rail = july.find((m: { mode: string }) => m.mode === 'rail'), road = july.find((m: { mode: string }) => m.mode === 'road');
      expect(ship.transit).toMatchObject({ n: 3, source: 'month', medianDays: 5 });
      expect(ship.transit.meanDays).toBeCloseTo(16 / 3, 10);
      expect(ship.transit.p90Days).toBeCloseTo(6.6, 10);
      expect(ship.delay.n).toBe(3);
      expect(ship.delay.meanDaysLate).toBeCloseTo(1, 10);
      expect(ship.delay.lateShare).toBeCloseTo(2 / 3, 10);
      expect(rail.transit).toMatchObject({ n: 3, source: 'all-months', medianDays: 5, meanDays: 5 });
      expect(rail.transit.p90Days).toBeCloseTo(5.8, 10);
      expect(rail.delay).toBeNull();
      expect(road.transit).toBeNull();
      expect(ship.p34).toBe(0);
      expect(ship.disruptionChance).toBe(0);
      expect(plan.climatology.ports).toBe(0);
    });

    it('shows the typhoon chance near a lane\'s sea port for ship, and a fifth of it for rail', async () => {
      const port = { name: 'Ningbo-Zhoushan', lat: 29.87, lng: 121.55 };
      expect((await logistics.post('/api/v1/lanes', lane(t.world.accounts.acc1, { code: 'NGB-ACC1', ports: [port] }))).statusCode).toBe(201);
      const plan = (await m1.get('/api/v1/lanes/NGB-ACC1/plan')).json();
      const aug = plan.months[7].modes;
      const expected = typhoonRisk([port], 200, 34).byMonth[7]!.probability;
      expect(expected).toBeGreaterThan(0);
      expect(aug.find((m: { mode: string }) => m.mode === 'ship').disruptionChance).toBeCloseTo(expected, 12);
      expect(aug.find((m: { mode: string }) => m.mode === 'rail').disruptionChance).toBeCloseTo(0.2 * expected, 12);
      expect(plan.months[0].modes[0].p64).toBeLessThanOrEqual(plan.months[0].modes[0].p34);
    });
  });

  describe('seasonal rules', () => {
    let first: { id: string; version: number };

    it('proposes rail for July–September with the arithmetic: cost = tonnes of the period × (rail − ship) a tonne', async () => {
      const res = await logistics.post(`${url}/rules`, { from: 'ship', to: 'rail', fromMonth: 7, toMonth: 9 });
      expect(res.statusCode).toBe(201);
      const r = res.json();
      first = r;
      expect(r).toMatchObject({ status: 'proposed', fromDay: '07-01', toDay: '09-30', fromMode: 'ship', toMode: 'rail', canDecide: false });
      expect(r.figures).toMatchObject({ months: [7, 8, 9], currency: 'CNY', extraPerTonneMinor: 2_333, periodTonnes: 3_000, costDeltaMinor: 6_999_000, chanceFrom: 0, chanceTo: 0 });
      expect(r.figures.arithmetic.extraPerTonne).toEqual({ monthly: [2_500, 2_500, 2_000], sum: 7_000, count: 3, mean: 2_333 });
      expect(r.figures.arithmetic.daysSaved.monthly).toEqual([0, 0, -1]);
      expect(r.figures.daysSaved).toBeCloseTo(-1 / 3, 10);
      expect(r.figures.arithmetic.cost).toEqual({ annualTonnes: 12_000, monthCount: 3, periodTonnes: 3_000, perTonneMinor: 2_333, totalMinor: 6_999_000 });
    });

    it('refuses a rule it cannot price, naming the months', async () => {
      const res = await logistics.post(`${url}/rules`, { from: 'ship', to: 'road', fromMonth: 1, toMonth: 2 });
      expect(res.statusCode).toBe(400);
      expect(res.json().errors.map((e: { message: string }) => e.message)).toEqual([
        'January: no road rate valid on the 1st (2026)', 'January: no road shipments on the lane to time', 'February: no road rate valid on the 1st (2026)', 'February: no road shipments on the lane to time',
      ]);
    });

    it('puts the proposal on the manager\'s day; logistics, another manager and a dealer may not approve it', async () => {
      const day = (await m1.get('/api/v1/home/day')).json();
      expect(day.items.filter((i: { kind: string }) => i.kind === 'lane-rule').map((i: { id: string }) => i.id)).toEqual([`lanes:rule:${first.id}`]);
      const m3day = (await m3.get('/api/v1/home/day')).json();
      expect(m3day.items.filter((i: { kind: string }) => i.kind === 'lane-rule')).toEqual([]);
      expect((await logistics.post(`${url}/rules/${first.id}/approve`, { version: 1 })).statusCode).toBe(403);
      expect((await m3.post(`${url}/rules/${first.id}/approve`, { version: 1 })).statusCode).toBe(404);
      expect((await dealer.post(`${url}/rules/${first.id}/approve`, { version: 1 })).statusCode).toBe(403);
      expect((await m1.get(`${url}/rules`)).json().items[0].canDecide).toBe(true);
    });

    it('approved by the dealer\'s manager, the rule becomes the lane\'s plan, on the account and its timeline', async () => {
      const res = await m1.post(`${url}/rules/${first.id}/approve`, { version: first.version, reason: 'Typhoon season' });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ status: 'approved', decidedBy: { name: 'User m1' }, reason: 'Typhoon season' });
      // 26 November is outside 1 July – 30 September: the plan is coming, in (181 − 329 + 365) = 217 days.
      expect((await m1.get(url)).json().plan).toEqual({ ruleId: first.id, fromMode: 'ship', toMode: 'rail', fromDay: '07-01', toDay: '09-30', inForce: false, startsInDays: 217 });
      const facts = (await m1.get(`/api/v1/accounts/${t.world.accounts.acc1}/facts`)).json().items.filter((f: { module: string }) => f.module === 'lanes');
      expect(facts).toEqual([expect.objectContaining({ labelKey: 'lanes.facts.plan', value: { kind: 'text', key: 'lanes.facts.rule', params: { mode: 'rail', fromMonth: 7, fromDate: 1, toMonth: 9, toDate: 30 } }, noteKey: 'lanes.facts.coming' })]);
      const timeline = (await m1.get(`/api/v1/accounts/${t.world.accounts.acc1}/timeline?kind=lane.rule-approved`)).json().items;
      expect(timeline).toEqual([expect.objectContaining({ id: `lanes:rule-approved:${first.id}`, body: 'Typhoon season', params: expect.objectContaining({ to: 'rail' }) })]);
      expect((await m1.post(`${url}/rules/${first.id}/approve`, { version: 2 })).statusCode).toBe(409);
    });

    it('approving an overlapping rule supersedes the one in the plan', async () => {
      const second = (await logistics.post(`${url}/rules`, { from: 'ship', to: 'rail', fromMonth: 8, toMonth: 10 })).json();
      expect(second.figures.arithmetic.extraPerTonne.monthly).toEqual([2_500, 2_000, 2_000]);
      expect((await d1.post(`${url}/rules/${second.id}/approve`, { version: 1 })).statusCode).toBe(200);
      const rules = (await m1.get(`${url}/rules`)).json().items;
      expect(rules.map((r: { id: string; status: string; supersededBy: string | null }) => [r.id, r.status, r.supersededBy])).toEqual([[second.id, 'approved', null], [first.id, 'superseded', second.id]]);
      expect((await m1.get(url)).json().plan).toMatchObject({ ruleId: second.id, fromDay: '08-01', toDay: '10-31' });
    });

    it('a rejection needs a reason and is kept with it', async () => {
      const third = (await logistics.post(`${url}/rules`, { from: 'ship', to: 'rail', fromMonth: 7, toMonth: 7 })).json();
      expect((await m1.post(`${url}/rules/${third.id}/reject`, { version: 1, reason: ' ' })).statusCode).toBe(400);
      const res = await m1.post(`${url}/rules/${third.id}/reject`, { version: 1, reason: 'Rail slower in July' });
      expect(res.json()).toMatchObject({ status: 'rejected', reason: 'Rail slower in July', canDecide: false });
      expect((await m1.get(url)).json().proposedRules).toBe(0);
    });

    it('audits every change: lane, rates, proposals, approvals, supersession and rejection', async () => {
      const rows = await t.db.kysely.selectFrom('audit_log').select(['action']).where('action', 'like', 'lane.%').execute();
      const count = (a: string) => rows.filter((r) => r.action === a).length;
      expect([count('lane.create'), count('lane.rate.add'), count('lane.rule.propose'), count('lane.rule.approve'), count('lane.rule.supersede'), count('lane.rule.reject')]).toEqual([2, 4, 3, 2, 1, 1]);
    });
  });
});
