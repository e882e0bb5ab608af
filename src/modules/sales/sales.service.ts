/** Sales use cases: upload, preview, run, follow and cancel imports; saved mappings; sales lines; the revenue trend. */
import { createWriteStream } from 'node:fs';
import { mkdir, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import { sql } from 'kysely';
import type { Db } from '../../db/database.js';
import type { Ctx } from '../../server/context.js';
import { AppError, badRequest, forbidden, notFound } from '../../server/errors.js';
import { accountVisibleTo, accountWritableBy } from '../../server/policy.js';
import { newId } from '../../shared/ids.js';
import { recordAudit } from '../audit/audit.service.js';
import type { ImportJob, PreviewBody, RunBody, SalesLine, SalesLineQuery, SaveMappingBody, SavedMapping, UpdateSalesLineBody } from './sales.contract.js';
import { ImportOptions } from './sales.contract.js';
import {
  cellText, fieldsOf, parseDate, type ImportKind, isBlank, type Mapping, resolveMapping, suggestMapping, unknownAccountReason, unknownSkuReason,
  validateAccountRow, validateProductRow, validateSalesRow,
} from './sales.domain.js';
import type { ImportSpec } from './sales.import.js';
import { cancelJob, liveJob, startJob } from './sales.jobs.js';
import { readRowsBounded } from './sales.parse.js';
import { type Encoding, type FileFormat, sniffFormat } from './sales.reader.js';
import * as repo from './sales.repository.js';
import { removeUpload, uploadsDir } from './sales.uploads.js';

/** The largest upload accepted (about 20 million sales lines of CSV). */
export const MAX_UPLOAD_BYTES = 4 * 1024 ** 3;

const ownerFilter = (ctx: Ctx) => (ctx.actor.role === 'admin' ? null : ctx.actor.userId);

function toJob(r: repo.JobRow): ImportJob {
  const live = liveJob(r.id);
  const p = live?.progress;
  const opts = r.options_json ? (JSON.parse(r.options_json) as { options?: ImportJob['options']; mapping?: Mapping }) : {};
  const bytes = p?.processedBytes ?? Number(r.processed_bytes);
  const status = (r.status === 'running' || r.status === 'queued') && !live ? 'failed' : r.status;
  return {
    id: r.id, kind: r.kind as ImportKind, status: status as ImportJob['status'], fileName: r.file_name, fileSize: Number(r.file_size), format: r.format as FileFormat,
    dryRun: r.dry_run === 1, options: opts.options ?? null, mapping: opts.mapping ?? null, createdBy: r.created_by, createdAt: r.created_at,
    startedAt: r.started_at, finishedAt: r.finished_at, processedLines: p?.processedLines ?? Number(r.processed_lines), processedBytes: bytes,
    progress: r.format === 'csv' && Number(r.file_size) > 0 ? Math.min(1, bytes / Number(r.file_size)) : null,
    phase: p?.phase ?? null, inserted: Number(r.inserted), updated: Number(r.updated), unchanged: Number(r.unchanged), skipped: Number(r.skipped),
    errorCount: Number(r.error_count), errorsUrl: r.errors_path ? `/api/v1/imports/${r.id}/errors` : null,
    // A job marked running that no process runs any more was interrupted (a restart); running it again is safe.
    message: status !== r.status ? 'Interrupted (the server stopped); nothing was imported; run it again' : r.message,
    errorCode: r.error_code, fileRemovedAt: r.file_removed_at,
  };
}

/**
 * Streams an uploaded file to dataDir/uploads (at most MAX_UPLOAD_BYTES; an empty one refused) and
 * tells its format from its first bytes. Shared by every import that takes files (delivery's too).
 */
export async function storeUpload(ctx: Ctx, body: Readable): Promise<{ id: string; file: string; size: number; format: FileFormat }> {
  const id = newId();
  await mkdir(uploadsDir(ctx.config), { recursive: true });
  const file = path.join(uploadsDir(ctx.config), `${id}.upload`);
  let size = 0;
  const limit = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      size += chunk.length;
      if (size > MAX_UPLOAD_BYTES) cb(new AppError('body_too_large', 413, `The file is larger than ${MAX_UPLOAD_BYTES} bytes`));
      else cb(null, chunk);
    },
  });
  try {
    await pipeline(body, limit, createWriteStream(file));
  } catch (e) {
    await unlink(file).catch(() => undefined);
    throw e;
  }
  if (size === 0) { await unlink(file).catch(() => undefined); throw badRequest('The file is empty'); }
  return { id, file, size, format: await sniffFormat(file) };
}

