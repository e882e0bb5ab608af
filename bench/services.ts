/**
 * Service desk benchmark (`npm run bench -- services` runs all; this file alone: `npx tsx bench/services.ts`):
 * the department queue with 100,000 open requests, on SQLite and (with TEST_DATABASE_URL) PostgreSQL.
 * Times the queue page as the API answers it (app.inject, signed in as department staff), p95 over
 * repeated reads: the default view (by due time), overdue only, unassigned, a search, and page 2.
 */
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { buildApp } from '../src/server/app.js';
import { loadConfig } from '../src/server/config.js';
import { fixedClock } from '../src/shared/clock.js';
import { newId } from '../src/shared/ids.js';
import { openTestDb, type DialectName } from '../test/dialects.js';
import { seedWorld } from '../test/factories.js';
import { loginAs } from '../test/build-test-app.js';
import { clocksOf } from '../src/modules/services/requests.service.js';
import { loadServiceSettings } from '../src/modules/services/services.settings.js';
import { defaultTargets, departments, priorities, requestNumber } from '../src/modules/services/services.domain.js';
import { writeBenchmarkSection } from './report.js';

const OPEN = 100_000;
const RUNS = 40;
const NOW = '2026-11-26T08:00:00.000Z';

const p = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;

async function run(dialect: DialectName) {
  const t = await openTestDb(dialect);
  try {
    const world = await seedWorld(t.db);
    const cal = loadServiceSettings().calendar;
    const accounts = Object.values(world.accounts);
    const opener = world.users.m1!;
    const rows = [];
    let lcg = 42;
    const rnd = () => { lcg = (lcg * 1103515245 + 12345) % 2 ** 31; return lcg / 2 ** 31; };
    const t0 = performance.now();
    for (let i = 0; i < OPEN; i++) {
      const priority = priorities[Math.floor(rnd() * priorities.length)]!;
      const created = new Date(Date.parse(NOW) - Math.floor(rnd() * 20 * 86_400_000)).toISOString();
      const targets = defaultTargets[priority];
      const base = { created_at: created, response_minutes: targets.response, resolution_minutes: targets.resolution, first_response_at: rnd() < 0.7 ? created : null };
      const dept = rnd() < 0.5 ? 'logistics' : departments[Math.floor(rnd() * departments.length)]!;
      rows.push({
        id: newId(), number: requestNumber(2026, i + 1), account_id: accounts[i % accounts.length]!, type: 'delivery_problem', service_kind_id: null,
        department: dept, priority, subject: `Late delivery ${i}`, body: 'The truck came three days late.', status: rnd() < 0.3 ? 'open' : 'in_progress',
        opened_by: opener, opened_via: 'staff', assignee_id: rnd() < 0.4 ? null : world.users.logistics!, escalation_level: 1, ...base,
        ...clocksOf(cal, base, []), waiting_since: null, paused_json: '[]', sla_state: 'ok', warned_at: null, breached_at: null,
        resolved_at: null, closed_at: null, updated_at: created, version: 1,
      });
    }
    const dueMs = performance.now() - t0;
    for (let i = 0; i < rows.length; i += 500) await t.db.kysely.insertInto('service_requests').values(rows.slice(i, i + 500)).execute();
    // As autovacuum (PostgreSQL) or the next start (SQLite's optimize) would: the planner knows the table.
    await sql`analyze`.execute(t.db.kysely);
    const config = loadConfig({ OPENKAM_DATA_DIR: '/tmp/openkam-bench-services', OPENKAM_DEMO: 'false', LOG_LEVEL: 'silent', OPENKAM_SESSION_IDLE_MINUTES: '100000' } as NodeJS.ProcessEnv);
    const app = await buildApp(config, t.db, { clock: fixedClock(NOW), logger: false });
    try {
      const c = await loginAs(app, 'logistics@test.local');
      const first = (await c.get('/api/v1/service-requests?department=logistics&limit=50')).json() as { nextCursor: string };
      const views: [string, string][] = [
        ['queue by due time (50 rows)', '/api/v1/service-requests?department=logistics&limit=50'],
        ['overdue only', '/api/v1/service-requests?department=logistics&sla=breached&limit=50'],
        ['unassigned', '/api/v1/service-requests?department=logistics&assignee=none&limit=50'],
        ['search "delivery 9999"', '/api/v1/service-requests?department=logistics&q=delivery%209999&limit=50'],
        ['page 2', `/api/v1/service-requests?department=logistics&limit=50&cursor=${first.nextCursor}`],
        ['queue counts', '/api/v1/service-queues'],
      ];
      const out: { view: string; p50: number; p95: number }[] = [];
      for (const [view, url] of views) {
        const times: number[] = [];
        for (let r = 0; r < RUNS; r++) {
          const s = performance.now();
          const res = await c.get(url);
          if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body.slice(0, 200)}`);
          times.push(performance.now() - s);
        }
        out.push({ view, p50: p(times, 0.5), p95: p(times, 0.95) });
      }
      return { dialect, dueMs, out };
    } finally { await app.close(); }
  } finally { await t.cleanup(); }
}

const results = [await run('sqlite'), ...(process.env.TEST_DATABASE_URL ? [await run('postgres')] : [])];
const lines = [
  `${OPEN.toLocaleString('en')} open requests over ${results.length === 2 ? 'both databases' : 'SQLite only (set TEST_DATABASE_URL for PostgreSQL)'}; each view read ${RUNS} times through the API as department staff (target: p95 < 200 ms).`,
  '',
  '| database | view | p50 ms | p95 ms |',
  '| --- | --- | ---: | ---: |',
  ...results.flatMap((r) => r.out.map((o) => `| ${r.dialect} | ${o.view} | ${o.p50.toFixed(1)} | ${o.p95.toFixed(1)} |`)),
  '',
  `Computing the due times of the ${OPEN.toLocaleString('en')} requests while seeding (3 dueAt each, China calendar): ${results.map((r) => `${r.dialect} ${Math.round(r.dueMs)} ms`).join(', ')}.`,
];
process.stdout.write(`${lines.join('\n')}\n`);
writeBenchmarkSection('services', 'npx tsx bench/services.ts (part of npm run bench)', lines.join('\n'));
