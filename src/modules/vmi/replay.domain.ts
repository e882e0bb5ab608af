/**
 * The value of VMI, shown (issue 17, item 5; decision 030): one dealer site's last months replayed
 * day by day twice over the same demand — once with the orders the VMI policy would have drafted
 * at each visit, knowing only what was known that morning, once with what the dealer actually
 * received — and the fill rate, stock-out days and average stock of both, with the method and its
 * assumptions stated. Pure.
 */
import { addDays } from '../../shared/time.js';
import type { ForecastMethod } from '../forecasting/forecasting.contract.js';
import { forecastSeries } from '../forecasting/forecasting.domain.js';
import { earliestArrival, isVisitDay, daysFrom, VmiError, type DayWindow } from './calendar.domain.js';
import type { DemandInput } from './demand.domain.js';
import { fmt, suggestOrder, type InTransit, type LineInput, type SiteInput } from './vmi.domain.js';

export type ReplayLine = Omit<LineInput, 'onHand' | 'inTransit' | 'demand'> & {
  /** Sales per day before the window, oldest first: what the first forecasts are fitted on. */
  history: readonly number[];
  /** Sales per day in the window (index 0 = the first day). */
  sales: readonly number[];
  /** On hand at the start of the first day. */
  startOnHand: number;
  /** Shipments on their way at the start: both sides receive them. */
  inTransitAtStart?: readonly InTransit[];
  /** What the dealer actually received in the window. */
  receipts: readonly { date: string; quantity: number }[];
  /** Stock reports in the window: one with nothing on hand marks the days up to the next report with stock as out. */
  stockReports?: readonly { date: string; onHand: number }[];
};

/** How the policy reads demand at a visit: a forecast refitted on the past (default weekly, automatic), or the mean of the last `days` days. */
export type ReplayDemand =
  | { kind: 'forecast'; periodDays?: number; frequency?: number; method?: ForecastMethod }
  | { kind: 'rate'; days: number };

export type ReplayInput = {
  from: string;
  days: number;
  site: Omit<SiteInput, 'asOf' | 'lines'>;
  lines: readonly ReplayLine[];
  demand?: ReplayDemand;
};

export type ReplayFigures = {
  /** Share of demand served from stock (1 without demand). */
  fillRate: number;
  /** Days (per product, summed) that began with nothing on hand or left demand unmet. */
  stockoutDays: number;
  /** Mean end-of-day stock, units (summed over products) and kg. */
  averageStock: number;
  averageStockKg: number;
  demand: number;
  served: number;
  lost: number;
  /** Orders (the policy's visits with an order; the dealer's receipt dates) and units received or ordered. */
  orders: number;
  units: number;
};

export type ReplayOrder = { date: string; plannedArrival: string; arrival: string; lines: { productId: string; quantity: number }[] };

export type ReplayResult = {
  from: string;
  to: string;
  policy: ReplayFigures;
  actual: ReplayFigures;
  products: { productId: string; policy: ReplayFigures; actual: ReplayFigures }[];
  orders: ReplayOrder[];
  method: string[];
  assumptions: string[];
};

/** Days before a stock-out whose demand gives the rate its lost sales are estimated at. */
export const IMPUTE_DAYS = 28;

type Tally = { demand: number; served: number; stockoutDays: number; stock: number; kg: number; orders: Set<string>; units: number };
const tally = (): Tally => ({ demand: 0, served: 0, stockoutDays: 0, stock: 0, kg: 0, orders: new Set(), units: 0 });

function figures(t: Tally, days: number): ReplayFigures {
  return {
    fillRate: t.demand > 0 ? t.served / t.demand : 1,
    stockoutDays: t.stockoutDays,
    averageStock: days ? t.stock / days : 0,
    averageStockKg: days ? t.kg / days : 0,
    demand: t.demand,
    served: t.served,
    lost: t.demand - t.served,
    orders: t.orders.size,
    units: t.units,
  };
}

function sum(ts: Tally[]): Tally {
  const out = tally();
  for (const t of ts) {
    out.demand += t.demand;
    out.served += t.served;
    out.stockoutDays += t.stockoutDays;
    out.stock += t.stock;
    out.kg += t.kg;
    out.units += t.units;
    for (const o of t.orders) out.orders.add(o);
  }
  return out;
}

/** Serves one day: stock at the start (after receipts) against demand; lost sales are lost. */
function serveDay(t: Tally, start: number, demand: number, kgPerUnit: number): number {
  const served = Math.min(Math.max(0, start), demand);
  const end = Math.max(0, start) - served;
  t.demand += demand;
  t.served += served;
  if (start <= 0 || served < demand) t.stockoutDays++;
  t.stock += end;
  t.kg += end * kgPerUnit;
  return end;
}

