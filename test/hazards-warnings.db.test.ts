import { createHmac } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verifyWebhookSignature } from '../src/modules/hazards/advisories.delivery.js';
import { newId } from '../src/shared/ids.js';
import { hasReferenceData, referenceDataMissing, referencePath } from '../src/shared/reference-data.js';
import type { Client } from './build-test-app.js';
import { describeEachDialect } from './dialects.js';
import { buildHazardApp, etag, hazardSnapshot, localServer } from './hazards-helpers.js';

const SECRET = 'test-webhook-secret-0123456789';
const alertXml = readFileSync(path.resolve('test/fixtures/hazards/wenling-typhoon-alert.xml'), 'utf8');
const SENDER = 'test@zj-meteo.example.cn';

/** A variant of the fixture: another identifier, sent, msgType, references, expiry or polygon. */
function variant(p: { identifier: string; sent?: string; msgType?: string; references?: string; expires?: string; polygon?: string; headline?: string }): string {
  let x = alertXml.replace('<identifier>TEST-ZJ-TY-001</identifier>', `<identifier>${p.identifier}</identifier>`);
  if (p.sent) x = x.replace('<sent>2026-11-26T15:00:00+08:00</sent>', `<sent>${p.sent}</sent>`);
  if (p.msgType) x = x.replace('<msgType>Alert</msgType>', `<msgType>${p.msgType}</msgType>`);
  if (p.references) x = x.replace('<scope>Public</scope>', `<scope>Public</scope>\n  <references>${p.references}</references>`);
  if (p.expires) x = x.replaceAll('2026-11-28T08:00:00+08:00', p.expires);
  if (p.polygon) x = x.replaceAll('28.2,121.2 28.2,121.5 28.5,121.5 28.5,121.2 28.2,121.2', p.polygon);
  if (p.headline) x = x.replace('Typhoon orange warning for Wenling', p.headline);
  if (p.msgType === 'Cancel') x = x.replace(/<info>[\s\S]*<\/info>/, '');
  return x;
}

const xml = { 'content-type': 'application/cap+xml' };

