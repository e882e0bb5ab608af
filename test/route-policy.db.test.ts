import { afterAll, beforeAll, expect, it } from 'vitest';
import { routesOf } from '../src/server/app.js';
import { allows, type Permission } from '../src/server/policy.js';
import type { Role } from '../src/modules/auth/auth.domain.js';
import { buildTestApp, type Client, type TestApp } from './build-test-app.js';
import { describeEachDialect } from './dialects.js';

// Routes outside /api/v1 that are public by design: health, API docs, the web app.
const publicInfrastructure = [/^\/healthz$/, /^\/readyz$/, /^\/api\/openapi\.json$/, /^\/api\/docs/, /^\/\*$/, /^\/$/, /^\/assets/, /^\/index\.html$/];

// Who is signed in as each role in the matrix (see test/factories.ts for the world).
const asRole: Record<Role, string> = { admin: 'admin', director: 'd1', manager: 'm1', logistics: 'logistics', executive: 'exec', service: 'quality', dealer: 'dealer' };

// The accounts each person may see.
const visible: Record<string, string[]> = {
  admin: ['acc1', 'acc2', 'acc3', 'acc4'], logistics: ['acc1', 'acc2', 'acc3', 'acc4'], exec: ['acc1', 'acc2', 'acc3', 'acc4'],
  d1: ['acc1', 'acc2'], d2: ['acc3'], m1: ['acc1', 'acc2'], m2: ['acc2'], m3: ['acc3'], dealer: ['acc1'],
  // Department staff see the accounts their queue concerns: none until a request is opened.
  quality: [],
};

describeEachDialect('every route declares a policy and enforces it', (dialect) => {
  let t: TestApp;
  const clients: Record<string, Client> = {};

  beforeAll(async () => {
    t = await buildTestApp(dialect);
    for (const key of Object.keys(visible)) clients[key] = await t.login(key);
  });
  afterAll(async () => t?.close());

  const fill = (url: string): string => {
    const w = t.world;
    const resource = url.split('/')[3];
    const byResource: Record<string, string> = {
      accounts: w.accounts.acc1, contacts: w.records.acc1!.contact, sites: w.records.acc1!.site, activities: w.records.acc1!.activity,
      products: w.product, users: w.users.m1!, teams: w.teams.team1, auth: '00000000-0000-7000-8000-000000000000',
    };
    return url.replace(':userId', w.users.m2!).replace(':accountId', w.accounts.acc1).replace(/:id\b/, byResource[resource ?? ''] ?? 'unknown-resource');
  };

  it('every registered route has a policy, and every /api/v1 route has one that the policy layer knows', () => {
    const routes = routesOf.get(t.app)!;
    expect(routes.length).toBeGreaterThan(20);
    const missing = routes.filter((r) => !r.policy && !publicInfrastructure.some((p) => p.test(r.url)));
    expect(missing, 'routes without a declared policy').toEqual([]);
    for (const r of routes.filter((x) => x.url.startsWith('/api/v1/'))) {
      expect(r.policy, `${r.method} ${r.url}`).toBeTruthy();
      expect(() => allows('admin', r.policy as Permission)).not.toThrow();
    }
  });

  it('answers each role as its permissions say, and 401 to nobody signed in', async () => {
    const routes = routesOf.get(t.app)!.filter((r) => r.url.startsWith('/api/v1/'));
    const failures: string[] = [];
    for (const r of routes) {
      const url = fill(r.url);
      const payload = ['POST', 'PUT', 'PATCH'].includes(r.method) ? {} : undefined;
      const anon = await t.app.inject({ method: r.method as 'GET', url, payload });
      if (r.policy === 'public') {
        if ([401, 403].includes(anon.statusCode)) failures.push(`${r.method} ${r.url} anonymous: ${anon.statusCode}`);
      } else if (anon.statusCode !== 401) failures.push(`${r.method} ${r.url} anonymous: expected 401, got ${anon.statusCode}`);
      for (const [role, key] of Object.entries(asRole) as [Role, string][]) {
        const res = await clients[key]!.request({ method: r.method as 'GET', url, payload });
        // Signing out (everywhere) ends the matrix's session: sign in again.
        if (r.url.includes('logout')) clients[key] = await t.login(key);
        const allowed = allows(role, r.policy as Permission);
        if (allowed && [401, 403].includes(res.statusCode) && res.json().code !== 'csrf') failures.push(`${r.method} ${r.url} as ${role}: allowed but ${res.statusCode} ${res.body}`);
        if (!allowed && res.statusCode !== 403) failures.push(`${r.method} ${r.url} as ${role}: denied but ${res.statusCode}`);
        if (res.statusCode >= 500) failures.push(`${r.method} ${r.url} as ${role}: ${res.statusCode} ${res.body}`);
      }
    }
    expect(failures).toEqual([]);
    // Every route times eight callers: about 20 s on SQLite alone, past the 30 s default on a busy 2-core machine.
  }, 120_000);
});

