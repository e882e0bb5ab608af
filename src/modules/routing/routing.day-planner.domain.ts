/**
 * Day planner: orders one manager's visits for one day and proposes slot times, minimising
 * travel time, under each site's opening hours (several windows a day allowed), fixed slots
 * (hard: slot start ± tolerance), visit durations and the manager's day at a base.
 *
 * A visit must *fit* inside an opening window: it starts at or after opening and ends by
 * closing. Nothing is dropped silently: a stop that cannot be planned is listed in
 * `unassigned` with a reason a manager can act on.
 */
import type { LatLng } from '../../shared/geo.js';
import { intersectWindows, normaliseWindows, type TimeWindow, type VrpProblem } from './routing.problem.domain.js';
import { solveVrp } from './routing.solver.domain.js';
import { formatClock, formatWindow, parseClock } from './routing.time.domain.js';
import { assertTravelMatrix, coordinateTravelMatrix, type TravelMatrix, type TravelModel } from './routing.travel.domain.js';

/** A time of day: "HH:MM" or minutes since midnight. */
export type ClockTime = string | number;
export type ClockWindow = { start: ClockTime; end: ClockTime };

export type DayStop = {
  id: string;
  location: LatLng;
  visitMinutes: number;
  /** Opening hours of the site that day; absent means open all day. An empty list means closed. */
  openingHours?: readonly ClockWindow[];
  /** A fixed slot: the visit must start within start ± toleranceMinutes (default 0). */
  fixedSlot?: { start: ClockTime; toleranceMinutes?: number };
};

export type DayPlanInput = {
  base: LatLng;
  /** Where the day ends (default: the base). */
  end?: LatLng;
  dayStart: ClockTime;
  dayEnd: ClockTime;
  stops: readonly DayStop[];
};

export type DayPlanOptions = {
  /** Travel model for the coordinates matrix (ignored when `matrix` is given). */
  travel?: Partial<TravelModel>;
  /** Precomputed matrix over [base, ...stops, end?] (end only when `input.end` is set). */
  matrix?: TravelMatrix;
  seed?: number;
  /** Nominal search time (default 40 ms; deterministic work budget). */
  timeLimitMs?: number;
  maxIterations?: number;
};

export type PlannedVisit = {
  stopId: string;
  /** Clock times "HH:MM" and minutes since midnight. */
  arrival: string;
  start: string;
  end: string;
  arrivalMinutes: number;
  startMinutes: number;
  endMinutes: number;
  waitMinutes: number;
  travelMinutesFromPrevious: number;
  travelMetresFromPrevious: number;
  fixed: boolean;
};

export type UnassignedReasonCode =
  | 'closed' | 'visit-too-long' | 'fixed-slot-outside-opening-hours' | 'fixed-slot-outside-day'
  | 'unreachable' | 'cannot-return' | 'fixed-slot-conflict' | 'day-full';

export type UnassignedStop = { stopId: string; code: UnassignedReasonCode; reason: string };

export type DayPlan = {
  visits: PlannedVisit[];
  unassigned: UnassignedStop[];
  /** Leave the base at (as late as the first visit allows) and arrive back at. */
  departure: string;
  returnTime: string;
  departureMinutes: number;
  returnMinutes: number;
  travelMinutes: number;
  travelMetres: number;
  waitMinutes: number;
  visitMinutes: number;
  /** True when every stop is planned. */
  complete: boolean;
};

/** The internal routing problem of a day, exposed for the checker and the week planner. */
export type DayProblem = { problem: VrpProblem; matrix: TravelMatrix; startWindows: TimeWindow[][]; dayStart: number; dayEnd: number };

/** Service-start windows of a stop: opening hours shortened by the visit, met with its fixed slot. */
export function stopStartWindows(stop: DayStop): TimeWindow[] {
  const opening: TimeWindow[] = stop.openingHours
    ? normaliseWindows(stop.openingHours.map((w) => [parseClock(w.start), parseClock(w.end)] as const))
    : [[-Infinity, Infinity]];
  let windows = normaliseWindows(opening.map((w) => [w[0], w[1] - stop.visitMinutes] as const));
  if (stop.fixedSlot) {
    const s = parseClock(stop.fixedSlot.start);
    const tol = stop.fixedSlot.toleranceMinutes ?? 0;
    windows = intersectWindows(windows, [[s - tol, s + tol]]);
  }
  return windows;
}

