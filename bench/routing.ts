/**
 * `npm run bench:routing [-- --instances c101,r101] [--time-limit MS] [--seed N] [--homberger]`
 *
 * Solves the 56 Solomon VRPTW instances under the distance-only objective (vehicles free,
 * fleet 25) and compares with the best-known distance_only values of bks.csv; every solution
 * is verified by the independent checker and its distance recomputed from the raw
 * coordinates (an infeasible solution is a failure, not a gap). Also times a 25-stop day plan
 * and a week plan, and optionally the Gehring & Homberger 200-customer set (hierarchical
 * objective, against the hierarchical BKS).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { writeBenchmarkSection } from './report.js';
import { hasReferenceData, referenceDataMissing, referencePath } from '../src/shared/reference-data.js';
import { checkSolution, verifyDayPlan } from '../src/modules/routing/routing.checker.domain.js';
import { buildDayProblem, planDay, type DayPlanInput } from '../src/modules/routing/routing.day-planner.domain.js';
import { createRandom } from '../src/modules/routing/routing.random.domain.js';
import { parseSolomon, solomonToProblem, type SolomonInstance } from '../src/modules/routing/routing.solomon.domain.js';
import { solveVrp, type SolveObjective } from '../src/modules/routing/routing.solver.domain.js';
import { planWeek, type WeekAccount } from '../src/modules/routing/routing.week-planner.domain.js';

type Row = {
  instance: string; cls: string; vehicles: number; distance: number; bksVehicles: number; bks: number;
  gap: number; wallMs: number; cpuMs: number; feasible: boolean; problems: string; stoppedBy: string;
};

function args(): { instances?: Set<string>; timeLimitMs: number; seed: number; homberger: boolean } {
  const a = process.argv.slice(2);
  const get = (name: string) => {
    const i = a.indexOf(name);
    return i >= 0 ? a[i + 1] : undefined;
  };
  const list = get('--instances');
  return {
    ...(list ? { instances: new Set(list.split(',').map((s) => s.trim().toUpperCase())) } : {}),
    timeLimitMs: Number(get('--time-limit') ?? 1800),
    seed: Number(get('--seed') ?? 1),
    homberger: a.includes('--homberger'),
  };
}

function loadBks(objective: string): Map<string, { vehicles: number; distance: number }> {
  const out = new Map<string, { vehicles: number; distance: number }>();
  for (const line of readFileSync(referencePath('routing', 'bks', 'bks.csv'), 'utf8').split('\n').slice(1)) {
    if (!line.includes(objective)) continue;
    const [instance, vehicles, distance] = line.split(',');
    out.set(instance!.toUpperCase(), { vehicles: Number(vehicles), distance: Number(distance) });
  }
  return out;
}

/** Distance recomputed from the raw coordinates, independent of the solver's matrix. */
function rawDistance(inst: SolomonInstance, routes: { nodes: number[] }[]): number {
  const rows = [inst.depot, ...inst.customers];
  let total = 0;
  for (const r of routes) {
    let prev = rows[0]!;
    for (const node of [...r.nodes, 0]) {
      const cur = rows[node]!;
      total += Math.hypot(cur.x - prev.x, cur.y - prev.y);
      prev = cur;
    }
  }
  return total;
}

function solveSet(folder: string, files: string[], bks: Map<string, { vehicles: number; distance: number }>, objective: SolveObjective, opts: ReturnType<typeof args>, classOf: (name: string) => string): Row[] {
  const rows: Row[] = [];
  for (const f of files) {
    const inst = parseSolomon(readFileSync(referencePath('routing', folder, f), 'utf8'));
    const name = f.replace(/\.txt$/i, '').toUpperCase();
    const problem = solomonToProblem(inst);
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    let feasible = false;
    let problems = '';
    let vehicles = 0;
    let distance = Number.NaN;
    let stoppedBy = '';
    try {
      // A generous wall-clock guard keeps results deterministic on a busy machine.
      const s = solveVrp(problem, { timeLimitMs: opts.timeLimitMs, seed: opts.seed, objective, wallClockLimitMs: 20 * opts.timeLimitMs });
      stoppedBy = s.stoppedBy;
      const report = checkSolution(problem, s.routes);
      feasible = report.feasible;
      problems = report.violations.map((v) => v.message).join('; ');
      vehicles = s.vehicles;
      distance = rawDistance(inst, s.routes);
      if (Math.abs(distance - s.distance) > 1e-6) { feasible = false; problems += ` distance claimed ${s.distance} ≠ recomputed ${distance}`; }
    } catch (e) {
      problems = (e as Error).message;
    }
    const wallMs = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const ref = bks.get(name);
    const row: Row = {
      instance: name, cls: classOf(name), vehicles, distance, bksVehicles: ref?.vehicles ?? Number.NaN, bks: ref?.distance ?? Number.NaN,
      gap: ref ? (distance / ref.distance - 1) * 100 : Number.NaN, wallMs, cpuMs: (cpu.user + cpu.system) / 1000, feasible, problems, stoppedBy,
    };
    rows.push(row);
    process.stdout.write(`${name.padEnd(8)} ${feasible ? 'ok ' : 'INFEASIBLE'} veh ${vehicles} dist ${distance.toFixed(2)} bks ${row.bks} gap ${row.gap.toFixed(2)}% ${wallMs.toFixed(0)} ms (cpu ${row.cpuMs.toFixed(0)})${problems ? ` ${problems}` : ''}\n`);
  }
  return rows;
}

