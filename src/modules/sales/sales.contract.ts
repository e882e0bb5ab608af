import { z } from 'zod';
import { dateFormats } from './sales.domain.js';

export const ImportKind = z.enum(['sales', 'accounts', 'products']);
export const ImportStatus = z.enum(['uploaded', 'queued', 'running', 'succeeded', 'failed', 'cancelled', 'expired']).describe('expired: not run within the upload age; its file was removed');

export const ImportOptions = z.strictObject({
  encoding: z.enum(['utf-8', 'gb18030', 'gbk']).default('utf-8').describe('Text encoding of a CSV file (UTF-8 with or without BOM, or GB18030/GBK)'),
  delimiter: z.enum([',', ';', '\t', '|']).default(',').describe('CSV field separator'),
  dateFormat: z.enum(dateFormats).default('YYYY-MM-DD').describe('How dates are written; never guessed'),
  thousandsSeparator: z.enum([',', ' ', "'", '']).default(',').describe('Removed from numbers before parsing; the decimal mark is always "."'),
  defaultCurrency: z.string().regex(/^[A-Z]{3}$/).nullable().default(null).describe('Currency of every line when the file has no currency column'),
});
export type ImportOptions = z.infer<typeof ImportOptions>;

export const Mapping = z.record(z.string().max(40), z.string().max(200)).describe('Field → file header, e.g. {"date": "日期", "accountCode": "客户编码"}');

export const FieldInfo = z.object({ key: z.string(), required: z.boolean() });

export const ImportJob = z.object({
  id: z.string(),
  kind: ImportKind,
  status: ImportStatus,
  fileName: z.string(),
  fileSize: z.number(),
  format: z.enum(['csv', 'xlsx']),
  dryRun: z.boolean(),
  options: ImportOptions.nullable(),
  mapping: Mapping.nullable(),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  processedLines: z.number().describe('Data lines read so far (excluding the header)'),
  processedBytes: z.number(),
  progress: z.number().nullable().describe('0–1 share of the file read (CSV); null when unknown (XLSX)'),
  phase: z.enum(['reading', 'merging']).nullable(),
  inserted: z.number(),
  updated: z.number(),
  unchanged: z.number(),
  skipped: z.number().describe('Empty lines'),
  errorCount: z.number(),
  errorsUrl: z.string().nullable().describe('CSV of the bad lines (line, column, value, reason)'),
  message: z.string().nullable(),
  errorCode: z.string().nullable().describe('Why it failed when there is no error file: file_too_complex, file_malformed, bad_header, internal'),
  fileRemovedAt: z.string().nullable().describe('When the uploaded file was removed (the job ended or expired); it cannot run again'),
});
export type ImportJob = z.infer<typeof ImportJob>;

export const UploadQuery = z.strictObject({
  fileName: z.string().trim().min(1).max(200).default('upload.csv'),
  encoding: ImportOptions.shape.encoding,
  delimiter: ImportOptions.shape.delimiter,
});

export const PreviewRow = z.object({ line: z.number(), values: z.record(z.string(), z.string()), errors: z.array(z.object({ column: z.string(), value: z.string(), reason: z.string() })) });

export const UploadResult = z.object({
  job: ImportJob,
  headers: z.array(z.string()),
  fields: z.array(FieldInfo),
  suggestedMapping: Mapping,
});

export const RunBody = z.strictObject({
  mapping: Mapping.optional().describe('Defaults to the saved mapping given by mappingId, else the one suggested from the header'),
  mappingId: z.string().uuid().optional(),
  options: ImportOptions.prefault({}),
  dryRun: z.boolean().default(false).describe('Validate and count what would change, write nothing'),
});
export type RunBody = z.infer<typeof RunBody>;

export const PreviewBody = RunBody.omit({ dryRun: true }).extend({ rows: z.number().int().min(1).max(200).default(20) });
export type PreviewBody = z.infer<typeof PreviewBody>;

export const PreviewResult = z.object({
  headers: z.array(z.string()),
  mapping: Mapping,
  headerErrors: z.array(z.object({ column: z.string(), reason: z.string() })),
  rows: z.array(PreviewRow),
});

export const JobQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(200).default(50), cursor: z.string().max(100).optional() });

export const SavedMapping = z.object({
  id: z.string(), kind: ImportKind, name: z.string(), mapping: Mapping, options: ImportOptions,
  createdBy: z.string().nullable().describe('Who saved it: only they, or an admin, may change or delete it'), createdAt: z.string(), updatedAt: z.string(), version: z.number(),
});
export type SavedMapping = z.infer<typeof SavedMapping>;
export const SaveMappingBody = z.strictObject({ kind: ImportKind, name: z.string().trim().min(1).max(100), mapping: Mapping, options: ImportOptions.prefault({}) });
export type SaveMappingBody = z.infer<typeof SaveMappingBody>;
export const MappingQuery = z.strictObject({ kind: ImportKind.optional() });

const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'YYYY-MM');
export const Month = month;

export const TrendQuery = z.strictObject({
  from: month.optional().describe('First month (default: 23 months before `to`)'),
  to: month.optional().describe('Last month (default: the current month)'),
  currency: z.string().regex(/^[A-Z]{3}$/).default('CNY'),
  category: z.string().max(100).optional(),
});
export const TrendPoint = z.object({
  month: z.string(), revenueMinor: z.number(), costMinor: z.number(), marginMinor: z.number().describe('Revenue of lines with a cost, minus their cost'),
  quantity: z.number(), lines: z.number(),
});
export const Trend = z.object({ accountId: z.string(), currency: z.string(), from: z.string(), to: z.string(), points: z.array(TrendPoint) });

export const SalesLine = z.object({
  id: z.string(), docNo: z.string(), lineNo: z.number(), date: z.string(), accountId: z.string(), accountCode: z.string(), productId: z.string(), sku: z.string(),
  quantity: z.number(), netAmountMinor: z.number(), costAmountMinor: z.number().nullable(), currency: z.string(), createdAt: z.string(), updatedAt: z.string(),
});
export type SalesLine = z.infer<typeof SalesLine>;
export const SalesLineQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50), cursor: z.string().max(500).optional(),
  accountId: z.string().uuid().optional(), from: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(), to: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
  docNo: z.string().max(64).optional(),
});
export type SalesLineQuery = z.infer<typeof SalesLineQuery>;
export const UpdateSalesLineBody = z.strictObject({
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
  quantity: z.number().finite().optional(),
  netAmountMinor: z.number().int().optional(),
  costAmountMinor: z.number().int().nullable().optional(),
});
export type UpdateSalesLineBody = z.infer<typeof UpdateSalesLineBody>;
