/**
 * Web benchmark (`npm run bench:web`): in Chromium on the demo world, the time from navigating to
 * the accounts list until its first rows are visible (signed in as a director, several runs,
 * median), and the gzipped size of the JavaScript and CSS the browser loads on that first visit.
 */
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { CHROMIUM, chromiumArgs, hasChromium, noChromiumMessage, startE2eServer } from '../test/e2e/harness.js';
import { DEMO_PASSWORD } from '../test/e2e/e2e-world.js';
import { writeBenchmarkSection } from './report.js';

const RUNS = 7;
const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]!; };

async function main(): Promise<void> {
  if (!hasChromium) {
    process.stdout.write(`${noChromiumMessage}\n`);
    return;
  }
  const server = await startE2eServer();
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: chromiumArgs });
  try {
    const email = 'director1@demo.openkam.local';
    const times: number[] = [];
    let jsGzip = 0;
    let cssGzip = 0;
    let jsFiles = 0;
    let rows = 0;
    for (let run = 0; run < RUNS + 1; run++) {
      const context = await browser.newContext({ baseURL: server.url, viewport: { width: 1440, height: 900 } });
      await context.request.post('/api/v1/auth/login', { data: { email, password: DEMO_PASSWORD } });
      await context.addInitScript(() => localStorage.setItem('openkam.signedIn', '1'));
      const page = await context.newPage();
      const assets: { url: string; type: string }[] = [];
      page.on('response', (r) => {
        const type = r.headers()['content-type'] ?? '';
        if (/javascript|text\/css/.test(type)) assets.push({ url: r.url(), type });
      });
      const t0 = performance.now();
      await page.goto('/accounts');
      await page.getByTestId('account-row').first().waitFor({ state: 'visible' });
      const ms = performance.now() - t0;
      rows = await page.getByTestId('account-row').count();
      if (run > 0) times.push(ms); // the first run warms the server's caches
      else {
        for (const a of assets) {
          const body = await (await context.request.get(a.url)).body();
          const gz = gzipSync(body, { level: 9 }).length;
          if (a.type.includes('css')) cssGzip += gz; else { jsGzip += gz; jsFiles++; }
        }
      }
      await context.close();
    }
    const kb = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
    const md = [
      `Demo world (${server.world}), director1 (a team's accounts), Chromium headless at 1440×900, ${RUNS} runs after one warm-up, each in a fresh browser context (cold HTTP cache).`,
      '',
      '| measure | value |',
      '| --- | --- |',
      `| time to first accounts rows visible, median | ${median(times).toFixed(0)} ms |`,
      `| min / max | ${Math.min(...times).toFixed(0)} / ${Math.max(...times).toFixed(0)} ms |`,
      `| rows on the first page | ${rows} |`,
      `| JavaScript loaded on first visit (gzip -9) | ${kb(jsGzip)} in ${jsFiles} files |`,
      `| CSS loaded on first visit (gzip -9) | ${kb(cssGzip)} |`,
    ].join('\n');
    process.stdout.write(`${md}\n`);
    writeBenchmarkSection('web', 'npm run bench:web', md);
  } finally {
    await browser.close();
    await server.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
