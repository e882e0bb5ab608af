/** Queries and writes of the VMI API (vmi.contract.ts, vmi.inventory-contract.ts), shared by the pages of the module. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, toQuery } from '../../../web/api/client.js';
import type { Role } from '../../../web/api/types.js';
import type { AccountInventory } from '../vmi.inventory-contract.js';
import type {
  CountBody, CountResult, EditLineBody, ExceptionRow, PortalOrder, PortalOrderSummary, SignBody, SignResult, VmiDraft, VmiDraftStatus, VmiDraftSummary, VmiSettings, VmiSettingsBody,
} from '../vmi.contract.js';

export type { AccountInventory, CountBody, CountResult, ExceptionRow, PortalOrder, PortalOrderSummary, SignBody, SignResult, VmiDraft, VmiDraftStatus, VmiDraftSummary };
export type InventoryProduct = AccountInventory['products'][number];

/** As src/server/policy.ts grants the VMI reads (staff who read deliveries) and writes (the account's manager and up). */
export const readRoles: Role[] = ['admin', 'director', 'manager', 'logistics', 'executive'];
export const writeRoles: Role[] = ['admin', 'director', 'manager'];

const invalidate = (qc: ReturnType<typeof useQueryClient>) => qc.invalidateQueries({ queryKey: ['vmi'] });

export const useInventory = (accountId: string, offset = 0) =>
  useQuery({ queryKey: ['vmi', 'inventory', accountId, offset], queryFn: () => api<AccountInventory>(`/vmi/accounts/${accountId}/inventory${toQuery({ limit: 20, offset })}`) });
export const useDrafts = (f: { status?: VmiDraftStatus | null; accountId?: string | null; offset?: number; limit?: number }) =>
  useQuery({ queryKey: ['vmi', 'drafts', f], queryFn: () => api<{ items: VmiDraftSummary[]; total: number }>(`/vmi/drafts${toQuery({ status: f.status, accountId: f.accountId, limit: f.limit ?? 50, offset: f.offset })}`) });
export const useDraft = (id: string) => useQuery({ queryKey: ['vmi', 'draft', id], queryFn: () => api<VmiDraft>(`/vmi/drafts/${id}`) });
export const useExceptions = (f: { from?: string; to?: string; kind?: string; offset: number; limit: number }) =>
  useQuery({ queryKey: ['vmi', 'exceptions', f], queryFn: () => api<{ items: ExceptionRow[]; total: number }>(`/vmi/exceptions${toQuery(f)}`) });

export function useCreateDraft(accountId: string) {
  const qc = useQueryClient();
  return useMutation({ mutationFn: () => api<VmiDraft>(`/vmi/accounts/${accountId}/drafts`, { method: 'POST', body: {} }), onSuccess: () => invalidate(qc) });
}

export function useEditLine(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ productId, ...body }: EditLineBody & { productId: string }) => api<VmiDraft>(`/vmi/drafts/${id}/lines/${productId}`, { method: 'PATCH', body }),
    onSuccess: (d) => { qc.setQueryData(['vmi', 'draft', id], d); void invalidate(qc); },
  });
}

export function useDraftStep(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (s: { kind: 'send'; version: number } | { kind: 'cancel'; version: number; reason: string }) =>
      api<VmiDraft>(`/vmi/drafts/${id}/${s.kind}`, { method: 'POST', body: s.kind === 'send' ? { version: s.version } : { version: s.version, reason: s.reason } }),
    onSettled: () => invalidate(qc),
  });
}

/** Sends one stock count (the outbox calls it; the server saves a clientId once). */
export const sendCount = (accountId: string, body: CountBody) => api<CountResult>(`/vmi/accounts/${accountId}/counts`, { method: 'POST', body });

export const usePortalOrders = () => useQuery({ queryKey: ['vmi', 'portal', 'list'], queryFn: () => api<{ items: PortalOrderSummary[]; total: number }>('/portal/vmi/orders') });
export const usePortalOrder = (id: string) => useQuery({ queryKey: ['vmi', 'portal', 'one', id], queryFn: () => api<PortalOrder>(`/portal/vmi/orders/${id}`) });
export function useSign(id: string) {
  const qc = useQueryClient();
  return useMutation({ mutationFn: (body: SignBody) => api<SignResult>(`/portal/vmi/orders/${id}/sign`, { method: 'POST', body }), onSettled: () => invalidate(qc) });
}

export type { VmiSettings, VmiSettingsBody };
export const useVmiSettings = (accountId: string, enabled = true) =>
  useQuery({ queryKey: ['vmi', 'settings', accountId], queryFn: () => api<VmiSettings>(`/vmi/accounts/${accountId}/settings`), enabled });
export const useCatalogue = (enabled = true) =>
  useQuery({ queryKey: ['vmi', 'catalogue'], queryFn: () => api<{ items: { id: string; sku: string; nameEn: string; nameZh: string; unit: string }[] }>('/products?limit=200').then((r) => r.items), staleTime: 5 * 60_000, enabled });
export function useSaveSettings(accountId: string) {
  const qc = useQueryClient();
  return useMutation({ mutationFn: (body: VmiSettingsBody) => api<VmiSettings>(`/vmi/accounts/${accountId}/settings`, { method: 'PUT', body }), onSuccess: () => invalidate(qc) });
}
