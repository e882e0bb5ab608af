/** Exposure and insurance-gap rules of a site. Pure. */

export type GapReason = 'uninsured' | 'refused' | 'expired' | 'expiring' | 'underinsured';

/**
 * Insurance as every page shows it, three values: insured; not insured (no cover, or cover
 * refused); unknown (nobody has recorded it). Unknown is never shown as "not insured".
 */
export type InsuranceState = 'insured' | 'not-insured' | 'unknown';

export function insuranceState(status: string): InsuranceState {
  return status === 'insured' ? 'insured' : status === 'none' || status === 'refused' ? 'not-insured' : 'unknown';
}

export type GapInput = {
  insuranceStatus: string;
  expiresOn: string | null;
  cover: { amountMinor: number; currency: string } | null;
  inventory: { amountMinor: number; currency: string } | null;
  coastDistanceM: number | null;
  floodProne: boolean;
};

/** Within this distance of the sea a site counts as coastal, linearly more so the closer it is. */
export const COASTAL_M = 20_000;
/** The weight of a site marked flood-prone. */
export const FLOOD_WEIGHT = 1.5;

/**
 * The two weights of the exposure factor: `coast` is 1 for a site 20 km or more from the sea,
 * rising linearly to 2 on the coastline (storm surge and the strongest winds reach the coast
 * first); `flood` is 1.5 for a site marked flood-prone, else 1. Unknown distance counts as
 * inland: the gap list should not guess exposure.
 */
export function exposureParts(coastDistanceM: number | null, floodProne: boolean): { coast: number; flood: number; factor: number } {
  const coast = coastDistanceM === null ? 1 : 1 + Math.max(0, 1 - coastDistanceM / COASTAL_M);
  const flood = floodProne ? FLOOD_WEIGHT : 1;
  return { coast: round3(coast), flood, factor: round3(coast * flood) };
}

/** 1 for an inland site, rising linearly to 2 on the coastline, times 1.5 when flood-prone. */
export function exposureFactor(coastDistanceM: number | null, floodProne: boolean): number {
  return exposureParts(coastDistanceM, floodProne).factor;
}

const round3 = (v: number) => Math.round(v * 1000) / 1000;
const dayMs = 86_400_000;

/** Whole days from `today` (YYYY-MM-DD) to `date` (YYYY-MM-DD); negative when past. */
export function daysBetween(today: string, date: string): number {
  return Math.round((Date.parse(`${date}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / dayMs);
}

/**
 * Why a site's recorded insurance leaves a gap, or undefined when it does not: no cover
 * (`uninsured`), cover refused, cover expired or expiring within `withinDays`, or cover below the
 * stock value. Insurance nobody recorded is not a gap but unknown: see `assessGap`.
 */
export function insuranceGap(s: GapInput, today: string, withinDays: number): { reason: GapReason; daysToExpiry: number | null } | undefined {
  if (s.insuranceStatus === 'refused') return { reason: 'refused', daysToExpiry: null };
  if (s.insuranceStatus === 'none') return { reason: 'uninsured', daysToExpiry: null };
  if (s.insuranceStatus !== 'insured') return undefined;
  const days = s.expiresOn ? daysBetween(today, s.expiresOn) : null;
  if (days !== null && days < 0) return { reason: 'expired', daysToExpiry: days };
  if (days !== null && days <= withinDays) return { reason: 'expiring', daysToExpiry: days };
  if (s.cover && s.inventory && s.cover.currency === s.inventory.currency && s.cover.amountMinor < s.inventory.amountMinor) {
    return { reason: 'underinsured', daysToExpiry: days };
  }
  return undefined;
}

/**
 * The share of the stock value a gap leaves uncovered (0–1): all of it when there is no cover,
 * when it was refused or has expired, and when it is about to expire (the whole cover lapses
 * then); the part above the cover when under-insured.
 */
export function uninsuredShare(reason: GapReason, inventory: { amountMinor: number } | null, cover: { amountMinor: number } | null): number {
  if (reason !== 'underinsured') return 1;
  if (!inventory || !cover || inventory.amountMinor <= 0) return 1;
  return round3(Math.min(1, Math.max(0, (inventory.amountMinor - cover.amountMinor) / inventory.amountMinor)));
}

/** What is missing to rank a site: its stock value, its insurance, or both. */
export type Missing = 'stock' | 'insurance';

export type GapAssessment =
  | { kind: 'ranked'; reason: GapReason; daysToExpiry: number | null; uninsuredShare: number }
  | { kind: 'unknown'; reason: GapReason | null; daysToExpiry: number | null; missing: Missing[] };

/**
 * Whether a site belongs in the gap ranking, among the sites that cannot be ranked, or nowhere:
 * - insurance not recorded: unknown (missing insurance, and stock when it is not recorded either);
 * - a gap (see `insuranceGap`) with the stock value recorded: ranked, with its uninsured share;
 * - a gap without a stock value: unknown (missing stock), never ranked as if the stock were 0;
 * - no gap: undefined.
 */
export function assessGap(s: GapInput, today: string, withinDays: number): GapAssessment | undefined {
  if (insuranceState(s.insuranceStatus) === 'unknown') {
    return { kind: 'unknown', reason: null, daysToExpiry: null, missing: s.inventory ? ['insurance'] : ['stock', 'insurance'] };
  }
  const gap = insuranceGap(s, today, withinDays);
  if (!gap) return undefined;
  if (!s.inventory) return { kind: 'unknown', reason: gap.reason, daysToExpiry: gap.daysToExpiry, missing: ['stock'] };
  return { kind: 'ranked', reason: gap.reason, daysToExpiry: gap.daysToExpiry, uninsuredShare: uninsuredShare(gap.reason, s.inventory, s.cover) };
}

/** The ranking key: the uncovered stock value (value × uninsured share) weighted by exposure, in integer minor units. */
export function gapRankValue(inventoryMinor: number, share: number, factor: number): number {
  return Math.round(inventoryMinor * share * factor);
}
