import { sql } from 'kysely';
import { type Contribution, timelineBefore } from '../../platform/contributions.js';
import type { AccountFact, AgendaItem, FactStatus, TimelineEvent } from '../../platform/contributions.contract.js';
import type { Ctx } from '../../server/context.js';
import { addDays, localDateOf } from '../../shared/time.js';
import { allows } from '../../server/policy.js';
import { complianceOf, outcomeOf } from './visits.domain.js';
import { programVisibleTo } from './visits.policy.js';
import * as repo from './visits.repository.js';

const DAY = 86_400_000;
const VISIT = 'visit:';
const CHANGE = 'slot-change:';

const outcomeOfRow = (r: repo.VisitRow, now: Date) => outcomeOf({
  status: r.status as 'planned', scheduledEnd: r.scheduled_end, punctuality: r.punctuality as 'on_time' | null, movedAtCustomerRequest: r.moved_from !== null,
}, now);

/** Last visit: fine within the week's rhythm, watch after two weeks, act after a month. */
const lastVisitStatus = (daysAgo: number): FactStatus => (daysAgo <= 8 ? 'ok' : daysAgo <= 15 ? 'watch' : 'act');
/** On-time rate over the last 12 weeks: the program promises the customer a fixed time. */
const punctualityStatus = (rate: number): FactStatus => (rate >= 0.9 ? 'ok' : rate >= 0.75 ? 'watch' : 'act');

async function facts(ctx: Ctx, accountId: string): Promise<AccountFact[]> {
  const db = ctx.db.kysely;
  const scope = programVisibleTo(ctx.actor, 'visits');
  const now = ctx.clock.now();
  const since = new Date(now.getTime() - 84 * DAY).toISOString();
  const [last, recent] = await Promise.all([
    repo.lastCheckedInVisit(db, scope, accountId),
    repo.accountVisitsSince(db, scope, accountId, since, 200),
  ]);
  const out: AccountFact[] = [];
  if (last?.check_in_at) {
    const daysAgo = Math.floor((now.getTime() - new Date(last.check_in_at).getTime()) / DAY);
    out.push({
      id: 'visits.last', module: 'visits', labelKey: 'visits.facts.last', order: 30, value: { kind: 'date', at: last.check_in_at },
      status: lastVisitStatus(daysAgo), noteKey: last.punctuality ? `visits.facts.punctuality.${last.punctuality}` : 'visits.facts.daysAgo', noteParams: { days: daysAgo },
      link: { tab: 'visit-plan' },
    });
  } else {
    out.push({ id: 'visits.last', module: 'visits', labelKey: 'visits.facts.last', order: 30, value: { kind: 'unknown', reasonKey: 'visits.facts.neverVisited' }, status: 'watch', link: { tab: 'visit-plan' } });
  }
  const next = recent.find((r) => r.status === 'planned' && r.scheduled_end > now.toISOString());
  out.push(next
    ? { id: 'visits.next', module: 'visits', labelKey: 'visits.facts.next', order: 31, value: { kind: 'date', at: next.scheduled_start }, status: 'info', ...(next.site_name ? { noteKey: 'visits.facts.atSite', noteParams: { site: next.site_name } } : {}), link: { tab: 'visit-plan' } }
    : { id: 'visits.next', module: 'visits', labelKey: 'visits.facts.next', order: 31, value: { kind: 'unknown', reasonKey: 'visits.facts.noPlan' }, status: 'watch', link: { tab: 'visit-plan' } });
  const c = complianceOf(recent.filter((r) => r.scheduled_start < now.toISOString()).map((r) => ({ outcome: outcomeOfRow(r, now), missedReason: r.missed_reason })));
  if (c.onTimeRate !== null) {
    out.push({
      id: 'visits.punctuality', module: 'visits', labelKey: 'visits.facts.onTime', order: 32, value: { kind: 'percent', value: Math.round(c.onTimeRate * 1000) / 10 },
      status: punctualityStatus(c.onTimeRate), noteKey: 'visits.facts.onTimeNote', noteParams: { due: c.due, late: c.late + c.early, missed: c.missed }, link: { tab: 'visit-plan' },
    });
  }
  return out;
}

