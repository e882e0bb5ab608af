import { type Contribution, timelineBefore } from '../../platform/contributions.js';
import type { AccountFact, FactStatus, TimelineEvent } from '../../platform/contributions.contract.js';
import type { Ctx } from '../../server/context.js';
import { accountVisibleTo } from '../../server/policy.js';
import { revenueTrend } from '../sales/sales.service.js';
import { SegmentQuery } from './portfolio.contract.js';
import { segment } from './portfolio.service.js';

/** The audit actions of tier changes and designations, shown as their own events (not as raw history). */
export const TIER_ACTIONS = ['tier_apply', 'key_account_designate', 'key_account_undesignate'];
const PREFIX = 'tier:';

/** Change on the previous 12 months: a fall of a tenth is worth watching, a quarter is to act on. */
const changeStatus = (pct: number | null): FactStatus => (pct === null ? 'info' : pct <= -25 ? 'act' : pct <= -10 ? 'watch' : 'ok');

async function facts(ctx: Ctx, accountId: string): Promise<AccountFact[]> {
  const q = SegmentQuery.parse({});
  const [seg, trend] = await Promise.all([segment(ctx, q), revenueTrend(ctx, accountId, { currency: q.currency })]);
  const row = seg.items.find((i) => i.accountId === accountId);
  const points = trend.points;
  const last12 = points.slice(-12).reduce((s, p) => s + p.revenueMinor, 0);
  const prior12 = points.slice(-24, -12).reduce((s, p) => s + p.revenueMinor, 0);
  const change = prior12 > 0 ? Math.round(((last12 - prior12) / prior12) * 1000) / 10 : null;
  return [
    {
      id: 'portfolio.revenue', module: 'portfolio', labelKey: 'portfolio.facts.revenue12', order: 10,
      value: { kind: 'money', amountMinor: last12, currency: q.currency }, status: changeStatus(change),
      ...(change !== null ? { noteKey: 'portfolio.facts.change', noteParams: { pct: change } } : { noteKey: 'portfolio.facts.noPriorYear' }),
      link: { tab: 'revenue' },
    },
    {
      id: 'portfolio.tier', module: 'portfolio', labelKey: 'portfolio.facts.tier', order: 11,
      value: { kind: 'tier', tier: row?.tier ?? null, rank: row?.rank ?? null, of: seg.scope.companyAccounts },
      // A key account whose stored tier lags the computed one is worth a look.
      status: row && row.currentTier && row.currentTier !== row.tier ? 'watch' : 'info',
      ...(row?.currentTier && row.currentTier !== row.tier ? { noteKey: 'portfolio.facts.tierStale', noteParams: { stored: row.currentTier, computed: row.tier } } : row?.designationReason ? { noteKey: 'portfolio.facts.designated', noteParams: { reason: row.designationReason } } : {}),
      link: { to: '/portfolio' },
    },
  ];
}

async function timeline(ctx: Ctx, accountId: string, q: { limit: number; before?: { at: string; id: string }; userId?: string }): Promise<TimelineEvent[]> {
  let query = ctx.db.kysely.selectFrom('audit_log').select(['id', 'at', 'actor_id', 'actor_label', 'action', 'before_json', 'after_json'])
    .where('account_id', '=', accountId).where('action', 'in', TIER_ACTIONS)
    .where(accountVisibleTo(ctx.actor, 'audit_log.account_id'))
    .where(timelineBefore(PREFIX, 'audit_log.at', 'audit_log.id', q.before));
  if (q.userId) query = query.where('actor_id', '=', q.userId);
  const rows = await query.orderBy('at', 'desc').orderBy('id', 'desc').limit(q.limit).execute();
  return rows.map((r): TimelineEvent => {
    const before = r.before_json ? (JSON.parse(r.before_json) as Record<string, unknown>) : {};
    const after = r.after_json ? (JSON.parse(r.after_json) as Record<string, unknown>) : {};
    return {
      id: `${PREFIX}${r.id}`, at: r.at, kind: 'tier', module: 'portfolio', accountId,
      actor: r.actor_id ? { id: r.actor_id, name: r.actor_label.replace(/\s*<.*>$/, '') } : null,
      titleKey: `portfolio.timeline.${r.action}`,
      params: { from: (before.tier as string | undefined) ?? null, to: (after.tier as string | undefined) ?? null },
      body: r.action === 'tier_apply' ? null : ((after.reason as string | undefined) ?? null), link: { to: '/portfolio' },
    };
  });
}

/** 80/20 on the account page: revenue of 12 months and its change, tier and rank; tier moves on the timeline. */
export const portfolioContribution: Contribution = {
  module: 'portfolio',
  facts: { permission: 'sales:read', list: facts },
  timeline: { permission: 'sales:read', kinds: ['tier'], list: timeline },
  claimsAudit: TIER_ACTIONS,
};
