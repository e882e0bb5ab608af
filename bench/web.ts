/**
 * Web benchmark (`npm run bench:web`), in Chromium on the full demo world as `npm start` seeds it,
 * on a Thursday morning (manager1's route along the typhoon-warned coast):
 * - cold load of a key account's page until its header figures and timeline are in the page (manager1,
 *   each run in a fresh browser context, so no HTTP cache), p95;
 * - the my-day API for manager1, p95 over many calls on one session;
 * - the time to the accounts list's first rows (director1), median;
 * - the gzipped JavaScript and CSS loaded on a first visit.
 */
import { gzipSync } from 'node:zlib';
import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM, chromiumArgs, type E2eServer, hasChromium, noChromiumMessage, startE2eServer } from '../test/e2e/harness.js';
import { DEMO_PASSWORD, nextThursdayMorning } from '../test/e2e/e2e-world.js';
import { writeBenchmarkSection } from './report.js';

const PAGE_RUNS = 20;
const API_RUNS = 200;
const quantile = (xs: number[], q: number) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]!; };
const ms = (x: number) => `${x.toFixed(0)} ms`;

/** Runs `once` a warm-up time and then `runs` times in fresh, signed-in browser contexts; the times. */
async function coldLoads(browser: Browser, server: E2eServer, email: string, runs: number, once: (page: import('playwright-core').Page) => Promise<number | void>, now: Date) {
  const times: number[] = [];
  for (let run = 0; run < runs + 1; run++) {
    const context = await browser.newContext({ baseURL: server.url, viewport: { width: 1440, height: 900 }, timezoneId: 'Asia/Shanghai' });
    await context.clock.install({ time: now });
    await context.request.post('/api/v1/auth/login', { data: { email, password: DEMO_PASSWORD } });
    await context.addInitScript(() => localStorage.setItem('openkam.signedIn', '1'));
    const page = await context.newPage();
    const t0 = performance.now();
    // The page's own clock when it can tell (from navigation start), else the time seen from here.
    const inPage = await once(page);
    const took = typeof inPage === 'number' ? inPage : performance.now() - t0;
    if (run > 0) times.push(took); // the first run warms the server's caches
    await context.close();
  }
  return times;
}

