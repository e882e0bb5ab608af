import { describe, expect, it } from 'vitest';
import { findCentralDirectory, looksLikeText, nameForType, sanitizeFileName, sniff, zipEntryNames } from './attachments.domain.js';

const b = (s: string) => new Uint8Array(Buffer.from(s, 'latin1'));

describe('telling a file from its bytes', () => {
  it('knows documents and pictures by their signatures, whatever they are called', () => {
    expect(sniff(b('%PDF-1.7\n'), null, true)).toEqual({ ok: true, type: 'pdf' });
    expect(sniff(b('\x89PNG\r\n\x1a\n\0\0\0\rIHDR'), null, true)).toEqual({ ok: true, type: 'png' });
    expect(sniff(b('\xff\xd8\xff\xe0\0\x10JFIF'), null, true)).toEqual({ ok: true, type: 'jpeg' });
    expect(sniff(b('GIF89a\x01\0'), null, true)).toEqual({ ok: true, type: 'gif' });
    expect(sniff(b('RIFF\x24\0\0\0WEBPVP8 '), null, true)).toEqual({ ok: true, type: 'webp' });
    expect(sniff(b('\0\0\0\x18ftypheic\0\0\0\0'), null, true)).toEqual({ ok: true, type: 'heic' });
    // An MP4 video has the same box but another brand.
    expect(sniff(b('\0\0\0\x18ftypisom\0\0\0\0'), null, true)).toEqual({ ok: false, refused: 'unknown' });
  });

  it('tells Word, Excel and PowerPoint from other zips, and refuses macros, programs and bare archives', () => {
    const zip = b('PK\x03\x04');
    const office = (part: string) => ['[Content_Types].xml', '_rels/.rels', part];
    expect(sniff(zip, office('word/document.xml'), true)).toEqual({ ok: true, type: 'docx' });
    expect(sniff(zip, office('xl/workbook.xml'), true)).toEqual({ ok: true, type: 'xlsx' });
    expect(sniff(zip, office('ppt/presentation.xml'), true)).toEqual({ ok: true, type: 'pptx' });
    expect(sniff(zip, [...office('xl/workbook.xml'), 'xl/vbaProject.bin'], true)).toEqual({ ok: false, refused: 'macro' });
    expect(sniff(zip, ['META-INF/MANIFEST.MF', 'Main.class'], true)).toEqual({ ok: false, refused: 'executable' });
    expect(sniff(zip, ['photos/1.jpg'], true)).toEqual({ ok: false, refused: 'archive' });
    expect(sniff(zip, null, true)).toEqual({ ok: false, refused: 'archive' });
  });

  it('refuses programs and scripts, and markup a browser would run', () => {
    for (const head of ['MZ\x90\0', '\x7fELF\x02\x01', '\xcf\xfa\xed\xfe', '#!/usr/bin/env python\n']) expect(sniff(b(head), null, head.includes('\0'))).toEqual({ ok: false, refused: 'executable' });
    for (const head of ['<html><body>', '\n  <svg xmlns="http://www.w3.org/2000/svg">', '\xef\xbb\xbf<?xml version="1.0"?>', '<!-- x --><script>']) {
      expect(sniff(b(head), null, false)).toEqual({ ok: false, refused: 'markup' });
    }
  });

  it('takes text in any ASCII-compatible encoding, not binary', () => {
    expect(sniff(new Uint8Array(Buffer.from('客户,金额\r\n宏达,1200\n')), null, false)).toEqual({ ok: true, type: 'text' });
    expect(sniff(new Uint8Array(Buffer.from([0xbf, 0xcd, 0xbb, 0xa7, 0x2c, 0x0a])), null, false)).toEqual({ ok: true, type: 'text' }); // GB18030 客户,
    expect(looksLikeText(b('a\x01b'))).toBe(false);
    expect(sniff(b('abc'), null, true)).toEqual({ ok: false, refused: 'unknown' });
  });

  it('reads the entry names from a zip directory', () => {
    const name = Buffer.from('xl/工作簿.xml');
    const entry = Buffer.alloc(46 + name.length);
    entry.writeUInt32LE(0x02014b50, 0);
    entry.writeUInt16LE(name.length, 28);
    name.copy(entry, 46);
    const eocd = Buffer.alloc(22);
    eocd.writeUInt32LE(0x06054b50, 0);
    eocd.writeUInt32LE(entry.length, 12);
    eocd.writeUInt32LE(100, 16);
    expect(findCentralDirectory(new Uint8Array(eocd), 100 + entry.length + 22)).toEqual({ offset: 100, size: entry.length });
    expect(findCentralDirectory(new Uint8Array(eocd), 50)).toBeNull();
    expect(zipEntryNames(new Uint8Array(entry))).toEqual(['xl/工作簿.xml']);
  });
});

describe('file names', () => {
  it('keeps Chinese and other scripts, drops folders, controls, direction marks and what Windows forbids', () => {
    expect(sanitizeFileName('合同 2026（终稿）.pdf')).toBe('合同 2026（终稿）.pdf');
    expect(sanitizeFileName('C:\\Users\\li\\报价单.xlsx')).toBe('报价单.xlsx');
    expect(sanitizeFileName('../../etc/passwd')).toBe('passwd');
    expect(sanitizeFileName('invoice\u202efdp.exe')).toBe('invoicefdp.exe');
    expect(sanitizeFileName('a<b>:"c"|d?*.txt')).toBe('a_b___c__d__.txt');
    expect(sanitizeFileName('  report\t\n final .pdf. ')).toBe('report final .pdf');
    expect(sanitizeFileName('CON.txt')).toBe('_CON.txt');
    expect(sanitizeFileName('...')).toBe('attachment');
    // Decomposed (as macOS writes it) becomes composed.
    expect(sanitizeFileName('Cafe\u0301.pdf')).toBe('Café.pdf');
  });

  it('shortens a long name to 200 characters and keeps its extension', () => {
    const long = sanitizeFileName(`${'长'.repeat(300)}.xlsx`);
    expect([...long]).toHaveLength(200);
    expect(long.endsWith('长.xlsx')).toBe(true);
  });

  it("gives a file the extension of its content when its name says otherwise", () => {
    expect(nameForType('contract.pdf', 'pdf')).toBe('contract.pdf');
    expect(nameForType('photo.JPG', 'heic')).toBe('photo.JPG');
    expect(nameForType('list.txt', 'text')).toBe('list.txt');
    expect(nameForType('list.csv', 'text')).toBe('list.csv');
    expect(nameForType('contract.exe', 'pdf')).toBe('contract.exe.pdf');
    expect(nameForType('Q3 report v1.2', 'pdf')).toBe('Q3 report v1.2.pdf');
    expect(nameForType('notes', 'text')).toBe('notes.txt');
    expect(nameForType('page.html', 'text')).toBe('page.html.txt');
  });
});
