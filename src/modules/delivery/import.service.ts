/**
 * Shipment file imports: upload a CSV/XLSX of order lines and shipments, preview it with a column
 * mapping, start it in the background (all rows or none, idempotent by natural key), follow its
 * progress, cancel it, read its error file. The uploads, the reader threads and the job runner are
 * the sales import's (sales.service openUploadJob/readHeader, sales.parse, sales.jobs).
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { z } from 'zod';
import type { Ctx } from '../../server/context.js';
import { AppError, notFound } from '../../server/errors.js';
import { accountVisibleTo } from '../../server/policy.js';
import { recordAudit } from '../audit/audit.service.js';
import { cellText, isBlank } from '../sales/sales.domain.js';
import { cancelJob, liveJob, startJob } from '../sales/sales.jobs.js';
import { readRowsBounded } from '../sales/sales.parse.js';
import type { Encoding, FileFormat } from '../sales/sales.reader.js';
import { updateJob } from '../sales/sales.repository.js';
import { openUploadJob, readHeader } from '../sales/sales.service.js';
import { removeUpload, uploadsDir } from '../sales/sales.uploads.js';
import type { ShipmentImportJob, ShipmentImportOptions, ShipmentPreviewBody, ShipmentPreviewResult, ShipmentStartBody } from './import.contract.js';
import { runShipmentImport, type ShipmentImportSpec } from './import.engine.js';
import * as repo from './import.repository.js';
import { resolveShipmentMapping, type ShipmentMapping, shipmentFields, suggestShipmentMapping, validateShipmentRow } from './import.rows.js';

const ownerFilter = (ctx: Ctx) => (ctx.actor.role === 'admin' ? null : ctx.actor.userId);

function toJob(r: repo.JobRow): ShipmentImportJob {
  const live = liveJob(r.id);
  const p = live?.progress;
  const opts = r.options_json ? (JSON.parse(r.options_json) as { options?: ShipmentImportOptions; mapping?: Record<string, string>; errorRows?: number }) : {};
  const bytes = p?.processedBytes ?? Number(r.processed_bytes);
  const status = (r.status === 'running' || r.status === 'queued') && !live ? 'failed' : r.status;
  return {
    id: r.id, status: status as ShipmentImportJob['status'], fileName: r.file_name, fileSize: Number(r.file_size), format: r.format as FileFormat, dryRun: r.dry_run === 1,
    options: opts.options ?? null, mapping: opts.mapping ?? null, createdBy: r.created_by, createdAt: r.created_at, startedAt: r.started_at, finishedAt: r.finished_at,
    processedLines: p?.processedLines ?? Number(r.processed_lines),
    progress: r.format === 'csv' && Number(r.file_size) > 0 ? Math.min(1, bytes / Number(r.file_size)) : null,
    inserted: Number(r.inserted), updated: Number(r.updated), unchanged: Number(r.unchanged), skipped: Number(r.skipped), errorCount: Number(r.error_count),
    errorRows: opts.errorRows ?? 0, errorsUrl: r.errors_path ? `/api/v1/delivery/imports/${r.id}/errors` : null,
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

/** Stores the file and opens its job; returns its header and the suggested mapping. Nothing is imported yet. */
export async function upload(ctx: Ctx, body: Readable, q: { fileName: string; encoding: Encoding; delimiter: string }) {
  const { id, file, format } = await openUploadJob(ctx, repo.KIND, body, q.fileName);
  let headers: string[];
  try {
    headers = await readHeader(ctx, file, format, q.encoding, q.delimiter);
  } catch (e) {
    if (e instanceof AppError) await removeUpload(ctx.db.kysely, ctx.clock, { id, file_path: file }, uploadsDir(ctx.config), { status: 'failed', message: e.message, error_code: e.code, finished_at: ctx.clock.now().toISOString() });
    throw e;
  }
  return {
    job: toJob((await repo.findJob(ctx.db.kysely, id, null))!), headers,
    fields: shipmentFields.map((f) => ({ key: f.key, required: f.required })), suggestedMapping: suggestShipmentMapping(headers) as Record<string, string>,
  };
}

export const getJob = async (ctx: Ctx, id: string): Promise<ShipmentImportJob> => toJob(await loadJob(ctx, id));

export async function listJobs(ctx: Ctx, limit: number): Promise<{ items: ShipmentImportJob[] }> {
  return { items: (await repo.listJobs(ctx.db.kysely, ownerFilter(ctx), limit)).map(toJob) };
}

