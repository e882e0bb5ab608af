import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildApp, type FeaturePlugin } from '../src/server/app.js';
import { loadConfig } from '../src/server/config.js';
import { fixedClock } from '../src/shared/clock.js';
import { type DialectName, openTestDb } from './dialects.js';
import { PASSWORD, seedWorld, type World } from './factories.js';

export type Client = {
  csrf: string;
  /** The session cookie's value: the same sign-in on another app instance over the same database. */
  session: string;
  request(opts: InjectOptions): Promise<LightMyRequestResponse>;
  get(url: string, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  post(url: string, body?: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  patch(url: string, body: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  put(url: string, body: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  del(url: string, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
};

/** Builds the app on a fresh database of the dialect with the small test world. */
export async function buildTestApp(dialect: DialectName, env: Record<string, string> = {}, opts: { features?: FeaturePlugin[] } = {}) {
  const testDb = await openTestDb(dialect);
  const world = await seedWorld(testDb.db);
  const clock = fixedClock('2026-11-26T08:00:00.000Z');
  // Suites move the clock by hours or days between one user's requests; the idle timeout is off
  // for them (as long as the session) unless a test sets it (auth.db.test.ts does).
  const config = loadConfig({ OPENKAM_DATA_DIR: '/tmp/openkam-test', LOG_LEVEL: 'silent', OPENKAM_SESSION_IDLE_MINUTES: String(24 * 60 * 14), ...env });
  const app = await buildApp(config, testDb.db, { clock, logger: false, ...(opts.features ? { features: opts.features } : {}) });
  await app.ready();
  return {
    app, db: testDb.db, world, clock,
    login: (key: string) => loginAs(app, `${key}@test.local`),
    close: async () => { await app.close(); await testDb.cleanup(); },
  };
}
export type TestApp = Awaited<ReturnType<typeof buildTestApp>>;

/** Signs in through the API and returns a client that sends the session cookie and CSRF token. */
export async function loginAs(app: FastifyInstance, email: string, password = PASSWORD): Promise<Client> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } });
  if (res.statusCode !== 200) throw new Error(`login ${email} failed: ${res.statusCode} ${res.body}`);
  const cookie = res.cookies.find((c) => c.name === 'openkam_session')!;
  const csrf = (res.json() as { csrfToken: string }).csrfToken;
  const request = (opts: InjectOptions) =>
    app.inject({ ...opts, cookies: { openkam_session: cookie.value }, headers: { 'x-csrf-token': csrf, ...(opts.headers ?? {}) } });
  return {
    csrf, request, session: cookie.value,
    get: (url, headers) => request({ method: 'GET', url, headers }),
    post: (url, body, headers) => request({ method: 'POST', url, payload: body as InjectOptions['payload'], headers }),
    patch: (url, body, headers) => request({ method: 'PATCH', url, payload: body as InjectOptions['payload'], headers }),
    put: (url, body, headers) => request({ method: 'PUT', url, payload: body as InjectOptions['payload'], headers }),
    del: (url, headers) => request({ method: 'DELETE', url, headers }),
  };
}

export type { World };
