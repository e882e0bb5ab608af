import ExcelJS from 'exceljs';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import type { PortalCard } from '../src/platform/contributions.contract.js';
import { buildTestApp, type Client, type TestApp } from './build-test-app.js';
import { describeEachDialect } from './dialects.js';
import { importFile } from './sales-helpers.js';

type Agreement = { id: string; number: string; status: string; version: number; valueMinor: number; versions: { seq: number; status: string }[]; internalNote: string | null };
type Settlement = { id: string; number: string; amountMinor: number; earnedToDateMinor: number; alreadyPaidMinor: number; tierIndex: number; basis: number; status: string; lines: { accountId: string; amountMinor: number; basis: number }[] };

// The test clock starts at 2026-11-26 08:00 UTC (16:00 in Shanghai): invoices up to 26 November count.
// m1 owns acc1 and is on acc2's team; m2 owns acc2; m3 owns acc3; d1 directs team 1 (m1, m2).
// Approval threshold for this file: ¥1,000 (100,000 fen) of rebate.
process.env.OPENKAM_REBATE_APPROVAL_MINOR = '100000';

const TIERS = [{ from: 0, ratePercent: 2 }, { from: 1_000_000, ratePercent: 3 }, { from: 2_000_000, ratePercent: 4 }];
const terms = (over: Record<string, unknown> = {}) => ({ method: 'retroactive', basisKind: 'value', tiers: TIERS, ...over });
const csv = (rows: [string, string, number, string, string, number][]) =>
  `date,account,sku,quantity,net amount,currency,document,line\n${rows.map(([d, acc, q, amount, doc, line]) => `${d},${acc},PO425-B50,${q},${amount},CNY,${doc},${line}`).join('\n')}\n`;

