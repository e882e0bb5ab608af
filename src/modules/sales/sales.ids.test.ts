import { describe, expect, it } from 'vitest';
import { bulkIdGenerator } from './sales.ids.js';

const uuidV7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const msOf = (id: string) => parseInt(id.replace(/-/g, '').slice(0, 12), 16);

describe('bulkIdGenerator', () => {
  it('gives valid UUIDv7 ids, strictly increasing, with the current time', () => {
    const next = bulkIdGenerator();
    const t0 = Date.now();
    const ids = Array.from({ length: 50_000 }, next);
    const t1 = Date.now();
    for (const id of ids) expect(id).toMatch(uuidV7);
    for (let i = 1; i < ids.length; i++) expect(ids[i]! > ids[i - 1]!).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect(msOf(ids[0]!)).toBeGreaterThanOrEqual(t0);
    // The counter may push the timestamp a little ahead when more than 4096 ids are made in one millisecond.
    expect(msOf(ids[ids.length - 1]!)).toBeLessThanOrEqual(t1 + Math.ceil(ids.length / 4096));
  });

  it('stays monotonic when the clock stands still or goes back, moving the timestamp on when the counter runs out', () => {
    let t = 1_800_000_000_000;
    const next = bulkIdGenerator(() => t);
    const ids = Array.from({ length: 5000 }, next);
    t -= 10_000; // the clock goes back
    ids.push(...Array.from({ length: 10 }, next));
    for (const id of ids) expect(id).toMatch(uuidV7);
    for (let i = 1; i < ids.length; i++) expect(ids[i]! > ids[i - 1]!).toBe(true);
    expect(msOf(ids[0]!)).toBe(1_800_000_000_000);
    expect(msOf(ids[4095]!)).toBe(1_800_000_000_000);
    expect(msOf(ids[4096]!)).toBe(1_800_000_000_001);
  });
});
