/** Queries and writes of the relationships API for the account's Relationships tab (staff only). */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import { api } from '../../../web/api/client.js';
import type { Role } from '../../../web/api/types.js';
import type { CreateKeyDateBody, KeyDateItem } from '../key-dates.contract.js';
import type { SetStakeholderBody, StakeholderMap, StakeholderPerson } from '../stakeholders.contract.js';

export type { KeyDateItem, StakeholderMap, StakeholderPerson };
export type Gap = StakeholderMap['gaps'][number];
export type SetStakeholder = z.input<typeof SetStakeholderBody>;
export type NewKeyDate = z.input<typeof CreateKeyDateBody>;

/** Who reads the map (relationship:read), as src/server/policy.ts grants it. */
export const readRoles: Role[] = ['admin', 'director', 'manager', 'executive'];
/** Who keeps it (relationship:write). */
export const writeRoles: Role[] = ['admin', 'director', 'manager'];

const mapKey = (accountId: string) => ['relationships', 'map', accountId] as const;
const datesKey = (accountId: string) => ['relationships', 'key-dates', accountId] as const;

export const useStakeholderMap = (accountId: string) =>
  useQuery({ queryKey: mapKey(accountId), queryFn: () => api<StakeholderMap>(`/accounts/${accountId}/stakeholder-map`) });
export const useKeyDates = (accountId: string) =>
  useQuery({ queryKey: datesKey(accountId), queryFn: () => api<{ items: KeyDateItem[] }>(`/accounts/${accountId}/key-dates`).then((r) => r.items) });

export function useSetStakeholder(accountId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ contactId, body }: { contactId: string; body: SetStakeholder }) => api<StakeholderPerson>(`/stakeholders/${contactId}`, { method: 'PUT', body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: mapKey(accountId) }),
  });
}

export function useContacted(accountId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ contactId, on }: { contactId: string; on: string }) => api<StakeholderPerson>(`/stakeholders/${contactId}/contacted`, { method: 'POST', body: { on } }),
    onSuccess: () => qc.invalidateQueries({ queryKey: mapKey(accountId) }),
  });
}

export function useAddKeyDate(accountId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: NewKeyDate) => api<KeyDateItem>('/key-dates', { method: 'POST', body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: datesKey(accountId) }),
  });
}

export function useDeleteKeyDate(accountId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<void>(`/key-dates/${id}`, { method: 'DELETE' }),
    onSuccess: () => qc.invalidateQueries({ queryKey: datesKey(accountId) }),
  });
}
