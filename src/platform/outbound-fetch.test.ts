/**
 * The outbound fetch against servers on 127.0.0.1 (no outside network exists here). Names are
 * mapped to addresses by an injected lookup, so "feeds.example is 10.0.0.5" needs no DNS, and
 * every refused address is refused before a connection is made: nothing leaves the machine.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllowList } from './outbound-address.js';
import { checkOutboundUrl, fetchOutbound, OutboundFetchError, type LookupAll, type OutboundPolicy } from './outbound-fetch.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

async function server(routes: Record<string, Handler>) {
  const seen: { url: string; host: string }[] = [];
  const s = createServer((req, res) => {
    seen.push({ url: req.url ?? '', host: req.headers.host ?? '' });
    const h = routes[req.url ?? ''];
    if (h) h(req, res);
    else res.writeHead(404).end('no such page');
  });
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as AddressInfo).port;
  return { port, base: `http://127.0.0.1:${port}`, seen, routes, close: () => new Promise<void>((resolve) => { s.close(() => resolve()); s.closeAllConnections(); }) };
}

const send = (body: string | Buffer, headers: Record<string, string> = {}, status = 200): Handler => (_req, res) => { res.writeHead(status, headers).end(body); };
const redirect = (location: string, status = 302): Handler => send('', { location }, status);

/** A lookup from a fixed table; records each name it was asked. */
function table(map: Record<string, string[]>) {
  const asked: string[] = [];
  const lookup: LookupAll = async (host) => {
    asked.push(host);
    const addrs = map[host];
    if (!addrs) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    return addrs.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  return { lookup, asked };
}

const limits = { timeoutMs: 5000, maxBytes: 64 * 1024 };

async function failure(p: Promise<unknown>): Promise<OutboundFetchError> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err, 'the fetch should have failed').toBeInstanceOf(OutboundFetchError);
  return err as OutboundFetchError;
}

