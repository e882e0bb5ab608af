/**
 * The one way the server fetches a URL that a user configured (CAP feeds and the links inside
 * them). Global fetch follows redirects anywhere and resolves the name again when it connects,
 * so a name could pass a check and then point at 127.0.0.1. Here each hop's host is resolved
 * once, every address is checked (`outbound-address.ts`), and the socket connects to those very
 * addresses (a pinned `lookup`; TLS still verifies the name). Redirects are followed by hand and
 * checked like the first URL; the body and the total time are capped.
 *
 * Failures are `OutboundFetchError`s: a generic message and stable code for users, the detail
 * (status, address, error) in `logDetail` for the server log only.
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { addAbortSignal, pipeline, type Readable } from 'node:stream';
import zlib from 'node:zlib';
import { refusalOf, type AllowList } from './outbound-address.js';

/** A resolved address of a host. */
export type ResolvedAddress = { address: string; family: number };
/** Resolves a host name to all its addresses (dns.lookup by default; tests map names without DNS). */
export type LookupAll = (hostname: string) => Promise<readonly ResolvedAddress[]>;

/** Where a fetch may go: public addresses, plus what `allow` lets through. */
export type OutboundPolicy = { allow: AllowList; lookup?: LookupAll | undefined };

export type OutboundRequest = {
  /** The whole fetch: every lookup, connection, redirect and the body. */
  timeoutMs: number;
  /** Largest body accepted, after decompression. */
  maxBytes: number;
  /** Redirects followed before giving up (default 5). */
  maxRedirects?: number;
  headers?: Record<string, string>;
};

export type OutboundResponse = { url: string; status: number; contentType: string | null; body: Buffer };

export type OutboundFailure = 'address_not_allowed' | 'fetch_failed' | 'too_large' | 'timeout';

const MESSAGES: Record<OutboundFailure, string> = {
  address_not_allowed: 'The address is not allowed',
  fetch_failed: 'The address could not be fetched',
  too_large: 'The answer is too large',
  timeout: 'The server did not answer in time',
};

/**
 * A failed outbound fetch. Its message and `reason` are safe to show; what happened upstream is
 * in `logDetail`, for the server log only. Not an AppError: each caller says what failed in its
 * own words (the feed, a linked entry) and with its own codes; one that escapes is a plain 500.
 */
