/**
 * Week planner (a small periodic routing problem): puts new or changed key accounts onto
 * weekdays for a manager's fixed visit program, balancing workload and travel, and keeps
 * existing fixed visits where they are unless `allowMovingFixed` is set.
 *
 * Method: hardest accounts first (fewest possible days, longest visit), each onto the day
 * where it costs least; then relocate and swap moves between days while the weekly cost
 * falls. Every candidate day is planned for real with the day planner, so windows, fixed
 * slots and the day's length are always respected. Weekly cost = travel minutes +
 * balanceWeight × Σ|workload − mean| + moveCostMinutes × moved fixed visits, with a large
 * penalty per visit that fits on no day.
 */
import type { LatLng } from '../../shared/geo.js';
import { planDay, type ClockTime, type ClockWindow, type DayPlan, type DayStop } from './routing.day-planner.domain.js';
import { parseClock } from './routing.time.domain.js';
import { assertTravelMatrix, coordinateTravelMatrix, type TravelMatrix, type TravelModel } from './routing.travel.domain.js';

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';
export const WEEKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
export const WORKING_DAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri'];

export type WeekAccount = {
  id: string;
  location: LatLng;
  visitMinutes: number;
  /** The same hours every day, or per weekday (a missing weekday means closed). Absent: always open. */
  openingHours?: readonly ClockWindow[] | Partial<Record<Weekday, readonly ClockWindow[]>>;
  /** The account's existing fixed visit; absent for a new account. */
  fixedVisit?: { weekday: Weekday; start: ClockTime; toleranceMinutes?: number };
  /** The account changed (hours, duration, place…): re-place it, preferring its current day. */
  changed?: boolean;
  /** Restrict the days it may be visited on. */
  allowedDays?: readonly Weekday[];
};

export type WeekPlanInput = {
  base: LatLng;
  /** Planning days (default Monday–Friday). */
  days?: readonly Weekday[];
  dayStart: ClockTime;
  dayEnd: ClockTime;
  accounts: readonly WeekAccount[];
  /** May existing fixed visits move to another day or time (default false)? */
  allowMovingFixed?: boolean;
};

export type WeekPlanOptions = {
  travel?: Partial<TravelModel>;
  /** Precomputed matrix over [base, ...accounts]. */
  matrix?: TravelMatrix;
  seed?: number;
  /** Weight of workload imbalance against travel minutes (default 0.5). */
  balanceWeight?: number;
  /** Cost, in minutes, of moving an existing fixed visit to another day (default 60). */
  moveCostMinutes?: number;
  /** Improvement passes (default 3). */
  passes?: number;
};

export type WeekAssignment = {
  accountId: string;
  weekday: Weekday;
  start: string;
  startMinutes: number;
  /** kept: existing fixed visit unchanged; placed: new/changed account placed; moved: existing visit moved. */
  status: 'kept' | 'placed' | 'moved';
};

export type WeekDay = { weekday: Weekday; plan: DayPlan; workloadMinutes: number };

export type WeekPlan = {
  days: WeekDay[];
  assignments: WeekAssignment[];
  unassigned: { accountId: string; reason: string }[];
  travelMinutes: number;
  workload: { min: number; max: number; mean: number };
  cost: number;
};

type DayEval = { plan: DayPlan; travel: number; workload: number; unassigned: number; pinnedUnassigned: number };

