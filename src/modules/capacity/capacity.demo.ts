/**
 * The demo world's priority delivery: the Taizhou plant and the Ningbo and Wenzhou transit depots,
 * truckloads reserved for the current week and the seven after it, and orders of tier-A accounts
 * against them, drawn on their entitlement. One week is over-subscribed (Taizhou, three weeks on)
 * and one reservation is going unused (Wenzhou, next week), so the warnings have something to say.
 * Deterministic for a given day: the same ids and figures every time.
 */
import type { Kysely } from 'kysely';
import type { Db } from '../../db/database.js';
import type { Database } from '../../db/schema.js';
import { addDays, localDateOf, instantOf } from '../../shared/time.js';
import { createRng, seededUuidV7 } from '../demo/demo.random.js';
import { balancesOn, COMPANY_TIME_ZONE } from '../services/entitlements.service.js';
import type { CapacityOrdersTable, CapacityReservationsTable, DepotsTable, ServiceUsageTable } from '../services/services.table.js';
import { addWeeks, weekOf, weekStart } from './capacity.domain.js';
import { PRIORITY_DELIVERY } from './capacity.service.js';

export type CapacityDemoAccount = { id: string; tier: string | null; status: string; owner_id: string | null };
export type CapacityDemoUser = { id: string; role: string };
export type CapacityDemoSummary = { depots: number; reservations: number; orders: number; truckloads: number };

const depots = [
  { code: 'TZ-PLANT', name: '台州工厂', nameEn: 'Taizhou plant', kind: 'plant', city: '台州市', lat: 28.66, lng: 121.42, truckloads: 12 },
  { code: 'NB-DEPOT', name: '宁波中转库', nameEn: 'Ningbo depot', kind: 'depot', city: '宁波市', lat: 29.87, lng: 121.54, truckloads: 8 },
  { code: 'WZ-DEPOT', name: '温州中转库', nameEn: 'Wenzhou depot', kind: 'depot', city: '温州市', lat: 28.0, lng: 120.67, truckloads: 6 },
] as const;

/** Share of each week's reservation that is ordered, by weeks from now: the near weeks are nearly full. */
const fill = [0.85, 0.75, 0.65, 0.55, 0.45, 0.35, 0.25, 0.15];
const WEEKS = fill.length;
const OVER = { depot: 'TZ-PLANT', week: 3, reserved: 10, ordered: 12 };
const UNUSED = { depot: 'WZ-DEPOT', week: 1, ordered: 1 };

/**
 * Seeds depots, reservations and orders into a database (or the demo seeding's transaction, a Kysely) that
 * has none yet. Needs the service catalogue first: the "priority_delivery" kind and its tier-A
 * entitlement are used when present, created when not. Orders go only where an entitlement covers
 * them, as placing them through the API would. Does nothing when depots already exist.
 */
