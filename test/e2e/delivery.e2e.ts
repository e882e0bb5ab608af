/**
 * Delivery end to end on the demo world (issue #16): logistics imports a coastal dealer's late
 * shipments through the file import; the manager sees the dealer's on-time figure fall and the late
 * lines on the account; the dealer files a late-delivery claim in the portal; the manager
 * investigates, accepts it with a reason and records the credit note, which the dealer then sees;
 * and logistics proposes to keep the dealer's lane on rail from July to October, which the manager
 * approves over the demo's July–September rule, so the account header shows the new plan. First,
 * the demo world's lane planner, claims board and stock-outs as manager1 sees them.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from './e2e-world.js';
import { apiAs, CHROMIUM, chromiumArgs, type E2eServer, hasChromium, root, shot, signIn, startE2eServer } from './harness.js';

const shots = path.join(root, 'test-results/delivery');
const desktop = { width: 1280, height: 900 };
const wide = { width: 1440, height: 900 };
const phone = { width: 390, height: 844 };
const MANAGER = 'manager1@demo.openkam.local';
const LOGISTICS = 'logistics@demo.openkam.local';
const DAY = 86_400_000;
const iso = (t: number) => new Date(t).toISOString().slice(0, 10);

type Fact = { id: string; value: { kind: string; value?: number; key?: string; params?: Record<string, unknown> } };

// A browser test waits on Chromium, which waits on the CPU: each test gets the 90 s the other tours get.
describe.skipIf(!hasChromium)('delivery: late shipments imported, a claim settled with a credit note, a ship→rail rule approved', { timeout: 90_000 }, () => {
  let server: E2eServer;
  let browser: Browser;
  const errors: string[] = [];
  const run = Date.now() % 100_000;
  const world = {} as { accountId: string; code: string; dealer: string; lane: string; onTimeBefore: number; orders: string[]; claimTitle: string; claimId: string; creditNo: string };

  /** A mutation as `email` through the app in-process (API setup), with the session's CSRF token. */
  async function send(email: string, method: 'POST' | 'PATCH', url: string, payload: object): Promise<{ status: number; body: any }> {
    const res = await server.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password: DEMO_PASSWORD } });
    const cookie = res.cookies.find((c) => c.name === 'openkam_session')!.value;
    const csrf = (res.json() as { csrfToken: string }).csrfToken;
    const out = await server.app.inject({ method, url, payload, cookies: { openkam_session: cookie }, headers: { 'x-csrf-token': csrf } });
    return { status: out.statusCode, body: out.json() };
  }

  const onTime = async () => {
    const facts = await (await apiAs(server, MANAGER))<{ items?: Fact[] } | Fact[]>(`/api/v1/accounts/${world.accountId}/facts`);
    const list = Array.isArray(facts) ? facts : facts.items ?? [];
    return list.find((f) => f.id === 'delivery.onTime')?.value.value ?? null;
  };

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    [server, browser] = await Promise.all([startE2eServer(), chromium.launch({ executablePath: CHROMIUM, args: chromiumArgs })]);
    // manager1's first tier-A dealer on the Taizhou–Wenling coast: its goods go from Ningbo by sea.
    const asManager = await apiAs(server, MANAGER);
    const me = await asManager<{ id: string }>('/api/v1/auth/me');
    const accounts = await asManager<{ items: { id: string; code: string; tier: string | null; ownerId: string | null; city: string | null }[] }>('/api/v1/accounts?limit=200');
    const account = accounts.items.find((a) => a.ownerId === me.id && a.tier === 'A' && (a.city === '台州市' || a.city === '温岭市'));
    expect(account, 'a coastal tier-A dealer of manager1').toBeDefined();
    world.accountId = account!.id;
    world.code = account!.code;
    world.dealer = `dealer-${account!.code.toLowerCase()}@demo.openkam.local`;
    world.lane = `NGB-${account!.code}`;
    world.orders = [1, 2, 3, 4, 5, 6].map((i) => `E2E-${run}-${i}`);
    world.claimTitle = `到货晚了一周 ${run}`;
    world.creditNo = `CN-${run}`;
    const before = await onTime();
    expect(before, 'the dealer has an on-time figure before the import').not.toBeNull();
    world.onTimeBefore = before!;
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /** A signed-in page in Shanghai time. */
  async function as(email: string, locale: 'en' | 'zh-CN', viewport = desktop): Promise<Page> {
    return (await signIn(browser, server, email, locale, errors, { viewport, timezoneId: 'Asia/Shanghai' })).page;
  }

  for (const locale of ['en', 'zh-CN'] as const) {
    it(`shows manager1 the demo's lane planner, claims board and stock-outs in ${locale}, at desktop and phone width`, async () => {
      // A coastal lane of manager1's other than the one this file changes: its approved rail rule is the demo's.
      const lanes = await (await apiAs(server, MANAGER))<{ items: { code: string; plan: { toMode: string } | null }[] }>('/api/v1/lanes');
      const lane = (lanes.items.find((l) => l.plan && l.code !== world.lane) ?? lanes.items.find((l) => l.plan))!.code;
      for (const viewport of [wide, phone]) {
        const page = await as(MANAGER, locale, viewport);
        const name = (what: string) => path.join(shots, `demo-${what}-${locale}-${viewport.width}.png`);
        await page.goto(`/lanes/${lane}`);
        const rule = page.getByTestId(/^rule-/).first();
        await rule.waitFor();
        expect(await rule.innerText()).toMatch(locale === 'en' ? /approved/i : /已批准/);
        await page.locator('[role="img"] svg').first().waitFor();
        await shot(page, name('lane-planner'));

        // Every column of the board has a claim, the closed and withdrawn ones too.
        await page.goto('/claims');
        const board = page.getByTestId('claims-board');
        await board.getByTestId('claim-card').first().waitFor();
        await page.getByRole('switch', { name: locale === 'en' ? 'Show closed and withdrawn' : '显示已关闭和已撤回' }).check({ force: true });
        await expect.poll(() => board.locator(':scope > div').count()).toBe(5);
        for (const column of await board.locator(':scope > div').all()) expect(await column.getByTestId('claim-card').count()).toBeGreaterThan(0);
        await shot(page, name('claims-board'));

        // The worst stock-out opened: its days, lost sales and the late demo line behind it.
        await page.goto('/stock-outs');
        const outs = page.getByTestId('stock-outs');
        await outs.waitFor();
        await outs.locator('.mantine-Accordion-control').first().click();
        const causes = outs.getByTestId('stock-causes').first();
        await causes.waitFor();
        expect(await causes.innerText()).toMatch(/SO-\d{6}-\d{5}/);
        // The panel has opened all the way (Mantine animates its height).
        await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running' || a.effect?.getTiming().iterations === Infinity));
        await shot(page, name('stock-outs'));
        await page.context().close();
      }
      expect(errors).toEqual([]);
    });
  }

  it('lets logistics import the dealer\'s late shipments: upload, mapping, preview, import, counts', async () => {
    // Six lines promised two to three weeks ago, each delivered eight days late by sea (far past
    // the dealer's one working day of tolerance).
    const now = Date.now();
    const rows = world.orders.map((o, i) => {
      const promised = now - (21 - i * 2) * DAY;
      return [o, '1', world.code, 'P.O 42.5 散装', '30', 't', iso(promised - 10 * DAY), iso(promised), iso(promised + 2 * DAY), iso(promised + 8 * DAY), `SH-${o}`, 'ship', '中远海运', world.lane].join(',');
    });
    const csv = ['Order No,Line No,Dealer Code,Item,Quantity,Unit,Ordered Date,Promised Date,Shipped Date,Delivered Date,Shipment No,Mode,Carrier,Lane', ...rows].join('\n') + '\n';

    const page = await as(LOGISTICS, 'en');
    await page.goto('/delivery/import');
    await page.locator('input[type="file"]').setInputFiles({ name: 'late-shipments.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
    await page.getByRole('button', { name: 'Upload' }).click();
    // The mapping is suggested from the header; the preview reads the rows without a problem.
    await page.getByTestId('mapping').waitFor();
    const preview = page.getByTestId('preview');
    await expect.poll(() => preview.innerText(), { timeout: 20_000 }).toContain(world.orders[0]!);
    expect(await preview.innerText()).toMatch(/no problems/i);
    await shot(page, path.join(shots, 'import-preview-en-1280.png'));
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    const result = page.getByTestId('import-result');
    await expect.poll(() => result.innerText(), { timeout: 30_000 }).toMatch(/imported/i);
    const text = await result.innerText();
    // Rows 6, new 6, changed 0, unchanged 0, bad rows 0.
    expect(text.replace(/\s+/g, ' ')).toMatch(/Rows 6 New 6 Changed 0 Unchanged 0 Bad rows 0/);
    await shot(page, path.join(shots, 'import-result-en-1280.png'));
    await page.context().close();
  });

  it('shows the manager the on-time figure fallen and the late lines on the account', async () => {
    const after = await onTime();
    expect(after).not.toBeNull();
    expect(after!).toBeLessThan(world.onTimeBefore);
    const page = await as(MANAGER, 'en', phone);
    await page.goto(`/accounts/${world.accountId}`);
    const fact = page.getByTestId('fact-delivery.onTime');
    await fact.waitFor();
    const shown = Number(/([\d.]+)\s*%/.exec(await fact.innerText())?.[1]);
    expect(shown).toBeCloseTo(after!, 0);
    expect(shown).toBeLessThan(world.onTimeBefore);
    await fact.scrollIntoViewIfNeeded();
    await shot(page, path.join(shots, 'account-header-en-390.png'), false);
    await page.goto(`/accounts/${world.accountId}?tab=delivery`);
    const tab = page.getByTestId('account-delivery');
    await expect.poll(() => tab.innerText(), { timeout: 20_000 }).toContain(world.orders[5]!);
    await shot(page, path.join(shots, 'account-delivery-en-390.png'));
    await page.context().close();
  });

  it('opens the lines behind a bar of the OTIF charts by pointer, and the same by keyboard', async () => {
    const page = await as(MANAGER, 'en');
    await page.goto('/delivery');
    const drill = page.getByTestId('otif-drill');
    const title = () => drill.getByRole('heading', { level: 2 }).innerText();
    // The mode chart names modes in the reader's language; a click on a bar's label opens its shipments.
    await page.getByRole('img', { name: 'By transport mode' }).locator('text', { hasText: /^Ship$/ }).first().click();
    await expect.poll(title).toBe('Ship: lines promised in the period');
    const table = drill.getByTestId('shipments-table');
    await table.waitFor();
    const modes = await table.locator('tbody tr td:last-child').allInnerTexts();
    expect(modes.length).toBeGreaterThan(0);
    expect(new Set(modes)).toEqual(new Set(['Ship']));
    await page.keyboard.press('Escape');
    await drill.waitFor({ state: 'hidden' });
    // A month's label: the lines of that month (the one of the first imported promise).
    const month = new Intl.DateTimeFormat('en', { month: 'short', year: '2-digit', timeZone: 'UTC' }).format(new Date(`${iso(Date.now() - 21 * DAY).slice(0, 7)}-01T00:00:00Z`));
    await page.getByRole('img', { name: 'By month' }).locator('text', { hasText: month }).first().click();
    await expect.poll(title).toBe(`Lines promised in ${month}`);
    await page.keyboard.press('Escape');
    await drill.waitFor({ state: 'hidden' });
    // By keyboard: the dealer's name is a button.
    const dealerButton = page.getByTestId('dealer-row').first().getByRole('button');
    await dealerButton.focus();
    await page.keyboard.press('Enter');
    await expect.poll(title).toBe(await dealerButton.innerText());
    await page.context().close();
  });

  it('lets the dealer file a late-delivery claim on one of those shipments in the portal', async () => {
    const page = await as(world.dealer, 'zh-CN', phone);
    await page.goto('/portal/claims');
    await page.getByTestId('file-claim').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('简要说明').fill(world.claimTitle);
    await dialog.getByLabel(/索赔金额/).fill('1800');
    await dialog.getByRole('checkbox', { name: new RegExp(`${world.orders[5]}/1`) }).check({ force: true });
    await shot(page, path.join(shots, 'portal-file-claim-zh-CN-390.png'), false);
    await dialog.getByTestId('claim-submit').click();
    await page.waitForURL((u) => /^\/portal\/claims\/[0-9a-f-]{36}$/.test(u.pathname));
    world.claimId = new URL(page.url()).pathname.split('/').pop()!;
    await page.getByText(world.claimTitle).first().waitFor();
    const claim = await (await apiAs(server, MANAGER))<{ status: string; claimedMinor: number; kind: string; accountId: string }>(`/api/v1/claims/${world.claimId}`);
    expect(claim).toMatchObject({ status: 'filed', claimedMinor: 180_000, kind: 'late', accountId: world.accountId });
    await page.context().close();
  });

  it('lets the manager investigate, accept with a reason and record the credit note; the dealer sees it', async () => {
    const page = await as(MANAGER, 'zh-CN');
    // 20:30 UTC is already 04:30 of the next day in Shanghai: the credit note is dated on the manager's calendar.
    const evening = new Date(`${iso(Date.now())}T20:30:00Z`);
    await page.clock.setFixedTime(evening);
    await page.goto('/claims');
    const card = page.getByTestId('claim-card').filter({ hasText: world.claimTitle });
    await card.first().waitFor();
    await shot(page, path.join(shots, 'claims-board-zh-CN-1280.png'));
    await card.first().click();
    await page.waitForURL((u) => u.pathname === `/claims/${world.claimId}`);
    const status = async () => (await (await apiAs(server, MANAGER))<{ status: string }>(`/api/v1/claims/${world.claimId}`)).status;

    await page.getByTestId('claim-investigate').click();
    await page.getByTestId('claim-confirm').click();
    await expect.poll(status).toBe('investigating');

    const decision = page.getByTestId('claim-decision');
    await decision.getByLabel('理由').fill('船期延误八天，超出合同约定的一个工作日，全额接受。');
    await decision.getByRole('button', { name: '记录决定' }).click();
    await page.getByTestId('claim-confirm').click();
    await expect.poll(status).toBe('accepted');

    const credit = page.getByTestId('claim-credit');
    expect(await credit.getByLabel('开具日期').inputValue()).toBe(iso(evening.getTime() + DAY));
    await credit.getByLabel('贷项通知单编号').fill(world.creditNo);
    await credit.getByRole('button', { name: '记录贷项通知单' }).click();
    await page.getByTestId('claim-confirm').click();
    await expect.poll(status).toBe('credited');
    await expect.poll(() => page.getByTestId('claim-credit-note').innerText()).toContain(world.creditNo);
    await page.getByRole('dialog').waitFor({ state: 'hidden' });
    await shot(page, path.join(shots, 'claim-credited-zh-CN-1280.png'));
    await page.context().close();

    const dealer = await as(world.dealer, 'en', phone);
    await dealer.goto(`/portal/claims/${world.claimId}`);
    const note = dealer.getByTestId('claim-credit-note');
    await expect.poll(() => note.innerText()).toContain(world.creditNo);
    expect(await note.innerText()).toMatch(/1,800\.00/);
    await shot(dealer, path.join(shots, 'portal-credit-note-en-390.png'));
    await dealer.context().close();
  });

  it('lets the manager approve logistics\' ship→rail rule for July–October over the demo\'s July–September one; the header shows the new plan', async () => {
    const today = new Date();
    const year = today.getUTCFullYear();
    // July–October of this year when it is still ahead, else of next year.
    const ruleYear = today.getUTCMonth() + 1 <= 6 ? year : year + 1;
    // The demo world has the dealer's lane, with its rate tables and the rail rule for July–September its manager approved before the 2026 season.
    const asLogistics = await apiAs(server, LOGISTICS);
    type LaneRule = { id: string; status: string; fromDay: string; toDay: string; reason: string | null; supersededBy: string | null };
    const lane = await asLogistics<{ code: string; account: { id: string }; plan: { ruleId: string; toMode: string; fromDay: string; toDay: string } | null }>(`/api/v1/lanes/${world.lane}`);
    expect(lane).toMatchObject({ code: world.lane, account: { id: world.accountId }, plan: { toMode: 'rail', fromDay: '07-01', toDay: '09-30' } });
    const demoRule = lane.plan!.ruleId;
    const rates = await asLogistics<{ items: { mode: string; validTo: string | null }[] }>(`/api/v1/lanes/${world.lane}/rates`);
    expect(rates.items.filter((r) => r.validTo === null).map((r) => r.mode).sort()).toEqual(['rail', 'road', 'ship']);
    // Last year typhoons still came in October: logistics proposes to keep rail a month longer.
    const proposed = await send(LOGISTICS, 'POST', `/api/v1/lanes/${world.lane}/rules`, { from: 'ship', to: 'rail', fromMonth: 7, toMonth: 10, year: ruleYear, note: '10 月仍有台风，铁路延长到 10 月底' });
    expect(proposed.status, JSON.stringify(proposed.body)).toBe(201);
    const rule = proposed.body as { id: string; fromDay: string; toDay: string; status: string };
    expect(rule).toMatchObject({ fromDay: '07-01', toDay: '10-31', status: 'proposed' });

    const page = await as(MANAGER, 'en');
    await page.goto(`/lanes/${world.lane}`);
    const card = page.getByTestId(`rule-${rule.id}`);
    await card.waitFor();
    await shot(page, path.join(shots, 'lane-rule-proposed-en-1280.png'));
    await card.getByRole('button', { name: 'Approve' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Note (optional)').fill('Last October\'s late sailings and stock-outs: rail until the end of October, as agreed with the dealer.');
    await shot(page, path.join(shots, 'lane-approve-dialog-en-1280.png'), false);
    await dialog.getByRole('button', { name: 'Approve' }).click();
    const rules = async () => (await (await apiAs(server, MANAGER))<{ items: LaneRule[] }>(`/api/v1/lanes/${world.lane}/rules`)).items;
    await expect.poll(async () => (await rules()).find((r) => r.id === rule.id)?.status).toBe('approved');
    expect((await rules()).find((r) => r.id === rule.id)?.reason).toContain('stock-outs');
    // The demo's July–September rule gives way to it.
    expect((await rules()).find((r) => r.id === demoRule)).toMatchObject({ status: 'superseded', supersededBy: rule.id });
    await page.context().close();

    const header = await as(MANAGER, 'en', phone);
    await header.goto(`/accounts/${world.accountId}`);
    const plan = header.getByTestId(`fact-lanes.plan:${world.lane}`);
    await expect.poll(() => plan.innerText(), { timeout: 20_000 }).toMatch(/Rail Jul 1 – Oct 31/);
    await plan.scrollIntoViewIfNeeded();
    await shot(header, path.join(shots, 'account-lane-plan-en-390.png'), false);
    await header.context().close();

    const zh = await as(MANAGER, 'zh-CN');
    await zh.goto(`/accounts/${world.accountId}`);
    const planZh = zh.getByTestId(`fact-lanes.plan:${world.lane}`);
    await expect.poll(() => planZh.innerText(), { timeout: 20_000 }).toMatch(/7月1日–10月31日 铁路/);
    await shot(zh, path.join(shots, 'account-lane-plan-zh-CN-1280.png'), false);
    await zh.context().close();
    expect(errors).toEqual([]);
  });
});
