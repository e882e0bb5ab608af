/**
 * Small planar/spherical geometry kit for hazard areas. Pure functions, no I/O.
 * Coordinates are GeoJSON order `[lon, lat]` in WGS 84 degrees unless a name says otherwise.
 */
import { EARTH_RADIUS_M, type LatLng } from '../../shared/geo.js';

/** GeoJSON position: `[lon, lat]`. */
export type Position = [number, number];
/** A closed linear ring (first position equals the last). */
export type Ring = Position[];
/** Bounding box `[minLon, minLat, maxLon, maxLat]`. */
export type BBox = [number, number, number, number];

const RAD = Math.PI / 180;
/** Metres per degree of latitude on the mean sphere. */
export const METRES_PER_DEGREE = EARTH_RADIUS_M * RAD;

export function ringBBox(ring: readonly Position[]): BBox {
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (const [x, y] of ring) {
    if (x < minX) minX = x;
    if (y < minY) minY = y;
    if (x > maxX) maxX = x;
    if (y > maxY) maxY = y;
  }
  return [minX, minY, maxX, maxY];
}

export function mergeBBox(a: BBox, b: BBox): BBox {
  return [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[2], b[2]), Math.max(a[3], b[3])];
}

/** Grows a bbox by `metres` on every side (degrees of longitude widened by latitude). */
export function expandBBox(b: BBox, metres: number): BBox {
  if (metres <= 0) return b;
  const dLat = metres / METRES_PER_DEGREE;
  const maxAbsLat = Math.min(89, Math.max(Math.abs(b[1]), Math.abs(b[3])) + dLat);
  const dLon = Math.min(180, dLat / Math.cos(maxAbsLat * RAD));
  return [b[0] - dLon, b[1] - dLat, b[2] + dLon, b[3] + dLat];
}

/** Even-odd ray casting; points exactly on an edge may fall either way. */
export function pointInRing(x: number, y: number, ring: readonly Position[]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]!;
    const [xj, yj] = ring[j]!;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Point in a polygon given as outer ring plus holes. */
export function pointInPolygon(x: number, y: number, rings: readonly (readonly Position[])[]): boolean {
  const [outer, ...holes] = rings;
  if (!outer || !pointInRing(x, y, outer)) return false;
  return !holes.some((h) => pointInRing(x, y, h));
}

/**
 * Distance in metres from a point to a segment, both in degrees, using an equirectangular
 * projection centred on the point: accurate to well under 1 % within a few hundred km.
 */
export function pointSegmentDistanceM(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const k = Math.cos(py * RAD);
  const x1 = (ax - px) * k, y1 = ay - py;
  const x2 = (bx - px) * k, y2 = by - py;
  const dx = x2 - x1, dy = y2 - y1;
  const len2 = dx * dx + dy * dy;
  let t = len2 > 0 ? -(x1 * dx + y1 * dy) / len2 : 0;
  t = t < 0 ? 0 : t > 1 ? 1 : t;
  const cx = x1 + t * dx, cy = y1 + t * dy;
  return Math.sqrt(cx * cx + cy * cy) * METRES_PER_DEGREE;
}

/** Distance in metres from a point to the nearest edge of the rings. */
export function distanceToRingsM(x: number, y: number, rings: readonly (readonly Position[])[]): number {
  let best = Infinity;
  for (const ring of rings) {
    for (let i = 1; i < ring.length; i++) {
      const a = ring[i - 1]!, b = ring[i]!;
      const d = pointSegmentDistanceM(x, y, a[0], a[1], b[0], b[1]);
      if (d < best) best = d;
    }
  }
  return best;
}

