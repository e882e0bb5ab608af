/** Exposure and insurance-gap rules of a site. Pure. */

export type GapReason = 'uninsured' | 'refused' | 'expired' | 'expiring' | 'underinsured';

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

/**
 * 1 for an inland site, rising linearly to 2 on the coastline, times 1.5 when flood-prone.
 * Unknown distance counts as inland: the gap list should not guess exposure.
 */
export function exposureFactor(coastDistanceM: number | null, floodProne: boolean): number {
  const coast = coastDistanceM === null ? 1 : 1 + Math.max(0, 1 - coastDistanceM / COASTAL_M);
  return Math.round(coast * (floodProne ? 1.5 : 1) * 1000) / 1000;
}

const dayMs = 86_400_000;

/** Whole days from `today` (YYYY-MM-DD) to `date` (YYYY-MM-DD); negative when past. */
export function daysBetween(today: string, date: string): number {
  return Math.round((Date.parse(`${date}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / dayMs);
}

/**
 * Why a site's insurance leaves a gap, or undefined when it does not: no cover recorded,
 * cover refused, cover expired or expiring within `withinDays`, or cover below the stock value.
 */
export function insuranceGap(s: GapInput, today: string, withinDays: number): { reason: GapReason; daysToExpiry: number | null } | undefined {
  if (s.insuranceStatus === 'refused') return { reason: 'refused', daysToExpiry: null };
  if (s.insuranceStatus !== 'insured') return { reason: 'uninsured', daysToExpiry: null };
  const days = s.expiresOn ? daysBetween(today, s.expiresOn) : null;
  if (days !== null && days < 0) return { reason: 'expired', daysToExpiry: days };
  if (days !== null && days <= withinDays) return { reason: 'expiring', daysToExpiry: days };
  if (s.cover && s.inventory && s.cover.currency === s.inventory.currency && s.cover.amountMinor < s.inventory.amountMinor) {
    return { reason: 'underinsured', daysToExpiry: days };
  }
  return undefined;
}

/** The ranking key: uncovered value weighted by exposure (integer minor units). */
export function weightedValue(inventoryMinor: number | null, factor: number): number {
  return inventoryMinor === null ? 0 : Math.round(inventoryMinor * factor);
}
