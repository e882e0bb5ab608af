/**
 * Distance to the nearest coastline from an offline dataset: Natural Earth 1:10m land (public
 * domain) as shipped in the npm package world-atlas (`land-10m.json`, TopoJSON). The boundary
 * of the land polygons is the coastline; its segments go into a flatbush index once, lazily.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import Flatbush from 'flatbush';
import { mesh } from 'topojson-client';
import type { Topology, GeometryCollection } from 'topojson-specification';
import type { LatLng } from '../../shared/geo.js';
import { expandBBox, pointSegmentDistanceM } from './geometry.js';

export type CoastlineIndex = {
  /** Number of coastline segments indexed. */
  segments: number;
  /** Metres from the point to the nearest coastline segment, and that segment's nearer end. */
  nearest(p: LatLng): { distanceM: number; nearestPoint: LatLng };
};

/** Builds an index from coastline polylines (`[lon, lat]` positions). */
export function buildCoastlineIndex(lines: readonly (readonly [number, number][])[]): CoastlineIndex {
  let n = 0;
  for (const l of lines) n += Math.max(0, l.length - 1);
  const coords = new Float64Array(n * 4);
  const index = new Flatbush(Math.max(1, n));
  let k = 0;
  for (const l of lines) {
    for (let i = 1; i < l.length; i++) {
      const [x1, y1] = l[i - 1]!, [x2, y2] = l[i]!;
      coords.set([x1, y1, x2, y2], k * 4);
      index.add(Math.min(x1, x2), Math.min(y1, y2), Math.max(x1, x2), Math.max(y1, y2));
      k++;
    }
  }
  if (n === 0) index.add(0, 0, 0, 0);
  index.finish();

  return {
    segments: n,
    nearest(p) {
      if (n === 0) return { distanceM: Infinity, nearestPoint: p };
      // Grow a search box until the best segment found lies within it: any closer segment
      // would have to cross the box, so it would have been a candidate.
      for (let radius = 20_000; ; radius *= 2) {
        const b = expandBBox([p.lng, p.lat, p.lng, p.lat], radius);
        let best = Infinity, bestI = -1;
        for (const i of index.search(b[0], b[1], b[2], b[3])) {
          const d = pointSegmentDistanceM(p.lng, p.lat, coords[i * 4]!, coords[i * 4 + 1]!, coords[i * 4 + 2]!, coords[i * 4 + 3]!);
          if (d < best) {
            best = d;
            bestI = i;
          }
        }
        if ((bestI >= 0 && best <= radius) || radius > 25_000_000) {
          const x1 = coords[bestI * 4]!, y1 = coords[bestI * 4 + 1]!, x2 = coords[bestI * 4 + 2]!, y2 = coords[bestI * 4 + 3]!;
          const d1 = pointSegmentDistanceM(p.lng, p.lat, x1, y1, x1, y1), d2 = pointSegmentDistanceM(p.lng, p.lat, x2, y2, x2, y2);
          return { distanceM: best, nearestPoint: d1 <= d2 ? { lat: y1, lng: x1 } : { lat: y2, lng: x2 } };
        }
      }
    },
  };
}

let cached: CoastlineIndex | undefined;

/**
 * The global coastline index from world-atlas land-10m (built on first use, about a second,
 * then cached for the process).
 */
export function naturalEarthCoastline(): CoastlineIndex {
  if (cached) return cached;
  const require = createRequire(import.meta.url);
  const topology = JSON.parse(readFileSync(require.resolve('world-atlas/land-10m.json'), 'utf8')) as Topology<{ land: GeometryCollection }>;
  const coast = mesh(topology, topology.objects.land);
  cached = buildCoastlineIndex(coast.coordinates as [number, number][][]);
  return cached;
}

/** Metres from a point to the nearest coastline (Natural Earth 1:10m; expect ±1–2 km). */
export function distanceToCoastM(p: LatLng): number {
  return naturalEarthCoastline().nearest(p).distanceM;
}
