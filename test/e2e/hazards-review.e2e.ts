/** A warning none of whose areas could be used is kept and put in front of a person: badge, hint and the parser's notes. */
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, chromiumArgs, type E2eServer, expectNoSeriousAxeViolations, hasChromium, reportChromiumMissing, root, signIn, startE2eServer, shot } from './harness.js';

const shots = path.join(root, 'test-results/hazards');
const capTemplate = readFileSync(path.join(root, 'test/e2e/fixtures/hazards/taizhou-typhoon.cap.xml'), 'utf8');
const POLYGON = '28.20,121.50 28.20,121.75 28.75,121.75 28.75,121.44 28.20,121.50';

describe.skipIf(!hasChromium)('A warning kept for review, in Chromium', () => {
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
  });

  async function settled(page: Page): Promise<void> {
    await page.locator('h1').first().waitFor();
    await page.waitForLoadState('networkidle');
    await page.waitForFunction(() => !document.querySelector('[role="status"] .mantine-Loader-root'));
  }

  it('flags the warning in the list and explains it in the drawer, at 1280 and 390 px in English and Chinese', async () => {
    const now = new Date();
    const at = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00');
    // The polygon of both languages is unreadable and there is no geocode: nothing to place.
    const cap = capTemplate.replaceAll('{{SENT}}', at(now.getTime() - 60_000)).replaceAll('{{EXPIRES}}', at(now.getTime() + 86_400_000))
      .replaceAll('{{ID}}', `REVIEW-${now.getTime()}`).replaceAll(POLYGON, '28.20,121.50 28.20,121.75 28.75;121.75 28.20,121.50');

    const first = await signIn(browser, server, 'manager1@demo.openkam.local', 'en', consoleErrors, { viewport: { width: 1280, height: 900 } });
    await first.page.goto('/hazards/warnings');
    await settled(first.page);
    const [chooser] = await Promise.all([first.page.waitForEvent('filechooser'), first.page.getByTestId('upload-cap').click()]);
    await chooser.setFiles({ name: 'no-area.cap.xml', mimeType: 'application/cap+xml', buffer: Buffer.from(cap) });
    await first.page.getByTestId('upload-result').waitFor();
    expect(await first.page.getByTestId('upload-result').innerText()).toMatch(/1 warning stored[\s\S]*No usable area: needs review/);
    await first.context.close();

    for (const locale of ['en', 'zh-CN'] as const) {
      for (const viewport of [{ width: 1280, height: 900 }, { width: 390, height: 844 }]) {
        const { context, page } = await signIn(browser, server, 'manager1@demo.openkam.local', locale, consoleErrors, { viewport });
        await page.goto('/hazards/warnings');
        await settled(page);
        const row = page.getByTestId('warning-row').filter({ has: page.getByTestId('needs-review') });
        await row.waitFor();
        expect(await row.getByTestId('needs-review').textContent()).toBe(locale === 'en' ? 'Needs review: no usable area' : '需人工审核：无可用区域');
        // Only the kept-for-review warning carries the badge.
        expect(await page.getByTestId('needs-review').count()).toBe(1);
        await shot(page, path.join(shots, `warnings-review-${locale}-${viewport.width}.png`));
        await row.click();
        await page.getByTestId('needs-review-detail').waitFor();
        await page.getByTestId('alert-reading-notes').waitFor();
        const notes = await page.getByTestId('alert-reading-notes').innerText();
        expect(notes).toContain('/alert/info[0]/area[0]/polygon[0]');
        expect(notes).toMatch(locale === 'en' ? /Polygon not readable[\s\S]*No usable area: needs review/ : /多边形无法读取[\s\S]*无可用区域：需人工审核/);
        await shot(page, path.join(shots, `warning-review-drawer-${locale}-${viewport.width}.png`), false);
        if (locale === 'en' && viewport.width === 1280) await expectNoSeriousAxeViolations(page, 'warning drawer kept for review');
        await context.close();
      }
    }
    expect(consoleErrors, consoleErrors.join(" | ")).toEqual([]);
  }, 180_000);
});

reportChromiumMissing('A warning kept for review, in Chromium');
