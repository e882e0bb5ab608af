/**
 * OTIF straight from a shipment file (CSV or XLSX), without importing it: the rows are read by the
 * sales import's readers (BOM, CRLF, quoted fields, GB18030/GBK, bounded memory in a reader thread),
 * each row becomes one `OtifLine` and goes to `otifAccumulator`. A cell that cannot be read in the
 * given format (a date such as "Date Not Captured", text in a quantity column) makes its row
 * unreadable: counted in its group, listed with its line number and raw value, in no rate; never
 * guessed and never 0.
 */
import type { FileReadingConfig } from '../../server/config.js';
import { type Cell, cellText, dateFormats, isBlank, parseDate, parseQuantity } from '../sales/sales.domain.js';
import { readRowsBounded } from '../sales/sales.parse.js';
import { type Encoding, sniffFormat } from '../sales/sales.reader.js';
import { type DayCalendar, otifAccumulator, type OtifLine, type OtifTolerances } from './otif.domain.js';

/** Date formats of a shipment file: the sales import's, and day-month name-year as in the SCMS history (02-Jun-06). */
export const shipmentDateFormats = [...dateFormats, 'DD-MMM-YY', 'DD-MMM-YYYY'] as const;
export type ShipmentDateFormat = (typeof shipmentDateFormats)[number];

/** The format named by `text`, in any letter case (dd-MMM-yy is DD-MMM-YY), or null. */
export function shipmentDateFormatOf(text: string): ShipmentDateFormat | null {
  const up = text.trim().toUpperCase();
  return shipmentDateFormats.find((f) => f === up) ?? null;
}

const MONTHS: Record<string, number> = { JAN: 1, FEB: 2, MAR: 3, APR: 4, MAY: 5, JUN: 6, JUL: 7, AUG: 8, SEP: 9, OCT: 10, NOV: 11, DEC: 12 };
const DMY_NAMED = /^(\d{1,2})-([A-Za-z]{3})-(\d{2}|\d{4})$/;
const daysIn = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();

/**
 * A cell as YYYY-MM-DD in the given format, or null. Two-digit years follow POSIX %y: 00–68 are
 * 2000–2068, 69–99 are 1969–1999. Month names are English abbreviations in any case (Jun, JUN).
 * An XLSX date cell is taken as it is.
 */
