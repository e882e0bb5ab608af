/**
 * Commands of the hazards module:
 *   cap:parse FILE            exit 0 when anything is usable (warnings or not), 2 when nothing is
 *   track:swath FILE [--kt 34|50|64] [--step MINUTES]
 *   hazard:match ALERTS SITES [--buffer-m M] [--at ISO] [--lang zh-CN] [--geocodes FILE] [--kt 34]
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { computeActiveSet } from './alert-store.domain.js';
import { alertHazardAreas, buildGeocodeResolver, type GeocodeResolver, type UnresolvedArea } from './cap-areas.js';
import type { CapAlert } from './cap.domain.js';
import { parseCapDocument } from './cap.parse.js';
import type { Position } from './geometry.js';
import { aggregateValueAtRisk, matchSites, type AreaPart, type HazardArea, type MoneyMinor, type Site } from './hazard-match.js';
import { computeSwath, swathToGeoJson, swathToHazardArea } from './swath.js';
import { WIND_THRESHOLDS, type WindThreshold } from './track.domain.js';
import { parseTrackText } from './track.parse.js';

type Args = { positional: string[]; flags: Map<string, string | true> };

function parseArgs(args: string[]): Args {
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a.startsWith('--')) {
      const [k, v] = a.slice(2).split('=', 2) as [string, string | undefined];
      if (v !== undefined) flags.set(k, v);
      else if (args[i + 1] !== undefined && !args[i + 1]!.startsWith('--')) flags.set(k, args[++i]!);
      else flags.set(k, true);
    } else positional.push(a);
  }
  return { positional, flags };
}

function flag(a: Args, name: string): string | undefined {
  const v = a.flags.get(name);
  return typeof v === 'string' ? v : undefined;
}

function out(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

function fail(message: string): number {
  process.stderr.write(`${message}\n`);
  return 2;
}

function threshold(a: Args): WindThreshold | undefined {
  const kt = Number(flag(a, 'kt') ?? 34);
  return (WIND_THRESHOLDS as readonly number[]).includes(kt) ? (kt as WindThreshold) : undefined;
}

/** Entry point used by src/cli/main.ts. */
export async function run(command: string, args: string[]): Promise<number> {
  const a = parseArgs(args);
  switch (command) {
    case 'cap:parse':
      return capParse(a);
    case 'track:swath':
      return trackSwath(a);
    case 'hazard:match':
      return hazardMatch(a);
    default:
      return fail(`unknown hazards command: ${command}`);
  }
}

/**
 * Prints what was read. Warnings (a repaired polygon, CAP 1.1…) do not fail the command, nor
 * does one refused alert among usable ones: exit 2 only when nothing in the input is usable,
 * i.e. no alert was read and no feed entry links to one.
 */
function capParse(a: Args): number {
  const file = a.positional[0];
  if (!file) return fail('usage: cap:parse FILE');
  const doc = parseCapDocument(readFileSync(file));
  if (!doc.ok) {
    out({ ok: false, reasons: doc.reasons });
    return 2;
  }
  if (doc.kind === 'alert') out(doc.alerts[0]);
  else out(doc);
  const read = doc.alerts.filter((r) => r.ok).length;
  const warnings = doc.alerts.reduce((n, r) => n + r.warnings.length, 0);
  process.stderr.write(`${read} of ${doc.alerts.length} alert(s) read, ${warnings} warning(s)${doc.entries.length ? `, ${doc.entries.length} feed entr${doc.entries.length === 1 ? 'y' : 'ies'}` : ''}\n`);
  return read > 0 || doc.entries.some((e) => e.link) ? 0 : 2;
}

function trackSwath(a: Args): number {
  const file = a.positional[0];
  const kt = threshold(a);
  if (!file || !kt) return fail('usage: track:swath FILE --kt 34|50|64 [--step MINUTES]');
  const step = flag(a, 'step');
  const tracks = parseTrackText(readFileSync(file, 'utf8'));
  const features = tracks.map((t) => swathToGeoJson(computeSwath(t, kt, step ? { stepMinutes: Number(step) } : {})));
  out({ type: 'FeatureCollection', features });
  return 0;
}

type Loaded = { areas: HazardArea[]; unresolved: UnresolvedArea[]; rejected: { file: string; where: string; reasons: unknown }[]; atMs?: number };

function listFiles(p: string): string[] {
  return statSync(p).isDirectory()
    ? readdirSync(p)
        .filter((f) => !f.startsWith('.'))
        .sort()
        .map((f) => path.join(p, f))
        .filter((f) => statSync(f).isFile())
    : [p];
}

