/**
 * Seasonal mode planning for a lane (plant or port → dealer): ship, rail and road compared month
 * by month on cost per tonne (rate tables with validity dates), transit time (the lane's own
 * shipments) and typhoon disruption (the climatology near the lane's sea ports), and a proposed
 * seasonal rule ("rail from 1 July to 30 September: +¥X a tonne, −Y days expected, disruption
 * chance from Z % to W %") with the arithmetic behind every number. Pure functions, no I/O.
 *
 * The model, stated (docs/decisions/019-typhoon-climatology.md has the why):
 * - Rate: the rate line of the mode valid on the 1st of the month of the plan year (validFrom ≤
 *   day ≤ validTo, validTo inclusive or open); when several are, the latest validFrom wins (a
 *   tie: the line listed last).
 * - Transit: days from shippedAt to deliveredAt of the lane's past shipments by the mode shipped
 *   in that month (UTC, any year); fewer than `minSamples` there → all months of the mode; fewer
 *   still → unknown. Median, p10 and p90 interpolate linearly between order statistics
 *   (h = (n − 1)·q, as R's type 7 and Excel's PERCENTILE.INC).
 * - Typhoon delay: for a shipment leaving on a day, chance of a passage in that day's week
 *   (years with one / years) × the mode's exposure × the delay an event costs:
 *   exposure·[(p34 − p64)·delay34 + p64·delay64] (a ≥ 64 kt passage is also ≥ 34 kt, so p34 − p64
 *   is the chance of a gale without a typhoon). The month's figure is the mean over its days
 *   (365-day year). At most one event a week is counted.
 * - Expected days = transit median + typhoon delay. The history's median is taken as the
 *   undisturbed transit time (a median barely moves for rare storms; the p90 shows the tail).
 * - Disruption chance of a month or a season = exposure × years with a ≥ 34 kt passage in it /
 *   years (for a season, a year counts once however many of its months had one).
 * - Money: integer minor units of the rates' currency; the rule's extra cost is the mean of the
 *   monthly differences, rounded to the nearest minor unit, halves up.
 */
import type { TyphoonRisk } from './climate.domain.js';

export type TransportMode = 'ship' | 'rail' | 'road';
export const TRANSPORT_MODES: readonly TransportMode[] = ['ship', 'rail', 'road'];

/** One line of a rate table: a price per tonne for a mode, valid between two dates (inclusive). */
export type RateLine = {
  id: string;
  mode: TransportMode;
  /** YYYY-MM-DD, first day the rate applies. */
  validFrom: string;
  /** YYYY-MM-DD, last day it applies; null while open. */
  validTo: string | null;
  currency: string;
  perTonneMinor: number;
};

/** A past shipment on the lane (ISO 8601 instants). */
export type PastShipment = { mode: TransportMode; shippedAt: string; deliveredAt: string; tonnes: number; freightMinor: number };

/** How typhoons touch a mode: the share of passages that disrupt it, and the days an event costs. */
export type TyphoonExposure = { exposure: number; delayDays34: number; delayDays64: number };

/** The switch the planner looks for, and when it is worth proposing. */
export type RuleCriteria = {
  from: TransportMode;
  to: TransportMode;
  /** A month qualifies when expected days fall by at least this … */
  minDaysSaved: number;
  /** … or the disruption chance by at least this many percentage points … */
  minChancePointsSaved: number;
  /** … and the extra cost per tonne is at most this (minor units). */
  maxExtraPerTonneMinor: number;
};

export type ModePlanSettings = {
  /** Rates are chosen for this year (the 1st of each month). */
  year: number;
  /** Below this many shipments in a month, the mode's shipments of all months are used. */
  minSamples: number;
  typhoon: Record<TransportMode, TyphoonExposure>;
  rule: RuleCriteria;
};

/**
 * Defaults to start from; every figure is an assumption a planner should set for the lane
 * (ports close for about two days in a gale, four in a typhoon; rail and road lose a share).
 */
