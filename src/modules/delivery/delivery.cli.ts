/**
 * `npm run openkam -- otif FILE --promised COLUMN --delivered COLUMN [--ordered-qty COLUMN --delivered-qty COLUMN]
 *   [--by COLUMN] [--date-format dd-MMM-yy] [--early-days N] [--late-days N] [--in-full-percent P]
 *   [--calendar cn|weekdays] [--as-of YYYY-MM-DD] [--encoding utf-8|gb18030|gbk] [--delimiter ,]`
 * computes on time (and in full with quantity columns) per group straight from a shipment file,
 * without importing it, by the rules of docs/decisions/018-otif.md, and prints JSON (see USAGE).
 * Bad input (an option, a missing column): one line naming it, exit 2.
 */
import { stat } from 'node:fs/promises';
import { openConfiguredDatabase } from '../../db/database.js';
import { migrateToLatest } from '../../db/migrate.js';
import { AppError } from '../../server/errors.js';
import { rebuildOtifCells } from './delivery.rollups.js';
import { loadConfig } from '../../server/config.js';
import { loadChinaHolidays } from '../services/work-calendar.js';
import { CALENDAR_DAYS, dayNumber, type DayCalendar, workingDays } from './otif.domain.js';
import { MissingColumnError, otifOfFile, shipmentDateFormatOf, shipmentDateFormats } from './shipments.file.js';

type Io = { stdout: (s: string) => void; stderr: (s: string) => void };
const defaultIo: Io = { stdout: (s) => process.stdout.write(s), stderr: (s) => process.stderr.write(s) };

export const USAGE = `usage: otif FILE --promised COLUMN --delivered COLUMN [--ordered-qty COLUMN --delivered-qty COLUMN]
            [--by COLUMN] [--date-format ${shipmentDateFormats.join('|')}]
            [--early-days N] [--late-days N] [--in-full-percent P] [--calendar cn|weekdays]
            [--as-of YYYY-MM-DD] [--encoding utf-8|gb18030|gbk] [--delimiter ,]
Prints {"groups": [{"key", "lines", "onTime", "onTimeShare", "inFull", "otifShare", "unreadable"}],
        "unreadableRows": [{"line", "column", "value", "reason"}], "unreadableRowsTruncated", "notDue"}.
  One row is one order line with one delivery. key: the --by column's value (null without --by).
  lines: rows in the rate (delivered, and open rows past the window end, which count as failures).
  Shares are fractions 0-1, null when a group has no line in the rate ("no data", never 100%).
  On time: delivered within [promised - early-days, promised + late-days] (default 0 and 0).
  In full: delivered quantity within in-full-percent (default 0) of ordered. Without
    --ordered-qty/--delivered-qty, inFull and otifShare are null: they cannot be known.
  Days are calendar days unless --calendar cn (China's working days, public holidays and make-up
    days) or --calendar weekdays (Monday to Friday) is given.
  A blank delivered date is an open line, judged as of --as-of (default today, UTC).
  A date that cannot be read in --date-format (default YYYY-MM-DD; any letter case, e.g. dd-MMM-yy
    for 02-Jun-06; two-digit years 00-68 are 20xx, 69-99 are 19xx) or text in a quantity column
    makes the row unreadable: counted in its group, listed in unreadableRows (the first 1,000) with
    its line number and raw value, in no rate. Nothing is guessed.`;

class UsageError extends Error {}

const VALUED = ['promised', 'delivered', 'ordered-qty', 'delivered-qty', 'by', 'date-format', 'early-days', 'late-days', 'in-full-percent', 'calendar', 'as-of', 'encoding', 'delimiter'] as const;
type Options = Partial<Record<(typeof VALUED)[number], string>> & { file?: string };

function parseArgs(args: string[]): Options | 'help' {
  const out: Options = {};
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--help' || a === '-h') return 'help';
    if (!a.startsWith('--')) {
      if (out.file !== undefined) throw new UsageError(`one FILE at a time (got "${out.file}" and "${a}")`);
      out.file = a;
      continue;
    }
    const eq = a.indexOf('=');
    const name = a.slice(2, eq >= 0 ? eq : undefined);
    if (!(VALUED as readonly string[]).includes(name)) throw new UsageError(`unknown option --${name}`);
    let value = eq >= 0 ? a.slice(eq + 1) : args[i + 1];
    if (eq < 0) {
      if (value === undefined || value.startsWith('--')) throw new UsageError(`--${name} needs a value`);
      i++;
    }
    const key = name as (typeof VALUED)[number];
    if (out[key] !== undefined) throw new UsageError(`--${name} is given twice`);
    out[key] = value!;
  }
  return out;
}

