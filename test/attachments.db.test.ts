import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { parse as parseDisposition } from 'content-disposition';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sweepAttachments } from '../src/modules/attachments/attachments.service.js';
import type { TimelineEvent } from '../src/platform/contributions.contract.js';
import { buildApp } from '../src/server/app.js';
import { loadConfig } from '../src/server/config.js';
import { buildTestApp, type Client, loginAs, type TestApp } from './build-test-app.js';
import { describeEachDialect } from './dialects.js';
import { headerRow, workbookParts, zip } from './xlsx-files.js';

const PDF = Buffer.concat([Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\n', 'latin1'), Buffer.from([0, 1, 2, 255, 254]), Buffer.from('\n%%EOF\n')]);
// A 1×1 transparent PNG.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const XLSX = zip(workbookParts('<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>客户</t></si></sst>', headerRow(1)));
const DOCX_WITH_MACROS = zip([
  { name: '[Content_Types].xml', data: '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>' },
  { name: 'word/document.xml', data: '<w:document/>' },
  { name: 'word/vbaProject.bin', data: Buffer.from([0xd0, 0xcf, 0x11, 0xe0]) },
]);
const PLAIN_ZIP = zip([{ name: 'setup.txt', data: 'hello' }]);
const CSV = Buffer.from('客户,金额\n宏达建材,1200\n');

type Attachment = { id: string; accountId: string; fileName: string; contentType: string; sizeBytes: number; sha256: string; uploadedBy: { id: string; name: string }; createdAt: string };

const upload = (c: Client, accountId: string, fileName: string, body: Buffer | Readable, type = 'application/octet-stream') =>
  c.request({ method: 'POST', url: `/api/v1/accounts/${accountId}/attachments?fileName=${encodeURIComponent(fileName)}`, payload: body, headers: { 'content-type': type } });

const tmp = (prefix: string) => mkdtempSync(path.join(os.tmpdir(), prefix));

describeEachDialect('files attached to an account', (dialect) => {
  let t: TestApp;
  let dataDir: string;
  let m1: Client;
  const filesDir = () => path.join(dataDir, 'attachments');
  const stored = () => (existsSync(filesDir()) ? readdirSync(filesDir()).filter((f) => f !== '.staging') : []);
  const staging = () => ['.staging', '../attachment-uploads'].flatMap((d) => { const p = path.join(filesDir(), d); return existsSync(p) ? readdirSync(p) : []; });
  const blobs = async () => Number((await t.db.kysely.selectFrom('attachment_blobs').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  const rows = async () => t.db.kysely.selectFrom('account_attachments').selectAll().execute();
  const audit = (action: string) => t.db.kysely.selectFrom('audit_log').selectAll().where('action', '=', action).where('entity', '=', 'attachment').execute();

  beforeAll(async () => {
    dataDir = tmp('openkam-attach-');
    t = await buildTestApp(dialect, { OPENKAM_DATA_DIR: dataDir, OPENKAM_ATTACHMENT_MAX_MB: '1' });
    m1 = await t.login('m1');
  });
  afterAll(async () => {
    await t?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('stores a file, lists it with its size, type and uploader, and gives back the same bytes as a download', async () => {
    const acc = t.world.accounts.acc1;
    const res = await upload(m1, acc, '合同 2026（终稿）.pdf', PDF, 'text/html');
    expect(res.statusCode, res.body).toBe(201);
    const a = res.json() as Attachment;
    // The type is the content's, not the one the client claimed.
    expect(a).toMatchObject({ accountId: acc, fileName: '合同 2026（终稿）.pdf', contentType: 'application/pdf', sizeBytes: PDF.length, uploadedBy: { id: t.world.users.m1, name: 'User m1' } });

    const list = (await m1.get(`/api/v1/accounts/${acc}/attachments`)).json() as { items: Attachment[]; maxBytes: number; extensions: string[] };
    expect(list.items.map((i) => i.fileName)).toEqual(['合同 2026（终稿）.pdf']);
    expect(list.maxBytes).toBe(1024 ** 2);
    expect(list.extensions).toEqual(expect.arrayContaining(['pdf', 'xlsx', 'jpg', 'csv']));

    const dl = await m1.get(`/api/v1/attachments/${a.id}/content`);
    expect(dl.statusCode).toBe(200);
    expect(dl.rawPayload.equals(PDF)).toBe(true);
    expect(dl.headers['content-type']).toBe('application/pdf');
    expect(dl.headers['x-content-type-options']).toBe('nosniff');
    const cd = parseDisposition(String(dl.headers['content-disposition']));
    expect(cd).toEqual({ type: 'attachment', parameters: expect.objectContaining({ filename: '合同 2026（终稿）.pdf' }) });

    // Where the bytes are: a file under the data directory on SQLite, the database on PostgreSQL.
    if (dialect === 'sqlite') {
      expect(readFileSync(path.join(filesDir(), a.id)).equals(PDF)).toBe(true);
      expect(await blobs()).toBe(0);
    } else {
      expect(stored()).toEqual([]);
      expect(await blobs()).toBe(1);
    }
    expect(staging()).toEqual([]);
  });

  it('takes pictures, spreadsheets and CSV by their content, and makes a name safe without losing its script', async () => {
    const acc = t.world.accounts.acc1;
    const png = (await upload(m1, acc, '门店照片.png', PNG)).json() as Attachment;
    expect(png).toMatchObject({ contentType: 'image/png', fileName: '门店照片.png' });
    const xlsx = await upload(m1, acc, '2026 返利.xlsx', XLSX, 'application/zip');
    expect(xlsx.json()).toMatchObject({ contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', fileName: '2026 返利.xlsx' });
    const csv = await upload(m1, acc, '客户清单.csv', CSV);
    expect(csv.json()).toMatchObject({ contentType: 'text/csv', fileName: '客户清单.csv' });
    // Folders, control characters and direction marks go; a name without the content's extension gets it.
    const odd = await upload(m1, acc, '..\\..\\etc/pass\u0007wd\u202e', Buffer.from('plain words\n'));
    expect(odd.json()).toMatchObject({ contentType: 'text/plain', fileName: 'passwd.txt' });
    const renamed = await upload(m1, acc, 'invoice.exe', PDF);
    expect(renamed.json()).toMatchObject({ contentType: 'application/pdf', fileName: 'invoice.exe.pdf' });
    const dl = await m1.get(`/api/v1/attachments/${(xlsx.json() as Attachment).id}/content`);
    expect(dl.rawPayload.equals(XLSX)).toBe(true);
  });

  it('refuses programs, web pages, SVG, archives and macros, whatever they are called, and keeps nothing of them', async () => {
    const acc = t.world.accounts.acc2;
    const before = { rows: (await rows()).length, blobs: await blobs(), files: stored().length, audit: (await audit('attachment_upload')).length };
    const cases: [string, Buffer, string][] = [
      ['report.pdf', Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00', 'latin1'), Buffer.alloc(64)]), 'executable'],
      ['run.txt', Buffer.from('#!/bin/sh\nrm -rf /\n'), 'executable'],
      ['page.txt', Buffer.from('\ufeff  <!DOCTYPE html><script>alert(document.cookie)</script>'), 'markup'],
      ['logo.png', Buffer.from('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'), 'markup'],
      ['budget.docx', DOCX_WITH_MACROS, 'macro'],
      ['files.zip', PLAIN_ZIP, 'archive'],
      ['data.bin', Buffer.from([1, 2, 3, 0, 4, 5]), 'unknown'],
    ];
    for (const [name, body, refused] of cases) {
      const res = await upload(m1, acc, name, body, 'application/pdf');
      expect(res.statusCode, `${name}: ${res.body}`).toBe(415);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.json()).toMatchObject({ code: 'attachment_type_refused', refused, status: 415 });
      expect(res.json().detail).toMatch(/cannot be attached.*\. Accepted: PDF, pictures/);
    }
    expect(await upload(m1, acc, 'empty.txt', Buffer.alloc(0))).toMatchObject({ statusCode: 400 });
    expect({ rows: (await rows()).length, blobs: await blobs(), files: stored().length, audit: (await audit('attachment_upload')).length }).toEqual(before);
    expect(staging()).toEqual([]);
  });

  it('refuses a file over the size limit, said up front or streamed, and stores nothing of it', async () => {
    const acc = t.world.accounts.acc2;
    const before = { rows: (await rows()).length, blobs: await blobs(), files: stored().length };
    const big = Buffer.alloc(1024 ** 2 + 1, 'a');
    const declared = await upload(m1, acc, 'big.txt', big);
    expect(declared.statusCode).toBe(413);
    expect(declared.json()).toMatchObject({ code: 'attachment_too_large', maxBytes: 1024 ** 2 });
    expect(declared.json().detail).toBe('The file is larger than the 1 MB limit for attachments');
    // Without a length, the upload is cut off at the limit while it streams.
    const chunks = Array.from({ length: 20 }, () => Buffer.alloc(64 * 1024, 'b'));
    const streamed = await upload(m1, acc, 'big.txt', Readable.from(chunks));
    expect(streamed.statusCode, streamed.body).toBe(413);
    expect({ rows: (await rows()).length, blobs: await blobs(), files: stored().length }).toEqual(before);
    expect(staging()).toEqual([]);
    // Exactly the limit is fine.
    expect((await upload(m1, acc, 'limit.txt', Buffer.alloc(1024 ** 2, 'c'))).statusCode).toBe(201);
  });

  it("keeps another manager's account closed: no list, no download, no upload, no delete", async () => {
    const a = (await upload(m1, t.world.accounts.acc1, 'terms.pdf', PDF)).json() as Attachment;
    const m3 = await t.login('m3');
    expect((await m3.get(`/api/v1/accounts/${t.world.accounts.acc1}/attachments`)).statusCode).toBe(404);
    expect((await m3.get(`/api/v1/attachments/${a.id}`)).statusCode).toBe(404);
    expect((await m3.get(`/api/v1/attachments/${a.id}/content`)).statusCode).toBe(404);
    expect((await m3.del(`/api/v1/attachments/${a.id}`)).statusCode).toBe(404);
    const n = (await rows()).length;
    expect((await upload(m3, t.world.accounts.acc1, 'x.pdf', PDF)).statusCode).toBe(404);
    expect((await rows()).length).toBe(n);
    // m2 owns acc2 only; the executive reads every account but changes none.
    const m2 = await t.login('m2');
    expect((await m2.get(`/api/v1/attachments/${a.id}/content`)).statusCode).toBe(404);
    const exec = await t.login('exec');
    expect((await exec.get(`/api/v1/attachments/${a.id}/content`)).rawPayload.equals(PDF)).toBe(true);
    expect((await upload(exec, t.world.accounts.acc1, 'x.pdf', PDF)).statusCode).toBe(403);
    expect((await exec.del(`/api/v1/attachments/${a.id}`)).statusCode).toBe(403);
    expect((await rows()).length).toBe(n);
  });

  it("shows the dealer none of its own account's attachments", async () => {
    const a = (await upload(m1, t.world.accounts.acc1, 'internal pricing.xlsx', XLSX)).json() as Attachment;
    const dealer = await t.login('dealer');
    expect((await dealer.get(`/api/v1/accounts/${t.world.accounts.acc1}/attachments`)).statusCode).toBe(403);
    expect((await dealer.get(`/api/v1/attachments/${a.id}`)).statusCode).toBe(403);
    expect((await dealer.get(`/api/v1/attachments/${a.id}/content`)).statusCode).toBe(403);
    expect((await upload(dealer, t.world.accounts.acc1, 'x.pdf', PDF)).statusCode).toBe(403);
    const timeline = await dealer.get(`/api/v1/accounts/${t.world.accounts.acc1}/timeline`);
    expect((timeline.json() as { items: TimelineEvent[] }).items.filter((e) => e.kind === 'attachment')).toEqual([]);
    const cards = JSON.stringify((await dealer.get('/api/v1/portal/cards')).json());
    expect(cards).not.toContain('internal pricing');
  });

  it('puts an upload on the account timeline once, audits upload, download and delete, and a delete removes the file', async () => {
    const acc = t.world.accounts.acc4;
    const admin = await t.login('admin');
    const a = (await upload(admin, acc, '质检报告.pdf', PDF)).json() as Attachment;
    await admin.get(`/api/v1/attachments/${a.id}/content`);
    // A HEAD request sends no file, and is not a download.
    expect((await admin.request({ method: 'HEAD', url: `/api/v1/attachments/${a.id}/content` })).statusCode).toBe(200);

    const [up] = (await audit('attachment_upload')).filter((r) => r.entity_id === a.id);
    expect(up).toMatchObject({ account_id: acc, actor_id: t.world.users.admin });
    expect(JSON.parse(up!.after_json!)).toEqual({ fileName: '质检报告.pdf', contentType: 'application/pdf', sizeBytes: PDF.length, sha256: a.sha256, storage: dialect === 'sqlite' ? 'directory' : 'database' });
    expect((await audit('attachment_download')).filter((r) => r.entity_id === a.id)).toHaveLength(1);

    const timeline = (await admin.get(`/api/v1/accounts/${acc}/timeline`)).json() as { items: TimelineEvent[]; kinds: { module: string; kinds: string[] }[] };
    expect(timeline.items.filter((e) => e.kind === 'attachment')).toEqual([expect.objectContaining({
      id: `attachment:${a.id}`, module: 'attachments', titleKey: 'attachments.timeline.uploaded', params: { name: '质检报告.pdf', type: 'application/pdf', bytes: PDF.length },
      actor: { id: t.world.users.admin, name: 'User admin' }, link: { tab: 'attachments' },
    })]);
    // The raw history does not repeat the upload, nor list each download.
    expect(timeline.items.filter((e) => e.kind === 'history' && String(e.params.action).startsWith('attachment_'))).toEqual([]);
    expect(timeline.kinds).toContainEqual({ module: 'attachments', kinds: ['attachment'] });

    const del = await admin.del(`/api/v1/attachments/${a.id}`);
    expect(del.statusCode).toBe(204);
    expect((await admin.get(`/api/v1/attachments/${a.id}/content`)).statusCode).toBe(404);
    expect((await rows()).map((r) => r.id)).not.toContain(a.id);
    expect(stored()).not.toContain(a.id);
    expect(await t.db.kysely.selectFrom('attachment_blobs').selectAll().where('attachment_id', '=', a.id).execute()).toEqual([]);
    const [gone] = (await audit('delete')).filter((r) => r.entity_id === a.id);
    expect(JSON.parse(gone!.before_json!)).toMatchObject({ fileName: '质检报告.pdf', sizeBytes: PDF.length });
    const after = (await admin.get(`/api/v1/accounts/${acc}/timeline`)).json() as { items: TimelineEvent[] };
    expect(after.items.filter((e) => e.kind === 'attachment')).toEqual([]);
    expect(after.items.find((e) => e.kind === 'history')).toMatchObject({ params: { action: 'delete', entity: 'attachment' } });
  });

  it('leaves neither a file nor a row when the transaction fails after the file was put in place', async () => {
    if (dialect === 'sqlite') {
      await sql`create trigger fail_attach before insert on audit_log when new.action = 'attachment_upload' and new.after_json like '%fail-me%'
        begin select raise(abort, 'refused by the test'); end`.execute(t.db.kysely);
    } else {
      await sql`create function fail_attach() returns trigger language plpgsql as $$ begin
        if new.action = 'attachment_upload' and new.after_json like '%fail-me%' then raise exception 'refused by the test'; end if; return new; end $$`.execute(t.db.kysely);
      await sql`create trigger fail_attach before insert on audit_log for each row execute function fail_attach()`.execute(t.db.kysely);
    }
    const before = { rows: (await rows()).length, blobs: await blobs(), files: stored().sort() };
    const res = await upload(m1, t.world.accounts.acc1, 'fail-me.pdf', PDF);
    expect(res.statusCode).toBe(500);
    expect({ rows: (await rows()).length, blobs: await blobs(), files: stored().sort() }).toEqual(before);
    expect(staging()).toEqual([]);
    await sql`drop trigger fail_attach${sql.raw(dialect === 'postgres' ? ' on audit_log' : '')}`.execute(t.db.kysely);
  });

  it.runIf(dialect === 'sqlite')('removes files no row knows and abandoned uploads once an hour old, and keeps the rest', async () => {
    const kept = (await upload(m1, t.world.accounts.acc1, 'keep.pdf', PDF)).json() as Attachment;
    const orphan = '01900000-0000-7000-8000-000000000001';
    writeFileSync(path.join(filesDir(), orphan), 'left by a deleted account');
    mkdirSync(path.join(filesDir(), '.staging'), { recursive: true });
    writeFileSync(path.join(filesDir(), '.staging', 'x.part'), 'half an upload');
    const old = new Date(Date.now() - 2 * 3600_000);
    for (const f of [path.join(filesDir(), orphan), path.join(filesDir(), '.staging', 'x.part'), path.join(filesDir(), kept.id)]) utimesSync(f, old, old);
    const { removed } = await sweepAttachments({ db: t.db, clock: { now: () => new Date() }, config: loadConfig({ OPENKAM_DATA_DIR: dataDir }) });
    expect(removed).toBe(2);
    expect(stored()).toContain(kept.id);
    expect(stored()).not.toContain(orphan);
    expect(staging()).toEqual([]);
  });
});

describe.runIf(!!process.env.TEST_DATABASE_URL)('attachments in a shared directory on PostgreSQL', () => {
  let t: TestApp;
  const dirs: string[] = [];
  beforeAll(async () => {
    dirs.push(tmp('openkam-shared-'), tmp('openkam-data-a-'), tmp('openkam-data-b-'));
    t = await buildTestApp('postgres', { OPENKAM_DATA_DIR: dirs[1]!, OPENKAM_ATTACHMENTS_DIR: dirs[0]! });
  });
  afterAll(async () => {
    await t?.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('writes the file to the configured directory, and another server over the same database and directory serves it', async () => {
    const m1 = await t.login('m1');
    const a = (await upload(m1, t.world.accounts.acc1, '现场照片.png', PNG)).json() as Attachment;
    expect(readFileSync(path.join(dirs[0]!, a.id)).equals(PNG)).toBe(true);
    expect(await t.db.kysely.selectFrom('attachment_blobs').selectAll().execute()).toEqual([]);
    expect(readdirSync(dirs[0]!).filter((f) => f !== '.staging')).toEqual([a.id]);

    const other = await buildApp(loadConfig({ OPENKAM_DATA_DIR: dirs[2]!, OPENKAM_ATTACHMENTS_DIR: dirs[0]!, LOG_LEVEL: 'silent', OPENKAM_SESSION_IDLE_MINUTES: String(24 * 60) }), t.db, { clock: t.clock, logger: false });
    try {
      await other.ready();
      const there = await loginAs(other, 'm1@test.local');
      const dl = await there.get(`/api/v1/attachments/${a.id}/content`);
      expect(dl.statusCode).toBe(200);
      expect(dl.rawPayload.equals(PNG)).toBe(true);
      expect((await there.del(`/api/v1/attachments/${a.id}`)).statusCode).toBe(204);
      expect(readdirSync(dirs[0]!).filter((f) => f !== '.staging')).toEqual([]);
    } finally {
      await other.close();
    }
  });
});
