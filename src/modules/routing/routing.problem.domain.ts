/**
 * The routing problem every solver, planner and checker in this module works on: a set of
 * nodes (customers and bases) with a travel matrix, and a fleet. Pure data, no I/O.
 *
 * Time windows bound the *start* of service (Solomon convention): a visit may start
 * anywhere inside one of the node's windows; arriving early means waiting. A planner that
 * needs a visit to end before closing time shortens the window by the visit duration.
 */

/** A time window [start, end] on service start. */
export type TimeWindow = readonly [number, number];

export type VrpVehicle = {
  /** Label in output (e.g. "1" or the manager's id). */
  id: string;
  /** Node the vehicle leaves from and node it returns to. */
  start: number;
  end: number;
  /** Earliest departure from `start`, latest arrival at `end`. */
  shiftStart: number;
  shiftEnd: number;
  capacity: number;
};

export type VrpProblem = {
  name: string;
  /** Number of nodes; matrices are size × size, row-major (from × size + to). */
  size: number;
  /** Cost of an arc (the objective: distance). */
  dist: Float64Array;
  /** Travel time of an arc. */
  time: Float64Array;
  demand: Float64Array;
  service: Float64Array;
  /** Per node, sorted disjoint service-start windows; an empty list means never available. */
  windows: readonly (readonly TimeWindow[])[];
  /** Node indices that must be visited (each once). */
  customers: readonly number[];
  vehicles: readonly VrpVehicle[];
  /** Node labels for output (customer ids). */
  labels: readonly string[];
  /** Optional weight of leaving a customer unserved (default 1); higher is kept first. */
  priority?: Float64Array;
  /** Optional planar coordinates, used only for display and neighbourhoods. */
  coords?: readonly (readonly [number, number])[];
};

/** A route: the vehicle's index and the customers (node indices) in visiting order. */
export type VrpRoute = { vehicle: number; nodes: number[] };

export const ALWAYS_OPEN: readonly TimeWindow[] = [[-Infinity, Infinity]];

/** Sorts windows, drops empty ones and merges overlaps, so solvers may scan them in order. */
export function normaliseWindows(windows: readonly TimeWindow[]): TimeWindow[] {
  const sorted = windows.filter((w) => w[1] >= w[0]).map((w) => [w[0], w[1]] as [number, number]).sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const w of sorted) {
    const last = out[out.length - 1];
    if (last && w[0] <= last[1]) last[1] = Math.max(last[1], w[1]);
    else out.push(w);
  }
  return out;
}

/** Intersects two window lists (both normalised). */
export function intersectWindows(a: readonly TimeWindow[], b: readonly TimeWindow[]): TimeWindow[] {
  const out: TimeWindow[] = [];
  for (const x of a) for (const y of b) {
    const s = Math.max(x[0], y[0]);
    const e = Math.min(x[1], y[1]);
    if (s <= e) out.push([s, e]);
  }
  return normaliseWindows(out);
}

/** Euclidean distance matrix of planar points (double precision, as the Solomon BKS use). */
export function euclideanMatrix(points: readonly (readonly [number, number])[]): Float64Array {
  const n = points.length;
  const m = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const [xi, yi] = points[i]!;
    for (let j = 0; j < n; j++) {
      const [xj, yj] = points[j]!;
      m[i * n + j] = Math.sqrt((xi - xj) * (xi - xj) + (yi - yj) * (yi - yj));
    }
  }
  return m;
}

/** Total cost of routes under the problem's distance matrix. */
export function routesDistance(problem: VrpProblem, routes: readonly VrpRoute[]): number {
  let total = 0;
  for (const r of routes) {
    if (r.nodes.length === 0) continue;
    const v = problem.vehicles[r.vehicle]!;
    let prev = v.start;
    for (const c of r.nodes) {
      total += problem.dist[prev * problem.size + c]!;
      prev = c;
    }
    total += problem.dist[prev * problem.size + v.end]!;
  }
  return total;
}