describeEachDialect('hazard warnings: upload, chains, matching and advisories', (dialect) => {
  let t: Awaited<ReturnType<typeof buildHazardApp>>;
  let hook: Awaited<ReturnType<typeof localServer>>;
  let admin: Client, m1: Client, m2: Client, m3: Client, d1: Client, dealer: Client;
  let depot: string;

  const upload = (c: Client, body: string | Buffer, headers: Record<string, string> = xml) => c.request({ method: 'POST', url: '/api/v1/hazards/alerts', payload: body, headers });
  const advisoriesOf = async (c: Client, q = '') => (await c.get(`/api/v1/advisories?limit=200${q}`)).json().items as any[];

  beforeAll(async () => {
    hook = await localServer({ '/hook': { status: 204, body: '' } });
    t = await buildHazardApp(dialect, { OPENKAM_WEBHOOK_URL: `${hook.base}/hook`, OPENKAM_WEBHOOK_SECRET: SECRET });
    [admin, m1, m2, m3, d1, dealer] = (await Promise.all(['admin', 'm1', 'm2', 'm3', 'd1', 'dealer'].map((k) => t.login(k)))) as [Client, Client, Client, Client, Client, Client];
    // acc3's warehouse moves inland (Hangzhou): the warning polygon covers only acc1, acc2 and acc4.
    await t.db.kysely.updateTable('sites').set({ lat: 30.29, lng: 120.16 }).where('id', '=', t.world.records.acc3!.site).execute();
    // acc1 has a second site in Taizhou city, outside the warning area: the proposed move.
    depot = newId();
    await t.db.kysely.insertInto('sites').values({
      id: depot, account_id: t.world.accounts.acc1, name: 'Taizhou depot', kind: 'warehouse', address: null, city: '台州市', province: '浙江省',
      lat: 28.66, lng: 121.43, opening_hours: null, created_at: '2026-11-01T00:00:00.000Z', updated_at: '2026-11-01T00:00:00.000Z', version: 1,
    }).execute();
    const site1 = t.world.records.acc1!.site;
    const put = await m1.put(`/api/v1/sites/${site1}/risk`, { inventory: { amountMinor: 125_000_000, currency: 'CNY' }, floodProne: true }, { 'if-match': `"${site1}.0"` });
    expect(put.statusCode, put.body).toBe(200);
  });
  afterAll(async () => { await t?.close(); await hook?.close(); });

  it('refuses the dealer portal every hazard and advisory route (403)', async () => {
    const site = t.world.records.acc1!.site;
    for (const [method, url] of [
      ['GET', '/api/v1/hazards/alerts'], ['GET', '/api/v1/hazards/matches'], ['GET', '/api/v1/hazards/exposure'], ['GET', '/api/v1/advisories'],
      ['GET', `/api/v1/sites/${site}/risk`], ['GET', `/api/v1/accounts/${t.world.accounts.acc1}/risk`], ['GET', '/api/v1/notifications'],
      ['GET', '/api/v1/hazards/insurance-gaps'], ['GET', '/api/v1/hazards/tracks'], ['POST', '/api/v1/hazards/matching/run'],
    ] as const) {
      const res = await dealer.request({ method, url });
      expect(res.statusCode, `${method} ${url}`).toBe(403);
    }
    expect((await upload(dealer, alertXml)).statusCode).toBe(403);
  });

  it.skipIf(!hasReferenceData)(`stores each good real CAP fixture, deduplicating a second upload ${hasReferenceData ? '' : referenceDataMissing}`, async () => {
    const dir = referencePath('hazard', 'cap', 'fixtures');
    for (const f of readdirSync(dir).filter((n) => !n.startsWith('bad-')).sort()) {
      const body = readFileSync(path.join(dir, f));
      const res = await upload(admin, body, { 'content-type': 'application/xml' });
      expect(res.statusCode, `${f}: ${res.body.slice(0, 300)}`).toBe(201);
      const out = res.json();
      expect(out.stored.length, f).toBeGreaterThan(0);
      expect(out.file).toMatch(/^uploads\/cap\/.+\.xml$/);
      expect(readFileSync(path.join(t.dataDir, out.file)).equals(body), `${f} kept byte for byte`).toBe(true);
      if (f.startsWith('rfs-edxl-de')) expect(out.stored).toHaveLength(59);
      const again = await upload(admin, body, { 'content-type': 'application/xml' });
      expect(again.statusCode).toBe(200);
      expect(again.json()).toMatchObject({ stored: [], duplicates: out.stored.length, file: null });
    }
    // Real messages are years old: all inactive now, so nothing matched.
    expect((await admin.get('/api/v1/hazards/alerts?state=active')).json().items).toEqual([]);
    const taiwan = (await admin.get('/api/v1/hazards/alerts?limit=200')).json().items.find((a: any) => a.languages.includes('zh-tw') || a.languages.includes('zh-TW'));
    expect(taiwan).toBeDefined();
    const detail = (await admin.get(`/api/v1/hazards/alerts/${taiwan.id}`)).json();
    expect(detail.unresolvedAreas[0]).toMatchObject({ reason: 'geocode-unknown' });
  });

  it.skipIf(!hasReferenceData)('rejects each bad real CAP fixture that cannot be read safely with 422 and the reasons, storing nothing', async () => {
    const dir = referencePath('hazard', 'cap', 'fixtures');
    // The NOAA "errors" message is a real flood warning: it is read, with warnings (tested apart).
    for (const f of readdirSync(dir).filter((n) => n.startsWith('bad-') && n !== 'bad-noaa-polygon-syntax.cap')) {
      const before = await hazardSnapshot(t.db, t.dataDir);
      const res = await upload(m1, readFileSync(path.join(dir, f)), { 'content-type': 'application/xml' });
      expect(res.statusCode, f).toBe(422);
      expect(String(res.headers['content-type'])).toContain('application/problem+json');
      const body = res.json();
      expect(body).toMatchObject({ status: 422, code: 'cap_rejected' });
      expect(body.reasons.length, f).toBeGreaterThan(0);
      for (const r of body.reasons) expect(Object.keys(r).sort()).toEqual(['code', 'message', 'where']);
      if (f === 'bad-xxe-attack.cap') expect(body.reasons[0].code).toBe('doctype-forbidden');
      if (f === 'bad-missing-scope.cap') expect(body.reasons.map((r: any) => r.where).join(' ')).toContain('scope');
      expect(await hazardSnapshot(t.db, t.dataDir), f).toBe(before);
    }
  });

  it.skipIf(!hasReferenceData)('stores the real flood warning of the NOAA "errors" fixture, with what was repaired', async () => {
    const res = await upload(m1, readFileSync(referencePath('hazard', 'cap', 'fixtures', 'bad-noaa-polygon-syntax.cap')), { 'content-type': 'application/xml' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().stored).toEqual([expect.objectContaining({ headline: expect.stringContaining('Flood Warning'), needsReview: false })]);
    expect(res.json().warnings.map((w: any) => w.code)).toEqual(expect.arrayContaining(['cap-1-1', 'empty-references', 'empty-polygon']));
    const detail = (await m1.get(`/api/v1/hazards/alerts/${res.json().stored[0].id}`)).json();
    expect(detail.warnings.map((w: any) => w.code)).toContain('cap-1-1');
  });

  it('rejects malformed XML, an XXE attempt, a huge body and a wrong content type, and stays healthy', async () => {
    const before = await hazardSnapshot(t.db, t.dataDir);
    const malformed = await upload(m1, '<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>x</identifier>');
    expect(malformed.statusCode).toBe(422);
    expect(malformed.json().reasons[0].code).toBe('malformed-xml');
    const xxe = await upload(m1, `<?xml version="1.0"?><!DOCTYPE alert [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>${alertXml.replace('<?xml version="1.0" encoding="UTF-8"?>', '').replace('Wenling coast', '&xxe;')}`);
    expect(xxe.statusCode).toBe(422);
    expect(xxe.json().reasons[0].code).toBe('doctype-forbidden');
    expect(xxe.body).not.toContain('root:');
    const huge = await upload(m1, Buffer.alloc(6 * 1024 * 1024, 0x20));
    expect(huge.statusCode).toBe(413);
    expect(huge.json().code).toBe('body_too_large');
    const json = await m1.post('/api/v1/hazards/alerts', { not: 'xml' });
    expect(json.statusCode).toBe(415);
    expect(await hazardSnapshot(t.db, t.dataDir)).toBe(before);
    expect((await t.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  });

  let acc1Advisory: any;

  it('opens an advisory per matched site for the account owner only, notifies, signs the webhook and proposes a move', async () => {
    const res = await upload(m1, alertXml);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().matching).toMatchObject({ activeAlerts: 1, matches: 3, opened: 3 });
    expect(res.json().stored[0]).toMatchObject({ state: 'active', headline: 'Typhoon orange warning for Wenling' });

    const mine = await advisoriesOf(m1);
    expect(mine.map((a) => a.accountId).sort()).toEqual([t.world.accounts.acc1, t.world.accounts.acc2].sort());
    expect(await advisoriesOf(m3)).toEqual([]);
    expect((await advisoriesOf(m2)).map((a) => a.accountId)).toEqual([t.world.accounts.acc2]);
    expect((await advisoriesOf(d1)).length).toBe(2);
    expect((await advisoriesOf(admin)).length).toBe(3);

    acc1Advisory = mine.find((a) => a.accountId === t.world.accounts.acc1);
    expect(acc1Advisory).toMatchObject({
      status: 'open', hazardState: 'active', managerId: t.world.users.m1, inside: true, siteId: t.world.records.acc1!.site,
      valueAtRisk: { amountMinor: 125_000_000, currency: 'CNY' },
      proposal: { kind: 'same-account', siteId: depot, siteName: 'Taizhou depot' },
    });
    expect(acc1Advisory.proposal.distanceM).toBeGreaterThan(30_000);
    expect(acc1Advisory.proposal.distanceM).toBeLessThan(36_000);
    // acc4's site has no safe site of its own and no company site exists.
    expect((await advisoriesOf(admin)).find((a) => a.accountId === t.world.accounts.acc4).proposal.kind).toBe('none');

    // In-app notification: m1 for acc1 (the owner), m2 for acc2, m3 nothing.
    const n1 = (await m1.get('/api/v1/notifications')).json();
    expect(n1.items.map((n: any) => n.entityId)).toEqual([acc1Advisory.id]);
    expect(n1.unread).toBe(1);
    // The structured form, for the UI to word it in the user's language (m1 reads English: the alert's en-US headline).
    expect(n1.items[0].message).toEqual({
      kind: 'advisory_opened', advisoryId: acc1Advisory.id, headline: 'Typhoon orange warning for Wenling', siteName: acc1Advisory.siteName, accountName: acc1Advisory.accountName,
      accountNameEn: acc1Advisory.accountNameEn, hazardState: 'active', inside: true, distanceM: 0,
    });
    expect((await m2.get('/api/v1/notifications')).json().items).toHaveLength(1);
    expect((await m3.get('/api/v1/notifications')).json().items).toHaveLength(0);
    const read = await m1.post(`/api/v1/notifications/${n1.items[0].id}/read`);
    expect(read.json().readAt).toBe('2026-11-26T08:00:00.000Z');
    expect((await m1.get('/api/v1/notifications?unread=true')).json().items).toHaveLength(0);

    // One signed webhook per advisory; e-mail skipped without SMTP.
    expect(hook.received).toHaveLength(3);
    for (const r of hook.received) {
      expect(verifyWebhookSignature(SECRET, String(r.headers[SIGNATURE_HEADER]), String(r.headers[TIMESTAMP_HEADER]), r.body, Math.floor(Date.parse('2026-11-26T08:00:00Z') / 1000))).toBe(true);
      expect(verifyWebhookSignature(SECRET, String(r.headers[SIGNATURE_HEADER]), String(r.headers[TIMESTAMP_HEADER]), `${r.body} `, Math.floor(Date.parse('2026-11-26T08:00:00Z') / 1000))).toBe(false);
    }
    expect(JSON.parse(hook.received[0]!.body)).toMatchObject({ type: 'advisory.opened' });
    const one = (await m1.get(`/api/v1/advisories/${acc1Advisory.id}`)).json();
    expect(one.delivery).toEqual({ email: 'skipped: SMTP not configured', webhook: 'sent' });
    acc1Advisory = one;
  });

  it('reports value at risk per account, manager and team within the caller scope', async () => {
    const byAccount = (await m1.get('/api/v1/hazards/exposure?groupBy=account')).json();
    expect(byAccount.bufferM).toBe(5000);
    // acc2's site has no stock value: its value at risk is unknown (null, never 0), listed last.
    expect(byAccount.items).toEqual([
      expect.objectContaining({ key: t.world.accounts.acc1, amountMinor: 125_000_000, siteCount: 1, currency: 'CNY', sitesWithoutValue: 0 }),
      expect.objectContaining({ key: t.world.accounts.acc2, amountMinor: null, siteCount: 0, currency: null, sitesWithoutValue: 1 }),
    ]);
    expect(byAccount.sitesWithoutValue).toBe(1); // acc2's site
    const byManager = (await admin.get('/api/v1/hazards/exposure?groupBy=manager')).json();
    expect(byManager.items.map((i: any) => [i.key, i.amountMinor])).toEqual([[t.world.users.m1, 125_000_000], ['unassigned', null], [t.world.users.m2, null]]);
    expect(byManager.items[0]).toMatchObject({ label: 'User m1' });
    const byTeam = (await d1.get('/api/v1/hazards/exposure?groupBy=team')).json();
    expect(byTeam.items).toEqual([expect.objectContaining({ key: t.world.teams.team1, amountMinor: 125_000_000 })]);
    expect((await m3.get('/api/v1/hazards/exposure')).json()).toMatchObject({ items: [], totals: [] });
    expect((await m3.get('/api/v1/hazards/matches')).json()).toEqual([]);
    const matches = (await m1.get('/api/v1/hazards/matches')).json();
    expect(matches).toHaveLength(2);
    const site1 = await t.db.kysely.selectFrom('sites').select(['lat', 'lng']).where('id', '=', t.world.records.acc1!.site).executeTakeFirstOrThrow();
    expect(matches.find((m: any) => m.siteId === t.world.records.acc1!.site)).toMatchObject({ lat: site1.lat, lng: site1.lng });
  });

  it('shows the alert in the caller\'s language first, with its areas', async () => {
    const list = (await m1.get('/api/v1/hazards/alerts?state=active&lang=zh-CN')).json().items;
    expect(list[0].headline).toBe('温岭市台风橙色预警');
    // No <effective> in the fixture: it defaults to <sent>; no <onset>. Areas only on request.
    expect(list[0]).toMatchObject({ effective: '2026-11-26T07:00:00.000Z', onset: null });
    expect(list[0].areasGeoJson).toBeUndefined();
    const withAreas = (await m1.get('/api/v1/hazards/alerts?state=active&include=areas')).json().items;
    expect(withAreas).toHaveLength(1);
    expect(withAreas[0].areasGeoJson.features).toHaveLength(1);
    expect(withAreas[0].areasGeoJson.features[0].geometry.type).toBe('Polygon');
    expect(withAreas[0].matchedSites).toBe(2);
    expect((await m3.get('/api/v1/hazards/alerts?state=active&include=areas')).json().items[0].matchedSites).toBe(0);
    expect((await m1.get('/api/v1/hazards/alerts?include=areas&limit=5')).json().items[0].areasGeoJson.type).toBe('FeatureCollection');
    expect((await m1.get('/api/v1/hazards/alerts?include=everything')).statusCode).toBe(400);
    const d = (await m1.get(`/api/v1/hazards/alerts/${list[0].id}`)).json();
    expect(d.infos.map((i: any) => i.language)).toEqual(['en-US', 'zh-CN']); // m1's locale is en
    expect(d.areasGeoJson.features).toHaveLength(1);
    expect(d.matchedSites).toBe(2);
    const zh = (await m1.get(`/api/v1/hazards/alerts/${list[0].id}?lang=zh-CN`)).json();
    expect(zh.infos[0].language).toBe('zh-CN');
  });

  it('records contacting the dealer (If-Match, audited); an Update keeps the same advisories and marks them updated', async () => {
    const stale = await m1.post(`/api/v1/advisories/${acc1Advisory.id}/contact`, { channel: 'phone' }, { 'if-match': `"${acc1Advisory.id}.99"` });
    expect(stale.statusCode).toBe(412);
    expect((await m1.post(`/api/v1/advisories/${acc1Advisory.id}/contact`, { channel: 'phone' })).statusCode).toBe(428);
    expect((await m3.post(`/api/v1/advisories/${acc1Advisory.id}/contact`, { channel: 'phone' }, { 'if-match': `"${acc1Advisory.id}.1"` })).statusCode).toBe(404);
    const contacted = await m1.post(`/api/v1/advisories/${acc1Advisory.id}/contact`, { channel: 'wechat', at: '2026-11-26T07:50:00Z', notes: '王总 will check the warehouse' }, { 'if-match': etag({ headers: { etag: `"${acc1Advisory.id}.${acc1Advisory.version}"` } }) });
    expect(contacted.statusCode, contacted.body).toBe(200);
    expect(contacted.json()).toMatchObject({ status: 'contacted', contact: { at: '2026-11-26T07:50:00.000Z', channel: 'wechat' } });

    const update = variant({ identifier: 'TEST-ZJ-TY-002', sent: '2026-11-26T15:30:00+08:00', msgType: 'Update', references: `${SENDER},TEST-ZJ-TY-001,2026-11-26T15:00:00+08:00`, headline: 'Typhoon red warning for Wenling' });
    const res = await upload(m1, update);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().matching).toMatchObject({ activeAlerts: 1, opened: 0, updated: 3 });
    const all = await advisoriesOf(admin);
    expect(all).toHaveLength(3);
    for (const a of all) expect(a).toMatchObject({ hazardState: 'updated', alertId: res.json().stored[0].id });
    expect(all.find((a) => a.id === acc1Advisory.id).status).toBe('contacted');
    const states = (await admin.get('/api/v1/hazards/alerts?limit=10')).json().items.filter((a: any) => a.sender === SENDER);
    expect(states.map((a: any) => [a.identifier, a.state])).toEqual([['TEST-ZJ-TY-002', 'active'], ['TEST-ZJ-TY-001', 'superseded']]);
  });

  it('a Cancel ends the matches: open advisories close (hazard ended), a contacted one waits for its outcome', async () => {
    const cancel = variant({ identifier: 'TEST-ZJ-TY-003', sent: '2026-11-26T15:45:00+08:00', msgType: 'Cancel', references: `${SENDER},TEST-ZJ-TY-001,2026-11-26T15:00:00+08:00 ${SENDER},TEST-ZJ-TY-002,2026-11-26T15:30:00+08:00` });
    const res = await upload(m1, cancel);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().matching).toMatchObject({ activeAlerts: 0, matches: 0, ended: 3 });
    const all = await advisoriesOf(admin);
    for (const a of all) expect(a.hazardState).toBe('cancelled');
    expect(all.filter((a) => a.status === 'closed').map((a) => a.closedReason)).toEqual(['hazard-ended', 'hazard-ended']);
    expect(all.find((a) => a.id === acc1Advisory.id).status).toBe('contacted');
    expect((await m1.get('/api/v1/hazards/matches')).json()).toEqual([]);
    expect((await m1.get('/api/v1/hazards/alerts?state=active')).json().items).toEqual([]);
    const notes = (await m2.get('/api/v1/notifications')).json().items;
    expect(notes.map((n: any) => n.kind)).toContain('advisory_hazard_ended');
    expect(notes.find((n: any) => n.kind === 'advisory_hazard_ended').message).toMatchObject({ kind: 'advisory_hazard_ended', hazardState: 'cancelled', headline: expect.any(String), accountName: expect.any(String) });
    // m2 reads English: the current warning of the chain (the red Update), in its en-US words.
    expect(notes.find((n: any) => n.kind === 'advisory_updated').message).toMatchObject({ kind: 'advisory_updated', headline: 'Typhoon red warning for Wenling', hazardState: 'cancelled' });
  });

  it('records the decision and the outcome, refuses skipping a step, and totals the value-protected ledger', async () => {
    const cur = (await m1.get(`/api/v1/advisories/${acc1Advisory.id}`));
    const skip = await m1.post(`/api/v1/advisories/${acc1Advisory.id}/outcome`, { valueSavedMinor: 1, lossesMinor: 0, movingCostMinor: 0 }, { 'if-match': etag(cur) });
    expect(skip.statusCode).toBe(409);
    expect(skip.json().code).toBe('invalid_transition');
    const decided = await m1.post(`/api/v1/advisories/${acc1Advisory.id}/decision`, { decision: 'move_stock', actionTaken: 'Moved 800 t of cement to the Taizhou depot' }, { 'if-match': etag(cur) });
    expect(decided.statusCode, decided.body).toBe(200);
    expect(decided.json()).toMatchObject({ status: 'actioned', decision: { decision: 'move_stock', at: '2026-11-26T08:00:00.000Z' } });
    const closed = await m1.post(`/api/v1/advisories/${acc1Advisory.id}/outcome`, { valueSavedMinor: 120_000_000, lossesMinor: 5_000_000, movingCostMinor: 1_800_000, notes: 'Roof damage only' }, { 'if-match': etag(decided) });
    expect(closed.statusCode, closed.body).toBe(200);
    expect(closed.json()).toMatchObject({ status: 'closed', closedReason: 'outcome', outcome: { valueSaved: { amountMinor: 120_000_000, currency: 'CNY' }, movingCost: { amountMinor: 1_800_000 } } });

    const risk = (await m1.get(`/api/v1/accounts/${t.world.accounts.acc1}/risk`)).json();
    expect(risk.ledger.map((a: any) => a.id)).toEqual([acc1Advisory.id]);
    expect(risk.totals).toEqual([{ currency: 'CNY', valueSavedMinor: 120_000_000, lossesMinor: 5_000_000, movingCostMinor: 1_800_000, netProtectedMinor: 118_200_000, advisories: 1 }]);
    expect(risk.sites.map((s: any) => s.siteName).sort()).toEqual(['Taizhou depot', 'Warehouse of acc1']);
    expect((await m3.get(`/api/v1/accounts/${t.world.accounts.acc1}/risk`)).statusCode).toBe(404);

    const log = (await admin.get(`/api/v1/audit?entity=advisory&entityId=${acc1Advisory.id}`)).json().items;
    expect(log.map((e: any) => e.action)).toEqual(['outcome', 'decision', 'hazard_ended', 'hazard_update', 'contact', 'open']);
    expect(log[0]).toMatchObject({ actorId: t.world.users.m1, accountId: t.world.accounts.acc1 });
  });

  it('expiry drops the matches on the scheduled pass and closes untouched advisories', async () => {
    const short = variant({ identifier: 'TEST-ZJ-TY-010', sent: '2026-11-26T15:55:00+08:00', expires: '2026-11-26T16:30:00+08:00' });
    const res = await upload(m1, short);
    expect(res.json().matching).toMatchObject({ activeAlerts: 1, opened: 3 });
    expect((await m1.get('/api/v1/hazards/matches')).json()).toHaveLength(2);
    t.clock.set('2026-11-26T09:00:00.000Z');
    try {
      const run = await admin.post('/api/v1/hazards/matching/run');
      expect(run.json()).toMatchObject({ activeAlerts: 0, matches: 0, ended: 3 });
      expect((await m1.get('/api/v1/hazards/matches')).json()).toEqual([]);
      const fresh = (await advisoriesOf(admin)).filter((a) => a.alertId === res.json().stored[0].id);
      expect(fresh).toHaveLength(3);
      for (const a of fresh) expect(a).toMatchObject({ status: 'closed', hazardState: 'expired', closedReason: 'hazard-ended' });
      const again = await admin.post('/api/v1/hazards/matching/run');
      expect(again.json()).toMatchObject({ opened: 0, updated: 0, ended: 0 });
    } finally {
      t.clock.set('2026-11-26T08:00:00.000Z');
    }
  });
});

