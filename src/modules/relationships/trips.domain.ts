/**
 * Executives' trips matched to customers' moments: which events and key dates of key accounts
 * are within reach of a trip (great-circle distance, travel time by air, high-speed rail or road
 * from stated speeds), within its dates give or take a few days, ranked by what the visit is worth
 * against what it costs. Pure; coordinates are WGS 84 degrees.
 */
import { haversineMetres, type LatLng } from '../../shared/geo.js';
import { addDays } from '../../shared/time.js';

export type TravelMode = 'road' | 'hsr' | 'air';

/**
 * A way to travel: a door-to-door speed over the great-circle distance, a fixed overhead
 * (getting to and through the station or airport), and the distances it is used for.
 */
export type ModeRule = { mode: TravelMode; speedKmh: number; overheadHours: number; minKm: number; maxKm: number | null };

/**
 * The stated rules. Road: 80 km/h, no overhead, up to 600 km (beyond that a day's driving).
 * High-speed rail: 250 km/h plus 1 h, 100–1,500 km, and only where both ends have a station.
 * Air: 700 km/h plus 2.5 h, from 1,000 km: below that companies in China book the train, and a
 * short flight's delays make it slower in practice than its arithmetic says (with these speeds
 * air beats rail from 583 km, so without the threshold it would win every middle distance).
 */
export const DEFAULT_MODE_RULES: readonly ModeRule[] = [
  { mode: 'road', speedKmh: 80, overheadHours: 0, minKm: 0, maxKm: 600 },
  { mode: 'hsr', speedKmh: 250, overheadHours: 1, minKm: 100, maxKm: 1500 },
  { mode: 'air', speedKmh: 700, overheadHours: 2.5, minKm: 1000, maxKm: null },
];

/** A place: coordinates and whether it has a high-speed rail station (assumed when not said). */
export type Place = LatLng & { hsr?: boolean };

export type TravelOption = { mode: TravelMode; hours: number };
export type TravelEstimate = { distanceKm: number; mode: TravelMode; hours: number; options: TravelOption[] };

/** Great-circle distance in kilometres. */
export const distanceKm = (a: LatLng, b: LatLng): number => haversineMetres(a, b) / 1000;

/**
 * The fastest mode the rules allow between two places and its hours one way; every allowed
 * option is listed, fastest first. Null when no rule covers the distance.
 */
export function travelEstimate(a: Place, b: Place, rules: readonly ModeRule[] = DEFAULT_MODE_RULES): TravelEstimate | null {
  const km = distanceKm(a, b);
  const options: TravelOption[] = [];
  for (const r of rules) {
    if (km < r.minKm || (r.maxKm !== null && km > r.maxKm)) continue;
    if (r.mode === 'hsr' && (a.hsr === false || b.hsr === false)) continue;
    options.push({ mode: r.mode, hours: km / r.speedKmh + r.overheadHours });
  }
  options.sort((x, y) => x.hours - y.hours);
  const best = options[0];
  return best ? { distanceKm: km, mode: best.mode, hours: best.hours, options } : null;
}

export type Trip = { id: string; executiveId: string; city: string; place: Place; from: string; to: string };

/** A customer event (an invitation, usually) or a key date of a key account, where and when it happens. */
export type Moment = {
  id: string;
  kind: 'event' | 'key_date';
  accountId: string;
  accountName: string;
  label: string;
  date: string;
  city: string;
  place: Place;
  /** The account's rank by value (revenue), 1 the largest. */
  valueRank: number;
  /** Relationship gaps of the account (no executive contact, no champion, …): each makes the visit worth more. */
  gaps: readonly string[];
};

export type MatchOptions = { slackDays: number; maxOneWayHours: number; rules: readonly ModeRule[] };
/** A moment up to one day either side of the trip, and at most 5 hours away one way. */
export const DEFAULT_MATCH_OPTIONS: MatchOptions = { slackDays: 1, maxOneWayHours: 5, rules: DEFAULT_MODE_RULES };

export type ScoreParts = { value: number; gaps: number; event: number; detour: number; outsideTrip: number };

export type Suggestion = {
  tripId: string;
  momentId: string;
  accountId: string;
  date: string;
  distanceKm: number;
  mode: TravelMode;
  oneWayHours: number;
  /** Hours added to the trip: there and back from the trip's city. */
  detourHours: number;
  /** Days the executive must stay longer or come earlier (0 when the moment falls within the trip). */
  daysOutsideTrip: number;
  score: number;
  parts: ScoreParts;
};

/** The weights of the ranking; see `score`. */
export const SCORE_WEIGHTS = { value: 100, perGap: 15, event: 20, perDetourHour: -2, perDayOutside: -10 } as const;

// `+ 0` turns −0 (a zero penalty) into 0
const round1 = (n: number): number => Math.round(n * 10) / 10 + 0;
const round2 = (n: number): number => Math.round(n * 100) / 100 + 0;
const daysBetween = (a: string, b: string): number => Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);

/**
 * score = 100 / valueRank + 15 × gaps + 20 (if a customer event, 0 for a key date)
 *         − 2 × detour hours − 10 × days outside the trip.
 * The largest account is worth 100 points, the 3rd 33.3, the 10th 10; a gap is worth 7.5 hours
 * of detour; an invitation beats a date we merely know of; each extra day away costs 10.
 */
export function score(m: Pick<Moment, 'valueRank' | 'gaps' | 'kind'>, detourHours: number, daysOutsideTrip: number): { score: number; parts: ScoreParts } {
  const parts: ScoreParts = {
    value: round2(SCORE_WEIGHTS.value / Math.max(1, m.valueRank)),
    gaps: SCORE_WEIGHTS.perGap * m.gaps.length,
    event: m.kind === 'event' ? SCORE_WEIGHTS.event : 0,
    detour: round2(SCORE_WEIGHTS.perDetourHour * detourHours),
    outsideTrip: round2(SCORE_WEIGHTS.perDayOutside * daysOutsideTrip),
  };
  return { score: round2(parts.value + parts.gaps + parts.event + parts.detour + parts.outsideTrip), parts };
}

/**
 * The moments a trip can reach, best first (score, then date, then moment id). A moment counts
 * when its date is from `slackDays` before the trip's first day to `slackDays` after its last
 * (both edges included) and the fastest allowed mode takes at most `maxOneWayHours`.
 */
export function matchTrip(trip: Trip, moments: readonly Moment[], options: MatchOptions = DEFAULT_MATCH_OPTIONS): Suggestion[] {
  const first = addDays(trip.from, -options.slackDays);
  const last = addDays(trip.to, options.slackDays);
  const out: Suggestion[] = [];
  for (const m of moments) {
    if (m.date < first || m.date > last) continue;
    const travel = travelEstimate(trip.place, m.place, options.rules);
    if (!travel || travel.hours > options.maxOneWayHours) continue;
    const daysOutsideTrip = m.date < trip.from ? daysBetween(m.date, trip.from) : m.date > trip.to ? daysBetween(trip.to, m.date) : 0;
    const detourHours = 2 * travel.hours;
    const s = score(m, detourHours, daysOutsideTrip);
    out.push({
      tripId: trip.id, momentId: m.id, accountId: m.accountId, date: m.date,
      distanceKm: round1(travel.distanceKm), mode: travel.mode, oneWayHours: round2(travel.hours), detourHours: round2(detourHours),
      daysOutsideTrip, score: s.score, parts: s.parts,
    });
  }
  return out.sort((a, b) => b.score - a.score || a.date.localeCompare(b.date) || a.momentId.localeCompare(b.momentId));
}
