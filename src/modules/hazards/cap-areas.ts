/**
 * From CAP alerts to matchable hazard areas: polygons and circles as they are, geocode-only
 * areas through an imported table of area polygons, and a report of what could not be resolved.
 */
import { selectInfos, type CapAlert, type CapValuePair } from './cap.domain.js';
import type { Position } from './geometry.js';
import type { AreaPart, HazardArea } from './hazard-match.js';

/** Polygons (outer ring then holes, `[lon, lat]`) for a geocode, or undefined when unknown. */
export type GeocodeResolver = { resolve(valueName: string, value: string): Position[][][] | undefined; size: number };

type Feature = {
  type: 'Feature';
  geometry: { type: string; coordinates: unknown } | null;
  properties: Record<string, unknown> | null;
};

/**
 * Builds a resolver from a GeoJSON FeatureCollection whose features carry `valueName` and
 * `value` properties (e.g. `SAME` / `006037`, `Taiwan_Geocode_100` / `1000512`) and Polygon or
 * MultiPolygon geometry. Several features with the same pair are unioned. Values are matched
 * as strings, exactly (leading zeros matter).
 */
export function buildGeocodeResolver(collection: { type: 'FeatureCollection'; features: Feature[] }): GeocodeResolver {
  const table = new Map<string, Position[][][]>();
  for (const f of collection.features) {
    const valueName = f.properties?.valueName;
    const value = f.properties?.value;
    if (typeof valueName !== 'string' || (typeof value !== 'string' && typeof value !== 'number') || !f.geometry) continue;
    const polys =
      f.geometry.type === 'Polygon'
        ? [f.geometry.coordinates as Position[][]]
        : f.geometry.type === 'MultiPolygon'
          ? (f.geometry.coordinates as Position[][][])
          : [];
    if (polys.length === 0) continue;
    const key = `${valueName.trim()}\u0000${String(value).trim()}`;
    table.set(key, [...(table.get(key) ?? []), ...polys]);
  }
  return {
    size: table.size,
    resolve: (valueName, value) => table.get(`${valueName.trim()}\u0000${value.trim()}`),
  };
}

export type UnresolvedArea = { areaId: string; areaDesc: string; geocodes: CapValuePair[]; reason: 'geocode-unknown' | 'no-geometry' };

export type AlertAreasOptions = {
  /** Preferred languages for choosing info blocks (default ['zh-CN'], with fallbacks). */
  languages?: readonly string[];
  /** When given, infos whose `expires` is at or before this instant are left out. */
  atMs?: number;
  geocodes?: GeocodeResolver;
};

/** Stable id of one `<area>` of an alert: `sender/identifier#i<info>a<area>`. */
export function capAreaId(alert: Pick<CapAlert, 'sender' | 'identifier'>, info: number, area: number): string {
  return `${alert.sender}/${alert.identifier}#i${info}a${area}`;
}

/**
 * The hazard areas of an alert, one per `<area>` of its chosen-language infos: polygons and
 * circles as given (geocodes then only describe the same place); areas with only geocodes
 * resolve through `geocodes`, and any geocode that does not is reported as unresolved, as is
 * an area with no geometry at all.
 */
export function alertHazardAreas(alert: CapAlert, options: AlertAreasOptions = {}): { areas: HazardArea[]; unresolved: UnresolvedArea[] } {
  const areas: HazardArea[] = [];
  const unresolved: UnresolvedArea[] = [];
  const chosen = selectInfos(alert, options.languages ?? ['zh-CN']);
  for (const info of chosen) {
    if (options.atMs !== undefined && info.expires && info.expires.epochMs <= options.atMs) continue;
    const infoIndex = alert.infos.indexOf(info);
    info.areas.forEach((area, j) => {
      const id = capAreaId(alert, infoIndex, j);
      const parts: AreaPart[] = [
        ...area.polygons.map((ring): AreaPart => ({ type: 'polygon', rings: [ring] })),
        ...(area.repairedPolygons ?? []).map((rings): AreaPart => ({ type: 'polygon', rings })),
        ...area.circles.map((c): AreaPart => ({ type: 'circle', center: c.center, radiusM: c.radiusKm * 1000 })),
      ];
      if (parts.length === 0) {
        const missing: CapValuePair[] = [];
        for (const g of area.geocodes) {
          const polys = options.geocodes?.resolve(g.valueName, g.value);
          if (polys) parts.push(...polys.map((rings): AreaPart => ({ type: 'polygon', rings })));
          else missing.push(g);
        }
        if (missing.length > 0) unresolved.push({ areaId: id, areaDesc: area.areaDesc, geocodes: missing, reason: 'geocode-unknown' });
        else if (area.geocodes.length === 0) unresolved.push({ areaId: id, areaDesc: area.areaDesc, geocodes: [], reason: 'no-geometry' });
      }
      if (parts.length > 0) areas.push({ id, label: `${info.event}: ${area.areaDesc}`, parts });
    });
  }
  return { areas, unresolved };
}
