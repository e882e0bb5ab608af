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
import { addDays, type Weekday } from '../../shared/time.js';
import { forecastSeries } from '../forecasting/forecasting.domain.js';
import { today } from '../stock/stock.service.js';
import { daysFrom } from './calendar.domain.js';
import { replaySite, type ReplayLine } from './replay.domain.js';
import type { VmiSettings } from './vmi.contract.js';
import type { AccountInventory, InventoryProduct, InventoryQuery } from './vmi.inventory-contract.js';
import { dailyHistory, lastRun, weeksOf, type DailyHistory, type StockPoint } from './vmi.inventory-history.domain.js';
import * as repo from './vmi.inventory-repository.js';
import { getSettings } from './vmi.service.js';

/** Weeks of history shown, weeks the sell-through is averaged over, weeks forecast. */
export const HISTORY_WEEKS = 26;
const SELL_THROUGH_WEEKS = 13;
export const FORECAST_WEEKS = 8;
const BAND: [number, number, number] = [0.1, 0.5, 0.9];
/**
 * The band's method: ETS with its automatic model choice (about 1 ms a series), not the engine's
 * 'auto' choice across families by rolling-origin validation (20–30 ms a series), which would put
 * a page of 20 products over the 500 ms of one dealer (decision 035). The drafted order's demand
 * (vmi.service) keeps the full automatic choice.
 */
const BAND_METHOD = 'ets' as const;
/** The replay: at most a year, after four weeks of history its first orders are drafted from. */
export const REPLAY_DAYS = 365;
const REPLAY_HISTORY_DAYS = 28;
const MIN_REPLAY_DAYS = 28;
/** The policy of a product without VMI line settings, and the demand the replay drafts from. */
export const REPLAY_DEFAULTS = { minDays: 7, maxDays: 21, rateDays: 28 } as const;

/**
 * Replays kept per account page while their inputs stay the same (the reports, the order lines, the
 * settings and the day: `fingerprint`); the oldest goes past 200. A replay costs 100–500 ms for 20
 * products over a year; the rest of the read a few tens.
 */
const replayCache = new Map<string, { fingerprint: string; result: AccountInventory['replay']; note: string | null; issue: AccountInventory['replayIssue'] }>();
const REPLAY_CACHE_SIZE = 200;

type Product = { row: repo.ProductRow; points: StockPoint[]; receipts: Map<string, number>; history: DailyHistory };

/** GET /vmi/accounts/:accountId/inventory. */
export async function accountInventory(ctx: Ctx, accountId: string, q: z.infer<typeof InventoryQuery>): Promise<AccountInventory> {
  const k = ctx.db.kysely;
  const account = await k.selectFrom('accounts').select('id').where('id', '=', accountId).where(accountVisibleTo(ctx.actor, 'accounts.id')).executeTakeFirst();
  if (!account) throw notFound('Account');
  const asOf = today(ctx);
  const settings = await getSettings(ctx, accountId);
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
  const key = `${accountId}/${q.limit}/${q.offset}`;
  const fingerprint = JSON.stringify([asOf, settings.version, settings.updatedAt, settings.leadTimeDays, settings.rhythm, ids, reports.length, reports.reduce((m, r) => (r.created_at > m ? r.created_at : m), ''), reports.reduce((n, r) => n + r.on_hand + (r.sold_since_last ?? 0), 0),
    lines.length, lines.reduce((n, l) => n + (l.ship_qty ?? 0) + (l.quantity ?? 0), 0)]);
  let replay = replayCache.get(key);
  if (replay?.fingerprint !== fingerprint) {
    replay = { fingerprint, ...replayOf([...byProduct.values()], settings) };
    replayCache.delete(key);
    replayCache.set(key, replay);
    if (replayCache.size > REPLAY_CACHE_SIZE) replayCache.delete(replayCache.keys().next().value!);
  }
  return {
    accountId, asOf, total: page.total, limit: q.limit, offset: q.offset, products,
    replay: replay.result, replayNote: replay.note, replayIssue: replay.issue,
  };
}

const round1 = (x: number) => Math.round(x * 10) / 10;

