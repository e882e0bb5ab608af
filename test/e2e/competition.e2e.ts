/**
 * Competition, end to end on the demo world: manager1 records a competitor's price on the phone at a
 * key account, sees the undercut alert, opens the comparison, records the offer and a decision and
 * later its outcome; the prices by month and on the map, and the account's Competition tab, on a
 * desk in English. The demo's price lists give the list price and the break discount, the services
 * delivered their cost; the competitor offers a fifth less than the pocket price that makes.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiAs, CHROMIUM, chromiumArgs, type E2eServer, expectNoSeriousAxeViolations, hasChromium, root, shot, signIn, startE2eServer } from './harness.js';

const shots = path.join(root, 'test-results/competition');
const desktop = { width: 1440, height: 900 };
const phone = { width: 390, height: 844 };
const MANAGER = 'manager1@demo.openkam.local';

describe.skipIf(!hasChromium)('competition: a competitor price from the phone to a decision on the offer', () => {
  let server: E2eServer;
  let browser: Browser;
  const errors: string[] = [];
  const world = {} as { accountId: string; productId: string; sku: string; pocket: number; offer: number; offerId: string };

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    [server, browser] = await Promise.all([startE2eServer(), chromium.launch({ executablePath: CHROMIUM, args: chromiumArgs })]);
    const asManager = await apiAs(server, MANAGER);
    const me = await asManager<{ id: string }>('/api/v1/auth/me');
    const accounts = await asManager<{ items: { id: string; tier: string | null; ownerId: string | null }[] }>('/api/v1/accounts?limit=200');
    world.accountId = (accounts.items.find((a) => a.ownerId === me.id && a.tier === 'A') ?? accounts.items.find((a) => a.ownerId === me.id)!).id;
    // The bagged product the account buys most of (its forecast and margin are then real).
    const lines = await asManager<{ items: { productId: string; sku: string; quantity: number }[] }>(`/api/v1/sales-lines?accountId=${world.accountId}&limit=200`);
    const bySku = new Map<string, { id: string; n: number }>();
    for (const l of lines.items) bySku.set(l.sku, { id: l.productId, n: (bySku.get(l.sku)?.n ?? 0) + l.quantity });
    const [sku, top] = [...bySku.entries()].sort((a, b) => Number(b[0].endsWith('-B50')) - Number(a[0].endsWith('-B50')) || b[1].n - a[1].n)[0]!;
    world.sku = sku;
    world.productId = top.id;
    world.pocket = (await asManager<{ pocketPerUnitMinor: number }>(`/api/v1/accounts/${world.accountId}/waterfall?productId=${top.id}`)).pocketPerUnitMinor;
    // The competitor's price a bag: a fifth under ours, in whole fen.
    world.offer = Math.floor(world.pocket * 0.8);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    expect(errors, errors.join('\n')).toEqual([]);
  });

  const as = async (email: string, locale: 'en' | 'zh-CN', viewport = desktop): Promise<Page> =>
    (await signIn(browser, server, email, locale, errors, { viewport, timezoneId: 'Asia/Shanghai' })).page;

  it('records a competitor price per ton on the phone and raises the undercut alert', async () => {
    const page = await as(MANAGER, 'zh-CN', phone);
    await page.goto(`/accounts/${world.accountId}?tab=competition`);
    await page.getByTestId('record-competitor-price').click();
    await page.waitForURL((u) => u.pathname === '/competition/record');
    const form = page.getByTestId('record-form');
    await form.getByTestId('record-product').click();
    await page.getByRole('option', { name: new RegExp(world.sku) }).click();
    await form.getByTestId('record-competitor').fill('海螺水泥');
    await form.getByTestId('record-competitor-product').fill('海螺 P.O 42.5 袋装');
    // A price a ton, 20 of our bags to the ton: the offer a bag × 20.
    const share = (Math.round(((world.pocket - world.offer) * 10_000) / world.pocket) / 100).toString();
    await form.getByTestId('record-price').fill(((world.offer * 20) / 100).toFixed(2));
    await form.getByTestId('record-unit').fill('吨');
    await form.getByTestId('record-our-units').fill('20');
    await shot(page, path.join(shots, 'record-zh-CN-390.png'));
    await expectNoSeriousAxeViolations(page, 'record form');
    await form.getByTestId('record-submit').click();
    const alert = page.getByTestId('undercut-alert');
    await alert.waitFor();
    expect(await alert.innerText()).toContain(share);
    await shot(page, path.join(shots, 'recorded-alert-zh-CN-390.png'));
    await expectNoSeriousAxeViolations(page, 'recorded with alert');

    // The comparison, from the alert: matching, the services, the margin at risk; then the offer.
    await page.getByTestId('open-compare').click();
    await page.waitForURL((u) => u.pathname === '/competition/compare');
    await page.getByTestId('compare-submit').click();
    const comparison = page.getByTestId('comparison');
    await comparison.waitFor();
    expect(await page.getByTestId('cut').innerText()).toContain(((world.pocket - world.offer) / 100).toFixed(2));
    const text = await comparison.innerText();
    expect(text).not.toMatch(/\{\{|\}\}|competition\./);
    await page.getByTestId('waterfall').locator('svg').first().waitFor();
    await shot(page, path.join(shots, 'compare-zh-CN-390.png'));
    await expectNoSeriousAxeViolations(page, 'comparison on the phone');
    await page.getByTestId('record-offer').click();
    await page.waitForURL((u) => u.pathname.startsWith('/competition/offers/'));
    world.offerId = page.url().split('/').pop()!;
    await page.getByTestId('decision-form').waitFor();
    await page.getByTestId('decision-submit').click();
    await page.getByTestId('outcome-form').waitFor();
    await shot(page, path.join(shots, 'offer-decided-zh-CN-390.png'));
    await page.context().close();

    const offer = await (await apiAs(server, MANAGER))<{ decision: string | null; recommendation: string }>(`/api/v1/competitor-offers/${world.offerId}`);
    expect(offer.decision).toBe(offer.recommendation === 'hold' ? 'decline' : offer.recommendation);
  });

  it('shows the alert on the day and the account tab, and records the outcome on a desk in English', async () => {
    const page = await as(MANAGER, 'en');
    await page.goto('/');
    const item = page.getByTestId('my-day').locator('[data-testid="agenda-item"][data-kind="undercut-alert"]').first();
    await item.waitFor();
    expect(await item.innerText()).not.toMatch(/\{\{|\}\}|competition\./);
    await page.goto(`/competition/offers/${world.offerId}`);
    await page.getByTestId('outcome-submit').click();
    await page.getByTestId('offer-outcome').waitFor();
    await shot(page, path.join(shots, 'offer-en-1440.png'));
    await expectNoSeriousAxeViolations(page, 'offer page');
    await page.goto(`/accounts/${world.accountId}?tab=competition`);
    await page.getByTestId('account-alerts').waitFor();
    await shot(page, path.join(shots, 'account-tab-en-1440.png'));
    await expectNoSeriousAxeViolations(page, 'account competition tab');
    const before = await page.getByTestId('account-alerts').getByTestId('alert-row').count();
    await page.getByTestId('account-alerts').getByTestId('alert-acknowledge').first().click();
    await expect.poll(() => page.getByTestId('alert-row').count()).toBe(before - 1);
    await page.getByTestId('account-waterfall').locator('svg').first().waitFor();
    expect(await page.getByTestId('missing-freight').innerText()).toContain('not yet recorded');
    await page.context().close();
  });

  it('shows competitor prices by month and on the province map, on a desk and a phone', async () => {
    for (const [locale, viewport, name] of [['en', desktop, 'en-1440'], ['zh-CN', phone, 'zh-CN-390']] as const) {
      const page = await as(MANAGER, locale, viewport);
      await page.goto('/competition');
      await page.getByTestId('trend').locator('svg').first().waitFor();
      await page.getByTestId('region-map').locator('path.leaflet-interactive').first().waitFor();
      await shot(page, path.join(shots, `prices-${name}.png`));
      await expectNoSeriousAxeViolations(page, `competitor prices ${name}`);
      await page.context().close();
    }
  });
});
