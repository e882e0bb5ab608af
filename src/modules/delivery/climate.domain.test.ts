import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { haversineMetres } from '../../shared/geo.js';
import { decodeTrack, encodeTrack, tracksFromRawFixes, type RawFix } from './climate.codec.js';
import { chanceInBlock, climatologyOf, passagesNear, prepareTracks, weekDays, weekOfYear, type Passage, type StormTrack } from './climate.domain.js';

const H = 3_600_000;
const T0 = Date.UTC(2020, 7, 10, 0); // 2020-08-10T00Z, week 32 (day index 222), August
const port = { lat: 30, lng: 121.5 };
const storm = (id: string, fixes: [number, number, number, number][]): StormTrack => ({
  id, name: id, pieces: [fixes.map(([h, lat, lng, vmaxKt]) => ({ timeMs: T0 + h * H, lat, lng, vmaxKt }))],
});

describe('storm passages near a point', () => {
  // Fixes 2.5° of longitude either side of the port (≈ 241 km at 30° N): the track runs over it.
  const over = storm('A', [[0, 30, 119, 40], [6, 30, 124, 40]]);

  it('finds a storm whose track passes over the port between two fixes that are both too far', () => {
    const storms = prepareTracks([over]);
    expect(passagesNear(storms, port, 200, 34, 'fixes')).toEqual([]);
    const [p, ...rest] = passagesNear(storms, port, 200, 34, 'track');
    expect(rest).toEqual([]);
    // Within 200 km from about 119.42° E to 123.58° E: t ≈ 0.083 … 0.917 of the 6 h segment.
    expect((p!.fromMs - T0) / H).toBeCloseTo(0.5, 1);
    expect((p!.toMs - T0) / H).toBeCloseTo(5.5, 1);
  });

  it('counts a fix within the distance in both methods, and not a weaker one', () => {
    const near = prepareTracks([storm('B', [[0, 31, 121.5, 35], [6, 33, 121.5, 30]])]); // 111 km north
    expect(passagesNear(near, port, 200, 34, 'fixes')).toHaveLength(1);
    expect(passagesNear(near, port, 200, 34, 'track')).toHaveLength(1);
    expect(passagesNear(near, port, 200, 64, 'track')).toEqual([]);
    expect(passagesNear(near, port, 100, 34, 'track')).toEqual([]);
  });

  it('interpolates intensity linearly along a segment: 30 → 40 kt reaches 34 kt at 40 % of the way', () => {
    const s = prepareTracks([storm('C', [[0, 30, 119, 30], [6, 30, 124, 40]])]);
    const [p] = passagesNear(s, port, 200, 34);
    expect((p!.fromMs - T0) / H).toBeCloseTo(2.4, 6);
    expect((p!.toMs - T0) / H).toBeCloseTo(5.5, 1);
    expect(passagesNear(s, port, 200, 41)).toEqual([]);
  });

  it('measures across the 180° meridian', () => {
    const s = prepareTracks([storm('D', [[0, 20, 179, 50], [6, 20, -179, 50]])]);
    expect(passagesNear(s, { lat: 20, lng: 180 }, 50, 34)).toHaveLength(1);
    expect(passagesNear(s, { lat: 20, lng: -180 }, 50, 34)).toHaveLength(1);
    expect(passagesNear(s, { lat: 21, lng: 180 }, 50, 34)).toEqual([]); // 111 km north
  });
});

