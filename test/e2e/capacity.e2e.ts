import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import enCapacity from '../../src/modules/capacity/web/i18n.en.json' with { type: 'json' };
import zhCapacity from '../../src/modules/capacity/web/i18n.zh-CN.json' with { type: 'json' };
import { seedCapacityDemo } from '../../src/modules/capacity/capacity.demo.js';
import { CHROMIUM, chromiumArgs, type E2eServer, expectNoSeriousAxeViolations, signIn, hasChromium, reportChromiumMissing, root, startE2eServer, shot } from './harness.js';

const shots = path.join(root, 'test-results/capacity');
const desktop = { width: 1440, height: 900 };
const phone = { width: 390, height: 844 };
const LOGISTICS = 'logistics@demo.openkam.local';
const strings = { en: enCapacity.capacity, 'zh-CN': zhCapacity.capacity } as const;

reportChromiumMissing('priority delivery in Chromium');

describe.skipIf(!hasChromium)('priority delivery in Chromium', () => {
  let server: E2eServer;
  let browser: Browser;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    [server, browser] = await Promise.all([startE2eServer(), chromium.launch({ executablePath: CHROMIUM, args: chromiumArgs })]);
    // The demo seeding placed the capacity demo's reservations and orders.
    const k = server.db.kysely;
    const orders = await k.selectFrom('capacity_orders').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(orders.n), 'the demo world has orders against its reservations').toBeGreaterThan(20);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const signedIn = (locale: 'en' | 'zh-CN', viewport = desktop) => signIn(browser, server, LOGISTICS, locale, consoleErrors, { viewport });

  /** The page has loaded its data, animations have ended, the top is in view. */
  async function settled(page: Page): Promise<void> {
    await page.locator('h1').first().waitFor();
    await page.getByTestId('week-grid').waitFor();
    await page.waitForFunction(() => !document.querySelector('.mantine-Loader-root'));
    await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running' || a.effect?.getTiming().iterations === Infinity));
    await page.evaluate(() => document.fonts.ready.then(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))));
    await page.evaluate(() => window.scrollTo(0, 0));
  }

  it('shows the weeks of the Taizhou plant with their warnings, and places an order that the grid counts at once', async () => {
    const k = server.db.kysely;
    const plant = await k.selectFrom('depots').select('id').where('code', '=', 'TZ-PLANT').executeTakeFirstOrThrow();
    // A week two on, open, with a free truckload; and a tier-A account that has ordered least.
    const res = await k.selectFrom('capacity_reservations').selectAll().where('depot_id', '=', plant.id).orderBy('week').execute();
    const week = res[2]!;
    const ordered = async () => Number((await k.selectFrom('capacity_orders').select((eb) => eb.fn.coalesce(eb.fn.sum<number>('truckloads'), eb.val(0)).as('n'))
      .where('reservation_id', '=', week.id).where('status', '!=', 'cancelled').executeTakeFirstOrThrow()).n);
    const before = await ordered();
    expect(before).toBeLessThan(week.truckloads);
    const account = await k.selectFrom('accounts').leftJoin('capacity_orders', 'capacity_orders.account_id', 'accounts.id')
      .select(['accounts.id', 'accounts.code', (eb) => eb.fn.count('capacity_orders.id').as('n')])
      .where('accounts.tier', '=', 'A').where('accounts.status', '=', 'active').groupBy(['accounts.id', 'accounts.code']).orderBy('n').orderBy('accounts.code').executeTakeFirstOrThrow();

    const s = strings.en;
    const { context, page } = await signedIn('en');
    await page.goto(`/capacity?depot=${plant.id}`);
    await settled(page);
    expect(await page.getByTestId('week-row').count()).toBe(12);
    // The demo has one over-subscribed week (Taizhou) and one going unused (Wenzhou): both warned of.
    expect((await page.getByTestId('capacity-warning').evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')))).sort()).toEqual(['over', 'unused']);
    expect(await page.locator('[data-testid="week-row"][data-status="over"]').count()).toBe(1);
    await expectNoSeriousAxeViolations(page, 'capacity grid');

    const row = page.locator(`[data-testid="week-row"][data-week="${week.week}"]`);
    await row.click();
    await page.locator(`[data-testid="week-orders"][data-week="${week.week}"]`).waitFor();
    await settled(page);
    await shot(page, path.join(shots, 'capacity-1440-en.png'));

    await page.getByTestId('place-order').click();
    const form = page.getByTestId('place-order-form');
    await form.waitFor();
    await form.getByLabel(s.order.account).fill(account.code);
    await page.getByRole('option', { name: new RegExp(`^${account.code} `) }).click();
    // More than is free: the form warns and asks before over-subscribing the week.
    await form.getByLabel(s.order.truckloads).fill(String(week.truckloads));
    await form.getByTestId('over-warning').waitFor();
    await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running' || a.effect?.getTiming().iterations === Infinity));
    await shot(page, path.join(shots, 'capacity-1440-en-order.png'), false);
    await form.getByLabel(s.order.truckloads).fill('1');
    await form.getByTestId('over-warning').waitFor({ state: 'detached' });
    await form.getByRole('button', { name: s.order.place }).click();
    await page.getByTestId('place-order-form').waitFor({ state: 'detached' });
    await expect.poll(() => row.getByTestId('ordered').textContent()).toBe(String(before + 1));
    expect(await row.getByTestId('free').textContent()).toBe(String(week.truckloads - before - 1));
    expect(await ordered()).toBe(before + 1);
    await expect.poll(() => page.getByTestId('order-row').filter({ hasText: account.code }).count()).toBeGreaterThan(0);
    await context.close();
  });

  it('reads well on a phone and in Chinese', async () => {
    const plant = await server.db.kysely.selectFrom('depots').select('id').where('code', '=', 'TZ-PLANT').executeTakeFirstOrThrow();
    const over = await server.db.kysely.selectFrom('capacity_reservations').select('week').where('depot_id', '=', plant.id).where('note', 'is not', null).executeTakeFirstOrThrow();
    for (const [locale, viewport, name] of [['zh-CN', desktop, '1440-zh-CN'], ['en', phone, '390-en'], ['zh-CN', phone, '390-zh-CN']] as const) {
      const { context, page } = await signedIn(locale, viewport);
      await page.goto(`/capacity?depot=${plant.id}&week=${over.week}`);
      await settled(page);
      await page.getByTestId('order-list').waitFor();
      expect(await page.locator('h1').textContent()).toBe(strings[locale].title);
      // Nothing sticks out sideways on a phone.
      expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth), `${name}: horizontal overflow`).toBeLessThanOrEqual(0);
      await expectNoSeriousAxeViolations(page, `capacity ${name}`);
      await shot(page, path.join(shots, `capacity-${name}.png`));
      if (viewport === phone) {
        // The week's orders are below the grid on a phone: picking a week brings them into view.
        const first = page.getByTestId('week-row').first();
        const week = await first.getAttribute('data-week');
        await first.click();
        const orders = page.locator(`[data-testid="week-orders"][data-week="${week}"]`);
        await orders.waitFor();
        await expect.poll(async () => (await orders.boundingBox())?.y ?? 9999).toBeLessThan(phone.height / 2);
        await shot(page, path.join(shots, `capacity-${name}-week.png`), false);
      }
      await context.close();
    }
    expect(consoleErrors).toEqual([]);
  });
});
