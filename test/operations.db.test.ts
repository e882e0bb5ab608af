import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { run as backupCli } from '../src/db/backup.cli.js';
import { openDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { ConfigError, loadConfig } from '../src/server/config.js';
import { buildTestApp, type TestApp } from './build-test-app.js';
import { describeEachDialect } from './dialects.js';
import { seedWorld } from './factories.js';

describe('configuration', () => {
  it('names every bad variable and its value', () => {
    expect(() => loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud' })).toThrow(ConfigError);
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x' });
    } catch (e) {
      expect((e as Error).message).toContain('PORT="eighty"');
      expect((e as Error).message).toContain('DATABASE_URL="mysql://x": must start with postgres://');
    }
  });
  it('defaults to SQLite in ./data on port 3000', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ port: 3000, databaseUrl: undefined, demo: true, sessionIdleMinutes: 30 });
    expect(c.sqliteFile).toBe(path.resolve('data/openkam.sqlite'));
  });
});

describeEachDialect('health and API description', (dialect) => {
  let t: TestApp;
  beforeAll(async () => { t = await buildTestApp(dialect); });
  afterAll(async () => t?.close());

  it('answers /healthz and /readyz with the database it uses', async () => {
    expect((await t.app.inject('/healthz')).json()).toEqual({ status: 'ok' });
    expect((await t.app.inject('/readyz')).json()).toEqual({ status: 'ready', database: dialect });
  });

  it('publishes OpenAPI 3.1 with the sign-in and accounts paths and their schemas', async () => {
    const doc = (await t.app.inject('/api/openapi.json')).json();
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.paths['/api/v1/auth/login'].post.requestBody.content['application/json'].schema.required).toEqual(['email', 'password']);
    expect(Object.keys(doc.paths['/api/v1/accounts'])).toEqual(expect.arrayContaining(['get', 'post']));
    expect(doc.paths['/api/v1/accounts/{id}'].patch).toBeTruthy();
    expect((await t.app.inject('/api/docs/')).statusCode).toBe(200);
  });

  it('answers an unknown API path with problem+json 404 and echoes a request id', async () => {
    const res = await t.app.inject({ url: '/api/v1/nope', headers: { 'x-request-id': 'abc-123' } });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.headers['x-request-id']).toBe('abc-123');
  });
});

describe('backup and restore [sqlite]', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'openkam-backup-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('backs up a live database with its attachment files and restores both', async () => {
    vi.stubEnv('OPENKAM_DATA_DIR', dir);
    vi.stubEnv('DATABASE_URL', '');
    delete process.env.DATABASE_URL;
    const file = path.join(dir, 'openkam.sqlite');
    const db = openDatabase({ kind: 'sqlite', file });
    await migrateToLatest(db);
    await seedWorld(db);
    // An attachment's file, as the attachments module keeps it on SQLite.
    mkdirSync(path.join(dir, 'attachments'), { recursive: true });
    writeFileSync(path.join(dir, 'attachments', 'file-1'), 'the signed contract');
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const backup = path.join(dir, 'b.sqlite');
    // The server's connection stays open while the backup runs.
    expect(await backupCli('backup', [backup])).toBe(0);
    await db.kysely.deleteFrom('activities').execute();
    rmSync(path.join(dir, 'attachments'), { recursive: true });
    await db.destroy();
    expect(await backupCli('restore', [backup])).toBe(0);
    out.mockRestore();
    vi.unstubAllEnvs();
    const back = openDatabase({ kind: 'sqlite', file });
    expect((await back.kysely.selectFrom('activities').select('id').execute()).length).toBe(4);
    expect(readFileSync(path.join(dir, 'attachments', 'file-1'), 'utf8')).toBe('the signed contract');
    await back.destroy();
  });
});