describe('distance from a port to the arc between two fixes', () => {
  // Points along the great circle by plain spherical interpolation, to check the closed form against.
  const slerp = (a: { lat: number; lng: number }, b: { lat: number; lng: number }, t: number) => {
    const r = Math.PI / 180;
    const v = (p: { lat: number; lng: number }) => [Math.cos(p.lat * r) * Math.cos(p.lng * r), Math.cos(p.lat * r) * Math.sin(p.lng * r), Math.sin(p.lat * r)];
    const [va, vb] = [v(a), v(b)];
    const θ = Math.acos(Math.min(1, va.reduce((s, x, i) => s + x * vb[i]!, 0)));
    const k = θ < 1e-12 ? [1 - t, t] : [Math.sin((1 - t) * θ) / Math.sin(θ), Math.sin(t * θ) / Math.sin(θ)];
    const x = va.map((c, i) => k[0]! * c + k[1]! * vb[i]!);
    return { lat: Math.asin(x[2]!) / r, lng: Math.atan2(x[1]!, x[0]!) / r };
  };
  const coord = (lo: number, hi: number) => fc.integer({ min: lo * 100, max: hi * 100 }).map((x) => x / 100);

  it('finds a passage exactly when some point of the arc is within the distance, entering and leaving at the distance', () => {
    fc.assert(fc.property(coord(10, 40), coord(110, 140), coord(-3, 3), coord(-3, 3), coord(-2, 2), coord(-2, 2), fc.integer({ min: 30, max: 400 }),
      (lat, lng, dLat, dLng, pLat, pLng, km) => {
        const a = { lat, lng }, b = { lat: lat + dLat, lng: lng + dLng }, point = { lat: lat + pLat, lng: lng + pLng };
        const storms = prepareTracks([{ id: 'P', name: 'P', pieces: [[{ timeMs: 0, ...a, vmaxKt: 50 }, { timeMs: 6 * H, ...b, vmaxKt: 50 }]] }]);
        const found = passagesNear(storms, point, km, 34);
        let min = Infinity;
        for (let i = 0; i <= 2000; i++) min = Math.min(min, haversineMetres(point, slerp(a, b, i / 2000)) / 1000);
        if (min < km - 1) expect(found).toHaveLength(1);
        if (min > km + 1) expect(found).toEqual([]);
        for (const p of found) {
          const [t0, t1] = [p.fromMs / (6 * H), p.toMs / (6 * H)];
          expect(haversineMetres(point, slerp(a, b, (t0 + t1) / 2)) / 1000).toBeLessThanOrEqual(km + 0.01);
          if (t0 > 1e-9) expect(haversineMetres(point, slerp(a, b, t0)) / 1000).toBeCloseTo(km, 1);
          if (t1 < 1 - 1e-9) expect(haversineMetres(point, slerp(a, b, t1)) / 1000).toBeCloseTo(km, 1);
        }
      }), { numRuns: 300 });
  });

  it('along the track finds every passage that the fixes alone find', () => {
    const fix = fc.record({ lat: coord(15, 35), lng: coord(112, 128), vmaxKt: fc.integer({ min: 0, max: 30 }).map((x) => x * 5) });
    fc.assert(fc.property(fc.array(fix, { minLength: 1, maxLength: 8 }), fc.integer({ min: 50, max: 400 }), fc.constantFrom(34, 64), (fixes, km, kt) => {
      const storms = prepareTracks([{ id: 'Q', name: 'Q', pieces: [fixes.map((f, i) => ({ ...f, timeMs: i * 6 * H }))] }]);
      const track = passagesNear(storms, port, km, kt, 'track');
      for (const p of passagesNear(storms, port, km, kt, 'fixes')) {
        expect(track.some((q) => q.fromMs <= p.fromMs + 1e-3 && p.fromMs <= q.toMs + 1e-3)).toBe(true);
      }
    }), { numRuns: 300 });
  });
});

describe('calendar of the climatology', () => {
  it('puts days 1–7 in week 1 and the last 8 days of the year in week 52', () => {
    expect(weekOfYear(Date.UTC(2021, 0, 1))).toBe(1);
    expect(weekOfYear(Date.UTC(2021, 0, 7, 23))).toBe(1);
    expect(weekOfYear(Date.UTC(2021, 0, 8))).toBe(2);
    expect(weekOfYear(Date.UTC(2021, 11, 23))).toBe(51);
    expect(weekOfYear(Date.UTC(2021, 11, 24))).toBe(52);
    expect(weekOfYear(Date.UTC(2020, 11, 31, 23))).toBe(52); // leap year: 9 days
    expect(weekDays(1)).toEqual({ from: '01-01', to: '01-07' });
    expect(weekDays(27)).toEqual({ from: '07-02', to: '07-08' });
    expect(weekDays(52)).toEqual({ from: '12-24', to: '12-31' });
  });

  const at = (iso: string, hours = 0, id = 'S'): Passage => ({ stormId: id, name: id, fromMs: Date.parse(iso), toMs: Date.parse(iso) + hours * H });
  const meta = { points: [port], distanceKm: 200, thresholdKt: 34, method: 'track' as const };

  it('gives the chance as years with a passage over years covered, with storms beside it', () => {
    // 2001: two storms in week 32; 2002: one. 10 years covered.
    const r = climatologyOf([at('2001-08-10T00:00Z', 0, 'a'), at('2001-08-11T00:00Z', 0, 'b'), at('2002-08-12T00:00Z', 0, 'c')], { from: 2001, to: 2010 }, meta);
    expect(r.byWeek[31]).toEqual({ index: 32, yearsWithPassage: 2, probability: 0.2, storms: 3 });
    expect(r.byMonth[7]).toEqual({ index: 8, yearsWithPassage: 2, probability: 0.2, storms: 3 });
    expect(r.byMonth[6]!.probability).toBe(0);
    expect(r.years).toEqual({ from: 2001, to: 2010, count: 10 });
  });

  it('counts a storm in every week and month its passage touches, across the new year too', () => {
    const r = climatologyOf([at('2001-12-31T18:00Z', 12, 'x'), at('2005-07-31T20:00Z', 6, 'y')], { from: 2001, to: 2010 }, meta);
    expect(r.byYear).toEqual([
      { year: 2001, weeks: [52], months: [12], storms: ['x'] },
      { year: 2002, weeks: [1], months: [1], storms: ['x'] },
      { year: 2005, weeks: [31], months: [7, 8], storms: ['y'] },
    ]);
    expect(r.byMonth[0]!.yearsWithPassage).toBe(1);
    expect(r.byMonth[11]!.yearsWithPassage).toBe(1);
  });

  it('leaves out passages in years not covered', () => {
    const r = climatologyOf([at('1999-08-10T00:00Z'), at('2003-08-10T00:00Z')], { from: 2001, to: 2004 }, meta);
    expect(r.byYear.map((y) => y.year)).toEqual([2003]);
    expect(r.byMonth[7]!.probability).toBe(0.25);
  });

  it('gives the chance of a season without counting a year twice', () => {
    // 2001 has passages in July and August, 2002 in August only: 2 years of 10, not 3.
    const r = climatologyOf([at('2001-07-10T00:00Z', 0, 'a'), at('2001-08-10T00:00Z', 0, 'b'), at('2002-08-10T00:00Z', 0, 'c')], { from: 2001, to: 2010 }, meta);
    expect(chanceInBlock(r, 'months', [7, 8, 9])).toBe(0.2);
    expect(r.byMonth[6]!.probability + r.byMonth[7]!.probability).toBeCloseTo(0.3, 12);
    expect(chanceInBlock(r, 'months', [7])).toBe(0.1);
  });
});

