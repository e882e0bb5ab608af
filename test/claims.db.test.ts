import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type Client, loginAs, type TestApp } from './build-test-app.js';
import { describeEachDialect } from './dialects.js';
import { newId } from '../src/shared/ids.js';

/**
 * Claims through the API. The clock stands at Thursday 2026-11-26 08:00 UTC (16:00 in Shanghai);
 * the service desk's calendar is 09:00-12:00, 13:00-18:00 Shanghai, Monday to Friday, China's holidays.
 * A damage claim's response is due in 4 working hours: 2 on Thursday, 2 on Friday → Fri 27 11:00
 * Shanghai = 03:00 UTC; its decision in 24: 2 Thu + 8 Fri + 8 Mon + 6 Tue → Tue 1 Dec 16:00 = 08:00 UTC.
 */
const START = '2026-11-26T08:00:00.000Z';
const batch = {
  lines: [
    { sourceKey: 'O1/1', accountCode: 'ACC1', orderNo: 'O1', lineNo: '1', item: 'P.O 42.5 bag', quantity: 100, promisedDate: '2026-11-10', status: 'delivered', shipments: [{ sourceKey: 'S1', shipmentNo: 'SH-1', deliveredDate: '2026-11-12', quantity: 100 }] },
    { sourceKey: 'O1/2', accountCode: 'ACC1', orderNo: 'O1', lineNo: '2', quantity: 50, promisedDate: '2026-11-10', status: 'delivered', shipments: [{ sourceKey: 'S2', shipmentNo: 'SH-2', deliveredDate: '2026-11-10', quantity: 45 }] },
    { sourceKey: 'X/1', accountCode: 'ACC3', orderNo: 'X', quantity: 1, promisedDate: '2026-11-05', status: 'delivered', shipments: [{ sourceKey: 'SX', deliveredDate: '2026-11-05', quantity: 1 }] },
  ],
};
const pdf = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

