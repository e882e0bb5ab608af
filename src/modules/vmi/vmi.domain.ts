/**
 * Vendor-managed inventory: the replenishment order a rep drafts for one dealer site at a visit
 * (issue 17, item 3; decision 030). Per product: a min/max in days of supply (from a static rate
 * or the forecast) or an order-up-to level for a service level, over the days until the next
 * order can arrive (lead time from the lane, the visit rhythm, warnings and lane closures); the
 * need rounded to packs and the minimum order; then the whole order capped by the site's capacity
 * and rounded to whole trucks, most-at-risk products first; then the exceptions the order leaves,
 * each with its date. Pure: quantities in the dealer's unit, dates YYYY-MM-DD.
 */
import { addDays } from '../../shared/time.js';
import { orderUpToLevel, roundOrder, type ServiceMeasure } from '../forecasting/replenishment.domain.js';
import { daysFrom, earliestArrival, heldArrival, checkWindow, nextVisit, VmiError, type DayWindow, type VisitRhythm } from './calendar.domain.js';
import { dailyForecast, demandCurve, meanOver, ratePerDay, type DemandCurve, type DemandInput } from './demand.domain.js';

/** A pack: how many units it holds, what it weighs, how many go on a pallet (when loads count pallets). */
export type Pack = { units: number; kg: number; perPallet?: number };

/**
 * 'minMax': when the stock would fall below `minDays` of supply before the next order can
 * arrive, order up to `maxDays` of supply at this order's arrival. 'service': order up to the
 * level that meets `level` (cycle service or fill rate, see replenishment.domain.ts) over the
 * days until the next order arrives; its optional min/max days only raise exceptions.
 */
export type Policy =
  | { kind: 'minMax'; minDays: number; maxDays: number }
  | { kind: 'service'; level: number; measure?: ServiceMeasure; minDays?: number; maxDays?: number };

export type InTransit = { quantity: number; arrives: string };

export type LineInput = {
  productId: string;
  onHand: number;
  inTransit?: readonly InTransit[];
  demand: DemandInput;
  policy: Policy;
  pack: Pack;
  /** Smallest quantity of an order line (units; default 0). */
  minOrder?: number;
  /** Stock lasting longer than this many days is a slow mover (default 120). */
  slowMoverDays?: number;
};

/** A load in kg and/or pallets (either may be absent: not counted). */
export type Load = { kg?: number; pallets?: number };

export type SiteInput = {
  /** The order date (the visit at which the rep drafts it). */
  asOf: string;
  /** Days from order to arrival on the lane. */
  leadTimeDays: number;
  /** The visit rhythm: the next visit is the next review. */
  rhythm: VisitRhythm;
  /** What the site can hold (all products). */
  capacity?: Load;
  /** One truck's capacity; `fullTrucks`: the order goes in whole trucks. */
  truck?: Load & { fullTrucks?: boolean };
  /** Hazard warnings at the site: nothing arrives during them. */
  warnings?: readonly DayWindow[];
  /** Lane closures: nothing travels on the lane during them. */
  closures?: readonly DayWindow[];
  lines: readonly LineInput[];
};

export type ExceptionKind = 'stockout' | 'belowMin' | 'aboveMax' | 'slowMover';
export type VmiException = { productId: string; kind: ExceptionKind; date: string; detail: string };

export type SuggestedLine = {
  productId: string;
  /** Units to order (whole packs). */
  quantity: number;
  packs: number;
  kg: number;
  /** Unrounded need from the policy (units; 0 when none). */
  need: number;
  /** Level the policy orders up to (inventory position after the order). */
  orderUpTo: number;
  /** On hand + in transit arriving before the next order can. */
  position: number;
  /** Units the truck rounding added (+) or cut (−), and the site capacity cut (≤ 0). */
  truckChange: number;
  capacityCut: number;
  /** Days of supply at the next arrival, after this order (Infinity when no demand is expected). */
  coverDays: number;
  /** The arithmetic, in words and numbers. */
  why: string[];
};

export type Suggestion = {
  asOf: string;
  arrival: string;
  nextVisit: string;
  nextArrival: string;
  /** Days this order must cover: from the order date to the next order's arrival. */
  protectionDays: number;
  lines: SuggestedLine[];
  load: { kg: number; pallets: number; trucks: number | null; truckCount: number | null };
  notes: string[];
  exceptions: VmiException[];
};

