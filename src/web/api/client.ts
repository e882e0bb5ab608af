/** A failed API call, carrying the server's problem+json (status, code, detail, field errors). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly fieldErrors: { path: string; message: string }[] = [],
  ) {
    super(detail || code);
  }
}

let csrfToken: string | null = null;

/** Remembers the CSRF token the server handed out with the session (sent on every write). */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

const SIGNED_IN_KEY = 'openkam.signedIn';

/**
 * Whether this browser believes it has a session. The cookie is httpOnly, so the app keeps a hint
 * to avoid asking /auth/me (and logging a 401) on a fresh visit.
 */
export const sessionHint = {
  get: (): boolean => localStorage.getItem(SIGNED_IN_KEY) === '1',
  set: (on: boolean): void => (on ? localStorage.setItem(SIGNED_IN_KEY, '1') : localStorage.removeItem(SIGNED_IN_KEY)),
};

let onUnauthenticated: (() => void) | null = null;
/** Called when the server answers 401 to a signed-in user (session expired or ended elsewhere). */
export function setUnauthenticatedHandler(fn: (() => void) | null): void {
  onUnauthenticated = fn;
}

export type QueryValue = string | number | boolean | null | undefined;

/** Builds a query string from defined, non-empty values. */
export function toQuery(params: Record<string, QueryValue>): string {
  const sp = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') sp.set(k, String(v));
  const s = sp.toString();
  return s ? `?${s}` : '';
}

/** `body` is sent as JSON; `file` as the raw body (the upload routes take no multipart), typed by `headers` or the file. */
type Options = { method?: string; body?: unknown; file?: Blob; headers?: Record<string, string>; signal?: AbortSignal };

/** Calls the JSON API; throws ApiError with the problem details on a non-2xx answer. */
export async function api<T>(path: string, opts: Options = {}): Promise<T> {
  return (await apiWithEtag<T>(path, opts)).data;
}

/**
 * The If-Match value for a versioned record whose ETag header was not kept (list rows). The server's
 * strong ETag is `"<id>.<version>"` (src/server/http.ts etagOf).
 */
export const etagOf = (record: { id: string; version: number }): string => `"${record.id}.${record.version}"`;

const early = new Map<string, Promise<Response>>();

/**
 * Starts the GETs a page is about to make while its code still loads; the first `api` call for the
 * same path takes the answer over (once; unclaimed ones are dropped after ten seconds).
 */
export function prefetchGets(paths: string[]): void {
  for (const p of paths) {
    if (early.has(p)) continue;
    const answer = fetch(`/api/v1${p}`, { headers: { accept: 'application/json' }, credentials: 'same-origin' });
    answer.catch(() => undefined);
    early.set(p, answer);
    setTimeout(() => { if (early.get(p) === answer) early.delete(p); }, 10_000);
  }
}

/** Like `api`, also returning the ETag response header (send it back as If-Match on PATCH and DELETE). */
export async function apiWithEtag<T>(path: string, opts: Options = {}): Promise<{ data: T; etag: string | null }> {
  const method = opts.method ?? 'GET';
  const headers: Record<string, string> = { accept: 'application/json', ...opts.headers };
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  if (opts.file) headers['content-type'] ??= opts.file.type || 'application/octet-stream';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  const started = method === 'GET' && !opts.headers ? early.get(path) : undefined;
  if (started) early.delete(path);
  let res: Response;
  try {
    res = await (started ?? fetch(`/api/v1${path}`, { method, headers, body: opts.file ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body)), credentials: 'same-origin', signal: opts.signal }));
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError(0, 'network', 'network');
  }
  if (res.status === 204) return { data: undefined as T, etag: null };
  const text = await res.text();
  let data: unknown = null;
  try { data = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
  if (!res.ok) {
    const p = (data ?? {}) as { code?: string; detail?: string; errors?: { path: string; message: string }[] };
    if (res.status === 401 && path !== '/auth/login') onUnauthenticated?.();
    throw new ApiError(res.status, p.code ?? `http_${res.status}`, p.detail ?? res.statusText, p.errors ?? []);
  }
  return { data: data as T, etag: res.headers.get('etag') };
}
