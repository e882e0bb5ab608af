/** Queries and mutations of the hazard and advisory API, shared by the hazard pages and the account Risk tab. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import { api, ApiError, toQuery, type QueryValue } from '../../../web/api/client.js';
import type { Page } from '../../../web/api/types.js';
import type {
  Advisory as AdvisorySchema, AccountRisk as AccountRiskSchema, Notification as NotificationSchema, NotificationList as NotificationListSchema, NotificationMessage as NotificationMessageSchema,
} from '../advisories.contract.js';
import type {
  AlertDetail as AlertDetailSchema, AlertListItem as AlertListItemSchema, AlertSummary as AlertSummarySchema, CapIssue as CapIssueSchema, InsuranceGap as InsuranceGapSchema, InsuranceGaps as InsuranceGapsSchema, Match as MatchSchema,
  ReplayResult as ReplayResultSchema, SiteRisk as SiteRiskSchema, SwathResult as SwathResultSchema, Track as TrackSchema, TrackDetail as TrackDetailSchema,
  UpdateSiteRiskBody as UpdateSiteRiskBodySchema, UploadResult as UploadResultSchema,
} from '../hazards.contract.js';

export type AlertSummary = z.infer<typeof AlertSummarySchema>;
export type AlertDetail = z.infer<typeof AlertDetailSchema>;
export type AlertListItem = z.infer<typeof AlertListItemSchema>;
export type CapIssue = z.infer<typeof CapIssueSchema>;
export type SiteRisk = z.infer<typeof SiteRiskSchema>;
export type InsuranceGap = z.infer<typeof InsuranceGapSchema>;
export type InsuranceGaps = z.infer<typeof InsuranceGapsSchema>;
export type UnrankedGap = InsuranceGaps['unknown']['items'][number];
export type Match = z.infer<typeof MatchSchema>;
export type Track = z.infer<typeof TrackSchema>;
export type TrackDetail = z.infer<typeof TrackDetailSchema>;
export type SwathResult = z.infer<typeof SwathResultSchema>;
export type ReplayResult = z.infer<typeof ReplayResultSchema>;
export type UploadResult = z.infer<typeof UploadResultSchema>;
export type UpdateSiteRiskBody = z.input<typeof UpdateSiteRiskBodySchema>;
export type Advisory = z.infer<typeof AdvisorySchema>;
export type AccountRisk = z.infer<typeof AccountRiskSchema>;
export type Notification = z.infer<typeof NotificationSchema>;
export type NotificationList = z.infer<typeof NotificationListSchema>;
export type NotificationMessage = z.infer<typeof NotificationMessageSchema>;
export type AdvisoryStatus = Advisory['status'];
export type WindKt = 34 | 50 | 64;

export const advisoryStatuses: readonly AdvisoryStatus[] = ['open', 'contacted', 'actioned', 'closed'];
export const contactChannels = ['phone', 'wechat', 'visit', 'email', 'sms', 'other'] as const;
export const dealerDecisions = ['move_stock', 'partial_move', 'protect_in_place', 'declined', 'other'] as const;

/** The ETag the server expects back in If-Match for a versioned record. */
export const etag = (id: string, version: number) => `"${id}.${version}"`;

/** Every page of a cursor-paged list, up to `max` rows (maps and boards need the whole set). */
async function allPages<T>(path: string, params: Record<string, QueryValue>, signal?: AbortSignal, max = 2000): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await api<Page<T>>(`${path}${toQuery({ ...params, limit: 200, cursor })}`, { signal });
    out.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor && out.length < max);
  return out;
}

// ---------- warnings

export const useAlerts = (state: 'active' | 'all', lang: string) =>
  useQuery({ queryKey: ['hazards', 'alerts', state, lang], queryFn: ({ signal }) => allPages<AlertSummary>('/hazards/alerts', { state, lang }, signal, 400) });

export const useAlert = (id: string | null, lang: string) =>
  useQuery({ queryKey: ['hazards', 'alert', id, lang], queryFn: ({ signal }) => api<AlertDetail>(`/hazards/alerts/${id}${toQuery({ lang })}`, { signal }), enabled: !!id });

