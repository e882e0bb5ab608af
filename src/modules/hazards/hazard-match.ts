/**
 * Site ↔ hazard-area matching through a spatial index (flatbush on sites), with an optional
 * buffer, plus value-at-risk aggregation. Pure computation: the caller loads sites and areas.
 */
import Flatbush from 'flatbush';
import { haversineMetres, type LatLng } from '../../shared/geo.js';
import {
  circleRing,
  distanceToRingsM,
  expandBBox,
  mergeBBox,
  METRES_PER_DEGREE,
  pointInPolygon,
  ringBBox,
  ringSignedArea,
  type BBox,
  type Position,
} from './geometry.js';

/** One piece of an area: a polygon (outer ring then holes, `[lon, lat]`) or a circle. */
export type AreaPart =
  | { type: 'polygon'; rings: Position[][] }
  | { type: 'circle'; center: LatLng; radiusM: number };

/** A hazard area: the union of its parts (CAP area, resolved geocode, typhoon swath…). */
export type HazardArea = { id: string; label?: string; parts: AreaPart[] };

export type Site = { id: string; lat: number; lng: number };

/** One area a site falls in (distanceM 0) or lies within the buffer of (distance to the edge). */
export type AreaMatch = { areaId: string; inside: boolean; distanceM: number };

export type SiteMatches = { siteId: string; matches: AreaMatch[] };

export type MatchOptions = {
  /** Also match sites outside an area but within this many metres of its edge (default 0). */
  bufferM?: number;
};

export function partBBox(part: AreaPart): BBox {
  if (part.type === 'polygon') return ringBBox(part.rings[0] ?? []);
  return expandBBox([part.center.lng, part.center.lat, part.center.lng, part.center.lat], part.radiusM);
}

export function areaBBox(area: HazardArea): BBox | undefined {
  let b: BBox | undefined;
  for (const p of area.parts) b = b ? mergeBBox(b, partBBox(p)) : partBBox(p);
  return b;
}

/**
 * Distance in metres from a point to an area: 0 inside (or on the edge), otherwise the
 * distance to the nearest edge. Circles use great-circle distance; polygon edges a local
 * projection (good to well under 1 % at warning-area scales).
 */
export function distanceToAreaM(lat: number, lng: number, area: HazardArea): number {
  let best = Infinity;
  for (const part of area.parts) {
    const d = distanceToPartM(lat, lng, part);
    if (d === 0) return 0;
    if (d < best) best = d;
  }
  return best;
}

export function distanceToPartM(lat: number, lng: number, part: AreaPart): number {
  if (part.type === 'circle') return Math.max(0, haversineMetres({ lat, lng }, part.center) - part.radiusM);
  if (pointInPolygon(lng, lat, part.rings)) return 0;
  return distanceToRingsM(lng, lat, part.rings);
}

/** A spatial index over sites, built once and reused for every batch of areas. */
export type SiteIndex = { sites: readonly Site[]; index: Flatbush | undefined };

export function indexSites(sites: readonly Site[]): SiteIndex {
  if (sites.length === 0) return { sites, index: undefined };
  const index = new Flatbush(sites.length);
  for (const s of sites) index.add(s.lng, s.lat, s.lng, s.lat);
  index.finish();
  return { sites, index };
}

type PreparedPart =
  | { kind: 'polygon'; rings: Float64Array[]; bbox: BBox }
  | { kind: 'circle'; lat: number; lng: number; radiusM: number; bbox: BBox };

/** Flattens rings into typed arrays once per area, so the hot loop allocates nothing. */
function preparePart(part: AreaPart): PreparedPart {
  if (part.type === 'circle') return { kind: 'circle', lat: part.center.lat, lng: part.center.lng, radiusM: part.radiusM, bbox: partBBox(part) };
  return { kind: 'polygon', rings: part.rings.map((r) => Float64Array.from(r.flat())), bbox: partBBox(part) };
}