/** The first rows as they would be imported, each with its problems and keys. Writes nothing. */
export async function preview(ctx: Ctx, id: string, body: z.infer<typeof ShipmentPreviewBody>): Promise<z.infer<typeof ShipmentPreviewResult>> {
  const job = await loadJobWithFile(ctx, id);
  const accounts = await repo.visibleAccounts(ctx.db.kysely, accountVisibleTo(ctx.actor, 'accounts.id'));
  const mapping = body.mapping as ShipmentMapping;
  let headers: string[] | null = null;
  let resolved: ReturnType<typeof resolveShipmentMapping>['resolved'] | null = null;
  let headerErrors: { column: string; reason: string }[] = [];
  const rows: z.infer<typeof ShipmentPreviewResult>['rows'] = [];
  const seen = new Map<string, number>();
  let enough = false;
  // The reader stops by itself after the rows asked for; the loop runs to its end so its thread is kept.
  for await (const batch of readRowsBounded(job.file_path, job.format as FileFormat, { encoding: body.options.encoding, delimiter: body.options.delimiter }, ctx.config.fileReading, { take: body.rows + 1 })) {
    if (enough) continue;
    for (const { line, cells } of batch) {
      if (isBlank(cells)) continue;
      if (!headers) {
        headers = cells.map((c) => cellText(c));
        const r = resolveShipmentMapping(headers, mapping);
        headerErrors = r.errors.map((e) => ({ column: e.column || e.value, reason: e.reason }));
        resolved = r.resolved;
        if (headerErrors.length) { enough = true; break; }
        continue;
      }
      const v = validateShipmentRow(cells, line, resolved!, body.options);
      if (v.row && !accounts.has(v.row.line.accountCode)) v.errors.push({ line, column: resolved!.header.accountCode ?? 'accountCode', value: v.row.line.accountCode, reason: 'no account with this code that you may see' });
      const key = v.row ? (v.row.shipment?.sourceKey ?? v.row.line.sourceKey) : null;
      if (key !== null) {
        const first = seen.get(key);
        if (first !== undefined) v.errors.push({ line, column: resolved!.header.sourceKey ?? resolved!.header.orderNo ?? '', value: key, reason: `the same line as line ${first} of this file` });
        else seen.set(key, line);
      }
      const values = Object.fromEntries(Object.entries(resolved!.index).map(([k, i]) => [k, cellText(cells[i!])]));
      rows.push({ line, values, sourceKey: v.row?.line.sourceKey ?? null, shipmentKey: v.row?.shipment?.sourceKey ?? null, errors: v.errors.map((e) => ({ column: e.column, value: e.value, reason: e.reason })) });
      if (rows.length >= body.rows) { enough = true; break; }
    }
  }
  return { headers: headers ?? [], headerErrors, rows };
}

/** Starts (or restarts, after a dry run or a cancel) the import in the background; poll the job. */
export async function start(ctx: Ctx, id: string, body: z.infer<typeof ShipmentStartBody>, onError: (e: unknown) => void): Promise<ShipmentImportJob> {
  const job = await loadJobWithFile(ctx, id);
  if (liveJob(id)) throw new AppError('conflict', 409, 'This import is already running');
  if (job.status === 'succeeded' && job.dry_run === 0) throw new AppError('conflict', 409, 'This file was imported already; upload it again to re-import');
  const mapping = body.mapping as ShipmentMapping;
  const now = ctx.clock.now().toISOString();
  await ctx.db.kysely.transaction().execute(async (trx) => {
    await updateJob(trx, id, {
      status: 'queued', dry_run: body.dryRun ? 1 : 0, options_json: JSON.stringify({ options: body.options, mapping }), started_at: null, finished_at: null,
      processed_lines: 0, processed_bytes: 0, inserted: 0, updated: 0, unchanged: 0, skipped: 0, error_count: 0, errors_path: null, message: null, updated_at: now, error_code: null,
    });
    await recordAudit(trx, ctx, { action: 'delivery.import.start', entity: 'import_job', entityId: id, after: { file: job.file_name, dryRun: body.dryRun, mapping, options: body.options } });
  });
  const spec: ShipmentImportSpec = {
    jobId: id, dataDir: ctx.config.dataDir, file: job.file_path, fileName: job.file_name, format: job.format as FileFormat, mapping, options: body.options, dryRun: body.dryRun,
    errorsPath: path.join(uploadsDir(ctx.config), `${id}.errors.csv`), reading: ctx.config.fileReading,
  };
  startJob({ db: ctx.db, clock: ctx.clock, actor: ctx.actor, requestId: ctx.requestId }, spec, onError, uploadsDir(ctx.config), runShipmentImport);
  return toJob((await repo.findJob(ctx.db.kysely, id, null))!);
}

export async function cancel(ctx: Ctx, id: string): Promise<ShipmentImportJob> {
  const job = await loadJob(ctx, id);
  if (!cancelJob(id)) throw new AppError('conflict', 409, `The import is not running (it is ${toJob(job).status})`);
  await recordAudit(ctx.db.kysely, ctx, { action: 'delivery.import.cancel', entity: 'import_job', entityId: id });
  return toJob(job);
}

export async function errorFile(ctx: Ctx, id: string): Promise<{ file: string; name: string }> {
  const job = await loadJob(ctx, id);
  if (!job.errors_path) throw notFound('Error file');
  await stat(job.errors_path).catch(() => { throw notFound('Error file'); });
  return { file: job.errors_path, name: `${path.parse(job.file_name).name}-errors.csv` };
}
