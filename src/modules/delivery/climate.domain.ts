/**
 * Typhoon climatology near a point: which storms of the best-track record passed within a
 * distance of a port at or above a wind threshold, and how often that happened by week of the
 * year and by month. Pure functions, no I/O (the shipped table is read by climate.service.ts).
 *
 * Method (see docs/decisions/019-typhoon-climatology.md):
 * - A track is a list of runs ("pieces") of consecutive fixes. Between two fixes of a piece the
 *   storm moves along the great circle at constant speed and its intensity (1-minute VMAX, kt)
 *   changes linearly with time. Pieces end where fixes are more than 24 h apart or where a fix
 *   has no intensity, so no interpolation spans a gap.
 * - A storm "passes" when some moment of its track is within `distanceKm` of the point
 *   (great-circle distance from the point to the arc between the fixes, on the mean sphere)
 *   with interpolated intensity ≥ the threshold. Method `fixes` looks at the fixes only, as a
 *   simple count from the raw file would.
 * - Calendar: UTC. Week w (1..52) of a year is days 7(w−1)+1 … 7w of the year, week 52 running
 *   to 31 December (8 days, 9 in a leap year): weeks keep their dates from year to year, which
 *   ISO weeks do not. A storm counts in every week and month during which it passes.
 * - Chance for a week or month = years with at least one passage in it / years covered
 *   (not storms / years, which can exceed 1 and is not a probability). Storm counts are given
 *   beside it.
 */
import { EARTH_RADIUS_M, haversineMetres, type LatLng } from '../../shared/geo.js';

/** One best-track fix: time (ms since epoch, UTC), position (WGS 84 degrees) and 1-minute VMAX in kt. */
export type TrackFix = { timeMs: number; lat: number; lng: number; vmaxKt: number };

/** A storm: runs of fixes between which interpolation is allowed (see the module comment). */
export type StormTrack = { id: string; name: string; pieces: TrackFix[][] };

/** `track`: interpolate along the segments between fixes (the product's method); `fixes`: fixes only. */
export type PassageMethod = 'track' | 'fixes';

/** A stretch of time during which a storm was within the distance at or above the threshold. */
export type Passage = { stormId: string; name: string; fromMs: number; toMs: number };

/** Weeks per year in this calendar (week 52 holds the last 8 or 9 days). */
export const WEEKS_PER_YEAR = 52;
const DAY_MS = 86_400_000;
const RAD = Math.PI / 180;

type Vec = [number, number, number];
const toVec = (lat: number, lng: number): Vec => {
  const φ = lat * RAD, λ = lng * RAD;
  return [Math.cos(φ) * Math.cos(λ), Math.cos(φ) * Math.sin(λ), Math.sin(φ)];
};
const dot = (a: Vec, b: Vec) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];

/** A piece prepared for queries: unit vectors of its fixes and a bounding cap. */
type PreparedPiece = { fixes: TrackFix[]; vecs: Vec[]; centre: Vec; radius: number };
/** A storm prepared once for many queries (see `prepareTracks`). */
export type PreparedStorm = { id: string; name: string; pieces: PreparedPiece[] };

/** Precomputes unit vectors and bounding caps, so a query skips far storms cheaply. */
export function prepareTracks(tracks: readonly StormTrack[]): PreparedStorm[] {
  return tracks.map((t) => ({
    id: t.id,
    name: t.name,
    pieces: t.pieces.filter((p) => p.length > 0).map((fixes) => {
      const vecs = fixes.map((f) => toVec(f.lat, f.lng));
      const sum: Vec = [0, 0, 0];
      for (const v of vecs) { sum[0] += v[0]; sum[1] += v[1]; sum[2] += v[2]; }
      const n = Math.hypot(...sum);
      const centre: Vec = n > 1e-12 ? [sum[0] / n, sum[1] / n, sum[2] / n] : vecs[0]!;
      // Every point of a great-circle arc is within the cap that holds both its ends (arcs < 180°).
      let radius = 0;
      for (const v of vecs) radius = Math.max(radius, Math.acos(Math.min(1, Math.max(-1, dot(v, centre)))));
      return { fixes, vecs, centre, radius };
    }),
  }));
}

/**
 * The part [t0, t1] ⊂ [0, 1] of the arc a→b (unit vectors) lying within angle δ of p, or
 * undefined. Exact on the sphere: along the arc, cos(distance) = R·cos(s − φ).
 */