function orient(ax: number, ay: number, bx: number, by: number, cx: number, cy: number): number {
  const v = (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
  return v > 0 ? 1 : v < 0 ? -1 : 0;
}

function onSegment(ax: number, ay: number, bx: number, by: number, cx: number, cy: number): boolean {
  return Math.min(ax, bx) <= cx && cx <= Math.max(ax, bx) && Math.min(ay, by) <= cy && cy <= Math.max(ay, by);
}

/** True when segments ab and cd share at least one point. */
export function segmentsIntersect(a: Position, b: Position, c: Position, d: Position): boolean {
  const o1 = orient(a[0], a[1], b[0], b[1], c[0], c[1]);
  const o2 = orient(a[0], a[1], b[0], b[1], d[0], d[1]);
  const o3 = orient(c[0], c[1], d[0], d[1], a[0], a[1]);
  const o4 = orient(c[0], c[1], d[0], d[1], b[0], b[1]);
  if (o1 !== o2 && o3 !== o4) return true;
  if (o1 === 0 && onSegment(a[0], a[1], b[0], b[1], c[0], c[1])) return true;
  if (o2 === 0 && onSegment(a[0], a[1], b[0], b[1], d[0], d[1])) return true;
  if (o3 === 0 && onSegment(c[0], c[1], d[0], d[1], a[0], a[1])) return true;
  if (o4 === 0 && onSegment(c[0], c[1], d[0], d[1], b[0], b[1])) return true;
  return false;
}

/**
 * First pair of non-adjacent edges of a closed ring that touch or cross, or undefined when the
 * ring is simple. Adjacent edges are checked for folding back onto each other (a spike).
 * Sweep over edges sorted by min x, so typical rings cost far less than n².
 */
export function findSelfIntersection(ring: readonly Position[]): { edgeA: number; edgeB: number } | undefined {
  return selfIntersections(ring, 1)[0];
}

/** Up to `limit` pairs of edges of a closed ring that touch, cross or fold back (see findSelfIntersection). */
export function selfIntersections(ring: readonly Position[], limit: number): { edgeA: number; edgeB: number }[] {
  const found: { edgeA: number; edgeB: number }[] = [];
  const n = ring.length - 1; // edges
  if (n < 3) return found;
  const order = Array.from({ length: n }, (_, i) => i);
  const minX = (i: number) => Math.min(ring[i]![0], ring[i + 1]![0]);
  const maxX = (i: number) => Math.max(ring[i]![0], ring[i + 1]![0]);
  order.sort((p, q) => minX(p) - minX(q));
  for (let s = 0; s < n; s++) {
    const i = order[s]!;
    const iMax = maxX(i);
    for (let t = s + 1; t < n; t++) {
      const j = order[t]!;
      if (minX(j) > iMax) break;
      const lo = Math.min(i, j), hi = Math.max(i, j);
      const adjacent = hi - lo === 1 || (lo === 0 && hi === n - 1);
      const a = ring[i]!, b = ring[i + 1]!, c = ring[j]!, d = ring[j + 1]!;
      if (adjacent) {
        // Shared vertex is expected; a collinear overlap (the ring doubles back) is not.
        const shared = hi - lo === 1 ? ring[hi]! : ring[0]!;
        const other1 = lo === 0 && hi === n - 1 ? ring[1]! : ring[lo]!;
        const other2 = lo === 0 && hi === n - 1 ? ring[n - 1]! : ring[hi + 1]!;
        if (
          orient(other1[0], other1[1], shared[0], shared[1], other2[0], other2[1]) === 0 &&
          (other1[0] - shared[0]) * (other2[0] - shared[0]) + (other1[1] - shared[1]) * (other2[1] - shared[1]) > 0
        ) {
          found.push({ edgeA: lo, edgeB: hi });
          if (found.length >= limit) return found;
        }
        continue;
      }
      if (segmentsIntersect(a, b, c, d)) {
        found.push({ edgeA: lo, edgeB: hi });
        if (found.length >= limit) return found;
      }
    }
  }
  return found;
}

/** Signed area in square degrees (positive = counter-clockwise). */
export function ringSignedArea(ring: readonly Position[]): number {
  let s = 0;
  for (let i = 1; i < ring.length; i++) {
    const a = ring[i - 1]!, b = ring[i]!;
    s += a[0] * b[1] - b[0] * a[1];
  }
  return s / 2;
}

/** Convex hull (Andrew's monotone chain), returned as a closed counter-clockwise ring. */
export function convexHull(points: readonly Position[]): Ring {
  const pts = [...points].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  if (pts.length < 3) return [...pts, ...(pts[0] ? [pts[0]] : [])];
  const cross = (o: Position, a: Position, b: Position) => (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
  const lower: Position[] = [];
  for (const p of pts) {
    while (lower.length >= 2 && cross(lower[lower.length - 2]!, lower[lower.length - 1]!, p) <= 0) lower.pop();
    lower.push(p);
  }
  const upper: Position[] = [];
  for (let i = pts.length - 1; i >= 0; i--) {
    const p = pts[i]!;
    while (upper.length >= 2 && cross(upper[upper.length - 2]!, upper[upper.length - 1]!, p) <= 0) upper.pop();
    upper.push(p);
  }
  lower.pop();
  upper.pop();
  const hull = lower.concat(upper);
  hull.push(hull[0]!);
  return hull;
}

/** Destination point on the sphere from `start`, initial bearing (degrees from north) and distance. */
export function destination(start: LatLng, bearingDeg: number, distanceM: number): LatLng {
  const d = distanceM / EARTH_RADIUS_M;
  const b = bearingDeg * RAD;
  const lat1 = start.lat * RAD, lon1 = start.lng * RAD;
  const lat2 = Math.asin(Math.sin(lat1) * Math.cos(d) + Math.cos(lat1) * Math.sin(d) * Math.cos(b));
  const lon2 = lon1 + Math.atan2(Math.sin(b) * Math.sin(d) * Math.cos(lat1), Math.cos(d) - Math.sin(lat1) * Math.sin(lat2));
  return { lat: lat2 / RAD, lng: ((lon2 / RAD + 540) % 360) - 180 };
}

/** Initial bearing in degrees [0, 360) from a to b. */
export function bearingDeg(a: LatLng, b: LatLng): number {
  const lat1 = a.lat * RAD, lat2 = b.lat * RAD, dLon = (b.lng - a.lng) * RAD;
  const y = Math.sin(dLon) * Math.cos(lat2);
  const x = Math.cos(lat1) * Math.sin(lat2) - Math.sin(lat1) * Math.cos(lat2) * Math.cos(dLon);
  return ((Math.atan2(y, x) / RAD) + 360) % 360;
}

/** A circle approximated as a closed ring of `segments` edges (for GeoJSON output only). */
export function circleRing(center: LatLng, radiusM: number, segments = 64): Ring {
  const ring: Ring = [];
  for (let i = 0; i < segments; i++) {
    const p = destination(center, (360 * i) / segments, radiusM);
    ring.push([p.lng, p.lat]);
  }
  ring.push(ring[0]!);
  return ring;
}
