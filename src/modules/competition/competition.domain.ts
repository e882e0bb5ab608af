/**
 * Competition: the pocket-price waterfall, the undercut test and the concession-vs-value
 * comparison. Pure: no I/O. Money in integer minor units, computed with BigInt where a product of
 * two figures could pass 2^53.
 *
 * Rounding (one rule everywhere): a quotient of minor units is rounded to the nearest minor unit,
 * halves away from zero (`divRound`). Per-unit figures are each amount divided by the quantity; the
 * pocket price per unit is the total divided by the quantity, so the rounded per-unit rows may differ
 * from it by at most half a minor unit each. Expected quantities (a forecast, a share of someone
 * else's volume scaled to the horizon) are rounded to whole units the same way before they multiply
 * a price.
 */

export type StepKind = 'list' | 'discount' | 'rebate' | 'service' | 'freight' | 'claim' | 'other';
export type Params = Record<string, string | number | null>;

/** One step as the contributions registry gives it (PriceStep; repeated here so the domain imports nothing). */
export type WaterfallStep = {
  id: string; module: string; kind: StepKind; labelKey: string; params: Params; amountMinor: number; currency: string;
  basisKey?: string | undefined; basisParams?: Params | undefined; order: number;
};

export class CompetitionError extends Error {
  constructor(readonly code: 'currency_mismatch' | 'invalid_quantity' | 'invalid_conversion' | 'overflow' | 'two_list_prices', message: string) { super(message); }
}

/** n / d rounded to the nearest integer, halves away from zero. */
export function divRound(n: bigint, d: bigint): bigint {
  if (d === 0n) throw new RangeError('division by zero');
  if (d < 0n) { n = -n; d = -d; }
  const q = n / d;
  const r = n % d;
  const abs = r < 0n ? -r : r;
  return 2n * abs >= d ? q + (n < 0n ? -1n : 1n) : q;
}

const toSafe = (b: bigint): number => {
  const n = Number(b);
  if (!Number.isSafeInteger(n)) throw new CompetitionError('overflow', `amount ${b} is beyond what can be stored exactly`);
  return n;
};

/** A non-negative decimal quantity rounded to whole units, halves up. */
export const wholeUnits = (q: number): number => (q <= 0 || !Number.isFinite(q) ? 0 : Math.floor(q + 0.5));

// ---------------------------------------------------------------- waterfall

/** The steps every waterfall should have, and where a missing one stands. */
export const EXPECTED_STEPS: readonly { kind: StepKind; order: number }[] = [
  { kind: 'list', order: 0 }, { kind: 'discount', order: 10 }, { kind: 'rebate', order: 20 },
  { kind: 'service', order: 30 }, { kind: 'freight', order: 40 }, { kind: 'claim', order: 50 },
];
/** Steps no module records yet (delivery is a later issue): shown as "not yet recorded", never as zero. */
const NOT_YET_RECORDED: ReadonlySet<StepKind> = new Set(['freight', 'claim']);

export type WaterfallRow =
  | { state: 'known'; id: string; module: string; kind: StepKind; labelKey: string; params: Params; basisKey: string | null; basisParams: Params | null;
      order: number; amountMinor: number; perUnitMinor: number | null; runningMinor: number; runningPerUnitMinor: number | null }
  | { state: 'unknown'; id: string; kind: StepKind; order: number; reasonKey: string };

export type Waterfall = {
  currency: string;
  quantity: number;
  rows: WaterfallRow[];
  /** Null when no list price is known (no module contributed one). */
  listMinor: number | null;
  listPerUnitMinor: number | null;
  /** The list price less every known deduction; null without a list price. */
  pocketMinor: number | null;
  pocketPerUnitMinor: number | null;
  /** Kinds with no step: the pocket price above is before them (an upper bound when they are deductions). */
  missing: StepKind[];
};

/**
 * The waterfall from list price to pocket price over a volume. Refuses a step in another currency
 * (no conversion is guessed). Several steps of one kind are each shown; a kind with none is an
 * `unknown` row at its usual place.
 */
