/**
 * Rebate accrual benchmark (`npm run bench:rebates`): 2,000 active agreements (1,700 for one
 * account, 300 pooling three) over the monthly rollups of 10,000,000 sales lines, on SQLite and
 * (with TEST_DATABASE_URL) PostgreSQL. The accrual after an import reads rollups, not lines, so
 * the benchmark writes the rollups directly (3,000 accounts × 11 months × 8 categories, their
 * `lines` counts summing to 10M) plus a few thousand raw lines in the current, partial month
 * (read from the lines), and times `accrueAll`: every agreement's monthly accruals, recomputed
 * and written (22,000 rows). Target: < 2 s.
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { fixedClock } from '../src/shared/clock.js';
import { newId } from '../src/shared/ids.js';
import { accrueAll } from '../src/modules/rebates/rebates.service.js';
import { openTestDb, type DialectName } from '../test/dialects.js';
import { seedWorld } from '../test/factories.js';
import { writeBenchmarkSection } from './report.js';

const ACCOUNTS = 3_000;
const SINGLE = 1_700;
const GROUPS = 300;
const MONTHS = ['2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06', '2026-07', '2026-08', '2026-09', '2026-10'];
const CATEGORIES = ['cement', 'clinker', 'mortar', 'concrete', 'aggregate', 'admixture', 'gypsum', 'slag'];
const LINES = 10_000_000;
const NOW = '2026-11-26T08:00:00.000Z';
const RUNS = 5;


async function run(dialect: DialectName) {
  const t = await openTestDb(dialect);
  try {
    const world = await seedWorld(t.db);
    const k = t.db.kysely;
    const ts = NOW;
    const accounts = Array.from({ length: ACCOUNTS }, (_, i) => ({
      id: newId(), code: `B${String(i).padStart(5, '0')}`, name: `Bench ${i}`, name_en: `Bench ${i}`, kind: 'dealer', parent_id: null, owner_id: world.users.m1!,
      territory_id: world.territory, province: '浙江省', city: '台州市', tier: 'B', status: 'active', currency: 'CNY', created_at: ts, updated_at: ts, version: 1,
    }));
    for (let i = 0; i < accounts.length; i += 500) await k.insertInto('accounts').values(accounts.slice(i, i + 500)).execute();
    // Rollups for 11 months (10 whole + November, which the accrual reads from the lines) of 8 categories.
    const cells = ACCOUNTS * (MONTHS.length + 1) * CATEGORIES.length;
    const perCell = Math.floor(LINES / cells);
    let extra = LINES - perCell * cells;
    let lcg = 7;
    const rnd = () => { lcg = (lcg * 1103515245 + 12345) % 2 ** 31; return lcg / 2 ** 31; };
    const rollups = [];
    for (const a of accounts) for (const month of [...MONTHS, '2026-11']) for (const category of CATEGORIES) {
      const lines = perCell + (extra-- > 0 ? 1 : 0);
      const revenue = Math.round(lines * (20_000 + rnd() * 60_000));
      rollups.push({ account_id: a.id, month, category, currency: 'CNY', revenue_minor: revenue, cost_minor: Math.round(revenue * 0.8), costed_revenue_minor: revenue, quantity: lines * 10, lines });
    }
    for (let i = 0; i < rollups.length; i += 1_000) await k.insertInto('sales_rollups').values(rollups.slice(i, i + 1_000)).execute();
    await k.insertInto('sales_rollup_state').values({ id: 1 }).execute();
    // A few November lines (the partial month is read from the lines).
    const sales = Array.from({ length: 3_000 }, (_, i) => ({
      doc_no: `N-${i}`, line_no: 1, date: `2026-11-${String(1 + (i % 25)).padStart(2, '0')}`, account_id: accounts[i % ACCOUNTS]!.id, product_id: world.product,
      quantity: 10, net_amount_minor: 500_000, cost_amount_minor: 400_000, currency: 'CNY', created_at: ts, updated_at: ts,
    }));
    for (let i = 0; i < sales.length; i += 500) await k.insertInto('sales_lines').values(sales.slice(i, i + 500)).execute();
    // 2,000 agreements: 1,700 for one account, 300 pooling three accounts each.
    const tiers = [{ from: 0, ratePercent: 2 }, { from: 300_000_000, ratePercent: 3 }, { from: 600_000_000, ratePercent: 4 }];
    const terms = JSON.stringify({ method: 'retroactive', basisKind: 'value', tiers, minimumBasis: null, capMinor: null, categories: null, skus: null, returnsCounted: true, accrualPolicy: 'reached', reference: null });
    const agreements = [];
    const versions = [];
    const links = [];
    for (let i = 0; i < SINGLE + GROUPS; i++) {
      const id = newId();
      agreements.push({
        id, number: `RB-2026-${String(i + 1).padStart(4, '0')}`, name: `Bench agreement ${i}`, currency: 'CNY', period_start: '2026-01-01', period_end: '2027-01-01', status: 'active',
        settlement_dates_json: '[]', expected_basis: 0, internal_note: null, created_by: world.users.m1!, approved_by: world.users.d1!, approved_at: ts, created_at: ts, updated_at: ts, version: 1,
      });
      versions.push({ id: newId(), agreement_id: id, seq: 1, effective_from: '2026-01-01', terms_json: terms, value_minor: 0, status: 'active', note: null, created_by: world.users.m1!, created_at: ts });
      const accs = i < SINGLE ? [accounts[i]!] : [accounts[SINGLE + (i - SINGLE) * 3]!, accounts[SINGLE + (i - SINGLE) * 3 + 1]!, accounts[SINGLE + (i - SINGLE) * 3 + 2]!];
      for (const a of accs) links.push({ agreement_id: id, account_id: a.id });
    }
    for (let i = 0; i < agreements.length; i += 500) {
      await k.insertInto('rebate_agreements').values(agreements.slice(i, i + 500)).execute();
      await k.insertInto('rebate_agreement_versions').values(versions.slice(i, i + 500)).execute();
    }
    for (let i = 0; i < links.length; i += 500) await k.insertInto('rebate_agreement_accounts').values(links.slice(i, i + 500)).execute();
    await sql`analyze`.execute(k);
    const deps = { db: t.db, clock: fixedClock(NOW) };
    // The first run computes and writes everything (as after the first import of the year).
    let s = performance.now();
    const full = await accrueAll(deps);
    const fullMs = performance.now() - s;
    if (full.agreements !== SINGLE + GROUPS) throw new Error(`accrued ${full.agreements} agreements`);
    // Then, as after each further import: an import of October and November invoices for 100 accounts moves their rollups.
    const times: number[] = [];
    let changed = 0;
    for (let r = 0; r < RUNS; r++) {
      const touched = accounts.slice(r * 100, r * 100 + 100).map((a) => a.id);
      await k.updateTable('sales_rollups').set((eb) => ({ revenue_minor: eb('revenue_minor', '+', 1_234_567), lines: eb('lines', '+', 1) }))
        .where('account_id', 'in', touched).where('month', '=', '2026-10').where('category', '=', 'cement').execute();
      s = performance.now();
      const res = await accrueAll(deps);
      times.push(performance.now() - s);
      changed = res.changed;
    }
    const rows = full.rows;
    const sumLines = await k.selectFrom('sales_rollups').select((eb) => eb.fn.sum<number>('lines').as('n')).executeTakeFirstOrThrow();
    return { dialect, fullMs, changed, times: times.sort((a, b) => a - b), rows, rollups: rollups.length, lines: Number(sumLines.n) };
  } finally { await t.cleanup(); }
}

const results = [await run('sqlite'), ...(process.env.TEST_DATABASE_URL ? [await run('postgres')] : [])];
const r0 = results[0]!;
const lines = [
  `${(SINGLE + GROUPS).toLocaleString('en')} active agreements (${SINGLE.toLocaleString('en')} single-account, ${GROUPS} pooling 3 accounts) over ${ACCOUNTS.toLocaleString('en')} accounts;`,
  `${r0.rollups.toLocaleString('en')} rollup rows standing for ${r0.lines.toLocaleString('en')} sales lines (generated as rollups: the accrual never reads those lines), plus 3,000 raw November lines (the partial month, read from the lines).`,
  `Each accrual run recomputes every agreement's monthly accruals from the rollups (${r0.rows.toLocaleString('en')} month rows) and rewrites those that changed.`,
  `"After an import": 100 accounts' October rollups moved (as an import does), then one run; ${RUNS} times (target: < 2 s). "First run": from no accruals at all, every row written.`,
  `Databases: ${results.length === 2 ? 'both' : 'SQLite only (set TEST_DATABASE_URL for PostgreSQL)'}. Load average when it finished: ${os.loadavg()[0]!.toFixed(1)} (the machine is shared).`,
  '',
  '| database | first run ms | after an import: min ms | median ms | max ms | agreements rewritten |',
  '| --- | ---: | ---: | ---: | ---: | ---: |',
  ...results.map((r) => `| ${r.dialect} | ${r.fullMs.toFixed(0)} | ${r.times[0]!.toFixed(0)} | ${r.times[Math.floor(r.times.length / 2)]!.toFixed(0)} | ${r.times[r.times.length - 1]!.toFixed(0)} | ${r.changed} |`),
];
process.stdout.write(`${lines.join('\n')}\n`);
writeBenchmarkSection('rebates', 'npm run bench:rebates (TEST_DATABASE_URL=postgres://… for PostgreSQL)', lines.join('\n'));
