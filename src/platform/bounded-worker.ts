/**
 * Worker threads for work on untrusted input (uploaded files): each runs with a heap limit of its
 * own, so input that needs more memory kills that thread, not the server, and it never holds the
 * server's event loop. A pool keeps at most `size` threads at once (further tasks wait their turn,
 * so several bombs at once cost at most `size` heaps) and keeps idle ones warm for a while, since a
 * thread costs about half a second to start (its TypeScript runs through tsx).
 *
 * A task is one message in, a stream of events out, with credits: the thread may run at most a few
 * events ahead of the taker, so memory stays flat however fast it produces them.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parentPort, Worker } from 'node:worker_threads';
import { AppError } from '../server/errors.js';

export type PoolOptions = {
  /** The worker module (TypeScript); it calls serveTasks. */
  entry: URL;
  /** Threads at once. */
  size: number;
  /** Old-generation heap of each thread, MB. */
  memoryMb: number;
  /** The error a task ends with when its thread ran out of memory. */
  outOfMemory: () => Error;
  /** How long an idle thread is kept. */
  idleMs?: number;
};

type ToWorker = { t: 'task'; task: unknown } | { t: 'credit' };
type FromWorker = { t: 'event'; ev: unknown } | { t: 'end' } | { t: 'fail'; error: { message: string; code?: string; status?: number; details?: AppError['details'] } };

/** Events a thread may post before the taker has taken them. */
const CREDITS = 4;

/**
 * A worker thread running a TypeScript module. The app runs its TypeScript through tsx, whose
 * loader a worker does not inherit on Node 20: the worker imports the module through tsx's API.
 */
export function startTsWorker(entry: URL, options: { workerData?: unknown; memoryMb?: number } = {}): Worker {
  const api = pathToFileURL(path.join(path.dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist/esm/api/index.mjs')).href;
  const boot = `import(${JSON.stringify(api)}).then((m) => m.tsImport(${JSON.stringify(entry.href)}, ${JSON.stringify(entry.href)}))`;
  const mb = options.memoryMb;
  return new Worker(boot, {
    eval: true, workerData: options.workerData,
    // The young generation is a small share of the heap (parsing allocates short-lived strings fast).
    ...(mb && { resourceLimits: { maxOldGenerationSizeMb: mb, maxYoungGenerationSizeMb: Math.max(8, Math.min(48, Math.floor(mb / 4))) } }),
  });
}

export class WorkerPool {
  private idle: { w: Worker; timer: NodeJS.Timeout }[] = [];
  private live = 0;
  private waiting: ((w: Worker) => void)[] = [];
  constructor(private readonly o: PoolOptions) {}

  /**
   * Runs one task in a thread of the pool: its events, in order. Leaving the loop early ends the
   * task (its thread is stopped); an error thrown in the thread is thrown here (an AppError as itself).
   */
  async *run<E>(task: unknown): AsyncGenerator<E> {
    const w = await this.acquire();
    const queue: E[] = [];
    let failure: Error | null = null;
    let ended = false;
    let reusable = false;
    let wake: (() => void) | null = null;
    const nudge = () => { wake?.(); wake = null; };
    const onMessage = (m: FromWorker) => {
      if (m.t === 'event') queue.push(m.ev as E);
      else if (m.t === 'end') { ended = true; reusable = true; } else {
        failure = m.error.code && m.error.status ? new AppError(m.error.code, m.error.status, m.error.message, m.error.details) : new Error(m.error.message);
        reusable = true;
      }
      nudge();
    };
    const onError = (e: Error & { code?: string }) => { failure = e.code === 'ERR_WORKER_OUT_OF_MEMORY' ? this.o.outOfMemory() : e; reusable = false; nudge(); };
    const onExit = () => { if (!ended && !failure) failure = new Error('the worker thread stopped before its task ended'); reusable = false; nudge(); };
    w.on('message', onMessage);
    w.on('error', onError);
    w.on('exit', onExit);
    let done = false;
    try {
      w.postMessage({ t: 'task', task } satisfies ToWorker);
      for (;;) {
        if (queue.length) {
          const ev = queue.shift()!;
          w.postMessage({ t: 'credit' } satisfies ToWorker);
          yield ev;
          continue;
        }
        if (failure) throw failure;
        if (ended) { done = true; return; }
        await new Promise<void>((resolve) => { wake = resolve; });
      }
    } finally {
      w.off('message', onMessage);
      w.off('error', onError);
      w.off('exit', onExit);
      if ((done || failure) && reusable) this.release(w); else await this.discard(w);
    }
  }

  /** Stops the idle threads (busy ones stop when their task ends). */
  async close(): Promise<void> {
    const idle = this.idle.splice(0);
    this.live -= idle.length;
    await Promise.all(idle.map(({ w, timer }) => { clearTimeout(timer); return w.terminate(); }));
  }

  private async acquire(): Promise<Worker> {
    const warm = this.idle.pop();
    if (warm) { clearTimeout(warm.timer); warm.w.ref(); return warm.w; }
    if (this.live < this.o.size) { this.live++; return this.start(); }
    return new Promise<Worker>((resolve) => this.waiting.push(resolve));
  }

  private start(): Worker {
    const w = startTsWorker(this.o.entry, { memoryMb: this.o.memoryMb });
    // An error of a thread between tasks (none is expected) must not take the process down.
    w.on('error', () => undefined);
    return w;
  }

  private release(w: Worker): void {
    const next = this.waiting.shift();
    if (next) { next(w); return; }
    w.unref();
    const timer = setTimeout(() => {
      this.idle = this.idle.filter((x) => x.w !== w);
      this.live--;
      void w.terminate();
    }, this.o.idleMs ?? 30_000).unref();
    this.idle.push({ w, timer });
  }

  private async discard(w: Worker): Promise<void> {
    await w.terminate().catch(() => undefined);
    const next = this.waiting.shift();
    if (next) next(this.start()); else this.live--;
  }
}

/**
 * The thread side: runs each task given to `handle` and posts its events (with the buffers
 * `transfer` names moved, not copied), waiting for credits; an error ends the task, not the thread.
 */
export function serveTasks<T, E>(handle: (task: T) => AsyncIterable<E>, transfer: (ev: E) => ArrayBuffer[] = () => []): void {
  const port = parentPort!;
  let credits = 0;
  let wake: (() => void) | null = null;
  port.on('message', (m: ToWorker) => {
    if (m.t === 'credit') { credits++; wake?.(); wake = null; return; }
    credits = CREDITS;
    void (async () => {
      try {
        for await (const ev of handle(m.task as T)) {
          port.postMessage({ t: 'event', ev } satisfies FromWorker, transfer(ev));
          if (--credits <= 0) await new Promise<void>((resolve) => { wake = resolve; });
        }
        port.postMessage({ t: 'end' } satisfies FromWorker);
      } catch (e) {
        const error = e instanceof AppError ? { message: e.message, code: e.code, status: e.status, details: e.details } : { message: e instanceof Error ? e.message : String(e) };
        port.postMessage({ t: 'fail', error } satisfies FromWorker);
      }
    })();
  });
}