const EPS = 1e-9;
const RATE_WINDOW = 28;
export const DEFAULT_SLOW_MOVER_DAYS = 120;

/** Shows a quantity with at most one decimal. */
export const fmt = (x: number): string => (Number.isFinite(x) ? String(Math.round(x * 10) / 10) : '∞');

type Work = {
  line: LineInput;
  curve: DemandCurve;
  /** Known arrivals (in transit, held by warnings) per day 0..P. */
  arrivals: Float64Array;
  position: number;
  need: number;
  orderUpTo: number;
  policyQuantity: number;
  q: number;
  afterCapacity: number;
  /** Start-of-day stock on day L without this order (after that day's known arrivals). */
  atArrival: number;
  /** Start-of-day stock on day j ∈ [L, P] given x at day L: max(alpha[j−L], x + beta[j−L]) (day P: end of day P−1). */
  alpha: Float64Array;
  beta: Float64Array;
  rateAtNext: number;
  why: string[];
};

function validate(site: SiteInput): void {
  if (!Number.isInteger(site.leadTimeDays) || site.leadTimeDays < 0) throw new VmiError('invalid_input', `the lead time must be a whole number of days ≥ 0, got ${site.leadTimeDays}`);
  for (const w of [...(site.warnings ?? []), ...(site.closures ?? [])]) checkWindow(w);
  const seen = new Set<string>();
  for (const l of site.lines) {
    const at = `product ${l.productId}`;
    if (seen.has(l.productId)) throw new VmiError('invalid_input', `${at} appears twice in one order`);
    seen.add(l.productId);
    if (!(l.pack.units > 0) || !(l.pack.kg >= 0)) throw new VmiError('invalid_input', `${at}: a pack holds more than 0 units and weighs 0 kg or more`);
    if (l.pack.perPallet !== undefined && !(l.pack.perPallet > 0)) throw new VmiError('invalid_input', `${at}: packs per pallet must be more than 0`);
    if ((site.truck?.pallets !== undefined || site.capacity?.pallets !== undefined) && l.pack.perPallet === undefined) throw new VmiError('invalid_input', `${at}: loads count pallets, so the pack needs its packs per pallet`);
    if (!Number.isFinite(l.onHand)) throw new VmiError('invalid_input', `${at}: on hand is not a number`);
    const p = l.policy;
    if (p.kind === 'minMax' && !(p.minDays >= 0 && p.maxDays >= p.minDays)) throw new VmiError('invalid_input', `${at}: min/max days need 0 ≤ min ≤ max, got ${p.minDays}/${p.maxDays}`);
    if (p.kind === 'service' && !(p.level > 0 && p.level < 1)) throw new VmiError('invalid_input', `${at}: a service level lies between 0 and 1, got ${p.level}`);
  }
  for (const k of ['kg', 'pallets'] as const) {
    if (site.truck && site.truck[k] !== undefined && !(site.truck[k]! > 0)) throw new VmiError('invalid_input', `a truck's ${k} capacity must be more than 0`);
    if (site.capacity && site.capacity[k] !== undefined && !(site.capacity[k]! >= 0)) throw new VmiError('invalid_input', `the site's ${k} capacity cannot be negative`);
  }
}

/**
 * The order for one site at a visit. Throws VmiError for unusable input. The steps, in order
 * (decision 030): per line the policy's need, rounded up to whole packs and to the minimum order;
 * then the site's capacity (cut the least-at-risk lines first, a pack at a time); then whole
 * trucks (fill with the most-at-risk lines first; if the site cannot take the fill, round down
 * to one truck fewer, cutting the least at risk first); then the exceptions of the final order.
 */
