/**
 * What the dealer portal and the advisory pages show about a warning, as their readers see it:
 * the dealer's own warning card (its sites, until when, what to do) and its account manager's
 * contact, never another company's site nor anything internal (values at risk, notes); the
 * warning's headline in the reader's language; a stock value nobody recorded is unknown, never 0.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { PortalCard } from '../src/platform/contributions.contract.js';
import type { Client } from './build-test-app.js';
import { describeEachDialect } from './dialects.js';
import { buildHazardApp } from './hazards-helpers.js';

const alertXml = readFileSync(path.resolve('test/fixtures/hazards/wenling-typhoon-alert.xml'), 'utf8')
  // The issuer's instruction, in both languages: the dealer reads it in its own.
  .replace('<headline>Typhoon orange warning for Wenling</headline>', '<headline>Typhoon orange warning for Wenling</headline><instruction>Secure doors and windows; move goods above ground level.</instruction>')
  .replace('<headline>温岭市台风橙色预警</headline>', '<headline>温岭市台风橙色预警</headline><instruction>加固门窗，货物垫高离地。</instruction>');

const cardsOf = async (c: Client) => {
  const res = await c.get('/api/v1/portal/cards');
  expect(res.statusCode, res.body).toBe(200);
  return { items: res.json().items as PortalCard[], body: res.body };
};

describeEachDialect('the dealer portal and the reader of a warning', (dialect) => {
  let t: Awaited<ReturnType<typeof buildHazardApp>>;
  let admin: Client, m1: Client, m2: Client, dealer: Client;
  const site = (k: string) => t.world.records[k]!.site;

  beforeAll(async () => {
    t = await buildHazardApp(dialect);
    [admin, m1, m2, dealer] = (await Promise.all(['admin', 'm1', 'm2', 'dealer'].map((k) => t.login(k)))) as [Client, Client, Client, Client];
    // acc3's warehouse is inland (Hangzhou); acc1, acc2 and acc4 sit inside the warning polygon.
    await t.db.kysely.updateTable('sites').set({ lat: 30.29, lng: 120.16 }).where('id', '=', site('acc3')).execute();
    // The dealer's own warehouse has a stock value: the portal must not show it.
    const put = await m1.put(`/api/v1/sites/${site('acc1')}/risk`, { inventory: { amountMinor: 987_654_300, currency: 'CNY' } }, { 'if-match': `"${site('acc1')}.0"` });
    expect(put.statusCode, put.body).toBe(200);
  });
  afterAll(async () => t?.close());

  it('shows the dealer its account manager: name and e-mail, the phone as not recorded until it is', async () => {
    const { items } = await cardsOf(dealer);
    const manager = items.find((c) => c.id === 'accounts:manager')!;
    expect(manager).toMatchObject({ params: { name: 'User m1' }, status: 'info' });
    expect(manager.lines.map((l) => [l.labelKey, l.value])).toEqual([
      ['portal.manager.name', { kind: 'text', key: 'portal.plain', params: { text: 'User m1' } }],
      ['portal.manager.phone', { kind: 'unknown', reasonKey: 'portal.manager.noPhone' }],
      ['portal.manager.email', { kind: 'text', key: 'portal.plain', params: { text: 'm1@test.local' } }],
    ]);

    const u = await admin.get(`/api/v1/users/${t.world.users.m1}`);
    expect(u.statusCode, u.body).toBe(200);
    expect(u.json().phone).toBeNull();
    const bad = await admin.patch(`/api/v1/users/${t.world.users.m1}`, { phone: 'call me' }, { 'if-match': String(u.headers.etag) });
    expect(bad.statusCode).toBe(400);
    const saved = await admin.patch(`/api/v1/users/${t.world.users.m1}`, { phone: '+86 138 0576 1234' }, { 'if-match': String(u.headers.etag) });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json().phone).toBe('+86 138 0576 1234');

    const after = (await cardsOf(dealer)).items.find((c) => c.id === 'accounts:manager')!;
    expect(after.lines.find((l) => l.labelKey === 'portal.manager.phone')).toEqual({
      labelKey: 'portal.manager.phone', value: { kind: 'text', key: 'portal.plain', params: { text: '+86 138 0576 1234' } }, href: 'tel:+8613805761234',
    });
    expect(after.lines.find((l) => l.labelKey === 'portal.manager.email')?.href).toBe('mailto:m1@test.local');
    // Staff have no portal: the same route gives them nothing.
    expect((await cardsOf(m1)).items).toEqual([]);
  });

  it('warns the dealer about a warning over its own warehouse, with what to do, and nothing else', async () => {
    expect((await cardsOf(dealer)).items.filter((c) => c.module === 'hazards')).toEqual([]);
    const up = await m1.request({ method: 'POST', url: '/api/v1/hazards/alerts', payload: alertXml, headers: { 'content-type': 'application/cap+xml' } });
    expect(up.statusCode, up.body).toBe(201);
    expect(up.json().matching).toMatchObject({ matches: 3, opened: 3 });
    // Internal notes on the dealer's own advisory: the portal never shows them.
    const adv = (await m1.get(`/api/v1/advisories?accountId=${t.world.accounts.acc1}`)).json().items[0];
    const noted = await m1.post(`/api/v1/advisories/${adv.id}/contact`, { channel: 'phone', notes: 'INTERNAL: credit on hold, margin 4%' }, { 'if-match': `"${adv.id}.${adv.version}"` });
    expect(noted.statusCode, noted.body).toBe(200);

    const { items, body } = await cardsOf(dealer);
    const warnings = items.filter((c) => c.module === 'hazards');
    expect(warnings).toHaveLength(1);
    const [card] = warnings as [PortalCard];
    // The dealer user reads English: the alert's English info.
    expect(card).toMatchObject({ titleKey: 'hazards.portal.title', params: { headline: 'Typhoon orange warning for Wenling' }, status: 'act' });
    expect(card.lines).toEqual([
      { labelKey: 'hazards.portal.siteInside', value: { kind: 'text', key: 'hazards.portal.site', params: { site: 'Warehouse of acc1', distance: 0 } } },
      { labelKey: 'hazards.portal.until', value: { kind: 'date', at: '2026-11-28T00:00:00.000Z' } },
      { labelKey: 'hazards.portal.whatToDo', value: { kind: 'text', key: 'hazards.portal.adviceInside' } },
      { labelKey: 'hazards.portal.officialAdvice', value: { kind: 'text', key: 'portal.plain', params: { text: 'Secure doors and windows; move goods above ground level.' } } },
    ]);
    // Never another company's site, never a value at risk, a note or a rating.
    for (const other of ['Warehouse of acc2', 'Warehouse of acc4', 'Warehouse of acc3']) expect(body).not.toContain(other);
    for (const internal of ['9876543', '987654300', 'INTERNAL', 'margin', 'valueAtRisk', 'amountMinor', 'inventory', 'tier', 'proposal']) expect(body).not.toContain(internal);

    // In Chinese for a reader who switched to Chinese.
    expect((await dealer.patch('/api/v1/auth/me', { locale: 'zh-CN' })).statusCode).toBe(200);
    const zh = (await cardsOf(dealer)).items.find((c) => c.module === 'hazards')!;
    expect(zh.params.headline).toBe('温岭市台风橙色预警');
    expect(zh.lines.at(-1)!.value).toEqual({ kind: 'text', key: 'portal.plain', params: { text: '加固门窗，货物垫高离地。' } });
    expect((await dealer.patch('/api/v1/auth/me', { locale: 'en' })).statusCode).toBe(200);
    // Warnings first: what to act on comes before whom to call (and the stock card, the dealer's way to report its stock).
    expect((await cardsOf(dealer)).items.map((c) => c.module)).toEqual(['hazards', 'accounts', 'stock']);
  });

  it("shows an advisory's warning in the reader's language, falling back to the other one", async () => {
    const en = (await m1.get('/api/v1/advisories')).json().items;
    expect(en.length).toBeGreaterThan(0);
    for (const a of en) expect(a.headline).toBe('Typhoon orange warning for Wenling');
    const zh = (await m1.get('/api/v1/advisories?lang=zh-CN')).json().items;
    for (const a of zh) expect(a.headline).toBe('温岭市台风橙色预警');
    const risk = (await m1.get(`/api/v1/accounts/${t.world.accounts.acc1}/risk?lang=zh-CN`)).json();
    expect(risk.advisories[0].headline).toBe('温岭市台风橙色预警');
    expect((await m1.get(`/api/v1/advisories/${en[0].id}`)).json().headline).toBe('Typhoon orange warning for Wenling');
    expect((await m1.get('/api/v1/hazards/matches?lang=zh-CN')).json()[0].headline).toBe('温岭市台风橙色预警');
    // A reader of a language the warning is not written in gets the best other one (English before the rest).
    expect((await m1.get('/api/v1/advisories?lang=fr')).json().items[0].headline).toBe('Typhoon orange warning for Wenling');
    // The account page and the day speak the reader's language too: the header's note, the timeline, the agenda.
    const acc1 = t.world.accounts.acc1;
    const facts = (await m1.get(`/api/v1/accounts/${acc1}/facts`)).json().items as { id: string; noteParams?: { headline?: string } }[];
    expect(facts.find((f) => f.id === 'hazards.warnings')!.noteParams!.headline).toBe('Typhoon orange warning for Wenling');
    const events = (await m1.get(`/api/v1/accounts/${acc1}/timeline?kind=advisory`)).json().items as { params: { headline: string } }[];
    expect(events.length).toBeGreaterThan(0);
    for (const e of events) expect(e.params.headline).toBe('Typhoon orange warning for Wenling');
    const day = (await m1.get('/api/v1/home/day')).json().items as { kind: string; params: { headline?: string } }[];
    expect(day.filter((i) => i.kind === 'advisory').length).toBeGreaterThan(0);
    for (const i of day.filter((x) => x.kind === 'advisory')) expect(i.params.headline).toBe('Typhoon orange warning for Wenling');
  });

  it('never counts an unrecorded stock value as zero: value at risk and insurance gaps say it is unknown', async () => {
    // acc2's warehouse is under the warning, its stock value not recorded.
    const risk = (await m2.get(`/api/v1/accounts/${t.world.accounts.acc2}/risk`)).json();
    expect(risk).toMatchObject({ valueAtRisk: [], sitesAtRisk: 1, sitesWithoutValue: 1 });
    expect(risk.sites[0]).toMatchObject({ inventory: null, insurance: { status: 'unknown', state: 'unknown' } });
    expect(risk.advisories[0].valueAtRisk).toBeNull();
    const facts = (await m2.get(`/api/v1/accounts/${t.world.accounts.acc2}/facts`)).json().items;
    expect(facts.find((f: any) => f.id === 'hazards.valueAtRisk').value).toEqual({ kind: 'unknown', reasonKey: 'hazards.facts.stockNotRecorded' });
    const own = (await m1.get(`/api/v1/accounts/${t.world.accounts.acc1}/risk`)).json();
    expect(own).toMatchObject({ valueAtRisk: [{ amountMinor: 987_654_300, currency: 'CNY', siteCount: 1 }], sitesAtRisk: 1, sitesWithoutValue: 0 });

    // Gaps: acc1 uninsured with stock is ranked; acc2 (nothing recorded) is listed apart, not ranked at 0.
    await m1.put(`/api/v1/sites/${site('acc1')}/risk`, { insurance: { status: 'none' } }, { 'if-match': `"${site('acc1')}.1"` });
    const gaps = (await m1.get('/api/v1/hazards/insurance-gaps')).json();
    expect(gaps.items.map((g: any) => [g.site.siteId, g.reason, g.uninsuredShare])).toEqual([[site('acc1'), 'uninsured', 1]]);
    expect(gaps.items[0].uncoveredValueMinor).toBe(987_654_300);
    expect(gaps.items[0].weightedValueMinor).toBe(Math.round(987_654_300 * gaps.items[0].exposureFactor));
    expect(gaps.items[0].exposure).toMatchObject({ flood: 1, coastalWithinM: 20_000 });
    expect(gaps.items[0].exposure.coast).toBe(gaps.items[0].exposureFactor);
    expect(gaps.uncovered).toEqual([{ amountMinor: 987_654_300, currency: 'CNY' }]);
    expect(gaps.unknown).toMatchObject({ total: 1, missingStock: 1, missingInsurance: 1 });
    expect(gaps.unknown.items[0]).toMatchObject({ site: { siteId: site('acc2'), insurance: { state: 'unknown' } }, reason: null, missing: ['stock', 'insurance'] });
    // Paged: the second page of the ranked list is empty, the unknown list pages on its own.
    expect((await m1.get('/api/v1/hazards/insurance-gaps?offset=1&limit=1')).json()).toMatchObject({ items: [], total: 1 });
    expect((await m1.get('/api/v1/hazards/insurance-gaps?unknownLimit=0')).json().unknown).toMatchObject({ items: [], total: 1 });
  });

  it('refuses a dealer every staff route to the same data', async () => {
    for (const url of ['/api/v1/advisories', `/api/v1/accounts/${t.world.accounts.acc1}/risk`, '/api/v1/hazards/insurance-gaps', '/api/v1/hazards/matches', `/api/v1/users/${t.world.users.m1}`]) {
      expect((await dealer.get(url)).statusCode, url).toBe(403);
    }
  });
});
