/**
 * What a CAP feed poll may reach and what it tells about what it reached (issue #12, item 9):
 * the feed, its entries' links and every redirect go only to public addresses or to what
 * OPENKAM_FEED_ALLOW_HOSTS lets through; failures are stored and answered as a generic reason
 * with a stable code, never the upstream status or body.
 *
 * No outside network exists here, so "public" is never reached: every server is on 127.0.0.1,
 * and the addresses that must be refused (169.254.169.254, other loopback ports) are refused
 * before any connection is made.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { newId } from '../src/shared/ids.js';
import type { Client } from './build-test-app.js';
import { describeEachDialect } from './dialects.js';
import { buildHazardApp, localServer } from './hazards-helpers.js';

const alertXml = readFileSync(path.resolve('test/fixtures/hazards/wenling-typhoon-alert.xml'), 'utf8');
const cap = (identifier: string) => alertXml.replace('<identifier>TEST-ZJ-TY-001</identifier>', `<identifier>${identifier}</identifier>`);
const rss = (links: string[]) => `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Test</title>
  ${links.map((l, i) => `<item><title>Item ${i}</title><guid>urn:test:item-${i}-${l.length}</guid><link>${l}</link></item>`).join('\n')}
</channel></rss>`;
const SECRET = 'SECRET-CREDENTIAL-7f3a';
const METADATA = 'http://169.254.169.254/latest/meta-data/iam/security-credentials/';

describeEachDialect('CAP feed fetches: address filter, caps and generic reasons', (dialect) => {
  let feedHost: Awaited<ReturnType<typeof localServer>>;
  let internal: Awaited<ReturnType<typeof localServer>>;
  let closed: Awaited<ReturnType<typeof buildHazardApp>>;
  let allowed: Awaited<ReturnType<typeof buildHazardApp>>;
  let closedAdmin: Client, admin: Client;

  /** Adds a feed on the allowed app and polls it once; the poll's result for it. */
  const pollNew = async (name: string, url: string) => {
    const created = await admin.post('/api/v1/hazards/feeds', { name, url });
    expect(created.statusCode, created.body).toBe(201);
    const poll = await admin.post(`/api/v1/hazards/feeds/${created.json().id}/poll`);
    expect(poll.statusCode, poll.body).toBe(200);
    return { id: created.json().id as string, result: poll.json().feeds[0] };
  };

  beforeAll(async () => {
    // A service that must stay unreachable: a valid CAP document on a loopback port nobody allowed.
    internal = await localServer({ '/secret.xml': { body: cap('INTERNAL-1') } });
    feedHost = await localServer({});
    const r = feedHost.routes;
    r['/cap/ok.xml'] = { body: cap('FEED-OK-1') };
    r['/cap/hop-target.xml'] = { body: cap('FEED-HOP-1') };
    r['/entries'] = {
      type: 'application/rss+xml',
      body: rss([METADATA, `${internal.base}/secret.xml`, `http://[::ffff:127.0.0.1]:${internal.port}/secret.xml`, `${feedHost.base}/cap/ok.xml`]),
    };
    r['/to-internal'] = { status: 302, headers: { location: `${internal.base}/secret.xml` }, body: '' };
    r['/to-metadata'] = { status: 307, headers: { location: METADATA }, body: '' };
    r['/hop'] = { status: 301, headers: { location: '/cap/hop-target.xml' }, body: '' };
    r['/loop'] = { status: 302, headers: { location: '/loop' }, body: '' };
    r['/big'] = { body: `<?xml version="1.0"?><alert>${'x'.repeat(100 * 1024)}</alert>` };
    r['/big-stream'] = {
      handle: (res) => {
        res.writeHead(200, { 'content-type': 'application/xml' });
        for (let i = 0; i < 100; i++) res.write('x'.repeat(1024));
        res.end();
      },
    };
    r['/silent'] = { handle: () => undefined };
    r['/leak'] = { status: 500, type: 'text/plain', body: `upstream trace: ${SECRET}` };
    r['/html'] = { type: 'text/html', body: `<html><body>${SECRET}</body></html>` };
    r['/json'] = { type: 'application/json', body: `{"AccessKeyId":"${SECRET}"}` };
    r['/entries-leak'] = { type: 'application/rss+xml', body: rss([`${feedHost.base}/leak`, `${feedHost.base}/html`]) };

    closed = await buildHazardApp(dialect);
    allowed = await buildHazardApp(dialect, {
      OPENKAM_FEED_ALLOW_HOSTS: `127.0.0.1:${feedHost.port}`,
      OPENKAM_CAP_MAX_BYTES: String(64 * 1024),
      OPENKAM_HAZARD_FETCH_TIMEOUT_MS: '1000',
    });
    closedAdmin = await closed.login('admin');
    admin = await allowed.login('admin');
  });
  afterAll(async () => {
    await closed?.close();
    await allowed?.close();
    await feedHost?.close();
    await internal?.close();
  });

  it('refuses a feed on a loopback address when nothing is allowed, and never connects to it', async () => {
    for (const url of [`${internal.base}/secret.xml`, `http://localhost:${internal.port}/secret.xml`, `http://[::1]:${internal.port}/`, `http://2130706433:${internal.port}/secret.xml`, METADATA]) {
      const res = await closedAdmin.post('/api/v1/hazards/feeds', { name: 'Internal', url });
      expect(res.statusCode, `${url}: ${res.body}`).toBe(422);
      expect(res.json()).toMatchObject({ code: 'feed_address_not_allowed', detail: 'The feed address is not allowed' });
    }
    // A feed stored before the rule (or whose name has since moved to a private address) is refused when polled.
    const id = newId();
    await closed.db.kysely.insertInto('hazard_feeds').values({
      id, name: 'Old', url: `${internal.base}/secret.xml`, enabled: 1, last_polled_at: null, last_status: null, last_error: null, last_new_alerts: 0,
      seen_json: '[]', created_at: '2026-11-01T00:00:00.000Z', updated_at: '2026-11-01T00:00:00.000Z', version: 1,
    }).execute();
    const poll = await closedAdmin.post(`/api/v1/hazards/feeds/${id}/poll`);
    expect(poll.json().feeds[0]).toMatchObject({ status: 'failed', newAlerts: 0, error: 'The feed address is not allowed', errorCode: 'feed_address_not_allowed' });
    expect((await closedAdmin.get(`/api/v1/hazards/feeds/${id}`)).json()).toMatchObject({ lastStatus: 'failed', lastError: 'The feed address is not allowed', lastErrorCode: 'feed_address_not_allowed' });
    expect(internal.received).toEqual([]);
  });

  it('fetches an entry on the allowed host but refuses entry links to the metadata address and to loopback ports that are not allowed', async () => {
    const { result } = await pollNew('Entries', `${feedHost.base}/entries`);
    expect(result).toMatchObject({ status: 'partial', newAlerts: 1, errorCode: 'feed_entries_failed' });
    expect(result.error.match(/the linked address is not allowed/g)).toHaveLength(3);
    expect(result.error).toContain(METADATA);
    expect(internal.received).toEqual([]);
    const ids = (await admin.get('/api/v1/hazards/alerts?state=all')).json().items.map((a: { identifier: string }) => a.identifier);
    expect(ids).toContain('FEED-OK-1');
    expect(ids).not.toContain('INTERNAL-1');
  });

  it('follows a redirect on the allowed host and refuses one to an address that is not allowed', async () => {
    expect((await pollNew('Hop', `${feedHost.base}/hop`)).result).toMatchObject({ status: 'ok', newAlerts: 1, error: null, errorCode: null });
    for (const p of ['/to-internal', '/to-metadata']) {
      expect((await pollNew(p, `${feedHost.base}${p}`)).result).toMatchObject({ status: 'failed', error: 'The feed address is not allowed', errorCode: 'feed_address_not_allowed' });
    }
    expect((await pollNew('Loop', `${feedHost.base}/loop`)).result).toMatchObject({ status: 'failed', error: 'The feed could not be fetched', errorCode: 'feed_fetch_failed' });
    expect(internal.received).toEqual([]);
  });

  it('cuts an oversize feed and a silent server with a generic reason', async () => {
    for (const p of ['/big', '/big-stream']) {
      expect((await pollNew(p, `${feedHost.base}${p}`)).result).toMatchObject({ status: 'failed', error: 'The feed is too large', errorCode: 'feed_too_large' });
    }
    expect((await pollNew('Silent', `${feedHost.base}/silent`)).result).toMatchObject({ status: 'failed', error: 'The feed did not answer in time', errorCode: 'feed_timeout' });
  });

  it('reports an upstream failure without its status or content', async () => {
    expect((await pollNew('Leak', `${feedHost.base}/leak`)).result).toMatchObject({ status: 'failed', error: 'The feed could not be fetched', errorCode: 'feed_fetch_failed' });
    for (const p of ['/html', '/json']) {
      expect((await pollNew(p, `${feedHost.base}${p}`)).result).toMatchObject({ status: 'failed', error: 'The feed is not a CAP, Atom or RSS document', errorCode: 'feed_not_cap' });
    }
    const entries = await pollNew('Entries leak', `${feedHost.base}/entries-leak`);
    expect(entries.result).toMatchObject({ status: 'partial', errorCode: 'feed_entries_failed' });
    expect(entries.result.error).toContain('the linked document could not be fetched');
    expect(entries.result.error).toContain('the linked document is not a CAP alert');
    const errors = (await admin.get('/api/v1/hazards/feeds')).json().map((f: { lastError: string | null }) => f.lastError ?? '').join('\n');
    for (const leaked of [SECRET, 'HTTP 500', '<html>', 'root element', 'AccessKeyId', "char '{'"]) expect(errors).not.toContain(leaked);
  });
});
