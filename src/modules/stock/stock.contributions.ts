/**
 * Stock on the account header (days out of stock in the last 90 days), the timeline (a stock-out
 * began, stock was back), the day (a dealer out of stock on a product now) and the dealer portal
 * (its own stock-outs, no values).
 */
import type { Contribution, TimelineQuery } from '../../platform/contributions.js';
import type { AccountFact, AgendaItem, PortalCard, TimelineEvent } from '../../platform/contributions.contract.js';
import type { Ctx } from '../../server/context.js';
import { instantOf, DEFAULT_TIME_ZONE } from '../../shared/time.js';
import type { StockOutRow } from './stock.contract.js';
import { accountStock, PERIOD_DAYS, stockOuts } from './stock.service.js';

/** How the product of a row is named in parameters: the Chinese name with its English beside it, or the item text. */
const productParams = (r: Pick<StockOutRow, 'productNameZh' | 'productNameEn' | 'item' | 'sku'>) =>
  ({ product: r.productNameZh ?? r.item ?? r.sku ?? '', productEn: r.productNameEn ?? r.item ?? r.sku ?? '' });

async function facts(ctx: Ctx, accountId: string): Promise<AccountFact[]> {
  const s = await accountStock(ctx, accountId, {}, true);
  if (!s.latest.length) return [];
  const days = s.outs.reduce((n, r) => n + r.daysOut, 0);
  const outNow = s.latest.filter((l) => l.outSince !== null).length;
  return [{
    id: 'stock.daysOut', module: 'stock', labelKey: 'stock.facts.daysOut', order: 62,
    value: { kind: 'count', value: days }, status: outNow ? 'act' : days ? 'watch' : 'ok',
    noteKey: outNow ? 'stock.facts.outNow' : 'stock.facts.products', noteParams: { count: outNow || s.latest.length, days: PERIOD_DAYS },
    link: { tab: 'stock' },
  }];
}

async function timeline(ctx: Ctx, accountId: string, q: TimelineQuery): Promise<TimelineEvent[]> {
  if (q.userId) return []; // nobody's act: a dealer's report, not a person's doing
  const s = await accountStock(ctx, accountId, { from: '1900-01-01' }, true);
  const events: TimelineEvent[] = [];
  for (const r of s.outs) {
    const pkey = r.productId ?? `item:${(r.item ?? '').toLowerCase()}`;
    for (const sp of r.spells) {
      const params = { ...productParams(r), since: sp.start, causes: sp.causes.length };
      events.push({
        id: `stock-out:${accountId}:${pkey}:${sp.start}`, at: instantOf(sp.start, '00:00', DEFAULT_TIME_ZONE).toISOString(), kind: 'stock.out', module: 'stock', accountId,
        actor: null, titleKey: 'stock.timeline.out', params, body: null, status: 'act', link: { tab: 'stock' },
      });
      if (sp.end) {
        events.push({
          id: `stock-back:${accountId}:${pkey}:${sp.start}`, at: instantOf(sp.end, '00:00', DEFAULT_TIME_ZONE).toISOString(), kind: 'stock.back', module: 'stock', accountId,
          actor: null, titleKey: 'stock.timeline.back', params: { ...params, days: sp.daysOut }, body: null, status: 'ok', link: { tab: 'stock' },
        });
      }
    }
  }
  const before = q.before;
  return events
    .filter((e) => !q.kinds || q.kinds.includes(e.kind))
    .filter((e) => !before || e.at < before.at || (e.at === before.at && e.id < before.id))
    .sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : a.id < b.id ? 1 : -1))
    .slice(0, q.limit);
}

/** A dealer out of stock on a product now, longest out first (at most 20 a day). */
async function agenda(ctx: Ctx): Promise<AgendaItem[]> {
  const { items } = await stockOuts(ctx, {});
  return items.filter((r) => r.outNow).slice(0, 20).map((r): AgendaItem => {
    const open = r.spells.at(-1)!;
    return {
      id: `stock-out:${r.accountId}:${r.productId ?? r.item}`, module: 'stock', kind: 'stock-out', urgency: 'today', at: null,
      titleKey: 'stock.agenda.out', params: { ...productParams(r), since: open.start, sinceAt: instantOf(open.start, '12:00', DEFAULT_TIME_ZONE).toISOString(), days: open.daysOut, causes: open.causes.length },
      account: { id: r.accountId, code: r.accountCode, name: r.accountName, nameEn: r.accountNameEn }, siteId: null, flags: [],
      link: { to: `/accounts/${r.accountId}?tab=stock` },
    };
  });
}

/** The dealer's own stock-outs: days out in 90 days, products out now. */
async function portal(ctx: Ctx): Promise<PortalCard[]> {
  if (ctx.actor.role !== 'dealer' || !ctx.actor.accountId) return [];
  const s = await accountStock(ctx, ctx.actor.accountId, {}, false);
  const outNow = s.latest.filter((l) => l.outSince !== null).length;
  const days = s.outs.reduce((n, r) => n + r.daysOut, 0);
  return [{
    id: 'stock.own', module: 'stock', titleKey: 'stock.portal.title', params: {}, status: outNow ? 'act' : days ? 'watch' : s.latest.length ? 'ok' : 'info',
    lines: [
      { labelKey: 'stock.portal.outNow', value: { kind: 'count', value: outNow } },
      { labelKey: 'stock.portal.daysOut', value: { kind: 'count', value: days } },
      { labelKey: 'stock.portal.report', value: { kind: 'text', key: 'stock.portal.reportHint' }, href: '/portal/stock' },
    ],
    link: { to: '/portal/stock' },
  }];
}

export const stockContribution: Contribution = {
  module: 'stock',
  facts: { permission: 'delivery:read', list: facts },
  timeline: { permission: 'delivery:read', kinds: ['stock.out', 'stock.back'], list: timeline },
  agenda: { permission: 'delivery:read', list: agenda },
  portal: { permission: 'delivery:portal', list: portal },
};