describeEachDialect('claims: lifecycle, portal, scope, audit and service levels', (dialect) => {
  let t: TestApp;
  let m1: Client, m3: Client, d1: Client, logistics: Client, dealer: Client, dealer3: Client;
  const ship: Record<string, string> = {};
  const line: Record<string, string> = {};
  const file = (c: Client, body: Record<string, unknown>) => c.post('/api/v1/claims', { accountId: t.world.accounts.acc1, kind: 'damage', title: 'Torn bags', claimedMinor: 50_000, currency: 'CNY', ...body });
  const upload = (c: Client, url: string, fileName: string) =>
    c.request({ method: 'POST', url: `${url}?fileName=${encodeURIComponent(fileName)}`, payload: pdf, headers: { 'content-type': 'application/octet-stream' } });
  const auditOf = (id: string) => t.db.kysely.selectFrom('audit_log').select(['action', 'actor_id', 'account_id']).where('entity', '=', 'claim').where('entity_id', '=', id).orderBy('at').orderBy('id').execute();

  beforeAll(async () => {
    t = await buildTestApp(dialect);
    [m1, m3, d1, logistics, dealer] = await Promise.all(['m1', 'm3', 'd1', 'logistics', 'dealer'].map((k) => t.login(k))) as Client[] as [Client, Client, Client, Client, Client];
    // A second dealer, of ACC3, with the same password.
    const d = await t.db.kysely.selectFrom('users').selectAll().where('email', '=', 'dealer@test.local').executeTakeFirstOrThrow();
    await t.db.kysely.insertInto('users').values({ ...d, id: newId(), email: 'dealer3@test.local', name: 'Dealer of ACC3', account_id: t.world.accounts.acc3 }).execute();
    dealer3 = await loginAs(t.app, 'dealer3@test.local');
    expect((await logistics.post('/api/v1/delivery/order-lines', batch)).statusCode).toBe(200);
    for (const s of await t.db.kysely.selectFrom('shipments').select(['id', 'source_key']).execute()) ship[s.source_key] = s.id;
    for (const l of await t.db.kysely.selectFrom('order_lines').select(['id', 'source_key']).execute()) line[l.source_key] = l.id;
  });
  afterAll(async () => t?.close());

  describe('the lifecycle', () => {
    let id: string;
    it('files a claim about a shipment and an order line, numbered, with its due times on the working calendar, and audits it', async () => {
      const res = await file(m1, { shipmentIds: [ship.S1], orderLineIds: [line['O1/2']] });
      expect(res.statusCode, res.body).toBe(201);
      const c = res.json();
      id = c.id;
      expect(c).toMatchObject({ number: 'CLM-2026-00001', status: 'filed', filedVia: 'staff', claimedMinor: 50_000, currency: 'CNY', acceptedMinor: null });
      expect(c.sla.response).toEqual({ dueAt: '2026-11-27T03:00:00.000Z', doneAt: null, state: 'running', minutes: 240 });
      expect(c.sla.decision).toEqual({ dueAt: '2026-12-01T08:00:00.000Z', doneAt: null, state: 'running', minutes: 1440 });
      expect(c.lines.map((l: { orderNo: string; lineNo: string; shipmentNo: string | null }) => [l.orderNo, l.lineNo, l.shipmentNo])).toEqual([['O1', '1', 'SH-1'], ['O1', '2', null]]);
      expect(c.events).toEqual([expect.objectContaining({ kind: 'filed', toStatus: 'filed', actor: { id: t.world.users.m1, name: 'User m1' } })]);
      expect(c.actions).toEqual(['investigate', 'withdraw']);
      expect(await auditOf(id)).toEqual([{ action: 'claim.file', actor_id: t.world.users.m1, account_id: t.world.accounts.acc1 }]);
    });

    it('refuses a claim about another account\'s shipment, naming it, and saves nothing', async () => {
      const res = await file(m1, { shipmentIds: [ship.SX] });
      expect(res.statusCode).toBe(400);
      expect(res.json().errors).toEqual([{ path: 'body.shipmentIds.0', message: 'not a shipment of this account' }]);
      const none = await file(m1, {});
      expect(none.statusCode).toBe(400);
      expect(await t.db.kysely.selectFrom('claims').select('id').execute()).toHaveLength(1);
    });

    it('refuses a decision before the investigation and a credit note before a decision (409, saying why)', async () => {
      const early = await m1.post(`/api/v1/claims/${id}/decision`, { outcome: 'accepted', reason: 'bags torn on arrival' });
      expect(early.statusCode).toBe(409);
      expect(early.json()).toMatchObject({ code: 'claim_status', detail: expect.stringContaining('start the investigation first') });
      const credit = await m1.post(`/api/v1/claims/${id}/credit-note`, { number: 'CN-1', amountMinor: 50_000, currency: 'CNY', issueDate: '2026-11-26' });
      expect(credit.statusCode).toBe(409);
      expect(credit.json().detail).toContain('accepted or partly accepted');
    });

    it('starts the investigation (the response is met) and refuses to start it twice', async () => {
      const res = await m1.post(`/api/v1/claims/${id}/investigate`, {});
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ status: 'investigating', sla: { response: { state: 'met', doneAt: START } } });
      expect((await m1.post(`/api/v1/claims/${id}/investigate`, {})).statusCode).toBe(409);
    });

    it('refuses a decision without a reason, and a partial acceptance of nothing, of the whole claim or more', async () => {
      const noReason = await m1.post(`/api/v1/claims/${id}/decision`, { outcome: 'rejected', reason: '  ' });
      expect(noReason.statusCode).toBe(400);
      expect(noReason.json()).toMatchObject({ detail: 'A decision needs its reason', errors: [{ path: 'body.reason' }] });
      for (const [acceptedMinor, says] of [[undefined, 'needs the accepted amount'], [0, 'more than zero'], [50_000, 'less than the amount claimed'], [60_000, 'less than the amount claimed']] as const) {
        const res = await m1.post(`/api/v1/claims/${id}/decision`, { outcome: 'partly_accepted', reason: 'half the bags were fine', ...(acceptedMinor === undefined ? {} : { acceptedMinor }) });
        expect(res.statusCode, String(acceptedMinor)).toBe(400);
        expect(res.json().detail).toContain(says);
      }
    });

    it('partly accepts, then takes a credit note only for the accepted amount in the claim\'s currency, then closes', async () => {
      const part = await m1.post(`/api/v1/claims/${id}/decision`, { outcome: 'partly_accepted', reason: '12 of 30 bags torn', acceptedMinor: 20_000 });
      expect(part.statusCode, part.body).toBe(200);
      expect(part.json()).toMatchObject({ status: 'partly_accepted', acceptedMinor: 20_000, decisionReason: '12 of 30 bags torn', sla: { decision: { state: 'met' } }, actions: ['credit'] });
      const wrongAmount = await m1.post(`/api/v1/claims/${id}/credit-note`, { number: 'CN-77', amountMinor: 50_000, currency: 'CNY', issueDate: '2026-11-26' });
      expect(wrongAmount.statusCode).toBe(400);
      expect(wrongAmount.json().detail).toBe('The credit note must be for the accepted amount (20000 minor units)');
      const wrongCurrency = await m1.post(`/api/v1/claims/${id}/credit-note`, { number: 'CN-77', amountMinor: 20_000, currency: 'USD', issueDate: '2026-11-26' });
      expect(wrongCurrency.statusCode).toBe(400);
      const credit = await m1.post(`/api/v1/claims/${id}/credit-note`, { number: 'CN-77', amountMinor: 20_000, currency: 'CNY', issueDate: '2026-11-27' });
      expect(credit.statusCode, credit.body).toBe(200);
      expect(credit.json()).toMatchObject({ status: 'credited', creditNote: { number: 'CN-77', amountMinor: 20_000, currency: 'CNY', issueDate: '2026-11-27' }, actions: ['close'] });
      const closed = await m1.post(`/api/v1/claims/${id}/close`, {});
      expect(closed.json()).toMatchObject({ status: 'closed', actions: [] });
      expect((await m1.post(`/api/v1/claims/${id}/withdraw`, {})).statusCode).toBe(409);
      expect((await upload(m1, `/api/v1/claims/${id}/evidence`, 'late.pdf')).statusCode).toBe(409);
    });

    it('keeps every step as an event (who, from, to, reason) and an audit row', async () => {
      const c = (await m1.get(`/api/v1/claims/${id}`)).json();
      expect(c.events.map((e: { fromStatus: string | null; toStatus: string; reason: string | null }) => [e.fromStatus, e.toStatus, e.reason])).toEqual([
        [null, 'filed', null], ['filed', 'investigating', null], ['investigating', 'partly_accepted', '12 of 30 bags torn'], ['partly_accepted', 'credited', 'CN-77'], ['credited', 'closed', null],
      ]);
      expect((await auditOf(id)).map((a) => a.action)).toEqual(['claim.file', 'claim.investigate', 'claim.partly_accept', 'claim.credit', 'claim.close']);
    });

    it('lets only the filer withdraw an open claim', async () => {
      const c = (await file(m1, { kind: 'late', title: 'Two days late', shipmentIds: [ship.S2] })).json();
      const other = await d1.post(`/api/v1/claims/${c.id}/withdraw`, {});
      expect(other.statusCode).toBe(403);
      expect(other.json().detail).toBe('Only whoever filed the claim may withdraw it');
      const own = await m1.post(`/api/v1/claims/${c.id}/withdraw`, { reason: 'filed twice' });
      expect(own.json()).toMatchObject({ status: 'withdrawn', actions: [] });
    });

    it('rejects with the reason, and lists claims by status, kind and account, paged', async () => {
      const c = (await file(m1, { kind: 'shortage', title: 'Five bags short', claimedMinor: 1_500, orderLineIds: [line['O1/2']] })).json();
      await m1.post(`/api/v1/claims/${c.id}/investigate`, {});
      const rej = await m1.post(`/api/v1/claims/${c.id}/decision`, { outcome: 'rejected', reason: 'the delivery note is signed for 50' });
      expect(rej.json()).toMatchObject({ status: 'rejected', acceptedMinor: 0, actions: ['close'] });
      const rejected = (await m1.get('/api/v1/claims?status=rejected')).json();
      expect(rejected.items.map((x: { id: string }) => x.id)).toEqual([c.id]);
      expect((await m1.get('/api/v1/claims?kind=late')).json().items).toHaveLength(1);
      const page1 = (await m1.get(`/api/v1/accounts/${t.world.accounts.acc1}/claims?limit=2`)).json();
      expect(page1.items).toHaveLength(2);
      const page2 = (await m1.get(`/api/v1/accounts/${t.world.accounts.acc1}/claims?limit=2&cursor=${page1.nextCursor}`)).json();
      expect(page2.items).toHaveLength(1);
      expect(page2.nextCursor).toBeNull();
    });
  });

  describe('the portal and scope', () => {
    let id: string;
    it('the dealer files a claim about its own shipment and sees it, without freight or internal notes', async () => {
      const res = await dealer.post('/api/v1/portal/claims', { kind: 'late', title: 'Arrived two days late', claimedMinor: 8_000, currency: 'CNY', shipmentIds: [ship.S1] });
      expect(res.statusCode, res.body).toBe(201);
      id = res.json().id;
      expect(res.json()).toMatchObject({ filedVia: 'portal', status: 'filed', actions: ['withdraw'] });
      const list = (await dealer.get('/api/v1/portal/claims')).json();
      expect(list.items.every((c: { accountId: string }) => c.accountId === t.world.accounts.acc1)).toBe(true);
      expect(list.items.map((c: { id: string }) => c.id)).toContain(id);
    });

    it('the dealer may not file about another company\'s shipment', async () => {
      const res = await dealer.post('/api/v1/portal/claims', { kind: 'late', title: 'x', claimedMinor: 1, currency: 'CNY', shipmentIds: [ship.SX] });
      expect(res.statusCode).toBe(400);
    });

    it('the dealer adds evidence; staff notes and internal evidence never reach the portal', async () => {
      const ev = await upload(dealer, `/api/v1/portal/claims/${id}/evidence`, 'delivery-note.pdf');
      expect(ev.statusCode, ev.body).toBe(201);
      expect(ev.json().evidence).toEqual([expect.objectContaining({ fileName: 'delivery-note.pdf', internal: false, contentType: 'application/pdf' })]);
      expect((await m1.post(`/api/v1/claims/${id}/notes`, { body: 'carrier admits the delay; freight cost 1,200' })).statusCode).toBe(201);
      const shared = await upload(m1, `/api/v1/claims/${id}/evidence`, 'carrier-mail.pdf');
      expect(shared.statusCode).toBe(201);
      const hidden = await m1.request({ method: 'POST', url: `/api/v1/claims/${id}/evidence?fileName=cost.pdf&internal=true`, payload: pdf, headers: { 'content-type': 'application/octet-stream' } });
      expect(hidden.statusCode, hidden.body).toBe(201);
      const staff = (await m1.get(`/api/v1/claims/${id}`)).json();
      expect(staff.events.filter((e: { kind: string }) => e.kind === 'note')).toEqual([expect.objectContaining({ internal: true, reason: 'carrier admits the delay; freight cost 1,200' })]);
      expect(staff.evidence.map((e: { fileName: string; internal: boolean }) => [e.fileName, e.internal])).toEqual([['delivery-note.pdf', false], ['carrier-mail.pdf', false], ['cost.pdf', true]]);
      const portal = await dealer.get(`/api/v1/portal/claims/${id}`);
      expect(portal.statusCode).toBe(200);
      expect(portal.body).not.toContain('freight cost');
      expect(portal.body).not.toContain('cost.pdf');
      expect(portal.json().events.every((e: { internal: boolean }) => !e.internal)).toBe(true);
      const secret = staff.evidence.find((e: { fileName: string }) => e.fileName === 'cost.pdf').attachmentId;
      const dealers = staff.evidence.find((e: { fileName: string }) => e.fileName === 'delivery-note.pdf').attachmentId;
      expect((await dealer.get(`/api/v1/portal/claims/${id}/evidence/${secret}/content`)).statusCode).toBe(404);
      const dl = await dealer.get(`/api/v1/portal/claims/${id}/evidence/${dealers}/content`);
      expect(dl.statusCode).toBe(200);
      expect(dl.headers['content-type']).toBe('application/pdf');
      expect((await auditOf(id)).map((a) => a.action)).toEqual(['claim.file', 'claim.evidence', 'claim.note', 'claim.evidence', 'claim.evidence']);
    });

    it('another dealer and the manager of another account get 404, and see none of it in their lists', async () => {
      expect((await dealer3.get(`/api/v1/portal/claims/${id}`)).statusCode).toBe(404);
      expect((await upload(dealer3, `/api/v1/portal/claims/${id}/evidence`, 'x.pdf')).statusCode).toBe(404);
      expect((await dealer3.post(`/api/v1/portal/claims/${id}/withdraw`, {})).statusCode).toBe(404);
      expect((await dealer3.get('/api/v1/portal/claims')).json().items).toEqual([]);
      expect((await m3.get(`/api/v1/claims/${id}`)).statusCode).toBe(404);
      expect((await m3.post(`/api/v1/claims/${id}/investigate`, {})).statusCode).toBe(404);
      expect((await m3.get(`/api/v1/accounts/${t.world.accounts.acc1}/claims`)).statusCode).toBe(404);
      expect((await m3.get('/api/v1/claims')).json().items).toEqual([]);
      expect((await m3.post('/api/v1/claims', { accountId: t.world.accounts.acc1, kind: 'late', title: 'x', claimedMinor: 1, currency: 'CNY', shipmentIds: [ship.S1] })).statusCode).toBe(404);
      expect((await dealer.get('/api/v1/claims')).statusCode).toBe(403);
    });

    it('the dealer withdraws its own claim but not one staff filed for it', async () => {
      const staffFiled = (await m1.get('/api/v1/claims?kind=shortage')).json().items[0];
      expect((await dealer.post(`/api/v1/portal/claims/${staffFiled.id}/withdraw`, {})).statusCode).toBe(409); // rejected already: not open
      const fresh = (await file(m1, { shipmentIds: [ship.S2] })).json();
      expect((await dealer.post(`/api/v1/portal/claims/${fresh.id}/withdraw`, {})).statusCode).toBe(403);
      const own = (await dealer.post('/api/v1/portal/claims', { kind: 'damage', title: 'Wet bags', claimedMinor: 100, currency: 'CNY', shipmentIds: [ship.S2] })).json();
      expect((await dealer.post(`/api/v1/portal/claims/${own.id}/withdraw`, {})).json().status).toBe('withdrawn');
    });
  });

  describe('service levels, facts, timeline, day and portal card', () => {
    it('does not count China\'s National Day week, and counts its make-up Saturday', async () => {
      t.clock.set('2026-09-30T08:00:00.000Z'); // Wednesday 16:00 Shanghai; 1–7 October off, Saturday 10 October worked
      try {
        const c = (await file(m1, { shipmentIds: [ship.S1] })).json();
        // 4 h: 2 on Wednesday, 2 on Thursday 8 October. 24 h: 2 Wed + 8 Thu + 8 Fri + 6 Sat 10 October → 16:00 Shanghai.
        expect(c.sla.response.dueAt).toBe('2026-10-08T03:00:00.000Z');
        expect(c.sla.decision.dueAt).toBe('2026-10-10T08:00:00.000Z');
        await t.db.kysely.deleteFrom('claims').where('id', '=', c.id).execute();
      } finally {
        t.clock.set(START);
      }
    });

    it('a claim not answered by its response due time is breached: on the list, the account header and the day', async () => {
      const c = (await file(m1, { title: 'Crushed pallet', claimedMinor: 7_000, shipmentIds: [ship.S1] })).json();
      const today = (await m1.get('/api/v1/home/day')).json();
      expect(today.items.filter((i: { id: string }) => i.id === `claim:${c.id}`)).toEqual([]); // due tomorrow 11:00, not today
      t.clock.set('2026-11-27T03:30:00.000Z'); // Friday 11:30 Shanghai, half an hour past the response due time
      try {
        const got = (await m1.get(`/api/v1/claims/${c.id}`)).json();
        expect(got.sla.response.state).toBe('breached');
        const day = (await m1.get('/api/v1/home/day')).json();
        expect(day.items.find((i: { id: string }) => i.id === `claim:${c.id}`)).toMatchObject({ urgency: 'now', titleKey: 'claims.agenda.respond', flags: [{ kind: 'claim.breach' }] });
        const facts = (await m1.get(`/api/v1/accounts/${t.world.accounts.acc1}/facts`)).json().items;
        const open = facts.find((f: { id: string }) => f.id === 'claims.open');
        expect(open.status).toBe('act');
        expect(open.noteParams.count).toBeGreaterThanOrEqual(1);
        // The late start still leaves the response breached, not met.
        const started = (await m1.post(`/api/v1/claims/${c.id}/investigate`, {})).json();
        expect(started.sla.response).toMatchObject({ state: 'breached', doneAt: '2026-11-27T03:30:00.000Z' });
      } finally {
        t.clock.set(START);
      }
    });

    it('counts open claims and their amount on the account header, filed and decided claims on the timeline', async () => {
      const claims = (await m1.get(`/api/v1/accounts/${t.world.accounts.acc1}/claims?status=open`)).json().items as { claimedMinor: number }[];
      const facts = (await m1.get(`/api/v1/accounts/${t.world.accounts.acc1}/facts`)).json().items;
      expect(facts.find((f: { id: string }) => f.id === 'claims.open').value).toEqual({ kind: 'count', value: claims.length });
      expect(facts.find((f: { id: string }) => f.id === 'claims.amount').value).toEqual({ kind: 'money', amountMinor: claims.reduce((s, c) => s + c.claimedMinor, 0), currency: 'CNY' });
      const tl = (await m1.get(`/api/v1/accounts/${t.world.accounts.acc1}/timeline?kind=claim.decided,claim.credited&limit=50`)).json();
      expect(tl.items.map((e: { titleKey: string }) => e.titleKey).sort()).toEqual(['claims.timeline.credited', 'claims.timeline.partly_accepted', 'claims.timeline.rejected']);
      expect(tl.items.find((e: { titleKey: string }) => e.titleKey === 'claims.timeline.rejected').body).toBe('the delivery note is signed for 50');
    });

    it('shows the dealer its open claims on a portal card', async () => {
      const cards = (await dealer.get('/api/v1/portal/cards')).json().items;
      const card = cards.find((c: { id: string }) => c.id === 'claims.open');
      const open = (await dealer.get('/api/v1/portal/claims?status=open')).json().items;
      expect(card.params.count).toBe(Math.min(5, open.length));
      expect(card.lines[0].href).toMatch(/^\/portal\/claims\//);
      expect((await dealer3.get('/api/v1/portal/cards')).json().items.find((c: { id: string }) => c.id === 'claims.open')).toBeUndefined();
    });
  });

  describe('service levels from the settings', () => {
    it('counts a claim\'s levels as OPENKAM_CLAIM_LEVELS sets them, on the service desk\'s calendar', async () => {
      process.env.OPENKAM_CLAIM_LEVELS = 'damage=1h/2h';
      const other = await buildTestApp(dialect);
      delete process.env.OPENKAM_CLAIM_LEVELS;
      try {
        const staff = await other.login('logistics');
        expect((await staff.post('/api/v1/delivery/order-lines', batch)).statusCode).toBe(200);
        const s1 = (await other.db.kysely.selectFrom('shipments').select('id').where('source_key', '=', 'S1').executeTakeFirstOrThrow()).id;
        const res = await staff.post('/api/v1/claims', { accountId: other.world.accounts.acc1, kind: 'damage', title: 'Torn bags', claimedMinor: 5_000, currency: 'CNY', shipmentIds: [s1] });
        expect(res.statusCode, res.body).toBe(201);
        // Thursday 16:00 Shanghai: one working hour → 17:00; two → 18:00, the end of the day's last window.
        expect(res.json().sla).toMatchObject({ response: { dueAt: '2026-11-26T09:00:00.000Z', minutes: 60 }, decision: { dueAt: '2026-11-26T10:00:00.000Z', minutes: 120 } });
      } finally {
        await other.close();
      }
    });
  });

  describe('claim numbers', () => {
    const seqOf = (n: string) => Number(n.slice('CLM-2026-'.length));
    it('gives claims filed at the same moment distinct numbers, one after another', async () => {
      const res = await Promise.all(Array.from({ length: 8 }, (_, i) => file(i % 2 ? m1 : d1, { title: `Same moment ${i}`, shipmentIds: [ship.S1] })));
      expect(res.map((r) => r.statusCode), res.map((r) => r.body).join('\n')).toEqual(Array(8).fill(201));
      const seqs = res.map((r) => seqOf(r.json().number)).sort((a, b) => a - b);
      expect(seqs).toEqual(Array.from({ length: 8 }, (_, i) => seqs[0]! + i));
      expect(await t.db.kysely.selectFrom('audit_log').select('id').where('action', '=', 'claim.file').where('entity_id', 'in', res.map((r) => r.json().id)).execute()).toHaveLength(8);
    });

    it('does not give again the number of a claim that is gone (its account removed)', async () => {
      const all = await t.db.kysely.selectFrom('claims').select(['id', 'number']).orderBy('number').execute();
      await t.db.kysely.deleteFrom('claims').where('id', '=', all[0]!.id).execute();
      const c = (await file(m1, { title: 'After a removal', shipmentIds: [ship.S1] })).json();
      expect(seqOf(c.number)).toBe(seqOf(all.at(-1)!.number) + 1);
    });
  });
});
