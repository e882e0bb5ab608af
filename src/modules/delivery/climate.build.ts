/**
 * Builds the shipped typhoon climatology table from the raw JTWC best tracks (parquet). Used by
 * scripts/climatology.ts (`npm run build:climatology`) and bench/climatology.ts; never at run
 * time (hyparquet is a dev dependency).
 */
import { asyncBufferFromFile, parquetReadObjects } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { defaultTrackBuild, encodeTrack, tracksFromRawFixes, type RawFix, type TrackBuildStats } from './climate.codec.js';

export const CLIMATOLOGY_SOURCE = 'JTWC western North Pacific best tracks, as collected by atsuyaourt/jtwc_best_track_wp @ 159e1d6df59c : output/JTWC_raw.parquet';
export const CLIMATOLOGY_LICENCE = 'US Government work (JTWC), public domain; the collection is MIT';

/** Reads the raw parquet's fixes (the columns the table needs). */
export async function readRawFixes(parquetPath: string): Promise<RawFix[]> {
  const file = await asyncBufferFromFile(parquetPath);
  const rows = (await parquetReadObjects({ file, compressors, columns: ['YYYY', 'MM', 'DD', 'HH', 'CY', 'LAT', 'LON', 'VMAX', 'STORMNAME'] })) as Record<string, unknown>[];
  return rows.map((r) => ({
    year: Number(r.YYYY), month: Number(r.MM), day: Number(r.DD), hour: Number(r.HH), cy: Number(r.CY),
    lat: Number(r.LAT), lon: Number(r.LON), vmax: r.VMAX == null ? -999 : Number(r.VMAX), name: String(r.STORMNAME ?? ''),
  }));
}

/** The table's text (JSON, one storm a line) and what went into it. */
export async function buildClimatologyTable(parquetPath: string): Promise<{ text: string; stats: TrackBuildStats; years: [number, number] }> {
  const raw = await readRawFixes(parquetPath);
  const years: [number, number] = [Math.min(...raw.map((r) => r.year)), Math.max(...raw.map((r) => r.year))];
  const { tracks, stats } = tracksFromRawFixes(raw, defaultTrackBuild);
  const header = {
    source: CLIMATOLOGY_SOURCE,
    licence: CLIMATOLOGY_LICENCE,
    agency: 'JTWC',
    wind: '1-minute sustained wind (VMAX), kt',
    years,
    method: `Fixes deduplicated (one per storm and time; the raw file repeats a fix per wind radius row), positions rounded to 0.1°. A track breaks where fixes are more than ${defaultTrackBuild.maxGapHours} h apart or a fix has no intensity (VMAX −999). Only fixes at or above ${defaultTrackBuild.minKt} kt and their neighbours are kept, so thresholds below ${defaultTrackBuild.minKt} kt cannot be queried. Queries interpolate along the great circle between fixes (see docs/decisions/019-typhoon-climatology.md).`,
    encoding: 'tracks: [id (YYYY-CY), name, pieces]; pieces separated by "|", fixes by ";"; first fix "YYYYMMDDHH,lat,lon,vmax", next "dlat,dlon,vmax[,dh]": tenths of a degree (lon 0..3599 east), deltas from the fix before, vmax kt, dh hours when not 6 (UTC).',
    minKt: defaultTrackBuild.minKt,
    maxGapHours: defaultTrackBuild.maxGapHours,
    stats,
  };
  const head = Object.entries(header).map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)}`);
  const lines = tracks.map((t) => `    ${JSON.stringify(encodeTrack(t))}`);
  return { text: `{\n${head.join(',\n')},\n  "tracks": [\n${lines.join(',\n')}\n  ]\n}\n`, stats, years };
}
