/**
 * Solomon / Gehring & Homberger VRPTW text format: name, VEHICLE (number, capacity), and
 * CUSTOMER rows `no x y demand ready due service`; the first row is the depot.
 */
import { euclideanMatrix, type VrpProblem, type VrpVehicle } from './routing.problem.domain.js';

export type SolomonCustomer = { id: number; x: number; y: number; demand: number; ready: number; due: number; service: number };
export type SolomonInstance = { name: string; vehicles: number; capacity: number; depot: SolomonCustomer; customers: SolomonCustomer[] };

/** Parses the Solomon text format; throws an Error naming the line on malformed input. */
export function parseSolomon(text: string): SolomonInstance {
  const lines = text.split(/\r?\n/).map((l) => l.trim());
  const name = lines.find((l) => l.length > 0);
  if (!name) throw new Error('Solomon: empty file');
  const vIdx = lines.findIndex((l) => /^VEHICLE$/i.test(l));
  if (vIdx < 0) throw new Error('Solomon: no VEHICLE section');
  const fleetLine = lines.slice(vIdx + 1).find((l) => /^\d/.test(l));
  const fleet = fleetLine?.split(/\s+/).map(Number);
  if (!fleet || fleet.length < 2 || fleet.some((x) => !Number.isFinite(x))) throw new Error('Solomon: VEHICLE section needs "NUMBER CAPACITY"');
  const cIdx = lines.findIndex((l) => /^CUSTOMER$/i.test(l));
  if (cIdx < 0) throw new Error('Solomon: no CUSTOMER section');
  const rows: SolomonCustomer[] = [];
  for (let i = cIdx + 1; i < lines.length; i++) {
    const l = lines[i]!;
    if (!/^[-\d]/.test(l)) continue;
    const f = l.split(/\s+/).map(Number);
    if (f.length < 7 || f.slice(0, 7).some((x) => !Number.isFinite(x))) throw new Error(`Solomon: line ${i + 1}: expected 7 numbers, got "${l}"`);
    const [id, x, y, demand, ready, due, service] = f as [number, number, number, number, number, number, number];
    if (due < ready) throw new Error(`Solomon: line ${i + 1}: due ${due} before ready ${ready}`);
    rows.push({ id, x, y, demand, ready, due, service });
  }
  const [depot, ...customers] = rows;
  if (!depot) throw new Error('Solomon: no depot row');
  if (customers.length === 0) throw new Error('Solomon: no customers');
  return { name, vehicles: fleet[0]!, capacity: fleet[1]!, depot, customers };
}

/** The problem of a Solomon instance: node 0 the depot, node i the i-th customer row. */
export function solomonToProblem(inst: SolomonInstance): VrpProblem {
  const rows = [inst.depot, ...inst.customers];
  const coords = rows.map((r) => [r.x, r.y] as const);
  const m = euclideanMatrix(coords);
  const vehicles: VrpVehicle[] = Array.from({ length: inst.vehicles }, (_, k) => ({
    id: String(k + 1), start: 0, end: 0, shiftStart: inst.depot.ready, shiftEnd: inst.depot.due, capacity: inst.capacity,
  }));
  return {
    name: inst.name,
    size: rows.length,
    dist: m,
    time: m,
    demand: Float64Array.from(rows.map((r) => r.demand)),
    service: Float64Array.from(rows.map((r) => r.service)),
    windows: rows.map((r) => [[r.ready, r.due] as const]),
    customers: inst.customers.map((_, i) => i + 1),
    vehicles,
    labels: rows.map((r) => String(r.id)),
    coords,
  };
}
