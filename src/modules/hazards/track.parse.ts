/**
 * Readers for best-track files: the JTWC CSV and GeoJSON layouts of shared/data/hazard/tracks,
 * and IBTrACS CSV (its USA_* wind radii). Every track keeps its agency.
 */
import { parse } from 'csv-parse/sync';
import { NUL, nulPaths } from '../../shared/text.js';
import { WIND_THRESHOLDS, type QuadrantRadii, type StormTrack, type TrackFix, type WindThreshold } from './track.domain.js';

/** A track file that cannot be read; names the line or feature at fault. */
export class TrackFormatError extends Error {
  override readonly name = 'TrackFormatError';
}

const QUADS = ['ne', 'se', 'sw', 'nw'] as const;

function num(v: unknown, where: string): number | null {
  if (v === undefined || v === null) return null;
  const s = String(v).trim();
  if (s === '') return null;
  const n = Number(s);
  if (!Number.isFinite(n)) throw new TrackFormatError(`${where}: "${s}" is not a number`);
  return n;
}

function time(v: string | undefined, where: string): { time: string; timeMs: number } {
  const s = (v ?? '').trim();
  // IBTrACS writes "2019-08-09 18:00:00" (UTC, no zone).
  const iso = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}(:\d{2})?$/.test(s) ? `${s.replace(' ', 'T')}Z` : s;
  const ms = Date.parse(iso);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(iso) || Number.isNaN(ms)) throw new TrackFormatError(`${where}: "${s}" is not an ISO date-time`);
  return { time: new Date(ms).toISOString(), timeMs: ms };
}

function checkPosition(lat: number | null, lng: number | null, where: string): { lat: number; lng: number } {
  if (lat === null || lng === null || Math.abs(lat) > 90 || Math.abs(lng) > 360) throw new TrackFormatError(`${where}: position ${lat},${lng} is missing or out of range`);
  return { lat, lng: lng > 180 ? lng - 360 : lng };
}

function radii(get: (kt: WindThreshold, q: (typeof QUADS)[number]) => unknown, where: string): TrackFix['radii'] {
  const out: TrackFix['radii'] = {};
  for (const kt of WIND_THRESHOLDS) {
    const r = { ne: null, se: null, sw: null, nw: null } as QuadrantRadii;
    let any = false;
    for (const q of QUADS) {
      const v = num(get(kt, q), `${where} r${kt}_${q}`);
      if (v !== null && v < 0) throw new TrackFormatError(`${where}: radius r${kt}_${q} ${v} is negative`);
      r[q] = v;
      if (v !== null) any = true;
    }
    if (any) out[kt] = r;
  }
  return out;
}

function sortFixes(fixes: TrackFix[]): TrackFix[] {
  return fixes.sort((a, b) => a.timeMs - b.timeMs).filter((f, i, all) => i === 0 || f.timeMs !== all[i - 1]!.timeMs);
}

/**
 * The JTWC CSV layout (`iso_time_utc,lat,lon,vmax_kt_1min,mslp_hpa,jtwc_status,
 * jtwc_storm_name,r34_ne_nm…r64_nw_nm`): radii in nautical miles, 0 = none, empty = not reported.
 */
export function parseJtwcCsv(text: string, meta: { id?: string; agency?: string } = {}): StormTrack {
  const rows = parse(text, { columns: true, skip_empty_lines: true, trim: true, bom: true }) as Record<string, string>[];
  if (rows.length === 0) throw new TrackFormatError('track CSV has no rows');
  for (const col of ['iso_time_utc', 'lat', 'lon']) {
    if (!(col in rows[0]!)) throw new TrackFormatError(`track CSV has no "${col}" column`);
  }
  const fixes = rows.map((row, i): TrackFix => {
    const where = `line ${i + 2}`;
    const pos = checkPosition(num(row.lat, where), num(row.lon, where), where);
    const fix: TrackFix = {
      ...time(row.iso_time_utc, where),
      ...pos,
      vmaxKt: num(row.vmax_kt_1min ?? row.vmax_kt, where),
      pressureHpa: num(row.mslp_hpa, where),
      radii: radii((kt, q) => row[`r${kt}_${q}_nm`], where),
    };
    if (row.jtwc_status) fix.status = row.jtwc_status;
    return fix;
  });
  // Before naming, JTWC writes INVEST or the spelled-out number (TEN): the last name is the storm's.
  const names = rows.map((r) => r.jtwc_storm_name).filter((n): n is string => !!n && n !== 'INVEST');
  const name = names[names.length - 1] ?? 'UNNAMED';
  return { id: meta.id ?? name, name, agency: meta.agency ?? 'JTWC', windAveragingMin: 1, fixes: sortFixes(fixes) };
}

type GeoFeature = { type: string; geometry?: { type: string; coordinates: unknown } | null; properties?: Record<string, unknown> | null };

/**
 * The GeoJSON layout: a LineString feature with storm metadata (`storm`, `jtwc_id`, `agency`)
 * and one Point feature per fix (`time`, `vmax_kt`, `mslp_hpa`, `status`, `r34_nm: {ne,se,sw,nw}`…).
 */
