/** Queries and writes of the lanes API, shared by the planner pages and the account tab. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import { api, toQuery } from '../../../web/api/client.js';
import type { Role } from '../../../web/api/types.js';
import type { AddRateBody, CreateLaneBody, Figures as FiguresS, Lane as LaneS, Plan as PlanS, ProposeBody, Rate as RateS, Rule as RuleS } from '../lanes.contract.js';

export type Lane = z.infer<typeof LaneS>;
export type Rate = z.infer<typeof RateS>;
export type Plan = z.infer<typeof PlanS>;
export type Rule = z.infer<typeof RuleS>;
export type Figures = z.infer<typeof FiguresS>;
export type Mode = Lane['defaultMode'];
export const MODES: Mode[] = ['ship', 'rail', 'road'];

/** As src/server/policy.ts grants delivery:read and lane:plan (approval is decided per lane by the server: `canDecide`). */
export const readRoles: Role[] = ['admin', 'director', 'manager', 'logistics', 'executive'];
export const planRoles: Role[] = ['admin', 'director', 'logistics'];

const enc = encodeURIComponent;
const invalidate = (qc: ReturnType<typeof useQueryClient>) => qc.invalidateQueries({ queryKey: ['lanes'] });

export const useLanes = (accountId?: string) => useQuery({ queryKey: ['lanes', 'list', accountId ?? null], queryFn: () => api<{ items: Lane[] }>(`/lanes${toQuery({ accountId })}`) });
export const useLane = (code: string) => useQuery({ queryKey: ['lanes', 'one', code], queryFn: () => api<Lane>(`/lanes/${enc(code)}`) });
export const usePlan = (code: string, from: Mode, to: Mode) => useQuery({ queryKey: ['lanes', 'plan', code, from, to], queryFn: () => api<Plan>(`/lanes/${enc(code)}/plan${toQuery({ from, to })}`) });
export const useRates = (code: string) => useQuery({ queryKey: ['lanes', 'rates', code], queryFn: () => api<{ items: Rate[] }>(`/lanes/${enc(code)}/rates`) });
export const useRules = (code: string) => useQuery({ queryKey: ['lanes', 'rules', code], queryFn: () => api<{ items: Rule[] }>(`/lanes/${enc(code)}/rules`) });

export function useCreateLane() {
  const qc = useQueryClient();
  return useMutation({ mutationFn: (b: z.input<typeof CreateLaneBody>) => api<Lane>('/lanes', { method: 'POST', body: b }), onSuccess: () => invalidate(qc) });
}
export function useAddRate(code: string) {
  const qc = useQueryClient();
  return useMutation({ mutationFn: (b: z.input<typeof AddRateBody>) => api<Rate>(`/lanes/${enc(code)}/rates`, { method: 'POST', body: b }), onSuccess: () => invalidate(qc) });
}
export function usePropose(code: string) {
  const qc = useQueryClient();
  return useMutation({ mutationFn: (b: z.input<typeof ProposeBody>) => api<Rule>(`/lanes/${enc(code)}/rules`, { method: 'POST', body: b }), onSuccess: () => invalidate(qc) });
}
export function useDecide(code: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, action, version, reason }: { id: string; action: 'approve' | 'reject'; version: number; reason: string | null }) =>
      api<Rule>(`/lanes/${enc(code)}/rules/${id}/${action}`, { method: 'POST', body: { version, reason } }),
    onSuccess: () => invalidate(qc),
  });
}
