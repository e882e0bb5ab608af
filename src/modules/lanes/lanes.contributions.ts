/**
 * Lanes on the account page (the lane plan: the approved rule in force or coming, e.g. "Rail
 * 1 Jul – 30 Sep"), the timeline (a rule approved) and the day (a proposed rule waiting for the
 * caller's approval: the dealer's manager, their director, an admin).
 */
import type { Contribution, TimelineQuery } from '../../platform/contributions.js';
import type { AccountFact, AgendaItem, TimelineEvent } from '../../platform/contributions.contract.js';
import type { Ctx } from '../../server/context.js';
import { accountVisibleTo, accountWritableBy } from '../../server/policy.js';
import { approvalsOfAccount, proposedFor } from './lanes.repository.js';
import { listLanes } from './lanes.service.js';

/** A seasonal period as numbers, so each language writes it its own way ("1 Jul – 30 Sep", "7月1日–9月30日"). */
const period = (fromDay: string, toDay: string) => ({ fromMonth: Number(fromDay.slice(0, 2)), fromDate: Number(fromDay.slice(3, 5)), toMonth: Number(toDay.slice(0, 2)), toDate: Number(toDay.slice(3, 5)) });

async function facts(ctx: Ctx, accountId: string): Promise<AccountFact[]> {
  const { items } = await listLanes(ctx, { accountId });
  return items.filter((l) => l.plan).map((l, i): AccountFact => ({
    id: `lanes.plan:${l.code}`, module: 'lanes', labelKey: 'lanes.facts.plan', order: 65 + i / 100,
    value: { kind: 'text', key: 'lanes.facts.rule', params: { mode: l.plan!.toMode, ...period(l.plan!.fromDay, l.plan!.toDay) } },
    status: 'info', noteKey: l.plan!.inForce ? 'lanes.facts.inForce' : 'lanes.facts.coming', noteParams: { lane: l.code, name: l.name, count: l.plan!.startsInDays, otherwise: l.defaultMode },
    link: { tab: 'lanes' },
  }));
}

async function timeline(ctx: Ctx, accountId: string, q: TimelineQuery): Promise<TimelineEvent[]> {
  const rows = await approvalsOfAccount(ctx.db.kysely, accountId, accountVisibleTo(ctx.actor, 'l.account_id'));
  return rows.map((r): TimelineEvent => ({
    id: `lanes:rule-approved:${r.id}`, at: r.decided_at!, kind: 'lane.rule-approved', module: 'lanes', accountId,
    actor: r.decided_by && r.decider ? { id: r.decided_by, name: r.decider } : null, titleKey: 'lanes.timeline.approved',
    params: { lane: r.lane_code, from: r.from_mode, to: r.to_mode, ...period(r.from_day, r.to_day) }, body: r.reason, status: 'ok', link: { to: `/lanes/${encodeURIComponent(r.lane_code)}` },
  }))
    .filter((e) => !q.userId || e.actor?.id === q.userId)
    .filter((e) => !q.before || e.at < q.before.at || (e.at === q.before.at && e.id < q.before.id))
    .sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : a.id < b.id ? 1 : -1))
    .slice(0, q.limit);
}

async function agenda(ctx: Ctx): Promise<AgendaItem[]> {
  const rows = await proposedFor(ctx.db.kysely, accountWritableBy(ctx.actor, 'l.account_id'));
  return rows.map((r): AgendaItem => {
    const f = JSON.parse(r.figures_json) as { extraPerTonneMinor: number; currency: string; daysSaved: number; chanceFrom: number; chanceTo: number; costDeltaMinor: number };
    return {
      id: `lanes:rule:${r.id}`, module: 'lanes', kind: 'lane-rule', urgency: 'today', at: null, titleKey: 'lanes.agenda.approve',
      params: { lane: r.lane_code, from: r.from_mode, to: r.to_mode, ...period(r.from_day, r.to_day), currency: f.currency, extraPerTonneMinor: f.extraPerTonneMinor, costDeltaMinor: f.costDeltaMinor },
      account: { id: r.account_id, code: r.account_code, name: r.account_name, nameEn: r.account_name_en }, siteId: null, flags: [], link: { to: `/lanes/${encodeURIComponent(r.lane_code)}` },
    };
  });
}

export const lanesContribution: Contribution = {
  module: 'lanes',
  facts: { permission: 'delivery:read', list: facts },
  timeline: { permission: 'delivery:read', kinds: ['lane.rule-approved'], list: timeline },
  agenda: { permission: 'lane:approve', list: agenda },
  // The lane's own changes (rates, proposals, decisions) are read on the lane page; on the account only the approval is an event.
  claimsAudit: ['lane.create', 'lane.update', 'lane.rate.add', 'lane.rule.propose', 'lane.rule.approve', 'lane.rule.reject', 'lane.rule.supersede'],
};
