/**
 * Acceptance: the shipped typhoon climatology agrees with counts made directly from the raw JTWC
 * best tracks by a separate, deliberately simple script (below; it shares no code with the
 * product). Ningbo-Zhoushan, 200 km, ≥ 34 kt, June to October.
 *
 * Like is compared with like:
 * - fixes only: the simple script counts fixes within 200 km (haversine) at ≥ 34 kt; the
 *   product's `fixes` method must give the same years and storms, month by month;
 * - along the track: the simple script walks each 6-hourly segment in 400 straight steps in
 *   latitude and longitude, intensity and time (a plain stand-in for the product's exact
 *   great-circle arcs). Straight steps and sampling differ from the arc by a kilometre or two,
 *   so the product at 200 km must lie between the simple count at 195 km and at 205 km; on this
 *   record it equals the simple count at 200 km too.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { asyncBufferFromFile, parquetReadObjects } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { beforeAll, describe, expect, it } from 'vitest';
import { hasReferenceData, referenceDataMissing, referencePath } from '../../shared/reference-data.js';
import { buildClimatologyTable } from './climate.build.js';
import { typhoonRisk } from './climate.service.js';

const NINGBO = { lat: 29.87, lng: 121.55 };
const MONTHS = [6, 7, 8, 9, 10];
const parquet = () => referencePath('hazard', 'climatology', 'JTWC_raw.parquet');

// ---- the simple script: nothing from src/ below this line ----
type Fix = { storm: string; year: number; month: number; time: number; lat: number; lon: number; vmax: number };

async function rawFixes(): Promise<Map<string, Fix[]>> {
  const file = await asyncBufferFromFile(parquet());
  const rows = (await parquetReadObjects({ file, compressors, columns: ['YYYY', 'MM', 'DD', 'HH', 'CY', 'LAT', 'LON', 'VMAX'] })) as Record<string, number>[];
  const seen = new Set<string>();
  const storms = new Map<string, Fix[]>();
  for (const r of rows) {
    const key = `${r.YYYY}-${r.CY}-${r.MM}-${r.DD}-${r.HH}`; // one fix per RAD row: keep the first
    if (seen.has(key)) continue;
    seen.add(key);
    const storm = `${r.YYYY}-${r.CY}`;
    const fix = { storm, year: r.YYYY!, month: r.MM!, time: Date.UTC(r.YYYY!, r.MM! - 1, r.DD!, r.HH!), lat: Math.round(r.LAT! * 10) / 10, lon: Math.round(r.LON! * 10) / 10, vmax: r.VMAX! };
    if (!storms.has(storm)) storms.set(storm, []);
    storms.get(storm)!.push(fix);
  }
  for (const fixes of storms.values()) fixes.sort((a, b) => a.time - b.time);
  return storms;
}

function haversineKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const r = Math.PI / 180;
  const a = Math.sin(((lat2 - lat1) * r) / 2) ** 2 + Math.cos(lat1 * r) * Math.cos(lat2 * r) * Math.sin(((lon2 - lon1) * r) / 2) ** 2;
  return 2 * 6371.0088 * Math.asin(Math.sqrt(a));
}

type Counts = Record<number, { years: number; storms: number }>;
function count(hits: { storm: string; year: number; month: number }[]): Counts {
  const out: Counts = {};
  for (const m of MONTHS) {
    const here = hits.filter((h) => h.month === m);
    out[m] = { years: new Set(here.map((h) => h.year)).size, storms: new Set(here.map((h) => h.storm)).size };
  }
  return out;
}

function fixOnly(storms: Map<string, Fix[]>, km: number): Counts {
  const hits = [];
  for (const fixes of storms.values()) for (const f of fixes) if (f.vmax >= 34 && haversineKm(NINGBO.lat, NINGBO.lng, f.lat, f.lon) <= km) hits.push(f);
  return count(hits);
}

function sampled(storms: Map<string, Fix[]>, km: number): Counts {
  const hits = [];
  for (const fixes of storms.values()) {
    for (let i = 1; i < fixes.length; i++) {
      const a = fixes[i - 1]!, b = fixes[i]!;
      if (a.vmax < 0 || b.vmax < 0 || b.time - a.time > 24 * 3_600_000) continue; // unknown intensity, or a gap
      if (haversineKm(NINGBO.lat, NINGBO.lng, a.lat, a.lon) > 1500) continue; // far away (6 h never moves 1,000 km)
      for (let k = 0; k <= 400; k++) {
        const t = k / 400;
        const lat = a.lat + (b.lat - a.lat) * t, lon = a.lon + (b.lon - a.lon) * t, vmax = a.vmax + (b.vmax - a.vmax) * t;
        if (vmax < 34 || haversineKm(NINGBO.lat, NINGBO.lng, lat, lon) > km) continue;
        const d = new Date(a.time + (b.time - a.time) * t);
        hits.push({ storm: a.storm, year: d.getUTCFullYear(), month: d.getUTCMonth() + 1 });
      }
    }
  }
  return count(hits);
}
// ---- end of the simple script ----

function product(method: 'track' | 'fixes'): Counts {
  const r = typhoonRisk(NINGBO, 200, 34, { method });
  return Object.fromEntries(MONTHS.map((m) => [m, { years: r.byMonth[m - 1]!.yearsWithPassage, storms: r.byMonth[m - 1]!.storms }]));
}

const title = 'typhoon climatology against the raw best tracks (Ningbo-Zhoushan, 200 km, ≥ 34 kt)';
describe.skipIf(!hasReferenceData)(hasReferenceData ? title : `${title}: ${referenceDataMissing}`, () => {
  let storms: Map<string, Fix[]>;
  beforeAll(async () => { storms = await rawFixes(); });

  it('counts the same years and storms as the raw fixes, month by month, when looking at fixes only', () => {
    const simple = fixOnly(storms, 200);
    expect(product('fixes')).toEqual(simple);
    expect(simple[8]!.years).toBeGreaterThan(10); // the check is not vacuous: August has passages most decades
  });

  it('along the track, lies between the simple interpolated counts at 195 km and 205 km (and equals them at 200 km)', () => {
    const lo = sampled(storms, 195), hi = sampled(storms, 205), got = product('track');
    for (const m of MONTHS) {
      expect(got[m]!.years, `month ${m} years`).toBeGreaterThanOrEqual(lo[m]!.years);
      expect(got[m]!.years, `month ${m} years`).toBeLessThanOrEqual(hi[m]!.years);
      expect(got[m]!.storms, `month ${m} storms`).toBeGreaterThanOrEqual(lo[m]!.storms);
      expect(got[m]!.storms, `month ${m} storms`).toBeLessThanOrEqual(hi[m]!.storms);
      expect(got[m]!.storms, `month ${m}: interpolation finds every fix-only passage`).toBeGreaterThanOrEqual(product('fixes')[m]!.storms);
    }
    // On this record the margin is not even needed (measured 2026-12: August 21 years / 23 storms, September 14 / 14, one more than fixes only).
    expect(got).toEqual(sampled(storms, 200));
  });

  it('ships the table the raw file builds today (rerun npm run build:climatology if this fails)', async () => {
    const shipped = readFileSync(fileURLToPath(new URL('./data/typhoon-climatology.json', import.meta.url)), 'utf8');
    expect((await buildClimatologyTable(parquet())).text === shipped).toBe(true);
  });
});

describe('typhoon risk from the shipped table', () => {
  it('counts a storm once when it passes near two ports of the lane', () => {
    const xiamen = { lat: 24.48, lng: 118.08 };
    const both = typhoonRisk([NINGBO, xiamen], 200, 34);
    const one = typhoonRisk(NINGBO, 200, 34), other = typhoonRisk(xiamen, 200, 34);
    const storms = (r: typeof both) => new Set(r.byYear.flatMap((y) => y.storms));
    expect(storms(both)).toEqual(new Set([...storms(one), ...storms(other)]));
    for (const m of MONTHS) {
      expect(both.byMonth[m - 1]!.yearsWithPassage).toBeGreaterThanOrEqual(Math.max(one.byMonth[m - 1]!.yearsWithPassage, other.byMonth[m - 1]!.yearsWithPassage));
      expect(both.byMonth[m - 1]!.yearsWithPassage).toBeLessThanOrEqual(one.byMonth[m - 1]!.yearsWithPassage + other.byMonth[m - 1]!.yearsWithPassage);
    }
    expect(typhoonRisk([NINGBO, NINGBO], 200, 34)).toEqual({ ...one, points: [NINGBO, NINGBO] });
  });

  it('covers 1945–2021 and can count a shorter span', () => {
    const all = typhoonRisk(NINGBO, 200, 64);
    expect(all.years).toEqual({ from: 1945, to: 2021, count: 77 });
    const recent = typhoonRisk(NINGBO, 200, 64, { years: { from: 1981, to: 2021 } });
    expect(recent.years.count).toBe(41);
    expect(recent.byYear.every((y) => y.year >= 1981)).toBe(true);
    expect(recent.byMonth[7]!.probability).toBe(recent.byMonth[7]!.yearsWithPassage / 41);
  });

  it('refuses what the table cannot answer', () => {
    expect(() => typhoonRisk(NINGBO, 200, 25)).toThrow(/at least 34/);
    expect(() => typhoonRisk(NINGBO, 0, 34)).toThrow(/distanceKm/);
    expect(() => typhoonRisk(NINGBO, 200, 34, { years: { from: 1940, to: 2021 } })).toThrow(/1945–2021/);
    expect(() => typhoonRisk([], 200, 34)).toThrow(/port/);
  });
});
