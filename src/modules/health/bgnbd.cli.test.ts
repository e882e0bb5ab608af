import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { Io } from '../../cli/io.js';
import { referenceDataDir, referencePath } from '../../shared/reference-data.js';
import { run } from './bgnbd.cli.js';
import { conditionalExpectedPurchases, probabilityAlive, simulateCustomers } from './bgnbd.domain.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const dir = mkdtempSync(path.join(os.tmpdir(), 'openkam-bgnbd-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
}

async function cli(args: string[], stdin?: string): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: Io = { stdout: (s) => (out += s), stderr: (s) => (err += s), stdin: async () => stdin ?? '' };
  const code = await run('bgnbd', args, io);
  return { code, out, err };
}

/** The command as a user runs it: a separate process through src/cli/main.ts. */
function spawnCli(args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'bgnbd', ...args], { cwd: root, encoding: 'utf8' });
}

type Answer = { r: number; alpha: number; a: number; b: number; logLikelihood: number; customers: number; predict?: number; predictions?: { line: number; id?: string; expectedPurchases: number; probabilityAlive: number }[] };

const CDNOW = referencePath('customers', 'cdnow', 'cdnow_customers_summary.csv');
const hasCdnow = existsSync(CDNOW);

describe.skipIf(!hasCdnow)(`bgnbd on the CDNOW summary${hasCdnow ? '' : ` (${CDNOW} not found under ${referenceDataDir}; set OPENKAM_REFERENCE_DATA): skipped`}`, () => {
  it('prints the published fit as JSON with exactly the documented keys, run as a separate process', () => {
    const r = spawnCli([CDNOW]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const a = JSON.parse(r.stdout) as Answer;
    expect(Object.keys(a)).toEqual(['r', 'alpha', 'a', 'b', 'logLikelihood', 'customers']);
    expect([a.r, a.alpha, a.a, a.b].map((v) => v.toFixed(3))).toEqual(['0.243', '4.414', '0.793', '2.426']);
    expect(a.logLikelihood.toFixed(1)).toBe('-9582.4');
    expect(a.customers).toBe(2357);
  });

  it('adds each customer\'s expected purchases and probability alive with --predict', async () => {
    const { code, out, err } = await cli([CDNOW, '--predict', '39']);
    expect(err).toBe('');
    expect(code).toBe(0);
    const a = JSON.parse(out) as Answer;
    expect(a.predict).toBe(39);
    expect(a.predictions).toHaveLength(2357);
    const first = a.predictions![0]!;
    expect(first.line).toBe(2);
    expect(first.id).toBe('1');
    // Customer 1 of the file: 2, 30.43, 38.86 (values at the fitted, unrounded parameters).
    const c = { frequency: 2, recency: 30.43, T: 38.86 };
    expect(first.expectedPurchases).toBeCloseTo(conditionalExpectedPurchases(a, c, 39), 14);
    expect(first.probabilityAlive).toBeCloseTo(probabilityAlive(a, c), 14);
    // Near the published-parameter figures (1.2260 and 0.7266), as the fit is near them.
    expect(first.expectedPurchases).toBeCloseTo(1.226, 2);
    expect(first.probabilityAlive).toBeCloseTo(0.7266, 3);
    // The total predicted over the next 39 weeks, a figure to compare with the holdout period.
    const total = a.predictions!.reduce((s, p) => s + p.expectedPurchases, 0);
    expect(total).toBeGreaterThan(1500);
    expect(total).toBeLessThan(2000);
  });
});

describe('bgnbd command input', () => {
  it('exits 2 with the line number and prints nothing on stdout for a bad value, run as a separate process', () => {
    const p = file('bad-number.csv', 'frequency,recency,T\n1,2,30\n0,0,30\n2,abc,30\n');
    const r = spawnCli([p]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('bgnbd: line 4: recency is not a number: "abc"\n');
  });

  it.each([
    ['a missing column', 'frequency,recency\n1,2\n', /^bgnbd: line 1: the header needs columns frequency, recency and T/],
    ['an empty file', '', /^bgnbd: line 1: the file is empty/],
    ['a header without rows', 'frequency,recency,T\n', /no data rows/],
    ['recency after T', 'frequency,recency,T\n1,2,30\n3,31,30\n', /^bgnbd: line 3: recency \(31\) is after the end of the observation T \(30\)/],
    ['a fractional frequency', 'frequency,recency,T\n1.5,2,30\n', /^bgnbd: line 2: frequency must be a whole number/],
    ['a negative T', 'frequency,recency,T\n0,0,-1\n', /^bgnbd: line 2: T must be a number ≥ 0/],
    ['recency without a repeat purchase', 'frequency,recency,T\n1,2,30\n0,5,30\n', /^bgnbd: line 3: recency must be 0 when frequency is 0/],
    ['an empty cell', 'frequency,recency,T\n1,2,30\n1,,30\n', /^bgnbd: line 3: recency is not a number: ""/],
    ['a hexadecimal number', 'frequency,recency,T\n0x1,2,30\n', /^bgnbd: line 2: frequency is not a number/],
    ['a row with a missing field', 'frequency,recency,T\n1,2,30\n1,2\n', /^bgnbd: line 3: not a readable CSV/],
    ['no repeat purchase at all', 'frequency,recency,T\n0,0,30\n0,0,12\n', /no customer has a repeat purchase/],
  ])('refuses %s with exit 2 and nothing on stdout', async (_name, text, message) => {
    const { code, out, err } = await cli([file('bad.csv', text)]);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toMatch(message);
    expect(err.trim().split('\n')).toHaveLength(1);
  });

  it('refuses a missing file, unknown options and a bad --predict', async () => {
    for (const args of [[path.join(dir, 'nope.csv')], ['x.csv', '--weeks', '3'], ['x.csv', '--predict'], ['x.csv', '--predict', '-2'], ['x.csv', '--predict', 'ten'], []]) {
      const r = await cli(args);
      expect(r.code).toBe(2);
      expect(r.out).toBe('');
      expect(r.err).toMatch(/^bgnbd: /);
    }
  });

  it('still prints a fit whose maximum lies at the edge, with one warning line naming the parameter', async () => {
    // Nobody ever drops out (every buyer is still buying at T): p → 0, so a → 0 or b → ∞.
    const text = `frequency,recency,T\n${Array.from({ length: 40 }, (_, i) => `${(i % 5) + 1},${30 + (i % 7)},${30 + (i % 7)}`).join('\n')}\n0,0,30\n`;
    const { code, out, err } = await cli([file('edge.csv', text), '--predict', '10']);
    expect(code).toBe(0);
    expect(err).toMatch(/^bgnbd: warning: the likelihood keeps rising towards (r|alpha|a|b) = [^\n]*\n$/);
    const a = JSON.parse(out) as Answer;
    for (const p of a.predictions!) expect(p.probabilityAlive).toBeGreaterThan(0.99);
  });

  it('states the output shape in --help', async () => {
    const { code, out } = await cli(['--help']);
    expect(code).toBe(0);
    expect(out).toContain('{"r", "alpha", "a", "b", "logLikelihood", "customers"}');
    expect(out).toContain('"predictions"');
    expect(out).toContain('{"line", "id"?, "expectedPurchases", "probabilityAlive"}');
  });

  it('reads other column orders and letter cases, semicolons, a byte-order mark, extra columns and standard input', async () => {
    const rows = [[3, 20, 30], [0, 0, 30], [1, 5, 12], [0, 0, 12], [7, 28, 30], [2, 11, 11], [0, 0, 0], [0, 0, 25]];
    const plain = `frequency,recency,T\n${rows.map((r) => r.join(',')).join('\n')}\n`;
    const baseRun = await cli([file('plain.csv', plain)]);
    expect(baseRun.code).toBe(0);
    const base = JSON.parse(baseRun.out) as Answer;
    const variant = `\uFEFFname;t;Recency;Frequency;spend\n${rows.map((r, i) => `c${i};${r[2]};${r[1]};${r[0]};9.99`).join('\n')}\n`;
    const other = await cli([file('variant.csv', variant)]);
    expect(other.err).toBe(baseRun.err); // eight customers: a warning that they do not identify every parameter
    expect(JSON.parse(other.out)).toEqual(base);
    const piped = await cli(['-'], plain);
    expect(JSON.parse(piped.out)).toEqual(base);
  });

  it('copes with what real files hold: T = 0 rows, recency = T, very large frequencies, thousands of customers', async () => {
    let s = 17;
    const rnd = () => ((s = (s * 16807) % 2147483647) / 2147483647);
    const customers = simulateCustomers({ r: 2, alpha: 0.4, a: 0.5, b: 6 }, Array.from({ length: 6000 }, (_, i) => (i % 50 === 0 ? 0 : 104 * rnd())), rnd);
    customers.push({ frequency: 40000, recency: 103, T: 103 }, { frequency: 12, recency: 50, T: 50 });
    const text = `id,frequency,recency,T\n${customers.map((c, i) => `${i},${c.frequency},${c.recency},${c.T}`).join('\n')}\n`;
    const started = performance.now();
    const { code, out, err } = await cli([file('big.csv', text), '--predict', '52']);
    const ms = performance.now() - started;
    expect(err).toBe('');
    expect(code).toBe(0);
    const a = JSON.parse(out) as Answer;
    expect(a.customers).toBe(6002);
    expect(a.predictions).toHaveLength(6002);
    for (const p of a.predictions!) {
      expect(Number.isFinite(p.expectedPurchases) && p.expectedPurchases >= 0).toBe(true);
      expect(p.probabilityAlive >= 0 && p.probabilityAlive <= 1).toBe(true);
    }
    // The heavy buyer, still buying at the end: alive, about 40000/103 purchases a week for 52 weeks.
    const heavy = a.predictions![6000]!;
    expect(heavy.id).toBe('6000');
    expect(heavy.expectedPurchases).toBeGreaterThan(15000);
    expect(heavy.expectedPurchases).toBeLessThan(40000 / 103 * 52);
    expect(ms).toBeLessThan(10_000);
  });
});
