import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { hasReferenceData, referencePath } from '../../shared/reference-data.js';
import { run } from './hazards.cli.js';
import { areaXml, capXml, infoXml } from './fixtures/cap-builder.js';

function capture(): { text: () => string } {
  let buf = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    buf += String(chunk);
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  return { text: () => buf };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe.skipIf(!hasReferenceData)('hazards CLI', () => {
  const fixtures = referencePath('hazard', 'cap', 'fixtures');

  it('cap:parse prints the parsed alert', async () => {
    const out = capture();
    expect(await run('cap:parse', [path.join(fixtures, 'noaa-hurricane-laura-update-8refs.cap')])).toBe(0);
    const json = JSON.parse(out.text());
    expect(json.ok).toBe(true);
    expect(json.alert.references).toHaveLength(8);
  });

  it('cap:parse prints the reasons and exits 2 when rejected', async () => {
    const out = capture();
    expect(await run('cap:parse', [path.join(fixtures, 'bad-xxe-attack.cap')])).toBe(2);
    expect(JSON.parse(out.text()).reasons[0].code).toBe('doctype-forbidden');
  });

  it('cap:parse exits 0 with warnings: the RFS envelope keeps all 59 alerts, 2 polygons repaired', async () => {
    const out = capture();
    expect(await run('cap:parse', [path.join(fixtures, 'rfs-edxl-de-59-alerts.edxlde')])).toBe(0);
    const json = JSON.parse(out.text());
    expect(json.alerts.filter((a: { ok: boolean }) => a.ok)).toHaveLength(59);
    expect(json.alerts.flatMap((a: { warnings: { code: string }[] }) => a.warnings.map((w) => w.code)).filter((c: string) => c === 'polygon-repaired')).toHaveLength(2);
  });

  it('cap:parse exits 0 when any alert is usable, and 2 only when none is', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'hazards-cli-'));
    const good = capXml({ identifier: 'GOOD' }).replace(/^<\?xml[^>]*>/, '');
    const bad = capXml({ identifier: null }).replace(/^<\?xml[^>]*>/, '');
    const mixed = path.join(dir, 'mixed.xml');
    const none = path.join(dir, 'none.xml');
    writeFileSync(mixed, `<alerts>${good}${bad}</alerts>`);
    writeFileSync(none, `<alerts>${bad}${bad}</alerts>`);
    let out = capture();
    expect(await run('cap:parse', [mixed])).toBe(0);
    expect(JSON.parse(out.text()).alerts.map((a: { ok: boolean }) => a.ok)).toEqual([true, false]);
    vi.restoreAllMocks();
    out = capture();
    expect(await run('cap:parse', [none])).toBe(2);
    expect(JSON.parse(out.text()).alerts[0].reasons[0]).toMatchObject({ code: 'missing-element', where: '/alerts/alert[0]/identifier' });
  });

  it('hazard:match matches an alert with no usable geometry by its geocodes', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'hazards-cli-'));
    const alertFile = path.join(dir, 'alert.xml');
    const area = areaXml('<polygon></polygon><geocode><valueName>SAME</valueName><value>006037</value></geocode>', 'Los Angeles County');
    writeFileSync(alertFile, capXml({ info: infoXml({ area }) }));
    const sites = path.join(dir, 'sites.csv');
    writeFileSync(sites, 'id,lat,lng\nla,34.05,-118.25\nsf,37.77,-122.42\n');
    const geocodes = fileURLToPath(new URL('./fixtures/geocodes-sample.geojson', import.meta.url));
    const out = capture();
    expect(await run('hazard:match', [alertFile, sites, '--geocodes', geocodes])).toBe(0);
    const json = JSON.parse(out.text());
    expect(json.sites.map((s: { siteId: string }) => s.siteId)).toEqual(['la']);
    expect(json.unresolved).toEqual([]);
  });

  it('track:swath prints a GeoJSON FeatureCollection', async () => {
    const out = capture();
    expect(await run('track:swath', [referencePath('hazard', 'tracks', 'jtwc_lekima_2019_10W.csv'), '--kt', '50'])).toBe(0);
    const json = JSON.parse(out.text());
    expect(json.features[0].geometry.type).toBe('MultiPolygon');
    expect(json.features[0].properties.thresholdKt).toBe(50);
  });

  it('track:swath refuses a threshold that is not 34, 50 or 64', async () => {
    capture();
    expect(await run('track:swath', [referencePath('hazard', 'tracks', 'jtwc_lekima_2019_10W.csv'), '--kt', '40'])).toBe(2);
  });

  it('hazard:match matches sites against a folder of CAP files at a moment', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'hazards-cli-'));
    const sites = path.join(dir, 'sites.csv');
    // 38.48 N 119.93 W is inside the A.2 thunderstorm polygon; 38.45 N 120.2 W is ~5 km west of it.
    writeFileSync(sites, 'id,lat,lng,value\ninside,38.48,-119.93,1500\nnear,38.45,-120.2,700\nfar,30.67,104.07,9\n');
    const out = capture();
    expect(await run('hazard:match', [fixtures, sites, '--at', '2003-06-17T15:00:00-07:00', '--buffer-m', '10000'])).toBe(0);
    const json = JSON.parse(out.text());
    expect(json.sites.map((s: { siteId: string }) => s.siteId)).toEqual(['inside', 'near']);
    expect(json.sites[0].matches[0].areaId).toBe('KSTO@NWS.NOAA.GOV/KSTO1055887203#i0a0');
    expect(json.valueAtRisk).toEqual([{ key: 'all', currency: 'CNY', amountMinor: 2200, siteCount: 2 }]);
    expect(json.rejected.map((r: { file: string }) => path.basename(r.file))).toContain('bad-xxe-attack.cap');
  });

  it('hazard:match takes a track file as the swath of --kt', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'hazards-cli-'));
    const sites = path.join(dir, 'sites.csv');
    writeFileSync(sites, 'id,lat,lng\nwenling,28.37524,121.38416\nshanghai,31.22222,121.45806\n');
    const out = capture();
    expect(await run('hazard:match', [referencePath('hazard', 'tracks', 'jtwc_lekima_2019_10W.geojson'), sites, '--kt', '64'])).toBe(0);
    expect(JSON.parse(out.text()).sites.map((s: { siteId: string }) => s.siteId)).toEqual(['wenling']);
  });
});
