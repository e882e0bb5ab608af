import { afterAll, beforeAll, expect, it } from 'vitest';
import type { AccountFact, AgendaItem, TimelineEvent } from '../src/platform/contributions.contract.js';
import { buildTestApp, type TestApp } from './build-test-app.js';
import { describeEachDialect } from './dialects.js';

// The test clock stands at 2026-11-26 08:00 UTC: 16:00 in Asia/Shanghai, the users' zone.
describeEachDialect('tasks and notes on the account page and the day', (dialect) => {
  let t: TestApp;
  beforeAll(async () => { t = await buildTestApp(dialect); });
  afterAll(async () => { await t?.close(); });

  it('puts a task due today on its assignee\'s day, an overdue one first, and takes it off when done', async () => {
    const m1 = await t.login('m1');
    const acc = t.world.accounts.acc1;
    const due = await m1.post('/api/v1/tasks', { accountId: acc, title: 'Send the rebate statement', dueDate: '2026-11-26' });
    expect(due.statusCode).toBe(201);
    const late = await m1.post('/api/v1/tasks', { accountId: acc, title: 'Call back about the claim', dueDate: '2026-11-20', assigneeId: t.world.users.m1 });
    expect(late.statusCode).toBe(201);
    // Someone else's task is not on m1's day.
    expect((await m1.post('/api/v1/tasks', { accountId: acc, title: 'For m2', dueDate: '2026-11-26', assigneeId: t.world.users.m2 })).statusCode).toBe(201);

    const day = (await m1.get('/api/v1/home/day')).json() as { items: AgendaItem[] };
    const tasks = day.items.filter((i) => i.kind === 'task');
    expect(tasks.map((i) => [i.params.title, i.urgency])).toEqual([['Call back about the claim', 'now'], ['Send the rebate statement', 'today']]);
    expect(tasks[0]!.link.to).toBe(`/accounts/${acc}?tab=tasks`);

    const facts = (await m1.get(`/api/v1/accounts/${acc}/facts`)).json() as { items: AccountFact[] };
    expect(facts.items.find((f) => f.id === 'tasks.open')).toMatchObject({ value: { kind: 'count', value: 3 }, status: 'act', noteParams: { count: 1 } });

    const task = due.json() as { id: string; version: number };
    const done = await m1.patch(`/api/v1/tasks/${task.id}`, { status: 'done' }, { 'if-match': `"${task.id}.${task.version}"` });
    expect(done.statusCode).toBe(200);
    expect(done.json()).toMatchObject({ status: 'done', doneBy: t.world.users.m1, doneAt: '2026-11-26T08:00:00.000Z' });
    const after = (await m1.get('/api/v1/home/day')).json() as { items: AgendaItem[] };
    expect(after.items.filter((i) => i.kind === 'task').map((i) => i.params.title)).toEqual(['Call back about the claim']);

    const timeline = (await m1.get(`/api/v1/accounts/${acc}/timeline?kind=task`)).json() as { items: TimelineEvent[] };
    expect(timeline.items.map((e) => e.titleKey)).toContain('tasks.timeline.done');
    expect(timeline.items.filter((e) => e.titleKey === 'tasks.timeline.created')).toHaveLength(3);
  });

  it("reminds the people who look after an account of its contacts' birthdays in the coming week", async () => {
    await t.db.kysely.updateTable('contacts').set({ birthday: '1980-11-28' }).where('id', '=', t.world.records.acc1!.contact).execute();
    await t.db.kysely.updateTable('contacts').set({ birthday: '1975-11-26' }).where('id', '=', t.world.records.acc2!.contact).execute();
    await t.db.kysely.updateTable('contacts').set({ birthday: '1975-11-26' }).where('id', '=', t.world.records.acc3!.contact).execute();
    const m1 = await t.login('m1');
    const day = (await m1.get('/api/v1/home/day')).json() as { items: AgendaItem[] };
    // acc1 (m1 owns it) in two days; acc2 (m1 on its team) today; acc3 is m3's.
    expect(day.items.filter((i) => i.kind === 'key-date').map((i) => [i.params.name, i.urgency, i.params.count])).toEqual([
      ['Contact of acc2', 'today', 0], ['Contact of acc1', 'soon', 2],
    ]);
    const exec = await t.login('exec');
    expect(((await exec.get('/api/v1/home/day')).json() as { items: AgendaItem[] }).items.filter((i) => i.kind === 'key-date')).toEqual([]);
  });

  it('refuses a task for a dealer user or nobody, with the field named', async () => {
    const m1 = await t.login('m1');
    for (const assigneeId of [t.world.users.dealer, '00000000-0000-7000-8000-000000000000']) {
      const res = await m1.post('/api/v1/tasks', { accountId: t.world.accounts.acc1, title: 'x', assigneeId });
      expect(res.statusCode).toBe(400);
      expect(res.json().errors).toEqual([{ path: 'body.assigneeId', message: 'no active member of staff with this id' }]);
    }
    const empty = await m1.post('/api/v1/tasks', { accountId: t.world.accounts.acc1, title: '   ' });
    expect(empty.statusCode).toBe(400);
  });

  it("keeps notes internal and their author's to change", async () => {
    const m1 = await t.login('m1');
    const note = await m1.post('/api/v1/notes', { accountId: t.world.accounts.acc2, body: 'Owner is retiring next year; son takes over.' });
    expect(note.statusCode).toBe(201);
    const n = note.json() as { id: string; version: number };
    // m2 owns acc2 and sees the note, but may not rewrite m1's words; the director may.
    const m2 = await t.login('m2');
    expect((await m2.get(`/api/v1/notes?accountId=${t.world.accounts.acc2}`)).json().items).toHaveLength(1);
    expect((await m2.patch(`/api/v1/notes/${n.id}`, { body: 'changed' }, { 'if-match': `"${n.id}.${n.version}"` })).statusCode).toBe(403);
    const d1 = await t.login('d1');
    expect((await d1.patch(`/api/v1/notes/${n.id}`, { pinned: true }, { 'if-match': `"${n.id}.${n.version}"` })).statusCode).toBe(200);
    const timeline = (await m2.get(`/api/v1/accounts/${t.world.accounts.acc2}/timeline?kind=note`)).json() as { items: TimelineEvent[] };
    expect(timeline.items).toMatchObject([{ kind: 'note', titleKey: 'notes.timeline.pinned', body: 'Owner is retiring next year; son takes over.' }]);
    // The dealer reads neither notes nor tasks, not even of its own account.
    const dealer = await t.login('dealer');
    expect((await dealer.get(`/api/v1/notes?accountId=${t.world.accounts.acc1}`)).statusCode).toBe(403);
    expect((await dealer.get(`/api/v1/tasks?accountId=${t.world.accounts.acc1}`)).statusCode).toBe(403);
    // m3 cannot see acc2 at all.
    const m3 = await t.login('m3');
    expect((await m3.get(`/api/v1/notes/${n.id}`)).statusCode).toBe(404);
  });
});
