import { describe, expect, it } from 'vitest';
import { aggregateValueAtRisk, areaToGeoJson, distanceToAreaM, indexSites, matchSites, type HazardArea, type Site } from './hazard-match.js';
import { ringSignedArea } from './geometry.js';

// A 0.2° × 0.2° square warning area near Wenling (lon 121.3–121.5, lat 28.3–28.5).
const square: HazardArea = {
  id: 'square',
  parts: [{ type: 'polygon', rings: [[[121.3, 28.3], [121.5, 28.3], [121.5, 28.5], [121.3, 28.5], [121.3, 28.3]]] }],
};
const circle: HazardArea = { id: 'circle', parts: [{ type: 'circle', center: { lat: 28.0, lng: 121.0 }, radiusM: 10_000 }] };
const point: HazardArea = { id: 'point', parts: [{ type: 'circle', center: { lat: 30.0, lng: 120.0 }, radiusM: 0 }] };

// One degree of latitude ≈ 111.2 km, so 0.01° ≈ 1.11 km.
const sites: Site[] = [
  { id: 'in-square', lat: 28.4, lng: 121.4 },
  { id: 'north-of-square-1.1km', lat: 28.51, lng: 121.4 },
  { id: 'north-of-square-5.6km', lat: 28.55, lng: 121.4 },
  { id: 'in-circle', lat: 28.05, lng: 121.0 }, // 5.6 km from the centre
  { id: 'outside-circle-1.1km', lat: 28.1 + 0.01, lng: 121.0 }, // 12.2 km from the centre
  { id: 'near-point', lat: 30.01, lng: 120.0 },
  { id: 'far', lat: 30.67, lng: 104.07 },
];

describe('site matching', () => {
  it('matches only sites inside when no buffer is given', () => {
    const r = matchSites(sites, [square, circle, point]);
    expect(r).toEqual([
      { siteId: 'in-square', matches: [{ areaId: 'square', inside: true, distanceM: 0 }] },
      { siteId: 'in-circle', matches: [{ areaId: 'circle', inside: true, distanceM: 0 }] },
    ]);
  });

  it('matches sites within the buffer with their distance to the edge', () => {
    const r = matchSites(sites, [square, circle, point], { bufferM: 2_500 });
    const byId = new Map(r.map((m) => [m.siteId, m.matches]));
    expect([...byId.keys()]).toEqual(['in-square', 'north-of-square-1.1km', 'in-circle', 'outside-circle-1.1km', 'near-point']);
    expect(byId.get('north-of-square-1.1km')![0]!.distanceM).toBeCloseTo(1112, -1);
    expect(byId.get('outside-circle-1.1km')![0]!.distanceM).toBeCloseTo(2230, -2);
    expect(byId.get('near-point')![0]).toMatchObject({ areaId: 'point', inside: false });
    expect(byId.get('near-point')![0]!.distanceM).toBeCloseTo(1112, -1);
  });

  it('reports each area a site falls in', () => {
    const overlap: HazardArea = { id: 'overlap', parts: [{ type: 'circle', center: { lat: 28.4, lng: 121.4 }, radiusM: 5_000 }] };
    const r = matchSites(indexSites(sites), [square, overlap]);
    expect(r[0]).toEqual({ siteId: 'in-square', matches: [{ areaId: 'square', inside: true, distanceM: 0 }, { areaId: 'overlap', inside: true, distanceM: 0 }] });
  });

  it('honours holes in polygons', () => {
    const donut: HazardArea = {
      id: 'donut',
      parts: [{ type: 'polygon', rings: [square.parts[0]!.type === 'polygon' ? square.parts[0]!.rings[0]! : [], [[121.35, 28.35], [121.45, 28.35], [121.45, 28.45], [121.35, 28.45], [121.35, 28.35]]] }],
    };
    expect(distanceToAreaM(28.4, 121.4, donut)).toBeCloseTo(4890, -2);
    expect(distanceToAreaM(28.32, 121.4, donut)).toBe(0);
  });

  it('returns nothing for no sites or no areas', () => {
    expect(matchSites([], [square])).toEqual([]);
    expect(matchSites(sites, [])).toEqual([]);
  });
});

describe('value at risk', () => {
  const values = new Map([
    ['s1', { amountMinor: 1_000_00, currency: 'CNY' }],
    ['s2', { amountMinor: 250_50, currency: 'CNY' }],
    ['s3', { amountMinor: 99, currency: 'USD' }],
    ['s4', { amountMinor: 5, currency: 'CNY' }],
  ]);
  const account = new Map([['s1', 'acme'], ['s2', 'acme'], ['s3', 'acme'], ['s4', 'zeta']]);

  it('sums minor units per group and currency, each site once', () => {
    expect(aggregateValueAtRisk(['s1', 's2', 's1', 's3', 's4', 'unknown'], values, account)).toEqual([
      { key: 'acme', currency: 'CNY', amountMinor: 125_050, siteCount: 2 },
      { key: 'acme', currency: 'USD', amountMinor: 99, siteCount: 1 },
      { key: 'zeta', currency: 'CNY', amountMinor: 5, siteCount: 1 },
    ]);
  });

  it('refuses amounts that are not integers of minor units', () => {
    expect(() => aggregateValueAtRisk(['x'], new Map([['x', { amountMinor: 1.5, currency: 'CNY' }]]), new Map([['x', 'a']]))).toThrow(RangeError);
  });
});

describe('areas as GeoJSON', () => {
  it('winds outlines counter-clockwise and holes clockwise, whichever way the CAP polygon ran (RFC 7946)', () => {
    // Clockwise outline with a counter-clockwise hole, as CAP senders often write them.
    const cw: HazardArea = {
      id: 'cw',
      parts: [
        { type: 'polygon', rings: [[[121.3, 28.3], [121.3, 28.5], [121.5, 28.5], [121.5, 28.3], [121.3, 28.3]], [[121.35, 28.35], [121.45, 28.35], [121.45, 28.45], [121.35, 28.45], [121.35, 28.35]]] },
        { type: 'circle', center: { lat: 28.0, lng: 121.0 }, radiusM: 10_000 },
      ],
    };
    const g = areaToGeoJson(cw);
    expect(g.type).toBe('MultiPolygon');
    const polys = g.type === 'MultiPolygon' ? g.coordinates : [g.coordinates];
    expect(ringSignedArea(polys[0]![0]!)).toBeGreaterThan(0);
    expect(ringSignedArea(polys[0]![1]!)).toBeLessThan(0);
    expect(ringSignedArea(polys[1]![0]!)).toBeGreaterThan(0);
    // The same ring, only reversed: still the 0.2° square.
    expect(Math.abs(ringSignedArea(polys[0]![0]!))).toBeCloseTo(0.04, 6);
  });
});
