import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { buildApp } from '../src/server/app.js';
import { loadConfig } from '../src/server/config.js';
import { fixedClock } from '../src/shared/clock.js';
import { loginAs } from './build-test-app.js';
import { describeEachDialect, openTestDb, type TestDb } from './dialects.js';
import { seedWorld, type World } from './factories.js';

const pgUrl = process.env.TEST_DATABASE_URL;
const root = path.resolve(import.meta.dirname, '..');

/** The app with its log lines kept, so a test can read what an operator would read. */
async function appWithLog(db: TestDb['db'], env: Record<string, string> = {}) {
  const lines: string[] = [];
  const config = loadConfig({ OPENKAM_DATA_DIR: os.tmpdir(), ...env });
  const app = await buildApp(config, db, {
    clock: fixedClock('2026-11-26T08:00:00.000Z'),
    logger: { level: 'info', stream: { write: (line: string) => void lines.push(line) } },
  });
  await app.ready();
  return { app, lines, log: () => lines.join('') };
}

const newContact = (world: World, notes: string | null = null) => ({ accountId: world.accounts.acc1, name: 'Storage probe', notes });

function expectProblem(res: { statusCode: number; headers: Record<string, unknown>; json(): unknown }, fields: Record<string, unknown>) {
  expect(res.statusCode).toBe(503);
  expect(String(res.headers['content-type'])).toContain('application/problem+json');
  expect(res.json()).toMatchObject({ status: 503, ...fields });
}

describeEachDialect('readiness while the database refuses writes', (dialect) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'openkam-ready-'));
  let t: TestDb;
  let world: World;
  let writable: FastifyInstance;
  beforeAll(async () => {
    t = await openTestDb(dialect, { file: path.join(dir, 'openkam.sqlite') });
    world = await seedWorld(t.db);
    writable = (await appWithLog(t.db)).app;
  });
  afterAll(async () => {
    await writable?.close();
    await t?.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  // SQLite: query_only makes every write fail with SQLITE_READONLY, the code a read-only file or
  // mount gives (tests run as root, who may write any file whatever its mode). PostgreSQL: a
  // session that is read-only by default, as on a hot standby after a failover.
  async function readOnlyApp() {
    if (dialect === 'sqlite') {
      t.db.sqlite!.pragma('query_only = ON');
      const built = await appWithLog(t.db);
      return { ...built, restore: async () => { t.db.sqlite!.pragma('query_only = OFF'); await built.app.close(); } };
    }
    const url = new URL(pgUrl!);
    url.searchParams.set('options', `-c search_path=${t.db.schema} -c default_transaction_read_only=on`);
    const db = openDatabase({ kind: 'postgres', url: url.toString(), max: 2 });
    const built = await appWithLog(db);
    return { ...built, restore: async () => { await built.app.close(); await db.destroy(); } };
  }

  it('answers /readyz 503 problem+json with the reason, and the write itself 503 with the database\'s own words in the log', async () => {
    const manager = await loginAs(writable, 'm1@test.local');
    const ro = await readOnlyApp();
    try {
      expectProblem(await ro.app.inject('/readyz'), { code: 'not_ready', reason: 'read_only', database: dialect });
      const session = await loginAs(ro.app, 'm1@test.local').catch((e: unknown) => e);
      // Signing in writes a session: refused the same way, not as a 500.
      expect(String(session)).toContain('login m1@test.local failed: 503');
      const res = await ro.app.inject({ method: 'POST', url: '/api/v1/contacts', payload: newContact(world), cookies: { openkam_session: manager.session }, headers: { 'x-csrf-token': manager.csrf } });
      expectProblem(res, { code: 'database_unavailable', reason: 'read_only' });
      expect(ro.log()).toContain(dialect === 'sqlite' ? 'SQLITE_READONLY' : 'read-only transaction');
    } finally {
      await ro.restore();
    }
    // The same database through a writable connection: ready, and takes the write.
    expect((await writable.inject('/readyz')).json()).toEqual({ status: 'ready', database: dialect });
    expect((await manager.post('/api/v1/contacts', newContact(world))).statusCode).toBe(201);
  });
});

