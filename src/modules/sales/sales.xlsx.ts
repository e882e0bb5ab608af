/**
 * A streaming reader of the first worksheet of an XLSX file that cannot be made to hold more than
 * its limits. An XLSX file is a zip: its central directory, at the end of the file, states every
 * part's inflated size, so a part too large is refused before a byte of it is inflated (a 2.5 MB
 * shared-strings bomb inflates to gigabytes). A part is then inflated as a stream and refused as
 * soon as it grows past the size its directory states, so a forged directory buys nothing; cells,
 * shared strings, columns and cell lengths are counted while the XML streams through a SAX parser.
 * Parts are read in the order needed (styles and shared strings before the sheet), whatever their
 * order in the zip, so nothing is buffered to disk.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { createInflateRaw } from 'node:zlib';
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import type { ReadLimits } from '../../server/config.js';
import type { Cell } from './sales.domain.js';
import { AppError } from '../../server/errors.js';
import { fmt, malformed, tooComplex } from './sales.read-errors.js';
import type { Row } from './sales.reader.js';

/** Parts in a zip: a workbook has a few dozen; thousands are not a spreadsheet anyone exported. */
const MAX_ENTRIES = 10_000;

type Entry = { name: string; method: number; flags: number; compressedSize: number; size: number; localOffset: number };

/** The zip's central directory, read from the end of the file: nothing is inflated. */
export async function zipDirectory(file: string): Promise<Map<string, Entry>> {
  const fh = await open(file, 'r');
  try {
    const { size } = await fh.stat();
    const tailLength = Math.min(size, 22 + 0xffff);
    const tail = Buffer.alloc(tailLength);
    await fh.read(tail, 0, tailLength, size - tailLength);
    let eocd = -1;
    for (let i = tailLength - 22; i >= 0; i--) if (tail.readUInt32LE(i) === 0x06054b50) { eocd = i; break; }
    if (eocd < 0) throw malformed('it is not a zip archive (an XLSX file is one)');
    let count = tail.readUInt16LE(eocd + 10);
    let cdSize = tail.readUInt32LE(eocd + 12);
    let cdOffset = tail.readUInt32LE(eocd + 16);
    if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
      // ZIP64: the locator just before the end record points at the 64-bit end record.
      if (eocd < 20 || tail.readUInt32LE(eocd - 20) !== 0x07064b50) throw malformed('its zip directory is damaged');
      const z64 = Buffer.alloc(56);
      await fh.read(z64, 0, 56, Number(tail.readBigUInt64LE(eocd - 20 + 8)));
      if (z64.readUInt32LE(0) !== 0x06064b50) throw malformed('its zip directory is damaged');
      count = Number(z64.readBigUInt64LE(32));
      cdSize = Number(z64.readBigUInt64LE(40));
      cdOffset = Number(z64.readBigUInt64LE(48));
    }
    if (count > MAX_ENTRIES) throw tooComplex(`the zip holds ${fmt(count)} parts (at most ${fmt(MAX_ENTRIES)})`);
    if (cdOffset + cdSize > size || cdSize > count * (46 + 0xffff * 3)) throw malformed('its zip directory is damaged');
    const cd = Buffer.alloc(cdSize);
    await fh.read(cd, 0, cdSize, cdOffset);
    const entries = new Map<string, Entry>();
    let p = 0;
    for (let i = 0; i < count; i++) {
      if (p + 46 > cd.length || cd.readUInt32LE(p) !== 0x02014b50) throw malformed('its zip directory is damaged');
      const flags = cd.readUInt16LE(p + 8);
      const nameLength = cd.readUInt16LE(p + 28);
      const extraLength = cd.readUInt16LE(p + 30);
      const commentLength = cd.readUInt16LE(p + 32);
      const e: Entry = {
        name: cd.toString(flags & 0x800 ? 'utf8' : 'latin1', p + 46, p + 46 + nameLength), method: cd.readUInt16LE(p + 10), flags,
        compressedSize: cd.readUInt32LE(p + 20), size: cd.readUInt32LE(p + 24), localOffset: cd.readUInt32LE(p + 42),
      };
      // ZIP64 sizes and offset, in this order, for those the record marks 0xFFFFFFFF.
      for (let x = p + 46 + nameLength; x + 4 <= p + 46 + nameLength + extraLength;) {
        const id = cd.readUInt16LE(x);
        const len = cd.readUInt16LE(x + 2);
        if (id === 0x0001) {
          let o = x + 4;
          const next = () => { const v = o + 8 <= x + 4 + len ? Number(cd.readBigUInt64LE(o)) : Number.NaN; o += 8; return v; };
          if (e.size === 0xffffffff) e.size = next();
          if (e.compressedSize === 0xffffffff) e.compressedSize = next();
          if (e.localOffset === 0xffffffff) e.localOffset = next();
        }
        x += 4 + len;
      }
      if (![e.size, e.compressedSize, e.localOffset].every(Number.isFinite)) throw malformed('its zip directory is damaged');
      entries.set(e.name, e);
      p += 46 + nameLength + extraLength + commentLength;
    }
    return entries;
  } finally {
    await fh.close();
  }
}

