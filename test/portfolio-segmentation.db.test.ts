import ExcelJS from 'exceljs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { waitForJob } from '../src/modules/sales/sales.jobs.js';
import { buildTestApp, type Client, type TestApp } from './build-test-app.js';
import { describeEachDialect } from './dialects.js';
import { snapshot } from './snapshot.js';

// The rolling window at the test clock (2026-11-26) is 2025-12 … 2026-11.
// In it: ACC1 700, ACC2 200, ACC3 100, ACC4 −50 (a return). Before it (2024-12 … 2025-11): ACC3 1,000.
const sales = `date,account,sku,quantity,net amount,currency,document,line,cost
2026-03-01,ACC1,PO425-B50,1,700.00,CNY,P-1,1,500.00
2026-04-01,ACC2,PO425-B50,1,200.00,CNY,P-2,1,190.00
2026-05-01,ACC3,PO425-B50,1,100.00,CNY,P-3,1,10.00
2026-06-01,ACC4,PO425-B50,-1,-50.00,CNY,P-4,1,
2025-06-01,ACC3,PO425-B50,1,1000.00,CNY,P-5,1,
`;

describeEachDialect('portfolio: segmentation, key accounts, tier moves, attention', (dialect) => {
  let t: TestApp;
  let admin: Client;
  let m1: Client;
  let m3: Client;
  beforeAll(async () => {
    t = await buildTestApp(dialect);
    admin = await t.login('admin');
    m1 = await t.login('m1');
    m3 = await t.login('m3');
    const up = await admin.request({ method: 'POST', url: '/api/v1/imports/sales?fileName=p.csv', payload: sales, headers: { 'content-type': 'text/csv' } });
    const id = up.json().job.id as string;
    await admin.post(`/api/v1/imports/${id}/run`, {});
    await waitForJob(id);
    expect((await admin.get(`/api/v1/imports/${id}`)).json()).toMatchObject({ status: 'succeeded', inserted: 5 });
  });
  afterAll(async () => t?.close());

  const code = (id: string) => Object.entries(t.world.accounts).find(([, v]) => v === id)![0];

  it('computes tiers company-wide by revenue over the rolling 12 months; zero and negative accounts are C', async () => {
    const res = await admin.get('/api/v1/portfolio/segments');
    expect(res.statusCode, res.body).toBe(200);
    const s = res.json();
    expect(s.window).toMatchObject({ from: '2025-12', to: '2026-11', basis: 'revenue', thresholdA: 0.8, thresholdB: 0.95 });
    expect(s.items.map((i: { accountId: string; rank: number; tier: string; cumulativeShare: number | null; valueMinor: number }) => [code(i.accountId), i.rank, i.tier, i.cumulativeShare, i.valueMinor]))
      .toEqual([['acc1', 1, 'A', 0.7, 70000], ['acc2', 2, 'A', 0.9, 20000], ['acc3', 3, 'B', 1, 10000], ['acc4', 4, 'C', null, -5000]]);
    expect(s.totals.tiers.A).toEqual({ accounts: 2, valueMinor: 90000, share: 0.9 });
  });

  it('shows each caller the monthly net sales of their own accounts on the home page, from the rollups kept by the import', async () => {
    const months = (c: Client) => c.get('/api/v1/home').then((r) => r.json().revenueByMonth.map((m: { month: string; amountMinor: number }) => [m.month, m.amountMinor]));
    // The last 12 months at the test clock: 2025-06 (ACC3's 1,000) is before them.
    expect(await months(admin)).toEqual([['2026-03', 70000], ['2026-04', 20000], ['2026-05', 10000], ['2026-06', -5000]]);
    expect(await months(m1)).toEqual([['2026-03', 70000], ['2026-04', 20000]]);
    expect(await months(m3)).toEqual([['2026-05', 10000]]);
  });

  it('ranks by margin when asked', async () => {
    const s = (await admin.get('/api/v1/portfolio/segments?basis=margin')).json();
    // Margins: ACC1 200, ACC3 90, ACC2 10 (total 300); ACC4 has no cost: 0. ACC3 starts at 67% < 80%: A; ACC2 at 97%: C.
    expect(s.items.map((i: { accountId: string; tier: string }) => `${code(i.accountId)}:${i.tier}`)).toEqual(['acc1:A', 'acc3:A', 'acc2:C', 'acc4:C']);
  });

  it('shows a manager only their accounts, with company-wide ranks and shares; a dealer gets 403', async () => {
    const mine = (await m1.get('/api/v1/portfolio/segments')).json();
    expect(mine.items.map((i: { accountId: string; rank: number }) => [code(i.accountId), i.rank])).toEqual([['acc1', 1], ['acc2', 2]]);
    const theirs = (await m3.get('/api/v1/portfolio/segments')).json();
    expect(theirs.items.map((i: { accountId: string; rank: number; cumulativeShare: number }) => [code(i.accountId), i.rank, i.cumulativeShare])).toEqual([['acc3', 3, 1]]);
    const dealer = await t.login('dealer');
    for (const url of ['/api/v1/portfolio/segments', '/api/v1/portfolio/key-accounts', '/api/v1/portfolio/tier-moves', '/api/v1/portfolio/attention', '/api/v1/portfolio/segments/export']) {
      expect((await dealer.get(url)).statusCode, url).toBe(403);
    }
  });

  type Seg = {
    scope: { kind: string; accounts: number; companyAccounts: number };
    totals: { accounts: number; positiveValueMinor: number; tiers: Record<string, { accounts: number; valueMinor: number; share: number }> };
    curve: { points: { cumulativeShare: number; valueMinor: number; account: { accountId: string } | null }[] };
    items: { accountId: string; rank: number; tier: string; valueMinor: number; scopeShare: number; scopeCumulativeShare: number | null }[];
    total: number; nextCursor: string | null;
  };
  /** Every page of the table, one row a page, as the web app's pager walks it. */
  async function allPages(c: Client, path = '/api/v1/portfolio/segments'): Promise<{ first: Seg; rows: Seg['items'] }> {
    const pages: Seg[] = [];
    let cursor: string | null = null;
    do {
      const res = await c.get(`${path}?limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(res.statusCode, res.body).toBe(200);
      const page = res.json() as Seg;
      expect(page.items.length).toBeLessThanOrEqual(1);
      pages.push(page);
      cursor = page.nextCursor;
    } while (cursor && pages.length < 20);
    return { first: pages[0]!, rows: pages.flatMap((p) => p.items) };
  }
  /** The tier cards as the table's rows add them up. */
  const fromRows = (rows: Seg['items']) => Object.fromEntries(['A', 'B', 'C'].map((tier) => {
    const of = rows.filter((r) => r.tier === tier);
    return [tier, { accounts: of.length, valueMinor: of.reduce((s, r) => s + Math.max(r.valueMinor, 0), 0) }];
  }));

  it('sums the tier cards over the same accounts as the table: a manager\'s own, a director\'s teams\', everyone\'s for admin and the executive', async () => {
    const d1 = await t.login('d1');
    const exec = await t.login('exec');
    const expected: [Client, string, string, string[], Record<string, { accounts: number; valueMinor: number; share: number }>][] = [
      // m1 owns ACC1 (700) and is on ACC2's team (200): both A company-wide; of m1's 900, ACC1 is 78%.
      [m1, 'm1', 'own', ['acc1', 'acc2'], { A: { accounts: 2, valueMinor: 90000, share: 1 }, B: { accounts: 0, valueMinor: 0, share: 0 }, C: { accounts: 0, valueMinor: 0, share: 0 } }],
      [m3, 'm3', 'own', ['acc3'], { A: { accounts: 0, valueMinor: 0, share: 0 }, B: { accounts: 1, valueMinor: 10000, share: 1 }, C: { accounts: 0, valueMinor: 0, share: 0 } }],
      [d1, 'd1', 'team', ['acc1', 'acc2'], { A: { accounts: 2, valueMinor: 90000, share: 1 }, B: { accounts: 0, valueMinor: 0, share: 0 }, C: { accounts: 0, valueMinor: 0, share: 0 } }],
      [admin, 'admin', 'all', ['acc1', 'acc2', 'acc3', 'acc4'], { A: { accounts: 2, valueMinor: 90000, share: 0.9 }, B: { accounts: 1, valueMinor: 10000, share: 0.1 }, C: { accounts: 1, valueMinor: 0, share: 0 } }],
      [exec, 'exec', 'all', ['acc1', 'acc2', 'acc3', 'acc4'], { A: { accounts: 2, valueMinor: 90000, share: 0.9 }, B: { accounts: 1, valueMinor: 10000, share: 0.1 }, C: { accounts: 1, valueMinor: 0, share: 0 } }],
    ];
    for (const [c, who, kind, codes, tiers] of expected) {
      const { first, rows } = await allPages(c);
      expect(rows.map((r) => code(r.accountId)), who).toEqual(codes);
      expect(first.scope, who).toEqual({ kind, accounts: codes.length, companyAccounts: 4 });
      expect(first.total, who).toBe(codes.length);
      expect(first.totals.tiers, who).toEqual(tiers);
      // What the cards say is what the table's rows add up to.
      const summed = fromRows(rows);
      for (const tier of ['A', 'B', 'C']) expect({ accounts: first.totals.tiers[tier]!.accounts, valueMinor: first.totals.tiers[tier]!.valueMinor }, `${who} ${tier}`).toEqual(summed[tier]);
      expect(first.totals.positiveValueMinor, who).toBe(rows.reduce((s, r) => s + Math.max(r.valueMinor, 0), 0));
      // The table's cumulative column and the chart's line end at 100% of the same total.
      const positive = rows.filter((r) => r.valueMinor > 0);
      expect(positive.at(-1)!.scopeCumulativeShare, who).toBe(1);
      expect(first.curve.points.at(-1)!.cumulativeShare, who).toBe(1);
      expect(first.curve.points.map((p) => p.account?.accountId), who).toEqual(positive.map((r) => r.accountId));
    }
    // Ranks and tiers stay the company's: ACC2 is 2nd and A for m1 too, though 22% of m1's revenue.
    const mine = (await m1.get('/api/v1/portfolio/segments')).json() as Seg;
    expect(mine.items.map((i) => [code(i.accountId), i.rank, i.tier, Number(i.scopeShare.toFixed(4))])).toEqual([['acc1', 1, 'A', 0.7778], ['acc2', 2, 'A', 0.2222]]);
    // The account page's "tier and rank" counts the company's accounts, whoever reads it.
    const facts = (await m1.get(`/api/v1/accounts/${t.world.accounts.acc2}/facts`)).json() as { items: { id: string; value: unknown }[] };
    expect(facts.items.find((x) => x.id === 'portfolio.tier')?.value).toEqual({ kind: 'tier', tier: 'A', rank: 2, of: 4 });
  });

  it('pages the ABC table by rank; the key accounts too; a forged cursor is a 400', async () => {
    const one = (await admin.get('/api/v1/portfolio/segments?limit=2')).json() as Seg;
    expect(one.items.map((i) => code(i.accountId))).toEqual(['acc1', 'acc2']);
    expect(one.total).toBe(4);
    const two = (await admin.get(`/api/v1/portfolio/segments?limit=2&cursor=${encodeURIComponent(one.nextCursor!)}`)).json() as Seg;
    expect(two.items.map((i) => code(i.accountId))).toEqual(['acc3', 'acc4']);
    expect(two.nextCursor).toBeNull();
    // The cards do not change from page to page.
    expect(two.totals).toEqual(one.totals);
    const keys = await allPages(admin, '/api/v1/portfolio/key-accounts');
    expect(keys.rows.map((r) => code(r.accountId))).toEqual(['acc1', 'acc2']);
    expect(keys.first.total).toBe(2);
    for (const bad of ['nonsense', Buffer.from(JSON.stringify(['x', 'y'])).toString('base64url')]) {
      const res = await admin.get(`/api/v1/portfolio/segments?cursor=${bad}`);
      expect(res.statusCode, bad).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
    expect((await admin.get('/api/v1/portfolio/segments?limit=501')).statusCode).toBe(400);
  });

  it('lists who rose and who fell against the previous 12 months', async () => {
    const m = (await admin.get('/api/v1/portfolio/tier-moves')).json();
    expect(m.before).toMatchObject({ from: '2024-12', to: '2025-11' });
    expect(m.rose.map((x: { accountId: string; tierBefore: string; tierAfter: string; steps: number }) => [code(x.accountId), x.tierBefore, x.tierAfter, x.steps])).toEqual([['acc1', 'C', 'A', 2], ['acc2', 'C', 'A', 2]]);
    expect(m.fell.map((x: { accountId: string; tierBefore: string; tierAfter: string; valueChangeMinor: number }) => [code(x.accountId), x.tierBefore, x.tierAfter, x.valueChangeMinor])).toEqual([['acc3', 'A', 'B', -90000]]);
  });

  it('designates a key account by hand with a reason (audited), only within scope', async () => {
    const before = await snapshot(t.db);
    expect((await m1.put(`/api/v1/portfolio/key-accounts/${t.world.accounts.acc3}`, { keyAccount: true, reason: 'strategic' })).statusCode).toBe(404);
    expect(await snapshot(t.db)).toBe(before);
    const res = await m3.put(`/api/v1/portfolio/key-accounts/${t.world.accounts.acc3}`, { keyAccount: true, reason: 'New plant opening in 2027' });
    expect(res.statusCode, res.body).toBe(200);
    const keys = (await admin.get('/api/v1/portfolio/key-accounts')).json();
    expect(keys.items.map((i: { accountId: string; designationReason: string | null }) => [code(i.accountId), i.designationReason])).toEqual([['acc1', null], ['acc2', null], ['acc3', 'New plant opening in 2027']]);
    const audit = await t.db.kysely.selectFrom('audit_log').selectAll().where('action', '=', 'key_account_designate').execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ account_id: t.world.accounts.acc3, entity: 'account' });
  });

  it('applies the computed tiers to the accounts the caller may edit, audited per account', async () => {
    const dry = (await m1.post('/api/v1/portfolio/apply-tiers', { dryRun: true })).json();
    expect(dry.changed.map((c: { code: string; from: string; to: string }) => [c.code, c.from, c.to])).toEqual([['ACC2', 'B', 'A']]);
    const res = await m1.post('/api/v1/portfolio/apply-tiers', {});
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ dryRun: false, unchanged: 1 });
    const tiers = await t.db.kysely.selectFrom('accounts').select(['code', 'tier']).orderBy('code').execute();
    expect(tiers).toEqual([{ code: 'ACC1', tier: 'A' }, { code: 'ACC2', tier: 'A' }, { code: 'ACC3', tier: 'B' }, { code: 'ACC4', tier: 'B' }]);
    const audit = await t.db.kysely.selectFrom('audit_log').selectAll().where('action', '=', 'tier_apply').execute();
    expect(audit.map((a) => a.account_id)).toEqual([t.world.accounts.acc2]);
  });

  it('checks where the hours go: time by tier against revenue by tier, and the accounts out of balance', async () => {
    // Each account has one 60-minute visit by m1 on 2026-10-01 (test/factories.ts).
    const a = (await admin.get('/api/v1/portfolio/attention')).json();
    expect(a.tierRevenueShare).toEqual({ A: 0.9, B: 0.1, C: 0 });
    const m1Row = a.byManager.find((g: { userId: string }) => g.userId === t.world.users.m1);
    expect(m1Row.minutes).toBe(240);
    expect(m1Row.tiers.map((x: { tier: string; minutes: number; timeShare: number; ratio: number | null }) => [x.tier, x.minutes, x.timeShare, x.ratio === null ? null : Number(x.ratio.toFixed(3))]))
      .toEqual([['A', 120, 0.5, 0.556], ['B', 60, 0.25, 2.5], ['C', 60, 0.25, null]]);
    expect(a.byTeam).toHaveLength(1);
    expect(a.accounts.map((x: { accountId: string; verdict: string }) => [code(x.accountId), x.verdict]))
      .toEqual([['acc1', 'too little'], ['acc2', 'in balance'], ['acc3', 'too much'], ['acc4', 'too much']]);
    // A manager sees the check over their own accounts only.
    const mine = (await m3.get('/api/v1/portfolio/attention')).json();
    expect(mine.accounts.map((x: { accountId: string }) => code(x.accountId))).toEqual(['acc3']);
  });

  it('exports the ABC table, the ranking and the 80/20 check as XLSX', async () => {
    for (const [url, sheet, header] of [['/api/v1/portfolio/segments/export', 'ABC', 'Rank'], ['/api/v1/portfolio/key-accounts/export', 'Key accounts', 'Rank'], ['/api/v1/portfolio/attention/export', 'Managers', 'Who']] as const) {
      const res = await admin.get(url);
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type']).toContain('spreadsheetml');
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
      const ws = wb.getWorksheet(sheet)!;
      expect(ws.getRow(1).getCell(1).value).toBe(header);
      expect(ws.rowCount).toBeGreaterThan(1);
    }
  });
});
