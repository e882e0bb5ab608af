/**
 * Acceptance: Typhoon Lekima (JTWC 10W, 2019) replayed against the DEMO world. Which demo sites
 * are inside the 34 kt and 64 kt swaths, and the first hour each is inside, checked against
 * positions worked out by hand from the track file — not by calling the code under test.
 *
 * The 'small' demo scale is enough: the three pinned dealers of the Taizhou–Wenling coast and
 * their seafront warehouses (demo.cities.ts `coastalWarehouses`) are in every scale, and it has
 * Chengdu and Wuhan sites for the inland side.
 *
 * ─── How the expectation was computed (by hand, from jtwc_lekima_2019_10W.csv) ───────────────
 * Model (as the hazards README states it): between two fixes the centre and each quadrant radius
 * are interpolated linearly in time; a site is inside when its great-circle distance to the
 * centre (haversine, R = 6371.0 km) is ≤ the radius of the quadrant its bearing from the centre
 * falls in (NE [0°,90°), SE, SW, NW). 1 nm = 1.852 km. The replay samples every whole hour.
 *
 * Fixes that matter (time UTC, centre, radii NE/SE/SW/NW in nm):
 *   08-08 18Z 25.4 N 124.5 E  r34 240/235/215/195
 *   08-09 00Z 26.4 N 123.4 E  r34 225/270/220/200  r64 70/65/55/55
 *   08-09 06Z 27.0 N 122.5 E  r34 240/295/195/165  r64 75/95/60/55
 *   08-09 12Z 27.6 N 122.0 E  r34 250/305/150/200  r64 80/100/45/60
 *   08-09 18Z 28.4 N 121.4 E  r34 200/200/170/205  r64 60/60/50/50   (landfall ≈ 17:45 near Wenling)
 *   08-10 00Z 29.2 N 120.9 E  r34 180/180/150/140  r64 45/45/45/45
 *   08-10 06Z 30.1 N 120.5 E  r34 165/165/120/125  r64 — (vmax 60 kt < 64: none)
 *   08-10 12Z 30.8 N 120.6 E  r34 150/150/ 80/ 80
 *   08-10 18Z 31.7 N 120.9 E  r34 260/225/100/100
 *   08-11 00Z 33.2 N 120.8 E  r34 245/180/ 90/110
 *
 * Distance from the 08-09 fixes to the warehouses (km, bearing from the centre → quadrant):
 *                  06Z (27.0,122.5)   12Z (27.6,122.0)   18Z (28.4,121.4)   10 00Z (29.2,120.9)
 *   Jiaojiang      213.2 332° NW      131.5 336° NW       32.0  11° NE       79.3 136° SE
 *   Shitang        166.7 328° NW       84.2 333° NW       24.7 125° SE      124.0 146° SE
 *   Songmen        173.7 331° NW       91.9 337° NW       22.8 102° SE      117.5 143° SE
 *   Chengdu wh.   1839.7             1773.7             1695.1            1630.1        (all NW)
 *   Wuhan wh.      894.0              819.5              729.7             655.2        (all NW)
 *
 * 34 kt, hour by hour (interpolated centre; d = distance; r = quadrant radius):
 *   Shitang   08-08 20Z ctr 25.733,124.133 d 377.3 NW r 196.7 nm = 364.2 km → out (−13.1)
 *             08-08 21Z ctr 25.900,123.950 d 351.3 NW r 197.5 nm = 365.8 km → IN  (+14.5)  first
 *             08-10 11Z…14Z the SE radius shrinks towards 150 nm at 12Z: d 285.7/297.4/311.7/326.3
 *                   vs r 282.4/277.8/300.9/324.1 km → out for 4 hours, back in at 15Z (radius grows to 225 nm by 18Z)
 *             08-10 18Z ctr 31.700,120.900 d 387.1 SE r 225.0 nm = 416.7 km → IN  (+29.6)  last
 *             08-10 19Z ctr 31.950,120.883 d 414.7 SE r 217.5 nm = 402.8 km → out (−11.9)
 *             frames inside: 21Z 8th … 18Z 10th = 46 − 4 = 42 hours
 *   Songmen   08-08 20Z d 383.0 NW r 364.2 → out (−18.8);  21Z d 357.1 NW r 365.8 → IN (+8.7)  first
 *             08-10 12Z d 289.2 vs SE 277.8, 13Z d 303.3 vs 300.9 → out for 2 hours
 *             08-10 18Z d 378.2 SE r 416.7 → IN (last);  19Z d 405.8 SE r 402.8 → out (−3.0)
 *             frames inside: 46 − 2 = 44 hours
 *   Jiaojiang 08-08 22Z ctr 26.067,123.767 d 369.3 NW r 198.3 nm = 367.3 km → out (−2.0)
 *             08-08 23Z ctr 26.233,123.583 d 343.5 NW r 199.2 nm = 368.9 km → IN  (+25.4)  first
 *             08-10 19Z ctr 31.950,120.883 d 367.5 SE r 217.5 nm = 402.8 km → IN  (+35.3)  last
 *             08-10 20Z ctr 32.200,120.867 d 395.2 SE r 210.0 nm = 388.9 km → out (−6.3)
 *             never out in between: 23Z 8th … 19Z 10th = 45 hours
 *   Chengdu, Wuhan: never; the closest pass (08-09 18Z) leaves Wuhan 729.7 km from the centre
 *             against a 205 nm = 379.7 km NW radius (350 km short), Chengdu 1,315 km short.
 *
 * 64 kt:
 *   Shitang   08-09 10Z ctr 27.400,122.167 d 111.6 NW r 58.3 nm = 108.0 km → out (−3.6)
 *             08-09 11Z ctr 27.500,122.083 d  97.9 NW r 59.2 nm = 109.6 km → IN  (+11.7)  first
 *             08-09 22Z ctr 28.933,121.067 d  90.4 SE r 50.0 nm =  92.6 km → IN  (+2.2)   last
 *             08-09 23Z ctr 29.067,120.983 d 107.2 SE r 47.5 nm =  88.0 km → out (−19.2)
 *             11Z … 22Z = 12 hours
 *   Songmen   08-09 10Z d 119.0 NW r 108.0 → out (−10.9); 11Z d 105.4 NW r 109.6 → IN (+4.2) first
 *             08-09 22Z d 84.2 SE r 92.6 → IN (last); 23Z d 100.8 SE r 88.0 → out.  12 hours
 *   Jiaojiang 08-09 13Z ctr 27.733,121.900 d 114.0 NW r 58.3 nm = 108.0 km → out (−6.0)
 *             08-09 14Z ctr 27.867,121.800 d  96.6 NW r 56.7 nm = 104.9 km → IN  (+8.3)   first
 *             08-10 00Z ctr 29.200,120.900 d  79.3 SE r 45.0 nm =  83.3 km → IN  (+4.0)   last
 *             08-10 01Z ctr 29.350,120.833 d  96.1 SE r 37.5 nm =  69.5 km → out (−26.7)
 *             14Z … 00Z = 11 hours
 *   Chengdu, Wuhan: never (Wuhan 655 km from the 08-10 00Z centre against 83 km).
 *
 * Swaths (union of the wind shapes swept along the track): every demo site in 台州市 and 温岭市
 * lies within about 15 km of its city centre (28.66,121.43 / 28.38,121.38), i.e. at most ~45 km
 * from the 08-09 18Z fix, well inside even its smallest 64 kt radius (50 nm = 92.6 km), so all
 * of them are inside both swaths; no Chengdu or Wuhan site is inside either.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEMO_EMAIL_DOMAIN, DEMO_PASSWORD } from '../src/modules/demo/demo.generate.js';
import { seedDemoWorld } from '../src/modules/demo/demo.seed.js';
import { buildApp } from '../src/server/app.js';
import { loadConfig } from '../src/server/config.js';
import { fixedClock } from '../src/shared/clock.js';
import { hasReferenceData, referenceDataMissing, referencePath } from '../src/shared/reference-data.js';
import { loginAs, type Client } from './build-test-app.js';
import { describeEachDialect, openTestDb, type TestDb } from './dialects.js';

type DemoSite = { id: string; name: string; city: string; lat: number; lng: number };
type ReplaySite = { siteId: string; siteName: string; firstInsideAt: string; lastInsideAt: string; hoursInside: number; lat: number; lng: number };

/** The seafront warehouses of demo.cities.ts, by the name the generator gives them (brand + place). */
const WAREHOUSES = {
  jiaojiang: { name: '宏达椒江海门港仓库', lat: 28.683, lng: 121.462 },
  shitang: { name: '鑫源石塘滨海仓库', lat: 28.273, lng: 121.607 },
  songmen: { name: '永固松门渔港仓库', lat: 28.358, lng: 121.628 },
} as const;

