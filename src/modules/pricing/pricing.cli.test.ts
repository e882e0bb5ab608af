import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from './pricing.cli.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const dir = mkdtempSync(path.join(os.tmpdir(), 'openkam-pricing-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const file = (content: unknown) => {
  const p = path.join(dir, `terms-${++n}.json`);
  writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content));
  return p;
};
async function cli(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run('price:quote', args, { stdout: (s) => out.push(s), stderr: (s) => err.push(s) });
  return { code, out: out.join(''), err: err.join('') };
}
const breaks = [{ from: 0, unitPriceMinor: 1000 }, { from: 100, unitPriceMinor: 900 }];

describe('price:quote', () => {
  it('prices 250 units all-units: every unit at the reached 9.00, 225,000', async () => {
    const r = await cli(file({ mode: 'all-units', quantity: 250, breaks }));
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual({ totalMinor: 225_000, unitPriceMinor: 900, breakIndex: 1, bands: [{ from: 100, to: null, quantity: 250, unitPriceMinor: 900, amountMinor: 225_000 }] });
  });

  it('prices 250 units graduated: 100 × 10.00 + 150 × 9.00 = 235,000, effective 9.40', async () => {
    const r = await cli(file({ mode: 'graduated', quantity: 250, breaks }));
    expect(JSON.parse(r.out)).toEqual({
      totalMinor: 235_000, unitPriceMinor: 940, breakIndex: 1,
      bands: [{ from: 0, to: 100, quantity: 100, unitPriceMinor: 1000, amountMinor: 100_000 }, { from: 100, to: null, quantity: 150, unitPriceMinor: 900, amountMinor: 135_000 }],
    });
  });

  it('exits 2 with the reason on bad terms or a bad file, on one line', async () => {
    const cases: [unknown, RegExp][] = [
      [{ mode: 'graduated', quantity: 5, breaks: [{ from: 0, unitPriceMinor: 10 }, { from: 100, unitPriceMinor: 9 }, { from: 50, unitPriceMinor: 8 }] }, /breaks\[2\]\.from: breaks must be in increasing order of quantity: 50 comes after 100/],
      [{ mode: 'graduated', quantity: 5, breaks: [{ from: 0, unitPriceMinor: 10 }, { from: 0, unitPriceMinor: 9 }] }, /breaks\[1\]\.from: overlaps break 1/],
      [{ mode: 'all-units', quantity: 5, breaks: [{ from: 0, unitPriceMinor: -10 }] }, /breaks\[0\]\.unitPriceMinor: the unit price must not be negative/],
      [{ mode: 'all-units', quantity: 5, breaks: [{ from: 0, unitPriceMinor: 10.5 }] }, /whole number of minor units/],
      [{ mode: 'all-units', quantity: 5, breaks: [{ from: 10, unitPriceMinor: 10 }] }, /below the minimum quantity of 10/],
      [{ mode: 'tiered', quantity: 5, breaks }, /mode must be "all-units" or "graduated" \(got "tiered"\)/],
      [{ mode: 'all-units', quantity: '5', breaks }, /quantity must be a number/],
      [{ mode: 'all-units', quantity: 0, breaks }, /quantity must be a number > 0/],
      [{ mode: 'all-units', quantity: 5, breaks: [] }, /at least one break is needed/],
      [{ mode: 'all-units', quantity: 5, breaks: [{ from: 0 }] }, /breaks\[0\]\.unitPriceMinor must be a number/],
      ['{"mode": "all-units", ', /not valid JSON/],
      ['[1, 2]', /must hold a JSON object/],
    ];
    for (const [content, message] of cases) {
      const r = await cli(file(content));
      expect(r.code, String(message)).toBe(2);
      expect(r.out, String(message)).toBe('');
      expect(r.err, String(message)).toMatch(message);
      expect(r.err.trimEnd().split('\n'), String(message)).toHaveLength(1);
    }
    expect((await cli(path.join(dir, 'missing.json'))).err).toMatch(/cannot read .*missing\.json: ENOENT/);
    expect((await cli()).code).toBe(2);
  });

  it('runs through npm run openkam with the exit code of the command', () => {
    const env = { ...process.env };
    const good = spawnSync('npx', ['tsx', 'src/cli/main.ts', 'price:quote', file({ mode: 'all-units', quantity: 99, breaks })], { cwd: root, encoding: 'utf8', env });
    expect(good.stderr).toBe('');
    expect(good.status).toBe(0);
    expect(JSON.parse(good.stdout).totalMinor).toBe(99_000);
    const bad = spawnSync('npx', ['tsx', 'src/cli/main.ts', 'price:quote', file({ mode: 'all-units', quantity: 5, breaks: [{ from: 0, unitPriceMinor: -1 }] })], { cwd: root, encoding: 'utf8', env });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^price:quote: breaks\[0\]\.unitPriceMinor: the unit price must not be negative\n$/);
  });
});
