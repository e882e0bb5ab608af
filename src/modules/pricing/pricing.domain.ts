/**
 * Price arithmetic, pure: quantity breaks, the two break modes, and which price list wins.
 *
 * A list of breaks is a list of half-open quantity bands: break i covers [from_i, from_{i+1}),
 * the last one [from_n, ∞). The first break starts at 0, or at a minimum order quantity: below it
 * there is no price. Unit prices are integer minor units of the list's currency, never negative.
 *
 * - all-units: the rate of the band the quantity reaches applies to every unit.
 * - graduated: each band's units are priced at that band's own rate (the first band's rate from
 *   unit 0 up: a minimum only says how little may be bought, not that the first units are free).
 *
 * Quantities may be fractional (sales lines carry a double, imports accept 6 decimal places):
 * they are taken in millionths (rounded to the nearest millionth), so all arithmetic is exact on
 * integers (BigInt). Rounding: each band's amount is rate × quantity rounded half-up to a whole
 * minor unit, once, at the end of that band; the total is the sum of the bands (exact integer).
 * The effective unit price is total / quantity, rounded half-up to a whole minor unit, so
 * effective × quantity may differ from the total by less than half a minor unit per unit; the
 * total is the figure to bill.
 */

export type BreakMode = 'all-units' | 'graduated';
export const breakModes: readonly BreakMode[] = ['all-units', 'graduated'];

/** One quantity break: from this quantity on (to the next break's), this unit price. */
export type PriceBreak = { from: number; unitPriceMinor: number };

/** A problem with a list of breaks, with the index of the break it is about (null: the list). */
export type BreakProblem = { index: number | null; field: 'from' | 'unitPriceMinor' | null; reason: string };

/** Quantities are counted in millionths: six decimal places, as an import accepts. */
const SCALE = 1_000_000n;
const MAX_QUANTITY = 1e12;

/** The problems of a list of breaks (empty when it is fine). */
export function validateBreaks(breaks: readonly PriceBreak[]): BreakProblem[] {
  const out: BreakProblem[] = [];
  if (breaks.length === 0) return [{ index: null, field: null, reason: 'at least one break is needed' }];
  if (breaks.length > 100) out.push({ index: null, field: null, reason: 'at most 100 breaks' });
  breaks.forEach((b, i) => {
    if (typeof b.from !== 'number' || !Number.isFinite(b.from) || b.from < 0) out.push({ index: i, field: 'from', reason: 'the quantity a break starts at must be a number ≥ 0' });
    else if (b.from > MAX_QUANTITY) out.push({ index: i, field: 'from', reason: `at most ${MAX_QUANTITY}` });
    else if (!sameMillionths(b.from)) out.push({ index: i, field: 'from', reason: 'at most 6 decimal places' });
    if (typeof b.unitPriceMinor !== 'number' || !Number.isSafeInteger(b.unitPriceMinor)) out.push({ index: i, field: 'unitPriceMinor', reason: 'the unit price must be a whole number of minor units' });
    else if (b.unitPriceMinor < 0) out.push({ index: i, field: 'unitPriceMinor', reason: 'the unit price must not be negative' });
    if (i > 0) {
      const prev = breaks[i - 1]!.from;
      if (Number.isFinite(prev) && Number.isFinite(b.from)) {
        if (b.from === prev) out.push({ index: i, field: 'from', reason: `overlaps break ${i} (both start at ${b.from})` });
        else if (b.from < prev) out.push({ index: i, field: 'from', reason: `breaks must be in increasing order of quantity: ${b.from} comes after ${prev}` });
      }
    }
  });
  return out;
}

/** One line per problem, for a message or the command line. */
export const describeProblems = (p: BreakProblem[]): string =>
  p.map((x) => (x.index === null ? x.reason : `breaks[${x.index}]${x.field ? `.${x.field}` : ''}: ${x.reason}`)).join('; ');

const toMillionths = (q: number): bigint => BigInt(Math.round(q * 1e6));
const sameMillionths = (q: number): boolean => Math.abs(Math.round(q * 1e6) / 1e6 - q) <= Math.abs(q) * 1e-15 + 1e-12;
/** n / d rounded half-up, both non-negative. */
const divHalfUp = (n: bigint, d: bigint): bigint => (2n * n + d) / (2n * d);
const fromMillionths = (m: bigint): number => Number(m) / 1e6;

export type QuoteBand = { from: number; to: number | null; quantity: number; unitPriceMinor: number; amountMinor: number };
export type Quote = {
  /** Exact: the sum of the bands' amounts. */
  totalMinor: number;
  /** Effective: total / quantity, rounded half-up to a whole minor unit. */
  unitPriceMinor: number;
  /** The break the quantity reaches (0-based). */
  breakIndex: number;
  /** all-units: one band, the reached break's, holding every unit; graduated: each band used, in order. */
  bands: QuoteBand[];
};
export type QuoteResult = { ok: true; quote: Quote } | { ok: false; reason: string };

/** The index of the break a quantity reaches, or -1 below the first (the minimum). */
export function reachedBreak(breaks: readonly PriceBreak[], quantity: number): number {
  const q = toMillionths(quantity);
  let lo = 0, hi = breaks.length - 1, found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (toMillionths(breaks[mid]!.from) <= q) { found = mid; lo = mid + 1; } else hi = mid - 1;
  }
  return found;
}

/**
 * The price of a quantity under a list of breaks and a mode (see the rounding rule at the top).
 * Refused: bad breaks, a quantity that is not a positive number (6 decimal places at most), or one
 * below the first break (the minimum order quantity).
 */
