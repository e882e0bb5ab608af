import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from './build-test-app.js';
import { describeEachDialect } from './dialects.js';

const body = (name: string) => ({ kind: 'sales', name, mapping: { date: '日期', accountCode: '客户编码' }, options: { dateFormat: 'YYYY/MM/DD' } });

describeEachDialect('saved import mappings', (dialect) => {
  let t: TestApp;
  beforeAll(async () => { t = await buildTestApp(dialect); });
  afterAll(async () => t?.close());

  it('may be changed or deleted only by their owner or an admin', async () => {
    const [m1, m3, admin] = [await t.login('m1'), await t.login('m3'), await t.login('admin')];
    const created = await m1.post('/api/v1/import-mappings', body('ERP export'));
    expect(created.statusCode, created.body).toBe(201);
    const { id } = created.json() as { id: string };
    let etag = created.headers.etag as string;

    // Another importer may use it, not change or delete it.
    for (const res of [await m3.put(`/api/v1/import-mappings/${id}`, body('mine now'), { 'if-match': etag }), await m3.del(`/api/v1/import-mappings/${id}`)]) {
      expect(res.statusCode, res.body).toBe(403);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json()).toMatchObject({ status: 403, code: 'forbidden' });
    }
    const listed = (await m3.get('/api/v1/import-mappings')).json().items as { id: string; name: string; version: number }[];
    expect(listed).toEqual([expect.objectContaining({ id, name: 'ERP export', version: 1 })]);

    const renamed = await m1.put(`/api/v1/import-mappings/${id}`, body('ERP export 2'), { 'if-match': etag });
    expect(renamed.statusCode, renamed.body).toBe(200);
    etag = renamed.headers.etag as string;
    const byAdmin = await admin.put(`/api/v1/import-mappings/${id}`, body('ERP export 3'), { 'if-match': etag });
    expect(byAdmin.statusCode, byAdmin.body).toBe(200);
    expect((await admin.del(`/api/v1/import-mappings/${id}`)).statusCode).toBe(204);

    const audit = await t.db.kysely.selectFrom('audit_log').select(['action', 'actor_id']).where('entity', '=', 'import_mapping').where('entity_id', '=', id).orderBy('id').execute();
    expect(audit).toEqual([
      { action: 'create', actor_id: t.world.users.m1 }, { action: 'update', actor_id: t.world.users.m1 },
      { action: 'update', actor_id: t.world.users.admin }, { action: 'delete', actor_id: t.world.users.admin },
    ]);
  });
});
