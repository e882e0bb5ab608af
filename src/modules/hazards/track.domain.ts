/**
 * Tropical-cyclone tracks: fixes with quadrant wind radii, interpolation between fixes, and the
 * wind-radius shape at any moment. Pure; parsing is in track.parse.ts, swaths in swath.ts.
 */
import { haversineMetres, type LatLng } from '../../shared/geo.js';
import { bearingDeg, destination, type Position, type Ring } from './geometry.js';

export type WindThreshold = 34 | 50 | 64;
export const WIND_THRESHOLDS: readonly WindThreshold[] = [34, 50, 64];
export const METRES_PER_NM = 1852;

/** Radii in nautical miles by quadrant; 0 = no such wind there; null = not reported. */
export type QuadrantRadii = { ne: number | null; se: number | null; sw: number | null; nw: number | null };

export type TrackFix = {
  /** ISO 8601 UTC. */
  time: string;
  timeMs: number;
  lat: number;
  lng: number;
  /** Maximum sustained wind in knots, with the agency's averaging period. */
  vmaxKt: number | null;
  pressureHpa: number | null;
  status?: string;
  radii: Partial<Record<WindThreshold, QuadrantRadii>>;
};

export type StormTrack = {
  id: string;
  name: string;
  /** Who made the track (JTWC, JMA, CMA…): agencies differ in wind averaging and radii conventions. */
  agency: string;
  /** Averaging period of vmax in minutes (1 for JTWC/NHC, 10 for JMA/CMA), when known. */
  windAveragingMin?: number;
  fixes: TrackFix[];
};

/** Radii in nm by quadrant, all known. */
export type KnownRadii = { ne: number; se: number; sw: number; nw: number };

/** The wind field of one threshold at one moment. */
export type WindShape = { timeMs: number; center: LatLng; radiiNm: KnownRadii };

/**
 * Radii of a threshold at a fix. Empty radii with a maximum wind below the threshold mean no
 * such wind (all 0); empty radii otherwise (or partly empty) are unknown (undefined).
 */
export function fixRadii(fix: TrackFix, kt: WindThreshold): KnownRadii | undefined {
  const r = fix.radii[kt];
  if (r && r.ne !== null && r.se !== null && r.sw !== null && r.nw !== null) return { ne: r.ne, se: r.se, sw: r.sw, nw: r.nw };
  const reported = r && (r.ne !== null || r.se !== null || r.sw !== null || r.nw !== null);
  if (!reported && fix.vmaxKt !== null && fix.vmaxKt < kt) return { ne: 0, se: 0, sw: 0, nw: 0 };
  return undefined;
}

export function hasWind(r: KnownRadii): boolean {
  return r.ne > 0 || r.se > 0 || r.sw > 0 || r.nw > 0;
}

function lerp(a: number, b: number, f: number): number {
  return a + (b - a) * f;
}

function lerpLng(a: number, b: number, f: number): number {
  let d = b - a;
  if (d > 180) d -= 360;
  else if (d < -180) d += 360;
  return ((a + d * f + 540) % 360) - 180;
}

/**
 * The wind shape of a threshold at `timeMs`, interpolating position and radii linearly between
 * the bracketing fixes; undefined outside the track or where either fix's radii are unknown.
 */
export function windShapeAt(track: StormTrack, kt: WindThreshold, timeMs: number): WindShape | undefined {
  const fixes = track.fixes;
  if (fixes.length === 0 || timeMs < fixes[0]!.timeMs || timeMs > fixes[fixes.length - 1]!.timeMs) return undefined;
  let i = 0;
  while (i < fixes.length - 1 && fixes[i + 1]!.timeMs < timeMs) i++;
  const a = fixes[i]!;
  const b = fixes[Math.min(i + 1, fixes.length - 1)]!;
  if (a.timeMs === timeMs || a === b) {
    const r = fixRadii(a, kt);
    return r ? { timeMs, center: { lat: a.lat, lng: a.lng }, radiiNm: r } : undefined;
  }
  if (b.timeMs === timeMs) {
    const r = fixRadii(b, kt);
    return r ? { timeMs, center: { lat: b.lat, lng: b.lng }, radiiNm: r } : undefined;
  }
  const ra = fixRadii(a, kt), rb = fixRadii(b, kt);
  if (!ra || !rb) return undefined;
  const f = (timeMs - a.timeMs) / (b.timeMs - a.timeMs);
  return {
    timeMs,
    center: { lat: lerp(a.lat, b.lat, f), lng: lerpLng(a.lng, b.lng, f) },
    radiiNm: { ne: lerp(ra.ne, rb.ne, f), se: lerp(ra.se, rb.se, f), sw: lerp(ra.sw, rb.sw, f), nw: lerp(ra.nw, rb.nw, f) },
  };
}

/** The radius (metres) of the quadrant a bearing falls in: [0,90) NE, [90,180) SE, [180,270) SW, [270,360) NW. */
export function quadrantRadiusM(r: KnownRadii, bearing: number): number {
  const q = Math.floor((((bearing % 360) + 360) % 360) / 90);
  const nm = q === 0 ? r.ne : q === 1 ? r.se : q === 2 ? r.sw : r.nw;
  return nm * METRES_PER_NM;
}

/** True when the point feels at least this wind: within the radius of its quadrant. */
export function pointInWindShape(shape: WindShape, p: LatLng): boolean {
  if (!hasWind(shape.radiiNm)) return false;
  const d = haversineMetres(shape.center, p);
  if (d === 0) return true;
  return d <= quadrantRadiusM(shape.radiiNm, bearingDeg(shape.center, p));
}

/**
 * Outline of a wind shape as a closed ring of `[lon, lat]`: four quarter-circle arcs of the
 * quadrant radii joined by radial steps. A quadrant of radius 0 collapses to the centre.
 */
export function windShapeRing(shape: WindShape, pointsPerQuadrant = 8): Ring {
  const ring: Position[] = [];
  const radii = [shape.radiiNm.ne, shape.radiiNm.se, shape.radiiNm.sw, shape.radiiNm.nw];
  radii.forEach((nm, q) => {
    if (nm <= 0) {
      ring.push([shape.center.lng, shape.center.lat]);
      return;
    }
    for (let k = 0; k <= pointsPerQuadrant; k++) {
      const p = destination(shape.center, q * 90 + (90 * k) / pointsPerQuadrant, nm * METRES_PER_NM);
      ring.push([p.lng, p.lat]);
    }
  });
  ring.push(ring[0]!);
  return ring;
}
