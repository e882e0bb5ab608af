/**
 * Price lookup benchmark (`npm run bench:pricing`; `npm run bench` runs all): 100,000 price rows
 * (2,000 products on a national list, 20 territory lists, 10 customer-group lists and 100 account
 * lists, three quantity breaks each) on SQLite and (with BENCH_DATABASE_URL or TEST_DATABASE_URL)
 * PostgreSQL. Times 2,000 random lookups (account, product, quantity, date) of the quote as other
 * modules call it (quotePrice: the account, the candidate lists, the winning-list rule, the quote)
 * and 500 through the API (GET /api/v1/prices/quote, signed in as admin). Target: p95 < 5 ms.
 */
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import type { Actor } from '../src/modules/auth/auth.domain.js';
import { quotePrice } from '../src/modules/pricing/pricing.service.js';
import { buildApp } from '../src/server/app.js';
import { loadConfig } from '../src/server/config.js';
import { fixedClock } from '../src/shared/clock.js';
import { newId } from '../src/shared/ids.js';
import { loginAs } from '../test/build-test-app.js';
import { openTestDb, type DialectName } from '../test/dialects.js';
import { seedWorld } from '../test/factories.js';
import { writeBenchmarkSection } from './report.js';

if (!process.env.TEST_DATABASE_URL && process.env.BENCH_DATABASE_URL) process.env.TEST_DATABASE_URL = process.env.BENCH_DATABASE_URL;

const PRODUCTS = 2000;
const ACCOUNTS = 300;
const LOOKUPS = 2000;
const API_LOOKUPS = 500;
const NOW = '2026-11-26T08:00:00.000Z';
const AT = '2026-11-01T00:00:00.000Z';

const pct = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;

