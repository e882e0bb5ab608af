import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, chromiumArgs, type E2eServer, expectNoSeriousAxeViolations, hasChromium, reportChromiumMissing, root, signIn, startE2eServer, shot } from './harness.js';

const shots = path.join(root, 'test-results/profile');
const desktop = { width: 1280, height: 900 };
const phone = { width: 390, height: 844 };
const MANAGER = 'manager1@demo.openkam.local';

const text = {
  en: { signOutEverywhere: 'Sign out everywhere', changePassword: 'Change password', cancel: 'Cancel', tokensRevoked: /All your API tokens will be revoked/, current: 'Current password', next: 'New password' },
  'zh-CN': { signOutEverywhere: '退出所有设备', changePassword: '修改密码', cancel: '取消', tokensRevoked: /您的所有接口令牌都将被撤销/, current: '当前密码', next: '新密码' },
} as const;

/** Waits for the modal's opening transition, so the screenshot shows it as a person sees it. */
const settled = (page: Page) => page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'));

reportChromiumMissing('profile: sign out everywhere and password change in Chromium');

describe.skipIf(!hasChromium)('profile: sign out everywhere and password change in Chromium', () => {
  let server: E2eServer;
  let browser: Browser;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    [server, browser] = await Promise.all([startE2eServer(), chromium.launch({ executablePath: CHROMIUM, args: chromiumArgs })]);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    expect(consoleErrors, consoleErrors.join(" | ")).toEqual([]);
  });

  for (const locale of ['en', 'zh-CN'] as const) {
    for (const viewport of [desktop, phone]) {
      it(`says that API tokens will be revoked before the user confirms either action (${locale}, ${viewport.width} px)`, async () => {
        const w = text[locale];
        const { context, page } = await signIn(browser, server, MANAGER, locale, consoleErrors, { viewport });
        const tag = `${locale}-${viewport.width}`;
        await page.goto('/profile');
        await page.getByRole('button', { name: w.signOutEverywhere }).click();
        const dialog = page.getByRole('dialog');
        await expect.poll(() => dialog.innerText()).toMatch(w.tokensRevoked);
        await settled(page);
        await shot(page, path.join(shots, `sign-out-everywhere-${tag}.png`), false);
        await expectNoSeriousAxeViolations(page, `sign-out-everywhere dialog ${tag}`);
        await dialog.locator('button', { hasText: w.cancel }).click();
        await dialog.waitFor({ state: 'detached' });

        await page.getByLabel(w.current, { exact: true }).fill('openkam-demo');
        await page.getByLabel(w.next, { exact: true }).fill('a-much-better-passphrase');
        await page.getByRole('button', { name: w.changePassword }).click();
        await expect.poll(() => dialog.innerText()).toMatch(w.tokensRevoked);
        await settled(page);
        await shot(page, path.join(shots, `change-password-${tag}.png`), false);
        await dialog.locator('button', { hasText: w.cancel }).click();
        await dialog.waitFor({ state: 'detached' });
        await context.close();
      });
    }
  }

  it('tells in Chinese why a common password was refused, and changes nothing', async () => {
    const { context, page } = await signIn(browser, server, MANAGER, 'zh-CN', consoleErrors, { viewport: phone });
    await page.goto('/profile');
    await page.getByLabel('当前密码', { exact: true }).fill('openkam-demo');
    await page.getByLabel('新密码', { exact: true }).fill('HarryPotter');
    await page.getByRole('button', { name: '修改密码' }).click();
    await page.getByRole('dialog').getByRole('button', { name: '修改密码' }).click();
    await page.getByText('这是最常见的密码之一，请换一个。').waitFor();
    // The browser logs the refused request (400) itself; that one is expected.
    consoleErrors.splice(0, consoleErrors.length, ...consoleErrors.filter((e) => !/status of 400/.test(e)));
    expect((await server.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: MANAGER, password: 'openkam-demo' } })).statusCode).toBe(200);
    await context.close();
  });

  it('signs out everywhere only once confirmed, and the API token stops working', async () => {
    const { context, page, csrfToken } = await signIn(browser, server, MANAGER, 'en', consoleErrors, { viewport: desktop });
    const created = await context.request.post('/api/v1/auth/tokens', { data: { name: 'ERP sync', scope: 'read' }, headers: { 'x-csrf-token': csrfToken } });
    const { token } = (await created.json()) as { token: string };
    const bearer = async () => (await server.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { authorization: `Bearer ${token}` } })).statusCode;
    expect(await bearer()).toBe(200);
    await page.goto('/profile');
    await page.getByRole('button', { name: 'Sign out everywhere' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Sign out everywhere' }).click();
    await page.waitForURL(/\/sign-in/);
    expect(await bearer()).toBe(401);
    await context.close();
  });
});
