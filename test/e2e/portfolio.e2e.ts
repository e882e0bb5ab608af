import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, chromiumArgs, type E2eServer, expectNoSeriousAxeViolations, signIn, apiAs as harnessApiAs, hasChromium, reportChromiumMissing, root, startE2eServer } from './harness.js';

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
    const allowed = new Set(['OpenKAM', 'EN', 'ABC', 'CSV', 'Excel', 'XLSX', 'UTF', 'GB', 'GBK', 'CNY', 'USD', 'EUR', 'HKD', 'YYYY-MM-DD', 'DD', 'MM', 'YYYY', 'YYYYMMDD', ...dataWords]);
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
    const before = (await get<{ items: SegmentRow[] }>('/api/v1/portfolio/segments')).items;
    const positive = before.filter((r) => r.valueMinor > 0);
    expect(positive.length, 'the demo world has sales history').toBeGreaterThan(10);
    const top = positive[0]!;
    // A small, low-ranked account (within the first page of the ABC table).
    const target = positive[Math.min(positive.length - 3, 39)]!;
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
    await page.screenshot({ path: path.join(shots, 'abc-before-en-1440.png'), fullPage: true });

    // Three lines this month that together make the small account 1.8 times the current leader (Chinese headers, as an ERP exports them).
    const today = new Date().toISOString().slice(0, 10);
    const yuan = Math.ceil((top.valueMinor * 0.6) / 100);
    const csv = ['日期,客户编码,物料编码,数量,金额,单据号,行号', ...[1, 2, 3].map((n) => `${today},${target.code},${sku},${100 * n},"${yuan.toLocaleString('en-US')}.00",E2E-${Date.now()},${n}`)].join('\n');
    await page.getByRole('link', { name: 'Import' }).click();
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
    await page.screenshot({ path: path.join(shots, 'import-done-en-1440.png'), fullPage: true });

    // Back on the 80/20 page (the app's own navigation: cached analyses must have been refreshed).
    await page.getByRole('link', { name: '80/20 analysis' }).click();
    await expect.poll(() => chart.getAttribute('data-first-code'), { timeout: 10_000 }).toBe(target.code);
    expect(await page.getByTestId('abc-row').first().getAttribute('data-code')).toBe(target.code);
    expect(await page.locator(`[data-testid="abc-row"][data-code="${top.code}"]`).getAttribute('data-rank')).toBe('2');
    await settled(page);
    await page.screenshot({ path: path.join(shots, 'abc-after-en-1440.png'), fullPage: true });
    await axe(page, 'ABC view after the import');
    await context.close();
    expect(consoleErrors).toEqual([]);
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
            await page.screenshot({ path: path.join(shots, `failed-${name}-${locale}-${viewport.width}.png`), fullPage: true });
            throw e;
          });
          expect(await page.evaluate(() => document.documentElement.lang)).toBe(locale);
          await settled(page);
          await page.screenshot({ path: path.join(shots, `${name}-${locale}-${viewport.width}.png`), fullPage: true });
          // Accessibility does not depend on the language: axe runs on the English pages.
          if (viewport === desktop && locale === 'en') await axe(page, name);
          if (locale === 'zh-CN' && viewport === desktop) expect(await englishLeftOver(page), `${name} in Chinese`).toEqual([]);
        }
        await context.close();
      }));
    }
    expect(consoleErrors).toEqual([]);
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
