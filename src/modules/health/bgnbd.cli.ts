/**
 * `npm run openkam -- bgnbd FILE [--predict T]`: fits the BG/NBD model (bgnbd.domain.ts) to a
 * CSV of customer summaries and prints the fit as JSON (see USAGE). Bad input: one line on
 * stderr naming the line of the file, exit 2, nothing on stdout.
 */
import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { defaultIo, type Io, UsageError } from '../../cli/io.js';
import { SeriesDivergenceError } from '../../shared/special.js';
import { BgNbdError, conditionalExpectedPurchases, type CustomerSummary, customerProblem, fitBgNbd, probabilityAlive } from './bgnbd.domain.js';

export const USAGE = `usage: bgnbd FILE [--predict T]
Fits the BG/NBD model (Fader, Hardie & Lee 2005) by maximum likelihood to FILE (- reads
standard input), a CSV with a header holding the columns frequency, recency and T (any order;
other columns are ignored; comma, semicolon or tab separated):
  frequency  repeat purchases in the calibration period (a whole number >= 0)
  recency    time from the first purchase to the last repeat purchase (0 when frequency is 0)
  T          time from the first purchase to the end of the calibration period (>= recency)
Prints {"r", "alpha", "a", "b", "logLikelihood", "customers"}: the gamma shape r and rate alpha
of the purchase rate, the beta a and b of the drop-out probability, the maximised
log-likelihood and the number of customers.
--predict T adds "predict": T and "predictions": one object per data row in file order,
  {"line", "id"?, "expectedPurchases", "probabilityAlive"}: line is the row's line in FILE,
  id the value of an id / customer_id column when there is one, expectedPurchases the expected
  purchases in the next T periods (same time unit as recency and T, e.g. weeks) and
  probabilityAlive the probability that the customer has not dropped out.
Exit 0 done; 2 bad input (one line on stderr with the line number; nothing on stdout).
A fit whose optimiser did not converge, or whose likelihood keeps rising as a parameter goes to
0 or infinity (a small file, or one without drop-outs), still prints, with one warning line on
stderr naming it.`;

type Row = { record: Record<string, string>; info: { lines: number } };
type Customers = { customers: CustomerSummary[]; lines: number[]; ids: string[] | null };

/** A plain decimal number (optional exponent): no hex, no blanks, no "Infinity". */
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

function delimiterOf(header: string): string {
  if (header.includes(',')) return ',';
  if (header.includes(';')) return ';';
  if (header.includes('\t')) return '\t';
  return ',';
}

/** The customers of the CSV text, each with its line number; UsageError naming the line on the first bad one. */
export function readCustomers(text: string): Customers {
  const clean = text.replace(/^\uFEFF/, '');
  const firstLine = clean.split(/\r?\n/, 1)[0] ?? '';
  if (firstLine.trim() === '') throw new UsageError('line 1: the file is empty; it needs a header with columns frequency, recency and T');
  let rows: Row[];
  let header: string[] = [];
  try {
    rows = parse(clean, {
      columns: (h: string[]) => (header = h.map((c) => c.trim())),
      info: true,
      skip_empty_lines: true,
      trim: true,
      delimiter: delimiterOf(firstLine),
      relax_column_count: false,
    }) as Row[];
  } catch (err) {
    const e = err as Error & { lines?: number };
    throw new UsageError(`${e.lines !== undefined ? `line ${e.lines}: ` : ''}not a readable CSV: ${e.message}`);
  }
  // Exact names first (lifetimes writes frequency,recency,T); any letter case otherwise.
  const column = (name: string): string => {
    if (header.includes(name)) return name;
    const matches = header.filter((h) => h.toLowerCase() === name.toLowerCase());
    if (matches.length === 1) return matches[0]!;
    throw new UsageError(`line 1: the header needs columns frequency, recency and T (got: ${header.join(',')})`);
  };
  const fCol = column('frequency');
  const rCol = column('recency');
  const tCol = column('T');
  const idCol = header.find((h) => ['id', 'customer_id', 'customerid', 'customer id'].includes(h.toLowerCase())) ?? null;
  const customers: CustomerSummary[] = [];
  const lines: number[] = [];
  const ids: string[] | null = idCol ? [] : null;
  for (const { record, info } of rows) {
    const line = info.lines;
    const num = (col: string): number => {
      const raw = record[col] ?? '';
      if (!NUMBER.test(raw)) throw new UsageError(`line ${line}: ${col} is not a number: "${raw}"`);
      return Number(raw);
    };
    const c = { frequency: num(fCol), recency: num(rCol), T: num(tCol) };
    const problem = customerProblem(c);
    if (problem) throw new UsageError(`line ${line}: ${problem}`);
    customers.push(c);
    lines.push(line);
    ids?.push(record[idCol!] ?? '');
  }
  if (customers.length === 0) throw new UsageError('the file has a header but no data rows');
  return { customers, lines, ids };
}