export class OutboundFetchError extends Error {
  constructor(readonly reason: OutboundFailure, readonly logDetail: string) {
    super(MESSAGES[reason]);
    this.name = 'OutboundFetchError';
  }
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const DEFAULT_MAX_REDIRECTS = 5;

const systemLookup: LookupAll = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

/** The URL, if it is http(s); anything else is refused before any lookup. */
function httpUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new OutboundFetchError('fetch_failed', `not a URL: ${text.slice(0, 200)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new OutboundFetchError('address_not_allowed', `scheme ${url.protocol} is not http(s)`);
  return url;
}

const bareHost = (url: URL) => url.hostname.replace(/^\[|\]$/g, '');

function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (v) => { signal.removeEventListener('abort', onAbort); resolve(v); },
      (e: unknown) => { signal.removeEventListener('abort', onAbort); reject(e); },
    );
  });
}

/** The host's addresses, each checked; throws `address_not_allowed` naming the first refused one. */
async function permittedAddresses(url: URL, policy: OutboundPolicy, signal: AbortSignal): Promise<ResolvedAddress[]> {
  const host = bareHost(url);
  const family = isIP(host);
  const addresses = family ? [{ address: host, family }] : [...(await untilAborted((policy.lookup ?? systemLookup)(host), signal))];
  const refusal = refusalOf(url, addresses.map((a) => a.address), policy.allow);
  if (refusal) throw new OutboundFetchError('address_not_allowed', refusal);
  return addresses;
}

/** A `lookup` for the socket that answers with the addresses already checked, never asking DNS again. */
function pinnedLookup(addresses: readonly ResolvedAddress[]): LookupFunction {
  return (_hostname, options, callback) => {
    const wanted = options.family === 4 || options.family === 6 ? addresses.filter((a) => a.family === options.family) : addresses;
    const first = wanted[0];
    if (!first) {
      callback(Object.assign(new Error(`no IPv${options.family} address was checked`), { code: 'ENOTFOUND' }), '', 0);
      return;
    }
    if (options.all) callback(null, wanted.map((a) => ({ address: a.address, family: a.family })));
    else callback(null, first.address, first.family);
  };
}

function requestOnce(url: URL, addresses: readonly ResolvedAddress[], headers: Record<string, string>, signal: AbortSignal): Promise<IncomingMessage> {
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    // agent: false, so no pooled socket (connected to another address) is reused.
    const req = transport.request(url, { method: 'GET', headers, signal, agent: false, lookup: pinnedLookup(addresses) }, resolve);
    req.on('error', reject);
    req.end();
  });
}

function decoded(res: IncomingMessage): Readable {
  const encoding = String(res.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  const decoder = encoding === 'gzip' || encoding === 'x-gzip' ? zlib.createGunzip()
    : encoding === 'deflate' ? zlib.createInflate()
      : encoding === 'br' ? zlib.createBrotliDecompress()
        : null;
  if (encoding !== 'identity' && !decoder) throw new OutboundFetchError('fetch_failed', `unsupported content-encoding ${encoding}`);
  return decoder ? pipeline(res, decoder, () => undefined) : res;
}

/** The body, stopped as soon as it passes `maxBytes` (decompressed, so a small gzip bomb is cut too). */
async function readCapped(res: IncomingMessage, maxBytes: number, signal: AbortSignal): Promise<Buffer> {
  const declared = Number(res.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    res.destroy();
    throw new OutboundFetchError('too_large', `declared ${declared} bytes, more than ${maxBytes}`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of addAbortSignal(signal, decoded(res)) as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > maxBytes) throw new OutboundFetchError('too_large', `more than ${maxBytes} bytes`);
      chunks.push(chunk);
    }
  } finally {
    res.destroy();
  }
  return Buffer.concat(chunks);
}

async function fetchHops(start: string, policy: OutboundPolicy, req: OutboundRequest, signal: AbortSignal): Promise<OutboundResponse> {
  const maxRedirects = req.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
  const headers = { 'accept-encoding': 'gzip, deflate, br', 'user-agent': 'OpenKAM', ...req.headers };
  let url = httpUrl(start);
  for (let hop = 0; ; hop++) {
    const addresses = await permittedAddresses(url, policy, signal);
    const res = await requestOnce(url, addresses, headers, signal);
    const status = res.statusCode ?? 0;
    const location = res.headers.location;
    if (REDIRECTS.has(status) && location) {
      res.destroy();
      if (hop >= maxRedirects) throw new OutboundFetchError('fetch_failed', `more than ${maxRedirects} redirects, last from ${url.origin}`);
      url = httpUrl(new URL(location, url).href);
      continue;
    }
    if (status < 200 || status > 299) {
      res.destroy();
      throw new OutboundFetchError('fetch_failed', `HTTP ${status} from ${url.origin}`);
    }
    const body = await readCapped(res, req.maxBytes, signal);
    const type = res.headers['content-type'];
    return { url: url.href, status, contentType: type ?? null, body };
  }
}

function asOutboundError(err: unknown, signal: AbortSignal): OutboundFetchError {
  if (err instanceof OutboundFetchError) return err;
  if (signal.aborted) return new OutboundFetchError('timeout', 'the time limit passed');
  const e = err as { code?: string; message?: string };
  return new OutboundFetchError('fetch_failed', [e.code, e.message].filter(Boolean).join(' ') || String(err));
}

/**
 * GETs a user-configured URL: only http(s); every hop's addresses checked against the policy
 * before connecting, and connected to as checked; at most `maxRedirects` redirects; the body cut
 * past `maxBytes` and the whole fetch past `timeoutMs`. Throws `OutboundFetchError`; a non-2xx
 * answer is `fetch_failed`.
 */
export async function fetchOutbound(url: string, policy: OutboundPolicy, req: OutboundRequest): Promise<OutboundResponse> {
  const signal = AbortSignal.timeout(req.timeoutMs);
  try {
    return await fetchHops(url, policy, req, signal);
  } catch (err) {
    throw asOutboundError(err, signal);
  }
}

/**
 * Checks, without fetching, that a URL's address is one the policy lets through (for refusing
 * a bad address when it is configured). Throws `OutboundFetchError` like `fetchOutbound`: a
 * name that does not resolve is `fetch_failed`, not `address_not_allowed`.
 */
export async function checkOutboundUrl(url: string, policy: OutboundPolicy, opts: { timeoutMs: number }): Promise<void> {
  const signal = AbortSignal.timeout(opts.timeoutMs);
  try {
    await permittedAddresses(httpUrl(url), policy, signal);
  } catch (err) {
    throw asOutboundError(err, signal);
  }
}