/**
 * Stores an uploaded file and opens its job (status uploaded, of any import's kind: sales,
 * shipments, stock…). Every file import starts here.
 */
export async function openUploadJob(ctx: Ctx, kind: string, body: Readable, fileName: string): Promise<{ id: string; file: string; size: number; format: FileFormat }> {
  const { id, file, size, format } = await storeUpload(ctx, body);
  const now = ctx.clock.now().toISOString();
  await repo.insertJob(ctx.db.kysely, {
    id, kind, status: 'uploaded', file_name: fileName, file_path: file, file_size: size, format, options_json: null, dry_run: 0, created_by: ctx.actor.userId,
    created_at: now, started_at: null, finished_at: null, processed_lines: 0, processed_bytes: 0, inserted: 0, updated: 0, unchanged: 0, skipped: 0,
    error_count: 0, errors_path: null, message: null, updated_at: now, file_removed_at: null, error_code: null,
  });
  return { id, file, size, format };
}

/** Stores an uploaded file under dataDir/uploads and opens a job for it. Nothing is imported yet. */
export async function uploadFile(ctx: Ctx, kind: ImportKind, body: Readable, q: { fileName: string; encoding: Encoding; delimiter: string }) {
  const { id, file, format } = await openUploadJob(ctx, kind, body, q.fileName);
  let headers: string[];
  try {
    headers = await readHeader(ctx, file, format, q.encoding, q.delimiter);
  } catch (e) {
    // A file that cannot be read is not kept: its job ends failed, with the reason.
    if (e instanceof AppError) await removeUpload(ctx.db.kysely, ctx.clock, { id, file_path: file }, uploadsDir(ctx.config), { status: 'failed', message: e.message, error_code: e.code, finished_at: ctx.clock.now().toISOString() });
    else await unlink(file).catch(() => undefined);
    throw e;
  }
  return {
    job: toJob((await repo.findJob(ctx.db.kysely, id, null))!), headers,
    fields: fieldsOf[kind].map((f) => ({ key: f.key, required: f.required })), suggestedMapping: suggestMapping(kind, headers),
  };
}

/** The first line that is not blank, read in a reader thread (which stops there by itself, and is kept). */
export async function readHeader(ctx: Ctx, file: string, format: FileFormat, encoding: Encoding, delimiter: string): Promise<string[]> {
  let header: string[] | null = null;
  for await (const batch of readRowsBounded(file, format, { encoding, delimiter }, ctx.config.fileReading, { take: 1 })) {
    header ??= batch.find((r) => !isBlank(r.cells))?.cells.map((c) => cellText(c)) ?? null;
  }
  return header ?? [];
}

async function loadJob(ctx: Ctx, id: string): Promise<repo.JobRow> {
  const r = await repo.findJob(ctx.db.kysely, id, ownerFilter(ctx));
  if (!r) throw notFound('Import');
  return r;
}

/** A job whose file is still there to be read (410 once it was removed). */
async function loadJobWithFile(ctx: Ctx, id: string): Promise<repo.JobRow> {
  const r = await loadJob(ctx, id);
  if (r.file_removed_at) throw new AppError('file_removed', 410, `The uploaded file was removed on ${r.file_removed_at} (the import ${r.status === 'expired' ? 'was not run in time' : 'ended'}); upload it again`);
  return r;
}

export const getJob = async (ctx: Ctx, id: string): Promise<ImportJob> => toJob(await loadJob(ctx, id));

