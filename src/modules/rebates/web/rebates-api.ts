/** Queries and writes of the rebates API, shared by the rebates pages, the account tab and the portal. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import { api, toQuery } from '../../../web/api/client.js';
import type { Role } from '../../../web/api/types.js';
import type {
  Accrual as AccrualS, Agreement as AgreementS, AgreementSummary as SummaryS, Attainment as AttainmentS, CreateAgreementBody, PortalProgress as PortalS, Settlement as SettlementS,
} from '../rebates.contract.js';

export type Agreement = z.infer<typeof AgreementS>;
export type AgreementSummary = z.infer<typeof SummaryS>;
export type Attainment = z.infer<typeof AttainmentS>;
export type Settlement = z.infer<typeof SettlementS>;
export type Accrual = z.infer<typeof AccrualS>;
export type PortalProgress = z.infer<typeof PortalS>;
export type CreateAgreement = z.input<typeof CreateAgreementBody>;
export type Terms = Agreement['versions'][number]['terms'];

/** Who reads agreements (rebate:read), drafts them (rebate:write) and approves and settles (rebate:approve), as src/server/policy.ts grants. */
export const readRoles: Role[] = ['admin', 'director', 'manager', 'executive'];
export const writeRoles: Role[] = ['admin', 'director', 'manager'];
export const approveRoles: Role[] = ['admin', 'director'];

const invalidate = (qc: ReturnType<typeof useQueryClient>) => qc.invalidateQueries({ queryKey: ['rebates'] });

export const useAgreements = (accountId?: string) =>
  useQuery({ queryKey: ['rebates', 'list', accountId ?? null], queryFn: () => api<{ items: AgreementSummary[] }>(`/rebate-agreements${toQuery({ accountId })}`) });
export const useAgreement = (id: string) => useQuery({ queryKey: ['rebates', 'one', id], queryFn: () => api<Agreement>(`/rebate-agreements/${id}`) });
export const useAttainment = (id: string) => useQuery({ queryKey: ['rebates', 'attainment', id], queryFn: () => api<Attainment>(`/rebate-agreements/${id}/attainment`) });
export const useSettlements = (id: string) => useQuery({ queryKey: ['rebates', 'settlements', id], queryFn: () => api<{ items: Settlement[] }>(`/rebate-agreements/${id}/settlements`) });
export const useSettlement = (id: string) => useQuery({ queryKey: ['rebates', 'settlement', id], queryFn: () => api<Settlement>(`/rebate-settlements/${id}`) });
export const usePortalProgress = () => useQuery({ queryKey: ['rebates', 'portal'], queryFn: () => api<PortalProgress>('/portal/rebates') });

export function useCreateAgreement() {
  const qc = useQueryClient();
  return useMutation({ mutationFn: (b: CreateAgreement) => api<Agreement>('/rebate-agreements', { method: 'POST', body: b }), onSuccess: () => invalidate(qc) });
}
export function useAgreementAction(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ action, body }: { action: 'submit' | 'approve' | 'versions'; body: unknown }) => api<Agreement>(`/rebate-agreements/${id}/${action}`, { method: 'POST', body }),
    onSuccess: () => invalidate(qc),
  });
}
export function useSettle(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ preview, body }: { preview: boolean; body: { kind: 'partial' | 'final'; cutoff?: string } }) =>
      api<Settlement>(`/rebate-agreements/${id}/settlements${preview ? '/preview' : ''}`, { method: 'POST', body }),
    onSuccess: (_d, v) => { if (!v.preview) void invalidate(qc); },
  });
}
export function useReverse() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, reason }: { id: string; reason: string }) => api<Settlement>(`/rebate-settlements/${id}/reverse`, { method: 'POST', body: { reason } }),
    onSuccess: () => invalidate(qc),
  });
}
