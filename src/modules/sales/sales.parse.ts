/**
 * Reading a sales file into validated lines, with no database: the header resolved against the
 * mapping, every line validated and its account and SKU looked up (as small integers into the
 * import's own lists), the totals to add to the rollups summed as it goes. Batches come out in
 * columns of typed arrays, so the reader thread hands them over without copying (decision 009).
 *
 * Every read of an uploaded file, the header at upload and the preview included, runs in a reader
 * thread of a bounded pool (parseEvents, readRowsBounded): a file beyond the limits, or one that
 * needs more memory than a thread has, is refused there with a clear error, and the server's event
 * loop is never held by it.
 */
import type { FileReadingConfig, ReadLimits } from '../../server/config.js';
import { WorkerPool } from '../../platform/bounded-worker.js';
import type { RollupDelta } from './sales.repository.js';
import {
  type Cell, isBlank, type LineError, type Mapping, type ParseOptions, resolveMapping, type ResolvedMapping, unknownAccountReason,
  unknownSkuReason, validateSalesRow,
} from './sales.domain.js';
import { fmt, tooComplex } from './sales.read-errors.js';
import { type Encoding, type FileFormat, type ReadOptions, readRows, type Row } from './sales.reader.js';

export type ParseSpec = {
  file: string;
  format: FileFormat;
  encoding: Encoding;
  delimiter: string;
  mapping: Mapping;
  parse: ParseOptions;
  /** Account codes the importer may use, by index; SKUs by index with their category index. */
  accountCodes: string[];
  skus: string[];
  productCategory: number[];
  categories: string[];
  limits: ReadLimits;
  /**
   * PostgreSQL: each batch also as COPY text, of sales_lines for the direct load (with the ids of the
   * accounts and products by index and the import's time), or of imp_stage for the staged one.
   */
  copy: { into: 'sales_lines'; accountIds: string[]; productIds: string[]; now: string } | { into: 'imp_stage' } | null;
};

export type Header = { resolved: ResolvedMapping; errors: LineError[] };

/** The valid lines of one stretch of the file, in columns, and its bad lines. Counters are for the file so far. */
export type ParsedBatch = {
  type: 'batch';
  bytes: number;
  lines: number;
  skipped: number;
  n: number;
  /** Physical line of each valid line. */
  src: Int32Array;
  /** Document numbers, one after the other; docEnd[i] is where the i-th ends. */
  doc: string;
  docEnd: Int32Array;
  lineNo: Float64Array;
  /** Dates and currencies as indexes into the batch's own lists of distinct values. */
  dates: string[];
  dateIx: Int32Array;
  currencies: string[];
  curIx: Int32Array;
  acc: Int32Array;
  prod: Int32Array;
  qty: Float64Array;
  net: Float64Array;
  /** NaN where the line has no cost. */
  cost: Float64Array;
  errors: LineError[];
  copy: string | null;
};

export type ParseEvent =
  | { type: 'header'; header: Header }
  | ParsedBatch
  | { type: 'deltas'; deltas: DeltaColumns }
  | { type: 'end'; bytes: number; lines: number; skipped: number; accountUsed: Uint8Array; productUsed: Uint8Array };

/**
 * Rollup totals in columns, so a worker thread hands them over without copying: entry i is account
 * `acc[i]`, month `month[i]` (months since 1900-01), category and currency by index into the lists;
 * `sums[5i … 5i+4]` are revenue, cost, costed revenue, quantity and lines.
 */
export type DeltaColumns = { n: number; acc: Int32Array; month: Int32Array; category: Int32Array; cur: Int32Array; sums: Float64Array; categories: string[]; currencies: string[] };

/** The buffers of a batch or of totals, for postMessage's transfer list. */
export const transferable = (ev: ParseEvent): ArrayBuffer[] =>
  (ev.type === 'batch' ? [ev.src, ev.docEnd, ev.lineNo, ev.dateIx, ev.curIx, ev.acc, ev.prod, ev.qty, ev.net, ev.cost]
    : ev.type === 'deltas' ? [ev.deltas.acc, ev.deltas.month, ev.deltas.category, ev.deltas.cur, ev.deltas.sums] : []).map((a) => a.buffer as ArrayBuffer);