export function suggestOrder(site: SiteInput): Suggestion {
  validate(site);
  const { asOf } = site;
  const closures = site.closures ?? [];
  const warnings = site.warnings ?? [];
  const arrival = earliestArrival(asOf, site.leadTimeDays, closures, warnings);
  const visit = nextVisit(asOf, site.rhythm);
  const next = earliestArrival(visit, site.leadTimeDays, closures, warnings);
  const L = daysFrom(asOf, arrival.date);
  const P = Math.max(L + 1, daysFrom(asOf, next.date));
  const notes: string[] = [];
  if (arrival.movedBy.length) notes.push(`Arrives ${arrival.date}, not ${addDays(asOf, site.leadTimeDays)} (order date + ${site.leadTimeDays} days lead time): ${arrival.movedBy.map(describe).join('; ')}.`);
  if (next.movedBy.length) notes.push(`The next visit (${visit}) cannot deliver before ${next.date}: ${next.movedBy.map(describe).join('; ')}; this order covers the ${P} days until then.`);
  const horizon = P + Math.max(RATE_WINDOW, ...site.lines.map((l) => Math.max(l.policy.maxDays ?? 0, l.slowMoverDays ?? DEFAULT_SLOW_MOVER_DAYS))) + 1;
  const work = site.lines.map((line) => lineNeed(line, asOf, L, P, horizon, warnings));
  for (const w of work) if (w.curve.coveredDays < P) w.why.push(`The forecast covers ${w.curve.coveredDays} days; beyond them its last period is repeated.`);

  const load = new Loads(work, site, L, P);
  if (site.capacity) capToSite(load, site.capacity, notes);
  for (const w of work) w.afterCapacity = w.q;
  const truck = site.truck;
  if (truck?.fullTrucks && (truck.kg !== undefined || truck.pallets !== undefined)) roundToTrucks(load, truck, notes);

  const lines = work.map(finishLine);
  const trucksExact = truck && (truck.kg !== undefined || truck.pallets !== undefined) ? load.trucks(truck) : null;
  const exceptions = work.flatMap((w) => exceptionsOf(w, asOf, L, P, arrival.date));
  return {
    asOf,
    arrival: arrival.date,
    nextVisit: visit,
    nextArrival: next.date,
    protectionDays: P,
    lines,
    load: { kg: load.orderKg(), pallets: load.orderPallets(), trucks: trucksExact, truckCount: trucksExact === null ? null : Math.ceil(trucksExact - EPS) },
    notes,
    exceptions,
  };
}

const describe = (w: DayWindow) => `${w.reason} (${w.from} to ${w.to})`;

