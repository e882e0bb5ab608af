import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { DEMO_PASSWORD } from '../src/modules/demo/demo.generate.js';
import { isDatabaseEmpty, seedDemoWorld, type DemoSummary } from '../src/modules/demo/demo.seed.js';
import { buildApp } from '../src/server/app.js';
import { loadConfig } from '../src/server/config.js';
import { fixedClock } from '../src/shared/clock.js';
import { loginAs, type Client } from './build-test-app.js';

const pgUrl = process.env.TEST_DATABASE_URL;
if (!pgUrl) console.info('demo-world.db.test: TEST_DATABASE_URL is not set, so the PostgreSQL run is skipped (SQLite only).');

const domain = 'demo.openkam.local';
// A Thursday, 14:00 in Shanghai: manager1's Thursday route runs along the Wenling coast.
const clock = fixedClock('2026-11-19T06:00:00Z');
const nowIso = '2026-11-19T06:00:00.000Z';

type Dialect = {
  name: 'sqlite' | 'postgres';
  skip: boolean;
  open(): Promise<Db>;
  cleanup(): Promise<void>;
};

const sqliteDir = mkdtempSync(path.join(tmpdir(), 'openkam-demo-'));
const schema = `demo_world_${process.pid}_${Date.now()}`;

const dialects: Dialect[] = [
  {
    name: 'sqlite',
    skip: false,
    open: async () => openDatabase({ kind: 'sqlite', file: path.join(sqliteDir, 'demo.sqlite') }),
    cleanup: async () => rmSync(sqliteDir, { recursive: true, force: true }),
  },
  {
    name: 'postgres',
    skip: !pgUrl,
    open: async () => {
      const c = new pg.Client({ connectionString: pgUrl });
      await c.connect();
      await c.query(`create schema "${schema}"`);
      await c.end();
      return openDatabase({ kind: 'postgres', url: pgUrl!, searchPath: schema });
    },
    cleanup: async () => {
      const c = new pg.Client({ connectionString: pgUrl });
      await c.connect();
      await c.query(`drop schema if exists "${schema}" cascade`);
      await c.end();
    },
  },
];