async function timeline(ctx: Ctx, accountId: string, q: { limit: number; before?: { at: string; id: string }; kinds?: string[]; userId?: string }): Promise<TimelineEvent[]> {
  const db = ctx.db.kysely;
  const now = ctx.clock.now().toISOString();
  const wants = (k: string) => !q.kinds || q.kinds.includes(k);
  const at = sql<string>`coalesce(visits.check_in_at, visits.scheduled_start)`;
  const [visits, changes] = await Promise.all([
    wants('visit') ? repo.timelineVisits(db, programVisibleTo(ctx.actor, 'visits'), accountId, { before: timelineBefore(VISIT, at, 'visits.id', q.before), at, until: now, managerId: q.userId, limit: q.limit }) : [],
    wants('slot-change') ? repo.timelineChanges(db, programVisibleTo(ctx.actor, 'call_plan_changes'), accountId, { before: timelineBefore(CHANGE, 'call_plan_changes.requested_at', 'call_plan_changes.id', q.before), userId: q.userId, limit: q.limit }) : [],
  ]);
  const nowDate = ctx.clock.now();
  return [
    ...visits.map((v): TimelineEvent => {
      const outcome = outcomeOfRow(v, nowDate);
      return {
        id: `${VISIT}${v.id}`, at: v.event_at, kind: 'visit', module: 'visits', accountId,
        actor: { id: v.manager_id, name: v.manager_name ?? '' },
        titleKey: `visits.timeline.visit.${outcome === 'on_time' && !v.check_out_at ? 'on_time_open' : outcome}`,
        params: { site: v.site_name, scheduled: v.scheduled_start, checkIn: v.check_in_at, checkOut: v.check_out_at, distance: v.check_in_distance_m },
        body: v.missed_reason ?? v.outcome_notes ?? v.moved_note,
        status: outcome === 'missed' ? 'act' : outcome === 'late' || outcome === 'early' ? 'watch' : 'ok',
        link: { tab: 'visit-plan' },
      };
    }),
    ...changes.map((c): TimelineEvent => {
      const before = c.before_json ? (JSON.parse(c.before_json) as Record<string, unknown>) : {};
      const after = JSON.parse(c.after_json) as Record<string, unknown>;
      const str = (v: unknown) => (typeof v === 'string' ? v : null);
      const moved = before.weekday !== undefined;
      return {
        id: `${CHANGE}${c.id}`, at: c.requested_at, kind: 'slot-change', module: 'visits', accountId,
        actor: { id: c.requested_by, name: c.requested_by_name },
        titleKey: moved ? `visits.timeline.slotChange.${c.status}` : 'visits.timeline.slotChange.created',
        params: { reason: c.reason, fromDay: str(before.weekday), fromTime: str(before.startTime), toDay: str(after.weekday) ?? 'mon', toTime: str(after.startTime) },
        body: c.note, status: c.status === 'pending' ? 'watch' : 'info', link: { tab: 'visit-plan' },
      };
    }),
  ];
}

async function agenda(ctx: Ctx, day: { date: string; from: string; to: string }): Promise<AgendaItem[]> {
  const db = ctx.db.kysely;
  const now = ctx.clock.now();
  const items: AgendaItem[] = [];
  const account = (r: { account_id: string; code: string; name: string; name_en: string | null }) => ({ id: r.account_id, code: r.code, name: r.name, nameEn: r.name_en });
  if (ctx.actor.role === 'manager' || ctx.actor.role === 'director') {
    const visits = await repo.dayVisits(db, programVisibleTo(ctx.actor, 'visits'), ctx.actor.userId, day.from, day.to);
    visits.forEach((v, i) => {
      const outcome = outcomeOfRow(v, now);
      const open = v.status === 'planned' || v.status === 'checked_in';
      items.push({
        id: `${VISIT}${v.id}`, module: 'visits', kind: 'visit', order: i + 1,
        urgency: open && v.scheduled_start <= now.toISOString() ? 'now' : 'today',
        at: v.scheduled_start, titleKey: `visits.agenda.visit.${v.status === 'planned' && outcome === 'upcoming' ? 'planned' : outcome}`,
        params: { site: v.site_name, position: i + 1, end: v.scheduled_end, checkIn: v.check_in_at },
        account: account({ account_id: v.account_id, code: v.account_code, name: v.account_name, name_en: v.account_name_en }),
        siteId: v.site_id, flags: [], link: { to: '/today' },
      });
    });
    const answered = await repo.answeredChanges(db, programVisibleTo(ctx.actor, 'call_plan_changes'), ctx.actor.userId, addDays(localDateOf(now, 'UTC'), -2));
    for (const c of answered) {
      items.push({
        id: `${CHANGE}${c.id}`, module: 'visits', kind: 'slot-change', urgency: 'soon', at: c.decided_at, titleKey: `visits.agenda.slotChange.${c.status}`,
        params: {}, account: account(c), siteId: null, flags: [], link: { to: '/visits/changes' },
      });
    }
  }
  if (allows(ctx.actor.role, 'plan:approve')) {
    for (const g of await repo.pendingChangesByManager(db, programVisibleTo(ctx.actor, 'call_plan_changes'))) {
      items.push({
        id: `approvals:${g.manager_id}`, module: 'visits', kind: 'approval', urgency: 'waiting', at: g.oldest as string,
        titleKey: 'visits.agenda.approvals', params: { count: Number(g.n), manager: g.manager_name, managerId: g.manager_id },
        account: null, siteId: null, flags: [], link: { to: `/visits/changes?managerId=${g.manager_id}` },
      });
    }
  }
  return items;
}

/** The visit program on the account page (last and next visit, punctuality), its timeline and the day. */
export const visitsContribution: Contribution = {
  module: 'visits',
  facts: { permission: 'visit:read', list: facts },
  timeline: { permission: 'visit:read', kinds: ['visit', 'slot-change'], list: timeline },
  agenda: { permission: 'visit:read', list: agenda },
};