function lineNeed(line: LineInput, asOf: string, L: number, P: number, horizon: number, warnings: readonly DayWindow[]): Work {
  const curve = demandCurve(line.demand, asOf, horizon);
  const arrivals = new Float64Array(P + 1);
  const why: string[] = [];
  let position = line.onHand;
  for (const t of line.inTransit ?? []) {
    const held = heldArrival(t.arrives, warnings);
    const day = Math.max(0, daysFrom(asOf, held.date));
    if (held.movedBy.length) why.push(`${fmt(t.quantity)} in transit due ${t.arrives} is held until ${held.date}: ${held.movedBy.map(describe).join('; ')}.`);
    if (day < P) {
      arrivals[day]! += t.quantity;
      position += t.quantity;
    }
  }
  const dLP = meanOver(curve, 0, P);
  const posText = `position ${fmt(position)}${position !== line.onHand ? ` (${fmt(line.onHand)} on hand + ${fmt(position - line.onHand)} in transit)` : ' on hand'}`;
  const p = line.policy;
  let orderUpTo: number;
  let need: number;
  if (p.kind === 'service') {
    orderUpTo = orderUpToLevel(dailyForecast(curve, P), L, P - L, p.level, p.measure ?? 'cycle');
    need = Math.max(0, orderUpTo - position);
    why.push(
      `Order up to ${fmt(orderUpTo)}: the level for ${p.measure === 'fill' ? 'a fill rate' : 'a cycle service level'} of ${fmt(p.level * 100)}% over ${P} days (${L} to arrival + ${P - L} to the next arrival; expected demand ${fmt(dLP)}); ${posText}; need ${fmt(need)}.`,
    );
  } else {
    const minLevel = dLP + meanOver(curve, P, P + p.minDays);
    const maxLevel = meanOver(curve, 0, L + p.maxDays);
    if (minLevel - position > EPS) {
      need = Math.max(minLevel, maxLevel) - position;
      orderUpTo = position + need;
      why.push(
        `Below min: ${posText} less ${fmt(dLP)} expected demand over the ${P} days to the next arrival leaves ${fmt(position - dLP)}, under ${p.minDays} days of supply (${fmt(minLevel - dLP)}); order up to ${p.maxDays} days of supply at arrival: ${fmt(meanOver(curve, 0, L))} demand before arrival + ${fmt(meanOver(curve, L, L + p.maxDays))} = ${fmt(maxLevel)}${maxLevel < minLevel ? `, raised to the min level ${fmt(minLevel)}` : ''}; need ${fmt(need)}.`,
      );
    } else {
      need = 0;
      orderUpTo = position;
      why.push(`No order: ${posText} less ${fmt(dLP)} expected demand over the ${P} days to the next arrival leaves ${fmt(position - dLP)}, at least ${p.minDays} days of supply (${fmt(minLevel - dLP)}).`);
    }
  }
  const q = roundOrder(need, line.pack.units, line.minOrder ?? 0);
  if (q > 0 && Math.abs(q - need) > EPS) why.push(`Rounded to ${fmt(q)}: ${fmt(q / line.pack.units)} packs of ${fmt(line.pack.units)}${(line.minOrder ?? 0) > need ? `, the minimum order being ${fmt(line.minOrder!)}` : ''}.`);
  // Projected start-of-day stock (lost sales: never below 0), and from day L its form in the order x.
  const d = (j: number) => meanOver(curve, j, j + 1);
  let s = line.onHand;
  for (let j = 0; j < L; j++) s = Math.max(0, s + arrivals[j]! - d(j));
  const atArrival = s + arrivals[L]!;
  const alpha = new Float64Array(P - L + 1);
  const beta = new Float64Array(P - L + 1);
  alpha[0] = -Infinity;
  for (let j = L + 1; j <= P; j++) {
    const a = j < P ? arrivals[j]! : 0;
    alpha[j - L] = Math.max(0, alpha[j - L - 1]! - d(j - 1)) + a;
    beta[j - L] = beta[j - L - 1]! - d(j - 1) + a;
  }
  return { line, curve, arrivals, position, need, orderUpTo, policyQuantity: q, q, afterCapacity: q, atArrival, alpha, beta, rateAtNext: ratePerDay(curve, P, RATE_WINDOW), why };
}

/** Stock on day L + i (start of day) for order q. */
const stockAt = (w: Work, q: number, i: number) => Math.max(w.alpha[i]!, w.atArrival + q + w.beta[i]!);
/** Days of supply at the next arrival after order q. */
const coverOf = (w: Work, q: number) => (w.rateAtNext > EPS ? stockAt(w, q, w.alpha.length - 1) / w.rateAtNext : Infinity);
const step = (w: Work) => (w.q === 0 ? roundOrder(Math.max(w.line.pack.units, w.line.minOrder ?? 0), w.line.pack.units) : w.line.pack.units);
/** Units to remove for one cut: a pack, or the whole line when a pack less would go under the minimum order. */
const cutStep = (w: Work) => (w.q - w.line.pack.units < (w.line.minOrder ?? 0) - EPS ? w.q : w.line.pack.units);

/** The order's loads: in trucks (packs, whole pallets per line) and at the site (stock, pallets pro rata). */
class Loads {
  /** Peak days: the arrival and every later known arrival before the next order. */
  private readonly days: number[];
  constructor(
    readonly work: Work[],
    readonly site: SiteInput,
    L: number,
    P: number,
  ) {
    const days = new Set<number>([0]);
    for (const w of work) for (let j = L + 1; j < P; j++) if (w.arrivals[j]! > 0) days.add(j - L);
    this.days = [...days];
  }
  orderKg(): number {
    return this.work.reduce((s, w) => s + (w.q / w.line.pack.units) * w.line.pack.kg, 0);
  }
  orderPallets(): number {
    return this.work.reduce((s, w) => s + (w.line.pack.perPallet ? Math.ceil(w.q / w.line.pack.units / w.line.pack.perPallet - EPS) : 0), 0);
  }
  trucks(t: Load): number {
    return Math.max(t.kg ? this.orderKg() / t.kg : 0, t.pallets ? this.orderPallets() / t.pallets : 0);
  }
  /** Whether the site holds the stock on every peak day (kg and pallets as given). */
  fitsSite(cap: Load): boolean {
    for (const i of this.days) {
      let kg = 0;
      let pallets = 0;
      for (const w of this.work) {
        const packs = stockAt(w, w.q, i) / w.line.pack.units;
        kg += packs * w.line.pack.kg;
        if (w.line.pack.perPallet) pallets += packs / w.line.pack.perPallet;
      }
      if ((cap.kg !== undefined && kg > cap.kg + EPS) || (cap.pallets !== undefined && pallets > cap.pallets + EPS)) return false;
    }
    return true;
  }
}

