/** Queries and writes of the competition API, shared by its pages and the account tab. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import { api, toQuery } from '../../../web/api/client.js';
import type {
  CompareBody, Comparison as ComparisonT, Observation as ObservationT, Offer as OfferT, OfferSummary as OfferSummaryT, RecordObservationBody,
  RecordObservationResult as RecordResultT, Trend as TrendT, UndercutAlert as UndercutAlertT, Waterfall as WaterfallT,
} from '../competition.contract.js';

export type Observation = ObservationT;
export type UndercutAlert = UndercutAlertT;
export type Waterfall = WaterfallT;
export type Comparison = ComparisonT;
export type Offer = OfferT;
export type OfferSummary = z.infer<typeof OfferSummaryT>;
export type Trend = z.infer<typeof TrendT>;
export type RecordResult = z.infer<typeof RecordResultT>;
export type RecordObservation = z.input<typeof RecordObservationBody>;
export type CompareInput = z.input<typeof CompareBody>;
export type Product = { id: string; sku: string; nameEn: string; nameZh: string; unit: string };

export const useProducts = () =>
  useQuery({ queryKey: ['competition', 'products'], queryFn: () => api<{ items: Product[] }>('/products?limit=200').then((r) => r.items), staleTime: 5 * 60_000 });

export const useObservations = (p: { accountId?: string; productId?: string; limit?: number }) =>
  useQuery({ queryKey: ['competition', 'observations', p], queryFn: () => api<{ items: Observation[] }>(`/competitor-observations${toQuery(p)}`).then((r) => r.items) });

export const useAlerts = (p: { accountId?: string; status?: 'open' | 'acknowledged' | 'all' }) =>
  useQuery({ queryKey: ['competition', 'alerts', p], queryFn: () => api<{ items: UndercutAlert[] }>(`/undercut-alerts${toQuery(p)}`).then((r) => r.items) });

export const useTrend = (productId: string | null, months = 12) =>
  useQuery({ queryKey: ['competition', 'trend', productId, months], queryFn: () => api<Trend>(`/competitor-trends${toQuery({ productId, months })}`), enabled: !!productId });

export const useWaterfall = (accountId: string, productId: string | null) =>
  useQuery({ queryKey: ['competition', 'waterfall', accountId, productId], queryFn: () => api<Waterfall>(`/accounts/${accountId}/waterfall${toQuery({ productId })}`), enabled: !!productId });

export const useOffers = (accountId?: string) =>
  useQuery({ queryKey: ['competition', 'offers', accountId ?? null], queryFn: () => api<{ items: OfferSummary[] }>(`/competitor-offers${toQuery({ accountId })}`).then((r) => r.items) });

export const useOffer = (id: string | undefined) =>
  useQuery({ queryKey: ['competition', 'offer', id], queryFn: () => api<Offer>(`/competitor-offers/${id}`), enabled: !!id });

export const post = <T,>(path: string, body: unknown) => api<T>(path, { method: 'POST', body });

/** A write; afterwards every competition answer may have changed (alerts, facts, the day). */
export function useCompetitionWrite<TVars, TOut = unknown>(fn: (v: TVars) => Promise<TOut>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['competition'] });
      void qc.invalidateQueries({ queryKey: ['account-facts'] });
      void qc.invalidateQueries({ queryKey: ['account-timeline'] });
      void qc.invalidateQueries({ queryKey: ['my-day'] });
    },
  });
}