describe('outbound fetch of a user-configured URL', () => {
  let a: Awaited<ReturnType<typeof server>>;
  let b: Awaited<ReturnType<typeof server>>;
  const policy = (allow: string, map: Record<string, string[]> = {}): OutboundPolicy => ({ allow: parseAllowList(allow), lookup: table(map).lookup });

  beforeAll(async () => {
    b = await server({ '/secret': send('internal secret') });
    a = await server({
      '/doc': send('<alert/>', { 'content-type': 'application/cap+xml' }),
      '/to-b': redirect(`http://127.0.0.1:0/secret`),
      '/to-metadata': redirect('http://169.254.169.254/latest/meta-data/', 307),
      '/to-private-name': redirect('http://intranet.example/feed'),
      '/to-ftp': redirect('ftp://127.0.0.1/feed'),
      '/to-file': redirect('file:///etc/passwd'),
      '/r1': redirect('/r2'), '/r2': redirect('/r3'), '/r3': redirect('/r4'), '/r4': redirect('/r5'), '/r5': redirect('/doc'),
      '/r0': redirect('/r1'),
      '/declared-big': send(Buffer.alloc(100 * 1024, 'x'), { 'content-type': 'application/xml' }),
      '/streamed-big': (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/xml' });
        for (let i = 0; i < 100; i++) res.write(Buffer.alloc(1024, 'x'));
        res.end();
      },
      '/gzip-bomb': (_req, res) => {
        const packed = gzipSync(Buffer.alloc(8 * 1024 * 1024, 0));
        res.writeHead(200, { 'content-type': 'application/xml', 'content-encoding': 'gzip', 'content-length': String(packed.length) }).end(packed);
      },
      '/gzip-small': send(gzipSync(Buffer.from('<alert>packed</alert>')), { 'content-encoding': 'gzip' }),
      '/silent': () => undefined,
      '/stalls': (_req, res) => { res.writeHead(200, { 'content-type': 'application/xml' }); res.write('<alert>'); },
      '/fails': send(`stack trace with internal secret 7f3a`, { 'content-type': 'text/plain' }, 500),
    });
    a.routes['/to-b'] = redirect(`${b.base}/secret`);
  });
  afterAll(async () => { await a?.close(); await b?.close(); });

  it('fetches a public-or-allowed address and answers the body', async () => {
    const res = await fetchOutbound(`${a.base}/doc`, policy(`127.0.0.1:${a.port}`), limits);
    expect(res).toMatchObject({ status: 200, contentType: 'application/cap+xml', url: `${a.base}/doc` });
    expect(res.body.toString()).toBe('<alert/>');
    expect((await fetchOutbound(`${a.base}/gzip-small`, policy(`127.0.0.1:${a.port}`), limits)).body.toString()).toBe('<alert>packed</alert>');
  });

  it('refuses loopback, private, link-local and metadata addresses, literal or resolved, and connects to none', async () => {
    const names = {
      'intranet.example': ['10.0.0.5'], 'mixed.example': ['93.184.216.34', '10.0.0.5'], 'mapped.example': ['::ffff:169.254.169.254'],
      'aws6.example': ['fd00:ec2::254'], 'cgnat.example': ['100.64.1.1'], 'loop.example': ['127.0.0.1'],
    };
    const urls = [
      `${b.base}/secret`, `http://[::1]:${b.port}/secret`, `http://0.0.0.0:${b.port}/secret`, `http://[::ffff:7f00:1]:${b.port}/secret`,
      `http://2130706433:${b.port}/secret`, `http://0x7f.1:${b.port}/secret`, 'http://169.254.169.254/latest/meta-data/',
      ...Object.keys(names).map((n) => `http://${n}:${b.port}/secret`),
    ];
    for (const url of urls) {
      const err = await failure(fetchOutbound(url, policy('', names), limits));
      expect(err.reason, url).toBe('address_not_allowed');
      expect(err.message).toBe('The address is not allowed');
    }
    expect((await failure(fetchOutbound(`${b.base}/secret`, policy(`127.0.0.1:${a.port}`), limits))).reason).toBe('address_not_allowed');
    for (const url of ['ftp://127.0.0.1/x', 'file:///etc/passwd']) expect((await failure(fetchOutbound(url, policy('127.0.0.1'), limits))).reason).toBe('address_not_allowed');
    expect(b.seen).toEqual([]);
  });

  it('connects to the address it checked, keeping the name for Host, and never asks DNS twice', async () => {
    // A name that answers 127.0.0.1 to the check and something else to any later lookup (DNS rebinding).
    let calls = 0;
    const rebinding: LookupAll = async () => (calls++ === 0 ? [{ address: '127.0.0.1', family: 4 }] : [{ address: '10.0.0.5', family: 4 }]);
    const res = await fetchOutbound(`http://feeds.internal.test:${a.port}/doc`, { allow: parseAllowList(`127.0.0.1:${a.port}`), lookup: rebinding }, limits);
    expect(res.body.toString()).toBe('<alert/>');
    expect(calls).toBe(1);
    expect(a.seen.at(-1)).toEqual({ url: '/doc', host: `feeds.internal.test:${a.port}` });
  });

  it('lets an allowed host name through whatever it resolves to, on its port only', async () => {
    const names = { 'cap.internal.test': ['127.0.0.1'] };
    expect((await fetchOutbound(`http://cap.internal.test:${a.port}/doc`, policy(`cap.internal.test:${a.port}`, names), limits)).status).toBe(200);
    expect((await failure(fetchOutbound(`http://cap.internal.test:${b.port}/secret`, policy(`cap.internal.test:${a.port}`, names), limits))).reason).toBe('address_not_allowed');
    expect(b.seen).toEqual([]);
  });

  it('checks every redirect hop like the first URL and gives up after five', async () => {
    const p = policy(`127.0.0.1:${a.port}`, { 'intranet.example': ['10.0.0.5'] });
    for (const path of ['/to-b', '/to-metadata', '/to-private-name', '/to-ftp', '/to-file']) {
      const err = await failure(fetchOutbound(`${a.base}${path}`, p, limits));
      expect(err.reason, path).toBe('address_not_allowed');
    }
    expect(b.seen).toEqual([]);
    expect((await fetchOutbound(`${a.base}/r1`, p, limits)).url).toBe(`${a.base}/doc`);
    const tooMany = await failure(fetchOutbound(`${a.base}/r0`, p, limits));
    expect(tooMany.reason).toBe('fetch_failed');
    expect(tooMany.logDetail).toContain('more than 5 redirects');
  });

  it('cuts a body past the cap, whether declared, streamed or compressed', async () => {
    const p = policy(`127.0.0.1:${a.port}`);
    for (const path of ['/declared-big', '/streamed-big', '/gzip-bomb']) {
      const err = await failure(fetchOutbound(`${a.base}${path}`, p, limits));
      expect(err.reason, path).toBe('too_large');
      expect(err.message).toBe('The answer is too large');
    }
  });

  it('gives up on a server or a name that does not answer in time', async () => {
    const short = { ...limits, timeoutMs: 300 };
    const p = policy(`127.0.0.1:${a.port}`);
    for (const path of ['/silent', '/stalls']) {
      const err = await failure(fetchOutbound(`${a.base}${path}`, p, short));
      expect(err.reason, path).toBe('timeout');
      expect(err.message).toBe('The server did not answer in time');
    }
    const hanging: OutboundPolicy = { allow: parseAllowList(''), lookup: () => new Promise(() => undefined) };
    expect((await failure(fetchOutbound('http://slow-dns.example/', hanging, short))).reason).toBe('timeout');
  });

  it('reports a failed answer without its status or body, which go to the log detail only', async () => {
    const err = await failure(fetchOutbound(`${a.base}/fails`, policy(`127.0.0.1:${a.port}`), limits));
    expect(err.reason).toBe('fetch_failed');
    expect(err.message).toBe('The address could not be fetched');
    expect(err.message).not.toMatch(/500|secret/);
    expect(err.logDetail).toContain('HTTP 500');
    expect(err.logDetail).not.toContain('secret');
  });

  it('checks an address without fetching it', async () => {
    const p = policy('', { 'intranet.example': ['10.0.0.5'], 'public.example': ['93.184.216.34'] });
    await expect(checkOutboundUrl('http://public.example/feed', p, limits)).resolves.toBeUndefined();
    expect((await failure(checkOutboundUrl('http://intranet.example/feed', p, limits))).reason).toBe('address_not_allowed');
    expect((await failure(checkOutboundUrl('http://unknown.example/feed', p, limits))).reason).toBe('fetch_failed');
  });
});
