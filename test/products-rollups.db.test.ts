import { afterAll, beforeAll, expect, it } from 'vitest';
import { newId } from '../src/shared/ids.js';
import { buildTestApp, type TestApp } from './build-test-app.js';
import { describeEachDialect } from './dialects.js';

describeEachDialect('a product changing category', (dialect) => {
  let t: TestApp;
  beforeAll(async () => { t = await buildTestApp(dialect); });
  afterAll(async () => t?.close());

  it('moves its revenue to the new category in the 80/20 analysis at once', async () => {
    const admin = await t.login('admin');
    const now = '2026-11-10T00:00:00.000Z';
    await t.db.kysely.insertInto('sales_lines').values({
      doc_no: 'INV-1', line_no: 1, date: '2026-11-10', account_id: t.world.accounts.acc1, product_id: t.world.product,
      quantity: 10, net_amount_minor: 123_456, cost_amount_minor: null, currency: 'CNY', created_at: now, updated_at: now,
    }).execute();
    const revenueIn = async (category: string) =>
      ((await admin.get(`/api/v1/portfolio/segments?category=${category}`)).json() as { items: { code: string; valueMinor: number }[] })
        .items.find((r) => r.code === 'ACC1')?.valueMinor ?? 0;
    expect(await revenueIn('cement')).toBe(123_456);

    const etag = (await admin.get(`/api/v1/products/${t.world.product}`)).headers.etag as string;
    expect((await admin.patch(`/api/v1/products/${t.world.product}`, { category: 'mortar' }, { 'if-match': etag })).statusCode).toBe(200);
    expect(await revenueIn('cement')).toBe(0);
    expect(await revenueIn('mortar')).toBe(123_456);
  });
});
