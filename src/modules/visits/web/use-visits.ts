import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import { api, type QueryValue, toQuery } from '../../../web/api/client.js';
import type { Contact, Me, Page, Site } from '../../../web/api/types.js';
import type {
  CallPlan, ChangeRequestBody, CreatePlanBody, CreateRouteBody, DayProposal as DayProposalSchema, OptimiseWeekBody, PlanChange, ProgramManager, UpdateRouteBody, Visit, VisitRoute,
  WeekProposal as WeekProposalSchema,
} from '../visits.contract.js';
export { programRoles, approverRoles } from './visits-roles.js';

// The server's Zod contracts as types only (the schemas are not shipped to the browser).
export type { CallPlan, PlanChange, ProgramManager, Visit, VisitRoute } from '../visits.contract.js';
export type DayProposal = z.infer<typeof DayProposalSchema>;
export type WeekProposal = z.infer<typeof WeekProposalSchema>;
export type Issue = DayProposal['unassigned'][number];
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
export type CalendarFeed = { id: string; name: string; createdAt: string; lastUsedAt: string | null; revokedAt: string | null };
export type CreatedFeed = CalendarFeed & { token: string; url: string };
type Items<T> = { items: T[] };


export const WEEKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

const etag = (id: string, version: number) => `"${id}.${version}"`;

/**
 * The managers whose visit program the user may look at (GET /visit-managers): a manager only
 * themselves; a director themselves and their teams' managers; admin and executive everyone.
 * `canPlan`: the user may create their plans and routes.
 */
export function useManagers() {
  const q = useQuery({ queryKey: ['visits', 'managers'], queryFn: ({ signal }) => api<Items<ProgramManager>>('/visit-managers', { signal }), staleTime: 5 * 60_000 });
  return { managers: q.data?.items ?? [], loading: q.isPending, error: q.error };
}

/** A cursor-paged list of the visit program ("Show more" fetches the next page). */
function usePagedList<T>(kind: string, path: string, params: Record<string, QueryValue>, enabled = true) {
  const q = useInfiniteQuery({
    queryKey: ['visits', kind, 'paged', params],
    queryFn: ({ pageParam, signal }) => api<Page<T>>(`${path}${toQuery({ ...params, cursor: pageParam })}`, { signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled,
  });
  return { ...q, items: q.data?.pages.flatMap((p) => p.items) ?? [] };
}

type PlanParams = { managerId?: string; accountId?: string; routeId?: string; status?: 'active' | 'ended'; sort?: string; limit?: number };
/** Plans page by page (lists with "Show more"). */
export const usePlansPaged = (params: PlanParams, enabled = true) => usePagedList<CallPlan>('plans', '/call-plans', params, enabled);

/** Every plan of the filter (the week calendar needs them all): follows the cursor to the end. */
export const usePlans = (params: PlanParams, enabled = true) =>
  useQuery({
    queryKey: ['visits', 'plans', 'all', params],
    queryFn: async ({ signal }) => {
      const items: CallPlan[] = [];
      let cursor: string | undefined;
      do {
        const page = await api<Page<CallPlan>>(`/call-plans${toQuery({ limit: 200, ...params, cursor })}`, { signal });
        items.push(...page.items);
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      return { items };
    },
    enabled,
  });

export const useRoutes = (managerId: string | undefined) =>
  useQuery({ queryKey: ['visits', 'routes', managerId], queryFn: ({ signal }) => api<Items<VisitRoute>>(`/visit-routes${toQuery({ managerId })}`, { signal }), enabled: !!managerId });

export const usePlanHistory = (planId: string | null) =>
  useQuery({ queryKey: ['visits', 'history', planId], queryFn: ({ signal }) => api<Items<PlanChange>>(`/call-plans/${planId}/history`, { signal }), enabled: !!planId });

export const useChanges = (params: { status?: PlanChange['status']; managerId?: string; limit?: number }) => usePagedList<PlanChange>('changes', '/call-plan-changes', params);

/** Visits page by page; `when`: upcoming (soonest first) or past (newest first), as the server orders them. */
export const useVisits = (params: { from?: string; to?: string; managerId?: string; accountId?: string; when?: 'upcoming' | 'past'; limit?: number; sort?: string }, enabled = true) =>
  usePagedList<Visit>('visits', '/visits', params, enabled);

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

/** The sites of an account (a plan's place; a route's base). */
export const useAccountSites = (accountId: string | null | undefined) =>
  useQuery({
    queryKey: ['visits', 'sites', accountId],
    queryFn: ({ signal }) => api<Page<Site>>(`/sites${toQuery({ accountId, limit: 100, sort: 'name' })}`, { signal }),
    enabled: !!accountId, staleTime: 5 * 60_000,
  });

/** Accounts in the user's scope, searched by name or code (for the plan and optimisation forms). */
export const useAccountSearch = (q: string) =>
  useQuery({
    queryKey: ['visits', 'accounts', q],
    queryFn: ({ signal }) => api<Page<{ id: string; name: string; code: string }>>(`/accounts${toQuery({ q: q || undefined, limit: 50, sort: 'name' })}`, { signal }),
    staleTime: 60_000, placeholderData: (prev) => prev,
  });

const invalidate = (qc: ReturnType<typeof useQueryClient>) => { void qc.invalidateQueries({ queryKey: ['visits'] }); };

export function useCreatePlan() {
  const qc = useQueryClient();
  return useMutation({ mutationFn: (body: Partial<CreatePlanBody>) => api<CallPlan>('/call-plans', { method: 'POST', body }), onSettled: () => invalidate(qc) });
}

export function useSaveRoute() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ route, body }: { route: VisitRoute | null; body: Partial<CreateRouteBody> | UpdateRouteBody }) => route
      ? api<VisitRoute>(`/visit-routes/${route.id}`, { method: 'PATCH', body, headers: { 'if-match': etag(route.id, route.version) } })
      : api<VisitRoute>('/visit-routes', { method: 'POST', body }),
    onSettled: () => invalidate(qc),
  });
}

export const useOptimiseWeek = () => useMutation({ mutationFn: (body: Partial<OptimiseWeekBody>) => api<WeekProposal>('/visit-routes/optimise-week', { method: 'POST', body }) });

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
