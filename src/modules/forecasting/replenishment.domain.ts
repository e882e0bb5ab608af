/**
 * Replenishment from forecasts: the order-up-to level for a target service level, either a
 * cycle service level (probability of no stock-out per review cycle: a quantile of demand over
 * lead time + review period) or a fill rate (expected share of demand served from stock: the
 * smallest level whose expected shortage is small enough), the order that reaches it in whole
 * packs, and a simulator that replays a demand window under a periodic-review order-up-to
 * policy. Pure.
 */
import { ForecastError, type DemandTotal, type Forecast } from './forecasting.contract.js';
import { normalLoss, qnorm } from './stats.domain.js';

export type QuantileForecast = Pick<Forecast, 'levels' | 'quantiles'> & Partial<Pick<Forecast, 'point' | 'cumulative' | 'totals'>>;

/**
 * What a target service level means: 'cycle', the probability of no stock-out in a review
 * cycle (type 1); 'fill', the expected share of demand served from stock (type 2, fill rate).
 */
export type ServiceMeasure = 'cycle' | 'fill';

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
  checkLevel(serviceLevel);
  checkPeriods(forecast, periods);
  const { levels } = forecast;
  if (forecast.cumulative) return atLevel(levels, forecast.cumulative.map((r) => r[periods - 1]!), serviceLevel);
  const { mean, sd } = normalTotal(forecast, periods);
  return mean + qnorm(serviceLevel) * sd;
}

function checkLevel(serviceLevel: number): void {
  if (!(serviceLevel > 0 && serviceLevel < 1)) throw new ForecastError('invalid_option', `service level must lie between 0 and 1, got ${serviceLevel}`);
}

function checkPeriods(forecast: QuantileForecast, periods: number): void {
  if (!Number.isInteger(periods) || periods < 1) throw new ForecastError('invalid_option', `the protection period must be a whole number ≥ 1, got ${periods}`);
  const h = forecast.quantiles[0]?.length ?? 0;
  if (periods > h) throw new ForecastError('invalid_option', `the forecast covers ${h} periods; lead time + review period needs ${periods}`);
}

/**
 * Normal approximation of the total over the first `periods` periods: centred on the point
 * forecast (the mean; the median when there is none), spread read off the highest quantile;
 * from the cumulative quantiles when the forecast has them, else from independent steps.
 */
function normalTotal(forecast: QuantileForecast, periods: number): { mean: number; sd: number } {
  if (periods === 0) return { mean: 0, sd: 0 };
  const { levels, point } = forecast;
  const k50 = levels.findIndex((p) => p === 0.5);
  const top = levels.length - 1;
  const z = qnorm(levels[top]!);
  const spread = (q: number, centre: number) => (z > 0 ? Math.max(0, q - centre) / z : 0);
  const centreAt = (i: number) => point?.[i] ?? (k50 >= 0 ? forecast.quantiles[k50]![i]! : 0);
  if (forecast.cumulative) {
    const i = periods - 1;
    const centre = point ? point.slice(0, periods).reduce((a, b) => a + b, 0) : k50 >= 0 ? forecast.cumulative[k50]![i]! : 0;
    return { mean: centre, sd: spread(forecast.cumulative[top]![i]!, centre) };
  }
  let mu = 0;
  let v = 0;
  for (let i = 0; i < periods; i++) {
    mu += centreAt(i);
    v += spread(forecast.quantiles[top]![i]!, centreAt(i)) ** 2;
  }
  return { mean: mu, sd: Math.sqrt(v) };
}

/** Expected shortage E[(D − S)+] of a discrete total. */
export function expectedShortage(total: DemandTotal, S: number): number {
  let e = 0;
  total.pmf.forEach((p, j) => {
    const x = j * total.step - S;
    if (x > 0) e += p * x;
  });
  return e;
}

/** Expected shortage E[(D − S)+] of a normal total: sd · G((S − mean)/sd), G the normal loss function. */
export function normalExpectedShortage(mean: number, sd: number, S: number): number {
  return sd > 0 ? sd * normalLoss((S - mean) / sd) : Math.max(0, mean - S);
}

/** E[(D − j·step)+] for j = 0, 1, …, cells − 1, by E_j = E_{j+1} + step·P(D > j). */
function shortageOnGrid(total: DemandTotal, cells: number): Float64Array {
  const out = new Float64Array(cells);
  let tail = 0;
  let e = 0;
  for (let j = total.pmf.length - 2; j >= 0; j--) {
    tail += total.pmf[j + 1]!;
    e += total.step * tail;
    if (j < cells) out[j] = e;
  }
  return out;
}

function meanOf(total: DemandTotal): number {
  let m = 0;
  total.pmf.forEach((p, j) => (m += p * j * total.step));
  return m;
}