/** Entries [from, to) of the totals as rows, for the staging table. */
export function deltaRows(d: DeltaColumns, from: number, to: number): RollupDelta[] {
  const rows: RollupDelta[] = [];
  for (let i = from; i < Math.min(to, d.n); i++) {
    const m = d.month[i]!;
    const o = i * 5;
    rows.push([d.acc[i]!, `${1900 + Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}`, d.categories[d.category[i]!]!, d.currencies[d.cur[i]!]!,
      d.sums[o]!, d.sums[o + 1]!, d.sums[o + 2]!, d.sums[o + 3]!, d.sums[o + 4]!]);
  }
  return rows;
}

/** A value in PostgreSQL's COPY text format (backslash, tab, newline and carriage return escaped). */
export const copyText = (v: string): string => (/[\\\t\n\r]/.test(v) ? v.replace(/[\\\t\n\r]/g, (ch) => (ch === '\\' ? '\\\\' : ch === '\t' ? '\\t' : ch === '\n' ? '\\n' : '\\r')) : v);

/** Entries of the running totals before they are handed over (bounded memory whatever the file). */
const DELTAS_HELD = 250_000;

/** Reads and validates a sales file; see the module comment. */
export async function* parseSales(spec: ParseSpec): AsyncGenerator<ParseEvent> {
  const accountIndex = new Map(spec.accountCodes.map((c, i) => [c, i]));
  const productIndex = new Map(spec.skus.map((s, i) => [s, i]));
  const accountUsed = new Uint8Array(spec.accountCodes.length);
  const productUsed = new Uint8Array(spec.skus.length);
  const totals = new DeltaTotals(spec.categories);
  const copy = spec.copy;
  const direct = copy?.into === 'sales_lines' ? copy : null;
  const nowCols = direct ? `\t${direct.now}\t${direct.now}\n` : '';
  let header: Header | null = null;
  let bytes = 0;
  let lines = 0;
  let skipped = 0;
  for await (const rows of readRows(spec.file, spec.format, { encoding: spec.encoding, delimiter: spec.delimiter, limits: spec.limits }, (b) => { bytes = b; })) {
    const cap = rows.length;
    const src = new Int32Array(cap);
    const docEnd = new Int32Array(cap);
    const lineNo = new Float64Array(cap);
    const dateIx = new Int32Array(cap);
    const curIx = new Int32Array(cap);
    const acc = new Int32Array(cap);
    const prod = new Int32Array(cap);
    const qty = new Float64Array(cap);
    const net = new Float64Array(cap);
    const cost = new Float64Array(cap);
    const dates: string[] = [];
    const dateSlot = new Map<string, number>();
    const currencies: string[] = [];
    const errors: LineError[] = [];
    let doc = '';
    let text = '';
    let n = 0;
    for (const { line, cells } of rows as { line: number; cells: Cell[] }[]) {
      if (isBlank(cells)) { if (header) skipped++; continue; }
      if (!header) {
        header = resolveMapping('sales', cells.map((x) => String(x ?? '')), spec.mapping, spec.parse);
        yield { type: 'header', header };
        if (header.errors.length) return;
        continue;
      }
      lines++;
      const v = validateSalesRow(cells, line, header.resolved, spec.parse);
      const row = v.row;
      let a: number | undefined;
      let p: number | undefined;
      if (row) {
        a = accountIndex.get(row.accountCode);
        p = productIndex.get(row.sku);
        if (a === undefined) v.errors.push({ line, column: header.resolved.header.accountCode!, value: row.accountCode, reason: unknownAccountReason });
        if (p === undefined) v.errors.push({ line, column: header.resolved.header.sku!, value: row.sku, reason: unknownSkuReason });
      }
      if (v.errors.length) { for (const e of v.errors) errors.push(e); continue; }
      const r = row!;
      accountUsed[a!] = 1;
      productUsed[p!] = 1;
      let d = dateSlot.get(r.date);
      if (d === undefined) { d = dates.length; dateSlot.set(r.date, d); dates.push(r.date); }
      let c = currencies.indexOf(r.currency);
      if (c < 0) { c = currencies.length; currencies.push(r.currency); }
      src[n] = line; doc += r.docNo; docEnd[n] = doc.length; lineNo[n] = r.lineNo; dateIx[n] = d; curIx[n] = c;
      acc[n] = a!; prod[n] = p!; qty[n] = r.quantity; net[n] = r.netMinor; cost[n] = r.costMinor ?? Number.NaN;
      n++;
      if (direct) {
        text += `${copyText(r.docNo)}\t${r.lineNo}\t${r.date}\t${direct.accountIds[a!]}\t${direct.productIds[p!]}\t${r.quantity}\t${r.netMinor}\t${r.costMinor ?? '\\N'}\t${copyText(r.currency)}${nowCols}`;
      } else if (copy) {
        text += `${line}\t${copyText(r.docNo)}\t${r.lineNo}\t${r.date}\t${a}\t${p}\t${r.quantity}\t${r.netMinor}\t${r.costMinor ?? '\\N'}\t${copyText(r.currency)}\n`;
      }
      totals.add(a!, r.date, spec.productCategory[p!]!, r.currency, r.netMinor, r.costMinor, r.quantity);
    }
    if (header && !header.errors.length) {
      yield { type: 'batch', bytes, lines, skipped, n, src, doc, docEnd, lineNo, dates, dateIx, currencies, curIx, acc, prod, qty, net, cost, errors, copy: copy ? text : null };
    }
    if (totals.size > DELTAS_HELD) yield { type: 'deltas', deltas: totals.drain() };
  }
  if (totals.size) yield { type: 'deltas', deltas: totals.drain() };
  yield { type: 'end', bytes, lines, skipped, accountUsed, productUsed };
}