async function main(): Promise<void> {
  if (!hasChromium) {
    process.stdout.write(`${noChromiumMessage}\n`);
    return;
  }
  const morning = nextThursdayMorning(new Date());
  const offset = morning.getTime() - Date.now();
  const clock = { now: () => new Date(Date.now() + offset) };
  const t0 = performance.now();
  const server = await startE2eServer({}, { clock, scale: 'full' });
  const seedMs = performance.now() - t0;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: chromiumArgs });
  try {
    const k = server.db.kysely;
    const counts = { accounts: Number((await k.selectFrom('accounts').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n),
      lines: Number((await k.selectFrom('sales_lines').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n) };

    // The key account: manager1's first A-tier account by code, with the most timeline events of theirs.
    const manager = await k.selectFrom('users').select('id').where('email', '=', 'manager1@demo.openkam.local').executeTakeFirstOrThrow();
    const key = await k.selectFrom('accounts').select(['id', 'code']).where('owner_id', '=', manager.id).where('tier', '=', 'A').orderBy('code').executeTakeFirstOrThrow();
    const account = await coldLoads(browser, server, 'manager1@demo.openkam.local', PAGE_RUNS, async (page) => {
      // When the header's first figure and the first timeline event enter the page, on the page's
      // clock from the start of navigation: what the person sees, without the test driver's latency.
      await page.addInitScript(() => {
        const seen: Record<string, number> = {};
        (window as unknown as { __seen: Record<string, number> }).__seen = seen;
        new MutationObserver(() => {
          if (!seen.fact && document.querySelector('[data-testid="account-facts"] .ok-fact')) seen.fact = performance.now();
          if (!seen.timeline && document.querySelector('[data-testid="timeline-item"]')) seen.timeline = performance.now();
        }).observe(document, { subtree: true, childList: true });
      });
      await page.goto(`/accounts/${key.id}`, { waitUntil: 'commit' });
      await Promise.all([
        page.locator('[data-testid="account-facts"] .ok-fact').first().waitFor({ state: 'visible' }),
        page.getByTestId('timeline-item').first().waitFor({ state: 'visible' }),
      ]);
      const seen = await page.evaluate(() => (window as unknown as { __seen: Record<string, number> }).__seen);
      return Math.max(seen.fact!, seen.timeline!);
    }, clock.now());

    // The my-day API: one session, many calls, as a phone refreshing its day.
    const login = await server.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'manager1@demo.openkam.local', password: DEMO_PASSWORD } });
    const cookie = login.cookies.find((c) => c.name === 'openkam_session')!.value;
    const day: number[] = [];
    let items = 0;
    for (let i = 0; i < API_RUNS + 10; i++) {
      const s = performance.now();
      const res = await fetch(`${server.url}/api/v1/home/day`, { headers: { cookie: `openkam_session=${cookie}` } });
      const body = (await res.json()) as { items: unknown[] };
      if (!res.ok) throw new Error(`my day answered ${res.status}`);
      if (i >= 10) day.push(performance.now() - s); // ten warm-up calls
      items = body.items.length;
    }

    // The accounts list for a director, and what a first visit loads.
    let jsGzip = 0, cssGzip = 0, jsFiles = 0, rows = 0;
    let first = true;
    const list = await coldLoads(browser, server, 'director1@demo.openkam.local', 7, async (page) => {
      const assets: { url: string; type: string }[] = [];
      page.on('response', (r) => {
        const type = r.headers()['content-type'] ?? '';
        if (/javascript|text\/css/.test(type)) assets.push({ url: r.url(), type });
      });
      await page.goto('/accounts');
      await page.getByTestId('account-row').first().waitFor({ state: 'visible' });
      rows = await page.getByTestId('account-row').count();
      if (first) {
        first = false;
        for (const a of assets) {
          const body = await (await page.context().request.get(a.url)).body();
          const gz = gzipSync(body, { level: 9 }).length;
          if (a.type.includes('css')) cssGzip += gz; else { jsGzip += gz; jsFiles++; }
        }
      }
    }, clock.now());

    const kb = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
    const md = [
      `Full demo world (${counts.accounts} accounts, ${counts.lines.toLocaleString('en')} sales lines; seeded in ${(seedMs / 1000).toFixed(1)} s), on SQLite, on a Thursday 10:00 in Shanghai; Chromium headless at 1440×900; each page run in a fresh browser context (cold HTTP cache) after one warm-up.`,
      '',
      '| measure | target | value |',
      '| --- | --- | --- |',
      `| account page of a key account (${key.code}, manager1) to header figures and timeline in the page (from navigation start, page clock), p95 of ${PAGE_RUNS} | < 1 s | ${ms(quantile(account, 0.95))} (median ${ms(quantile(account, 0.5))}, max ${ms(Math.max(...account))}) |`,
      `| my-day API for manager1 (${items} items), p95 of ${API_RUNS} | < 100 ms | ${ms(quantile(day, 0.95))} (median ${ms(quantile(day, 0.5))}) |`,
      `| accounts list to first rows (director1, ${rows} rows), median of 7 | | ${ms(quantile(list, 0.5))} |`,
      `| JavaScript loaded on first visit (gzip -9) | < 300 KiB | ${kb(jsGzip)} in ${jsFiles} files |`,
      `| CSS loaded on first visit (gzip -9) | | ${kb(cssGzip)} |`,
    ].join('\n');
    process.stdout.write(`${md}\n`);
    process.stdout.write(`account page runs (ms): ${account.map((x) => x.toFixed(0)).join(' ')}\n`);
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
