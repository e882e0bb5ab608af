import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasReferenceData, referencePath } from '../../shared/reference-data.js';
import { run } from './routing.cli.js';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { stdout: (s: string) => out.push(s), stderr: (s: string) => err.push(s) }, out, err };
}
const dir = mkdtempSync(path.join(tmpdir(), 'routing-cli-'));
const file = (name: string, text: string) => {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
};

describe('routes:solve', () => {
  it('solves a JSON problem and prints routes, distance, vehicles and unassigned', async () => {
    const p = file('p.json', JSON.stringify({
      stops: [
        { id: 'a', x: 10, y: 0, windows: [{ start: 0, end: 100 }], demand: 1 },
        { id: 'b', x: 20, y: 0, serviceMinutes: 5, demand: 1 },
        { id: 'c', x: 500, y: 0, windows: [{ start: 0, end: 10 }] },
      ],
      vehicles: [{ id: 'van', base: { x: 0, y: 0 }, capacity: 5, count: 2 }],
    }));
    const c = capture();
    expect(await run('routes:solve', [p, '--time-limit', '0.05', '--seed', '3'], c.io)).toBe(0);
    const out = JSON.parse(c.out.join(''));
    expect(out).toEqual({
      routes: [{ vehicle: 'van-1', stops: ['a', 'b'] }],
      distance: 40,
      vehicles: 1,
      unassigned: [{ id: 'c', reason: expect.stringContaining('no vehicle can reach it') }],
    });
  });

  it.skipIf(!hasReferenceData)('solves a Solomon file with numeric customer ids', async () => {
    const c = capture();
    expect(await run('routes:solve', [referencePath('routing', 'solomon', 'C201.txt'), '--time-limit', '0.1'], c.io)).toBe(0);
    const out = JSON.parse(c.out.join(''));
    expect(Object.keys(out)).toEqual(['routes', 'distance', 'vehicles', 'unassigned']);
    expect(out.routes.flatMap((r: { stops: number[] }) => r.stops).sort((a: number, b: number) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(out.vehicles).toBe(out.routes.length);
    expect(typeof out.distance).toBe('number');
  });

  it('exits 2 with a clear message on bad input', async () => {
    const cases: [string[], RegExp][] = [
      [[], /missing FILE/],
      [[path.join(dir, 'missing.txt')], /cannot read .*ENOENT/],
      [[file('bad.json', '{"stops": [], "vehicles": []}')], /invalid problem: stops: .*; vehicles:/],
      [[file('broken.json', '{"stops": [')], /not valid JSON/],
      [[file('mixed.json', JSON.stringify({ stops: [{ id: 'a', lat: 1, lng: 2 }], vehicles: [{ id: 'v', base: { x: 0, y: 0 } }] }))], /mixes lat\/lng and x\/y/],
      [[file('junk.txt', 'hello\n')], /no VEHICLE section/],
      [[file('ok.json', '{}'), '--time-limit', 'soon'], /--time-limit must be/],
      [[file('ok2.json', '{}'), '--colour'], /unknown option --colour/],
    ];
    for (const [args, message] of cases) {
      const c = capture();
      expect(await run('routes:solve', args, c.io)).toBe(2);
      expect(c.err.join('')).toMatch(message);
      expect(c.out).toEqual([]);
    }
  });
});
