/**
 * VRPTW solver: greedy insertion for a first solution, then ruin-and-recreate in the style of
 * SISR (Christiaens & Vanden Berghe, "Slack Induction by String Removals", Transportation
 * Science 2020): remove strings of consecutive customers from a few neighbouring routes,
 * reinsert greedily with "blinks", accept under simulated annealing.
 *
 * Deterministic by design: randomness comes from a seeded generator, and the time limit is
 * turned into a budget of *work units* (insertion positions evaluated, route nodes rescheduled)
 * that drives both the stop test and the annealing schedule. The same seed and time limit
 * give the same routes on every run and machine; a wall-clock guard only stops runaway runs
 * (reported as `stoppedBy: 'wall-clock'`).
 *
 * Supports several windows per node, heterogeneous vehicles (own start/end node, shift and
 * capacity) and customers that cannot be served (left unassigned at a large penalty).
 */
import { checkSolution } from './routing.checker.domain.js';
import { createRandom, type Random } from './routing.random.domain.js';
import type { VrpProblem, VrpRoute } from './routing.problem.domain.js';

export type SolveObjective = 'distance' | 'vehicles-then-distance';

export type SolveOptions = {
  /** Seed of the pseudo-random generator (default 1). */
  seed?: number;
  /** Nominal time limit; converted into a deterministic work budget (default 1000 ms). */
  timeLimitMs?: number;
  /** Optional cap on ruin-and-recreate iterations. */
  maxIterations?: number;
  /** Wall-clock guard (default 3 × timeLimitMs + 2 s); hitting it makes the run non-reproducible. */
  wallClockLimitMs?: number;
  /** `distance` (vehicles free within the fleet) or `vehicles-then-distance`. */
  objective?: SolveObjective;
  /** Clock for the wall-clock guard, injectable for tests. */
  now?: () => number;
  /** Ruin size: average customers removed (default 10) and longest string (default 10). */
  ruin?: { averageRemoved?: number; maxString?: number };
  /**
   * Share of the budget spent first on minimising the fleet under the distance objective
   * (default 0): a start with few long routes helps on instances where merging routes is hard.
   */
  fleetPrelude?: number;
  /** Annealing temperatures at start and end, as fractions of the mean arc cost (default 0.5 → 0.005). */
  temperature?: { start: number; end: number };
  /** Work units per nominal millisecond (calibrated on the benchmark machine). */
  workPerMs?: number;
};

export type SolvedRoute = VrpRoute & { distance: number };

export type VrpSolution = {
  routes: SolvedRoute[];
  /** Customers that could not be served by any vehicle. */
  unassigned: number[];
  distance: number;
  vehicles: number;
  iterations: number;
  stoppedBy: 'budget' | 'iterations' | 'wall-clock';
  elapsedMs: number;
};

/** Work units per nominal millisecond; measured so that a 2 s limit takes about 2 s here. */
export const DEFAULT_WORK_PER_MS = 55_000;

/** Work units charged per iteration for its fixed costs (sorting, bookkeeping). */
const ITERATION_OVERHEAD = 200;

type RouteState = {
  vehicle: number;
  /** start node, customers…, end node */
  seq: number[];
  /** service start (arrival at the end node) per position */
  start: number[];
  /** latest arrival per position that keeps the rest of the route feasible */
  latest: number[];
  load: number;
  cost: number;
};

const cloneRoute = (r: RouteState): RouteState => ({
  vehicle: r.vehicle, seq: r.seq.slice(), start: r.start.slice(), latest: r.latest.slice(), load: r.load, cost: r.cost,
});

/** Solves `problem`; every returned route has been re-verified by the independent checker. */
export function solveVrp(problem: VrpProblem, options: SolveOptions = {}): VrpSolution {
  const engine = new Engine(problem, options);
  const solution = engine.run();
  const report = checkSolution(problem, solution.routes, { unassigned: solution.unassigned });
  if (!report.feasible) {
    // Never hand out a plan that breaks a rule it claims to meet.
    throw new Error(`solver produced an infeasible plan (bug): ${report.violations.map((v) => v.message).join('; ')}`);
  }
  return solution;
}

class Engine {
  private readonly n: number;
  private readonly dist: Float64Array;
  private readonly time: Float64Array;
  private readonly demand: Float64Array;
  private readonly service: Float64Array;
  private readonly twE: Float64Array;
  private readonly twL: Float64Array;
  /** Flattened windows for nodes with more than one window, else null. */
  private readonly multi: (Float64Array | null)[];
  private readonly customers: number[];
  private readonly adj: Int32Array[];
  private readonly vehicleType: Int32Array;
  private readonly fixedCost: number;
  private readonly penalty: number;
  private readonly meanArc: number;
  private readonly rng: Random;