export function parseShipmentDate(c: Cell | undefined, format: ShipmentDateFormat): string | null {
  if (format !== 'DD-MMM-YY' && format !== 'DD-MMM-YYYY') return parseDate(c, format);
  if (c instanceof Date) return Number.isNaN(c.getTime()) ? null : c.toISOString().slice(0, 10);
  const m = DMY_NAMED.exec(cellText(c));
  if (!m || (format === 'DD-MMM-YY') !== (m[3]!.length === 2)) return null;
  const mo = MONTHS[m[2]!.toUpperCase()];
  if (!mo) return null;
  const yy = Number(m[3]);
  const y = m[3]!.length === 4 ? yy : yy <= 68 ? 2000 + yy : 1900 + yy;
  const d = Number(m[1]);
  if (y < 1900 || y > 2999 || d < 1 || d > daysIn(y, mo)) return null;
  return `${y}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** What to read from the file: column names as in its header (trimmed, any letter case). */
export type ShipmentFileSpec = {
  promised: string;
  delivered: string;
  /** Both or neither: without them in full cannot be known. */
  orderedQty?: string;
  deliveredQty?: string;
  by?: string;
  dateFormat: ShipmentDateFormat;
  encoding?: Encoding;
  delimiter?: string;
  tolerances: OtifTolerances;
  calendar: DayCalendar;
  /** Evaluation date for rows without a delivered date (open lines). */
  asOf: string;
  /** At most this many unreadable cells are listed (all are counted); default 1,000. */
  listLimit?: number;
};

/** One unreadable cell: physical line number (header = 1), column, the raw value, why. */
export type UnreadableCell = { line: number; column: string; value: string; reason: string };

/** One group of the `otif` command's answer. Shares are fractions 0–1, null for no data. */
export type FileOtifGroup = {
  /** The --by column's value; null without --by (one group). */
  key: string | null;
  /** Lines in the rate: delivered rows and open rows past their window end. */
  lines: number;
  onTime: number;
  onTimeShare: number | null;
  /** null without quantity columns (cannot be known). */
  inFull: number | null;
  otifShare: number | null;
  /** Rows of this group left out because a cell could not be read. */
  unreadable: number;
};

export type FileOtif = {
  groups: FileOtifGroup[];
  /** The unreadable cells, in file order, up to the list limit. */
  unreadableRows: UnreadableCell[];
  /** True when more unreadable cells than the limit were found (the counts in groups are complete). */
  unreadableRowsTruncated: boolean;
  /** Open rows (no delivered date) not yet past their window end: in no rate. */
  notDue: number;
};

/** A column the file does not have; the message names it and the header. */
export class MissingColumnError extends Error {}

/** Reads a shipment file and computes on time (and in full with quantity columns) per group. */
export async function otifOfFile(file: string, spec: ShipmentFileSpec, reading: FileReadingConfig): Promise<FileOtif> {
  const format = await sniffFormat(file);
  const acc = otifAccumulator({ by: spec.by === undefined ? [] : ['g'], tolerances: spec.tolerances, calendar: spec.calendar, asOf: spec.asOf });
  const unreadable = new Map<string, number>();
  const listed: UnreadableCell[] = [];
  const limit = spec.listLimit ?? 1000;
  let truncated = false;
  let index: { promised: number; delivered: number; ordered: number; dq: number; by: number } | null = null;
  let names: string[] = [];
  const line: OtifLine & { keys: { g: string } } = { keys: { g: '' }, promisedDate: '', deliveries: [], orderedQty: null, status: 'delivered' };
  const delivery = { date: '', quantity: 0 };

  for await (const batch of readRowsBounded(file, format, { encoding: spec.encoding ?? 'utf-8', delimiter: spec.delimiter ?? ',' }, reading)) {
    for (const row of batch) {
      if (isBlank(row.cells)) continue;
      if (!index) {
        names = row.cells.map((c) => cellText(c));
        const find = (name: string | undefined, option: string): number => {
          if (name === undefined) return -1;
          const want = name.trim().toLowerCase();
          const i = names.findIndex((h) => h.trim().toLowerCase() === want);
          if (i < 0) throw new MissingColumnError(`${option}: no column "${name}" in the header (${names.map((h) => JSON.stringify(h)).join(', ')})`);
          return i;
        };
        index = {
          promised: find(spec.promised, '--promised'), delivered: find(spec.delivered, '--delivered'),
          ordered: find(spec.orderedQty, '--ordered-qty'), dq: find(spec.deliveredQty, '--delivered-qty'), by: find(spec.by, '--by'),
        };
        continue;
      }
      const ix = index;
      const cells = row.cells;
      const key = ix.by >= 0 ? cellText(cells[ix.by]) : '';
      let bad = 0;
      const fail = (col: number, reason: string) => {
        bad++;
        if (listed.length < limit) listed.push({ line: row.line, column: names[col]!, value: cellText(cells[col]), reason });
        else truncated = true;
      };
      const promisedCell = cells[ix.promised];
      const promised = parseShipmentDate(promisedCell, spec.dateFormat);
      if (promised === null) fail(ix.promised, cellText(promisedCell) === '' ? 'missing date' : `not a date in the format ${spec.dateFormat}`);
      const deliveredCell = cells[ix.delivered];
      const deliveredBlank = cellText(deliveredCell) === '';
      const delivered = deliveredBlank ? null : parseShipmentDate(deliveredCell, spec.dateFormat);
      if (!deliveredBlank && delivered === null) fail(ix.delivered, `not a date in the format ${spec.dateFormat}`);
      let ordered: number | null = null;
      let got = 0;
      if (ix.ordered >= 0) {
        const q = quantity(cells[ix.ordered]);
        if (typeof q === 'string') fail(ix.ordered, q);
        else if (q === 0) fail(ix.ordered, 'an ordered quantity of 0');
        else ordered = q;
        const dqBlank = cellText(cells[ix.dq]) === '';
        if (dqBlank && !deliveredBlank) fail(ix.dq, 'missing quantity for a delivered line');
        else if (!dqBlank) {
          const d = quantity(cells[ix.dq]);
          if (typeof d === 'string') fail(ix.dq, d);
          else if (deliveredBlank && d > 0) fail(ix.delivered, `a delivered quantity (${d}) without a delivered date`);
          else got = d;
        }
      }
      if (bad > 0) {
        unreadable.set(key, (unreadable.get(key) ?? 0) + 1);
        continue;
      }
      line.keys.g = key;
      line.promisedDate = promised!;
      line.orderedQty = ordered;
      if (delivered === null) {
        line.status = 'open';
        line.deliveries = [];
      } else {
        line.status = 'delivered';
        delivery.date = delivered;
        delivery.quantity = got;
        line.deliveries = [delivery];
      }
      acc.add(line);
    }
  }
  if (!index) throw new MissingColumnError('the file is empty: no header line');

  const withQty = spec.orderedQty !== undefined;
  const groups = new Map<string, FileOtifGroup>();
  let notDue = 0;
  for (const g of acc.result()) {
    const key = spec.by === undefined ? '' : g.key[0]!;
    notDue += g.excluded.notDue;
    groups.set(key, {
      key: spec.by === undefined ? null : key, lines: g.lines.counted, onTime: g.lines.onTime.count, onTimeShare: g.lines.onTime.share,
      inFull: withQty ? (g.lines.inFull?.count ?? 0) : null, otifShare: withQty ? (g.lines.otif?.share ?? null) : null, unreadable: 0,
    });
  }
  for (const [key, n] of unreadable) {
    const g = groups.get(key) ?? { key: spec.by === undefined ? null : key, lines: 0, onTime: 0, onTimeShare: null, inFull: withQty ? 0 : null, otifShare: null, unreadable: 0 };
    g.unreadable = n;
    groups.set(key, g);
  }
  if (groups.size === 0 && spec.by === undefined) groups.set('', { key: null, lines: 0, onTime: 0, onTimeShare: null, inFull: withQty ? 0 : null, otifShare: null, unreadable: 0 });
  const sorted = [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, g]) => g);
  return { groups: sorted, unreadableRows: listed, unreadableRowsTruncated: truncated, notDue };
}

/** A quantity ≥ 0, or why not (text never becomes 0). */
function quantity(c: Cell | undefined): number | string {
  if (cellText(c) === '') return 'missing quantity';
  const q = parseQuantity(c, '');
  if (!q.ok) return `${q.reason}: not a quantity`;
  if (q.value < 0) return 'a negative quantity';
  return q.value;
}

