import { useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo } from 'react';
import { api, toQuery } from '../../../web/api/client.js';
import { useStaff, useTeams } from '../../../web/api/queries.js';
import type { Contact, Me, Page, Site } from '../../../web/api/types.js';
import { useSession } from '../../../web/session.js';
import type { CallPlan, ChangeRequestBody, PlanChange, Visit, VisitRoute } from '../visits.contract.js';

// The server's Zod contracts as types only (the schemas are not shipped to the browser).
export type { CallPlan, PlanChange, Visit, VisitRoute } from '../visits.contract.js';
export type Weekday = CallPlan['weekday'];
export type Today = { date: string; timeZone: string; managerId: string; visits: Visit[]; next: Visit | null };
export type Counts = {
  scheduled: number; onTime: number; late: number; early: number; missed: number; missedWithoutReason: number; moved: number; upcoming: number; due: number;
  visitRate: number | null; onTimeRate: number | null;
};
export type Compliance = {
  from: string; to: string;
  managers: (Counts & { managerId: string; name: string; teamId: string | null })[];
  teams: (Counts & { teamId: string | null; name: string | null })[];
  total: Counts;
};
export type DayProposal = {
  routeId: string; weekday: Weekday; timeZone: string; complete: boolean; departure: string; returnTime: string; travelMinutes: number; travelMetres: number;
  stops: { position: number; planId: string; accountId: string; siteId: string | null; fixed: boolean; currentStart: string; proposedStart: string; proposedEnd: string; arrival: string; travelMinutesFromPrevious: number }[];
  unassigned: { planId: string; accountId: string; code: string; reason: string }[];
  changes: { planId: string; version: number; slot: Record<string, unknown> }[];
};
export type CalendarFeed = { id: string; name: string; createdAt: string; lastUsedAt: string | null; revokedAt: string | null };
export type CreatedFeed = CalendarFeed & { token: string; url: string };
type Items<T> = { items: T[] };

/** Roles that have a visit program or oversee one (the server scopes what each sees). */
export const programRoles: Me['role'][] = ['admin', 'director', 'manager', 'executive'];
/** Roles that decide on slot changes. */
export const approverRoles: Me['role'][] = ['admin', 'director'];

export const WEEKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

const etag = (id: string, version: number) => `"${id}.${version}"`;

/**
 * The managers whose visit program the user may look at: a manager only themselves; a director
 * themselves and the managers of the teams they direct; admin and executive every manager.
 */
export function useManagers() {
  const { me } = useSession();
  const oversees = me?.role === 'director' || me?.role === 'admin' || me?.role === 'executive';
  const staff = useStaff(oversees);
  const teams = useTeams(oversees);
  const managers = useMemo(() => {
    if (!me) return [];
    if (!oversees) return [{ id: me.id, name: me.name }];
    const directed = new Set((teams.data?.items ?? []).filter((t) => t.directorId === me.id).map((t) => t.id));
    const users = (staff.data?.items ?? []).filter((u) => u.active && u.role === 'manager' && (me.role !== 'director' || (u.teamId !== null && directed.has(u.teamId))));
    const list = users.map((u) => ({ id: u.id, name: u.name })).sort((a, b) => a.name.localeCompare(b.name));
    return me.role === 'director' ? [{ id: me.id, name: me.name }, ...list] : list;
  }, [me, oversees, staff.data, teams.data]);
  return { managers, loading: oversees && (staff.isPending || teams.isPending), error: staff.error ?? teams.error };
}

export const usePlans = (params: { managerId?: string; accountId?: string; routeId?: string; status?: 'active' | 'ended' }, enabled = true) =>
  useQuery({ queryKey: ['visits', 'plans', params], queryFn: ({ signal }) => api<Items<CallPlan>>(`/call-plans${toQuery(params)}`, { signal }), enabled });

export const useRoutes = (managerId: string | undefined) =>
  useQuery({ queryKey: ['visits', 'routes', managerId], queryFn: ({ signal }) => api<Items<VisitRoute>>(`/visit-routes${toQuery({ managerId })}`, { signal }), enabled: !!managerId });