function flatInRing(x: number, y: number, c: Float64Array): boolean {
  let inside = false;
  const n = c.length;
  for (let i = 0, j = n - 2; i < n; j = i, i += 2) {
    const yi = c[i + 1]!, yj = c[j + 1]!;
    if (yi > y !== yj > y) {
      const xi = c[i]!, xj = c[j]!;
      if (x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
    }
  }
  return inside;
}

/** Squared distance in (cos-scaled) degrees from a point to a flat ring's edges. */
function flatRingDist2(x: number, y: number, k: number, c: Float64Array, limit2: number): number {
  let best = limit2;
  for (let i = 2; i < c.length; i += 2) {
    const x1 = (c[i - 2]! - x) * k, y1 = c[i - 1]! - y;
    const dx = (c[i]! - x) * k - x1, dy = c[i + 1]! - y - y1;
    const len2 = dx * dx + dy * dy;
    let t = len2 > 0 ? -(x1 * dx + y1 * dy) / len2 : 0;
    t = t < 0 ? 0 : t > 1 ? 1 : t;
    const cx = x1 + t * dx, cy = y1 + t * dy;
    const d2 = cx * cx + cy * cy;
    if (d2 < best) best = d2;
  }
  return best;
}

const RAD = Math.PI / 180;

/** Metres from a site to a prepared part (0 inside); Infinity when beyond `bufferM`. */
function preparedDistanceM(lat: number, lng: number, p: PreparedPart, bufferM: number): number {
  if (p.kind === 'circle') {
    const d = Math.max(0, haversineMetres({ lat, lng }, p) - p.radiusM);
    return d <= bufferM ? d : Infinity;
  }
  const outer = p.rings[0];
  if (!outer) return Infinity;
  let inside = flatInRing(lng, lat, outer);
  for (let h = 1; inside && h < p.rings.length; h++) if (flatInRing(lng, lat, p.rings[h]!)) inside = false;
  if (inside) return 0;
  if (bufferM <= 0) return Infinity;
  const k = Math.cos(lat * RAD);
  const lim = bufferM / METRES_PER_DEGREE;
  let best2 = lim * lim * 1.0000001;
  for (const ring of p.rings) best2 = flatRingDist2(lng, lat, k, ring, best2);
  const d = Math.sqrt(best2) * METRES_PER_DEGREE;
  return d <= bufferM ? d : Infinity;
}

/**
 * Every site inside, or within `bufferM` of, each area. Returns only sites with at least one
 * match, in site order; each site's matches are in area order. Pass a `SiteIndex` (from
 * `indexSites`) to reuse the index across calls.
 */
export function matchSites(sites: readonly Site[] | SiteIndex, areas: readonly HazardArea[], options: MatchOptions = {}): SiteMatches[] {
  const idx = Array.isArray(sites) ? indexSites(sites) : (sites as SiteIndex);
  const index = idx.index;
  if (!index) return [];
  const all = idx.sites;
  const bufferM = options.bufferM ?? 0;
  const lists: (AreaMatch[] | undefined)[] = new Array(all.length);
  // Per-site best distance for the current area; `stamp` says which area wrote it.
  const stamp = new Int32Array(all.length).fill(-1);
  const best = new Float64Array(all.length);
  const touched: number[] = [];
  areas.forEach((area, a) => {
    touched.length = 0;
    for (const part of area.parts) {
      const p = preparePart(part);
      const b = expandBBox(p.bbox, bufferM);
      index.search(b[0], b[1], b[2], b[3], (i) => {
        if (stamp[i] === a && best[i] === 0) return false;
        const s = all[i]!;
        const d = preparedDistanceM(s.lat, s.lng, p, bufferM);
        if (d === Infinity) return false;
        if (stamp[i] !== a) {
          stamp[i] = a;
          best[i] = d;
          touched.push(i);
        } else if (d < best[i]!) best[i] = d;
        return false;
      });
    }
    for (const i of touched) {
      const d = best[i]!;
      (lists[i] ??= []).push({ areaId: area.id, inside: d === 0, distanceM: d });
    }
  });
  const out: SiteMatches[] = [];
  for (let i = 0; i < lists.length; i++) {
    const m = lists[i];
    if (m) out.push({ siteId: all[i]!.id, matches: m });
  }
  return out;
}

/** An amount in integer minor units of a currency. */
export type MoneyMinor = { amountMinor: number; currency: string };

export type ValueAtRisk = { key: string; currency: string; amountMinor: number; siteCount: number };

/**
 * Sums the value of the matched sites per group (account, manager…) and currency, counting
 * each site once however many areas it matches. Sites without a value or a group are skipped.
 * Amounts must be safe integers (minor units); a sum that leaves the safe range throws.
 */
export function aggregateValueAtRisk(
  siteIds: Iterable<string>,
  valueBySite: ReadonlyMap<string, MoneyMinor>,
  groupBySite: ReadonlyMap<string, string>,
): ValueAtRisk[] {
  const seen = new Set<string>();
  const totals = new Map<string, ValueAtRisk>();
  for (const id of siteIds) {
    if (seen.has(id)) continue;
    seen.add(id);
    const value = valueBySite.get(id);
    const key = groupBySite.get(id);
    if (!value || key === undefined) continue;
    if (!Number.isSafeInteger(value.amountMinor)) throw new RangeError(`site ${id}: amount ${value.amountMinor} is not an integer of minor units`);
    const k = `${key}\u0000${value.currency}`;
    const t = totals.get(k) ?? { key, currency: value.currency, amountMinor: 0, siteCount: 0 };
    t.amountMinor += value.amountMinor;
    if (!Number.isSafeInteger(t.amountMinor)) throw new RangeError(`value at risk of ${key} overflows safe integers`);
    t.siteCount++;
    totals.set(k, t);
  }
  return [...totals.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.currency < b.currency ? -1 : 1));
}

/** Sites matched anywhere in a match result (each once). */
export function matchedSiteIds(result: readonly SiteMatches[]): string[] {
  return result.map((r) => r.siteId);
}

type GeoJsonGeometry = { type: 'Polygon'; coordinates: Position[][] } | { type: 'MultiPolygon'; coordinates: Position[][][] };

/**
 * The rings of a polygon wound as RFC 7946 asks: the outline counter-clockwise, holes clockwise.
 * CAP polygons come in either direction; a renderer that goes by winding (d3-geo and other
 * spherical ones) reads a clockwise outline as "everything but this area" and tints the whole world.
 */
export function rewindRings(rings: readonly Position[][]): Position[][] {
  return rings.map((r, i) => ((ringSignedArea(r) > 0) === (i === 0) ? r : [...r].reverse()));
}

/** GeoJSON geometry of an area (circles approximated by 64-gons), wound per RFC 7946, for maps and the CLI. */
export function areaToGeoJson(area: HazardArea): GeoJsonGeometry {
  const polys = area.parts.map((p) => rewindRings(p.type === 'polygon' ? p.rings : [circleRing(p.center, Math.max(p.radiusM, 1))]));
  return polys.length === 1 ? { type: 'Polygon', coordinates: polys[0]! } : { type: 'MultiPolygon', coordinates: polys };
}