export function quote(breaks: readonly PriceBreak[], mode: BreakMode, quantity: number): QuoteResult {
  const problems = validateBreaks(breaks);
  if (problems.length) return { ok: false, reason: describeProblems(problems) };
  if (mode !== 'all-units' && mode !== 'graduated') return { ok: false, reason: 'mode must be "all-units" or "graduated"' };
  if (typeof quantity !== 'number' || !Number.isFinite(quantity) || quantity <= 0) return { ok: false, reason: 'the quantity must be a number > 0' };
  if (quantity > MAX_QUANTITY) return { ok: false, reason: `the quantity must be at most ${MAX_QUANTITY}` };
  const q = toMillionths(quantity);
  if (q === 0n) return { ok: false, reason: 'the quantity must be at least 0.000001' };
  const i = reachedBreak(breaks, quantity);
  if (i < 0) return { ok: false, reason: `below the minimum quantity of ${breaks[0]!.from}` };
  const bandOf = (k: number, units: bigint): QuoteBand => {
    const b = breaks[k]!;
    const next = breaks[k + 1];
    return { from: b.from, to: next ? next.from : null, quantity: fromMillionths(units), unitPriceMinor: b.unitPriceMinor, amountMinor: Number(divHalfUp(BigInt(b.unitPriceMinor) * units, SCALE)) };
  };
  let bands: QuoteBand[];
  if (mode === 'all-units') bands = [bandOf(i, q)];
  else {
    bands = [];
    for (let k = 0; k <= i; k++) {
      const start = k === 0 ? 0n : toMillionths(breaks[k]!.from);
      const end = k === i ? q : toMillionths(breaks[k + 1]!.from);
      if (end > start) bands.push(bandOf(k, end - start));
    }
  }
  const total = bands.reduce((s, b) => s + BigInt(b.amountMinor), 0n);
  if (total > BigInt(Number.MAX_SAFE_INTEGER)) return { ok: false, reason: 'the total is too large to represent exactly' };
  return { ok: true, quote: { totalMinor: Number(total), unitPriceMinor: Number(divHalfUp(total * SCALE, q)), breakIndex: i, bands } };
}

// ---------- which list wins ----------

export type ScopeKind = 'account' | 'group' | 'territory' | 'all';
export const scopeKinds: readonly ScopeKind[] = ['account', 'group', 'territory', 'all'];
/** The more specific a scope, the stronger: an account's own list beats its group's, its territory's, everyone's. */
const specificity: Record<ScopeKind, number> = { account: 3, group: 2, territory: 1, all: 0 };

/** What a list needs for the rule: its scope, validity [validFrom, validTo) (dates, validTo exclusive), priority. */
export type ListCandidate = { id: string; name: string; scopeKind: ScopeKind; scopeValue: string | null; priority: number; validFrom: string; validTo: string | null };
/** What the rule needs of the account: its id, price group and territory. */
export type AccountScope = { id: string; priceGroup: string | null; territoryId: string | null };

/** Which rule decided between the winner and a list it beat. */
export type WinRule = 'scope' | 'priority' | 'validFrom' | 'id';
export type ListPick<T extends ListCandidate> = {
  winner: T;
  /** What set the winner apart from the strongest other list; `only` when no other list applied. */
  rule: WinRule | 'only';
  /** The other lists that applied, each with the rule it lost on. */
  losers: { list: T; lostOn: WinRule }[];
};

/** Whether a list is in force on a date (validTo is exclusive). */
export const validOn = (l: Validity, date: string): boolean => l.validFrom <= date && (l.validTo === null || date < l.validTo);
type Validity = { validFrom: string; validTo: string | null };

/** Whether a list's scope covers the account. */
export function covers(l: ScopeOf, a: AccountScope): boolean {
  switch (l.scopeKind) {
    case 'all': return true;
    case 'account': return l.scopeValue === a.id;
    case 'group': return a.priceGroup !== null && l.scopeValue === a.priceGroup;
    case 'territory': return a.territoryId !== null && l.scopeValue === a.territoryId;
  }
}
type ScopeOf = { scopeKind: ScopeKind; scopeValue: string | null };

/** Compares two lists by the rule; negative when `a` is the stronger, with the rule that decided. */
function compare(a: ListCandidate, b: ListCandidate): { order: number; rule: WinRule } {
  const s = specificity[b.scopeKind] - specificity[a.scopeKind];
  if (s) return { order: s, rule: 'scope' };
  if (a.priority !== b.priority) return { order: b.priority - a.priority, rule: 'priority' };
  if (a.validFrom !== b.validFrom) return { order: a.validFrom < b.validFrom ? 1 : -1, rule: 'validFrom' };
  return { order: a.id < b.id ? -1 : a.id > b.id ? 1 : 0, rule: 'id' };
}

/**
 * The list that prices an account on a date, among candidates (those holding the product): of the
 * lists valid on the date whose scope covers the account, the most specific scope (account, then
 * customer group, then territory, then everyone), then the higher priority, then the newest
 * validFrom, then the smaller id (a fixed tie-break). Null when none applies.
 */
export function pickList<T extends ListCandidate>(candidates: readonly T[], account: AccountScope, date: string): ListPick<T> | null {
  const applicable = candidates.filter((l) => validOn(l, date) && covers(l, account));
  if (!applicable.length) return null;
  const sorted = [...applicable].sort((a, b) => compare(a, b).order);
  const winner = sorted[0]!;
  const losers = sorted.slice(1).map((list) => ({ list, lostOn: compare(winner, list).rule }));
  return { winner, rule: losers.length ? losers[0]!.lostOn : 'only', losers };
}

/** Whether two validity windows [from, to) overlap (to null: open-ended). */
export const windowsOverlap = (a: Validity, b: Validity): boolean =>
  (a.validTo === null || b.validFrom < a.validTo) && (b.validTo === null || a.validFrom < b.validTo);
