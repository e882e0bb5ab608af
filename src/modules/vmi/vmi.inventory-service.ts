/**
 * The account's VMI inventory (decision 035): one page of products with the latest on hand, what
 * is in transit (open order lines less what was delivered), the weekly sell-through, a forecast
 * band from the forecasting engine, and the replay of up to the last 12 months (replaySite) under
 * the VMI policy against what the dealer actually received. Read only; staff only.
 */
import type { z } from 'zod';
import type { Ctx } from '../../server/context.js';
import { notFound } from '../../server/errors.js';
import { accountVisibleTo } from '../../server/policy.js';
import { addDays, weekdayOfDate } from '../../shared/time.js';
import { forecastSeries } from '../forecasting/forecasting.domain.js';
import { today } from '../stock/stock.service.js';
import { daysFrom } from './calendar.domain.js';
import { replaySite, type ReplayLine } from './replay.domain.js';
import type { AccountInventory, InventoryProduct, InventoryQuery } from './vmi.inventory-contract.js';
import { dailyHistory, lastRun, weeksOf, type DailyHistory, type StockPoint } from './vmi.inventory-history.domain.js';
import * as repo from './vmi.inventory-repository.js';

/** Weeks of history shown, weeks the sell-through is averaged over, weeks forecast. */
export const HISTORY_WEEKS = 26;
const SELL_THROUGH_WEEKS = 13;
export const FORECAST_WEEKS = 8;
const BAND: [number, number, number] = [0.1, 0.5, 0.9];
/** The replay: at most a year, after four weeks of history its first orders are drafted from. */
export const REPLAY_DAYS = 365;
const REPLAY_HISTORY_DAYS = 28;
const MIN_REPLAY_DAYS = 28;
/** The policy and site the replay assumes without the account's VMI settings. */
export const REPLAY_DEFAULTS = { leadTimeDays: 7, minDays: 7, maxDays: 21, rateDays: 28 } as const;

type Product = { row: repo.ProductRow; points: StockPoint[]; receipts: Map<string, number>; history: DailyHistory };

/** GET /vmi/accounts/:accountId/inventory. */
export async function accountInventory(ctx: Ctx, accountId: string, q: z.infer<typeof InventoryQuery>): Promise<AccountInventory> {
  const started = performance.now();
  const k = ctx.db.kysely;
  const account = await k.selectFrom('accounts').select('id').where('id', '=', accountId).where(accountVisibleTo(ctx.actor, 'accounts.id')).executeTakeFirst();
  if (!account) throw notFound('Account');
  const asOf = today(ctx);
  const page = await repo.accountProducts(k, accountId, q.limit, q.offset);
  const ids = page.rows.map((r) => r.id);
  const [reports, lines] = await Promise.all([repo.stockReports(k, accountId, ids, asOf), repo.orderLines(k, accountId, ids)]);

  const byProduct = new Map<string, Product>(page.rows.map((row) => [row.id, { row, points: [], receipts: new Map(), history: { from: null, sales: [], stock: [], reported: [] } }]));
  for (const r of reports) byProduct.get(r.product_id)?.points.push({ date: r.report_date, onHand: r.on_hand, sold: r.sold_since_last });
  const transit = new Map<string, { orderNo: string; quantity: number; promisedDate: string | null }[]>();
  const lineTotals = new Map<string, { l: repo.LineRow; shipped: number }>();
  for (const l of lines) {
    const p = byProduct.get(l.product_id);
    if (l.delivered_date && l.ship_qty && l.delivered_date <= asOf && p) p.receipts.set(l.delivered_date, (p.receipts.get(l.delivered_date) ?? 0) + l.ship_qty);
    const t = lineTotals.get(l.id) ?? { l, shipped: 0 };
    if (l.delivered_date && l.delivered_date <= asOf) t.shipped += l.ship_qty ?? 0;
    lineTotals.set(l.id, t);
  }
  for (const { l, shipped } of lineTotals.values()) {
    const left = l.status === 'open' ? Math.max(0, (l.quantity ?? 0) - shipped) : 0;
    if (left > 0) transit.set(l.product_id, [...(transit.get(l.product_id) ?? []), { orderNo: l.order_no, quantity: left, promisedDate: l.promised_date }]);
  }

  const products: InventoryProduct[] = [];
  for (const p of byProduct.values()) {
    p.history = dailyHistory(p.points, p.receipts);
    const last = p.points.at(-1);
    const weeks = weeksOf(p.history, p.points, p.receipts, asOf, HISTORY_WEEKS);
    const known = weeks.slice(-SELL_THROUGH_WEEKS).filter((w) => w.sold !== null);
    const reportedDays = p.history.reported.filter(Boolean).length;
    const its = transit.get(p.row.id) ?? [];
    products.push({
      productId: p.row.id, sku: p.row.sku, nameEn: p.row.name_en, nameZh: p.row.name_zh, unit: p.row.unit,
      onHand: last?.onHand ?? null, onHandDate: last?.date ?? null,
      inTransit: its.reduce((s, x) => s + x.quantity, 0), transit: its.sort((a, b) => (a.promisedDate ?? '').localeCompare(b.promisedDate ?? '')),
      sellThroughPerWeek: known.length ? round1(known.reduce((s, w) => s + w.sold!, 0) / known.length) : null,
      sellThroughSource: !p.history.sales.length ? 'none' : reportedDays === p.history.sales.length ? 'reported' : reportedDays === 0 ? 'derived' : 'mixed',
      weeks: weeks.map((w) => ({ ...w, sold: w.sold === null ? null : round1(w.sold) })),
      forecast: forecastOf(weeks),
    });
  }
  const replay = replayOf([...byProduct.values()]);
  return {
    accountId, asOf, total: page.total, limit: q.limit, offset: q.offset, products,
    replay: replay.result, replayNote: replay.note, tookMs: Math.round(performance.now() - started),
  };
}