describeEachDialect('rebates: agreements, attainment, accruals, settlements, the dealer', (dialect) => {
  let t: TestApp;
  let settled = { id: '', second: '' };
  let admin: Client, m1: Client, m2: Client, m3: Client, d1: Client, dealer: Client;
  beforeAll(async () => {
    t = await buildTestApp(dialect);
    [admin, m1, m2, m3, d1, dealer] = (await Promise.all(['admin', 'm1', 'm2', 'm3', 'd1', 'dealer'].map((k) => t.login(k)))) as [Client, Client, Client, Client, Client, Client];
    // ACC1: ¥3,000 in January and ¥4,000 in March (whole months: the rollups), ¥2,500 on 20 November (a partial month: the lines).
    const job = await importFile(admin, 'sales', csv([
      ['2026-01-15', 'ACC1', 100, '3000.00', 'INV-A1', 1],
      ['2026-03-10', 'ACC1', 100, '4000.00', 'INV-A2', 1],
      ['2026-11-20', 'ACC1', 50, '2500.00', 'INV-A3', 1],
      ['2026-02-02', 'ACC2', 80, '6000.00', 'INV-B1', 1],
      ['2026-05-02', 'ACC3', 10, '800.00', 'INV-C1', 1],
      ['2025-06-10', 'ACC1', 10, '500.00', 'INV-OLD', 1],
    ]));
    expect(job.status).toBe('succeeded');
  });
  beforeEach(() => { t.clock.set('2026-11-26T08:00:00.000Z'); });
  afterAll(async () => { await t?.close(); });

  const create = async (c: Client, body: Record<string, unknown>) => {
    const res = await c.post('/api/v1/rebate-agreements', {
      name: 'Annual volume rebate 2026', currency: 'CNY', periodStart: '2026-01-01', periodEnd: '2027-01-01', expectedBasis: 1_000_000, terms: terms(), ...body,
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as Agreement;
  };
  const activate = async (c: Client, a: Agreement) => {
    const res = await c.post(`/api/v1/rebate-agreements/${a.id}/submit`, { version: a.version });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as Agreement;
  };
  const attainment = async (c: Client, id: string) => {
    const res = await c.get(`/api/v1/rebate-agreements/${id}/attainment`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { basisToDate: number; tierIndex: number; earnedToDateMinor: number; versionSeq: number; next: { moreNeeded: number; rebateAtTierMinor: number; ratePercent: number } | null; monthly: { month: string; cumulative: number }[]; forecast: unknown };
  };
  const settle = (c: Client, id: string, body: Record<string, unknown>) => c.post(`/api/v1/rebate-agreements/${id}/settlements`, body);

  it('measures the basis on invoice dates inside the period, from rollups and lines, and knows the tier and the next one', async () => {
    const a = await activate(m1, await create(m1, { accountIds: [t.world.accounts.acc1], internalNote: 'Margin is thin: do not go above 4 %' }));
    expect(a.status).toBe('active'); // worth 30,000 (3 % of 1,000,000) ≤ the 100,000 threshold: active at once
    const at = await attainment(m1, a.id);
    // 300,000 + 400,000 + 250,000 = 950,000 (the 2025 invoice is outside the period): 2 % → 19,000.
    expect(at).toMatchObject({ basisToDate: 950_000, tierIndex: 0, earnedToDateMinor: 19_000, versionSeq: 1 });
    // 50,000 more reaches 3 %, worth 30,000 in all.
    expect(at.next).toMatchObject({ moreNeeded: 50_000, ratePercent: 3, rebateAtTierMinor: 30_000 });
    expect(at.monthly.find((m) => m.month === '2026-03')!.cumulative).toBe(700_000);
  });

  it('claws back when returns drop the basis below a tier: two partial settlements each deduct what was paid', async () => {
    const a = await activate(m1, await create(m1, { accountIds: [t.world.accounts.acc1], name: 'Settled rebate' }));
    // Another 100,000 on 21 November: 1,050,000 reaches 3 %.
    await importFile(admin, 'sales', csv([['2026-11-21', 'ACC1', 10, '1000.00', 'INV-A4', 1]]));
    expect((await attainment(m1, a.id)).earnedToDateMinor).toBe(31_500);
    // Only someone who may write the agreement's accounts settles it: not a manager of other accounts.
    expect([403, 404]).toContain((await settle(m2, a.id, { kind: 'partial', cutoff: '2026-11-24' })).statusCode);
    const preview = await d1.post(`/api/v1/rebate-agreements/${a.id}/settlements/preview`, { kind: 'partial', cutoff: '2026-11-24' });
    expect(preview.json()).toMatchObject({ status: 'preview', amountMinor: 31_500 });
    const first = await settle(d1, a.id, { kind: 'partial', cutoff: '2026-11-24' });
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toMatchObject({ amountMinor: 31_500, earnedToDateMinor: 31_500, alreadyPaidMinor: 0, tierIndex: 1, basis: 1_050_000 });
    // A credit note of 150,000 on 25 November: 900,000, back to 2 % → 18,000 earned; 13,500 comes back.
    await importFile(admin, 'sales', csv([['2026-11-25', 'ACC1', -30, '-1500.00', 'CR-A1', 1]]));
    const second = (await settle(d1, a.id, { kind: 'partial' })).json() as Settlement;
    expect(second).toMatchObject({ amountMinor: -13_500, earnedToDateMinor: 18_000, alreadyPaidMinor: 31_500, tierIndex: 0, basis: 900_000 });
    // December: 1,200,000 more → 2,100,000, 4 % → 84,000; the final pays 84,000 − 18,000 = 66,000.
    await importFile(admin, 'sales', csv([['2026-12-15', 'ACC1', 200, '12000.00', 'INV-A5', 1]]));
    expect((await settle(d1, a.id, { kind: 'final' })).statusCode).toBe(409); // the period has not ended
    settled = { id: a.id, second: second.id };
  });

  it('settles once when two runs arrive at the same moment', async () => {
    const a = await activate(m1, await create(m1, { accountIds: [t.world.accounts.acc1], name: 'Concurrent' }));
    const [r1, r2] = await Promise.all([settle(d1, a.id, { kind: 'partial', cutoff: '2026-11-01' }), settle(d1, a.id, { kind: 'partial', cutoff: '2026-11-01' })]);
    expect([r1.statusCode, r2.statusCode].sort()).toEqual([201, 409]);
    const rows = await t.db.kysely.selectFrom('rebate_settlements').select('id').where('agreement_id', '=', a.id).execute();
    expect(rows).toHaveLength(1);
  });

  it('applies a mid-period change from its date; each monthly accrual names the version that produced it', async () => {
    const a = await activate(m1, await create(m1, { accountIds: [t.world.accounts.acc1], name: 'Changed in July' }));
    const res = await m1.post(`/api/v1/rebate-agreements/${a.id}/versions`, {
      effectiveFrom: '2026-07-01', version: a.version, note: 'Raised the first tier to 2.5 %',
      terms: terms({ tiers: [{ from: 0, ratePercent: 2.5 }, { from: 1_000_000, ratePercent: 3 }, { from: 2_000_000, ratePercent: 4 }] }),
    });
    expect(res.statusCode, res.body).toBe(200);
    const at = await attainment(m1, a.id);
    expect(at.versionSeq).toBe(2);
    expect(at.basisToDate).toBeGreaterThan(0);
    const run = await d1.post('/api/v1/rebate-accruals/run');
    expect(run.statusCode, run.body).toBe(200);
    const acc = (await m1.get(`/api/v1/rebate-agreements/${a.id}/accruals`)).json() as { items: { month: string; versionSeq: number; basis: number; earnedToDateMinor: number; accruedMinor: number }[] };
    const june = acc.items.find((x) => x.month === '2026-06')!;
    const july = acc.items.find((x) => x.month === '2026-07')!;
    // June: 700,000 at 2 % = 14,000 (version 1). July: the same 700,000 at 2.5 % = 17,500 (version 2): accrued 3,500 that month.
    expect(june).toMatchObject({ versionSeq: 1, basis: 700_000, earnedToDateMinor: 14_000 });
    expect(july).toMatchObject({ versionSeq: 2, basis: 700_000, earnedToDateMinor: 17_500, accruedMinor: 3_500 });
    expect(acc.items.reduce((s, x) => s + x.accruedMinor, 0)).toBe(acc.items[acc.items.length - 1]!.earnedToDateMinor);
    // A change must start after the latest one.
    expect((await m1.post(`/api/v1/rebate-agreements/${a.id}/versions`, { effectiveFrom: '2026-06-01', version: a.version + 1, terms: terms() })).statusCode).toBe(400);
  });

  it('sends an agreement above the threshold to a director, who approves it', async () => {
    const big = await create(m1, { accountIds: [t.world.accounts.acc1], name: 'Big one', expectedBasis: 10_000_000 });
    expect(big.valueMinor).toBe(400_000);
    const sub = await activate(m1, big);
    expect(sub.status).toBe('pending_approval');
    expect((await m1.post(`/api/v1/rebate-agreements/${big.id}/approve`, { version: sub.version })).statusCode).toBe(403);
    const agenda = (await d1.get('/api/v1/home/day')).json() as { items: { id: string; titleKey: string }[] };
    expect(agenda.items.some((i) => i.id === `rebate-approval:${big.id}`)).toBe(true);
    const ok = await d1.post(`/api/v1/rebate-agreements/${big.id}/approve`, { version: sub.version });
    expect(ok.json()).toMatchObject({ status: 'active', versions: [{ seq: 1, status: 'active' }] });
  });

  it('shares a group agreement\'s credit note over its accounts; writable only by whoever writes them all', async () => {
    const g = await activate(m1, await create(m1, { accountIds: [t.world.accounts.acc1, t.world.accounts.acc2], name: 'Group rebate', internalNote: 'group secret' }));
    // m2 sees it (acc2 is theirs) but may not change it (acc1 is not).
    expect((await m2.get(`/api/v1/rebate-agreements/${g.id}`)).statusCode).toBe(200);
    expect((await m2.post(`/api/v1/rebate-agreements/${g.id}/versions`, { effectiveFrom: '2026-08-01', version: g.version, terms: terms() })).statusCode).toBe(403);
    expect((await m3.get(`/api/v1/rebate-agreements/${g.id}`)).statusCode).toBe(404);
    const s = (await settle(d1, g.id, { kind: 'partial', cutoff: '2026-11-01' })).json() as Settlement;
    // Basis before November: ACC1 700,000, ACC2 600,000 → 1,300,000 at 3 % = 39,000, shared 21,000 / 18,000.
    expect(s.amountMinor).toBe(39_000);
    expect(s.lines.map((l) => [l.accountId, l.basis, l.amountMinor])).toEqual([[t.world.accounts.acc1, 700_000, 21_000], [t.world.accounts.acc2, 600_000, 18_000]]);
    const x = await m1.get(`/api/v1/rebate-settlements/${s.id}/credit-note.xlsx`);
    expect(x.statusCode).toBe(200);
    expect(x.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(x.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(ws.getCell('B1').value).toBe(s.number);
    const codes: unknown[] = [];
    ws.eachRow((row) => { if (row.getCell(2).value === 'ACC1' || row.getCell(2).value === 'ACC2') codes.push(row.getCell(6).value); });
    expect(codes).toEqual([21_000, 18_000]);
    // The timeline of acc2 shows the settlement.
    const tl = (await m1.get(`/api/v1/accounts/${t.world.accounts.acc2}/timeline`)).json() as { items: { kind: string; params: { number?: string } }[] };
    expect(tl.items.some((e) => e.kind === 'rebate.settled' && e.params.number === s.number)).toBe(true);
  });

  it('shows the dealer its own progress and nothing of a group agreement, another dealer\'s agreement or internal notes', async () => {
    await activate(m3, await create(m3, { accountIds: [t.world.accounts.acc3], name: 'Someone else\'s rebate', internalNote: 'acc3 secret' }));
    const res = await dealer.get('/api/v1/portal/rebates');
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as { items: { name: string; next: unknown; earnedToDateMinor: number }[] };
    expect(body.items.length).toBeGreaterThan(0);
    expect(body.items.map((i) => i.name)).not.toContain('Group rebate');
    expect(body.items.map((i) => i.name)).not.toContain('Someone else\'s rebate');
    expect(res.body).not.toMatch(/secret|Margin is thin|internalNote|ACC2|ACC3/);
    const cards = (await dealer.get('/api/v1/portal/cards')).json() as { items: PortalCard[] };
    const mine = cards.items.filter((c) => c.module === 'rebates');
    expect(mine.length).toBe(body.items.length);
    expect(JSON.stringify(mine)).not.toMatch(/secret|Margin is thin|ACC2|ACC3/);
    // The staff routes are closed to the dealer.
    expect((await dealer.get('/api/v1/rebate-agreements')).statusCode).toBe(403);
    // And staff have no portal of their own.
    expect((await m1.get('/api/v1/portal/rebates')).statusCode).toBe(403);
  });

  it('adds the rebate earned, the tier reached and the next tier\'s chance to the account facts, for staff only', async () => {
    const facts = (await m1.get(`/api/v1/accounts/${t.world.accounts.acc1}/facts`)).json() as { items: { id: string; value: { kind: string; amountMinor?: number; value?: number } }[] };
    const earned = facts.items.find((f) => f.id === 'rebates.earned');
    expect(earned?.value.kind).toBe('money');
    expect(earned!.value.amountMinor).toBeGreaterThan(0);
    expect(facts.items.find((f) => f.id === 'rebates.tier')?.value.kind).toBe('percent');
    // A dealer's view of its own account carries no internal rebate figure.
    const dealerFacts = await dealer.get(`/api/v1/accounts/${t.world.accounts.acc1}/facts`);
    expect(dealerFacts.body).not.toContain('rebates.');
  });

  it('refuses bad terms with the field path, and accounts outside the caller\'s scope', async () => {
    const bad = await m1.post('/api/v1/rebate-agreements', {
      name: 'Bad', accountIds: [t.world.accounts.acc1], currency: 'CNY', periodStart: '2026-01-01', periodEnd: '2027-01-01',
      terms: terms({ tiers: [{ from: 0, ratePercent: 2 }, { from: 0, ratePercent: 3 }] }),
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('tiers overlap');
    const other = await m1.post('/api/v1/rebate-agreements', {
      name: 'Not mine', accountIds: [t.world.accounts.acc3], currency: 'CNY', periodStart: '2026-01-01', periodEnd: '2027-01-01', terms: terms(),
    });
    expect(other.statusCode).toBe(400);
    const list = (await m3.get('/api/v1/rebate-agreements')).json() as { items: { accounts: { id: string }[] }[] };
    expect(list.items.every((a) => a.accounts.some((x) => x.id === t.world.accounts.acc3))).toBe(true);
  });
  // Last: it moves the clock past the period end (sessions of November expire).
  it('ends the period with a final settlement that pays earned − paid, settles once, and settles again after a reversal', async () => {
    const a = { id: settled.id };
    const second = { id: settled.second };
    t.clock.set('2027-01-05T02:00:00.000Z');
    const dJan = await t.login('d1'); // a sign-in of January (the one of November has expired)
    const fin = (await settle(dJan, a.id, { kind: 'final' })).json() as Settlement;
    expect(fin).toMatchObject({ amountMinor: 66_000, earnedToDateMinor: 84_000, alreadyPaidMinor: 18_000 });
    const all = (await dJan.get(`/api/v1/rebate-agreements/${a.id}/settlements`)).json() as { items: Settlement[] };
    expect(all.items.reduce((s, x) => s + x.amountMinor, 0)).toBe(84_000);
    // Nothing settles twice: after the final, no settlement; reverse it (with a reason) to settle again.
    expect((await settle(dJan, a.id, { kind: 'final' })).json()).toMatchObject({ code: 'already_settled' });
    expect((await dJan.post(`/api/v1/rebate-settlements/${second.id}/reverse`, { reason: 'not the latest' })).statusCode).toBe(409);
    const rev = await dJan.post(`/api/v1/rebate-settlements/${fin.id}/reverse`, { reason: 'December invoice disputed' });
    expect(rev.json()).toMatchObject({ status: 'reversed', reversalReason: 'December invoice disputed' });
    const audit = await t.db.kysely.selectFrom('audit_log').select(['action', 'after_json']).where('entity_id', '=', fin.id).execute();
    expect(audit.map((r) => r.action).sort()).toEqual(['rebate.reverse', 'rebate.settle']);
    const again = (await settle(dJan, a.id, { kind: 'final' })).json() as Settlement;
    expect(again).toMatchObject({ amountMinor: 66_000, alreadyPaidMinor: 18_000 });
    expect(again.number).not.toBe(fin.number);
  });
});
