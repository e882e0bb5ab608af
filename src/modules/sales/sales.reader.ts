/**
 * Streaming readers of uploaded files: rows come out in batches while the file is read, so memory
 * stays flat whatever the file size. CSV: decode (UTF-8 with or without BOM, GB18030/GBK through
 * iconv-lite) then an RFC 4180 splitter (quoted fields, doubled quotes, newlines inside quotes).
 * XLSX: exceljs' streaming WorkbookReader, first worksheet only.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import type ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import type { Cell } from './sales.domain.js';

export type FileFormat = 'csv' | 'xlsx';
export type Encoding = 'utf-8' | 'gb18030' | 'gbk';
export type Row = { line: number; cells: Cell[] };
export type ReadOptions = { encoding: Encoding; delimiter: string };
/** Called with the bytes read so far (CSV) so the job can report progress. */
export type OnBytes = (bytes: number) => void;

/** CSV or XLSX, from the first bytes (an XLSX file is a zip: "PK\x03\x04"). */
export async function sniffFormat(file: string): Promise<FileFormat> {
  const fh = await open(file, 'r');
  try {
    const buf = Buffer.alloc(4);
    await fh.read(buf, 0, 4, 0);
    return buf[0] === 0x50 && buf[1] === 0x4b && buf[2] === 0x03 && buf[3] === 0x04 ? 'xlsx' : 'csv';
  } finally {
    await fh.close();
  }
}

/** Splits one CSV record (already joined across quoted newlines) into fields. */
export function splitRecord(rec: string, delim: string): string[] {
  if (!rec.includes('"')) return rec.split(delim);
  const out: string[] = [];
  let i = 0;
  const n = rec.length;
  for (;;) {
    if (rec[i] === '"') {
      let v = '';
      i++;
      for (;;) {
        const q = rec.indexOf('"', i);
        if (q < 0) { v += rec.slice(i); i = n; break; }
        v += rec.slice(i, q);
        if (rec[q + 1] === '"') { v += '"'; i = q + 2; continue; }
        i = q + 1;
        break;
      }
      // Anything between the closing quote and the delimiter is kept (lenient, like spreadsheet apps).
      const d = rec.indexOf(delim, i);
      if (d < 0) { out.push(v + rec.slice(i)); return out; }
      out.push(v + rec.slice(i, d));
      i = d + delim.length;
    } else {
      const d = rec.indexOf(delim, i);
      if (d < 0) { out.push(rec.slice(i)); return out; }
      out.push(rec.slice(i, d));
      i = d + delim.length;
    }
  }
}

const countQuotes = (s: string): number => {
  let n = 0;
  for (let i = s.indexOf('"'); i >= 0; i = s.indexOf('"', i + 1)) n++;
  return n;
};

/** CSV records in batches, each with the physical line number it starts on. */
export async function* readCsv(file: string, o: ReadOptions, onBytes?: OnBytes): AsyncGenerator<Row[]> {
  // 256 KB chunks (about 4,000 lines per batch): a batch's rows live until it is processed, and
  // with 1 MB chunks enough of them survived young-generation GCs to grow the old generation (and
  // RSS) by some 100 MB; smaller batches cost nothing measurable.
  const stream = createReadStream(file, { highWaterMark: 1 << 18 });
  const decoder = o.encoding === 'utf-8' ? new StringDecoder('utf8') : iconv.getDecoder(o.encoding === 'gbk' ? 'gbk' : 'gb18030');
  let rest = '';
  let lineNo = 0; // physical lines consumed so far
  let pending: string | null = null; // a record open inside quotes
  let pendingStart = 0;
  let pendingQuotes = 0;
  let bytes = 0;
  let first = true;

  function* records(text: string, final: boolean): Generator<Row> {
    let start = 0;
    for (;;) {
      const nl = text.indexOf('\n', start);
      if (nl < 0 && !final) { rest = text.slice(start); return; }
      if (nl < 0 && start >= text.length) { rest = ''; return; }
      let line = nl < 0 ? text.slice(start) : text.slice(start, nl);
      start = nl < 0 ? text.length : nl + 1;
      if (line.endsWith('\r')) line = line.slice(0, -1);
      lineNo++;
      if (pending !== null) {
        pending += `\n${line}`;
        pendingQuotes += countQuotes(line);
        if (pendingQuotes % 2 === 0) {
          const rec = pending;
          pending = null;
          yield { line: pendingStart, cells: splitRecord(rec, o.delimiter) };
        }
      } else if (line.includes('"') && countQuotes(line) % 2 === 1) {
        pending = line; pendingStart = lineNo; pendingQuotes = countQuotes(line);
      } else {
        yield { line: lineNo, cells: line === '' ? [] : splitRecord(line, o.delimiter) };
      }
      if (nl < 0) { rest = ''; return; }
    }
  }

  for await (const chunk of stream as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    let text = rest + decoder.write(chunk);
    if (first) { if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); first = false; }
    const batch = [...records(text, false)];
    onBytes?.(bytes);
    if (batch.length) yield batch;
  }
  const tail = rest + (decoder.end() ?? '');
  const batch = [...records(tail, true)];
  if (pending !== null) batch.push({ line: pendingStart, cells: splitRecord(pending, o.delimiter) });
  if (batch.length) yield batch;
}

function xlsxCell(v: unknown): Cell {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v instanceof Date) return v;
  if (typeof v === 'object') {
    const o = v as { richText?: { text: string }[]; text?: unknown; result?: unknown; error?: string };
    if (o.richText) return o.richText.map((r) => r.text).join('');
    if ('result' in o) return xlsxCell(o.result);
    if (o.text !== undefined) return xlsxCell(o.text);
    if (o.error) return o.error;
  }
  return String(v);
}

/** Rows of the first worksheet in batches (row numbers as in Excel). */
export async function* readXlsx(file: string): AsyncGenerator<Row[]> {
  // Loaded when needed: the CSV reader (also run in worker threads) does without it.
  const { default: excel } = await import('exceljs');
  const reader = new excel.stream.xlsx.WorkbookReader(file, { worksheets: 'emit', sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', entries: 'ignore' });
  for await (const sheet of reader) {
    let batch: Row[] = [];
    for await (const row of sheet as AsyncIterable<ExcelJS.Row>) {
      const values = row.values as unknown[];
      const cells: Cell[] = [];
      for (let i = 1; i < values.length; i++) cells.push(xlsxCell(values[i]));
      batch.push({ line: row.number, cells });
      if (batch.length >= 2000) { yield batch; batch = []; }
    }
    if (batch.length) yield batch;
    return; // the first worksheet only
  }
}

/** Rows of a CSV or XLSX file, in batches. */
export function readRows(file: string, format: FileFormat, o: ReadOptions, onBytes?: OnBytes): AsyncGenerator<Row[]> {
  return format === 'xlsx' ? readXlsx(file) : readCsv(file, o, onBytes);
}
