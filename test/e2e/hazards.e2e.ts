import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from './e2e-world.js';
import { CHROMIUM, chromiumArgs, type E2eServer, expectNoSeriousAxeViolations, signIn, apiAs as harnessApiAs, hasChromium, reportChromiumMissing, root, startE2eServer, shot } from './harness.js';

const shots = path.join(root, 'test-results/hazards');
const capTemplate = readFileSync(path.join(root, 'test/e2e/fixtures/hazards/taizhou-typhoon.cap.xml'), 'utf8');
const trackFile = path.join(root, 'src/modules/hazards/fixtures/ibtracs-sample.csv');
const desktop = { width: 1440, height: 900 };
const phone = { width: 390, height: 844 };
/** The warning polygon of the fixture (a box around it is enough to pick the coastal sites). */
const box = { south: 28.2, north: 28.75, west: 121.44, east: 121.75 };


type SiteRisk = { siteId: string; siteName: string; accountId: string; accountName: string; lat: number | null; lng: number | null; version: number };
type Advisory = { id: string; siteId: string; accountId: string; status: string };

describe.skipIf(!hasChromium)('Protect the dealer in Chromium', () => {
  let server: E2eServer;
  let browser: Browser;
  const consoleErrors: string[] = [];
  let coastal: SiteRisk;
  let otherManager: string;

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    [server, browser] = await Promise.all([startE2eServer(), chromium.launch({ executablePath: CHROMIUM, args: chromiumArgs })]);
    // The demo world tells its own typhoon story over the same coast; this test tells one from the
    // first upload on, so it starts with no warnings, tracks or advisories (stock and insurance stay).
    const k0 = server.db.kysely;
    for (const table of ['notifications', 'advisories', 'hazard_matches', 'hazard_alerts', 'hazard_tracks'] as const) await k0.deleteFrom(table).execute();
    // manager1's coastal warehouses in 台州/温岭, found through the API.
    const get = await apiAs('manager1@demo.openkam.local');
    const sites = (await get<{ items: SiteRisk[] }>('/api/v1/hazards/site-risk?limit=200')).items;
    const inBox = sites.filter((s) => s.lat !== null && s.lng !== null && s.lat > box.south + 0.02 && s.lat < box.north - 0.02 && s.lng > box.west + 0.03 && s.lng < box.east);
    expect(inBox.length, "manager1's coastal sites in the warning area").toBeGreaterThan(0);
    coastal = inBox.sort((a, b) => b.lng! - a.lng!)[0]!;
    // A manager of another team.
    const k = server.db.kysely;
    const m1 = await k.selectFrom('users').select('team_id').where('email', '=', 'manager1@demo.openkam.local').executeTakeFirstOrThrow();
    const other = await k.selectFrom('users').select('email').where('role', '=', 'manager').where('team_id', '!=', m1.team_id!).orderBy('email').executeTakeFirstOrThrow();
    otherManager = other.email;
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const apiAs = (email: string) => harnessApiAs(server, email);

  const signedIn = (email: string, locale: 'en' | 'zh-CN', viewport = desktop) => signIn(browser, server, email, locale, consoleErrors, { viewport });

  const axe = expectNoSeriousAxeViolations;


  async function settled(page: Page): Promise<void> {
    await page.locator('h1').first().waitFor();
    await page.waitForLoadState('networkidle');
    await page.waitForFunction(() => !document.querySelector('[role="status"] .mantine-Loader-root'));
  }

  async function chooseFile(page: Page, button: string, file: { name: string; mimeType: string; buffer: Buffer } | string): Promise<void> {
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByTestId(button).click()]);
    await chooser.setFiles(file);
  }

  it('takes a warning from upload to value protected, for the right manager only', async () => {
    const { context, page } = await signedIn('manager1@demo.openkam.local', 'en');

    // The stock value of the coastal warehouse, entered on the account's Risk tab.
    await page.goto(`/accounts/${coastal.accountId}?tab=risk`);
    await page.getByTestId('account-risk').waitFor();
    await page.getByRole('button', { name: `Edit the risk data of ${coastal.siteName}` }).click();
    await page.getByTestId('risk-inventory').fill('1,250,000');
    await page.getByTestId('risk-save').click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    await expect.poll(() => page.getByTestId('account-risk').innerText()).toMatch(/¥1,250,000\.00/);

    // A document the server refuses: its reasons are shown.
    await page.goto('/hazards/warnings');
    await settled(page);
    await chooseFile(page, 'upload-cap', { name: 'broken.xml', mimeType: 'application/xml', buffer: Buffer.from(capTemplate.replace('<status>Actual</status>', '').replace(/\{\{\w+\}\}/g, '2026-01-01T00:00:00+08:00')) });
    await page.getByTestId('upload-rejected').waitFor();
    expect(await page.getByTestId('upload-reasons').innerText()).toMatch(/Missing element/);
    // Chromium logs the deliberate 422 as a failed resource; that one is expected.
    await expect.poll(() => consoleErrors.some((e) => / 422 /.test(e))).toBe(true);
    consoleErrors.splice(0, consoleErrors.length, ...consoleErrors.filter((e) => !/ 422 /.test(e)));
    await shot(page, path.join(shots, 'warnings-rejected-en-1440.png'), false);

    // The real warning: effective now, expires in a day.
    const now = new Date();
    const sent = new Date(now.getTime() - 60_000).toISOString().replace(/\.\d{3}Z$/, '+00:00');
    const expires = new Date(now.getTime() + 86_400_000).toISOString().replace(/\.\d{3}Z$/, '+00:00');
    const cap = capTemplate.replaceAll('{{SENT}}', sent).replaceAll('{{EXPIRES}}', expires).replaceAll('{{ID}}', String(now.getTime()));
    await chooseFile(page, 'upload-cap', { name: 'taizhou-typhoon.cap.xml', mimeType: 'application/cap+xml', buffer: Buffer.from(cap) });
    await page.getByTestId('upload-result').waitFor();
    expect(await page.getByTestId('upload-result').innerText()).toMatch(/1 warning stored/);
    // The demo world's own warning reads "…: typhoon red warning" too: look for this one's whole headline.
    await page.getByTestId('warning-row').filter({ hasText: 'Typhoon red warning: Taizhou and Wenling coast' }).waitFor();
    // A past typhoon track, for the swaths and the replay.
    await chooseFile(page, 'upload-track', trackFile);
    await page.getByText(/typhoon track stored/).waitFor();

    // The advisory reached manager1, and only the right people.
    const mine = await (await apiAs('manager1@demo.openkam.local'))<{ items: Advisory[] }>('/api/v1/advisories?limit=200');
    const advisory = mine.items.find((a) => a.siteId === coastal.siteId);
    expect(advisory, 'an advisory for the coastal warehouse').toBeDefined();
    const theirs = await (await apiAs(otherManager))<{ items: Advisory[] }>('/api/v1/advisories?limit=200');
    expect(theirs.items.map((a) => a.id)).not.toContain(advisory!.id);

    // Contact, decision and outcome through the board.
    await page.goto('/advisories');
    await settled(page);
    const card = () => page.locator(`[data-advisory="${advisory!.id}"]`);
    await expect.poll(() => card().getAttribute('data-status')).toBe('open');
    await card().getByTestId('advisory-contact').click();
    await page.getByRole('dialog').getByLabel('How').click();
    await page.getByRole('option', { name: 'WeChat' }).click();
    await page.getByRole('dialog').getByLabel('Notes').fill('Spoke to the owner; trucks available this afternoon.');
    await page.getByTestId('advisory-submit').click();
    await expect.poll(() => card().getAttribute('data-status')).toBe('contacted');
    await card().getByTestId('advisory-decision').click();
    await page.getByRole('dialog').getByLabel('What was done').fill('Moved 800 t of cement inland before landfall.');
    await page.getByTestId('advisory-submit').click();
    await expect.poll(() => card().getAttribute('data-status')).toBe('actioned');
    await card().getByTestId('advisory-outcome').click();
    await page.getByTestId('outcome-valueSaved').fill('1,180,000');
    await page.getByTestId('outcome-losses').fill('70000');
    await page.getByTestId('outcome-movingCost').fill('18500.50');
    await page.getByTestId('advisory-submit').click();
    await expect.poll(() => card().getAttribute('data-status')).toBe('closed');
    expect(await card().innerText()).toMatch(/Saved (CN)?¥1,180,000\.00/);
    await shot(page, path.join(shots, 'advisories-after-en-1440.png'));

    // The value protected on the account's Risk tab: saved − cost of moving.
    await page.goto(`/accounts/${coastal.accountId}?tab=risk`);
    await page.getByTestId('ledger').waitFor();
    expect(await page.getByTestId('value-protected').innerText()).toMatch(/^(CN)?¥1,161,499\.50$/);
    expect(await page.getByTestId('ledger-total').innerText()).toMatch(/(CN)?¥1,161,499\.50/);
    await context.close();

    // Another team's manager sees neither the advisory nor the site.
    const other = await signedIn(otherManager, 'en');
    await other.page.goto('/advisories');
    await settled(other.page);
    expect(await other.page.locator(`[data-advisory="${advisory!.id}"]`).count()).toBe(0);
    expect(await other.page.getByRole('main').innerText()).not.toContain(coastal.siteName);
    await other.context.close();
  }, 60_000);

  it("warns the coastal dealer on its portal home, says whom to call, and shows it nothing internal", async () => {
    const k = server.db.kysely;
    const dealer = await k.selectFrom('users').select(['email']).where('role', '=', 'dealer').where('account_id', '=', coastal.accountId).orderBy('email').executeTakeFirstOrThrow();
    const manager = await k.selectFrom('accounts').innerJoin('users', 'users.id', 'accounts.owner_id').select(['users.email', 'users.phone'])
      .where('accounts.id', '=', coastal.accountId).executeTakeFirstOrThrow();
    const otherAccount = await k.selectFrom('accounts').select('id').where('id', '!=', coastal.accountId).orderBy('code').executeTakeFirstOrThrow();
    for (const locale of ['en', 'zh-CN'] as const) await Promise.all([desktop, phone].map(async (viewport) => {
      const { context, page } = await signedIn(dealer.email, locale, viewport);
      await page.goto('/');
      const cards = page.getByTestId('portal-card');
      await cards.first().waitFor();
      // The warning over its own warehouse comes first, with what to do; then whom to call.
      expect(await cards.first().getAttribute('data-card')).toMatch(/^hazard:/);
      const warning = await cards.first().innerText();
      expect(warning).toContain(coastal.siteName);
      expect(warning).toMatch(locale === 'en' ? /What to do:[\s\S]*In force until:|In force until:[\s\S]*What to do:/ : /有效期至：[\s\S]*建议：/);
      expect(warning).toContain(locale === 'en' ? 'Typhoon red warning: Taizhou and Wenling coast' : '台州');
      const managerCard = page.locator('[data-card="accounts:manager"]');
      expect(await managerCard.getByRole('link', { name: manager.email }).getAttribute('href')).toBe(`mailto:${manager.email}`);
      expect(manager.phone, 'the demo gives managers a work phone').toBeTruthy();
      expect(await managerCard.getByRole('link', { name: manager.phone! }).getAttribute('href')).toBe(`tel:${manager.phone!.replace(/[^+0-9]/g, '')}`);
      // Nothing internal: no money (value at risk) outside the dealer's own rebate progress, one <main>,
      // initials of letters only.
      expect(await page.locator('main').count()).toBe(1);
      const withoutRebates = await page.getByRole('main').evaluate((main) => {
        const copy = main.cloneNode(true) as HTMLElement;
        for (const card of copy.querySelectorAll('[data-card^="rebates."]')) card.remove();
        return copy.innerText ?? copy.textContent ?? '';
      });
      expect(withoutRebates).not.toMatch(/¥|CN¥|CNY/);
      expect(await page.locator('header .mantine-Avatar-root').innerText()).not.toMatch(/[（）()]/);
      await shot(page, path.join(shots, `dealer-portal-${locale}-${viewport.width}.png`));
      if (viewport === desktop && locale === 'en') {
        await axe(page, 'dealer portal home');
        // Another company's page is not there: the way home, never "Try again".
        await page.goto(`/accounts/${otherAccount.id}`);
        await page.getByTestId('error-state').waitFor();
        expect(await page.getByRole('button', { name: 'Try again' }).count()).toBe(0);
        await page.getByRole('link', { name: 'Back to home' }).waitFor();
        await shot(page, path.join(shots, 'dealer-not-found-en-1440.png'), false);
      }
      await context.close();
    }));
    // Chromium logs the deliberate 404 of the other company's page as a failed resource; that one is expected.
    consoleErrors.splice(0, consoleErrors.length, ...consoleErrors.filter((e) => !/ 404 /.test(e)));
    expect(consoleErrors, consoleErrors.join(" | ")).toEqual([]);
  }, 90_000);

  it('renders the hazard pages at 1440 and 390 px in English and Chinese, accessibly and without console errors', async () => {
    const accountRisk = `/accounts/${coastal.accountId}?tab=risk`;
    const pages: [string, string][] = [['map', '/hazards'], ['warnings', '/hazards/warnings'], ['advisories', '/advisories'], ['insurance', '/hazards/insurance'], ['replay', '/hazards/replay'], ['account-risk', accountRisk]];
    // Both widths of a language run side by side, each in its own browser context (one language at a
    // time: the language is the signed-in user's, saved on the server).
    for (const locale of ['en', 'zh-CN'] as const) await Promise.all([desktop, phone].map(async (viewport) => {
      const { context, page } = await signedIn('manager1@demo.openkam.local', locale, viewport);
      for (const [name, url] of viewport === phone ? pages.filter(([n]) => ['map', 'warnings', 'advisories', 'account-risk'].includes(n)) : pages) {
        await page.goto(url);
        await settled(page);
        if (name === 'map') await page.locator('[data-testid="hazard-map"] path.ok-warning-area').first().waitFor();
        if (name === 'account-risk') await page.getByTestId('account-risk').waitFor();
        await shot(page, path.join(shots, `${name}-${locale}-${viewport.width}.png`));
        // The markup is the same in both languages: axe runs on the English pages.
        if (viewport === desktop && locale === 'en') await axe(page, name);
      }
      if (viewport === desktop && locale === 'en') {
        // The detail drawer of the warning, and the map's offline basemap and swaths.
        await page.goto('/hazards/warnings');
        await page.getByTestId('warning-row').first().click();
        await page.getByTestId('alert-map').waitFor();
        await page.waitForLoadState('networkidle');
        await shot(page, path.join(shots, 'warning-drawer-en-1440.png'), false);
        await axe(page, 'warning drawer');
        await page.goto('/hazards');
        // The offline basemap is drawn (land and provinces as vector paths).
        await expect.poll(() => page.locator('[data-testid="hazard-map"] .leaflet-basemap-pane path').count(), { timeout: 10_000 }).toBeGreaterThan(30);
        expect(await page.locator('[data-testid="hazard-map"] path.ok-site-inside').count()).toBeGreaterThan(0);
        // The map opens on what is current: the uploaded track is an old storm, one choice away.
        expect(await page.getByLabel('64 kt').isDisabled()).toBe(true);
        await page.getByTestId('track-select').click();
        await page.getByRole('option').first().click();
        await page.getByLabel('64 kt').check();
        await page.locator('[data-testid="hazard-map"] path.ok-swath-64').first().waitFor();
        await shot(page, path.join(shots, 'map-swaths-en-1440.png'), false);
      }
      if (viewport === desktop && locale === 'zh-CN') {
        // The replay, half-way through the storm.
        await page.goto('/hazards/replay');
        await page.getByTestId('replay-slider').waitFor();
        await page.getByRole('slider').focus();
        for (let i = 0; i < 12; i++) await page.keyboard.press('ArrowRight');
        await shot(page, path.join(shots, 'replay-step-zh-CN-1440.png'));
      }
      await context.close();
    }));
    // Dealers have no hazard permission: no navigation entry, no page.
    const dealer = await server.db.kysely.selectFrom('users').select('email').where('role', '=', 'dealer').orderBy('email').executeTakeFirstOrThrow();
    const d = await signedIn(dealer.email, 'en');
    await d.page.goto('/');
    await d.page.getByRole('navigation').first().waitFor();
    expect(await d.page.getByRole('navigation').first().innerText()).not.toMatch(/Hazards|Advisories/);
    await d.context.close();
    expect(consoleErrors, consoleErrors.join(" | ")).toEqual([]);
  }, 120_000);

  it('shows site names and warning texts on the maps as text, never as markup', async () => {
    // Written as an admin through the API: a dealer's site and a warning whose texts are markup.
    const login = await server.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'admin@demo.openkam.local', password: DEMO_PASSWORD } });
    const admin = { cookies: { openkam_session: login.cookies.find((c) => c.name === 'openkam_session')!.value }, headers: { 'x-csrf-token': (login.json() as { csrfToken: string }).csrfToken } };
    const dealer = await server.db.kysely.selectFrom('users').select(['email', 'account_id']).where('role', '=', 'dealer').orderBy('email').executeTakeFirstOrThrow();
    const siteName = '<img src=x onerror="window.__injected=1">Depot';
    const site = await server.app.inject({ ...admin, method: 'POST', url: '/api/v1/sites', payload: { accountId: dealer.account_id, name: siteName, kind: 'warehouse', lat: 29.9, lng: 121.6 } });
    expect(site.statusCode, site.body).toBe(201);
    const now = new Date();
    const cap = capTemplate.replaceAll('{{SENT}}', new Date(now.getTime() - 60_000).toISOString().replace(/\.\d{3}Z$/, '+00:00'))
      .replaceAll('{{EXPIRES}}', new Date(now.getTime() + 86_400_000).toISOString().replace(/\.\d{3}Z$/, '+00:00')).replaceAll('{{ID}}', `MARKUP-${now.getTime()}`)
      .replace('Typhoon red warning: Taizhou and Wenling coast', '&lt;i&gt;Red&lt;/i&gt; warning &lt;img src=x onerror="window.__injected=2"&gt;')
      .replace('Jiaojiang (Taizhou) and Wenling coast', '&lt;b&gt;Wenling&lt;/b&gt; coast');
    const up = await server.app.inject({ ...admin, method: 'POST', url: '/api/v1/hazards/alerts', payload: cap, headers: { ...admin.headers, 'content-type': 'application/cap+xml' } });
    expect(up.statusCode, up.body).toBe(201);

    /** Hovers each of `markers` until a tooltip holds `text`; returns that tooltip's text and how many elements it holds. */
    async function tooltipWith(page: Page, markers: string, text: string): Promise<{ text: string; elements: number } | null> {
      for (const marker of await page.locator(markers).all()) {
        await marker.hover({ force: true });
        const tip = page.locator('.leaflet-tooltip-pane .leaflet-tooltip').filter({ hasText: text });
        if (await tip.count()) return { text: await tip.first().innerText(), elements: await tip.first().locator('img, b, i, script').count() };
      }
      return null;
    }

    // The dealer portal's map of the company's sites.
    const d = await signedIn(dealer.email, 'en');
    await d.page.goto(`/accounts/${dealer.account_id}`);
    await d.page.locator('[data-testid="site-map"] path.ok-site-marker').first().waitFor();
    expect(await tooltipWith(d.page, '[data-testid="site-map"] path.ok-site-marker', 'Depot')).toEqual({ text: `${siteName} · Warehouse`, elements: 0 });
    expect(await d.page.evaluate(() => (window as { __injected?: number }).__injected)).toBeUndefined();
    await d.context.close();

    // The warning's own map: its headline and the area's description.
    const { context, page } = await signedIn('manager1@demo.openkam.local', 'en');
    await page.goto('/hazards/warnings');
    await settled(page);
    await page.getByTestId('warning-row').filter({ hasText: '<i>Red</i> warning' }).first().click();
    await page.locator('[data-testid="alert-map"] path.ok-warning-area').first().waitFor();
    const area = await tooltipWith(page, '[data-testid="alert-map"] path.ok-warning-area', 'Red');
    expect(area).toEqual({ text: expect.stringContaining('<i>Red</i> warning <img src=x onerror="window.__injected=2">'), elements: 0 });
    expect(area!.text).toContain('Typhoon: <b>Wenling</b> coast');
    expect(await page.evaluate(() => (window as { __injected?: number }).__injected)).toBeUndefined();
    await context.close();
    expect(consoleErrors, consoleErrors.join(" | ")).toEqual([]);
  }, 60_000);
});

reportChromiumMissing('Protect the dealer in Chromium');