describeEachDialect('nobody reads or writes another account\'s data (IDOR)', (dialect) => {
  let t: TestApp;
  const clients: Record<string, Client> = {};
  beforeAll(async () => {
    t = await buildTestApp(dialect);
    for (const key of Object.keys(visible)) clients[key] = await t.login(key);
  });
  afterAll(async () => t?.close());

  const accountKeyOf = (id: string) => Object.entries(t.world.accounts).find(([, v]) => v === id)?.[0];

  it('lists return only the accounts, contacts, sites and activities in scope', async () => {
    for (const [who, expected] of Object.entries(visible)) {
      const accounts = (await clients[who]!.get('/api/v1/accounts?limit=200')).json();
      expect(accounts.items.map((a: { id: string }) => accountKeyOf(a.id)).sort(), `${who} accounts`).toEqual(expected);
      for (const path of ['contacts', 'sites', 'activities']) {
        const res = await clients[who]!.get(`/api/v1/${path}?limit=200`);
        if (res.statusCode === 403) continue; // the role has no such permission at all (dealer: contacts, activities)
        const keys = [...new Set(res.json().items.map((x: { accountId: string }) => accountKeyOf(x.accountId)))].sort();
        expect(keys, `${who} ${path}`).toEqual(expected);
      }
    }
  });

  it('a record of an account out of scope is not found, by id, by filter, or through its audit history', async () => {
    for (const [who, expected] of Object.entries(visible)) {
      for (const [key, accountId] of Object.entries(t.world.accounts)) {
        const inScope = expected.includes(key);
        const one = await clients[who]!.get(`/api/v1/accounts/${accountId}`);
        expect(one.statusCode, `${who} GET account ${key}`).toBe(inScope ? 200 : 404);
        const rec = t.world.records[key]!;
        for (const [path, id] of [['contacts', rec.contact], ['sites', rec.site], ['activities', rec.activity]] as const) {
          const res = await clients[who]!.get(`/api/v1/${path}/${id}`);
          if (res.statusCode === 403) continue;
          expect(res.statusCode, `${who} GET ${path} of ${key}`).toBe(inScope ? 200 : 404);
          const filtered = await clients[who]!.get(`/api/v1/${path}?accountId=${accountId}`);
          expect(filtered.json().items.length, `${who} ${path}?accountId of ${key}`).toBe(inScope ? 1 : 0);
        }
        const audit = await clients[who]!.get(`/api/v1/accounts/${accountId}/audit`);
        if (audit.statusCode !== 403) expect(audit.statusCode, `${who} audit of ${key}`).toBe(inScope ? 200 : 404);
        const vmi = await clients[who]!.get(`/api/v1/vmi/accounts/${accountId}/settings`);
        if (vmi.statusCode !== 403) expect(vmi.statusCode, `${who} VMI settings of ${key}`).toBe(inScope ? 200 : 404);
      }
    }
  });

  it('writes to an account out of scope are refused and change nothing', async () => {
    const admin = clients.admin!;
    for (const who of ['m1', 'm2', 'm3', 'd1', 'd2']) {
      for (const [key, accountId] of Object.entries(t.world.accounts)) {
        const etag = (await admin.get(`/api/v1/accounts/${accountId}`)).headers.etag as string;
        const res = await clients[who]!.patch(`/api/v1/accounts/${accountId}`, { city: `set by ${who}` }, { 'if-match': etag });
        const inScope = visible[who]!.includes(key);
        expect(res.statusCode, `${who} PATCH ${key}`).toBe(inScope ? 200 : 404);
        const after = (await admin.get(`/api/v1/accounts/${accountId}`)).json();
        if (!inScope) expect(after.city).not.toBe(`set by ${who}`);
      }
      // Creating a contact on an account out of scope is refused too.
      const outside = Object.entries(t.world.accounts).find(([k]) => !visible[who]!.includes(k))![1];
      const res = await clients[who]!.post('/api/v1/contacts', { accountId: outside, name: 'Intruder' });
      expect(res.statusCode, `${who} POST contact`).toBe(404);
    }
    for (const who of ['dealer', 'exec', 'logistics']) {
      const res = await clients[who]!.patch(`/api/v1/accounts/${t.world.accounts.acc1}`, { city: 'x' }, { 'if-match': '"x.1"' });
      expect(res.statusCode, `${who} PATCH account`).toBe(403);
    }
  });

  it('a dealer sees its own account without internal fields and no one else', async () => {
    const res = await clients.dealer!.get('/api/v1/accounts');
    expect(res.json().items).toHaveLength(1);
    expect(res.json().items[0]).toMatchObject({ id: t.world.accounts.acc1, tier: null, team: [] });
    expect((await clients.dealer!.get('/api/v1/users')).statusCode).toBe(403);
    expect((await clients.dealer!.get('/api/v1/auth/me')).json()).toMatchObject({ role: 'dealer', accountId: t.world.accounts.acc1 });
    expect((await clients.dealer!.get('/api/v1/audit')).statusCode).toBe(403);
  });

  it('service requests: managers see their accounts\', a department its queue, a dealer only what it opened, never internal notes', async () => {
    const opened: Record<string, string> = {};
    for (const key of ['acc1', 'acc2', 'acc3', 'acc4']) {
      const res = await clients.admin!.post('/api/v1/service-requests', { accountId: t.world.accounts[key as 'acc1'], type: 'quality_complaint', subject: `Cracks at ${key}`, body: 'Hairline cracks after a week.' });
      expect(res.statusCode, res.body).toBe(201);
      opened[`quality-${key}`] = res.json().id;
    }
    const portal = await clients.dealer!.post('/api/v1/service-requests', { type: 'delivery_problem', subject: 'Short delivery', body: 'One pallet missing.' });
    expect(portal.statusCode, portal.body).toBe(201);
    opened.portal = portal.json().id;
    // A dealer opening for another account is still its own: the account comes from who it is.
    const elsewhere = await clients.dealer!.post('/api/v1/service-requests', { accountId: t.world.accounts.acc3, type: 'delivery_problem', subject: 'Not ours', body: 'y' });
    expect(elsewhere.json().accountId, elsewhere.body).toBe(t.world.accounts.acc1);
    opened.portal2 = elsewhere.json().id;
    await clients.logistics!.post(`/api/v1/service-requests/${opened.portal}/messages`, { body: 'Carrier to blame; claim against them.', internal: true });

    const all = Object.keys(opened);
    const expected: Record<string, string[]> = {
      admin: all, logistics: all, exec: all,
      d1: ['quality-acc1', 'quality-acc2', 'portal', 'portal2'], m1: ['quality-acc1', 'quality-acc2', 'portal', 'portal2'], m2: ['quality-acc2'],
      d2: ['quality-acc3'], m3: ['quality-acc3'],
      dealer: ['portal', 'portal2'],
      quality: ['quality-acc1', 'quality-acc2', 'quality-acc3', 'quality-acc4'],
    };
    for (const [who, keys] of Object.entries(expected)) {
      const listed = (await clients[who]!.get('/api/v1/service-requests?status=all&limit=200')).json().items.map((r: { id: string }) => r.id);
      const known = Object.entries(opened).filter(([, id]) => listed.includes(id)).map(([k]) => k).sort();
      expect(known, `${who} lists`).toEqual([...keys].sort());
      for (const [key, id] of Object.entries(opened)) {
        const one = await clients[who]!.get(`/api/v1/service-requests/${id}`);
        expect(one.statusCode, `${who} GET ${key}`).toBe(keys.includes(key) ? 200 : 404);
        if (one.statusCode === 200 && key === 'portal') {
          const internal = one.json().events.filter((e: { internal: boolean }) => e.internal).length;
          if (who === 'dealer') expect(internal, 'the dealer sees no internal note').toBe(0);
          else expect(internal, `${who} sees the internal note`).toBeGreaterThan(0);
        }
      }
    }
    // The quality department now sees the accounts its queue concerns, and only those.
    const q = (await clients.quality!.get('/api/v1/accounts?limit=200')).json().items.map((a: { id: string }) => accountKeyOf(a.id)).sort();
    expect(q).toEqual(['acc1', 'acc2', 'acc3', 'acc4']);
    // Department staff work only their own queue.
    const portalReq = (await clients.quality!.get(`/api/v1/service-requests/${opened['quality-acc1']}`)).json();
    expect((await clients.quality!.post(`/api/v1/service-requests/${opened['quality-acc1']}/take`, { version: portalReq.version })).statusCode).toBe(200);
    const delivery = (await clients.admin!.get(`/api/v1/service-requests/${opened.portal}`)).json();
    expect((await clients.m1!.post(`/api/v1/service-requests/${opened.portal}/status`, { status: 'resolved', note: null, version: delivery.version })).statusCode).toBe(403);
  });
});
