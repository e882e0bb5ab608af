/**
 * `npm run openkam -- sla:due --from 2026-02-13T17:50 --tz Asia/Shanghai --hours 8 --working "09:00-12:00,13:00-18:00" [--calendar cn] [--weekdays 1-5] [--paused FROM/TO]… [--minutes N]`
 *   prints the instant the target is due, ISO 8601 with the zone's offset. --from and --paused
 *   times without an offset are wall-clock times in --tz (default Asia/Shanghai). --hours and
 *   --minutes add up. --calendar cn: China's public holidays and make-up working days (shipped,
 *   plus years added with calendar:load); without it, weekdays only.
 * `npm run openkam -- calendar:load FILE`
 *   checks a year file in holiday-cn's format and adds it to the China calendar (kept in
 *   <data dir>/holiday-cn.extra.json).
 * Bad input: one line naming the option or the problem, exit 2.
 */
import { readFile } from 'node:fs/promises';
import { loadConfig } from '../../server/config.js';
import { DEFAULT_TIME_ZONE, fromLocal, isTimeZone } from '../../shared/time.js';
import { dayNumberOf, DEFAULT_WEEKDAYS, dueAt, isoInZone, parseWindows, type HolidayTable, type Interval, type WorkingCalendar } from './sla.domain.js';
import { HolidayFileError, loadChinaHolidays, saveHolidayYear } from './work-calendar.js';

type Io = { stdout: (s: string) => void; stderr: (s: string) => void };
const defaultIo: Io = { stdout: (s) => process.stdout.write(s), stderr: (s) => process.stderr.write(s) };

const SLA_USAGE = 'usage: sla:due --from YYYY-MM-DDTHH:MM[±HH:MM] --hours N [--minutes N] --working "09:00-12:00,13:00-18:00" [--tz ZONE] [--calendar cn] [--weekdays 1-5] [--paused FROM/TO]…';
const LOAD_USAGE = 'usage: calendar:load FILE   (a year file in holiday-cn format, e.g. 2027.json)';

class UsageError extends Error {}