/** The valid lines of a batch as rows, for the staging tables. */
export function* batchRows(b: ParsedBatch): Generator<[src: number, docNo: string, lineNo: number, date: string, acc: number, prod: number, quantity: number, net: number, cost: number | null, currency: string]> {
  let from = 0;
  for (let i = 0; i < b.n; i++) {
    const to = b.docEnd[i]!;
    const c = b.cost[i]!;
    yield [b.src[i]!, b.doc.slice(from, to), b.lineNo[i]!, b.dates[b.dateIx[i]!]!, b.acc[i]!, b.prod[i]!, b.qty[i]!, b.net[i]!, Number.isNaN(c) ? null : c, b.currencies[b.curIx[i]!]!];
    from = to;
  }
}

/**
 * Totals per account, month, category and currency gathered while reading (what the import adds
 * to the rollups), in columns keyed by one number; drained when they grow large, so memory stays
 * bounded whatever the file.
 */
export class DeltaTotals {
  private index = new Map<string, number>();
  private small = new Map<number, Int32Array>();
  private lastCurrency = '';
  private lastCur: number | undefined = undefined;
  private n = 0;
  /** Per entry: account, month, category, currency. */
  private keys = new Int32Array(4 * 4096);
  private sums = new Float64Array(5 * 4096);
  private currencies = new Map<string, number>();
  private currencyNames: string[] = [];
  constructor(private categories: string[]) {}
  /** `date`: YYYY-MM-DD; `category`: index into the categories given to the constructor. */
  add(acc: number, date: string, category: number, currency: string, net: number, cost: number | null, quantity: number): void {
    // Months since 1900-01 (dates are validated: years 1900–2999, so below 2^14).
    const month = (date.charCodeAt(0) * 1000 + date.charCodeAt(1) * 100 + date.charCodeAt(2) * 10 + date.charCodeAt(3) - 53328 - 1900) * 12
      + (date.charCodeAt(5) * 10 + date.charCodeAt(6) - 529);
    let cur = currency === this.lastCurrency ? this.lastCur : this.currencies.get(currency);
    if (cur === undefined) { cur = this.currencyNames.length; this.currencies.set(currency, cur); this.currencyNames.push(currency); }
    this.lastCurrency = currency;
    this.lastCur = cur;
    let i: number | undefined;
    let slots: Int32Array | undefined;
    let slot = 0;
    if (acc < 65536 && category < 16 && cur < 2) {
      // The common case: a small-integer key (account, month) to a slot per category and currency
      // (a Map keyed by doubles hashes far more slowly than one keyed by small integers).
      const key = acc * 16384 + month;
      slots = this.small.get(key);
      if (!slots) { slots = new Int32Array(32).fill(-1); this.small.set(key, slots); }
      slot = category * 2 + cur;
      i = slots[slot]!;
      if (i < 0) i = undefined;
    } else {
      const key = `${acc}|${month}|${category}|${cur}`;
      i = this.index.get(key);
      if (i === undefined) this.index.set(key, this.n);
    }
    if (i === undefined) {
      i = this.n++;
      if (slots) slots[slot] = i;
      if (this.n * 5 > this.sums.length) {
        const sums = new Float64Array(this.sums.length * 2); sums.set(this.sums); this.sums = sums;
        const keys = new Int32Array(this.keys.length * 2); keys.set(this.keys); this.keys = keys;
      }
      const k = i * 4;
      this.keys[k] = acc; this.keys[k + 1] = month; this.keys[k + 2] = category; this.keys[k + 3] = cur;
    }
    const o = i * 5;
    const s = this.sums;
    s[o] = s[o]! + net;
    if (cost !== null) { s[o + 1] = s[o + 1]! + cost; s[o + 2] = s[o + 2]! + net; }
    s[o + 3] = s[o + 3]! + quantity;
    s[o + 4] = s[o + 4]! + 1;
  }
  /** Entries held (each (account, month) of the common case counts as several: its slots). */
  get size(): number { return Math.max(this.n, this.small.size * 3); }
  /** The totals held, in columns; starts again from nothing. */
  drain(): DeltaColumns {
    const n = this.n;
    const column = (j: number) => { const c = new Int32Array(n); for (let i = 0; i < n; i++) c[i] = this.keys[i * 4 + j]!; return c; };
    const out: DeltaColumns = { n, acc: column(0), month: column(1), category: column(2), cur: column(3), sums: this.sums.slice(0, n * 5), categories: this.categories, currencies: this.currencyNames };
    this.index.clear();
    this.small.clear();
    this.lastCurrency = '';
    this.lastCur = undefined;
    this.n = 0;
    this.keys = new Int32Array(4 * 4096);
    this.sums = new Float64Array(5 * 4096);
    this.currencies = new Map();
    this.currencyNames = [];
    return out;
  }
}