describe('building and storing tracks', () => {
  const row = (cy: number, day: number, hour: number, lat: number, lon: number, vmax: number, name = ''): RawFix => ({ year: 2019, month: 8, day, hour, cy, lat, lon, vmax, name });

  it('keeps one fix per storm and time, breaks at long gaps and unknown intensity, and drops weak fixes far from strong ones', () => {
    const rows = [
      row(9, 4, 0, 12, 135, 20), row(9, 4, 6, 12.3, 134.5, 25), // weak, far from a strong fix: dropped
      row(9, 4, 12, 12.6, 134.0, 30), row(9, 4, 18, 12.9, 133.5, 35, 'LEKIMA'), row(9, 4, 18, 12.9, 133.5, 35, 'LEKIMA'), // RAD 34 and 50 rows of one fix
      row(9, 5, 0, 13.2, 133.0, -999), // unknown intensity: breaks the track
      row(9, 5, 6, 13.5, 132.5, 40), row(9, 7, 6, 15.5, 130.0, 45), // 48 h gap: breaks the track
      row(10, 5, 0, 20, 140, 25), // a storm that never reaches 34 kt: left out
    ];
    const { tracks, stats } = tracksFromRawFixes(rows);
    expect(stats).toEqual({ rows: 9, fixes: 8, unknownIntensity: 1, kept: 4, storms: 1, pieces: 3 });
    expect(tracks).toHaveLength(1);
    expect(tracks[0]!.id).toBe('2019-09');
    expect(tracks[0]!.name).toBe('LEKIMA');
    expect(tracks[0]!.pieces.map((p) => p.map((f) => f.vmaxKt))).toEqual([[30, 35], [40], [45]]);
  });

  it('stores a track as compact text and reads it back, across 180° and with a 3-hourly fix', () => {
    const t: StormTrack = { id: '1997-05', name: 'X', pieces: [[
      { timeMs: Date.UTC(1997, 5, 3, 12), lat: 39.2, lng: 178.7, vmaxKt: 50 },
      { timeMs: Date.UTC(1997, 5, 3, 18), lat: 39.6, lng: -179.5, vmaxKt: 45 },
      { timeMs: Date.UTC(1997, 5, 3, 21), lat: 40.0, lng: -160.2, vmaxKt: 35 },
    ], [{ timeMs: Date.UTC(1997, 6, 1, 0), lat: 5.6, lng: 120.0, vmaxKt: 0 }]] };
    const line = encodeTrack(t);
    expect(line).toEqual(['1997-05', 'X', '1997060312,392,1787,50;4,18,45;4,193,35,3|1997070100,56,1200,0']);
    expect(decodeTrack(line)).toEqual(t);
  });

  it('refuses a malformed line', () => {
    expect(() => decodeTrack(['x', '', '19970603,1,2,3'])).toThrow(/bad first fix/);
    expect(() => decodeTrack(['x', '', '1997060312,1,2,3;1'])).toThrow(/bad fix/);
  });
});
