import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer, connect, type Server, type Socket } from 'node:net';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { PASSWORD, seedWorld } from './factories.js';

const pgUrl = process.env.TEST_DATABASE_URL;

/**
 * A TCP relay to PostgreSQL that the test can cut: while cut it drops every new connection at once,
 * as a database that is restarting does. PostgreSQL itself stays up for the other test files.
 */
async function relayTo(host: string, port: number) {
  const sockets = new Set<Socket>();
  let cut = false;
  const server: Server = createServer((client) => {
    if (cut) { client.destroy(); return; }
    const upstream = connect(port, host);
    for (const s of [client, upstream]) { sockets.add(s); s.on('close', () => sockets.delete(s)); s.on('error', () => undefined); }
    client.pipe(upstream);
    upstream.pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    cut: () => { cut = true; },
    restore: () => { cut = false; },
    close: () => new Promise<void>((resolve) => { for (const s of sockets) s.destroy(); server.close(() => resolve()); }),
  };
}

const until = async (what: string, ok: () => boolean | Promise<boolean>, child: ChildProcess, tries = 600) => {
  for (let i = 0; i < tries; i++) {
    if (child.exitCode !== null || child.signalCode) throw new Error(`the server exited (${child.exitCode ?? child.signalCode}) while waiting for ${what}`);
    if (await ok()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`gave up waiting for ${what}`);
};

describe.skipIf(!pgUrl)(`a server whose PostgreSQL connections are terminated mid-burst [postgres]${pgUrl ? '' : ' — skipped: TEST_DATABASE_URL is not set'}`, () => {
  const tag = randomBytes(5).toString('hex');
  const schema = `t_loss_${tag}`;
  const bossSchema = `t_loss_${tag}_boss`;
  // Only the backends with this name are terminated: other test files share the server.
  const application = `openkam-loss-${tag}`;
  const admin = async <T>(fn: (c: pg.Client) => Promise<T>): Promise<T> => {
    const c = new pg.Client({ connectionString: pgUrl, application_name: `${application}-admin` });
    await c.connect();
    try { return await fn(c); } finally { await c.end(); }
  };
  let child: ChildProcess | undefined;
  let relay: Awaited<ReturnType<typeof relayTo>> | undefined;
  afterAll(async () => {
    if (child && child.exitCode === null && !child.signalCode) child.kill('SIGKILL');
    await relay?.close();
    await admin((c) => c.query(`drop schema if exists ${schema}, ${bossSchema} cascade`));
  });

  it('stays up, answers 503 while the database is away, recovers by itself and keeps every write it acknowledged', async () => {
    await admin((c) => c.query(`create schema ${schema}`));
    const setup = openDatabase({ kind: 'postgres', url: pgUrl!, searchPath: schema, max: 2 });
    await migrateToLatest(setup);
    const world = await seedWorld(setup);
    await setup.destroy();

    const target = new URL(pgUrl!);
    relay = await relayTo(target.hostname, Number(target.port || 5432));
    const through = new URL(pgUrl!);
    through.hostname = '127.0.0.1';
    through.port = String(relay.port);
    through.searchParams.set('application_name', application);
    through.searchParams.set('options', `-c search_path=${schema}`);

    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => { const p = (s.address() as { port: number }).port; s.close(() => resolve(p)); });
    });
    const url = `http://127.0.0.1:${port}`;
    let log = '';
    child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts', '--no-demo'], {
      cwd: path.resolve(import.meta.dirname, '..'),
      env: { ...process.env, DATABASE_URL: through.toString(), OPENKAM_PGBOSS_SCHEMA: bossSchema, PORT: String(port), HOST: '127.0.0.1', OPENKAM_DEMO: 'false', LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (b: Buffer) => { log += b.toString(); });
    child.stderr!.on('data', (b: Buffer) => { log += b.toString(); });
    const server = child;
    const ready = async () => { try { return (await fetch(`${url}/readyz`)).status === 200; } catch { return false; } };
    await until('the server to be ready', ready, server, 1200);

    const login = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'm1@test.local', password: PASSWORD }) });
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const { csrfToken } = (await login.json()) as { csrfToken: string };

    const acknowledged: string[] = [];
    const refused: { status: number; type: string; code: string | undefined }[] = [];
    const broken: string[] = [];
    let attempts = 0;
    let stop = false;
    const writer = async (n: number) => {
      // Bounded: stops when told, and after 3,000 attempts in all whatever happens.
      for (let i = 0; !stop && attempts < 3000; i++) {
        attempts++;
        try {
          const res = await fetch(`${url}/api/v1/contacts`, {
            method: 'POST', headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
            body: JSON.stringify({ accountId: world.accounts.acc1, name: `loss-${n}-${i}` }),
          });
          const body = (await res.json()) as { id?: string; code?: string };
          if (res.status === 201) acknowledged.push(body.id!);
          else {
            refused.push({ status: res.status, type: res.headers.get('content-type') ?? '', code: body.code });
            await new Promise((r) => setTimeout(r, 20));
          }
        } catch (err) {
          broken.push(String(err));
          await new Promise((r) => setTimeout(r, 20));
        }
      }
    };
    const writers = Array.from({ length: 6 }, (_, i) => writer(i));
    try {
      await until('writes before the loss', () => acknowledged.length >= 40, server);

      relay.cut();
      // Again until none is left: a connection the relay took just before the cut may register its
      // backend after the first look at pg_stat_activity.
      let terminated = 0;
      await until('every backend of the app terminated', () => admin(async (c) => {
        terminated += (await c.query('select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1', [application])).rowCount ?? 0;
        return (await c.query('select 1 from pg_stat_activity where application_name = $1', [application])).rowCount === 0;
      }), server, 100);
      expect(terminated, 'backends of the app (its pool and pg-boss) terminated').toBeGreaterThan(0);

      let notReady: { status: number; body: Record<string, unknown> } | undefined;
      await until('/readyz to answer 503', async () => {
        const res = await fetch(`${url}/readyz`).catch(() => undefined);
        if (!res || res.status === 200) return false;
        notReady = { status: res.status, body: (await res.json()) as Record<string, unknown> };
        return true;
      }, server);
      expect(notReady).toMatchObject({ status: 503, body: { code: 'not_ready', reason: 'unreachable', database: 'postgres' } });
      await until('a write refused while the database is away', () => refused.length > 0, server);

      const before = acknowledged.length;
      relay.restore();
      await until('/readyz to answer 200 again', ready, server);
      await until('writes after the recovery', () => acknowledged.length >= before + 40, server);
    } finally {
      stop = true;
      await Promise.all(writers);
    }

    expect(server.exitCode, 'the server process is still running').toBeNull();
    expect(broken, 'requests that got no HTTP answer').toEqual([]);
    // Every write that was not acknowledged got a 503 problem+json with the stable code, never a 500.
    expect(refused.filter((r) => !(r.status === 503 && r.type.includes('application/problem+json') && r.code === 'database_unavailable'))).toEqual([]);
    expect(log).toContain('terminating connection due to administrator command');

    server.kill('SIGTERM');
    await new Promise<void>((r) => (server.exitCode !== null ? r() : server.once('exit', () => r())));
    expect(server.exitCode, 'a graceful stop after the recovery').toBe(0);

    const stored = await admin(async (c) => new Set((await c.query(`select id from ${schema}.contacts where name like 'loss-%'`)).rows.map((r) => r.id as string)));
    const audited = await admin(async (c) => new Set((await c.query(`select entity_id from ${schema}.audit_log where entity = 'contact' and action = 'create'`)).rows.map((r) => r.entity_id as string)));
    expect(acknowledged.filter((id) => !stored.has(id)), 'writes answered 201 but missing').toEqual([]);
    expect([...stored].filter((id) => !audited.has(id)), 'contacts without their audit row').toEqual([]);
  }, 120_000);
});
