/**
 * Streaming readers of uploaded files: rows come out in batches while the file is read, so memory
 * stays flat whatever the file size. CSV: decode (UTF-8 with or without BOM, GB18030/GBK through
 * iconv-lite) then an RFC 4180 splitter (quoted fields, doubled quotes, newlines inside quotes).
 * XLSX: sales.xlsx.ts, first worksheet only. Both stop at the limits they are given (columns,
 * characters of a record; XLSX: inflated sizes, cells, shared strings) with a clear error naming the
 * line, and refuse a first line that cannot be a header. They run in a reader worker thread
 * (sales.parse.ts), never on the server's event loop.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import iconv from 'iconv-lite';
import type { ReadLimits } from '../../server/config.js';
import { type Cell, cellText, isBlank } from './sales.domain.js';
import { badHeader, fmt, malformed, tooComplex } from './sales.read-errors.js';
import { readXlsx } from './sales.xlsx.js';

export type FileFormat = 'csv' | 'xlsx';
export type Encoding = 'utf-8' | 'gb18030' | 'gbk';
export type Row = { line: number; cells: Cell[] };
export type ReadOptions = { encoding: Encoding; delimiter: string; limits: ReadLimits };

/** The longest column name a mapping can name (Mapping in sales.contract.ts): a longer first line is no header. */
export const MAX_HEADER_CHARS = 200;
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
  let pendingLength = 0;
  let bytes = 0;
  let first = true;
  const { maxLineChars, maxColumns } = o.limits;
  const unclosed = (line: number) => malformed(`line ${line}: a quoted field is not closed (or its record is longer than ${fmt(maxLineChars)} characters)`);
  const split = (rec: string, line: number): string[] => {
    const cells = splitRecord(rec, o.delimiter);
    if (cells.length > maxColumns) throw tooComplex(`line ${line} has more than ${fmt(maxColumns)} columns`);
    return cells;
  };

  function* records(text: string, final: boolean): Generator<Row> {
    let start = 0;
    for (;;) {
      const nl = text.indexOf('\n', start);
      if (nl < 0 && !final) {
        rest = text.slice(start);
        // A line that never ends would otherwise grow without bound.
        if (pending !== null ? pendingLength + rest.length > maxLineChars : rest.length > maxLineChars) {
          if (pending !== null) throw unclosed(pendingStart);
          throw tooComplex(`line ${lineNo + 1} is longer than ${fmt(maxLineChars)} characters`);
        }
        return;
      }
      if (nl < 0 && start >= text.length) { rest = ''; return; }
      let line = nl < 0 ? text.slice(start) : text.slice(start, nl);
      start = nl < 0 ? text.length : nl + 1;
      if (line.endsWith('\r')) line = line.slice(0, -1);
      lineNo++;
      if (line.length > maxLineChars && pending === null) throw tooComplex(`line ${lineNo} is longer than ${fmt(maxLineChars)} characters`);
      if (pending !== null) {
        pending += `\n${line}`;
        pendingLength += line.length + 1;
        if (pendingLength > maxLineChars) throw unclosed(pendingStart);
        pendingQuotes += countQuotes(line);
        if (pendingQuotes % 2 === 0) {
          const rec = pending;
          pending = null;
          yield { line: pendingStart, cells: split(rec, pendingStart) };
        }
      } else if (line.includes('"') && countQuotes(line) % 2 === 1) {
        pending = line; pendingStart = lineNo; pendingQuotes = countQuotes(line); pendingLength = line.length;
      } else {
        yield { line: lineNo, cells: line === '' ? [] : split(line, lineNo) };
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
  if (batch.length) yield batch;
  if (pending !== null) throw unclosed(pendingStart);
}

/**
 * Rows of a CSV or XLSX file, in batches, within the limits of `o`. The first line that is not
 * blank is the header: a column name longer than any mapping could name means it is none (a binary
 * file, or a quote that swallowed the file), refused with a short excerpt rather than echoed.
 */
export async function* readRows(file: string, format: FileFormat, o: ReadOptions, onBytes?: OnBytes): AsyncGenerator<Row[]> {
  let header = false;
  for await (const batch of format === 'xlsx' ? readXlsx(file, o.limits) : readCsv(file, o, onBytes)) {
    if (!header) {
      const first = batch.find((r) => !isBlank(r.cells));
      if (first) {
        header = true;
        first.cells.forEach((c, i) => { const name = cellText(c); if (name.length > MAX_HEADER_CHARS) throw badHeader(i + 1, name, MAX_HEADER_CHARS); });
      }
    }
    yield batch;
  }
}