function loadAreas(source: string, a: Args, geocodes: GeocodeResolver | undefined): Loaded {
  const loaded: Loaded = { areas: [], unresolved: [], rejected: [] };
  const alerts: CapAlert[] = [];
  for (const file of listFiles(source)) {
    const bytes = readFileSync(file);
    const head = bytes.subarray(0, 200).toString('utf8').replace(/^\uFEFF/, '').trimStart();
    if (head.startsWith('{') || /^(iso_time_utc|SID|ISO_TIME)/i.test(head)) {
      loaded.areas.push(...areasFromJsonOrTrack(file, bytes.toString('utf8'), a));
      continue;
    }
    const doc = parseCapDocument(bytes);
    if (!doc.ok) {
      loaded.rejected.push({ file, where: 'document', reasons: doc.reasons });
      continue;
    }
    for (const r of doc.alerts) {
      if (r.ok) alerts.push(r.alert);
      else loaded.rejected.push({ file, where: r.where, reasons: r.reasons });
    }
  }
  if (alerts.length > 0) {
    // Without --at, the state as of the newest message: deterministic for archived files.
    const at = flag(a, 'at');
    const atMs = at ? Date.parse(at) : Math.max(...alerts.map((x) => x.sent.epochMs));
    if (Number.isNaN(atMs)) throw new Error(`--at "${at}" is not a date-time`);
    loaded.atMs = atMs;
    const languages = (flag(a, 'lang') ?? 'zh-CN').split(',');
    for (const { alert } of computeActiveSet(alerts, atMs).active) {
      const r = alertHazardAreas(alert, { languages, atMs, ...(geocodes ? { geocodes } : {}) });
      loaded.areas.push(...r.areas);
      loaded.unresolved.push(...r.unresolved);
    }
  }
  return loaded;
}

function areasFromJsonOrTrack(file: string, text: string, a: Args): HazardArea[] {
  const json = text.trimStart().startsWith('{') ? (JSON.parse(text) as { type?: string; features?: { geometry?: { type: string; coordinates: unknown }; properties?: Record<string, unknown> | null; id?: unknown }[] }) : undefined;
  const isTrack = !json || json.features?.some((f) => f.geometry?.type === 'Point' && typeof f.properties?.time === 'string');
  if (isTrack) {
    const kt = threshold(a) ?? 34;
    return parseTrackText(text).map((t) => swathToHazardArea(computeSwath(t, kt)));
  }
  const features = json.type === 'FeatureCollection' ? (json.features ?? []) : [json as NonNullable<typeof json.features>[number]];
  return features.flatMap((f, i) => {
    const g = f.geometry;
    const rings = g?.type === 'Polygon' ? [g.coordinates as Position[][]] : g?.type === 'MultiPolygon' ? (g.coordinates as Position[][][]) : [];
    if (rings.length === 0) return [];
    const id = String(f.properties?.id ?? f.id ?? `${path.basename(file)}#${i}`);
    return [{ id, parts: rings.map((r): AreaPart => ({ type: 'polygon', rings: r })) }];
  });
}

function loadSites(file: string): { sites: Site[]; values: Map<string, MoneyMinor> } {
  const rows = parse(readFileSync(file, 'utf8'), { columns: true, skip_empty_lines: true, trim: true, bom: true }) as Record<string, string>[];
  const sites: Site[] = [];
  const values = new Map<string, MoneyMinor>();
  rows.forEach((r, i) => {
    const lat = Number(r.lat), lng = Number(r.lng ?? r.lon);
    if (!r.id || !Number.isFinite(lat) || !Number.isFinite(lng) || Math.abs(lat) > 90 || Math.abs(lng) > 180) {
      throw new Error(`${file} line ${i + 2}: expected id,lat,lng[,value] with valid coordinates`);
    }
    sites.push({ id: r.id, lat, lng });
    if (r.value) values.set(r.id, { amountMinor: Number(r.value), currency: r.currency || 'CNY' });
  });
  return { sites, values };
}

function hazardMatch(a: Args): number {
  const [alertsPath, sitesPath] = a.positional;
  if (!alertsPath || !sitesPath) return fail('usage: hazard:match ALERTS SITES [--buffer-m M] [--at ISO] [--lang zh-CN] [--geocodes FILE] [--kt 34]');
  const geoFile = flag(a, 'geocodes');
  const geocodes = geoFile ? buildGeocodeResolver(JSON.parse(readFileSync(geoFile, 'utf8'))) : undefined;
  const loaded = loadAreas(alertsPath, a, geocodes);
  const { sites, values } = loadSites(sitesPath);
  const bufferM = Number(flag(a, 'buffer-m') ?? 0);
  const matches = matchSites(sites, loaded.areas, { bufferM });
  const ids = matches.map((m) => m.siteId);
  out({
    at: loaded.atMs !== undefined ? new Date(loaded.atMs).toISOString() : null,
    bufferM,
    areas: loaded.areas.map((x) => ({ id: x.id, label: x.label ?? null })),
    unresolved: loaded.unresolved,
    rejected: loaded.rejected,
    sites: matches,
    valueAtRisk: aggregateValueAtRisk(ids, values, new Map(ids.map((id) => [id, 'all']))),
  });
  return 0;
}
