import { describe, expect, it } from 'vitest';
import { DEFAULT_MATCH_OPTIONS, distanceKm, matchTrip, type Moment, type Trip, travelEstimate } from './trips.domain.js';

/*
 * City coordinates (WGS 84) from GeoNames (CC-BY 4.0, "GeoNames"), as in the shared reference
 * file geonames_cn_cities.csv: Guangzhou 23.11667 N 113.25 E, Wuhan 30.58333 N 114.26667 E,
 * Changsha (Hunan) 28.19874 N 112.97087 E, Shenzhen 22.54554 N 114.0683 E, Ürümqi 43.80096 N
 * 87.60046 E, Beijing 39.9075 N 116.39723 E. Only these literals are used; the file is not read.
 *
 * Guangzhou → Wuhan by hand (haversine, R = 6,371.0088 km):
 *   Δφ = 30.58333 − 23.11667 = 7.46666° = 0.130318 rad;  Δλ = 1.01667° = 0.017744 rad
 *   sin²(Δφ/2) = sin²(0.065159) = 0.0042397
 *   cos φ1 · cos φ2 = cos 23.11667° · cos 30.58333° = 0.919707 × 0.860890 = 0.791766
 *   sin²(Δλ/2) = sin²(0.008872) = 0.00007871
 *   h = 0.0042397 + 0.791766 × 0.00007871 = 0.0043020
 *   c = 2 · asin(√h) = 2 · asin(0.065589) = 0.131273 rad
 *   d = 6,371.0088 × 0.131273 = 836.3 km
 * Modes at 836.3 km: road only to 600 km; air only from 1,000 km; high-speed rail 836.3 / 250 + 1
 * = 4.345 h one way (the "about 4 h"), so 8.69 h there and back.
 * Changsha is 565.8 km: rail 565.8 / 250 + 1 = 3.263 h (road 7.07 h, air not from 1,000 km).
 * Shenzhen is 105.2 km: road 105.2 / 80 = 1.315 h beats rail 105.2 / 250 + 1 = 1.421 h.
 */
const GUANGZHOU = { lat: 23.11667, lng: 113.25 };
const WUHAN = { lat: 30.58333, lng: 114.26667 };
const CHANGSHA = { lat: 28.19874, lng: 112.97087 };
const SHENZHEN = { lat: 22.54554, lng: 114.0683 };
const URUMQI = { lat: 43.80096, lng: 87.60046 };
const BEIJING = { lat: 39.9075, lng: 116.39723 };

const trip: Trip = { id: 't1', executiveId: 'president', city: 'Guangzhou', place: GUANGZHOU, from: '2026-09-10', to: '2026-09-14' };
const moment = (over: Partial<Moment> & Pick<Moment, 'id' | 'date' | 'place'>): Moment => ({
  kind: 'event', accountId: `a-${over.id}`, accountName: over.id, label: over.id, city: over.id, valueRank: 3, gaps: [], ...over,
});

