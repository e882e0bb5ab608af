import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOsrmTravelProvider } from './routing.osrm.js';

/** A fake OSRM on 127.0.0.1: duration = 60 s × |i − j| over the requested coordinates' longitudes. */
let server: Server;
let baseUrl = '';
const requests: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push(url.pathname + url.search);
    const m = /^\/table\/v1\/driving\/(.+)$/.exec(url.pathname);
    if (!m) {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ code: 'InvalidUrl', message: 'bad path' }));
      return;
    }
    const lngs = decodeURIComponent(m[1]!).split(';').map((p) => Number(p.split(',')[0]));
    if (lngs.some((x) => x === 99)) {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ code: 'InvalidQuery', message: 'out of area' }));
      return;
    }
    const pick = (key: string) => url.searchParams.get(key)?.split(';').map(Number) ?? lngs.map((_, i) => i);
    const src = pick('sources');
    const dst = pick('destinations');
    const cell = (i: number, j: number, f: number) => (lngs[i] === 50 || lngs[j] === 50) && i !== j ? null : Math.abs(lngs[i]! - lngs[j]!) * f;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({
      code: 'Ok',
      durations: src.map((i) => dst.map((j) => cell(i, j, 60))),
      distances: src.map((i) => dst.map((j) => cell(i, j, 1000))),
    }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const pts = (lngs: number[]) => lngs.map((lng) => ({ lat: 1, lng }));

describe('OSRM table client', () => {
  it('asks /table with lng,lat pairs and returns minutes and metres', async () => {
    const provider = createOsrmTravelProvider({ baseUrl: `${baseUrl}/` });
    const m = await provider.matrix(pts([1, 3, 6]));
    expect(requests.at(-1)).toBe('/table/v1/driving/1.000000,1.000000;3.000000,1.000000;6.000000,1.000000?annotations=duration,distance');
    expect(m.size).toBe(3);
    expect([...m.minutes]).toEqual([0, 2, 5, 2, 0, 3, 5, 3, 0]);
    expect([...m.metres]).toEqual([0, 2000, 5000, 2000, 0, 3000, 5000, 3000, 0]);
  });

  it('splits large tables into blocks with sources and destinations', async () => {
    const provider = createOsrmTravelProvider({ baseUrl, maxTableSize: 4 });
    const lngs = [0, 1, 2, 3, 4, 5, 7];
    const before = requests.length;
    const m = await provider.matrix(pts(lngs));
    expect(requests.length - before).toBeGreaterThan(1);
    expect(requests.slice(before).every((r) => r.includes('sources=') && r.includes('destinations='))).toBe(true);
    for (let i = 0; i < 7; i++) for (let j = 0; j < 7; j++) expect(m.minutes[i * 7 + j]).toBe(Math.abs(lngs[i]! - lngs[j]!));
  });

  it('turns unroutable pairs into Infinity', async () => {
    const m = await createOsrmTravelProvider({ baseUrl }).matrix(pts([1, 50]));
    expect(m.minutes[1]).toBe(Infinity);
    expect(m.metres[2]).toBe(Infinity);
  });

  it('reports an OSRM error with its code', async () => {
    await expect(createOsrmTravelProvider({ baseUrl }).matrix(pts([1, 99]))).rejects.toThrow(/InvalidQuery out of area/);
  });
});