describe('a full SQLite database [sqlite]', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'openkam-full-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('answers a write 503 storage_full and logs SQLITE_FULL, not the rollback that could not run', async () => {
    const t = await openTestDb('sqlite', { file: path.join(dir, 'full.sqlite') });
    const world = await seedWorld(t.db);
    const { app, log } = await appWithLog(t.db);
    const manager = await loginAs(app, 'm1@test.local');
    // No free page and no page beyond the current ones: SQLite answers SQLITE_FULL and rolls the
    // transaction back itself, as on a disk that is full (checked on a 256 kB tmpfs: same code, same
    // automatic rollback).
    await sql`vacuum`.execute(t.db.kysely);
    t.db.sqlite!.pragma(`max_page_count = ${t.db.sqlite!.pragma('page_count', { simple: true }) as number}`);
    try {
      // A contact whose notes need overflow pages.
      const res = await manager.post('/api/v1/contacts', newContact(world, '满'.repeat(5000)));
      expectProblem(res, { code: 'database_unavailable', reason: 'storage_full' });
      expect(log()).toContain('SQLITE_FULL');
      expect(log()).not.toContain('cannot rollback');
      expectProblem(await app.inject('/readyz'), { code: 'not_ready', reason: 'storage_full' });
    } finally {
      await app.close();
      await t.cleanup();
    }
  });

  it('says not ready when the disk under the database has less free space than OPENKAM_READY_MIN_FREE_MB', async () => {
    const t = await openTestDb('sqlite', { file: path.join(dir, 'disk.sqlite') });
    const { app } = await appWithLog(t.db, { OPENKAM_READY_MIN_FREE_MB: String(1024 ** 3) });
    try {
      const res = await app.inject('/readyz');
      expectProblem(res, { code: 'not_ready', reason: 'storage_full' });
      expect((res.json() as { detail: string }).detail).toMatch(/MB free/);
    } finally {
      await app.close();
      await t.cleanup();
    }
  });
});

/**
 * Root writes anywhere whatever the modes say. As root the server runs as nobody, when nobody can
 * read this checkout (no mount needed); else in a mount namespace of its own where the path is bound
 * read-only (EROFS, as a read-only volume). Anyone else: the file modes are enough.
 */
function howToMakeReadOnly(): 'modes' | 'nobody' | 'mount' | undefined {
  if (process.getuid?.() !== 0) return 'modes';
  const nobodyReads = spawnSync(process.execPath, ['-e', `require('fs').accessSync(${JSON.stringify(path.join(root, 'node_modules/tsx/package.json'))})`], { uid: 65534, gid: 65534 });
  if (nobodyReads.status === 0) return 'nobody';
  return spawnSync('unshare', ['-m', 'true']).status === 0 ? 'mount' : undefined;
}
const readOnlyBy = howToMakeReadOnly();

describe.skipIf(!readOnlyBy)(`starting on a data directory the server cannot write [sqlite]${readOnlyBy ? '' : ' — skipped: as root, with a checkout nobody may read and no mount namespace'}`, () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'openkam-rodir-'));
  chmodSync(dir, 0o755);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /**
   * Runs the server on `dataDir` with `readOnly` (the directory or the file) read-only, to its exit;
   * one that starts anyway is stopped after 60 s, and the test fails.
   */
  const start = (dataDir: string, readOnly: string) => new Promise<{ status: number | null; stderr: string }>((resolve) => {
    const { DATABASE_URL: _pg, ...env } = process.env;
    const server = [process.execPath, '--import', 'tsx', 'src/server/main.ts', '--no-demo'];
    const nobody = { uid: 65534, gid: 65534 };
    if (readOnlyBy !== 'mount') chmodSync(readOnly, readOnly === dataDir ? 0o555 : 0o444);
    // The directory stays the server's to write when only the file is read-only.
    if (readOnlyBy === 'nobody' && readOnly !== dataDir) chownSync(dataDir, nobody.uid, nobody.gid);
    const [command, ...args] = readOnlyBy === 'mount'
      ? ['unshare', '-m', 'sh', '-c', 'p=$1; shift; mount --bind "$p" "$p" && mount -o remount,bind,ro "$p" && exec "$@"', 'sh', readOnly, ...server]
      : server;
    const child = spawn(command!, args, {
      cwd: root, env: { ...env, PORT: '0', HOST: '127.0.0.1', OPENKAM_DATA_DIR: dataDir, OPENKAM_DEMO: 'false', LOG_LEVEL: 'error' },
      stdio: ['ignore', 'ignore', 'pipe'], timeout: 60_000, ...(readOnlyBy === 'nobody' ? nobody : {}),
    });
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => { stderr += b.toString(); });
    child.on('close', (status) => resolve({ status, stderr }));
  });

  // A server start takes 3 s of CPU, and several times that on a loaded machine.
  it('stops with one line naming OPENKAM_DATA_DIR when the directory is read-only', async () => {
    const data = path.join(dir, 'read-only-dir');
    mkdirSync(data);
    const run = await start(data, data);
    expect(run.status).toBe(1);
    const lines = run.stderr.trim().split('\n');
    expect(lines, run.stderr).toHaveLength(1);
    expect(lines[0]).toContain(`OPENKAM_DATA_DIR=${data}`);
    expect(lines[0]).toMatch(/cannot write/);
  }, 90_000);

  it('stops with one line naming OPENKAM_DATA_DIR when the database file is read-only', async () => {
    const data = path.join(dir, 'read-only-file');
    mkdirSync(data);
    const file = path.join(data, 'openkam.sqlite');
    const db = openDatabase({ kind: 'sqlite', file });
    await migrateToLatest(db);
    await db.destroy();
    const run = await start(data, file);
    expect(run.status).toBe(1);
    const lines = run.stderr.trim().split('\n');
    expect(lines, run.stderr).toHaveLength(1);
    expect(lines[0]).toContain(`OPENKAM_DATA_DIR=${data}`);
    expect(lines[0]).toMatch(/read-only/);
  }, 90_000);
});
