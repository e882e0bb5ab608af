/**
 * Independent feasibility checker. It shares no scheduling code with the solver: it walks
 * every route from scratch, recomputing arrival, service start, load and distance, and
 * lists every broken rule. An empty `violations` list is the only proof of feasibility the
 * rest of the module trusts.
 */
import type { DayPlan, DayPlanInput } from './routing.day-planner.domain.js';
import type { VrpProblem, VrpRoute } from './routing.problem.domain.js';
import type { TravelMatrix } from './routing.travel.domain.js';

export type ViolationKind =
  | 'unknown-node' | 'not-a-customer' | 'duplicate' | 'missing' | 'unknown-vehicle' | 'vehicle-reused'
  | 'capacity' | 'time-window' | 'shift-end' | 'distance-mismatch';

export type Violation = { kind: ViolationKind; vehicle?: string; node?: string; message: string };

export type CheckedRoute = {
  vehicle: string;
  nodes: number[];
  /** Per customer: arrival and service start. */
  arrivals: number[];
  starts: number[];
  load: number;
  distance: number;
  /** Arrival back at the vehicle's end node. */
  returnTime: number;
};

export type CheckReport = { feasible: boolean; violations: Violation[]; distance: number; routes: CheckedRoute[] };

export type CheckOptions = {
  /** Customers the solution admits leaving out; any other customer not routed is "missing". */
  unassigned?: readonly number[];
  /** Distance the solution claims; compared with the recomputed one. */
  claimedDistance?: number;
  /** Slack for floating-point comparisons (default 1e-6). */
  tolerance?: number;
};

/** Recomputes every route of `routes` on `problem` and returns all violations found. */
export function checkSolution(problem: VrpProblem, routes: readonly VrpRoute[], options: CheckOptions = {}): CheckReport {
  const eps = options.tolerance ?? 1e-6;
  const n = problem.size;
  const violations: Violation[] = [];
  const isCustomer = new Set(problem.customers);
  const seen = new Map<number, number>();
  const usedVehicles = new Set<number>();
  const checked: CheckedRoute[] = [];
  const label = (node: number): string => problem.labels[node] ?? String(node);
  let total = 0;

  for (const route of routes) {
    const v = problem.vehicles[route.vehicle];
    if (!v) {
      violations.push({ kind: 'unknown-vehicle', vehicle: String(route.vehicle), message: `vehicle index ${route.vehicle} does not exist` });
      continue;
    }
    if (route.nodes.length === 0) continue;
    if (usedVehicles.has(route.vehicle)) violations.push({ kind: 'vehicle-reused', vehicle: v.id, message: `vehicle ${v.id} drives more than one route` });
    usedVehicles.add(route.vehicle);
    let time = v.shiftStart;
    let prev = v.start;
    let load = 0;
    let distance = 0;
    const arrivals: number[] = [];
    const starts: number[] = [];
    for (const node of route.nodes) {
      if (!Number.isInteger(node) || node < 0 || node >= n) {
        violations.push({ kind: 'unknown-node', vehicle: v.id, node: String(node), message: `node ${node} does not exist` });
        continue;
      }
      if (!isCustomer.has(node)) violations.push({ kind: 'not-a-customer', vehicle: v.id, node: label(node), message: `node ${label(node)} is not a customer` });
      seen.set(node, (seen.get(node) ?? 0) + 1);
      distance += problem.dist[prev * n + node]!;
      const arrival = time + problem.time[prev * n + node]!;
      const windows = problem.windows[node] ?? [];
      let start = Number.NaN;
      for (const [a, b] of windows) {
        if (arrival <= b + eps) { start = Math.max(arrival, a); break; }
      }
      if (Number.isNaN(start)) {
        const last = windows[windows.length - 1];
        violations.push({
          kind: 'time-window', vehicle: v.id, node: label(node),
          message: last
            ? `customer ${label(node)}: arrival ${arrival.toFixed(2)} after its last window closes at ${last[1]}`
            : `customer ${label(node)} has no time window`,
        });
        start = arrival;
      }
      arrivals.push(arrival);
      starts.push(start);
      load += problem.demand[node]!;
      time = start + problem.service[node]!;
      prev = node;
    }
    distance += problem.dist[prev * n + v.end]!;
    const returnTime = time + problem.time[prev * n + v.end]!;
    if (returnTime > v.shiftEnd + eps) {
      violations.push({ kind: 'shift-end', vehicle: v.id, message: `vehicle ${v.id} returns at ${returnTime.toFixed(2)}, after its shift ends at ${v.shiftEnd}` });
    }
    if (load > v.capacity + eps) {
      violations.push({ kind: 'capacity', vehicle: v.id, message: `vehicle ${v.id} carries ${load}, over its capacity ${v.capacity}` });
    }
    total += distance;
    checked.push({ vehicle: v.id, nodes: [...route.nodes], arrivals, starts, load, distance, returnTime });
  }

  const admitted = new Set(options.unassigned ?? []);
  for (const c of problem.customers) {
    const count = seen.get(c) ?? 0;
    if (count > 1) violations.push({ kind: 'duplicate', node: label(c), message: `customer ${label(c)} is visited ${count} times` });
    if (count === 0 && !admitted.has(c)) violations.push({ kind: 'missing', node: label(c), message: `customer ${label(c)} is neither routed nor reported unassigned` });
    if (count > 0 && admitted.has(c)) violations.push({ kind: 'duplicate', node: label(c), message: `customer ${label(c)} is both routed and reported unassigned` });
  }
  if (options.claimedDistance !== undefined && Math.abs(options.claimedDistance - total) > Math.max(eps, 1e-9 * total)) {
    violations.push({ kind: 'distance-mismatch', message: `claimed distance ${options.claimedDistance} but routes measure ${total}` });
  }
  return { feasible: violations.length === 0, violations, distance: total, routes: checked };
}

