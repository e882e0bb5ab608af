/**
 * The pure rules around a stored VMI draft (decision 034): the bounds a dealer may sign within, a
 * dealer's change checked against them, the canonical form of the signed lines (the service hashes it),
 * the median lead time of a delivery history, and the demand a line is drafted from (weekly sales
 * → the forecasting engine, or a rate when there is too little history).
 */
import { addDays } from '../../shared/time.js';
import { forecastSeries } from '../forecasting/forecasting.domain.js';
import type { DemandInput } from './demand.domain.js';

/** The least and most a dealer may sign of a sent quantity, whole units: −down % rounded up, +up % rounded down. */
export function signBounds(quantity: number, downPct: number, upPct: number): { min: number; max: number } {
  const min = Math.max(0, Math.ceil(quantity * (1 - downPct / 100) - 1e-9));
  const max = Math.max(min, Math.floor(quantity * (1 + upPct / 100) + 1e-9));
  return { min, max };
}

export type SignedLine = { productId: string; quantity: number };
export type DraftLineBounds = { productId: string; label: string; quantity: number; min: number; max: number };
export type ChangeProblem = { index: number; field: 'productId' | 'quantity'; message: string };

/**
 * The lines a dealer signs: the sent quantities, with its changes applied. Each change names a
 * line of the draft once and stays within that line's bounds; otherwise the problems, each naming
 * the line (by its label, e.g. the SKU) and the change's index.
 */
export function applyChange(lines: readonly DraftLineBounds[], changes: readonly SignedLine[]): { lines: SignedLine[]; problems: ChangeProblem[] } {
  const byId = new Map(lines.map((l) => [l.productId, l]));
  const problems: ChangeProblem[] = [];
  const seen = new Set<string>();
  const set = new Map<string, number>();
  changes.forEach((c, index) => {
    const line = byId.get(c.productId);
    if (!line) { problems.push({ index, field: 'productId', message: `change ${index + 1}: the product is not a line of this order` }); return; }
    if (seen.has(c.productId)) { problems.push({ index, field: 'productId', message: `line ${line.label}: changed twice` }); return; }
    seen.add(c.productId);
    if (c.quantity < line.min || c.quantity > line.max) {
      problems.push({ index, field: 'quantity', message: `line ${line.label}: ${c.quantity} is outside the allowed ${line.min}–${line.max} (sent ${line.quantity})` });
      return;
    }
    set.set(c.productId, c.quantity);
  });
  return { lines: lines.map((l) => ({ productId: l.productId, quantity: set.get(l.productId) ?? l.quantity })), problems };
}

/**
 * The signed lines in their one canonical form: lines with a quantity, by product id, each as
 * {"productId","quantity"} in that key order. Two signatures of the same lines give the same text.
 */
export function canonicalLines(lines: readonly SignedLine[]): SignedLine[] {
  return lines.filter((l) => l.quantity > 0).map((l) => ({ productId: l.productId, quantity: l.quantity }))
    .sort((a, b) => (a.productId < b.productId ? -1 : a.productId > b.productId ? 1 : 0));
}

/** What is hashed: the draft, the version the dealer saw, the decision and exactly the signed lines. */
export const signedDocument = (s: { draftId: string; draftVersion: number; decision: string; lines: readonly SignedLine[] }): string =>
  JSON.stringify({ draftId: s.draftId, draftVersion: s.draftVersion, decision: s.decision, lines: canonicalLines(s.lines) });

/** The median of whole days (the lower middle of an even count), null without any. */
export function medianDays(days: readonly number[]): number | null {
  if (!days.length) return null;
  const s = [...days].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)]!;
}

/** Weeks of history needed before a line is forecast rather than given a rate. */
export const MIN_FORECAST_WEEKS = 8;

/**
 * The demand a line is drafted from, given its sales per day before `asOf` (index 0 = `asOf` −
 * daily.length days). Whole weeks ending the day before, from the first week with a sale: with
 * at least MIN_FORECAST_WEEKS of them, the forecasting engine's automatic choice (weekly, seasonal
 * when two years are there); fewer, the mean rate since the first sale; none, no demand.
 */
export function demandOf(daily: readonly number[], asOf: string, horizonWeeks: number): { demand: DemandInput; basis: string } {
  const weeks: number[] = [];
  for (let end = daily.length; end - 7 >= 0; end -= 7) {
    let s = 0;
    for (let i = end - 7; i < end; i++) s += daily[i]!;
    weeks.unshift(s);
  }
  const first = weeks.findIndex((w) => w > 0);
  if (first < 0) return { demand: { kind: 'rate', perDay: 0 }, basis: 'no sales in the history: no demand expected' };
  const values = weeks.slice(first);
  if (values.length < MIN_FORECAST_WEEKS) {
    const firstDay = daily.findIndex((d) => d > 0);
    const days = daily.length - firstDay;
    const total = daily.slice(firstDay).reduce((a, b) => a + b, 0);
    return { demand: { kind: 'rate', perDay: total / days }, basis: `${values.length} week(s) of sales: the mean rate of ${days} day(s)` };
  }
  const f = forecastSeries({ values, frequency: values.length >= 104 ? 52 : 1 }, { horizon: Math.max(1, horizonWeeks), nonNegative: true });
  return {
    demand: { kind: 'forecast', forecast: { start: asOf, periodDays: 7, levels: f.levels, point: f.point, quantiles: f.quantiles, ...(f.cumulative ? { cumulative: f.cumulative } : {}) } },
    basis: `weekly forecast (${f.method}) from ${values.length} weeks of sales to ${addDays(asOf, -1)}`,
  };
}