export async function listJobs(ctx: Ctx, q: { limit: number; cursor?: string }) {
  const rows = await repo.listJobs(ctx.db.kysely, ownerFilter(ctx), q.limit + 1, q.cursor);
  const page = rows.slice(0, q.limit);
  return { items: page.map(toJob), nextCursor: rows.length > q.limit ? page[page.length - 1]!.id : null };
}

async function mappingFor(ctx: Ctx, job: repo.JobRow, body: { mapping?: Mapping; mappingId?: string; options: ImportOptions }): Promise<{ mapping: Mapping; options: ImportOptions }> {
  if (body.mapping) return { mapping: body.mapping, options: body.options };
  if (body.mappingId) {
    const m = await repo.findMapping(ctx.db.kysely, body.mappingId);
    if (!m || m.kind !== job.kind) throw badRequest('No such saved mapping for this kind of import', [{ path: 'body.mappingId', message: 'not found' }]);
    return { mapping: JSON.parse(m.mapping_json) as Mapping, options: { ...ImportOptions.parse(JSON.parse(m.options_json)), ...body.options } };
  }
  const headers = await readHeader(ctx, job.file_path, job.format as FileFormat, body.options.encoding, body.options.delimiter);
  return { mapping: suggestMapping(job.kind as ImportKind, headers), options: body.options };
}

/** The first rows of the file as they would be imported, each with its problems. Writes nothing. */
export async function previewImport(ctx: Ctx, id: string, body: PreviewBody) {
  const job = await loadJobWithFile(ctx, id);
  const { mapping, options } = await mappingFor(ctx, job, body);
  const kind = job.kind as ImportKind;
  const accounts = kind === 'sales' ? await repo.accountIdsByCode(ctx.db.kysely, accountWritableBy(ctx.actor, 'accounts.id')) : new Map<string, string>();
  const products = kind === 'sales' ? await repo.productIdsBySku(ctx.db.kysely) : new Map<string, string>();
  let headers: string[] | null = null;
  let headerErrors: { column: string; reason: string }[] = [];
  const rows: { line: number; values: Record<string, string>; errors: { column: string; value: string; reason: string }[] }[] = [];
  // The reader stops by itself after the rows asked for; the loop runs to its end so that the
  // reader thread finishes its task and is kept for the next read (leaving early stops the thread).
  const reading = readRowsBounded(job.file_path, job.format as FileFormat, { encoding: options.encoding, delimiter: options.delimiter }, ctx.config.fileReading, { take: body.rows + 1 });
  let enough = false;
  for await (const batch of reading) {
    if (enough) continue;
    for (const { line, cells } of batch) {
      if (isBlank(cells)) continue;
      if (!headers) {
        headers = cells.map((c) => cellText(c));
        const r = resolveMapping(kind, headers, mapping, options);
        headerErrors = r.errors.map((e) => ({ column: e.column, reason: e.reason }));
        if (headerErrors.length) { enough = true; break; }
        continue;
      }
      const resolved = resolveMapping(kind, headers, mapping, options).resolved;
      const v = kind === 'sales' ? validateSalesRow(cells, line, resolved, options) : kind === 'accounts' ? validateAccountRow(cells, line, resolved) : validateProductRow(cells, line, resolved);
      if (kind === 'sales' && v.row && 'accountCode' in v.row) {
        if (!accounts.has(v.row.accountCode)) v.errors.push({ line, column: resolved.header.accountCode!, value: v.row.accountCode, reason: unknownAccountReason });
        if (!products.has(v.row.sku)) v.errors.push({ line, column: resolved.header.sku!, value: v.row.sku, reason: unknownSkuReason });
      }
      const values = Object.fromEntries(Object.entries(resolved.index).map(([k, i]) => [k, cellText(cells[i])]));
      rows.push({ line, values, errors: v.errors.map((e) => ({ column: e.column, value: e.value, reason: e.reason })) });
      if (rows.length >= body.rows) { enough = true; break; }
    }
  }
  return { headers: headers ?? [], mapping, headerErrors, rows };
}

