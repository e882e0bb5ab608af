/** Small problems for the routing tests (not used by production code). */
import { euclideanMatrix, type TimeWindow, type VrpProblem } from './routing.problem.domain.js';

export type TinyCustomer = { x: number; y: number; demand?: number; service?: number; windows?: TimeWindow[] };

/** A planar problem: depot at (0,0), identical vehicles, travel time = distance. */
export function tinyProblem(customers: TinyCustomer[], fleet = { vehicles: 3, capacity: 100, shiftEnd: 1000 }): VrpProblem {
  const coords = [[0, 0] as const, ...customers.map((c) => [c.x, c.y] as const)];
  const m = euclideanMatrix(coords);
  return {
    name: 'tiny',
    size: coords.length,
    dist: m,
    time: m,
    demand: Float64Array.from([0, ...customers.map((c) => c.demand ?? 1)]),
    service: Float64Array.from([0, ...customers.map((c) => c.service ?? 0)]),
    windows: [[[0, fleet.shiftEnd]], ...customers.map((c) => c.windows ?? [[0, fleet.shiftEnd] as const])],
    customers: customers.map((_, i) => i + 1),
    vehicles: Array.from({ length: fleet.vehicles }, (_, k) => ({ id: `v${k + 1}`, start: 0, end: 0, shiftStart: 0, shiftEnd: fleet.shiftEnd, capacity: fleet.capacity })),
    labels: coords.map((_, i) => String(i)),
    coords,
  };
}
