import { afterAll, beforeAll, expect, it } from 'vitest';
import { seedDemoWorld } from '../src/modules/demo/demo.seed.js';
import { stakeholderGaps, type BuyingRole, type Stance } from '../src/modules/relationships/stakeholders.domain.js';
import { fixedClock } from '../src/shared/clock.js';
import { describeEachDialect, openTestDb, type TestDb } from './dialects.js';

const NOW = new Date('2026-12-03T02:00:00.000Z');
const TODAY = '2026-12-03';

describeEachDialect("the demo world's stakeholder maps", (dialect) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDb(dialect);
    await seedDemoWorld(t.db, { scale: 'small', clock: fixedClock(NOW) });
  });
  afterAll(async () => { await t?.cleanup(); });

  it("maps three of manager1's accounts, one with a decision maker out of touch, with a tie and key dates", async () => {
    const k = t.db.kysely;
    const manager1 = await k.selectFrom('users').select('id').where('email', 'like', 'manager1@%').executeTakeFirstOrThrow();
    const rows = await k.selectFrom('stakeholders').innerJoin('accounts', 'accounts.id', 'stakeholders.account_id')
      .select(['stakeholders.account_id', 'contact_id', 'buying_role', 'stance', 'last_contact_on', 'accounts.owner_id']).execute();
    const accounts = [...new Set(rows.map((r) => r.account_id))];
    expect(accounts).toHaveLength(3);
    expect(rows.every((r) => r.owner_id === manager1.id)).toBe(true);
    const gapsOf = (accountId: string) => stakeholderGaps(rows.filter((r) => r.account_id === accountId)
      .map((r) => ({ contactId: r.contact_id, buyingRole: r.buying_role as BuyingRole, stance: r.stance as Stance, lastContactOn: r.last_contact_on })), TODAY);
    const flagged = accounts.map(gapsOf).filter((g) => g.some((x) => x.code === 'decision_maker_not_contacted'));
    expect(flagged).toHaveLength(1);
    expect(flagged[0]!.find((x) => x.code === 'decision_maker_not_contacted')!.days).toBe(75);
    expect(await k.selectFrom('stakeholder_ties').select('kind').execute()).toEqual([{ kind: 'former_colleague' }]);
    const dates = await k.selectFrom('key_dates').select(['account_id', 'kind', 'calendar']).execute();
    expect(dates.filter((d) => d.kind === 'birthday' && d.calendar === 'lunar')).toHaveLength(3);
    expect(new Set(dates.map((d) => d.account_id))).toEqual(new Set(accounts));
  });
});
