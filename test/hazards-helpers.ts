/** Shared helpers of the hazard tests: a local HTTP server, the module's own snapshot, a test app with env. */
import { readdirSync, existsSync, mkdtempSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { vi } from 'vitest';
import type { Db } from '../src/db/database.js';
import { buildTestApp } from './build-test-app.js';
import type { DialectName } from './dialects.js';
import { snapshot } from './snapshot.js';

export type Received = { method: string; url: string; headers: IncomingMessage['headers']; body: string };

/**
 * A route of the local server: a fixed answer (status, content type, extra headers such as a
 * redirect's Location), or `handle` to answer by hand (slow, streamed, never).
 */
export type LocalRoute =
  | { status?: number; type?: string; headers?: Record<string, string>; body: string | (() => string) }
  | { handle: (res: ServerResponse) => void };

/** An HTTP server on 127.0.0.1 that answers from a route table and records every request. */
export async function localServer(routes: Record<string, LocalRoute>) {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      const r = routes[req.url ?? ''];
      if (!r) { res.writeHead(404).end('not found'); return; }
      if ('handle' in r) { r.handle(res); return; }
      res.writeHead(r.status ?? 200, { 'content-type': r.type ?? 'application/xml', ...r.headers }).end(typeof r.body === 'function' ? r.body() : r.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const port = (server.address() as AddressInfo).port;
  // closeAllConnections: a route that never answers must not hold the suite open.
  return { base, port, received, routes, close: () => new Promise<void>((resolve) => { server.close(() => resolve()); server.closeAllConnections(); }) };
}

const myTables = ['site_risk', 'hazard_alerts', 'hazard_geocodes', 'hazard_feeds', 'hazard_tracks', 'hazard_matches', 'advisories', 'notifications'] as const;

/** The business snapshot plus every row of this module's tables and the files kept under the data folder's uploads. */
export async function hazardSnapshot(db: Db, dataDir: string): Promise<string> {
  const out: Record<string, unknown> = { business: await snapshot(db) };
  for (const t of myTables) out[t] = (await (db.kysely as any).selectFrom(t).selectAll().execute()).map((r: unknown) => JSON.stringify(r)).sort();
  const uploads = path.join(dataDir, 'uploads');
  out.files = existsSync(uploads) ? readdirSync(uploads, { recursive: true }).map(String).sort() : [];
  return JSON.stringify(out);
}

/** The test app on its own data folder, with the module's environment settings read at build time. */
export async function buildHazardApp(dialect: DialectName, env: Record<string, string> = {}) {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'openkam-hazards-'));
  for (const [k, v] of Object.entries(env)) vi.stubEnv(k, v);
  try {
    const t = await buildTestApp(dialect, { OPENKAM_DATA_DIR: dataDir });
    return { ...t, dataDir };
  } finally {
    vi.unstubAllEnvs();
  }
}

export const etag = (res: { headers: Record<string, unknown> }) => String(res.headers.etag);
