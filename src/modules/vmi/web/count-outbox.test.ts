import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../web/api/client.js';
import type { CountBody } from '../vmi.contract.js';
import { clientUuid, CountOutbox, OUTBOX_KEY } from './count-outbox.js';

const memory = () => { const m = new Map<string, string>(); return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v), m }; };
const lines = [{ productId: '0190a000-0000-7000-8000-000000000001', onHand: 12 }];

describe('the stock count outbox', () => {
  it('keeps a count while offline and sends it once when back, with the same client id', async () => {
    const store = memory();
    let online = false;
    const sent: CountBody[] = [];
    const box = new CountOutbox(store, async (_a, body) => { if (!online) throw new TypeError('Failed to fetch'); sent.push(body); });
    const e = box.add('acc', lines);
    expect(JSON.parse(store.m.get(OUTBOX_KEY)!)).toHaveLength(1);
    await box.flush();
    expect(box.entries()[0]).toMatchObject({ state: 'waiting', attempts: 1, error: 'Failed to fetch' });
    online = true;
    await Promise.all([box.flush(), box.flush()]);
    expect(sent.map((b) => b.clientId)).toEqual([e.clientId]);
    expect(box.entries()[0]).toMatchObject({ state: 'sent', attempts: 2 });
    await box.flush();
    expect(sent).toHaveLength(1);
  });

  it('survives a reload: a new outbox on the same storage sends what the old one queued', async () => {
    const store = memory();
    new CountOutbox(store, () => Promise.reject(new TypeError('offline'))).add('acc', lines);
    const sent: string[] = [];
    await new CountOutbox(store, async (a) => { sent.push(a); }).flush();
    expect(sent).toEqual(['acc']);
  });

  it('marks a count the server refuses as failed and does not retry it, but retries a server error', async () => {
    const store = memory();
    let calls = 0;
    const box = new CountOutbox(store, async () => { calls++; throw calls === 1 ? new ApiError(503, 'unavailable', 'down') : new ApiError(400, 'validation', 'bad'); });
    box.add('acc', lines);
    await box.flush();
    expect(box.entries()[0]!.state).toBe('waiting');
    await box.flush();
    expect(box.entries()[0]!.state).toBe('failed');
    await box.flush();
    expect(calls).toBe(2);
  });

  it('makes version-4 UUIDs', () => {
    expect(clientUuid()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