export const usePlanHistory = (planId: string | null) =>
  useQuery({ queryKey: ['visits', 'history', planId], queryFn: ({ signal }) => api<Items<PlanChange>>(`/call-plans/${planId}/history`, { signal }), enabled: !!planId });

export const useChanges = (params: { status?: PlanChange['status']; managerId?: string }) =>
  useQuery({ queryKey: ['visits', 'changes', params], queryFn: ({ signal }) => api<Items<PlanChange>>(`/call-plan-changes${toQuery(params)}`, { signal }) });

export const useVisits = (params: { from?: string; to?: string; managerId?: string; accountId?: string; limit?: number }, enabled = true) =>
  useQuery({ queryKey: ['visits', 'visits', params], queryFn: ({ signal }) => api<Items<Visit>>(`/visits${toQuery(params)}`, { signal }), enabled });

export const useToday = (managerId?: string) =>
  useQuery({ queryKey: ['visits', 'today', managerId ?? 'me'], queryFn: ({ signal }) => api<Today>(`/visits/today${toQuery({ managerId })}`, { signal }) });

export const useCompliance = (params: { from: string; to: string; managerId?: string; teamId?: string }) =>
  useQuery({ queryKey: ['visits', 'compliance', params], queryFn: ({ signal }) => api<Compliance>(`/visits/compliance${toQuery(params)}`, { signal }) });

export const useFeeds = () => useQuery({ queryKey: ['visits', 'feeds'], queryFn: ({ signal }) => api<Items<CalendarFeed>>('/calendar/feeds', { signal }) });

/** The contacts of an account (the person who asked for a customer-requested change). */
export const useAccountContacts = (accountId: string | null | undefined) =>
  useQuery({
    queryKey: ['visits', 'contacts', accountId],
    queryFn: ({ signal }) => api<Page<Contact>>(`/contacts${toQuery({ accountId, limit: 100, sort: 'name' })}`, { signal }),
    enabled: !!accountId, staleTime: 5 * 60_000,
  });

/** Sites by id (call plans and visits carry only the id), each cached on its own. */
export function useSitesById(ids: (string | null | undefined)[]): Map<string, Site> {
  const unique = [...new Set(ids.filter((x): x is string => !!x))].sort();
  const results = useQueries({
    queries: unique.map((id) => ({ queryKey: ['visits', 'site', id], queryFn: () => api<Site>(`/sites/${id}`), staleTime: 10 * 60_000 })),
  });
  const data = results.map((r) => r.data);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  return useMemo(() => new Map(data.filter((s): s is Site => !!s).map((s) => [s.id, s])), [data.map((s) => s?.id ?? '').join(',')]);
}

/** Changes a slot with a reason (If-Match: the plan's version as read). */
export function useRequestChange() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ plan, body }: { plan: CallPlan; body: ChangeRequestBody }) =>
      api<{ change: PlanChange; plan: CallPlan }>(`/call-plans/${plan.id}/changes`, { method: 'POST', body, headers: { 'if-match': etag(plan.id, plan.version) } }),
    onSettled: () => { void qc.invalidateQueries({ queryKey: ['visits'] }); },
  });
}

export function useDecide() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, decision, note }: { id: string; decision: 'approve' | 'reject'; note?: string }) =>
      api(`/call-plan-changes/${id}/${decision}`, { method: 'POST', body: note ? { note } : {} }),
    onSettled: () => { void qc.invalidateQueries({ queryKey: ['visits'] }); },
  });
}

export function useSubmitBatch() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { reason: 'route_optimisation'; note?: string; changes: DayProposal['changes'] }) => api<Items<PlanChange>>('/call-plan-changes/batch', { method: 'POST', body }),
    onSettled: () => { void qc.invalidateQueries({ queryKey: ['visits'] }); },
  });
}

/** Writes to one visit (check-in, check-out, missed); the today view and lists refresh. */
export function useVisitAction<B>(action: 'check-in' | 'check-out' | 'missed') {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: B }) => api<Visit>(`/visits/${id}/${action}`, { method: 'POST', body }),
    onSettled: () => { void qc.invalidateQueries({ queryKey: ['visits'] }); },
  });
}
