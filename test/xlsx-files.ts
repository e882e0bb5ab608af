/**
 * Workbooks written byte by byte for the tests of the upload limits: a zip is a few headers around
 * deflated data, so a test can make a tiny file that inflates to hundreds of megabytes, or one whose
 * directory states sizes other than the real ones (as an attacker's would).
 */
import { once } from 'node:events';
import zlib, { crc32, deflateRawSync } from 'node:zlib';

/**
 * One file of a zip: its bytes, or already deflated (`packed`, with the real size and CRC) for data
 * too large to hold; `declaredSize` is the uncompressed size its headers claim (the real one if absent).
 */
export type ZipEntry = { name: string; declaredSize?: number } & ({ data: Buffer | string } | { packed: Buffer; size: number; crc: number });

/** A zip archive (deflated entries, no data descriptors, no ZIP64). */
export function zip(entries: ZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    let packed: Buffer;
    let real: number;
    let crc: number;
    if ('packed' in e) ({ packed, size: real, crc } = e);
    else {
      const data = Buffer.isBuffer(e.data) ? e.data : Buffer.from(e.data, 'utf8');
      packed = deflateRawSync(data, { level: 9 });
      real = data.length;
      crc = crc32(data);
    }
    const name = Buffer.from(e.name, 'utf8');
    const size = e.declaredSize ?? real;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt32LE(0, 10); // time, date
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(0, 12);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, packed);
    centrals.push(central, name);
    offset += local.length + name.length + packed.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

const ns = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const rel = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const pkg = 'http://schemas.openxmlformats.org/package/2006/relationships';

/**
 * The parts of a one-sheet workbook around the given shared strings and sheet data (the XML inside
 * <sst> and <sheetData>), in the order Excel writes them: strings before the sheet.
 */
export function workbookParts(sharedStrings: string | ZipEntry, sheetData: string): ZipEntry[] {
  return [
    { name: '[Content_Types].xml', data: `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>` },
    { name: '_rels/.rels', data: `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="${pkg}"><Relationship Id="rId1" Type="${rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>` },
    { name: 'xl/workbook.xml', data: `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="${ns}" xmlns:r="${rel}"><sheets><sheet name="Sales" sheetId="1" r:id="rId1"/></sheets></workbook>` },
    { name: 'xl/_rels/workbook.xml.rels', data: `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="${pkg}"><Relationship Id="rId1" Type="${rel}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="${rel}/sharedStrings" Target="sharedStrings.xml"/></Relationships>` },
    typeof sharedStrings === 'string' ? { name: 'xl/sharedStrings.xml', data: `<?xml version="1.0" encoding="UTF-8"?><sst xmlns="${ns}">${sharedStrings}</sst>` } : sharedStrings,
    { name: 'xl/worksheets/sheet1.xml', data: `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="${ns}"><sheetData>${sheetData}</sheetData></worksheet>` },
  ];
}

/**
 * xl/sharedStrings.xml holding `n` copies of one string (`text`, "bomb" unless given), deflated a
 * megabyte at a time: the inflated table is never held (a million strings are 19 MB that deflate to
 * a few dozen kilobytes). `declaredSize` is the size its headers claim.
 */
export async function repeatedStrings(n: number, o: { declaredSize?: number; text?: string } = {}): Promise<ZipEntry> {
  const { declaredSize, text = 'bomb' } = o;
  const one = Buffer.from(`<si><t>${text}</t></si>`);
  const perChunk = Math.max(1, Math.floor((1 << 20) / one.length));
  const chunk = Buffer.alloc(one.length * perChunk);
  for (let i = 0; i < perChunk; i++) one.copy(chunk, i * one.length);
  const deflate = zlib.createDeflateRaw({ level: 6 });
  const parts: Buffer[] = [];
  deflate.on('data', (b: Buffer) => parts.push(b));
  let crc = 0;
  let size = 0;
  const write = async (b: Buffer) => { crc = crc32(b, crc); size += b.length; if (!deflate.write(b)) await once(deflate, 'drain'); };
  await write(Buffer.from(`<?xml version="1.0" encoding="UTF-8"?><sst xmlns="${ns}" count="${n}" uniqueCount="${n}">`));
  for (let left = n; left > 0; left -= perChunk) await write(left >= perChunk ? chunk : chunk.subarray(0, left * one.length));
  await write(Buffer.from('</sst>'));
  deflate.end();
  await once(deflate, 'end');
  const packed = Buffer.concat(parts);
  return { name: 'xl/sharedStrings.xml', packed, size, crc, ...(declaredSize !== undefined && { declaredSize }) };
}

/** A header row of shared strings 0…k-1 (row 1). */
export const headerRow = (k: number): string =>
  `<row r="1">${Array.from({ length: k }, (_, i) => `<c r="${String.fromCharCode(65 + i)}1" t="s"><v>${i}</v></c>`).join('')}</row>`;
