import { describe, expect, it } from 'vitest';
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
  it('delivers an enqueued job to the registered handler', async () => {
    const jobs = await pgBossJobs(pgUrl!, silent);
    const got = new Promise<Record<string, unknown>>((resolve) => void jobs.register('test-echo', async (p) => resolve(p)));
    await jobs.enqueue('test-echo', { hello: '你好' });
    expect(await got).toEqual({ hello: '你好' });
    await jobs.stop();
  }, 60_000);
});