export function buildWaterfall(steps: readonly WaterfallStep[], quantity: number, currency: string): Waterfall {
  if (!Number.isInteger(quantity) || quantity < 0) throw new CompetitionError('invalid_quantity', `quantity must be a whole number ≥ 0, got ${quantity}`);
  const foreign = steps.find((s) => s.currency !== currency);
  if (foreign) throw new CompetitionError('currency_mismatch', `step ${foreign.id} is in ${foreign.currency}, the waterfall in ${currency}`);
  // One price is the start of the waterfall: two would add up to a price nobody pays.
  const lists = steps.filter((s) => s.kind === 'list');
  if (lists.length > 1) throw new CompetitionError('two_list_prices', `two modules give a list price (${lists.map((s) => s.id).join(', ')}); the waterfall starts from one`);
  const q = BigInt(quantity);
  const perUnit = (minor: bigint) => (quantity > 0 ? toSafe(divRound(minor, q)) : null);
  const present = new Set(steps.map((s) => s.kind));
  const missing = EXPECTED_STEPS.filter((e) => !present.has(e.kind));
  type Item = { order: number; tie: string; step?: WaterfallStep; miss?: { kind: StepKind; order: number } };
  const items: Item[] = [
    ...steps.map((s) => ({ order: s.order, tie: `0${s.id}`, step: s })),
    ...missing.map((m) => ({ order: m.order, tie: `1${m.kind}`, miss: m })),
  ].sort((a, b) => a.order - b.order || a.tie.localeCompare(b.tie));
  let running = 0n;
  const rows: WaterfallRow[] = items.map((it): WaterfallRow => {
    if (it.miss) {
      return {
        state: 'unknown', id: `missing.${it.miss.kind}`, kind: it.miss.kind, order: it.miss.order,
        reasonKey: NOT_YET_RECORDED.has(it.miss.kind) ? 'competition.waterfall.notYetRecorded' : 'competition.waterfall.notAvailable',
      };
    }
    const s = it.step!;
    running += BigInt(s.amountMinor);
    return {
      state: 'known', id: s.id, module: s.module, kind: s.kind, labelKey: s.labelKey, params: s.params, basisKey: s.basisKey ?? null, basisParams: s.basisParams ?? null,
      order: s.order, amountMinor: s.amountMinor, perUnitMinor: perUnit(BigInt(s.amountMinor)), runningMinor: toSafe(running), runningPerUnitMinor: perUnit(running),
    };
  });
  const list = steps.filter((s) => s.kind === 'list').reduce((a, s) => a + BigInt(s.amountMinor), 0n);
  const hasList = present.has('list');
  return {
    currency, quantity, rows,
    listMinor: hasList ? toSafe(list) : null,
    listPerUnitMinor: hasList ? perUnit(list) : null,
    pocketMinor: hasList ? toSafe(running) : null,
    pocketPerUnitMinor: hasList ? perUnit(running) : null,
    missing: missing.map((m) => m.kind),
  };
}

// ---------------------------------------------------------------- units and the undercut

/**
 * How the competitor's unit relates to ours: `competitorUnits` of theirs equal `ourUnits` of ours
 * (a box of 12 against our piece: 1 and 12; a price per kg against our 50 kg bag: 50 and 1).
 */
export type Conversion = { competitorUnits: number; ourUnits: number };

/** The competitor's price per one of our units: price × competitorUnits / ourUnits, rounded. */
export function priceInOurUnit(priceMinor: number, c: Conversion): number {
  if (!Number.isInteger(c.competitorUnits) || !Number.isInteger(c.ourUnits) || c.competitorUnits < 1 || c.ourUnits < 1) {
    throw new CompetitionError('invalid_conversion', 'a unit conversion is two whole numbers ≥ 1');
  }
  return toSafe(divRound(BigInt(priceMinor) * BigInt(c.competitorUnits), BigInt(c.ourUnits)));
}

export type Undercut = {
  competitorUnitMinor: number;
  pocketUnitMinor: number;
  /** pocket − competitor per unit; negative when the competitor is dearer. */
  gapMinor: number;
  /** (pocket − competitor) / pocket in basis points (1 % = 100), rounded. */
  shareBp: number;
  /** True when the share is strictly above the threshold. */
  alert: boolean;
};

/** The alert threshold in basis points from a percent setting (5 → 500; 2.5 → 250). */
export const thresholdBp = (percent: number): number => Math.round(percent * 100);

/**
 * Whether a competitor's price undercuts our pocket price by more than the threshold share. Exact:
 * the alert compares (pocket − competitor) × 10000 with threshold × pocket in integers, so a share
 * of exactly the threshold raises none. Needs a positive pocket price.
 */
export function undercut(competitorUnitMinor: number, pocketUnitMinor: number, thresholdBasisPoints: number): Undercut {
  if (pocketUnitMinor <= 0) throw new CompetitionError('invalid_quantity', 'the pocket price must be positive to compare against');
  const gap = BigInt(pocketUnitMinor) - BigInt(competitorUnitMinor);
  return {
    competitorUnitMinor, pocketUnitMinor, gapMinor: toSafe(gap),
    shareBp: toSafe(divRound(gap * 10000n, BigInt(pocketUnitMinor))),
    alert: gap * 10000n > BigInt(thresholdBasisPoints) * BigInt(pocketUnitMinor),
  };
}

// ---------------------------------------------------------------- concession vs value

/** How many other accounts share the price list, and what they bought over a window of months. */
export type ListSharing = { sharedAccounts: number; sharedQuantity: number; windowMonths: number };

export type Alternative = { serviceKindId: string; code: string; name: string; nameEn: string; unit: string; unitCostMinor: number; currency: string; expectedUse: number; useBasis: 'history' | 'assumed' | 'given' };

