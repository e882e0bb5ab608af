import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import type { Page } from 'playwright-core';
import { describe, it } from 'vitest';
import { openDatabase, type Db } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { buildApp } from '../../src/server/app.js';
import { loadConfig } from '../../src/server/config.js';
import { seedE2eWorld } from './e2e-world.js';

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

/** The app in-process on a free port, on a fresh SQLite database with the demo world. */
export async function startE2eServer(env: Record<string, string> = {}): Promise<E2eServer> {
  ensureWebBuilt();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'openkam-e2e-'));
  const db = openDatabase({ kind: 'sqlite', file: path.join(dir, 'openkam.sqlite') });
  await migrateToLatest(db);
  const world = await seedE2eWorld(db, new Date());
  const config = loadConfig({ OPENKAM_DATA_DIR: dir, LOG_LEVEL: 'silent', ...env });
  const app = await buildApp(config, db, { logger: false });
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
