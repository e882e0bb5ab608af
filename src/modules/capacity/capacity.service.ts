/**
 * Delivery capacity use cases: depots, reserving truckloads per depot and week, and placing orders
 * against a reservation. An order takes its truckloads from the account's entitlement to priority
 * delivery in the same transaction; cancelling gives them back, delivering incurs their cost.
 * Every change is audited (orders on their account).
 */
import type { z } from 'zod';
import type { Ctx } from '../../server/context.js';
import { AppError, badRequest, notFound } from '../../server/errors.js';
import { accountVisibleTo } from '../../server/policy.js';
import { newId } from '../../shared/ids.js';
import { localDateOf } from '../../shared/time.js';
import { recordAudit } from '../audit/audit.service.js';
import { COMPANY_TIME_ZONE, settleUsage, takeService } from '../services/entitlements.service.js';
import type {
  CapacityOrder, CapacityWarning, CreateDepotBody, CreateReservationBody, Depot, OrderStatusBody, PlaceOrderBody, Reservation, ReservationQuery, UpdateReservationBody,
} from './capacity.contract.js';
import { addWeeks, capacityWarnings, freeOf, inWeek, overBy, reservationStatus, weekEnd, weekOf, weekStart, weeksBetween } from './capacity.domain.js';
import * as repo from './capacity.repository.js';

/** The catalogue code of the service an order of priority delivery draws on. */
export const PRIORITY_DELIVERY = 'priority_delivery';
/** The weeks a list shows when only its first is given, and the most it shows. */
const DEFAULT_WEEKS = 12;
const MAX_WEEKS = 106;

/** Today on the company's calendar: weeks and their status follow it, not the reader's zone. */
export const companyToday = (ctx: Pick<Ctx, 'clock'>): string => localDateOf(ctx.clock.now(), COMPANY_TIME_ZONE);

export function toReservation(r: repo.ReservationRow, today: string): Reservation {
  return {
    id: r.id, depotId: r.depot_id, depotName: r.depot_name, depotNameEn: r.depot_name_en, week: r.week, weekStart: weekStart(r.week)!, serviceKindId: r.service_kind_id,
    truckloads: r.truckloads, ordered: r.ordered, free: freeOf(r), status: reservationStatus(r, today), note: r.note, version: r.version,
  };
}

// ---------- depots ----------

export const listDepots = (ctx: Ctx): Promise<Depot[]> => repo.listDepots(ctx.db.kysely);

export async function createDepot(ctx: Ctx, b: z.infer<typeof CreateDepotBody>): Promise<Depot> {
  const row = { id: newId(), code: b.code, name: b.name, name_en: b.nameEn, kind: b.kind, city: b.city, lat: b.lat, lng: b.lng, created_at: ctx.clock.now().toISOString() };
  await ctx.db.kysely.transaction().execute(async (trx) => {
    if (await repo.findDepotByCode(trx, b.code)) throw new AppError('duplicate', 409, `A depot with code ${b.code} already exists`, { errors: [{ path: 'body.code', message: 'already used' }] });
    await repo.insertDepot(trx, row);
    await recordAudit(trx, ctx, { action: 'capacity.depot.create', entity: 'depot', entityId: row.id, after: b });
  });
  return repo.toDepot(row);
}

// ---------- reservations ----------

/** Reservations of a range of weeks (the current one and the 11 after it by default) with their warnings. */
export async function listReservations(ctx: Ctx, q: z.infer<typeof ReservationQuery>): Promise<{ items: Reservation[]; warnings: CapacityWarning[] }> {
  const today = companyToday(ctx);
  const from = q.from ?? weekOf(today);
  const to = q.to ?? addWeeks(from, DEFAULT_WEEKS - 1);
  const span = weeksBetween(from, to);
  if (span < 0) throw badRequest('The range ends before it starts', [{ path: 'querystring.to', message: 'before from' }]);
  if (span >= MAX_WEEKS) throw badRequest(`At most ${MAX_WEEKS} weeks at a time`, [{ path: 'querystring.to', message: `more than ${MAX_WEEKS} weeks after from` }]);
  const items = (await repo.listReservations(ctx.db.kysely, { from, to, depotId: q.depotId })).map((r) => toReservation(r, today));
  return { items, warnings: capacityWarnings(items) };
}

