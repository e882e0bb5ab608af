import { existsSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { waitForJob } from '../src/modules/sales/sales.jobs.js';
import { loadConfig } from '../src/server/config.js';
import { buildTestApp, type Client, type TestApp } from './build-test-app.js';
import { describeEachDialect } from './dialects.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/sales/${name}`, import.meta.url));
const HOUR = 3600_000;

describeEachDialect('uploads leave nothing behind', (dialect) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'openkam-uploads-'));
  let t: TestApp;
  let admin: Client;
  beforeAll(async () => {
    t = await buildTestApp(dialect, { OPENKAM_DATA_DIR: dir, OPENKAM_UPLOAD_MAX_AGE_HOURS: '24' });
    admin = await t.login('admin');
  });
  afterAll(async () => {
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const upload = async (body: string | Buffer) => {
    const res = await admin.request({ method: 'POST', url: '/api/v1/imports/sales?fileName=f.csv', payload: body, headers: { 'content-type': 'text/csv' } });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().job as { id: string };
  };
  const run = async (id: string, body: Record<string, unknown> = {}) => {
    const res = await admin.post(`/api/v1/imports/${id}/run`, body);
    if (res.statusCode === 202) await waitForJob(id);
    return res;
  };
  const row = (id: string) => t.db.kysely.selectFrom('import_jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const job = async (id: string) => (await admin.get(`/api/v1/imports/${id}`)).json();

  it('a failed import ends failed with its reason, and its file is removed (the error file stays)', async () => {
    const { id } = await upload(fixture('bad-lines.csv'));
    const file = (await row(id)).file_path;
    expect(existsSync(file)).toBe(true);
    expect((await run(id)).statusCode).toBe(202);
    const j = await job(id);
    expect(j).toMatchObject({ status: 'failed', errorCount: 8, message: '8 problem(s) in the file; nothing was imported', fileRemovedAt: expect.any(String) });
    expect(existsSync(file)).toBe(false);
    expect((await admin.get(j.errorsUrl)).statusCode).toBe(200);
    const again = await run(id);
    expect(again.statusCode).toBe(410);
    expect(again.json()).toMatchObject({ code: 'file_removed' });
    expect((await admin.post(`/api/v1/imports/${id}/preview`, {})).statusCode).toBe(410);
  });

  it('a file that cannot be read fails its upload with the reason, and leaves no file', async () => {
    const res = await admin.request({ method: 'POST', url: '/api/v1/imports/sales?fileName=q.csv', payload: 'date,"account\n2026-10-01,ACC1\n', headers: { 'content-type': 'text/csv' } });
    expect(res.statusCode, res.body).toBe(422);
    const last = (await admin.get('/api/v1/imports?limit=1')).json().items[0];
    expect(last).toMatchObject({ fileName: 'q.csv', status: 'failed', errorCode: 'file_malformed', fileRemovedAt: expect.any(String) });
    expect(last.message).toMatch(/line 1: a quoted field is not closed/);
    expect(existsSync((await row(last.id)).file_path)).toBe(false);
  });

  it('an import that succeeded removes its file; a dry run keeps it, to be run for real', async () => {
    const { id } = await upload(fixture('good.csv'));
    const file = (await row(id)).file_path;
    await run(id, { dryRun: true });
    expect(await job(id)).toMatchObject({ status: 'succeeded', dryRun: true, fileRemovedAt: null });
    expect(existsSync(file)).toBe(true);
    await run(id);
    expect(await job(id)).toMatchObject({ status: 'succeeded', dryRun: false, inserted: 5, fileRemovedAt: expect.any(String) });
    expect(existsSync(file)).toBe(false);
  });

  it('the cleanup job removes abandoned and interrupted uploads older than the age and marks them; younger uploads and files outside the uploads folder stay', async () => {
    const { sweepUploads } = await import('../src/modules/sales/sales.uploads.js');
    const old = await upload(fixture('good.csv'));
    t.clock.advance(23 * HOUR);
    const young = await upload(fixture('good.csv'));
    // A file imported from the command line is the operator's own: never removed.
    const own = path.join(dir, 'my-sales.csv');
    writeFileSync(own, fixture('good.csv'));
    const cliJob = { ...(await row(old.id)), id: '01890000-0000-7000-8000-000000000001', file_path: own, status: 'succeeded' };
    await t.db.kysely.insertInto('import_jobs').values(cliJob).execute();
    // A job a server stopped in the middle of (marked running, run by no process).
    const interrupted = await upload(fixture('good.csv'));
    await t.db.kysely.updateTable('import_jobs').set({ status: 'running', created_at: (await row(old.id)).created_at, updated_at: (await row(old.id)).created_at }).where('id', '=', interrupted.id).execute();
    // An upload whose request died before its job was recorded.
    const orphan = path.join(dir, 'uploads', '01890000-0000-7000-8000-000000000002.upload');
    writeFileSync(orphan, 'date\n');
    const orphanAt = new Date(t.clock.now().getTime() - 24 * HOUR);
    utimesSync(orphan, orphanAt, orphanAt);
    const fresh = path.join(dir, 'uploads', '01890000-0000-7000-8000-000000000003.upload');
    writeFileSync(fresh, 'date\n');
    utimesSync(fresh, t.clock.now(), t.clock.now());
    t.clock.advance(2 * HOUR);

    await sweepUploads({ db: t.db, clock: t.clock, config: loadConfig({ OPENKAM_DATA_DIR: dir, OPENKAM_UPLOAD_MAX_AGE_HOURS: '24' }) });

    const o = await job(old.id);
    expect(o).toMatchObject({ status: 'expired', fileRemovedAt: t.clock.now().toISOString() });
    expect(o.message).toMatch(/^Not run within 24 hours of its upload/);
    expect(existsSync((await row(old.id)).file_path)).toBe(false);
    expect(await job(interrupted.id)).toMatchObject({ status: 'failed', errorCode: 'internal', fileRemovedAt: t.clock.now().toISOString() });
    expect(existsSync((await row(interrupted.id)).file_path)).toBe(false);
    expect(await job(young.id)).toMatchObject({ status: 'uploaded', fileRemovedAt: null });
    expect(existsSync((await row(young.id)).file_path)).toBe(true);
    expect(existsSync(own)).toBe(true);
    expect((await row(cliJob.id)).file_removed_at).toBeNull();
    expect(existsSync(orphan)).toBe(false);
    expect(existsSync(fresh)).toBe(true);
    const audit = await t.db.kysely.selectFrom('audit_log').selectAll().where('entity', '=', 'import_job').where('entity_id', '=', old.id).execute();
    expect(audit.map((a) => a.action)).toEqual(['expire']);
    expect(JSON.parse(audit[0]!.after_json!)).toMatchObject({ status: 'expired', fileRemoved: true });
    expect((await run(old.id)).statusCode).toBe(410);
    // Nothing more to do the second time.
    await sweepUploads({ db: t.db, clock: t.clock, config: loadConfig({ OPENKAM_DATA_DIR: dir, OPENKAM_UPLOAD_MAX_AGE_HOURS: '24' }) });
    expect(await t.db.kysely.selectFrom('audit_log').selectAll().where('action', '=', 'expire').execute()).toHaveLength(2);
  });
});
