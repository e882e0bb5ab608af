import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { type Contribution, type DayQuery, timelineBefore, type TimelineQuery } from '../../platform/contributions.js';
import type { AccountFact, AgendaItem, TimelineEvent } from '../../platform/contributions.contract.js';
import type { Ctx } from '../../server/context.js';
import { accountVisibleTo } from '../../server/policy.js';
import { addDays } from '../../shared/time.js';
import { addWeeks, reservationStatus, weekOf, weekStart } from './capacity.domain.js';
import { listReservations } from './capacity.repository.js';
import { companyToday } from './capacity.service.js';

const PLACED = 'capacity-order:';
const SETTLED = 'capacity-order-done:';
const KIND = 'capacity.order';
/** The weeks ahead the day looks at for over-subscribed reservations. */
const AGENDA_WEEKS = 8;
const db = (ctx: Ctx) => ctx.db.kysely as Kysely<Database>;

/** The capacity page, opened on a depot's week. */
export const capacityLink = (depotId: string, week: string) => ({ to: `/capacity?depot=${depotId}&week=${week}` });

/**
 * A calendar date as an instant at noon UTC, so the web app's date formatting (in the reader's time
 * zone, anywhere from UTC−11 to UTC+11) shows that same day.
 */
const dayParam = (date: string) => `${date}T12:00:00.000Z`;

function orders(ctx: Ctx, accountId: string) {
  return db(ctx).selectFrom('capacity_orders')
    .innerJoin('capacity_reservations as r', 'r.id', 'capacity_orders.reservation_id')
    .innerJoin('depots as d', 'd.id', 'r.depot_id')
    .select(['capacity_orders.id', 'capacity_orders.truckloads', 'capacity_orders.delivery_date', 'capacity_orders.order_ref', 'capacity_orders.status',
      'capacity_orders.created_at', 'capacity_orders.updated_at', 'capacity_orders.created_by', 'r.week', 'r.depot_id', 'd.name as depot_name', 'd.name_en as depot_name_en'])
    .where('capacity_orders.account_id', '=', accountId)
    .where(accountVisibleTo(ctx.actor, 'capacity_orders.account_id'));
}

async function timeline(ctx: Ctx, accountId: string, q: TimelineQuery): Promise<TimelineEvent[]> {
  let placed = orders(ctx, accountId).leftJoin('users as u', 'u.id', 'capacity_orders.created_by').select('u.name as actor_name')
    .where(timelineBefore(PLACED, 'capacity_orders.created_at', 'capacity_orders.id', q.before));
  // Delivered and cancelled are final: the order's last change is that one, made by whoever the audit names.
  let settled = orders(ctx, accountId)
    .leftJoin('audit_log as a', (j) => j.onRef('a.entity_id', '=', 'capacity_orders.id').on('a.action', 'in', ['capacity.order.deliver', 'capacity.order.cancel']))
    .leftJoin('users as u', 'u.id', 'a.actor_id').select(['a.actor_id', 'u.name as actor_name'])
    .where('capacity_orders.status', 'in', ['delivered', 'cancelled'])
    .where(timelineBefore(SETTLED, 'capacity_orders.updated_at', 'capacity_orders.id', q.before));
  if (q.userId) { placed = placed.where('capacity_orders.created_by', '=', q.userId); settled = settled.where('a.actor_id', '=', q.userId); }
  const [p, s] = await Promise.all([
    placed.orderBy('capacity_orders.created_at', 'desc').orderBy('capacity_orders.id', 'desc').limit(q.limit).execute(),
    settled.orderBy('capacity_orders.updated_at', 'desc').orderBy('capacity_orders.id', 'desc').limit(q.limit).execute(),
  ]);
  const params = (r: (typeof p)[number]) => ({
    truckloads: r.truckloads, count: r.truckloads, depot: r.depot_name, depotEn: r.depot_name_en, week: r.week, deliveryDate: dayParam(r.delivery_date), orderRef: r.order_ref,
  });
  return [
    ...p.map((r): TimelineEvent => ({
      id: `${PLACED}${r.id}`, at: r.created_at, kind: KIND, module: 'capacity', accountId, actor: r.actor_name ? { id: r.created_by, name: r.actor_name } : null,
      titleKey: 'capacity.timeline.placed', params: params(r), body: null, status: 'info', link: capacityLink(r.depot_id, r.week),
    })),
    ...s.map((r): TimelineEvent => ({
      id: `${SETTLED}${r.id}`, at: r.updated_at, kind: KIND, module: 'capacity', accountId, actor: r.actor_id && r.actor_name ? { id: r.actor_id, name: r.actor_name } : null,
      titleKey: r.status === 'delivered' ? 'capacity.timeline.delivered' : 'capacity.timeline.cancelled', params: params(r), body: null,
      status: r.status === 'delivered' ? 'ok' : 'info', link: capacityLink(r.depot_id, r.week),
    })),
  ];
}

