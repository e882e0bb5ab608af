import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ctx } from '../src/server/context.js';
import { loadConfig } from '../src/server/config.js';
import { rebuildOtifCells, otifCellsReady } from '../src/modules/delivery/delivery.rollups.js';
import { OtifResult } from '../src/modules/delivery/delivery.contract.js';
import { otif } from '../src/modules/delivery/delivery.service.js';
import { buildTestApp, type Client, type TestApp } from './build-test-app.js';
import { describeEachDialect } from './dialects.js';

/**
 * The OTIF cells (decision 027) give exactly the in-memory answer. Random lines over four dealers
 * (one on China's working days with a working-day tolerance, one on weekdays with an in-full band,
 * two without terms), promised August 2026 to January 2027 with the clock at 2026-11-26: split
 * deliveries, early/late/partial/over deliveries, open lines not yet due and overdue, delivered
 * lines without a delivery, cancellations before and after the window, unknown quantities, and
 * orders whose lines span months. Each grouping and range is asked of both paths.
 */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => { s = (s * 1664525 + 1013904223) >>> 0; return s / 2 ** 32; };
}
const iso = (d: Date) => d.toISOString().slice(0, 10);
const addDays = (date: string, n: number) => iso(new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000));

function randomLines(seed: number, n: number) {
  const r = rng(seed);
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const lines: Record<string, unknown>[] = [];
  for (let i = 0; i < n; i++) {
    const promised = addDays('2026-08-01', Math.floor(r() * 180));
    const qty = r() < 0.1 ? null : 1 + Math.floor(r() * 20);
    const kind = r();
    const orderNo = `O${Math.floor(r() * (n / 3))}`;
    const base = { sourceKey: `L${seed}-${i}`, accountCode: pick(['ACC1', 'ACC2', 'ACC3', 'ACC4']), orderNo, quantity: qty, promisedDate: promised };
    const ship = (j: number, days: number, q: number | null) => ({ sourceKey: `S${seed}-${i}-${j}`, deliveredDate: addDays(promised, days), quantity: q });
    const q = qty ?? 5;
    if (kind < 0.1) lines.push({ ...base, status: 'open', shipments: r() < 0.5 ? [] : [ship(0, pick([-2, 0, 1, 5]), Math.max(0, Math.floor(q / 2)))] });
    else if (kind < 0.14) lines.push({ ...base, status: 'delivered', shipments: [] });
    else if (kind < 0.2) lines.push({ ...base, status: 'cancelled', cancelledDate: addDays(promised, pick([-10, -1, 0, 1, 3, 20])), shipments: [] });
    else if (kind < 0.35) {
      const a = Math.floor(q / 2);
      lines.push({ ...base, status: pick(['delivered', 'open']), shipments: [ship(0, pick([-3, -1, 0]), a), ship(1, pick([0, 1, 2, 4, 9, 70]), q - a + pick([0, 0, 1, -1]))] });
    } else lines.push({ ...base, status: 'delivered', shipments: [ship(0, pick([-8, -2, -1, 0, 0, 0, 1, 1, 2, 3, 6, 15, 40, 90]), r() < 0.1 ? null : q + pick([0, 0, 0, 0, -1, 2]))] });
  }
  return lines;
}

