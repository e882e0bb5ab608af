import { sql } from 'kysely';
import { type Contribution, timelineBefore } from '../../platform/contributions.js';
import type { AccountFact, AgendaFigure, AgendaItem, AgendaSection, FactStatus, TimelineEvent } from '../../platform/contributions.contract.js';
import type { Ctx } from '../../server/context.js';
import { addDays, dayBounds, isTimeZone, localDateOf } from '../../shared/time.js';
import { allows } from '../../server/policy.js';
import { type ComplianceCounts, complianceOf, complianceStatus, missedInARow, outcomeOf, weekStartOf } from './visits.domain.js';
import { managerVisibleTo, programVisibleTo } from './visits.policy.js';
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
  if (ctx.actor.role === 'director') items.push(...await teamCompliance(ctx, day.date), ...await keyAccountsMissed(ctx));
  return items;
}

const severity: Record<FactStatus, number> = { act: 0, watch: 1, ok: 2, info: 3 };
const worse = (a: FactStatus, b: FactStatus): FactStatus => (severity[a] <= severity[b] ? a : b);
const pct = (rate: number) => Math.round(rate * 1000) / 10;
/** Visited share of the due visits: the same lines as the team's status (visits.domain `complianceStatus`). */
const visitRateStatus = (rate: number): FactStatus => (rate < 0.8 ? 'act' : rate < 0.95 ? 'watch' : 'ok');

/** Done / planned, on time, missed (with the reasons given) over one stretch of the program. */
function complianceFigures(stretch: 'week' | 'weeks4', c: ComplianceCounts, latestReason: string | null): AgendaFigure[] {
  const nothingDue = { kind: 'unknown', reasonKey: 'visits.agenda.compliance.nothingDue' } as const;
  const link = { to: '/visits/compliance' };
  return [
    {
      id: `visits.${stretch}.done`, labelKey: `visits.agenda.compliance.${stretch}.done`, link,
      value: c.visitRate === null ? nothingDue : { kind: 'percent', value: pct(c.visitRate) },
      status: c.visitRate === null ? 'info' : visitRateStatus(c.visitRate),
      noteKey: c.upcoming ? 'visits.agenda.compliance.doneOfUpcoming' : 'visits.agenda.compliance.doneOf', noteParams: { done: c.onTime + c.late + c.early, due: c.due, upcoming: c.upcoming },
    },
    {
      id: `visits.${stretch}.onTime`, labelKey: `visits.agenda.compliance.${stretch}.onTime`, link,
      value: c.onTimeRate === null ? nothingDue : { kind: 'percent', value: pct(c.onTimeRate) },
      status: c.onTimeRate === null ? 'info' : punctualityStatus(c.onTimeRate),
      ...(c.late + c.early ? { noteKey: 'visits.agenda.compliance.offTime', noteParams: { count: c.late + c.early } } : {}),
    },
    {
      id: `visits.${stretch}.missed`, labelKey: `visits.agenda.compliance.${stretch}.missed`, link,
      value: { kind: 'count', value: c.missed }, status: c.missed ? 'watch' : c.due ? 'ok' : 'info',
      ...(c.missedWithoutReason ? { noteKey: 'visits.agenda.compliance.withoutReason', noteParams: { count: c.missedWithoutReason } }
        : latestReason ? { noteKey: 'visits.agenda.compliance.latestReason', noteParams: { reason: latestReason } } : {}),
    },
  ];
}

/**
 * The director's team, person by person: this week's visits (Monday to now, in the director's time
 * zone) and the four weeks before, as done / due, on time and missed with their reasons. The
 * members of the teams they direct always show; the director's own program when it has visits.
 */
