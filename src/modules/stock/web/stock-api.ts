/** Queries and writes of the stock API, shared by the stock-outs page, the account tab and the portal. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import { api, toQuery } from '../../../web/api/client.js';
import type { Role } from '../../../web/api/types.js';
import type { Product } from '../../products/products.contract.js';
import type { AccountStock as AccountStockS, PortalStockBatch, StockBatchResult, StockOuts as StockOutsS } from '../stock.contract.js';

export type StockOuts = z.infer<typeof StockOutsS>;
export type StockOutRow = StockOuts['items'][number];
export type Spell = StockOutRow['spells'][number];
export type AccountStock = z.infer<typeof AccountStockS>;
export type LatestStock = AccountStock['latest'][number];
export type PortalReport = z.input<typeof PortalStockBatch>['reports'][number];

/** Who reads stock-outs (delivery:read), as src/server/policy.ts grants it. */
export const readRoles: Role[] = ['admin', 'director', 'manager', 'logistics', 'executive'];
/** Who imports stock report files (import:run; a manager for the accounts they may write). */
export const importRoles: Role[] = ['admin', 'director', 'manager', 'logistics'];

export const useStockOuts = (p: { from?: string; to?: string }) =>
  useQuery({ queryKey: ['stock', 'outs', p], queryFn: () => api<StockOuts>(`/stock/outs${toQuery(p)}`) });
export const useAccountStock = (accountId: string) =>
  useQuery({ queryKey: ['stock', 'account', accountId], queryFn: () => api<AccountStock>(`/accounts/${accountId}/stock`) });
export const usePortalStock = () => useQuery({ queryKey: ['stock', 'portal'], queryFn: () => api<AccountStock>('/portal/stock') });
export const useProducts = () =>
  useQuery({ queryKey: ['stock', 'products'], queryFn: () => api<{ items: Product[] }>('/products?limit=200').then((r) => r.items), staleTime: 5 * 60_000 });

export function useReportStock() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (r: PortalReport) => api<z.infer<typeof StockBatchResult>>('/portal/stock-reports', { method: 'POST', body: { reports: [r] } }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['stock'] }),
  });
}