describe('executive trips', () => {
  it('measures Guangzhou to Wuhan as the hand computation does and picks high-speed rail', () => {
    expect(distanceKm(GUANGZHOU, WUHAN)).toBeCloseTo(836.3, 1);
    const t = travelEstimate(GUANGZHOU, WUHAN)!;
    expect(t.mode).toBe('hsr');
    expect(t.hours).toBeCloseTo(4.345, 3);
    expect(t.options.map((o) => o.mode)).toEqual(['hsr']);
    expect(travelEstimate(GUANGZHOU, SHENZHEN)).toMatchObject({ mode: 'road', options: [{ mode: 'road' }, { mode: 'hsr' }] });
    expect(travelEstimate(GUANGZHOU, SHENZHEN)!.hours).toBeCloseTo(1.315, 3);
    expect(travelEstimate(GUANGZHOU, BEIJING)).toMatchObject({ mode: 'air', options: [{ mode: 'air' }] });
    expect(travelEstimate(GUANGZHOU, BEIJING)!.hours).toBeCloseTo(1890.4 / 700 + 2.5, 2);
    // no station at the far end and too far to drive, too near to fly: no way there under the rules
    expect(travelEstimate(GUANGZHOU, { ...WUHAN, hsr: false })).toBeNull();
  });

  it('ranks Zhou\'s anniversary in Wuhan first, keeps the window edges and drops what is out of reach', () => {
    const moments: Moment[] = [
      moment({ id: 'zhou-3rd-anniversary', date: '2026-09-12', place: WUHAN, valueRank: 3, gaps: ['no_executive_contact'] }),
      moment({ id: 'shenzhen-dealer-day', kind: 'key_date', date: '2026-09-11', place: SHENZHEN, valueRank: 10 }),
      moment({ id: 'changsha-conference', date: '2026-09-15', place: CHANGSHA, valueRank: 5, gaps: ['no_champion', 'single_point_of_contact'] }),
      moment({ id: 'wuhan-before', kind: 'key_date', date: '2026-09-09', place: WUHAN, valueRank: 3 }),
      moment({ id: 'wuhan-too-late', date: '2026-09-16', place: WUHAN, valueRank: 1, gaps: ['no_champion'] }),
      moment({ id: 'wuhan-too-early', date: '2026-09-08', place: WUHAN, valueRank: 1 }),
      moment({ id: 'urumqi-too-far', date: '2026-09-12', place: URUMQI, valueRank: 1 }),
      moment({ id: 'beijing-5.2h', date: '2026-09-12', place: BEIJING, valueRank: 1 }),
    ];
    const s = matchTrip(trip, moments);
    /*
     * score = 100 / rank + 15 × gaps + 20 (event) − 2 × detour h − 10 × days outside the trip
     * Wuhan 12 Sep:      33.33 + 15 + 20 − 2 × 8.69 (= 17.38) − 0  = 50.95
     * Changsha 15 Sep:   20 + 30 + 20 − 2 × 6.526 (= 13.05) − 10   = 46.95
     * Wuhan 9 Sep:       33.33 + 0 + 0 − 17.38 − 10                  =  5.95
     * Shenzhen 11 Sep:   10 + 0 + 0 − 2 × 2.630 (= 5.26) − 0         =  4.74
     * 16 and 8 Sep are two days outside the trip (one allowed); Ürümqi is 7.19 h by air and
     * Beijing 5.20 h, both over the 5 h reach.
     */
    expect(s.map((x) => [x.momentId, x.score, x.mode, x.daysOutsideTrip])).toEqual([
      ['zhou-3rd-anniversary', 50.95, 'hsr', 0],
      ['changsha-conference', 46.95, 'hsr', 1],
      ['wuhan-before', 5.95, 'hsr', 1],
      ['shenzhen-dealer-day', 4.74, 'road', 0],
    ]);
    expect(s[0]).toEqual({
      tripId: 't1', momentId: 'zhou-3rd-anniversary', accountId: 'a-zhou-3rd-anniversary', date: '2026-09-12',
      distanceKm: 836.3, mode: 'hsr', oneWayHours: 4.35, detourHours: 8.69, daysOutsideTrip: 0, score: 50.95,
      parts: { value: 33.33, gaps: 15, event: 20, detour: -17.38, outsideTrip: 0 },
    });
    // a longer reach brings Beijing in (by air), a wider slack the 8 and 16 Sep moments
    expect(matchTrip(trip, moments, { ...DEFAULT_MATCH_OPTIONS, maxOneWayHours: 6 }).map((x) => x.momentId)).toContain('beijing-5.2h');
    const wide = matchTrip(trip, moments, { ...DEFAULT_MATCH_OPTIONS, slackDays: 2 });
    expect(wide.find((x) => x.momentId === 'wuhan-too-late')).toMatchObject({ daysOutsideTrip: 2, score: 97.62 }) // 100 + 15 + 20 − 17.38 − 20;
    expect(wide.find((x) => x.momentId === 'wuhan-too-early')).toMatchObject({ daysOutsideTrip: 2 });
  });

  it('includes a moment on the trip\'s first and last day with no penalty and a same-city moment at road time', () => {
    const s = matchTrip(trip, [
      moment({ id: 'first-day', date: '2026-09-10', place: { lat: 23.13, lng: 113.26 } }),
      moment({ id: 'last-day', date: '2026-09-14', place: GUANGZHOU }),
    ]);
    expect(s.map((x) => [x.momentId, x.daysOutsideTrip, x.mode])).toEqual([['last-day', 0, 'road'], ['first-day', 0, 'road']]);
    expect(s[0]!.detourHours).toBe(0);
    expect(s[1]!.detourHours).toBeGreaterThan(0);
  });
});
