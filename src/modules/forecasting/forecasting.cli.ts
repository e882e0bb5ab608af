/**
 * `npm run openkam -- forecast FILE [--h 18] [--frequency 12] [--method auto] [--levels 0.5,0.9]`
 *
 * Reads series from a CSV (`series_id,t,value`; the long form `series_id,split,t,value`,
 * whose `test` rows are ignored; or car parts' `series_id,t,month,value`) and writes
 * `series_id,step,forecast,q50,q80,…` to stdout. Empty or NA values are missing values.
 * Exit codes: 0 done, 2 bad input or usage (message on stderr with the line number).
 */
import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { toCsv } from '../../shared/csv.js';
import { DEFAULT_LEVELS, ForecastError, type ForecastMethod } from './forecasting.contract.js';
import { forecastSeries, isForecastMethod } from './forecasting.domain.js';

const USAGE = 'usage: forecast FILE [--h N] [--frequency M] [--method auto|ets|arima|theta|snaive|naive|ses|croston|sba|tsb] [--levels 0.5,0.8,0.9,0.95,0.99]';

class UsageError extends Error {}

type Options = { file: string; h?: number; frequency: number; method: ForecastMethod; levels: number[] };

function parseArgs(args: string[]): Options {
  let file: string | undefined;
  const named = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a.startsWith('--')) {
      const [key, inline] = a.slice(2).split('=', 2) as [string, string | undefined];
      const value = inline ?? args[++i];
      if (value === undefined) throw new UsageError(`--${key} needs a value`);
      named.set(key, value);
    } else if (file === undefined) file = a;
    else throw new UsageError(`unexpected argument: ${a}`);
  }
  if (!file) throw new UsageError('missing FILE');
  for (const k of named.keys()) if (!['h', 'frequency', 'method', 'levels'].includes(k)) throw new UsageError(`unknown option --${k}`);
  const int = (k: string, min: number): number | undefined => {
    const v = named.get(k);
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) throw new UsageError(`--${k} must be a whole number ≥ ${min}, got ${v}`);
    return n;
  };
  const freq = named.get('frequency');
  const frequency = freq === undefined ? 1 : Number(freq);
  // Weekly data may give 52.18 (weeks a year); the engine rounds the period.
  if (!(Number.isFinite(frequency) && frequency >= 1)) throw new UsageError(`--frequency must be a number ≥ 1, got ${freq}`);
  const method = named.get('method') ?? 'auto';
  if (!isForecastMethod(method)) throw new UsageError(`unknown method: ${method}`);
  const levels = named.has('levels') ? named.get('levels')!.split(',').map(Number) : [...DEFAULT_LEVELS];
  if (levels.some((p) => !(p > 0 && p < 1))) throw new UsageError(`--levels must be numbers between 0 and 1, got ${named.get('levels')}`);
  return { file, h: int('h', 1), frequency, method, levels };
}

type Row = { record: Record<string, string>; info: { lines: number } };

/** Series in order of first appearance; integer gaps in t become missing values. */
function readSeries(text: string): Map<string, (number | null)[]> {
  let rows: Row[];
  try {
    rows = parse(text, { columns: true, info: true, skip_empty_lines: true, trim: true, bom: true }) as Row[];
  } catch (err) {
    throw new ForecastError('invalid_input', `not a readable CSV: ${(err as Error).message}`);
  }
  const header = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0]!.split(',').map((c) => c.trim().replace(/^"|"$/g, ''));
  for (const col of ['series_id', 't', 'value']) {
    if (!header.includes(col)) throw new ForecastError('invalid_input', `line 1: the header needs columns series_id, t and value (got: ${header.join(',')})`);
  }
  const points = new Map<string, [number, number | null][]>();
  for (const { record, info } of rows) {
    if (record.split === 'test') continue;
    const line = info.lines;
    const id = record.series_id ?? '';
    if (id === '') throw new ForecastError('invalid_input', `line ${line}: empty series_id`);
    const t = Number(record.t);
    if (record.t === '' || !Number.isFinite(t)) throw new ForecastError('invalid_input', `line ${line}: t is not a number: "${record.t}"`);
    const raw = record.value ?? '';
    let value: number | null;
    if (raw === '' || raw === 'NA') value = null;
    else {
      value = Number(raw);
      if (!Number.isFinite(value)) throw new ForecastError('invalid_input', `line ${line}: value is not a number: "${raw}"`);
    }
    let list = points.get(id);
    if (!list) points.set(id, (list = []));
    list.push([t, value]);
  }
  if (points.size === 0) throw new ForecastError('invalid_input', 'the file has no data rows');
  const out = new Map<string, (number | null)[]>();
  for (const [id, list] of points) {
    list.sort((a, b) => a[0] - b[0]);
    const values: (number | null)[] = [];
    for (let i = 0; i < list.length; i++) {
      const [t, v] = list[i]!;
      if (i > 0) {
        const prev = list[i - 1]![0];
        if (t === prev) throw new ForecastError('invalid_input', `series ${id}: t = ${t} appears twice`);
        if (Number.isInteger(t) && Number.isInteger(prev)) for (let g = prev + 1; g < t; g++) values.push(null);
      }
      values.push(v);
    }
    out.set(id, values);
  }
  return out;
}

const fmt = (v: number) => Number(v.toPrecision(10));

export async function run(command: string, args: string[]): Promise<number> {
  if (command !== 'forecast') {
    process.stderr.write(`unknown command: ${command}\n`);
    return 2;
  }
  try {
    const opts = parseArgs(args);
    let text: string;
    try {
      text = await readFile(opts.file, 'utf8');
    } catch (err) {
      throw new ForecastError('invalid_input', `cannot read ${opts.file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    const series = readSeries(text);
    const levels = [...new Set(opts.levels)].sort((a, b) => a - b);
    const h = opts.h ?? (opts.frequency > 1 ? 2 * Math.round(opts.frequency) : 10);
    const header = ['series_id', 'step', 'forecast', ...levels.map((p) => `q${+(p * 100).toFixed(4)}`)];
    const out: (string | number)[][] = [];
    for (const [id, values] of series) {
      let f;
      try {
        f = forecastSeries({ values, frequency: opts.frequency }, { horizon: h, levels, method: opts.method });
      } catch (err) {
        if (err instanceof ForecastError) throw new ForecastError(err.code, `series ${id}: ${err.message}`);
        throw err;
      }
      for (let i = 0; i < h; i++) out.push([id, i + 1, fmt(f.point[i]!), ...f.quantiles.map((q) => fmt(q[i]!))]);
    }
    process.stdout.write(toCsv([header, ...out]));
    return 0;
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`${err.message}\n${USAGE}\n`);
      return 2;
    }
    if (err instanceof ForecastError) {
      process.stderr.write(`${err.message}\n`);
      return 2;
    }
    throw err;
  }
}