function wholeDays(text: string | undefined, option: string): number {
  if (text === undefined) return 0;
  if (!/^\d{1,4}$/.test(text.trim())) throw new UsageError(`--${option}: "${text}" is not a whole number of days ≥ 0`);
  return Number(text);
}

/** CLI entry point of the delivery module. Returns the exit code. */
export async function run(command: string, args: string[], io: Io = defaultIo): Promise<number> {
  if (command === 'otif-rebuild') return rebuild(io);
  if (command !== 'otif') {
    io.stderr(`unknown delivery command: ${command}\n`);
    return 2;
  }
  try {
    const o = parseArgs(args);
    if (o === 'help') {
      io.stdout(`${USAGE}\n`);
      return 0;
    }
    if (o.file === undefined) throw new UsageError('missing FILE (a CSV or XLSX shipment file)');
    if (o.promised === undefined) throw new UsageError('--promised is required (the column of the promised date)');
    if (o.delivered === undefined) throw new UsageError('--delivered is required (the column of the delivered date)');
    if ((o['ordered-qty'] === undefined) !== (o['delivered-qty'] === undefined)) throw new UsageError('--ordered-qty and --delivered-qty go together (in full compares the two)');
    const dateFormat = shipmentDateFormatOf(o['date-format'] ?? 'YYYY-MM-DD');
    if (!dateFormat) throw new UsageError(`--date-format: unknown format "${o['date-format']}" (known: ${shipmentDateFormats.join(', ')})`);
    const earlyDays = wholeDays(o['early-days'], 'early-days');
    const lateDays = wholeDays(o['late-days'], 'late-days');
    let inFullPercent = 0;
    if (o['in-full-percent'] !== undefined) {
      inFullPercent = Number(o['in-full-percent']);
      if (o['in-full-percent'].trim() === '' || !(inFullPercent >= 0 && inFullPercent <= 100)) throw new UsageError(`--in-full-percent: "${o['in-full-percent']}" is not a percentage 0–100`);
    }
    let calendar: DayCalendar = CALENDAR_DAYS;
    if (o.calendar === 'cn') calendar = workingDays(loadChinaHolidays(loadConfig().dataDir));
    else if (o.calendar === 'weekdays') calendar = workingDays(null);
    else if (o.calendar !== undefined) throw new UsageError(`--calendar: unknown calendar "${o.calendar}" (known: cn, weekdays)`);
    const asOf = o['as-of'] ?? new Date().toISOString().slice(0, 10);
    if (Number.isNaN(dayNumber(asOf))) throw new UsageError(`--as-of: "${asOf}" is not a date (YYYY-MM-DD)`);
    const encoding = (o.encoding ?? 'utf-8').toLowerCase();
    if (encoding !== 'utf-8' && encoding !== 'gb18030' && encoding !== 'gbk') throw new UsageError(`--encoding: "${o.encoding}" is not one of utf-8, gb18030, gbk`);
    const delimiter = o.delimiter === '\\t' ? '\t' : (o.delimiter ?? ',');
    if (delimiter.length !== 1) throw new UsageError(`--delimiter: "${o.delimiter}" is not one character`);
    if (!(await stat(o.file).catch(() => null))?.isFile()) throw new UsageError(`no such file ${o.file}`);

    const result = await otifOfFile(o.file, {
      promised: o.promised, delivered: o.delivered, orderedQty: o['ordered-qty'], deliveredQty: o['delivered-qty'], by: o.by,
      dateFormat, encoding, delimiter, tolerances: { earlyDays, lateDays, inFullPercent }, calendar, asOf,
    }, loadConfig().fileReading);
    io.stdout(`${JSON.stringify(result, null, 2)}\n`);
    return 0;
  } catch (e) {
    if (e instanceof UsageError || e instanceof MissingColumnError) {
      io.stderr(`otif: ${e.message}\n`);
      return 2;
    }
    // The readers' refusals (a limit, a damaged file): the reason, exit 1.
    if (e instanceof AppError) {
      io.stderr(`otif: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}

/**
 * `npm run openkam -- otif-rebuild`: recomputes every OTIF cell from the stored lines (decision
 * 027). Run it after `calendar:load` changes China's holiday table (until then OTIF is computed
 * from the lines, which is right but slow), or after lines were written without refreshing.
 */
async function rebuild(io: Io): Promise<number> {
  const config = loadConfig();
  const db = openConfiguredDatabase(config);
  try {
    await migrateToLatest(db);
    const r = await rebuildOtifCells(db, { config }, (done, of) => { if (done % 100 === 0 || done === of) io.stderr(`otif-rebuild: ${done}/${of} dealers\n`); });
    io.stdout(`otif-rebuild: cells of ${r.accounts} dealer(s) rebuilt in ${(r.ms / 1000).toFixed(1)} s\n`);
    return 0;
  } finally {
    await db.destroy();
  }
}