/** Starts (or restarts) the import of an uploaded file in the background; poll the job for progress. */
export async function runImportJob(ctx: Ctx, id: string, body: RunBody, onError: (e: unknown) => void): Promise<ImportJob> {
  const job = await loadJobWithFile(ctx, id);
  if (liveJob(id)) throw new AppError('conflict', 409, 'This import is already running');
  if (job.status === 'succeeded' && job.dry_run === 0) throw new AppError('conflict', 409, 'This file was imported already; upload it again to re-import');
  const { mapping, options } = await mappingFor(ctx, job, body);
  const now = ctx.clock.now().toISOString();
  await repo.updateJob(ctx.db.kysely, id, {
    status: 'queued', dry_run: body.dryRun ? 1 : 0, options_json: JSON.stringify({ options, mapping }), started_at: null, finished_at: null,
    processed_lines: 0, processed_bytes: 0, inserted: 0, updated: 0, unchanged: 0, skipped: 0, error_count: 0, errors_path: null, message: null, updated_at: now,
    error_code: null,
  });
  const spec: ImportSpec = {
    jobId: id, kind: job.kind as ImportKind, file: job.file_path, fileName: job.file_name, format: job.format as FileFormat, encoding: options.encoding,
    delimiter: options.delimiter, mapping, parse: options, dryRun: body.dryRun, errorsPath: path.join(uploadsDir(ctx.config), `${id}.errors.csv`), reading: ctx.config.fileReading,
  };
  startJob({ db: ctx.db, clock: ctx.clock, actor: ctx.actor, requestId: ctx.requestId }, spec, onError, uploadsDir(ctx.config));
  return toJob((await repo.findJob(ctx.db.kysely, id, null))!);
}

export async function cancelImport(ctx: Ctx, id: string): Promise<ImportJob> {
  const job = await loadJob(ctx, id);
  if (!cancelJob(id)) throw new AppError('conflict', 409, `The import is not running (it is ${toJob(job).status})`);
  return toJob(job);
}

/** Path of the error file of a job the caller may see. */
export async function errorFile(ctx: Ctx, id: string): Promise<{ file: string; name: string }> {
  const job = await loadJob(ctx, id);
  if (!job.errors_path) throw notFound('Error file');
  await stat(job.errors_path).catch(() => { throw notFound('Error file'); });
  return { file: job.errors_path, name: `${path.parse(job.file_name).name}-errors.csv` };
}

// ---------------------------------------------------------------- saved mappings

const toMapping = (r: repo.MappingRow): SavedMapping => ({
  id: r.id, kind: r.kind as ImportKind, name: r.name, mapping: JSON.parse(r.mapping_json) as Mapping, options: ImportOptions.parse(JSON.parse(r.options_json)),
  createdBy: r.created_by, createdAt: r.created_at, updatedAt: r.updated_at, version: r.version,
});

export const listMappings = async (ctx: Ctx, kind?: ImportKind) => (await repo.listMappings(ctx.db.kysely, kind)).map(toMapping);

export async function saveMapping(ctx: Ctx, body: SaveMappingBody): Promise<SavedMapping> {
  const now = ctx.clock.now().toISOString();
  const id = newId();
  await ctx.db.kysely.transaction().execute(async (trx) => {
    if (await repo.findMappingByName(trx, body.kind, body.name)) {
      throw new AppError('duplicate', 409, `A ${body.kind} mapping named ${body.name} exists already`, { errors: [{ path: 'body.name', message: 'already used' }] });
    }
    await repo.insertMapping(trx, { id, kind: body.kind, name: body.name, mapping_json: JSON.stringify(body.mapping), options_json: JSON.stringify(body.options), created_by: ctx.actor.userId, created_at: now, updated_at: now, version: 1 });
    await recordAudit(trx, ctx, { action: 'create', entity: 'import_mapping', entityId: id, after: body });
  });
  return toMapping((await repo.findMapping(ctx.db.kysely, id))!);
}

/**
 * Saved mappings are shared: every importer may use any of them, but only the one who saved it
 * (or an admin) may change or delete it, so nobody's import quietly starts reading other columns.
 */
