/**
 * Value beyond price, the pure core: departments and request types, entitlement periods and
 * allowances (with carry-over and peak-season windows), the request life cycle, and the
 * service-level state of a request. No I/O; the SLA clock itself is in sla.domain.ts.
 */

export const departments = ['logistics', 'quality', 'finance', 'technical', 'sales', 'management'] as const;
export type Department = (typeof departments)[number];

export const units = ['delivery_slot', 'truckload', 'training_session', 'engineer_visit', 'marketing_support', 'escalation'] as const;
export type Unit = (typeof units)[number];

/** What a request is about; each type goes to one department's queue ("service": the service kind's department). */
export const requestTypes = ['quality_complaint', 'delivery_problem', 'credit_invoicing', 'technical_support', 'to_management', 'service'] as const;
export type RequestType = (typeof requestTypes)[number];

export const departmentOfType: Record<Exclude<RequestType, 'service'>, Department> = {
  quality_complaint: 'quality',
  delivery_problem: 'logistics',
  credit_invoicing: 'finance',
  technical_support: 'technical',
  to_management: 'management',
};

export const priorities = ['low', 'normal', 'high', 'urgent'] as const;
export type Priority = (typeof priorities)[number];

export const requestStatuses = ['open', 'in_progress', 'waiting_customer', 'resolved', 'closed'] as const;
export type RequestStatus = (typeof requestStatuses)[number];

/** The statuses a request may move to from each status (reopening a resolved request included). */
export const nextStatuses: Record<RequestStatus, readonly RequestStatus[]> = {
  open: ['in_progress', 'waiting_customer', 'resolved', 'closed'],
  in_progress: ['waiting_customer', 'resolved', 'closed'],
  waiting_customer: ['in_progress', 'resolved', 'closed'],
  resolved: ['in_progress', 'closed'],
  closed: [],
};

export const isOpenStatus = (s: RequestStatus): boolean => s === 'open' || s === 'in_progress' || s === 'waiting_customer';

/** ok: on time; warning: most of the target used; breached: past due; met / missed: resolved in time or not. */
export const slaStates = ['ok', 'warning', 'breached', 'met', 'missed'] as const;
export type SlaState = (typeof slaStates)[number];

/** Share of a target after which a request is flagged "due soon". */
export const WARNING_SHARE = 0.8;

/** The escalation ladder: 1 the department's queue; 2 adds the account's director; 3 adds management. */
export const MAX_ESCALATION = 3;

// ---------- entitlements ----------

export const periods = ['month', 'quarter', 'year'] as const;
export type Period = (typeof periods)[number];

export const entitlementScopes = ['tier', 'account', 'agreement'] as const;
export type EntitlementScope = (typeof entitlementScopes)[number];

export const consumedOn = ['request', 'delivery'] as const;
export type ConsumedOn = (typeof consumedOn)[number];

/** A season in which an entitlement applies, as month-day bounds (inclusive); from > to wraps the year end. */
export type PeakWindow = { from: string; to: string };

export type Entitlement = {
  id: string;
  serviceKindId: string;
  scope: EntitlementScope;
  tier: string | null;
  accountId: string | null;
  quantity: number;
  period: Period;
  consumedOn: ConsumedOn;
  carryOver: boolean;
  peakWindows: PeakWindow[] | null;
  validFrom: string;
  validTo: string | null;
};

/** The key of the period a local date (YYYY-MM-DD) falls in: 2026-12, 2026-Q4, 2026. */
export function periodKey(period: Period, date: string): string {
  const y = date.slice(0, 4);
  const m = Number(date.slice(5, 7));
  if (period === 'month') return date.slice(0, 7);
  if (period === 'quarter') return `${y}-Q${Math.ceil(m / 3)}`;
  return y;
}

/** First and last local date of the period a date falls in. */
export function periodBounds(period: Period, date: string): { from: string; to: string } {
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7));
  const first = period === 'month' ? m : period === 'quarter' ? (Math.ceil(m / 3) - 1) * 3 + 1 : 1;
  const months = period === 'month' ? 1 : period === 'quarter' ? 3 : 12;
  const end = new Date(Date.UTC(y, first - 1 + months, 0));
  return { from: `${y}-${String(first).padStart(2, '0')}-01`, to: end.toISOString().slice(0, 10) };
}

/** A date in the period before the one `date` falls in (its first day minus one). */
export function previousPeriodDate(period: Period, date: string): string {
  const { from } = periodBounds(period, date);
  return new Date(Date.parse(`${from}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
}

export function inPeakWindows(windows: PeakWindow[] | null, date: string): boolean {
  if (!windows || !windows.length) return true;
  const md = date.slice(5);
  return windows.some((w) => (w.from <= w.to ? md >= w.from && md <= w.to : md >= w.from || md <= w.to));
}

/** Whether an entitlement grants anything to an account of `tier` on a local date. */
export function entitlementApplies(e: Entitlement, account: { id: string; tier: string | null }, date: string): boolean {
  if (date < e.validFrom || (e.validTo && date > e.validTo)) return false;
  if (!inPeakWindows(e.peakWindows, date)) return false;
  if (e.scope === 'tier') return !!account.tier && e.tier === account.tier;
  return e.accountId === account.id;
}

/**
 * What an entitlement allows in the period of `date`: its quantity, plus, with carry-over, what was
 * left unused of the period before (at most one period's quantity: carry-over does not compound),
 * if the entitlement was valid then. `usedBefore` is what was counted against it in that period.
 */
export function allowanceOf(e: Entitlement, date: string, usedBefore: number): { base: number; carried: number; total: number } {
  const base = e.quantity;
  let carried = 0;
  if (e.carryOver) {
    // `previousPeriodDate` is the last day of the period before: the entitlement was valid then if it started by that day.
    if (e.validFrom <= previousPeriodDate(e.period, date)) carried = Math.max(0, base - usedBefore);
  }
  return { base, carried, total: base + carried };
}

/** Order in which applicable entitlements are drawn on: the most specific first (agreement, account, tier), then the soonest to expire. */
export function drawOrder(a: Entitlement, b: Entitlement): number {
  const rank = { agreement: 0, account: 1, tier: 2 } as const;
  return rank[a.scope] - rank[b.scope] || (a.validTo ?? '9999').localeCompare(b.validTo ?? '9999') || a.id.localeCompare(b.id);
}

// ---------- service levels ----------

/** Default targets in working minutes per priority (response, resolution), before an admin sets their own. */
export const defaultTargets: Record<Priority, { response: number; resolution: number }> = {
  urgent: { response: 60, resolution: 8 * 60 },
  high: { response: 2 * 60, resolution: 16 * 60 },
  normal: { response: 4 * 60, resolution: 24 * 60 },
  low: { response: 8 * 60, resolution: 40 * 60 },
};

/** The human number of the n-th request of a year: SR-2026-000123. */
export const requestNumber = (year: number, n: number): string => `SR-${year}-${String(n).padStart(6, '0')}`;