/** The active warnings with their areas and matched-site counts, in one request (`include=areas`). */
export const useActiveAreas = (lang: string) =>
  useQuery({
    queryKey: ['hazards', 'active-areas', lang],
    queryFn: async ({ signal }) => {
      const active = await allPages<AlertListItem>('/hazards/alerts', { state: 'active', lang, include: 'areas' }, signal, 200);
      return active.map((a) => ({ ...a, areasGeoJson: a.areasGeoJson ?? { type: 'FeatureCollection' as const, features: [] }, matchedSites: a.matchedSites ?? 0 }));
    },
  });

export const useMatches = (lang?: string) => useQuery({ queryKey: ['hazards', 'matches', lang], queryFn: ({ signal }) => api<Match[]>(`/hazards/matches${toQuery({ limit: 1000, lang })}`, { signal }) });

/** Every site in scope with its exposure data (large: load it only when it is shown). */
export const useSiteRisks = (enabled = true) =>
  useQuery({ queryKey: ['hazards', 'site-risk'], queryFn: ({ signal }) => allPages<SiteRisk>('/hazards/site-risk', {}, signal, 3000), staleTime: 60_000, enabled });

/** One page of the ranked gaps and one page of the sites that cannot be ranked (stock value or insurance not recorded). */
export const useInsuranceGaps = (q: { withinDays: number; offset: number; limit: number; unknownOffset: number; unknownLimit: number }) =>
  useQuery({
    queryKey: ['hazards', 'insurance-gaps', q],
    queryFn: ({ signal }) => api<InsuranceGaps>(`/hazards/insurance-gaps${toQuery(q)}`, { signal }),
    placeholderData: (previous) => previous,
  });

// ---------- tracks

export const useTracks = () => useQuery({ queryKey: ['hazards', 'tracks'], queryFn: ({ signal }) => api<Track[]>('/hazards/tracks', { signal }) });
export const useTrack = (id: string | null) =>
  useQuery({ queryKey: ['hazards', 'track', id], queryFn: ({ signal }) => api<TrackDetail>(`/hazards/tracks/${id}`, { signal }), enabled: !!id, staleTime: Infinity });
export const useSwath = (id: string | null, kt: WindKt, enabled: boolean) =>
  useQuery({ queryKey: ['hazards', 'swath', id, kt], queryFn: ({ signal }) => api<SwathResult>(`/hazards/tracks/${id}/swath?kt=${kt}`, { signal }), enabled: !!id && enabled, staleTime: 5 * 60_000 });
export const useReplay = (id: string | null, kt: WindKt) =>
  useQuery({ queryKey: ['hazards', 'replay', id, kt], queryFn: ({ signal }) => api<ReplayResult>(`/hazards/tracks/${id}/replay?kt=${kt}&stepMinutes=60`, { signal }), enabled: !!id, staleTime: 5 * 60_000 });

// ---------- raw uploads

/** A rejected upload: the server's reasons (code, message, where) when it gave them. */
export class UploadRejected extends Error {
  constructor(readonly status: number, readonly code: string, readonly detail: string, readonly reasons: CapIssue[]) {
    super(detail || code);
  }
}

/**
 * Posts a file's bytes as the body (the CAP and track routes read raw XML, CSV or JSON, not JSON
 * bodies), with the CSRF header `api()` would send. A 422 keeps the server's `reasons`.
 */
