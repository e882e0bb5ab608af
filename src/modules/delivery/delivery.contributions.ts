import type { Contribution } from '../../platform/contributions.js';
import type { AccountFact } from '../../platform/contributions.contract.js';
import type { Ctx } from '../../server/context.js';
import { dayNumber, isoOfDay } from './otif.domain.js';
import { otif } from './delivery.service.js';

/** Days of promises the account header's on-time figure covers, up to today. */
const WINDOW_DAYS = 90;

/**
 * The account header: the share of order lines promised in the last 90 days that arrived on time
 * (decision 018) on the dealer's delivery terms (decision 022; none agreed: no tolerance, calendar days), with the overdue open lines.
 * An account without any line due in the window shows nothing rather than 100 %.
 */
async function facts(ctx: Ctx, accountId: string): Promise<AccountFact[]> {
  const today = ctx.clock.now().toISOString().slice(0, 10);
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
    noteParams: { count: g.failures.overdueOpen || g.lines.onTime.of, days: WINDOW_DAYS },
  }];
}

export const deliveryContribution: Contribution = {
  module: 'delivery',
  facts: { permission: 'delivery:read', list: facts },
};
