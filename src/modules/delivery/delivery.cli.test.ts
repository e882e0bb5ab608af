import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterAll, describe, expect, it } from 'vitest';
import { hasReferenceData, referenceDataMissing, referencePath } from '../../shared/reference-data.js';
import { run } from './delivery.cli.js';
import { parseShipmentDate, shipmentDateFormatOf } from './shipments.file.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const dir = mkdtempSync(path.join(os.tmpdir(), 'openkam-otif-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, content: string | Buffer) => {
  const p = path.join(dir, name);
  writeFileSync(p, content);
  return p;
};

async function cli(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run('otif', args, { stdout: (s) => out.push(s), stderr: (s) => err.push(s) });
  return { code, out: out.join(''), err: err.join('') };
}
type Group = { key: string | null; lines: number; onTime: number; onTimeShare: number | null; inFull: number | null; otifShare: number | null; unreadable: number };
type Answer = { groups: Group[]; unreadableRows: { line: number; column: string; value: string; reason: string }[]; unreadableRowsTruncated: boolean; notDue: number };
async function otif(...args: string[]): Promise<Answer> {
  const r = await cli(...args);
  expect(r.err).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.out) as Answer;
}
const byKey = (a: Answer) => Object.fromEntries(a.groups.map((g) => [g.key, g]));

describe('dates of a shipment file', () => {
  it('reads dd-MMM-yy as in the SCMS history, in any letter case, and never guesses', () => {
    const f = shipmentDateFormatOf('dd-MMM-yy')!;
    expect(f).toBe('DD-MMM-YY');
    expect(parseShipmentDate('02-Jun-06', f)).toBe('2006-06-02');
    expect(parseShipmentDate('2-JUN-06', f)).toBe('2006-06-02');
    expect(parseShipmentDate('31-Dec-99', f)).toBe('1999-12-31'); // 69–99 are 19xx
    expect(parseShipmentDate('01-Jan-68', f)).toBe('2068-01-01');
    for (const text of ['Date Not Captured', 'Pre-PQ Process', '29-Feb-07', '02-Jun-2006', '2006-06-02', '02-Jux-06', '']) expect(parseShipmentDate(text, f), text).toBeNull();
    expect(parseShipmentDate('02-Jun-2006', 'DD-MMM-YYYY')).toBe('2006-06-02');
    // The sales import's formats come from its parser.
    expect(parseShipmentDate('03/04/2026', shipmentDateFormatOf('dd/mm/yyyy')!)).toBe('2026-04-03');
    expect(parseShipmentDate('03/04/2026', 'MM/DD/YYYY')).toBe('2026-03-04');
    expect(shipmentDateFormatOf('dd.mm.yy')).toBeNull();
  });
});