/** The hand-computed table above, as data. */
const EXPECTED = {
  34: {
    shitang: { firstInsideAt: '2019-08-08T21:00:00.000Z', lastInsideAt: '2019-08-10T18:00:00.000Z', hoursInside: 42 },
    songmen: { firstInsideAt: '2019-08-08T21:00:00.000Z', lastInsideAt: '2019-08-10T18:00:00.000Z', hoursInside: 44 },
    jiaojiang: { firstInsideAt: '2019-08-08T23:00:00.000Z', lastInsideAt: '2019-08-10T19:00:00.000Z', hoursInside: 45 },
  },
  64: {
    shitang: { firstInsideAt: '2019-08-09T11:00:00.000Z', lastInsideAt: '2019-08-09T22:00:00.000Z', hoursInside: 12 },
    songmen: { firstInsideAt: '2019-08-09T11:00:00.000Z', lastInsideAt: '2019-08-09T22:00:00.000Z', hoursInside: 12 },
    jiaojiang: { firstInsideAt: '2019-08-09T14:00:00.000Z', lastInsideAt: '2019-08-10T00:00:00.000Z', hoursInside: 11 },
  },
} as const;

describeEachDialect('Lekima (2019) replayed against the demo world', (dialect) => {
  let testDb: TestDb;
  let app: FastifyInstance;
  let admin: Client;
  let trackId: string;
  let sites: DemoSite[];
  const byName = (name: string) => {
    const s = sites.find((x) => x.name === name);
    if (!s) throw new Error(`demo site ${name} not found`);
    return s;
  };
  const inCity = (city: string) => sites.filter((s) => s.city === city);

  beforeAll(async () => {
    testDb = await openTestDb(dialect);
    const clock = fixedClock('2026-11-26T08:00:00.000Z');
    await seedDemoWorld(testDb.db, { clock, scale: 'small' });
    const config = loadConfig({ OPENKAM_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'openkam-lekima-')), LOG_LEVEL: 'silent' });
    app = await buildApp(config, testDb.db, { clock, logger: false });
    await app.ready();
    admin = await loginAs(app, `admin@${DEMO_EMAIL_DOMAIN}`, DEMO_PASSWORD);
    sites = (await testDb.db.kysely.selectFrom('sites').select(['id', 'name', 'city', 'lat', 'lng']).execute()) as DemoSite[];
    if (hasReferenceData) {
      const csv = readFileSync(referencePath('hazard', 'tracks', 'jtwc_lekima_2019_10W.csv'));
      const up = await admin.request({ method: 'POST', url: '/api/v1/hazards/tracks', payload: csv, headers: { 'content-type': 'text/csv' } });
      expect(up.statusCode, up.body).toBe(201);
      trackId = up.json()[0].id;
    }
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await testDb?.cleanup();
  });

  it('seeds the coastal warehouses where the hand computation put them, and inland sites in Chengdu and Wuhan', () => {
    for (const w of Object.values(WAREHOUSES)) expect(byName(w.name)).toMatchObject({ lat: w.lat, lng: w.lng });
    expect(inCity('成都市').length).toBeGreaterThan(0);
    expect(inCity('武汉市').length).toBeGreaterThan(0);
    expect(inCity('台州市').length + inCity('温岭市').length).toBeGreaterThanOrEqual(3);
  });

  it.skipIf(!hasReferenceData)(`puts the Taizhou–Wenling sites inside the 34 kt and 64 kt swaths, Chengdu and Wuhan outside ${hasReferenceData ? '' : referenceDataMissing}`, async () => {
    const coast = [...inCity('台州市'), ...inCity('温岭市')].map((s) => s.id).sort();
    const inland = [...inCity('成都市'), ...inCity('武汉市')].map((s) => s.id);
    for (const kt of [34, 64] as const) {
      const res = await admin.get(`/api/v1/hazards/tracks/${trackId}/swath?kt=${kt}`);
      expect(res.statusCode, res.body).toBe(200);
      const inside = new Set<string>(res.json().sitesInside.map((s: { siteId: string }) => s.siteId));
      expect(coast.filter((id) => !inside.has(id)), `${kt} kt: coastal sites left out`).toEqual([]);
      expect(inland.filter((id) => inside.has(id)), `${kt} kt: inland sites inside`).toEqual([]);
    }
  });

  for (const kt of [34, 64] as const) {
    it.skipIf(!hasReferenceData)(`replays the ${kt} kt winds: the warehouses' first and last hours inside match the hand computation ${hasReferenceData ? '' : referenceDataMissing}`, async () => {
      const res = await admin.get(`/api/v1/hazards/tracks/${trackId}/replay?kt=${kt}`);
      expect(res.statusCode, res.body).toBe(200);
      const replay = res.json() as { sites: ReplaySite[]; frames: { time: string; siteIds: string[]; entered: string[] }[] };
      const rs = new Map(replay.sites.map((s) => [s.siteId, s]));
      for (const [key, w] of Object.entries(WAREHOUSES) as [keyof typeof WAREHOUSES, (typeof WAREHOUSES)[keyof typeof WAREHOUSES]][]) {
        const site = byName(w.name);
        expect(rs.get(site.id), `${kt} kt ${key}`).toMatchObject({ siteName: w.name, lat: w.lat, lng: w.lng, ...EXPECTED[kt][key] });
      }
      for (const s of [...inCity('成都市'), ...inCity('武汉市')]) expect(rs.has(s.id), `${s.city} ${s.name}`).toBe(false);

      // Warning order: Shitang and Songmen (east shore of Wenling) before Jiaojiang (Taizhou Bay).
      const order = replay.sites.map((s) => s.siteId);
      const [j, sh, so] = [byName(WAREHOUSES.jiaojiang.name).id, byName(WAREHOUSES.shitang.name).id, byName(WAREHOUSES.songmen.name).id];
      expect(order.indexOf(sh)).toBeLessThan(order.indexOf(j));
      expect(order.indexOf(so)).toBeLessThan(order.indexOf(j));
      const frame = (time: string) => replay.frames.find((f) => f.time === time)!;
      const first = EXPECTED[kt].shitang.firstInsideAt;
      expect(frame(first).entered).toEqual(expect.arrayContaining([sh, so]));
      expect(frame(new Date(Date.parse(first) - 3_600_000).toISOString()).siteIds).not.toContain(sh);
      expect(frame(EXPECTED[kt].jiaojiang.firstInsideAt).entered).toContain(j);
      if (kt === 34) {
        // The SE radius dips to 150 nm at 08-10 12Z: Shitang (4 h) and Songmen (2 h) drop out, Jiaojiang stays in.
        expect(frame('2019-08-10T12:00:00.000Z').siteIds).not.toContain(sh);
        expect(frame('2019-08-10T12:00:00.000Z').siteIds).not.toContain(so);
        expect(frame('2019-08-10T12:00:00.000Z').siteIds).toContain(j);
        expect(frame('2019-08-10T15:00:00.000Z').siteIds).toEqual(expect.arrayContaining([sh, so, j]));
      }
    });
  }
});
