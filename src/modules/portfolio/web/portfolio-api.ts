/** Types, filters and queries of the 80/20 pages (the server's Zod contracts as types only). */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';
import type { z } from 'zod';
import type { Role } from '../../../web/api/types.js';
import { api, toQuery, type QueryValue } from '../../../web/api/client.js';
import type {
  ApplyTiersResult as ApplyTiersResultSchema, Attention as AttentionSchema, Designation as DesignationSchema, Moves as MovesSchema,
  Segmentation as SegmentationSchema,
} from '../portfolio.contract.js';
export { salesReadRoles } from '../../sales/web/sales-roles.js';

export type Segmentation = z.infer<typeof SegmentationSchema>;
export type SegmentRow = Segmentation['items'][number];
export type ParetoPoint = Segmentation['curve']['points'][number];
export type ScopeKind = Segmentation['scope']['kind'];

/** Rows of the ABC table per page (a page stays about a screen and a half long). */
export const TABLE_PAGE = 25;
export type Moves = z.infer<typeof MovesSchema>;
export type Move = Moves['rose'][number];
export type Attention = z.infer<typeof AttentionSchema>;
export type TierTime = Attention['byManager'][number]['tiers'][number];
export type Designation = z.infer<typeof DesignationSchema>;
export type ApplyTiersResult = z.infer<typeof ApplyTiersResultSchema>;
export type Tier = 'A' | 'B' | 'C';
export const tiers: Tier[] = ['A', 'B', 'C'];

/** Roles that may designate key accounts (account:write). */
export const designateRoles: Role[] = ['admin', 'director', 'manager'];
/** Roles offered "apply tiers" (the server allows account:write; writing tiers company-wide is a director's call). */
export const applyTiersRoles: Role[] = ['admin', 'director'];

/** Tier colours, the same as the tier badges (grape, blue, gray). */
export const tierColor: Record<Tier, string> = { A: '#9c36b5', B: '#1c7ed6', C: '#868e96' };

export type Preset = 'r12' | 'r6' | 'r3' | 'ytd' | 'ly' | 'custom';
export const presets: Preset[] = ['r12', 'r6', 'r3', 'ytd', 'ly', 'custom'];
export type Basis = 'revenue' | 'margin';

/** The analysis controls, kept in the address so a view can be shared and survives a reload. */
export type Filters = { preset: Preset; from?: string; to?: string; basis: Basis; thresholdA: number; thresholdB: number; category?: string };