function summary(rows: Row[]): string {
  const classes = [...new Set(rows.map((r) => r.cls))];
  const lines = ['| class | instances | feasible | mean gap % | max gap % | at/below BKS | mean wall s | max wall s | mean CPU s |', '|---|---|---|---|---|---|---|---|---|'];
  const line = (label: string, rs: Row[]) => {
    if (rs.length === 0) return;
    const ok = rs.filter((r) => r.feasible);
    const gaps = ok.map((r) => r.gap);
    const mean = gaps.reduce((s, g) => s + g, 0) / Math.max(1, gaps.length);
    lines.push(`| ${label} | ${rs.length} | ${ok.length} | ${mean.toFixed(2)} | ${Math.max(...gaps).toFixed(2)} | ${ok.filter((r) => r.gap <= 0.005).length} | ${(rs.reduce((s, r) => s + r.wallMs, 0) / rs.length / 1000).toFixed(2)} | ${(Math.max(...rs.map((r) => r.wallMs)) / 1000).toFixed(2)} | ${(rs.reduce((s, r) => s + r.cpuMs, 0) / rs.length / 1000).toFixed(2)} |`);
  };
  for (const c of classes) line(c, rows.filter((r) => r.cls === c));
  line('**all**', rows);
  return lines.join('\n');
}

function table(rows: Row[]): string {
  return ['| instance | vehicles | distance | BKS (veh / dist) | gap % | wall ms | CPU ms | stopped by | feasible |', '|---|---|---|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.instance} | ${r.vehicles} | ${r.distance.toFixed(2)} | ${r.bksVehicles} / ${r.bks} | ${r.gap.toFixed(2)} | ${r.wallMs.toFixed(0)} | ${r.cpuMs.toFixed(0)} | ${r.stoppedBy} | ${r.feasible ? 'yes' : `**no**: ${r.problems}`} |`)].join('\n');
}

function dayInput(): DayPlanInput {
  const rng = createRandom(11);
  const base = { lat: 48.137, lng: 11.575 };
  return {
    base, dayStart: '07:30', dayEnd: '19:00',
    stops: Array.from({ length: 25 }, (_, i) => ({
      id: `S${i + 1}`,
      location: { lat: base.lat + (rng.next() - 0.5) * 0.25, lng: base.lng + (rng.next() - 0.5) * 0.35 },
      visitMinutes: 10 + rng.int(3) * 5,
      openingHours: rng.next() < 0.5 ? [{ start: '08:00', end: '12:00' }, { start: '13:30', end: '18:00' }] : [{ start: '07:30', end: '18:30' }],
      ...(i % 8 === 0 ? { fixedSlot: { start: `${String(9 + (i % 5)).padStart(2, '0')}:00`, toleranceMinutes: 15 } } : {}),
    })),
  };
}

function timeDayPlan(): string {
  const input = dayInput();
  const matrix = buildDayProblem(input).matrix;
  for (let i = 0; i < 5; i++) planDay(input); // warm-up (JIT)
  const times: number[] = [];
  let plan = planDay(input);
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < 30; i++) {
    const t0 = performance.now();
    plan = planDay(input);
    times.push(performance.now() - t0);
  }
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000 / 30;
  times.sort((a, b) => a - b);
  const violations = verifyDayPlan(input, plan, matrix);
  return `25-stop day plan (lunch-break hours on half the stops, 4 fixed slots ±15 min, coordinates model): median ${times[15]!.toFixed(1)} ms, max ${times[29]!.toFixed(1)} ms wall over 30 runs after warm-up (mean CPU ${cpuMs.toFixed(1)} ms); ${plan.visits.length} planned, ${plan.unassigned.length} unassigned${plan.unassigned.map((u) => ` (${u.stopId}: ${u.reason})`).join('')}; travel ${plan.travelMinutes.toFixed(0)} min; verifier: ${violations.length === 0 ? 'no violations' : violations.join('; ')}.`;
}

