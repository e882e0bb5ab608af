/**
 * Stock report file imports (decision 031): upload a CSV/XLSX of dealer stock reports, preview it
 * with a column mapping (each row's problems, and whether it is new, a correction or already
 * stored), start it in the background (all rows or none, idempotent by dealer, product and date),
 * follow it, cancel it, read its error file. Staff import for the dealers they may write; a dealer
 * (the portal) only its own company's. The uploads, reader threads and job runner are the sales
 * import's, as the shipment import uses them.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { z } from 'zod';
import type { Ctx } from '../../server/context.js';
import { AppError, notFound } from '../../server/errors.js';
import { recordAudit } from '../audit/audit.service.js';
import { cellText, isBlank } from '../sales/sales.domain.js';
import { cancelJob, liveJob, startJob } from '../sales/sales.jobs.js';
import { readRowsBounded } from '../sales/sales.parse.js';
import type { Encoding, FileFormat } from '../sales/sales.reader.js';
import { updateJob } from '../sales/sales.repository.js';
import { openUploadJob, readHeader } from '../sales/sales.service.js';
import { removeUpload, uploadsDir } from '../sales/sales.uploads.js';
import type { StockImportJob, StockImportOptions, StockPreviewBody, StockPreviewResult, StockStartBody } from './stock.import-contract.js';
import { checkRows, outcomeOf, runStockImport, type StockImportSpec } from './stock.import-engine.js';
import { resolveStockMapping, type ResolvedStockMapping, type StockFileRow, stockFieldsFor, type StockImportAudience, type StockMapping, suggestStockMapping, validateStockRow } from './stock.import-rows.js';
import * as repo from './stock.repository.js';
import { today } from './stock.service.js';

const ownerFilter = (ctx: Ctx) => (ctx.actor.role === 'admin' ? null : ctx.actor.userId);
/** Where the job's routes are: the staff page's or the portal's. */
const base = (a: StockImportAudience) => (a === 'portal' ? '/api/v1/portal/stock-imports' : '/api/v1/stock/imports');
const audienceOf = (ctx: Ctx): StockImportAudience => (ctx.actor.role === 'dealer' ? 'portal' : 'staff');

function toJob(r: repo.JobRow, a: StockImportAudience): StockImportJob {
  const p = liveJob(r.id)?.progress;
  const opts = r.options_json ? (JSON.parse(r.options_json) as { options?: StockImportOptions; mapping?: Record<string, string>; errorRows?: number }) : {};
  const bytes = p?.processedBytes ?? Number(r.processed_bytes);
  const status = (r.status === 'running' || r.status === 'queued') && !liveJob(r.id) ? 'failed' : r.status;
  return {
    id: r.id, status: status as StockImportJob['status'], fileName: r.file_name, fileSize: Number(r.file_size), format: r.format as FileFormat, dryRun: r.dry_run === 1,
    options: opts.options ?? null, mapping: opts.mapping ?? null, createdAt: r.created_at, startedAt: r.started_at, finishedAt: r.finished_at,
    processedLines: p?.processedLines ?? Number(r.processed_lines),
    progress: r.format === 'csv' && Number(r.file_size) > 0 ? Math.min(1, bytes / Number(r.file_size)) : null,
    inserted: Number(r.inserted), updated: Number(r.updated), unchanged: Number(r.unchanged), skipped: Number(r.skipped), errorCount: Number(r.error_count),
    errorRows: opts.errorRows ?? 0, errorsUrl: r.errors_path ? `${base(a)}/${r.id}/errors` : null,
    message: status !== r.status ? 'Interrupted (the server stopped); nothing was imported; start it again' : r.message,
    errorCode: r.error_code, fileRemovedAt: r.file_removed_at,
  };
}

async function loadJob(ctx: Ctx, id: string): Promise<repo.JobRow> {
  const r = await repo.findJob(ctx.db.kysely, id, ownerFilter(ctx));
  if (!r) throw notFound('Import');
  return r;
}

async function loadJobWithFile(ctx: Ctx, id: string): Promise<repo.JobRow> {
  const r = await loadJob(ctx, id);
  if (r.file_removed_at) throw new AppError('file_removed', 410, `The uploaded file was removed on ${r.file_removed_at} (the import ended or was not run in time); upload it again`);
  return r;
}

/** Stores the file and opens its job; returns its header, the fields and the suggested mapping. Nothing is imported yet. */
export async function upload(ctx: Ctx, body: Readable, q: { fileName: string; encoding: Encoding; delimiter: string }) {
  const { id, file, format } = await openUploadJob(ctx, repo.IMPORT_KIND, body, q.fileName);
  let headers: string[];
  try {
    headers = await readHeader(ctx, file, format, q.encoding, q.delimiter);
  } catch (e) {
    if (e instanceof AppError) await removeUpload(ctx.db.kysely, ctx.clock, { id, file_path: file }, uploadsDir(ctx.config), { status: 'failed', message: e.message, error_code: e.code, finished_at: ctx.clock.now().toISOString() });
    throw e;
  }
  const a = audienceOf(ctx);
  return {
    job: toJob((await repo.findJob(ctx.db.kysely, id, null))!, a), headers,
    fields: stockFieldsFor(a), suggestedMapping: suggestStockMapping(headers) as Record<string, string>,
  };
}

export const getJob = async (ctx: Ctx, id: string): Promise<StockImportJob> => toJob(await loadJob(ctx, id), audienceOf(ctx));

export async function listJobs(ctx: Ctx, limit: number): Promise<{ items: StockImportJob[] }> {
  return { items: (await repo.listJobs(ctx.db.kysely, ownerFilter(ctx), limit)).map((r) => toJob(r, audienceOf(ctx))) };
}

type Preview = z.infer<typeof StockPreviewResult>;

