import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { run } from './forecasting.cli.js';

const dir = mkdtempSync(path.join(tmpdir(), 'openkam-forecast-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
}

async function capture(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    err += String(chunk);
    return true;
  });
  try {
    const code = await run('forecast', args);
    return { code, out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

const rows = (id: string, values: number[]) => values.map((v, i) => `${id},${i + 1},${v}`).join('\n');

describe('forecast CLI', () => {
  it('writes the header and one row per series and step', async () => {
    const p = file('simple.csv', `series_id,t,value\n${rows('A', [10, 12, 11, 13, 14, 13, 15, 16])}\n${rows('B', [0, 2, 0, 0, 3, 0, 0, 1])}\n`);
    const { code, out } = await capture([p, '--h', '3', '--frequency', '1']);
    expect(code).toBe(0);
    const lines = out.trim().split('\n');
    expect(lines[0]).toBe('series_id,step,forecast,q50,q80,q90,q95,q99');
    expect(lines).toHaveLength(1 + 2 * 3);
    expect(lines.slice(1).map((l) => l.split(',').slice(0, 2).join(','))).toEqual(['A,1', 'A,2', 'A,3', 'B,1', 'B,2', 'B,3']);
    for (const l of lines.slice(1)) {
      const nums = l.split(',').slice(2).map(Number);
      expect(nums.every(Number.isFinite)).toBe(true);
    }
  });

  it('writes a series id a spreadsheet would run as a formula as text, and the forecasts as numbers', async () => {
    const p = file('formula.csv', `series_id,t,value\n${rows('=1+2', [10, 12, 11, 13, 14, 13, 15, 16])}\n${rows('-A', [5, 4, 3, 2, 1, 0, 0, 0])}\n`);
    const { code, out } = await capture([p, '--h', '2', '--frequency', '1', '--levels', '0.5']);
    expect(code).toBe(0);
    const lines = out.trim().split('\n').slice(1);
    expect(lines.map((l) => l.split(',')[0])).toEqual(["'=1+2", "'=1+2", "'-A", "'-A"]);
    for (const l of lines) expect(l.split(',').slice(1).every((v) => Number.isFinite(Number(v)))).toBe(true);
  });

  it('ignores the test rows of the long form and reads car parts\' month column', async () => {
    const long = file('long.csv', 'series_id,split,t,value\nX,train,1,5\nX,train,2,6\nX,train,3,7\nX,test,4,999\n');
    const r1 = await capture([long, '--h', '2', '--method', 'naive']);
    expect(r1.code).toBe(0);
    expect(r1.out.trim().split('\n')[1]).toMatch(/^X,1,7,/);
    const cp = file('cp.csv', 'series_id,t,month,value\n7,1,1998-01,0\n7,2,1998-02,3\n7,3,1998-03,0\n');
    const r2 = await capture([cp, '--h', '1']);
    expect(r2.code).toBe(0);
    expect(r2.out).toMatch(/^series_id,step/);
  });

  it('accepts custom quantile levels', async () => {
    const p = file('levels.csv', `series_id,t,value\n${rows('A', [1, 2, 3, 4, 5, 6])}\n`);
    const { out } = await capture([p, '--h', '1', '--levels', '0.1,0.975']);
    expect(out.split('\n')[0]).toBe('series_id,step,forecast,q10,q97.5');
  });

  it('exits with 2 and the line number when a value is not a number', async () => {
    const p = file('bad.csv', 'series_id,t,value\nA,1,10\nA,2,12\nA,3,twelve\n');
    const { code, err, out } = await capture([p]);
    expect(code).toBe(2);
    expect(err).toMatch(/line 4/);
    expect(err).toMatch(/twelve/);
    expect(out).toBe('');
  });

  it('exits with 2 for a missing file, a bad header or a bad option', async () => {
    expect((await capture([path.join(dir, 'nope.csv')])).err).toMatch(/cannot read/);
    const bad = await capture([file('hdr.csv', 'id,time,qty\nA,1,2\n')]);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/header/);
    const p = file('ok.csv', 'series_id,t,value\nA,1,2\n');
    expect((await capture([p, '--h', '0'])).code).toBe(2);
    expect((await capture([p, '--method', 'prophet'])).code).toBe(2);
    expect((await capture([])).code).toBe(2);
  });
});
