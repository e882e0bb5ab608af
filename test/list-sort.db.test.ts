import { afterAll, beforeAll, expect, it } from 'vitest';
import { routesOf } from '../src/server/app.js';
import { buildTestApp, type Client, type TestApp } from './build-test-app.js';
import { describeEachDialect } from './dialects.js';

// Names every plain object inherits: a sort parser that reads them off its allow-list finds a
// function (or Object.prototype) where a column should be.
const inherited = ['constructor', '__proto__', '-toString', 'hasOwnProperty', '-valueOf', 'isPrototypeOf'];

describeEachDialect('sort keys of the lists', (dialect) => {
  let t: TestApp;
  let admin: Client;
  beforeAll(async () => {
    t = await buildTestApp(dialect);
    admin = await t.login('admin');
  });
  afterAll(async () => t?.close());

  const sortable = () => routesOf.get(t.app)!.filter((r) => r.method === 'GET' && r.query.includes('sort'));

  it('finds every list that takes a sort', () => {
    expect(sortable().map((r) => r.url).sort()).toEqual([
      '/api/v1/accounts', '/api/v1/accounts/export', '/api/v1/activities', '/api/v1/call-plan-changes', '/api/v1/call-plans',
      '/api/v1/contacts', '/api/v1/notes', '/api/v1/price-lists', '/api/v1/service-requests', '/api/v1/sites', '/api/v1/tasks', '/api/v1/visits',
    ]);
  });

  it('answers a sort key that is an object-prototype name with 400 naming the allowed keys, on every list', async () => {
    const failures: string[] = [];
    for (const r of sortable()) {
      for (const key of inherited) {
        const res = await admin.get(`${r.url}?sort=${encodeURIComponent(key)}`);
        const body = res.json();
        if (res.statusCode !== 400 || body.code !== 'invalid_request') { failures.push(`${r.url}?sort=${key}: ${res.statusCode} ${res.body}`); continue; }
        const sortError = body.errors?.find((e: { path: string }) => e.path === 'querystring.sort');
        if (!sortError || !/^one of /.test(sortError.message) || sortError.message.includes(key.replace(/^-/, ''))) failures.push(`${r.url}?sort=${key}: ${res.body}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('still sorts by an allowed key, either way', async () => {
    for (const sort of ['name', '-name']) {
      const res = await admin.get(`/api/v1/sites?sort=${sort}`);
      expect(res.statusCode).toBe(200);
      const names = res.json().items.map((s: { name: string }) => s.name);
      expect(names).toEqual([...names].sort((a: string, b: string) => (sort === 'name' ? a.localeCompare(b) : b.localeCompare(a))));
    }
  });
});
