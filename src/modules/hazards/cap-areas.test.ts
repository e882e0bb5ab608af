import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { hasReferenceData, referencePath } from '../../shared/reference-data.js';
import { alertHazardAreas, buildGeocodeResolver } from './cap-areas.js';
import type { CapAlert } from './cap.domain.js';
import { parseCapAlert } from './cap.parse.js';
import { matchSites } from './hazard-match.js';
import { areaXml, capXml, infoXml } from './fixtures/cap-builder.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const resolver = buildGeocodeResolver(JSON.parse(readFileSync(path.join(here, 'fixtures', 'geocodes-sample.geojson'), 'utf8')));

function alert(xml: string | Buffer): CapAlert {
  const r = parseCapAlert(xml);
  if (!r.ok) throw new Error(JSON.stringify(r.reasons));
  return r.alert;
}

describe('hazard areas of an alert', () => {
  it('turns polygons and circles of one <area> into one area', () => {
    const a = alert(capXml({ info: infoXml({ area: areaXml('<polygon>28.3,121.3 28.3,121.5 28.5,121.5 28.3,121.3</polygon><circle>28.0,121.0 10</circle>') }) }));
    const { areas, unresolved } = alertHazardAreas(a);
    expect(unresolved).toEqual([]);
    expect(areas).toHaveLength(1);
    expect(areas[0]!.id).toBe('test@example.org/TEST-1#i0a0');
    expect(areas[0]!.parts.map((p) => p.type)).toEqual(['polygon', 'circle']);
  });

  it('reports an area with neither geometry nor geocode', () => {
    const { areas, unresolved } = alertHazardAreas(alert(capXml({ info: infoXml({ area: areaXml('', 'Somewhere') }) })));
    expect(areas).toEqual([]);
    expect(unresolved).toEqual([{ areaId: 'test@example.org/TEST-1#i0a0', areaDesc: 'Somewhere', geocodes: [], reason: 'no-geometry' }]);
  });

  it('leaves out infos that have expired at the given moment', () => {
    const a = alert(capXml({ info: infoXml({ expires: '2019-08-09T13:00:00+08:00', area: areaXml('<circle>28.0,121.0 10</circle>') }) }));
    expect(alertHazardAreas(a, { atMs: Date.parse('2019-08-09T12:30:00+08:00') }).areas).toHaveLength(1);
    expect(alertHazardAreas(a, { atMs: Date.parse('2019-08-09T13:00:00+08:00') }).areas).toEqual([]);
  });

  it('uses only the chosen language, so translated areas are not counted twice', () => {
    const area = areaXml('<circle>28.0,121.0 10</circle>');
    const a = alert(capXml({ info: infoXml({ language: 'en-US', area }) + infoXml({ language: 'zh-CN', event: '台风', area }) }));
    const { areas } = alertHazardAreas(a, { languages: ['zh-CN'] });
    expect(areas.map((x) => x.id)).toEqual(['test@example.org/TEST-1#i1a0']);
  });
});

describe('areas whose geometry was repaired or lost', () => {
  it('matches sites against the repaired polygons: both lobes of a ring that touches itself', () => {
    // A figure eight around 28.0–28.2 N, 121.0–121.2 E whose lobes meet at 28.1 N 121.1 E.
    const a = alert(capXml({ info: infoXml({ area: areaXml('<polygon>28.0,121.0 28.1,121.1 28.0,121.2 28.2,121.2 28.1,121.1 28.2,121.0 28.0,121.0</polygon>') }) }));
    const { areas } = alertHazardAreas(a);
    expect(areas[0]!.parts).toHaveLength(2);
    const sites = [{ id: 'west-lobe', lat: 28.1, lng: 121.03 }, { id: 'east-lobe', lat: 28.1, lng: 121.17 }, { id: 'notch', lat: 28.02, lng: 121.1 }];
    expect(matchSites(sites, areas).map((m) => m.siteId)).toEqual(['west-lobe', 'east-lobe']);
  });

  it('matches an area whose only polygon was unusable by its geocodes', () => {
    const area = areaXml('<polygon>34.0,-118.5 34.1,-118.4 oops 34.0,-118.5</polygon><geocode><valueName>SAME</valueName><value>006037</value></geocode>', 'Los Angeles');
    const a = alert(capXml({ info: infoXml({ area }) }));
    const { areas, unresolved } = alertHazardAreas(a, { geocodes: resolver });
    expect(unresolved).toEqual([]);
    const sites = [{ id: 'la', lat: 34.05, lng: -118.25 }, { id: 'sf', lat: 37.77, lng: -122.42 }];
    expect(matchSites(sites, areas).map((m) => m.siteId)).toEqual(['la']);
  });
});

describe.skipIf(!hasReferenceData)('geocode-only areas', () => {
  const fixture = (name: string) => readFileSync(referencePath('hazard', 'cap', 'fixtures', name));

  it('resolves the Taiwan WRA geocode through the imported table and matches a site in it', () => {
    const a = alert(fixture('taiwan-wra-zh-tw-geocode-only.cap'));
    const { areas, unresolved } = alertHazardAreas(a, { geocodes: resolver });
    expect(unresolved).toEqual([]);
    expect(areas).toHaveLength(1);
    const touwu = { id: 'touwu', lat: 24.58, lng: 120.88 };
    expect(matchSites([touwu, { id: 'taipei', lat: 25.03, lng: 121.56 }], areas).map((m) => m.siteId)).toEqual(['touwu']);
  });

  it('reports geocodes the table does not know', () => {
    const a = alert(fixture('taiwan-wra-zh-tw-geocode-only.cap'));
    expect(alertHazardAreas(a).unresolved).toEqual([
      { areaId: 'ddmt01@wra.gov.tw/WRA_ReservoirWarn_201405142010#i0a0', areaDesc: '苗栗縣頭屋鄉', geocodes: [{ valueName: 'Taiwan_Geocode_100', value: '1000512' }], reason: 'geocode-unknown' },
    ]);
  });

  it('resolves the Amber alert once (en-US chosen over es-US) through a MultiPolygon', () => {
    const a = alert(fixture('oasis-v1.2-A4-amber-two-languages.xml'));
    const { areas } = alertHazardAreas(a, { geocodes: resolver });
    expect(areas.map((x) => x.id)).toEqual(['KARO@CLETS.DOJ.CA.GOV/KAR0-0306112239-SW#i0a0']);
  });

  it('uses polygons as given even when geocodes are present', () => {
    const a = alert(fixture('oasis-v1.2-A2-thunderstorm-polygon.xml'));
    const { areas, unresolved } = alertHazardAreas(a);
    expect(unresolved).toEqual([]);
    expect(areas[0]!.parts).toHaveLength(1);
  });
});