/** Builds the routing problem of a day: node 0 the base, node i the i-th stop, then the end. */
export function buildDayProblem(input: DayPlanInput, options: DayPlanOptions = {}): DayProblem {
  const dayStart = parseClock(input.dayStart);
  const dayEnd = parseClock(input.dayEnd);
  if (dayEnd < dayStart) throw new Error(`day ends (${formatClock(dayEnd)}) before it starts (${formatClock(dayStart)})`);
  const ids = new Set<string>();
  for (const s of input.stops) {
    if (ids.has(s.id)) throw new Error(`stop id "${s.id}" appears twice`);
    ids.add(s.id);
    if (!(s.visitMinutes >= 0)) throw new Error(`stop ${s.id}: visitMinutes must be ≥ 0`);
  }
  const points = [input.base, ...input.stops.map((s) => s.location), ...(input.end ? [input.end] : [])];
  const matrix = options.matrix ?? coordinateTravelMatrix(points, options.travel);
  assertTravelMatrix(matrix, points.length);
  const m = input.stops.length;
  const endNode = input.end ? m + 1 : 0;
  const startWindows = input.stops.map(stopStartWindows);
  const open: TimeWindow[] = [[-Infinity, Infinity]];
  const priority = new Float64Array(points.length).fill(1);
  input.stops.forEach((s, i) => { if (s.fixedSlot) priority[i + 1] = 10; });
  const problem: VrpProblem = {
    name: 'day',
    size: points.length,
    dist: matrix.minutes,
    time: matrix.minutes,
    demand: new Float64Array(points.length),
    service: Float64Array.from(points.map((_, i) => (i >= 1 && i <= m ? input.stops[i - 1]!.visitMinutes : 0))),
    windows: points.map((_, i) => (i >= 1 && i <= m ? startWindows[i - 1]! : open)),
    customers: input.stops.map((_, i) => i + 1),
    vehicles: [{ id: 'manager', start: 0, end: endNode, shiftStart: dayStart, shiftEnd: dayEnd, capacity: Infinity }],
    labels: points.map((_, i) => (i >= 1 && i <= m ? input.stops[i - 1]!.id : i === 0 ? 'base' : 'end')),
    priority,
  };
  return { problem, matrix, startWindows, dayStart, dayEnd };
}

/** Plans a manager's day. Pure and deterministic for a given seed and time limit. */
export function planDay(input: DayPlanInput, options: DayPlanOptions = {}): DayPlan {
  const day = buildDayProblem(input, options);
  const { problem } = day;
  const solution = solveVrp(problem, {
    seed: options.seed ?? 1,
    timeLimitMs: options.timeLimitMs ?? 40,
    maxIterations: options.maxIterations ?? 3000,
  });
  const order = solution.routes[0]?.nodes ?? [];
  return describeDay(input, day, order, solution.unassigned);
}

/** Turns an order of stop nodes into a plan with clock times, and explains what is left out. */
export function describeDay(input: DayPlanInput, day: DayProblem, order: readonly number[], unassignedNodes: readonly number[]): DayPlan {
  const { problem, matrix } = day;
  const n = problem.size;
  const endNode = problem.vehicles[0]!.end;
  // Forward pass: earliest service starts.
  const starts: number[] = [];
  const arrivals: number[] = [];
  let t = day.dayStart;
  let prev = 0;
  for (const node of order) {
    const arr = t + matrix.minutes[prev * n + node]!;
    const w = problem.windows[node]!.find((x) => arr <= x[1]);
    const s = w ? Math.max(arr, w[0]) : arr;
    arrivals.push(arr);
    starts.push(s);
    t = s + problem.service[node]!;
    prev = node;
  }
  const returnMinutes = t + matrix.minutes[prev * n + endNode]!;
  // Leave as late as the first visit allows, so the day does not begin with waiting.
  let departureMinutes = day.dayStart;
  if (order.length > 0) {
    const first = order[0]!;
    departureMinutes = Math.max(day.dayStart, starts[0]! - matrix.minutes[first]!);
    arrivals[0] = departureMinutes + matrix.minutes[first]!;
  }
  let travelMinutes = 0;
  let travelMetres = 0;
  let waitMinutes = 0;
  let visitMinutes = 0;
  prev = 0;
  const visits: PlannedVisit[] = order.map((node, i) => {
    const stop = input.stops[node - 1]!;
    const tm = matrix.minutes[prev * n + node]!;
    const tmM = matrix.metres[prev * n + node]!;
    travelMinutes += tm;
    travelMetres += tmM;
    const wait = starts[i]! - arrivals[i]!;
    waitMinutes += wait;
    visitMinutes += stop.visitMinutes;
    prev = node;
    const end = starts[i]! + stop.visitMinutes;
    return {
      stopId: stop.id,
      arrival: formatClock(arrivals[i]!), start: formatClock(starts[i]!), end: formatClock(end),
      arrivalMinutes: arrivals[i]!, startMinutes: starts[i]!, endMinutes: end,
      waitMinutes: wait, travelMinutesFromPrevious: tm, travelMetresFromPrevious: tmM,
      fixed: stop.fixedSlot !== undefined,
    };
  });
  travelMinutes += matrix.minutes[prev * n + endNode]!;
  travelMetres += matrix.metres[prev * n + endNode]!;
  const unassigned = unassignedNodes.map((node) => explainUnassigned(input, day, node, order));
  return {
    visits, unassigned,
    departure: formatClock(departureMinutes), returnTime: formatClock(returnMinutes),
    departureMinutes, returnMinutes, travelMinutes, travelMetres, waitMinutes, visitMinutes,
    complete: unassigned.length === 0,
  };
}

