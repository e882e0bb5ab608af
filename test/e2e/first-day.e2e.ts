/**
 * A new user's first five minutes on a fresh start: the demo world as `npm start` seeds it, on a
 * Thursday morning in Shanghai (manager1's Thursday route runs along the Wenling coast, under the
 * demo's typhoon warning). The server's clock and the browser's both stand at that morning and run on.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, nextThursdayMorning } from './e2e-world.js';
import { CHROMIUM, chromiumArgs, type E2eServer, expectNoSeriousAxeViolations, hasChromium, reportChromiumMissing, root, startE2eServer, watchErrors, shot } from './harness.js';

const shots = path.join(root, 'test-results/first-day');
const desktop = { width: 1440, height: 900 };
const phone = { width: 390, height: 844 };
const MANAGER = 'manager1@demo.openkam.local';
const DIRECTOR = 'director1@demo.openkam.local';

describe.skipIf(!hasChromium)("a new user's first five minutes", () => {
  let server: E2eServer;
  let browser: Browser;
  const consoleErrors: string[] = [];
  const morning = nextThursdayMorning(new Date());
  const offset = morning.getTime() - Date.now();
  const clock = { now: () => new Date(Date.now() + offset) };
  const found = {} as { accountId: string; accountCode: string; taskTitle: string };

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    [server, browser] = await Promise.all([startE2eServer({}, { clock }), chromium.launch({ executablePath: CHROMIUM, args: chromiumArgs })]);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /** A browser context whose clock stands where the server's does, and runs on. */
  async function freshContext(viewport = desktop, locale = 'en-US') {
    const context = await browser.newContext({ viewport, baseURL: server.url, locale, timezoneId: 'Asia/Shanghai', bypassCSP: true });
    await context.clock.install({ time: clock.now() });
    const page = await context.newPage();
    watchErrors(page, consoleErrors);
    return { context, page };
  }

  async function signInByForm(page: Page, email: string): Promise<void> {
    await page.goto('/');
    await page.getByLabel(/E-mail|邮箱/).fill(email);
    await page.getByRole('textbox', { name: /Password|密码/ }).fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: /Sign in|登录/ }).click();
    await page.waitForURL((u) => u.pathname === '/');
  }

  it("shows manager1 today's route with the typhoon on the stop it threatens, and the advisory to act on", async () => {
    const { context, page } = await freshContext();
    await signInByForm(page, MANAGER);
    const day = page.getByTestId('my-day');
    await day.getByTestId('agenda-item').first().waitFor();
    const visits = day.locator('[data-testid="agenda-item"][data-kind="visit"]');
    expect(await visits.count(), "today's visits").toBeGreaterThanOrEqual(2);
    const flagged = day.locator('[data-testid="agenda-item"][data-kind="visit"][data-flagged]');
    expect(await flagged.count(), 'a visit flagged by the warning').toBeGreaterThan(0);
    expect(await flagged.first().getByTestId('agenda-flag').innerText()).toMatch(/预警|台风/);
    expect(await day.locator('[data-testid="agenda-item"][data-kind="advisory"]').count(), 'advisories to act on').toBeGreaterThan(0);
    expect(await day.innerText()).not.toMatch(/\{\{|\}\}/);
    await shot(page, path.join(shots, 'my-day-zh-CN-1440.png'));
    await expectNoSeriousAxeViolations(page, 'my day');

    // The flagged stop's account: the warning, the value at risk and the advisory in its header, the
    // last check-in in its timeline.
    await flagged.first().locator('a[href^="/accounts/"]').click();
    await page.waitForURL((u) => u.pathname.startsWith('/accounts/'));
    found.accountId = page.url().split('/accounts/')[1]!.split(/[?#]/)[0]!;
    const facts = page.getByTestId('account-facts');
    await facts.waitFor();
    await expect.poll(() => facts.getByTestId('fact-hazards.warnings').innerText()).toMatch(/[1-9]/);
    expect(await facts.getByTestId('fact-hazards.valueAtRisk').innerText()).toMatch(/¥[\d,]+/);
    expect(await facts.getByTestId('fact-hazards.advisories').innerText()).toMatch(/[1-9]/);
    expect(await facts.getByTestId('fact-hazards.warnings').getAttribute('data-status')).toBe('act');
    const timeline = page.getByTestId('account-timeline');
    await timeline.waitFor();
    const lastVisit = timeline.locator('[data-testid="timeline-item"][data-kind="visit"]').first();
    expect(await lastVisit.innerText()).toMatch(/签到/);
    // Every parameter of every text was filled in (an event's missing value shows no raw placeholder).
    expect(await page.locator('main').first().innerText()).not.toMatch(/\{\{|\}\}/);
    await shot(page, path.join(shots, 'account-zh-CN-1440.png'));

    // A task for today: it shows on the day.
    found.taskTitle = '打电话给老板，安排把仓库的货转移到内陆';
    await page.getByRole('tab', { name: '任务' }).click();
    await page.getByRole('button', { name: '添加任务' }).click();
    await page.getByLabel('要做的事').fill(found.taskTitle);
    await page.getByRole('dialog').getByRole('button', { name: '添加任务' }).click();
    await page.getByTestId('task-row').filter({ hasText: found.taskTitle }).waitFor();
    await page.getByRole('link', { name: '首页' }).first().click();
    await page.waitForURL((u) => u.pathname === '/');
    await day.locator('[data-testid="agenda-item"][data-kind="task"]').filter({ hasText: found.taskTitle }).waitFor();
    const code = await server.db.kysely.selectFrom('accounts').select('code').where('id', '=', found.accountId).executeTakeFirstOrThrow();
    found.accountCode = code.code;
    await context.close();
  }, 120_000);

  it("shows that account's dealer the warning about its own warehouse and its manager's contact", async () => {
    const dealer = await server.db.kysely.selectFrom('users').select('email').where('role', '=', 'dealer').where('account_id', '=', found.accountId).orderBy('email').executeTakeFirstOrThrow();
    const manager = await server.db.kysely.selectFrom('users').select(['name', 'email']).where('email', '=', MANAGER).executeTakeFirstOrThrow();
    for (const viewport of [desktop, phone]) {
      const { context, page } = await freshContext(viewport, 'zh-CN');
      await signInByForm(page, dealer.email);
      const cards = page.getByTestId('portal-cards');
      await cards.waitFor();
      const warning = cards.locator('[data-testid="portal-card"][data-status="act"]');
      expect(await warning.count(), 'a warning card').toBeGreaterThan(0);
      expect(await warning.first().innerText()).toMatch(/台风|预警/);
      const text = await cards.innerText();
      expect(text).toContain(manager.name);
      expect(text).toContain(manager.email);
      // Nothing internal reaches the dealer: no value at risk, no other company.
      expect(text).not.toMatch(/风险价值|value at risk/i);
      await shot(page, path.join(shots, `portal-zh-CN-${viewport.width}.png`));
      await expectNoSeriousAxeViolations(page, `portal ${viewport.width}`);
      await context.close();
    }
  }, 120_000);

  it("lets the director approve a manager's changes at once from the day", async () => {
    const { context, page } = await freshContext();
    await signInByForm(page, DIRECTOR);
    // The manager whose route optimisation asks for several slot changes at once.
    const groups = await server.db.kysely.selectFrom('call_plan_changes').select(['manager_id']).select((eb) => eb.fn.countAll<number>().as('n'))
      .where('status', '=', 'pending').groupBy('manager_id').execute();
    const many = groups.filter((g) => Number(g.n) > 1).map((g) => g.manager_id);
    const approval = page.getByTestId('my-day').locator('[data-testid="agenda-item"][data-kind="approval"]').filter({ has: page.locator(many.map((id) => `a[href*="${id}"]`).join(', ')) }).first();
    await approval.waitFor();
    await approval.getByRole('link').first().click();
    await page.waitForURL((u) => u.pathname === '/visits/changes' && u.searchParams.has('managerId'));
    const managerId = new URL(page.url()).searchParams.get('managerId')!;
    const group = page.getByTestId('change-group').first();
    await group.waitFor();
    const pending = await group.getByTestId('pending-change').count();
    const before = (await server.db.kysely.selectFrom('call_plan_changes').select('id').where('manager_id', '=', managerId).where('status', '=', 'pending').execute()).map((c) => c.id);
    expect(before.length).toBe(pending);
    await group.getByRole('button', { name: /全部批准/ }).click();
    await page.getByTestId('approve-all-confirm').click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    await expect.poll(async () => (await server.db.kysely.selectFrom('call_plan_changes').select('id').where('manager_id', '=', managerId).where('status', '=', 'pending').execute()).length).toBe(0);
    const decided = await server.db.kysely.selectFrom('call_plan_changes').select('status').where('id', 'in', before).execute();
    expect(decided.map((c) => c.status)).toEqual(before.map(() => 'applied'));
    await page.goto('/');
    await page.getByTestId('my-day').waitFor();
    await expect.poll(() => page.locator(`[data-testid="agenda-item"][data-kind="approval"] a[href*="${managerId}"]`).count()).toBe(0);
    expect(consoleErrors, consoleErrors.join(" | ")).toEqual([]);
    await context.close();
  }, 120_000);
});

reportChromiumMissing("a new user's first five minutes");
