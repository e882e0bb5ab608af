/**
 * The shipped typhoon climatology table (src/modules/delivery/data/typhoon-climatology.json):
 * how best-track fixes become storm tracks, and the compact text a track is stored as.
 * Pure functions; the build script (scripts/climatology.ts) reads the raw file, the service
 * reads the table.
 *
 * A storm is one line: `[id, name, pieces]`. `pieces` is a string of pieces separated by `|`;
 * a piece is fixes separated by `;`. The first fix is `YYYYMMDDHH,lat,lon,vmax`, each next one
 * `dlat,dlon,vmax` or `dlat,dlon,vmax,dh`: lat and lon in tenths of a degree (lon 0..3599, east
 * of Greenwich, so a track crossing 180° stays small), deltas from the fix before, vmax in kt,
 * dh the hours since the fix before when not 6.
 */
import type { StormTrack, TrackFix } from './climate.domain.js';

/** A best-track row as the raw file has it (one per wind radius: deduplicated here). */
export type RawFix = { year: number; month: number; day: number; hour: number; cy: number; lat: number; lon: number; vmax: number; name: string };

/** How the raw fixes become the shipped tracks. */
export type TrackBuildOptions = {
  /** Fixes further apart than this are not joined (the raw file has storm numbers reused months apart). */
  maxGapHours: number;
  /** Fixes below this that do not touch a fix at or above it are dropped: no query below it is possible. */
  minKt: number;
};

export const defaultTrackBuild: TrackBuildOptions = { maxGapHours: 24, minKt: 34 };

/** What building the tracks kept and dropped, for the table's header and the benchmark. */
export type TrackBuildStats = { rows: number; fixes: number; unknownIntensity: number; kept: number; storms: number; pieces: number };

/**
 * Deduplicates the rows (one fix per storm and time), orders each storm's fixes by time, breaks
 * it at gaps and at fixes of unknown intensity (VMAX < 0, i.e. −999), and keeps only fixes that
 * are, or neighbour, a fix at or above `minKt`. Storms with none are left out.
 */
export function tracksFromRawFixes(rows: readonly RawFix[], options: TrackBuildOptions = defaultTrackBuild): { tracks: StormTrack[]; stats: TrackBuildStats } {
  const byStorm = new Map<string, Map<number, RawFix & { timeMs: number }>>();
  for (const r of rows) {
    const id = `${r.year}-${String(r.cy).padStart(2, '0')}`;
    const timeMs = Date.UTC(r.year, r.month - 1, r.day, r.hour);
    let m = byStorm.get(id);
    if (!m) byStorm.set(id, (m = new Map()));
    if (!m.has(timeMs)) m.set(timeMs, { ...r, timeMs });
  }
  const stats: TrackBuildStats = { rows: rows.length, fixes: 0, unknownIntensity: 0, kept: 0, storms: 0, pieces: 0 };
  const tracks: StormTrack[] = [];
  for (const [id, m] of [...byStorm.entries()].sort((a, b) => a[0].localeCompare(b[0]))) {
    const all = [...m.values()].sort((a, b) => a.timeMs - b.timeMs);
    stats.fixes += all.length;
    const name = all.findLast((f) => f.name.trim() !== '')?.name.trim() ?? '';
    // Runs of consecutive fixes with known intensity and no long gap.
    const runs: TrackFix[][] = [];
    let run: TrackFix[] = [];
    let prevMs = -Infinity;
    for (const f of all) {
      if (f.vmax < 0) { stats.unknownIntensity++; if (run.length) runs.push(run); run = []; prevMs = -Infinity; continue; }
      if (f.timeMs - prevMs > options.maxGapHours * 3_600_000 && run.length) { runs.push(run); run = []; }
      run.push({ timeMs: f.timeMs, lat: Math.round(f.lat * 10) / 10, lng: normLng(Math.round(f.lon * 10) / 10), vmaxKt: f.vmax });
      prevMs = f.timeMs;
    }
    if (run.length) runs.push(run);
    const pieces: TrackFix[][] = [];
    for (const r of runs) {
      let piece: TrackFix[] = [];
      r.forEach((f, i) => {
        const keep = f.vmaxKt >= options.minKt || (r[i - 1]?.vmaxKt ?? -1) >= options.minKt || (r[i + 1]?.vmaxKt ?? -1) >= options.minKt;
        if (keep) piece.push(f);
        else if (piece.length) { pieces.push(piece); piece = []; }
      });
      if (piece.length) pieces.push(piece);
    }
    if (!pieces.length) continue;
    stats.kept += pieces.reduce((s, p) => s + p.length, 0);
    stats.pieces += pieces.length;
    stats.storms++;
    tracks.push({ id, name, pieces });
  }
  return { tracks, stats };
}

const normLng = (lng: number): number => (lng > 180 ? lng - 360 : lng <= -180 ? lng + 360 : lng);
const tenths = (x: number): number => Math.round(x * 10);
const lon10 = (lng: number): number => ((tenths(lng) % 3600) + 3600) % 3600;
const stamp = (ms: number): string => new Date(ms).toISOString().slice(0, 13).replace(/[-T]/g, '');

/** One storm as a line of the table. */
export function encodeTrack(track: StormTrack): [string, string, string] {
  const pieces = track.pieces.map((fixes) => fixes.map((f, i) => {
    if (i === 0) return `${stamp(f.timeMs)},${tenths(f.lat)},${lon10(f.lng)},${f.vmaxKt}`;
    const prev = fixes[i - 1]!;
    let dlon = lon10(f.lng) - lon10(prev.lng);
    if (dlon > 1800) dlon -= 3600;
    if (dlon <= -1800) dlon += 3600;
    const dh = (f.timeMs - prev.timeMs) / 3_600_000;
    return `${tenths(f.lat) - tenths(prev.lat)},${dlon},${f.vmaxKt}${dh === 6 ? '' : `,${dh}`}`;
  }).join(';'));
  return [track.id, track.name, pieces.join('|')];
}

/** The storm a line of the table holds; throws on a malformed line (the table is generated). */
export function decodeTrack(line: readonly [string, string, string]): StormTrack {
  const [id, name, text] = line;
  const pieces = text.split('|').map((piece) => {
    const fixes: TrackFix[] = [];
    let lat = 0, lon = 0, timeMs = 0;
    for (const [i, part] of piece.split(';').entries()) {
      const f = part.split(',');
      if (i === 0) {
        const s = f[0] ?? '';
        if (!/^\d{10}$/.test(s) || f.length !== 4) throw new Error(`typhoon table: storm ${id}: bad first fix "${part}"`);
        timeMs = Date.UTC(Number(s.slice(0, 4)), Number(s.slice(4, 6)) - 1, Number(s.slice(6, 8)), Number(s.slice(8, 10)));
        lat = Number(f[1]);
        lon = Number(f[2]);
      } else {
        if (f.length < 3 || f.length > 4) throw new Error(`typhoon table: storm ${id}: bad fix "${part}"`);
        lat += Number(f[0]);
        lon = (((lon + Number(f[1])) % 3600) + 3600) % 3600;
        timeMs += (f.length === 4 ? Number(f[3]) : 6) * 3_600_000;
      }
      const vmaxKt = Number(f[i === 0 ? 3 : 2]);
      if (![lat, lon, vmaxKt, timeMs].every(Number.isFinite)) throw new Error(`typhoon table: storm ${id}: bad number in "${part}"`);
      fixes.push({ timeMs, lat: lat / 10, lng: normLng(lon / 10), vmaxKt });
    }
    return fixes;
  });
  return { id, name, pieces };
}
