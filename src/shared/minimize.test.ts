import { describe, expect, it } from 'vitest';
import { minimizeBfgs } from './minimize.js';

describe('minimizeBfgs', () => {
  it('finds the minimum of the Rosenbrock valley', () => {
    const res = minimizeBfgs((x, g) => {
      const [a, b] = [x[0]!, x[1]!];
      g[0] = -2 * (1 - a) - 400 * a * (b - a * a);
      g[1] = 200 * (b - a * a);
      return (1 - a) ** 2 + 100 * (b - a * a) ** 2;
    }, [-1.2, 1]);
    expect(res.converged).toBe(true);
    expect(res.x[0]).toBeCloseTo(1, 6);
    expect(res.x[1]).toBeCloseTo(1, 6);
  });

  it('backs off from points where the objective is not finite', () => {
    // exp(u) blows up for u > 700; the minimum of e^u − 2u is at ln 2.
    const res = minimizeBfgs((x, g) => {
      const u = x[0]!;
      if (u > 5) return Infinity;
      g[0] = Math.exp(u) - 2;
      return Math.exp(u) - 2 * u;
    }, [4.9]);
    expect(res.converged).toBe(true);
    expect(res.x[0]).toBeCloseTo(Math.log(2), 8);
  });

  it('says it did not converge when the objective has no minimum', () => {
    const res = minimizeBfgs((x, g) => {
      g[0] = -1;
      return -x[0]!;
    }, [0], { maxIterations: 20 });
    expect(res.converged).toBe(false);
  });
});