function assertMayModifyMapping(ctx: Ctx, m: repo.MappingRow): void {
  if (ctx.actor.role !== 'admin' && m.created_by !== ctx.actor.userId) throw forbidden('Only the person who saved this mapping, or an admin, may change or delete it');
}

export async function updateMapping(ctx: Ctx, id: string, version: number, body: SaveMappingBody): Promise<SavedMapping> {
  await ctx.db.kysely.transaction().execute(async (trx) => {
    const before = await repo.findMapping(trx, id);
    if (!before) throw notFound('Mapping');
    assertMayModifyMapping(ctx, before);
    const ok = await repo.updateMapping(trx, id, version, { kind: body.kind, name: body.name, mapping_json: JSON.stringify(body.mapping), options_json: JSON.stringify(body.options), updated_at: ctx.clock.now().toISOString() });
    if (!ok) throw new AppError('precondition_failed', 412, 'The mapping was changed by someone else since you read it; reload and try again');
    await recordAudit(trx, ctx, { action: 'update', entity: 'import_mapping', entityId: id, before: toMapping(before), after: body });
  });
  return toMapping((await repo.findMapping(ctx.db.kysely, id))!);
}

export async function deleteMapping(ctx: Ctx, id: string): Promise<void> {
  await ctx.db.kysely.transaction().execute(async (trx) => {
    const before = await repo.findMapping(trx, id);
    if (!before) throw notFound('Mapping');
    assertMayModifyMapping(ctx, before);
    if (!(await repo.deleteMapping(trx, id))) throw notFound('Mapping');
    await recordAudit(trx, ctx, { action: 'delete', entity: 'import_mapping', entityId: id, before: toMapping(before) });
  });
}

// ---------------------------------------------------------------- rollups, trend, sales lines

/** Sales lines are locked by a bulk load (PostgreSQL): answered at once rather than after the import. */
class LinesBusy extends AppError {
  constructor() { super('busy', 503, 'Sales lines are being loaded by an import; try again in a minute', undefined, { 'retry-after': '30' }); }
}

/**
 * Reads sales lines without waiting out a bulk load. On PostgreSQL an initial bulk import locks
 * sales_lines until it commits (decision 009); a read that would wait for it longer than
 * `bulkTuning.readWaitMs` (two seconds) throws LinesBusy (503, Retry-After). SQLite readers never wait (WAL).
 */
async function readingLines<T>(db: Db, fn: (k: repo.Q) => Promise<T>): Promise<T> {
  if (db.dialect !== 'postgres') return fn(db.kysely);
  try {
    return await db.kysely.transaction().execute(async (trx) => {
      await sql.raw(`set local lock_timeout = ${Math.round(repo.bulkTuning.readWaitMs)}`).execute(trx);
      return fn(trx);
    });
  } catch (e) {
    if ((e as { code?: string }).code === '55P03') throw new LinesBusy();
    throw e;
  }
}

/**
 * Before a read of the rollups: builds them once if they are not known to be complete (lines
 * written before the rollups' state was kept, e.g. by an older demo world); one one-row read
 * otherwise. On PostgreSQL it waits at most `bulkTuning.readWaitMs` for a bulk load that holds the
 * lines (that import makes the rollups complete in its own transaction) and then reads what is there.
 */
export async function ensureRollups(db: Db): Promise<void> {
  if (await repo.rollupsComplete(db.kysely)) return;
  try {
    await db.kysely.transaction().execute(async (trx) => {
      if (db.dialect === 'postgres') await sql.raw(`set local lock_timeout = ${Math.round(repo.bulkTuning.readWaitMs)}`).execute(trx);
      await repo.completeRollups(trx);
    });
  } catch (e) {
    if ((e as { code?: string }).code === '55P03') return;
    throw e;
  }
}

/**
 * Builds every rollup from the sales lines and records them as complete, in the caller's
 * transaction: for lines written around this module (the demo world writes its lines directly).
 */
