/**
 * Lanes' own rules on top of delivery's mode-plan arithmetic (decision 024): rate validity that
 * never overlaps, seasonal periods as days of the year (a period may run over the new year),
 * transit means and delay against the promise by mode and month, the figures of a proposed rule
 * priced on the lane's tonnage, and which approved rule is in force or coming. Pure functions.
 */
import { WEEKS_PER_YEAR, type RiskBucket, type TyphoonRisk } from '../delivery/climate.domain.js';
import { quantile, type LaneTyphoonRisk, type ModePlanSettings, type MonthRow, type PastShipment, type TransportMode } from '../delivery/mode-plan.domain.js';

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const DAY_MS = 86_400_000;
const pad = (n: number) => String(n).padStart(2, '0');

/** Whether two validity ranges (YYYY-MM-DD, inclusive; `to` null: open) share a day. */
export function validityOverlaps(a: { from: string; to: string | null }, b: { from: string; to: string | null }): boolean {
  return (a.to === null || b.from <= a.to) && (b.to === null || a.from <= b.to);
}

/** Day of a 365-day year (0..364) of MM-DD; 29 February counts as the 28th. */
export function dayOfYear(md: string): number {
  const m = Number(md.slice(0, 2)), d = Math.min(Number(md.slice(3, 5)), MONTH_DAYS[m - 1]!);
  return MONTH_DAYS.slice(0, m - 1).reduce((s, x) => s + x, 0) + d - 1;
}

/** Whether MM-DD names a day of the year (29 February allowed). */
export function isMonthDay(md: string): boolean {
  if (!/^\d{2}-\d{2}$/.test(md)) return false;
  const m = Number(md.slice(0, 2)), d = Number(md.slice(3, 5));
  return m >= 1 && m <= 12 && d >= 1 && d <= (m === 2 ? 29 : MONTH_DAYS[m - 1]!);
}

/** The days (0..364) from `from` to `to` inclusive, running over the new year when `to` comes first. */
export function periodDays(from: string, to: string): number[] {
  const a = dayOfYear(from), b = dayOfYear(to);
  const n = b >= a ? b - a + 1 : 365 - a + b + 1;
  return Array.from({ length: n }, (_, i) => (a + i) % 365);
}

/** Whether two seasonal periods share a day. */
export function periodsOverlap(a: { fromDay: string; toDay: string }, b: { fromDay: string; toDay: string }): boolean {
  const set = new Set(periodDays(a.fromDay, a.toDay));
  return periodDays(b.fromDay, b.toDay).some((d) => set.has(d));
}

/** Months from `first` to `last` (1..12), over the new year when `last` comes first. */
export function monthsFrom(first: number, last: number): number[] {
  const n = last >= first ? last - first + 1 : 12 - first + last + 1;
  return Array.from({ length: n }, (_, i) => ((first - 1 + i) % 12) + 1);
}

/** First and last day (MM-DD) of a run of whole months. */
export const daysOfMonths = (months: readonly number[]) => ({ fromDay: `${pad(months[0]!)}-01`, toDay: `${pad(months.at(-1)!)}-${pad(MONTH_DAYS[months.at(-1)! - 1]!)}` });

/**
 * Transit days of a mode in a month with the same fallback as delivery's `transitOf` (fewer than
 * `minSamples` in the month: every month of the mode; fewer still: none), with the mean and p90.
 */
export function transitMean(shipments: readonly PastShipment[], mode: TransportMode, month: number, minSamples: number): { n: number; meanDays: number; p90Days: number } | null {
  const days = (s: PastShipment) => (Date.parse(s.deliveredAt) - Date.parse(s.shippedAt)) / DAY_MS;
  const ofMode = shipments.filter((s) => s.mode === mode && Number.isFinite(days(s)) && days(s) >= 0);
  const inMonth = ofMode.filter((s) => new Date(s.shippedAt).getUTCMonth() + 1 === month);
  const pick = inMonth.length >= minSamples ? inMonth : ofMode;
  if (!pick.length || pick.length < minSamples) return null;
  const xs = pick.map(days).sort((a, b) => a - b);
  return { n: xs.length, meanDays: xs.reduce((s, x) => s + x, 0) / xs.length, p90Days: quantile(xs, 0.9) };
}

/** A delivered shipment against its line's promise (YYYY-MM-DD). */
export type PromisedShipment = { mode: TransportMode; shippedDate: string; deliveredDate: string; promisedDate: string };

/** Days late against the promise (negative: early) of the mode's shipments shipped in the month (any year); null when none. */
export function delayVsPromised(rows: readonly PromisedShipment[], mode: TransportMode, month: number): { n: number; meanDaysLate: number; lateShare: number } | null {
  const xs = rows.filter((r) => r.mode === mode && Number(r.shippedDate.slice(5, 7)) === month)
    .map((r) => (Date.parse(`${r.deliveredDate}T00:00:00Z`) - Date.parse(`${r.promisedDate}T00:00:00Z`)) / DAY_MS);
  if (!xs.length) return null;
  return { n: xs.length, meanDaysLate: xs.reduce((s, x) => s + x, 0) / xs.length, lateShare: xs.filter((x) => x > 0).length / xs.length };
}

/** A climatology with no passages (an inland lane has no sea ports), over the table's years. */
export function noTyphoonRisk(years: { from: number; to: number }, thresholdKt: number, distanceKm: number): TyphoonRisk {
  const bucket = (index: number): RiskBucket => ({ index, yearsWithPassage: 0, probability: 0, storms: 0 });
  return {
    points: [], distanceKm, thresholdKt, method: 'track', years: { ...years, count: years.to - years.from + 1 },
    byWeek: Array.from({ length: WEEKS_PER_YEAR }, (_, i) => bucket(i + 1)), byMonth: Array.from({ length: 12 }, (_, i) => bucket(i + 1)), byYear: [],
  };
}