const known = (windows: readonly DayWindow[] | undefined, date: string) => (windows ?? []).filter((w) => !w.knownFrom || w.knownFrom <= date);

/** The demand a visit on day t reads: a forecast fitted on days [0, t) of `past`, or their recent mean. */
function demandAt(past: readonly number[], t: number, date: string, how: ReplayDemand, horizonDays: number): DemandInput {
  if (how.kind === 'rate') {
    const from = Math.max(0, t - how.days);
    const n = t - from;
    let s = 0;
    for (let i = from; i < t; i++) s += past[i]!;
    return { kind: 'rate', perDay: n ? s / n : 0 };
  }
  const pd = how.periodDays ?? 7;
  const periods = Math.floor(t / pd);
  if (periods < 1) {
    let s = 0;
    for (let i = 0; i < t; i++) s += past[i]!;
    return { kind: 'rate', perDay: t ? s / t : 0 };
  }
  // Whole periods ending the day before the visit.
  const values: number[] = [];
  for (let k = periods; k >= 1; k--) {
    let s = 0;
    for (let i = t - k * pd; i < t - (k - 1) * pd; i++) s += past[i]!;
    values.push(s);
  }
  const f = forecastSeries({ values, frequency: how.frequency ?? (pd === 7 ? 52 : 1) }, { horizon: Math.max(1, Math.ceil(horizonDays / pd)), method: how.method ?? 'auto', nonNegative: true });
  return { kind: 'forecast', forecast: { start: date, periodDays: pd, levels: f.levels, point: f.point, quantiles: f.quantiles, ...(f.cumulative ? { cumulative: f.cumulative } : {}) } };
}

function outByReports(reports: ReplayLine['stockReports']): (date: string) => boolean {
  const sorted = [...(reports ?? [])].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  return (date) => {
    let last: { onHand: number } | undefined;
    for (const r of sorted) if (r.date <= date) last = r;
    return last !== undefined && last.onHand <= 0;
  };
}

/**
 * Replays `days` days from `from`. Each day: receipts arrive, then (on a visit day) the policy
 * drafts its order with `suggestOrder` from that morning's stock, its own orders in transit,
 * the demand of the days before (a forecast refitted on them), and the warnings and closures
 * issued by then; then the day's demand is served, and what cannot be is lost. Demand is the
 * dealer's sales, except on days the dealer was out (its replayed stock ran out, or its last
 * stock report said none): there, the mean demand of the last 28 days it was not out.
 */
