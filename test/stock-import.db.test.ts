import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitForJob } from '../src/modules/sales/sales.jobs.js';
import { buildTestApp, type Client, type TestApp } from './build-test-app.js';
import { describeEachDialect } from './dialects.js';
import { headerRow, workbookParts, zip } from './xlsx-files.js';

/**
 * Stock report files (decision 031). The clock stands at 2026-11-26 (Shanghai). The world: ACC1
 * (m1's, the dealer's company), ACC2 (m2's, m1 on its team), ACC3 (m3's), ACC4; one catalogue
 * product, PO425-B50.
 */
type Job = { id: string; status: string; processedLines: number; inserted: number; updated: number; unchanged: number; errorCount: number; errorRows: number; errorsUrl: string | null; message: string | null };
type Upload = { job: Job; headers: string[]; fields: { key: string; required: boolean }[]; suggestedMapping: Record<string, string> };

const staffBase = '/api/v1/stock/imports';
const portalBase = '/api/v1/portal/stock-imports';

async function upload(c: Client, body: string | Buffer, base = staffBase, type = 'text/csv'): Promise<Upload> {
  const res = await c.request({ method: 'POST', url: `${base}?fileName=stock.csv`, payload: body, headers: { 'content-type': type } });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as Upload;
}

async function importFile(c: Client, body: string | Buffer, start: Record<string, unknown>, base = staffBase, type = 'text/csv'): Promise<Job> {
  const up = await upload(c, body, base, type);
  const res = await c.post(`${base}/${up.job.id}/start`, start);
  expect(res.statusCode, res.body).toBe(202);
  await waitForJob(up.job.id);
  return (await c.get(`${base}/${up.job.id}`)).json() as Job;
}

const errorLines = async (c: Client, job: Job) => (await c.get(job.errorsUrl!)).body.replace(/^\uFEFF/, '').trim().split(/\r?\n/).slice(1);

// The header a dealer's own spreadsheet might have: Chinese column names, the suggested mapping takes them.
const zhHeader = '经销商编码,SKU,品名,日期,库存,销量,单位';
const zhMapping = { accountCode: '经销商编码', sku: 'SKU', item: '品名', reportDate: '日期', onHand: '库存', soldSinceLast: '销量', unit: '单位' };