const round1 = (x: number) => Math.round(x * 10) / 10;

/** The forecast band after the last unbroken run of known weeks (at least 4 of them). */
function forecastOf(weeks: ReturnType<typeof weeksOf>): InventoryProduct['forecast'] {
  const run = lastRun(weeks);
  if (run.length < 4) return null;
  const f = forecastSeries({ values: run.map((w) => w.sold), frequency: 1 }, { horizon: FORECAST_WEEKS, levels: BAND, nonNegative: true });
  const after = addDays(run.at(-1)!.start, 7);
  return {
    model: f.model, levels: BAND,
    weeks: f.point.map((point, i) => ({ start: addDays(after, 7 * i), point: round1(point), low: round1(f.quantiles[0]![i]!), median: round1(f.quantiles[1]![i]!), high: round1(f.quantiles[2]![i]!) })),
  };
}

/**
 * The replay over the days every replayed product's history knows, after the first 28 of them (the
 * past its first orders are drafted from), the last 365 at most. Products with less are left out, and the note says so.
 */
function replayOf(products: Product[]): { result: AccountInventory['replay']; note: string | null } {
  const usable = products.filter((p) => p.history.from !== null && p.history.sales.length >= REPLAY_HISTORY_DAYS + MIN_REPLAY_DAYS);
  const left = products.filter((p) => !usable.includes(p)).map((p) => p.row.sku);
  const leftNote = left.length ? `Not replayed (fewer than ${REPLAY_HISTORY_DAYS + MIN_REPLAY_DAYS} days between their first and last stock report): ${left.join(', ')}.` : null;
  if (!usable.length) return { result: null, note: leftNote ?? 'No products.' };
  const end = usable.map((p) => addDays(p.history.from!, p.history.sales.length - 1)).sort()[0]!;
  const first = usable.map((p) => addDays(p.history.from!, REPLAY_HISTORY_DAYS)).sort().at(-1)!;
  const from = first > addDays(end, 1 - REPLAY_DAYS) ? first : addDays(end, 1 - REPLAY_DAYS);
  const days = daysFrom(from, end) + 1;
  if (days < MIN_REPLAY_DAYS) return { result: null, note: `The products' stock reports overlap on ${Math.max(0, days)} days only; the replay needs ${MIN_REPLAY_DAYS}.` };
  const d = REPLAY_DEFAULTS;
  const lines: ReplayLine[] = usable.map((p) => {
    const h = p.history;
    const at = daysFrom(h.from!, from);
    const inWindow = (date: string) => date >= from && date <= end;
    return {
      productId: p.row.id,
      policy: { kind: 'minMax', minDays: d.minDays, maxDays: d.maxDays },
      pack: { units: p.row.pack_size > 0 ? p.row.pack_size : 1, kg: 0 },
      history: h.sales.slice(0, at),
      sales: h.sales.slice(at, at + days),
      startOnHand: h.stock[at - 1]!,
      receipts: [...p.receipts].filter(([date]) => inWindow(date)).map(([date, quantity]) => ({ date, quantity })),
      stockReports: p.points.filter((x) => inWindow(x.date)).map((x) => ({ date: x.date, onHand: x.onHand })),
    };
  });
  const weekday = weekdayOfDate(from);
  const r = replaySite({ from, days, site: { leadTimeDays: d.leadTimeDays, rhythm: { weekdays: [weekday] } }, lines, demand: { kind: 'rate', days: d.rateDays } });
  const sku = new Map(usable.map((p) => [p.row.id, p.row.sku]));
  return {
    result: {
      from: r.from, to: r.to, days, policy: r.policy, actual: r.actual,
      products: r.products.map((x) => ({ productId: x.productId, sku: sku.get(x.productId) ?? '', policy: x.policy, actual: x.actual })),
      settings: { leadTimeDays: d.leadTimeDays, minDays: d.minDays, maxDays: d.maxDays, rhythm: `weekly, ${weekday}`, demand: `mean of the last ${d.rateDays} days` },
      method: [...r.method, 'Sales per day: between two stock reports, the sale the dealer reported, or else opening + receipts − closing, spread evenly over the days between them.'],
      assumptions: [...r.assumptions, `Policy: min ${d.minDays} / max ${d.maxDays} days of supply, lead time ${d.leadTimeDays} days, one visit a week; packs of the product's pack size.`],
    },
    note: leftNote,
  };
}