  private routes: RouteState[];
  private routeOf: Int32Array;
  private unassigned: number[] = [];
  private work = 0;
  /** Most routes recreate may use (lowered while minimising the fleet). */
  private maxRoutes = Infinity;

  // transaction
  private backup = new Map<number, RouteState>();
  private savedUnassigned: number[] = [];

  constructor(private readonly p: VrpProblem, private readonly opt: SolveOptions) {
    const n = (this.n = p.size);
    this.dist = p.dist;
    this.time = p.time;
    this.demand = p.demand;
    this.service = p.service;
    this.twE = new Float64Array(n);
    this.twL = new Float64Array(n);
    this.multi = [];
    for (let i = 0; i < n; i++) {
      const w = p.windows[i] ?? [];
      if (w.length === 0) { this.twE[i] = Infinity; this.twL[i] = -Infinity; this.multi.push(null); continue; }
      this.twE[i] = w[0]![0];
      this.twL[i] = w[w.length - 1]![1];
      this.multi.push(w.length > 1 ? Float64Array.from(w.flatMap((x) => [x[0], x[1]])) : null);
    }
    this.customers = [...p.customers];
    this.rng = createRandom(opt.seed ?? 1);

    let maxArc = 0;
    let sum = 0;
    let count = 0;
    for (const a of this.customers) for (const b of this.customers) {
      if (a === b) continue;
      const d = p.dist[a * n + b]!;
      if (Number.isFinite(d)) { sum += d; count++; if (d > maxArc) maxArc = d; }
    }
    for (const v of p.vehicles) for (const c of this.customers) {
      const d = p.dist[v.start * n + c]! + p.dist[c * n + v.end]!;
      if (Number.isFinite(d) && d > maxArc) maxArc = d;
    }
    this.meanArc = count > 0 ? sum / count : Math.max(1, maxArc);
    const scale = Math.max(1, maxArc);
    const objective = opt.objective ?? 'distance';
    this.fixedCost = objective === 'vehicles-then-distance' ? 4 * scale * Math.max(1, this.customers.length) : 0;
    this.penalty = 10 * scale * Math.max(1, this.customers.length) + 10 * this.fixedCost;

    // Neighbour lists by symmetric distance, customers only.
    this.adj = [];
    for (let i = 0; i < n; i++) this.adj.push(new Int32Array(0));
    for (const c of this.customers) {
      const others = this.customers.slice().sort((a, b) => this.sym(c, a) - this.sym(c, b) || a - b);
      this.adj[c] = Int32Array.from(others);
    }

    const typeKeys = new Map<string, number>();
    this.vehicleType = Int32Array.from(p.vehicles.map((v) => {
      const key = `${v.start}|${v.end}|${v.shiftStart}|${v.shiftEnd}|${v.capacity}`;
      if (!typeKeys.has(key)) typeKeys.set(key, typeKeys.size);
      return typeKeys.get(key)!;
    }));

    this.routeOf = new Int32Array(n).fill(-1);
    this.routes = p.vehicles.map((v, k) => {
      const r: RouteState = { vehicle: k, seq: [v.start, v.end], start: [], latest: [], load: 0, cost: 0 };
      this.schedule(r);
      return r;
    });
  }

  private sym(a: number, b: number): number {
    return a === b ? -1 : this.dist[a * this.n + b]! + this.dist[b * this.n + a]!;
  }

  // ---- time windows -------------------------------------------------------------------

  /** Earliest service start at `u` when arriving at `arr`, or Infinity if every window has closed. */
  private earliestStart(u: number, arr: number): number {
    const m = this.multi[u];
    if (m === null || m === undefined) {
      if (arr > this.twL[u]!) return Infinity;
      return arr < this.twE[u]! ? this.twE[u]! : arr;
    }
    for (let k = 0; k < m.length; k += 2) {
      if (arr <= m[k + 1]!) return arr < m[k]! ? m[k]! : arr;
    }
    return Infinity;
  }

  /** Latest arrival at `u` whose service starts no later than `bound`, or -Infinity. */
  private latestArrival(u: number, bound: number): number {
    const m = this.multi[u];
    if (m === null || m === undefined) {
      const l = bound < this.twL[u]! ? bound : this.twL[u]!;
      return l < this.twE[u]! ? -Infinity : l;
    }
    for (let k = m.length - 2; k >= 0; k -= 2) {
      const l = bound < m[k + 1]! ? bound : m[k + 1]!;
      if (l >= m[k]!) return l;
    }
    return -Infinity;
  }

