import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, chromiumArgs, type E2eServer, expectNoSeriousAxeViolations, signIn, apiAs as harnessApiAs, hasChromium, reportChromiumMissing, root, startE2eServer, shot } from './harness.js';

const shots = path.join(root, 'test-results/portfolio');
const desktop = { width: 1440, height: 900 };
const phone = { width: 390, height: 844 };
const ADMIN = 'admin@demo.openkam.local';

type SegmentRow = { accountId: string; code: string; name: string; valueMinor: number; rank: number; share: number };

reportChromiumMissing('80/20 analysis and sales import in Chromium');

describe.skipIf(!hasChromium)('80/20 analysis and sales import in Chromium', () => {
  let server: E2eServer;
  let browser: Browser;
  const consoleErrors: string[] = [];
  let dataWords: Set<string>;

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    [server, browser] = await Promise.all([startE2eServer(), chromium.launch({ executablePath: CHROMIUM, args: chromiumArgs })]);
    const k = server.db.kysely;
    const text = [
      ...(await k.selectFrom('accounts').select(['code', 'name']).execute()).flatMap((r) => Object.values(r)),
      ...(await k.selectFrom('users').select(['name']).execute()).flatMap((r) => Object.values(r)),
      ...(await k.selectFrom('teams').select(['name']).execute()).flatMap((r) => Object.values(r)),
    ].filter((v): v is string => typeof v === 'string');
    dataWords = new Set(text.flatMap((s) => s.match(/[A-Za-z][A-Za-z'-]+/g) ?? []));
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const signedIn = (email: string, locale: 'en' | 'zh-CN', viewport = desktop) => signIn(browser, server, email, locale, consoleErrors, { viewport });

  const apiAs = (email: string) => harnessApiAs(server, email);

  const axe = expectNoSeriousAxeViolations;


  async function englishLeftOver(page: Page): Promise<string[]> {
    const allowed = new Set(['OpenKAM', 'EN', 'VMI', 'ABC', 'CSV', 'Excel', 'XLSX', 'UTF', 'GB', 'GBK', 'CNY', 'USD', 'EUR', 'HKD', 'YYYY-MM-DD', 'DD', 'MM', 'YYYY', 'YYYYMMDD', ...dataWords]);
    const text = await page.evaluate(() => [...document.querySelectorAll('.ok-code')].reduce((t, el) => t.split((el as HTMLElement).innerText).join(' '), document.body.innerText));
    return [...new Set(text.match(/[A-Za-z][A-Za-z'-]+/g) ?? [])].filter((w) => !allowed.has(w));
  }

  /** Waits for the page to finish loading, then scrolls to the top (fixed header and navigation draw once in a full-page shot). */
  async function settled(page: Page): Promise<void> {
    await page.locator('h1').first().waitFor();
    await page.waitForFunction(() => !document.querySelector('.mantine-Loader-root'));
    await page.evaluate(() => document.fonts.ready.then(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))));
    await page.evaluate(() => window.scrollTo(0, 0));
  }

  it('imports a sales file through the web app and moves a small account to the top of the Pareto chart', async () => {
    const get = await apiAs(ADMIN);
    const before = (await get<{ items: SegmentRow[] }>('/api/v1/portfolio/segments?limit=500')).items;
    const positive = before.filter((r) => r.valueMinor > 0);
    expect(positive.length, 'the demo world has sales history').toBeGreaterThan(10);
    const top = positive[0]!;
    // A small, low-ranked account (within the first page of the ABC table: 25 rows).
    const target = positive[Math.min(positive.length - 3, 19)]!;
    expect(target.rank).toBeGreaterThan(10);
    const sku = (await get<{ items: { sku: string }[] }>('/api/v1/products?limit=1')).items[0]!.sku;

    const { context, page } = await signedIn(ADMIN, 'en');
    await page.goto('/portfolio');
    const chart = page.getByTestId('pareto-chart');
    await chart.waitFor();
    expect(await chart.getAttribute('data-first-code')).toBe(top.code);
    expect(Number(await chart.getAttribute('data-points'))).toBe(positive.length);
    expect(Number(await chart.getAttribute('data-first-share'))).toBeCloseTo(top.share, 3);
    const firstRow = page.getByTestId('abc-row').first();
    expect(await firstRow.getAttribute('data-code')).toBe(top.code);
    expect(await page.locator(`[data-testid="abc-row"][data-code="${target.code}"]`).getAttribute('data-rank')).toBe(String(target.rank));
    await settled(page);
    await shot(page, path.join(shots, 'abc-before-en-1440.png'));

    // Three lines this month that together make the small account 1.8 times the current leader (Chinese headers, as an ERP exports them).
    const today = new Date().toISOString().slice(0, 10);
    const yuan = Math.ceil((top.valueMinor * 0.6) / 100);
    const csv = ['日期,客户编码,物料编码,数量,金额,单据号,行号', ...[1, 2, 3].map((n) => `${today},${target.code},${sku},${100 * n},"${yuan.toLocaleString('en-US')}.00",E2E-${Date.now()},${n}`)].join('\n');
    await page.getByRole('link', { name: 'Import', exact: true }).click();
    await page.waitForURL((u) => u.pathname === '/imports');
    await page.locator('input[type="file"]').setInputFiles({ name: 'e2e-sales.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
    await expect.poll(() => page.getByTestId('preview-row').count(), { timeout: 10_000 }).toBe(3);
    await page.getByText('No problems').waitFor();
    await page.getByTestId('import-run-button').click();
    const run = page.getByTestId('import-run');
    await page.locator('[data-testid="import-run"]:is([data-status="succeeded"], [data-status="failed"], [data-status="cancelled"])').waitFor({ timeout: 15_000 });
    const status = await run.getAttribute('data-status');
    if (status !== 'succeeded') {
      const job = (await get<{ items: { status: string; message: string | null }[] }>('/api/v1/imports')).items[0];
      expect.fail(`the import ended ${status}: ${job?.message ?? ''}`);
    }
    expect(await page.getByTestId('import-progress').getAttribute('aria-valuenow')).toBe('100');
    expect(await page.getByTestId('import-counts').innerText()).toMatch(/New\s+3/);
    await page.getByTestId('import-history').getByText('e2e-sales.csv').waitFor();
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot(page, path.join(shots, 'import-done-en-1440.png'));

    // Back on the 80/20 page (the app's own navigation: cached analyses must have been refreshed).
    await page.getByRole('link', { name: '80/20 analysis' }).click();
    await expect.poll(() => chart.getAttribute('data-first-code'), { timeout: 10_000 }).toBe(target.code);
    expect(await page.getByTestId('abc-row').first().getAttribute('data-code')).toBe(target.code);
    expect(await page.locator(`[data-testid="abc-row"][data-code="${top.code}"]`).getAttribute('data-rank')).toBe('2');
    await settled(page);
    await shot(page, path.join(shots, 'abc-after-en-1440.png'));
    await axe(page, 'ABC view after the import');
    await context.close();
    expect(consoleErrors, consoleErrors.join(" | ")).toEqual([]);
  }, 60_000);

  it('renders the 80/20 views, the import page and the Revenue tab at 1440 and 390 px in both languages', async () => {
    const get = await apiAs(ADMIN);
    const account = (await get<{ items: SegmentRow[] }>('/api/v1/portfolio/segments')).items[1]!;
    const pages: [string, string, string][] = [
      ['abc', '/portfolio', 'pareto-chart'], ['moves', '/portfolio?view=moves', 'moves-rose'], ['attention', '/portfolio?view=attention', 'attention-table'],
      ['ranking', '/portfolio?view=ranking', 'ranking-table'], ['import', '/imports', 'import-history-card'], ['revenue', `/accounts/${account.accountId}?tab=revenue`, 'revenue-tab'],
    ];
    // The language is the user's (stored with the account), so the languages take turns; the two sizes run side by side.
    for (const locale of ['en', 'zh-CN'] as const) {
      await Promise.all([desktop, phone].map(async (viewport) => {
        const { context, page } = await signedIn(ADMIN, locale, viewport);
        // On a phone, the views a manager opens in the field.
        for (const [name, url, testId] of viewport === phone ? pages.filter(([n]) => n !== 'ranking' && n !== 'moves') : pages) {
          await page.goto(url);
          await page.getByTestId(testId).waitFor({ timeout: 15_000 }).catch(async (e: unknown) => {
            await shot(page, path.join(shots, `failed-${name}-${locale}-${viewport.width}.png`));
            throw e;
          });
          expect(await page.evaluate(() => document.documentElement.lang)).toBe(locale);
          await settled(page);
          await shot(page, path.join(shots, `${name}-${locale}-${viewport.width}.png`));
          // Accessibility does not depend on the language: axe runs on the English pages.
          if (viewport === desktop && locale === 'en') await axe(page, name);
          if (locale === 'zh-CN' && viewport === desktop) expect(await englishLeftOver(page), `${name} in Chinese`).toEqual([]);
        }
        await context.close();
      }));
    }
    expect(consoleErrors, consoleErrors.join(" | ")).toEqual([]);
  }, 120_000);

  it('shows a manager their own accounts in the cards, the chart and the paged table alike, with labelled axes, readable on a phone', async () => {
    const MANAGER = 'manager1@demo.openkam.local';
    const get = await apiAs(MANAGER);
    type Seg = { scope: { kind: string; accounts: number; companyAccounts: number }; total: number; items: (SegmentRow & { tier: string; currentTier: string | null })[]; curve: { accounts: number } };
    const seg = await get<Seg>('/api/v1/portfolio/segments?limit=500');
    expect(seg.scope.kind).toBe('own');
    expect(seg.scope.accounts, 'a manager sees part of the company').toBeLessThan(seg.scope.companyAccounts);
    expect(seg.total).toBe(seg.scope.accounts);
    const cases: ['en' | 'zh-CN', typeof phone][] = [['en', phone], ['zh-CN', phone], ['en', desktop]];
    for (const [locale, viewport] of cases) {
      const label = `${locale} ${viewport.width}`;
      const { context, page } = await signedIn(MANAGER, locale, viewport);
      await page.goto('/portfolio');
      const scope = page.getByTestId('portfolio-scope');
      await scope.waitFor();
      // The cards say whose accounts they add up, and they add up the table's.
      expect(await scope.getAttribute('data-scope'), label).toBe('own');
      expect(await scope.innerText(), label).toContain(locale === 'en' ? `Your ${seg.scope.accounts} accounts` : `您的 ${seg.scope.accounts} 个客户`);
      const cards = await Promise.all(['A', 'B', 'C'].map((tier) => page.getByTestId(`tier-summary-${tier}`).getAttribute('data-accounts')));
      expect(cards.reduce((n, c) => n + Number(c), 0), label).toBe(seg.scope.accounts);
      for (const tier of ['A', 'B', 'C']) {
        const value = seg.items.filter((r) => r.tier === tier).reduce((n, r) => n + Math.max(r.valueMinor, 0), 0);
        expect(Number(await page.getByTestId(`tier-summary-${tier}`).getAttribute('data-value')), `${label} tier ${tier}`).toBe(value);
      }
      // Both axes of the Pareto chart say what they measure.
      const chart = page.getByTestId('pareto-chart');
      expect(Number(await chart.getAttribute('data-points')), label).toBe(seg.items.filter((r) => r.valueMinor > 0).length);
      const names = locale === 'en' ? ['Cumulative share of revenue (%)', 'Accounts ranked by revenue', 'Revenue per account'] : ['销售额累计占比（%）', '客户（按销售额从高到低', '每个客户的销售额'];
      for (const name of names) await expect.poll(() => chart.locator('text', { hasText: name }).count(), { message: `${label}: axis "${name}"` }).toBeGreaterThan(0);
      // The table: one page of rows; on a phone, cards that fit the screen.
      const table = page.getByTestId('abc-table');
      expect(await table.getAttribute('data-layout'), label).toBe(viewport === phone ? 'cards' : 'table');
      const rows = page.getByTestId('abc-row');
      expect(await rows.count(), label).toBe(Math.min(25, seg.total));
      expect(await rows.first().getAttribute('data-code'), label).toBe(seg.items[0]!.code);
      if (viewport === phone) {
        expect(await page.evaluate(() => document.documentElement.scrollWidth), `${label}: nothing wider than the phone`).toBeLessThanOrEqual(phone.width);
        const first = rows.first();
        for (const part of [first.getByText(String(seg.items[0]!.rank), { exact: true }), first.locator('.mantine-Badge-root').first(), first.getByText(/¥/)]) {
          const box = (await part.boundingBox())!;
          expect(box.x + box.width, `${label}: rank, tier and revenue in sight`).toBeLessThanOrEqual(phone.width);
        }
      }
      // Words, not symbols: no "now B", no "×0".
      const text = await page.locator('main').innerText();
      expect(text, label).not.toMatch(/×|\bnow [ABC]\b/i);
      await settled(page);
      await shot(page, path.join(shots, `manager-abc-${locale}-${viewport.width}.png`));
      // Where the hours go: each person's share of time per tier in words ("too little", "in line"…), not "×0".
      await page.goto('/portfolio?view=attention');
      await page.getByTestId('attention-table').waitFor();
      expect(await page.locator('main').innerText(), `${label} attention`).not.toContain('×');
      const cells = await page.getByTestId('attention-cell').evaluateAll((els) => els.map((el) => (el as HTMLElement).innerText));
      expect(cells.length, label).toBeGreaterThan(0);
      const words = locale === 'en' ? /^\d+%\n+(no time|in line|too little|too much|no revenue in this tier)$/ : /^\d+%\n+(未投入时间|与销售额相当|投入偏少|投入偏多|该级别无销售额)$/;
      for (const c of cells) expect(c, `${label}: a share of time and a verdict in words`).toMatch(words);
      // The account page's header on a phone: the tier in words, the status in full, nothing cut.
      const account = seg.items.find((r) => r.currentTier)!;
      await page.goto(`/accounts/${account.accountId}`);
      const badges = page.getByTestId('page-header-badges');
      await badges.waitFor();
      expect(await badges.innerText(), label).toContain(locale === 'en' ? `Tier ${account.currentTier}` : `${account.currentTier} 级`);
      const clipped = await badges.locator('.mantine-Badge-root').evaluateAll((els) => els.filter((el) => el.scrollWidth > el.clientWidth + 1 || el.getBoundingClientRect().right > window.innerWidth).map((el) => el.textContent));
      expect(clipped, `${label}: header badges`).toEqual([]);
      for (const el of await badges.locator('.mantine-Badge-root').all()) expect((await el.boundingBox())!.width, `${label}: a badge with words, not a square`).toBeGreaterThan(40);
      await settled(page);
      await shot(page, path.join(shots, `manager-account-${locale}-${viewport.width}.png`), false);
      await context.close();
    }

    // Everyone's accounts for the admin, a page of 25 at a time (on a phone too), back and forth.
    const all = await (await apiAs(ADMIN))<Seg>('/api/v1/portfolio/segments?limit=500');
    expect(all.scope).toMatchObject({ kind: 'all', accounts: all.scope.companyAccounts });
    expect(all.total, 'enough accounts for two pages').toBeGreaterThan(25);
    const { context, page } = await signedIn(ADMIN, 'en', phone);
    await page.goto('/portfolio');
    await page.getByTestId('portfolio-scope').waitFor();
    expect(await page.getByTestId('portfolio-scope').innerText()).toContain(`All ${all.scope.accounts} accounts`);
    const rows = page.getByTestId('abc-row');
    expect(await rows.count()).toBe(25);
    const pager = page.getByTestId('abc-pager');
    expect(await page.getByTestId('abc-pager-range').innerText()).toBe(`1–25 of ${all.total}`);
    await pager.getByRole('button', { name: 'Next' }).click();
    await expect.poll(() => rows.first().getAttribute('data-code'), { message: 'page 2' }).toBe(all.items[25]!.code);
    expect(await page.getByTestId('abc-pager-range').innerText()).toBe(`26–${Math.min(50, all.total)} of ${all.total}`);
    expect(await rows.count()).toBe(Math.min(25, all.total - 25));
    await pager.getByRole('button', { name: 'Previous' }).click();
    await expect.poll(() => rows.first().getAttribute('data-code'), { message: 'back to page 1' }).toBe(all.items[0]!.code);
    expect(await page.evaluate(() => document.documentElement.scrollWidth), 'nothing wider than the phone').toBeLessThanOrEqual(phone.width);
    await context.close();
    expect(consoleErrors, consoleErrors.join(" | ")).toEqual([]);
  }, 120_000);

  it('keeps the 80/20 and import pages from a dealer', async () => {
    const dealer = await server.db.kysely.selectFrom('users').select(['email']).where('role', '=', 'dealer').orderBy('email').executeTakeFirstOrThrow();
    const { context, page } = await signedIn(dealer.email, 'en');
    await page.goto('/');
    await page.getByRole('navigation').waitFor();
    const nav = await page.getByRole('navigation').innerText();
    expect(nav).not.toContain('80/20');
    expect(nav).not.toContain('Import');
    await page.goto('/portfolio');
    await page.getByRole('link', { name: 'Back to home' }).waitFor();
    expect(await page.getByTestId('pareto-chart').count()).toBe(0);
    expect(await page.getByTestId('abc-table').count()).toBe(0);
    await context.close();
  });
});
