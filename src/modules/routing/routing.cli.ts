/**
 * `npm run openkam -- routes:solve FILE [--time-limit SECONDS] [--seed N] [--objective distance|vehicles]`
 * Reads a Solomon text instance or OpenKAM's JSON problem, prints
 * `{routes: [{vehicle, stops}], distance, vehicles, unassigned}` as JSON. Exit 2 on bad input.
 */
import { readFile } from 'node:fs/promises';
import { checkSolution } from './routing.checker.domain.js';
import { jsonToProblem, parseRoutingProblemJson } from './routing.json-problem.js';
import type { VrpProblem } from './routing.problem.domain.js';
import { parseSolomon, solomonToProblem } from './routing.solomon.domain.js';
import { solveVrp, type SolveObjective } from './routing.solver.domain.js';

const USAGE = 'usage: routes:solve FILE [--time-limit SECONDS] [--seed N] [--objective distance|vehicles]';

type Io = { stdout: (s: string) => void; stderr: (s: string) => void };
const defaultIo: Io = { stdout: (s) => process.stdout.write(s), stderr: (s) => process.stderr.write(s) };

class UsageError extends Error {}

/** CLI entry point of the routing module. Returns the exit code. */
export async function run(command: string, args: string[], io: Io = defaultIo): Promise<number> {
  if (command !== 'routes:solve') {
    io.stderr(`unknown routing command: ${command}\n`);
    return 2;
  }
  let file: string;
  let timeLimitMs: number;
  let seed: number;
  let objective: SolveObjective;
  try {
    ({ file, timeLimitMs, seed, objective } = parseArgs(args));
  } catch (e) {
    io.stderr(`${(e as Error).message}\n${USAGE}\n`);
    return 2;
  }
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    io.stderr(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}\n`);
    return 2;
  }
  let problem: VrpProblem;
  let numericIds = false;
  try {
    if (text.trimStart().startsWith('{')) {
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (e) {
        throw new Error(`${file}: not valid JSON: ${(e as Error).message}`);
      }
      problem = jsonToProblem(parseRoutingProblemJson(value));
    } else {
      problem = solomonToProblem(parseSolomon(text));
      numericIds = true;
    }
  } catch (e) {
    io.stderr(`${file}: ${(e as Error).message}\n`);
    return 2;
  }
  const solution = solveVrp(problem, { timeLimitMs, seed, objective });
  const report = checkSolution(problem, solution.routes, { unassigned: solution.unassigned });
  const id = (node: number): string | number => (numericIds ? Number(problem.labels[node]) : problem.labels[node]!);
  const out = {
    routes: solution.routes.map((r) => ({ vehicle: problem.vehicles[r.vehicle]!.id, stops: r.nodes.map(id) })),
    distance: Math.round(report.distance * 1e4) / 1e4,
    vehicles: solution.vehicles,
    unassigned: solution.unassigned.map((node) => ({ id: id(node), reason: unassignedReason(problem, node) })),
  };
  io.stdout(`${JSON.stringify(out, null, 2)}\n`);
  return 0;
}

function parseArgs(args: string[]): { file: string; timeLimitMs: number; seed: number; objective: SolveObjective } {
  let file: string | undefined;
  let timeLimitMs = 2000;
  let seed = 1;
  let objective: SolveObjective = 'distance';
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const value = (): string => {
      const v = args[++i];
      if (v === undefined) throw new UsageError(`${a} needs a value`);
      return v;
    };
    if (a === '--time-limit') {
      const s = Number(value());
      if (!(s > 0) || s > 3600) throw new UsageError('--time-limit must be a number of seconds in (0, 3600]');
      timeLimitMs = s * 1000;
    } else if (a === '--seed') {
      const s = Number(value());
      if (!Number.isInteger(s) || s < 0) throw new UsageError('--seed must be a non-negative integer');
      seed = s;
    } else if (a === '--objective') {
      const o = value();
      if (o !== 'distance' && o !== 'vehicles') throw new UsageError('--objective must be distance or vehicles');
      objective = o === 'vehicles' ? 'vehicles-then-distance' : 'distance';
    } else if (a.startsWith('--')) throw new UsageError(`unknown option ${a}`);
    else if (file === undefined) file = a;
    else throw new UsageError(`unexpected argument ${a}`);
  }
  if (!file) throw new UsageError('missing FILE');
  return { file, timeLimitMs, seed, objective };
}

/** Why no vehicle serves `node`: the most basic cause found. */
function unassignedReason(p: VrpProblem, node: number): string {
  const n = p.size;
  const w = p.windows[node] ?? [];
  if (w.length === 0) return 'no time window';
  if (p.vehicles.every((v) => p.demand[node]! > v.capacity)) return `demand ${p.demand[node]} exceeds every vehicle's capacity`;
  const alone = p.vehicles.some((v) => {
    const arr = v.shiftStart + p.time[v.start * n + node]!;
    const win = w.find((x) => arr <= x[1]);
    if (!win) return false;
    return Math.max(arr, win[0]) + p.service[node]! + p.time[node * n + v.end]! <= v.shiftEnd;
  });
  if (!alone) return 'no vehicle can reach it within its time windows and return before its shift ends';
  return 'no room left on the fleet (all vehicles full or their schedules too tight)';
}