for (const dialect of dialects) {
  describe.skipIf(dialect.skip)(`the demo world on ${dialect.name}`, () => {
    let db: Db;
    let summary: DemoSummary;
    let seedMs = 0;
    let app: FastifyInstance;
    let admin: Client;
    const as = (local: string) => loginAs(app, `${local}@${domain}`, DEMO_PASSWORD);

    beforeAll(async () => {
      db = await dialect.open();
      await migrateToLatest(db);
      expect(await isDatabaseEmpty(db)).toBe(true);
      const started = performance.now();
      summary = await seedDemoWorld(db, { clock, scale: 'full' });
      seedMs = performance.now() - started;
      console.info(`demo world on ${dialect.name}: seeded in ${Math.round(seedMs)} ms, ${summary.counts.sales_lines} sales lines, top-20% share ${summary.paretoTop20Share.toFixed(3)}`);
      const config = loadConfig({ OPENKAM_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'openkam-demo-app-')), LOG_LEVEL: 'silent' });
      app = await buildApp(config, db, { clock, logger: false });
      await app.ready();
      admin = await as('admin');
    }, 180_000);

    afterAll(async () => {
      await app?.close();
      await db?.destroy();
      await dialect.cleanup();
    });

    it('writes every generated row', async () => {
      for (const [table, count] of Object.entries(summary.counts)) {
        // Signing in (beforeAll) audits too: count only the seed's own audit row.
        const q = db.kysely.selectFrom(table as keyof DemoSummary['counts']).select((eb) => eb.fn.countAll<number>().as('n'));
        // The capacity demo's orders take their truckloads in the ledger too (reference: the order).
        const row = await (table === 'audit_log' ? q.where(sql.ref('action'), '=', 'seed')
          : table === 'service_usage' ? q.where(sql<boolean>`id not in (select usage_id from capacity_orders where usage_id is not null)`) : q).executeTakeFirstOrThrow();
        expect(Number(row.n), table).toBe(count);
      }
    });

    it('has about 400 accounts', async () => {
      const { n } = await db.kysely.selectFrom('accounts').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      expect(Number(n)).toBeGreaterThanOrEqual(380);
      expect(Number(n)).toBeLessThanOrEqual(420);
    });

    it('splits trailing-12-month revenue so that the top 20% of accounts bring 75–85% of it', async () => {
      const { from, to } = summary.trailing12m;
      const r = await sql<{ top: number; total: number; n: number }>`
        with revenue as (
          select account_id, sum(net_amount_minor) as rev from sales_lines
          where date >= ${from} and date <= ${to}
          group by account_id having sum(net_amount_minor) > 0
        ), ranked as (
          select rev, row_number() over (order by rev desc) as rn, count(*) over () as n from revenue
        )
        select sum(case when rn * 5 <= n then rev else 0 end) as top, sum(rev) as total, max(n) as n from ranked`.execute(db.kysely);
      const { top, total, n } = r.rows[0]!;
      const share = Number(top) / Number(total);
      console.info(`demo world on ${dialect.name}: top ${Math.floor(Number(n) / 5)} of ${n} buying accounts bring ${(share * 100).toFixed(1)}% of trailing-12-month revenue`);
      expect(share).toBeGreaterThanOrEqual(0.75);
      expect(share).toBeLessThanOrEqual(0.85);
      expect(share).toBeCloseTo(summary.paretoTop20Share, 9);
    });

    it('gives every manager, manager1 to manager20, accounts to own', async () => {
      const rows = await db.kysely.selectFrom('users').leftJoin('accounts', 'accounts.owner_id', 'users.id')
        .select(['users.email', (eb) => eb.fn.count<number>('accounts.id').as('n')])
        .where('users.role', '=', 'manager').groupBy('users.email').execute();
      const owned = new Map(rows.map((r) => [r.email, Number(r.n)]));
      for (let i = 1; i <= 20; i++) expect(owned.get(`manager${i}@${domain}`), `manager${i}`).toBeGreaterThan(0);
      expect(owned.get(`manager1@${domain}`)).toBeGreaterThanOrEqual(15);
      expect(owned.get(`manager1@${domain}`)).toBeLessThanOrEqual(25);
    });

    it('has dealers in 台州 and 温岭 (Zhejiang) with a warehouse', async () => {
      for (const city of ['台州市', '温岭市']) {
        const rows = await db.kysely.selectFrom('accounts').innerJoin('sites', 'sites.account_id', 'accounts.id')
          .select(['accounts.code', 'sites.lat', 'sites.lng'])
          .where('accounts.kind', '=', 'dealer').where('accounts.city', '=', city).where('accounts.province', '=', '浙江省')
          .where('sites.kind', '=', 'warehouse').execute();
        expect(rows.length, city).toBeGreaterThan(0);
        for (const r of rows) expect(Number(r.lat) > 28 && Number(r.lat) < 29.2 && Number(r.lng) > 120.8, city).toBe(true);
      }
    });

    it('gives every account its portal user, dealers, distributors and retail chains alike', async () => {
      const rows = await db.kysely.selectFrom('accounts')
        .leftJoin('users', (j) => j.onRef('users.account_id', '=', 'accounts.id').on('users.role', '=', 'dealer'))
        .select(['accounts.code', 'accounts.kind', 'users.email']).execute();
      expect(rows.length).toBeGreaterThan(300);
      expect(new Set(rows.map((r) => r.kind))).toEqual(new Set(['dealer', 'distributor', 'retail_chain']));
      for (const r of rows) expect(r.email).toBe(`dealer-${r.code.toLowerCase()}@${domain}`);
    });

    it('lets the portal user of each kind of account sign in and see only its own account', async () => {
      for (const kind of ['dealer', 'distributor', 'retail_chain']) {
        const a = await db.kysely.selectFrom('accounts').select(['id', 'code']).where('kind', '=', kind).where('status', '=', 'active').orderBy('code').executeTakeFirstOrThrow();
        const portal = await as(`dealer-${a.code.toLowerCase()}`);
        const res = await portal.get('/api/v1/accounts?limit=100');
        expect(res.statusCode, res.body).toBe(200);
        expect(res.json().items.map((x: { id: string }) => x.id), kind).toEqual([a.id]);
        const other = await db.kysely.selectFrom('accounts').select('id').where('id', '!=', a.id).orderBy('code').executeTakeFirstOrThrow();
        expect((await portal.get(`/api/v1/accounts/${other.id}`)).statusCode, kind).toBe(404);
      }
    });

    it("shows manager1 today's visits in route order, the ones already begun checked in near the site", async () => {
      const m1 = await as('manager1');
      const res = await m1.get('/api/v1/visits/today');
      expect(res.statusCode, res.body).toBe(200);
      const visits = (res.json() as { visits: { planId: string; scheduledStart: string; status: string; moved: unknown; checkIn: { distanceMetres: number } | null }[] }).visits
        .filter((v) => !v.moved);
      expect(visits.length).toBeGreaterThanOrEqual(2);
      const plans = await db.kysely.selectFrom('call_plans').innerJoin('visit_routes', 'visit_routes.id', 'call_plans.route_id')
        .select(['call_plans.id', 'call_plans.route_position', 'visit_routes.weekday']).where('call_plans.id', 'in', visits.map((v) => v.planId)).execute();
      const position = new Map(plans.map((p) => [p.id, Number(p.route_position)]));
      expect(new Set(plans.map((p) => p.weekday))).toEqual(new Set(['thu']));
      const starts = visits.map((v) => v.scheduledStart);
      expect(starts).toEqual([...starts].sort());
      const positions = visits.map((v) => position.get(v.planId)!);
      expect(positions).toEqual([...positions].sort((a, b) => a - b));
      const begun = visits.filter((v) => v.scheduledStart <= nowIso);
      expect(begun.length).toBeGreaterThan(0);
      for (const v of begun) {
        expect(['checked_in', 'completed']).toContain(v.status);
        expect(v.checkIn!.distanceMetres).toBeLessThanOrEqual(80);
      }
    });

    it('gives every director slot changes to approve, and an approval applies', async () => {
      for (let i = 1; i <= 4; i++) {
        const director = await as(`director${i}`);
        const res = await director.get('/api/v1/call-plan-changes?status=pending');
        expect(res.statusCode, res.body).toBe(200);
        expect(res.json().items.length, `director${i}`).toBeGreaterThan(0);
      }
      const d1 = await as('director1');
      const change = (await d1.get('/api/v1/call-plan-changes?status=pending')).json().items[0];
      const ok = await d1.post(`/api/v1/call-plan-changes/${change.id}/approve`, { note: 'OK' });
      expect(ok.statusCode, ok.body).toBe(200);
      expect(ok.json().plan.startTime).toBe(change.after.startTime);
    });

    it('keeps 12 weeks of visit history, most on time, some late, missed with reasons or moved at the customer’s request', async () => {
      const from = new Date(Date.parse(nowIso) - 84 * 86_400_000).toISOString();
      const res = await admin.get(`/api/v1/visits/compliance?from=${from}&to=${nowIso}`);
      expect(res.statusCode, res.body).toBe(200);
      const t = res.json().total;
      console.info(`demo world on ${dialect.name}: ${t.due} visits due in 12 weeks, ${(t.onTimeRate * 100).toFixed(1)}% on time, ${t.late} late, ${t.early} early, ${t.missed} missed, ${t.moved} moved`);
      expect(t.onTimeRate).toBeGreaterThanOrEqual(0.7);
      expect(t.onTimeRate).toBeLessThanOrEqual(0.95);
      expect(t.late).toBeGreaterThan(0);
      expect(t.missed).toBeGreaterThan(0);
      expect(t.missedWithoutReason).toBe(0);
      expect(t.moved).toBeGreaterThan(0);
      const moved = await db.kysely.selectFrom('visits').innerJoin('contacts', 'contacts.id', 'visits.moved_contact_id')
        .select(['visits.account_id', 'contacts.account_id as contact_account']).where('visits.moved_from', 'is not', null).execute();
      expect(moved.length).toBeGreaterThanOrEqual(t.moved);
      for (const m of moved) expect(m.contact_account).toBe(m.account_id);
    });

    it('has an active red typhoon warning over the Taizhou and Wenling coast that matches the three seafront warehouses', async () => {
      const alerts = await admin.get('/api/v1/hazards/alerts?state=active&lang=en-US');
      expect(alerts.statusCode, alerts.body).toBe(200);
      const active = alerts.json().items;
      expect(active).toHaveLength(1);
      expect(active[0]).toMatchObject({ msgType: 'Update', severity: 'Extreme', event: 'Typhoon' });
      expect(active[0].languages).toEqual(['zh-CN', 'en-US']);
      const res = await admin.get('/api/v1/hazards/matches?limit=500');
      expect(res.statusCode, res.body).toBe(200);
      const inside = res.json().filter((m: { inside: boolean; alertId: string }) => m.inside && m.alertId === active[0].id).map((m: { siteName: string }) => m.siteName).sort();
      expect(inside).toEqual(['宏达椒江海门港仓库', '永固松门渔港仓库', '鑫源石塘滨海仓库']);
    });

    it('has competitor prices from three competitors across provinces, and one undercut alert open on manager1\'s day', async () => {
      const obs = await db.kysely.selectFrom('competitor_observations').select(['competitor', 'province']).execute();
      expect(new Set(obs.map((o) => o.competitor)).size).toBe(3);
      expect(new Set(obs.map((o) => o.province)).size).toBeGreaterThanOrEqual(5);
      const manager1 = await as('manager1');
      const alerts = (await manager1.get('/api/v1/undercut-alerts')).json().items;
      expect(alerts).toHaveLength(1);
      expect(alerts[0].sharePercent).toBeGreaterThan(5);
      const day = (await manager1.get('/api/v1/home/day')).json().items;
      expect(day.filter((i: { module: string }) => i.module === 'competition')).toHaveLength(1);
    });

    it('has advisories in every state, and a value-protected ledger where one dealer saved its stock and its neighbour lost it', async () => {
      const res = await admin.get('/api/v1/advisories?limit=200');
      expect(res.statusCode, res.body).toBe(200);
      const items = res.json().items as { status: string; siteName: string; accountId: string; outcome: { valueSaved: { amountMinor: number }; losses: { amountMinor: number } } | null }[];
      expect(new Set(items.map((a) => a.status))).toEqual(new Set(['open', 'contacted', 'actioned', 'closed']));
      const byWarehouse = (name: string, status: string) => items.find((a) => a.siteName === name && a.status === status)!;
      expect(byWarehouse('宏达椒江海门港仓库', 'open')).toBeDefined();
      expect(byWarehouse('永固松门渔港仓库', 'contacted')).toBeDefined();
      expect(byWarehouse('鑫源石塘滨海仓库', 'actioned')).toBeDefined();
      const saved = byWarehouse('鑫源石塘滨海仓库', 'closed'), lost = byWarehouse('永固松门渔港仓库', 'closed');
      for (const [adv, key] of [[saved, 'saved'], [lost, 'lost']] as const) {
        const risk = await admin.get(`/api/v1/accounts/${adv.accountId}/risk`);
        expect(risk.statusCode, risk.body).toBe(200);
        const totals = risk.json().totals[0];
        if (key === 'saved') expect(totals.valueSavedMinor).toBeGreaterThan(totals.lossesMinor);
        else expect(totals).toMatchObject({ valueSavedMinor: 0 });
        if (key === 'lost') expect(totals.lossesMinor).toBeGreaterThan(0);
      }
    });

    it('records stock values and insurance on the warehouses: most known, some refused with the insurer’s reason', async () => {
      const rows = await db.kysely.selectFrom('site_risk').selectAll().execute();
      expect(rows.length).toBeGreaterThan(100);
      expect(rows.filter((r) => r.inventory_value_minor === null).length).toBeGreaterThan(0);
      expect(rows.filter((r) => r.inventory_value_minor !== null).every((r) => Number(r.inventory_value_minor) > 0)).toBe(true);
      expect(rows.filter((r) => r.inventory_value_minor !== null).length / rows.length).toBeGreaterThan(0.6);
      const refused = rows.filter((r) => r.insurance_status === 'refused');
      expect(refused.length).toBeGreaterThan(0);
      for (const r of refused) expect(r.refused_reason).toBeTruthy();
      expect(new Set(rows.map((r) => r.insurance_status))).toEqual(new Set(['insured', 'refused', 'none', 'unknown']));
    });

    it('names every account in English beside its stored name, in every answer that names one', async () => {
      const accounts = await db.kysely.selectFrom('accounts').select(['id', 'name', 'name_en']).execute();
      const nameEn = new Map(accounts.map((a) => [a.id, a.name_en]));
      const nameEnOf = new Map(accounts.map((a) => [a.name, a.name_en]));
      expect(accounts.every((a) => a.name_en && a.name_en !== a.name)).toBe(true);
      const m1 = await as('manager1');
      const tracks = (await admin.get('/api/v1/hazards/tracks')).json() as { id: string }[];
      const routes = (await m1.get('/api/v1/visit-routes')).json() as { items?: { id: string }[] } | { id: string }[];
      const route = (Array.isArray(routes) ? routes : routes.items ?? [])[0]!;
      const answers: [string, Client, string, unknown?][] = [
        ['GET', m1, '/api/v1/home'], ['GET', m1, '/api/v1/home/day'], ['GET', m1, '/api/v1/visits/today'],
        ['GET', m1, `/api/v1/visits?from=2026-11-01T00:00:00Z&to=${nowIso}`], ['GET', m1, '/api/v1/call-plans?limit=200'], ['GET', m1, '/api/v1/visit-routes'],
        ['POST', m1, `/api/v1/visit-routes/${route.id}/optimise-day`, {}], ['GET', admin, '/api/v1/call-plan-changes?limit=200'],
        ['GET', admin, '/api/v1/portfolio/segments'], ['GET', admin, '/api/v1/portfolio/tier-moves'], ['GET', admin, '/api/v1/portfolio/attention'],
        ['GET', admin, '/api/v1/hazards/matches?limit=500'], ['GET', admin, '/api/v1/advisories?limit=200'], ['GET', admin, '/api/v1/hazards/site-risk?limit=200'],
        ['GET', admin, '/api/v1/hazards/insurance-gaps'], ['GET', admin, `/api/v1/hazards/tracks/${tracks[0]!.id}/replay`], ['GET', admin, `/api/v1/hazards/tracks/${tracks[0]!.id}/swath`],
        ['GET', m1, '/api/v1/notifications'],
      ];
      for (const [method, client, url, body] of answers) {
        const res = method === 'GET' ? await client.get(url) : await client.post(url, body);
        expect(res.statusCode, `${url}: ${res.body.slice(0, 300)}`).toBe(200);
        let named = 0;
        const walk = (x: unknown): void => {
          if (Array.isArray(x)) { x.forEach(walk); return; }
          if (!x || typeof x !== 'object') return;
          const o = x as Record<string, unknown>;
          // Another module's account: { accountId, accountName, accountNameEn } (a notification has the names alone).
          if (typeof o.accountName === 'string') {
            expect(o, url).toHaveProperty('accountNameEn', typeof o.accountId === 'string' ? nameEn.get(o.accountId) : nameEnOf.get(o.accountName));
            named++;
          }
          // An account itself: { id | accountId, code, name, nameEn }.
          const id = typeof o.accountId === 'string' ? o.accountId : o.id;
          if (typeof id === 'string' && nameEn.has(id) && typeof o.code === 'string' && typeof o.name === 'string') { expect(o, url).toHaveProperty('nameEn', nameEn.get(id)); named++; }
          Object.values(o).forEach(walk);
        };
        walk(res.json());
        expect(named, `${url} names no account: the check above saw nothing`).toBeGreaterThan(0);
      }
      const byAccount = (await admin.get('/api/v1/hazards/exposure?groupBy=account')).json() as { items: { key: string; labelEn: string | null }[] };
      expect(byAccount.items.length).toBeGreaterThan(0);
      for (const g of byAccount.items) expect(g.labelEn).toBe(nameEn.get(g.key));
    });

    it('leaves the seeded story as it is after the first matching pass and the daily materialisation', async () => {
      const read = async () => ({
        matches: (await db.kysely.selectFrom('hazard_matches').selectAll().orderBy('id').execute()).map(({ last_seen_at: _, ...m }) => m),
        advisories: await db.kysely.selectFrom('advisories').selectAll().orderBy('id').execute(),
        visits: await db.kysely.selectFrom('visits').selectAll().orderBy('id').execute(),
      });
      const before = await read();
      const matching = await admin.post('/api/v1/hazards/matching/run');
      expect(matching.statusCode, matching.body).toBe(200);
      expect(matching.json()).toMatchObject({ activeAlerts: 1, opened: 0, updated: 0, ended: 0 });
      expect(matching.json().matches).toBe(before.matches.filter((m) => m.ended_at === null).length);
      const materialised = await admin.post('/api/v1/visits/materialise', { weeks: 4 });
      expect(materialised.statusCode, materialised.body).toBe(200);
      expect(materialised.json()).toMatchObject({ created: 0, updated: 0, removed: 0 });
      expect(materialised.json().plans).toBeGreaterThan(100);
      expect(await read()).toEqual(before);
    });

    it('gives every lane of the order lines its rate tables, and the Taizhou coast\'s planner shows rail for the typhoon season, approved and on the account header', async () => {
      const lanes = (await admin.get('/api/v1/lanes')).json().items as { code: string; defaultMode: string; ports: unknown[]; account: { id: string; code: string }; plan: { toMode: string; fromDay: string; toDay: string } | null; proposedRules: number }[];
      const used = await db.kysely.selectFrom('order_lines').select('lane_code').distinct().execute();
      expect(lanes.map((l) => l.code).sort()).toEqual(used.map((u) => u.lane_code).sort());
      // Last year's rates closed, this year's open; the sea only where a lane has ports. Per tonne-km (the rate's note names the km): road, then rail, then the sea.
      for (const lane of lanes) {
        const rates = (await admin.get(`/api/v1/lanes/${lane.code}/rates`)).json().items as { mode: string; perTonneMinor: number; validFrom: string; validTo: string | null; note: string }[];
        expect(rates.map((r) => `${r.mode} ${r.validFrom.slice(0, 4)} ${r.validTo ? 'closed' : 'open'}`).sort(), lane.code)
          .toEqual((lane.ports.length ? ['rail', 'road', 'ship'] : ['rail', 'road']).flatMap((m) => [`${m} 2025 closed`, `${m} 2026 open`]));
        const perTkm = Object.fromEntries(rates.filter((r) => !r.validTo).map((r) => [r.mode, r.perTonneMinor / Number(/\((\d+) km\)/.exec(r.note)![1])]));
        expect(perTkm.road, lane.code).toBeGreaterThan(perTkm.rail!);
        if (lane.ports.length) expect(perTkm.rail, lane.code).toBeGreaterThan(perTkm.ship!);
      }
      const coast = (await db.kysely.selectFrom('accounts').select(['id', 'code']).where('city', 'in', ['台州市', '温岭市']).where('tier', '=', 'A').where('status', '=', 'active').where('owner_id', 'is not', null).execute())
        .filter((a) => lanes.some((l) => l.code === `NGB-${a.code}`));
      expect(coast.length).toBeGreaterThanOrEqual(3);
      for (const a of coast) expect(lanes.find((l) => l.code === `NGB-${a.code}`)!.plan, a.code).toMatchObject({ toMode: 'rail', fromDay: '07-01', toDay: '09-30' });
      const lane = `NGB-${coast[0]!.code}`;
      const plan = (await admin.get(`/api/v1/lanes/${lane}/plan`)).json() as { months: { month: number; modes: { mode: string; rate: { perTonneMinor: number } | null; transit: unknown; delay: { meanDaysLate: number } | null; disruptionChance: number }[] }[]; proposals: { fromDay: string; toDay: string }[] };
      const mode = (month: number, m: string) => plan.months[month - 1]!.modes.find((x) => x.mode === m)!;
      for (const m of ['ship', 'rail', 'road']) expect(mode(1, m).rate, m).not.toBeNull();
      expect(mode(1, 'ship').rate!.perTonneMinor).toBeLessThan(mode(1, 'rail').rate!.perTonneMinor);
      expect(mode(1, 'rail').rate!.perTonneMinor).toBeLessThan(mode(1, 'road').rate!.perTonneMinor);
      expect(mode(8, 'ship').transit).not.toBeNull();
      expect(mode(8, 'rail').transit).not.toBeNull();
      // Last August by sea ran late, and a typhoon is likelier then than in January.
      expect(mode(8, 'ship').delay!.meanDaysLate).toBeGreaterThan(mode(1, 'ship').delay!.meanDaysLate + 2);
      expect(mode(8, 'ship').disruptionChance).toBeGreaterThan(mode(1, 'ship').disruptionChance);
      expect(plan.proposals.map((p) => `${p.fromDay}..${p.toDay}`)).toEqual(['07-01..09-30']);
      const rules = (await admin.get(`/api/v1/lanes/${lane}/rules`)).json().items as { status: string; decidedBy: { id: string } | null; decidedAt: string | null }[];
      const owner = await db.kysely.selectFrom('accounts').select('owner_id').where('id', '=', coast[0]!.id).executeTakeFirstOrThrow();
      expect(rules).toEqual([expect.objectContaining({ status: 'approved', decidedBy: expect.objectContaining({ id: owner.owner_id }) })]);
      expect(rules[0]!.decidedAt! < '2026-07-01').toBe(true);
      const m1 = await as('manager1');
      const facts = (await m1.get(`/api/v1/accounts/${coast[0]!.id}/facts`)).json();
      expect((facts.items ?? facts).find((f: { id: string }) => f.id === `lanes.plan:${lane}`)).toMatchObject({ value: { params: { mode: 'rail', fromMonth: 7, fromDate: 1, toMonth: 9, toDate: 30 } } });
      // One proposal off the coast waits for its dealer's manager, on that manager's day.
      const waiting = lanes.filter((l) => l.proposedRules > 0);
      expect(waiting).toHaveLength(1);
      expect(coast.map((a) => a.id)).not.toContain(waiting[0]!.account.id);
      const approver = await db.kysely.selectFrom('accounts').innerJoin('users', 'users.id', 'accounts.owner_id').select('users.email').where('accounts.id', '=', waiting[0]!.account.id).executeTakeFirstOrThrow();
      const day = (await (await as(approver.email.split('@')[0]!)).get('/api/v1/home/day')).json().items as { kind: string; link: { to: string } }[];
      expect(day.filter((i) => i.kind === 'lane-rule').map((i) => i.link.to)).toEqual([`/lanes/${waiting[0]!.code}`]);
    });

    it('has claims in every state on late demo lines, decided with reasons, one credited, one filed by the dealer in the portal', async () => {
      const claims = (await admin.get('/api/v1/claims?limit=200')).json().items as { id: string; status: string; kind: string; accountId: string; claimedMinor: number; acceptedMinor: number | null; filedVia: string }[];
      expect(new Set(claims.map((c) => c.status))).toEqual(new Set(['filed', 'investigating', 'accepted', 'partly_accepted', 'rejected', 'credited', 'closed', 'withdrawn']));
      expect(new Set(claims.map((c) => c.accountId)).size).toBeGreaterThanOrEqual(3);
      for (const c of claims) {
        const d = (await admin.get(`/api/v1/claims/${c.id}`)).json() as { decisionReason: string | null; creditNote: { amountMinor: number } | null; lines: { promisedDate: string; deliveredDate: string | null }[]; events: unknown[] };
        expect(Number.isInteger(c.claimedMinor) && c.claimedMinor > 0, c.id).toBe(true);
        expect(d.lines.length, c.id).toBe(1);
        if (c.kind === 'late') expect(d.lines[0]!.deliveredDate! > d.lines[0]!.promisedDate, c.id).toBe(true);
        if (['accepted', 'partly_accepted', 'rejected'].includes(c.status)) expect(d.decisionReason, c.id).toBeTruthy();
        if (c.status === 'partly_accepted') expect(c.acceptedMinor! > 0 && c.acceptedMinor! < c.claimedMinor, c.id).toBe(true);
        if (c.status === 'credited') expect(d.creditNote, c.id).toMatchObject({ amountMinor: c.acceptedMinor });
        expect(d.events.length, c.id).toBeGreaterThan(0);
      }
      const filed = claims.find((c) => c.filedVia === 'portal' && c.status === 'filed')!;
      const code = await db.kysely.selectFrom('accounts').select('code').where('id', '=', filed.accountId).executeTakeFirstOrThrow();
      const portal = await as(`dealer-${code.code.toLowerCase()}`);
      expect((await portal.get('/api/v1/portal/claims')).json().items.map((c: { id: string }) => c.id)).toContain(filed.id);
      // The investigation's notes stay inside.
      const investigating = claims.filter((c) => c.status === 'investigating').map((c) => c.id);
      const notes = (await admin.get(`/api/v1/claims/${investigating[0]}`)).json().events.filter((e: { kind: string; internal: boolean }) => e.kind === 'note');
      expect(notes.length).toBeGreaterThan(0);
      expect(notes.every((e: { internal: boolean }) => e.internal)).toBe(true);
    });

    it('has weekly stock reports whose stock-outs in the last 90 days show days out, lost sales and the late demo line behind them', async () => {
      const dates = await db.kysely.selectFrom('dealer_stock_reports').select('report_date').distinct().execute();
      expect(dates).toHaveLength(26);
      const res = await admin.get('/api/v1/stock/outs');
      expect(res.statusCode, res.body).toBe(200);
      const items = res.json().items as { daysOut: number; lostValueMinor: number | null; outNow: boolean; spells: { causes: { lineId: string; reason: string; daysLate: number }[] }[] }[];
      expect(items.length).toBeGreaterThanOrEqual(4);
      for (const o of items) expect(o.daysOut).toBeGreaterThan(0);
      const late = items.filter((o) => o.spells.some((s) => s.causes.some((c) => c.reason === 'late' && c.daysLate >= 3)));
      expect(late.length).toBeGreaterThanOrEqual(4);
      expect(late.every((o) => o.lostValueMinor! > 0)).toBe(true);
      const cause = late[0]!.spells.flatMap((s) => s.causes).find((c) => c.reason === 'late')!;
      expect(await db.kysely.selectFrom('order_lines').select('id').where('id', '=', cause.lineId).executeTakeFirst()).toBeDefined();
      expect(items.filter((o) => o.outNow).flatMap((o) => o.spells.flatMap((s) => s.causes.map((c) => c.reason)))).toContain('missing');
    });

    it('has VMI on for three key accounts, each with this week\'s draft, one sent and waiting for its dealer\'s signature', async () => {
      const drafts = (await admin.get('/api/v1/vmi/drafts')).json() as { total: number; items: { id: string; accountId: string; status: string; lineCount: number }[] };
      expect(drafts.total).toBe(3);
      const sent = drafts.items.filter((d) => d.status === 'sent');
      expect(sent).toHaveLength(1);
      const code = (await admin.get(`/api/v1/accounts/${sent[0]!.accountId}`)).json().code;
      const dealer = summary.signIns.find((s) => s.role === 'dealer' && s.accountCode === code)!;
      const portal = (await (await as(dealer.email.split('@')[0]!)).get('/api/v1/portal/vmi/orders')).json();
      expect(portal.items.map((o: { id: string }) => o.id)).toEqual([sent[0]!.id]);
      const one = (await admin.get(`/api/v1/vmi/drafts/${sent[0]!.id}`)).json();
      expect(one.lines.length).toBeGreaterThan(0);
      expect(one.lines.some((l: { quantity: number }) => l.quantity > 0)).toBe(true);
    });

    it('records the seeding in the audit log', async () => {
      const rows = await db.kysely.selectFrom('audit_log').selectAll().where('action', '=', 'seed').where('entity', '=', 'system').execute();
      expect(rows).toHaveLength(1);
    });

    it('refuses to seed a second time: the database is no longer empty', async () => {
      expect(await isDatabaseEmpty(db)).toBe(false);
      await expect(seedDemoWorld(db, { clock, scale: 'small' })).rejects.toMatchObject({ code: 'conflict' });
      const { n } = await db.kysely.selectFrom('accounts').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      expect(Number(n)).toBe(summary.counts.accounts);
    });

    it('seeds within a start-up budget', () => {
      // Generous: CI machines are slow and shared; a typical run takes a few seconds.
      expect(seedMs).toBeLessThan(60_000);
    });
  });
}
