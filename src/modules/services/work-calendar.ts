/**
 * China's public holidays and make-up working days for the SLA clock.
 *
 * The table ships with OpenKAM (data/holiday-cn.json, built from NateScarlet/holiday-cn, see
 * data/README.md). Years published after a release are added without an upgrade:
 * `npm run openkam -- calendar:load 2027.json` checks a holiday-cn year file and stores it in
 * `<data dir>/holiday-cn.extra.json`, which `loadChinaHolidays` lays over the shipped years
 * (a loaded year replaces the shipped one of the same number).
 */
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../server/config.js';
import { dayNumberOf, type HolidayTable } from './sla.domain.js';

/** One notice's days: public holidays off, and weekend days worked instead (调休). ISO dates. */
export type HolidayYear = { off: string[]; work: string[]; papers?: string[] };
/** The shipped file: years keyed by the notice's year (a notice may list a day of the year before). */
export type HolidayData = { source: string; licence: string; years: Record<string, HolidayYear> };

/** A holiday-cn year file that cannot be used; the message says why. */
export class HolidayFileError extends Error {}

const shippedFile = fileURLToPath(new URL('./data/holiday-cn.json', import.meta.url));

/** Where years added by `calendar:load` are kept. */
export const extraHolidayFile = (dataDir: string): string => path.join(dataDir, 'holiday-cn.extra.json');

/**
 * Checks a year file in holiday-cn's format
 * (`{"year": 2027, "papers": [...], "days": [{"name": "元旦", "date": "2027-01-01", "isOffDay": true}, …]}`)
 * and returns its days. Throws HolidayFileError naming the first problem.
 */
export function parseHolidayCnYear(json: unknown): { year: number } & HolidayYear {
  const fail = (why: string): never => {
    throw new HolidayFileError(why);
  };
  if (typeof json !== 'object' || json === null || Array.isArray(json)) fail('not a holiday-cn year file: expected a JSON object with "year" and "days"');
  const o = json as Record<string, unknown>;
  const year = o.year;
  if (typeof year !== 'number' || !Number.isInteger(year) || year < 1949 || year > 2200) fail(`"year" must be a year such as 2027 (got ${JSON.stringify(year)})`);
  const y = year as number;
  if (!Array.isArray(o.days)) fail('"days" must be a list of {"name", "date", "isOffDay"}');
  const days = o.days as unknown[];
  if (days.length === 0) fail(`"days" is empty: the ${y} notice is not in this file yet`);
  const off: string[] = [];
  const work: string[] = [];
  const seen = new Set<string>();
  days.forEach((d, i) => {
    const where = `days[${i}]`;
    if (typeof d !== 'object' || d === null) fail(`${where} is not an object`);
    const e = d as Record<string, unknown>;
    if (typeof e.date !== 'string' || Number.isNaN(dayNumberOf(e.date))) fail(`${where}.date ${JSON.stringify(e.date)} is not a date (YYYY-MM-DD)`);
    const date = e.date as string;
    const dy = Number(date.slice(0, 4));
    // A notice lists its own year and, for New Year, the last days of the year before.
    if (dy < y - 1 || dy > y) fail(`${where}.date ${date} is outside the ${y} notice (${y - 1}-12 … ${y}-12)`);
    if (typeof e.isOffDay !== 'boolean') fail(`${where}.isOffDay must be true (a day off) or false (a make-up working day)`);
    if (e.name !== undefined && typeof e.name !== 'string') fail(`${where}.name must be text`);
    if (seen.has(date)) fail(`${where}.date ${date} is listed twice`);
    seen.add(date);
    (e.isOffDay ? off : work).push(date);
  });
  const papers = Array.isArray(o.papers) ? o.papers.filter((p): p is string => typeof p === 'string') : [];
  return { year: y, off: off.sort(), work: work.sort(), ...(papers.length > 0 && { papers }) };
}

/** The lookup table of a set of years. */
export function holidayTableOf(years: Record<string, HolidayYear>): HolidayTable {
  const off = new Set<string>();
  const work = new Set<string>();
  for (const y of Object.values(years)) {
    for (const d of y.off) off.add(d);
    for (const d of y.work) work.add(d);
  }
  return { off, work };
}

/**
 * A table with one year in holiday-cn format laid over it: the year's dates (and any date the
 * file lists) lose what the table said, then take the file's. Returns a new table.
 */