describe('otif FILE', () => {
  // BOM, CRLF, a quoted field with a comma and a doubled quote, as the SCMS file has them.
  const shipments = file('shipments.csv', '\uFEFF' + [
    'ID,Mode,Promised,Delivered,Ordered,Got,Note',
    '1,Air,2026-03-10,2026-03-10,100,100,"on the day, ""exactly"""',
    '2,Air,2026-03-10,2026-03-12,100,100,late by 2',
    '3,Air,2026-03-10,2026-03-13,100,100,late by 3',
    '4,Truck,2026-03-10,2026-03-08,100,95,2 early and 5 % short',
    '5,Truck,2026-03-10,Date Not Captured,100,100,unreadable date',
    '6,Truck,Pre-PQ Process,2026-03-10,100,100,unreadable promise',
    '7,Truck,2026-03-10,,100,,open and overdue on 20 March',
    '8,Truck,2026-03-25,,100,,open and not yet due',
    '9,Ocean,2026-03-10,2026-03-10,Weight Captured Separately,100,text in a quantity',
    '10,Ocean,2026-03-10,2026-03-10,100,,no delivered quantity',
  ].join('\r\n') + '\r\n');
  const base = [shipments, '--promised', 'Promised', '--delivered', 'Delivered', '--by', 'Mode', '--as-of', '2026-03-20'];

  it('counts on time per group in calendar days within the tolerances, and leaves in full unknown without quantities', async () => {
    const a = await otif(...base, '--early-days', '2', '--late-days', '2');
    expect(a.groups).toEqual([
      // 1 and 2 on time (0 and +2 days), 3 late (+3).
      { key: 'Air', lines: 3, onTime: 2, onTimeShare: 2 / 3, inFull: null, otifShare: null, unreadable: 0 },
      // 9 and 10 on the day; their quantities are not read without --ordered-qty.
      { key: 'Ocean', lines: 2, onTime: 2, onTimeShare: 1, inFull: null, otifShare: null, unreadable: 0 },
      // 4 on time (−2), 7 open past 12 March: a failure; 8 not due; 5 and 6 unreadable.
      { key: 'Truck', lines: 2, onTime: 1, onTimeShare: 0.5, inFull: null, otifShare: null, unreadable: 2 },
    ]);
    expect(a.unreadableRows).toEqual([
      { line: 6, column: 'Delivered', value: 'Date Not Captured', reason: 'not a date in the format YYYY-MM-DD' },
      { line: 7, column: 'Promised', value: 'Pre-PQ Process', reason: 'not a date in the format YYYY-MM-DD' },
    ]);
    expect(a.notDue).toBe(1);
  });

  it('tightens with no tolerance: only deliveries on the promised day are on time', async () => {
    const g = byKey(await otif(...base));
    expect([g.Air!.onTime, g.Truck!.onTime, g.Ocean!.onTime]).toEqual([1, 0, 2]);
  });

  it('computes in full and OTIF with quantity columns; text in a quantity column is unreadable, never 0', async () => {
    const a = await otif(...base, '--ordered-qty', 'Ordered', '--delivered-qty', 'Got', '--early-days', '2', '--late-days', '2', '--in-full-percent', '5');
    expect(a.groups).toEqual([
      // 1 and 2 OTIF; 3 arrived after the window end, so nothing was in full by then.
      { key: 'Air', lines: 3, onTime: 2, onTimeShare: 2 / 3, inFull: 2, otifShare: 2 / 3, unreadable: 0 },
      { key: 'Ocean', lines: 0, onTime: 0, onTimeShare: null, inFull: 0, otifShare: null, unreadable: 2 },
      // 4: 95 of 100 is within 5 %: OTIF; 7 overdue open: neither.
      { key: 'Truck', lines: 2, onTime: 1, onTimeShare: 0.5, inFull: 1, otifShare: 0.5, unreadable: 2 },
    ]);
    expect(a.unreadableRows.filter((r) => r.line >= 10)).toEqual([
      { line: 10, column: 'Ordered', value: 'Weight Captured Separately', reason: 'not a number: not a quantity' },
      { line: 11, column: 'Got', value: '', reason: 'missing quantity for a delivered line' },
    ]);
  });

  it('counts working days with --calendar: a weekend inside the window uses no tolerance', async () => {
    // Friday 13 March promised, Monday 16 March delivered: 3 calendar days, 1 working day.
    const f = file('weekend.csv', 'Promised,Delivered\n2026-03-13,2026-03-16\n');
    const args = [f, '--promised', 'Promised', '--delivered', 'Delivered', '--late-days', '1', '--as-of', '2026-04-01'];
    expect((await otif(...args)).groups).toEqual([{ key: null, lines: 1, onTime: 0, onTimeShare: 0, inFull: null, otifShare: null, unreadable: 0 }]);
    expect((await otif(...args, '--calendar', 'weekdays')).groups[0]!.onTime).toBe(1);
    // National Day 2026 on the China calendar: 30 September → 8 October is 1 working day.
    const h = file('holiday.csv', 'Promised,Delivered\n2026-09-30,2026-10-08\n');
    expect((await otif(h, '--promised', 'Promised', '--delivered', 'Delivered', '--late-days', '1', '--calendar', 'cn')).groups[0]!.onTime).toBe(1);
  });

  it('says "no data" (null) for a file without any line in the rate', async () => {
    const f = file('empty.csv', 'Promised,Delivered\n2026-12-30,\n');
    expect(await otif(f, '--promised', 'Promised', '--delivered', 'Delivered', '--as-of', '2026-03-01'))
      .toEqual({ groups: [{ key: null, lines: 0, onTime: 0, onTimeShare: null, inFull: null, otifShare: null, unreadable: 0 }], unreadableRows: [], unreadableRowsTruncated: false, notDue: 1 });
  });

  it('reads a GB18030 file with Chinese headers', async () => {
    const f = file('gb.csv', iconv.encode('承诺日期,到货日期,承运商\r\n2026-03-10,2026-03-10,顺丰\r\n2026-03-10,2026-03-11,顺丰\r\n', 'gb18030'));
    const a = await otif(f, '--promised', '承诺日期', '--delivered', '到货日期', '--by', '承运商', '--encoding', 'gb18030');
    expect(a.groups).toEqual([{ key: '顺丰', lines: 2, onTime: 1, onTimeShare: 0.5, inFull: null, otifShare: null, unreadable: 0 }]);
  });

  it('reads an XLSX file: date cells as they are, text "dates" and text quantities unreadable', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Shipments');
    ws.addRow(['Carrier', 'Promised', 'Delivered', 'Ordered', 'Got']);
    ws.addRow(['SF', new Date(Date.UTC(2026, 2, 10)), new Date(Date.UTC(2026, 2, 10)), 10, 10]);
    ws.addRow(['SF', new Date(Date.UTC(2026, 2, 10)), new Date(Date.UTC(2026, 2, 11)), 10, 9]);
    ws.addRow(['SF', new Date(Date.UTC(2026, 2, 10)), 'Date Not Captured', 10, 10]);
    ws.addRow(['SF', new Date(Date.UTC(2026, 2, 10)), new Date(Date.UTC(2026, 2, 10)), 10, 'Invoiced Separately']);
    const f = file('shipments.xlsx', Buffer.from(await wb.xlsx.writeBuffer()));
    const a = await otif(f, '--promised', 'Promised', '--delivered', 'Delivered', '--ordered-qty', 'Ordered', '--delivered-qty', 'Got', '--by', 'Carrier', '--late-days', '1', '--in-full-percent', '10');
    // Row 2: on time, in full; row 3: a day late within 1, 9 of 10 within 10 %.
    expect(a.groups).toEqual([{ key: 'SF', lines: 2, onTime: 2, onTimeShare: 1, inFull: 2, otifShare: 1, unreadable: 2 }]);
    expect(a.unreadableRows.map((r) => [r.line, r.column, r.value])).toEqual([[4, 'Delivered', 'Date Not Captured'], [5, 'Got', 'Invoiced Separately']]);
  });

  it('exits 2 with one line naming the option or the column on bad input', async () => {
    const cols = ['--promised', 'Promised', '--delivered', 'Delivered'];
    const cases: [string[], string][] = [
      [cols, 'missing FILE'],
      [[shipments, '--delivered', 'Delivered'], '--promised is required'],
      [[shipments, '--promised', 'Promised'], '--delivered is required'],
      [[shipments, ...cols, '--by', 'Carrier'], '--by: no column "Carrier" in the header ("ID", "Mode", "Promised"'],
      [[shipments, '--promised', 'Due', '--delivered', 'Delivered'], '--promised: no column "Due"'],
      [[shipments, ...cols, '--ordered-qty', 'Ordered'], '--ordered-qty and --delivered-qty go together'],
      [[shipments, ...cols, '--date-format', 'dd.mm.yy'], '--date-format: unknown format "dd.mm.yy"'],
      [[shipments, ...cols, '--late-days', '-1'], '--late-days: "-1" is not a whole number of days'],
      [[shipments, ...cols, '--early-days', '1.5'], '--early-days: "1.5" is not a whole number of days'],
      [[shipments, ...cols, '--in-full-percent', '150'], '--in-full-percent: "150" is not a percentage'],
      [[shipments, ...cols, '--calendar', 'de'], '--calendar: unknown calendar "de" (known: cn, weekdays)'],
      [[shipments, ...cols, '--as-of', '2026-02-30'], '--as-of: "2026-02-30" is not a date'],
      [[shipments, ...cols, '--encoding', 'latin1'], '--encoding: "latin1" is not one of'],
      [[shipments, ...cols, '--colour', 'red'], 'unknown option --colour'],
      [[shipments, ...cols, '--by'], '--by needs a value'],
      [[shipments, ...cols, '--by', 'Mode', '--by', 'ID'], '--by is given twice'],
      [[shipments, 'other.csv', ...cols], 'one FILE at a time'],
      [[path.join(dir, 'absent.csv'), ...cols], 'no such file'],
    ];
    for (const [args, message] of cases) {
      const r = await cli(...args);
      expect(r.code, message).toBe(2);
      expect(r.out, message).toBe('');
      expect(r.err, message).toContain(`otif: ${message}`);
      expect(r.err.trimEnd().split('\n'), message).toHaveLength(1);
    }
  });

  it('says in its help that in full cannot be known without quantity columns', async () => {
    const r = await cli('--help');
    expect(r.code).toBe(0);
    expect(r.out).toContain('inFull and otifShare are null: they cannot be known');
    expect(r.out).toContain('calendar days unless --calendar cn');
  });

  it('runs from the command line: npx tsx src/cli/main.ts otif …', () => {
    const r = spawnSync('npx', ['tsx', 'src/cli/main.ts', 'otif', ...base, '--late-days', '2', '--early-days', '2'], { cwd: root, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect((JSON.parse(r.stdout) as Answer).groups.map((g) => [g.key, g.onTime, g.lines])).toEqual([['Air', 2, 3], ['Ocean', 2, 2], ['Truck', 1, 2]]);
  });
});

const SCMS = referencePath('logistics', 'scms', 'scms_delivery_history_odd_ids.csv');
const scmsArgs = ['--promised', 'Scheduled Delivery Date', '--delivered', 'Delivered to Client Date', '--date-format', 'dd-MMM-yy', '--by', 'Shipment Mode', '--early-days', '2', '--late-days', '2'];

describe.skipIf(!hasReferenceData)('otif on the SCMS delivery history (real file)', () => {
  if (!hasReferenceData) console.warn(referenceDataMissing);

  // The rows picked: for each of Air, Truck, Ocean and Air Charter, the first 9 rows in file order
  // with ID ≥ 80000 (Ocean has only 7 in the file). Days late counted by hand on a calendar
  // (delivered − scheduled); on time with 2 days either way: −2 ≤ days ≤ 2.
  // [physical line, ID, mode, scheduled, delivered, days late, on time]
  const picked: [number, string, string, string, string, number, boolean][] = [
    [3238, '80005', 'Air', '14-Apr-15', '14-Apr-15', 0, true],
    [3240, '80105', 'Air', '17-Jan-14', '17-Jan-14', 0, true],
    [3241, '80141', 'Air', '21-Oct-09', '21-Oct-09', 0, true],
    [3242, '80167', 'Air', '09-Oct-12', '09-Oct-12', 0, true],
    [3244, '80217', 'Air', '14-Jul-10', '14-Jul-10', 0, true],
    [3246, '80299', 'Air', '22-Mar-12', '22-Mar-12', 0, true],
    [3247, '80329', 'Air', '07-Dec-12', '07-Dec-12', 0, true],
    [3248, '80343', 'Air', '20-Sep-13', '20-Sep-13', 0, true],
    [3249, '80363', 'Air', '27-Feb-14', '27-Feb-14', 0, true],
    [3239, '80019', 'Truck', '11-Jun-10', '11-Jun-10', 0, true],
    [3245, '80275', 'Truck', '24-Aug-09', '24-Aug-09', 0, true],
    [3252, '80473', 'Truck', '05-Feb-14', '05-Feb-14', 0, true],
    [3259, '80925', 'Truck', '24-Aug-15', '24-Aug-15', 0, true],
    [3260, '81011', 'Truck', '17-Feb-14', '17-Feb-14', 0, true],
    [3262, '81061', 'Truck', '03-Oct-14', '03-Oct-14', 0, true],
    [3267, '81253', 'Truck', '24-Jul-15', '24-Jul-15', 0, true],
    [3269, '81361', 'Truck', '12-Aug-09', '14-Aug-09', 2, true], // the late edge
    [3279, '81581', 'Truck', '16-Apr-13', '16-Apr-13', 0, true],
    [3243, '80175', 'Ocean', '20-Dec-12', '20-Dec-12', 0, true],
    [3257, '80767', 'Ocean', '23-Feb-11', '11-Mar-11', 16, false], // 5 days of February + 11 of March
    [3271, '81421', 'Ocean', '09-Feb-11', '09-Feb-11', 0, true],
    [3272, '81477', 'Ocean', '03-Dec-10', '03-Dec-10', 0, true],
    [3276, '81521', 'Ocean', '09-Feb-11', '14-Mar-11', 33, false], // 19 + 14
    [3296, '82005', 'Ocean', '04-Mar-11', '04-Mar-11', 0, true],
    [3625, '83015', 'Ocean', '30-Mar-12', '27-Feb-12', -32, false], // 2 (28, 29 Feb, leap year) + 30
    [3250, '80399', 'Air Charter', '23-Jul-14', '23-Jul-14', 0, true],
    [3301, '82125', 'Air Charter', '17-Sep-14', '17-Sep-14', 0, true],
    [3320, '82301', 'Air Charter', '19-Apr-10', '31-Mar-10', -19, false], // 1 of March + 18 of April
    [3321, '82303', 'Air Charter', '19-Apr-10', '31-Mar-10', -19, false],
    [3322, '82305', 'Air Charter', '19-Apr-10', '31-Mar-10', -19, false],
    [3323, '82307', 'Air Charter', '19-Apr-10', '31-Mar-10', -19, false],
    [3324, '82309', 'Air Charter', '19-Apr-10', '31-Mar-10', -19, false],
    [3327, '82317', 'Air Charter', '31-May-10', '18-May-10', -13, false],
    [3330, '82323', 'Air Charter', '30-Jun-10', '28-Jun-10', -2, true], // the early edge
  ];
  const raw = hasReferenceData ? readFileSync(SCMS, 'utf8') : '';
  const physical = raw.split('\r\n');

  it('the picked rows are those of the file', () => {
    for (const [line, id, mode, scheduled, delivered] of picked) {
      const text = physical[line - 1]!;
      expect(text.startsWith(`${id},`), `line ${line}`).toBe(true);
      expect(text, `line ${line}`).toContain(`,${mode},`);
      expect(text, `line ${line}`).toContain(`,${scheduled},${delivered},`);
    }
  });

  it('gives the on-time shares by mode computed by hand for the picked rows', async () => {
    // The header (with the BOM) and the picked lines as they are in the file, CRLF.
    const subset = file('scms-picked.csv', `${[physical[0], ...picked.map(([line]) => physical[line - 1])].join('\r\n')}\r\n`);
    const a = await otif(subset, ...scmsArgs);
    // By hand from the table: Air 9 of 9, Truck 9 of 9, Ocean 4 of 7, Air Charter 3 of 9.
    expect(a.groups.map((g) => [g.key, g.lines, g.onTime, g.onTimeShare])).toEqual([
      ['Air', 9, 9, 1], ['Air Charter', 9, 3, 3 / 9], ['Ocean', 7, 4, 4 / 7], ['Truck', 9, 9, 1],
    ]);
    for (const [mode, n, on] of [['Air', 9, 9], ['Air Charter', 9, 3], ['Ocean', 7, 4], ['Truck', 9, 9]] as const) {
      const rows = picked.filter((p) => p[2] === mode);
      expect([rows.length, rows.filter((p) => p[6]).length], mode).toEqual([n, on]);
      for (const p of rows) expect(p[6], `ID ${p[1]}`).toBe(p[5] >= -2 && p[5] <= 2);
    }
  });

  // A deliberately simple reading, not the code under test: split CRLF lines, split fields on
  // commas outside quotes, dates by a month table.
  const fields = (line: string): string[] => {
    const out: string[] = [];
    let cur = '';
    let quoted = false;
    for (const ch of line) {
      if (ch === '"') quoted = !quoted;
      else if (ch === ',' && !quoted) { out.push(cur); cur = ''; } else cur += ch;
    }
    out.push(cur);
    return out;
  };
  const rows = physical.slice(1).filter((l) => l !== '').map(fields);
  const header = hasReferenceData ? fields(physical[0]!.replace(/^\uFEFF/, '')) : [];

  it('gives the counts of the whole file that a simple parse of it gives', async () => {
    const month = { Jan: 0, Feb: 1, Mar: 2, Apr: 3, May: 4, Jun: 5, Jul: 6, Aug: 7, Sep: 8, Oct: 9, Nov: 10, Dec: 11 } as Record<string, number>;
    const day = (s: string) => { const [d, m, y] = s.split('-'); return Date.UTC(2000 + Number(y), month[m!]!, Number(d)) / 86_400_000; };
    const [iMode, iS, iD] = ['Shipment Mode', 'Scheduled Delivery Date', 'Delivered to Client Date'].map((h) => header.indexOf(h));
    const expected: Record<string, { lines: number; onTime: number }> = {};
    for (const f of rows) {
      const g = (expected[f[iMode!]!] ??= { lines: 0, onTime: 0 });
      g.lines++;
      const late = day(f[iD!]!) - day(f[iS!]!);
      if (late >= -2 && late <= 2) g.onTime++;
    }
    expect(Object.values(expected).reduce((s, g) => s + g.lines, 0)).toBe(5188);
    const a = await otif(SCMS, ...scmsArgs);
    expect(Object.fromEntries(a.groups.map((g) => [g.key, { lines: g.lines, onTime: g.onTime }]))).toEqual(expected);
    expect(a.groups.every((g) => g.unreadable === 0 && g.inFull === null)).toBe(true);
    expect(a.unreadableRows).toEqual([]);
  });

  it('lists the file\'s text "dates" as unreadable when asked to read such a column', async () => {
    // "PO Sent to Vendor Date" holds "Date Not Captured" on many rows (README).
    const a = await otif(SCMS, ...scmsArgs.map((x) => (x === 'Delivered to Client Date' ? 'PO Sent to Vendor Date' : x)));
    // It also holds dates in other shapes (8/27/14, 2008-11-14): unreadable in dd-MMM-yy as well.
    const iPo = header.indexOf('PO Sent to Vendor Date');
    const notCaptured = rows.filter((f) => f[iPo] === 'Date Not Captured').length;
    const otherShape = rows.filter((f) => !/^\d{2}-[A-Z][a-z]{2}-\d{2}$/.test(f[iPo]!)).length;
    expect(notCaptured).toBe(172);
    expect(a.groups.reduce((s, g) => s + g.unreadable, 0)).toBe(otherShape);
    expect(a.unreadableRows).toHaveLength(Math.min(otherShape, 1000));
    expect(a.unreadableRowsTruncated).toBe(otherShape > 1000);
    expect(a.unreadableRows.every((r) => r.column === 'PO Sent to Vendor Date' && r.reason === 'not a date in the format DD-MMM-YY')).toBe(true);
    // Listed in file order with the line number and raw value as the file has them (line 1 is the header).
    const expectedList = rows.map((f, i) => ({ line: i + 2, value: f[iPo]! })).filter((r) => !/^\d{2}-[A-Z][a-z]{2}-\d{2}$/.test(r.value)).slice(0, 1000);
    expect(a.unreadableRows.map((r) => ({ line: r.line, value: r.value }))).toEqual(expectedList);
  });
});