export type ComparisonInput = {
  currency: string;
  horizonMonths: number;
  pocketUnitMinor: number;
  competitorUnitMinor: number;
  /** The account's expected quantity of the product over the horizon: the forecast's point and range. */
  expected: { point: number; low: number | null; high: number | null };
  /** Null when the list step carries no sharing figures: the cost on other accounts is unknown, not zero. */
  sharing: ListSharing | null;
  alternatives: readonly Alternative[];
  /** The account's margin over `months` of trailing sales; null when no costed sales are known. */
  margin: { marginMinor: number; months: number } | null;
};

export type Recommendation = 'hold' | 'match' | 'value' | 'decline';

export type Comparison = {
  currency: string;
  horizonMonths: number;
  cutPerUnitMinor: number;
  expectedQuantity: number;
  expectedLow: number | null;
  expectedHigh: number | null;
  matching: {
    ownMinor: number;
    /** Null: unknown (the list step says nothing of other accounts). */
    shared: { accounts: number; quantity: number; costMinor: number } | null;
    /** own + shared; when shared is unknown this is the own cost, a lower bound (`totalIsLowerBound`). */
    totalMinor: number;
    totalIsLowerBound: boolean;
  };
  alternatives: (Alternative & { costMinor: number; shareOfMatchingPercent: number | null })[];
  cheapest: string | null;
  marginAtRiskMinor: number | null;
  recommendation: Recommendation;
  reasonKey: string;
  reasonParams: Params;
};

/**
 * The comparison and its recommendation. The rule, in order:
 * 1. no cut (the competitor is not below our pocket price): hold;
 * 2. the margin at risk is known, matching costs more than it (even as a lower bound), and no
 *    alternative costs at most the margin: decline (let go);
 * 3. the cheapest alternative costs less than matching (its lower bound when the cost on other
 *    accounts is unknown) and no more than the margin at risk (if known): offer value;
 * 4. otherwise match, saying whether matching is within the margin at risk, the margin is unknown,
 *    or the cost on accounts sharing the list is unknown.
 */
export function compareOffer(i: ComparisonInput): Comparison {
  const cut = Math.max(0, i.pocketUnitMinor - i.competitorUnitMinor);
  const cutB = BigInt(cut);
  const expectedQuantity = wholeUnits(i.expected.point);
  const ownMinor = toSafe(cutB * BigInt(expectedQuantity));
  const shared = i.sharing && i.sharing.windowMonths > 0
    ? (() => {
        const quantity = wholeUnits((i.sharing.sharedQuantity * i.horizonMonths) / i.sharing.windowMonths);
        return { accounts: i.sharing.sharedAccounts, quantity, costMinor: toSafe(cutB * BigInt(quantity)) };
      })()
    : null;
  const totalMinor = ownMinor + (shared?.costMinor ?? 0);
  const lowerBound = shared === null;
  const alternatives = i.alternatives.filter((a) => a.currency === i.currency).map((a) => {
    const costMinor = toSafe(BigInt(a.unitCostMinor) * BigInt(wholeUnits(a.expectedUse)));
    return { ...a, costMinor, shareOfMatchingPercent: totalMinor > 0 ? toSafe(divRound(BigInt(costMinor) * 100n, BigInt(totalMinor))) : null };
  }).sort((a, b) => a.costMinor - b.costMinor || a.code.localeCompare(b.code));
  const alt = alternatives[0] ?? null;
  const marginAtRiskMinor = i.margin && i.margin.months > 0 ? toSafe(divRound(BigInt(i.margin.marginMinor) * BigInt(i.horizonMonths), BigInt(i.margin.months))) : null;
  const M = marginAtRiskMinor;
  const base = {
    currency: i.currency, horizonMonths: i.horizonMonths, cutPerUnitMinor: cut, expectedQuantity,
    expectedLow: i.expected.low === null ? null : wholeUnits(i.expected.low), expectedHigh: i.expected.high === null ? null : wholeUnits(i.expected.high),
    matching: { ownMinor, shared, totalMinor, totalIsLowerBound: lowerBound }, alternatives, cheapest: alt?.serviceKindId ?? null, marginAtRiskMinor: M,
  };
  const money = { currency: i.currency, matchMinor: totalMinor, marginMinor: M };
  const decide = (recommendation: Recommendation, reasonKey: string, reasonParams: Params = {}): Comparison =>
    ({ ...base, recommendation, reasonKey, reasonParams: { ...money, ...reasonParams } });

  if (cut === 0) return decide('hold', 'competition.reason.noUndercut', { priceMinor: i.competitorUnitMinor, pocketMinor: i.pocketUnitMinor });
  if (M !== null && totalMinor > M && (!alt || alt.costMinor > M)) return decide('decline', 'competition.reason.decline');
  if (alt && alt.costMinor < totalMinor && (M === null || alt.costMinor <= M)) {
    return decide('value', 'competition.reason.value', { service: alt.name, serviceEn: alt.nameEn, costMinor: alt.costMinor, percent: alt.shareOfMatchingPercent });
  }
  if (M === null) return decide('match', 'competition.reason.matchMarginUnknown');
  if (lowerBound) return decide('match', 'competition.reason.matchSharedUnknown');
  return decide('match', 'competition.reason.match');
}
