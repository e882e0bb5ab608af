import { afterAll, beforeAll, expect, it } from 'vitest';
import { seedCapacityDemo } from '../src/modules/capacity/capacity.demo.js';
import { addWeeks, reservationStatus, weekOf } from '../src/modules/capacity/capacity.domain.js';
import { listReservations } from '../src/modules/capacity/capacity.repository.js';
import { seedDemoWorld } from '../src/modules/demo/demo.seed.js';
import { balancesOn } from '../src/modules/services/entitlements.service.js';
import { fixedClock } from '../src/shared/clock.js';
import { describeEachDialect, openTestDb, type TestDb } from './dialects.js';

// Thursday 3 December 2026, 10:00 in Shanghai: week 2026-W49.
const NOW = new Date('2026-12-03T02:00:00.000Z');
const TODAY = '2026-12-03';

describeEachDialect('the demo world\'s priority delivery', (dialect) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDb(dialect);
    await seedDemoWorld(t.db, { scale: 'small', clock: fixedClock(NOW) });
  });
  afterAll(async () => { await t?.cleanup(); });

  it('reserves eight weeks at three depots, with one week over-subscribed and one going unused, every order covered by an entitlement', async () => {
    const k = t.db.kysely;
    const accounts = await k.selectFrom('accounts').select(['id', 'tier', 'status', 'owner_id']).execute();
    const users = await k.selectFrom('users').select(['id', 'role']).execute();
    // The demo world's seeding placed them (seedDemoWorld calls seedCapacityDemo).
    const count = async (table: 'depots' | 'capacity_reservations' | 'capacity_orders') => Number((await k.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const summary = { depots: await count('depots'), reservations: await count('capacity_reservations'), orders: await count('capacity_orders') };
    expect(summary).toMatchObject({ depots: 3, reservations: 24 });
    expect(summary.orders).toBeGreaterThan(30);

    const rows = await listReservations(k, { from: weekOf(TODAY), to: addWeeks(weekOf(TODAY), 7) });
    const flagged = rows.map((r) => ({ depot: r.depot_name_en, week: r.week, status: reservationStatus(r, TODAY) })).filter((r) => r.status === 'over' || r.status === 'unused');
    expect(flagged).toEqual([{ depot: 'Wenzhou depot', week: '2026-W50', status: 'unused' }, { depot: 'Taizhou plant', week: '2026-W52', status: 'over' }]);

    // Orders this week before today are delivered; the rest are placed; each drew on its account's entitlement.
    const orders = await k.selectFrom('capacity_orders').innerJoin('service_usage as u', 'u.id', 'capacity_orders.usage_id')
      .select(['capacity_orders.status', 'capacity_orders.delivery_date', 'capacity_orders.truckloads', 'u.quantity', 'u.status as usage_status', 'u.entitlement_id']).execute();
    expect(orders).toHaveLength(summary.orders);
    for (const o of orders) {
      expect(o.status).toBe(o.delivery_date < TODAY ? 'delivered' : 'placed');
      expect(o.usage_status).toBe(o.status === 'delivered' ? 'delivered' : 'taken');
      expect(o.quantity).toBe(o.truckloads);
      expect(o.entitlement_id).not.toBeNull();
    }
    const kind = await k.selectFrom('service_kinds').select('id').where('code', '=', 'priority_delivery').executeTakeFirstOrThrow();
    for (const a of accounts.filter((x) => x.tier === 'A')) {
      for (const b of await balancesOn(k, a, TODAY, kind.id)) expect(b.used, `${a.id} ${b.periodKey}`).toBeLessThanOrEqual(b.allowance);
    }

    // A second run leaves the world as it is.
    expect(await seedCapacityDemo(t.db, { now: NOW, accounts, users })).toEqual({ depots: 0, reservations: 0, orders: 0, truckloads: 0 });
  });
});