describeEachDialect('CAP feeds polled from a local server', (dialect) => {
  let t: Awaited<ReturnType<typeof buildHazardApp>>;
  let srv: Awaited<ReturnType<typeof localServer>>;
  let admin: Client, m1: Client;

  beforeAll(async () => {
    srv = await localServer({});
    const linked = variant({ identifier: 'FEED-LINKED-1', sent: '2026-11-26T15:10:00+08:00' });
    const embeddedAlert = variant({ identifier: 'FEED-EMBED-1', sent: '2026-11-26T15:20:00+08:00', polygon: '30.0,120.0 30.0,120.5 30.5,120.5 30.5,120.0 30.0,120.0' }).replace('<?xml version="1.0" encoding="UTF-8"?>', '');
    srv.routes['/atom'] = {
      type: 'application/atom+xml',
      body: `<?xml version="1.0" encoding="UTF-8"?><feed xmlns="http://www.w3.org/2005/Atom"><id>urn:test:feed</id><title>Test</title><updated>2026-11-26T07:20:00Z</updated>
        <entry><id>urn:test:linked-1</id><title>Linked</title><updated>2026-11-26T07:10:00Z</updated><link href="${srv.base}/cap/linked-1.xml"/></entry>
        <entry><id>urn:test:embed-1</id><title>Embedded</title><updated>2026-11-26T07:20:00Z</updated><content type="application/cap+xml">${embeddedAlert}</content></entry>
        <entry><id>urn:test:missing</id><title>Missing</title><updated>2026-11-26T07:00:00Z</updated><link href="${srv.base}/cap/missing.xml"/></entry>
      </feed>`,
    };
    srv.routes['/cap/linked-1.xml'] = { body: linked };
    srv.routes['/direct.xml'] = { body: variant({ identifier: 'FEED-DIRECT-1', sent: '2026-11-26T15:25:00+08:00' }) };
    // The local server stands for an internal feed, so it has to be allowed (test/hazards-feed-fetch.db.test.ts tests the refusals).
    t = await buildHazardApp(dialect, { OPENKAM_FEED_ALLOW_HOSTS: `127.0.0.1:${srv.port}` });
    [admin, m1] = (await Promise.all(['admin', 'm1'].map((k) => t.login(k)))) as [Client, Client];
  });
  afterAll(async () => { await t?.close(); await srv?.close(); });

  it('polls an Atom feed (links and embedded alerts) and a CAP document, deduplicating on the next poll', async () => {
    expect((await m1.post('/api/v1/hazards/feeds', { name: 'x', url: `${srv.base}/atom` })).statusCode).toBe(403);
    const atom = await admin.post('/api/v1/hazards/feeds', { name: 'Test Atom', url: `${srv.base}/atom` });
    expect(atom.statusCode, atom.body).toBe(201);
    const direct = await admin.post('/api/v1/hazards/feeds', { name: 'Direct CAP', url: `${srv.base}/direct.xml` });
    const broken = await admin.post('/api/v1/hazards/feeds', { name: 'Broken', url: `${srv.base}/nothing-here` });
    const poll = await admin.post('/api/v1/hazards/feeds/poll');
    expect(poll.statusCode, poll.body).toBe(200);
    const byId = Object.fromEntries(poll.json().feeds.map((f: any) => [f.feedId, f]));
    expect(byId[atom.json().id]).toMatchObject({ status: 'partial', newAlerts: 2 });
    expect(byId[atom.json().id]).toMatchObject({ errorCode: 'feed_entries_failed', error: `${srv.base}/cap/missing.xml: the linked document could not be fetched` });
    expect(byId[direct.json().id]).toMatchObject({ status: 'ok', newAlerts: 1 });
    expect(byId[broken.json().id]).toMatchObject({ status: 'failed', newAlerts: 0, error: 'The feed could not be fetched', errorCode: 'feed_fetch_failed' });
    const ids = (await m1.get('/api/v1/hazards/alerts?state=active')).json().items.map((a: any) => a.identifier).sort();
    expect(ids).toEqual(['FEED-DIRECT-1', 'FEED-EMBED-1', 'FEED-LINKED-1']);
    expect((await m1.get('/api/v1/advisories')).json().items.length).toBeGreaterThan(0);

    const requestsBefore = srv.received.length;
    const again = await admin.post(`/api/v1/hazards/feeds/${atom.json().id}/poll`);
    expect(again.json().feeds[0]).toMatchObject({ newAlerts: 0 });
    // Seen entries are not fetched again; the missing one is retried.
    expect(srv.received.slice(requestsBefore).map((r) => r.url).sort()).toEqual(['/atom', '/cap/missing.xml']);
    expect((await admin.get(`/api/v1/hazards/feeds/${atom.json().id}`)).json()).toMatchObject({ lastStatus: 'partial', lastNewAlerts: 0, lastPolledAt: '2026-11-26T08:00:00.000Z' });
  });
});

describe('webhook signature', () => {
  it('verifies only the exact body, secret and a fresh timestamp', () => {
    const body = '{"type":"advisory.opened"}';
    const sig = `sha256=${createHmac('sha256', SECRET).update(`1700000000.${body}`).digest('hex')}`;
    expect(verifyWebhookSignature(SECRET, sig, '1700000000', body, 1700000100)).toBe(true);
    expect(verifyWebhookSignature('another-secret-0123456789', sig, '1700000000', body, 1700000100)).toBe(false);
    expect(verifyWebhookSignature(SECRET, sig, '1700000000', body, 1700009999)).toBe(false);
  });
});
