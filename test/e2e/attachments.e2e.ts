import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import enModule from '../../src/modules/attachments/web/i18n.en.json' with { type: 'json' };
import zhModule from '../../src/modules/attachments/web/i18n.zh-CN.json' with { type: 'json' };
import en from '../../src/web/i18n/en.json' with { type: 'json' };
import { CHROMIUM, chromiumArgs, type E2eServer, expectNoSeriousAxeViolations, hasChromium, reportChromiumMissing, root, signIn, startE2eServer, shot } from './harness.js';

const shots = path.join(root, 'test-results/attachments');
const desktop = { width: 1440, height: 900 };
const phone = { width: 390, height: 844 };
const strings = { en: enModule.attachments, 'zh-CN': zhModule.attachments } as const;
const MANAGER = 'manager1@demo.openkam.local';
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');

reportChromiumMissing('attachments on the account page in Chromium');

describe.skipIf(!hasChromium)('attachments on the account page in Chromium', () => {
  let server: E2eServer;
  let browser: Browser;
  let accountId: string;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    [server, browser] = await Promise.all([startE2eServer({ OPENKAM_ATTACHMENT_MAX_MB: '1' }), chromium.launch({ executablePath: CHROMIUM, args: chromiumArgs })]);
    const k = server.db.kysely;
    const manager = await k.selectFrom('users').select('id').where('email', '=', MANAGER).executeTakeFirstOrThrow();
    accountId = (await k.selectFrom('accounts').select('id').where('owner_id', '=', manager.id).orderBy('code').executeTakeFirstOrThrow()).id;
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const rows = (page: Page) => page.getByTestId('attachment-row');
  const choose = (page: Page, files: { name: string; mimeType: string; buffer: Buffer }[]) => page.locator('input[type=file]').setInputFiles(files);

  it('lets a manager attach files, says why one is refused, downloads the same bytes and deletes after asking', async () => {
    const s = strings.en;
    const { context, page } = await signIn(browser, server, MANAGER, 'en', consoleErrors, { viewport: desktop });
    await page.goto(`/accounts/${accountId}?tab=attachments`);
    await page.getByText(s.empty).waitFor();

    await choose(page, [
      { name: '2026 年度经销合同.pdf', mimeType: 'application/pdf', buffer: PDF },
      { name: 'logo.svg', mimeType: 'image/svg+xml', buffer: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>') },
      { name: 'scan.pdf', mimeType: 'application/pdf', buffer: Buffer.alloc(1024 ** 2 + 1, 'x') },
    ]);
    const row = rows(page).filter({ hasText: '2026 年度经销合同.pdf' });
    await row.waitFor();
    expect(await row.innerText()).toContain(s.types.pdf);
    // The refused ones stay in the upload list with the reason, until dismissed.
    const failed = page.locator('[data-testid=attachment-upload][data-state=failed]');
    await expect.poll(() => failed.count()).toBe(2);
    expect(await failed.filter({ hasText: 'logo.svg' }).innerText()).toContain(s.errors.refused.markup);
    expect(await failed.filter({ hasText: 'scan.pdf' }).innerText()).toContain(s.errors.tooLarge.replace('{{max}}', '1 MB'));
    await shot(page, path.join(shots, 'refused-en-1440.png'));
    // The shell's "attached" notification (its close button is the shell's) is gone before the check.
    await page.locator('.mantine-Notification-root').waitFor({ state: 'detached', timeout: 10_000 });
    await expectNoSeriousAxeViolations(page, 'attachments tab with refused uploads');
    await page.getByRole('button', { name: s.dismiss.replace('{{name}}', 'logo.svg') }).click();
    await expect.poll(() => failed.count()).toBe(1);
    expect(await server.db.kysely.selectFrom('account_attachments').select('file_name').execute()).toEqual([{ file_name: '2026 年度经销合同.pdf' }]);

    const href = await row.getByRole('link', { name: s.downloadNamed.replace('{{name}}', '2026 年度经销合同.pdf') }).getAttribute('href');
    const dl = await context.request.get(href!);
    expect(Buffer.from(await dl.body()).equals(PDF)).toBe(true);
    expect(dl.headers()['content-disposition']).toContain("filename*=UTF-8''2026%20%E5%B9%B4");

    // The upload is on the timeline.
    await page.getByRole('tab', { name: en.account.tabs.timeline }).click();
    await page.getByTestId('timeline-item').filter({ hasText: s.timeline.uploaded.replace('{{name}}', '2026 年度经销合同.pdf') }).waitFor();

    await page.getByRole('tab', { name: s.tab }).click();
    await row.getByRole('button', { name: s.deleteNamed.replace('{{name}}', '2026 年度经销合同.pdf') }).click();
    const dialog = page.getByRole('dialog');
    expect(await dialog.innerText()).toContain(s.deleteBody.replace('{{name}}', '2026 年度经销合同.pdf'));
    await dialog.getByTestId('confirm-delete').click();
    await page.getByText(s.empty).waitFor();
    expect(await server.db.kysely.selectFrom('account_attachments').selectAll().execute()).toEqual([]);
    await context.close();
  }, 60_000);

  it('shows the tab at 1440 and 390 px in English and Chinese; an executive reads and downloads but neither uploads nor deletes', async () => {
    const { context, page } = await signIn(browser, server, MANAGER, 'en', consoleErrors, { viewport: desktop });
    await page.goto(`/accounts/${accountId}?tab=attachments`);
    await choose(page, [{ name: '仓库照片.pdf', mimeType: 'application/pdf', buffer: PDF }]);
    await rows(page).first().waitFor();
    await context.close();
    for (const locale of ['en', 'zh-CN'] as const) {
      for (const viewport of [desktop, phone]) {
        const { context: c, page: p } = await signIn(browser, server, MANAGER, locale, consoleErrors, { viewport });
        await p.goto(`/accounts/${accountId}?tab=attachments`);
        await rows(p).first().waitFor();
        expect(await p.getByRole('button', { name: strings[locale].choose }).count()).toBe(1);
        await shot(p, path.join(shots, `tab-${locale}-${viewport.width}.png`));
        await expectNoSeriousAxeViolations(p, `attachments tab ${locale} ${viewport.width}`);
        await c.close();
      }
    }
    const exec = await signIn(browser, server, 'exec@demo.openkam.local', 'en', consoleErrors, { viewport: desktop });
    await exec.page.goto(`/accounts/${accountId}?tab=attachments`);
    await rows(exec.page).first().waitFor();
    expect(await exec.page.getByRole('button', { name: strings.en.choose }).count()).toBe(0);
    expect(await exec.page.getByRole('button', { name: strings.en.deleteNamed.replace('{{name}}', '仓库照片.pdf') }).count()).toBe(0);
    expect(await exec.page.getByRole('link', { name: strings.en.downloadNamed.replace('{{name}}', '仓库照片.pdf') }).count()).toBe(1);
    await exec.context.close();
    // The one refused upload (the SVG) is the browser's 415; the oversized file was never sent.
    expect(consoleErrors.filter((e) => !/status of 415/.test(e))).toEqual([]);
    expect(consoleErrors.filter((e) => /status of 415/.test(e))).toHaveLength(1);
  }, 120_000);
});