describeEachDialect('stock: report file import', (dialect) => {
  let t: TestApp;
  let logistics: Client, m1: Client, dealer: Client, exec: Client, admin: Client;
  const reportsOf = (accountId: string) => t.db.kysely.selectFrom('dealer_stock_reports').selectAll().where('account_id', '=', accountId).orderBy('report_date').orderBy('item').execute();

  beforeAll(async () => {
    t = await buildTestApp(dialect);
    [logistics, m1, dealer, exec, admin] = await Promise.all(['logistics', 'm1', 'dealer', 'exec', 'admin'].map((k) => t.login(k))) as [Client, Client, Client, Client, Client];
  });
  afterAll(async () => t?.close());

  it('suggests the mapping from the header, and the preview says per row what it would do or what is wrong, by line', async () => {
    const csv = [zhHeader,
      'ACC1,PO425-B50,,2026-11-20,0,12,bag',
      'ACC1,,Washed sand,2026-11-20,"1,200",,t',
      'ACC1,NO-SUCH,,2026-11-20,5,,bag',
      'ACC3,PO425-B50,,2026-11-20,5,,bag',
      'ACC1,PO425-B50,,2026-11-27,5,,bag',
      'ACC1,PO425-B50,,20/11/2026,five,-3,bag',
      'ACC1,PO425-B50,,2026-11-20,3,,bag',
    ].join('\n');
    const up = await upload(m1, csv);
    expect(up.suggestedMapping).toEqual(zhMapping);
    expect(up.fields.filter((f) => f.required).map((f) => f.key)).toEqual(['accountCode', 'reportDate', 'onHand']);
    const res = await m1.post(`${staffBase}/${up.job.id}/preview`, { mapping: up.suggestedMapping });
    expect(res.statusCode, res.body).toBe(200);
    const rows = res.json().rows as { line: number; outcome: string | null; errors: { column: string; value: string; reason: string }[] }[];
    expect(rows.map((r) => [r.line, r.outcome, r.errors.map((e) => `${e.column}=${e.value}: ${e.reason}`)])).toEqual([
      [2, 'inserted', []],
      [3, 'inserted', []],
      [4, null, ['SKU=NO-SUCH: no product with this SKU (put it in the item column if it is not in the catalogue)']],
      // ACC3 is m3's: m1 may not import for it.
      [5, null, ['经销商编码=ACC3: no dealer with this code that you may import stock for']],
      [6, null, ['日期=2026-11-27: after today (2026-11-26)']],
      [7, null, ['日期=20/11/2026: not a date in the format YYYY-MM-DD', '库存=five: not a number: not a quantity', '销量=-3: not a whole number ≥ 0']],
      [8, null, ['日期=2026-11-20: the same dealer, product and date as line 2 of this file']],
    ]);
    expect(await reportsOf(t.world.accounts.acc1)).toHaveLength(0);
  });

  it('a file with bad rows: the error file names each bad line, and nothing is written', async () => {
    const csv = [zhHeader,
      'ACC1,PO425-B50,,2026-11-20,0,12,bag',
      'ACC9,PO425-B50,,2026-11-20,5,,bag',
      'ACC2,,,2026-11-20,5,,bag',
      'ACC1,PO425-B50,,2026-11-20,7,,bag',
    ].join('\n');
    const job = await importFile(logistics, csv, { mapping: zhMapping });
    expect(job).toMatchObject({ status: 'failed', processedLines: 4, errorRows: 3, inserted: 0 });
    expect(await errorLines(logistics, job)).toEqual([
      '3,经销商编码,ACC9,no dealer with this code that you may import stock for',
      '4,SKU,,missing product: give its SKU or the item as text',
      '5,日期,2026-11-20,"the same dealer, product and date as line 2 of this file"',
    ]);
    expect(await t.db.kysely.selectFrom('dealer_stock_reports').select('id').execute()).toHaveLength(0);
  });

  it('refuses a mapping without a product column or with a column the file lacks, before reading any row', async () => {
    const up = await upload(logistics, `${zhHeader}\nACC1,PO425-B50,,2026-11-20,0,,bag`);
    const res = await logistics.post(`${staffBase}/${up.job.id}/preview`, { mapping: { accountCode: '经销商编码', reportDate: '日期', onHand: 'Stock' } });
    expect(res.json().headerErrors.map((e: { reason: string }) => e.reason)).toEqual(['no column "Stock" in the header', 'map the product: a SKU column, an item column, or both']);
    expect(res.json().rows).toEqual([]);
  });

  describe('a good file', () => {
    const csv = [zhHeader,
      'ACC1,PO425-B50,,2026-11-12,120,,bag',
      'ACC1,PO425-B50,,2026-11-19,0,120,bag',
      'ACC1,,Washed sand,2026-11-20,0,,t',
      'ACC2,PO425-B50,,2026-11-20,"1,500",30,bag',
      '',
    ].join('\r\n');
    const corrected = csv.replace('ACC1,PO425-B50,,2026-11-19,0,120,bag', 'ACC1,PO425-B50,,2026-11-19,8,120,bag');

    it('imports every row, and the stock-outs read them', async () => {
      const job = await importFile(m1, csv, { mapping: zhMapping });
      expect(job).toMatchObject({ status: 'succeeded', processedLines: 4, inserted: 4, updated: 0, unchanged: 0, errorRows: 0 });
      const stored = await reportsOf(t.world.accounts.acc1);
      expect(stored.map((r) => [r.report_date, r.product_id, r.item, Number(r.on_hand), r.sold_since_last === null ? null : Number(r.sold_since_last), r.unit, r.source, r.import_job_id]))
        .toEqual([
          ['2026-11-12', t.world.product, null, 120, null, 'bag', 'import', job.id],
          ['2026-11-19', t.world.product, null, 0, 120, 'bag', 'import', job.id],
          ['2026-11-20', null, 'Washed sand', 0, null, 't', 'import', job.id],
        ]);
      expect(Number((await reportsOf(t.world.accounts.acc2))[0]!.on_hand)).toBe(1500);
      const stock = (await m1.get(`/api/v1/accounts/${t.world.accounts.acc1}/stock`)).json();
      expect(stock.latest.map((l: { sku: string | null; item: string | null; outSince: string | null }) => [l.sku ?? l.item, l.outSince])).toEqual([['PO425-B50', '2026-11-19'], ['Washed sand', '2026-11-20']]);
      const audit = await t.db.kysely.selectFrom('audit_log').select(['action', 'account_id']).where('action', '=', 'stock.import').execute();
      expect(audit.map((a) => a.account_id ?? 'import').sort()).toEqual([t.world.accounts.acc1, t.world.accounts.acc2, 'import'].sort());
    });

    it('the same file again changes nothing; a corrected row updates its report and no other', async () => {
      const before = await reportsOf(t.world.accounts.acc1);
      const again = await importFile(logistics, csv, { mapping: zhMapping });
      expect(again).toMatchObject({ status: 'succeeded', inserted: 0, updated: 0, unchanged: 4 });
      expect(await reportsOf(t.world.accounts.acc1)).toEqual(before);

      const job = await importFile(logistics, corrected, { mapping: zhMapping });
      expect(job).toMatchObject({ status: 'succeeded', inserted: 0, updated: 1, unchanged: 3 });
      const after = await reportsOf(t.world.accounts.acc1);
      expect(after.map((r) => [r.report_date, Number(r.on_hand), r.version])).toEqual([['2026-11-12', 120, 1], ['2026-11-19', 8, 2], ['2026-11-20', 0, 1]]);
    });

    it('a dry run counts what the file would do and writes nothing', async () => {
      const changed = corrected.replace('ACC1,,Washed sand,2026-11-20,0,,t', 'ACC1,,Washed sand,2026-11-20,4,,t');
      const job = await importFile(logistics, changed, { mapping: zhMapping, dryRun: true });
      expect(job).toMatchObject({ status: 'succeeded', updated: 1, unchanged: 3, message: 'Dry run: nothing was written' });
      expect(Number((await reportsOf(t.world.accounts.acc1)).find((r) => r.item === 'Washed sand')!.on_hand)).toBe(0);
    });
  });

  it('reads an XLSX file: numbers as numbers, the header by the mapping', async () => {
    const strings = ['Dealer', 'SKU', 'Date', 'On hand', 'ACC4', 'PO425-B50', '2026-11-02'];
    const sst = strings.map((s) => `<si><t>${s}</t></si>`).join('');
    const row2 = '<row r="2"><c r="A2" t="s"><v>4</v></c><c r="B2" t="s"><v>5</v></c><c r="C2" t="s"><v>6</v></c><c r="D2"><v>42</v></c></row>';
    const xlsx = zip(workbookParts(sst, headerRow(4) + row2));
    const job = await importFile(admin, xlsx, { mapping: { accountCode: 'Dealer', sku: 'SKU', reportDate: 'Date', onHand: 'On hand' } }, staffBase,
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(job).toMatchObject({ status: 'succeeded', inserted: 1 });
    expect((await reportsOf(t.world.accounts.acc4)).map((r) => [r.report_date, Number(r.on_hand)])).toEqual([['2026-11-02', 42]]);
  });

  describe('the dealer\'s own file, in the portal', () => {
    it('needs no dealer column: every row is its own company\'s, and corrects what it reported in the form', async () => {
      const form = await dealer.post('/api/v1/portal/stock-reports', { reports: [{ sku: 'PO425-B50', reportDate: '2026-11-25', onHand: 3, unit: 'bag' }] });
      expect(form.statusCode, form.body).toBe(200);
      const up = await upload(dealer, 'SKU,日期,库存\nPO425-B50,2026-11-25,30\nPO425-B50,2026-11-26,0\n', portalBase);
      expect(up.fields.find((f) => f.key === 'accountCode')).toEqual({ key: 'accountCode', required: false });
      const preview = (await dealer.post(`${portalBase}/${up.job.id}/preview`, { mapping: up.suggestedMapping })).json();
      expect(preview.rows.map((r: { outcome: string }) => r.outcome)).toEqual(['updated', 'inserted']);
      const started = await dealer.post(`${portalBase}/${up.job.id}/start`, { mapping: up.suggestedMapping });
      expect(started.statusCode, started.body).toBe(202);
      await waitForJob(up.job.id);
      expect((await dealer.get(`${portalBase}/${up.job.id}`)).json()).toMatchObject({ status: 'succeeded', inserted: 1, updated: 1 });
      const mine = (await reportsOf(t.world.accounts.acc1)).filter((r) => r.report_date >= '2026-11-25');
      expect(mine.map((r) => [r.report_date, Number(r.on_hand), r.source, r.created_by])).toEqual([
        ['2026-11-25', 30, 'portal', t.world.users.dealer], ['2026-11-26', 0, 'portal', t.world.users.dealer],
      ]);
    });

    it('refuses rows for another dealer: the error file names them, and nothing is written', async () => {
      const before = await t.db.kysely.selectFrom('dealer_stock_reports').select('id').execute();
      const job = await importFile(dealer, 'Dealer,SKU,Date,On hand\nACC1,PO425-B50,2026-11-24,9\nACC2,PO425-B50,2026-11-24,9\nACC3,PO425-B50,2026-11-24,9\n',
        { mapping: { accountCode: 'Dealer', sku: 'SKU', reportDate: 'Date', onHand: 'On hand' } }, portalBase);
      expect(job).toMatchObject({ status: 'failed', errorRows: 2, inserted: 0 });
      expect(job.errorsUrl).toBe(`${portalBase}/${job.id}/errors`);
      expect(await errorLines(dealer, job)).toEqual([
        '3,Dealer,ACC2,a row for another dealer: you may report only your own company\'s stock',
        '4,Dealer,ACC3,a row for another dealer: you may report only your own company\'s stock',
      ]);
      expect(await t.db.kysely.selectFrom('dealer_stock_reports').select('id').execute()).toHaveLength(before.length);
    });

    it('sees only its own imports, and staff do not see the dealer\'s', async () => {
      const own = (await dealer.get(portalBase)).json().items as Job[];
      expect(own.length).toBe(2);
      expect((await logistics.get(`${staffBase}/${own[0]!.id}`)).statusCode).toBe(404);
      const staffJob = ((await logistics.get(staffBase)).json().items as Job[])[0]!;
      expect((await dealer.get(`${portalBase}/${staffJob.id}`)).statusCode).toBe(404);
    });
  });

  it('who may import: staff who import (a manager for their own accounts), the dealer in the portal only, an executive not at all', async () => {
    const csv = 'Dealer,SKU,Date,On hand\nACC1,PO425-B50,2026-11-01,9\n';
    const answers: Record<string, [number, number]> = {};
    for (const [who, c] of Object.entries({ logistics, m1, dealer, exec, admin })) {
      const staff = await c.request({ method: 'POST', url: staffBase, payload: csv, headers: { 'content-type': 'text/csv' } });
      const portal = await c.request({ method: 'POST', url: portalBase, payload: csv, headers: { 'content-type': 'text/csv' } });
      answers[who] = [staff.statusCode, portal.statusCode];
    }
    expect(answers).toEqual({ logistics: [201, 403], m1: [201, 403], dealer: [403, 201], exec: [403, 403], admin: [201, 403] });
  });
});
