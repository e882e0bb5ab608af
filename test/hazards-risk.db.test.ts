import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { hasReferenceData, referenceDataMissing, referencePath } from '../src/shared/reference-data.js';
import type { Client } from './build-test-app.js';
import { describeEachDialect } from './dialects.js';
import { buildHazardApp, etag } from './hazards-helpers.js';

describeEachDialect('site risk, insurance gaps, tracks and replay', (dialect) => {
  let t: Awaited<ReturnType<typeof buildHazardApp>>;
  let admin: Client, m1: Client, m3: Client, logistics: Client, dealer: Client;
  const site = (k: string) => t.world.records[k]!.site;

  beforeAll(async () => {
    t = await buildHazardApp(dialect);
    [admin, m1, m3, logistics, dealer] = (await Promise.all(['admin', 'm1', 'm3', 'logistics', 'dealer'].map((k) => t.login(k)))) as [Client, Client, Client, Client, Client];
  });
  afterAll(async () => t?.close());

  it('computes the coastline distance, and again when the site moves', async () => {
    const r = await m1.get(`/api/v1/sites/${site('acc1')}/risk`);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.headers.etag).toBe(`"${site('acc1')}.0"`);
    expect(r.json()).toMatchObject({ version: 0, insurance: { status: 'unknown' }, inventory: null, floodProne: false });
    expect(r.json().coastDistanceM).toBeGreaterThan(3_000);
    expect(r.json().coastDistanceM).toBeLessThan(20_000);
    const s = await m1.get(`/api/v1/sites/${site('acc1')}`);
    const moved = await m1.patch(`/api/v1/sites/${site('acc1')}`, { lat: 30.66667, lng: 104.06667 }, { 'if-match': etag(s) }); // Chengdu
    expect(moved.statusCode).toBe(200);
    expect((await m1.get(`/api/v1/sites/${site('acc1')}/risk`)).json().coastDistanceM).toBeGreaterThan(900_000);
    const back = await m1.patch(`/api/v1/sites/${site('acc1')}`, { lat: 28.37, lng: 121.36 }, { 'if-match': etag(moved) });
    expect(back.statusCode).toBe(200);
    expect((await admin.post('/api/v1/hazards/site-risk/backfill')).json()).toMatchObject({ computed: 4, withoutCoordinates: 0 });
    expect((await m3.get(`/api/v1/sites/${site('acc1')}/risk`)).statusCode).toBe(404);
    expect((await dealer.get(`/api/v1/sites/${site('acc1')}/risk`)).statusCode).toBe(403);
  });

  it('ranks insurance gaps by value at risk weighted by exposure, within scope', async () => {
    const put = async (c: Client, k: string, body: unknown) => {
      const cur = await c.get(`/api/v1/sites/${site(k)}/risk`);
      const res = await c.put(`/api/v1/sites/${site(k)}/risk`, body, { 'if-match': etag(cur) });
      expect(res.statusCode, res.body).toBe(200);
      return res.json();
    };
    const expiring = await put(m1, 'acc1', { inventory: { amountMinor: 100_000_000, currency: 'CNY' }, insurance: { status: 'insured', insurer: '中国人保', policyNumber: 'PICC-1', cover: { amountMinor: 100_000_000, currency: 'CNY' }, expiresOn: '2026-12-26' } });
    expect(expiring).toMatchObject({ version: 1, insurance: { insurer: '中国人保', expiresOn: '2026-12-26' } });
    await put(logistics, 'acc2', { inventory: { amountMinor: 50_000_000, currency: 'CNY' }, floodProne: true, insurance: { status: 'refused', refusedReason: 'Ground floor below the 1-in-50-year flood line' } });
    await put(admin, 'acc4', { inventory: { amountMinor: 200_000_000, currency: 'CNY' }, insurance: { status: 'none' } });
    await put(m3, 'acc3', { inventory: { amountMinor: 900_000_000, currency: 'CNY' }, insurance: { status: 'insured', cover: { amountMinor: 900_000_000, currency: 'CNY' }, expiresOn: '2027-06-30' } });
    const refusedWithoutReason = await m1.put(`/api/v1/sites/${site('acc1')}/risk`, { insurance: { status: 'refused' } }, { 'if-match': `"${site('acc1')}.1"` });
    expect(refusedWithoutReason.statusCode).toBe(400);
    expect((await m1.put(`/api/v1/sites/${site('acc1')}/risk`, { floodProne: true }, { 'if-match': `"${site('acc1')}.0"` })).statusCode).toBe(412);

    const gaps = (await admin.get('/api/v1/hazards/insurance-gaps')).json();
    expect(gaps.items.map((g: any) => [g.site.accountId, g.reason])).toEqual([
      [t.world.accounts.acc4, 'uninsured'], [t.world.accounts.acc1, 'expiring'], [t.world.accounts.acc2, 'refused'],
    ]);
    expect(gaps.items[1].daysToExpiry).toBe(30);
    const f = gaps.items[0].exposureFactor;
    expect(f).toBeGreaterThan(1);
    expect(gaps.items[2].exposureFactor).toBeCloseTo(f * 1.5, 2);
    expect(gaps.items[0].weightedValueMinor).toBe(Math.round(200_000_000 * f));
    expect((await m3.get('/api/v1/hazards/insurance-gaps')).json().items).toEqual([]);
    expect((await m1.get('/api/v1/hazards/insurance-gaps?withinDays=10')).json().items.map((g: any) => g.reason)).toEqual(['refused']);
    const audit = (await admin.get(`/api/v1/audit?entity=site_risk&entityId=${site('acc2')}`)).json().items;
    expect(audit[0]).toMatchObject({ action: 'update', actorId: t.world.users.logistics, accountId: t.world.accounts.acc2 });
  });

  it('imports stock values in bulk, only for sites in scope', async () => {
    const res = await m1.post('/api/v1/hazards/site-risk/import', { items: [
      { siteId: site('acc2'), inventory: { amountMinor: 60_000_000, currency: 'CNY' } },
      { siteId: site('acc3'), inventory: { amountMinor: 1, currency: 'CNY' } },
    ] });
    expect(res.json()).toEqual({ updated: 1, notFound: [site('acc3')] });
    expect((await m1.get(`/api/v1/sites/${site('acc2')}/risk`)).json().inventory).toEqual({ amountMinor: 60_000_000, currency: 'CNY' });
  });

  it('rejects a track file it cannot read with 422', async () => {
    const res = await m1.request({ method: 'POST', url: '/api/v1/hazards/tracks', payload: 'hello,world\n1,2\n', headers: { 'content-type': 'text/csv' } });
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe('track_rejected');
    expect((await m1.get('/api/v1/hazards/tracks')).json()).toEqual([]);
  });

  it.skipIf(!hasReferenceData)(`replays Lekima (JTWC 2019) against today's Wenling-ish sites hour by hour, creating nothing ${hasReferenceData ? '' : referenceDataMissing}`, async () => {
    const csv = readFileSync(referencePath('hazard', 'tracks', 'jtwc_lekima_2019_10W.csv'));
    const up = await m1.request({ method: 'POST', url: '/api/v1/hazards/tracks', payload: csv, headers: { 'content-type': 'text/csv' } });
    expect(up.statusCode, up.body).toBe(201);
    const [track] = up.json();
    expect(track).toMatchObject({ name: 'LEKIMA', agency: 'JTWC', fixCount: 36 });
    const detail = (await m1.get(`/api/v1/hazards/tracks/${track.id}`)).json();
    expect(detail.fixes).toHaveLength(36);

    const swath = (await m1.get(`/api/v1/hazards/tracks/${track.id}/swath?kt=34`)).json();
    expect(swath.feature.geometry.type).toBe('MultiPolygon');
    expect(swath.sitesInside.map((s: any) => s.accountId).sort()).toEqual([t.world.accounts.acc1, t.world.accounts.acc2].sort());
    for (const s of swath.sitesInside) expect(s).toMatchObject({ lat: expect.any(Number), lng: expect.any(Number) });

    const replay = (await m1.get(`/api/v1/hazards/tracks/${track.id}/replay?kt=34`)).json();
    expect(replay).toMatchObject({ stormName: 'LEKIMA', agency: 'JTWC', thresholdKt: 34, stepMinutes: 60 });
    expect(replay.sites.map((s: any) => s.siteId).sort()).toEqual([site('acc1'), site('acc2')].sort());
    for (const s of replay.sites) {
      // Lekima's 34 kt winds reach Wenling the evening before landfall (2019-08-09 17:45 UTC) and leave two days later.
      expect(s).toMatchObject({ firstInsideAt: '2019-08-08T22:00:00.000Z', lastInsideAt: '2019-08-10T19:00:00.000Z', hoursInside: 45 });
    }
    const entered = replay.frames.find((f: any) => f.entered.length > 0);
    expect(entered.time).toBe('2019-08-08T22:00:00.000Z');
    expect(replay.frames.find((f: any) => f.time === '2019-08-09T18:00:00.000Z').siteIds.length).toBe(2);
    const r64 = (await admin.get(`/api/v1/hazards/tracks/${track.id}/replay?kt=64`)).json();
    expect(r64.sites).toHaveLength(4);
    expect(r64.sites[0]).toMatchObject({ firstInsideAt: '2019-08-09T12:00:00.000Z', lastInsideAt: '2019-08-09T23:00:00.000Z' });
    // A replay warns nobody.
    expect((await admin.get('/api/v1/advisories')).json().items).toEqual([]);
    expect((await m3.get(`/api/v1/hazards/tracks/${track.id}/replay`)).json().sites.map((s: any) => s.siteId)).toEqual([site('acc3')]);
    expect((await dealer.get(`/api/v1/hazards/tracks/${track.id}/replay`)).statusCode).toBe(403);
  });
});