export const defaultModePlanSettings = (year: number): ModePlanSettings => ({
  year,
  minSamples: 3,
  typhoon: {
    ship: { exposure: 1, delayDays34: 2, delayDays64: 4 },
    rail: { exposure: 0.2, delayDays34: 1, delayDays64: 2 },
    road: { exposure: 0.5, delayDays34: 1, delayDays64: 2 },
  },
  rule: { from: 'ship', to: 'rail', minDaysSaved: 0.5, minChancePointsSaved: 10, maxExtraPerTonneMinor: 3000 },
});

/** The typhoon climatology near the lane's sea ports, one distance, at 34 and at 64 kt. */
export type LaneTyphoonRisk = { kt34: TyphoonRisk; kt64: TyphoonRisk };

export type Transit = { n: number; source: 'month' | 'all-months'; medianDays: number; p10Days: number; p90Days: number };

/** One mode in one month, with what each figure came from. */
export type ModeMonth = {
  mode: TransportMode;
  /** The rate line used, or null when none is valid on the 1st of the month. */
  rate: { id: string; currency: string; perTonneMinor: number } | null;
  transit: Transit | null;
  /** Mean over the month's days of the chance of a passage in that day's week. */
  p34: number;
  p64: number;
  typhoonDelayDays: number;
  /** transit median + typhoon delay; null without transit. */
  expectedDays: number | null;
  /** exposure × years with a ≥ 34 kt passage in the month / years. */
  disruptionChance: number;
};

export type NotQualifying = 'noRate' | 'noTransit' | 'currencyMismatch' | 'tooDear' | 'tooLittleGain';

/** The switch (from → to) in one month. */
export type SwitchMonth = {
  month: number;
  extraPerTonneMinor: number | null;
  daysSaved: number | null;
  /** The typhoon part of daysSaved (from − to typhoon delay). */
  typhoonDelaySaved: number;
  chancePointsSaved: number;
  qualifies: boolean;
  reasons: NotQualifying[];
};

export type MonthRow = { month: number; modes: Record<TransportMode, ModeMonth>; switch: SwitchMonth };

/** A proposed seasonal rule: an i18n key with every number, and the arithmetic behind them. */
export type RuleProposal = {
  from: TransportMode;
  to: TransportMode;
  months: number[];
  /** MM-DD, first and last day (non-leap year). */
  fromDay: string;
  toDay: string;
  currency: string;
  extraPerTonneMinor: number;
  /** Mean over the months of expected days saved (from − to); negative when slower. */
  daysSaved: number;
  /** Mean over the months of the typhoon delay saved, the part of daysSaved the climatology gives. */
  typhoonDelaySaved: number;
  chanceFrom: number;
  chanceTo: number;
  /**
   * For the web app's strings (not written yet), e.g. en: "{{to}} from {{fromDay}} to {{toDay}}:
   * {{extraPerTonne}} a tonne, {{daysSaved}} days sooner expected, disruption chance from
   * {{chanceFromPct}} % to {{chanceToPct}} %"; the money is `extraPerTonneMinor` in `currency`
   * (format at the edge), `daysSaved` is rounded to 0.1 (negative: slower), percentages to 1.
   */
  message: { key: 'delivery.modePlan.rule'; params: Record<string, string | number> };
  arithmetic: {
    extraPerTonne: { monthly: number[]; sum: number; count: number; mean: number };
    daysSaved: { monthly: number[]; sum: number; count: number; mean: number };
    chance: { yearsWithPassage: number; years: number; exposureFrom: number; exposureTo: number };
  };
};

export type ModePlan = { rows: MonthRow[]; proposals: RuleProposal[] };

const DAY_MS = 86_400_000;
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const pad = (n: number) => String(n).padStart(2, '0');

/** The rate line valid on `day` (YYYY-MM-DD) for `mode`: latest validFrom among the valid ones (a tie: the one listed last). */
export function rateOn(rates: readonly RateLine[], mode: TransportMode, day: string): RateLine | null {
  let best: RateLine | null = null;
  for (const r of rates) {
    if (r.mode !== mode || r.validFrom > day || (r.validTo !== null && r.validTo < day)) continue;
    if (!best || r.validFrom >= best.validFrom) best = r;
  }
  return best;
}

/** Quantile q of sorted values, linear between order statistics (h = (n − 1)·q). */
export function quantile(sorted: readonly number[], q: number): number {
  if (!sorted.length) return NaN;
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const a = sorted[lo]!, b = sorted[Math.min(lo + 1, sorted.length - 1)]!;
  return a + (h - lo) * (b - a);
}

