import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { waitForJob } from '../src/modules/sales/sales.jobs.js';
import { runImport } from '../src/modules/sales/sales.import.js';
import { loadConfig } from '../src/server/config.js';
import { buildTestApp, type Client, type TestApp } from './build-test-app.js';
import { describeEachDialect } from './dialects.js';
import { errorsOf, expectRollupsExact, importFile, upload } from './sales-helpers.js';
import { snapshot } from './snapshot.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/sales/${name}`, import.meta.url));

describeEachDialect('sales import', (dialect) => {
  let t: TestApp;
  let admin: Client;
  beforeAll(async () => {
    t = await buildTestApp(dialect);
    admin = await t.login('admin');
  });
  afterAll(async () => t?.close());

  it('reports every bad line with its line number and reason, and writes nothing', async () => {
    const before = await snapshot(t.db);
    const job = await importFile(admin, 'sales', fixture('bad-lines.csv'));
    expect(job).toMatchObject({ status: 'failed', inserted: 0, updated: 0, errorCount: 8, skipped: 2, processedLines: 9 });
    expect(await errorsOf(admin, job)).toEqual([
      ['3', 'date', '2026-13-01', 'not a valid date in the format YYYY-MM-DD'],
      ['4', 'account', 'NOPE', 'unknown account code'],
      ['5', 'sku', 'NOSKU', 'unknown SKU'],
      ['6', 'quantity', 'abc', 'not a number'],
      ['6', 'net amount', '12.345', 'more than 2 decimal places for CNY'],
      ['8', 'net amount', '', 'missing value'],
      ['9', 'document', 'INV-1 / 1', 'duplicate document and line number in this file (first at line 2)'],
      ['10', 'currency', 'XYZ', 'unknown currency'],
    ]);
    expect(await snapshot(t.db)).toBe(before);
  });

  it('checks dates in the chosen format only', async () => {
    const csv = 'date,account,sku,quantity,net amount,currency,document,line\n31/01/2026,ACC1,PO425-B50,1,1.00,CNY,D-1,1\n31/02/2026,ACC1,PO425-B50,1,1.00,CNY,D-1,2\n2026-01-31,ACC1,PO425-B50,1,1.00,CNY,D-1,3\n';
    const job = await importFile(admin, 'sales', csv, { options: { dateFormat: 'DD/MM/YYYY' } });
    expect(job.status).toBe('failed');
    expect(await errorsOf(admin, job)).toEqual([
      ['3', 'date', '31/02/2026', 'not a valid date in the format DD/MM/YYYY'],
      ['4', 'date', '2026-01-31', 'not a valid date in the format DD/MM/YYYY'],
    ]);
  });

  it('refuses a file without a required column, naming it', async () => {
    const before = await snapshot(t.db);
    const job = await importFile(admin, 'sales', 'date,account,sku,quantity,net amount,currency,line\n2026-10-01,ACC1,PO425-B50,1,1.00,CNY,1\n');
    expect(job.status).toBe('failed');
    expect(await errorsOf(admin, job)).toEqual([['1', 'docNo', '', 'required column docNo is not mapped']]);
    const mapped = await importFile(admin, 'sales', 'date,account,sku,quantity,net amount,currency,line\n2026-10-01,ACC1,PO425-B50,1,1.00,CNY,1\n',
      { mapping: { date: 'date', accountCode: 'account', sku: 'sku', quantity: 'quantity', netAmount: 'net amount', currency: 'currency', lineNo: 'line', docNo: 'Beleg' } });
    expect(await errorsOf(admin, mapped)).toEqual([['1', 'Beleg', '', 'required column is missing']]);
    expect(await snapshot(t.db)).toBe(before);
  });

  it('previews the first rows with their problems, writing nothing', async () => {
    const up = await upload(admin, 'sales', fixture('bad-lines.csv'));
    expect(up.headers).toEqual(['date', 'account', 'sku', 'quantity', 'net amount', 'currency', 'document', 'line', 'cost']);
    expect(up.suggestedMapping).toMatchObject({ date: 'date', accountCode: 'account', docNo: 'document', lineNo: 'line', costAmount: 'cost' });
    const res = await admin.post(`/api/v1/imports/${up.job.id}/preview`, { rows: 3 });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().rows).toEqual([
      { line: 2, values: expect.objectContaining({ netAmount: '1,234.50' }), errors: [] },
      { line: 3, values: expect.objectContaining({ date: '2026-13-01' }), errors: [{ column: 'date', value: '2026-13-01', reason: 'not a valid date in the format YYYY-MM-DD' }] },
      { line: 4, values: expect.objectContaining({ accountCode: 'NOPE' }), errors: [{ column: 'account', value: 'NOPE', reason: 'unknown account code' }] },
    ]);
  });

  it('a dry run counts what would change and writes nothing', async () => {
    const before = await snapshot(t.db);
    const job = await importFile(admin, 'sales', fixture('good.csv'), { dryRun: true });
    expect(job).toMatchObject({ status: 'succeeded', inserted: 5, updated: 0, unchanged: 0 });
    expect(await snapshot(t.db)).toBe(before);
  });

  it('imports, then re-importing the same file changes nothing, and a corrected file updates only the changed lines', async () => {
    const first = await importFile(admin, 'sales', fixture('good.csv'));
    expect(first).toMatchObject({ status: 'succeeded', inserted: 5, updated: 0, unchanged: 0, errorCount: 0 });
    const line = await t.db.kysely.selectFrom('sales_lines').selectAll().where('doc_no', '=', 'INV-1').where('line_no', '=', 1).executeTakeFirstOrThrow();
    expect(line).toMatchObject({ date: '2026-09-01', quantity: 10, net_amount_minor: 123450, cost_amount_minor: 100000, currency: 'CNY' });
    // The import's own entry, and one per account whose lines it created (on that account's history).
    const audits = await t.db.kysely.selectFrom('audit_log').selectAll().where('entity', '=', 'import_job').execute();
    const { acc1, acc2, acc3 } = t.world.accounts;
    expect(audits.map((a) => `${a.entity_id} ${a.account_id ?? '-'}`).sort()).toEqual([`${first.id} -`, `${first.id} ${acc1}`, `${first.id} ${acc2}`, `${first.id} ${acc3}`].sort());
    expect(JSON.parse(audits.find((a) => a.account_id === null)!.after_json!)).toMatchObject({ kind: 'sales', file: 'file.csv', inserted: 5 });
    await expectRollupsExact(t.db);

    const snap = await snapshot(t.db);
    const again = await importFile(admin, 'sales', fixture('good.csv'));
    expect(again).toMatchObject({ status: 'succeeded', inserted: 0, updated: 0, unchanged: 5 });
    const lines = await t.db.kysely.selectFrom('sales_lines').selectAll().execute();
    expect(JSON.stringify(lines.sort((a, b) => a.id - b.id))).toBe(JSON.stringify(JSON.parse(snap).sales_lines.map((s: string) => JSON.parse(s)).sort((a: { id: number }, b: { id: number }) => a.id - b.id)));

    t.clock.advance(60_000);
    const corrected = fixture('good.csv').toString().replace('2026-10-20,ACC3,PO425-B50,1,50.00', '2026-11-20,ACC3,PO425-B50,2,100.00')
      + '2026-11-03,ACC1,PO425-B50,1,1.00,CNY,INV-5,1,\n';
    const third = await importFile(admin, 'sales', corrected);
    expect(third).toMatchObject({ status: 'succeeded', inserted: 1, updated: 1, unchanged: 4 });
    const changed = await t.db.kysely.selectFrom('sales_lines').selectAll().where('updated_at', '>', '2026-11-26T08:00:30.000Z').execute();
    expect(changed.map((l) => `${l.doc_no}/${l.line_no}`).sort()).toEqual(['INV-3/1', 'INV-5/1']);
    await expectRollupsExact(t.db);
  });

  it('keeps the rollups equal to a from-scratch aggregation after edits, deletions and a product changing category', async () => {
    const line = await t.db.kysely.selectFrom('sales_lines').selectAll().where('doc_no', '=', 'INV-2').executeTakeFirstOrThrow();
    const got = await admin.get(`/api/v1/sales-lines/${line.id}`);
    const res = await admin.patch(`/api/v1/sales-lines/${line.id}`, { date: '2026-08-31', netAmountMinor: 1, costAmountMinor: null }, { 'if-match': got.headers.etag as string });
    expect(res.statusCode, res.body).toBe(200);
    expect((await admin.patch(`/api/v1/sales-lines/${line.id}`, { quantity: 3 }, { 'if-match': got.headers.etag as string })).statusCode).toBe(412);
    await expectRollupsExact(t.db);
    const del = await t.db.kysely.selectFrom('sales_lines').select('id').where('doc_no', '=', 'INV-4').executeTakeFirstOrThrow();
    expect((await admin.del(`/api/v1/sales-lines/${del.id}`)).statusCode).toBe(204);
    await expectRollupsExact(t.db);
    const products = await importFile(admin, 'products', 'sku,name zh,name en,unit,pack size,category\nPO425-B50,水泥,Cement,bag,1,binder\nNEW-1,新品,New,bag,2,mortar\n');
    expect(products).toMatchObject({ status: 'succeeded', inserted: 1, updated: 1 });
    expect(await t.db.kysely.selectFrom('sales_rollups').select('category').distinct().execute()).toEqual([{ category: 'binder' }]);
    await expectRollupsExact(t.db);
    const trend = (await admin.get(`/api/v1/accounts/${t.world.accounts.acc2}/revenue-trend?from=2026-08&to=2026-11`)).json();
    expect(trend.points.map((p: { month: string; revenueMinor: number }) => [p.month, p.revenueMinor])).toEqual([['2026-08', 1], ['2026-09', 0], ['2026-10', 0], ['2026-11', 0]]);
  });

  it('imports a GBK-encoded CSV with its Chinese names intact', async () => {
    const csv = '客户编码,客户名称,类型,省份,城市\nGBK1,台州建材有限公司,经销商,浙江省,台州市\nGBK2,温岭水泥商行,dealer,浙江省,温岭市\n';
    const job = await importFile(admin, 'accounts', iconv.encode(csv, 'gbk'), { options: { encoding: 'gbk' } });
    expect(job).toMatchObject({ status: 'succeeded', inserted: 2 });
    const rows = await t.db.kysely.selectFrom('accounts').select(['code', 'name', 'kind', 'city']).where('code', 'in', ['GBK1', 'GBK2']).orderBy('code').execute();
    expect(rows).toEqual([{ code: 'GBK1', name: '台州建材有限公司', kind: 'dealer', city: '台州市' }, { code: 'GBK2', name: '温岭水泥商行', kind: 'dealer', city: '温岭市' }]);
    const sales = '日期,客户编码,物料编码,数量,金额,币种,单据号,行号\n2026/10/05,GBK1,PO425-B50,"1,000","52,000.00",人民币,销-001,1\n';
    const s = await importFile(admin, 'sales', iconv.encode(sales, 'gb18030'), { options: { encoding: 'gb18030', dateFormat: 'YYYY/MM/DD' } });
    expect(s).toMatchObject({ status: 'succeeded', inserted: 1 });
    expect(await t.db.kysely.selectFrom('sales_lines').select(['doc_no', 'quantity', 'net_amount_minor', 'currency', 'date']).where('doc_no', '=', '销-001').execute())
      .toEqual([{ doc_no: '销-001', quantity: 1000, net_amount_minor: 5200000, currency: 'CNY', date: '2026-10-05' }]);
  });

  it('imports an XLSX workbook (date cells, number cells)', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Sales');
    ws.addRow(['Date', 'Customer code', 'SKU', 'Qty', 'Amount', 'Currency', 'Invoice', 'Line', 'Cost']);
    ws.addRow([new Date(Date.UTC(2026, 6, 14)), 'ACC4', 'PO425-B50', 3, 99.5, 'CNY', 'X-1', 1, 80]);
    ws.addRow([]);
    ws.addRow(['2026-07-15', 'ACC4', 'PO425-B50', 1, '10', 'CNY', 'X-1', 2, null]);
    const buf = Buffer.from(await wb.xlsx.writeBuffer());
    const job = await importFile(admin, 'sales', buf, {}, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(job).toMatchObject({ status: 'succeeded', inserted: 2 });
    expect(await t.db.kysely.selectFrom('sales_lines').select(['date', 'quantity', 'net_amount_minor', 'cost_amount_minor']).where('doc_no', '=', 'X-1').orderBy('line_no').execute())
      .toEqual([{ date: '2026-07-14', quantity: 3, net_amount_minor: 9950, cost_amount_minor: 8000 }, { date: '2026-07-15', quantity: 1, net_amount_minor: 1000, cost_amount_minor: null }]);
    await expectRollupsExact(t.db);
  });

  it('a cancelled import leaves nothing behind and can be run again', async () => {
    const rows = ['date,account,sku,quantity,net amount,currency,document,line'];
    for (let i = 1; i <= 40_000; i++) rows.push(`2026-06-${String((i % 28) + 1).padStart(2, '0')},ACC1,PO425-B50,1,1.00,CNY,BIG-${Math.ceil(i / 10)},${i % 10 + 1}`);
    const up = await upload(admin, 'sales', `${rows.join('\n')}\n`);
    const before = await snapshot(t.db);
    const controller = new AbortController();
    const actor = { userId: t.world.users.admin!, email: 'admin@test.local', name: 'User admin', role: 'admin' as const, teamId: null, accountId: null, locale: 'en', timeZone: 'UTC', via: 'session' as const };
    const job = await t.db.kysely.selectFrom('import_jobs').selectAll().where('id', '=', up.job.id).executeTakeFirstOrThrow();
    const outcome = await runImport({ db: t.db, clock: t.clock, actor, requestId: 'test' }, {
      jobId: job.id, kind: 'sales', file: job.file_path, fileName: 'big.csv', format: 'csv', encoding: 'utf-8', delimiter: ',', dryRun: false,
      mapping: up.suggestedMapping, parse: { dateFormat: 'YYYY-MM-DD', thousandsSeparator: ',', defaultCurrency: null }, errorsPath: '/tmp/openkam-test/never.csv',
      reading: loadConfig({}).fileReading,
    }, controller.signal, (p) => { if (p.processedLines > 0) controller.abort(); });
    expect(outcome).toMatchObject({ status: 'cancelled', inserted: 0 });
    expect(await snapshot(t.db)).toBe(before);
    expect((await admin.get(`/api/v1/imports/${up.job.id}`)).json()).toMatchObject({ status: 'cancelled' });
    const res = await admin.post(`/api/v1/imports/${up.job.id}/run`, {});
    expect(res.statusCode).toBe(202);
    await waitForJob(up.job.id);
    expect((await admin.get(`/api/v1/imports/${up.job.id}`)).json()).toMatchObject({ status: 'succeeded', inserted: 40_000 });
    await expectRollupsExact(t.db);
  });

  it('scopes imports: a manager cannot import into accounts outside their scope, a dealer cannot import at all', async () => {
    const m3 = await t.login('m3');
    const adminJob = (await admin.get('/api/v1/imports?limit=1')).json().items[0].id as string;
    const before = await snapshot(t.db);
    const job = await importFile(m3, 'sales', 'date,account,sku,quantity,net amount,currency,document,line\n2026-10-01,ACC3,PO425-B50,1,1.00,CNY,M3-1,1\n2026-10-01,ACC1,PO425-B50,1,1.00,CNY,M3-1,2\n');
    expect(job.status).toBe('failed');
    expect(await errorsOf(m3, job)).toEqual([['3', 'account', 'ACC1', 'unknown account code']]);
    expect(await snapshot(t.db)).toBe(before);
    // Others' jobs are not found; products are not the manager's to import.
    expect((await m3.get(`/api/v1/imports/${adminJob}`)).statusCode).toBe(404);
    expect((await m3.request({ method: 'POST', url: '/api/v1/imports/products', payload: 'sku\n', headers: { 'content-type': 'text/csv' } })).statusCode).toBe(403);
    const dealer = await t.login('dealer');
    expect((await dealer.request({ method: 'POST', url: '/api/v1/imports/sales', payload: 'x\n', headers: { 'content-type': 'text/csv' } })).statusCode).toBe(403);
    expect((await dealer.get('/api/v1/imports')).statusCode).toBe(403);
    expect((await dealer.get(`/api/v1/accounts/${t.world.accounts.acc1}/revenue-trend`)).statusCode).toBe(403);
  });
});
