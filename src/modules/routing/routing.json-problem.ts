/**
 * OpenKAM's JSON problem format (see `RoutingProblemSchema`) → the solver's `VrpProblem`.
 * Nodes: the stops in file order, then each distinct vehicle base/end place.
 */
import { euclideanMatrix, normaliseWindows, type TimeWindow, type VrpProblem, type VrpVehicle } from './routing.problem.domain.js';
import { RoutingProblemSchema, type RoutingProblemDocument } from './routing.contract.js';
import { parseClock } from './routing.time.domain.js';
import { coordinateTravelMatrix } from './routing.travel.domain.js';

type Place = { lat: number; lng: number } | { x: number; y: number };

/** Validates a parsed JSON value; throws an Error listing every problem with its path. */
export function parseRoutingProblemJson(value: unknown): RoutingProblemDocument {
  const r = RoutingProblemSchema.safeParse(value);
  if (!r.success) {
    throw new Error(`invalid problem: ${r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  }
  return r.data;
}

/** Builds the solver's problem; geographic distances are metres, times minutes. */
export function jsonToProblem(doc: RoutingProblemDocument): VrpProblem {
  const placeKey = (p: Place): string => ('lat' in p ? `g${p.lat},${p.lng}` : `x${p.x},${p.y}`);
  const places: Place[] = doc.stops.map((s) => (s.lat !== undefined ? { lat: s.lat, lng: s.lng! } : { x: s.x!, y: s.y! }));
  const extra = new Map<string, number>();
  const nodeOf = (p: Place): number => {
    const k = placeKey(p);
    let i = extra.get(k);
    if (i === undefined) {
      i = places.length;
      places.push(p);
      extra.set(k, i);
    }
    return i;
  };
  const vehicles: VrpVehicle[] = [];
  for (const v of doc.vehicles) {
    const start = nodeOf(v.base);
    const end = v.end ? nodeOf(v.end) : start;
    for (let c = 0; c < v.count; c++) {
      vehicles.push({
        id: v.count > 1 ? `${v.id}-${c + 1}` : v.id,
        start, end,
        shiftStart: v.shift ? parseClock(v.shift.start) : 0,
        shiftEnd: v.shift ? parseClock(v.shift.end) : Infinity,
        capacity: v.capacity,
      });
    }
  }
  const n = places.length;
  let dist: Float64Array;
  let time: Float64Array;
  if ('lat' in places[0]!) {
    const m = coordinateTravelMatrix(places as { lat: number; lng: number }[], doc.travel);
    dist = m.metres;
    time = m.minutes;
  } else {
    dist = euclideanMatrix((places as { x: number; y: number }[]).map((p) => [p.x, p.y] as const));
    time = dist.map((d) => d / doc.travel.unitsPerMinute);
  }
  const open: TimeWindow[] = [[-Infinity, Infinity]];
  const windows = places.map((_, i) => {
    const s = doc.stops[i];
    if (!s || !s.windows) return open;
    return normaliseWindows(s.windows.map((w) => [parseClock(w.start), parseClock(w.end)] as const));
  });
  return {
    name: doc.name,
    size: n,
    dist,
    time,
    demand: Float64Array.from(places.map((_, i) => doc.stops[i]?.demand ?? 0)),
    service: Float64Array.from(places.map((_, i) => doc.stops[i]?.serviceMinutes ?? 0)),
    windows,
    customers: doc.stops.map((_, i) => i),
    vehicles,
    labels: places.map((_, i) => doc.stops[i]?.id ?? `base-${i}`),
  };
}
