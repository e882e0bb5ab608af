import { afterAll, beforeAll, expect, it } from 'vitest';
import type { AccountFact, AgendaItem, PortalCard, TimelineEvent } from '../src/platform/contributions.contract.js';
import { newId } from '../src/shared/ids.js';
import type { FeaturePlugin } from '../src/server/app.js';
import { buildTestApp, type TestApp } from './build-test-app.js';
import { describeEachDialect } from './dialects.js';

type Timeline = { items: TimelineEvent[]; nextCursor: string | null; unavailable: string[]; kinds: { module: string; kinds: string[] }[] };

/**
 * A module of the test's own: it registers a contribution from its plugin and touches nothing
 * else, as a feature module would. Its figure, event, agenda item and portal card must show up.
 */
const testModule: FeaturePlugin = async (_app, deps) => {
  deps.contributions.add({
    module: 'test-module',
    facts: {
      permission: 'sales:read',
      list: async (_ctx, accountId) => [{ id: 'test.fact', module: 'test-module', labelKey: 'test.fact', order: 5, value: { kind: 'count', value: 42 }, status: 'act', link: { tab: 'test' }, noteKey: accountId }],
    },
    timeline: {
      permission: 'activity:read', kinds: ['test-event'],
      list: async (_ctx, accountId) => [{ id: 'test:1', at: '2026-11-20T00:00:00.000Z', kind: 'test-event', module: 'test-module', accountId, actor: null, titleKey: 'test.event', params: {}, body: 'written by the test module' }],
    },
    agenda: {
      permission: 'self',
      list: async (ctx) => [{ id: `test-agenda:${ctx.actor.userId}`, module: 'test-module', kind: 'task', urgency: 'now', at: null, titleKey: 'test.agenda', params: {}, account: null, siteId: null, flags: [], link: { to: '/test' } }],
    },
    portal: {
      permission: 'account:read',
      list: async () => [{ id: 'test-card', module: 'test-module', titleKey: 'test.card', params: {}, status: 'info', lines: [] }],
    },
  });
  // A module whose part fails: the page still answers, and names it.
  deps.contributions.add({ module: 'broken-module', facts: { permission: 'account:read', list: async () => { throw new Error('table is locked'); } } });
};

