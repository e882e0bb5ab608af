/**
 * What pricing adds elsewhere: the list price and the quantity-break discount as the first steps of
 * the pocket-price waterfall, and the price list in force in the account header.
 */
import type { Contribution, PocketQuery } from '../../platform/contributions.js';
import type { AccountFact, PriceStep } from '../../platform/contributions.contract.js';
import type { Ctx } from '../../server/context.js';
import { AppError } from '../../server/errors.js';
import { type BreakMode, quote } from './pricing.domain.js';
import { accountPricing, sharedUse, winningList } from './pricing.service.js';

/** The day before `to` (the window is [from, to) of dates): the list in force at the window's end prices it. */
const lastDay = (q: PocketQuery): string => {
  const d = new Date(`${q.to.slice(0, 10)}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  const day = d.toISOString().slice(0, 10);
  return day < q.from.slice(0, 10) ? q.from.slice(0, 10) : day;
};

/**
 * The list price (the first break's unit price × the window's quantity) and the quantity-break
 * discount (the quote's total less that), when a list in the waterfall's currency prices the
 * account and product. Below the list's minimum quantity there is no break discount.
 */
async function pocket(ctx: Ctx, q: PocketQuery): Promise<PriceStep[]> {
  if (!(q.quantity > 0)) return [];
  const date = lastDay(q);
  const found = await winningList(ctx.db.kysely, ctx.actor, { accountId: q.accountId, productId: q.productId, date });
  if (!found || found.list.currency !== q.currency) return [];
  const { list, breaks } = found;
  const mode = list.break_mode as BreakMode;
  const base = breaks[0]!.unitPriceMinor;
  // The same rounding as a quote: rate × quantity, half-up once.
  const atList = quote([{ from: 0, unitPriceMinor: base }], 'all-units', q.quantity);
  if (!atList.ok) return [];
  const listAmount = atList.quote.totalMinor;
  const r = quote(breaks, mode, q.quantity);
  const shared = await sharedUse(ctx.db.kysely, list.id, q.productId, q.accountId, date, { from: q.from.slice(0, 10), to: q.to.slice(0, 10) });
  return [
    {
      id: 'pricing.list', module: 'pricing', kind: 'list', labelKey: 'pricing.pocket.list', order: 0, amountMinor: listAmount, currency: list.currency,
      params: { listId: list.id, listName: list.name, sharedAccounts: shared.sharedAccounts, sharedQuantity: shared.sharedQuantity, unitPriceMinor: base, currency: list.currency },
      basisKey: 'pricing.pocket.listBasis', basisParams: { quantity: q.quantity, unitPriceMinor: base, currency: list.currency, date },
    },
    {
      id: 'pricing.discount', module: 'pricing', kind: 'discount', labelKey: 'pricing.pocket.discount', order: 10, amountMinor: r.ok ? r.quote.totalMinor - listAmount : 0, currency: list.currency,
      params: { listId: list.id, breakMode: mode, breakIndex: r.ok ? r.quote.breakIndex : null },
      ...(r.ok
        ? { basisKey: 'pricing.pocket.discountBasis', basisParams: { breakMode: mode, from: breaks[r.quote.breakIndex]!.from, unitPriceMinor: r.quote.unitPriceMinor, currency: list.currency } }
        : { basisKey: 'pricing.pocket.belowMinimum', basisParams: { minQuantity: breaks[0]!.from } }),
    },
  ];
}

/** The strongest list in force for the account today, and how many others also cover it. */
async function facts(ctx: Ctx, accountId: string): Promise<AccountFact[]> {
  const p = await accountPricing(ctx, accountId).catch((e: unknown) => { if (e instanceof AppError && e.status === 404) return null; throw e; });
  if (!p) return [];
  const top = p.lists[0];
  if (!top) {
    return [{ id: 'pricing.list', module: 'pricing', labelKey: 'pricing.facts.list', order: 80, value: { kind: 'unknown', reasonKey: 'pricing.facts.none' }, status: 'watch', link: { tab: 'prices' } }];
  }
  return [{
    id: 'pricing.list', module: 'pricing', labelKey: 'pricing.facts.list', order: 80,
    value: { kind: 'text', key: 'pricing.facts.listValue', params: { name: top.name, code: top.code } }, status: 'info',
    noteKey: 'pricing.facts.listNote', noteParams: { products: top.itemCount, others: p.lists.length - 1 }, link: { tab: 'prices' },
  }];
}

export const pricingContribution: Contribution = {
  module: 'pricing',
  pocket: { permission: 'margin:read', list: pocket },
  facts: { permission: 'price:read', list: facts },
};
