import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from './e2e-world.js';
import { CHROMIUM, chromiumArgs, type E2eServer, expectNoSeriousAxeViolations, signIn, apiAs as harnessApiAs, watchErrors, hasChromium, reportChromiumMissing, root, startE2eServer, shot } from './harness.js';

const shots = path.join(root, 'test-results/web');
const desktop = { width: 1440, height: 900 };
const phone = { width: 390, height: 844 };


describe.skipIf(!hasChromium)('web app in Chromium', () => {
  let server: E2eServer;
  let browser: Browser;
  const consoleErrors: string[] = [];
  /** Words of the data (names, codes, subjects…) that may show in any language. */
  let dataWords: Set<string>;

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    [server, browser] = await Promise.all([startE2eServer(), chromium.launch({ executablePath: CHROMIUM, args: chromiumArgs })]);
    const k = server.db.kysely;
    const text = [
      ...(await k.selectFrom('accounts').select(['code', 'name', 'city', 'province']).execute()).flatMap((r) => Object.values(r)),
      ...(await k.selectFrom('users').select(['name', 'email']).execute()).flatMap((r) => Object.values(r)),
      ...(await k.selectFrom('teams').select(['name']).execute()).flatMap((r) => Object.values(r)),
      ...(await k.selectFrom('sites').select(['name', 'address', 'city']).execute()).flatMap((r) => Object.values(r)),
      ...(await k.selectFrom('contacts').select(['name', 'title', 'email', 'phone']).execute()).flatMap((r) => Object.values(r)),
      ...(await k.selectFrom('activities').select(['subject', 'notes']).execute()).flatMap((r) => Object.values(r)),
      ...(await k.selectFrom('audit_log').select(['actor_label']).distinct().execute()).flatMap((r) => Object.values(r)),
      // Delivery's texts on the day: claim titles, lane names, products' Chinese names and units (kg).
      ...(await k.selectFrom('claims').select(['title']).execute()).flatMap((r) => Object.values(r)),
      ...(await k.selectFrom('lanes').select(['name', 'origin_name']).execute()).flatMap((r) => Object.values(r)),
      ...(await k.selectFrom('products').select(['name_zh', 'unit']).execute()).flatMap((r) => Object.values(r)),
    ].filter((v): v is string => typeof v === 'string');
    dataWords = new Set(text.flatMap((s) => s.match(/[A-Za-z][A-Za-z'-]+/g) ?? []));
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const signedIn = (email: string, locale: 'en' | 'zh-CN', viewport = desktop) => signIn(browser, server, email, locale, consoleErrors, { viewport });

  const watch = (page: Page) => watchErrors(page, consoleErrors);

  const apiAs = (email: string) => harnessApiAs(server, email);

  async function allCodes(email: string): Promise<string[]> {
    const get = await apiAs(email);
    return (await get<{ items: { code: string }[] }>('/api/v1/accounts?limit=200')).items.map((a) => a.code).sort();
  }

  async function shownCodes(page: Page): Promise<string[]> {
    await page.getByTestId('account-row').first().waitFor();
    while (await page.getByRole('button', { name: /Show more|加载更多/ }).isVisible()) {
      const n = await page.getByTestId('account-row').count();
      await page.getByRole('button', { name: /Show more|加载更多/ }).click();
      await page.waitForFunction((before) => document.querySelectorAll('[data-testid="account-row"]').length > before, n);
    }
    return (await page.locator('[data-testid="account-row"] .ok-code').allInnerTexts()).map((s) => s.trim()).sort();
  }

  const axe = expectNoSeriousAxeViolations;


  async function englishLeftOver(page: Page): Promise<string[]> {
    const allowed = new Set(['OpenKAM', 'EN', 'VMI', 'CSV', 'Excel', 'Natural', 'Earth', 'ECharts', 'GeoNames', 'CC', 'BY', ...dataWords]);
    // Codes and identifiers (shown in the .ok-code style) are not language.
    const { body, codes } = await page.evaluate(() => ({ body: document.body.innerText, codes: [...document.querySelectorAll('.ok-code')].map((el) => (el as HTMLElement).innerText) }));
    // A token with digits in it (CLM-2026-00008, SO-202610-00655, NGB-DS0012) is an identifier, not a word; so is what .ok-code shows.
    const words = codes.reduce((t, code) => t.split(code).join(' '), body.replace(/[A-Za-z0-9][A-Za-z0-9-]*\d[A-Za-z0-9-]*/g, ' '));
    return [...new Set(words.match(/[A-Za-z][A-Za-z'-]+/g) ?? [])].filter((w) => !allowed.has(w));
  }

  it('signs a manager in through the form and shows only their accounts', async () => {
    const context = await browser.newContext({ viewport: desktop, baseURL: server.url, locale: 'en-US', bypassCSP: true });
    const page = await context.newPage();
    watch(page);
    await page.goto('/accounts');
    await expect.poll(() => page.url()).toContain('/sign-in');
    await shot(page, path.join(shots, 'sign-in-en-1440.png'), false);
    await axe(page, 'sign-in');
    await page.getByLabel('E-mail').fill('manager1@demo.openkam.local');
    await page.getByRole('textbox', { name: 'Password' }).fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: /Sign in|登录/ }).click();
    await page.waitForURL((u) => u.pathname === '/accounts');
    const expected = await allCodes('manager1@demo.openkam.local');
    const everything = await allCodes('admin@demo.openkam.local');
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(everything.length);
    expect(await shownCodes(page)).toEqual(expected);
    await context.close();
  }, 60_000);

  it('opens an account with its sites on the map, then switches to Chinese with no English left', async () => {
    const { context, page } = await signedIn('manager1@demo.openkam.local', 'en');
    const get = await apiAs('manager1@demo.openkam.local');
    const accounts = (await get<{ items: { id: string; code: string }[] }>('/api/v1/accounts?limit=200')).items;
    let target: { id: string; located: number } | undefined;
    for (const a of accounts) {
      const sites = (await get<{ items: { lat: number | null }[] }>(`/api/v1/sites?accountId=${a.id}&limit=200`)).items;
      const located = sites.filter((s) => s.lat !== null).length;
      if (located > (target?.located ?? 0)) target = { id: a.id, located };
    }
    expect(target, 'an account of manager1 with located sites').toBeDefined();
    // The account opens on its timeline, with the header's figures; the sites are one tab away.
    await page.goto(`/accounts/${target!.id}`);
    await page.locator('[data-testid="account-facts"]').waitFor();
    await page.locator('[data-testid="account-timeline"]').waitFor();
    await page.getByRole('tab', { name: 'Sites' }).click();
    // Every located site is on the map: drawn on its own, or counted in the cluster it joins.
    const shownSites = () => page.getByTestId('site-map').evaluate((map) => map.querySelectorAll('path.ok-site-marker').length
      + [...map.querySelectorAll('.ok-cluster')].reduce((n, c) => n + Number(c.textContent), 0));
    await expect.poll(shownSites, { timeout: 10_000 }).toBe(target!.located);
    // The offline basemap is drawn (land and provinces as vector paths).
    await expect.poll(() => page.locator('[data-testid="site-map"] .leaflet-basemap-pane path').count(), { timeout: 10_000 }).toBeGreaterThan(30);
    await shot(page, path.join(shots, 'account-en-1440.png'));
    await axe(page, 'account page');

    await page.locator('label', { hasText: '中文' }).first().click();
    await page.getByRole('tab', { name: '网点' }).waitFor();
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
    // What the server wrote in English (a warning's headline) is fetched again in Chinese a moment later.
    await expect.poll(() => englishLeftOver(page), { timeout: 10_000 }).toEqual([]);
    await shot(page, path.join(shots, 'account-zh-CN-1440.png'));
    for (const tab of ['联系人', '活动', '变更记录']) {
      await page.getByRole('tab', { name: tab }).click();
      await page.waitForLoadState('networkidle');
      expect(await englishLeftOver(page), `tab ${tab}`).toEqual([]);
    }
    // The choice is remembered for the user.
    const me = await (await context.request.get('/api/v1/auth/me')).json() as { locale: string };
    expect(me.locale).toBe('zh-CN');
    await context.close();
  });

  it('shows a dealer only its own company and no internal navigation', async () => {
    const dealer = (await server.db.kysely.selectFrom('users').select(['email', 'account_id']).where('role', '=', 'dealer').orderBy('email').executeTakeFirstOrThrow());
    const { context, page } = await signedIn(dealer.email, 'en');
    await page.goto('/');
    await page.getByRole('link', { name: 'My company' }).waitFor();
    const nav = await page.getByRole('navigation').innerText();
    for (const internal of ['Accounts', 'Contacts', 'Users & teams', 'Audit log']) expect(nav).not.toContain(internal);
    await page.goto('/accounts');
    await page.waitForURL((u) => u.pathname === `/accounts/${dealer.account_id}`);
    await page.getByTestId('site-map').waitFor();
    expect(await page.getByRole('tab').allInnerTexts()).toEqual(['Sites']);
    await shot(page, path.join(shots, 'dealer-en-1440.png'));
    const codes = await allCodes(dealer.email);
    expect(codes).toHaveLength(1);
    await axe(page, 'dealer company page');
    await context.close();
  });

  it("shows a director the whole team's accounts", async () => {
    const { context, page } = await signedIn('director1@demo.openkam.local', 'en');
    await page.goto('/accounts');
    const expected = await allCodes('director1@demo.openkam.local');
    const m1 = await allCodes('manager1@demo.openkam.local');
    const m2 = await allCodes('manager2@demo.openkam.local');
    expect(expected).toEqual(expect.arrayContaining([...m1, ...m2]));
    expect(await shownCodes(page)).toEqual(expected);
    await context.close();
  });

  it('renders the main pages at 1440 and 390 px in both languages without accessibility or console errors', async () => {
    const pages: [string, string][] = [['home', '/'], ['accounts', '/accounts'], ['contacts', '/contacts'], ['users', '/admin/users'], ['audit', '/admin/audit'], ['profile', '/profile']];
    for (const locale of ['en', 'zh-CN'] as const) {
      for (const viewport of [desktop, phone]) {
        const { context, page } = await signedIn('admin@demo.openkam.local', locale, viewport);
        // On a phone, the pages a manager uses in the field.
        for (const [name, url] of viewport === phone ? pages.filter(([n]) => ['home', 'accounts', 'contacts', 'profile'].includes(n)) : pages) {
          await page.goto(url);
          await page.locator('h1').first().waitFor();
          await page.waitForLoadState('networkidle');
          await page.waitForFunction(() => !document.querySelector('[role="status"]'));
          await shot(page, path.join(shots, `${name}-${locale}-${viewport.width}.png`));
          if (viewport === desktop) await axe(page, `${name} (${locale})`);
          if (locale === 'zh-CN') expect(await englishLeftOver(page), `${name} in Chinese`).toEqual([]);
        }
        if (viewport === phone) {
          // The burger opens the navigation on a phone.
          await page.getByRole('button', { name: locale === 'en' ? 'Open navigation' : '打开导航' }).click();
          await shot(page, path.join(shots, `menu-${locale}-390.png`), false);
        }
        await context.close();
      }
    }
    const { context, page } = await signedIn('manager1@demo.openkam.local', 'zh-CN', phone);
    const first = (await (await apiAs('manager1@demo.openkam.local'))<{ items: { id: string }[] }>('/api/v1/accounts?limit=1')).items[0]!;
    await page.goto(`/accounts/${first.id}`);
    await page.getByTestId('account-facts').waitFor();
    await page.waitForLoadState('networkidle');
    await shot(page, path.join(shots, 'account-zh-CN-390.png'));
    await context.close();
    expect(consoleErrors, consoleErrors.join(" | ")).toEqual([]);
  }, 120_000);
});

reportChromiumMissing('web app in Chromium');