describeEachDialect('account page and my day: contributions from every module', (dialect) => {
  let t: TestApp;
  beforeAll(async () => { t = await buildTestApp(dialect, {}, { features: [testModule] }); });
  afterAll(async () => { await t?.close(); });

  it("shows a test module's figure in the account header, next to those of the built-in modules", async () => {
    const m1 = await t.login('m1');
    const res = await m1.get(`/api/v1/accounts/${t.world.accounts.acc1}/facts`);
    expect(res.statusCode).toBe(200);
    const body = res.json() as { items: AccountFact[]; unavailable: string[] };
    const fact = body.items.find((f) => f.id === 'test.fact');
    expect(fact).toMatchObject({ value: { kind: 'count', value: 42 }, status: 'act', noteKey: t.world.accounts.acc1 });
    // Lower order first: the test module's 5 comes before portfolio's revenue (10).
    expect(body.items[0]!.id).toBe('test.fact');
    expect(body.items.map((f) => f.module)).toEqual(expect.arrayContaining(['portfolio', 'visits', 'hazards']));
    expect(body.unavailable).toEqual(['broken-module']);
  });

  it('puts the test module on my day, for any signed-in person', async () => {
    for (const who of ['m1', 'd1', 'exec'] as const) {
      const c = await t.login(who);
      const res = await c.get('/api/v1/home/day');
      expect(res.statusCode).toBe(200);
      const day = res.json() as { date: string; items: AgendaItem[] };
      expect(day.date).toBe('2026-11-26');
      expect(day.items.map((i) => i.id)).toContain(`test-agenda:${t.world.users[who]}`);
    }
  });

  it("gives the dealer only what its permissions allow: the portal card, none of the internal figures", async () => {
    const dealer = await t.login('dealer');
    const facts = (await dealer.get(`/api/v1/accounts/${t.world.accounts.acc1}/facts`)).json() as { items: AccountFact[] };
    expect(facts.items.filter((f) => ['test-module', 'portfolio', 'visits', 'hazards'].includes(f.module))).toEqual([]);
    const cards = (await dealer.get('/api/v1/portal/cards')).json() as { items: PortalCard[] };
    expect(cards.items.map((c) => c.id)).toContain('test-card');
    const timeline = (await dealer.get(`/api/v1/accounts/${t.world.accounts.acc1}/timeline`)).json() as Timeline;
    expect(timeline.items).toEqual([]);
    expect(timeline.kinds).toEqual([]);
    // Not its own company: not found, as for the account itself.
    expect((await dealer.get(`/api/v1/accounts/${t.world.accounts.acc2}/facts`)).statusCode).toBe(404);
  });

  it("refuses the facts and the timeline of an account outside the caller's scope", async () => {
    const m1 = await t.login('m1');
    expect((await m1.get(`/api/v1/accounts/${t.world.accounts.acc3}/facts`)).statusCode).toBe(404);
    expect((await m1.get(`/api/v1/accounts/${t.world.accounts.acc3}/timeline`)).statusCode).toBe(404);
  });

  it('merges every module into one timeline, newest first, and pages through it without loss or repeat', async () => {
    const acc = t.world.accounts.acc1;
    const k = t.db.kysely;
    const at = (d: number, h: number) => new Date(Date.UTC(2026, 10, d, h)).toISOString();
    // Activities at distinct and at equal times (ties are broken by id across modules).
    const acts = Array.from({ length: 7 }, (_, i) => ({
      id: newId(), account_id: acc, user_id: t.world.users.m1!, kind: 'call', starts_at: i < 3 ? at(10, 2) : at(11 + i, 3), duration_minutes: 15,
      subject: `Call ${i}`, notes: null, created_at: at(1, 0), updated_at: at(1, 0), version: 1,
    }));
    await k.insertInto('activities').values(acts).execute();
    const m1 = await t.login('m1');
    // A change through the API: the account's history gets an audit entry.
    const acct = await m1.get(`/api/v1/accounts/${acc}`);
    expect((await m1.patch(`/api/v1/accounts/${acc}`, { status: 'prospect' }, { 'if-match': acct.headers.etag as string })).statusCode).toBe(200);

    const all: TimelineEvent[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await m1.get(`/api/v1/accounts/${acc}/timeline?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.statusCode).toBe(200);
      const page = res.json() as Timeline;
      expect(page.items.length).toBeLessThanOrEqual(3);
      all.push(...page.items);
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 20);
    const ids = all.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    // Every activity (7 new + the world's one), the test module's event, the account change.
    for (const a of acts) expect(ids).toContain(`activity:${a.id}`);
    expect(ids).toContain(`activity:${t.world.records.acc1!.activity}`);
    expect(ids).toContain('test:1');
    expect(all.some((e) => e.kind === 'history' && e.params.entity === 'account')).toBe(true);
    const times = all.map((e) => e.at);
    expect([...times].sort().reverse()).toEqual(times);

    const onlyTest = (await m1.get(`/api/v1/accounts/${acc}/timeline?kind=test-event`)).json() as Timeline;
    expect(onlyTest.items.map((e) => e.id)).toEqual(['test:1']);
    expect(onlyTest.kinds.flatMap((k2) => k2.kinds)).toEqual(expect.arrayContaining(['activity', 'history', 'visit', 'slot-change', 'advisory', 'tier', 'test-event']));
    const byM2 = (await m1.get(`/api/v1/accounts/${acc}/timeline?kind=activity&userId=${t.world.users.m2}`)).json() as Timeline;
    expect(byM2.items).toEqual([]);
  });

  it('answers a bad cursor with 400, not 500', async () => {
    const m1 = await t.login('m1');
    const res = await m1.get(`/api/v1/accounts/${t.world.accounts.acc1}/timeline?cursor=nonsense`);
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
  });
});

describeEachDialect('account page: parent and child accounts', (dialect) => {
  let t: TestApp;
  beforeAll(async () => { t = await buildTestApp(dialect); });
  afterAll(async () => { await t?.close(); });

  it("rolls the group's revenue up on the parent and links a member to its group", async () => {
    const k = t.db.kysely;
    const { acc1, acc2, acc3 } = t.world.accounts;
    await k.updateTable('accounts').set({ parent_id: acc1 }).where('id', 'in', [acc2, acc3]).execute();
    const line = (doc: string, account: string, amount: number) => ({
      doc_no: doc, line_no: 1, date: '2026-10-15', account_id: account, product_id: t.world.product, quantity: 10, net_amount_minor: amount, cost_amount_minor: null,
      currency: 'CNY', created_at: '2026-10-15T00:00:00.000Z', updated_at: '2026-10-15T00:00:00.000Z',
    });
    await k.insertInto('sales_lines').values([line('G-1', acc1, 100_00), line('G-2', acc2, 250_00), line('G-3', acc3, 1_000_00)]).execute();
    const m1 = await t.login('m1');
    const facts = (await m1.get(`/api/v1/accounts/${acc1}/facts`)).json() as { items: AccountFact[]; unavailable: string[] };
    expect(facts.unavailable).toEqual([]);
    // m1 cannot see acc3, but the group's total counts it (the figure names no one).
    expect(facts.items.find((f) => f.id === 'accounts.group')).toMatchObject({ value: { kind: 'money', amountMinor: 1_350_00, currency: 'CNY' }, noteParams: { count: 2 } });
    const member = (await m1.get(`/api/v1/accounts/${acc2}/facts`)).json() as { items: AccountFact[] };
    expect(member.items.find((f) => f.id === 'accounts.parent')).toMatchObject({ value: { kind: 'text', params: { code: 'ACC1' } }, link: { to: `/accounts/${acc1}` } });
    const m3 = await t.login('m3');
    const hidden = (await m3.get(`/api/v1/accounts/${acc3}/facts`)).json() as { items: AccountFact[] };
    expect(hidden.items.find((f) => f.id === 'accounts.parent')).toMatchObject({ value: { kind: 'unknown', reasonKey: 'facts.accounts.parentHidden' } });
    expect(hidden.items.find((f) => f.id === 'accounts.parent')!.link).toBeUndefined();
  });
});
