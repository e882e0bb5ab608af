/**
 * Competition benchmark (`npm run bench:competition`; part of `npm run bench`): 60,000 competitor
 * prices of one product over a year (3 competitors, 8 provinces, at the four accounts of the test
 * world and in regions only), on SQLite and (with TEST_DATABASE_URL) PostgreSQL. Times, through the
 * API as a manager (scoped) and as an admin, p50/p95 over repeated reads: the trend by month and
 * province, the latest prices, recording a price (with the undercut check), the waterfall and the
 * concession-vs-value comparison (24 months of sales forecast), with a stand-in pricing module.
 */
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import type { PriceStep } from '../src/platform/contributions.contract.js';
import { buildApp, type FeaturePlugin } from '../src/server/app.js';
import { loadConfig } from '../src/server/config.js';
import { fixedClock } from '../src/shared/clock.js';
import { newId } from '../src/shared/ids.js';
import { openTestDb, type DialectName } from '../test/dialects.js';
import { seedWorld } from '../test/factories.js';
import { loginAs } from '../test/build-test-app.js';
import { writeBenchmarkSection } from './report.js';

const N = 60_000;
const RUNS = 30;
const NOW = '2026-11-26T08:00:00.000Z';
const p = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;

const pricing: FeaturePlugin = async (_app, deps) => {
  deps.contributions.add({
    module: 'bench-pricing',
    pocket: {
      permission: 'margin:read',
      list: async (_ctx, q): Promise<PriceStep[]> => [
        { id: 'b.list', module: 'bench-pricing', kind: 'list', labelKey: 'x', params: { listId: 'L', listName: 'L', sharedAccounts: 3, sharedQuantity: 4000 }, amountMinor: 2800 * q.quantity, currency: q.currency, order: 0 },
        { id: 'b.discount', module: 'bench-pricing', kind: 'discount', labelKey: 'x', params: {}, amountMinor: -140 * q.quantity, currency: q.currency, order: 10 },
      ],
    },
  });
};

async function run(dialect: DialectName) {
  const t = await openTestDb(dialect);
  try {
    const world = await seedWorld(t.db);
    const accounts = Object.values(world.accounts);
    const provinces = ['浙江省', '江苏省', '上海市', '安徽省', '福建省', '江西省', '山东省', '广东省'];
    const competitors = ['海螺水泥', '华新水泥', '红狮水泥'];
    let lcg = 7;
    const rnd = () => { lcg = (lcg * 1103515245 + 12345) % 2 ** 31; return lcg / 2 ** 31; };
    const rows = [];
    for (let i = 0; i < N; i++) {
      const at = new Date(Date.parse(NOW) - Math.floor(rnd() * 365 * 86_400_000)).toISOString();
      const account = rnd() < 0.5 ? accounts[Math.floor(rnd() * accounts.length)]! : null;
      const price = 2300 + Math.floor(rnd() * 500);
      rows.push({
        id: newId(), account_id: account, province: account ? '浙江省' : provinces[Math.floor(rnd() * provinces.length)]!, city: null,
        competitor: competitors[i % 3]!, competitor_product: 'P.O 42.5', product_id: world.product, price_minor: price, currency: 'CNY', unit: 'bag',
        competitor_units: 1, our_units: 1, unit_price_minor: price, observed_at: at, source: 'visit', visit_id: null, attachment_id: null, note: null,
        created_by: world.users.m1!, created_at: at, updated_at: at, version: 1,
      });
    }
    for (let i = 0; i < rows.length; i += 500) await t.db.kysely.insertInto('competitor_observations').values(rows.slice(i, i + 500)).execute();
    const lines = [];
    for (let m = 0; m < 24; m++) {
      const d = new Date(Date.UTC(2024, 10 + m, 15)).toISOString().slice(0, 10);
      lines.push({ doc_no: `B-${m}`, line_no: 1, date: d, account_id: world.accounts.acc1, product_id: world.product, quantity: 80 + Math.floor(rnd() * 40), net_amount_minor: 260_000, cost_amount_minor: 200_000, currency: 'CNY', created_at: NOW, updated_at: NOW });
    }
    await t.db.kysely.insertInto('sales_lines').values(lines).execute();
    await sql`analyze`.execute(t.db.kysely);
    const config = loadConfig({ OPENKAM_DATA_DIR: '/tmp/openkam-bench-competition', OPENKAM_DEMO: 'false', LOG_LEVEL: 'silent', OPENKAM_SESSION_IDLE_MINUTES: '100000' } as NodeJS.ProcessEnv);
    const app = await buildApp(config, t.db, { clock: fixedClock(NOW), logger: false, features: [pricing] });
    try {
      const out: { who: string; view: string; p50: number; p95: number }[] = [];
      for (const who of ['m1', 'admin']) {
        const c = await loginAs(app, `${who}@test.local`);
        const compare = { accountId: world.accounts.acc1, productId: world.product, competitor: '海螺水泥', offerPriceMinor: 2400, horizonMonths: 12 };
        const views: [string, () => Promise<{ statusCode: number; body: string }>][] = [
          ['trend by month and province', () => c.get(`/api/v1/competitor-trends?productId=${world.product}`)],
          ['latest prices (50)', () => c.get(`/api/v1/competitor-observations?productId=${world.product}&limit=50`)],
          ['record a price (undercut check)', () => c.post('/api/v1/competitor-observations', { accountId: world.accounts.acc1, competitor: '海螺水泥', competitorProduct: 'P.O 42.5', productId: world.product, priceMinor: 2500, unit: 'bag', source: 'visit' })],
          ['waterfall', () => c.get(`/api/v1/accounts/${world.accounts.acc1}/waterfall?productId=${world.product}`)],
          ['comparison (with forecast)', () => c.post('/api/v1/competitor-offers/compare', compare)],
        ];
        for (const [view, call] of views) {
          const times: number[] = [];
          for (let r = 0; r < RUNS; r++) {
            const s = performance.now();
            const res = await call();
            if (res.statusCode >= 300) throw new Error(`${view}: ${res.statusCode} ${res.body.slice(0, 200)}`);
            times.push(performance.now() - s);
          }
          out.push({ who: who === 'm1' ? 'manager' : 'admin', view, p50: p(times, 0.5), p95: p(times, 0.95) });
        }
      }
      return { dialect, out };
    } finally { await app.close(); }
  } finally { await t.cleanup(); }
}

const results = [await run('sqlite'), ...(process.env.TEST_DATABASE_URL ? [await run('postgres')] : [])];
const md = [
  `${N.toLocaleString('en')} competitor prices of one product over ${results.length === 2 ? 'both databases' : 'SQLite only (set TEST_DATABASE_URL for PostgreSQL)'}; each call made ${RUNS} times through the API (target: p95 < 200 ms).`,
  '',
  '| database | as | call | p50 ms | p95 ms |',
  '| --- | --- | --- | ---: | ---: |',
  ...results.flatMap((r) => r.out.map((o) => `| ${r.dialect} | ${o.who} | ${o.view} | ${o.p50.toFixed(1)} | ${o.p95.toFixed(1)} |`)),
];
process.stdout.write(`${md.join('\n')}\n`);
writeBenchmarkSection('competition', 'npm run bench:competition (part of npm run bench)', md.join('\n'));