export function arcWithin(p: Vec, a: Vec, b: Vec, δ: number): [number, number] | undefined {
  const cosAB = dot(a, b);
  const cross: Vec = [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
  const θ = Math.atan2(Math.hypot(...cross), cosAB);
  if (θ < 1e-12) return Math.acos(Math.min(1, dot(p, a))) <= δ ? [0, 1] : undefined;
  const s = Math.sin(θ);
  const u: Vec = [(b[0] - a[0] * cosAB) / s, (b[1] - a[1] * cosAB) / s, (b[2] - a[2] * cosAB) / s];
  const pa = dot(p, a), pu = dot(p, u);
  const R = Math.hypot(pa, pu);
  const c = Math.cos(δ);
  if (R < c) return undefined;
  const α = Math.acos(Math.min(1, c / R));
  const φ = Math.atan2(pu, pa);
  // α < 90° and θ ≤ 180°, so at most one of the periodic intervals meets [0, θ].
  for (const k of [-1, 0, 1]) {
    const lo = Math.max(0, φ - α + 2 * Math.PI * k), hi = Math.min(θ, φ + α + 2 * Math.PI * k);
    if (lo <= hi) return [lo / θ, hi / θ];
  }
  return undefined;
}

/** The part of [0, 1] where va + (vb − va)·t ≥ threshold, or undefined. */
export function intensityAtLeast(va: number, vb: number, threshold: number): [number, number] | undefined {
  if (va === vb) return va >= threshold ? [0, 1] : undefined;
  const t = (threshold - va) / (vb - va);
  const [lo, hi] = vb > va ? [Math.max(0, t), 1] : [0, Math.min(1, t)];
  return lo <= hi ? [lo, hi] : undefined;
}

/**
 * Every stretch during which a storm was within `distanceKm` of the point with intensity
 * ≥ `thresholdKt`. Stretches of one storm may touch (consecutive segments); callers count
 * calendar buckets, not stretches.
 */
export function passagesNear(storms: readonly PreparedStorm[], point: LatLng, distanceKm: number, thresholdKt: number, method: PassageMethod = 'track'): Passage[] {
  const δ = (distanceKm * 1000) / EARTH_RADIUS_M;
  const p = toVec(point.lat, point.lng);
  const out: Passage[] = [];
  for (const storm of storms) {
    for (const piece of storm.pieces) {
      if (Math.acos(Math.min(1, Math.max(-1, dot(p, piece.centre)))) > piece.radius + δ) continue;
      const { fixes, vecs } = piece;
      if (method === 'fixes' || fixes.length === 1) {
        for (const f of fixes) {
          if (f.vmaxKt >= thresholdKt && haversineMetres(point, f) <= distanceKm * 1000) out.push({ stormId: storm.id, name: storm.name, fromMs: f.timeMs, toMs: f.timeMs });
        }
        continue;
      }
      for (let i = 1; i < fixes.length; i++) {
        const fa = fixes[i - 1]!, fb = fixes[i]!;
        if (fa.vmaxKt < thresholdKt && fb.vmaxKt < thresholdKt) continue;
        const near = arcWithin(p, vecs[i - 1]!, vecs[i]!, δ);
        if (!near) continue;
        const strong = intensityAtLeast(fa.vmaxKt, fb.vmaxKt, thresholdKt);
        if (!strong) continue;
        const lo = Math.max(near[0], strong[0]), hi = Math.min(near[1], strong[1]);
        if (lo > hi) continue;
        const span = fb.timeMs - fa.timeMs;
        out.push({ stormId: storm.id, name: storm.name, fromMs: fa.timeMs + lo * span, toMs: fa.timeMs + hi * span });
      }
    }
  }
  return out;
}

/** Week of the year (1..52) of a UTC instant: days 1–7 are week 1, week 52 runs to 31 December. */
export function weekOfYear(ms: number): number {
  const d = new Date(ms);
  const dayIndex = Math.floor((ms - Date.UTC(d.getUTCFullYear(), 0, 1)) / DAY_MS);
  return Math.min(WEEKS_PER_YEAR, Math.floor(dayIndex / 7) + 1);
}

/** First and last day (MM-DD, non-leap year) of week w, for labels. */
export function weekDays(week: number): { from: string; to: string } {
  const md = (dayIndex: number) => new Date(Date.UTC(2021, 0, 1 + dayIndex)).toISOString().slice(5, 10);
  return { from: md(7 * (week - 1)), to: week === WEEKS_PER_YEAR ? '12-31' : md(7 * week - 1) };
}

/** One calendar bucket (a week or a month) of the climatology. */
export type RiskBucket = {
  /** Week 1..52 or month 1..12. */
  index: number;
  /** Years with at least one passage in the bucket. */
  yearsWithPassage: number;
  /** yearsWithPassage / years covered. */
  probability: number;
  /** Distinct storms passing in the bucket over all years covered. */
  storms: number;
};

/** The years in which a passage happened, with the weeks and months it touched. */
export type YearPassages = { year: number; weeks: number[]; months: number[]; storms: string[] };

/** Climatology of passages near one point for one distance and threshold. */
export type TyphoonRisk = {
  /** The points (a lane's sea ports): a passage near any of them counts. */
  points: LatLng[];
  distanceKm: number;
  thresholdKt: number;
  method: PassageMethod;
  years: { from: number; to: number; count: number };
  byWeek: RiskBucket[];
  byMonth: RiskBucket[];
  /** Only years with a passage, oldest first; enough to compute the chance for any block of weeks or months. */
  byYear: YearPassages[];
};

/** Calendar buckets (year, week, month) a passage touches: the days from its start to its end. */
function bucketsOf(p: Passage): { year: number; week: number; month: number }[] {
  const out: { year: number; week: number; month: number }[] = [];
  const at = (ms: number) => {
    const d = new Date(ms);
    out.push({ year: d.getUTCFullYear(), week: weekOfYear(ms), month: d.getUTCMonth() + 1 });
  };
  const firstDay = Math.floor(p.fromMs / DAY_MS), lastDay = Math.floor(p.toMs / DAY_MS);
  at(p.fromMs);
  for (let day = firstDay + 1; day <= lastDay; day++) at(day * DAY_MS);
  return out;
}

/** Aggregates passages into chances by week and month over the years `from`..`to` (inclusive). */
export function climatologyOf(passages: readonly Passage[], years: { from: number; to: number }, meta: { points: LatLng[]; distanceKm: number; thresholdKt: number; method: PassageMethod }): TyphoonRisk {
  const n = years.to - years.from + 1;
  const perYear = new Map<number, { weeks: Set<number>; months: Set<number>; storms: Set<string> }>();
  const weekStorms = Array.from({ length: WEEKS_PER_YEAR }, () => new Set<string>());
  const monthStorms = Array.from({ length: 12 }, () => new Set<string>());
  for (const p of passages) {
    for (const b of bucketsOf(p)) {
      if (b.year < years.from || b.year > years.to) continue;
      let y = perYear.get(b.year);
      if (!y) perYear.set(b.year, (y = { weeks: new Set(), months: new Set(), storms: new Set() }));
      y.weeks.add(b.week);
      y.months.add(b.month);
      y.storms.add(p.stormId);
      weekStorms[b.week - 1]!.add(p.stormId);
      monthStorms[b.month - 1]!.add(p.stormId);
    }
  }
  const byYear = [...perYear.entries()].sort((a, b) => a[0] - b[0]).map(([year, y]) => ({
    year,
    weeks: [...y.weeks].sort((a, b) => a - b),
    months: [...y.months].sort((a, b) => a - b),
    storms: [...y.storms].sort(),
  }));
  const bucket = (index: number, kind: 'weeks' | 'months', storms: Set<string>): RiskBucket => {
    const yearsWithPassage = byYear.filter((y) => y[kind].includes(index)).length;
    return { index, yearsWithPassage, probability: n > 0 ? yearsWithPassage / n : 0, storms: storms.size };
  };
  return {
    ...meta,
    years: { from: years.from, to: years.to, count: n },
    byWeek: weekStorms.map((s, i) => bucket(i + 1, 'weeks', s)),
    byMonth: monthStorms.map((s, i) => bucket(i + 1, 'months', s)),
    byYear,
  };
}

/**
 * Chance that at least one passage falls in a block of weeks or months (years with a passage in
 * any of them / years covered): the chance for a season, which the sum of weekly chances overstates.
 */
export function chanceInBlock(risk: TyphoonRisk, kind: 'weeks' | 'months', indices: readonly number[]): number {
  const set = new Set(indices);
  const hit = risk.byYear.filter((y) => y[kind].some((i) => set.has(i))).length;
  return risk.years.count > 0 ? hit / risk.years.count : 0;
}
