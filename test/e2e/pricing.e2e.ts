import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import enPricing from '../../src/modules/pricing/web/i18n.en.json' with { type: 'json' };
import zhPricing from '../../src/modules/pricing/web/i18n.zh-CN.json' with { type: 'json' };
import { apiAs, CHROMIUM, chromiumArgs, type E2eServer, expectNoSeriousAxeViolations, signIn, hasChromium, reportChromiumMissing, root, startE2eServer, shot } from './harness.js';

const shots = path.join(root, 'test-results/pricing');
const desktop = { width: 1440, height: 900 };
const phone = { width: 390, height: 844 };
const DIRECTOR = 'director1@demo.openkam.local';
const strings = { en: enPricing.pricing, 'zh-CN': zhPricing.pricing } as const;

reportChromiumMissing('price lists in Chromium');

describe.skipIf(!hasChromium)('price lists in Chromium', () => {
  let server: E2eServer;
  let browser: Browser;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    [server, browser] = await Promise.all([startE2eServer(), chromium.launch({ executablePath: CHROMIUM, args: chromiumArgs })]);
    const lists = await server.db.kysely.selectFrom('price_lists').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(lists.n), 'the demo world has price lists').toBeGreaterThanOrEqual(4);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const signedIn = (locale: 'en' | 'zh-CN', viewport = desktop) => signIn(browser, server, DIRECTOR, locale, consoleErrors, { viewport });

  async function settled(page: Page, testId: string): Promise<void> {
    await page.locator('h1').first().waitFor();
    await page.getByTestId(testId).first().waitFor();
    await page.waitForFunction(() => !document.querySelector('.mantine-Loader-root'));
    await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running' || a.effect?.getTiming().iterations === Infinity));
    await page.evaluate(() => document.fonts.ready.then(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))));
    await page.evaluate(() => window.scrollTo(0, 0));
  }

  it('creates a graduated list with its breaks, and the quote tester prices 600 bags by it with the reason', async () => {
    const s = strings.en;
    const { context, page } = await signedIn('en');
    await page.goto('/prices');
    await settled(page, 'price-list-row');
    await expectNoSeriousAxeViolations(page, 'price lists');
    await shot(page, path.join(shots, 'prices-1440-en.png'));

    await page.getByTestId('new-price-list').click();
    const form = page.getByTestId('price-list-form');
    await form.waitFor();
    await form.getByLabel(s.form.code).fill('E2E-GRAD');
    await form.getByLabel(s.form.name).fill('Spring offer, bags');
    await form.getByTestId('list-scope').getByText(s.scope.territory).click();
    await form.getByTestId('list-territory').click();
    await page.getByRole('option', { name: 'East China' }).click();
    await form.getByTestId('list-mode').getByText(s.mode.graduated).click();
    await form.getByRole('button', { name: s.form.create }).click();
    await page.waitForURL(/\/prices\/[0-9a-f-]{36}$/);
    await page.locator('h1', { hasText: 'Spring offer, bags' }).waitFor();

    await page.getByTestId('add-item').click();
    const item = page.getByTestId('item-form');
    await item.waitFor();
    await item.getByLabel(s.item.product).fill('CEM-PO425-B50');
    await page.getByRole('option', { name: /^CEM-PO425-B50 · / }).click();
    await item.getByLabel(s.breaks.priceRow.replace('{{n}}', '1')).fill('20.00');
    await item.getByTestId('add-break').click();
    const from = item.getByLabel(s.breaks.fromRow.replace('{{n}}', '2'));
    await from.fill('500');
    await item.getByLabel(s.breaks.priceRow.replace('{{n}}', '2')).fill('19.00');
    await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running' || a.effect?.getTiming().iterations === Infinity));
    await shot(page, path.join(shots, 'prices-1440-en-breaks.png'), false);
    await item.getByRole('button', { name: 'Save' }).click();
    await item.waitFor({ state: 'detached' });
    await expect.poll(() => page.getByTestId('price-item').count()).toBe(1);
    await settled(page, 'price-item');
    await expectNoSeriousAxeViolations(page, 'price list');
    await shot(page, path.join(shots, 'price-list-1440-en.png'));

    // An import with a bad line shows the line and writes nothing; the corrected file is imported.
    await page.getByTestId('import-prices').click();
    const importer = page.getByTestId('import-form');
    await importer.waitFor();
    const choose = async (name: string, text: string) => {
      const chooser = page.waitForEvent('filechooser');
      await importer.getByTestId('import-file').click();
      await (await chooser).setFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(text) });
    };
    await choose('bad.csv', 'sku,from,unit_price\nCEM-PO425-B50,0,20.00\nNO-SUCH-SKU,0,5\nCEM-PO425-B50,500,-1\n');
    await importer.getByTestId('import-run').click();
    await importer.getByTestId('import-errors').waitFor();
    expect(await importer.getByTestId('import-error').allTextContents()).toEqual(['3skuNO-SUCH-SKUunknown SKU', '4unit_price-1must not be negative']);
    await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running' || a.effect?.getTiming().iterations === Infinity));
    await shot(page, path.join(shots, 'import-1440-en-errors.png'), false);
    await choose('good.csv', 'sku,from,unit_price\nCEM-PO425-B50,0,20.00\nCEM-PO425-B50,500,19.00\nCEM-PC325R-B50,0,17.50\n');
    await importer.getByTestId('import-run').click();
    await importer.getByTestId('import-done').waitFor();
    expect(await importer.getByTestId('import-done').textContent()).toContain('1 added, 0 changed, 1 unchanged');
    await importer.getByRole('button', { name: s.import.close }).click();
    await expect.poll(() => page.getByTestId('price-item').count()).toBe(2);

    // An East China account of the director's that is no key account: the new territory list, started today, wins on its later start.
    const k = server.db.kysely;
    const east = await k.selectFrom('territories').select('id').where('code', '=', 'EAST').executeTakeFirstOrThrow();
    const get = await apiAs(server, DIRECTOR);
    const mine = (await get<{ items: { id: string; code: string; tier: string | null; territoryId: string | null }[] }>('/api/v1/accounts?limit=200&sort=code')).items;
    const account = mine.find((a) => a.tier !== 'A' && a.territoryId === east.id)!;
    expect(account, 'an East China account of director1 that is not tier A').toBeDefined();
    await page.goto('/prices?tab=quote');
    const tester = page.getByTestId('quote-tester');
    await tester.waitFor();
    await tester.getByLabel(s.quote.account).fill(account.code);
    await page.getByRole('option', { name: new RegExp(`^${account.code} `) }).click();
    await tester.getByLabel(s.quote.product).fill('CEM-PO425-B50');
    await page.getByRole('option', { name: /^CEM-PO425-B50 · / }).click();
    await tester.getByLabel(s.quote.quantity).fill('600');
    await tester.getByTestId('quote-run').click();
    const result = page.getByTestId('quote-result');
    await result.waitFor();
    // Graduated: 500 × 20.00 + 100 × 19.00 = 11,900.00
    expect(await result.getByTestId('quote-total').textContent()).toContain('11,900.00');
    expect(await result.getByTestId('quote-why').textContent()).toContain('Spring offer, bags');
    expect(await result.getByTestId('quote-losers').textContent()).toContain(s.lostOn.validFrom);
    await settled(page, 'quote-result');
    await expectNoSeriousAxeViolations(page, 'quote tester');
    await shot(page, path.join(shots, 'quote-1440-en.png'));
    await context.close();
  }, 120_000);

  it('reads well on a phone and in Chinese: the lists, a list, and the account Prices tab', async () => {
    const k = server.db.kysely;
    const key = await k.selectFrom('price_lists').select('id').where('code', '=', 'KA-GRAD').executeTakeFirstOrThrow();
    const account = await k.selectFrom('accounts').select('id').where('tier', '=', 'A').orderBy('code').executeTakeFirstOrThrow();
    for (const [locale, viewport, name] of [['zh-CN', desktop, '1440-zh-CN'], ['en', phone, '390-en'], ['zh-CN', phone, '390-zh-CN']] as const) {
      const { context, page } = await signedIn(locale, viewport);
      for (const [url, testId, label] of [['/prices', 'price-list-row', 'prices'], [`/prices/${key.id}`, 'price-item', 'price-list'], [`/accounts/${account.id}?tab=prices`, 'account-price-lists', 'account-prices']] as const) {
        await page.goto(url);
        await settled(page, testId);
        if (label === 'prices') expect(await page.locator('h1').textContent()).toBe(strings[locale].title);
        expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth), `${label} ${name}: horizontal overflow`).toBeLessThanOrEqual(0);
        await expectNoSeriousAxeViolations(page, `${label} ${name}`);
        await shot(page, path.join(shots, `${label}-${name}.png`));
      }
      await context.close();
    }
    expect(consoleErrors).toEqual([]);
  }, 120_000);
});
