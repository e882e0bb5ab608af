/**
 * Warnings the parser repaired or could only partly read are stored, shown and matched, never
 * lost: a refused alert does not take its neighbours with it, an alert with no usable area is
 * flagged for a person and matched by its geocodes, and a repaired polygon is what is matched.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { hasReferenceData, referenceDataMissing, referencePath } from '../src/shared/reference-data.js';
import type { Client } from './build-test-app.js';
import { describeEachDialect } from './dialects.js';
import { buildHazardApp } from './hazards-helpers.js';

const alertXml = readFileSync(path.resolve('test/fixtures/hazards/wenling-typhoon-alert.xml'), 'utf8');
const POLYGON = '28.2,121.2 28.2,121.5 28.5,121.5 28.5,121.2 28.2,121.2';

/** The Wenling typhoon alert under another identifier, with its polygon replaced and extra area content. */
function variant(identifier: string, polygon: string, extra = ''): string {
  return alertXml
    .replace('<identifier>TEST-ZJ-TY-001</identifier>', `<identifier>${identifier}</identifier>`)
    .replaceAll(`<polygon>${POLYGON}</polygon>`, `<polygon>${polygon}</polygon>${extra}`);
}

const bare = (xml: string) => xml.replace(/^<\?xml[^>]*>\s*/, '');
const capHeaders = { 'content-type': 'application/xml' };

describeEachDialect('hazard warnings kept though not valid as written', (dialect) => {
  let t: Awaited<ReturnType<typeof buildHazardApp>>;
  let admin: Client;
  const upload = (body: string | Buffer) => admin.request({ method: 'POST', url: '/api/v1/hazards/alerts', payload: body, headers: capHeaders });
  const matchesOf = async (alertId: string) => ((await admin.get('/api/v1/hazards/matches?limit=500')).json() as { alertId: string; siteId: string; inside: boolean }[]).filter((m) => m.alertId === alertId);

  beforeAll(async () => {
    t = await buildHazardApp(dialect);
    admin = await t.login('admin');
  });
  afterAll(async () => { await t?.close(); });

  it('stores the readable alerts of a document and names the one it refused', async () => {
    const good = bare(variant('KEPT-1', '30.0,120.0 30.0,120.1 30.1,120.1 30.0,120.0'));
    const refused = bare(variant('KEPT-2', POLYGON)).replace('<identifier>KEPT-2</identifier>', '');
    const res = await upload(`<alerts>${good}${refused}</alerts>`);
    expect(res.statusCode, res.body).toBe(201);
    const out = res.json();
    expect(out.stored.map((s: { identifier: string }) => s.identifier)).toEqual(['KEPT-1']);
    expect(out.rejected).toEqual([{
      where: '/alerts/alert[1]',
      reasons: [{ code: 'missing-element', message: 'required <identifier> is missing', where: '/alerts/alert[1]/identifier' }],
    }]);
    expect(out.warnings.map((w: { code: string }) => w.code)).toEqual(['multi-alert-wrapper']);
  });

  it('refuses a document none of whose alerts can be read, storing nothing', async () => {
    const refused = bare(variant('KEPT-3', POLYGON)).replace('<sent>2026-11-26T15:00:00+08:00</sent>', '<sent>tomorrow</sent>');
    const res = await upload(`<alerts>${refused}</alerts>`);
    expect(res.statusCode).toBe(422);
    expect(res.json().reasons).toEqual([expect.objectContaining({ code: 'invalid-time', where: '/alerts/alert[0]/sent' })]);
    expect((await admin.get('/api/v1/hazards/alerts?limit=200')).json().items.map((a: { identifier: string }) => a.identifier)).not.toContain('KEPT-3');
  });

  it('keeps an alert whose only polygon cannot be used, flags it for review, and matches its sites by geocode', async () => {
    const box = [[121.2, 28.2], [121.5, 28.2], [121.5, 28.5], [121.2, 28.5], [121.2, 28.2]];
    const geo = await admin.request({
      method: 'POST', url: '/api/v1/hazards/geocodes', headers: { 'content-type': 'application/geo+json' },
      payload: JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { valueName: 'GB2260', value: '331081', name: '温岭市' }, geometry: { type: 'Polygon', coordinates: [box] } }] }),
    });
    expect(geo.statusCode, geo.body).toBe(200);
    const geocode = '<geocode><valueName>GB2260</valueName><value>331081</value></geocode>';
    const res = await upload(variant('NO-AREA-1', '28.2,121.2 28.2,121.5 here 28.2,121.2', geocode));
    expect(res.statusCode, res.body).toBe(201);
    const out = res.json();
    expect(out.warnings.map((w: { code: string }) => w.code)).toEqual(['polygon-syntax', 'polygon-syntax', 'no-usable-area']);
    const id = out.stored[0].id;
    expect(out.stored[0].needsReview).toBe(true);

    const listed = (await admin.get('/api/v1/hazards/alerts?state=active')).json().items.find((a: { id: string }) => a.id === id);
    expect(listed).toMatchObject({ needsReview: true, state: 'active' });
    const detail = (await admin.get(`/api/v1/hazards/alerts/${id}`)).json();
    expect(detail.warnings).toContainEqual(expect.objectContaining({ code: 'no-usable-area', where: '/alert' }));
    expect(detail.areasGeoJson.features).toHaveLength(1);
    // Every site of the test world is in Wenling (28.37 N 121.36 E), inside the geocode's polygon.
    const matched = await matchesOf(id);
    expect(matched.map((m) => m.siteId).sort()).toEqual(Object.values(t.world.records).map((r) => r.site).sort());
    expect(matched.every((m) => m.inside)).toBe(true);
    // An alert read without trouble is not flagged.
    const plain = (await admin.get('/api/v1/hazards/alerts?limit=200')).json().items.find((a: { identifier: string }) => a.identifier === 'KEPT-1');
    expect(plain.needsReview).toBe(false);
  });

  it('matches sites against a repaired polygon: a figure eight whose west lobe holds Wenling', async () => {
    // Lobes 121.3–121.4 E and 121.4–121.5 E, meeting at 28.4 N 121.4 E; the sites at 121.36 E are
    // in the west lobe, about 1 km from its edge.
    const res = await upload(variant('EIGHT-1', '28.3,121.3 28.4,121.4 28.3,121.5 28.5,121.5 28.4,121.4 28.5,121.3 28.3,121.3'));
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().warnings.map((w: { code: string }) => w.code)).toEqual(['polygon-repaired', 'polygon-repaired']);
    const id = res.json().stored[0].id;
    expect(res.json().stored[0].needsReview).toBe(false);
    const matched = await matchesOf(id);
    expect(matched).toHaveLength(Object.keys(t.world.records).length);
    expect(matched.every((m) => m.inside)).toBe(true);
    const detail = (await admin.get(`/api/v1/hazards/alerts/${id}?lang=en`)).json();
    expect(detail.areasGeoJson.features[0].geometry.type).toBe('MultiPolygon');
  });

  it.skipIf(!hasReferenceData)(`stores all 59 alerts of the NSW RFS envelope ${hasReferenceData ? '' : referenceDataMissing}`, async () => {
    const res = await upload(readFileSync(referencePath('hazard', 'cap', 'fixtures', 'rfs-edxl-de-59-alerts.edxlde')));
    expect(res.statusCode, res.body.slice(0, 300)).toBe(201);
    expect(res.json().stored).toHaveLength(59);
    expect(res.json().rejected).toEqual([]);
    expect(res.json().warnings.filter((w: { code: string }) => w.code === 'polygon-repaired')).toHaveLength(2);
  });
});