  /** Recomputes a route's schedule, load and cost. */
  private schedule(r: RouteState): void {
    const { seq } = r;
    const n = this.n;
    const v = this.p.vehicles[r.vehicle]!;
    const last = seq.length - 1;
    const start = r.start;
    const latest = r.latest;
    start.length = seq.length;
    latest.length = seq.length;
    start[0] = v.shiftStart;
    let load = 0;
    let cost = 0;
    for (let i = 1; i <= last; i++) {
      const prev = seq[i - 1]!;
      const node = seq[i]!;
      const arr = start[i - 1]! + (i === 1 ? 0 : this.service[prev]!) + this.time[prev * n + node]!;
      cost += this.dist[prev * n + node]!;
      if (i < last) {
        start[i] = this.earliestStart(node, arr);
        load += this.demand[node]!;
      } else start[i] = arr;
    }
    latest[last] = v.shiftEnd;
    for (let i = last - 1; i >= 0; i--) {
      const node = seq[i]!;
      const bound = latest[i + 1]! - (i === 0 ? 0 : this.service[node]!) - this.time[node * n + seq[i + 1]!]!;
      latest[i] = i === 0 ? bound : this.latestArrival(node, bound);
    }
    r.load = load;
    r.cost = last > 1 ? cost + this.fixedCost : 0;
    this.work += seq.length;
  }

  // ---- transactions -------------------------------------------------------------------

  private touch(k: number): RouteState {
    if (!this.backup.has(k)) {
      this.backup.set(k, this.routes[k]!);
      this.routes[k] = cloneRoute(this.routes[k]!);
    }
    return this.routes[k]!;
  }

  private begin(): void {
    this.backup.clear();
    this.savedUnassigned = this.unassigned.slice();
  }

  private rollback(): void {
    for (const [k, r] of this.backup) {
      this.routes[k] = r;
      for (let i = 1; i < r.seq.length - 1; i++) this.routeOf[r.seq[i]!] = k;
    }
    for (const c of this.savedUnassigned) this.routeOf[c] = -1;
    this.unassigned = this.savedUnassigned;
    this.backup.clear();
  }

  private totalCost(): number {
    let c = 0;
    const pr = this.p.priority;
    if (pr) for (const u of this.unassigned) c += this.penalty * (pr[u] ?? 1);
    else c = this.unassigned.length * this.penalty;
    for (const r of this.routes) c += r.cost;
    return c;
  }

  // ---- ruin ---------------------------------------------------------------------------

  private ruin(avgRemoved: number, maxString: number): number[] {
    const removed: number[] = [];
    let used = 0;
    let assigned = 0;
    for (const r of this.routes) if (r.seq.length > 2) { used++; assigned += r.seq.length - 2; }
    if (used === 0) return removed;
    const lsMax = Math.min(maxString, assigned / used);
    const ksMax = (4 * avgRemoved) / (1 + lsMax) - 1;
    const ks = Math.floor(this.rng.next() * ksMax) + 1;
    const seed = this.customers[this.rng.int(this.customers.length)]!;
    const ruined = new Set<number>();
    const visit = (c: number): boolean => {
      const k = this.routeOf[c]!;
      if (k < 0 || ruined.has(k)) return false;
      const r = this.touch(k);
      const len = r.seq.length - 2;
      const ltMax = Math.min(len, lsMax);
      const lt = Math.floor(this.rng.next() * ltMax) + 1;
      const pos = r.seq.indexOf(c);
      if (lt + 1 < len && this.rng.next() < 0.5) {
        // split string: remove lt customers from a string of lt + m, keeping m in the middle
        let m = 1;
        while (lt + m < len && this.rng.next() > 0.5) m++;
        const total = lt + m;
        const lo = Math.max(1, pos - total + 1);
        const hi = Math.min(pos, len - total + 1);
        const s = lo + this.rng.int(hi - lo + 1);
        const keepAt = s + this.rng.int(lt + 1);
        const out: number[] = [];
        for (let i = s; i < s + total; i++) {
          if (i >= keepAt && i < keepAt + m) continue;
          out.push(r.seq[i]!);
        }
        const kept = r.seq.slice(keepAt, keepAt + m);
        r.seq.splice(s, total, ...kept);
        for (const x of out) { this.routeOf[x] = -1; removed.push(x); }
      } else {
        const lo = Math.max(1, pos - lt + 1);
        const hi = Math.min(pos, len - lt + 1);
        const s = lo + this.rng.int(hi - lo + 1);
        const out = r.seq.splice(s, lt);
        for (const x of out) { this.routeOf[x] = -1; removed.push(x); }
      }
      this.schedule(r);
      ruined.add(k);
      return true;
    };
    visit(seed);
    const near = this.adj[seed]!;
    for (let i = 0; i < near.length && ruined.size < ks; i++) visit(near[i]!);
    return removed;
  }