/**
 * The text of one part, inflated as a stream, in chunks: refused before inflating when its stated
 * size is beyond the limit, and as soon as it inflates to more than it states.
 */
async function* partText(file: string, e: Entry, limits: ReadLimits): AsyncGenerator<string> {
  if (e.size > limits.xlsxMaxUncompressedBytes) {
    throw tooComplex(`${e.name} would inflate to ${fmt(Math.ceil(e.size / 1024 ** 2))} MB (at most ${fmt(Math.floor(limits.xlsxMaxUncompressedBytes / 1024 ** 2))} MB)`);
  }
  if (e.flags & 1) throw malformed('it is encrypted');
  if (e.method !== 0 && e.method !== 8) throw malformed(`${e.name} is compressed in a way XLSX files are not (method ${e.method})`);
  const fh = await open(file, 'r');
  const local = Buffer.alloc(30);
  try { await fh.read(local, 0, 30, e.localOffset); } finally { await fh.close(); }
  if (local.readUInt32LE(0) !== 0x04034b50) throw malformed(`${e.name} is not where its zip directory says`);
  const start = e.localOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
  if (e.compressedSize === 0) return;
  const raw = createReadStream(file, { start, end: start + e.compressedSize - 1, highWaterMark: 1 << 16 });
  const inflated = e.method === 8 ? raw.pipe(createInflateRaw()) : raw;
  raw.on('error', (err) => inflated.destroy(err));
  const decoder = new StringDecoder('utf8');
  let bytes = 0;
  try {
    for await (const chunk of inflated as AsyncIterable<Buffer>) {
      bytes += chunk.length;
      if (bytes > e.size) throw malformed(`${e.name} inflates to more than the ${fmt(e.size)} bytes its zip directory states`);
      yield decoder.write(chunk);
    }
  } catch (err) {
    if ((err as { code?: string }).code?.startsWith('Z_')) throw malformed(`${e.name} is damaged (${(err as Error).message})`);
    throw err;
  } finally {
    raw.destroy();
    inflated.destroy();
  }
  const rest = decoder.end();
  if (rest) yield rest;
}

type Handlers = { open(name: string, attrs: Record<string, string>): void; text(t: string): void; close(name: string): void };

/** Streams a part through a SAX parser; element names without their namespace prefix. */
async function* parseXml(chunks: AsyncIterable<string>, h: Handlers, partName: string): AsyncGenerator<void> {
  const parser = new SaxesParser();
  const local = (n: string) => n.slice(n.indexOf(':') + 1);
  parser.on('opentag', (t: SaxesTagPlain) => h.open(local(t.name), t.attributes as Record<string, string>));
  parser.on('text', (t) => h.text(t));
  parser.on('cdata', (t) => h.text(t));
  parser.on('closetag', (t) => h.close(local(t.name)));
  // What the handlers throw (a limit) passes as it is; what the parser throws is a damaged part.
  const feed = (c: string | null) => {
    try { if (c === null) parser.close(); else parser.write(c); } catch (err) {
      throw err instanceof AppError ? err : malformed(`${partName} is not well-formed XML (${String((err as Error).message).slice(0, 120)})`);
    }
  };
  for await (const c of chunks) { feed(c); yield; }
  feed(null);
}

async function readPart(file: string, entries: Map<string, Entry>, name: string, limits: ReadLimits, h: Handlers): Promise<boolean> {
  const e = entries.get(name);
  if (!e) return false;
  for await (const _ of parseXml(partText(file, e, limits), h, name)) { /* handlers gather */ }
  return true;
}

