/**
 * The phone's outbox of stock counts (decision 035): a count is saved in local storage first, with
 * a client id made on the phone, then sent; it stays there until the server has it. Sending again
 * is safe: the server saves a client id once. A count the server refuses (4xx other than 408/429)
 * is kept, marked failed, and not retried; anything else (offline, a timeout, a 5xx) is retried.
 */
import { ApiError } from '../../../web/api/client.js';
import type { CountBody } from '../vmi.contract.js';

export type OutboxEntry = {
  clientId: string;
  accountId: string;
  body: CountBody;
  queuedAt: string;
  attempts: number;
  state: 'waiting' | 'sent' | 'failed';
  sentAt: string | null;
  error: string | null;
  /** The account's open draft the server recomputed from this count, once sent. */
  draftId?: string | null;
};

type Store = Pick<Storage, 'getItem' | 'setItem'>;
export type Send = (accountId: string, body: CountBody) => Promise<unknown>;

export const OUTBOX_KEY = 'openkam.vmi.outbox';
/** Sent counts kept to show "sent" (the newest). */
const KEEP_SENT = 20;

/** A random UUID (v4) also where crypto.randomUUID is missing (a page not served over https). */
export function clientUuid(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** Whether a failed send should be tried again later. */
export const retryable = (err: unknown): boolean => !(err instanceof ApiError) || err.status >= 500 || err.status === 408 || err.status === 429 || err.status === 0;

export class CountOutbox {
  private listeners = new Set<() => void>();
  private flushing: Promise<void> | null = null;
  constructor(private readonly store: Store, private readonly send: Send, private readonly now: () => Date = () => new Date()) {}

  entries(): OutboxEntry[] {
    try {
      const raw = this.store.getItem(OUTBOX_KEY);
      const v = raw ? (JSON.parse(raw) as unknown) : [];
      return Array.isArray(v) ? (v as OutboxEntry[]) : [];
    } catch {
      return [];
    }
  }

  private save(list: OutboxEntry[]): void {
    const sent = list.filter((e) => e.state === 'sent');
    const keep = new Set(sent.slice(-KEEP_SENT).map((e) => e.clientId));
    this.store.setItem(OUTBOX_KEY, JSON.stringify(list.filter((e) => e.state !== 'sent' || keep.has(e.clientId))));
    for (const l of this.listeners) l();
  }

  subscribe(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Queues a count (saved before anything is sent) and returns it. */
  add(accountId: string, lines: CountBody['lines'], clientId = clientUuid()): OutboxEntry {
    const at = this.now().toISOString();
    const entry: OutboxEntry = { clientId, accountId, body: { clientId, countedAt: at, lines }, queuedAt: at, attempts: 0, state: 'waiting', sentAt: null, error: null };
    this.save([...this.entries(), entry]);
    return entry;
  }

  /** Sends every waiting count, oldest first; one flush at a time. Resolves when done (failures stay queued). */
  flush(): Promise<void> {
    this.flushing ??= this.run().finally(() => { this.flushing = null; });
    return this.flushing;
  }

  private async run(): Promise<void> {
    for (const e of this.entries().filter((x) => x.state === 'waiting')) {
      const update = (patch: Partial<OutboxEntry>) => this.save(this.entries().map((x) => (x.clientId === e.clientId ? { ...x, ...patch } : x)));
      try {
        const res = (await this.send(e.accountId, e.body)) as { draft?: { id?: string } | null } | undefined;
        update({ state: 'sent', sentAt: this.now().toISOString(), attempts: e.attempts + 1, error: null, draftId: res?.draft?.id ?? null });
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        if (retryable(err)) {
          update({ attempts: e.attempts + 1, error: message });
          return; // offline or the server is down: the rest would fail the same way
        }
        update({ state: 'failed', attempts: e.attempts + 1, error: message });
      }
    }
  }

  /** Drops a failed count (the rep re-enters it). */
  discard(clientId: string): void {
    this.save(this.entries().filter((e) => e.clientId !== clientId));
  }
}