/** Plans the week. Pure and deterministic for a given seed. */
export function planWeek(input: WeekPlanInput, options: WeekPlanOptions = {}): WeekPlan {
  const days = [...(input.days ?? WORKING_DAYS)];
  if (days.length === 0) throw new Error('no planning days');
  const dayStart = parseClock(input.dayStart);
  const dayEnd = parseClock(input.dayEnd);
  const accounts = input.accounts;
  const ids = new Set<string>();
  for (const a of accounts) {
    if (ids.has(a.id)) throw new Error(`account id "${a.id}" appears twice`);
    ids.add(a.id);
  }
  const points = [input.base, ...accounts.map((a) => a.location)];
  const matrix = options.matrix ?? coordinateTravelMatrix(points, options.travel);
  assertTravelMatrix(matrix, points.length);
  const balanceWeight = options.balanceWeight ?? 0.5;
  const moveCost = options.moveCostMinutes ?? 60;
  const seed = options.seed ?? 1;
  const allowMoving = input.allowMovingFixed ?? false;

  const pinned = accounts.map((a) => a.fixedVisit !== undefined && !a.changed && !allowMoving);
  const hours = (a: WeekAccount, d: Weekday): readonly ClockWindow[] | undefined => {
    if (!a.openingHours) return undefined;
    if (Array.isArray(a.openingHours)) return a.openingHours as readonly ClockWindow[];
    return (a.openingHours as Partial<Record<Weekday, readonly ClockWindow[]>>)[d] ?? [];
  };
  const candidateDays = accounts.map((a, i) => {
    if (pinned[i]) return [days.indexOf(a.fixedVisit!.weekday)].filter((x) => x >= 0);
    return days.map((d, k) => ({ d, k })).filter(({ d }) => (!a.allowedDays || a.allowedDays.includes(d)) && (hours(a, d)?.length ?? 1) > 0).map(({ k }) => k);
  });

  const stopFor = (i: number, d: Weekday): DayStop => {
    const a = accounts[i]!;
    const h = hours(a, d);
    return {
      id: a.id, location: a.location, visitMinutes: a.visitMinutes,
      ...(h ? { openingHours: h } : {}),
      ...(pinned[i] ? { fixedSlot: { start: a.fixedVisit!.start, toleranceMinutes: a.fixedVisit!.toleranceMinutes ?? 0 } } : {}),
    };
  };

  const cache = new Map<string, DayEval>();
  const evaluate = (k: number, members: readonly number[], full = false): DayEval => {
    const sorted = [...members].sort((a, b) => a - b);
    const key = `${k}:${full ? 'f' : 'q'}:${sorted.join(',')}`;
    const hit = cache.get(key);
    if (hit) return hit;
    const d = days[k]!;
    const sub = subMatrix(matrix, [0, ...sorted.map((i) => i + 1)]);
    const plan = planDay(
      { base: input.base, dayStart, dayEnd, stops: sorted.map((i) => stopFor(i, d)) },
      { matrix: sub, seed, ...(full ? { timeLimitMs: 60, maxIterations: 5000 } : { timeLimitMs: 10, maxIterations: 400 }) },
    );
    const byId = new Map(sorted.map((i) => [accounts[i]!.id, i]));
    const ev: DayEval = {
      plan,
      travel: plan.travelMinutes,
      workload: plan.travelMinutes + plan.visitMinutes,
      unassigned: plan.unassigned.length,
      pinnedUnassigned: plan.unassigned.filter((u) => pinned[byId.get(u.stopId)!]).length,
    };
    cache.set(key, ev);
    return ev;
  };

  const bigPenalty = 100 * (dayEnd - dayStart + 1);
  // assignment[i]: day index, or -1 while the account is on no day (unplaced).
  const weekCost = (evals: readonly DayEval[], assignment: readonly number[]): number => {
    const mean = evals.reduce((s, e) => s + e.workload, 0) / evals.length;
    let cost = 0;
    for (const e of evals) cost += e.travel + balanceWeight * Math.abs(e.workload - mean) + 2 * bigPenalty * (e.unassigned + 9 * e.pinnedUnassigned);
    accounts.forEach((a, i) => {
      if (assignment[i]! < 0) cost += candidateDays[i]!.length > 0 ? bigPenalty : 0;
      else if (a.fixedVisit && days[assignment[i]!] !== a.fixedVisit.weekday) cost += moveCost;
    });
    return cost;
  };

  const assignment = accounts.map((_, i) => (pinned[i] ? (candidateDays[i]![0] ?? -1) : -1));
  const members = (k: number): number[] => assignment.flatMap((d, i) => (d === k ? [i] : []));
  const evals = days.map((_, k) => evaluate(k, members(k)));

  const flexible = accounts.map((_, i) => i).filter((i) => !pinned[i] && candidateDays[i]!.length > 0);
  flexible.sort((a, b) =>
    candidateDays[a]!.length - candidateDays[b]!.length
    || accounts[b]!.visitMinutes - accounts[a]!.visitMinutes
    || matrix.minutes[b + 1]! - matrix.minutes[a + 1]!
    || (accounts[a]!.id < accounts[b]!.id ? -1 : 1));

  /** Weekly cost if account i moved to day k (-1: unplaced), with the re-planned days. */
  const tryDay = (i: number, k: number): { cost: number; to?: DayEval; from?: DayEval } => {
    const from = assignment[i]!;
    assignment[i] = k;
    const to = k >= 0 ? evaluate(k, members(k)) : undefined;
    const fromEv = from >= 0 && from !== k ? evaluate(from, members(from)) : undefined;
    const trial = evals.map((e, j) => (j === k && to ? to : j === from && fromEv ? fromEv : e));
    const cost = weekCost(trial, assignment);
    assignment[i] = from;
    return { cost, ...(to ? { to } : {}), ...(fromEv ? { from: fromEv } : {}) };
  };
  const apply = (i: number, k: number, r: { to?: DayEval; from?: DayEval }): void => {
    const from = assignment[i]!;
    assignment[i] = k;
    if (r.to) evals[k] = r.to;
    if (r.from) evals[from] = r.from;
  };

  // Greedy placement: each account onto its cheapest day, or left unplaced when it fits on none.
  let current = weekCost(evals, assignment);
  for (const i of flexible) {
    let best = { k: -1, cost: current, r: {} as { to?: DayEval; from?: DayEval } };
    for (const k of candidateDays[i]!) {
      const r = tryDay(i, k);
      if (r.cost < best.cost - 1e-9) best = { k, cost: r.cost, r };
    }
    if (best.k >= 0) {
      apply(i, best.k, best.r);
      current = best.cost;
    }
  }

  // Improvement: relocate (including unplaced accounts) and swap with nearby accounts.
  const nearby = new Map(flexible.map((i) => [i, flexible.filter((j) => j !== i)
    .sort((a, b) => matrix.minutes[(i + 1) * matrix.size + a + 1]! - matrix.minutes[(i + 1) * matrix.size + b + 1]! || a - b)
    .slice(0, 8)]));
  for (let pass = 0; pass < (options.passes ?? 3); pass++) {
    let improved = false;
    for (const i of flexible) {
      const from = assignment[i]!;
      for (const k of candidateDays[i]!) {
        if (k === from) continue;
        const r = tryDay(i, k);
        if (r.cost < current - 1e-6) {
          apply(i, k, r);
          current = r.cost;
          improved = true;
          break;
        }
      }
    }
    for (const i of flexible) {
      for (const j of nearby.get(i)!) {
        const di = assignment[i]!;
        const dj = assignment[j]!;
        if (di < 0 || dj < 0 || di === dj || !candidateDays[i]!.includes(dj) || !candidateDays[j]!.includes(di)) continue;
        assignment[i] = dj;
        assignment[j] = di;
        const ei = evaluate(dj, members(dj));
        const ej = evaluate(di, members(di));
        const trial = evals.map((e, k) => (k === dj ? ei : k === di ? ej : e));
        const cost = weekCost(trial, assignment);
        if (cost < current - 1e-6) {
          evals[dj] = ei;
          evals[di] = ej;
          current = cost;
          improved = true;
        } else {
          assignment[i] = di;
          assignment[j] = dj;
        }
      }
    }
    if (!improved) break;
  }

  // Final day plans with a fuller search.
  const finals = days.map((_, k) => {
    const quick = evaluate(k, members(k));
    const full = evaluate(k, members(k), true);
    return full.unassigned < quick.unassigned || (full.unassigned === quick.unassigned && full.travel <= quick.travel) ? full : quick;
  });
  const assignments: WeekAssignment[] = [];
  const unassigned: WeekPlan['unassigned'] = [];
  const index = new Map(accounts.map((a, i) => [a.id, i]));
  finals.forEach((ev, k) => {
    for (const v of ev.plan.visits) {
      const a = accounts[index.get(v.stopId)!]!;
      const fv = a.fixedVisit;
      const same = fv !== undefined && fv.weekday === days[k] && Math.abs(parseClock(fv.start) - v.startMinutes) <= (fv.toleranceMinutes ?? 0) + 1e-9;
      assignments.push({
        accountId: a.id, weekday: days[k]!, start: v.start, startMinutes: v.startMinutes,
        status: fv && !a.changed ? (same ? 'kept' : 'moved') : 'placed',
      });
    }
    for (const u of ev.plan.unassigned) unassigned.push({ accountId: u.stopId, reason: `${days[k]}: ${u.reason}` });
  });
  accounts.forEach((a, i) => {
    if (assignment[i]! >= 0) return;
    if (pinned[i]) unassigned.push({ accountId: a.id, reason: `its fixed day ${a.fixedVisit!.weekday} is not a planning day (${days.join(', ')})` });
    else if (candidateDays[i]!.length === 0) unassigned.push({ accountId: a.id, reason: `no planning day possible: ${a.allowedDays ? `allowed days ${a.allowedDays.join(', ')}` : 'closed'} on ${days.join(', ')}` });
    else {
      // Say, day by day, why it fits nowhere.
      const why = candidateDays[i]!.map((k) => {
        const ev = evaluate(k, [...members(k), i]);
        const u = ev.plan.unassigned.find((x) => x.stopId === a.id);
        const text = !u ? 'full (it would displace another visit)'
          : u.code === 'day-full' ? `full (${members(k).length} visits)`
          : u.code === 'fixed-slot-conflict' ? 'no time between its fixed slots' : u.reason;
        return `${days[k]} ${text}`;
      });
      unassigned.push({ accountId: a.id, reason: `fits on no planning day: ${why.join('; ')}` });
    }
  });
  const workloads = finals.map((e) => e.workload);
  return {
    days: finals.map((ev, k) => ({ weekday: days[k]!, plan: ev.plan, workloadMinutes: ev.workload })),
    assignments,
    unassigned,
    travelMinutes: finals.reduce((s, e) => s + e.travel, 0),
    workload: { min: Math.min(...workloads), max: Math.max(...workloads), mean: workloads.reduce((s, w) => s + w, 0) / workloads.length },
    cost: weekCost(finals, assignment),
  };
}

/** The square sub-matrix of `m` over the given point indices. */
export function subMatrix(m: TravelMatrix, idx: readonly number[]): TravelMatrix {
  const k = idx.length;
  const minutes = new Float64Array(k * k);
  const metres = new Float64Array(k * k);
  for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) {
    minutes[a * k + b] = m.minutes[idx[a]! * m.size + idx[b]!]!;
    metres[a * k + b] = m.metres[idx[a]! * m.size + idx[b]!]!;
  }
  return { size: k, minutes, metres };
}
