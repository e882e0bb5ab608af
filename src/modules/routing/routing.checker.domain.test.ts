import { describe, expect, it } from 'vitest';
import { checkSolution } from './routing.checker.domain.js';
import { tinyProblem } from './routing.test-factories.js';

// Customers on a line: 1 at x=10, 2 at x=20, 3 at x=30.
const problem = tinyProblem([
  { x: 10, y: 0, demand: 40, windows: [[0, 15]] },
  { x: 20, y: 0, demand: 40, service: 5, windows: [[0, 100]] },
  { x: 30, y: 0, demand: 40, windows: [[35, 40]] },
], { vehicles: 2, capacity: 100, shiftEnd: 200 });

describe('checkSolution', () => {
  it('accepts a feasible plan and recomputes its times and distance', () => {
    const r = checkSolution(problem, [{ vehicle: 0, nodes: [1, 2] }, { vehicle: 1, nodes: [3] }]);
    expect(r.violations).toEqual([]);
    expect(r.feasible).toBe(true);
    expect(r.distance).toBeCloseTo(40 + 60, 9);
    expect(r.routes[0]!.starts).toEqual([10, 20]);
    expect(r.routes[1]!.starts).toEqual([35]); // waits from 30 to 35
  });

  it('catches a broken time window', () => {
    // 2 then 1: arrives at 1 at 20 + 5 + 10 = 35 > 15
    const r = checkSolution(problem, [{ vehicle: 0, nodes: [2, 1] }, { vehicle: 1, nodes: [3] }]);
    expect(r.feasible).toBe(false);
    expect(r.violations).toEqual([expect.objectContaining({ kind: 'time-window', node: '1' })]);
  });

  it('catches an overloaded vehicle', () => {
    const r = checkSolution(problem, [{ vehicle: 0, nodes: [1, 2, 3] }]);
    expect(r.violations.map((v) => v.kind)).toContain('capacity');
  });

  it('catches a late return, a missing and a duplicated customer', () => {
    const late = tinyProblem([{ x: 100, y: 0 }], { vehicles: 1, capacity: 10, shiftEnd: 150 });
    expect(checkSolution(late, [{ vehicle: 0, nodes: [1] }]).violations.map((v) => v.kind)).toEqual(['shift-end']);
    const kinds = checkSolution(problem, [{ vehicle: 0, nodes: [1, 1] }]).violations.map((v) => v.kind);
    expect(kinds).toEqual(expect.arrayContaining(['duplicate', 'missing']));
  });

  it('accepts customers the solution reports as unassigned, and checks the claimed distance', () => {
    const r = checkSolution(problem, [{ vehicle: 0, nodes: [1, 2] }], { unassigned: [3], claimedDistance: 40 });
    expect(r.feasible).toBe(true);
    const wrong = checkSolution(problem, [{ vehicle: 0, nodes: [1, 2] }], { unassigned: [3], claimedDistance: 39 });
    expect(wrong.violations.map((v) => v.kind)).toEqual(['distance-mismatch']);
  });

  it('respects several windows per customer', () => {
    const p = tinyProblem([{ x: 10, y: 0, windows: [[0, 5], [20, 30]] }]);
    const r = checkSolution(p, [{ vehicle: 0, nodes: [1] }]);
    expect(r.routes[0]!.starts).toEqual([20]);
    expect(r.feasible).toBe(true);
  });
});
