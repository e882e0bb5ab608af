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

/** Receipts by day number from `from` (dates as text are compared once, not per day). */
function receiptsByDay(receipts: ReadonlyMap<string, number>, from: string): Map<number, number> {
  const out = new Map<number, number>();
  for (const [date, q] of receipts) out.set(daysFrom(from, date), (out.get(daysFrom(from, date)) ?? 0) + q);
  return out;
}

/** The daily history of one product (reports oldest first, receipts by date). */
export function dailyHistory(points: readonly StockPoint[], receipts: ReadonlyMap<string, number>): DailyHistory {
  const r = lastPerDate(points);
  if (r.length < 2) return { from: null, sales: [], stock: [], reported: [] };
  const from = addDays(r[0]!.date, 1);
  const rec = receiptsByDay(receipts, from);
  const sales: number[] = [];
  const stock: number[] = [];
  const reported: boolean[] = [];
  for (let i = 1; i < r.length; i++) {
    const a = r[i - 1]!;
    const b = r[i]!;
    const n = daysFrom(a.date, b.date);
    const first = sales.length; // day number of a's next day
    let received = 0;
    for (let d = 0; d < n; d++) received += rec.get(first + d) ?? 0;
    const sold = b.sold ?? Math.max(0, a.onHand + received - b.onHand);
    let s = a.onHand;
    for (let d = 0; d < n; d++) {
      s = Math.max(0, s + (rec.get(first + d) ?? 0) - sold / n);
      sales.push(sold / n);
      stock.push(d === n - 1 ? b.onHand : s);
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
  const first = addDays(asOf, -7 * count + 1);
  const weeks: Week[] = Array.from({ length: count }, (_, k) => ({ start: addDays(first, 7 * k), sold: null, receipts: 0, closing: null }));
  const weekOf = (date: string) => { const d = daysFrom(first, date); return d >= 0 && d < 7 * count ? Math.floor(d / 7) : -1; };
  for (const [date, q] of receipts) { const k = weekOf(date); if (k >= 0) weeks[k]!.receipts += q; }
  for (const p of points) { const k = weekOf(p.date); if (k >= 0) weeks[k]!.closing = p.onHand; }
  if (h.from !== null) {
    const offset = daysFrom(first, h.from); // the history's day 0 in the weeks' days
    for (let k = 0; k < count; k++) {
      const a = 7 * k - offset;
      if (a >= 0 && a + 7 <= h.sales.length) {
        let sold = 0;
        for (let d = a; d < a + 7; d++) sold += h.sales[d]!;
        weeks[k]!.sold = sold;
      }
    }
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
