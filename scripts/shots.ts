/**
 * Screenshots of pages for a person to look at: `tsx scripts/shots.ts BASE_URL OUT_DIR EMAIL PATH…`
 * (desktop 1440 and phone 390 px, English and Chinese). Not part of the tests.
 */
import { chromium } from 'playwright-core';

const [base, out, email, ...paths] = process.argv.slice(2);
if (!base || !out || !email || !paths.length) throw new Error('usage: shots.ts BASE_URL OUT_DIR EMAIL PATH…');
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-background-networking'] });
for (const lang of ['en', 'zh-CN']) {
  for (const [w, h] of [[1440, 900], [390, 844]] as const) {
    const ctx = await browser.newContext({ viewport: { width: w, height: h }, locale: lang, timezoneId: 'Asia/Shanghai' });
    const page = await ctx.newPage();
    const login = await page.request.post(`${base}/api/v1/auth/login`, { data: { email, password: 'openkam-demo' } });
    if (!login.ok()) throw new Error(`login failed: ${login.status()}`);
    // The user's own locale decides the language: set it as the language switch would.
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    await page.request.patch(`${base}/api/v1/auth/me`, { data: { locale: lang }, headers: { 'x-csrf-token': csrfToken } });
    await page.addInitScript((l) => { localStorage.setItem('openkam.signedIn', '1'); localStorage.setItem('openkam.locale', l); }, lang);
    for (const p of paths) {
      await page.goto(`${base}${p}`, { waitUntil: 'networkidle' });
      await page.waitForFunction(() => !document.querySelector('[role=status]'), undefined, { timeout: 15_000 }).catch(() => undefined);
      const name = `${out}/${p.replace(/[^a-z0-9]+/gi, '_')}-${lang}-${w}.png`;
      await page.screenshot({ path: name, fullPage: true });
      process.stdout.write(`${name}\n`);
    }
    await ctx.close();
  }
}
await browser.close();
