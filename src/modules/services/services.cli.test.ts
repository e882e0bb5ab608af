import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { run } from './services.cli.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const dir = mkdtempSync(path.join(os.tmpdir(), 'openkam-services-cli-'));
const file = (name: string, text: string) => {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
};
const savedDataDir = process.env.OPENKAM_DATA_DIR;
let dataDir = '';
beforeEach(() => {
  // A data directory of its own per test: years loaded by one test do not leak into another.
  dataDir = mkdtempSync(path.join(dir, 'data-'));
  process.env.OPENKAM_DATA_DIR = dataDir;
});
afterAll(() => {
  if (savedDataDir === undefined) delete process.env.OPENKAM_DATA_DIR;
  else process.env.OPENKAM_DATA_DIR = savedDataDir;
  rmSync(dir, { recursive: true, force: true });
});

async function cli(command: string, ...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(command, args, { stdout: (s) => out.push(s), stderr: (s) => err.push(s) });
  return { code, out: out.join(''), err: err.join('') };
}
const WORKING = ['--working', '09:00-12:00,13:00-18:00'];

describe('sla:due', () => {
  it('prints the due instant with the zone offset: Friday 13 February 2026 17:50 + 8 h is due on the make-up Saturday', async () => {
    expect(await cli('sla:due', '--from', '2026-02-13T17:50', '--tz', 'Asia/Shanghai', '--hours', '8', ...WORKING, '--calendar', 'cn'))
      .toEqual({ code: 0, out: '2026-02-14T17:50:00+08:00\n', err: '' });
    // Without --calendar: weekdays only, the holiday Monday counts.
    expect((await cli('sla:due', '--from', '2026-02-13T17:50', '--tz', 'Asia/Shanghai', '--hours', '8', ...WORKING)).out).toBe('2026-02-16T17:50:00+08:00\n');
  });

  it('reads --from with an offset or Z as that instant', async () => {
    expect((await cli('sla:due', '--from', '2026-02-13T09:50:00Z', '--hours', '8', ...WORKING, '--calendar', 'cn')).out).toBe('2026-02-14T17:50:00+08:00\n');
    expect((await cli('sla:due', '--from=2026-02-13T10:50+01:00', '--hours=8', '--working=09:00-12:00,13:00-18:00', '--calendar=cn')).out).toBe('2026-02-14T17:50:00+08:00\n');
  });

  it('adds --minutes to --hours and takes repeated --paused intervals as one union', async () => {
    expect((await cli('sla:due', '--from', '2026-03-03T11:30', '--hours', '1', '--minutes', '30', ...WORKING)).out).toBe('2026-03-03T14:00:00+08:00\n');
    expect((await cli('sla:due', '--from', '2026-03-02T10:00', '--hours', '8', ...WORKING, '--calendar', 'cn',
      '--paused', '2026-03-02T11:00/2026-03-03T11:00', '--paused', '2026-03-03T09:00/2026-03-04T11:00')).out).toBe('2026-03-05T10:00:00+08:00\n');
  });

  it('works in another zone across its DST change, and on chosen weekdays', async () => {
    expect((await cli('sla:due', '--from', '2026-03-27T16:00', '--tz', 'Europe/Berlin', '--hours', '2', '--working', '09:00-17:00')).out).toBe('2026-03-30T10:00:00+02:00\n');
    expect((await cli('sla:due', '--from', '2026-03-06T17:30', '--minutes', '60', ...WORKING, '--weekdays', '1-6')).out).toBe('2026-03-07T09:30:00+08:00\n');
  });

  it('exits 2 with one line naming the option on bad input', async () => {
    const base = ['--from', '2026-03-03T10:00', '--hours', '1', ...WORKING];
    const cases: [string[], string][] = [
      [['--hours', '1', ...WORKING], '--from is required'],
      [['--from', '2026-02-30T10:00', '--hours', '1', ...WORKING], '--from: "2026-02-30T10:00" is not a date and time'],
      [['--from', '2026-03-03T24:00', '--hours', '1', ...WORKING], '--from: "2026-03-03T24:00"'],
      [['--from', '2026-03-03T10:00', ...WORKING], '--hours or --minutes is required'],
      [['--from', '2026-03-03T10:00', '--hours', 'eight', ...WORKING], '--hours: "eight" is not a number'],
      [['--from', '2026-03-03T10:00', '--hours', '1', '--minutes', '-5', ...WORKING], '--minutes: "-5" is not a number'],
      [['--from', '2026-03-03T10:00', '--hours', '1'], '--working is required'],
      [['--from', '2026-03-03T10:00', '--hours', '1', '--working', '09:00-12:00,11:00-18:00'], '--working: 09:00-12:00 and 11:00-18:00 overlap'],
      [['--from', '2026-03-03T10:00', '--hours', '1', '--working', '18:00-09:00'], '--working: "18:00-09:00" ends before it starts'],
      [[...base, '--tz', 'Asia/Peking'], '--tz: "Asia/Peking" is not an IANA time zone'],
      [[...base, '--calendar', 'de'], '--calendar: unknown calendar "de" (known: cn)'],
      [[...base, '--paused', '2026-03-03T11:00'], '--paused: "2026-03-03T11:00" is not FROM/TO'],
      [[...base, '--paused', '2026-03-03T11:00/2026-03-03T10:00'], '--paused: "2026-03-03T11:00/2026-03-03T10:00" ends before it starts'],
      [[...base, '--weekdays', '1-8'], '--weekdays: "1-8" is not a list of ISO weekdays'],
      [[...base, '--hours', '2'], '--hours is given twice'],
      [[...base, '--colour', 'red'], 'unknown option --colour'],
      [[...base, '--tz'], '--tz needs a value'],
      [[...base, 'extra'], 'unexpected argument "extra"'],
    ];
    for (const [args, message] of cases) {
      const r = await cli('sla:due', ...args);
      expect(r.code, message).toBe(2);
      expect(r.out, message).toBe('');
      expect(r.err, message).toContain(`sla:due: ${message}`);
      expect(r.err.trimEnd().split('\n'), message).toHaveLength(1);
    }
  });

  it('runs from the command line: npx tsx src/cli/main.ts sla:due …', () => {
    const { DATABASE_URL: _ignored, ...env } = process.env;
    const r = spawnSync('npx', ['tsx', 'src/cli/main.ts', 'sla:due', '--from', '2026-02-13T17:50', '--tz', 'Asia/Shanghai', '--hours', '8', ...WORKING, '--calendar', 'cn'], {
      cwd: root, encoding: 'utf8', env: { ...env, OPENKAM_DATA_DIR: dataDir },
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('2026-02-14T17:50:00+08:00\n');
  });
});

describe('calendar:load', () => {
  const year2027 = JSON.stringify({ year: 2027, papers: [], days: [{ name: '元旦', date: '2027-01-01', isOffDay: true }] });

  it('adds a year to the China calendar, and sla:due --calendar cn then counts it', async () => {
    const dueArgs = ['--from', '2026-12-31T17:00', '--hours', '2', ...WORKING, '--calendar', 'cn'];
    expect((await cli('sla:due', ...dueArgs)).out).toBe('2027-01-01T10:00:00+08:00\n');
    const r = await cli('calendar:load', file('2027.json', year2027));
    expect(r.code, r.err).toBe(0);
    expect(r.out).toBe(`calendar:load: 2027 stored in ${path.join(dataDir, 'holiday-cn.extra.json')} (1 day off, 0 make-up working days)\n`);
    // New Year's Day 2027 (a Friday) is now off: Thursday 17:00–18:00, then Monday 09:00–10:00.
    expect((await cli('sla:due', ...dueArgs)).out).toBe('2027-01-04T10:00:00+08:00\n');
  });

  it('says when a loaded year replaces a shipped one', async () => {
    const r = await cli('calendar:load', file('2026.json', JSON.stringify({ year: 2026, days: [{ date: '2026-02-16', isOffDay: true }] })));
    expect(r.out).toMatch(/replaces the shipped 2026\)\n$/);
  });

  it('exits 2 with the reason when the file cannot be used, and stores nothing', async () => {
    const cases: [string[], RegExp][] = [
      [[], /missing FILE/],
      [[path.join(dir, 'missing.json')], /cannot read .*missing\.json: ENOENT/],
      [[file('broken.json', '{"year": 2027, "days": [')], /broken\.json: not valid JSON/],
      [[file('bad-date.json', JSON.stringify({ year: 2027, days: [{ date: '2027-02-29', isOffDay: true }] }))], /bad-date\.json: days\[0\]\.date "2027-02-29" is not a date/],
      [[file('no-days.json', JSON.stringify({ year: 2027 }))], /no-days\.json: "days" must be a list/],
      [[file('a.json', year2027), file('b.json', year2027)], /one FILE at a time/],
    ];
    for (const [args, message] of cases) {
      const r = await cli('calendar:load', ...args);
      expect(r.code, String(message)).toBe(2);
      expect(r.err, String(message)).toMatch(message);
      expect(r.err.trimEnd().split('\n'), String(message)).toHaveLength(1);
    }
    expect((await cli('sla:due', '--from', '2026-12-31T17:00', '--hours', '2', ...WORKING, '--calendar', 'cn')).out).toBe('2027-01-01T10:00:00+08:00\n');
  });
});
