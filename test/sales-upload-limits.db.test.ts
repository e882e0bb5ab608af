import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { waitForJob } from '../src/modules/sales/sales.jobs.js';
import { buildTestApp, type Client, type TestApp } from './build-test-app.js';
import { describeEachDialect } from './dialects.js';
import { headerRow, repeatedStrings, workbookParts, zip } from './xlsx-files.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const HEADER = 'date,account,sku,quantity,net amount,currency,document,line';

/** About `mb` megabytes of sales lines (valid ones) after `head`. */
function csvOf(head: string, mb: number): string {
  const lines = [head];
  let n = 0;
  for (let i = 0; n < mb << 20; i++) {
    const l = `2026-10-01,ACC1,PO425-B50,1,1.00,CNY,DOC-${i},1`;
    lines.push(l);
    n += l.length + 1;
  }
  return `${lines.join('\n')}\n`;
}

describeEachDialect('uploaded files are read with bounded memory, off the event loop', (dialect) => {
  const dirs: string[] = [];
  const dataDir = () => { const d = mkdtempSync(path.join(os.tmpdir(), 'openkam-limits-')); dirs.push(d); return d; };
  let t: TestApp;
  let admin: Client;
  /** An app with tight limits: a small worker heap, few cells, columns and characters. */
  let tight: TestApp;
  let tightAdmin: Client;
  beforeAll(async () => {
    // A lower string limit than the default (2,000,000) keeps the bombs below quick to stop.
    t = await buildTestApp(dialect, { OPENKAM_DATA_DIR: dataDir(), OPENKAM_IMPORT_XLSX_MAX_STRINGS: '100000' });
    admin = await t.login('admin');
    tight = await buildTestApp(dialect, {
      OPENKAM_DATA_DIR: dataDir(), OPENKAM_IMPORT_WORKER_MEMORY_MB: '48', OPENKAM_IMPORT_XLSX_MAX_STRINGS: '100000000',
      OPENKAM_IMPORT_XLSX_MAX_CELLS: '5000', OPENKAM_IMPORT_MAX_COLUMNS: '20',
    });
    tightAdmin = await tight.login('admin');
  });
  afterAll(async () => {
    await t?.close();
    await tight?.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  const upload = (c: Client, body: Buffer | string | Readable, type = 'text/csv') =>
    c.request({ method: 'POST', url: `/api/v1/imports/sales?fileName=${type === XLSX ? 'f.xlsx' : 'f.csv'}`, payload: body, headers: { 'content-type': type } });

  it('refuses a workbook whose shared strings would inflate beyond the limit, from the zip directory, before inflating them', async () => {
    // The directory states 3 GB of shared strings (what a 2.5 MB bomb holds); the bytes are a few kilobytes.
    const file = zip(workbookParts(await repeatedStrings(1000, { declaredSize: 3 * 1024 ** 3 }), headerRow(1)));
    const res = await upload(admin, file, XLSX);
    expect(res.statusCode, res.body).toBe(422);
    expect(res.json()).toMatchObject({ code: 'file_too_complex' });
    expect(res.json().detail).toMatch(/^The file is too large or too complex to read: xl\/sharedStrings\.xml .*3,072 MB/);
  });

  it('stops three shared-strings bombs at once at the string limit while streaming, and the server keeps its memory', async () => {
    // A million strings: 19 MB of XML in a file of some kilobytes, its sizes stated truly.
    const file = zip(workbookParts(await repeatedStrings(1_000_000), headerRow(1)));
    expect(file.length).toBeLessThan(256 * 1024);
    const before = process.memoryUsage().rss;
    const answers = await Promise.all([1, 2, 3].map(() => upload(admin, file, XLSX)));
    for (const res of answers) {
      expect(res.statusCode, res.body).toBe(422);
      expect(res.json()).toMatchObject({ code: 'file_too_complex' });
      expect(res.json().detail).toMatch(/more than 100,000 shared strings/);
    }
    expect(process.memoryUsage().rss - before).toBeLessThan(400 * 1024 ** 2);
    expect((await t.app.inject({ url: '/healthz' })).statusCode).toBe(200);
  });

  it('refuses a workbook part that inflates to more than its directory states', async () => {
    const strings = await repeatedStrings(50_000, { declaredSize: 1000 });
    const res = await upload(admin, zip(workbookParts(strings, headerRow(1))), XLSX);
    expect(res.statusCode, res.body).toBe(422);
    expect(res.json()).toMatchObject({ code: 'file_malformed' });
    expect(res.json().detail).toMatch(/xl\/sharedStrings\.xml inflates to more than the 1,000 bytes/);
  });

  it('a reader that runs out of its memory becomes a clear refusal, and the server lives', async () => {
    // With no string limit to stop it, 200 MB of strings do not fit in a 48 MB worker heap.
    const res = await upload(tightAdmin, zip(workbookParts(await repeatedStrings(20_000, { text: 'bomb'.repeat(2500) }), headerRow(1))), XLSX);
    expect(res.statusCode, res.body).toBe(422);
    expect(res.json()).toMatchObject({ code: 'file_too_complex' });
    expect(res.json().detail).toMatch(/^The file is too large or too complex to read: it needs more than 48 MB of memory/);
    expect((await tight.app.inject({ url: '/healthz' })).statusCode).toBe(200);
    // The next file is read as usual.
    expect((await upload(tightAdmin, `${HEADER}\n2026-10-01,ACC1,PO425-B50,1,1.00,CNY,OK-1,1\n`)).statusCode).toBe(201);
  });

  it('fails the import of a workbook with more cells than the limit, with the reason', async () => {
    const strings = HEADER.split(',').map((h) => `<si><t>${h}</t></si>`).join('');
    const rows = Array.from({ length: 1000 }, (_, i) => {
      const r = i + 2;
      const v = ['2026-10-01', 'ACC1', 'PO425-B50', '1', '1', 'CNY', `CELLS-${i}`, '1'];
      return `<row r="${r}">${v.map((x, j) => `<c r="${String.fromCharCode(65 + j)}${r}" t="inlineStr"><is><t>${x}</t></is></c>`).join('')}</row>`;
    }).join('');
    const up = await upload(tightAdmin, zip(workbookParts(strings, headerRow(8) + rows)), XLSX);
    expect(up.statusCode, up.body).toBe(201);
    const id = up.json().job.id as string;
    expect((await tightAdmin.post(`/api/v1/imports/${id}/run`, {})).statusCode).toBe(202);
    await waitForJob(id);
    const job = (await tightAdmin.get(`/api/v1/imports/${id}`)).json();
    expect(job).toMatchObject({ status: 'failed', inserted: 0, errorCode: 'file_too_complex' });
    expect(job.message).toMatch(/^The file is too large or too complex to read: the sheet has more than 5,000 cells/);
  });

  it('refuses a CSV with more columns than the limit', async () => {
    const res = await upload(tightAdmin, `${HEADER},${Array.from({ length: 30 }, (_, i) => `extra ${i}`).join(',')}\n`);
    expect(res.statusCode, res.body).toBe(422);
    expect(res.json()).toMatchObject({ code: 'file_too_complex' });
    expect(res.json().detail).toMatch(/line 1 has more than 20 columns/);
  });

  it('answers /healthz while an 8 MB CSV with an unclosed quote on line 1 is read, then refuses it naming the line', async () => {
    const body = csvOf('date,"account,sku,quantity,net amount,currency,document,line', 8);
    const order: string[] = [];
    let health: Promise<void> | undefined;
    // The body as a stream that asks for /healthz once the server has taken all of it (one chunk
    // buffered at most), so while the server stores and reads the file.
    const payload = Readable.from((async function* () {
      yield Buffer.from(body);
      health = t.app.inject({ url: '/healthz' }).then((r) => { order.push(`healthz ${r.statusCode}`); });
    })(), { highWaterMark: 1 });
    const res = await upload(admin, payload).then((r) => { order.push('upload'); return r; });
    await health;
    expect(order).toEqual(['healthz 200', 'upload']);
    expect(res.statusCode, res.body.slice(0, 300)).toBe(422);
    expect(res.json()).toMatchObject({ code: 'file_malformed' });
    expect(res.json().detail).toMatch(/line 1: a quoted field is not closed/);
    expect(res.body.length).toBeLessThan(1000);
  });

  it('refuses, in the preview, a file whose line 2 opens a quote that never closes', async () => {
    const up = await upload(admin, csvOf(`${HEADER}\n2026-10-01,"ACC1,PO425-B50,1,1.00,CNY,Q-1,1`, 2));
    expect(up.statusCode, up.body).toBe(201);
    const res = await admin.post(`/api/v1/imports/${up.json().job.id}/preview`, { rows: 5 });
    expect(res.statusCode, res.body.slice(0, 300)).toBe(422);
    expect(res.json()).toMatchObject({ code: 'file_malformed' });
    expect(res.json().detail).toMatch(/line 2: a quoted field is not closed/);
  });

  it('echoes only a short excerpt of a bad header', async () => {
    const name = `${'x'.repeat(80)}${'y'.repeat(4920)}`;
    const res = await upload(admin, `date,${name},sku\n2026-10-01,ACC1,PO425-B50\n`);
    expect(res.statusCode, res.body.slice(0, 300)).toBe(422);
    expect(res.json()).toMatchObject({ code: 'bad_header' });
    expect(res.json().detail).toContain('x'.repeat(80));
    expect(res.json().detail).not.toContain('y');
    expect(res.body.length).toBeLessThan(600);
  });
});
