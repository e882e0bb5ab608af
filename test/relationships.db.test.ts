/**
 * The stakeholder map as staff keep it: people mapped on top of the contacts module, reporting
 * lines without loops, ties across accounts shown only to those who see both ends, freshness and
 * gaps; scoped by account, audited; and none of it reaches the dealer portal, on any route.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routesOf } from '../src/server/app.js';
import { allows, type Permission } from '../src/server/policy.js';
import { buildTestApp, type Client, type TestApp } from './build-test-app.js';
import { describeEachDialect } from './dialects.js';

// Text only the stakeholder map holds: if any of it shows up in a dealer's answer, it leaked.
const TIE_NOTE = 'Brothers-in-law; Zhou Senior settles disputes between them (RELMAP-7Q)';
const STORE_LABEL = 'Zhou Mart Wuhan opening (KEYDATE-9X)';
const INTERNAL_FIELDS = ['"buyingRole"', '"stance"', '"reportsToContactId"', '"freshnessDays"', '"lastContactOn"', '"strength"', 'RELMAP-7Q'];
const KEY_DATE_FIELDS = ['"firstYear"', '"leadDays"', 'KEYDATE-9X'];
const GIFT_FIELDS = ['"personYearTotalMinor"', 'GIFT-3K'];
const GAP_CODES = ['decision_maker_not_contacted', 'no_champion', 'single_point_of_contact'];

describeEachDialect('the stakeholder map', (dialect) => {
  let t: TestApp;
  let admin: Client, m1: Client, m3: Client, exec: Client, dealer: Client;
  let zhou: string, li: string, other: string, acc1: string;

  beforeAll(async () => {
    t = await buildTestApp(dialect);
    [admin, m1, m3, exec, dealer] = (await Promise.all(['admin', 'm1', 'm3', 'exec', 'dealer'].map((k) => t.login(k)))) as [Client, Client, Client, Client, Client];
    acc1 = t.world.accounts.acc1;
    zhou = t.world.records.acc1!.contact; // seeded as the decision maker, influence 5
    other = t.world.records.acc3!.contact;
    const res = await m1.post('/api/v1/contacts', { accountId: acc1, name: 'Li Na', title: 'Purchasing', decisionRole: 'buyer', influence: 3 });
    expect(res.statusCode, res.body).toBe(201);
    li = res.json().id;
  });
  afterAll(async () => t?.close());

  const mapOf = async (c: Client, accountId = acc1) => {
    const res = await c.get(`/api/v1/accounts/${accountId}/stakeholder-map`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };

  it('starts from the contacts module: roles read from each contact, nothing mapped, the gaps as they stand', async () => {
    const map = await mapOf(m1);
    expect(map.asOf).toBe('2026-11-26');
    expect(map.people.map((p: { name: string; buyingRole: string; stance: string; mapped: boolean; version: number; influence: number }) => [p.name, p.buyingRole, p.stance, p.mapped, p.version, p.influence])).toEqual([
      ['Contact of acc1', 'decision_maker', 'neutral', false, 0, 5],
      ['Li Na', 'buyer', 'neutral', false, 0, 3],
    ]);
    expect(map.gaps).toEqual([{ code: 'decision_maker_not_contacted', contactId: zhou, days: null }, { code: 'no_champion', contactId: null, days: null }]);
  });

  it('maps a person, with a reporting line, our owner and strength; a stale version is refused', async () => {
    const set = await m1.put(`/api/v1/stakeholders/${zhou}`, { buyingRole: 'decision_maker', stance: 'champion', ownerUserId: t.world.users.m1, strength: 4, version: 0 });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json()).toMatchObject({ contactId: zhou, buyingRole: 'decision_maker', stance: 'champion', owner: { id: t.world.users.m1, name: 'User m1' }, strength: 4, mapped: true, version: 1 });
    expect((await m1.put(`/api/v1/stakeholders/${zhou}`, { buyingRole: 'decision_maker', stance: 'supporter', version: 0 })).statusCode).toBe(412);
    const liSet = await m1.put(`/api/v1/stakeholders/${li}`, { buyingRole: 'buyer', stance: 'supporter', reportsToContactId: zhou, version: 0 });
    expect(liSet.statusCode, liSet.body).toBe(200);
    // Zhou reporting to Li would be a loop; a dealer user cannot own a relationship; a boss from another account is refused
    const loop = await m1.put(`/api/v1/stakeholders/${zhou}`, { buyingRole: 'decision_maker', stance: 'champion', reportsToContactId: li, version: 1 });
    expect(loop.statusCode).toBe(400);
    expect(loop.json().errors).toEqual([{ path: 'body.reportsToContactId', message: 'reports (indirectly) to this person' }]);
    expect((await m1.put(`/api/v1/stakeholders/${li}`, { buyingRole: 'buyer', stance: 'supporter', ownerUserId: t.world.users.dealer, version: 1 })).statusCode).toBe(400);
    expect((await admin.put(`/api/v1/stakeholders/${li}`, { buyingRole: 'buyer', stance: 'supporter', reportsToContactId: other, version: 1 })).statusCode).toBe(400);
    const audit = await t.db.kysely.selectFrom('audit_log').select(['action', 'entity_id', 'account_id']).where('entity', '=', 'stakeholder').orderBy('at').execute();
    expect(audit).toEqual([
      { action: 'stakeholder.set', entity_id: zhou, account_id: acc1 },
      { action: 'stakeholder.set', entity_id: li, account_id: acc1 },
    ]);
  });

  it('records contact, which only moves forward and never into the future, and counts freshness from it', async () => {
    expect((await m1.post(`/api/v1/stakeholders/${li}/contacted`, { on: '2026-11-20' })).json()).toMatchObject({ lastContactOn: '2026-11-20', freshnessDays: 6 });
    expect((await m1.post(`/api/v1/stakeholders/${li}/contacted`, { on: '2026-10-01' })).json()).toMatchObject({ lastContactOn: '2026-11-20' });
    expect((await m1.post(`/api/v1/stakeholders/${li}/contacted`, { on: '2026-11-27' })).statusCode).toBe(400);
    const z = await m1.post(`/api/v1/stakeholders/${zhou}/contacted`, { on: '2026-08-18' }); // 100 days before 26 Nov
    expect(z.json()).toMatchObject({ freshnessDays: 100, version: 2 });
    const map = await mapOf(m1);
    expect(map.people.find((p: { contactId: string }) => p.contactId === li)).toMatchObject({ reportsToContactId: zhou, stance: 'supporter' });
    // Zhou is the champion now, but the decision maker has gone 100 days without contact and all our recent contact goes through Li
    expect(map.gaps).toEqual([{ code: 'decision_maker_not_contacted', contactId: zhou, days: 100 }, { code: 'single_point_of_contact', contactId: li, days: 6 }]);
    await m1.post(`/api/v1/stakeholders/${zhou}/contacted`, { on: '2026-09-27' }); // 60 days: still a gap, no longer a single point
    expect((await mapOf(m1)).gaps).toEqual([{ code: 'decision_maker_not_contacted', contactId: zhou, days: 60 }]);
    await m1.post(`/api/v1/stakeholders/${zhou}/contacted`, { on: '2026-11-25' });
    expect((await mapOf(m1)).gaps).toEqual([]);
  });

  it('ties people across accounts; a tie shows only to those who see both ends', async () => {
    expect((await m1.post('/api/v1/stakeholder-ties', { fromContactId: zhou, toContactId: other, kind: 'family', note: TIE_NOTE })).statusCode).toBe(404);
    const tie = await admin.post('/api/v1/stakeholder-ties', { fromContactId: zhou, toContactId: other, kind: 'family', note: TIE_NOTE });
    expect(tie.statusCode, tie.body).toBe(201);
    expect(tie.json()).toMatchObject({ kind: 'family', from: { contactId: zhou, accountId: acc1 }, to: { contactId: other, accountId: t.world.accounts.acc3 } });
    expect((await admin.post('/api/v1/stakeholder-ties', { fromContactId: other, toContactId: zhou, kind: 'family' })).statusCode).toBe(409);
    const inside = await m1.post('/api/v1/stakeholder-ties', { fromContactId: zhou, toContactId: li, kind: 'former_colleague', note: null });
    expect(inside.statusCode, inside.body).toBe(201);
    expect((await mapOf(admin)).ties.map((x: { kind: string }) => x.kind)).toEqual(['family', 'former_colleague']);
    expect((await mapOf(m1)).ties.map((x: { kind: string }) => x.kind)).toEqual(['former_colleague']);
    expect((await mapOf(m3, t.world.accounts.acc3)).ties).toEqual([]);
    expect((await m1.del(`/api/v1/stakeholder-ties/${tie.json().id}`)).statusCode).toBe(404);
    // both accounts' histories carry the cross-account tie
    const audit = await t.db.kysely.selectFrom('audit_log').select(['account_id']).where('entity', '=', 'stakeholder_tie').where('entity_id', '=', tie.json().id).execute();
    expect(audit.map((a) => a.account_id).sort()).toEqual([acc1, t.world.accounts.acc3].sort());
  });

  it('is scoped by account and by role: another manager gets 404, the executive reads only, the dealer is refused', async () => {
    expect((await m3.get(`/api/v1/accounts/${acc1}/stakeholder-map`)).statusCode).toBe(404);
    expect((await m3.post(`/api/v1/stakeholders/${zhou}/contacted`, { on: '2026-11-25' })).statusCode).toBe(404);
    expect((await mapOf(exec)).people).toHaveLength(2);
    expect((await exec.put(`/api/v1/stakeholders/${zhou}`, { buyingRole: 'decision_maker', stance: 'opponent', version: 3 })).statusCode).toBe(403);
    expect((await dealer.get(`/api/v1/accounts/${acc1}/stakeholder-map`)).statusCode).toBe(403);
    expect((await dealer.post(`/api/v1/stakeholders/${zhou}/contacted`, { on: '2026-11-25' })).statusCode).toBe(403);
    expect((await dealer.post('/api/v1/stakeholder-ties', { fromContactId: zhou, toContactId: li, kind: 'friend' })).statusCode).toBe(403);
  });

  describe('key dates', () => {
    it('records anniversaries and birthdays, Gregorian or lunar, each with its next occurrence counted', async () => {
      const store = await m1.post('/api/v1/key-dates', { accountId: acc1, kind: 'store_anniversary', label: STORE_LABEL, rule: { calendar: 'gregorian', month: 9, day: 12 }, firstYear: 2023 });
      expect(store.statusCode, store.body).toBe(201);
      expect(store.json()).toMatchObject({ next: { date: '2027-09-12', ordinal: 4, adjustments: [] }, leadDays: [14, 3, 0] });
      // Zhou was born on 腊月初五 of lunar 1970: lunar 2026's 腊月 begins 2027-01-08 (HKO), so 2027-01-12, his 56th
      const lunar = await m1.post('/api/v1/key-dates', { accountId: acc1, contactId: zhou, kind: 'birthday', label: 'Zhou', rule: { calendar: 'lunar', month: 12, day: 5 }, firstYear: 1970 });
      expect(lunar.statusCode, lunar.body).toBe(201);
      expect(lunar.json()).toMatchObject({ rule: { calendar: 'lunar', month: 12, day: 5, leap: false }, next: { date: '2027-01-12', ordinal: 56 } });
      const liBirthday = await m1.post('/api/v1/key-dates', { accountId: acc1, contactId: li, kind: 'birthday', label: 'Li Na', rule: { calendar: 'gregorian', month: 1, day: 10 }, firstYear: null, leadDays: [14] });
      expect(liBirthday.statusCode, liBirthday.body).toBe(201);
      expect((await m1.get(`/api/v1/accounts/${acc1}/key-dates`)).json().items.map((k: { label: string }) => k.label)).toEqual(['Li Na', 'Zhou', STORE_LABEL]);
    });

    it('refuses a date that does not exist, a birthday of nobody, and another manager\'s account', async () => {
      expect((await m1.post('/api/v1/key-dates', { accountId: acc1, kind: 'custom', label: 'x', rule: { calendar: 'gregorian', month: 2, day: 30 } })).statusCode).toBe(400);
      expect((await m1.post('/api/v1/key-dates', { accountId: acc1, kind: 'birthday', label: 'x', rule: { calendar: 'gregorian', month: 2, day: 3 } })).statusCode).toBe(400);
      expect((await m1.post('/api/v1/key-dates', { accountId: acc1, contactId: other, kind: 'birthday', label: 'x', rule: { calendar: 'gregorian', month: 2, day: 3 } })).statusCode).toBe(400);
      expect((await m3.post('/api/v1/key-dates', { accountId: acc1, kind: 'custom', label: 'x', rule: { calendar: 'gregorian', month: 2, day: 3 } })).statusCode).toBe(404);
      expect((await m3.get(`/api/v1/accounts/${acc1}/key-dates`)).statusCode).toBe(404);
    });

    it('reminds across the year end and of the festivals, only of the accounts one sees', async () => {
      const res = await m1.get('/api/v1/key-date-reminders?from=2026-12-20&to=2026-12-31');
      expect(res.statusCode, res.body).toBe(200);
      // Li's 10 January birthday 14 days ahead on 27 December; Zhou's lunar birthday (12 January) 14 days ahead on 29 December
      expect(res.json().items.map((r: { remindOn: string; leadDays: number; label: string; occurrence: { date: string } }) => [r.remindOn, r.leadDays, r.label, r.occurrence.date])).toEqual([
        ['2026-12-27', 14, 'Li Na', '2027-01-10'],
        ['2026-12-29', 14, 'Zhou', '2027-01-12'],
      ]);
      const spring = await m1.get('/api/v1/key-date-reminders?from=2027-01-20&to=2027-02-10&festivals=true');
      expect(spring.json().items.filter((r: { kind: string }) => r.kind === 'festival').map((r: { remindOn: string; occurrence: { date: string } }) => [r.remindOn, r.occurrence.date])).toEqual([
        ['2027-01-23', '2027-02-06'], ['2027-02-03', '2027-02-06'], ['2027-02-06', '2027-02-06'],
      ]);
      expect((await m3.get('/api/v1/key-date-reminders?from=2026-12-20&to=2026-12-31')).json().items).toEqual([]);
      expect((await m1.get('/api/v1/key-date-reminders?from=2026-01-01&to=2027-12-31')).statusCode).toBe(400);
      expect((await dealer.get('/api/v1/key-date-reminders?from=2026-12-20&to=2026-12-31')).statusCode).toBe(403);
      expect((await dealer.get(`/api/v1/accounts/${acc1}/key-dates`)).statusCode).toBe(403);
    });

    it('puts the reminders due on the day of the account\'s manager, not on the executive\'s or another manager\'s', async () => {
      const day = (await m1.get('/api/v1/home/day?date=2026-12-27')).json();
      expect(day.items.filter((i: { module: string }) => i.module === 'relationships').map((i: { titleKey: string; urgency: string; params: Record<string, unknown>; account: { id: string } }) => [i.titleKey, i.urgency, i.params, i.account.id])).toEqual([
        ['relationships.agenda.birthday.soon', 'soon', { label: 'Li Na', date: '2027-01-10', count: 14, ordinal: 0 }, acc1],
      ]);
      const opening = (await m1.get('/api/v1/home/day?date=2027-09-12')).json();
      expect(opening.items.filter((i: { module: string }) => i.module === 'relationships').map((i: { titleKey: string; params: Record<string, unknown> }) => [i.titleKey, i.params.ordinal])).toEqual([['relationships.agenda.store_anniversary.today', 4]]);
      for (const c of [exec, m3]) expect((await c.get('/api/v1/home/day?date=2026-12-27')).json().items.filter((i: { module: string }) => i.module === 'relationships')).toEqual([]);
      expect((await m1.post('/api/v1/key-dates', { accountId: acc1, kind: 'company_anniversary', label: 'Founded', rule: { calendar: 'gregorian', month: 3, day: 1 } })).statusCode).toBe(400);
    });
  });

  describe('gifts', () => {
    const give = (c: Client, givenOn: string, kind: string, amountMinor: number, description = 'Mooncakes (GIFT-3K)') =>
      c.post('/api/v1/gifts', { contactId: zhou, givenOn, kind, description, amountMinor, currency: 'CNY' });

    it('records gifts within the policy as allowed and above it as pending approval, with reasons and the year total', async () => {
      // the default policy: CNY 500 a gift, CNY 2,000 a person a year, cash equivalents always approved
      const a = await give(m1, '2026-02-17', 'gift', 40_000);
      expect(a.statusCode, a.body).toBe(201);
      expect(a.json()).toMatchObject({ status: 'allowed', reasons: [], personYearTotalMinor: 40_000, givenBy: { name: 'User m1' } });
      expect((await give(m1, '2026-09-25', 'gift', 48_000)).json()).toMatchObject({ status: 'allowed', personYearTotalMinor: 88_000 });
      const dinner = await give(m1, '2026-10-01', 'hospitality', 60_000, 'Dinner');
      expect(dinner.json()).toMatchObject({ status: 'pending_approval', reasons: [{ code: 'over_per_gift_limit', limitMinor: 50_000, valueMinor: 60_000 }], personYearTotalMinor: 148_000 });
      expect((await give(m1, '2026-11-01', 'gift', 50_000)).json()).toMatchObject({ status: 'allowed', personYearTotalMinor: 198_000 });
      const envelope = await give(m1, '2026-11-20', 'cash_equivalent', 8_800, '红包');
      expect(envelope.json()).toMatchObject({ status: 'pending_approval', reasons: [{ code: 'kind_needs_approval' }, { code: 'over_per_person_year_limit', limitMinor: 200_000, totalAfterMinor: 206_800 }] });
      expect((await m1.post('/api/v1/gifts', { contactId: zhou, givenOn: '2026-11-20', kind: 'gift', description: 'x', amountMinor: 100, currency: 'USD' })).statusCode).toBe(400);
      expect((await m3.post('/api/v1/gifts', { contactId: zhou, givenOn: '2026-11-20', kind: 'gift', description: 'x', amountMinor: 100, currency: 'CNY' })).statusCode).toBe(404);

      // a manager does not approve; a director declines the dinner, which then counts for nothing
      expect((await m1.post(`/api/v1/gifts/${dinner.json().id}/decision`, { decision: 'approve', version: 1 })).statusCode).toBe(403);
      const d1 = await t.login('d1');
      const declined = await d1.post(`/api/v1/gifts/${dinner.json().id}/decision`, { decision: 'decline', version: 1 });
      expect(declined.statusCode, declined.body).toBe(200);
      expect(declined.json()).toMatchObject({ status: 'declined', decidedBy: { name: 'User d1' }, personYearTotalMinor: 146_800 });
      expect((await d1.post(`/api/v1/gifts/${dinner.json().id}/decision`, { decision: 'approve', version: 2 })).statusCode).toBe(409);
      expect((await d1.post(`/api/v1/gifts/${envelope.json().id}/decision`, { decision: 'approve', version: 7 })).statusCode).toBe(412);
      expect((await d1.post(`/api/v1/gifts/${envelope.json().id}/decision`, { decision: 'approve', version: 1 })).json()).toMatchObject({ status: 'approved' });
      const audit = await t.db.kysely.selectFrom('audit_log').select('action').where('entity', '=', 'gift').orderBy('at').orderBy('id').execute();
      expect(audit.map((x) => x.action)).toEqual(['gift.record', 'gift.record', 'gift.record', 'gift.record', 'gift.record', 'gift.decline', 'gift.approve']);
    });

    it('keeps a register for compliance review with running totals, of the accounts one sees', async () => {
      const reg = await m1.get('/api/v1/gift-register?year=2026');
      expect(reg.statusCode, reg.body).toBe(200);
      expect(reg.json().policy).toEqual({ currency: 'CNY', perGiftLimitMinor: 50_000, perPersonYearLimitMinor: 200_000, approvalAlwaysKinds: ['cash_equivalent'] });
      expect(reg.json().items.map((g: { givenOn: string; status: string; personYearTotalMinor: number }) => [g.givenOn, g.status, g.personYearTotalMinor])).toEqual([
        ['2026-02-17', 'allowed', 40_000], ['2026-09-25', 'allowed', 88_000], ['2026-10-01', 'declined', 88_000], ['2026-11-01', 'allowed', 138_000], ['2026-11-20', 'approved', 146_800],
      ]);
      expect((await m1.get('/api/v1/gift-register?year=2025')).json().items).toEqual([]);
      expect((await m3.get('/api/v1/gift-register?year=2026')).json().items).toEqual([]);
      expect((await dealer.get('/api/v1/gift-register?year=2026')).statusCode).toBe(403);
    });
  });

  describe('the dealer portal', () => {
    it('returns none of the map from any route the dealer may call (portal pages, exports, its own account)', async () => {
      // The data is there and readable by staff, so a leak would have something to leak.
      const staffBody = (await admin.get(`/api/v1/accounts/${acc1}/stakeholder-map`)).body;
      for (const key of INTERNAL_FIELDS) expect(staffBody, key).toContain(key);
      const staffKeyDates = (await admin.get(`/api/v1/accounts/${acc1}/key-dates`)).body;
      for (const key of KEY_DATE_FIELDS) expect(staffKeyDates, key).toContain(key);
      const staffGifts = (await admin.get('/api/v1/gift-register?year=2026')).body;
      for (const key of GIFT_FIELDS) expect(staffGifts, key).toContain(key);

      const w = t.world;
      const fill = (url: string) => url
        .replace(/\/accounts\/:id\b/, `/accounts/${w.accounts.acc1}`).replace(/\/sites\/:id\b/, `/sites/${w.records.acc1!.site}`)
        .replace(/\/contacts\/:id\b/, `/contacts/${zhou}`).replace(/\/users\/:id\b/, `/users/${w.users.dealer}`).replace(/\/products\/:id\b/, `/products/${w.product}`)
        .replace(/:[a-zA-Z]+/g, '00000000-0000-7000-8000-000000000000');
      const routes = routesOf.get(t.app)!.filter((r) => r.url.startsWith('/api/v1/') && r.method === 'GET' && allows('dealer', r.policy as Permission));
      expect(routes.length).toBeGreaterThan(5);
      expect(routes.some((r) => r.url.startsWith('/api/v1/portal/'))).toBe(true);
      const leaks: string[] = [];
      const answered: string[] = [];
      for (const r of routes) {
        const res = await dealer.get(fill(r.url));
        if (res.statusCode >= 500) leaks.push(`${r.url}: ${res.statusCode}`);
        if (res.statusCode === 200) answered.push(r.url);
        for (const key of [...INTERNAL_FIELDS, ...KEY_DATE_FIELDS, ...GIFT_FIELDS, ...GAP_CODES]) if (res.body.includes(key)) leaks.push(`${r.url} contains ${key}`);
        // no relationship route is open to the dealer at all
        if (/stakeholder|key-date|gift/.test(r.url)) leaks.push(`${r.url} is open to the dealer`);
      }
      expect(leaks).toEqual([]);
      // the sweep reached real answers, not only 404s
      expect(answered).toEqual(expect.arrayContaining(['/api/v1/accounts/:id']));
      expect(answered.length).toBeGreaterThan(3);
    }, 60_000);
  });
});
