/** Types and queries of the import page and the revenue tab (the server's Zod contracts as types only). */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import type { z } from 'zod';
import { api, ApiError, toQuery } from '../../../web/api/client.js';
import type { Role } from '../../../web/api/types.js';
import type {
  ImportJob, ImportKind as ImportKindSchema, ImportOptions, PreviewResult as PreviewResultSchema, SavedMapping, Trend as TrendSchema, UploadResult as UploadResultSchema,
} from '../sales.contract.js';
export { importRoles, salesReadRoles } from './sales-roles.js';

export type { ImportJob, ImportOptions, SavedMapping };
export type ImportKind = z.infer<typeof ImportKindSchema>;
export type UploadResult = z.infer<typeof UploadResultSchema>;
export type PreviewResult = z.infer<typeof PreviewResultSchema>;
export type Trend = z.infer<typeof TrendSchema>;
export type Mapping = Record<string, string>;

/** What each role may import: sales and accounts need account:write, products product:write. */
export const kindsFor = (role: Role | undefined): ImportKind[] => {
  if (role === 'admin') return ['sales', 'accounts', 'products'];
  if (role === 'director' || role === 'manager') return ['sales', 'accounts'];
  if (role === 'logistics') return ['products'];
  return [];
};

export const dateFormats = ['YYYY-MM-DD', 'DD/MM/YYYY', 'MM/DD/YYYY', 'YYYY/MM/DD', 'YYYYMMDD'] as const;
export const encodings = ['utf-8', 'gb18030'] as const;
export const delimiters = [',', ';', '\t', '|'] as const;
export const separators = [',', ' ', "'", ''] as const;
export const runningStatuses: ImportJob['status'][] = ['queued', 'running'];

const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const isXlsx = (file: File) => /\.xlsx$/i.test(file.name) || file.type === xlsxType;

/** The content type an upload route reads a spreadsheet file by: XLSX, else CSV. */
export const spreadsheetType = (file: File): string => (isXlsx(file) ? xlsxType : 'text/csv');

/** Sends the file's bytes as the body (the upload routes take no multipart). */
export function uploadImport(kind: ImportKind, file: File, opts: { encoding: string; delimiter: string }): Promise<UploadResult> {
  return api<UploadResult>(`/imports/${kind}${toQuery({ fileName: file.name.slice(0, 200), encoding: opts.encoding, delimiter: opts.delimiter })}`,
    { method: 'POST', file, headers: { 'content-type': spreadsheetType(file) } });
}

export const useJobs = () =>
  useQuery({
    queryKey: ['sales', 'imports'],
    queryFn: ({ signal }) => api<{ items: ImportJob[]; nextCursor: string | null }>('/imports?limit=20', { signal }),
  });

/** One import, polled while it is queued or running. */
export const useJob = (id: string | null) =>
  useQuery({
    queryKey: ['sales', 'import', id],
    queryFn: ({ signal }) => api<ImportJob>(`/imports/${id}`, { signal }),
    enabled: !!id,
    refetchInterval: (q) => (q.state.data && runningStatuses.includes(q.state.data.status) ? 400 : false),
  });

export const usePreview = (jobId: string | null, mapping: Mapping, options: ImportOptions) =>
  useQuery({
    queryKey: ['sales', 'preview', jobId, mapping, options],
    queryFn: ({ signal }) => api<PreviewResult>(`/imports/${jobId}/preview`, { method: 'POST', body: { mapping, options, rows: 20 }, signal }),
    enabled: !!jobId,
    placeholderData: (prev) => prev,
    staleTime: Infinity,
  });

export const useMappings = (kind: ImportKind) =>
  useQuery({ queryKey: ['sales', 'mappings', kind], queryFn: ({ signal }) => api<{ items: SavedMapping[] }>(`/import-mappings${toQuery({ kind })}`, { signal }) });

export function useSaveMapping() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { kind: ImportKind; name: string; mapping: Mapping; options: ImportOptions }) => api<SavedMapping>('/import-mappings', { method: 'POST', body }),
    onSuccess: (m) => qc.invalidateQueries({ queryKey: ['sales', 'mappings', m.kind] }),
  });
}

export function useDeleteMapping() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (m: SavedMapping) => api<void>(`/import-mappings/${m.id}`, { method: 'DELETE' }),
    onSuccess: (_r, m) => qc.invalidateQueries({ queryKey: ['sales', 'mappings', m.kind] }),
  });
}

export const runImport = (id: string, body: { mapping: Mapping; options: ImportOptions; dryRun: boolean }) => api<ImportJob>(`/imports/${id}/run`, { method: 'POST', body });
export const cancelImport = (id: string) => api<ImportJob>(`/imports/${id}/cancel`, { method: 'POST' });

export const useTrend = (accountId: string) =>
  useQuery({ queryKey: ['sales', 'trend', accountId], queryFn: ({ signal }) => api<Trend>(`/accounts/${accountId}/revenue-trend`, { signal }) });

const reasons: [RegExp, string][] = [
  [/^missing value$/, 'sales.reasons.missing'],
  [/^not a valid date in the format (?<format>.+)$/, 'sales.reasons.badDate'],
  [/^not a number$/, 'sales.reasons.notNumber'],
  [/^more than (?<n>\d+) decimal places for (?<currency>[A-Z]{3})$/, 'sales.reasons.decimalsFor'],
  [/^more than (?<n>\d+) decimal places$/, 'sales.reasons.decimals'],
  [/^too large$/, 'sales.reasons.tooLarge'],
  [/^unknown account code$/, 'sales.reasons.unknownAccount'],
  [/^unknown SKU$/, 'sales.reasons.unknownSku'],
  [/^unknown currency$/, 'sales.reasons.unknownCurrency'],
  [/^not a positive whole number$/, 'sales.reasons.notPositive'],
  [/^duplicate .*\(first at line (?<line>\d+)\)$/, 'sales.reasons.duplicate'],
  [/^required column (?<field>\w+) is not mapped$/, 'sales.reasons.notMapped'],
  [/^required column is missing$/, 'sales.reasons.columnMissing'],
  [/^mapped column is missing$/, 'sales.reasons.mappedMissing'],
  [/^longer than (?<n>\d+) characters$/, 'sales.reasons.tooLong'],
  [/^one of (?<list>.+)$/, 'sales.reasons.oneOf'],
];

/** A line error's reason in the user's language (the server gives it in English); unknown reasons as they are. */
export function reasonText(t: TFunction, reason: string): string {
  for (const [re, key] of reasons) {
    const m = re.exec(reason);
    if (m) return t(key, { ...m.groups, field: m.groups?.field ? t(`sales.fields.${m.groups.field}`, { defaultValue: m.groups.field }) : undefined });
  }
  return reason;
}