  // ---- recreate -----------------------------------------------------------------------

  private sortForInsertion(list: number[], depot: number): void {
    const u = this.rng.next() * 11;
    const n = this.n;
    if (u < 4) {
      for (let i = list.length - 1; i > 0; i--) {
        const j = this.rng.int(i + 1);
        const t = list[i]!; list[i] = list[j]!; list[j] = t;
      }
    } else if (u < 8) list.sort((a, b) => this.demand[b]! - this.demand[a]! || a - b);
    else if (u < 10) list.sort((a, b) => this.dist[depot * n + b]! - this.dist[depot * n + a]! || a - b);
    else list.sort((a, b) => this.dist[depot * n + a]! - this.dist[depot * n + b]! || a - b);
    const pr = this.p.priority;
    if (pr) list.sort((a, b) => (pr[b] ?? 1) - (pr[a] ?? 1));
  }

  /** Greedy insertion with blinks; customers that fit nowhere join `unassigned`. */
  private recreate(list: number[], blink: number): void {
    const n = this.n;
    const typeSeen = new Uint8Array(this.p.vehicles.length);
    const rng = this.rng;
    let used = 0;
    for (const r of this.routes) if (r.seq.length > 2) used++;
    for (const u of list) {
      let best = Infinity;
      let bestK = -1;
      let bestPos = -1;
      typeSeen.fill(0);
      const dU = this.demand[u]!;
      const sU = this.service[u]!;
      const eU = this.twE[u]!;
      const lU = this.twL[u]!;
      const single = this.multi[u] === null;
      for (let k = 0; k < this.routes.length; k++) {
        const r = this.routes[k]!;
        const seq = r.seq;
        if (seq.length === 2) {
          if (used >= this.maxRoutes) continue;
          const t = this.vehicleType[k]!;
          if (typeSeen[t]) continue;
          typeSeen[t] = 1;
        }
        const v = this.p.vehicles[k]!;
        if (r.load + dU > v.capacity) continue;
        const start = r.start;
        const latest = r.latest;
        const last = seq.length - 1;
        this.work += last;
        for (let i = 0; i < last; i++) {
          const si = start[i]!;
          if (si > lU) break;
          if (rng.next() < blink) continue;
          const prev = seq[i]!;
          const next = seq[i + 1]!;
          const delta = this.dist[prev * n + u]! + this.dist[u * n + next]! - this.dist[prev * n + next]!;
          if (delta >= best) continue;
          const arr = si + (i === 0 ? 0 : this.service[prev]!) + this.time[prev * n + u]!;
          let s: number;
          if (single) {
            if (arr > lU) continue;
            s = arr < eU ? eU : arr;
          } else {
            s = this.earliestStart(u, arr);
            if (s === Infinity) continue;
          }
          if (s + sU + this.time[u * n + next]! > latest[i + 1]!) continue;
          best = delta + (last === 1 ? this.fixedCost : 0);
          bestK = k;
          bestPos = i + 1;
        }
      }
      if (bestK < 0) {
        this.unassigned.push(u);
        this.routeOf[u] = -1;
        continue;
      }
      const r = this.touch(bestK);
      if (r.seq.length === 2) used++;
      r.seq.splice(bestPos, 0, u);
      this.routeOf[u] = bestK;
      this.schedule(r);
    }
  }

  // ---- main loop ----------------------------------------------------------------------

