/**
 * VMI end to end on the demo world (issue 17): on a 390 px phone manager1 counts a VMI dealer's
 * stock during the visit — with no connection, so the count waits in the phone's outbox and goes
 * when the connection is back — reviews the order the count drafted, changes a line with a reason
 * and sends it; the dealer signs it in the portal on its phone (the signature's time and hash
 * shown); the signed order is then an open delivery order line, in transit on the account's
 * Inventory tab and in the open orders of its Delivery tab (linked back to the VMI order). Last, each VMI page on desktop and phone, in English and Chinese, for a person
 * to look at (test-results/vmi).
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiAs, CHROMIUM, chromiumArgs, type E2eServer, hasChromium, reportChromiumMissing, root, shot, signIn, startE2eServer } from './harness.js';

const shots = path.join(root, 'test-results/vmi');
const desktop = { width: 1280, height: 900 };
const phone = { width: 390, height: 844 };
const MANAGER = 'manager1@demo.openkam.local';

type Summary = { id: string; number: string; accountId: string; status: string };

reportChromiumMissing('vmi: a stock count on the phone, an order sent and signed');

describe.skipIf(!hasChromium)('vmi: on a phone the rep counts stock and sends the order; the dealer signs it; it becomes a delivery order', { timeout: 120_000 }, () => {
  let server: E2eServer;
  let browser: Browser;
  const errors: string[] = [];
  const world = {} as { accountId: string; code: string; dealer: string; draftId: string; number: string; sku: string };

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    [server, browser] = await Promise.all([startE2eServer(), chromium.launch({ executablePath: CHROMIUM, args: chromiumArgs })]);
    // The demo world's VMI dealer with a portal sign-in: its week's order was sent and waits for a signature.
    const asManager = await apiAs(server, MANAGER);
    const sent = await asManager<{ items: Summary[] }>('/api/v1/vmi/drafts?status=sent&limit=50');
    expect(sent.items.length, 'the demo world has a VMI order waiting for a signature').toBeGreaterThan(0);
    world.accountId = sent.items[0]!.accountId;
    const account = await asManager<{ code: string }>(`/api/v1/accounts/${world.accountId}`);
    world.code = account.code;
    world.dealer = `dealer-${account.code.toLowerCase()}@demo.openkam.local`;
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function as(email: string, locale: 'en' | 'zh-CN', viewport = desktop): Promise<{ page: Page; context: BrowserContext }> {
    return signIn(browser, server, email, locale, errors, { viewport, timezoneId: 'Asia/Shanghai' });
  }

  it('counts on the phone without a connection, sends when back, and sends the drafted order with a changed line', async () => {
    const { page, context } = await as(MANAGER, 'zh-CN', phone);
    await page.goto(`/accounts/${world.accountId}?tab=inventory`);
    await page.getByTestId('vmi-stock-table').waitFor();
    await page.getByTestId('vmi-count-link').click();
    const rows = page.getByTestId('vmi-count-row');
    await rows.first().waitFor();
    expect(await rows.count()).toBeGreaterThan(0);

    // The connection drops in the warehouse: the count is kept on the phone.
    await context.setOffline(true);
    const inputs = page.locator('input[data-testid^="vmi-count-input-"]');
    world.sku = (await inputs.first().getAttribute('data-testid'))!.replace('vmi-count-input-', '');
    await inputs.first().fill('3');
    await inputs.first().press('Enter'); // Enter moves to the next product
    if ((await inputs.count()) > 1) await page.keyboard.type('250');
    await page.getByTestId('vmi-count-save').click();
    await expect.poll(() => page.getByTestId('vmi-outbox-waiting').textContent()).toContain('等待发送（1）');
    await page.getByTestId('vmi-offline').waitFor();
    await shot(page, path.join(shots, 'count-offline-phone-zh-CN.png'));
    const queued = await page.evaluate(() => JSON.parse(localStorage.getItem('openkam.vmi.outbox') ?? '[]') as { clientId: string; state: string }[]);
    expect(queued.map((e) => e.state)).toEqual(['waiting']);

    // Back online: the outbox sends it, once, and the server drafts this week's order from it.
    await context.setOffline(false);
    await page.getByTestId('vmi-outbox-sent').waitFor({ timeout: 20_000 });
    const counts = await server.db.kysely.selectFrom('dealer_stock_reports').select(['on_hand']).where('account_id', '=', world.accountId).where('source', '=', 'count').execute();
    expect(counts.length).toBe(Math.min(2, await inputs.count()));
    expect(counts.map((c) => c.on_hand)).toContain(3);
    await shot(page, path.join(shots, 'count-sent-phone-zh-CN.png'));
    await page.getByTestId('vmi-review-draft').click();
    await page.waitForURL(/\/vmi\/drafts\//);
    world.draftId = page.url().split('/vmi/drafts/')[1]!.split(/[?#]/)[0]!;
    const draft = await (await apiAs(server, MANAGER))<{ number: string; status: string; lines: { sku: string; quantity: number; packUnits: number }[] }>(`/api/v1/vmi/drafts/${world.draftId}`);
    expect(draft.status).toBe('draft');
    world.number = draft.number;

    // Change the first line by one pack, for a reason; "other" would need a note.
    const line = page.getByTestId('vmi-line').first();
    await line.waitFor();
    const before = draft.lines[0]!;
    await line.getByTestId('vmi-line-edit').click();
    await line.getByTestId('vmi-edit-quantity').fill(String(before.quantity + before.packUnits));
    await line.getByTestId('vmi-edit-save').click();
    await line.getByText('请选择修改原因。').waitFor();
    await line.getByTestId('vmi-edit-reason').click();
    await page.getByRole('option', { name: '经销商要求' }).click();
    await line.getByTestId('vmi-edit-save').click();
    await expect.poll(() => line.getByTestId('vmi-line-quantity').textContent()).toContain(new Intl.NumberFormat('zh-CN').format(before.quantity + before.packUnits));
    await line.getByText('经销商要求').waitFor();
    await shot(page, path.join(shots, 'draft-edited-phone-zh-CN.png'));

    await page.getByTestId('vmi-send').click();
    await page.getByTestId('vmi-send-confirm').click();
    await page.locator('[data-testid="vmi-status"][data-status="sent"]').waitFor();
    await page.getByTestId('vmi-expires').waitFor();
    await shot(page, path.join(shots, 'draft-sent-phone-zh-CN.png'));
    await context.close();
  });

  it('the dealer signs the order on its phone and sees when and the signature\'s hash', async () => {
    const { page, context } = await as(world.dealer, 'en', phone);
    await page.goto('/');
    // The dealer's menu: on a phone behind the navigation button.
    await page.getByRole('button', { name: 'Open navigation' }).click();
    await page.getByRole('link', { name: 'Orders to sign' }).first().click();
    const card = page.getByTestId('vmi-portal-order').filter({ hasText: world.number });
    await card.waitFor();
    await shot(page, path.join(shots, 'portal-orders-phone-en.png'));
    await card.getByRole('link', { name: world.number }).click();
    await page.getByTestId('vmi-portal-expires').waitFor();
    await page.getByTestId('vmi-sign').click();
    await page.getByTestId('vmi-sign-confirm').click();
    const signature = page.getByTestId('vmi-portal-signature');
    await signature.waitFor();
    expect(await page.getByTestId('vmi-signature-hash').textContent()).toMatch(/^[0-9a-f]{64}$/);
    expect(await signature.textContent()).toContain(world.number);
    // Nothing internal on the dealer's page: no why text, no notes, no edit history.
    const text = (await page.locator('main').textContent()) ?? '';
    expect(text).not.toMatch(/Why this quantity|Notes \(internal\)|Dealer asked for it/);
    await shot(page, path.join(shots, 'portal-signed-phone-en.png'));
    await context.close();
  });

  it('the signed order is an open delivery order line, in transit on the account\'s Inventory tab', async () => {
    const lines = await server.db.kysely.selectFrom('order_lines').select(['order_no', 'status', 'quantity']).where('account_id', '=', world.accountId).where('order_no', '=', world.number).execute();
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((l) => l.status === 'open')).toBe(true);
    const { page, context } = await as(MANAGER, 'en', phone);
    await page.goto(`/accounts/${world.accountId}?tab=inventory`);
    await page.getByTestId('vmi-transit-order').filter({ hasText: world.number }).first().waitFor();
    const row = page.getByTestId('vmi-order-row').filter({ hasText: world.number });
    await row.locator('[data-testid="vmi-status"][data-status="signed"]').waitFor();
    expect(await row.textContent()).toContain(`order ${world.number}`);
    await shot(page, path.join(shots, 'inventory-after-phone-en.png'));
    await context.close();
  });

  it('the signed order is in the account\'s open orders on its Delivery tab, linked to the VMI order', async () => {
    for (const locale of ['en', 'zh-CN'] as const) {
      for (const [size, viewport] of [['desktop', desktop], ['phone', phone]] as const) {
        const { page, context } = await as(MANAGER, locale, viewport);
        await page.goto(`/accounts/${world.accountId}?tab=delivery`);
        const card = page.getByTestId('open-orders');
        await card.getByTestId('open-orders-table').waitFor();
        const row = card.locator(size === 'phone' ? '[data-testid="open-orders-line"]' : 'tr').filter({ hasText: world.number });
        expect(await row.count()).toBeGreaterThan(0);
        const link = row.first().getByRole('link', { name: new RegExp(world.number) });
        expect(await link.getAttribute('href')).toBe(`/vmi/drafts/${world.draftId}`);
        expect(await row.first().textContent()).toContain(locale === 'en' ? 'VMI order' : 'VMI 订单');
        await page.waitForLoadState('networkidle');
        await card.scrollIntoViewIfNeeded();
        await shot(page, path.join(shots, `delivery-open-orders-${size}-${locale}.png`), false);
        if (locale === 'en' && size === 'desktop') {
          await link.click();
          await page.waitForURL(new RegExp(`/vmi/drafts/${world.draftId}`));
          await page.locator('[data-testid="vmi-status"][data-status="signed"]').first().waitFor();
        }
        await context.close();
      }
    }
  });

  it('the delivery dashboard lists the open orders of every account the reader sees, with the dealer', async () => {
    // Every open line of the demo world, as logistics sees them: one page and the count.
    const asLogistics = await apiAs(server, 'logistics@demo.openkam.local');
    const all = await asLogistics<{ items: { orderNo: string }[]; total: number }>('/api/v1/delivery/open-lines?limit=20');
    expect(all.total).toBeGreaterThan(0);
    for (const [locale, size, viewport] of [['en', 'desktop', desktop], ['zh-CN', 'phone', phone]] as const) {
      const { page, context } = await as(MANAGER, locale, viewport);
      await page.goto('/delivery');
      const card = page.getByTestId('open-orders');
      await card.getByTestId('open-orders-table').waitFor();
      await page.waitForLoadState('networkidle');
      await card.scrollIntoViewIfNeeded();
      await shot(page, path.join(shots, `delivery-dashboard-open-orders-${size}-${locale}.png`), false);
      await context.close();
    }
  });

  it('shows each VMI page on desktop and phone, in English and Chinese, without errors', async () => {
    for (const locale of ['en', 'zh-CN'] as const) {
      for (const [size, viewport] of [['desktop', desktop], ['phone', phone]] as const) {
        const { page, context } = await as(MANAGER, locale, viewport);
        await page.goto('/vmi');
        await page.getByTestId('vmi-waiting-draft').waitFor();
        await page.waitForLoadState('networkidle');
        await shot(page, path.join(shots, `board-${size}-${locale}.png`));
        await page.goto(`/accounts/${world.accountId}?tab=inventory`);
        await page.getByTestId('vmi-replay').waitFor();
        await page.waitForLoadState('networkidle');
        await shot(page, path.join(shots, `inventory-${size}-${locale}.png`));
        await page.goto(`/vmi/drafts/${world.draftId}`);
        await page.getByTestId('vmi-line').first().waitFor();
        await shot(page, path.join(shots, `draft-${size}-${locale}.png`));
        await page.goto(`/vmi/accounts/${world.accountId}/count`);
        await page.getByTestId('vmi-count-row').first().waitFor();
        await shot(page, path.join(shots, `count-${size}-${locale}.png`), false);
        await context.close();
        const dealer = await as(world.dealer, locale, viewport);
        await dealer.page.goto('/portal/vmi/orders');
        await dealer.page.getByTestId('vmi-portal-order').first().waitFor();
        await shot(dealer.page, path.join(shots, `portal-orders-${size}-${locale}.png`));
        const waiting = await (await apiAs(server, world.dealer))<{ items: Summary[] }>('/api/v1/portal/vmi/orders');
        const open = waiting.items.find((o) => o.status === 'sent') ?? waiting.items[0]!;
        await dealer.page.goto(`/portal/vmi/orders/${open.id}`);
        await dealer.page.getByTestId('vmi-portal-expires').waitFor();
        if (open.status === 'sent') await dealer.page.getByTestId('vmi-sign-mode').getByText(locale === 'en' ? 'Change' : '修改').click();
        await shot(dealer.page, path.join(shots, `portal-sign-${size}-${locale}.png`));
        await dealer.context.close();
      }
    }
    // The browser reports the sends that failed while the phone was offline (the outbox's point): those only.
    expect(errors.filter((e) => !e.includes('net::ERR_INTERNET_DISCONNECTED'))).toEqual([]);
  });

  it('the rep cancels an order on the phone, with a reason, after confirming', async () => {
    const asManager = await apiAs(server, MANAGER);
    const open = [...(await asManager<{ items: Summary[] }>('/api/v1/vmi/drafts?status=draft&limit=50')).items, ...(await asManager<{ items: Summary[] }>('/api/v1/vmi/drafts?status=sent&limit=50')).items]
      .find((d) => d.id !== world.draftId);
    expect(open, 'the demo world has another open VMI order').toBeDefined();
    const { page, context } = await as(MANAGER, 'zh-CN', phone);
    await page.goto(`/vmi/drafts/${open!.id}`);
    await page.getByTestId('vmi-cancel').click();
    await page.getByTestId('vmi-cancel-confirm').click();
    await page.getByText('请说明取消订单的原因。').waitFor();
    await page.getByTestId('vmi-cancel-reason').fill('经销商仓库本周盘点，暂停收货');
    await shot(page, path.join(shots, 'draft-cancel-phone-zh-CN.png'), false);
    await page.getByTestId('vmi-cancel-confirm').click();
    await page.locator('[data-testid="vmi-status"][data-status="cancelled"]').first().waitFor();
    expect(await page.getByTestId('vmi-cancelled').textContent()).toContain('经销商仓库本周盘点');
    await expect.poll(() => page.getByTestId('vmi-cancel').count()).toBe(0);
    const after = await asManager<{ status: string; cancelReason: string | null }>(`/api/v1/vmi/drafts/${open!.id}`);
    expect(after).toMatchObject({ status: 'cancelled', cancelReason: '经销商仓库本周盘点，暂停收货' });
    await context.close();
    expect(errors.filter((e) => !e.includes('net::ERR_INTERNET_DISCONNECTED'))).toEqual([]);
  });
});