export async function getReservation(ctx: Ctx, id: string): Promise<Reservation> {
  const r = await repo.findReservation(ctx.db.kysely, id);
  if (!r) throw notFound('Reservation');
  return toReservation(r, companyToday(ctx));
}

export async function createReservation(ctx: Ctx, b: z.infer<typeof CreateReservationBody>): Promise<Reservation> {
  const today = companyToday(ctx);
  if (weekEnd(b.week) < today) throw badRequest('That week is over', [{ path: 'body.week', message: 'the week has ended' }]);
  const id = newId();
  await ctx.db.kysely.transaction().execute(async (trx) => {
    if (!(await repo.findDepot(trx, b.depotId))) throw badRequest('No such depot', [{ path: 'body.depotId', message: 'unknown depot' }]);
    const kind = await repo.findServiceKind(trx, b.serviceKindId ? { id: b.serviceKindId } : { code: PRIORITY_DELIVERY });
    if (!kind) {
      throw badRequest(b.serviceKindId ? 'No such service in the catalogue' : `The catalogue has no "${PRIORITY_DELIVERY}" service: name the service to reserve for`,
        [{ path: 'body.serviceKindId', message: 'unknown service' }]);
    }
    if (kind.unit !== 'truckload') throw badRequest('Capacity is reserved in truckloads', [{ path: 'body.serviceKindId', message: `"${kind.name_en}" is counted in ${kind.unit}, not truckloads` }]);
    if (await repo.findReservationByKey(trx, { depotId: b.depotId, week: b.week, serviceKindId: kind.id })) {
      throw new AppError('duplicate', 409, `This depot already has a reservation for ${b.week}: change it instead`, { errors: [{ path: 'body.week', message: 'already reserved' }] });
    }
    const now = ctx.clock.now().toISOString();
    await repo.insertReservation(trx, { id, depot_id: b.depotId, week: b.week, truckloads: b.truckloads, service_kind_id: kind.id, note: b.note, created_at: now, updated_at: now, version: 1 });
    await recordAudit(trx, ctx, { action: 'capacity.reserve', entity: 'capacity_reservation', entityId: id, after: { ...b, serviceKindId: kind.id } });
  });
  return getReservation(ctx, id);
}

/** Changes the truckloads or the note; fewer truckloads than ordered is allowed (the week then shows over). */
export async function updateReservation(ctx: Ctx, id: string, b: z.infer<typeof UpdateReservationBody>): Promise<Reservation> {
  const today = companyToday(ctx);
  await ctx.db.kysely.transaction().execute(async (trx) => {
    const before = await repo.findReservation(trx, id);
    if (!before) throw notFound('Reservation');
    const ok = await repo.updateReservation(trx, id, b.version, {
      ...(b.truckloads !== undefined && { truckloads: b.truckloads }), ...(b.note !== undefined && { note: b.note }), updated_at: ctx.clock.now().toISOString(),
    });
    if (!ok) throw new AppError('precondition_failed', 412, 'The reservation was changed by someone else since you read it; reload and try again');
    await recordAudit(trx, ctx, { action: 'capacity.reservation.update', entity: 'capacity_reservation', entityId: id, before: toReservation(before, today), after: b });
  });
  return getReservation(ctx, id);
}

// ---------- orders ----------

/** The orders of a week's reservation that the caller may see (a manager: those of their accounts). */
export async function listOrders(ctx: Ctx, reservationId: string): Promise<{ items: CapacityOrder[] }> {
  if (!(await repo.findReservation(ctx.db.kysely, reservationId))) throw notFound('Reservation');
  const rows = await repo.listOrders(ctx.db.kysely, reservationId, accountVisibleTo(ctx.actor, 'capacity_orders.account_id'));
  return { items: rows.map(repo.toOrder) };
}

const scopeOf = (ctx: Ctx) => accountVisibleTo(ctx.actor, 'capacity_orders.account_id');

/**
 * Places an order against a reservation, for an account in the caller's scope. It must fall in the
 * reservation's week; beyond the free truckloads it is refused (409 `over_subscribed`) unless
 * `allowOver`. Its truckloads are taken from the account's entitlement (409 `entitlement_exhausted`
 * when it has none left), all in one transaction, one order at a time per reservation.
 */
