/**
 * Gifts and hospitality under a configurable policy: a value per gift and a value per person per
 * calendar year, in one currency and integer minor units. A gift within every limit is allowed;
 * one above any limit needs approval, with the reasons and the person's running total. Pure.
 */
import { type Money } from '../../shared/money.js';

export type GiftKind = 'gift' | 'hospitality' | 'travel' | 'cash_equivalent';
export const GIFT_KINDS: readonly GiftKind[] = ['gift', 'hospitality', 'travel', 'cash_equivalent'];

/** Where a recorded gift stands. A pending gift counts towards the totals: it has been promised. */
export type GiftStatus = 'allowed' | 'pending_approval' | 'approved' | 'declined';

export type GiftPolicy = {
  currency: string;
  /** A single gift worth more than this needs approval; exactly this is allowed. */
  perGiftLimitMinor: number;
  /** A person's total in a calendar year, this gift included, above this needs approval. */
  perPersonYearLimitMinor: number;
  /** Kinds that always need approval whatever their value (red envelopes, gift cards). */
  approvalAlwaysKinds: readonly GiftKind[];
  /** Lower per-gift limits for some kinds (a dinner may be capped below a gift). */
  perKindLimitMinor?: Partial<Record<GiftKind, number>>;
};

/** A policy to start from: CNY 500 per gift, CNY 2,000 per person a year, cash equivalents always approved. */
export const DEFAULT_GIFT_POLICY: GiftPolicy = { currency: 'CNY', perGiftLimitMinor: 50_000, perPersonYearLimitMinor: 200_000, approvalAlwaysKinds: ['cash_equivalent'] };

export type GiftProposal = { personId: string; date: string; kind: GiftKind; value: Money };
export type GiftRecord = GiftProposal & { id: string; status: GiftStatus };

export type GiftReason =
  | { code: 'over_per_gift_limit'; limitMinor: number; valueMinor: number }
  | { code: 'over_kind_limit'; kind: GiftKind; limitMinor: number; valueMinor: number }
  | { code: 'over_per_person_year_limit'; limitMinor: number; totalAfterMinor: number }
  | { code: 'kind_needs_approval'; kind: GiftKind };

export type GiftTotals = { year: number; currency: string; personYearBeforeMinor: number; personYearAfterMinor: number; perPersonYearLimitMinor: number; remainingAfterMinor: number };

export type GiftEvaluation =
  | { ok: true; decision: 'allowed' | 'needs_approval'; reasons: GiftReason[]; totals: GiftTotals }
  | { ok: false; status: 400; field: string; message: string };

const isMinor = (n: number): boolean => Number.isSafeInteger(n) && n >= 0;

/** Problems with a policy (empty when valid). */
export function policyProblems(p: GiftPolicy): { field: string; message: string }[] {
  const out: { field: string; message: string }[] = [];
  if (!/^[A-Z]{3}$/.test(p.currency)) out.push({ field: 'currency', message: 'currency must be an ISO 4217 code' });
  if (!isMinor(p.perGiftLimitMinor)) out.push({ field: 'perGiftLimitMinor', message: 'the per-gift limit must be a whole number of minor units, 0 or more' });
  if (!isMinor(p.perPersonYearLimitMinor)) out.push({ field: 'perPersonYearLimitMinor', message: 'the yearly limit must be a whole number of minor units, 0 or more' });
  for (const [k, v] of Object.entries(p.perKindLimitMinor ?? {})) if (!isMinor(v)) out.push({ field: `perKindLimitMinor.${k}`, message: `the limit for ${k} must be a whole number of minor units` });
  return out;
}

/** Whether a recorded gift counts towards a person's total: everything given or promised, not what was declined. */
export const countsTowardsTotal = (g: Pick<GiftRecord, 'status'>): boolean => g.status !== 'declined';

