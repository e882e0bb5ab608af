/** Queries and mutations of the price-list API. */
import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import { api, toQuery } from '../../../web/api/client.js';
import { spreadsheetType } from '../../sales/web/sales-api.js';
import type {
  AccountPricing as AccountPricingSchema, CreatePriceListBody, ImportResult as ImportResultSchema, PriceList as PriceListSchema,
  PriceListItem as ItemSchema, PriceQuote as QuoteSchema,
} from '../pricing.contract.js';
import type { PriceBreak } from '../pricing.domain.js';

export type PriceList = z.infer<typeof PriceListSchema>;
export type PriceListItem = z.infer<typeof ItemSchema>;
export type PriceQuote = z.infer<typeof QuoteSchema>;
export type AccountPricing = z.infer<typeof AccountPricingSchema>;
export type ImportResult = z.infer<typeof ImportResultSchema>;
export type NewPriceList = z.input<typeof CreatePriceListBody>;
type Page<T> = { items: T[]; nextCursor: string | null };

export type ListFilter = { q?: string; scopeKind?: string; activeOn?: string; sort?: string };

export const useLists = (f: ListFilter) =>
  useInfiniteQuery({
    queryKey: ['pricing', 'lists', f],
    queryFn: ({ pageParam, signal }) => api<Page<PriceList>>(`/price-lists${toQuery({ ...f, limit: 50, cursor: pageParam })}`, { signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (p) => p.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });

export const useList = (id: string | undefined) =>
  useQuery({ queryKey: ['pricing', 'list', id], queryFn: () => api<PriceList>(`/price-lists/${id}`), enabled: !!id });

export const useItems = (listId: string | undefined, q: string) =>
  useInfiniteQuery({
    queryKey: ['pricing', 'items', listId, q],
    queryFn: ({ pageParam, signal }) => api<Page<PriceListItem>>(`/price-lists/${listId}/items${toQuery({ q, limit: 100, cursor: pageParam })}`, { signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (p) => p.nextCursor ?? undefined,
    enabled: !!listId,
    placeholderData: keepPreviousData,
  });

export const useAccountPricing = (accountId: string, date?: string) =>
  useQuery({ queryKey: ['pricing', 'account', accountId, date ?? null], queryFn: () => api<AccountPricing>(`/accounts/${accountId}/price-lists${toQuery({ date })}`) });

export const usePriceGroups = () =>
  useQuery({ queryKey: ['pricing', 'groups'], queryFn: () => api<{ items: { group: string; accounts: number }[] }>('/price-groups'), staleTime: 60_000 });

export const fetchQuote = (q: { accountId: string; productId: string; quantity: number; date: string }) =>
  api<{ price: PriceQuote | null }>(`/prices/quote${toQuery(q)}`);

export function useInvalidatePricing() {
  const qc = useQueryClient();
  return () => { for (const key of ['pricing', 'account-facts']) void qc.invalidateQueries({ queryKey: [key] }); };
}

export function usePricingMutations() {
  const invalidate = useInvalidatePricing();
  const opts = { onSuccess: invalidate };
  return {
    create: useMutation({ mutationFn: (b: NewPriceList) => api<PriceList>('/price-lists', { method: 'POST', body: b }), ...opts }),
    update: useMutation({ mutationFn: ({ id, ...b }: Partial<NewPriceList> & { id: string; version: number }) => api<PriceList>(`/price-lists/${id}`, { method: 'PATCH', body: b }), ...opts }),
    remove: useMutation({ mutationFn: ({ id, version }: { id: string; version: number }) => api<void>(`/price-lists/${id}${toQuery({ version })}`, { method: 'DELETE' }), ...opts }),
    putItem: useMutation({
      mutationFn: ({ listId, productId, breaks }: { listId: string; productId: string; breaks: PriceBreak[] }) => api<PriceListItem>(`/price-lists/${listId}/items/${productId}`, { method: 'PUT', body: { breaks } }), ...opts,
    }),
    deleteItem: useMutation({ mutationFn: ({ listId, productId }: { listId: string; productId: string }) => api<void>(`/price-lists/${listId}/items/${productId}`, { method: 'DELETE' }), ...opts }),
    setGroup: useMutation({ mutationFn: ({ accountId, priceGroup }: { accountId: string; priceGroup: string | null }) => api<AccountPricing>(`/accounts/${accountId}/price-group`, { method: 'PUT', body: { priceGroup } }), ...opts }),
  };
}

/** Sends a CSV or XLSX file's bytes as the body, as the sales import does. */
export function uploadPrices(listId: string, file: File, opts: { replace: boolean; dryRun: boolean }): Promise<ImportResult> {
  return api<ImportResult>(`/price-lists/${listId}/import${toQuery({ fileName: file.name.slice(0, 200), replace: opts.replace, dryRun: opts.dryRun })}`,
    { method: 'POST', file, headers: { 'content-type': spreadsheetType(file) } });
}
