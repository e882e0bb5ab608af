/**
 * A dealer's past, day by day, from its stock reports and the deliveries it received (decision
 * 035): between two reports a and b the dealer sold what b reports as sold since a, or else
 * opening + receipts − closing (a's on hand + what arrived in (a, b] − b's on hand), spread evenly
 * over the days of (a, b]; the stock of those days runs from a's on hand with the receipts and
 * that sale, and is b's on hand on b's date. Days no pair of reports spans are unknown. Pure.
 */
import { addDays } from '../../shared/time.js';
import { daysFrom } from './calendar.domain.js';

export type StockPoint = { date: string; onHand: number; sold: number | null };
export type DailyHistory = {
  /** The first day the history knows (the day after the first report); null without two reports. */
  from: string | null;
  /** Per day from `from`: units sold, end-of-day stock, whether the sale was reported. */
  sales: number[];
  stock: number[];
  reported: boolean[];
};

/** Reports by date, a later one of the same date replacing an earlier one (input oldest first). */
export function lastPerDate(points: readonly StockPoint[]): StockPoint[] {
  const out: StockPoint[] = [];
  for (const p of points) {
    if (out.length && out.at(-1)!.date === p.date) out[out.length - 1] = p;
    else out.push(p);
  }
  return out;
}

/** The daily history of one product (reports oldest first, receipts by date). */
export function dailyHistory(points: readonly StockPoint[], receipts: ReadonlyMap<string, number>): DailyHistory {
  const r = lastPerDate(points);
  if (r.length < 2) return { from: null, sales: [], stock: [], reported: [] };
  const from = addDays(r[0]!.date, 1);
  const sales: number[] = [];
  const stock: number[] = [];
  const reported: boolean[] = [];
  for (let i = 1; i < r.length; i++) {
    const a = r[i - 1]!;
    const b = r[i]!;
    const n = daysFrom(a.date, b.date);
    let received = 0;
    for (let d = 1; d <= n; d++) received += receipts.get(addDays(a.date, d)) ?? 0;
    const sold = b.sold ?? Math.max(0, a.onHand + received - b.onHand);
    let s = a.onHand;
    for (let d = 1; d <= n; d++) {
      s = Math.max(0, s + (receipts.get(addDays(a.date, d)) ?? 0) - sold / n);
      sales.push(sold / n);
      stock.push(d === n ? b.onHand : s);
      reported.push(b.sold !== null);
    }
  }
  return { from, sales, stock, reported };
}

export type Week = { start: string; sold: number | null; receipts: number; closing: number | null };

/**
 * `count` 7-day weeks ending on `asOf` (oldest first): units sold when the history knows all 7
 * days (else null), units received, the last on hand reported in the week.
 */
export function weeksOf(h: DailyHistory, points: readonly StockPoint[], receipts: ReadonlyMap<string, number>, asOf: string, count: number): Week[] {
  const weeks: Week[] = [];
  for (let k = count - 1; k >= 0; k--) {
    const start = addDays(asOf, -7 * k - 6);
    let sold = 0;
    let known = 0;
    let received = 0;
    let closing: number | null = null;
    for (let d = 0; d < 7; d++) {
      const date = addDays(start, d);
      received += receipts.get(date) ?? 0;
      if (h.from !== null) {
        const i = daysFrom(h.from, date);
        if (i >= 0 && i < h.sales.length) { sold += h.sales[i]!; known++; }
      }
    }
    for (const p of points) if (p.date >= start && p.date <= addDays(start, 6)) closing = p.onHand;
    weeks.push({ start, sold: known === 7 ? sold : null, receipts: received, closing });
  }
  return weeks;
}

/** The last unbroken run of weeks with a known sale (what a forecast is fitted on). */
export function lastRun(weeks: readonly Week[]): Week[] {
  let end = weeks.length;
  while (end > 0 && weeks[end - 1]!.sold === null) end--;
  let start = end;
  while (start > 0 && weeks[start - 1]!.sold !== null) start--;
  return weeks.slice(start, end);
}
