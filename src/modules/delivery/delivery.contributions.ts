/**
 * Delivery on the account header (on-time share of the last 90 days), the account timeline (a
 * shipment delivered after its line's promise), the day (the overdue open lines of the caller's own
 * accounts, one item per account) and the dealer portal (its shipments on the way and its overdue
 * lines, nothing internal).
 */
import { sql, type Kysely, type SqlBool } from 'kysely';
import type { Database } from '../../db/schema.js';
import { type Contribution, timelineBefore, type TimelineQuery } from '../../platform/contributions.js';
import type { AccountFact, AgendaItem, PortalCard, TimelineEvent } from '../../platform/contributions.contract.js';
import type { Ctx } from '../../server/context.js';
import { accountVisibleTo } from '../../server/policy.js';
import { dayNumber, isoOfDay } from './otif.domain.js';
import { otif, overdueLines } from './delivery.service.js';

/** Days of promises the account header's on-time figure covers, up to today. */
const WINDOW_DAYS = 90;
const LATE = 'delivery-late:';
const db = (ctx: Ctx) => ctx.db.kysely as Kysely<Database>;
const todayOf = (ctx: Ctx) => ctx.clock.now().toISOString().slice(0, 10);

/**
 * The account header: the share of order lines promised in the last 90 days that arrived on time
 * (decision 018) on the dealer's delivery terms (decision 022; none agreed: no tolerance, calendar days), with the overdue open lines.
 * An account without any line due in the window shows nothing rather than 100 %.
 */
async function facts(ctx: Ctx, accountId: string): Promise<AccountFact[]> {
  const today = todayOf(ctx);
  const from = isoOfDay(dayNumber(today) - WINDOW_DAYS);
  const to = isoOfDay(dayNumber(today) + 1);
  const { groups } = await otif(ctx, { by: [], from, to, accountId });
  const g = groups[0];
  if (!g || g.lines.onTime.share === null) return [];
  const pct = Math.round(g.lines.onTime.share * 1000) / 10;
  return [{
    id: 'delivery.onTime', module: 'delivery', labelKey: 'delivery.facts.onTime', order: 60,
    value: { kind: 'percent', value: pct }, status: pct >= 95 ? 'ok' : pct >= 85 ? 'watch' : 'act',
    noteKey: g.failures.overdueOpen ? 'delivery.facts.overdue' : 'delivery.facts.lines',
    noteParams: { count: g.failures.overdueOpen || g.lines.onTime.of, days: WINDOW_DAYS }, link: { tab: 'delivery' },
  }];
}

/**
 * A shipment delivered after its line's promised date, at the start (UTC) of its delivery day:
 * "Order X line Y delivered N days late" (calendar days, as the shipment list shows them).
 */
async function timeline(ctx: Ctx, accountId: string, q: TimelineQuery): Promise<TimelineEvent[]> {
  if (q.userId) return []; // no person delivered it
  const at = sql<string>`(s.delivered_date || 'T00:00:00.000Z')`;
  const rows = await db(ctx).selectFrom('shipments as s').innerJoin('order_lines as l', 'l.id', 's.order_line_id')
    .select(['s.id', 's.delivered_date', 's.quantity', 's.mode', 'l.order_no', 'l.line_no', 'l.item', 'l.promised_date'])
    .where('s.account_id', '=', accountId).where(accountVisibleTo(ctx.actor, 's.account_id'))
    .where('s.delivered_date', 'is not', null).where('l.promised_date', 'is not', null).whereRef('s.delivered_date', '>', 'l.promised_date')
    .where(timelineBefore(LATE, at, 's.id', q.before))
    .orderBy('s.delivered_date', 'desc').orderBy('s.id', 'desc').limit(q.limit).execute();
  return rows.map((r): TimelineEvent => {
    const days = dayNumber(r.delivered_date!) - dayNumber(r.promised_date!);
    return {
      id: `${LATE}${r.id}`, at: `${r.delivered_date}T00:00:00.000Z`, kind: 'delivery.late', module: 'delivery', accountId, actor: null,
      titleKey: r.line_no ? 'delivery.timeline.late' : 'delivery.timeline.lateNoLine',
      params: { order: r.order_no, line: r.line_no, count: days, item: r.item, promised: r.promised_date, quantity: r.quantity == null ? null : Number(r.quantity) },
      body: null, status: days > 3 ? 'act' : 'watch', link: { tab: 'delivery' },
    };
  });
}

