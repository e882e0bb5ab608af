import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { inProcessJobs, pgBossJobs } from '../src/server/jobs.js';

const silent = { error: () => undefined };

describe('background jobs, in process', () => {
  it('runs jobs one at a time in order, and a failing job does not stop the queue', async () => {
    const jobs = inProcessJobs(silent);
    const seen: number[] = [];
    await jobs.register('count', async (p) => {
      if (p.n === 2) throw new Error('boom');
      await new Promise((r) => setTimeout(r, 3 - (p.n as number)));
      seen.push(p.n as number);
    });
    for (const n of [0, 1, 2, 3]) await jobs.enqueue('count', { n });
    await jobs.drain();
    expect(seen).toEqual([0, 1, 3]);
    await jobs.stop();
  });

  it('refuses a job nobody handles', async () => {
    await expect(inProcessJobs(silent).enqueue('nobody', {})).rejects.toThrow('no job handler registered for nobody');
  });
});

const pgUrl = process.env.TEST_DATABASE_URL;
describe.skipIf(!pgUrl)(`background jobs on pg-boss [postgres]${pgUrl ? '' : ' — skipped: TEST_DATABASE_URL is not set'}`, () => {
  // Every pg-boss here works in schemas of this file's own, dropped afterwards: test files running
  // in parallel (and other checkouts on the same test database) never share a queue.
  const tag = randomBytes(5).toString('hex');
  const schemas: string[] = [];
  const schemaFor = (name: string) => { const s = `t_boss_${tag}_${name}`; schemas.push(s); return s; };
  const admin = async <T>(fn: (c: pg.Client) => Promise<T>): Promise<T> => {
    const c = new pg.Client({ connectionString: pgUrl });
    await c.connect();
    try { return await fn(c); } finally { await c.end(); }
  };
  afterAll(async () => {
    if (schemas.length) await admin((c) => c.query(`drop schema if exists ${schemas.join(', ')} cascade`));
  });

  it('delivers an enqueued job to the registered handler', async () => {
    const jobs = await pgBossJobs(pgUrl!, silent, { schema: schemaFor('echo') });
    const got = new Promise<Record<string, unknown>>((resolve) => void jobs.register('test-echo', async (p) => resolve(p)));
    await jobs.enqueue('test-echo', { hello: '你好' });
    expect(await got).toEqual({ hello: '你好' });
    await jobs.stop();
  }, 60_000);

  it('keeps its queue in the schema it is given, out of reach of a pg-boss on another schema', async () => {
    const [a, b] = [schemaFor('a'), schemaFor('b')];
    const first = await pgBossJobs(pgUrl!, silent, { schema: a });
    // A job waiting in the first schema, older than anything the second one enqueues.
    await first.enqueue('shared-name', { from: 'a' });
    await first.stop();
    const second = await pgBossJobs(pgUrl!, silent, { schema: b });
    const got = new Promise<Record<string, unknown>>((resolve) => void second.register('shared-name', async (p) => resolve(p)));
    await second.enqueue('shared-name', { from: 'b' });
    expect(await got).toEqual({ from: 'b' });
    await second.stop();
    const waiting = await admin((c) => c.query(`select data from ${a}.job where name = 'shared-name' and state = 'created'`));
    expect(waiting.rows.map((r) => r.data)).toEqual([{ from: 'a' }]);
  }, 60_000);

  it('keeps working after PostgreSQL terminated its connections', async () => {
    const application = `openkam-boss-${tag}`;
    const errors: unknown[] = [];
    const jobs = await pgBossJobs(`${pgUrl}${pgUrl!.includes('?') ? '&' : '?'}application_name=${application}`, { error: (obj) => errors.push(obj) }, { schema: schemaFor('term') });
    const received: unknown[] = [];
    let delivered: (() => void) | undefined;
    await jobs.register('after-loss', async (p) => { received.push(p); delivered?.(); });
    const terminated = await admin((c) => c.query('select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1', [application]));
    expect(terminated.rowCount).toBeGreaterThan(0);
    const got = new Promise<void>((resolve) => { delivered = resolve; });
    await jobs.enqueue('after-loss', { n: 1 });
    await got;
    expect(received).toEqual([{ n: 1 }]);
    await jobs.stop();
  }, 60_000);
});