function parseOptions(args: string[]): { file: string; predict: number | null } | 'help' {
  let file: string | undefined;
  let predict: number | null = null;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--help' || a === '-h') return 'help';
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = a.slice(2, eq >= 0 ? eq : undefined);
      if (name !== 'predict') throw new UsageError(`unknown option --${name}`);
      const value = eq >= 0 ? a.slice(eq + 1) : args[++i];
      if (value === undefined || !NUMBER.test(value) || !(Number(value) > 0)) throw new UsageError(`--predict needs a number of periods > 0, got ${value ?? 'nothing'}`);
      predict = Number(value);
    } else if (file === undefined) file = a;
    else throw new UsageError(`one FILE at a time (got "${file}" and "${a}")`);
  }
  if (file === undefined) throw new UsageError('missing FILE');
  return { file, predict };
}

/** CLI entry point of the health module's BG/NBD command. Returns the exit code. */
export async function run(command: string, args: string[], io: Io = defaultIo): Promise<number> {
  if (command !== 'bgnbd') {
    io.stderr(`unknown health command: ${command}\n`);
    return 2;
  }
  try {
    const opts = parseOptions(args);
    if (opts === 'help') {
      io.stdout(`${USAGE}\n`);
      return 0;
    }
    let text: string;
    try {
      text = opts.file === '-' ? await (io.stdin ?? defaultIo.stdin!)() : await readFile(opts.file, 'utf8');
    } catch (e) {
      throw new UsageError(`cannot read ${opts.file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    const { customers, lines, ids } = readCustomers(text);
    const fit = fitBgNbd(customers);
    const p = fit.params;
    const out: Record<string, unknown> = { r: p.r, alpha: p.alpha, a: p.a, b: p.b, logLikelihood: fit.logLikelihood, customers: fit.customers };
    if (opts.predict !== null) {
      const t = opts.predict;
      out.predict = t;
      out.predictions = customers.map((c, i) => {
        let expectedPurchases: number;
        try {
          expectedPurchases = conditionalExpectedPurchases(p, c, t);
        } catch (e) {
          if (e instanceof SeriesDivergenceError) throw new BgNbdError('invalid_parameters', `line ${lines[i]}: expected purchases: ${e.message} (--predict ${t} is very long against this customer's T)`);
          throw e;
        }
        return { line: lines[i], ...(ids ? { id: ids[i] } : {}), expectedPurchases, probabilityAlive: probabilityAlive(p, c) };
      });
    }
    if (fit.atEdge.length > 0) {
      const values = fit.atEdge.map((k) => `${k} = ${p[k].toExponential(2)}`).join(', ');
      io.stderr(`bgnbd: warning: the likelihood keeps rising towards ${values}: this file does not identify ${fit.atEdge.length === 1 ? 'it' : 'them'}; the predictions still hold\n`);
    } else if (!fit.converged) {
      io.stderr(`bgnbd: warning: the optimiser did not converge (largest gradient ${fit.gradientNorm.toExponential(2)}); the parameters are the best found\n`);
    }
    io.stdout(`${JSON.stringify(out)}\n`);
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`bgnbd: ${e.message}\n`);
      return 2;
    }
    if (e instanceof BgNbdError) {
      io.stderr(`bgnbd: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}
