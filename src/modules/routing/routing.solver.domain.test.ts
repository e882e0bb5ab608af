import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hasReferenceData, referencePath } from '../../shared/reference-data.js';
import { checkSolution } from './routing.checker.domain.js';
import { parseSolomon, solomonToProblem } from './routing.solomon.domain.js';
import { solveVrp } from './routing.solver.domain.js';
import { tinyProblem } from './routing.test-factories.js';
import { createRandom } from './routing.random.domain.js';

const solomon = (name: string) => solomonToProblem(parseSolomon(readFileSync(referencePath('routing', 'solomon', `${name}.txt`), 'utf8')));

describe.skipIf(!hasReferenceData)('solveVrp on Solomon instances', () => {
  it('returns a feasible solution of C101 that serves all 100 customers', () => {
    const p = solomon('C101');
    const s = solveVrp(p, { timeLimitMs: 200, seed: 1 });
    const report = checkSolution(p, s.routes, { claimedDistance: s.distance });
    expect(report.violations).toEqual([]);
    expect(s.unassigned).toEqual([]);
    expect(s.routes.flatMap((r) => r.nodes).sort((a, b) => a - b)).toEqual(p.customers);
    expect(s.vehicles).toBeLessThanOrEqual(25);
    expect(s.distance).toBeLessThan(828.94 * 1.1);
  });

  it('gives the same routes for the same seed and time limit', () => {
    const p = solomon('R101');
    const a = solveVrp(p, { timeLimitMs: 100, seed: 7, wallClockLimitMs: 60_000 });
    const b = solveVrp(p, { timeLimitMs: 100, seed: 7, wallClockLimitMs: 60_000 });
    expect(a.stoppedBy).toBe('budget');
    expect(b.routes).toEqual(a.routes);
    expect(b.distance).toBe(a.distance);
  });

  it('uses fewer vehicles under the vehicles-then-distance objective', () => {
    const p = solomon('R101');
    const free = solveVrp(p, { timeLimitMs: 150, seed: 1 });
    const hier = solveVrp(p, { timeLimitMs: 150, seed: 1, objective: 'vehicles-then-distance' });
    expect(checkSolution(p, hier.routes).feasible).toBe(true);
    expect(hier.vehicles).toBeLessThanOrEqual(free.vehicles);
  });
});

describe('solveVrp on small problems', () => {
  it('never returns a plan that breaks a window it claims to meet (random instances)', () => {
    const rng = createRandom(3);
    for (let k = 0; k < 20; k++) {
      const customers = Array.from({ length: 15 }, () => {
        const a = rng.int(300);
        const b = a + 10 + rng.int(60);
        const windows: [number, number][] = rng.next() < 0.3 ? [[a, b], [b + 50, b + 80]] : [[a, b]];
        return { x: rng.int(100) - 50, y: rng.int(100) - 50, demand: 1 + rng.int(20), service: rng.int(15), windows };
      });
      const p = tinyProblem(customers, { vehicles: 3, capacity: 60, shiftEnd: 400 });
      const s = solveVrp(p, { timeLimitMs: 20, seed: k });
      const report = checkSolution(p, s.routes, { unassigned: s.unassigned, claimedDistance: s.distance });
      expect(report.violations).toEqual([]);
      expect(s.routes.flatMap((r) => r.nodes).length + s.unassigned.length).toBe(15);
    }
  });

  it('reports a customer nobody can reach in time as unassigned instead of dropping it', () => {
    const p = tinyProblem([{ x: 10, y: 0 }, { x: 90, y: 0, windows: [[0, 50]] }], { vehicles: 2, capacity: 10, shiftEnd: 500 });
    const s = solveVrp(p, { timeLimitMs: 10 });
    expect(s.unassigned).toEqual([2]);
    expect(s.routes.flatMap((r) => r.nodes)).toEqual([1]);
  });

  it('waits for a later window when the first has closed', () => {
    const p = tinyProblem([{ x: 30, y: 0, windows: [[0, 10], [100, 120]] }]);
    const s = solveVrp(p, { timeLimitMs: 5 });
    expect(s.unassigned).toEqual([]);
    expect(checkSolution(p, s.routes).routes[0]!.starts).toEqual([100]);
  });

  it('handles an empty problem', () => {
    const s = solveVrp(tinyProblem([]), { timeLimitMs: 5 });
    expect(s).toMatchObject({ routes: [], unassigned: [], distance: 0, vehicles: 0 });
  });
});