/** The first rows as they would be imported: each with its problems, or what it would do (new, a correction, already stored). Writes nothing. */
export async function preview(ctx: Ctx, id: string, body: z.infer<typeof StockPreviewBody>): Promise<Preview> {
  const job = await loadJobWithFile(ctx, id);
  const a = audienceOf(ctx);
  const mapping = body.mapping as StockMapping;
  const day = today(ctx);
  let headers: string[] | null = null;
  let resolved: ResolvedStockMapping | null = null;
  let headerErrors: Preview['headerErrors'] = [];
  const rows: Preview['rows'] = [];
  const valid: { line: number; row: StockFileRow }[] = [];
  let enough = false;
  // The reader stops by itself after the rows asked for; the loop runs to its end so its thread is kept.
  for await (const batch of readRowsBounded(job.file_path, job.format as FileFormat, { encoding: body.options.encoding, delimiter: body.options.delimiter }, ctx.config.fileReading, { take: body.rows + 1 })) {
    if (enough) continue;
    for (const { line, cells } of batch) {
      if (isBlank(cells)) continue;
      if (!headers) {
        headers = cells.map((c) => cellText(c));
        const r = resolveStockMapping(headers, mapping, a);
        headerErrors = r.errors.map((e) => ({ column: e.column || e.value, reason: e.reason }));
        resolved = r.resolved;
        if (headerErrors.length) { enough = true; break; }
        continue;
      }
      const v = validateStockRow(cells, line, resolved!, { ...body.options, today: day });
      if (v.row) valid.push({ line, row: v.row });
      const values = Object.fromEntries(Object.entries(resolved!.index).map(([k, i]) => [k, cellText(cells[i!])]));
      rows.push({ line, values, outcome: null, errors: v.errors.map((e) => ({ column: e.column, value: e.value, reason: e.reason })) });
      if (rows.length >= body.rows) { enough = true; break; }
    }
  }
  if (!resolved || headerErrors.length) return { headers: headers ?? [], headerErrors, rows };
  const checked = await checkRows(ctx.db.kysely, ctx.actor, { audience: a, jobId: id }, resolved, valid);
  const stored = await repo.reportsByKey(ctx.db.kysely, checked.ok.map((r) => r.key));
  const byLine = new Map(rows.map((r) => [r.line, r]));
  for (const e of checked.errors) byLine.get(e.line)!.errors.push({ column: e.column, value: e.value, reason: e.reason });
  const seen = new Map<string, number>();
  for (const r of checked.ok) {
    const p = byLine.get(r.line)!;
    const first = seen.get(r.key);
    if (first !== undefined) p.errors.push({ column: resolved.header.reportDate ?? 'reportDate', value: r.row.report_date, reason: `the same dealer, product and date as line ${first} of this file` });
    else { seen.set(r.key, r.line); p.outcome = outcomeOf(stored.get(r.key), r); }
  }
  return { headers: headers ?? [], headerErrors, rows };
}

/** Starts (or restarts, after a dry run or a cancel) the import in the background; poll the job. */
export async function start(ctx: Ctx, id: string, body: z.infer<typeof StockStartBody>, onError: (e: unknown) => void): Promise<StockImportJob> {
  const job = await loadJobWithFile(ctx, id);
  if (liveJob(id)) throw new AppError('conflict', 409, 'This import is already running');
  if (job.status === 'succeeded' && job.dry_run === 0) throw new AppError('conflict', 409, 'This file was imported already; upload it again to re-import');
  const mapping = body.mapping as StockMapping;
  const now = ctx.clock.now().toISOString();
  await ctx.db.kysely.transaction().execute(async (trx) => {
    await updateJob(trx, id, {
      status: 'queued', dry_run: body.dryRun ? 1 : 0, options_json: JSON.stringify({ options: body.options, mapping }), started_at: null, finished_at: null,
      processed_lines: 0, processed_bytes: 0, inserted: 0, updated: 0, unchanged: 0, skipped: 0, error_count: 0, errors_path: null, message: null, updated_at: now, error_code: null,
    });
    await recordAudit(trx, ctx, { action: 'stock.import.start', entity: 'import_job', entityId: id, after: { file: job.file_name, dryRun: body.dryRun, mapping, options: body.options } });
  });
  const spec: StockImportSpec = {
    jobId: id, audience: audienceOf(ctx), file: job.file_path, fileName: job.file_name, format: job.format as FileFormat, mapping, options: body.options, today: today(ctx),
    dryRun: body.dryRun, errorsPath: path.join(uploadsDir(ctx.config), `${id}.errors.csv`), reading: ctx.config.fileReading,
  };
  startJob({ db: ctx.db, clock: ctx.clock, actor: ctx.actor, requestId: ctx.requestId }, spec, onError, uploadsDir(ctx.config), runStockImport);
  return toJob((await repo.findJob(ctx.db.kysely, id, null))!, spec.audience);
}

export async function cancel(ctx: Ctx, id: string): Promise<StockImportJob> {
  const job = await loadJob(ctx, id);
  if (!cancelJob(id)) throw new AppError('conflict', 409, `The import is not running (it is ${toJob(job, audienceOf(ctx)).status})`);
  await recordAudit(ctx.db.kysely, ctx, { action: 'stock.import.cancel', entity: 'import_job', entityId: id });
  return toJob(job, audienceOf(ctx));
}

export async function errorFile(ctx: Ctx, id: string): Promise<{ file: string; name: string }> {
  const job = await loadJob(ctx, id);
  if (!job.errors_path) throw notFound('Error file');
  await stat(job.errors_path).catch(() => { throw notFound('Error file'); });
  return { file: job.errors_path, name: `${path.parse(job.file_name).name}-errors.csv` };
}
