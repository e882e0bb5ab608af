import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { haversineMetres } from '../../shared/geo.js';
import { hasReferenceData, referencePath } from '../../shared/reference-data.js';
import { distanceToAreaM, matchSites } from './hazard-match.js';
import { computeSwath, replayWind, sitesInWindAt, swathToGeoJson, swathToHazardArea } from './swath.js';
import { fixRadii, windShapeAt, type StormTrack, type WindThreshold } from './track.domain.js';
import { parseIbtracsCsv, parseTrackText, TrackFormatError } from './track.parse.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const track = (file: string): StormTrack => parseTrackText(readFileSync(referencePath('hazard', 'tracks', file), 'utf8'))[0]!;

// WGS 84 positions from geo/geonames_cn_cities.csv.
const places = {
  wenling: { lat: 28.37524, lng: 121.38416 },
  taizhouZhejiang: { lat: 28.66266, lng: 121.43312 }, // 台州, 3310
  taizhouJiangsu: { lat: 32.49069, lng: 119.90812 }, // 泰州, 3212
  shanghai: { lat: 31.22222, lng: 121.45806 },
  hangzhou: { lat: 30.29365, lng: 120.16142 },
  chengdu: { lat: 30.66667, lng: 104.06667 },
};

describe.skipIf(!hasReferenceData)('Lekima (JTWC 10W, 2019) tracks', () => {
  it('reads the CSV and the GeoJSON to the same 36 fixes, keeping the agency', () => {
    const csv = track('jtwc_lekima_2019_10W.csv');
    const geo = track('jtwc_lekima_2019_10W.geojson');
    expect(csv.fixes).toHaveLength(36);
    expect(geo.fixes).toEqual(csv.fixes);
    expect([csv.agency, geo.agency, csv.name, geo.id]).toEqual(['JTWC', 'JTWC', 'LEKIMA', '10W/2019']);
    // 2019-08-09T18:00Z: 28.4N 121.4E, r64 60/60/50/50 nm.
    const landfall = csv.fixes.find((f) => f.time === '2019-08-09T18:00:00.000Z')!;
    expect(landfall.radii[64]).toEqual({ ne: 60, se: 60, sw: 50, nw: 50 });
  });

  it('treats empty radii as none below the threshold and unknown otherwise', () => {
    const t = track('jtwc_lekima_2019_10W.csv');
    // 08-10T06Z: vmax 60 kt, r64 empty → no 64 kt winds; 08-03T12Z: vmax 20 → no 34 kt.
    expect(fixRadii(t.fixes.find((f) => f.time.startsWith('2019-08-10T06'))!, 64)).toEqual({ ne: 0, se: 0, sw: 0, nw: 0 });
    expect(fixRadii({ ...t.fixes[0]!, vmaxKt: 40 }, 34)).toBeUndefined();
  });

  const swath = (kt: WindThreshold) => swathToHazardArea(computeSwath(track('jtwc_lekima_2019_10W.csv'), kt));
  const inside = (kt: WindThreshold, p: { lat: number; lng: number }) => distanceToAreaM(p.lat, p.lng, swath(kt)) === 0;

  it('Wenling, where Lekima came ashore, is inside the 34 kt and 64 kt swaths', () => {
    // Nearest fix 08-09T18Z at 28.4N 121.4E is ~3 km away; r64 there is 50–60 nm (93–111 km).
    expect(inside(34, places.wenling)).toBe(true);
    expect(inside(64, places.wenling)).toBe(true);
  });

  it('Taizhou (Zhejiang) is inside both; Taizhou (Jiangsu) only inside the 34 kt swath', () => {
    // 台州 28.66N 121.43E: ~30 km N of the 08-09T18Z fix, r64 NE/NW 60/50 nm → inside 64 kt.
    expect(inside(64, places.taizhouZhejiang)).toBe(true);
    // 泰州 32.49N 119.91E: from the 08-10T18Z fix (31.7N 120.9E) it is 0.79° N, 0.99° W:
    // NW quadrant, √(88² + 93²) ≈ 128 km = 69 nm < r34 NW 100 nm → inside 34 kt.
    expect(inside(34, places.taizhouJiangsu)).toBe(true);
    // The last 64 kt fix is 08-10T00Z at 29.2N 120.9E with r64 45 nm (83 km): 泰州 is ~370 km away.
    expect(inside(64, places.taizhouJiangsu)).toBe(false);
  });

  it('Shanghai is inside the 34 kt swath but outside the 64 kt one', () => {
    // From the 08-10T12Z fix (30.8N 120.6E): 0.42° N (47 km), 0.86° E (82 km) → 94 km = 51 nm,
    // NE quadrant r34 150 nm → inside. For 64 kt the nearest is 08-10T00Z (29.2N 120.9E,
    // r64 45 nm = 83 km) at 224 km; by 08-10T06Z the storm is below 64 kt → outside.
    expect(inside(34, places.shanghai)).toBe(true);
    expect(inside(64, places.shanghai)).toBe(false);
  });

  it('Hangzhou is inside the 34 kt swath but outside the 64 kt one', () => {
    // 08-10T06Z fix 30.1N 120.5E: Hangzhou is 0.19° N (21 km), 0.34° W (33 km) → 39 km = 21 nm,
    // NW r34 125 nm → inside. 64 kt: at 08-10T00Z (29.2N 120.9E) it is √(121² + 71²) ≈ 140 km
    // = 76 nm > r64 45 nm, and r64 shrinks to 0 by 06Z as the storm weakens → outside.
    expect(inside(34, places.hangzhou)).toBe(true);
    expect(inside(64, places.hangzhou)).toBe(false);
  });

  it('Chengdu, 1,300 km inland, is outside every swath', () => {
    expect(inside(34, places.chengdu)).toBe(false);
    expect(inside(64, places.chengdu)).toBe(false);
  });

  it('writes the swath as a GeoJSON MultiPolygon of closed rings', () => {
    const s = computeSwath(track('jtwc_lekima_2019_10W.csv'), 64, { stepMinutes: 60 });
    const f = swathToGeoJson(s);
    expect(f.geometry.type).toBe('MultiPolygon');
    expect(f.geometry.coordinates.length).toBeGreaterThan(50);
    for (const [ring] of f.geometry.coordinates) expect(ring![0]).toEqual(ring![ring!.length - 1]);
    expect(f.properties).toMatchObject({ agency: 'JTWC', thresholdKt: 64, from: '2019-08-06T06:00:00.000Z', to: '2019-08-10T06:00:00.000Z' });
  });

  it('interpolates position and radii between fixes', () => {
    const t = track('jtwc_lekima_2019_10W.csv');
    // Halfway between 08-09T12Z (27.6N 122.0E, r64 NE 80) and 18Z (28.4N 121.4E, r64 NE 60).
    const s = windShapeAt(t, 64, Date.parse('2019-08-09T15:00:00Z'))!;
    expect(s.center.lat).toBeCloseTo(28.0, 6);
    expect(s.center.lng).toBeCloseTo(121.7, 6);
    expect(s.radiiNm.ne).toBeCloseTo(70, 6);
  });

  it('replays hour by hour which sites are inside the 64 kt radius', () => {
    const t = track('jtwc_lekima_2019_10W.csv');
    const sites = Object.entries(places).map(([id, p]) => ({ id, ...p }));
    expect(sitesInWindAt(t, 64, Date.parse('2019-08-09T18:00:00Z'), sites).map((s) => s.id)).toEqual(['wenling', 'taizhouZhejiang']);
    const frames = replayWind(t, 64, sites, { fromMs: Date.parse('2019-08-09T00:00:00Z'), toMs: Date.parse('2019-08-10T12:00:00Z') });
    expect(frames).toHaveLength(37);
    const wenlingHours = frames.filter((f) => f.siteIds.includes('wenling')).map((f) => f.time.slice(5, 13));
    // Wenling is ~3 km from the 18Z fix; 64 kt winds reach it once the centre is within r64.
    expect(wenlingHours).toContain('08-09T18');
    expect(wenlingHours[0]! < '08-09T18').toBe(true);
    expect(frames.at(-1)!.siteIds).toEqual([]);
  });

  it('matches sites against the swath with a buffer', () => {
    const area = swath(64);
    const sites = Object.entries(places).map(([id, p]) => ({ id, ...p }));
    const near = matchSites(sites, [area], { bufferM: 60_000 });
    expect(near.map((m) => m.siteId)).toEqual(['wenling', 'taizhouZhejiang', 'hangzhou']);
    const h = near.find((m) => m.siteId === 'hangzhou')!.matches[0]!;
    expect(h.inside).toBe(false);
    expect(h.distanceM).toBeGreaterThan(10_000);
  });
});