export function parseTrackGeoJson(json: unknown): StormTrack {
  const fc = json as { type?: string; features?: GeoFeature[] };
  if (fc?.type !== 'FeatureCollection' || !Array.isArray(fc.features)) throw new TrackFormatError('not a GeoJSON FeatureCollection');
  const line = fc.features.find((f) => f.geometry?.type === 'LineString');
  const meta = line?.properties ?? {};
  const fixes: TrackFix[] = [];
  fc.features.forEach((f, i) => {
    if (f.geometry?.type !== 'Point') return;
    const where = `feature ${i}`;
    const p = f.properties ?? {};
    const [lng, lat] = f.geometry.coordinates as [number, number];
    const fix: TrackFix = {
      ...time(typeof p.time === 'string' ? p.time : undefined, where),
      ...checkPosition(num(lat, where), num(lng, where), where),
      vmaxKt: num(p.vmax_kt, where),
      pressureHpa: num(p.mslp_hpa, where),
      radii: radii((kt, q) => (p[`r${kt}_nm`] as Record<string, unknown> | undefined)?.[q], where),
    };
    if (typeof p.status === 'string') fix.status = p.status;
    fixes.push(fix);
  });
  if (fixes.length === 0) throw new TrackFormatError('GeoJSON track has no Point fixes');
  const name = typeof meta.storm === 'string' ? meta.storm : 'UNNAMED';
  const id = [meta.jtwc_id, meta.season].filter((v) => v !== undefined).join('/') || name;
  const agency = typeof meta.agency === 'string' ? meta.agency : 'unknown';
  const track: StormTrack = { id, name, agency, fixes: sortFixes(fixes) };
  if (agency === 'JTWC') track.windAveragingMin = 1;
  return track;
}

/**
 * IBTrACS CSV (v04 layout): one row per fix, many storms (grouped by SID), a second header row
 * of units (skipped), blanks written as a space. Positions from USA_LAT/USA_LON when present,
 * else LAT/LON; wind from USA_WIND (1-min); radii from USA_R34_NE … USA_R64_NW. The agency is
 * the row's USA_AGENCY (e.g. `jtwc_wp`, `hurdat_atl`), else WMO_AGENCY.
 */
export function parseIbtracsCsv(text: string): StormTrack[] {
  const rows = parse(text, { columns: true, skip_empty_lines: true, trim: true, bom: true, relax_column_count: true }) as Record<string, string>[];
  const byStorm = new Map<string, { name: string; agency: string; fixes: TrackFix[] }>();
  rows.forEach((row, i) => {
    const where = `line ${i + 2}`;
    const iso = row.ISO_TIME ?? '';
    if (!/^\d{4}-\d{2}-\d{2}/.test(iso)) return; // the units row, or junk
    const sid = row.SID || 'UNKNOWN';
    const usaLat = num(row.USA_LAT, where), usaLon = num(row.USA_LON, where);
    const pos = checkPosition(usaLat ?? num(row.LAT, where), usaLon ?? num(row.LON, where), where);
    const fix: TrackFix = {
      ...time(iso, where),
      ...pos,
      vmaxKt: num(row.USA_WIND, where),
      pressureHpa: num(row.USA_PRES, where) ?? num(row.WMO_PRES, where),
      radii: radii((kt, q) => row[`USA_R${kt}_${q.toUpperCase()}`], where),
    };
    const status = row.USA_STATUS || row.NATURE;
    if (status) fix.status = status;
    let storm = byStorm.get(sid);
    if (!storm) byStorm.set(sid, (storm = { name: row.NAME || 'UNNAMED', agency: '', fixes: [] }));
    if (!storm.agency) storm.agency = row.USA_AGENCY || row.WMO_AGENCY || '';
    storm.fixes.push(fix);
  });
  return [...byStorm].map(([sid, s]) => {
    const agency = s.agency || 'unknown';
    const track: StormTrack = { id: sid, name: s.name, agency, fixes: sortFixes(s.fixes) };
    if (s.agency) track.windAveragingMin = 1; // USA_WIND is 1-minute sustained
    return track;
  });
}

/** Reads any supported track text, telling the layout from its content. */
export function parseTrackText(text: string, meta: { id?: string; agency?: string } = {}): StormTrack[] {
  const t = text.replace(/^\uFEFF/, '').trimStart();
  // Storm names and agencies are stored as text, which on PostgreSQL cannot hold U+0000.
  const nulAt = t.indexOf(NUL);
  if (nulAt >= 0) throw new TrackFormatError(`line ${t.slice(0, nulAt).split('\n').length}: the NUL character (U+0000) is not allowed`);
  if (t.startsWith('{')) {
    let json: unknown;
    try {
      json = JSON.parse(t);
    } catch (err) {
      throw new TrackFormatError(`invalid JSON: ${err instanceof Error ? err.message : String(err)}`);
    }
    const escaped = nulPaths(json, 'document', 1);
    if (escaped.length) throw new TrackFormatError(`${escaped[0]}: the NUL character (U+0000) is not allowed`);
    return [parseTrackGeoJson(json)];
  }
  const header = t.slice(0, t.indexOf('\n') >= 0 ? t.indexOf('\n') : t.length);
  if (/(^|,)\s*ISO_TIME\s*(,|$)/.test(header)) return parseIbtracsCsv(t);
  if (/(^|,)\s*iso_time_utc\s*(,|$)/.test(header)) return [parseJtwcCsv(t, meta)];
  throw new TrackFormatError('unrecognised track layout: expected GeoJSON, IBTrACS CSV (ISO_TIME) or JTWC CSV (iso_time_utc)');
}