/**
 * Verifies a day plan against its input, from scratch: every stop planned once or listed
 * unassigned, every visit inside an opening window and its fixed slot, arrivals consistent
 * with travel times, the day kept. Returns human-readable violations (empty when sound).
 */
export function verifyDayPlan(input: DayPlanInput, plan: DayPlan, matrix: TravelMatrix, tolerance = 1e-6): string[] {
  const out: string[] = [];
  const n = matrix.size;
  const index = new Map(input.stops.map((s, i) => [s.id, i + 1]));
  const seen = new Map<string, number>();
  for (const v of plan.visits) seen.set(v.stopId, (seen.get(v.stopId) ?? 0) + 1);
  for (const u of plan.unassigned) seen.set(u.stopId, (seen.get(u.stopId) ?? 0) + 1);
  for (const s of input.stops) {
    const c = seen.get(s.id) ?? 0;
    if (c !== 1) out.push(`stop ${s.id} appears ${c} times among visits and unassigned`);
  }
  for (const id of seen.keys()) if (!index.has(id)) out.push(`unknown stop ${id} in the plan`);
  const dayStart = clock(input.dayStart);
  const dayEnd = clock(input.dayEnd);
  const endNode = input.end ? input.stops.length + 1 : 0;
  if (plan.departureMinutes < dayStart - tolerance) out.push(`departure ${plan.departure} before the day starts`);
  let t = plan.departureMinutes;
  let prev = 0;
  for (const v of plan.visits) {
    const node = index.get(v.stopId);
    if (node === undefined) continue;
    const stop = input.stops[node - 1]!;
    const arrival = t + matrix.minutes[prev * n + node]!;
    if (Math.abs(arrival - v.arrivalMinutes) > tolerance) out.push(`${v.stopId}: claims arrival ${v.arrivalMinutes}, travel gives ${arrival}`);
    if (v.startMinutes < arrival - tolerance) out.push(`${v.stopId}: starts at ${v.startMinutes}, before arriving at ${arrival}`);
    const end = v.startMinutes + stop.visitMinutes;
    if (Math.abs(end - v.endMinutes) > tolerance) out.push(`${v.stopId}: end ${v.endMinutes} is not start + ${stop.visitMinutes} min`);
    if (stop.openingHours) {
      const inside = stop.openingHours.some((w) => v.startMinutes >= clock(w.start) - tolerance && end <= clock(w.end) + tolerance);
      if (!inside) out.push(`${v.stopId}: visit ${v.startMinutes}–${end} is outside the opening hours`);
    }
    if (stop.fixedSlot) {
      const slot = clock(stop.fixedSlot.start);
      if (Math.abs(v.startMinutes - slot) > (stop.fixedSlot.toleranceMinutes ?? 0) + tolerance) out.push(`${v.stopId}: starts at ${v.startMinutes}, off its fixed slot ${slot}`);
    }
    t = end;
    prev = node;
  }
  const back = t + matrix.minutes[prev * n + endNode]!;
  if (Math.abs(back - plan.returnMinutes) > tolerance) out.push(`claims return ${plan.returnMinutes}, travel gives ${back}`);
  if (back > dayEnd + tolerance) out.push(`returns at ${back}, after the day ends at ${dayEnd}`);
  return out;
}

function clock(v: string | number): number {
  if (typeof v === 'number') return v;
  const [h, m] = v.split(':').map(Number);
  return h! * 60 + m!;
}
