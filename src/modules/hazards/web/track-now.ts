/**
 * Which typhoon tracks are current, and where a current storm is now: the hazard map opens on
 * these, not on whichever track was uploaded last (an old storm stays choosable).
 */

type TrackTimes = { firstFixAt: string | null; lastFixAt: string | null };
type Fix = { time: string; lat: number; lng: number };

/** How long after its last fix a storm still counts as current (the next advisory may be late). */
export const CURRENT_GRACE_MS = 24 * 3_600_000;

/** A track is current when its fixes reach from before now (or a day ahead, for a forecast) to within a day of now. */
export function isCurrentTrack(t: TrackTimes, nowMs: number): boolean {
  const first = t.firstFixAt ? Date.parse(t.firstFixAt) : NaN;
  const last = t.lastFixAt ? Date.parse(t.lastFixAt) : first;
  return Number.isFinite(first) && Number.isFinite(last) && first <= nowMs + CURRENT_GRACE_MS && last >= nowMs - CURRENT_GRACE_MS;
}

/** Current tracks first (latest first), then the past ones, newest first. */
export function orderTracks<T extends TrackTimes>(tracks: readonly T[], nowMs: number): { current: T[]; past: T[] } {
  const newest = (a: T, b: T) => (b.firstFixAt ?? '').localeCompare(a.firstFixAt ?? '');
  return {
    current: tracks.filter((t) => isCurrentTrack(t, nowMs)).sort(newest),
    past: tracks.filter((t) => !isCurrentTrack(t, nowMs)).sort(newest),
  };
}

/**
 * A track split at `nowMs`: the fixes so far (ending at the interpolated position now), the ones
 * still to come (starting there), and the position now; null when now lies outside the track.
 */
export function splitAtNow<F extends Fix>(fixes: readonly F[], nowMs: number): { past: { lat: number; lng: number }[]; future: { lat: number; lng: number }[]; now: { lat: number; lng: number } | null } {
  const times = fixes.map((f) => Date.parse(f.time));
  const all = fixes.map((f) => ({ lat: f.lat, lng: f.lng }));
  if (!fixes.length || nowMs < times[0]!) return { past: [], future: all, now: null };
  if (nowMs >= times[times.length - 1]!) return { past: all, future: [], now: null };
  const i = times.findIndex((t, k) => t <= nowMs && nowMs < times[k + 1]!);
  const a = fixes[i]!, b = fixes[i + 1]!;
  const f = (nowMs - times[i]!) / (times[i + 1]! - times[i]!);
  const now = { lat: a.lat + (b.lat - a.lat) * f, lng: a.lng + (b.lng - a.lng) * f };
  return { past: [...all.slice(0, i + 1), now], future: [now, ...all.slice(i + 1)], now };
}