export async function buildRollups(trx: Parameters<typeof repo.buildAllRollups>[0]): Promise<void> {
  await repo.buildAllRollups(trx);
}

/** Consecutive months from `from` to `to` inclusive (YYYY-MM). */
export function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  let [y, m] = from.split('-').map(Number) as [number, number];
  const [ty, tm] = to.split('-').map(Number) as [number, number];
  while (y < ty || (y === ty && m <= tm)) {
    out.push(`${y}-${String(m).padStart(2, '0')}`);
    if (++m > 12) { m = 1; y++; }
    if (out.length > 1200) break;
  }
  return out;
}

export const addMonths = (month: string, n: number): string => {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const t = y * 12 + (m - 1) + n;
  return `${Math.floor(t / 12)}-${String((t % 12) + 1).padStart(2, '0')}`;
};

/** An account's monthly revenue, cost, margin, quantity and line count from the rollups, gaps as zeros. */
export async function revenueTrend(ctx: Ctx, accountId: string, q: { from?: string; to?: string; currency: string; category?: string }) {
  const visible = await ctx.db.kysely.selectFrom('accounts').select('id').where('id', '=', accountId).where(accountVisibleTo(ctx.actor, 'accounts.id')).executeTakeFirst();
  if (!visible) throw notFound('Account');
  await ensureRollups(ctx.db);
  const to = q.to ?? ctx.clock.now().toISOString().slice(0, 7);
  const from = q.from ?? addMonths(to, -23);
  if (from > to) throw badRequest('from is after to', [{ path: 'querystring.from', message: 'after to' }]);
  const rows = new Map((await repo.monthlyTrend(ctx.db.kysely, accountId, from, to, q.currency, q.category)).map((r) => [r.month, r]));
  const points = monthsBetween(from, to).map((month) => {
    const r = rows.get(month);
    return { month, revenueMinor: r?.revenueMinor ?? 0, costMinor: r?.costMinor ?? 0, marginMinor: r ? r.costedRevenueMinor - r.costMinor : 0, quantity: r?.quantity ?? 0, lines: r?.lines ?? 0 };
  });
  return { accountId, currency: q.currency, from, to, points };
}

const toLine = (r: repo.SalesLineRow): SalesLine => ({
  id: String(r.id), docNo: r.doc_no, lineNo: Number(r.line_no), date: r.date, accountId: r.account_id, accountCode: r.account_code, productId: r.product_id, sku: r.sku,
  quantity: Number(r.quantity), netAmountMinor: Number(r.net_amount_minor), costAmountMinor: r.cost_amount_minor === null ? null : Number(r.cost_amount_minor),
  currency: r.currency, createdAt: r.created_at, updatedAt: r.updated_at,
});

const lineScope = (ctx: Ctx) => accountVisibleTo(ctx.actor, 'sales_lines.account_id');

export async function listSalesLines(ctx: Ctx, q: SalesLineQuery) {
  let after: [string, number] | undefined;
  if (q.cursor) {
    try { after = JSON.parse(Buffer.from(q.cursor, 'base64url').toString('utf8')) as [string, number]; } catch { /* below */ }
    if (!Array.isArray(after) || after.length !== 2 || typeof after[0] !== 'string' || !Number.isSafeInteger(after[1])) throw badRequest('The cursor is not valid; start again from the first page', [{ path: 'querystring.cursor', message: 'invalid cursor' }]);
  }
  const rows = await readingLines(ctx.db, (k) => repo.listLines(k, lineScope(ctx), { ...q, after }));
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1];
  return { items: page.map(toLine), nextCursor: rows.length > q.limit && last ? Buffer.from(JSON.stringify([last.date, last.id])).toString('base64url') : null };
}

/** A sales line's version for If-Match: its last change time in milliseconds. */
export const lineVersion = (l: SalesLine): number => Date.parse(l.updatedAt);

/** A sales line's id from its URL (an integer; anything else names no line). */
const lineId = (id: string): number => {
  if (!/^\d{1,15}$/.test(id)) throw notFound('Sales line');
  return Number(id);
};

