/**
 * Typhoon risk near a port from the shipped climatology table
 * (src/modules/delivery/data/typhoon-climatology.json, built by `npm run build:climatology`).
 * The table is read once, on first use; the raw best-track file is never read at run time.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { LatLng } from '../../shared/geo.js';
import { decodeTrack } from './climate.codec.js';
import { climatologyOf, passagesNear, prepareTracks, type PassageMethod, type PreparedStorm, type TyphoonRisk } from './climate.domain.js';

/** The table as loaded: its header and the storms ready for queries. */
export type ClimatologyTable = {
  source: string;
  licence: string;
  years: { from: number; to: number };
  minKt: number;
  storms: PreparedStorm[];
};

type TableFile = { source: string; licence: string; years: [number, number]; minKt: number; tracks: [string, string, string][] };

const defaultFile = fileURLToPath(new URL('./data/typhoon-climatology.json', import.meta.url));
let cached: ClimatologyTable | undefined;

/** Parses a table file's text (exported for the benchmark and tests). */
export function parseClimatologyTable(text: string): ClimatologyTable {
  const f = JSON.parse(text) as TableFile;
  return {
    source: f.source,
    licence: f.licence,
    years: { from: f.years[0], to: f.years[1] },
    minKt: f.minKt,
    storms: prepareTracks(f.tracks.map(decodeTrack)),
  };
}

/** The shipped table, loaded once. */
export function climatologyTable(): ClimatologyTable {
  cached ??= parseClimatologyTable(readFileSync(defaultFile, 'utf8'));
  return cached;
}

/** Options of a risk query. */
export type TyphoonRiskOptions = {
  /** Years to count (inclusive), within the table's; default all of them. */
  years?: { from: number; to: number };
  /** `track` (default) interpolates between fixes; `fixes` looks at the fixes only. */
  method?: PassageMethod;
  /** Another table (tests); default the shipped one. */
  table?: ClimatologyTable;
};

/**
 * Chance, by week of the year and by month, that a storm of at least `thresholdKt` (34 or more)
 * passes within `distanceKm` of `port` (or of any of several ports, say both ends of a sea leg): years with a passage / years covered, with storm counts
 * and the years that had one. Throws RangeError on a threshold the table cannot answer, a
 * distance outside 1–2,000 km, or years outside the table's.
 */
export function typhoonRisk(port: LatLng | readonly LatLng[], distanceKm: number, thresholdKt: number, options: TyphoonRiskOptions = {}): TyphoonRisk {
  const table = options.table ?? climatologyTable();
  if (!(thresholdKt >= table.minKt)) throw new RangeError(`thresholdKt must be at least ${table.minKt} (the table keeps no weaker fixes): got ${thresholdKt}`);
  if (!(distanceKm >= 1 && distanceKm <= 2000)) throw new RangeError(`distanceKm must be 1–2000: got ${distanceKm}`);
  const years = options.years ?? table.years;
  if (!(years.from >= table.years.from && years.to <= table.years.to && years.from <= years.to)) {
    throw new RangeError(`years must lie within ${table.years.from}–${table.years.to}: got ${years.from}–${years.to}`);
  }
  const method = options.method ?? 'track';
  const points = Array.isArray(port) ? [...port] : [port as LatLng];
  if (!points.length) throw new RangeError('at least one port is needed');
  const passages = points.flatMap((p) => passagesNear(table.storms, p, distanceKm, thresholdKt, method));
  return climatologyOf(passages, years, { points, distanceKm, thresholdKt, method });
}
