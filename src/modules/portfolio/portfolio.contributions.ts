import { type Contribution, timelineBefore } from '../../platform/contributions.js';
import type { AccountFact, AgendaFigure, AgendaItem, AgendaSection, FactStatus, TimelineEvent } from '../../platform/contributions.contract.js';
import type { Ctx } from '../../server/context.js';
import { accountVisibleTo } from '../../server/policy.js';
import { addMonths, ensureRollups, revenueTrend } from '../sales/sales.service.js';
import { SegmentQuery } from './portfolio.contract.js';
import { abc, topShare } from './portfolio.domain.js';
import * as repo from './portfolio.repository.js';
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

const pctChange = (now: number, before: number): number | null => (before > 0 ? Math.round(((now - before) / before) * 1000) / 10 : null);

/**
 * Revenue per account over the last 12 full months and the 12 before (company-wide, with whether
 * the caller may see each account), in the portfolio's default currency. Full months: a month
 * under way would make every account look down on the year before.
 */
async function twoYears(ctx: Ctx) {
  const currency = SegmentQuery.parse({}).currency;
  const to = addMonths(ctx.clock.now().toISOString().slice(0, 7), -1);
  await ensureRollups(ctx.db);
  const scope = accountVisibleTo(ctx.actor, 'a.id');
  const [last, prior] = await Promise.all([
    repo.accountValues(ctx.db.kysely, { from: addMonths(to, -11), to, currency, basis: 'revenue' }, scope),
    repo.accountValues(ctx.db.kysely, { from: addMonths(to, -23), to: addMonths(to, -12), currency, basis: 'revenue' }, scope),
  ]);
  return { currency, last, prior: new Map(prior.map((v) => [v.accountId, v])) };
}

/**
 * The director's key accounts (stored tier A or B) whose revenue fell on the year before as much as
 * the header calls to act on (a quarter): a fall worth watching stays in the account's header, or
 * most of a team's key accounts would be listed in a slow year.
 */
async function keyAccountsDown(ctx: Ctx): Promise<AgendaItem[]> {
  const { currency, last, prior } = await twoYears(ctx);
  const down = last.flatMap((v) => {
    if (!v.visible || (v.currentTier !== 'A' && v.currentTier !== 'B')) return [];
    const before = prior.get(v.accountId)?.value ?? 0;
    const change = pctChange(v.value, before);
    const status = changeStatus(change);
    return status === 'act' ? [{ v, before, change: change!, status }] : [];
  });
  if (!down.length) return [];
  const names = new Map((await ctx.db.kysely.selectFrom('accounts').select(['id', 'name_en']).where('id', 'in', down.map((d) => d.v.accountId)).execute()).map((a) => [a.id, a.name_en]));
  return down.map(({ v, before, change, status }): AgendaItem => ({
    id: `risk:portfolio:${v.accountId}`, module: 'portfolio', kind: 'account-risk', section: 'accounts', urgency: 'today', at: null,
    titleKey: 'portfolio.agenda.risk.revenueDown', params: { pct: change, lastMinor: v.value, priorMinor: before, currency, tier: v.currentTier },
    account: { id: v.accountId, code: v.code, name: v.name, nameEn: names.get(v.accountId) ?? null }, siteId: null, flags: [],
    status, link: { to: `/accounts/${v.accountId}?tab=revenue` },
  }));
}

/**
 * The executive's figures of the portfolio: revenue of 12 months and its change, the share of the
 * top 20 % of buying accounts, and the accounts by (computed, company-wide) tier with their share.
 */
async function portfolioFigures(ctx: Ctx): Promise<AgendaItem[]> {
  const { currency, last, prior } = await twoYears(ctx);
  const visible = last.filter((v) => v.visible);
  const revenue = visible.reduce((s, v) => s + v.value, 0);
  const before = [...prior.values()].filter((v) => v.visible).reduce((s, v) => s + v.value, 0);
  const change = pctChange(revenue, before);
  const seen = new Set(visible.map((v) => v.accountId));
  const ranked = abc(last.map((v) => ({ accountId: v.accountId, code: v.code, value: v.value }))).filter((r) => seen.has(r.accountId));
  const positive = ranked.reduce((s, r) => s + Math.max(0, r.value), 0);
  const top = topShare(visible.map((v) => ({ accountId: v.accountId, code: v.code, value: v.value })));
  const link = { to: '/portfolio' };
  const figures: AgendaFigure[] = [
    {
      id: 'portfolio.revenue12', labelKey: 'portfolio.facts.revenue12', value: { kind: 'money', amountMinor: revenue, currency }, status: changeStatus(change), link,
      ...(change !== null ? { noteKey: 'portfolio.facts.change', noteParams: { pct: change } } : { noteKey: 'portfolio.facts.noPriorYear' }),
    },
    {
      id: 'portfolio.top20', labelKey: 'portfolio.agenda.figures.top20', status: 'info', link,
      value: top.share === null ? { kind: 'unknown', reasonKey: 'portfolio.agenda.figures.noSales' } : { kind: 'percent', value: Math.round(top.share * 1000) / 10 },
      noteKey: 'portfolio.agenda.figures.top20Note', noteParams: { count: top.count, of: top.of },
    },
    ...(['A', 'B', 'C'] as const).map((tier): AgendaFigure => {
      const rows = ranked.filter((r) => r.tier === tier);
      const value = rows.reduce((s, r) => s + Math.max(0, r.value), 0);
      return {
        id: `portfolio.tier${tier}`, labelKey: `portfolio.agenda.figures.tier${tier}`, value: { kind: 'count', value: rows.length }, status: 'info', link,
        noteKey: 'portfolio.agenda.figures.tierShare', noteParams: { pct: positive > 0 ? Math.round((value / positive) * 1000) / 10 : 0 },
      };
    }),
  ];
  return [{
    id: 'portfolio:figures', module: 'portfolio', kind: 'figures', section: 'figures', urgency: 'today', at: null, order: 10,
    titleKey: 'portfolio.agenda.figures.title', params: {}, account: null, siteId: null, flags: [], link, figures,
  }];
}

async function agenda(ctx: Ctx): Promise<AgendaItem[]> {
  if (ctx.actor.role === 'director') return keyAccountsDown(ctx);
  if (ctx.actor.role === 'executive') return portfolioFigures(ctx);
  return [];
}

const sections = (ctx: Ctx): AgendaSection[] => (ctx.actor.role === 'director' ? ['accounts'] : ctx.actor.role === 'executive' ? ['figures'] : []);

/**
 * 80/20 on the account page: revenue of 12 months and its change, tier and rank; tier moves on the
 * timeline; on the day, a director's key accounts whose revenue fell and an executive's figures.
 */
export const portfolioContribution: Contribution = {
  module: 'portfolio',
  facts: { permission: 'sales:read', list: facts },
  agenda: { permission: 'sales:read', list: agenda, sections },
  timeline: { permission: 'sales:read', kinds: ['tier'], list: timeline },
  claimsAudit: TIER_ACTIONS,
};
