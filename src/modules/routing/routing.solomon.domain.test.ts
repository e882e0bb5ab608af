import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hasReferenceData, referencePath } from '../../shared/reference-data.js';
import { parseSolomon, solomonToProblem } from './routing.solomon.domain.js';

describe.skipIf(!hasReferenceData)('Solomon parser on the reference instances', () => {
  it('reads C101: fleet, depot and 100 customers', () => {
    const inst = parseSolomon(readFileSync(referencePath('routing', 'solomon', 'C101.txt'), 'utf8'));
    expect(inst.name).toBe('C101');
    expect(inst.vehicles).toBe(25);
    expect(inst.capacity).toBe(200);
    expect(inst.depot).toEqual({ id: 0, x: 40, y: 50, demand: 0, ready: 0, due: 1236, service: 0 });
    expect(inst.customers).toHaveLength(100);
    expect(inst.customers[0]).toEqual({ id: 1, x: 45, y: 68, demand: 10, ready: 912, due: 967, service: 90 });
  });

  it('reads R101 with Windows line endings and builds a Euclidean problem', () => {
    const p = solomonToProblem(parseSolomon(readFileSync(referencePath('routing', 'solomon', 'R101.txt'), 'utf8')));
    expect(p.size).toBe(101);
    expect(p.vehicles).toHaveLength(25);
    expect(p.vehicles[0]).toMatchObject({ start: 0, end: 0, shiftStart: 0, shiftEnd: 230, capacity: 200 });
    // depot (35,35) → customer 1 (41,49)
    expect(p.dist[1]).toBeCloseTo(Math.hypot(6, 14), 12);
    expect(p.windows[1]).toEqual([[161, 171]]);
  });
});

describe('Solomon parser on malformed input', () => {
  it('names what is missing', () => {
    expect(() => parseSolomon('')).toThrow(/empty/);
    expect(() => parseSolomon('X\nVEHICLE\nNUMBER CAPACITY\n 25 200\n')).toThrow(/CUSTOMER/);
    expect(() => parseSolomon('X\nVEHICLE\n25 200\nCUSTOMER\n0 1 2 0 0 100 0\n1 2 3 x 0 10 5\n')).toThrow(/line 6/);
  });
});
