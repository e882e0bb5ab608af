import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { zip, type ZipEntry } from '../../../test/xlsx-files.js';
import { loadConfig } from '../../server/config.js';
import type { Row } from './sales.reader.js';
import { readXlsx } from './sales.xlsx.js';

const limits = loadConfig({}).fileReading.limits;
const dir = mkdtempSync(path.join(os.tmpdir(), 'openkam-xlsx-'));
let n = 0;
const write = (bytes: Buffer) => { const f = path.join(dir, `${n++}.xlsx`); writeFileSync(f, bytes); return f; };
const rowsOf = async (file: string) => { const out: Row[] = []; for await (const b of readXlsx(file, limits)) out.push(...b); return out; };

describe('the XLSX reader', () => {
  it('reads what Excel writes: shared and rich-text strings, numbers, dates, booleans, formula results, gaps as empty cells', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('销售');
    wb.addWorksheet('Other').addRow(['not', 'this', 'sheet']);
    ws.addRow(['日期', 'Customer', 'Qty', 'Flag', 'Total']);
    ws.addRow([new Date(Date.UTC(2026, 6, 14)), { richText: [{ text: '台州' }, { font: { bold: true }, text: '建材' }] }, 3.5, true, { formula: 'C2*2', result: 7 }]);
    ws.getCell('A3').value = 'x';
    ws.getCell('E3').value = -12.25;
    ws.addRow([]);
    ws.getCell('B5').value = { formula: 'B2', result: 'text result' } as ExcelJS.CellFormulaValue;
    const rows = await rowsOf(write(Buffer.from(await wb.xlsx.writeBuffer())));
    expect(rows).toEqual([
      { line: 1, cells: ['日期', 'Customer', 'Qty', 'Flag', 'Total'] },
      { line: 2, cells: [new Date(Date.UTC(2026, 6, 14)), '台州建材', 3.5, true, 7] },
      { line: 3, cells: ['x', null, null, null, -12.25] },
      { line: 5, cells: [null, 'text result'] },
    ]);
  });

  it('reads the first sheet of the workbook, whatever the order of the parts in the zip, and inline strings', async () => {
    const ns = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
    const rel = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
    const pkg = 'http://schemas.openxmlformats.org/package/2006/relationships';
    const sheet = (v: string) => `<worksheet xmlns="${ns}"><sheetData><row r="1"><c r="B1" t="inlineStr"><is><t xml:space="preserve"> ${v} </t><rPh><t>ignored</t></rPh></is></c><c r="C1" t="s"><v>0</v></c></row></sheetData></worksheet>`;
    const parts: ZipEntry[] = [
      { name: 'xl/worksheets/sheet1.xml', data: sheet('second') },
      { name: 'xl/worksheets/sheet2.xml', data: sheet('first') },
      { name: 'xl/sharedStrings.xml', data: `<sst xmlns="${ns}"><si><r><t>a&amp;</t></r><r><t>b</t></r></si></sst>` },
      { name: 'xl/workbook.xml', data: `<workbook xmlns="${ns}" xmlns:r="${rel}"><sheets><sheet name="First" sheetId="2" r:id="rId9"/><sheet name="Second" sheetId="1" r:id="rId1"/></sheets></workbook>` },
      { name: 'xl/_rels/workbook.xml.rels', data: `<Relationships xmlns="${pkg}"><Relationship Id="rId1" Type="${rel}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId9" Type="${rel}/worksheet" Target="/xl/worksheets/sheet2.xml"/></Relationships>` },
      { name: '_rels/.rels', data: `<Relationships xmlns="${pkg}"><Relationship Id="rId1" Type="${rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>` },
    ];
    expect(await rowsOf(write(zip(parts)))).toEqual([{ line: 1, cells: [null, ' first ', 'a&b'] }]);
  });

  it('refuses a file that is not a zip, and a zip without a workbook', async () => {
    await expect(rowsOf(write(Buffer.from('PK\x03\x04 not really a zip')))).rejects.toMatchObject({ code: 'file_malformed' });
    await expect(rowsOf(write(zip([{ name: 'readme.txt', data: 'hello' }])))).rejects.toMatchObject({ code: 'file_malformed', message: expect.stringMatching(/without a workbook/) });
  });
});
