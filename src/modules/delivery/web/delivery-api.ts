/** Queries of the delivery API shared by the OTIF dashboard, the account tab and the dealer's page. */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import { api, toQuery } from '../../../web/api/client.js';
import type { Page, Role } from '../../../web/api/types.js';
import type { DeliveryTermsOut, OpenLineOut, OtifResult as OtifS, OverdueLineOut, PortalDeliverySummary as SummaryS, ShipmentOut } from '../delivery.contract.js';

export type OtifResult = z.infer<typeof OtifS>;
export type OtifGroup = OtifResult['groups'][number];
export type Shipment = ShipmentOut;
export type OverdueLine = OverdueLineOut;
export type OpenLine = OpenLineOut;
export type PortalSummary = z.infer<typeof SummaryS>;
export type Tolerances = { earlyDays: number; lateDays: number; inFullPercent: number };
export type Period = { from: string; to: string };

/** Who reads OTIF and shipments (delivery:read), as src/server/policy.ts grants it. */
export const readRoles: Role[] = ['admin', 'director', 'manager', 'logistics', 'executive'];

/** `tol` null: each dealer on its agreed delivery terms (decision 022); otherwise these tolerances on every line. */
export const useOtif = (by: string, period: Period, tol: Tolerances | null, accountId?: string, enabled = true) =>
  useQuery({
    queryKey: ['delivery', 'otif', by, period, tol, accountId ?? null],
    // `by=` (empty) asks for one group of everything; toQuery would drop the empty value.
    queryFn: () => api<OtifResult>(`/delivery/otif?by=${encodeURIComponent(by)}&${toQuery({ ...period, ...(tol ?? {}), accountId }).slice(1)}`),
    placeholderData: keepPreviousData,
    enabled,
  });

/** `&mode=…` when a mode is asked for; an empty one (lines without a mode) is kept, which toQuery would drop. */
const modeParam = (query: string, mode: string | undefined) => (mode === undefined ? query : `${query || '?'}${query ? '&' : ''}mode=${encodeURIComponent(mode)}`);

/** Shipments of an account (or of every visible account), optionally of lines promised in [from, to) and of one mode (as OTIF by mode names it). */
export const useShipments = (p: { accountId?: string; from?: string; to?: string; mode?: string; lateOnly?: boolean; limit: number; offset: number }, enabled = true) =>
  useQuery({
    queryKey: ['delivery', 'shipments', p],
    queryFn: () => api<{ items: Shipment[] }>(`${p.accountId ? `/accounts/${p.accountId}/shipments` : '/delivery/shipments'}${modeParam(toQuery({ from: p.from, to: p.to, lateOnly: p.lateOnly ? 'true' : undefined, limit: p.limit, offset: p.offset }), p.mode)}`),
    placeholderData: keepPreviousData,
    enabled,
  });

export const useOverdueLines = (p: { accountId?: string; from?: string; to?: string; mode?: string; limit: number; offset: number }, enabled = true) =>
  useQuery({
    queryKey: ['delivery', 'overdue', p],
    queryFn: () => { const { mode, ...rest } = p; return api<{ items: OverdueLine[]; total: number }>(`/delivery/overdue-lines${modeParam(toQuery(rest), mode)}`); },
    placeholderData: keepPreviousData,
    enabled,
  });

/** An account's (without one: every visible account's) open order lines not yet delivered in full. */
export const useOpenLines = (accountId: string | undefined, p: { limit: number; offset: number }) =>
  useQuery({
    queryKey: ['delivery', 'open-lines', accountId ?? null, p],
    queryFn: () => api<{ items: OpenLine[]; total: number }>(`${accountId ? `/accounts/${accountId}/open-lines` : '/delivery/open-lines'}${toQuery(p)}`),
    placeholderData: keepPreviousData,
  });

export const usePortalDeliveries = (p: { limit: number; offset: number; lateOnly: boolean }) =>
  useQuery({
    queryKey: ['delivery', 'portal', p],
    queryFn: () => api<{ items: Shipment[] }>(`/portal/deliveries${toQuery({ limit: p.limit, offset: p.offset, lateOnly: p.lateOnly ? 'true' : undefined })}`),
    placeholderData: keepPreviousData,
  });

export const usePortalSummary = () => useQuery({ queryKey: ['delivery', 'portal-summary'], queryFn: () => api<PortalSummary>('/portal/delivery-summary') });

type AccountLite = { id: string; code: string; name: string; nameEn?: string | null };
/** Names of the accounts the reader sees (OTIF groups carry ids only); a few pages of 200 cover a sales organisation. */
export const useAccountNames = () =>
  useQuery({
    queryKey: ['delivery', 'account-names'],
    staleTime: 5 * 60_000,
    queryFn: async () => {
      const out = new Map<string, AccountLite>();
      let cursor: string | null = null;
      for (let i = 0; i < 10; i++) {
        const page: Page<AccountLite> = await api<Page<AccountLite>>(`/accounts${toQuery({ limit: 200, cursor })}`);
        for (const a of page.items) out.set(a.id, a);
        cursor = page.nextCursor;
        if (!cursor) break;
      }
      return out;
    },
  });

/** First day of the month `n` months before the month of `iso` (YYYY-MM-DD). */
export function monthStart(iso: string, n = 0): string {
  const [y, m] = iso.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m - 1 - n, 1)).toISOString().slice(0, 10);
}
/** The period [first of `fromMonth`, first of the month after `toMonth`) from two YYYY-MM values. */
export function periodOf(fromMonth: string, toMonth: string): Period {
  return { from: `${fromMonth}-01`, to: monthStart(`${toMonth}-01`, -1) };
}
/** The last `months` months up to and including the current one. */
export function lastMonths(today: string, months: number): { fromMonth: string; toMonth: string } {
  return { fromMonth: monthStart(today, months - 1).slice(0, 7), toMonth: today.slice(0, 7) };
}

export type DeliveryTerms = z.infer<typeof DeliveryTermsOut>;

/** A dealer's agreed delivery terms (or the defaults when none are agreed). */
export const useTerms = (accountId: string) =>
  useQuery({ queryKey: ['delivery', 'terms', accountId], queryFn: () => api<DeliveryTerms>(`/accounts/${accountId}/delivery-terms`) });