/** The forecast band after the last unbroken run of known weeks (at least 4 of them). */
function forecastOf(weeks: ReturnType<typeof weeksOf>): InventoryProduct['forecast'] {
  const run = lastRun(weeks);
  if (run.length < 4) return null;
  const f = forecastSeries({ values: run.map((w) => w.sold), frequency: 1 }, { horizon: FORECAST_WEEKS, levels: BAND, nonNegative: true, method: BAND_METHOD });
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
function replayOf(products: Product[], settings: VmiSettings): { result: AccountInventory['replay']; note: string | null; issue: AccountInventory['replayIssue'] } {
  const usable = products.filter((p) => p.history.from !== null && p.history.sales.length >= REPLAY_HISTORY_DAYS + MIN_REPLAY_DAYS);
  const left = products.filter((p) => !usable.includes(p)).map((p) => p.row.sku);
  const leftNote = left.length ? `Not replayed (fewer than ${REPLAY_HISTORY_DAYS + MIN_REPLAY_DAYS} days between their first and last stock report): ${left.join(', ')}.` : null;
  const need = REPLAY_HISTORY_DAYS + MIN_REPLAY_DAYS;
  const leftIssue = left.length ? { kind: 'leftOut' as const, skus: left, days: need } : null;
  if (!usable.length) return { result: null, note: leftNote ?? 'No products.', issue: leftIssue ?? { kind: 'noProducts', skus: [], days: need } };
  const end = usable.map((p) => addDays(p.history.from!, p.history.sales.length - 1)).sort()[0]!;
  const first = usable.map((p) => addDays(p.history.from!, REPLAY_HISTORY_DAYS)).sort().at(-1)!;
  const from = first > addDays(end, 1 - REPLAY_DAYS) ? first : addDays(end, 1 - REPLAY_DAYS);
  const days = daysFrom(from, end) + 1;
  if (days < MIN_REPLAY_DAYS) return { result: null, note: `The products' stock reports overlap on ${Math.max(0, days)} days only; the replay needs ${MIN_REPLAY_DAYS}.`, issue: { kind: 'noOverlap', skus: [], days: MIN_REPLAY_DAYS } };
  const d = REPLAY_DEFAULTS;
  const lineSettings = new Map(settings.lines.filter((l) => l.enabled).map((l) => [l.productId, l]));
  const policies: string[] = [];
  const lines: ReplayLine[] = usable.map((p) => {
    const h = p.history;
    const at = daysFrom(h.from!, from);
    const inWindow = (date: string) => date >= from && date <= end;
    const ls = lineSettings.get(p.row.id);
    const policy = ls?.policy ?? { kind: 'minMax' as const, minDays: d.minDays, maxDays: d.maxDays };
    policies.push(`${p.row.sku}: ${policy.kind === 'minMax' ? `min ${policy.minDays} / max ${policy.maxDays} days of supply` : `service level ${policy.level}`}${ls ? '' : ' (default)'}`);
    return {
      productId: p.row.id,
      policy,
      pack: ls ? { units: ls.packUnits, kg: ls.packKg, ...(ls.perPallet ? { perPallet: ls.perPallet } : {}) } : { units: p.row.pack_size > 0 ? p.row.pack_size : 1, kg: 0 },
      ...(ls?.minOrder ? { minOrder: ls.minOrder } : {}),
      history: h.sales.slice(0, at),
      sales: h.sales.slice(at, at + days),
      startOnHand: h.stock[at - 1]!,
      receipts: [...p.receipts].filter(([date]) => inWindow(date)).map(([date, quantity]) => ({ date, quantity })),
      stockReports: p.points.filter((x) => inWindow(x.date)).map((x) => ({ date: x.date, onHand: x.onHand })),
    };
  });
  const rhythm = { weekdays: settings.rhythm.weekdays as Weekday[], everyWeeks: settings.rhythm.everyWeeks };
  const site = {
    leadTimeDays: settings.leadTimeDays, rhythm,
    ...(settings.capacityKg !== null || settings.capacityPallets !== null ? { capacity: { ...(settings.capacityKg !== null ? { kg: settings.capacityKg } : {}), ...(settings.capacityPallets !== null ? { pallets: settings.capacityPallets } : {}) } } : {}),
    ...(settings.truckKg !== null || settings.truckPallets !== null ? { truck: { ...(settings.truckKg !== null ? { kg: settings.truckKg } : {}), ...(settings.truckPallets !== null ? { pallets: settings.truckPallets } : {}), fullTrucks: settings.fullTrucks } } : {}),
  };
  const r = replaySite({ from, days, site, lines, demand: { kind: 'rate', days: d.rateDays } });
  const sku = new Map(usable.map((p) => [p.row.id, p.row.sku]));
  const rhythmText = `${rhythm.everyWeeks > 1 ? `every ${rhythm.everyWeeks} weeks` : 'weekly'} on ${rhythm.weekdays.join(', ')}`;
  const shown = lines[0]!.policy;
  return {
    result: {
      from: r.from, to: r.to, days, policy: r.policy, actual: r.actual,
      products: r.products.map((x) => ({ productId: x.productId, sku: sku.get(x.productId) ?? '', policy: x.policy, actual: x.actual })),
      settings: {
        leadTimeDays: settings.leadTimeDays, minDays: shown.minDays ?? d.minDays, maxDays: shown.maxDays ?? d.maxDays, rhythm: rhythmText, demand: `mean of the last ${d.rateDays} days`,
      },
      method: [...r.method, 'Sales per day: between two stock reports, the sale the dealer reported, or else opening + receipts − closing, spread evenly over the days between them.'],
      assumptions: [
        ...r.assumptions,
        `The account's VMI settings: lead time ${settings.leadTimeDays} days (${settings.leadTimeSource.replace('_', ' ')}), visits ${rhythmText} (${settings.rhythmSource.replace('_', ' ')}).`,
        `Policies: ${policies.join('; ')}.`,
      ],
    },
    note: leftNote,
    issue: leftIssue,
  };
}