export async function placeOrder(ctx: Ctx, reservationId: string, b: z.infer<typeof PlaceOrderBody>): Promise<CapacityOrder> {
  const id = newId();
  await ctx.db.kysely.transaction().execute(async (trx) => {
    const r = await repo.lockReservation(trx, ctx.db.dialect, reservationId);
    if (!r) throw notFound('Reservation');
    // An account out of scope is not found, before anything about the week is said.
    if (!(await repo.accountInScope(trx, b.accountId, accountVisibleTo(ctx.actor, 'accounts.id')))) {
      throw new AppError('not_found', 404, 'Account was not found', { errors: [{ path: 'body.accountId', message: 'no such account in your scope' }] });
    }
    const today = companyToday(ctx);
    if (reservationStatus(r, today) === 'past') throw new AppError('invalid_state', 409, `The week ${r.week} is over: no more orders against it`);
    if (!inWeek(b.deliveryDate, r.week)) {
      throw badRequest(`The delivery date must fall in ${r.week}`, [{ path: 'body.deliveryDate', message: `not in ${r.week} (${weekStart(r.week)} – ${weekEnd(r.week)})` }]);
    }
    if (b.deliveryDate < today) throw badRequest('The delivery date has passed', [{ path: 'body.deliveryDate', message: 'in the past' }]);
    const over = overBy(r, b.truckloads);
    if (over > 0 && !b.allowOver) {
      throw new AppError('over_subscribed', 409,
        `Only ${freeOf(r)} of ${r.truckloads} reserved truckloads are free in ${r.week} at ${r.depot_name_en}; ${b.truckloads} asked. Send allowOver to over-subscribe the week.`,
        { free: freeOf(r), asked: b.truckloads, reserved: r.truckloads, ordered: r.ordered });
    }
    // Draws on the account's entitlement (and locks the account for it).
    const usage = await takeService(trx, ctx, {
      accountId: b.accountId, serviceKindId: r.service_kind_id, quantity: b.truckloads, delivered: false, beyondEntitlement: false,
      reference: b.orderRef ?? `capacity-order:${id}`, note: `Priority delivery ${r.week}, ${r.depot_name_en}`,
    });
    const now = ctx.clock.now().toISOString();
    const row = {
      id, reservation_id: r.id, account_id: b.accountId, truckloads: b.truckloads, order_ref: b.orderRef, delivery_date: b.deliveryDate, status: 'placed',
      usage_id: usage.id, created_by: ctx.actor.userId, created_at: now, updated_at: now, version: 1,
    };
    await repo.insertOrder(trx, row);
    await recordAudit(trx, ctx, {
      action: 'capacity.order.place', entity: 'capacity_order', entityId: id, accountId: b.accountId,
      after: { ...b, reservationId: r.id, week: r.week, depotId: r.depot_id, overSubscribedBy: over },
    });
  });
  return getOrder(ctx, id);
}

export async function getOrder(ctx: Ctx, id: string): Promise<CapacityOrder> {
  const r = await repo.findOrder(ctx.db.kysely, id, scopeOf(ctx));
  if (!r) throw notFound('Order');
  return repo.toOrder(r);
}

/** Marks a placed order delivered (its truckloads' cost is incurred) or cancelled (they go back to the entitlement). */
export async function setOrderStatus(ctx: Ctx, id: string, b: z.infer<typeof OrderStatusBody>): Promise<CapacityOrder> {
  await ctx.db.kysely.transaction().execute(async (trx) => {
    const before = await repo.findOrder(trx, id, scopeOf(ctx));
    if (!before) throw notFound('Order');
    // The reservation first, as placing an order does: the two never wait on each other in turn.
    await repo.lockReservation(trx, ctx.db.dialect, before.reservation_id);
    if (before.status !== 'placed') throw new AppError('invalid_state', 409, `This order is already ${before.status}`);
    const ok = await repo.updateOrder(trx, id, b.version, { status: b.status, updated_at: ctx.clock.now().toISOString() });
    if (!ok) throw new AppError('precondition_failed', 412, 'The order was changed by someone else since you read it; reload and try again');
    if (before.usage_id) {
      const usage = await repo.usageVersion(trx, before.usage_id);
      if (usage?.status === 'taken') await settleUsage(trx, ctx, before.usage_id, usage.version, b.status === 'delivered' ? 'delivered' : 'released');
    }
    await recordAudit(trx, ctx, {
      action: b.status === 'delivered' ? 'capacity.order.deliver' : 'capacity.order.cancel', entity: 'capacity_order', entityId: id, accountId: before.account_id,
      before: repo.toOrder(before), after: { status: b.status },
    });
  });
  return getOrder(ctx, id);
}