const attr = (a: Record<string, string>, localName: string): string | undefined => {
  for (const [k, v] of Object.entries(a)) if (k === localName || k.endsWith(`:${localName}`)) return v;
  return undefined;
};

/** Relationship targets by id (and by type) of a .rels part, resolved against the part they belong to. */
async function relationships(file: string, entries: Map<string, Entry>, of: string, limits: ReadLimits) {
  const dir = path.posix.dirname(of);
  const relsName = path.posix.join(dir, '_rels', `${path.posix.basename(of)}.rels`).replace(/^\.\//, '');
  const byId = new Map<string, string>();
  const byType = new Map<string, string>();
  await readPart(file, entries, relsName, limits, {
    open(name, a) {
      if (name !== 'Relationship' || !a.Target || a.TargetMode === 'External') return;
      const target = a.Target.startsWith('/') ? a.Target.slice(1) : path.posix.normalize(path.posix.join(dir, a.Target));
      if (a.Id) byId.set(a.Id, target);
      if (a.Type) byType.set(a.Type.slice(a.Type.lastIndexOf('/') + 1), target);
    },
    text() {}, close() {},
  });
  return { byId, byType };
}

/** Built-in number formats that show dates or times (ECMA-376 §18.8.30, with the East Asian ones). */
const builtinDateFormats = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56, 57, 58]);
/** A format code shows a date when it has date or time letters outside quotes and brackets. */
const isDateFormat = (code: string) => /[ymdhsb]/i.test(code.replace(/\[[^\]]*]/g, '').replace(/"[^"]*"/g, '').replace(/\\./g, ''));

/** Which cell styles (xf index) show dates. */
async function dateStyles(file: string, entries: Map<string, Entry>, name: string, limits: ReadLimits): Promise<boolean[]> {
  const custom = new Map<number, boolean>();
  const xfs: boolean[] = [];
  let inCellXfs = false;
  await readPart(file, entries, name, limits, {
    open(n, a) {
      if (n === 'numFmt' && a.numFmtId) custom.set(Number(a.numFmtId), isDateFormat(a.formatCode ?? ''));
      else if (n === 'cellXfs') inCellXfs = true;
      else if (n === 'xf' && inCellXfs) {
        const id = Number(a.numFmtId ?? 0);
        xfs.push(custom.get(id) ?? builtinDateFormats.has(id));
      }
    },
    text() {},
    close(n) { if (n === 'cellXfs') inCellXfs = false; },
  });
  return xfs;
}

/** The shared-strings table, its entries counted and their lengths checked as they stream. */
async function sharedStrings(file: string, entries: Map<string, Entry>, name: string, limits: ReadLimits): Promise<string[]> {
  const out: string[] = [];
  let cur = '';
  let inSi = false;
  let inT = false;
  let phonetic = 0;
  await readPart(file, entries, name, limits, {
    open(n) {
      if (n === 'si') { inSi = true; cur = ''; } else if (n === 't' && inSi) inT = true;
      else if (n === 'rPh') phonetic++;
    },
    text(t) {
      if (!inT || phonetic) return;
      cur += t;
      if (cur.length > limits.maxLineChars) throw tooComplex(`shared string ${fmt(out.length + 1)} is longer than ${fmt(limits.maxLineChars)} characters`);
    },
    close(n) {
      if (n === 't') inT = false;
      else if (n === 'rPh') phonetic--;
      else if (n === 'si') {
        inSi = false;
        if (out.length >= limits.xlsxMaxStrings) throw tooComplex(`it has more than ${fmt(limits.xlsxMaxStrings)} shared strings`);
        out.push(cur);
      }
    },
  });
  return out;
}

/** A1-style column letters to a 1-based column number (0 when there are none). */
function columnOf(ref: string): number {
  let n = 0;
  for (let i = 0; i < ref.length; i++) {
    const c = ref.charCodeAt(i);
    if (c >= 65 && c <= 90) n = n * 26 + (c - 64);
    else if (c >= 97 && c <= 122) n = n * 26 + (c - 96);
    else break;
    if (n > 1e6) break;
  }
  return n;
}

/** Excel's day count (1900 or 1904 based) to a UTC date, as spreadsheet programs read it. */
const excelDate = (serial: number, date1904: boolean) => new Date(Math.round((serial - 25569 + (date1904 ? 1462 : 0)) * 86_400_000));