/**
 * Expected fill rate of order-up-to level S under periodic review (the type-2 service):
 * 1 − (E[(D_{L+R} − S)+] − E[(D_L − S)+]) / E[D_R], the expected units short in a review cycle
 * over the expected demand in it (Hadley & Whitin 1963; Silver, Pyke & Peterson 1998, ch. 7),
 * D_k being the demand over k periods. Exact with backorders; with lost sales it slightly
 * understates the fill (a lost unit is not owed later), for every forecast alike.
 */
export function fillRateOf(leadTotal: DemandTotal | null, protectionTotal: DemandTotal, S: number): number {
  const muL = leadTotal ? meanOf(leadTotal) : 0;
  const muR = meanOf(protectionTotal) - muL;
  if (!(muR > 0)) return 1;
  const short = expectedShortage(protectionTotal, S) - (leadTotal ? expectedShortage(leadTotal, S) : 0);
  return 1 - short / muR;
}

/**
 * Smallest order-up-to level whose expected fill rate (see `fillRateOf`) reaches `target`,
 * from the exact distributions of demand over the lead time and over lead time + review
 * period (on one grid). The fill rate is linear in S between grid points, so the level is
 * found exactly by interpolation there.
 */
export function fillRateOrderUpTo(leadTotal: DemandTotal | null, protectionTotal: DemandTotal, target: number): number {
  checkLevel(target);
  const { step } = protectionTotal;
  if (leadTotal && Math.abs(leadTotal.step - step) > 1e-9 * step) throw new ForecastError('invalid_option', 'the demand totals must share one grid');
  const muL = leadTotal ? meanOf(leadTotal) : 0;
  const muR = meanOf(protectionTotal) - muL;
  if (!(muR > 0)) return 0;
  const cells = protectionTotal.pmf.length;
  const eP = shortageOnGrid(protectionTotal, cells);
  const eL = leadTotal ? shortageOnGrid(leadTotal, cells) : new Float64Array(cells);
  let prev = 0;
  for (let j = 0; j < cells; j++) {
    const fill = 1 - (eP[j]! - eL[j]!) / muR;
    if (fill >= target - 1e-12) return j === 0 ? 0 : (j - 1 + (target - prev) / (fill - prev)) * step;
    prev = fill;
  }
  return (cells - 1) * step;
}

/**
 * The same rule for normal demand over the lead time (mean/sd of its total, 0/0 when it is
 * 0) and over lead time + review period, with the normal loss function; found by bisection.
 */
export function normalFillRateOrderUpTo(lead: { mean: number; sd: number }, protection: { mean: number; sd: number }, target: number): number {
  checkLevel(target);
  const muR = protection.mean - lead.mean;
  if (!(muR > 0)) return 0;
  const fill = (S: number) => 1 - (normalExpectedShortage(protection.mean, protection.sd, S) - normalExpectedShortage(lead.mean, lead.sd, S)) / muR;
  if (fill(0) >= target) return 0;
  let lo = 0;
  let hi = Math.max(protection.mean, 0) + 40 * protection.sd + 1;
  for (let it = 0; it < 100 && hi - lo > 1e-12 * hi; it++) {
    const mid = (lo + hi) / 2;
    if (fill(mid) >= target) hi = mid;
    else lo = mid;
  }
  return hi;
}

/**
 * Order-up-to level for a target service level over lead time + review period: for 'cycle',
 * the quantile of demand over that interval (`demandQuantileOver`); for 'fill', the smallest
 * level with that expected fill rate, exactly from the forecast's `totals` when it has them,
 * else with normal totals read off its quantiles.
 */
export function orderUpToLevel(forecast: QuantileForecast, leadTime: number, reviewPeriod: number, serviceLevel: number, measure: ServiceMeasure = 'cycle'): number {
  const periods = leadTime + reviewPeriod;
  if (measure === 'cycle') return demandQuantileOver(forecast, periods, serviceLevel);
  checkLevel(serviceLevel);
  checkPeriods(forecast, periods);
  const { totals } = forecast;
  if (totals && totals.length >= periods) return fillRateOrderUpTo(leadTime > 0 ? totals[leadTime - 1]! : null, totals[periods - 1]!, serviceLevel);
  return normalFillRateOrderUpTo(normalTotal(forecast, leadTime), normalTotal(forecast, periods), serviceLevel);
}

export type OrderAdviceInput = {
  forecast: QuantileForecast;
  /** Target service level (e.g. 0.95), in the sense of `serviceMeasure`. */
  serviceLevel: number;
  /**
   * 'cycle' (default): probability of no stock-out before the next order can arrive;
   * 'fill': expected share of demand served from stock.
   */
  serviceMeasure?: ServiceMeasure;
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
  const orderUpTo = orderUpToLevel(input.forecast, leadTime, reviewPeriod, input.serviceLevel, input.serviceMeasure);
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