async function teamCompliance(ctx: Ctx, date: string): Promise<AgendaItem[]> {
  const db = ctx.db.kysely;
  const now = ctx.clock.now();
  const tz = isTimeZone(ctx.actor.timeZone) ? ctx.actor.timeZone : 'UTC';
  const weekStart = weekStartOf(date);
  const [from, weekFrom, weekTo] = [addDays(weekStart, -28), weekStart, addDays(weekStart, 7)].map((d) => dayBounds(d, tz).start.toISOString()) as [string, string, string];
  const [people, visits] = await Promise.all([
    repo.programManagers(db, managerVisibleTo(ctx.actor, 'users.id')),
    repo.listVisits(db, programVisibleTo(ctx.actor, 'visits'), { from, to: weekTo }),
  ]);
  const byManager = new Map<string, repo.VisitRow[]>();
  for (const v of visits) byManager.set(v.manager_id, [...(byManager.get(v.manager_id) ?? []), v]);
  const latestReason = (rows: repo.VisitRow[]) => rows.filter((r) => r.missed_reason && outcomeOfRow(r, now) === 'missed').at(-1)?.missed_reason ?? null;
  // The team's members always (no visits is worth seeing); the director's own program when it has visits.
  const items = people.filter((p) => (p.id !== ctx.actor.userId && p.director_id === ctx.actor.userId) || byManager.has(p.id)).map((p) => {
    const rows = byManager.get(p.id) ?? [];
    const week = rows.filter((r) => r.scheduled_start >= weekFrom);
    const before = rows.filter((r) => r.scheduled_start < weekFrom);
    const counts = (rs: repo.VisitRow[]) => complianceOf(rs.map((r) => ({ outcome: outcomeOfRow(r, now), missedReason: r.missed_reason })));
    const [w, b] = [counts(week), counts(before)];
    return {
      status: worse(complianceStatus(w), complianceStatus(b)), name: p.name,
      item: {
        id: `compliance:${p.id}`, module: 'visits', kind: 'compliance', section: 'team', urgency: 'today', at: null,
        titleKey: 'visits.agenda.compliance.person', params: { manager: p.name, team: p.team_name, managerId: p.id },
        account: null, siteId: null, flags: [], link: { to: '/visits/compliance' },
        figures: [...complianceFigures('week', w, latestReason(week)), ...complianceFigures('weeks4', b, latestReason(before))],
      } satisfies AgendaItem,
    };
  });
  // Whoever needs a word first, then by name.
  items.sort((x, y) => severity[x.status] - severity[y.status] || x.name.localeCompare(y.name));
  return items.map((x, i) => ({ ...x.item, status: x.status, order: i + 1 }));
}

/** Key accounts of the director's scope whose latest visits were missed one after another (two or more). */
async function keyAccountsMissed(ctx: Ctx): Promise<AgendaItem[]> {
  const now = ctx.clock.now();
  const rows = await repo.keyAccountVisits(ctx.db.kysely, programVisibleTo(ctx.actor, 'visits'), new Date(now.getTime() - 84 * DAY).toISOString(), now.toISOString());
  const byAccount = new Map<string, typeof rows>();
  for (const r of rows) byAccount.set(r.account_id, [...(byAccount.get(r.account_id) ?? []), r]);
  const items: AgendaItem[] = [];
  for (const [accountId, visits] of byAccount) {
    const run = missedInARow(visits.map((v) => ({
      outcome: outcomeOf({ status: v.status as 'planned', scheduledEnd: v.scheduled_end, punctuality: v.punctuality as 'on_time' | null, movedAtCustomerRequest: v.moved_from !== null }, now),
      scheduledStart: v.scheduled_start,
    })));
    if (run.count < 2) continue;
    const a = visits[0]!;
    items.push({
      id: `risk:visits:${accountId}`, module: 'visits', kind: 'account-risk', section: 'accounts', urgency: 'today', at: run.since,
      titleKey: 'visits.agenda.risk.missedInARow', params: { count: run.count, since: run.since, tier: a.tier },
      account: { id: accountId, code: a.code, name: a.name, nameEn: a.name_en }, siteId: null, flags: [],
      status: run.count >= 3 ? 'act' : 'watch', link: { to: `/accounts/${accountId}?tab=visit-plan` },
    });
  }
  return items;
}

const sections = (ctx: Ctx): AgendaSection[] => (ctx.actor.role === 'director' ? ['team', 'accounts'] : []);

/**
 * The visit program on the account page (last and next visit, punctuality), its timeline and the
 * day: today's route, answers and approvals; for a director, the team's compliance and the key
 * accounts whose visits keep being missed.
 */
export const visitsContribution: Contribution = {
  module: 'visits',
  facts: { permission: 'visit:read', list: facts },
  timeline: { permission: 'visit:read', kinds: ['visit', 'slot-change'], list: timeline },
  agenda: { permission: 'visit:read', list: agenda, sections },
  // A check-in and check-out (of the visit and of the activity they record) are the visit's event on the timeline, once.
  claimsAudit: ['check_in', 'check_out'],
};