describe('IBTrACS CSV', () => {
  const text = readFileSync(path.join(here, 'fixtures', 'ibtracs-sample.csv'), 'utf8');

  it('skips the units row, keeps the USA agency and reads quadrant radii', () => {
    const [t] = parseIbtracsCsv(text);
    expect(t!.id).toBe('2019216N16133');
    expect(t!.agency).toBe('jtwc_wp');
    expect(t!.fixes).toHaveLength(4);
    expect(t!.fixes[1]).toMatchObject({ time: '2019-08-09T18:00:00.000Z', lat: 28.4, lng: 121.4, vmaxKt: 90, radii: { 64: { ne: 60, se: 60, sw: 50, nw: 50 } } });
  });

  it('falls back to LAT/LON where USA_LAT/USA_LON are blank, with radii unknown', () => {
    const [t] = parseIbtracsCsv(text);
    const last = t!.fixes[3]!;
    expect([last.lat, last.lng, last.vmaxKt]).toEqual([30.8, 120.6, null]);
    expect(fixRadii(last, 34)).toBeUndefined();
    const s = computeSwath(t!, 34);
    expect(s.gaps).toEqual([{ from: '2019-08-10T06:00:00.000Z', to: '2019-08-10T12:00:00.000Z' }]);
  });

  it('is detected by its ISO_TIME header', () => {
    expect(parseTrackText(text)[0]!.name).toBe('LEKIMA');
  });

  it('names the line of a bad value', () => {
    expect(() => parseTrackText('iso_time_utc,lat,lon\n2019-08-09T18:00:00Z,abc,121\n')).toThrow(TrackFormatError);
    expect(() => parseTrackText('iso_time_utc,lat,lon\n2019-08-09T18:00:00Z,abc,121\n')).toThrow(/line 2/);
  });
});

describe('wind shape geometry', () => {
  it('uses the radius of the quadrant the site lies in', () => {
    const t: StormTrack = {
      id: 'X',
      name: 'X',
      agency: 'TEST',
      fixes: [{ time: '2020-01-01T00:00:00.000Z', timeMs: Date.parse('2020-01-01T00:00:00Z'), lat: 20, lng: 120, vmaxKt: 70, pressureHpa: null, radii: { 34: { ne: 100, se: 0, sw: 50, nw: 10 } } }],
    };
    const nm = 1852;
    const east = { id: 'ne', lat: 20.5, lng: 120.5 }; // NE, ~76 km
    const south = { id: 'se', lat: 19.9, lng: 120.1 }; // SE quadrant has r34 0
    expect(haversineMetres({ lat: 20, lng: 120 }, east)).toBeLessThan(100 * nm);
    expect(sitesInWindAt(t, 34, t.fixes[0]!.timeMs, [east, south]).map((s) => s.id)).toEqual(['ne']);
  });
});