/** The figures of a rule and every step that gave them (stored with the rule as proposed). */
export type RuleFigures = {
  from: TransportMode; to: TransportMode; months: number[]; fromDay: string; toDay: string; currency: string;
  extraPerTonneMinor: number; daysSaved: number; typhoonDelaySaved: number; chanceFrom: number; chanceTo: number;
  periodTonnes: number; costDeltaMinor: number;
  arithmetic: {
    extraPerTonne: { monthly: number[]; sum: number; count: number; mean: number };
    daysSaved: { monthly: number[]; sum: number; count: number; mean: number };
    chance: { yearsWithPassage: number; years: number; exposureFrom: number; exposureTo: number };
    cost: { annualTonnes: number; monthCount: number; periodTonnes: number; perTonneMinor: number; totalMinor: number };
  };
};

/** Why a period cannot be priced: the month and what it lacks. */
export type FigureGap = { month: number; reason: 'noRate' | 'noTransit' | 'currencyMismatch'; modes: TransportMode[] };

/** Nearest integer of p / q (q > 0), halves up, in integers. */
const divRound = (p: number, q: number) => Math.floor((2 * p + q) / (2 * q));

/**
 * The figures of switching `from` → `to` in `months`, from the plan's month rows (which must have
 * been computed for the same pair): the extra cost per tonne is the mean of the monthly rate
 * differences (nearest minor unit, halves up), days saved the mean of the monthly expected-days
 * differences, the disruption chance exposure × years with a ≥ 34 kt passage in any of the months
 * / years, and the cost of the period annual tonnes × months / 12 × the extra per tonne.
 */
export function ruleFigures(rows: readonly MonthRow[], risk: LaneTyphoonRisk, s: ModePlanSettings, months: readonly number[], annualTonnes: number): { figures: RuleFigures } | { gaps: FigureGap[] } {
  const { from, to } = s.rule;
  const gaps: FigureGap[] = [];
  const block = months.map((m) => rows.find((r) => r.month === m)!);
  const currency = block[0]!.modes[to].rate?.currency ?? block[0]!.modes[from].rate?.currency ?? '';
  for (const r of block) {
    const a = r.modes[from], b = r.modes[to];
    const lacking = (has: (x: typeof a) => boolean) => [a, b].filter((x) => !has(x)).map((x) => x.mode);
    if (!a.rate || !b.rate) gaps.push({ month: r.month, reason: 'noRate', modes: lacking((x) => !!x.rate) });
    else if (a.rate.currency !== b.rate.currency || b.rate.currency !== currency) gaps.push({ month: r.month, reason: 'currencyMismatch', modes: [from, to] });
    if (a.expectedDays === null || b.expectedDays === null) gaps.push({ month: r.month, reason: 'noTransit', modes: lacking((x) => x.expectedDays !== null) });
  }
  if (gaps.length) return { gaps };
  const extras = block.map((r) => r.modes[to].rate!.perTonneMinor - r.modes[from].rate!.perTonneMinor);
  const saved = block.map((r) => r.modes[from].expectedDays! - r.modes[to].expectedDays!);
  const n = months.length;
  const extraSum = extras.reduce((x, y) => x + y, 0), savedSum = saved.reduce((x, y) => x + y, 0);
  const extraMean = divRound(extraSum, n);
  const typhoonSaved = block.reduce((x, r) => x + r.modes[from].typhoonDelayDays - r.modes[to].typhoonDelayDays, 0) / n;
  const set = new Set(months);
  const yearsWithPassage = risk.kt34.byYear.filter((y) => y.months.some((m) => set.has(m))).length;
  const years = risk.kt34.years.count;
  const ef = s.typhoon[from].exposure, et = s.typhoon[to].exposure;
  const costDeltaMinor = divRound(annualTonnes * n * extraMean, 12);
  const periodTonnes = (annualTonnes * n) / 12;
  return {
    figures: {
      from, to, months: [...months], ...daysOfMonths(months), currency,
      extraPerTonneMinor: extraMean, daysSaved: savedSum / n, typhoonDelaySaved: typhoonSaved,
      chanceFrom: years ? (ef * yearsWithPassage) / years : 0, chanceTo: years ? (et * yearsWithPassage) / years : 0,
      periodTonnes, costDeltaMinor,
      arithmetic: {
        extraPerTonne: { monthly: extras, sum: extraSum, count: n, mean: extraMean },
        daysSaved: { monthly: saved, sum: savedSum, count: n, mean: savedSum / n },
        chance: { yearsWithPassage, years, exposureFrom: ef, exposureTo: et },
        cost: { annualTonnes, monthCount: n, periodTonnes, perTonneMinor: extraMean, totalMinor: costDeltaMinor },
      },
    },
  };
}

/** An approved rule's period, as the plan reads it. */
export type ApprovedPeriod = { id: string; toMode: string; fromDay: string; toDay: string };

/**
 * The approved rule in force on `today` (YYYY-MM-DD), else the one starting soonest after it,
 * with the days until it starts (0 when in force).
 */
export function ruleInForce<T extends ApprovedPeriod>(rules: readonly T[], today: string): { rule: T; inForce: boolean; startsInDays: number } | null {
  const d = dayOfYear(today.slice(5, 10));
  let best: { rule: T; inForce: boolean; startsInDays: number } | null = null;
  for (const r of rules) {
    if (periodDays(r.fromDay, r.toDay).includes(d)) return { rule: r, inForce: true, startsInDays: 0 };
    const ahead = (dayOfYear(r.fromDay) - d + 365) % 365;
    if (!best || ahead < best.startsInDays) best = { rule: r, inForce: false, startsInDays: ahead };
  }
  return best;
}