export async function getSalesLine(ctx: Ctx, id: string): Promise<SalesLine> {
  const r = await readingLines(ctx.db, (k) => repo.findLine(k, lineScope(ctx), lineId(id)));
  if (!r) throw notFound('Sales line');
  return toLine(r);
}

/** Corrects one sales line; the rollups of its old and new account-month follow in the same transaction. */
export async function updateSalesLine(ctx: Ctx, id: string, version: number, body: UpdateSalesLineBody): Promise<SalesLine> {
  const before = await getSalesLine(ctx, id);
  if (lineVersion(before) !== version) throw new AppError('precondition_failed', 412, 'The sales line was changed since you read it; reload and try again');
  if (body.date !== undefined && parseDate(body.date, 'YYYY-MM-DD') === null) throw badRequest('Not a date', [{ path: 'body.date', message: 'not a date' }]);
  // The new time is strictly later than the old one, so the ETag always moves.
  const at = new Date(Math.max(ctx.clock.now().getTime(), version + 1)).toISOString();
  await ctx.db.kysely.transaction().execute(async (trx) => {
    const ok = await repo.updateLine(trx, lineId(id), before.updatedAt, {
      ...(body.date !== undefined && { date: body.date }),
      ...(body.quantity !== undefined && { quantity: body.quantity }),
      ...(body.netAmountMinor !== undefined && { net_amount_minor: body.netAmountMinor }),
      ...(body.costAmountMinor !== undefined && { cost_amount_minor: body.costAmountMinor }),
      updated_at: at,
    });
    if (!ok) throw new AppError('precondition_failed', 412, 'The sales line was changed since you read it; reload and try again');
    await repo.recomputeRollups(trx, [{ accountId: before.accountId, month: before.date.slice(0, 7) }, { accountId: before.accountId, month: (body.date ?? before.date).slice(0, 7) }]);
    const changedBefore = Object.fromEntries(Object.keys(body).map((k) => [k, before[k as keyof SalesLine]]));
    await recordAudit(trx, ctx, { action: 'update', entity: 'sales_line', entityId: id, accountId: before.accountId, before: changedBefore, after: body });
  });
  return getSalesLine(ctx, id);
}

export async function deleteSalesLine(ctx: Ctx, id: string): Promise<void> {
  const before = await getSalesLine(ctx, id);
  await ctx.db.kysely.transaction().execute(async (trx) => {
    await repo.deleteLine(trx, lineId(id));
    await repo.recomputeRollups(trx, [{ accountId: before.accountId, month: before.date.slice(0, 7) }]);
    await recordAudit(trx, ctx, { action: 'delete', entity: 'sales_line', entityId: id, accountId: before.accountId, before });
  });
}

/**
 * Keeps the rollups exact when products move to another category: recomputes every account-month
 * holding their lines, in the caller's transaction (the products module calls this).
 */
export async function productsRecategorised(trx: Parameters<typeof repo.recomputeRollups>[0], productIds: string[]): Promise<void> {
  await repo.recomputeRollups(trx, await repo.accountMonthsOfProducts(trx, productIds));
}

/**
 * An account's monthly quantity and net revenue of one product over dates [from, to), gaps left
 * out (the caller fills them); only accounts the caller may see. Read by the competition module
 * for the expected volume of a product.
 */
export const productMonths = (ctx: Ctx, accountId: string, productId: string, q: { from: string; to: string; currency: string }) =>
  readingLines(ctx.db, (k) => repo.productMonths(k, lineScope(ctx), accountId, productId, q.from, q.to, q.currency));

/**
 * An account's net revenue over dates [from, to) in a currency, in all and for one product (with its
 * quantity); only accounts the caller may see. Read to allocate account-level costs to a product.
 */
export const revenueInWindow = (ctx: Ctx, accountId: string, productId: string, q: { from: string; to: string; currency: string }) =>
  readingLines(ctx.db, (k) => repo.revenueInWindow(k, lineScope(ctx), accountId, productId, q.from, q.to, q.currency));