  run(): VrpSolution {
    const now = this.opt.now ?? (() => performance.now());
    const t0 = now();
    const timeLimit = this.opt.timeLimitMs ?? 1000;
    const budget = Math.max(1, timeLimit * (this.opt.workPerMs ?? DEFAULT_WORK_PER_MS));
    const wallLimit = this.opt.wallClockLimitMs ?? 3 * timeLimit + 2000;
    const maxIterations = this.opt.maxIterations ?? Infinity;
    const depot = this.p.vehicles[0]?.start ?? 0;

    // Construction: greedy insertion, hardest-first (furthest from the depot).
    this.begin();
    const all = this.customers.slice();
    all.sort((a, b) => this.dist[depot * this.n + b]! - this.dist[depot * this.n + a]! || a - b);
    this.recreate(all, 0);
    this.backup.clear();
    const avgRemoved = Math.min(this.opt.ruin?.averageRemoved ?? 10, Math.max(1, Math.floor(this.customers.length / 4)));
    const maxString = this.opt.ruin?.maxString ?? 10;
    const hierarchical = (this.opt.objective ?? 'distance') === 'vehicles-then-distance';
    const prelude = hierarchical ? 0.5 : (this.opt.fleetPrelude ?? 0);
    if (prelude > 0 && this.unassigned.length === 0) {
      this.minimiseFleet(budget * prelude, avgRemoved, maxString, depot);
      // Under the distance objective the fleet found is only a starting point.
      if (!hierarchical) this.maxRoutes = Infinity;
    }
    let current = this.totalCost();
    let bestCost = current;
    let best = this.snapshot();

    const t0Temp = (this.opt.temperature?.start ?? 0.5) * this.meanArc;
    const tfTemp = (this.opt.temperature?.end ?? 0.005) * this.meanArc;
    let iterations = 0;
    let stoppedBy: VrpSolution['stoppedBy'] = 'budget';
    const workStart = this.work;
    while (this.customers.length > 0) {
      const used = this.work - workStart;
      if (used >= budget) { stoppedBy = 'budget'; break; }
      if (iterations >= maxIterations) { stoppedBy = 'iterations'; break; }
      if ((iterations & 63) === 0 && now() - t0 > wallLimit) { stoppedBy = 'wall-clock'; break; }
      iterations++;
      this.work += ITERATION_OVERHEAD;
      const temperature = t0Temp * Math.pow(tfTemp / t0Temp, used / budget);
      this.begin();
      const removed = this.ruin(avgRemoved, maxString);
      const list = removed.concat(this.unassigned);
      this.unassigned = [];
      this.sortForInsertion(list, depot);
      this.recreate(list, 0.01);
      const cost = this.totalCost();
      if (cost < current - temperature * Math.log(this.rng.next())) {
        current = cost;
        this.backup.clear();
        if (cost < bestCost - 1e-9) {
          bestCost = cost;
          best = this.snapshot();
        }
      } else this.rollback();
    }
    return this.result(best, iterations, stoppedBy, now() - t0);
  }

  private usedRoutes(): number {
    let used = 0;
    for (const r of this.routes) if (r.seq.length > 2) used++;
    return used;
  }

  private load(snap: { routes: number[][]; unassigned: number[] }): void {
    this.routeOf.fill(-1);
    snap.routes.forEach((nodes, k) => {
      const r = this.routes[k]!;
      const v = this.p.vehicles[k]!;
      r.seq = [v.start, ...nodes, v.end];
      for (const c of nodes) this.routeOf[c] = k;
      this.schedule(r);
    });
    this.unassigned = snap.unassigned.slice();
  }

  /**
   * Fleet minimisation (SISR, section on vehicle reduction): empty the smallest route and
   * ruin-and-recreate with one vehicle fewer, accepting a solution when fewer customers are
   * left out or the ones left out have been absent less often. On success, repeat.
   */
  private minimiseFleet(phaseBudget: number, avgRemoved: number, maxString: number, depot: number): void {
    const absence = new Float64Array(this.n);
    const start = this.work;
    let best = this.snapshot();
    let bestUsed = this.usedRoutes();
    const absSum = (): number => {
      let s = 0;
      for (const u of this.unassigned) s += absence[u]!;
      return s;
    };
    while (this.work - start < phaseBudget) {
      if (this.unassigned.length === 0) {
        best = this.snapshot();
        bestUsed = this.usedRoutes();
        if (bestUsed <= 1) break;
        let k = -1;
        for (let j = 0; j < this.routes.length; j++) {
          const len = this.routes[j]!.seq.length;
          if (len > 2 && (k < 0 || len < this.routes[k]!.seq.length)) k = j;
        }
        const r = this.routes[k]!;
        for (const c of r.seq.slice(1, -1)) { this.unassigned.push(c); this.routeOf[c] = -1; }
        r.seq = [r.seq[0]!, r.seq[r.seq.length - 1]!];
        this.schedule(r);
        this.maxRoutes = bestUsed - 1;
      }
      const prevCount = this.unassigned.length;
      const prevAbs = absSum();
      this.begin();
      const removed = this.ruin(avgRemoved, maxString);
      const list = removed.concat(this.unassigned);
      this.unassigned = [];
      this.sortForInsertion(list, depot);
      this.recreate(list, 0.01);
      this.work += ITERATION_OVERHEAD;
      if (this.unassigned.length < prevCount || (this.unassigned.length === prevCount && absSum() < prevAbs)) this.backup.clear();
      else this.rollback();
      for (const u of this.unassigned) absence[u]!++;
    }
    this.load(best);
    this.maxRoutes = bestUsed;
  }

