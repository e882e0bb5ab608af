/**
 * Replenishment from forecast quantiles: the order-up-to level for a target cycle service
 * level, the order that reaches it in whole packs, and a simulator that replays a demand
 * window under a periodic-review order-up-to policy. Pure.
 */
import { ForecastError, type Forecast } from './forecasting.contract.js';
import { qnorm } from './stats.domain.js';

export type QuantileForecast = Pick<Forecast, 'levels' | 'quantiles'> & Partial<Pick<Forecast, 'point' | 'cumulative'>>;

/** Linear interpolation across levels; outside the given levels, the nearest one is used. */
function atLevel(levels: readonly number[], values: readonly number[], p: number): number {
  if (p <= levels[0]!) return values[0]!;
  for (let k = 1; k < levels.length; k++) {
    if (p <= levels[k]!) {
      const w = (p - levels[k - 1]!) / (levels[k]! - levels[k - 1]!);
      return values[k - 1]! + w * (values[k]! - values[k - 1]!);
    }
  }
  return values[values.length - 1]!;
}

/**
 * Quantile `serviceLevel` of the total demand over the next `periods` periods. Uses the
 * forecast's cumulative quantiles when it has them; otherwise assumes independent normal
 * steps whose spread is read off each step's quantiles (a sum of quantiles would overstate).
 */
export function demandQuantileOver(forecast: QuantileForecast, periods: number, serviceLevel: number): number {
  if (!(serviceLevel > 0 && serviceLevel < 1)) throw new ForecastError('invalid_option', `service level must lie between 0 and 1, got ${serviceLevel}`);
  if (!Number.isInteger(periods) || periods < 1) throw new ForecastError('invalid_option', `the protection period must be a whole number ≥ 1, got ${periods}`);
  const h = forecast.quantiles[0]?.length ?? 0;
  if (periods > h) throw new ForecastError('invalid_option', `the forecast covers ${h} periods; lead time + review period needs ${periods}`);
  const { levels } = forecast;
  if (forecast.cumulative) return atLevel(levels, forecast.cumulative.map((r) => r[periods - 1]!), serviceLevel);
  let mu = 0;
  let v = 0;
  const k50 = levels.findIndex((p) => p === 0.5);
  const top = levels.length - 1;
  for (let i = 0; i < periods; i++) {
    const med = k50 >= 0 ? forecast.quantiles[k50]![i]! : forecast.point?.[i] ?? 0;
    mu += med;
    const z = qnorm(levels[top]!);
    const sd = z > 0 ? Math.max(0, forecast.quantiles[top]![i]! - med) / z : 0;
    v += sd * sd;
  }
  return mu + qnorm(serviceLevel) * Math.sqrt(v);
}

export type OrderAdviceInput = {
  forecast: QuantileForecast;
  /** Target probability of no stock-out before the next order can arrive (e.g. 0.95). */
  serviceLevel: number;
  /** Periods between ordering and receiving (≥ 0). */
  leadTime: number;
  /** Periods between two orders (≥ 1). */
  reviewPeriod: number;
  onHand: number;
  onOrder: number;
  /** Unfilled demand still owed to customers. */
  backorders?: number;
  /** Orders are whole multiples of this (default 1; 0 = any quantity). */
  packSize?: number;
  /** Smallest order allowed (default 0). */
  minOrder?: number;
};

export type OrderAdvice = { orderUpTo: number; inventoryPosition: number; quantity: number };

/** Rounds a positive need up to whole packs and to the minimum order; 0 stays 0. */
export function roundOrder(need: number, packSize = 1, minOrder = 0): number {
  if (!(need > 0)) return 0;
  const pack = packSize > 0 ? packSize : 0;
  const up = (q: number) => (pack ? Math.ceil(q / pack - 1e-9) * pack : q);
  let q = up(need);
  if (q < minOrder) q = up(minOrder);
  return q;
}

