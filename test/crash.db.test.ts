import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { PASSWORD, seedWorld } from './factories.js';

const freePort = () => new Promise<number>((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => { const p = (s.address() as { port: number }).port; s.close(() => resolve(p)); });
});

async function waitReady(url: string, child: ChildProcess): Promise<void> {
  // A start takes 3 s of CPU, several times that on a loaded machine (the whole suite on 2 cores).
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try { if ((await fetch(`${url}/readyz`)).ok) return; } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('server did not become ready');
}

describe('a server killed with SIGKILL in the middle of a burst of writes [sqlite]', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'openkam-crash-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('leaves a sound database holding every write it answered 2xx', async () => {
    const file = path.join(dir, 'openkam.sqlite');
    const setup = openDatabase({ kind: 'sqlite', file });
    await migrateToLatest(setup);
    const world = await seedWorld(setup);
    await setup.destroy();

    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts', '--no-demo'], {
      cwd: path.resolve(import.meta.dirname, '..'),
      env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', OPENKAM_DATA_DIR: dir, OPENKAM_DEMO: 'false', LOG_LEVEL: 'error' },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    await waitReady(url, child);

    const login = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'm1@test.local', password: PASSWORD }) });
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const { csrfToken } = (await login.json()) as { csrfToken: string };

    const acknowledged: string[] = [];
    let attempted = 0;
    let killed = false;
    const writer = async (n: number) => {
      while (!killed) {
        const name = `burst-${n}-${attempted++}`;
        try {
          const res = await fetch(`${url}/api/v1/contacts`, {
            method: 'POST', headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
            body: JSON.stringify({ accountId: world.accounts.acc1, name }),
          });
          if (res.status === 201) acknowledged.push(((await res.json()) as { id: string }).id);
        } catch { /* the connection died with the server */ }
      }
    };
    const writers = Array.from({ length: 8 }, (_, i) => writer(i));
    while (acknowledged.length < 150) await new Promise((r) => setTimeout(r, 5));
    child.kill('SIGKILL');
    killed = true;
    await Promise.all(writers);
    await new Promise<void>((r) => (child.exitCode !== null || child.signalCode ? r() : child.once('exit', () => r())));
    expect(child.signalCode).toBe('SIGKILL');

    const db = new SQLite(file);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const stored = new Set((db.prepare("select id from contacts where name like 'burst-%'").all() as { id: string }[]).map((r) => r.id));
    const audited = new Set((db.prepare("select entity_id from audit_log where entity = 'contact' and action = 'create'").all() as { entity_id: string }[]).map((r) => r.entity_id));
    db.close();
    const lost = acknowledged.filter((id) => !stored.has(id));
    expect(lost, 'writes answered 201 but missing after the crash').toEqual([]);
    // Each stored contact has its audit row: the two were written in one transaction.
    expect([...stored].filter((id) => !audited.has(id))).toEqual([]);
    expect(stored.size).toBeGreaterThanOrEqual(acknowledged.length);
  }, 120_000);
});