const openingText = (stop: DayStop): string =>
  stop.openingHours ? stop.openingHours.map((w) => formatWindow([parseClock(w.start), parseClock(w.end)])).join(', ') : 'all day';
const slotText = (stop: DayStop): string => {
  const tol = stop.fixedSlot?.toleranceMinutes ?? 0;
  return `fixed slot ${formatClock(parseClock(stop.fixedSlot!.start))}${tol > 0 ? ` ±${tol} min` : ''}`;
};

/** Why a stop could not be planned, from the most basic cause to "the day is full". */
function explainUnassigned(input: DayPlanInput, day: DayProblem, node: number, order: readonly number[]): UnassignedStop {
  const stop = input.stops[node - 1]!;
  const { problem, matrix } = day;
  const n = problem.size;
  const stopId = stop.id;
  const opening = stop.openingHours ? normaliseWindows(stop.openingHours.map((w) => [parseClock(w.start), parseClock(w.end)] as const)) : [[-Infinity, Infinity] as const];
  if (opening.length === 0) return { stopId, code: 'closed', reason: 'the site is closed that day' };
  if (opening.every((w) => w[1] - w[0] < stop.visitMinutes)) {
    return { stopId, code: 'visit-too-long', reason: `a ${stop.visitMinutes}-min visit does not fit in the opening hours ${openingText(stop)}` };
  }
  const windows = problem.windows[node]!;
  if (windows.length === 0) {
    return { stopId, code: 'fixed-slot-outside-opening-hours', reason: `${slotText(stop)} with a ${stop.visitMinutes}-min visit falls outside the opening hours ${openingText(stop)}` };
  }
  const what = stop.fixedSlot ? slotText(stop) : `opening hours ${openingText(stop)}`;
  const lastStart = windows[windows.length - 1]![1];
  const firstStart = windows[0]![0];
  if (lastStart < day.dayStart || firstStart + stop.visitMinutes > day.dayEnd) {
    return { stopId, code: stop.fixedSlot ? 'fixed-slot-outside-day' : 'unreachable', reason: `${what} lie outside the working day ${formatWindow([day.dayStart, day.dayEnd])}` };
  }
  const earliestArrival = day.dayStart + matrix.minutes[node]!;
  const w = windows.find((x) => earliestArrival <= x[1]);
  if (!w) {
    const latestText = stop.visitMinutes > 0 && !stop.fixedSlot ? ` (a ${stop.visitMinutes}-min visit must start by ${formatClock(lastStart)})` : '';
    return { stopId, code: 'unreachable', reason: `${what} cannot be reached: earliest arrival ${formatClock(earliestArrival)} from base${latestText}` };
  }
  const endNode = problem.vehicles[0]!.end;
  const finish = Math.max(earliestArrival, w[0]) + stop.visitMinutes;
  const back = finish + matrix.minutes[node * n + endNode]!;
  if (back > day.dayEnd) {
    return { stopId, code: 'cannot-return', reason: `the visit would end at ${formatClock(finish)} at the earliest and the return to base takes ${Math.round(matrix.minutes[node * n + endNode]!)} min, after the day ends at ${formatClock(day.dayEnd)}` };
  }
  const fixedPlanned = order.filter((x) => input.stops[x - 1]!.fixedSlot !== undefined);
  if (!fitsSomewhere(day, fixedPlanned, node)) {
    const names = fixedPlanned.map((x) => `${input.stops[x - 1]!.id} ${formatClock(parseClock(input.stops[x - 1]!.fixedSlot!.start))}`);
    return { stopId, code: 'fixed-slot-conflict', reason: `${what}: no time left between the fixed slots (${names.join(', ')})` };
  }
  return {
    stopId, code: 'day-full',
    reason: `${what}: no room left in the day with ${order.length} other visits planned (${formatWindow([day.dayStart, day.dayEnd])}); move a visit to another day`,
  };
}

/** True when `node` can be inserted somewhere into the order `base → order → end`. */
function fitsSomewhere(day: DayProblem, order: readonly number[], node: number): boolean {
  for (let pos = 0; pos <= order.length; pos++) {
    const seq = [...order.slice(0, pos), node, ...order.slice(pos)];
    if (scheduleFeasible(day, seq)) return true;
  }
  return false;
}

function scheduleFeasible(day: DayProblem, seq: readonly number[]): boolean {
  const { problem } = day;
  const n = problem.size;
  let t = day.dayStart;
  let prev = 0;
  for (const node of seq) {
    const arr = t + problem.time[prev * n + node]!;
    const w = problem.windows[node]!.find((x) => arr <= x[1]);
    if (!w) return false;
    t = Math.max(arr, w[0]) + problem.service[node]!;
    prev = node;
  }
  return t + problem.time[prev * n + problem.vehicles[0]!.end]! <= day.dayEnd;
}