function capToSite(load: Loads, cap: Load, notes: string[]): void {
  if (load.fitsSite(cap)) return;
  const cut = cutLeastAtRisk(load, () => load.fitsSite(cap));
  for (const [w, units] of cut) {
    w.why.push(`Cut by ${fmt(units)} (${fmt(units / w.line.pack.units)} packs): the site holds ${capText(cap)}, and this product is among the least at risk.`);
  }
  if (!load.fitsSite(cap)) notes.push(`The site is over its capacity (${capText(cap)}) even without this order.`);
  else if (cut.size) notes.push(`Cut to the site's capacity (${capText(cap)}): ${[...cut].map(([w, u]) => `${w.line.productId} −${fmt(u)}`).join(', ')}.`);
}

const capText = (c: Load) => [c.kg !== undefined ? `${fmt(c.kg)} kg` : '', c.pallets !== undefined ? `${fmt(c.pallets)} pallets` : ''].filter(Boolean).join(' and ');

/** Removes packs from the line with the most days of supply at the next arrival until `done`; the units cut per line. */
function cutLeastAtRisk(load: Loads, done: () => boolean): Map<Work, number> {
  const cut = new Map<Work, number>();
  while (!done()) {
    let pick: Work | null = null;
    for (const w of load.work) if (w.q > 0 && (!pick || coverOf(w, w.q - cutStep(w)) > coverOf(pick, pick.q - cutStep(pick)))) pick = w;
    if (!pick) break;
    const u = cutStep(pick);
    pick.q -= u;
    cut.set(pick, (cut.get(pick) ?? 0) + u);
  }
  return cut;
}

function roundToTrucks(load: Loads, truck: Load, notes: string[]): void {
  const exact = load.trucks(truck);
  if (exact <= EPS) return;
  const n = Math.ceil(exact - EPS);
  const fitsTruck = (k: number) => load.trucks(truck) <= k + EPS;
  const cap = load.site.capacity;
  const added = new Map<Work, number>();
  // A pack that adds nothing to the truck's count (no weight, no pallets counted) cannot fill it.
  const blocked = new Set<Work>(load.work.filter((w) => !((truck.kg !== undefined && w.line.pack.kg > 0) || (truck.pallets !== undefined && w.line.pack.perPallet))));
  let siteStopped = false;
  for (;;) {
    let pick: Work | null = null;
    for (const w of load.work) if (w.rateAtNext > EPS && !blocked.has(w) && (!pick || coverOf(w, w.q) < coverOf(pick, pick.q))) pick = w;
    if (!pick) break;
    const u = step(pick);
    pick.q += u;
    const truckOk = fitsTruck(n);
    const siteOk = !cap || load.fitsSite(cap);
    if (truckOk && siteOk) added.set(pick, (added.get(pick) ?? 0) + u);
    else {
      pick.q -= u;
      blocked.add(pick);
      if (truckOk && !siteOk) siteStopped = true;
    }
  }
  if (siteStopped && n > 1) {
    for (const [w, u] of added) w.q -= u;
    const cut = cutLeastAtRisk(load, () => fitsTruck(n - 1));
    for (const [w, u] of cut) w.why.push(`Cut by ${fmt(u)} (${fmt(u / w.line.pack.units)} packs) to load ${n - 1} full truck${n - 1 > 1 ? 's' : ''}: the site cannot take a full truck ${n}; this product is among the least at risk.`);
    notes.push(`Rounded down to ${n - 1} truck${n - 1 > 1 ? 's' : ''} (from ${fmt(exact)}): the site cannot hold a full truck ${n}; cut ${[...cut].map(([w, u]) => `${w.line.productId} −${fmt(u)}`).join(', ')}.`);
    return;
  }
  for (const [w, u] of added) w.why.push(`Raised by ${fmt(u)} (${fmt(u / w.line.pack.units)} packs) to fill truck ${n}: among the products with the fewest days of supply at the next arrival.`);
  const fill = load.trucks(truck);
  if (added.size) notes.push(`Filled from ${fmt(exact)} to ${fmt(fill)} truck loads (${n} truck${n > 1 ? 's' : ''}), most at risk first: ${[...added].map(([w, u]) => `${w.line.productId} +${fmt(u)}`).join(', ')}.`);
  if (siteStopped) notes.push(`A partial truck (${fmt(fill)} of 1): the site cannot hold a full one.`);
}

