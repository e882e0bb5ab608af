/**
 * Rebates end to end on the demo world: a manager drafts a tiered agreement for one of its key
 * accounts in the editor and submits it; a sales import lands and the attainment moves; the
 * manager previews and issues a partial settlement and opens the credit note; the dealer sees its
 * own progress in the portal. Screenshots desktop and phone, English and Chinese; axe on each page.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitForJob } from '../../src/modules/sales/sales.jobs.js';
import { DEMO_PASSWORD } from './e2e-world.js';
import { apiAs, CHROMIUM, chromiumArgs, type E2eServer, expectNoSeriousAxeViolations, hasChromium, root, shot, signIn, startE2eServer } from './harness.js';

const shots = path.join(root, 'test-results/rebates');
const desktop = { width: 1440, height: 900 };
const phone = { width: 390, height: 844 };
const MANAGER = 'manager1@demo.openkam.local';
const ADMIN = 'admin@demo.openkam.local';
// Every agreement of this run is active on submit (the approval path is covered by test/rebates.db.test.ts).
process.env.OPENKAM_REBATE_APPROVAL_MINOR = String(Number.MAX_SAFE_INTEGER);

describe.skipIf(!hasChromium)('rebates: a tiered agreement from the editor to the credit note, and the dealer\'s progress', () => {
  let server: E2eServer;
  let browser: Browser;
  const errors: string[] = [];
  const world = {} as { accountId: string; code: string; dealer: string; sku: string; agreementId: string; name: string };

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    [server, browser] = await Promise.all([startE2eServer(), chromium.launch({ executablePath: CHROMIUM, args: chromiumArgs })]);
    const asManager = await apiAs(server, MANAGER);
    const me = await asManager<{ id: string }>('/api/v1/auth/me');
    const accounts = await asManager<{ items: { id: string; code: string; tier: string | null; ownerId: string | null }[] }>('/api/v1/accounts?limit=200');
    const account = accounts.items.find((a) => a.ownerId === me.id && a.tier === 'A') ?? accounts.items.find((a) => a.ownerId === me.id)!;
    Object.assign(world, { accountId: account.id, code: account.code, dealer: `dealer-${account.code.toLowerCase()}@demo.openkam.local`, name: `Volume rebate ${Date.now() % 10_000}` });
    world.sku = (await asManager<{ items: { sku: string }[] }>('/api/v1/products?limit=1')).items[0]!.sku;
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const readMinor = (text: string) => Math.round(Number(text.replace(/[^\d.-]/g, '')) * 100);

  it('lets a manager draft a tiered agreement, and its attainment moves when a sales import lands', async () => {
    const { page } = await signIn(browser, server, MANAGER, 'en', errors, { viewport: desktop, timezoneId: 'Asia/Shanghai' });
    await page.goto('/rebates/new', { waitUntil: 'domcontentloaded' });
    await page.getByLabel('Name').fill(world.name);
    const picker = page.getByTestId('rebate-accounts');
    await picker.click();
    await picker.fill(world.code);
    await page.getByRole('option', { name: new RegExp(world.code) }).first().click();
    await page.getByLabel('Expected basis (for approval; default: last period)').fill('1000000');
    await expectNoSeriousAxeViolations(page, 'agreement editor');
    await shot(page, path.join(shots, 'editor-en-1440.png'));
    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.waitForURL((u) => /^\/rebates\/[0-9a-f-]{36}$/.test(u.pathname));
    world.agreementId = new URL(page.url()).pathname.split('/')[2]!;
    await page.getByRole('button', { name: 'Submit' }).click();
    await page.getByText('Active', { exact: true }).first().waitFor();
    const basis = page.getByTestId('basis-to-date');
    await basis.waitFor();
    const before = readMinor(await basis.innerText());

    // An import of ¥12,345.67 invoiced today for the account (through the import API, as an ERP upload would be).
    const login = await server.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: ADMIN, password: DEMO_PASSWORD } });
    const cookies = { openkam_session: login.cookies.find((c) => c.name === 'openkam_session')!.value };
    const headers = { 'x-csrf-token': (login.json() as { csrfToken: string }).csrfToken };
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
    const csv = `date,account,sku,quantity,net amount,currency,document,line\n${today},${world.code},${world.sku},100,12345.67,CNY,E2E-RB-${Date.now()},1\n`;
    const up = await server.app.inject({ method: 'POST', url: '/api/v1/imports/sales?fileName=rebate.csv', payload: csv, cookies, headers: { ...headers, 'content-type': 'text/csv' } });
    expect(up.statusCode, up.body).toBe(201);
    const jobId = (up.json() as { job: { id: string } }).job.id;
    expect((await server.app.inject({ method: 'POST', url: `/api/v1/imports/${jobId}/run`, payload: {}, cookies, headers })).statusCode).toBe(202);
    await waitForJob(jobId);
    await page.reload({ waitUntil: 'domcontentloaded' });
    await expect.poll(async () => readMinor(await page.getByTestId('basis-to-date').innerText()), { timeout: 10_000 }).toBe(before + 1_234_567);
    await page.getByTestId('next-tier').waitFor();
    await expectNoSeriousAxeViolations(page, 'agreement page');
    await shot(page, path.join(shots, 'agreement-en-1440.png'));
    const onPhone = await signIn(browser, server, MANAGER, 'en', errors, { viewport: phone, timezoneId: 'Asia/Shanghai' });
    await onPhone.page.goto(`/rebates/${world.agreementId}`, { waitUntil: 'domcontentloaded' });
    await onPhone.page.getByTestId('next-tier').waitFor();
    await shot(onPhone.page, path.join(shots, 'agreement-en-390.png'));
  }, 90_000);

  it('lets the manager preview and issue a partial settlement and open its credit note', async () => {
    const { page } = await signIn(browser, server, MANAGER, 'zh-CN', errors, { viewport: desktop, timezoneId: 'Asia/Shanghai' });
    await page.goto(`/rebates/${world.agreementId}`, { waitUntil: 'domcontentloaded' });
    await page.getByRole('button', { name: '预览' }).click();
    const preview = page.getByTestId('settlement-preview');
    await preview.waitFor();
    const earned = readMinor(await page.getByTestId('earned-to-date').innerText());
    expect(earned).toBeGreaterThan(0);
    // The run's answer first: a refusal says why (its problem text) instead of a bare time-out on the link.
    const [issued] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && /\/rebate-agreements\/[^/]+\/settlements$/.test(new URL(r.url()).pathname), { timeout: 60_000 }),
      page.getByRole('button', { name: '开具贷项通知单' }).click(),
    ]);
    expect(issued.status(), await issued.text()).toBe(201);
    const link = page.getByRole('link', { name: /^CN-RB-/ });
    await link.waitFor({ timeout: 60_000 });
    await shot(page, path.join(shots, 'settlement-zh-CN-1440.png'));
    await link.click();
    await page.getByTestId('credit-note-number').waitFor();
    expect(readMinor(await page.getByTestId('credit-note-amount').innerText())).toBe(earned);
    await expectNoSeriousAxeViolations(page, 'credit note');
    await shot(page, path.join(shots, 'credit-note-zh-CN-1440.png'));
    const onPhone = await signIn(browser, server, MANAGER, 'zh-CN', errors, { viewport: phone, timezoneId: 'Asia/Shanghai' });
    await onPhone.page.goto(new URL(page.url()).pathname, { waitUntil: 'domcontentloaded' });
    await onPhone.page.getByTestId('credit-note-number').waitFor();
    await shot(onPhone.page, path.join(shots, 'credit-note-zh-CN-390.png'));
    const xlsx = await page.context().request.get(`/api/v1/rebate-settlements/${new URL(page.url()).pathname.split('/')[3]}/credit-note.xlsx`);
    expect(xlsx.status()).toBe(200);
  }, 90_000);

  it('shows the dealer its own progress in the portal, on the phone, and nothing internal', async () => {
    const { page } = await signIn(browser, server, world.dealer, 'zh-CN', errors, { viewport: phone, timezoneId: 'Asia/Shanghai' });
    await page.goto('/portal/rebates', { waitUntil: 'domcontentloaded' });
    const card = page.getByTestId('portal-rebate').filter({ hasText: world.name });
    await card.waitFor();
    expect(await card.innerText()).toMatch(/累计应得返利/);
    await expectNoSeriousAxeViolations(page, 'portal rebates');
    await shot(page, path.join(shots, 'portal-zh-CN-390.png'));
    const asDealer = await apiAs(server, world.dealer);
    const body = JSON.stringify(await asDealer('/api/v1/portal/rebates'));
    expect(body).not.toMatch(/internalNote|margin|cost/i);
    await page.goto('/', { waitUntil: 'domcontentloaded' });
    await page.getByText(`返利：${world.name}`).waitFor();
    await shot(page, path.join(shots, 'portal-home-zh-CN-390.png'));
  }, 90_000);

  it('ran without errors in the browser', () => {
    expect(errors.map((e) => e.slice(0, 300))).toEqual([]);
  });
});