describeEachDialect('OTIF from the cells equals OTIF from the lines', (dialect) => {
  let t: TestApp;
  let logistics: Client;
  let ctxOf: (email: string) => Promise<Ctx>;
  beforeAll(async () => {
    t = await buildTestApp(dialect);
    logistics = await t.login('logistics');
    ctxOf = async (email) => {
      const u = await t.db.kysely.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirstOrThrow();
      const actor = { userId: u.id, email: u.email, name: u.name, role: u.role, teamId: u.team_id, accountId: u.account_id ?? null, department: u.department ?? null, locale: 'en', timeZone: 'UTC', via: 'session' as const };
      return { db: t.db, clock: t.clock, config: loadConfig({ OPENKAM_DATA_DIR: '/tmp/openkam-test', LOG_LEVEL: 'silent' }), jobs: null as never, contributions: null as never, actor, requestId: 'test' } as unknown as Ctx;
    };
    await t.db.kysely.updateTable('accounts').set({ territory_id: null }).where('id', '=', t.world.accounts.acc4).execute();
    const put = (acc: string, body: object) => logistics.put(`/api/v1/accounts/${acc}/delivery-terms`, body);
    expect((await put(t.world.accounts.acc1, { earlyDays: 1, lateDays: 1, inFullPercent: 0, calendar: 'working-days-cn' })).statusCode).toBe(200);
    expect((await put(t.world.accounts.acc2, { earlyDays: 0, lateDays: 2, inFullPercent: 10, calendar: 'weekdays' })).statusCode).toBe(200);
    const lines = randomLines(7, 900);
    for (let i = 0; i < lines.length; i += 300) {
      const res = await logistics.post('/api/v1/delivery/order-lines', { lines: lines.slice(i, i + 300) });
      expect(res.statusCode, res.body).toBe(200);
    }
  }, 120_000);
  afterAll(async () => t?.close());

  const queries = [
    { by: ['account', 'month'], from: '2026-08-01', to: '2027-02-01' },
    { by: ['month'], from: '2026-07-01', to: '2027-03-01' },
    { by: ['territory'] },
    { by: [] },
    { by: ['account'], from: '2026-10-01', to: '2026-12-01' },
    { by: ['territory', 'account', 'month'], from: '2026-09-01' },
    { by: ['month', 'account'], to: '2026-11-01' },
  ];
  const both = async (email: string, q: object) => {
    const ctx = await ctxOf(email);
    const cells = await otif(ctx, q as never, { path: 'cells' });
    const lines = await otif(ctx, q as never, { path: 'lines' });
    return { cells, lines };
  };

  it('gives the same groups, rates, orders, volumes and lateness for every grouping and range', async () => {
    for (const q of queries) {
      const { cells, lines } = await both('logistics@test.local', q);
      expect(cells, JSON.stringify(q)).toEqual(lines);
    }
    const { lines } = await both('logistics@test.local', { by: [] });
    // The data exercise what they should: overdue open lines, not-due ones, late cancellations, unknown quantities, lateness.
    const g = lines.groups[0]!;
    expect(g.failures.overdueOpen).toBeGreaterThan(10);
    expect(g.excluded.notDue).toBeGreaterThan(5);
    expect(g.failures.cancelledLate).toBeGreaterThan(5);
    expect(g.excluded.cancelled).toBeGreaterThan(5);
    expect(g.lines.counted).toBeGreaterThan(g.lines.inFull!.of);
    expect(g.orders.counted).toBeGreaterThan(100);
  });

  it('answers a manager from the cells with only their accounts, as from the lines', async () => {
    for (const q of queries.slice(0, 3)) {
      const { cells, lines } = await both('m1@test.local', q);
      expect(cells).toEqual(lines);
    }
  });

  it('still agrees after an upsert moves a line to another month and after a change of terms', async () => {
    const moved = randomLines(7, 900).slice(0, 40).map((l, i) => ({ ...l, promisedDate: addDays(l.promisedDate as string, i % 2 ? 35 : -31) }));
    expect((await logistics.post('/api/v1/delivery/order-lines', { lines: moved })).json()).toMatchObject({ updated: 40 });
    for (const q of queries) {
      const { cells, lines } = await both('logistics@test.local', q);
      expect(cells, JSON.stringify(q)).toEqual(lines);
    }
    const before = (await logistics.get(`/api/v1/accounts/${t.world.accounts.acc3}/delivery-terms`)).json();
    expect(before.agreed).toBe(false);
    expect((await logistics.put(`/api/v1/accounts/${t.world.accounts.acc3}/delivery-terms`, { earlyDays: 2, lateDays: 3, inFullPercent: 5, calendar: 'working-days-cn' })).statusCode).toBe(200);
    for (const q of queries) {
      const { cells, lines } = await both('logistics@test.local', q);
      expect(cells, JSON.stringify(q)).toEqual(lines);
    }
  });

  it('a rebuild gives the same cells, and the API answers from them', async () => {
    const q = { by: ['account', 'month'], from: '2026-08-01', to: '2027-02-01' };
    const ctx = await ctxOf('logistics@test.local');
    const before = await otif(ctx, q as never, { path: 'cells' });
    await rebuildOtifCells(t.db, ctx);
    expect(await otifCellsReady(t.db.kysely, ctx)).toBe(true);
    expect(await otif(ctx, q as never, { path: 'cells' })).toEqual(before);
    const api = (await logistics.get('/api/v1/delivery/otif?by=account,month&from=2026-08-01&to=2027-02-01')).json();
    expect(api.groups).toEqual(JSON.parse(JSON.stringify(before.groups)));
  });

  it('writes the route\'s answer exactly as its schema has it: no field more or less, from the cells and from the lines', async () => {
    for (const qs of ['by=account,month&from=2026-08-01&to=2027-02-01', 'by=account,month&from=2026-08-01&to=2027-02-01&limit=2&offset=1', 'by=lane,mode', 'by=month&earlyDays=1&lateDays=2']) {
      const res = await logistics.get(`/api/v1/delivery/otif?${qs}`);
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json();
      expect(body.groups.length, qs).toBeGreaterThan(0);
      expect(body, qs).toStrictEqual(OtifResult.parse(body));
    }
  });

  it('pages the dealers: each page holds its dealers\' groups only, in code order, and says how many dealers there are', async () => {
    const whole = { by: ['account', 'month'], from: '2026-08-01', to: '2027-02-01' };
    const ctx = await ctxOf('logistics@test.local');
    const all = await otif(ctx, whole as never, { path: 'cells' });
    const codes = await t.db.kysely.selectFrom('accounts').select(['id', 'code']).execute();
    const codeOf = new Map(codes.map((c) => [c.id, c.code]));
    const seen: string[] = [];
    for (const offset of [0, 2]) {
      const q = { ...whole, limit: 2, offset };
      const { cells, lines } = await both('logistics@test.local', q);
      expect(cells).toEqual(lines);
      expect(cells.page).toEqual({ offset, limit: 2, dealers: 4 });
      const dealers = [...new Set(cells.groups.map((g) => g.key[0]!))];
      expect(dealers).toHaveLength(2);
      seen.push(...dealers.map((d) => codeOf.get(d)!).sort());
      expect(cells.groups).toEqual(all.groups.filter((g) => dealers.includes(g.key[0]!)));
    }
    expect(seen).toEqual(['ACC1', 'ACC2', 'ACC3', 'ACC4']);
    // A manager's pages count only the dealers they see.
    const mine = await otif(await ctxOf('m1@test.local'), { ...whole, limit: 50 } as never);
    expect(mine.page!.dealers).toBe(new Set(mine.groups.map((g) => g.key[0])).size);
    expect(mine.page!.dealers).toBeLessThan(4);
    const res = await logistics.get('/api/v1/delivery/otif?by=month&limit=10');
    expect(res.statusCode).toBe(400);
    expect(res.json().detail).toMatch(/group(ing)? by account/i);
  });
});
