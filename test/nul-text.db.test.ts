import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { areaXml, capXml, infoXml } from '../src/modules/hazards/fixtures/cap-builder.js';
import { waitForJob } from '../src/modules/sales/sales.jobs.js';
import { buildTestApp, type Client, type TestApp } from './build-test-app.js';
import { describeEachDialect } from './dialects.js';
import { buildHazardApp, hazardSnapshot } from './hazards-helpers.js';
import { snapshot } from './snapshot.js';

// PostgreSQL cannot store U+0000 in text (SQLite can): without a check, the same request is a 500 on
// one database and a stored NUL on the other.
const NUL = '\u0000';

describeEachDialect('NUL characters in text fields', (dialect) => {
  let t: TestApp;
  let m1: Client;
  beforeAll(async () => {
    t = await buildTestApp(dialect);
    m1 = await t.login('m1');
  });
  afterAll(async () => t?.close());

  const etag = async (url: string) => (await m1.get(url)).headers.etag as string;

  type Res = { statusCode: number; headers: Record<string, unknown>; json(): any; body: string };
  const cases: [string, () => Promise<Res>, string][] = [
    ['a new contact\'s name', () => m1.post('/api/v1/contacts', { accountId: t.world.accounts.acc1, name: `Li${NUL}` }), 'body.name'],
    ['an account rename', async () => m1.patch(`/api/v1/accounts/${t.world.accounts.acc1}`, { name: `A${NUL}B` }, { 'if-match': await etag(`/api/v1/accounts/${t.world.accounts.acc1}`) }), 'body.name'],
    ['a field two objects deep', async () => m1.put(`/api/v1/sites/${t.world.records.acc1!.site}/risk`, { insurance: { status: 'insured', insurer: `PICC${NUL}` } }, { 'if-match': await etag(`/api/v1/sites/${t.world.records.acc1!.site}/risk`) }), 'body.insurance.insurer'],
    ['a route\'s base label', () => m1.post('/api/v1/visit-routes', { name: 'Monday', weekday: 1, base: { label: `Depot${NUL}`, lat: 28.6, lng: 121.4 } }), 'body.base.label'],
    ['a calendar feed\'s name', () => m1.post('/api/v1/calendar/feeds', { name: `${NUL}` }), 'body.name'],
    ['an accounts search', () => m1.get(`/api/v1/accounts?q=${encodeURIComponent(`acc${NUL}`)}`), 'querystring.q'],
    ['a sites search', () => m1.get(`/api/v1/sites?q=${encodeURIComponent(NUL)}`), 'querystring.q'],
    ['a path parameter', () => m1.get(`/api/v1/calendar/feeds/${encodeURIComponent(`x${NUL}y`)}.ics`), 'params.token'],
    ['a sign-in', () => t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: `m1@test.local${NUL}`, password: 'whatever-1' } }), 'body.email'],
  ];

  for (const [what, send, path] of cases) {
    it(`refuses a NUL in ${what} with 400 naming ${path}, and writes nothing`, async () => {
      const before = await snapshot(t.db);
      const res = await send();
      expect(res.statusCode, res.body).toBe(400);
      expect(String(res.headers['content-type'])).toContain('application/problem+json');
      expect(res.json()).toMatchObject({ status: 400, code: 'validation_failed', errors: [{ path, message: expect.stringMatching(/NUL/) }] });
      expect(await snapshot(t.db)).toBe(before);
    });
  }

  it('names a NUL in an array element by its index', async () => {
    const res = await m1.post('/api/v1/hazards/site-risk/import', { items: [{ siteId: t.world.records.acc1!.site, floodProne: true }, { siteId: `x${NUL}` }] });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([{ path: 'body.items.1.siteId', message: expect.stringMatching(/NUL/) }]);
  });

  it('still takes text with other control characters and non-Latin scripts', async () => {
    const res = await m1.post('/api/v1/contacts', { accountId: t.world.accounts.acc1, name: '王总\t(老板)', notes: 'line one\nline two' });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ name: '王总\t(老板)', notes: 'line one\nline two' });
  });
});