export async function seedCapacityDemo(
  target: Db | Kysely<Database>,
  opts: { now: Date; accounts: readonly CapacityDemoAccount[]; users: readonly CapacityDemoUser[] },
): Promise<CapacityDemoSummary> {
  const db = 'kysely' in target ? target.kysely : target;
  const none = { depots: 0, reservations: 0, orders: 0, truckloads: 0 };
  if (await db.selectFrom('depots').select('id').limit(1).executeTakeFirst()) return none;
  const rng = createRng(`openkam-capacity-demo|${opts.now.toISOString().slice(0, 10)}`);
  const nowMs = opts.now.getTime();
  const iso = (ms: number) => new Date(ms).toISOString();
  const idAt = (ms: number) => seededUuidV7(rng, ms);
  const today = localDateOf(opts.now, COMPANY_TIME_ZONE);
  const planner = opts.users.find((u) => u.role === 'logistics') ?? opts.users.find((u) => u.role === 'admin');
  if (!planner) return none;
  const created = iso(nowMs - 21 * 86_400_000);

  const kind = await priorityDeliveryKind(db, created, idAt(nowMs - 21 * 86_400_000));
  await tierAEntitlement(db, kind.id, today, created, idAt(nowMs - 21 * 86_400_000));

  const depotRows: DepotsTable[] = depots.map((d) => ({ id: idAt(nowMs - 21 * 86_400_000), code: d.code, name: d.name, name_en: d.nameEn, kind: d.kind, city: d.city, lat: d.lat, lng: d.lng, created_at: created }));
  await db.insertInto('depots').values(depotRows).execute();

  const first = weekOf(today);
  const plans: { reservation: CapacityReservationsTable; target: number; depot: (typeof depots)[number]; offset: number }[] = [];
  for (const [di, d] of depots.entries()) {
    for (let w = 0; w < WEEKS; w++) {
      const week = addWeeks(first, w);
      const over = d.code === OVER.depot && w === OVER.week;
      const truckloads = over ? OVER.reserved : d.truckloads;
      const target = over ? OVER.ordered : d.code === UNUSED.depot && w === UNUSED.week ? UNUSED.ordered : Math.round(truckloads * fill[w]!);
      plans.push({
        depot: d, offset: w, target,
        reservation: {
          id: idAt(nowMs - (20 - w) * 86_400_000), depot_id: depotRows[di]!.id, week, truckloads, service_kind_id: kind.id,
          note: over ? '旺季高峰，已超订 · peak week, over-subscribed' : null, created_at: created, updated_at: created, version: 1,
        },
      });
    }
  }
  await db.insertInto('capacity_reservations').values(plans.map((p) => p.reservation)).execute();

  // The weeks the warnings are about first, so they come out as meant even if entitlements run short.
  const order = [...plans].sort((a, b) => rank(a) - rank(b) || a.offset - b.offset);
  const entitled = opts.accounts.filter((a) => a.tier === 'A' && a.status === 'active');
  let turn = 0, seq = 0, truckloadsOrdered = 0;
  const orders: CapacityOrdersTable[] = [];
  const usage: ServiceUsageTable[] = [];
  for (const p of order) {
    let left = p.target;
    let misses = 0;
    const monday = weekStart(p.reservation.week)!;
    while (left > 0 && entitled.length && misses < entitled.length) {
      const account = entitled[turn++ % entitled.length]!;
      const n = Math.min(left, 1 + rng.int(0, 2));
      // Delivered on a working day (or the Saturday) of the week; placed one to twelve days ago, and at
      // least two days before the delivery.
      const deliveryDate = addDays(monday, rng.int(0, 5));
      const placedMs = Math.min(nowMs - rng.int(1, 12) * 86_400_000, instantOf(addDays(deliveryDate, -2), '10:00', COMPANY_TIME_ZONE).getTime()) - rng.int(0, 8) * 3_600_000;
      const placedAt = iso(placedMs);
      const placedOn = localDateOf(new Date(placedMs), COMPANY_TIME_ZONE);
      const balance = (await balancesOn(db, account, placedOn, kind.id)).find((b) => b.remaining - pending(usage, b.entitlement.id, b.periodKey, account.id) >= n);
      if (!balance) { misses++; continue; }
      misses = 0;
      const delivered = deliveryDate < today;
      const id = idAt(placedMs);
      const ref = `SO-${deliveryDate.slice(2, 4)}${deliveryDate.slice(5, 7)}-${String(++seq).padStart(4, '0')}`;
      const deliveredAt = delivered ? instantOf(deliveryDate, '17:00', COMPANY_TIME_ZONE).toISOString() : null;
      const usageId = idAt(placedMs);
      const by = account.owner_id ?? planner.id;
      usage.push({
        id: usageId, account_id: account.id, service_kind_id: kind.id, entitlement_id: balance.entitlement.id, period_key: balance.periodKey, quantity: n,
        status: delivered ? 'delivered' : 'taken', cost_minor: kind.unit_cost_minor * n, currency: kind.currency, request_id: null, reference: ref,
        note: `Priority delivery ${p.reservation.week}, ${p.depot.nameEn}`, at: placedAt, delivered_at: deliveredAt, created_by: by,
        created_at: placedAt, updated_at: deliveredAt ?? placedAt, version: delivered ? 2 : 1,
      });
      orders.push({
        id, reservation_id: p.reservation.id, account_id: account.id, truckloads: n, order_ref: ref, delivery_date: deliveryDate, status: delivered ? 'delivered' : 'placed',
        usage_id: usageId, created_by: by, created_at: placedAt, updated_at: deliveredAt ?? placedAt, version: delivered ? 2 : 1,
      });
      left -= n;
      truckloadsOrdered += n;
    }
  }
  if (usage.length) await db.insertInto('service_usage').values(usage).execute();
  if (orders.length) await db.insertInto('capacity_orders').values(orders).execute();
  return { depots: depotRows.length, reservations: plans.length, orders: orders.length, truckloads: truckloadsOrdered };
}

const rank = (p: { depot: { code: string }; offset: number }) =>
  (p.depot.code === OVER.depot && p.offset === OVER.week) || (p.depot.code === UNUSED.depot && p.offset === UNUSED.week) ? 0 : 1;

/** Units of this batch not yet written, counted against the same entitlement and period. */
const pending = (rows: readonly ServiceUsageTable[], entitlementId: string, periodKey: string, accountId: string) =>
  rows.filter((u) => u.entitlement_id === entitlementId && u.period_key === periodKey && u.account_id === accountId).reduce((s, u) => s + u.quantity, 0);

async function priorityDeliveryKind(db: Kysely<Database>, at: string, id: string) {
  const found = await db.selectFrom('service_kinds').select(['id', 'unit_cost_minor', 'currency']).where('code', '=', PRIORITY_DELIVERY).executeTakeFirst();
  if (found) return { ...found, unit_cost_minor: Number(found.unit_cost_minor) };
  const row = {
    id, code: PRIORITY_DELIVERY, name: '旺季优先配送', name_en: 'Priority delivery in peak season', unit: 'truckload',
    // ¥350 a truckload: what priority scheduling costs on top of an ordinary delivery.
    unit_cost_minor: 35_000, currency: 'CNY', department: 'logistics', active: 1, created_at: at, updated_at: at, version: 1,
  };
  await db.insertInto('service_kinds').values(row).execute();
  return { id, unit_cost_minor: row.unit_cost_minor, currency: row.currency };
}

/** Tier-A accounts are promised 24 priority truckloads a quarter, unless the catalogue already says what they get. */
async function tierAEntitlement(db: Kysely<Database>, kindId: string, today: string, at: string, id: string): Promise<void> {
  const found = await db.selectFrom('service_entitlements').select('id').where('service_kind_id', '=', kindId).where('scope', '=', 'tier').where('tier', '=', 'A').executeTakeFirst();
  if (found) return;
  await db.insertInto('service_entitlements').values({
    id, service_kind_id: kindId, scope: 'tier', tier: 'A', account_id: null, agreement_ref: null, quantity: 24, period: 'quarter', consumed_on: 'request',
    carry_over: 0, peak_windows_json: null, valid_from: `${Number(today.slice(0, 4)) - 1}-01-01`, valid_to: null, created_at: at, updated_at: at, version: 1,
  }).execute();
}
