/**
 * Rebate arithmetic: tiers, the four methods, minimum and cap, settlement and credit-note
 * lines. Pure and exact: amounts are integers in minor units (quantities in units for
 * per-unit terms), products are computed in BigInt, and rates are exact decimals.
 *
 * Rules stated once (docs/decisions/021-rebates.md repeats them):
 * - Tiers are half-open bands [from, next.from); the last runs open-ended. The first `from`
 *   is ≥ 0 and each `from` is strictly above the one before. A basis exactly at a `from`
 *   has reached that tier.
 * - `ratePercent` is a decimal percentage ("2.5" means 2.5 %), held exactly as the rational
 *   n / 10^k (never a float in the arithmetic). For per-unit terms the tier's rate is an
 *   amount in minor units per unit (`perUnitMinor`; `ratePercent` is accepted as its alias),
 *   also an exact decimal.
 * - retroactive: the rate of the tier reached applies to the whole basis.
 *   incremental: each band's part of the basis earns the band's own rate.
 *   growth: increase = max(0, basis − reference); the tiers are thresholds on the increase,
 *     and the rate of the tier the increase reaches applies to the whole increase
 *     (retroactive on the increase). The minimum, if any, is on the basis itself.
 *   per-unit: the basis is a quantity; the tiers are quantities; the per-unit amount of the
 *     tier reached applies to every unit (retroactive).
 * - Minimum: a basis below `minimumBasis` earns nothing (a basis equal to it earns).
 *   Cap: the rebate is at most `capMinor`, applied after rounding.
 * - Rounding: the exact total (a rational) is rounded half-up to whole minor units ONCE, for
 *   every method (incremental too: the bands are summed exactly, then rounded). Half-up
 *   rounding is monotone, so incremental ≤ retroactive holds exactly whenever it holds
 *   before rounding (non-decreasing rates). Each band's `rebateMinor` is that rounded total
 *   shared out by largest remainder in proportion to the band's exact rebate, so the bands
 *   sum exactly to the total.
 * - `tierIndex` is the index of the tier reached, or -1 when the basis (the increase, for
 *   growth) is below the first tier's `from` (then the rebate is 0).
 * - Bands: one per tier, in order. `basisInBand` is the part of the measured amount inside
 *   [from, to); for the retroactive methods, once a tier is reached, the first band also
 *   counts the part below its `from` (the reached rate is paid on the whole amount).
 */

export const REBATE_METHODS = ['retroactive', 'incremental', 'growth', 'per-unit'] as const;
export type RebateMethod = (typeof REBATE_METHODS)[number];

export type RebateTier = {
  /** Threshold in minor units (a quantity for per-unit terms), inclusive. */
  from: number;
  /** Percent, a decimal (per-unit terms: minor units per unit). */
  ratePercent: number;
};

export type RebateTerms = {
  method: RebateMethod;
  tiers: RebateTier[];
  /** No rebate when the basis is below this (minor units or quantity). */
  minimumBasis?: number | null;
  /** The rebate never exceeds this, in minor units. */
  capMinor?: number | null;
};

export type RebateBand = {
  from: number;
  /** Exclusive upper end; null for the last, open-ended tier. */
  to: number | null;
  /** The part of the measured amount (basis; increase for growth) inside this band. */
  basisInBand: number;
  /** The rate applied to this band's part: its own (incremental), the tier reached's
   *  (retroactive, growth, per-unit); for bands with no part, the tier's own rate. */
  ratePercent: number;
  rebateMinor: number;
};

export type RebateResult = { rebateMinor: number; tierIndex: number; bands: RebateBand[] };

export type TermsIssue = { path: string; message: string };

