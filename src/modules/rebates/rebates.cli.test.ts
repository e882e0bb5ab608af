import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from './rebates.cli.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const dir = mkdtempSync(path.join(os.tmpdir(), 'openkam-rebates-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const file = (content: unknown) => {
  const p = path.join(dir, `terms-${n++}.json`);
  writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content));
  return p;
};

async function cli(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run('rebate:calc', args, { stdout: (s) => out.push(s), stderr: (s) => err.push(s) });
  return { code, out: out.join(''), err: err.join('') };
}
const tiers = [{ from: 0, ratePercent: 10 }, { from: 10_000, ratePercent: 20 }];

describe('rebate:calc', () => {
  it('prints the retroactive rebate of the example: 380,000 × 20 % = 76,000 in tier 1', async () => {
    const r = await cli(file({ method: 'retroactive', basis: 380_000, reference: 300_000, tiers }));
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out)).toEqual({
      rebateMinor: 76_000,
      tierIndex: 1,
      bands: [
        { from: 0, to: 10_000, basisInBand: 10_000, ratePercent: 20, rebateMinor: 2_000 },
        { from: 10_000, to: null, basisInBand: 370_000, ratePercent: 20, rebateMinor: 74_000 },
      ],
    });
  });

  it('prints incremental, growth and per-unit rebates', async () => {
    const calc = async (terms: unknown) => JSON.parse((await cli(file(terms))).out) as { rebateMinor: number; tierIndex: number };
    // 10,000 × 10 % + 370,000 × 20 % = 1,000 + 74,000.
    expect(await calc({ method: 'incremental', basis: 380_000, tiers })).toMatchObject({ rebateMinor: 75_000, tierIndex: 1 });
    // Increase 80,000 reaches 20 %: 16,000.
    expect(await calc({ method: 'growth', basis: 380_000, reference: 300_000, tiers })).toMatchObject({ rebateMinor: 16_000, tierIndex: 1 });
    // Increase 5,000 stays at 10 %: 500.
    expect(await calc({ method: 'growth', basis: 305_000, reference: 300_000, tiers })).toMatchObject({ rebateMinor: 500, tierIndex: 0 });
    // 12,000 units × 20 minor units.
    expect(await calc({ method: 'per-unit', basis: 12_000, tiers })).toMatchObject({ rebateMinor: 240_000, tierIndex: 1 });
    expect(await calc({ method: 'retroactive', basis: 9_999, tiers: [{ from: 10_000, ratePercent: 2 }] })).toMatchObject({ rebateMinor: 0, tierIndex: -1 });
    expect(await calc({ method: 'retroactive', basis: 380_000, tiers, capMinor: 50_000 })).toMatchObject({ rebateMinor: 50_000 });
  });

  it('exits 2 with one line giving the reason on bad terms', async () => {
    const cases: [unknown, string][] = [
      [{ method: 'retroactive', basis: 1, tiers: [{ from: 0, ratePercent: 1 }, { from: 0, ratePercent: 2 }] }, 'tiers[1].from: 0 is the same as tiers[0].from: tiers overlap'],
      [{ method: 'retroactive', basis: 1, tiers: [{ from: 500, ratePercent: 1 }, { from: 100, ratePercent: 2 }] }, 'tiers[1].from: 100 is below tiers[0].from 500: tiers must be in increasing order'],
      [{ method: 'incremental', basis: 1, tiers: [{ from: 0, ratePercent: -2 }] }, 'tiers[0].ratePercent: must not be negative, got -2'],
      [{ method: 'retroactive', basis: 1, tiers: [{ from: 0, to: 600, ratePercent: 1 }, { from: 500, ratePercent: 2 }] }, 'tiers[0].to: 600 is above tiers[1].from 500: tiers overlap'],
      [{ method: 'retroactive', basis: 1, tiers: [{ from: -10, ratePercent: 1 }] }, 'tiers[0].from: the first tier must start at 0 or above'],
      [{ method: 'retroactive', basis: 1, tiers: [] }, 'tiers: needs at least one tier'],
      [{ method: 'stepped', basis: 1, tiers }, 'method: must be one of retroactive, incremental, growth, per-unit'],
      [{ method: 'retroactive', basis: 12.5, tiers }, 'basis: must be a whole number'],
      [{ method: 'growth', basis: 1, tiers }, 'reference: growth terms need the reference period\'s basis'],
      [{ method: 'per-unit', basis: 1, tiers: [{ from: 0, perUnitMinor: -1 }] }, 'tiers[0].perUnitMinor: must not be negative'],
      ['{"method": ', 'not valid JSON'],
    ];
    for (const [terms, message] of cases) {
      const r = await cli(file(terms));
      expect(r.code, message).toBe(2);
      expect(r.out, message).toBe('');
      expect(r.err, message).toContain(message);
      expect(r.err.startsWith('rebate:calc: '), message).toBe(true);
      expect(r.err.trimEnd().split('\n'), message).toHaveLength(1);
    }
    expect((await cli()).code).toBe(2);
    expect((await cli(path.join(dir, 'missing.json'))).err).toMatch(/cannot read .*missing\.json: ENOENT/);
  });

  it('runs from the command line: npx tsx src/cli/main.ts rebate:calc FILE', () => {
    const f = file({ method: 'incremental', basis: 380_000, tiers });
    const r = spawnSync('npx', ['tsx', 'src/cli/main.ts', 'rebate:calc', f], { cwd: root, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ rebateMinor: 75_000, tierIndex: 1 });
    const bad = spawnSync('npx', ['tsx', 'src/cli/main.ts', 'rebate:calc', file({ method: 'retroactive', basis: 1, tiers: [{ from: 0, ratePercent: -1 }] })], { cwd: root, encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('must not be negative');
  });
});
