/**
 * Deterministic synthetic data for the hazard benchmark: sites and warning polygons along
 * China's coast (Beibu Gulf to the Yalu). Same seed → same data, so runs compare.
 */
import { destination } from '../src/modules/hazards/geometry.js';
import type { HazardArea, Site } from '../src/modules/hazards/hazard-match.js';
import type { Position } from '../src/modules/hazards/geometry.js';

/** mulberry32: small, fast, deterministic. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Coastline anchors (lat, lng), south-west to north-east, and some coastal cities.
const COAST: [number, number][] = [
  [21.5, 109.1], [21.2, 110.4], [21.8, 112.0], [22.2, 113.5], [22.8, 115.3], [23.4, 116.7], [24.5, 118.1],
  [25.4, 119.5], [26.1, 119.6], [27.0, 120.3], [28.0, 121.0], [28.4, 121.6], [29.9, 122.0], [30.9, 121.9],
  [31.8, 121.3], [32.8, 120.9], [34.6, 119.4], [35.5, 119.6], [36.1, 120.4], [37.5, 122.5], [37.6, 121.4],
  [38.9, 117.8], [39.5, 119.3], [40.7, 122.2], [38.9, 121.6], [39.8, 124.2],
];
const CITIES: [number, number][] = [
  [22.54, 114.06], [23.13, 113.26], [24.48, 118.09], [26.07, 119.3], [28.0, 120.67], [28.66, 121.43], [29.87, 121.55],
  [30.29, 120.16], [31.22, 121.46], [32.06, 118.78], [36.07, 120.38], [38.91, 121.6], [39.13, 117.2], [21.27, 110.36],
];

function alongCoast(r: () => number): { lat: number; lng: number } {
  const i = Math.floor(r() * (COAST.length - 1));
  const [a, b] = [COAST[i]!, COAST[i + 1]!];
  const f = r();
  return { lat: a[0] + (b[0] - a[0]) * f, lng: a[1] + (b[1] - a[1]) * f };
}

function gaussian(r: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
}

/** Sites: 40 % clustered around coastal cities (σ 30 km), the rest within 250 km of the coast. */
export function generateSites(n: number, seed = 1): Site[] {
  const r = rng(seed);
  const sites: Site[] = [];
  for (let i = 0; i < n; i++) {
    let p: { lat: number; lng: number };
    if (r() < 0.4) {
      const c = CITIES[Math.floor(r() * CITIES.length)]!;
      p = destination({ lat: c[0], lng: c[1] }, r() * 360, Math.abs(gaussian(r)) * 30_000);
    } else {
      p = destination(alongCoast(r), r() * 360, 250_000 * r() ** 1.5);
    }
    sites.push({ id: `s${i}`, lat: +p.lat.toFixed(6), lng: +p.lng.toFixed(6) });
  }
  return sites;
}

/**
 * Warning polygons: star-shaped (so simple), 8–40 vertices, mean radius 8–60 km (county to
 * prefecture scale, like real typhoon/rainstorm warning areas), centred within 150 km of the coast.
 */
export function generatePolygons(n: number, seed = 2): HazardArea[] {
  const r = rng(seed);
  const areas: HazardArea[] = [];
  for (let i = 0; i < n; i++) {
    const c = destination(alongCoast(r), r() * 360, 150_000 * r());
    const radius = 8_000 * Math.exp(r() * Math.log(60 / 8));
    const k = 8 + Math.floor(r() * 33);
    const ring: Position[] = [];
    for (let j = 0; j < k; j++) {
      const angle = (360 * (j + 0.8 * r())) / k;
      const p = destination(c, angle, radius * (0.6 + 0.4 * r()));
      ring.push([+p.lng.toFixed(6), +p.lat.toFixed(6)]);
    }
    ring.push(ring[0]!);
    areas.push({ id: `a${i}`, parts: [{ type: 'polygon', rings: [ring] }] });
  }
  return areas;
}

export function polygonWkt(area: HazardArea): string {
  const part = area.parts[0]!;
  if (part.type !== 'polygon') throw new Error('polygon areas only');
  return `POLYGON(${part.rings.map((ring) => `(${ring.map(([x, y]) => `${x} ${y}`).join(',')})`).join(',')})`;
}
