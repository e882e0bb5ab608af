import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildTestApp, type Client, type TestApp } from './build-test-app.js';
import { describeEachDialect } from './dialects.js';
import { snapshot } from './snapshot.js';

describeEachDialect('concurrent edits and bad input', (dialect) => {
  let t: TestApp;
  let m1: Client;
  beforeAll(async () => {
    t = await buildTestApp(dialect, { OPENKAM_BODY_LIMIT_BYTES: '4096' });
    m1 = await t.login('m1');
  });
  afterAll(async () => t?.close());

  it('two clients updating the same account with the same ETag: one wins, the other gets 412 and nothing is lost', async () => {
    const id = t.world.accounts.acc1;
    const other = await t.login('d1');
    const etag = (await m1.get(`/api/v1/accounts/${id}`)).headers.etag as string;
    const [a, b] = await Promise.all([
      m1.patch(`/api/v1/accounts/${id}`, { city: '温岭市' }, { 'if-match': etag }),
      other.patch(`/api/v1/accounts/${id}`, { name: 'Renamed by the director' }, { 'if-match': etag }),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 412]);
    const loser = a.statusCode === 412 ? a : b;
    expect(loser.headers['content-type']).toContain('application/problem+json');
    expect(loser.json()).toMatchObject({ status: 412, code: 'precondition_failed' });
    const now = (await m1.get(`/api/v1/accounts/${id}`)).json();
    // The winner's change is there; the loser's is not, and the version moved by exactly one.
    if (a.statusCode === 200) expect(now).toMatchObject({ city: '温岭市', name: 'Account 1', version: 2 });
    else expect(now).toMatchObject({ name: 'Renamed by the director', city: '台州市', version: 2 });
    // The loser retries with the new ETag and succeeds.
    const retry = await (a.statusCode === 412 ? m1 : other).patch(`/api/v1/accounts/${id}`, a.statusCode === 412 ? { city: '温岭市' } : { name: 'Renamed by the director' }, { 'if-match': `"${id}.2"` });
    expect(retry.statusCode).toBe(200);
    expect(retry.headers.etag).toBe(`"${id}.3"`);
  });

  it('an update without If-Match is refused with 428', async () => {
    const res = await m1.patch(`/api/v1/accounts/${t.world.accounts.acc1}`, { city: 'x' });
    expect(res.statusCode).toBe(428);
    expect(res.json().code).toBe('precondition_required');
  });

  const bad: [string, () => Promise<{ statusCode: number; headers: Record<string, unknown>; json(): any }>, number, string, string?][] = [
    ['malformed JSON', () => m1.request({ method: 'POST', url: '/api/v1/contacts', payload: '{"accountId": "x", "name": ', headers: { 'content-type': 'application/json' } }), 400, 'malformed_body'],
    ['a wrong type', () => m1.post('/api/v1/contacts', { accountId: t.world.accounts.acc1, name: 'Li', influence: 'high' }), 400, 'validation_failed', 'body.influence'],
    ['an unknown field', () => m1.post('/api/v1/contacts', { accountId: t.world.accounts.acc1, name: 'Li', salary: 1 }), 400, 'validation_failed', 'body.salary'],
    ['a missing field', () => m1.post('/api/v1/accounts', { name: 'No code', kind: 'dealer' }), 400, 'validation_failed', 'body.code'],
    ['an out-of-range coordinate', () => m1.post('/api/v1/sites', { accountId: t.world.accounts.acc1, name: 'S', kind: 'store', lat: 123 }), 400, 'validation_failed', 'body.lat'],
    ['an oversized body', () => m1.post('/api/v1/contacts', { accountId: t.world.accounts.acc1, name: 'Li', notes: 'x'.repeat(10_000) }), 413, 'body_too_large'],
    ['a wrong content type', () => m1.request({ method: 'POST', url: '/api/v1/contacts', payload: 'name=Li', headers: { 'content-type': 'text/plain' } }), 415, 'unsupported_media_type'],
    ['a duplicate account code', () => m1.post('/api/v1/accounts', { code: 'ACC1', name: 'Dup', kind: 'dealer' }), 409, 'duplicate', 'body.code'],
    ['a bad cursor', () => m1.get('/api/v1/accounts?cursor=garbage'), 400, 'invalid_request', 'querystring.cursor'],
    ['an unknown sort', () => m1.get('/api/v1/accounts?sort=password'), 400, 'invalid_request', 'querystring.sort'],
    ['an unknown VMI reason code', () => m1.patch(`/api/v1/vmi/drafts/${t.world.accounts.acc1}/lines/${t.world.product}`, { quantity: 1, reasonCode: 'bribe', version: 1 }), 400, 'validation_failed', 'body.reasonCode'],
    ['a VMI count without its phone id', () => m1.post(`/api/v1/vmi/accounts/${t.world.accounts.acc1}/counts`, { countedAt: '2026-11-26T08:00:00Z', lines: [{ productId: t.world.product, onHand: 1 }] }), 400, 'validation_failed', 'body.clientId'],
  ];
  for (const [what, send, status, code, path] of bad) {
    it(`answers ${what} with ${status} problem+json and writes nothing`, async () => {
      const before = await snapshot(t.db);
      const res = await send();
      expect(res.statusCode).toBe(status);
      expect(String(res.headers['content-type'])).toContain('application/problem+json');
      const body = res.json();
      expect(body).toMatchObject({ status, code, type: 'about:blank' });
      expect(typeof body.detail).toBe('string');
      if (path) expect(body.errors.map((e: { path: string }) => e.path)).toContain(path);
      expect(await snapshot(t.db)).toBe(before);
    });
  }

  it('pages through accounts by cursor in the requested order without gaps or repeats', async () => {
    const admin = await t.login('admin');
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await admin.get(`/api/v1/accounts?limit=1&sort=-code${cursor ? `&cursor=${cursor}` : ''}`);
      const page = res.json() as { items: { code: string }[]; nextCursor: string | null };
      seen.push(...page.items.map((a) => a.code));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['ACC4', 'ACC3', 'ACC2', 'ACC1']);
  });

  it('records every mutation in the audit log with who, what, before, after and the request id', async () => {
    const admin = await t.login('admin');
    const res = await m1.post('/api/v1/contacts', { accountId: t.world.accounts.acc1, name: '王总', title: '总经理' }, { 'x-request-id': 'req-audit-1' });
    expect(res.statusCode).toBe(201);
    const contact = res.json();
    const upd = await m1.patch(`/api/v1/contacts/${contact.id}`, { title: '董事长' }, { 'if-match': res.headers.etag as string });
    expect(upd.statusCode).toBe(200);
    const del = await m1.del(`/api/v1/contacts/${contact.id}`, { 'if-match': upd.headers.etag as string });
    expect(del.statusCode).toBe(204);
    const log = (await admin.get(`/api/v1/audit?entity=contact&entityId=${contact.id}`)).json().items;
    expect(log.map((e: { action: string }) => e.action)).toEqual(['delete', 'update', 'create']);
    expect(log[2]).toMatchObject({ actorId: t.world.users.m1, requestId: 'req-audit-1', accountId: t.world.accounts.acc1, after: { name: '王总' } });
    expect(log[1]).toMatchObject({ before: { title: '总经理' }, after: { title: '董事长' } });
    expect(log[0].before).toMatchObject({ name: '王总' });
  });
});

