import { afterAll, beforeAll, expect, it } from 'vitest';
import { seedDemoWorld } from '../src/modules/demo/demo.seed.js';
import { DEMO_PASSWORD } from '../src/modules/demo/demo.generate.js';
import { buildApp } from '../src/server/app.js';
import { loadConfig } from '../src/server/config.js';
import { fixedClock } from '../src/shared/clock.js';
import { newId } from '../src/shared/ids.js';
import { buildTestApp, type Client, loginAs, type TestApp } from './build-test-app.js';
import { describeEachDialect, openTestDb } from './dialects.js';
import { expectRollupsExact, freshTiers, importFile, shownTiers } from './sales-helpers.js';

const months = ['2026-06', '2026-07', '2026-08', '2026-09', '2026-10', '2026-11'];
const header = 'date,account,sku,quantity,net amount,currency,document,line';

/**
 * Sales lines written straight into the table, without their rollups: what the demo world did, and
 * what any database whose lines predate the rollups holds. ACC1 and ACC2 buy cement and mortar,
 * ACC3 and ACC4 cement only; by revenue ACC1 and ACC2 are A, ACC3 B and ACC4 C.
 */
async function writeLinesAround(t: TestApp): Promise<{ mortar: string }> {
  const mortar = newId();
  const at = '2026-11-01T00:00:00.000Z';
  await t.db.kysely.insertInto('products').values({
    id: mortar, sku: 'M10-25', name_en: 'M10 mortar, 25 kg', name_zh: 'M10 砂浆 25公斤', unit: 'bag', pack_size: 1, category: 'mortar', created_at: at, updated_at: at, version: 1,
  }).execute();
  const base = [500_000, 150_000, 40_000, 10_000];
  const rows = months.flatMap((month, m) => base.flatMap((amount, a) => {
    const line = (n: number, product: string) => ({
      doc_no: `OLD-${a + 1}-${month}`, line_no: n, date: `${month}-1${a}`, account_id: Object.values(t.world.accounts)[a]!, product_id: product, quantity: 10 + m,
      net_amount_minor: amount * (1 + m) + n, cost_amount_minor: n === 1 ? null : amount, currency: 'CNY', created_at: at, updated_at: at,
    });
    return a < 2 ? [line(1, t.world.product), line(2, mortar)] : [line(1, t.world.product)];
  }));
  await t.db.kysely.insertInto('sales_lines').values(rows).execute();
  return { mortar };
}

const lineOf = async (t: TestApp, docNo: string, lineNo = 1) =>
  t.db.kysely.selectFrom('sales_lines').select('id').where('doc_no', '=', docNo).where('line_no', '=', lineNo).executeTakeFirstOrThrow();

type FirstWrite = (t: TestApp, admin: Client, products: { mortar: string }) => Promise<void>;

const firstWrites: [string, FirstWrite][] = [
  ['a correction of one line', async (t, admin) => {
    const { id } = await lineOf(t, 'OLD-3-2026-09');
    const etag = (await admin.get(`/api/v1/sales-lines/${id}`)).headers.etag as string;
    const res = await admin.patch(`/api/v1/sales-lines/${id}`, { netAmountMinor: 9_000_000 }, { 'if-match': etag });
    expect(res.statusCode, res.body).toBe(200);
  }],
  ['the deletion of one line', async (t, admin) => {
    const { id } = await lineOf(t, 'OLD-1-2026-11', 2);
    expect((await admin.del(`/api/v1/sales-lines/${id}`)).statusCode).toBe(204);
  }],
  ['an import of new lines', async (_t, admin) => {
    const job = await importFile(admin, 'sales', `${header}\n2026-11-02,ACC4,PO425-B50,1,30000.00,CNY,NEW-1,1\n2026-10-02,ACC4,PO425-B50,1,5.00,CNY,NEW-1,2\n`);
    expect(job).toMatchObject({ status: 'succeeded', inserted: 2 });
  }],
  ['an import that moves an existing line to another account', async (_t, admin) => {
    const job = await importFile(admin, 'sales', `${header}\n2026-08-13,ACC2,PO425-B50,3,2500.00,CNY,OLD-4-2026-08,1\n`);
    expect(job).toMatchObject({ status: 'succeeded', inserted: 0, updated: 1 });
  }],
  ['a product changing category', async (t, admin, { mortar }) => {
    const etag = (await admin.get(`/api/v1/products/${mortar}`)).headers.etag as string;
    expect((await admin.patch(`/api/v1/products/${mortar}`, { category: 'cement' }, { 'if-match': etag })).statusCode).toBe(200);
  }],
];

describeEachDialect('sales rollups of lines written without them', (dialect) => {
  let t: TestApp;
  let admin: Client;
  beforeAll(async () => {
    t = await buildTestApp(dialect);
    admin = await t.login('admin');
  });
  afterAll(async () => t?.close());

  it.each(firstWrites)('are complete and exact when the first write is %s, and the 80/20 tiers are those of the lines', async (_, write) => {
    // Back to lines without rollups, not known to be complete.
    for (const table of ['sales_rollup_state', 'sales_account_months', 'sales_rollups', 'sales_lines'] as const) await t.db.kysely.deleteFrom(table).execute();
    await t.db.kysely.deleteFrom('products').where('sku', '=', 'M10-25').execute();
    const products = await writeLinesAround(t);
    await write(t, admin, products);
    await expectRollupsExact(t.db);
    const shown = await shownTiers(admin);
    expect(shown.tiers).toEqual(await freshTiers(t.db, shown.from, shown.to));
    // Reads and later writes keep them so.
    expect((await importFile(admin, 'sales', `${header}\n2026-11-03,ACC3,PO425-B50,1,1.00,CNY,LATER-${products.mortar},1\n`)).status).toBe('succeeded');
    await expectRollupsExact(t.db);
  });
});

describeEachDialect('the demo world', (dialect) => {
  it('keeps its rollups complete when a sales line is corrected before anything reads them, and applies the tiers of its lines', async () => {
    const testDb = await openTestDb(dialect);
    const clock = fixedClock('2026-11-20T02:00:00.000Z');
    await seedDemoWorld(testDb.db, { clock, scale: 'small' });
    const app = await buildApp(loadConfig({ OPENKAM_DATA_DIR: '/tmp/openkam-test', LOG_LEVEL: 'silent' }), testDb.db, { clock, logger: false });
    try {
      await app.ready();
      const admin = await loginAs(app, 'admin@demo.openkam.local', DEMO_PASSWORD);
      const line = (await admin.get('/api/v1/sales-lines?limit=1')).json().items[0] as { id: string; netAmountMinor: number };
      const etag = (await admin.get(`/api/v1/sales-lines/${line.id}`)).headers.etag as string;
      expect((await admin.patch(`/api/v1/sales-lines/${line.id}`, { netAmountMinor: line.netAmountMinor + 100 }, { 'if-match': etag })).statusCode).toBe(200);
      await expectRollupsExact(testDb.db);
      const shown = await shownTiers(admin);
      const fresh = await freshTiers(testDb.db, shown.from, shown.to);
      expect(shown.tiers).toEqual(fresh);
      expect(Object.values(fresh).filter((x) => x === 'A').length).toBeGreaterThan(1);
      const applied = await admin.post('/api/v1/portfolio/apply-tiers', {});
      expect(applied.statusCode, applied.body).toBe(200);
      const tiers = await testDb.db.kysely.selectFrom('accounts').select(['code', 'tier']).execute();
      expect(Object.fromEntries(tiers.map((a) => [a.code, a.tier]))).toEqual(fresh);
    } finally {
      await app.close();
      await testDb.cleanup();
    }
  });
});