const ym = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`;
/** YYYY-MM plus n months (n may be negative). */
export function addMonths(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return ym(new Date(y, m - 1 + n, 1));
}
export const monthsBetween = (from: string, to: string): number => {
  const [fy, fm] = from.split('-').map(Number) as [number, number];
  const [ty, tm] = to.split('-').map(Number) as [number, number];
  return (ty - fy) * 12 + (tm - fm) + 1;
};
const isMonth = (s: string | null): s is string => !!s && /^\d{4}-(0[1-9]|1[0-2])$/.test(s);

/** The window of a preset; undefined for the rolling 12 months, which the server computes from its clock. */
export function windowOf(f: Pick<Filters, 'preset' | 'from' | 'to'>, now = new Date()): { from?: string; to?: string } {
  const cur = ym(now);
  switch (f.preset) {
    case 'r6': return { from: addMonths(cur, -5), to: cur };
    case 'r3': return { from: addMonths(cur, -2), to: cur };
    case 'ytd': return { from: `${now.getFullYear()}-01`, to: cur };
    case 'ly': return { from: `${now.getFullYear() - 1}-01`, to: `${now.getFullYear() - 1}-12` };
    case 'custom': return f.from && f.to && f.from <= f.to ? { from: f.from, to: f.to } : {};
    default: return {};
  }
}

export function useFilters(): [Filters, (patch: Partial<Filters>) => void] {
  const [params, setParams] = useSearchParams();
  const num = (k: string, d: number) => { const v = Number(params.get(k)); return Number.isFinite(v) && v > 0 && v < 100 ? v / 100 : d; };
  const preset = (presets as string[]).includes(params.get('window') ?? '') ? params.get('window') as Preset : 'r12';
  const from = params.get('from');
  const to = params.get('to');
  const filters: Filters = {
    preset,
    from: isMonth(from) ? from : undefined,
    to: isMonth(to) ? to : undefined,
    basis: params.get('basis') === 'margin' ? 'margin' : 'revenue',
    thresholdA: num('a', 0.8),
    thresholdB: num('b', 0.95),
    category: params.get('category') || undefined,
  };
  const set = (patch: Partial<Filters>) => {
    const next = { ...filters, ...patch };
    const p = new URLSearchParams(params);
    const put = (k: string, v: string | undefined, dflt?: string) => { if (v === undefined || v === dflt) p.delete(k); else p.set(k, v); };
    put('window', next.preset, 'r12');
    put('from', next.preset === 'custom' ? next.from : undefined);
    put('to', next.preset === 'custom' ? next.to : undefined);
    put('basis', next.basis, 'revenue');
    put('a', String(Math.round(next.thresholdA * 100)), '80');
    put('b', String(Math.round(next.thresholdB * 100)), '95');
    put('category', next.category);
    setParams(p, { replace: true });
  };
  return [filters, set];
}

/** The query string the segment, attention and export endpoints share. */
export function segmentQuery(f: Filters): Record<string, QueryValue> {
  const w = windowOf(f);
  return { basis: f.basis, from: w.from, to: w.to, thresholdA: f.thresholdA, thresholdB: Math.max(f.thresholdB, f.thresholdA), category: f.category };
}

/** One page of the ABC table (or of the key accounts), with the scope's tier totals and Pareto curve. */
export const useSegments = (f: Filters, page: { keyOnly?: boolean; cursor?: string | undefined; limit?: number } = {}) => {
  const what = page.keyOnly ? 'key-accounts' : 'segments';
  const q = { ...segmentQuery(f), limit: page.limit ?? TABLE_PAGE, cursor: page.cursor };
  return useQuery({
    queryKey: ['portfolio', what, q],
    queryFn: ({ signal }) => api<Segmentation>(`/portfolio/${what}${toQuery(q)}`, { signal }),
    placeholderData: (prev) => prev,
  });
};

/** Tier moves: the window against the period of the same length just before it. */
export const useMoves = (f: Filters) => {
  const w = windowOf(f);
  const q: Record<string, QueryValue> = { ...segmentQuery(f) };
  if (w.from && w.to) {
    const len = monthsBetween(w.from, w.to);
    q.previousTo = addMonths(w.from, -1);
    q.previousFrom = addMonths(w.from, -len);
  }
  return useQuery({ queryKey: ['portfolio', 'moves', q], queryFn: ({ signal }) => api<Moves>(`/portfolio/tier-moves${toQuery(q)}`, { signal }), placeholderData: (prev) => prev });
};

export const useAttention = (f: Filters) => {
  const q = segmentQuery(f);
  return useQuery({ queryKey: ['portfolio', 'attention', q], queryFn: ({ signal }) => api<Attention>(`/portfolio/attention${toQuery(q)}`, { signal }), placeholderData: (prev) => prev });
};

/** Product categories, from the catalogue (one page of 200 covers a building-materials range). */
export const useCategories = () =>
  useQuery({
    queryKey: ['portfolio', 'categories'],
    queryFn: async ({ signal }) => {
      const page = await api<{ items: { category: string }[] }>('/products?limit=200', { signal });
      return [...new Set(page.items.map((p) => p.category))].sort();
    },
    staleTime: 10 * 60_000,
  });

export function useDesignate() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ accountId, keyAccount, reason }: { accountId: string; keyAccount: boolean; reason: string }) =>
      api<Designation>(`/portfolio/key-accounts/${accountId}`, { method: 'PUT', body: { keyAccount, reason } }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['portfolio'] }),
  });
}

export function useApplyTiers() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ filters, dryRun }: { filters: Filters; dryRun: boolean }) => {
      const q = segmentQuery(filters);
      const body = Object.fromEntries(Object.entries(q).filter(([, v]) => v !== undefined));
      return api<ApplyTiersResult>('/portfolio/apply-tiers', { method: 'POST', body: { ...body, dryRun } });
    },
    onSuccess: (r) => {
      if (r.dryRun) return;
      void qc.invalidateQueries({ queryKey: ['portfolio'] });
      void qc.invalidateQueries({ queryKey: ['account'] });
      void qc.invalidateQueries({ queryKey: ['accounts'] });
    },
  });
}

/** Download address of an XLSX export (same origin; the session cookie goes along). */
export const exportUrl = (what: 'segments' | 'key-accounts' | 'attention', f: Filters): string => `/api/v1/portfolio/${what}/export${toQuery(segmentQuery(f))}`;

/** +0.039 → "+3.9%", −0.44 → "−44.0%" in the current locale: a change, with its sign. */
export function signedPercent(locale: string, change: number, digits = 1): string {
  return new Intl.NumberFormat(locale, { style: 'percent', signDisplay: 'exceptZero', minimumFractionDigits: digits, maximumFractionDigits: digits }).format(change);
}

/** 0.1234 → "12.3%" in the current locale. */
export function percent(locale: string, share: number | null | undefined, digits = 1): string {
  if (share === null || share === undefined || !Number.isFinite(share)) return '–';
  return new Intl.NumberFormat(locale, { style: 'percent', minimumFractionDigits: digits, maximumFractionDigits: digits }).format(share);
}