/** Priority truckloads booked for the coming weeks, and the next delivery; nothing for an account that has never ordered. */
async function facts(ctx: Ctx, accountId: string): Promise<AccountFact[]> {
  const today = companyToday(ctx);
  const rows = await orders(ctx, accountId).where('capacity_orders.status', '!=', 'cancelled').orderBy('capacity_orders.delivery_date').execute();
  if (!rows.length) return [];
  const coming = rows.filter((r) => r.status === 'placed' && r.delivery_date >= today);
  const next = coming[0];
  return [{
    id: 'capacity.booked', module: 'capacity', labelKey: 'capacity.facts.booked', order: 70,
    value: { kind: 'count', value: coming.reduce((s, r) => s + r.truckloads, 0) }, status: 'info',
    ...(next ? { noteKey: 'capacity.facts.next', noteParams: { nextDate: dayParam(next.delivery_date), depot: next.depot_name, depotEn: next.depot_name_en } } : { noteKey: 'capacity.facts.noneComing' }),
    link: next ? capacityLink(next.depot_id, next.week) : { to: '/capacity' },
  }];
}

/** For planners: weeks over-subscribed in the coming two months, and reservations about to go unused. */
async function agenda(ctx: Ctx, _day: DayQuery): Promise<AgendaItem[]> {
  const today = companyToday(ctx);
  const from = weekOf(today);
  const rows = await listReservations(db(ctx), { from, to: addWeeks(from, AGENDA_WEEKS) });
  const soon = addDays(today, 7);
  const out: AgendaItem[] = [];
  for (const r of rows) {
    const status = reservationStatus(r, today);
    if (status !== 'over' && status !== 'unused') continue;
    const start = weekStart(r.week)!;
    out.push({
      id: `capacity:${r.id}:${status}`, module: 'capacity', kind: 'capacity',
      urgency: status === 'unused' ? 'today' : start <= soon ? 'now' : 'soon', at: null,
      titleKey: status === 'over' ? 'capacity.agenda.over' : 'capacity.agenda.unused',
      params: { depot: r.depot_name, depotEn: r.depot_name_en, week: r.week, weekStart: dayParam(start), ordered: r.ordered, truckloads: r.truckloads, over: Math.max(0, r.ordered - r.truckloads) },
      account: null, siteId: null, flags: [], link: capacityLink(r.depot_id, r.week),
    });
  }
  return out;
}

/** Priority delivery: booked truckloads in the account header, orders on its timeline, capacity warnings on planners' day. */
export const capacityContribution: Contribution = {
  module: 'capacity',
  facts: { permission: 'service:read', list: facts },
  timeline: { permission: 'service:read', kinds: [KIND], list: timeline },
  agenda: { permission: 'capacity:plan', list: agenda },
  claimsAudit: ['capacity.order.place', 'capacity.order.deliver', 'capacity.order.cancel'],
};