describeEachDialect('sorting accounts by name', (dialect) => {
  let t: TestApp;
  beforeAll(async () => { t = await buildTestApp(dialect); });
  afterAll(async () => t?.close());

  it('sorts by the English name for English readers and by the Chinese name for Chinese readers, paging stably', async () => {
    const admin = await t.login('admin');
    const names: Record<string, [string, string | null]> = { acc1: ['乙', 'Beta'], acc2: ['甲', 'Delta'], acc3: ['丙', null], acc4: ['丁', 'Alpha'] };
    for (const [key, [name, nameEn]] of Object.entries(names)) {
      const id = t.world.accounts[key as keyof typeof t.world.accounts];
      const etag = (await admin.get(`/api/v1/accounts/${id}`)).headers.etag as string;
      expect((await admin.patch(`/api/v1/accounts/${id}`, { name, nameEn }, { 'if-match': etag })).statusCode).toBe(200);
    }
    const walk = async (query: string) => {
      const out: string[] = [];
      let cursor: string | null = null;
      do {
        const page = (await admin.get(`/api/v1/accounts?limit=1${query}${cursor ? `&cursor=${cursor}` : ''}`)).json() as { items: { nameEn: string | null; name: string }[]; nextCursor: string | null };
        out.push(...page.items.map((a) => a.nameEn ?? a.name));
        cursor = page.nextCursor;
      } while (cursor);
      return out;
    };
    await admin.patch('/api/v1/auth/me', { locale: 'en' });
    expect(await walk('')).toEqual(['Alpha', 'Beta', 'Delta', '丙']);
    expect(await walk('&sort=-name')).toEqual(['丙', 'Delta', 'Beta', 'Alpha']);
    await admin.patch('/api/v1/auth/me', { locale: 'zh-CN' });
    // Chinese names in code point order: 丁 U+4E01, 丙 U+4E19, 乙 U+4E59, 甲 U+7532.
    expect(await walk('&sort=name')).toEqual(['Alpha', '丙', 'Beta', 'Delta']);
  });
});

describeEachDialect('activities belong to their author', (dialect) => {
  let t: TestApp;
  beforeAll(async () => { t = await buildTestApp(dialect); });
  afterAll(async () => t?.close());

  it('another manager on the account team may read but not change or delete an activity; its author and the director may', async () => {
    const m1 = await t.login('m1');
    const m2 = await t.login('m2');
    const d1 = await t.login('d1');
    // acc2 is m2's, with m1 on its account team: both see it.
    const created = await m2.post('/api/v1/activities', { accountId: t.world.accounts.acc2, kind: 'call', startsAt: '2026-11-20T02:00:00Z', durationMinutes: 15, subject: 'Price check' });
    expect(created.statusCode).toBe(201);
    const id = created.json().id;
    expect((await m1.get(`/api/v1/activities/${id}`)).statusCode).toBe(200);
    const etag = created.headers.etag as string;
    const edit = await m1.patch(`/api/v1/activities/${id}`, { subject: 'Rewritten by someone else' }, { 'if-match': etag });
    expect(edit.statusCode).toBe(403);
    expect((await m1.del(`/api/v1/activities/${id}`, { 'if-match': etag })).statusCode).toBe(403);
    expect((await m2.get(`/api/v1/activities/${id}`)).json().subject).toBe('Price check');
    const own = await m2.patch(`/api/v1/activities/${id}`, { durationMinutes: 20 }, { 'if-match': etag });
    expect(own.statusCode).toBe(200);
    expect((await d1.patch(`/api/v1/activities/${id}`, { notes: 'Checked by the director' }, { 'if-match': own.headers.etag as string })).statusCode).toBe(200);
  });
});