export function replaySite(input: ReplayInput): ReplayResult {
  const { from, days, site, lines } = input;
  if (!Number.isInteger(days) || days < 1) throw new VmiError('invalid_input', `the replay needs a whole number of days ≥ 1, got ${days}`);
  for (const l of lines) if (l.sales.length < days) throw new VmiError('invalid_input', `product ${l.productId}: ${l.sales.length} days of sales for a ${days}-day replay`);
  const how: ReplayDemand = input.demand ?? { kind: 'forecast' };
  const maxDays = Math.max(0, ...lines.map((l) => l.policy.maxDays ?? 0));
  const horizonDays = site.leadTimeDays + 7 * (site.rhythm.everyWeeks ?? 1) + Math.max(28, maxDays) + 7;
  const dayOf = (date: string) => daysFrom(from, date);

  // Per line: the known past (history, then reconstructed demand day by day), both sides' stock and pipelines.
  const state = lines.map((l) => {
    const policyArrivals = new Float64Array(days + 1);
    const actualArrivals = new Float64Array(days + 1);
    /** Known to the policy: what it shipped, when it planned it to arrive, until it physically has. */
    const transit: (InTransit & { physical: string })[] = [];
    for (const t of l.inTransitAtStart ?? []) {
      const d = Math.max(0, dayOf(t.arrives));
      if (d < days) {
        policyArrivals[d]! += t.quantity;
        actualArrivals[d]! += t.quantity;
        transit.push({ ...t, physical: t.arrives });
      }
    }
    const actual = tally();
    for (const r of l.receipts) {
      const d = dayOf(r.date);
      if (d < 0 || d >= days) continue;
      actualArrivals[d]! += r.quantity;
      actual.orders.add(r.date);
      actual.units += r.quantity;
    }
    return {
      line: l,
      kgPerUnit: l.pack.kg / l.pack.units,
      past: [...l.history],
      uncensored: l.history.map(() => true),
      outByReport: outByReports(l.stockReports),
      policyStock: l.startOnHand,
      actualStock: l.startOnHand,
      policyArrivals,
      actualArrivals,
      transit,
      policy: tally(),
      actual,
    };
  });
  const orders: ReplayOrder[] = [];
  let unexplained = 0;
  let reportGap = 0;
  let reportCount = 0;

  for (let t = 0; t < days; t++) {
    const date = addDays(from, t);
    for (const s of state) {
      s.policyStock += s.policyArrivals[t]!;
      s.actualStock += s.actualArrivals[t]!;
      s.transit = s.transit.filter((x) => x.physical > date);
    }
    if (isVisitDay(date, site.rhythm, from)) {
      const suggestion = suggestOrder({
        ...site,
        asOf: date,
        warnings: known(site.warnings, date),
        closures: known(site.closures, date),
        lines: state.map((s) => ({ ...s.line, onHand: s.policyStock, inTransit: s.transit.map((x) => ({ quantity: x.quantity, arrives: x.arrives })), demand: demandAt(s.past, s.past.length, date, how, horizonDays) })),
      });
      const ordered = suggestion.lines.filter((x) => x.quantity > 0);
      if (ordered.length) {
        // The physical arrival: every warning and closure, known or not.
        const arrival = earliestArrival(date, site.leadTimeDays, site.closures ?? [], site.warnings ?? []).date;
        orders.push({ date, plannedArrival: suggestion.arrival, arrival, lines: ordered.map((x) => ({ productId: x.productId, quantity: x.quantity })) });
        for (const x of ordered) {
          const s = state.find((y) => y.line.productId === x.productId)!;
          const d = dayOf(arrival);
          if (d < days) s.policyArrivals[d]! += x.quantity;
          s.transit.push({ quantity: x.quantity, arrives: suggestion.arrival, physical: arrival });
          s.policy.orders.add(date);
          s.policy.units += x.quantity;
        }
      }
    }
    for (const s of state) {
      const sold = Math.max(0, s.line.sales[t]!);
      const out = s.actualStock <= 0 || s.outByReport(date);
      let demand = sold;
      if (out) {
        let total = 0;
        let n = 0;
        for (let i = s.past.length - 1; i >= 0 && n < IMPUTE_DAYS; i--) if (s.uncensored[i]) { total += s.past[i]!; n++; }
        demand = Math.max(sold, n ? total / n : 0);
      }
      if (sold > Math.max(0, s.actualStock) + 1e-9) unexplained++;
      s.actualStock = serveDay(s.actual, s.actualStock, demand, s.kgPerUnit);
      s.policyStock = serveDay(s.policy, s.policyStock, demand, s.kgPerUnit);
      s.past.push(demand);
      s.uncensored.push(!out);
      for (const r of s.line.stockReports ?? []) if (r.date === date) { reportGap += Math.abs(r.onHand - s.actualStock); reportCount++; }
    }
  }

  const assumptions = [
    'Both sides face the same demand: the dealer\'s daily sales, except on days it was out of stock (its replayed stock ran out, or its last stock report showed none), where demand is the mean of its last 28 days in stock (the sales it lost); lost sales are lost, not carried over.',
    'The actual side receives what the dealer actually received, on the day it did; the policy side receives its own orders after the lane\'s lead time, held by every warning and closure (including those not yet issued when it ordered).',
    'The policy drafts its orders at each visit of the rhythm from that morning\'s stock, its own orders in transit, and the demand of the days before only; it accepts every suggestion as drafted (the dealer signs it).',
    'Stock is counted at the end of each day; a stock-out day is a day that began with nothing on hand or left demand unmet, per product.',
    `Demand at a visit: ${how.kind === 'rate' ? `the mean of the last ${how.days} days` : `a forecast (${how.method ?? 'auto'}) refitted on whole ${how.periodDays ?? 7}-day periods up to the day before`}.`,
  ];
  if (unexplained) assumptions.push(`On ${unexplained} product-days the dealer sold more than its replayed stock (a receipt or a stock count missing from the data): the actual side serves only what it held, so its fill rate is understated there.`);
  if (reportCount) assumptions.push(`The replayed actual stock differs from the dealer's ${reportCount} stock reports by ${fmt(reportGap / reportCount)} units on average.`);
  const perProduct = state.map((s) => ({ productId: s.line.productId, policy: figures(s.policy, days), actual: figures(s.actual, days) }));
  return {
    from,
    to: addDays(from, days - 1),
    policy: figures(sum(state.map((s) => s.policy)), days),
    actual: figures(sum(state.map((s) => s.actual)), days),
    products: perProduct,
    orders,
    method: [
      `Day by day over ${days} days from ${from}, each product of the site twice: with the VMI policy's orders and with the dealer's actual receipts.`,
      'Fill rate: demand served from stock over demand. Stock-out days: summed over products. Average stock: the mean end-of-day stock, in units summed over products and in kg.',
    ],
    assumptions,
  };
}
