import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Actor } from '../src/modules/auth/auth.domain.js';
import { seedDemoWorld } from '../src/modules/demo/demo.seed.js';
import { quotePrice } from '../src/modules/pricing/pricing.service.js';
import { fixedClock } from '../src/shared/clock.js';
import { describeEachDialect, openTestDb, type TestDb } from './dialects.js';

const NOW = new Date('2026-12-03T02:00:00.000Z');
const TODAY = '2026-12-03';
const admin: Actor = { userId: 'system', email: 'x', name: 'x', role: 'admin', teamId: null, accountId: null, locale: 'en', timeZone: 'UTC', via: 'session' };

describeEachDialect("the demo world's price lists", (dialect) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDb(dialect);
    await seedDemoWorld(t.db, { scale: 'small', clock: fixedClock(NOW) });
  });
  afterAll(async () => { await t?.cleanup(); });

  it('prices the biggest key account by its own list, other key accounts by the group list, East China by its territory list, the rest nationally', async () => {
    const k = t.db.kysely;
    const codes = (await k.selectFrom('price_lists').select('code').execute()).map((r) => r.code).sort();
    expect(codes).toEqual(['CN-2026', 'EAST-2026', expect.stringMatching(/^KA-D/), 'KA-GRAD', 'PROMO-2025-SUMMER']);
    const cement = (await k.selectFrom('products').select('id').where('sku', '=', 'CEM-PO425-B50').executeTakeFirstOrThrow()).id;
    const east = (await k.selectFrom('territories').select('id').where('code', '=', 'EAST').executeTakeFirstOrThrow()).id;
    const accounts = (await k.selectFrom('accounts').select(['id', 'code', 'tier', 'territory_id', 'price_group']).execute()).sort((a, b) => a.code.localeCompare(b.code));
    const tierA = accounts.filter((a) => a.tier === 'A');
    expect(tierA.length).toBeGreaterThan(3);
    expect(tierA.every((a) => a.price_group === 'key-accounts')).toBe(true);
    const listOf = async (accountId: string) => (await quotePrice(k, admin, { accountId, productId: cement, quantity: 800, date: TODAY }))?.listCode;
    expect(await listOf(tierA[0]!.id)).toBe(`KA-${tierA[0]!.code}`);
    expect(await listOf(tierA[1]!.id)).toBe('KA-GRAD');
    expect(await listOf(accounts.find((a) => a.tier !== 'A' && a.territory_id === east)!.id)).toBe('EAST-2026');
    expect(await listOf(accounts.find((a) => a.tier !== 'A' && a.territory_id !== east)!.id)).toBe('CN-2026');
    // National bags: 22.00, from 200 bags 21.30 (−3%), all-units: 800 × 21.30 = 17,040.00
    const national = await quotePrice(k, admin, { accountId: accounts.find((a) => a.tier !== 'A' && a.territory_id !== east)!.id, productId: cement, quantity: 800, date: TODAY });
    expect(national).toMatchObject({ baseUnitPriceMinor: 2200, unitPriceMinor: 2130, totalMinor: 1_704_000, breakMode: 'all-units' });
  });
});