async function run(dialect: DialectName) {
  const t = await openTestDb(dialect);
  try {
    const world = await seedWorld(t.db);
    const k = t.db.kysely;
    let lcg = 7;
    const rnd = () => { lcg = (lcg * 1103515245 + 12345) % 2 ** 31; return lcg / 2 ** 31; };
    const pickOf = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)]!;
    const territories = Array.from({ length: 20 }, (_, i) => ({ id: newId(), code: `T${i}`, name: `Territory ${i}`, name_zh: `区域${i}`, created_at: AT }));
    await k.insertInto('territories').values(territories).execute();
    const groups = Array.from({ length: 10 }, (_, i) => `group-${i}`);
    const products = Array.from({ length: PRODUCTS }, (_, i) => ({
      id: newId(), sku: `B-${String(i).padStart(5, '0')}`, name_en: `Product ${i}`, name_zh: `产品${i}`, unit: 'bag', pack_size: 1, category: 'cement', created_at: AT, updated_at: AT, version: 1,
    }));
    for (let i = 0; i < products.length; i += 500) await k.insertInto('products').values(products.slice(i, i + 500)).execute();
    const accounts = Array.from({ length: ACCOUNTS }, (_, i) => ({
      id: newId(), code: `BA${i}`, name: `Bench account ${i}`, name_en: null, kind: 'dealer', parent_id: null, owner_id: world.users.m1!, territory_id: pickOf(territories).id,
      province: null, city: null, tier: null, status: 'active', currency: 'CNY', price_group: rnd() < 0.5 ? pickOf(groups) : null, created_at: AT, updated_at: AT, version: 1,
    }));
    await k.insertInto('accounts').values(accounts).execute();
    type L = { scope_kind: string; scope_value: string | null; products: number };
    const specs: L[] = [
      { scope_kind: 'all', scope_value: null, products: PRODUCTS },
      ...territories.map((x) => ({ scope_kind: 'territory', scope_value: x.id, products: 1000 })),
      ...groups.map((g) => ({ scope_kind: 'group', scope_value: g, products: 1500 })),
      ...accounts.slice(0, 100).map((a) => ({ scope_kind: 'account', scope_value: a.id, products: 630 })),
    ];
    let rows = 0;
    for (const [i, s] of specs.entries()) {
      const id = newId();
      await k.insertInto('price_lists').values({
        id, code: `L${i}`, name: `List ${i}`, scope_kind: s.scope_kind, scope_value: s.scope_value, currency: 'CNY', priority: Math.floor(rnd() * 3),
        valid_from: rnd() < 0.8 ? '2026-01-01' : '2026-06-01', valid_to: rnd() < 0.3 ? '2026-12-01' : null, break_mode: rnd() < 0.5 ? 'graduated' : 'all-units', note: null,
        created_at: AT, updated_at: AT, version: 1,
      }).execute();
      const start = Math.floor(rnd() * PRODUCTS);
      const items = Array.from({ length: s.products }, (_, j) => {
        const base = 1000 + Math.floor(rnd() * 9000);
        const breaks = [{ from: 0, unitPriceMinor: base }, { from: 100, unitPriceMinor: Math.floor(base * 0.95) }, { from: 500, unitPriceMinor: Math.floor(base * 0.9) }];
        return { id: newId(), price_list_id: id, product_id: products[(start + j) % PRODUCTS]!.id, breaks_json: JSON.stringify(breaks), base_unit_price_minor: base, min_quantity: 0, created_at: AT, updated_at: AT };
      });
      for (let j = 0; j < items.length; j += 500) await k.insertInto('price_list_items').values(items.slice(j, j + 500)).execute();
      rows += items.length;
    }
    await sql`analyze`.execute(k);
    // As a manager would ask (their accounts only), the dearer case: the visibility condition is part of every lookup.
    const actor: Actor = { userId: world.users.m1!, email: 'm1@test.local', name: 'User m1', role: 'manager', teamId: world.teams.team1, accountId: null, locale: 'en', timeZone: 'Asia/Shanghai', via: 'session' };
    const lookup = () => ({
      accountId: pickOf(accounts).id, productId: pickOf(products).id, quantity: 1 + Math.floor(rnd() * 1000),
      date: `2026-${String(1 + Math.floor(rnd() * 12)).padStart(2, '0')}-${String(1 + Math.floor(rnd() * 28)).padStart(2, '0')}`,
    });
    for (let i = 0; i < 100; i++) await quotePrice(k, actor, lookup()); // warm-up
    const times: number[] = [];
    let found = 0;
    for (let i = 0; i < LOOKUPS; i++) {
      const q = lookup();
      const s = performance.now();
      const r = await quotePrice(k, actor, q);
      times.push(performance.now() - s);
      if (r) found++;
    }
    const config = loadConfig({ OPENKAM_DATA_DIR: '/tmp/openkam-bench-pricing', OPENKAM_DEMO: 'false', LOG_LEVEL: 'silent', OPENKAM_SESSION_IDLE_MINUTES: '100000' } as NodeJS.ProcessEnv);
    const app = await buildApp(config, t.db, { clock: fixedClock(NOW), logger: false });
    const api: number[] = [];
    try {
      const c = await loginAs(app, 'admin@test.local');
      for (let i = 0; i < API_LOOKUPS + 50; i++) {
        const q = lookup();
        const s = performance.now();
        const res = await c.get(`/api/v1/prices/quote?accountId=${q.accountId}&productId=${q.productId}&quantity=${q.quantity}&date=${q.date}`);
        if (res.statusCode !== 200) throw new Error(`quote: ${res.statusCode} ${res.body.slice(0, 200)}`);
        if (i >= 50) api.push(performance.now() - s);
      }
    } finally { await app.close(); }
    return { dialect, rows, lists: specs.length, found, p50: pct(times, 0.5), p95: pct(times, 0.95), max: Math.max(...times), apiP50: pct(api, 0.5), apiP95: pct(api, 0.95) };
  } finally { await t.cleanup(); }
}

const results = [await run('sqlite'), ...(process.env.TEST_DATABASE_URL ? [await run('postgres')] : [])];
const lines = [
  `${results[0]!.rows.toLocaleString('en')} price rows on ${results[0]!.lists} lists (${PRODUCTS.toLocaleString('en')} products, ${ACCOUNTS} accounts in 20 territories and 10 groups) over ${results.length === 2 ? 'both databases' : 'SQLite only (set BENCH_DATABASE_URL or TEST_DATABASE_URL for PostgreSQL)'}; ${LOOKUPS.toLocaleString('en')} random lookups (account, product, quantity 1–1,000, a date of 2026) of quotePrice, and ${API_LOOKUPS} through GET /api/v1/prices/quote (target: lookup p95 < 5 ms).`,
  '',
  '| database | lookups priced | quotePrice p50 ms | p95 ms | max ms | API p50 ms | API p95 ms |',
  '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...results.map((r) => `| ${r.dialect} | ${r.found} of ${LOOKUPS} | ${r.p50.toFixed(2)} | ${r.p95.toFixed(2)} | ${r.max.toFixed(1)} | ${r.apiP50.toFixed(2)} | ${r.apiP95.toFixed(2)} |`),
  '',
  'A lookup not priced: no list in force on the date holds the product for the account (lists start in January or June, some end on 1 December).',
];
process.stdout.write(`${lines.join('\n')}\n`);
writeBenchmarkSection('pricing', 'npm run bench:pricing (TEST_DATABASE_URL=postgres://… for PostgreSQL)', lines.join('\n'));