describeEachDialect('NUL characters in uploaded files', (dialect) => {
  let t: Awaited<ReturnType<typeof buildHazardApp>>;
  let admin: Client;
  beforeAll(async () => {
    t = await buildHazardApp(dialect);
    admin = await t.login('admin');
  });
  afterAll(async () => t?.close());

  const upload = (url: string, payload: string | Buffer, type: string) => admin.request({ method: 'POST', url, payload, headers: { 'content-type': type } });

  async function importFile(kind: 'sales' | 'accounts' | 'products', csv: string) {
    const up = await upload(`/api/v1/imports/${kind}?fileName=nul.csv`, csv, 'text/csv');
    expect(up.statusCode, up.body).toBe(201);
    const id = up.json().job.id as string;
    expect((await admin.post(`/api/v1/imports/${id}/run`, {})).statusCode).toBe(202);
    await waitForJob(id);
    const job = (await admin.get(`/api/v1/imports/${id}`)).json();
    const errors = job.errorsUrl ? (await admin.get(job.errorsUrl)).body.replace(/^\uFEFF/, '').trim().split(/\r?\n/).slice(1) : [];
    return { job, errors };
  }

  it('reports a NUL in a sales line\'s document number or account code as a bad line, and imports nothing', async () => {
    const before = await snapshot(t.db);
    const { job, errors } = await importFile('sales', 'date,account,sku,quantity,net amount,currency,document,line\n'
      + '2026-09-01,ACC1,PO425-B50,10,5.00,CNY,INV-1,1\n2026-09-02,ACC1,PO425-B50,10,5.00,CNY,INV\u00002,1\n2026-09-03,AC\u0000C1,PO425-B50,1,5.00,CNY,INV-3,1\n');
    expect(job).toMatchObject({ status: 'failed', inserted: 0, errorCount: 2 });
    // The bad values are shown with their NUL written out.
    expect(errors).toEqual(['3,document,INV\\u00002,contains the NUL character (U+0000)', '4,account,AC\\u0000C1,unknown account code']);
    expect(await snapshot(t.db)).toBe(before);
  });

  it('reports a NUL in an account or product name as a bad line, and imports nothing', async () => {
    const before = await snapshot(t.db);
    const accounts = await importFile('accounts', 'code,name,kind\nNUL1,Good name,dealer\nNUL2,Bad\u0000name,dealer\n');
    expect(accounts.job).toMatchObject({ status: 'failed', inserted: 0, errorCount: 1 });
    expect(accounts.errors).toEqual(['3,name,Bad\\u0000name,contains the NUL character (U+0000)']);
    const products = await importFile('products', 'sku,name zh,name en,unit,category\nNUL-1,水泥,Cement,bag,ce\u0000ment\n');
    expect(products.job).toMatchObject({ status: 'failed', inserted: 0, errorCount: 1 });
    expect(products.errors).toEqual(['2,category,ce\\u0000ment,contains the NUL character (U+0000)']);
    expect(await snapshot(t.db)).toBe(before);
  });

  it('rejects a CAP message with a NUL in its text as malformed XML (422), storing nothing', async () => {
    const before = await hazardSnapshot(t.db, t.dataDir);
    const xml = capXml({ identifier: 'NUL-1', info: infoXml({ area: areaXml('<polygon>28,121 28,122 29,122 28,121</polygon>', 'Wenling\u0000 coast') }) });
    const res = await upload('/api/v1/hazards/alerts', xml, 'application/cap+xml');
    expect(res.statusCode, res.body).toBe(422);
    expect(res.json().reasons).toEqual([expect.objectContaining({ code: 'malformed-xml', message: expect.stringMatching(/NUL/), where: expect.stringMatching(/^line \d+, column \d+$/) })]);
    expect(await hazardSnapshot(t.db, t.dataDir)).toBe(before);
  });

  it('rejects a typhoon track with a NUL in a storm name, raw in a CSV or escaped in GeoJSON (422), storing nothing', async () => {
    const before = await hazardSnapshot(t.db, t.dataDir);
    const csv = readFileSync(new URL('../src/modules/hazards/fixtures/ibtracs-sample.csv', import.meta.url), 'utf8').replaceAll('LEKIMA', 'LEK\u0000IMA');
    const geojson = JSON.stringify({ type: 'FeatureCollection', features: [
      { type: 'Feature', geometry: { type: 'LineString', coordinates: [[122, 27.6], [121.5, 28.2]] }, properties: { storm: 'LEK\u0000IMA' } },
      { type: 'Feature', geometry: { type: 'Point', coordinates: [122, 27.6] }, properties: { time: '2019-08-09T12:00:00Z', vmax_kt: 90 } },
    ] });
    for (const [body, type] of [[csv, 'text/csv'], [geojson, 'application/geo+json']] as const) {
      const res = await upload('/api/v1/hazards/tracks', body, type);
      expect(res.statusCode, res.body).toBe(422);
      expect(res.json()).toMatchObject({ code: 'track_rejected', reasons: [{ code: 'track-format', message: expect.stringMatching(/NUL/) }] });
    }
    expect(await hazardSnapshot(t.db, t.dataDir)).toBe(before);
  });

  it('rejects geocode polygons with a NUL in a property (422), storing nothing', async () => {
    const before = await hazardSnapshot(t.db, t.dataDir);
    const fc = { type: 'FeatureCollection', features: [{ type: 'Feature', geometry: { type: 'Polygon', coordinates: [[[121, 28], [122, 28], [122, 29], [121, 28]]] }, properties: { valueName: 'GB/T 2260', value: '331081\u0000' } }] };
    const res = await upload('/api/v1/hazards/geocodes', JSON.stringify(fc), 'application/geo+json');
    expect(res.statusCode, res.body).toBe(422);
    expect(res.json()).toMatchObject({ code: 'invalid_geojson', detail: expect.stringMatching(/features\.0\.properties\.value.*NUL/) });
    expect(await hazardSnapshot(t.db, t.dataDir)).toBe(before);
  });
});