/** Order-up-to (periodic review) order for one item. */
export function adviseOrder(input: OrderAdviceInput): OrderAdvice {
  const { leadTime, reviewPeriod } = input;
  if (!Number.isInteger(leadTime) || leadTime < 0) throw new ForecastError('invalid_option', `lead time must be a whole number ≥ 0, got ${leadTime}`);
  if (!Number.isInteger(reviewPeriod) || reviewPeriod < 1) throw new ForecastError('invalid_option', `review period must be a whole number ≥ 1, got ${reviewPeriod}`);
  if ((input.packSize ?? 1) < 0 || (input.minOrder ?? 0) < 0) throw new ForecastError('invalid_option', 'pack size and minimum order cannot be negative');
  const orderUpTo = demandQuantileOver(input.forecast, leadTime + reviewPeriod, input.serviceLevel);
  const inventoryPosition = input.onHand + input.onOrder - (input.backorders ?? 0);
  return { orderUpTo, inventoryPosition, quantity: roundOrder(orderUpTo - inventoryPosition, input.packSize, input.minOrder) };
}

export type PolicySimulationInput = {
  demand: readonly number[];
  /** Order-up-to level, fixed or per period. */
  orderUpTo: number | readonly number[];
  leadTime: number;
  reviewPeriod: number;
  /** Stock at the start (default: the first order-up-to level). */
  initialOnHand?: number;
  packSize?: number;
  minOrder?: number;
  /** Unmet demand is lost (default) or backordered. */
  backorder?: boolean;
};

export type PolicySimulation = {
  /** Share of demand served from stock (1 when there was no demand). */
  fillRate: number;
  /** Mean stock on hand at the end of a period. */
  averageOnHand: number;
  totalDemand: number;
  totalFilled: number;
  stockoutPeriods: number;
  orders: number[];
};

/**
 * Replays a demand window: each period, receipts arrive, then (every reviewPeriod periods) an
 * order raises the inventory position to the order-up-to level, arriving leadTime periods later
 * (at once when 0), then demand is served from stock.
 */
export function simulateOrderUpTo(input: PolicySimulationInput): PolicySimulation {
  const { demand, leadTime, reviewPeriod } = input;
  const level = (t: number) => (typeof input.orderUpTo === 'number' ? input.orderUpTo : input.orderUpTo[Math.min(t, input.orderUpTo.length - 1)]!);
  let onHand = input.initialOnHand ?? level(0);
  let backlog = 0;
  const arrivals = new Array<number>(demand.length + leadTime + 1).fill(0);
  let pipeline = 0;
  let totalDemand = 0;
  let totalFilled = 0;
  let stockHeld = 0;
  let stockoutPeriods = 0;
  const orders: number[] = [];
  for (let t = 0; t < demand.length; t++) {
    onHand += arrivals[t]!;
    pipeline -= arrivals[t]!;
    if (t % reviewPeriod === 0) {
      const q = roundOrder(level(t) - (onHand + pipeline - backlog), input.packSize, input.minOrder);
      orders.push(q);
      if (q > 0) {
        if (leadTime === 0) onHand += q;
        else {
          arrivals[t + leadTime]! += q;
          pipeline += q;
        }
      }
    }
    if (backlog > 0) {
      const served = Math.min(backlog, onHand);
      onHand -= served;
      backlog -= served;
    }
    const d = Math.max(0, demand[t]!);
    const filled = Math.min(d, onHand);
    onHand -= filled;
    totalDemand += d;
    totalFilled += filled;
    if (filled < d) {
      stockoutPeriods++;
      if (input.backorder) backlog += d - filled;
    }
    stockHeld += onHand;
  }
  return {
    fillRate: totalDemand > 0 ? totalFilled / totalDemand : 1,
    averageOnHand: demand.length ? stockHeld / demand.length : 0,
    totalDemand,
    totalFilled,
    stockoutPeriods,
    orders,
  };
}