export async function uploadRaw<T>(path: string, file: File, contentType: string, csrfToken: string | null, query: Record<string, QueryValue> = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', 'content-type': contentType };
  if (csrfToken) headers['x-csrf-token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(`/api/v1${path}${toQuery({ ...query, filename: file.name.slice(0, 200) })}`, { method: 'POST', headers, body: file, credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, 'network', 'network');
  }
  const text = await res.text();
  let data: unknown = null;
  try { data = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
  if (!res.ok) {
    const p = (data ?? {}) as { code?: string; detail?: string; reasons?: CapIssue[]; errors?: { path: string; message: string }[] };
    if (p.reasons?.length || res.status === 422 || res.status === 413 || res.status === 415) throw new UploadRejected(res.status, p.code ?? `http_${res.status}`, p.detail ?? res.statusText, p.reasons ?? []);
    throw new ApiError(res.status, p.code ?? `http_${res.status}`, p.detail ?? res.statusText, p.errors ?? []);
  }
  return data as T;
}

export const capContentType = (file: File) => (/\.(atom|rss)$/i.test(file.name) ? 'application/xml' : 'application/cap+xml');
export const trackContentType = (file: File) => (/\.csv$/i.test(file.name) ? 'text/csv' : /json$/i.test(file.name) ? 'application/geo+json' : 'application/octet-stream');

/** After anything that can open, move or close an advisory: everything hazard-related is stale. */
export function useInvalidateHazards() {
  const qc = useQueryClient();
  return () => Promise.all([
    qc.invalidateQueries({ queryKey: ['hazards'] }),
    qc.invalidateQueries({ queryKey: ['advisories'] }),
    qc.invalidateQueries({ queryKey: ['account-risk'] }),
    qc.invalidateQueries({ queryKey: ['notifications'] }),
  ]);
}

// ---------- advisories

export const useAdvisories = (params: { status?: AdvisoryStatus | undefined; mine?: boolean; lang: string }) =>
  useQuery({
    queryKey: ['advisories', params],
    queryFn: ({ signal }) => allPages<Advisory>('/advisories', { status: params.status, mine: params.mine ? 'true' : undefined, lang: params.lang }, signal, 1000),
  });

export type AdvisoryStep =
  | { kind: 'contact'; body: { at?: string; channel: (typeof contactChannels)[number]; notes: string | null } }
  | { kind: 'decision'; body: { decision: (typeof dealerDecisions)[number]; actionTaken: string; at?: string } }
  | { kind: 'outcome'; body: { valueSavedMinor: number; lossesMinor: number; movingCostMinor: number; currency?: string; notes: string | null } };

export function useAdvisoryStep() {
  const invalidate = useInvalidateHazards();
  return useMutation({
    mutationFn: ({ advisory, step }: { advisory: Advisory; step: AdvisoryStep }) =>
      api<Advisory>(`/advisories/${advisory.id}/${step.kind}`, { method: 'POST', body: step.body, headers: { 'if-match': etag(advisory.id, advisory.version) } }),
    onSuccess: () => invalidate(),
  });
}

export const useAccountRisk = (accountId: string, lang: string) =>
  useQuery({ queryKey: ['account-risk', accountId, lang], queryFn: ({ signal }) => api<AccountRisk>(`/accounts/${accountId}/risk${toQuery({ lang })}`, { signal }) });

export function useSaveSiteRisk() {
  const invalidate = useInvalidateHazards();
  return useMutation({
    mutationFn: ({ site, body }: { site: SiteRisk; body: UpdateSiteRiskBody }) =>
      api<SiteRisk>(`/sites/${site.siteId}/risk`, { method: 'PUT', body, headers: { 'if-match': etag(site.siteId, site.version) } }),
    onSuccess: () => invalidate(),
  });
}

// ---------- notifications

export const useNotifications = (enabled = true) =>
  useQuery({ queryKey: ['notifications'], queryFn: ({ signal }) => api<NotificationList>('/notifications?limit=30', { signal }), refetchInterval: 60_000, enabled });

export function useMarkRead() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string | 'all') => (id === 'all' ? api('/notifications/read-all', { method: 'POST' }) : api(`/notifications/${id}/read`, { method: 'POST' })),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['notifications'] }),
  });
}

/** Yuan as typed (e.g. "1,234.5") to integer fen, without floating-point drift; null when not a valid amount. */
export function yuanToFen(input: string): number | null {
  const s = input.replace(/[,\s，¥￥]/g, '');
  if (s === '') return 0;
  const m = /^(\d{1,13})(?:\.(\d{0,2}))?$/.exec(s);
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

/** Integer fen to a yuan string for an input ("1234.50"). */
export const fenToYuan = (fen: number) => `${Math.trunc(fen / 100)}.${String(Math.abs(fen % 100)).padStart(2, '0')}`;
