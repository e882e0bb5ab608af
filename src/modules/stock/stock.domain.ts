/**
 * Stock-outs at the dealer (decision 025), from the dealer's stock reports: when it was out of a
 * product (spells), for how many days of a period, the sales it likely lost, and the order lines
 * whose late or missing delivery caused it. Pure: dates are YYYY-MM-DD, quantities integers of the
 * report's unit, money integer minor units.
 */
import { addDays } from '../../shared/time.js';

/** One stock report: on hand at the report date, and what was sold since the previous report (null: not reported). */
export type StockReport = { date: string; onHand: number; sold: number | null };

/** A stock-out: from the report that showed nothing on hand to the report that showed stock again (exclusive); `end` null while still out. */
export type Spell = { start: string; end: string | null };

/** An order line of the same dealer and product, with its deliveries (for the causing late shipments). */
export type LineFact = {
  id: string; orderNo: string; lineNo: string | null; promisedDate: string; quantity: number | null;
  status: 'open' | 'delivered' | 'cancelled'; cancelledDate: string | null; deliveries: { date: string; quantity: number | null }[];
};

/** Why a line is linked to a spell: delivered after its promise, not delivered yet, or cancelled after its promise was missed. */
export type CauseReason = 'late' | 'missing' | 'cancelled';
export type Cause = {
  lineId: string; orderNo: string; lineNo: string | null; promisedDate: string; deliveredDate: string | null; reason: CauseReason;
  /** Calendar days after the promise: to the completing delivery, or (missing, cancelled) to the as-of date or the cancellation. */
  daysLate: number;
};

/** Average daily sell-through before a spell: units sold over the days those reports cover. */
export type Rate = { sold: number; days: number };

export type SpellOut = Spell & {
  /** Days out of stock inside the period (the open spell counts up to and including the as-of date). */
  daysOut: number;
  rate: Rate | null;
  /** daysOut × rate, rounded to 2 decimals; null when no sell-through was reported before the spell ("unknown"). */
  lostQuantity: number | null;
  /** lost quantity × unit price, rounded to the minor unit; null without a rate or a price. */
  lostValueMinor: number | null;
  causes: Cause[];
};

export type StockOuts = {
  spells: SpellOut[];
  daysOut: number;
  /** Over the spells with a rate; null when none has one. */
  lostQuantity: number | null;
  lostValueMinor: number | null;
  /** Days out in spells without a rate (their lost sales are unknown, never 0). */
  daysUnknown: number;
  /** Still out as of the as-of date. */
  outNow: boolean;
};

/** Days before a spell whose reports give its sell-through rate. */
export const RATE_WINDOW_DAYS = 28;

const dayNo = (iso: string): number => Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / 86_400_000;
/** Calendar days from a to b (b − a). */
export const daysBetween = (a: string, b: string): number => dayNo(b) - dayNo(a);

