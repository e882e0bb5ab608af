import PgBoss from 'pg-boss';
import { classifyStorageFailure } from '../db/storage-errors.js';

/** What a background job does with its payload. Throwing marks the run failed (and logs it). */
export type JobHandler = (payload: Record<string, unknown>) => Promise<void>;

/**
 * Background jobs: in-process by default (SQLite, one server), pg-boss on PostgreSQL so that
 * several server processes share one queue and a job survives a restart.
 */
export type Jobs = {
  kind: 'in-process' | 'pg-boss';
  register(name: string, handler: JobHandler): Promise<void>;
  enqueue(name: string, payload: Record<string, unknown>): Promise<void>;
  /** Runs `name` every `everyMinutes` (pg-boss: as a cron schedule shared by all processes). */
  every(name: string, everyMinutes: number, payload?: Record<string, unknown>): Promise<void>;
  /** Waits until the in-process queue is empty (tests); a no-op on pg-boss. */
  drain(): Promise<void>;
  stop(): Promise<void>;
};

type Log = { error(obj: unknown, msg: string): void };

/** One job at a time, in order, in this process. */
export function inProcessJobs(log: Log): Jobs {
  const handlers = new Map<string, JobHandler>();
  const timers: NodeJS.Timeout[] = [];
  let chain: Promise<void> = Promise.resolve();
  let stopped = false;
  const enqueue = async (name: string, payload: Record<string, unknown>) => {
    const handler = handlers.get(name);
    if (!handler) throw new Error(`no job handler registered for ${name}`);
    if (stopped) return;
    chain = chain.then(() => handler(payload).catch((err: unknown) => log.error({ err, job: name }, 'background job failed')));
  };
  return {
    kind: 'in-process',
    register: async (name, handler) => { handlers.set(name, handler); },
    enqueue,
    every: async (name, minutes, payload = {}) => {
      timers.push(setInterval(() => void enqueue(name, payload), minutes * 60_000).unref());
    },
    drain: () => chain,
    stop: async () => {
      stopped = true;
      for (const t of timers) clearInterval(t);
      await chain;
    },
  };
}

export type PgBossOptions = {
  /**
   * The schema pg-boss keeps its queues in (default `pgboss`). Processes that share a schema share
   * the queues: a worker of one takes the jobs another enqueued. Tests give each file its own.
   */
  schema?: string;
};

/** pg-boss in its own schema of the application's PostgreSQL database. */
export async function pgBossJobs(connectionString: string, log: Log, opts: PgBossOptions = {}): Promise<Jobs> {
  const boss = new PgBoss({ connectionString, schema: opts.schema ?? 'pgboss' });
  // pg-boss has its own pool and reconnects by itself; a terminated connection surfaces here, not as a crash.
  boss.on('error', (err) => log.error({ err }, 'pg-boss error'));
  await boss.start();
  // pg-boss 10 drops a job sent to a queue that does not exist (send returns null), and two
  // create_queue calls at once deadlock, one failing. So each queue is created once per process,
  // its callers waiting on the same promise; a failure is checked against the queue table (another
  // process may have won the race) and retried, never swallowed.
  const queues = new Map<string, Promise<void>>();
  const createQueue = async (name: string) => {
    for (let attempt = 1; ; attempt++) {
      try {
        await boss.createQueue(name);
        return;
      } catch (err) {
        if (await boss.getQueue(name).catch(() => null)) return;
        if (attempt === 3) throw err;
      }
    }
  };
  const queue = (name: string) => {
    let created = queues.get(name);
    if (!created) {
      created = createQueue(name);
      created.catch(() => queues.delete(name));
      queues.set(name, created);
    }
    return created;
  };
  return {
    kind: 'pg-boss',
    register: async (name, handler) => {
      await queue(name);
      await boss.work<Record<string, unknown>>(name, async (jobs) => { for (const j of jobs) await handler(j.data); });
    },
    enqueue: async (name, payload) => {
      await queue(name);
      // After PostgreSQL dropped its connections, pg-boss's pool may hand out a dead one: the insert
      // then fails before anything is written, so it is tried again on a fresh connection.
      for (let attempt = 1; ; attempt++) {
        try {
          if ((await boss.send(name, payload)) === null) throw new Error(`pg-boss did not accept a job for ${name}`);
          return;
        } catch (err) {
          if (attempt === 3 || classifyStorageFailure(err)?.reason !== 'unreachable') throw err;
          log.error({ err, attempt }, 'pg-boss send failed on a lost connection; trying again');
        }
      }
    },
    every: async (name, minutes, payload = {}) => {
      await queue(name);
      const cron = minutes >= 60 ? `0 */${Math.round(minutes / 60)} * * *` : `*/${Math.max(1, Math.round(minutes))} * * * *`;
      await boss.schedule(name, cron, payload);
    },
    drain: async () => undefined,
    stop: () => boss.stop({ graceful: true, wait: true }),
  };
}
