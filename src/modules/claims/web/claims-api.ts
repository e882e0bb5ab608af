/** Queries and writes of the claims API, shared by the board, the detail page, the account tab and the portal. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import { api, toQuery } from '../../../web/api/client.js';
import type { Role } from '../../../web/api/types.js';
import type { Claim as ClaimS, ClaimDetail as DetailS, CreditNoteBody, DecisionBody, PortalFileClaimBody } from '../claims.contract.js';
import type { ShipmentOut } from '../../delivery/delivery.contract.js';

export type Claim = z.infer<typeof ClaimS>;
export type ClaimDetail = z.infer<typeof DetailS>;
export type FileClaim = z.input<typeof PortalFileClaimBody>;
export type Decision = z.input<typeof DecisionBody>;
export type CreditNote = z.input<typeof CreditNoteBody>;
export type Shipment = ShipmentOut;
type Page = { items: Claim[]; nextCursor: string | null };

/** As src/server/policy.ts grants claim:read, claim:write and claim:decide. */
export const readRoles: Role[] = ['admin', 'director', 'manager', 'logistics', 'executive'];
export const writeRoles: Role[] = ['admin', 'director', 'manager', 'logistics'];
export const decideRoles: Role[] = ['admin', 'director', 'manager', 'logistics'];

const invalidate = (qc: ReturnType<typeof useQueryClient>) => qc.invalidateQueries({ queryKey: ['claims'] });
export type ClaimFilter = { status?: string | null; kind?: string | null; accountId?: string | null };

export const useClaims = (f: ClaimFilter, portal = false) => useQuery({
  queryKey: ['claims', 'list', portal, f],
  queryFn: () => api<Page>(portal ? `/portal/claims${toQuery({ status: f.status, kind: f.kind, limit: 200 })}`
    : f.accountId ? `/accounts/${f.accountId}/claims${toQuery({ status: f.status, kind: f.kind, limit: 200 })}` : `/claims${toQuery({ status: f.status, kind: f.kind, limit: 200 })}`),
});
export const useClaim = (id: string, portal: boolean) =>
  useQuery({ queryKey: ['claims', 'one', portal, id], queryFn: () => api<ClaimDetail>(`${portal ? '/portal' : ''}/claims/${id}`) });
/** The shipments a claim may be about: the account's (staff) or the dealer's own deliveries (portal). */
export const useShipments = (accountId: string | null, portal: boolean) => useQuery({
  queryKey: ['claims', 'shipments', portal, accountId],
  queryFn: () => api<{ items: Shipment[] }>(portal ? '/portal/deliveries?limit=200' : `/accounts/${accountId}/shipments?limit=200`),
  enabled: portal || !!accountId,
});

export function useFileClaim(portal: boolean) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ accountId, body }: { accountId?: string; body: FileClaim }) =>
      api<ClaimDetail>(portal ? '/portal/claims' : '/claims', { method: 'POST', body: portal ? body : { ...body, accountId } }),
    onSuccess: () => invalidate(qc),
  });
}

export type Step =
  | { kind: 'investigate' | 'close' | 'withdraw'; reason?: string }
  | { kind: 'decision'; body: Decision }
  | { kind: 'credit-note'; body: CreditNote }
  | { kind: 'notes'; body: { body: string } };

export function useClaimStep(id: string, portal: boolean) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (s: Step) => {
      const path = `${portal ? '/portal' : ''}/claims/${id}/${s.kind}`;
      const body = s.kind === 'decision' || s.kind === 'credit-note' || s.kind === 'notes' ? s.body : (s.reason ? { reason: s.reason } : {});
      return api<ClaimDetail>(path, { method: 'POST', body });
    },
    onSuccess: () => invalidate(qc),
  });
}

export function useAddEvidence(id: string, portal: boolean) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ file, internal }: { file: File; internal: boolean }) =>
      api<ClaimDetail>(`${portal ? '/portal' : ''}/claims/${id}/evidence${toQuery({ fileName: file.name, internal: portal ? undefined : internal ? 'true' : undefined })}`, { method: 'POST', file }),
    onSuccess: () => invalidate(qc),
  });
}

export const evidenceUrl = (claimId: string, attachmentId: string, portal: boolean) => `/api/v1${portal ? '/portal' : ''}/claims/${claimId}/evidence/${attachmentId}/content`;
