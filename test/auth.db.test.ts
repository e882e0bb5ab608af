import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildTestApp, loginAs, type TestApp } from './build-test-app.js';
import { describeEachDialect } from './dialects.js';
import { PASSWORD } from './factories.js';

describeEachDialect('sign-in, sessions and API tokens', (dialect) => {
  let t: TestApp;
  beforeAll(async () => { t = await buildTestApp(dialect); });
  afterAll(async () => t?.close());

  const login = (email: string, password: string, ip = '10.0.0.1') =>
    t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password }, remoteAddress: ip });

  it('sets an HttpOnly, SameSite=Lax session cookie and never stores the token itself', async () => {
    const res = await login('m1@test.local', PASSWORD);
    expect(res.statusCode).toBe(200);
    const c = res.cookies.find((x) => x.name === 'openkam_session')!;
    expect(c).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    const stored = await t.db.kysely.selectFrom('sessions').select('id').execute();
    expect(stored.map((s) => s.id)).not.toContain(c.value);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('marks the cookie Secure behind HTTPS', async () => {
    const h = await buildTestApp(dialect, { OPENKAM_TRUST_PROXY: 'true' });
    const res = await h.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'm1@test.local', password: PASSWORD }, headers: { 'x-forwarded-proto': 'https' } });
    expect(res.cookies.find((x) => x.name === 'openkam_session')!.secure).toBe(true);
    await h.close();
  });

  it('answers a wrong password and an unknown e-mail the same way', async () => {
    const a = await login('m2@test.local', 'wrong-password', '10.0.0.2');
    const b = await login('nobody@test.local', 'wrong-password', '10.0.0.2');
    expect([a.statusCode, b.statusCode]).toEqual([401, 401]);
    expect(a.json().detail).toBe(b.json().detail);
  });

  const deviceOf = (res: { cookies: { name: string; value: string }[] }) => res.cookies.find((c) => c.name === 'openkam_device')?.value;
  const loginFrom = (email: string, password: string, ip: string, device?: string) =>
    t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password }, remoteAddress: ip, ...(device && { cookies: { openkam_device: device } }) });

  it('throttles failures per account and address with 429 and Retry-After; the owner still signs in from another address', async () => {
    for (let i = 0; i < 5; i++) expect((await login('m3@test.local', 'wrong', '10.1.0.1')).statusCode).toBe(401);
    const attacker = await login('m3@test.local', PASSWORD, '10.1.0.1');
    expect(attacker.statusCode).toBe(429);
    expect(attacker.json().code).toBe('too_many_attempts');
    expect(Number(attacker.headers['retry-after'])).toBeGreaterThan(0);
    expect((await login('m3@test.local', PASSWORD, '10.1.0.2')).statusCode).toBe(200);
    expect((await login('m3@test.local', 'wrong', '10.1.0.1')).statusCode).toBe(429);
    t.clock.advance(16 * 60_000);
    expect((await login('m3@test.local', PASSWORD, '10.1.0.1')).statusCode).toBe(200);
  });

  it('a guess spread over many addresses locks the account for new devices, not for a device the owner signed in from', async () => {
    const first = await loginFrom('d1@test.local', PASSWORD, '10.4.0.1');
    const device = deviceOf(first);
    expect(device).toBeTruthy();
    expect(first.cookies.find((c) => c.name === 'openkam_device')).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
    await Promise.all(Array.from({ length: 10 }, async (_, a) => {
      for (let i = 0; i < 5; i++) expect((await loginFrom('d1@test.local', `guess-${a}-${i}`, `10.5.0.${a}`)).statusCode).toBe(401);
    }));

    const newDevice = await loginFrom('d1@test.local', PASSWORD, '10.6.0.1');
    expect(newDevice.statusCode).toBe(429);
    expect(Number(newDevice.headers['retry-after'])).toBeGreaterThan(15 * 60);
    expect((await loginFrom('d1@test.local', PASSWORD, '10.6.0.1', device)).statusCode).toBe(200);

    // The attacker stays throttled from a fresh address, with the right password, and with a made-up
    // device cookie or another user's real one.
    expect((await loginFrom('d1@test.local', 'guess-again', '10.5.0.99')).statusCode).toBe(429);
    expect((await loginFrom('d1@test.local', PASSWORD, '10.5.0.99')).statusCode).toBe(429);
    expect((await loginFrom('d1@test.local', PASSWORD, '10.5.0.99', 'A'.repeat(43))).statusCode).toBe(429);
    const othersDevice = deviceOf(await loginFrom('m1@test.local', PASSWORD, '10.5.0.99'));
    expect((await loginFrom('d1@test.local', PASSWORD, '10.5.0.99', othersDevice)).statusCode).toBe(429);

    // A known device guessing wrong is throttled too, on its own count.
    for (let i = 0; i < 5; i++) expect((await loginFrom('d1@test.local', 'wrong', '10.6.0.1', device)).statusCode).toBe(401);
    expect((await loginFrom('d1@test.local', PASSWORD, '10.6.0.1', device)).statusCode).toBe(429);
    t.clock.advance(61 * 60_000);
    expect((await loginFrom('d1@test.local', PASSWORD, '10.6.0.2')).statusCode).toBe(200);
  });

  it('throttles repeated failures per address across accounts', async () => {
    for (let i = 0; i < 20; i++) await login(`guess${i}@test.local`, 'wrong', '10.9.9.9');
    const res = await login('exec@test.local', PASSWORD, '10.9.9.9');
    expect(res.statusCode).toBe(429);
    expect((await login('exec@test.local', PASSWORD, '10.9.9.10')).statusCode).toBe(200);
    t.clock.advance(16 * 60_000);
  });

  it('refuses a cookie-authenticated write without the CSRF token', async () => {
    const c = await t.login('m1');
    const noCsrf = await c.request({ method: 'POST', url: '/api/v1/contacts', payload: { accountId: t.world.accounts.acc1, name: 'X' }, headers: { 'x-csrf-token': '' } });
    expect(noCsrf.statusCode).toBe(403);
    expect(noCsrf.json().code).toBe('csrf');
    const ok = await c.post('/api/v1/contacts', { accountId: t.world.accounts.acc1, name: 'X' });
    expect(ok.statusCode).toBe(201);
  });

  it('signs out everywhere: every session of the user ends', async () => {
    const phone = await t.login('m2');
    const laptop = await t.login('m2');
    expect((await laptop.post('/api/v1/auth/logout-everywhere')).json().sessionsEnded).toBeGreaterThanOrEqual(2);
    expect((await phone.get('/api/v1/auth/me')).statusCode).toBe(401);
    expect((await laptop.get('/api/v1/auth/me')).statusCode).toBe(401);
  });

  const bearerGet = (token: string) => t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { authorization: `Bearer ${token}` } });
  const auditOf = (userId: string, action: string) =>
    t.db.kysely.selectFrom('audit_log').select(['entity', 'entity_id', 'after_json']).where('actor_id', '=', userId).where('action', '=', action).execute();

  it("signing out everywhere revokes the user's API tokens and forgets their devices, audited", async () => {
    const c = await t.login('m2');
    const token = (await c.post('/api/v1/auth/tokens', { name: 'ERP sync', scope: 'read-write' })).json();
    const others = (await (await t.login('m1')).post('/api/v1/auth/tokens', { name: 'BI', scope: 'read' })).json();
    expect((await bearerGet(token.token)).statusCode).toBe(200);
    const res = await c.post('/api/v1/auth/logout-everywhere');
    expect(res.json()).toMatchObject({ tokensRevoked: 1 });
    expect((await bearerGet(token.token)).statusCode).toBe(401);
    expect((await bearerGet(others.token)).statusCode).toBe(200);
    expect(await auditOf(t.world.users.m2!, 'revoke')).toContainEqual(expect.objectContaining({ entity: 'api_token', entity_id: token.id }));
    expect(await t.db.kysely.selectFrom('known_devices').where('user_id', '=', t.world.users.m2!).selectAll().execute()).toEqual([]);
  });

  it('changing the password revokes the API tokens, audited', async () => {
    const c = await t.login('exec');
    const token = (await c.post('/api/v1/auth/tokens', { name: 'Board pack', scope: 'read' })).json();
    expect((await c.post('/api/v1/auth/password', { currentPassword: PASSWORD, newPassword: 'exec-new-password-9' })).statusCode).toBe(204);
    expect((await bearerGet(token.token)).statusCode).toBe(401);
    expect((await c.get('/api/v1/auth/tokens')).json().items[0].revokedAt).not.toBeNull();
    expect(await auditOf(t.world.users.exec!, 'revoke')).toContainEqual(expect.objectContaining({ entity: 'api_token', entity_id: token.id }));
    expect((await c.post('/api/v1/auth/password', { currentPassword: 'exec-new-password-9', newPassword: PASSWORD })).statusCode).toBe(204);
  });

  it('changes the password only with the current one, and ends the other sessions', async () => {
    const other = await t.login('d2');
    const me = await t.login('d2');
    const wrong = await me.post('/api/v1/auth/password', { currentPassword: 'nope', newPassword: 'a-new-password-2' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().errors[0].path).toBe('body.currentPassword');
    const short = await me.post('/api/v1/auth/password', { currentPassword: PASSWORD, newPassword: 'short' });
    expect(short.json().errors[0].path).toBe('body.newPassword');
    expect((await me.post('/api/v1/auth/password', { currentPassword: PASSWORD, newPassword: 'a-new-password-2' })).statusCode).toBe(204);
    expect((await me.get('/api/v1/auth/me')).statusCode).toBe(200);
    expect((await other.get('/api/v1/auth/me')).statusCode).toBe(401);
    expect((await login('d2@test.local', PASSWORD, '10.2.0.1')).statusCode).toBe(401);
    await loginAs(t.app, 'd2@test.local', 'a-new-password-2');
  });

  it('refuses a new password that is only spaces or one of the 10,000 most common, whatever its case', async () => {
    const me = await t.login('m1');
    for (const newPassword of [' '.repeat(12), 'PassWord123', 'qwertyuiop', ' 1234567890 ']) {
      const res = await me.post('/api/v1/auth/password', { currentPassword: PASSWORD, newPassword });
      expect(res.statusCode, JSON.stringify(newPassword)).toBe(400);
      expect(res.json().errors[0].path).toBe('body.newPassword');
    }
    expect((await me.post('/api/v1/auth/password', { currentPassword: PASSWORD, newPassword: 'short' })).json().errors[0].message).toMatch(/at least 10 characters/);
    expect((await login('m1@test.local', PASSWORD, '10.7.0.1')).statusCode).toBe(200);

    const admin = await t.login('admin');
    const create = (password: string) => admin.post('/api/v1/users', { email: `new-${password.length}@test.local`, name: 'New', role: 'executive', password });
    const common = await create('Password123');
    expect(common.statusCode).toBe(400);
    expect(common.json().errors[0]).toMatchObject({ path: 'body.password', message: expect.stringMatching(/most common passwords/) });
    expect((await create('\t'.repeat(10))).json().errors[0]).toMatchObject({ path: 'body.password', message: expect.stringMatching(/only spaces/) });
    expect((await create('correct horse battery staple')).statusCode).toBe(201);
  });

  it('API tokens: shown once, hashed at rest, read-only scope cannot write, revocation takes effect', async () => {
    const c = await t.login('m1');
    const ro = (await c.post('/api/v1/auth/tokens', { name: 'BI export', scope: 'read' })).json();
    const rw = (await c.post('/api/v1/auth/tokens', { name: 'ERP sync', scope: 'read-write' })).json();
    expect(ro.token).toMatch(/^okm_/);
    const listed = (await c.get('/api/v1/auth/tokens')).json().items;
    expect(listed.every((x: Record<string, unknown>) => !('token' in x))).toBe(true);
    const rows = await t.db.kysely.selectFrom('api_tokens').select('token_hash').execute();
    expect(rows.map((r) => r.token_hash)).not.toContain(ro.token);

    const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/accounts', headers: bearer(ro.token) })).json().items).toHaveLength(2);
    const write = { method: 'POST' as const, url: '/api/v1/contacts', payload: { accountId: t.world.accounts.acc1, name: 'Via API' } };
    expect((await t.app.inject({ ...write, headers: bearer(ro.token) })).statusCode).toBe(403);
    expect((await t.app.inject({ ...write, headers: bearer(rw.token) })).statusCode).toBe(201);

    expect((await c.del(`/api/v1/auth/tokens/${rw.id}`)).statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/accounts', headers: bearer(rw.token) })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/accounts', headers: bearer('okm_AAAAAAAA_' + 'B'.repeat(32)) })).statusCode).toBe(401);
  });

  it('a deactivated user is signed out at once and cannot sign in', async () => {
    const admin = await t.login('admin');
    const victim = await t.login('logistics');
    const etag = (await admin.get(`/api/v1/users/${t.world.users.logistics}`)).headers.etag as string;
    expect((await admin.patch(`/api/v1/users/${t.world.users.logistics}`, { active: false }, { 'if-match': etag })).statusCode).toBe(200);
    expect((await victim.get('/api/v1/auth/me')).statusCode).toBe(401);
    expect((await login('logistics@test.local', PASSWORD, '10.3.0.1')).statusCode).toBe(401);
  });

  it('ends a session left idle past OPENKAM_SESSION_IDLE_MINUTES, keeps one in use, and records use at most once a minute', async () => {
    const h = await buildTestApp(dialect, { OPENKAM_SESSION_IDLE_MINUTES: '30' });
    try {
      const c = await loginAs(h.app, 'm1@test.local');
      for (let i = 0; i < 3; i++) {
        h.clock.advance(20 * 60_000);
        expect((await c.get('/api/v1/auth/me')).statusCode).toBe(200);
      }
      h.clock.advance(31 * 60_000);
      expect((await c.get('/api/v1/auth/me')).statusCode).toBe(401);
      const left = await h.db.kysely.selectFrom('sessions').select('id').where('user_id', '=', h.world.users.m1!).execute();
      expect(left).toEqual([]);

      const m2 = await loginAs(h.app, 'm2@test.local');
      const seen = async () => (await h.db.kysely.selectFrom('sessions').select('last_seen_at').where('user_id', '=', h.world.users.m2!).executeTakeFirstOrThrow()).last_seen_at;
      const signedIn = await seen();
      h.clock.advance(30_000);
      expect((await m2.get('/api/v1/auth/me')).statusCode).toBe(200);
      expect(await seen()).toBe(signedIn);
      h.clock.advance(31_000);
      expect((await m2.get('/api/v1/auth/me')).statusCode).toBe(200);
      expect(await seen()).toBe(h.clock.now().toISOString());
    } finally {
      await h.close();
    }
  });

  it('remembers the language a user picks', async () => {
    const c = await t.login('m1');
    expect((await c.patch('/api/v1/auth/me', { locale: 'zh-CN' })).json().locale).toBe('zh-CN');
    expect((await (await t.login('m1')).get('/api/v1/auth/me')).json().locale).toBe('zh-CN');
    expect((await c.patch('/api/v1/auth/me', { locale: 'fr' })).statusCode).toBe(400);
  });
});
