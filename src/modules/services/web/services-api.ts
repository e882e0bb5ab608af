/** Queries and writes of the services API, shared by the services pages, the account tab and the portal. */
import { useInfiniteQuery, useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import { api, toQuery, type QueryValue } from '../../../web/api/client.js';
import type { Page, User } from '../../../web/api/types.js';
import type {
  AccountServices as AccountServicesSchema, CostRow as CostRowSchema, CreateEntitlementBody, CreateServiceKindBody, Entitlement as EntitlementT,
  OpenRequestBody, QueueSummary as QueueSummarySchema, RecordUsageBody, RequestEvent as RequestEventT, ServiceBalance as ServiceBalanceT,
  ServiceKind as ServiceKindT, ServiceLevel as ServiceLevelSchema, ServiceRequest as ServiceRequestT, ServiceRequestDetail as ServiceRequestDetailSchema,
  UpdateEntitlementBody, UpdateServiceKindBody, Usage as UsageT, WorkingTimeInfo as WorkingTimeInfoSchema,
} from '../services.contract.js';
import type { Department, Priority, RequestStatus } from '../services.domain.js';

export type ServiceKind = ServiceKindT;
export type Entitlement = EntitlementT;
export type ServiceBalance = ServiceBalanceT;
export type ServiceRequest = ServiceRequestT;
export type RequestEvent = RequestEventT;
export type Usage = UsageT;
export type CostRow = z.infer<typeof CostRowSchema>;
export type AccountServices = z.infer<typeof AccountServicesSchema>;
export type ServiceRequestDetail = z.infer<typeof ServiceRequestDetailSchema>;
export type QueueSummary = z.infer<typeof QueueSummarySchema>;
export type ServiceLevel = z.infer<typeof ServiceLevelSchema>;
export type WorkingTimeInfo = z.infer<typeof WorkingTimeInfoSchema>;
export type OpenRequest = z.input<typeof OpenRequestBody>;
export type RecordUsage = z.input<typeof RecordUsageBody>;
export type CreateServiceKind = z.input<typeof CreateServiceKindBody>;
export type UpdateServiceKind = z.input<typeof UpdateServiceKindBody>;
export type CreateEntitlement = z.input<typeof CreateEntitlementBody>;
export type UpdateEntitlement = z.input<typeof UpdateEntitlementBody>;

export type RequestFilters = {
  department?: Department; accountId?: string; status?: RequestStatus | 'active' | 'all'; sla?: 'ok' | 'warning' | 'breached';
  assignee?: 'me' | 'none'; priority?: Priority; q?: string; sort?: 'due' | '-created'; limit?: number;
};

const key = {
  kinds: ['services', 'kinds'] as const,
  entitlements: (p: Record<string, QueryValue>) => ['services', 'entitlements', p] as const,
  account: (id: string) => ['services', 'account', id] as const,
  portal: ['services', 'portal'] as const,
  requests: (f: RequestFilters) => ['services', 'requests', f] as const,
  request: (id: string) => ['services', 'request', id] as const,
  queues: ['services', 'queues'] as const,
  levels: ['services', 'levels'] as const,
  usage: (p: Record<string, QueryValue>) => ['services', 'usage', p] as const,
};

/** After any write: every services answer may have changed (balances, counts, SLA states). */
export const invalidateServices = (qc: QueryClient) => qc.invalidateQueries({ queryKey: ['services'] });

export const useServiceKinds = (enabled = true) =>
  useQuery({ queryKey: key.kinds, queryFn: () => api<{ items: ServiceKind[] }>('/service-kinds'), staleTime: 5 * 60_000, enabled, select: (d) => d.items });

export const useEntitlements = (params: { accountId?: string; serviceKindId?: string; scope?: string } = {}) =>
  useQuery({ queryKey: key.entitlements(params), queryFn: () => api<{ items: Entitlement[] }>(`/service-entitlements${toQuery(params)}`), select: (d) => d.items });

export const useAccountServices = (accountId: string) =>
  useQuery({ queryKey: key.account(accountId), queryFn: () => api<AccountServices>(`/accounts/${accountId}/services`) });

export const usePortalServices = () => useQuery({ queryKey: key.portal, queryFn: () => api<AccountServices>('/portal/services') });

/** A cursor-paged request list ("Load more" asks for the next page); refreshed each minute, as SLA clocks run. */
export const useRequests = (f: RequestFilters, enabled = true) =>
  useInfiniteQuery({
    queryKey: key.requests(f),
    queryFn: ({ pageParam, signal }) => api<Page<ServiceRequest>>(`/service-requests${toQuery({ ...f, cursor: pageParam })}`, { signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    refetchInterval: 60_000,
    enabled,
  });

export const useRequest = (id: string | undefined) =>
  useQuery({ queryKey: key.request(id ?? ''), queryFn: () => api<ServiceRequestDetail>(`/service-requests/${id}`), enabled: !!id, refetchInterval: 60_000 });

export const useQueues = (enabled = true) =>
  useQuery({ queryKey: key.queues, queryFn: () => api<{ items: QueueSummary[]; mine: Department | null }>('/service-queues'), refetchInterval: 60_000, enabled });

export const useServiceLevels = () =>
  useQuery({ queryKey: key.levels, queryFn: () => api<{ levels: ServiceLevel[]; workingTime: WorkingTimeInfo }>('/service-levels') });

export const useUsage = (params: { accountId?: string; serviceKindId?: string; limit?: number }) =>
  useQuery({ queryKey: key.usage(params), queryFn: () => api<Page<Usage>>(`/service-usage${toQuery(params)}`) });

/**
 * Who may take a department's requests: its members (any staff role with that department) and the
 * admins. /users filters by role, not by department, so each staff role is read (one page each).
 */
export const useDepartmentPeople = (department: Department, enabled: boolean) =>
  useQuery({
    queryKey: ['services', 'people', department],
    queryFn: async ({ signal }) => {
      const roles = ['service', 'logistics', 'admin', 'director', 'executive', 'manager'] as const;
      const pages = await Promise.all(roles.map((role) => api<Page<User>>(`/users${toQuery({ role, limit: 200 })}`, { signal })));
      return pages.flatMap((p) => p.items).filter((u) => u.active && (u.department === department || u.role === 'admin'));
    },
    enabled, staleTime: 5 * 60_000,
  });

/** A write that refreshes every services answer when it succeeds. */
export function useServicesWrite<TVars, TOut = unknown>(fn: (v: TVars) => Promise<TOut>) {
  const qc = useQueryClient();
  return useMutation({ mutationFn: fn, onSuccess: () => invalidateServices(qc) });
}

export const post = <T>(path: string, body: unknown) => api<T>(path, { method: 'POST', body });
export const patch = <T>(path: string, body: unknown) => api<T>(path, { method: 'PATCH', body });
export const put = <T>(path: string, body: unknown) => api<T>(path, { method: 'PUT', body });
export const del = (path: string) => api<void>(path, { method: 'DELETE' });

/** Request actions of the request page (each sends the version it was read at). */
export const requestActions = {
  message: (id: string, body: string, internal: boolean) => post<unknown>(`/service-requests/${id}/messages`, { body, internal }),
  status: (id: string, status: RequestStatus, note: string | null, version: number) => post<ServiceRequestDetail>(`/service-requests/${id}/status`, { status, note, version }),
  take: (id: string, version: number) => post<ServiceRequestDetail>(`/service-requests/${id}/take`, { version }),
  assign: (id: string, assigneeId: string | null, version: number) => post<ServiceRequestDetail>(`/service-requests/${id}/assign`, { assigneeId, version }),
  escalate: (id: string, note: string, version: number) => post<ServiceRequestDetail>(`/service-requests/${id}/escalate`, { note, version }),
};
