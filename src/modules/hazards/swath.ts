/**
 * Swept area (swath) of a wind threshold along a track, and wind-field replay hour by hour.
 *
 * The wind field is sampled every `stepMinutes` between fixes (position and radii interpolated
 * linearly). The swath is the union, over consecutive samples, of the convex hull of the two
 * shapes: a shape moving a short way sweeps (almost exactly) that hull, so the union needs no
 * polygon clipping and is robust. It is returned as a MultiPolygon of those hulls; the hulls
 * overlap, which is fine for point tests and for display.
 */
import type { LatLng } from '../../shared/geo.js';
import { convexHull, ringBBox, type BBox, type Ring } from './geometry.js';
import type { HazardArea, Site } from './hazard-match.js';
import {
  fixRadii,
  hasWind,
  pointInWindShape,
  windShapeAt,
  windShapeRing,
  type StormTrack,
  type WindShape,
  type WindThreshold,
} from './track.domain.js';

export type SwathOptions = {
  /** Sampling step between fixes in minutes (default 30). */
  stepMinutes?: number;
  /** Arc points per quadrant of each shape outline (default 8). */
  pointsPerQuadrant?: number;
};

export type Swath = {
  stormId: string;
  stormName: string;
  agency: string;
  thresholdKt: WindThreshold;
  /** Convex hulls of consecutive wind shapes; their union is the swept area. */
  hulls: Ring[];
  bbox: BBox | undefined;
  /** Intervals skipped because a fix did not report this threshold's radii. */
  gaps: { from: string; to: string }[];
  fromTime?: string;
  toTime?: string;
};

/** The area swept by winds of at least `kt` knots over the whole track. */
export function computeSwath(track: StormTrack, kt: WindThreshold, options: SwathOptions = {}): Swath {
  const stepMs = Math.max(1, options.stepMinutes ?? 30) * 60_000;
  const ppq = options.pointsPerQuadrant ?? 8;
  const hulls: Ring[] = [];
  const gaps: Swath['gaps'] = [];
  let fromMs: number | undefined, toMs: number | undefined;
  const fixes = track.fixes;

  const addPair = (s1: WindShape, s2: WindShape) => {
    if (!hasWind(s1.radiiNm) && !hasWind(s2.radiiNm)) return;
    hulls.push(convexHull([...windShapeRing(s1, ppq), ...windShapeRing(s2, ppq)]));
    fromMs = Math.min(fromMs ?? s1.timeMs, s1.timeMs);
    toMs = Math.max(toMs ?? s2.timeMs, s2.timeMs);
  };

  for (let i = 0; i + 1 < fixes.length; i++) {
    const a = fixes[i]!, b = fixes[i + 1]!;
    if (!fixRadii(a, kt) || !fixRadii(b, kt)) {
      gaps.push({ from: a.time, to: b.time });
      continue;
    }
    let prev = windShapeAt(track, kt, a.timeMs)!;
    for (let t = a.timeMs + stepMs; ; t += stepMs) {
      const tt = Math.min(t, b.timeMs);
      const cur = tt === b.timeMs ? { ...windShapeAt(track, kt, b.timeMs)!, timeMs: b.timeMs } : windShapeAt(track, kt, tt)!;
      addPair(prev, cur);
      prev = cur;
      if (tt === b.timeMs) break;
    }
  }
  // A track of a single usable fix still has a footprint.
  if (hulls.length === 0 && fixes.length === 1) {
    const s = windShapeAt(track, kt, fixes[0]!.timeMs);
    if (s && hasWind(s.radiiNm)) hulls.push(windShapeRing(s, ppq));
  }
  let bbox: BBox | undefined;
  for (const h of hulls) {
    const b = ringBBox(h);
    bbox = bbox ? [Math.min(bbox[0], b[0]), Math.min(bbox[1], b[1]), Math.max(bbox[2], b[2]), Math.max(bbox[3], b[3])] : b;
  }
  const swath: Swath = { stormId: track.id, stormName: track.name, agency: track.agency, thresholdKt: kt, hulls, bbox, gaps };
  if (fromMs !== undefined) swath.fromTime = new Date(fromMs).toISOString();
  if (toMs !== undefined) swath.toTime = new Date(toMs).toISOString();
  return swath;
}

/** The swath as a matchable hazard area (one polygon part per hull). */
export function swathToHazardArea(swath: Swath, id = `${swath.agency}:${swath.stormId}:${swath.thresholdKt}kt`): HazardArea {
  return {
    id,
    label: `${swath.stormName} ${swath.thresholdKt} kt swath (${swath.agency})`,
    parts: swath.hulls.map((ring) => ({ type: 'polygon' as const, rings: [ring] })),
  };
}

/** The swath as a GeoJSON Feature with a MultiPolygon of the hulls. */
export function swathToGeoJson(swath: Swath): {
  type: 'Feature';
  geometry: { type: 'MultiPolygon'; coordinates: Ring[][] };
  properties: Record<string, unknown>;
} {
  return {
    type: 'Feature',
    geometry: { type: 'MultiPolygon', coordinates: swath.hulls.map((h) => [h]) },
    properties: {
      storm: swath.stormName,
      stormId: swath.stormId,
      agency: swath.agency,
      thresholdKt: swath.thresholdKt,
      from: swath.fromTime ?? null,
      to: swath.toTime ?? null,
      gaps: swath.gaps,
      note: 'union of the MultiPolygon parts (overlapping convex hulls of consecutive wind-radius shapes)',
    },
  };
}

/** Sites inside the wind radius of a threshold at one moment (exact quadrant test). */
export function sitesInWindAt(track: StormTrack, kt: WindThreshold, timeMs: number, sites: readonly Site[]): Site[] {
  const shape = windShapeAt(track, kt, timeMs);
  if (!shape || !hasWind(shape.radiiNm)) return [];
  return sites.filter((s) => pointInWindShape(shape, s));
}

export type ReplayFrame = { time: string; center: LatLng | null; siteIds: string[] };

/**
 * Replay of the wind field: at each step (default every hour on the hour, from the first to
 * the last fix) the sites inside the threshold's radius.
 */
export function replayWind(
  track: StormTrack,
  kt: WindThreshold,
  sites: readonly Site[],
  options: { fromMs?: number; toMs?: number; stepMs?: number } = {},
): ReplayFrame[] {
  const first = track.fixes[0]?.timeMs, last = track.fixes[track.fixes.length - 1]?.timeMs;
  if (first === undefined || last === undefined) return [];
  const step = options.stepMs ?? 3_600_000;
  const from = options.fromMs ?? Math.ceil(first / step) * step;
  const to = options.toMs ?? last;
  const frames: ReplayFrame[] = [];
  for (let t = from; t <= to; t += step) {
    const shape = windShapeAt(track, kt, t);
    frames.push({
      time: new Date(t).toISOString(),
      center: shape ? shape.center : null,
      siteIds: shape && hasWind(shape.radiiNm) ? sites.filter((s) => pointInWindShape(shape, s)).map((s) => s.id) : [],
    });
  }
  return frames;
}