/**
 * The caller's own accounts (owned or on the account team) with open lines past their promise and
 * not delivered in full: one item per account, the oldest promise first.
 */
async function agenda(ctx: Ctx): Promise<AgendaItem[]> {
  const me = ctx.actor.userId;
  const mine = sql<SqlBool>`l.account_id in (select a.id from accounts a where a.owner_id = ${me} union select at2.account_id from account_team at2 where at2.user_id = ${me})`;
  const { items } = await overdueLines(ctx, { only: mine, limit: 10_000, offset: 0 });
  if (!items.length) return [];
  const byAccount = new Map<string, typeof items>();
  for (const l of items) byAccount.set(l.accountId, [...(byAccount.get(l.accountId) ?? []), l]);
  const accounts = await db(ctx).selectFrom('accounts').select(['id', 'code', 'name', 'name_en']).where('id', 'in', [...byAccount.keys()]).execute();
  return accounts.map((a): AgendaItem => {
    const lines = byAccount.get(a.id)!;
    const oldest = lines[0]!;
    return {
      id: `delivery-overdue:${a.id}`, module: 'delivery', kind: 'delivery-overdue', urgency: 'now', at: null,
      titleKey: 'delivery.agenda.overdue', params: { count: lines.length, order: oldest.orderNo, days: oldest.daysOverdue, promised: oldest.promisedDate },
      account: { id: a.id, code: a.code, name: a.name, nameEn: a.name_en }, siteId: null, flags: [], link: { to: `/accounts/${a.id}?tab=delivery` },
    };
  }).sort((x, y) => Number(y.params.days) - Number(x.params.days));
}

/** The dealer's own deliveries: shipments on the way and lines overdue. No freight, weight or rates of others. */
async function portal(ctx: Ctx): Promise<PortalCard[]> {
  if (ctx.actor.role !== 'dealer') return [];
  const [counts, overdue] = await Promise.all([
    db(ctx).selectFrom('shipments as s')
      .select((eb) => [eb.fn.countAll<number>().as('all'), sql<number>`sum(case when s.shipped_date is not null and s.delivered_date is null then 1 else 0 end)`.as('onWay')])
      .where(accountVisibleTo(ctx.actor, 's.account_id')).executeTakeFirst(),
    overdueLines(ctx, { limit: 1, offset: 0 }),
  ]);
  const n = Number(counts?.onWay ?? 0);
  // A dealer with any delivery on record always finds the way to its deliveries page here.
  if (!Number(counts?.all ?? 0) && !overdue.total) return [];
  return [{
    id: 'delivery.deliveries', module: 'delivery', titleKey: 'delivery.portal.title', params: { count: n, late: overdue.total },
    status: overdue.total ? 'watch' : 'info',
    lines: [
      { labelKey: 'delivery.portal.onTheWay', value: { kind: 'count', value: n }, href: '/portal/deliveries' },
      { labelKey: 'delivery.portal.late', value: { kind: 'count', value: overdue.total }, href: '/portal/deliveries' },
    ],
    link: { to: '/portal/deliveries' },
  }];
}

export const deliveryContribution: Contribution = {
  module: 'delivery',
  facts: { permission: 'delivery:read', list: facts },
  timeline: { permission: 'delivery:read', kinds: ['delivery.late'], list: timeline },
  agenda: { permission: 'delivery:read', list: agenda },
  portal: { permission: 'delivery:portal', list: portal },
};