/** CLI entry point of the services module. Returns the exit code. */
export async function run(command: string, args: string[], io: Io = defaultIo): Promise<number> {
  try {
    if (command === 'sla:due') return slaDue(args, io);
    if (command === 'calendar:load') return await calendarLoad(args, io);
    io.stderr(`unknown services command: ${command}\n`);
    return 2;
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`${command}: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}

type SlaOptions = { from?: string; tz?: string; hours?: string; minutes?: string; working?: string; calendar?: string; weekdays?: string; paused: string[] };

function parseSlaArgs(args: string[]): SlaOptions | 'help' {
  const out: SlaOptions = { paused: [] };
  const single = ['from', 'tz', 'hours', 'minutes', 'working', 'calendar', 'weekdays'] as const;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--help' || a === '-h') return 'help';
    if (!a.startsWith('--')) throw new UsageError(`unexpected argument "${a}"`);
    const eq = a.indexOf('=');
    const name = a.slice(2, eq >= 0 ? eq : undefined);
    let value: string | undefined = eq >= 0 ? a.slice(eq + 1) : args[i + 1];
    if (eq < 0) {
      if (value === undefined || value.startsWith('--')) throw new UsageError(`--${name} needs a value`);
      i++;
    }
    value = value!;
    if (name === 'paused') out.paused.push(value);
    else if ((single as readonly string[]).includes(name)) {
      const key = name as (typeof single)[number];
      if (out[key] !== undefined) throw new UsageError(`--${name} is given twice`);
      out[key] = value;
    } else throw new UsageError(`unknown option --${name}`);
  }
  return out;
}

const INSTANT = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?(Z|[+-]\d{2}:\d{2})?$/;

/** An instant from "2026-02-13T17:50" (wall clock in `tz`) or "2026-02-13T17:50+08:00" / "…Z". */
function parseInstant(text: string, tz: string, option: string): Date {
  const m = INSTANT.exec(text.trim());
  const bad = () => new UsageError(`--${option}: "${text}" is not a date and time (YYYY-MM-DDTHH:MM[:SS], optionally with Z or ±HH:MM)`);
  if (!m || Number.isNaN(dayNumberOf(m[1]!))) throw bad();
  const [hour, minute, second] = [Number(m[2]), Number(m[3]), Number(m[4] ?? 0)];
  if (hour > 23 || minute > 59 || second > 59) throw bad();
  if (m[5]) return new Date(`${m[1]}T${m[2]}:${m[3]}:${m[4] ?? '00'}${m[5]}`);
  const [year, month, day] = m[1]!.split('-').map(Number) as [number, number, number];
  return fromLocal({ year, month, day, hour, minute, second }, tz);
}

function parseAmount(text: string | undefined, option: string): number {
  if (text === undefined) return 0;
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n < 0) throw new UsageError(`--${option}: "${text}" is not a number ≥ 0`);
  return n;
}

function parseWeekdays(text: string): number[] {
  const days = new Set<number>();
  for (const part of text.split(',')) {
    const m = /^\s*([1-7])\s*(?:-\s*([1-7])\s*)?$/.exec(part);
    if (!m || (m[2] !== undefined && Number(m[2]) < Number(m[1]))) throw new UsageError(`--weekdays: "${text}" is not a list of ISO weekdays 1 (Monday) … 7 (Sunday), e.g. 1-5 or 1,2,3,4,5,6`);
    for (let d = Number(m[1]); d <= Number(m[2] ?? m[1]); d++) days.add(d);
  }
  return [...days].sort((a, b) => a - b);
}

function slaDue(args: string[], io: Io): number {
  const o = parseSlaArgs(args);
  if (o === 'help') {
    io.stdout(`${SLA_USAGE}\n`);
    return 0;
  }
  const tz = o.tz ?? DEFAULT_TIME_ZONE;
  if (!isTimeZone(tz)) throw new UsageError(`--tz: "${tz}" is not an IANA time zone (e.g. Asia/Shanghai, Europe/Berlin)`);
  if (o.from === undefined) throw new UsageError('--from is required (e.g. --from 2026-02-13T17:50)');
  const from = parseInstant(o.from, tz, 'from');
  if (o.hours === undefined && o.minutes === undefined) throw new UsageError('--hours or --minutes is required (the working time allowed)');
  const minutes = parseAmount(o.hours, 'hours') * 60 + parseAmount(o.minutes, 'minutes');
  if (o.working === undefined) throw new UsageError('--working is required (e.g. --working "09:00-12:00,13:00-18:00")');
  let windows: [number, number][];
  try {
    windows = parseWindows(o.working);
  } catch (e) {
    throw new UsageError(`--working: ${(e as Error).message.replace(/^working windows: /, '')}`);
  }
  const weekdays = o.weekdays === undefined ? [...DEFAULT_WEEKDAYS] : parseWeekdays(o.weekdays);
  let holidays: HolidayTable | null = null;
  if (o.calendar !== undefined) {
    if (o.calendar !== 'cn') throw new UsageError(`--calendar: unknown calendar "${o.calendar}" (known: cn)`);
    holidays = loadChinaHolidays(loadConfig().dataDir);
  }
  const paused: Interval[] = o.paused.map((p) => {
    const parts = p.split('/');
    if (parts.length !== 2) throw new UsageError(`--paused: "${p}" is not FROM/TO (e.g. 2026-02-24T10:00/2026-02-26T10:00)`);
    const interval = { from: parseInstant(parts[0]!, tz, 'paused'), to: parseInstant(parts[1]!, tz, 'paused') };
    if (interval.to <= interval.from) throw new UsageError(`--paused: "${p}" ends before it starts`);
    return interval;
  });
  const cal: WorkingCalendar = { timeZone: tz, windows, weekdays, holidays };
  let due: Date;
  try {
    due = dueAt(cal, from, minutes, paused);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  io.stdout(`${isoInZone(due, tz)}\n`);
  return 0;
}

async function calendarLoad(args: string[], io: Io): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout(`${LOAD_USAGE}\n`);
    return 0;
  }
  const unknown = args.find((a) => a.startsWith('--'));
  if (unknown) throw new UsageError(`unknown option ${unknown}`);
  if (args.length !== 1) throw new UsageError(args.length === 0 ? `missing FILE; ${LOAD_USAGE}` : `one FILE at a time; ${LOAD_USAGE}`);
  const file = args[0]!;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new UsageError(`${file}: not valid JSON (${(e as Error).message})`);
  }
  try {
    const r = saveHolidayYear(loadConfig().dataDir, json);
    const replaced = r.replaces ? `; replaces the ${r.replaces === 'shipped' ? 'shipped' : 'previously loaded'} ${r.year}` : '';
    io.stdout(`calendar:load: ${r.year} stored in ${r.file} (${plural(r.off, 'day')} off, ${plural(r.work, 'make-up working day')}${replaced})\n`);
    return 0;
  } catch (e) {
    if (e instanceof HolidayFileError) throw new UsageError(`${file}: ${e.message}`);
    throw e;
  }
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