export function mergeHolidayYear(table: HolidayTable, json: unknown): HolidayTable {
  const y = parseHolidayCnYear(json);
  const listed = new Set([...y.off, ...y.work]);
  const prefix = `${y.year}-`;
  const keep = (d: string) => !d.startsWith(prefix) && !listed.has(d);
  return { off: new Set([...[...table.off].filter(keep), ...y.off]), work: new Set([...[...table.work].filter(keep), ...y.work]) };
}

let shipped: HolidayData | undefined;

/** The shipped table as it is in the project (no loaded years). */
export function shippedChinaHolidays(): HolidayData {
  shipped ??= checkData(JSON.parse(readFileSync(shippedFile, 'utf8')), shippedFile) as HolidayData;
  return shipped;
}

function checkData(value: unknown, file: string): { years: Record<string, HolidayYear> } {
  const bad = (why: string): never => {
    throw new Error(`${file}: ${why}`);
  };
  const years = (value as { years?: unknown } | null)?.years;
  if (typeof years !== 'object' || years === null) bad('no "years" table');
  for (const [y, v] of Object.entries(years as Record<string, unknown>)) {
    const entry = v as Partial<HolidayYear> | null;
    if (!/^\d{4}$/.test(y) || !entry || !Array.isArray(entry.off) || !Array.isArray(entry.work)) bad(`year "${y}" is not {"off": [...], "work": [...]}`);
    for (const d of [...entry!.off!, ...entry!.work!]) if (typeof d !== 'string' || Number.isNaN(dayNumberOf(d))) bad(`year ${y}: ${JSON.stringify(d)} is not a date`);
  }
  return value as { years: Record<string, HolidayYear> };
}

/** The years added with `calendar:load` under a data directory (none when the file is absent). */
export function loadedHolidayYears(dataDir: string): Record<string, HolidayYear> {
  const file = extraHolidayFile(dataDir);
  if (!existsSync(file)) return {};
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`${file}: not valid JSON (${(e as Error).message}); remove it and load the years again`);
  }
  return checkData(value, file).years;
}

const defaultDataDir = (): string => loadConfig().dataDir;
const cache = new Map<string, { stamp: string; table: HolidayTable }>();

/**
 * China's holidays: the shipped years with those added by `calendar:load` laid over them.
 * The same object is returned while nothing changes (the SLA clock keeps per-day data per table).
 * `dataDir` defaults to the configured data directory (OPENKAM_DATA_DIR, else ./data).
 */
export function loadChinaHolidays(dataDir: string = defaultDataDir()): HolidayTable {
  const file = extraHolidayFile(dataDir);
  let stamp = 'none';
  try {
    const s = statSync(file);
    stamp = `${s.mtimeMs}:${s.size}`;
  } catch {
    // no loaded years
  }
  const hit = cache.get(dataDir);
  if (hit && hit.stamp === stamp) return hit.table;
  const table = holidayTableOf({ ...shippedChinaHolidays().years, ...loadedHolidayYears(dataDir) });
  cache.set(dataDir, { stamp, table });
  return table;
}

/**
 * Checks a holiday-cn year file's content and stores it with the loaded years of `dataDir`.
 * Returns the year and what it replaced. Throws HolidayFileError when the content is unusable.
 */
export function saveHolidayYear(dataDir: string, json: unknown): { year: number; off: number; work: number; file: string; replaces: 'shipped' | 'loaded' | null } {
  const y = parseHolidayCnYear(json);
  const years = loadedHolidayYears(dataDir);
  const key = String(y.year);
  const replaces = years[key] ? 'loaded' : shippedChinaHolidays().years[key] ? 'shipped' : null;
  const { year: _year, ...entry } = y;
  years[key] = entry;
  const sorted = Object.fromEntries(Object.entries(years).sort(([a], [b]) => a.localeCompare(b)));
  const file = extraHolidayFile(dataDir);
  mkdirSync(dataDir, { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify({ note: 'Years added with `openkam calendar:load`, laid over the shipped holiday-cn.json.', years: sorted }, null, 2)}\n`);
  renameSync(tmp, file);
  cache.delete(dataDir);
  return { year: y.year, off: y.off.length, work: y.work.length, file, replaces };
}