/** Transit statistics of a mode in a month (see the module comment for the fallback). */
export function transitOf(shipments: readonly PastShipment[], mode: TransportMode, month: number, minSamples: number): Transit | null {
  const days = (s: PastShipment) => (Date.parse(s.deliveredAt) - Date.parse(s.shippedAt)) / DAY_MS;
  const ofMode = shipments.filter((s) => s.mode === mode && Number.isFinite(days(s)) && days(s) >= 0);
  const inMonth = ofMode.filter((s) => new Date(s.shippedAt).getUTCMonth() + 1 === month);
  const [pick, source] = inMonth.length >= minSamples ? [inMonth, 'month' as const] : [ofMode, 'all-months' as const];
  if (pick.length < minSamples || !pick.length) return null;
  const xs = pick.map(days).sort((a, b) => a - b);
  return { n: xs.length, source, medianDays: quantile(xs, 0.5), p10Days: quantile(xs, 0.1), p90Days: quantile(xs, 0.9) };
}

/** Week (1..52) of each day of a month, 365-day year. */
function weeksOfMonthDays(month: number): number[] {
  const first = MONTH_DAYS.slice(0, month - 1).reduce((s, d) => s + d, 0);
  return Array.from({ length: MONTH_DAYS[month - 1]! }, (_, i) => Math.min(52, Math.floor((first + i) / 7) + 1));
}

/** Mean over the month's days of the weekly chances of ≥ 34 kt and ≥ 64 kt passages. */
export function monthlyWeekChances(risk: LaneTyphoonRisk, month: number): { p34: number; p64: number } {
  const weeks = weeksOfMonthDays(month);
  const mean = (r: TyphoonRisk) => weeks.reduce((s, w) => s + r.byWeek[w - 1]!.probability, 0) / weeks.length;
  return { p34: mean(risk.kt34), p64: mean(risk.kt64) };
}

function modeMonth(mode: TransportMode, month: number, rates: readonly RateLine[], shipments: readonly PastShipment[], risk: LaneTyphoonRisk, s: ModePlanSettings): ModeMonth {
  const rate = rateOn(rates, mode, `${s.year}-${pad(month)}-01`);
  const transit = transitOf(shipments, mode, month, s.minSamples);
  const { p34, p64 } = monthlyWeekChances(risk, month);
  const t = s.typhoon[mode];
  const typhoonDelayDays = t.exposure * ((p34 - p64) * t.delayDays34 + p64 * t.delayDays64);
  return {
    mode,
    rate: rate && { id: rate.id, currency: rate.currency, perTonneMinor: rate.perTonneMinor },
    transit,
    p34,
    p64,
    typhoonDelayDays,
    expectedDays: transit ? transit.medianDays + typhoonDelayDays : null,
    disruptionChance: t.exposure * risk.kt34.byMonth[month - 1]!.probability,
  };
}

function switchMonth(month: number, a: ModeMonth, b: ModeMonth, c: RuleCriteria): SwitchMonth {
  const reasons: NotQualifying[] = [];
  const chancePointsSaved = (a.disruptionChance - b.disruptionChance) * 100;
  let extraPerTonneMinor: number | null = null;
  if (!a.rate || !b.rate) reasons.push('noRate');
  else if (a.rate.currency !== b.rate.currency) reasons.push('currencyMismatch');
  else extraPerTonneMinor = b.rate.perTonneMinor - a.rate.perTonneMinor;
  const daysSaved = a.expectedDays !== null && b.expectedDays !== null ? a.expectedDays - b.expectedDays : null;
  if (daysSaved === null) reasons.push('noTransit');
  if (extraPerTonneMinor !== null && extraPerTonneMinor > c.maxExtraPerTonneMinor) reasons.push('tooDear');
  // A hair of tolerance so 0.1 + 0.2-style float noise cannot flip a threshold set to a round figure.
  const eps = 1e-9;
  if (daysSaved !== null && daysSaved < c.minDaysSaved - eps && chancePointsSaved < c.minChancePointsSaved - eps) reasons.push('tooLittleGain');
  return { month, extraPerTonneMinor, daysSaved, typhoonDelaySaved: a.typhoonDelayDays - b.typhoonDelayDays, chancePointsSaved, qualifies: reasons.length === 0, reasons };
}