export class RebateTermsError extends Error {
  constructor(readonly issues: TermsIssue[]) {
    super(issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; '));
    this.name = 'RebateTermsError';
  }
}

// ---------------------------------------------------------------- exact decimals

/** An exact non-negative decimal as num / den, den a power of ten. */
export type Decimal = { num: bigint; den: bigint };

const DECIMAL = /^([+-])?(\d+)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/** The exact decimal a JS number prints as (0.1 → 1/10, 2.5 → 25/10, 1e-7 → 1/10^7). */
export function toDecimal(x: number | string): Decimal {
  const m = DECIMAL.exec(typeof x === 'number' ? String(x) : x.trim());
  if (!m) throw new Error(`not a decimal number: ${String(x)}`);
  const frac = m[3] ?? '';
  let num = BigInt(`${m[2]}${frac}`);
  let exp = -frac.length + Number(m[4] ?? 0);
  if (m[1] === '-') num = -num;
  if (exp >= 0) return { num: num * 10n ** BigInt(exp), den: 1n };
  return { num, den: 10n ** BigInt(-exp) };
}

/** Half-up rounding of p / q to an integer (q > 0): floor(p/q + 1/2). */
export function roundHalfUp(p: bigint, q: bigint): bigint {
  if (q <= 0n) throw new Error('roundHalfUp: the denominator must be positive');
  return floorDiv(2n * p + q, 2n * q);
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return (a % b !== 0n && (a < 0n) !== (b < 0n)) ? q - 1n : q;
}

// ---------------------------------------------------------------- validation

const isSafeInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * Checks tiers: at least one; each `from` a whole number, the first ≥ 0, each strictly above
 * the one before (no overlap, no unordered bands); rates finite and ≥ 0. A tier may carry an
 * explicit `to`: it must equal the next tier's `from` (the last tier has none).
 */
export function tierIssues(tiers: unknown, method: RebateMethod | null, path = 'tiers'): TermsIssue[] {
  const issues: TermsIssue[] = [];
  if (!Array.isArray(tiers)) return [{ path, message: 'must be a list of tiers, e.g. [{"from": 0, "ratePercent": 2}]' }];
  if (tiers.length === 0) return [{ path, message: 'needs at least one tier' }];
  const rateName = method === 'per-unit' ? 'perUnitMinor' : 'ratePercent';
  tiers.forEach((t: unknown, i) => {
    const p = `${path}[${i}]`;
    if (typeof t !== 'object' || t === null || Array.isArray(t)) {
      issues.push({ path: p, message: 'must be an object with "from" and "ratePercent"' });
      return;
    }
    const o = t as Record<string, unknown>;
    if (!isSafeInt(o.from)) issues.push({ path: `${p}.from`, message: `must be a whole number (minor units${method === 'per-unit' ? ' or units' : ''}), got ${JSON.stringify(o.from)}` });
    else if (i === 0 && o.from < 0) issues.push({ path: `${p}.from`, message: `the first tier must start at 0 or above, got ${o.from}` });
    else {
      const prev = (tiers[i - 1] as Record<string, unknown> | undefined)?.from;
      if (i > 0 && isSafeInt(prev) && o.from <= prev) {
        issues.push({ path: `${p}.from`, message: o.from === prev
          ? `${o.from} is the same as tiers[${i - 1}].from: tiers overlap (each tier must start above the one before)`
          : `${o.from} is below tiers[${i - 1}].from ${prev}: tiers must be in increasing order of "from"` });
      }
    }
    const rate = rateOf(o, method);
    if (rate === undefined) issues.push({ path: `${p}.${rateName}`, message: 'is required' });
    else if (!isNum(rate)) issues.push({ path: `${p}.${rateName}`, message: `must be a number, got ${JSON.stringify(rate)}` });
    else if (rate < 0) issues.push({ path: `${p}.${rateName}`, message: `must not be negative, got ${rate}` });
    if (o.to !== undefined && o.to !== null) {
      const next = (tiers[i + 1] as Record<string, unknown> | undefined)?.from;
      if (!isSafeInt(o.to)) issues.push({ path: `${p}.to`, message: `must be a whole number or null, got ${JSON.stringify(o.to)}` });
      else if (i === tiers.length - 1) issues.push({ path: `${p}.to`, message: 'the last tier runs open-ended: leave "to" out or null' });
      else if (isSafeInt(next) && o.to !== next) {
        issues.push({ path: `${p}.to`, message: o.to > next
          ? `${o.to} is above tiers[${i + 1}].from ${next}: tiers overlap (bands are half-open, [from, next from))`
          : `${o.to} leaves a gap below tiers[${i + 1}].from ${next} (bands are half-open, [from, next from))` });
      }
    }
  });
  return issues;
}

function rateOf(o: Record<string, unknown>, method: RebateMethod | null): unknown {
  if (method === 'per-unit') return o.perUnitMinor ?? o.amountPerUnitMinor ?? o.ratePercent;
  return o.ratePercent;
}

/**
 * Validates and normalises terms (method, tiers, minimum, cap) from untrusted input.
 * Accepts the aliases `minimum`/`minBasis` and `cap` for `minimumBasis` and `capMinor`.
 * Throws RebateTermsError listing every problem with its path.
 */
export function parseTerms(raw: unknown): RebateTerms {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new RebateTermsError([{ path: '', message: 'the terms must be a JSON object' }]);
  const o = raw as Record<string, unknown>;
  const issues: TermsIssue[] = [];
  const method = typeof o.method === 'string' && (REBATE_METHODS as readonly string[]).includes(o.method) ? (o.method as RebateMethod) : null;
  if (!method) issues.push({ path: 'method', message: `must be one of ${REBATE_METHODS.join(', ')}, got ${JSON.stringify(o.method)}` });
  issues.push(...tierIssues(o.tiers, method));
  const minimum = o.minimumBasis ?? o.minimum ?? o.minBasis ?? null;
  if (minimum !== null && (!isSafeInt(minimum) || minimum < 0)) issues.push({ path: 'minimumBasis', message: `must be a whole number ≥ 0 or null, got ${JSON.stringify(minimum)}` });
  const cap = o.capMinor ?? o.cap ?? null;
  if (cap !== null && (!isSafeInt(cap) || cap < 0)) issues.push({ path: 'capMinor', message: `must be a whole number ≥ 0 (minor units) or null, got ${JSON.stringify(cap)}` });
  if (issues.length > 0) throw new RebateTermsError(issues);
  return {
    method: method!,
    tiers: (o.tiers as Record<string, unknown>[]).map((t) => ({ from: t.from as number, ratePercent: rateOf(t, method) as number })),
    minimumBasis: minimum as number | null,
    capMinor: cap as number | null,
  };
}

// ---------------------------------------------------------------- calculation

// Exact rates over a common denominator, kept per tier list (an accrual run prices one list many times).
const rateCache = new WeakMap<readonly RebateTier[], { den: bigint; scaled: bigint[] }>();
function scaledRates(tiers: readonly RebateTier[]): { den: bigint; scaled: bigint[] } {
  let c = rateCache.get(tiers);
  if (!c) {
    const rates = tiers.map((t) => toDecimal(t.ratePercent));
    const den = rates.reduce((d, r) => (r.den > d ? r.den : d), 1n); // powers of ten: the largest is a common denominator
    c = { den, scaled: rates.map((r) => r.num * (den / r.den)) };
    rateCache.set(tiers, c);
  }
  return c;
}

/** Index of the tier a measured amount reaches, -1 below the first tier. */
export function tierReached(tiers: readonly RebateTier[], amount: number): number {
  let idx = -1;
  for (let i = 0; i < tiers.length; i++) if (amount >= tiers[i]!.from) idx = i;
  return idx;
}

/** The amount the tiers are measured on: the basis, or the increase over the reference (growth). */
export function measuredAmount(terms: RebateTerms, basis: number, reference?: number | null): number {
  if (terms.method !== 'growth') return basis;
  if (reference === undefined || reference === null) throw new RebateTermsError([{ path: 'reference', message: 'growth terms need the reference period\'s basis' }]);
  return Math.max(0, basis - reference);
}

/**
 * The rebate for a basis under terms (assumed valid: see parseTerms). For growth, `reference`
 * is the reference period's basis. Exact; rounded once, half-up (see the module comment).
 */
export function calcRebate(terms: RebateTerms, basis: number, reference?: number | null): RebateResult {
  if (!Number.isSafeInteger(basis)) throw new RebateTermsError([{ path: 'basis', message: `must be a whole number, got ${basis}` }]);
  if (reference !== undefined && reference !== null && !Number.isSafeInteger(reference)) throw new RebateTermsError([{ path: 'reference', message: `must be a whole number, got ${reference}` }]);
  const tiers = terms.tiers;
  const amount = measuredAmount(terms, basis, reference);
  const tierIndex = tierReached(tiers, amount);
  const { den, scaled } = scaledRates(tiers);
  // Per-unit rates are minor units per unit; percentages are divided by 100.
  const q = terms.method === 'per-unit' ? den : den * 100n;
  // Retroactive methods pay the reached rate on the WHOLE amount, including any part below the
  // first tier's `from`: that part is counted in the first band. Incremental pays nothing on it.
  const wholeFromZero = terms.method !== 'incremental' && tierIndex >= 0;
  const parts = tiers.map((t, i) => {
    const to = i + 1 < tiers.length ? tiers[i + 1]!.from : null;
    const inBand = Math.max(0, (to === null ? amount : Math.min(amount, to)) - (i === 0 && wholeFromZero ? 0 : t.from));
    return { from: t.from, to, inBand };
  });
  const applied = (i: number) => (terms.method === 'incremental' || tierIndex < 0 ? i : tierIndex);
  // Exact band rebates, numerators over q.
  const exact = parts.map((p, i) => (tierIndex < 0 ? 0n : BigInt(p.inBand) * scaled[applied(i)]!));
  const belowMinimum = terms.minimumBasis !== null && terms.minimumBasis !== undefined && basis < terms.minimumBasis;
  let total = belowMinimum ? 0n : roundHalfUp(exact.reduce((a, b) => a + b, 0n), q);
  if (terms.capMinor !== null && terms.capMinor !== undefined && total > BigInt(terms.capMinor)) total = BigInt(terms.capMinor);
  const shares = allocateBig(total, exact);
  return {
    rebateMinor: Number(total),
    tierIndex,
    bands: parts.map((p, i) => ({
      from: p.from,
      to: p.to,
      basisInBand: p.inBand,
      ratePercent: p.inBand > 0 ? tiers[applied(i)]!.ratePercent : tiers[i]!.ratePercent,
      rebateMinor: Number(shares[i]!),
    })),
  };
}

// ---------------------------------------------------------------- allocation

/**
 * Shares `total` out in proportion to `weights` (all ≥ 0) by largest remainder: each share is
 * the floor of its exact part, then the units left go one each to the largest remainders
 * (ties: the earlier line). The shares sum exactly to the total. A negative total is shared
 * as its absolute value and negated. With all weights zero, nothing is shared unless the
 * total is non-zero, in which case it is split equally (same rule).
 */
export function allocateBig(total: bigint, weights: readonly bigint[]): bigint[] {
  if (weights.length === 0) {
    if (total !== 0n) throw new Error('cannot share a non-zero amount over no lines');
    return [];
  }
  if (weights.some((w) => w < 0n)) throw new Error('allocation weights must not be negative');
  if (total < 0n) return allocateBig(-total, weights).map((s) => -s);
  let w = weights;
  let sum = w.reduce((a, b) => a + b, 0n);
  if (sum === 0n) {
    if (total === 0n) return weights.map(() => 0n);
    w = weights.map(() => 1n);
    sum = BigInt(weights.length);
  }
  const floors = w.map((x) => (total * x) / sum);
  const rems = w.map((x, i) => ({ i, r: (total * x) % sum }));
  let left = total - floors.reduce((a, b) => a + b, 0n);
  rems.sort((a, b) => (a.r === b.r ? a.i - b.i : a.r > b.r ? -1 : 1));
  for (const { i } of rems) {
    if (left <= 0n) break;
    floors[i]! += 1n;
    left -= 1n;
  }
  return floors;
}

/** allocateBig for safe-integer amounts and weights (e.g. credit-note lines by basis). */
export function allocate(totalMinor: number, weights: readonly number[]): number[] {
  return allocateBig(BigInt(totalMinor), weights.map((x) => BigInt(Math.max(0, Math.trunc(x))))).map(Number);
}

// ---------------------------------------------------------------- settlement

/**
 * What a settlement pays: the rebate earned to date minus everything earlier settlements of
 * the period already paid (reversed ones are not passed in). Negative = a clawback: the
 * customer owes it back (returns dropped the basis below a tier).
 */
export function settle(earnedToDateMinor: number, alreadyPaidMinor: readonly number[]): number {
  let paid = 0n;
  for (const p of alreadyPaidMinor) paid += BigInt(p);
  const due = BigInt(earnedToDateMinor) - paid;
  if (due > BigInt(Number.MAX_SAFE_INTEGER) || due < BigInt(Number.MIN_SAFE_INTEGER)) throw new Error('settlement amount out of range');
  return Number(due);
}

export type CreditNoteLineInput = { key: string; label: string; weight: number };
export type CreditNoteLine = { key: string; label: string; basisMinor: number; amountMinor: number };

/**
 * Credit-note lines: the settlement amount shared over lines (accounts of a group agreement,
 * or categories) in proportion to each line's basis, largest remainder, so the lines sum
 * exactly to the amount. Lines with a negative basis weigh 0.
 */
export function creditNoteLines(amountMinor: number, lines: readonly CreditNoteLineInput[]): CreditNoteLine[] {
  if (lines.length === 0) return [];
  const shares = allocate(amountMinor, lines.map((l) => l.weight));
  return lines.map((l, i) => ({ key: l.key, label: l.label, basisMinor: l.weight, amountMinor: shares[i]! }));
}

// ---------------------------------------------------------------- progress

export type NextTier = {
  tierIndex: number;
  ratePercent: number;
  /** How much more basis (minor units or units) reaches it. */
  moreNeeded: number;
  /** The rebate at exactly that basis. */
  rebateAtTierMinor: number;
  /** rebateAtTierMinor minus the rebate now. */
  gainMinor: number;
};

/**
 * The next tier above the one reached, and what reaching it is worth: "¥X more reaches 3 %,
 * worth ¥Y". Null when the top tier is reached. Below the minimum basis, the next threshold
 * counts the minimum too.
 */
export function nextTier(terms: RebateTerms, basis: number, reference?: number | null): NextTier | null {
  const now = calcRebate(terms, basis, reference);
  const next = now.tierIndex + 1;
  if (next >= terms.tiers.length) return null;
  const offset = terms.method === 'growth' ? (reference ?? 0) : 0;
  let target = terms.tiers[next]!.from + offset;
  if (terms.minimumBasis !== null && terms.minimumBasis !== undefined) target = Math.max(target, terms.minimumBasis);
  const at = calcRebate(terms, target, reference);
  return {
    tierIndex: next,
    ratePercent: terms.tiers[next]!.ratePercent,
    moreNeeded: Math.max(0, target - basis),
    rebateAtTierMinor: at.rebateMinor,
    gainMinor: at.rebateMinor - now.rebateMinor,
  };
}

// ---------------------------------------------------------------- versions

/**
 * The version in force on a date (YYYY-MM-DD): the latest whose effective date is on or
 * before it; if the date is before every version, the earliest (an agreement's first version
 * covers its whole period from the start). `from` reads a version's effective date.
 */
export function versionInForce<V extends object>(versions: readonly V[], date: string, from: (v: V) => string): V | null {
  if (versions.length === 0) return null;
  const sorted = [...versions].sort((a, b) => (from(a) < from(b) ? -1 : from(a) > from(b) ? 1 : 0));
  let pick = sorted[0]!;
  for (const v of sorted) if (from(v) <= date) pick = v;
  return pick;
}

// ---------------------------------------------------------------- periods

/** Months (YYYY-MM) from the month of `start` to the month before `end` (exclusive end date). */
export function monthsOf(start: string, end: string): string[] {
  const out: string[] = [];
  let [y, m] = start.slice(0, 7).split('-').map(Number) as [number, number];
  const last = end.slice(0, 7);
  const endFirst = end.slice(8, 10) === '01';
  for (;;) {
    const ym = `${y}-${String(m).padStart(2, '0')}`;
    if (ym > last || (ym === last && endFirst)) break;
    out.push(ym);
    m++;
    if (m > 12) { m = 1; y++; }
  }
  return out;
}