/** Reports by date, one per date (the last given for a date wins: a corrected report). */
export function byDate(reports: StockReport[]): StockReport[] {
  const m = new Map<string, StockReport>();
  for (const r of reports) m.set(r.date, r);
  return [...m.values()].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

/** The stock-out spells of one dealer and product: on hand ≤ 0 from a report to the next report with stock. */
export function spellsOf(reports: StockReport[]): Spell[] {
  const out: Spell[] = [];
  let open: string | null = null;
  for (const r of byDate(reports)) {
    if (r.onHand <= 0 && open === null) open = r.date;
    else if (r.onHand > 0 && open !== null) { out.push({ start: open, end: r.date }); open = null; }
  }
  if (open !== null) out.push({ start: open, end: null });
  return out;
}

/** The spell's last day out, exclusive: the date stock was back, or the day after the as-of date while still out. */
const spellEnd = (s: Spell, asOf: string): string => s.end ?? addDays(asOf, 1);

/** Days of the spell inside [from, to), and not after the as-of date. */
export function daysOutIn(s: Spell, period: { from: string; to: string }, asOf: string): number {
  const lo = s.start > period.from ? s.start : period.from;
  let hi = spellEnd(s, asOf);
  if (period.to < hi) hi = period.to;
  const afterAsOf = addDays(asOf, 1);
  if (afterAsOf < hi) hi = afterAsOf;
  return Math.max(0, daysBetween(lo, hi));
}

/**
 * Average daily sell-through before a spell: each report dated in the 28 days up to the spell's
 * start (inclusive) with a sold quantity covers the days since the report before it; intervals
 * that began out of stock are left out (their sales were held down by the stock-out itself).
 * Null when no interval qualifies.
 */
export function rateBefore(reports: StockReport[], start: string, windowDays = RATE_WINDOW_DAYS): Rate | null {
  const rs = byDate(reports);
  const from = addDays(start, -windowDays);
  let sold = 0, days = 0;
  for (let i = 1; i < rs.length; i++) {
    const cur = rs[i]!, prev = rs[i - 1]!;
    if (cur.date > start || cur.date <= from || cur.sold === null || prev.onHand <= 0) continue;
    sold += cur.sold;
    days += daysBetween(prev.date, cur.date);
  }
  return days > 0 ? { sold, days } : null;
}

/**
 * The delivery that completed a line (decision 018): with an ordered quantity, the first at which
 * the quantity so far reaches it; a delivered line that never reaches it, its last delivery; an open
 * line not yet reaching it has none. Without an ordered quantity, the last delivery.
 */
export function completedOn(line: LineFact): string | null {
  const ds = [...line.deliveries].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  if (!ds.length) return null;
  if (line.quantity === null) return ds[ds.length - 1]!.date;
  let sum = 0;
  for (const d of ds) { sum += d.quantity ?? line.quantity; if (sum >= line.quantity) return d.date; }
  return line.status === 'delivered' ? ds[ds.length - 1]!.date : null;
}

/**
 * The lines that caused a spell: promised before the spell ended (or, still out, by the as-of
 * date) and, by the spell's first day, not delivered as promised: completed after the promise and
 * on or after the spell's start; still missing; or cancelled after the promise, on or after the start.
 */
export function causesOf(s: Spell, lines: LineFact[], asOf: string): Cause[] {
  const end = spellEnd(s, asOf);
  const out: Cause[] = [];
  for (const l of lines) {
    if (l.promisedDate >= end) continue;
    const base = { lineId: l.id, orderNo: l.orderNo, lineNo: l.lineNo, promisedDate: l.promisedDate };
    if (l.status === 'cancelled') {
      if (l.cancelledDate && l.cancelledDate > l.promisedDate && l.cancelledDate >= s.start) {
        out.push({ ...base, deliveredDate: null, reason: 'cancelled', daysLate: daysBetween(l.promisedDate, l.cancelledDate) });
      }
      continue;
    }
    const done = completedOn(l);
    if (done === null) out.push({ ...base, deliveredDate: null, reason: 'missing', daysLate: Math.max(0, daysBetween(l.promisedDate, asOf)) });
    else if (done > l.promisedDate && done >= s.start) out.push({ ...base, deliveredDate: done, reason: 'late', daysLate: daysBetween(l.promisedDate, done) });
  }
  return out.sort((a, b) => (a.promisedDate < b.promisedDate ? -1 : a.promisedDate > b.promisedDate ? 1 : a.lineId < b.lineId ? -1 : 1));
}

const round2 = (n: number) => Math.round(n * 100) / 100;
/** round(a × b / c) in integers, half away from zero (a, b, c ≥ 0, c > 0). */
const mulDivRound = (a: number, b: number, c: number): number => {
  const n = BigInt(a) * BigInt(b) * 2n + BigInt(c);
  return Number(n / (2n * BigInt(c)));
};

/**
 * Stock-outs of one dealer and product over [from, to), as of a date: the spells that fall in the
 * period with their days, lost sales (days × the sell-through before the spell, valued at the unit
 * price on the spell's start when one is given) and causing lines.
 */
export function stockOuts(input: {
  reports: StockReport[]; lines: LineFact[]; period: { from: string; to: string }; asOf: string;
  /** The unit price of a spell (by its start date), or null when unknown. */
  priceOn?: (date: string) => number | null; windowDays?: number;
}): StockOuts {
  const spells: SpellOut[] = [];
  const all = spellsOf(input.reports.filter((r) => r.date <= input.asOf));
  for (const s of all) {
    const daysOut = daysOutIn(s, input.period, input.asOf);
    if (daysOut <= 0) continue;
    const rate = rateBefore(input.reports, s.start, input.windowDays);
    const price = input.priceOn?.(s.start) ?? null;
    spells.push({
      ...s, daysOut, rate,
      lostQuantity: rate ? round2((daysOut * rate.sold) / rate.days) : null,
      lostValueMinor: rate && price !== null ? mulDivRound(daysOut * rate.sold, price, rate.days) : null,
      causes: causesOf(s, input.lines, input.asOf),
    });
  }
  const withRate = spells.filter((s) => s.rate);
  const exact = withRate.reduce((sum, s) => sum + (s.daysOut * s.rate!.sold) / s.rate!.days, 0);
  const valued = spells.filter((s) => s.lostValueMinor !== null);
  const last = all[all.length - 1];
  return {
    spells,
    daysOut: spells.reduce((n, s) => n + s.daysOut, 0),
    lostQuantity: withRate.length ? round2(exact) : null,
    lostValueMinor: valued.length ? valued.reduce((n, s) => n + s.lostValueMinor!, 0) : null,
    daysUnknown: spells.filter((s) => !s.rate).reduce((n, s) => n + s.daysOut, 0),
    outNow: !!last && last.end === null,
  };
}

/**
 * The natural key of a dealer's report: dealer, product (its SKU, or the item text in any letter
 * case) and date. The portal's form and file imports (the dealer's or staff's) share it, so a later
 * report of a product and date corrects the earlier one wherever either came from. The `portal:`
 * prefix is kept from the first stored keys (the portal's).
 */
export const reportKey = (accountId: string, r: { sku?: string | null | undefined; item?: string | null | undefined; reportDate: string }): string =>
  `portal:${accountId}:${r.sku ? `sku:${r.sku}` : `item:${(r.item ?? '').trim().toLowerCase()}`}:${r.reportDate}`;

/** The stored fields of a report a new one is compared on (the rest says who wrote it and when). */
const reportFields = ['account_id', 'product_id', 'item', 'report_date', 'on_hand', 'sold_since_last', 'unit'] as const;
type ReportFields = Record<(typeof reportFields)[number], string | number | null>;

/** Whether a report says something else than the one stored under its key (numbers from PostgreSQL may come as text). */
export const reportChanged = (before: ReportFields, after: ReportFields): boolean => reportFields.some((k) => String(before[k] ?? '') !== String(after[k] ?? ''));