function finishLine(w: Work): SuggestedLine {
  const packs = Math.round(w.q / w.line.pack.units);
  return {
    productId: w.line.productId,
    quantity: w.q,
    packs,
    kg: packs * w.line.pack.kg,
    need: w.need,
    orderUpTo: w.orderUpTo,
    position: w.position,
    truckChange: w.q - w.afterCapacity,
    capacityCut: w.afterCapacity - w.policyQuantity,
    coverDays: coverOf(w, w.q),
    why: w.why,
  };
}

/** The first date of each exception the final order leaves, looking to the next order's arrival. */
function exceptionsOf(w: Work, asOf: string, L: number, P: number, arrivalDate: string): VmiException[] {
  const out: VmiException[] = [];
  const { line, curve } = w;
  const id = line.productId;
  const p = line.policy;
  const { minDays, maxDays } = p;
  let s = line.onHand;
  let stockout = false;
  let below = false;
  let above = false;
  for (let j = 0; j < P; j++) {
    const start = s + w.arrivals[j]! + (j === L ? w.q : 0);
    const d = meanOver(curve, j, j + 1);
    s = Math.max(0, start - d);
    const date = addDays(asOf, j);
    if (!stockout && d > EPS && start < d - EPS) {
      stockout = true;
      const when = j < L ? `before this order arrives (${arrivalDate})` : w.q < w.policyQuantity ? 'after this order, which was cut' : 'after this order';
      out.push({ productId: id, kind: 'stockout', date, detail: `Projected out of stock on ${date}, ${when}: ${fmt(start)} in stock for ${fmt(d)} expected demand that day.` });
    }
    if (minDays !== undefined && !below && !stockout) {
      const min = meanOver(curve, j + 1, j + 1 + minDays);
      if (s < min - EPS) {
        below = true;
        out.push({ productId: id, kind: 'belowMin', date, detail: `Below min on ${date}: ${fmt(s)} at the end of the day, under ${minDays} days of supply (${fmt(min)}).` });
      }
    }
    if (maxDays !== undefined && !above) {
      const max = meanOver(curve, j, j + maxDays);
      // From the arrival on, the stock the policy itself planned (a build before a closure) and a pack of rounding are not exceptions.
      const allowed = j >= L && w.q > 0 ? Math.max(max, w.atArrival + w.need - meanOver(curve, L, j)) + line.pack.units : max;
      if (start > allowed + EPS) {
        above = true;
        const cause = j === L && w.q > 0 ? (w.q > w.policyQuantity ? ' (this order, raised to fill the truck)' : w.policyQuantity > w.need + line.pack.units ? ' (this order, raised to the minimum order)' : ' (this order)') : '';
        out.push({ productId: id, kind: 'aboveMax', date, detail: `Above max on ${date}${cause}: ${fmt(start)} in stock, over ${maxDays} days of supply (${fmt(max)}).` });
      }
    }
  }
  const slow = line.slowMoverDays ?? DEFAULT_SLOW_MOVER_DAYS;
  const slowLevel = meanOver(curve, 0, slow);
  if (line.onHand > slowLevel + EPS && line.onHand > 0) {
    const rate = slowLevel / slow;
    out.push({
      productId: id,
      kind: 'slowMover',
      date: asOf,
      detail: rate > EPS ? `Slow mover: ${fmt(line.onHand)} on hand lasts ${fmt(line.onHand / rate)} days at ${fmt(rate)} a day, more than ${slow}.` : `Slow mover: ${fmt(line.onHand)} on hand and no demand expected.`,
    });
  }
  return out;
}
