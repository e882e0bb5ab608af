import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { buildApp, type FeaturePlugin } from '../../src/server/app.js';
import { loadConfig } from '../../src/server/config.js';
import type { Clock } from '../../src/shared/clock.js';
import { DEMO_PASSWORD, seedE2eWorld } from './e2e-world.js';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CHROMIUM = process.env.OPENKAM_CHROMIUM ?? '/usr/bin/chromium';
export const chromiumArgs = ['--no-sandbox', '--disable-background-networking', '--disable-gpu', '--disable-component-update', '--disable-sync', '--no-first-run'];
export const hasChromium = existsSync(CHROMIUM);
export const noChromiumMessage = `Chromium not found at ${CHROMIUM}: browser tests skipped (install it with: apt-get install -y chromium)`;

/** The web app is built once by test/global-setup.ts before any test file runs. */
export function ensureWebBuilt(): void {
  if (!existsSync(path.join(root, 'dist/web/index.html'))) throw new Error('dist/web is missing: run the tests through vitest (test/global-setup.ts builds it) or npm run build:web');
}

export type E2eServer = { url: string; app: FastifyInstance; db: Db; world: 'demo' | 'stand-in'; close(): Promise<void> };

/** The app in-process on a free port, on a fresh SQLite database with the demo world (for the clock's date, when given). */
export async function startE2eServer(env: Record<string, string> = {}, opts: { clock?: Clock; scale?: 'small' | 'full'; features?: FeaturePlugin[] } = {}): Promise<E2eServer> {
  ensureWebBuilt();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'openkam-e2e-'));
  const db = openDatabase({ kind: 'sqlite', file: path.join(dir, 'openkam.sqlite') });
  await migrateToLatest(db);
  const world = await seedE2eWorld(db, opts.clock?.now() ?? new Date(), opts.clock, opts.scale);
  const config = loadConfig({ OPENKAM_DATA_DIR: dir, LOG_LEVEL: 'silent', ...env });
  const app = await buildApp(config, db, { logger: false, ...(opts.clock && { clock: opts.clock }), ...(opts.features && { features: opts.features }) });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`, app, db, world,
    close: async () => { await app.close(); await db.destroy(); rmSync(dir, { recursive: true, force: true }); },
  };
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** The serious and critical accessibility violations axe-core finds on the page, one line each. */
export async function seriousAxeViolations(page: Page): Promise<string[]> {
  // A drawer or dialog still fading in would be judged on blended colours: wait for transitions
  // to end (endless ones, such as a loader's spin, do not count).
  await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running' || a.effect?.getTiming().iterations === Infinity), undefined, { timeout: 5_000 }).catch(() => undefined);
  await page.addScriptTag({ content: axeSource });
  return page.evaluate(async () => {
    const r = await (window as unknown as { axe: { run(o: object): Promise<{ violations: { id: string; impact: string; nodes: { target: string[]; html: string }[] }[] }> } }).axe.run({ resultTypes: ['violations'] });
    return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => `${n.target.join(' ')} ${n.html.slice(0, 160)}`).join(', ')}`);
  });
}

/**
 * Browser suites need Debian's Chromium. A user's clone may not have it (CI installs it, so there
 * these suites always run): then the suite appears in the report as one skipped test whose name
 * says how to install it, instead of disappearing silently.
 */
export function reportChromiumMissing(suite: string): void {
  if (!hasChromium) describe(suite, () => { it.skip(noChromiumMessage, () => {}); });
}

/** Console errors and uncaught exceptions of `page`, appended to `errors` (each file asserts there are none). */
export function watchErrors(page: Page, errors: string[]): void {
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`${page.url()}: ${m.text()}`); });
  page.on('pageerror', (e) => errors.push(`${page.url()}: ${e.message}`));
}

/**
 * A browser context signed in as `email` (the demo password) with `locale` saved on the account,
 * and its first page, watched for errors into `errors`.
 */
export async function signIn(browser: Browser, server: E2eServer, email: string, locale: 'en' | 'zh-CN', errors: string[], options: BrowserContextOptions = {}):
  Promise<{ context: BrowserContext; page: Page; csrfToken: string }> {
  const context = await browser.newContext({ baseURL: server.url, locale, bypassCSP: true, ...options });
  const login = await context.request.post('/api/v1/auth/login', { data: { email, password: DEMO_PASSWORD } });
  expect(login.status(), `sign-in of ${email}`).toBe(200);
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  await context.request.patch('/api/v1/auth/me', { data: { locale }, headers: { 'x-csrf-token': csrfToken } });
  await context.addInitScript(() => localStorage.setItem('openkam.signedIn', '1'));
  const page = await context.newPage();
  watchErrors(page, errors);
  return { context, page, csrfToken };
}

/** GET requests to the app in-process as `email`, for reading what the browser should show. */
export async function apiAs(server: E2eServer, email: string): Promise<<T>(url: string) => Promise<T>> {
  const res = await server.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password: DEMO_PASSWORD } });
  const cookie = res.cookies.find((c) => c.name === 'openkam_session')!.value;
  return async <T>(url: string) => (await server.app.inject({ method: 'GET', url, cookies: { openkam_session: cookie } })).json() as T;
}

export async function expectNoSeriousAxeViolations(page: Page, label: string): Promise<void> {
  expect(await seriousAxeViolations(page), `axe on ${label}`).toEqual([]);
}

/**
 * A screenshot for a person to look at (test-results/…). CI has no one looking and a slow disk and
 * CPU, so there (CI set) none is taken unless OPENKAM_E2E_SHOTS=1.
 */
export async function shot(page: Page, file: string, fullPage = true): Promise<void> {
  if (process.env.CI && process.env.OPENKAM_E2E_SHOTS !== '1') return;
  await page.screenshot({ path: file, fullPage });
}
