import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { isDatabaseEmpty, seedDemoWorld, type DemoSummary } from '../src/modules/demo/demo.seed.js';
import { fixedClock } from '../src/shared/clock.js';

const pgUrl = process.env.TEST_DATABASE_URL;
if (!pgUrl) console.info('demo-world.db.test: TEST_DATABASE_URL is not set, so the PostgreSQL run is skipped (SQLite only).');

const domain = 'demo.openkam.local';
const clock = fixedClock('2026-11-20T02:00:00Z');

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

    beforeAll(async () => {
      db = await dialect.open();
      await migrateToLatest(db);
      expect(await isDatabaseEmpty(db)).toBe(true);
      const started = performance.now();
      summary = await seedDemoWorld(db, { clock, scale: 'full' });
      seedMs = performance.now() - started;
      console.info(`demo world on ${dialect.name}: seeded in ${Math.round(seedMs)} ms, ${summary.counts.sales_lines} sales lines, top-20% share ${summary.paretoTop20Share.toFixed(3)}`);
    }, 180_000);

    afterAll(async () => {
      await db?.destroy();
      await dialect.cleanup();
    });

    it('writes every generated row', async () => {
      for (const [table, count] of Object.entries(summary.counts)) {
        const row = await db.kysely.selectFrom(table as keyof DemoSummary['counts']).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
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

    it('gives every dealer account its portal user', async () => {
      const missing = await db.kysely.selectFrom('accounts')
        .leftJoin('users', (j) => j.onRef('users.account_id', '=', 'accounts.id').on('users.role', '=', 'dealer'))
        .select(['accounts.code', 'users.email']).where('accounts.kind', '=', 'dealer').execute();
      expect(missing.length).toBeGreaterThan(100);
      for (const r of missing) expect(r.email).toBe(`dealer-${r.code.toLowerCase()}@${domain}`);
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