function timeWeekPlan(): string {
  const rng = createRandom(5);
  const base = { lat: 48.137, lng: 11.575 };
  const days = ['mon', 'tue', 'wed', 'thu', 'fri'] as const;
  const accounts: WeekAccount[] = Array.from({ length: 30 }, (_, i) => ({
    id: `A${i + 1}`,
    location: { lat: base.lat + (rng.next() - 0.5) * 0.3, lng: base.lng + (rng.next() - 0.5) * 0.4 },
    visitMinutes: 30 + rng.int(4) * 15,
    openingHours: [{ start: '08:00', end: '12:00' }, { start: '13:30', end: '17:30' }],
    // Three existing fixed visits a day, at times that leave room to travel between them.
    ...(i < 15 ? { fixedVisit: { weekday: days[i % 5]!, start: ['08:30', '11:00', '14:30'][Math.floor(i / 5)]!, toleranceMinutes: 15 } } : {}),
  }));
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const week = planWeek({ base, dayStart: '08:00', dayEnd: '18:00', accounts });
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const kept = week.assignments.filter((a) => a.status === 'kept').length;
  const reasons = week.unassigned.map((u) => ` (${u.accountId}: ${u.reason})`).join('');
  return `Week plan, 30 accounts (15 with existing fixed slots, 15 new) over Mon–Fri: ${ms.toFixed(0)} ms wall (CPU ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms); ${kept} fixed slots kept, ${week.assignments.length - kept} placed, ${week.unassigned.length} unassigned${reasons}; workload per day ${week.days.map((d) => `${d.weekday} ${Math.round(d.workloadMinutes)}`).join(', ')} min; travel ${week.travelMinutes.toFixed(0)} min.`;
}

function main(): void {
  if (!hasReferenceData) {
    process.stdout.write(`${referenceDataMissing}\n`);
    return;
  }
  const opts = args();
  const bks = loadBks('distance_only');
  const files = readdirSync(referencePath('routing', 'solomon')).filter((f) => f.endsWith('.txt')).sort()
    .filter((f) => !opts.instances || opts.instances.has(f.replace(/\.txt$/i, '').toUpperCase()));
  const solomonClass = (name: string) => /^(RC|R|C)(\d)/.exec(name)?.slice(1).join('') ?? name;
  const rows = solveSet('solomon', files, bks, 'distance', opts, solomonClass);
  const parts = [
    `Solver: SISR-style ruin and recreate with simulated annealing, nominal time limit ${opts.timeLimitMs} ms per instance (deterministic work budget), seed ${opts.seed}, objective distance_only (vehicles free, fleet 25). Every solution checked by routing.checker.domain.ts and its distance recomputed from the raw coordinates in double precision; gaps against the distance_only BKS of bks.csv. Wall time includes contention from other processes on the machine; CPU time is this process only.`,
    '',
    summary(rows),
  ];
  if (rows.some((r) => !r.feasible)) parts.push('', `**Infeasible (failures): ${rows.filter((r) => !r.feasible).map((r) => r.instance).join(', ')}**`);
  parts.push('', '<details><summary>Per instance</summary>', '', table(rows), '', '</details>');
  if (opts.homberger) {
    const hbks = loadBks('hierarchical');
    const hfiles = readdirSync(referencePath('routing', 'homberger_200')).filter((f) => f.endsWith('.txt')).sort()
      .filter((f) => !opts.instances || opts.instances.has(f.replace(/\.txt$/i, '').toUpperCase()));
    const hrows = solveSet('homberger_200', hfiles, hbks, 'vehicles-then-distance', { ...opts, timeLimitMs: opts.timeLimitMs * 2 }, (n) => n.replace(/_2_\d+$/, ''));
    parts.push('', `Gehring & Homberger, 200 customers, objective vehicles-then-distance, nominal ${opts.timeLimitMs * 2} ms each; gap is the distance gap to the hierarchical BKS (its vehicle count in the table; more vehicles than the BKS makes the comparison favour us).`, '', summary(hrows), '', '<details><summary>Per instance</summary>', '', table(hrows), '', '</details>');
  }
  parts.push('', timeDayPlan(), '', timeWeekPlan());
  const markdown = parts.join('\n');
  process.stdout.write(`\n${markdown}\n`);
  if (!opts.instances) writeBenchmarkSection('routing', 'npm run bench:routing', markdown);
  else process.stdout.write('\n(subset run: docs/benchmarks.md not updated)\n');
}

main();