/** Rows of the workbook's first sheet in batches (row numbers as in Excel), within the limits. */
export async function* readXlsx(file: string, limits: ReadLimits): AsyncGenerator<Row[]> {
  const entries = await zipDirectory(file);
  const root = await relationships(file, entries, '', limits);
  const workbook = root.byType.get('officeDocument') ?? 'xl/workbook.xml';
  let date1904 = false;
  let firstSheet: string | undefined;
  const found = await readPart(file, entries, workbook, limits, {
    open(n, a) {
      if (n === 'workbookPr') date1904 = a.date1904 === '1' || a.date1904 === 'true';
      else if (n === 'sheet' && firstSheet === undefined) firstSheet = attr(a, 'id') ?? '';
    },
    text() {}, close() {},
  });
  if (!found) throw malformed('it is a zip archive without a workbook (not an XLSX file)');
  const rels = await relationships(file, entries, workbook, limits);
  const sheetName = firstSheet ? rels.byId.get(firstSheet) : undefined;
  if (!sheetName || !entries.has(sheetName)) throw malformed('its workbook has no worksheet');
  const styles = await dateStyles(file, entries, rels.byType.get('styles') ?? 'xl/styles.xml', limits);
  const strings = await sharedStrings(file, entries, rels.byType.get('sharedStrings') ?? 'xl/sharedStrings.xml', limits);

  let batch: Row[] = [];
  let cellCount = 0;
  let rowNo = 0;
  let cells: Cell[] | null = null;
  let col = 0;
  let type = 'n';
  let style = 0;
  let value: string | null = null;
  let capture = false;
  let inInline = false;
  let phonetic = 0;
  const handlers: Handlers = {
    open(n, a) {
      if (n === 'row') {
        rowNo = a.r ? Number(a.r) : rowNo + 1;
        if (!Number.isSafeInteger(rowNo) || rowNo < 1) throw malformed(`the sheet has a row numbered ${String(a.r).slice(0, 20)}`);
        cells = [];
        col = 0;
      } else if (n === 'c' && cells) {
        col = a.r ? columnOf(a.r) : col + 1;
        if (col < 1) col = cells.length + 1;
        if (col > limits.maxColumns) throw tooComplex(`row ${rowNo} has more than ${fmt(limits.maxColumns)} columns`);
        if (++cellCount > limits.xlsxMaxCells) throw tooComplex(`the sheet has more than ${fmt(limits.xlsxMaxCells)} cells`);
        type = a.t ?? 'n';
        style = a.s ? Number(a.s) : 0;
        value = null;
      } else if (n === 'v' && cells) { capture = true; value = ''; } else if (n === 'is') { inInline = true; value = ''; } else if (n === 't' && inInline) capture = true;
      else if (n === 'rPh') phonetic++;
    },
    text(t) {
      if (!capture || phonetic) return;
      value += t;
      if (value!.length > limits.maxLineChars) throw tooComplex(`cell ${col} of row ${rowNo} is longer than ${fmt(limits.maxLineChars)} characters`);
    },
    close(n) {
      if (n === 'v' || n === 't') capture = false;
      else if (n === 'is') inInline = false;
      else if (n === 'rPh') phonetic--;
      else if (n === 'c' && cells) {
        let v: Cell = null;
        if (value !== null) {
          if (type === 's') v = strings[Number(value)] ?? null;
          else if (type === 'str' || type === 'inlineStr' || type === 'e') v = value;
          else if (type === 'b') v = value.trim() !== '' && Number(value) !== 0;
          else if (type === 'd') v = new Date(value);
          else if (value.trim() !== '') {
            const num = Number(value);
            v = Number.isNaN(num) ? value : styles[style] ? excelDate(num, date1904) : num;
          }
        }
        cells[col - 1] = v;
      } else if (n === 'row' && cells) {
        for (let i = 0; i < cells.length; i++) if (cells[i] === undefined) cells[i] = null;
        batch.push({ line: rowNo, cells });
        cells = null;
      }
    },
  };
  // Rows go out after every stretch of the part, so a reader that needs only the header (the upload)
  // stops at the first one.
  for await (const _ of parseXml(partText(file, entries.get(sheetName)!, limits), handlers, sheetName)) {
    if (batch.length) { yield batch; batch = []; }
  }
  if (batch.length) yield batch;
}