/**
 * Evaluates a proposed gift against the policy and the person's earlier gifts (any order; other
 * people's and other years' are ignored, as are declined ones). The calendar year is the
 * gift date's year.
 */
export function evaluateGift(policy: GiftPolicy, proposal: GiftProposal, history: readonly GiftRecord[]): GiftEvaluation {
  if (proposal.value.currency !== policy.currency) return { ok: false, status: 400, field: 'currency', message: `The gift policy is in ${policy.currency}; convert the value (${proposal.value.currency}) before recording it` };
  if (!isMinor(proposal.value.amountMinor)) return { ok: false, status: 400, field: 'amountMinor', message: 'A gift\'s value must be a whole number of minor units, 0 or more' };
  if (!/^\d{4}-\d{2}-\d{2}$/.test(proposal.date)) return { ok: false, status: 400, field: 'date', message: 'A gift\'s date must be YYYY-MM-DD' };
  const year = Number(proposal.date.slice(0, 4));
  let before = 0;
  for (const g of history) {
    if (g.personId !== proposal.personId || !g.date.startsWith(`${year}-`) || !countsTowardsTotal(g)) continue;
    if (g.value.currency !== policy.currency) return { ok: false, status: 400, field: 'history', message: `Gift ${g.id} is in ${g.value.currency}, not the policy's ${policy.currency}` };
    before += g.value.amountMinor;
  }
  const value = proposal.value.amountMinor;
  const after = before + value;
  const reasons: GiftReason[] = [];
  if (policy.approvalAlwaysKinds.includes(proposal.kind)) reasons.push({ code: 'kind_needs_approval', kind: proposal.kind });
  if (value > policy.perGiftLimitMinor) reasons.push({ code: 'over_per_gift_limit', limitMinor: policy.perGiftLimitMinor, valueMinor: value });
  const kindLimit = policy.perKindLimitMinor?.[proposal.kind];
  if (kindLimit !== undefined && value > kindLimit && kindLimit < policy.perGiftLimitMinor) reasons.push({ code: 'over_kind_limit', kind: proposal.kind, limitMinor: kindLimit, valueMinor: value });
  if (after > policy.perPersonYearLimitMinor) reasons.push({ code: 'over_per_person_year_limit', limitMinor: policy.perPersonYearLimitMinor, totalAfterMinor: after });
  return {
    ok: true,
    decision: reasons.length ? 'needs_approval' : 'allowed',
    reasons,
    totals: { year, currency: policy.currency, personYearBeforeMinor: before, personYearAfterMinor: after, perPersonYearLimitMinor: policy.perPersonYearLimitMinor, remainingAfterMinor: Math.max(0, policy.perPersonYearLimitMinor - after) },
  };
}

/** One row of the compliance register: a gift, what the policy said when it was given, and the person's year total after it. */
export type RegisterRow = { gift: GiftRecord; decision: 'allowed' | 'needs_approval'; reasons: GiftReason[]; personYearTotalMinor: number };

/**
 * The compliance register: gifts in date order (then id), each evaluated against the gifts
 * before it, with the running total per person and year. Declined gifts are listed with the
 * decision they had but do not add to the total.
 */
export function giftRegister(policy: GiftPolicy, gifts: readonly GiftRecord[]): RegisterRow[] {
  const sorted = [...gifts].sort((a, b) => a.date.localeCompare(b.date) || a.id.localeCompare(b.id));
  const rows: RegisterRow[] = [];
  const earlier: GiftRecord[] = [];
  for (const g of sorted) {
    const e = evaluateGift(policy, g, earlier);
    if (!e.ok) throw new Error(`gift ${g.id}: ${e.message}`);
    if (countsTowardsTotal(g)) earlier.push(g);
    rows.push({ gift: g, decision: e.decision, reasons: e.reasons, personYearTotalMinor: countsTowardsTotal(g) ? e.totals.personYearAfterMinor : e.totals.personYearBeforeMinor });
  }
  return rows;
}