/** What a reader thread is asked to do: validate a sales file, or hand over rows (at most `take` that are not blank). */
export type ReadTask = { kind: 'sales'; spec: ParseSpec } | { kind: 'rows'; file: string; format: FileFormat; read: ReadOptions; take: number | null };

/** Rows of a file and the bytes read so far (CSV). */
export type RowBatch = { type: 'rows'; rows: Row[]; bytes: number };

/** The events of a read task, in the thread that runs it. */
export async function* readTask(task: ReadTask): AsyncGenerator<ParseEvent | RowBatch> {
  if (task.kind === 'sales') { yield* parseSales(task.spec); return; }
  let left = task.take ?? Number.POSITIVE_INFINITY;
  let bytes = 0;
  for await (const batch of readRows(task.file, task.format, task.read, (b) => { bytes = b; })) {
    let n = 0;
    while (n < batch.length && left > 0) { if (!isBlank(batch[n]!.cells)) left--; n++; }
    yield { type: 'rows', rows: n < batch.length ? batch.slice(0, n) : batch, bytes };
    if (left <= 0) return;
  }
}

const pools = new Map<string, WorkerPool>();

/** The reader threads for these settings (one pool per setting, shared by the apps of a process). */
function readers(c: FileReadingConfig): WorkerPool {
  const key = `${c.workers}/${c.workerMemoryMb}`;
  let pool = pools.get(key);
  if (!pool) {
    pool = new WorkerPool({
      entry: new URL('./sales.parse.worker.ts', import.meta.url), size: c.workers, memoryMb: c.workerMemoryMb,
      outOfMemory: () => tooComplex(`it needs more than ${fmt(c.workerMemoryMb)} MB of memory to read`),
    });
    pools.set(key, pool);
  }
  return pool;
}

/**
 * The events of parseSales, read in a reader thread while the importing thread writes. Leaving the
 * loop early stops the reading.
 */
export function parseEvents(spec: Omit<ParseSpec, 'limits'>, reading: FileReadingConfig): AsyncGenerator<ParseEvent> {
  return readers(reading).run<ParseEvent>({ kind: 'sales', spec: { ...spec, limits: reading.limits } } satisfies ReadTask);
}

/** Rows of a file, read in a reader thread: all of them, or the first `take` that are not blank (and the blank ones among them). */
export async function* readRowsBounded(
  file: string, format: FileFormat, read: Omit<ReadOptions, 'limits'>, reading: FileReadingConfig, opts: { take?: number; onBytes?: (bytes: number) => void } = {},
): AsyncGenerator<Row[]> {
  for await (const b of readers(reading).run<RowBatch>({ kind: 'rows', file, format, read: { ...read, limits: reading.limits }, take: opts.take ?? null } satisfies ReadTask)) {
    opts.onBytes?.(b.bytes);
    yield b.rows;
  }
}