  /** Forward feasibility and cost of a full sequence (start node … end node) for vehicle k. */
  private seqCost(k: number, seq: readonly number[]): number {
    const n = this.n;
    const v = this.p.vehicles[k]!;
    let t = v.shiftStart;
    let cost = 0;
    const last = seq.length - 1;
    for (let i = 1; i <= last; i++) {
      const prev = seq[i - 1]!;
      const node = seq[i]!;
      const arr = t + (i === 1 ? 0 : this.service[prev]!) + this.time[prev * n + node]!;
      cost += this.dist[prev * n + node]!;
      if (i < last) {
        t = this.earliestStart(node, arr);
        if (t === Infinity) return Infinity;
      } else if (arr > v.shiftEnd) return Infinity;
    }
    return cost;
  }

  /** Intra-route polish of a final route: or-opt (segments of 1–3) and 2-opt, first improvement. */
  private polish(k: number, nodes: number[]): number[] {
    const v = this.p.vehicles[k]!;
    let seq = [v.start, ...nodes, v.end];
    let cost = this.seqCost(k, seq);
    const n = this.n;
    const d = (a: number, b: number) => this.dist[a * n + b]!;
    for (let round = 0; round < 50; round++) {
      let improved = false;
      const last = seq.length - 1;
      for (let len = 1; len <= 3 && !improved; len++) {
        for (let i = 1; i + len <= last && !improved; i++) {
          const a = seq[i - 1]!;
          const f = seq[i]!;
          const l = seq[i + len - 1]!;
          const b = seq[i + len]!;
          const removeGain = d(a, f) + d(l, b) - d(a, b);
          for (let j = 0; j < last && !improved; j++) {
            if (j >= i - 1 && j < i + len) continue;
            const x = seq[j]!;
            const y = seq[j + 1]!;
            if (d(x, f) + d(l, y) - d(x, y) - removeGain >= -1e-9) continue;
            const seg = seq.slice(i, i + len);
            const rest = [...seq.slice(0, i), ...seq.slice(i + len)];
            const at = j < i ? j + 1 : j + 1 - len;
            const cand = [...rest.slice(0, at), ...seg, ...rest.slice(at)];
            const c = this.seqCost(k, cand);
            if (c < cost - 1e-9) { seq = cand; cost = c; improved = true; }
          }
        }
      }
      for (let i = 1; i < last - 1 && !improved; i++) {
        for (let j = i + 1; j < last && !improved; j++) {
          const cand = [...seq.slice(0, i), ...seq.slice(i, j + 1).reverse(), ...seq.slice(j + 1)];
          const c = this.seqCost(k, cand);
          if (c < cost - 1e-9) { seq = cand; cost = c; improved = true; }
        }
      }
      if (!improved) break;
    }
    return seq.slice(1, -1);
  }

  private snapshot(): { routes: number[][]; unassigned: number[] } {
    return { routes: this.routes.map((r) => r.seq.slice(1, -1)), unassigned: this.unassigned.slice() };
  }

  private result(best: { routes: number[][]; unassigned: number[] }, iterations: number, stoppedBy: VrpSolution['stoppedBy'], elapsedMs: number): VrpSolution {
    const n = this.n;
    const routes: SolvedRoute[] = [];
    let total = 0;
    best.routes.forEach((found, k) => {
      if (found.length === 0) return;
      const nodes = this.polish(k, found);
      const v = this.p.vehicles[k]!;
      let d = 0;
      let prev = v.start;
      for (const c of nodes) { d += this.dist[prev * n + c]!; prev = c; }
      d += this.dist[prev * n + v.end]!;
      total += d;
      routes.push({ vehicle: k, nodes, distance: d });
    });
    const unassigned = best.unassigned.slice().sort((a, b) => a - b);
    return { routes, unassigned, distance: total, vehicles: routes.length, iterations, stoppedBy, elapsedMs };
  }
}
