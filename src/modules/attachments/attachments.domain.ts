/**
 * What a file attached to an account may be, told from its bytes (never from its name or the type
 * the browser claims), and what its name may be. Pure: the service reads the bytes, this decides.
 */

/** The kinds of file an account may hold: documents, pictures, spreadsheets, plain text. */
export const FILE_TYPES = {
  pdf: { mime: 'application/pdf', extensions: ['pdf'] },
  png: { mime: 'image/png', extensions: ['png'] },
  jpeg: { mime: 'image/jpeg', extensions: ['jpg', 'jpeg', 'jfif'] },
  gif: { mime: 'image/gif', extensions: ['gif'] },
  webp: { mime: 'image/webp', extensions: ['webp'] },
  heic: { mime: 'image/heic', extensions: ['heic', 'heif'] },
  docx: { mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', extensions: ['docx'] },
  xlsx: { mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', extensions: ['xlsx'] },
  pptx: { mime: 'application/vnd.openxmlformats-officedocument.presentationml.presentation', extensions: ['pptx'] },
  csv: { mime: 'text/csv', extensions: ['csv'] },
  text: { mime: 'text/plain', extensions: ['txt', 'tsv', 'log'] },
} as const satisfies Record<string, { mime: string; extensions: readonly string[] }>;

export type FileType = keyof typeof FILE_TYPES;

/** Why a file is refused: a program or script, a page a browser would run, an archive, a document with macros, or nothing known. */
export type RefusedKind = 'executable' | 'markup' | 'archive' | 'macro' | 'unknown';

export type Sniffed = { ok: true; type: FileType } | { ok: false; refused: RefusedKind };

/** Every extension allowed, for the file picker and the error message. */
export const ALLOWED_EXTENSIONS: string[] = Object.values(FILE_TYPES).flatMap((t) => [...t.extensions]);

/** Bytes of the start of a file the service hands to `sniff` (and `looksLikeText`). */
export const HEAD_BYTES = 8192;

const startsWith = (b: Uint8Array, sig: readonly number[], at = 0): boolean => sig.every((x, i) => b[at + i] === x);
const ascii = (s: string): number[] => [...s].map((c) => c.charCodeAt(0));
const asciiAt = (b: Uint8Array, s: string, at = 0): boolean => startsWith(b, ascii(s), at);

export const ZIP_LOCAL = [0x50, 0x4b, 0x03, 0x04];
export const isZip = (head: Uint8Array): boolean => startsWith(head, ZIP_LOCAL);

const executables: (readonly number[])[] = [
  ascii('MZ'), // Windows programs and libraries (PE)
  [0x7f, 0x45, 0x4c, 0x46], // ELF
  [0xfe, 0xed, 0xfa, 0xce], [0xfe, 0xed, 0xfa, 0xcf], [0xce, 0xfa, 0xed, 0xfe], [0xcf, 0xfa, 0xed, 0xfe], // Mach-O
  [0xca, 0xfe, 0xba, 0xbe], // Mach-O universal, Java class
  [0x00, 0x61, 0x73, 0x6d], // WebAssembly
  ascii('#!'), // scripts
  ascii('dex\n'), // Android
];

// HEIF brands (ISO/IEC 23008-12): still images and sequences from phones.
const heifBrands = ['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'mif1', 'msf1'];

/**
 * The type of a file from its first bytes, the names in its zip directory (when it is a zip and the
 * directory could be read) and whether a NUL byte occurs anywhere in it (text never has one).
 */
export function sniff(head: Uint8Array, zipNames: string[] | null, hasNul: boolean): Sniffed {
  if (asciiAt(head, '%PDF-')) return { ok: true, type: 'pdf' };
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return { ok: true, type: 'png' };
  if (startsWith(head, [0xff, 0xd8, 0xff])) return { ok: true, type: 'jpeg' };
  if (asciiAt(head, 'GIF87a') || asciiAt(head, 'GIF89a')) return { ok: true, type: 'gif' };
  if (asciiAt(head, 'RIFF') && asciiAt(head, 'WEBP', 8)) return { ok: true, type: 'webp' };
  if (asciiAt(head, 'ftyp', 4) && heifBrands.some((b) => asciiAt(head, b, 8))) return { ok: true, type: 'heic' };
  if (isZip(head)) return zipNames ? officeType(zipNames) : { ok: false, refused: 'archive' };
  if (executables.some((sig) => startsWith(head, sig))) return { ok: false, refused: 'executable' };
  if (hasNul || !looksLikeText(head)) return { ok: false, refused: 'unknown' };
  if (looksLikeMarkup(head)) return { ok: false, refused: 'markup' };
  return { ok: true, type: 'text' };
}

/** Word, Excel or PowerPoint (Office Open XML) by their parts; with macros, or any other zip, refused. */
function officeType(names: string[]): Sniffed {
  const has = (n: string) => names.includes(n);
  if (names.some((n) => /(^|\/)vbaProject\.bin$/i.test(n))) return { ok: false, refused: 'macro' };
  if (names.some((n) => n === 'AndroidManifest.xml' || n === 'classes.dex' || n === 'META-INF/MANIFEST.MF' || /\.(exe|dll|msi|bat|cmd|com|scr|ps1|vbs|js|jar|sh|app)$/i.test(n))) {
    return { ok: false, refused: 'executable' };
  }
  if (!has('[Content_Types].xml')) return { ok: false, refused: 'archive' };
  if (has('word/document.xml')) return { ok: true, type: 'docx' };
  if (has('xl/workbook.xml')) return { ok: true, type: 'xlsx' };
  if (has('ppt/presentation.xml')) return { ok: true, type: 'pptx' };
  return { ok: false, refused: 'archive' };
}

/** Text in any ASCII-compatible encoding (UTF-8, GB18030…): no control characters beyond tab, line breaks, form feed and escape. */
export function looksLikeText(head: Uint8Array): boolean {
  let bad = 0;
  for (const b of head) if ((b < 0x09 || (b > 0x0d && b < 0x20 && b !== 0x1b) || b === 0x7f)) bad++;
  return bad === 0;
}

/**
 * A page or drawing a browser would render and run (HTML, SVG, XML with scripts): text whose first
 * character, after a byte-order mark and white space, opens a tag.
 */
export function looksLikeMarkup(head: Uint8Array): boolean {
  let i = startsWith(head, [0xef, 0xbb, 0xbf]) ? 3 : 0;
  while (i < head.length && [0x20, 0x09, 0x0a, 0x0d, 0x0c].includes(head[i]!)) i++;
  return head[i] === 0x3c; // '<'
}

/** Where the central directory of a zip lies, from the file's last bytes (the end record is within them), or null. */
export function findCentralDirectory(tail: Uint8Array, fileSize: number): { offset: number; size: number } | null {
  const view = new DataView(tail.buffer, tail.byteOffset, tail.byteLength);
  for (let i = tail.length - 22; i >= 0; i--) {
    if (view.getUint32(i, true) !== 0x06054b50) continue;
    const size = view.getUint32(i + 12, true);
    const offset = view.getUint32(i + 16, true);
    // ZIP64 (0xFFFFFFFF) or a directory outside the file: not a zip this reads.
    if (size === 0xffffffff || offset === 0xffffffff || offset + size > fileSize) return null;
    return { offset, size };
  }
  return null;
}

/** The entry names of a zip's central directory (stops at the first record that is not one). */
export function zipEntryNames(cd: Uint8Array): string[] {
  const view = new DataView(cd.buffer, cd.byteOffset, cd.byteLength);
  const names: string[] = [];
  const utf8 = new TextDecoder('utf-8', { fatal: false });
  let i = 0;
  while (i + 46 <= cd.length && view.getUint32(i, true) === 0x02014b50) {
    const nameLen = view.getUint16(i + 28, true);
    const extraLen = view.getUint16(i + 30, true);
    const commentLen = view.getUint16(i + 32, true);
    if (i + 46 + nameLen > cd.length) break;
    names.push(utf8.decode(cd.subarray(i + 46, i + 46 + nameLen)));
    i += 46 + nameLen + extraLen + commentLen;
  }
  return names;
}

const MAX_NAME = 200;
// C0 and C1 controls, DEL, and the marks that reorder text (a name "report‮fdp.exe" reads "reportexe.pdf").
// eslint-disable-next-line no-control-regex
const invisible = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;
const reserved = /^(con|prn|aux|nul|com\d|lpt\d)(\.|$)/i;

/**
 * A file name safe to store and to offer for download on any system: the name as written (Chinese
 * and other scripts kept, normalised to NFC), without folders, control or direction marks, or
 * characters Windows forbids; at most 200 characters, the extension kept.
 */
export function sanitizeFileName(raw: string): string {
  let name = raw.normalize('NFC').replace(invisible, '');
  name = name.split(/[/\\]/).pop() ?? '';
  name = name.replace(/[<>:"|?*]/g, '_').replace(/\s+/g, ' ').trim().replace(/^[.\s]+|[.\s]+$/g, '');
  if (reserved.test(name)) name = `_${name}`;
  if (!name) return 'attachment';
  const chars = [...name];
  if (chars.length <= MAX_NAME) return name;
  const dot = name.lastIndexOf('.');
  const ext = dot > 0 && name.length - dot <= 10 ? name.slice(dot) : '';
  return [...name.slice(0, name.length - ext.length)].slice(0, MAX_NAME - ext.length).join('') + ext;
}

export const extensionOf = (name: string): string | null => {
  const dot = name.lastIndexOf('.');
  return dot > 0 && dot < name.length - 1 ? name.slice(dot + 1).toLowerCase() : null;
};

/** Pictures: a phone's photo named .jpg but stored as HEIC, or a screenshot renamed, opens as a picture anyway. */
const images: FileType[] = ['png', 'jpeg', 'gif', 'webp', 'heic'];

/**
 * The stored name for a file of `type`: the name as given when its extension fits the content
 * (any picture extension for a picture), else with the type's own extension added, so that what is
 * downloaded opens as what it is ("contract.exe" holding a PDF is stored as "contract.exe.pdf").
 */
export function nameForType(name: string, type: FileType): string {
  const ext = extensionOf(name);
  const fits = (t: FileType) => ext !== null && (FILE_TYPES[t].extensions as readonly string[]).includes(ext);
  if (fits(type) || (images.includes(type) && images.some(fits))) return name;
  // CSV is text: a .txt of comma-separated values, or a .csv of plain lines, is still text.
  if ((type === 'text' && fits('csv')) || (type === 'csv' && fits('text'))) return name;
  return sanitizeFileName(`${name}.${FILE_TYPES[type].extensions[0]}`);
}

/** Plain text is stored as CSV when it is named so (the type a spreadsheet opens it with). */
export const storedType = (type: FileType, name: string): FileType => (type === 'text' && extensionOf(name) === 'csv' ? 'csv' : type);