const round1 = (x: number) => Math.round(x * 10) / 10;

function proposal(block: MonthRow[], risk: LaneTyphoonRisk, s: ModePlanSettings): RuleProposal {
  const { from, to } = s.rule;
  const months = block.map((r) => r.month);
  const extras = block.map((r) => r.switch.extraPerTonneMinor!);
  const saved = block.map((r) => r.switch.daysSaved!);
  const extraSum = extras.reduce((x, y) => x + y, 0);
  const savedSum = saved.reduce((x, y) => x + y, 0);
  const extraMean = Math.floor((2 * extraSum + months.length) / (2 * months.length)); // nearest, halves up, in integers
  const savedMean = savedSum / months.length;
  const typhoonSaved = block.reduce((x, r) => x + r.switch.typhoonDelaySaved, 0) / months.length;
  const set = new Set(months);
  const yearsWithPassage = risk.kt34.byYear.filter((y) => y.months.some((m) => set.has(m))).length;
  const years = risk.kt34.years.count;
  const ef = s.typhoon[from].exposure, et = s.typhoon[to].exposure;
  const chanceFrom = years ? (ef * yearsWithPassage) / years : 0;
  const chanceTo = years ? (et * yearsWithPassage) / years : 0;
  const first = months[0]!, last = months.at(-1)!;
  const fromDay = `${pad(first)}-01`, toDay = `${pad(last)}-${pad(MONTH_DAYS[last - 1]!)}`;
  const currency = block[0]!.modes[to].rate!.currency;
  return {
    from, to, months, fromDay, toDay, currency,
    extraPerTonneMinor: extraMean,
    daysSaved: savedMean,
    typhoonDelaySaved: typhoonSaved,
    chanceFrom,
    chanceTo,
    message: {
      key: 'delivery.modePlan.rule',
      params: {
        from, to, fromDay, toDay, currency,
        extraPerTonneMinor: extraMean,
        daysSaved: round1(savedMean),
        typhoonDelaySaved: round1(typhoonSaved),
        chanceFromPct: Math.round(chanceFrom * 100),
        chanceToPct: Math.round(chanceTo * 100),
      },
    },
    arithmetic: {
      extraPerTonne: { monthly: extras, sum: extraSum, count: months.length, mean: extraMean },
      daysSaved: { monthly: saved, sum: savedSum, count: months.length, mean: savedMean },
      chance: { yearsWithPassage, years, exposureFrom: ef, exposureTo: et },
    },
  };
}

/**
 * The month-by-month comparison of the three modes on a lane, and one proposed rule per run of
 * consecutive months (January to December, no wrap) in which switching `rule.from` → `rule.to`
 * qualifies (and the rates share a currency). `risk` must hold both thresholds for the same ports and distance.
 */
export function planModes(input: { rates: readonly RateLine[]; shipments: readonly PastShipment[]; risk: LaneTyphoonRisk; settings: ModePlanSettings }): ModePlan {
  const { rates, shipments, risk, settings: s } = input;
  const rows: MonthRow[] = [];
  for (let month = 1; month <= 12; month++) {
    const modes = Object.fromEntries(TRANSPORT_MODES.map((m) => [m, modeMonth(m, month, rates, shipments, risk, s)])) as Record<TransportMode, ModeMonth>;
    rows.push({ month, modes, switch: switchMonth(month, modes[s.rule.from], modes[s.rule.to], s.rule) });
  }
  const proposals: RuleProposal[] = [];
  let block: MonthRow[] = [];
  const currencyOf = (r: MonthRow) => r.modes[s.rule.to].rate?.currency;
  for (const r of [...rows, null]) {
    // A block holds one currency: a month whose rates are in another starts a block of its own.
    if (r?.switch.qualifies && (!block.length || currencyOf(r) === currencyOf(block[0]!))) { block.push(r); continue; }
    if (block.length) proposals.push(proposal(block, risk, s));
    block = r?.switch.qualifies ? [r] : [];
  }
  return { rows, proposals };
}
