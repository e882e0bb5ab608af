/**
 * The import engine: reads a file as a stream, validates every line, and writes all of it or
 * nothing in one transaction. Sales lines (millions) are read by sales.parse (in a worker thread
 * for large files) and go straight into sales_lines while new, else through staging tables and a
 * set-based merge (decision 009); accounts and products (thousands) are merged row by row.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { once } from 'node:events';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, sql, SqliteDialect } from 'kysely';
import type pg from 'pg';
import type { Db, Dialect } from '../../db/database.js';
import type { Database } from '../../db/schema.js';
import type { Actor } from '../auth/auth.domain.js';
import type { Clock } from '../../shared/clock.js';
import { accountVisibleTo, accountWritableBy } from '../../server/policy.js';
import { newId } from '../../shared/ids.js';
import { toCsv } from '../../shared/csv.js';
import { spellNul } from '../../shared/text.js';
import { recordAudit, recordAuditRows } from '../audit/audit.service.js';
import {
  type AccountRow, type Cell, type ImportKind, isBlank, type LineError, type Mapping, type ParseOptions, type ProductRow, resolveMapping,
  type ResolvedMapping, validateAccountRow, validateProductRow,
} from './sales.domain.js';
import type { FileReadingConfig } from '../../server/config.js';
import type { Encoding, FileFormat } from './sales.reader.js';
import { deltaRows, type Header as ParsedHeader, type ParsedBatch, parseEvents, type ParseSpec, readRowsBounded } from './sales.parse.js';
import * as repo from './sales.repository.js';

export type ImportSpec = {
  jobId: string;
  kind: ImportKind;
  file: string;
  fileName: string;
  format: FileFormat;
  encoding: Encoding;
  delimiter: string;
  mapping: Mapping;
  parse: ParseOptions;
  dryRun: boolean;
  errorsPath: string;
  /** The reader threads and their limits (config.fileReading). */
  reading: FileReadingConfig;
};

export type Progress = { processedLines: number; processedBytes: number; phase: 'reading' | 'merging' };
/** Told of progress after each stretch of the file; the import waits for what it returns. */
export type OnProgress = (p: Progress) => void | Promise<void>;

export type ImportOutcome = {
  status: 'succeeded' | 'failed' | 'cancelled';
  dryRun: boolean;
  processedLines: number;
  inserted: number;
  updated: number;
  unchanged: number;
  skipped: number;
  errorCount: number;
  errorsPath: string | null;
  message: string | null;
};

export type EngineCtx = { db: Db; clock: Clock; actor: Actor; requestId: string };

class Cancelled extends Error {}

class DryRunDone extends Error {}

/** The connection an import works on, and whether progress may be written beside it meanwhile. */
export type Conn = { k: Kysely<Database>; dialect: Dialect; raw: SQLite.Database | null; progressAside: boolean; pg?: pg.PoolClient };

/**
 * SQLite file: a second connection of its own, so the app keeps reading (WAL) while the import
 * stages; in-memory SQLite (tests): the app's one connection, held for the duration.
 * PostgreSQL: one client of the pool, held for the import (COPY and Kysely on the same session).
 */
export async function withConnection<T>(db: Db, fn: (c: Conn) => Promise<T>): Promise<T> {
  if (db.dialect === 'postgres') {
    if (!db.pool) return fn({ k: db.kysely, dialect: 'postgres', raw: null, progressAside: true });
    // One client of the pool for the whole import, shared by Kysely and the COPY streams that load
    // the staging tables (temporary tables live in one session).
    const client = await db.pool.connect();
    const one = { query: client.query.bind(client) as never, release: () => undefined };
    const k = new Kysely<Database>({ dialect: new PostgresDialect({ pool: { connect: async () => one, end: async () => undefined } }) });
    let broken = false;
    try { return await fn({ k, dialect: 'postgres', raw: null, progressAside: true, pg: client }); } catch (e) { broken = true; throw e; } finally {
      await k.destroy();
      client.release(broken);
    }
  }
  const main = db.sqlite!;
  if (!main.memory && main.name) {
    const raw = new SQLite(main.name);
    raw.pragma('journal_mode = WAL');
    // The accounts and products named by the lines are checked once, set-wise, at the merge
    // (repo.mergeStaged), not by a lookup per inserted line.
    raw.pragma('foreign_keys = OFF');
    raw.pragma('busy_timeout = 30000');
    raw.pragma('synchronous = FULL');
    // The checkpoint after a large import runs aside (repo.checkpointAside), not in the commit.
    raw.pragma('wal_autocheckpoint = 0');
    // Staging stays on disk (flat memory); a larger page cache than the default speeds the merge.
    raw.pragma('temp_store = FILE');
    // Bounded so the import stays well under 500 MB of RSS whatever the file (index builds sort in temp files).
    raw.pragma('cache_size = -65536');
    raw.pragma('temp.cache_size = -32768');
    raw.pragma('temp.journal_mode = MEMORY');
    const k = new Kysely<Database>({ dialect: new SqliteDialect({ database: raw }) });
    try { return await fn({ k, dialect: 'sqlite', raw, progressAside: true }); } finally { await k.destroy(); }
  }
  return db.kysely.connection().execute((k) => fn({ k, dialect: 'sqlite', raw: main, progressAside: false }));
}

/** One transaction around `fn`: committed when it returns, rolled back when it throws. */
export async function inTransaction<T>(c: Conn, fn: (k: Kysely<Database>) => Promise<T>): Promise<T> {
  if (c.dialect === 'postgres') return c.k.transaction().execute(fn);
  // On its own connection the import takes the write lock at once (IMMEDIATE): a deferred
  // transaction whose snapshot went stale while the app wrote would fail at its first write.
  c.raw!.exec(c.progressAside ? 'begin immediate' : 'begin');
  try {
    const r = await fn(c.k);
    c.raw!.exec('commit');
    return r;
  } catch (e) {
    if (c.raw!.inTransaction) c.raw!.exec('rollback');
    throw e;
  }
}

/** Writes the error file (line, column, value, reason) from an iterator of pages. */
async function writeErrorFile(file: string, pages: AsyncIterable<LineError[]>): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const out = createWriteStream(file);
  const write = async (s: string) => { if (!out.write(s)) await once(out, 'drain'); };
  await write(toCsv([['line', 'column', 'value', 'reason']], { bom: true }));
  // The values come from the uploaded file: the writer keeps a hostile one from running as a formula.
  for await (const page of pages) await write(toCsv(page.map((e) => [e.line, spellNul(e.column), spellNul(e.value), e.reason])));
  out.end();
  await once(out, 'finish');
}

async function* inMemory(errors: LineError[]): AsyncIterable<LineError[]> {
  for (let i = 0; i < errors.length; i += 5000) yield errors.slice(i, i + 5000);
}

type Header = ParsedHeader | null;

/** Runs one import to its end. Throws only on unexpected failures; bad lines and cancellation are outcomes. */
export async function runImport(ctx: EngineCtx, spec: ImportSpec, signal: AbortSignal, onProgress: OnProgress): Promise<ImportOutcome> {
  return spec.kind === 'sales' ? importSales(ctx, spec, signal, onProgress) : importSmall(ctx, spec, signal, onProgress);
}

const empty = (spec: ImportSpec): ImportOutcome => ({
  status: 'succeeded', dryRun: spec.dryRun, processedLines: 0, inserted: 0, updated: 0, unchanged: 0, skipped: 0, errorCount: 0, errorsPath: null, message: null,
});

async function importSales(ctx: EngineCtx, spec: ImportSpec, signal: AbortSignal, onProgress: OnProgress): Promise<ImportOutcome> {
  const now = ctx.clock.now().toISOString();
  // Accounts and products by index: lines carry small integers; the ids go in once per import.
  const accountCodes: string[] = [];
  const accountIds: string[] = [];
  // Lines may name only accounts the importer may change (others read as unknown codes: no probing).
  for (const [code, id] of await repo.accountIdsByCode(ctx.db.kysely, accountWritableBy(ctx.actor, 'accounts.id'))) { accountCodes.push(code); accountIds.push(id); }
  const skus: string[] = [];
  const productIds: string[] = [];
  const productCategories: string[] = [];
  const categories: string[] = [];
  const categoryIndex = new Map<string, number>();
  const productCategory: number[] = [];
  for (const [skuCode, p] of await repo.productsBySku(ctx.db.kysely)) {
    skus.push(skuCode);
    productIds.push(p.id);
    productCategories.push(p.category);
    if (!categoryIndex.has(p.category)) { categoryIndex.set(p.category, categories.length); categories.push(p.category); }
    productCategory.push(categoryIndex.get(p.category)!);
  }
  const fileSize = (await stat(spec.file)).size;
  const result = await importSalesOn(ctx, spec, signal, onProgress, { now, accountCodes, accountIds, skus, productIds, productCategories, categories, productCategory, fileSize });
  if (ctx.db.dialect === 'postgres' && result.status === 'succeeded' && !result.dryRun && result.inserted + result.updated >= repo.bulkTuning.refreshStatisticsFrom) {
    // Best effort: the import has committed; autovacuum would get there later anyway.
    await repo.refreshStatistics(ctx.db.kysely).catch(() => undefined);
  }
  if (ctx.db.dialect === 'sqlite' && result.status === 'succeeded' && result.inserted + result.updated >= repo.bulkTuning.rebuildIndexesFrom) repo.checkpointAside(ctx.db);
  return result;
}

type Lookups = {
  now: string; accountCodes: string[]; accountIds: string[]; skus: string[]; productIds: string[]; productCategories: string[];
  categories: string[]; productCategory: number[]; fileSize: number;
};

/**
 * The direct load of new lines while the file is read, on either database (decision 009): `add`
 * writes a batch, and says false when a line was not new (the caller rolls back to its savepoint
 * and reads again through staging); `pause` ends what is in flight before another statement.
 */
type Direct = { add(b: ParsedBatch): Promise<boolean>; pause(): Promise<boolean>; readonly inserted: number };

function directFor(c: Conn, l: Lookups): Direct | null {
  if (c.dialect === 'sqlite' && c.raw) {
    const w = repo.directWriter(c.raw, l.now, l.accountIds, l.productIds);
    return { add: async (b) => w.add(b), pause: async () => true, get inserted() { return w.inserted; } };
  }
  if (c.dialect === 'postgres' && c.pg) {
    const w = repo.directCopy(c.pg);
    return { add: (b) => w.write(b.copy!, b.n), pause: () => w.end(), get inserted() { return w.inserted; } };
  }
  return null;
}

async function importSalesOn(ctx: EngineCtx, spec: ImportSpec, signal: AbortSignal, onProgress: OnProgress, l: Lookups): Promise<ImportOutcome> {
  let out = empty(spec);
  return withConnection(ctx.db, async (c) => {
    try {
      return await inTransaction(c, async (k) => {
        if (c.dialect === 'postgres') await repo.lockImports(k);
        // The import adds its lines' totals to the rollups: they must be whole before its lines go in.
        await repo.completeRollups(k);
        await repo.createStaging(k, c.dialect);
        const stager = repo.stagerFor(k, c.dialect, c.raw, c.pg);
        let header: Header = null;
        let docColumn = 'docNo';
        let bytes = 0;
        let seq = 0;
        let accountUsed: Uint8Array = new Uint8Array(0);
        let productUsed: Uint8Array = new Uint8Array(0);
        let rebuild: repo.Rebuild[] = [];

        /**
         * One read of the file. `direct`: valid lines go straight into sales_lines; returns false
         * as soon as a line was not new (the caller rolls back and reads again, staged).
         */
        const readPass = async (direct: Direct | null): Promise<boolean> => {
          const parseSpec: Omit<ParseSpec, 'limits'> = {
            file: spec.file, format: spec.format, encoding: spec.encoding, delimiter: spec.delimiter, mapping: spec.mapping, parse: spec.parse,
            accountCodes: l.accountCodes, skus: l.skus, productCategory: l.productCategory, categories: l.categories,
            copy: c.dialect !== 'postgres' ? null : direct ? { into: 'sales_lines', accountIds: l.accountIds, productIds: l.productIds, now: l.now } : c.pg ? { into: 'imp_stage' } : null,
          };
          let sized = false;
          try {
            for await (const ev of parseEvents(parseSpec, spec.reading)) {
              if (signal.aborted) throw new Cancelled();
              if (ev.type === 'header') {
                header = ev.header;
                docColumn = ev.header.resolved.header.docNo ?? 'docNo';
                continue;
              }
              if (ev.type === 'deltas') {
                if (direct && !(await direct.pause())) return false;
                // In slices: one statement of 200,000 rows would hold them all as parameters at once.
                for (let i = 0; i < ev.deltas.n; i += 5000) await stager.deltas(deltaRows(ev.deltas, i, i + 5000));
                continue;
              }
              out.processedLines = ev.lines;
              out.skipped = ev.skipped;
              bytes = ev.bytes;
              if (ev.type === 'end') { accountUsed = ev.accountUsed; productUsed = ev.productUsed; continue; }
              if (ev.errors.length) {
                if (direct && !(await direct.pause())) return false;
                // A bad cell may hold the NUL that made it bad: PostgreSQL could not stage it as is.
                await stager.errors(ev.errors.map((e) => [e.line, seq++, spellNul(e.column), spellNul(e.value), e.reason]));
                out.errorCount += ev.errors.length;
              }
              if (direct) {
                if (!sized) {
                  // From the first stretch of the file, how many lines it holds: a bulk load (far more
                  // lines than the table) drops the secondary indexes now and builds them once at the end.
                  sized = true;
                  const expected = ev.bytes > 0 && l.fileSize > ev.bytes ? (ev.lines * l.fileSize) / ev.bytes : ev.lines;
                  if (expected >= repo.bulkTuning.rebuildIndexesFrom && expected > (await repo.maxLineId(k))) rebuild = await repo.dropForBulk(k, c.dialect);
                }
                if (ev.n && !(await direct.add(ev))) return false;
              } else await stager.lines(ev);
              await onProgress({ processedLines: out.processedLines, processedBytes: bytes, phase: 'reading' });
            }
            return direct ? direct.pause() : true;
          } finally {
            // An open COPY stream would hold the client: end it before anything else (rollback included).
            await stager.close();
            if (direct) await direct.pause().catch(() => false);
          }
        };

        // Optimistic direct load first; at the first line that is not new, back to the savepoint and a staged read.
        let direct = spec.dryRun ? null : directFor(c, l);
        if (direct) await sql`savepoint openkam_direct`.execute(k);
        const fkSkipped = direct && c.dialect === 'postgres' && await repo.skipForeignKeyTriggers(k);
        const t0 = performance.now();
        const whole = await readPass(direct);
        repo.trace(`read (${direct ? 'direct' : 'staged'}${rebuild.length ? `, ${rebuild.length} indexes dropped` : ''})`, t0);
        if (!whole) {
          await sql`rollback to openkam_direct`.execute(k);
          direct = null;
          out = empty(spec);
          header = null;
          seq = 0;
          rebuild = [];
          await readPass(null);
        }
        if (direct) await sql`release openkam_direct`.execute(k);
        if (!header) header = { resolved: { index: {}, header: {} }, errors: [{ line: 1, column: '', value: '', reason: 'the file is empty' }] };
        if (header.errors.length) {
          out.errorCount = header.errors.length;
          await writeErrorFile(spec.errorsPath, inMemory(header.errors));
          throw Object.assign(new Error('header'), { outcome: { ...out, status: 'failed', errorsPath: spec.errorsPath, message: 'The header does not match the mapping' } });
        }
        if (signal.aborted) throw new Cancelled();
        const failWithErrors = async (): Promise<never> => {
          const total = await repo.errorCount(k);
          out.errorCount = total;
          await writeErrorFile(spec.errorsPath, (async function* () {
            let after: [number, number] = [-1, -1];
            for (;;) {
              const page = await repo.errorPage(k, after, 5000);
              if (!page.length) return;
              after = [page[page.length - 1]![0], page[page.length - 1]![1]];
              yield page.map(([line, , column, value, reason]) => ({ line, column, value, reason }));
            }
          })());
          throw Object.assign(new Error('bad lines'), { outcome: { ...out, status: 'failed', errorsPath: spec.errorsPath, message: `${total} problem(s) in the file; nothing was imported` } });
        };
        if (out.errorCount > 0) {
          // Bad lines: nothing will be written; duplicates are reported with them (a direct read
          // that ended saw none: every valid line went in under its own key).
          if (!direct) await repo.flagDuplicates(k, docColumn);
          await failWithErrors();
        }
        await stager.maps(l.accountIds.flatMap((id, i) => (accountUsed[i] ? [[i, id] as [number, string]] : [])),
          l.productIds.flatMap((id, i) => (productUsed[i] ? [[i, id, l.productCategories[i]!] as [number, string, string]] : [])));
        onProgress({ processedLines: out.processedLines, processedBytes: bytes, phase: 'merging' });
        const counts = direct ? await repo.mergeDirect(k, c.dialect, direct.inserted, rebuild) : await repo.mergeStaged(k, { dialect: c.dialect, raw: c.raw, now: l.now, docColumn, writable: (column) => accountWritableBy(ctx.actor, column) });
        // The lines and their rollups are in (their accounts and products locked by mergeDirect): triggers fire again.
        if (direct && fkSkipped) await repo.restoreForeignKeyTriggers(k);
        if (!counts) await failWithErrors();
        if (signal.aborted) throw new Cancelled();
        Object.assign(out, { inserted: counts!.inserted, updated: counts!.updated, unchanged: counts!.unchanged });
        if (spec.dryRun) throw Object.assign(new DryRunDone(), { outcome: { ...out } });
        await recordAudit(k, ctx, { action: 'import', entity: 'import_job', entityId: spec.jobId, after: auditOf(spec, out) });
        await auditLines(k, ctx, spec, c.dialect, out.updated > 0);
        await repo.updateJob(k, spec.jobId, jobPatch(ctx, out));
        if (c.dialect === 'sqlite') await repo.dropStaging(k);
        return out;
      });
    } catch (e) {
      const outcome = outcomeOf(e, out, spec);
      if (c.dialect === 'sqlite') await repo.dropStaging(c.k);
      await repo.updateJob(c.k, spec.jobId, jobPatch(ctx, outcome));
      return outcome;
    }
  });
}

function outcomeOf(e: unknown, out: ImportOutcome, spec: ImportSpec): ImportOutcome {
  if (e instanceof Cancelled) return { ...out, status: 'cancelled', inserted: 0, updated: 0, unchanged: 0, message: 'Cancelled; nothing was imported' };
  if (e instanceof repo.NamedRecordsGone) return { ...out, status: 'failed', inserted: 0, updated: 0, unchanged: 0, message: e.message };
  const given = (e as { outcome?: ImportOutcome }).outcome;
  if (given) return { ...given, message: given.message ?? (spec.dryRun ? 'Dry run: nothing was written' : null) };
  throw e;
}

/**
 * Each account's history shows what an import did to it (decision 009), written set-wise from the
 * staging tables: one entry per account for the lines it created (a bulk load creates millions),
 * and one per changed line with its old and new values, on both accounts when it moved.
 */
async function auditLines(k: Kysely<Database>, ctx: EngineCtx, spec: ImportSpec, dialect: Dialect, changed: boolean): Promise<void> {
  const t = performance.now();
  await recordAuditRows(k, ctx, { action: 'import', entity: 'import_job', rows: repo.createdLinesAudit(dialect, spec.jobId, spec.fileName) });
  if (changed) await recordAuditRows(k, ctx, { action: 'update', entity: 'sales_line', rows: repo.changedLinesAudit(dialect) });
  repo.trace('audit', t);
}

const auditOf = (spec: ImportSpec, o: ImportOutcome) => ({
  kind: spec.kind, file: spec.fileName, lines: o.processedLines, inserted: o.inserted, updated: o.updated, unchanged: o.unchanged, skipped: o.skipped,
});

/** The final state of a job row. */
export const jobPatch = (ctx: Pick<EngineCtx, 'clock'>, o: ImportOutcome): Partial<repo.JobRow> => {
  const at = ctx.clock.now().toISOString();
  return {
    status: o.status, processed_lines: o.processedLines, inserted: o.inserted, updated: o.updated, unchanged: o.unchanged, skipped: o.skipped,
    error_count: o.errorCount, errors_path: o.errorsPath, message: o.message, finished_at: at, updated_at: at,
  };
};

/** Accounts and products: a few thousand lines, validated in memory, merged row by row in one transaction. */
async function importSmall(ctx: EngineCtx, spec: ImportSpec, signal: AbortSignal, onProgress: OnProgress): Promise<ImportOutcome> {
  const out = empty(spec);
  const MAX = 200_000;
  const errors: LineError[] = [];
  const rows: { line: number; row: AccountRow | ProductRow }[] = [];
  const firstLine = new Map<string, number>();
  let header: Header = null;
  let bytes = 0;
  for await (const batch of readRowsBounded(spec.file, spec.format, { encoding: spec.encoding, delimiter: spec.delimiter }, spec.reading, { onBytes: (b) => { bytes = b; } })) {
    if (signal.aborted) return finish({ ...out, status: 'cancelled', message: 'Cancelled; nothing was imported' });
    for (const { line, cells } of batch as { line: number; cells: Cell[] }[]) {
      if (isBlank(cells)) { if (header) out.skipped++; continue; }
      if (!header) {
        header = resolveMapping(spec.kind, cells.map((x) => String(x ?? '')), spec.mapping, spec.parse);
        if (header.errors.length) break;
        continue;
      }
      out.processedLines++;
      if (out.processedLines > MAX) {
        errors.push({ line, column: '', value: '', reason: `more than ${MAX} lines; split the file` });
        break;
      }
      const v = spec.kind === 'accounts' ? validateAccountRow(cells, line, header.resolved) : validateProductRow(cells, line, header.resolved);
      if (v.row) {
        const key = 'code' in v.row ? v.row.code : v.row.sku;
        const first = firstLine.get(key);
        if (first !== undefined) {
          const field = spec.kind === 'accounts' ? 'code' : 'sku';
          v.errors.push({ line, column: header.resolved.header[field] ?? field, value: key, reason: `duplicate ${field} in this file (first at line ${first})` });
        } else firstLine.set(key, line);
      }
      if (v.errors.length) errors.push(...v.errors); else rows.push({ line, row: v.row! });
    }
    if (header?.errors.length) break;
    onProgress({ processedLines: out.processedLines, processedBytes: bytes, phase: 'reading' });
  }
  if (!header) errors.push({ line: 1, column: '', value: '', reason: 'the file is empty' });
  else errors.push(...header.errors);

  const now = ctx.clock.now().toISOString();
  const k0 = ctx.db.kysely;
  try {
    await k0.transaction().execute(async (k) => {
      if (!errors.length) {
        if (spec.kind === 'accounts') await mergeAccounts(k, ctx, rows as { line: number; row: AccountRow }[], now, out, errors, header!.resolved);
        else await mergeProducts(k, rows as { line: number; row: ProductRow }[], now, out);
      }
      if (errors.length) {
        errors.sort((a, b) => a.line - b.line);
        out.errorCount = errors.length;
        await writeErrorFile(spec.errorsPath, inMemory(errors));
        throw Object.assign(new Error('bad lines'), { outcome: { ...out, inserted: 0, updated: 0, unchanged: 0, status: 'failed', errorsPath: spec.errorsPath, message: `${errors.length} problem(s) in the file; nothing was imported` } });
      }
      if (signal.aborted) throw new Cancelled();
      if (spec.dryRun) throw Object.assign(new DryRunDone(), { outcome: { ...out } });
      await recordAudit(k, ctx, { action: 'import', entity: 'import_job', entityId: spec.jobId, after: auditOf(spec, out) });
      await repo.updateJob(k, spec.jobId, jobPatch(ctx, out));
    });
    return out;
  } catch (e) {
    return finish(outcomeOf(e, out, spec));
  }

  async function finish(o: ImportOutcome): Promise<ImportOutcome> {
    await repo.updateJob(ctx.db.kysely, spec.jobId, jobPatch(ctx, o));
    return o;
  }
}

async function mergeAccounts(k: Kysely<Database>, ctx: EngineCtx, rows: { line: number; row: AccountRow }[], now: string, out: ImportOutcome, errors: LineError[], m: ResolvedMapping) {
  const existing = new Map((await k.selectFrom('accounts').selectAll().execute()).map((a) => [a.code, a]));
  const visible = new Set((await k.selectFrom('accounts').select('id').where(accountVisibleTo(ctx.actor, 'accounts.id')).execute()).map((a) => a.id));
  const owner = ctx.actor.role === 'admin' ? null : ctx.actor.userId;
  for (const { line, row } of rows) {
    const a = existing.get(row.code);
    const values = { name: row.name, name_en: row.nameEn, kind: row.kind, province: row.province, city: row.city, status: row.status, currency: row.currency };
    if (!a) {
      await k.insertInto('accounts').values({ id: newId(), code: row.code, ...values, parent_id: null, owner_id: owner, territory_id: null, tier: null, created_at: now, updated_at: now, version: 1 }).execute();
      out.inserted++;
    } else if (!visible.has(a.id)) {
      errors.push({ line, column: m.header.code ?? 'code', value: row.code, reason: 'account code already used by an account you cannot edit' });
    } else if (Object.entries(values).some(([key, v]) => a[key as keyof typeof a] !== v)) {
      await k.updateTable('accounts').set({ ...values, updated_at: now, version: a.version + 1 }).where('id', '=', a.id).execute();
      out.updated++;
    } else out.unchanged++;
  }
}

async function mergeProducts(k: Kysely<Database>, rows: { line: number; row: ProductRow }[], now: string, out: ImportOutcome) {
  const existing = new Map((await k.selectFrom('products').selectAll().execute()).map((p) => [p.sku, p]));
  const recategorised: string[] = [];
  for (const { row } of rows) {
    const p = existing.get(row.sku);
    const values = { name_zh: row.nameZh, name_en: row.nameEn, unit: row.unit, pack_size: row.packSize, category: row.category };
    if (!p) {
      await k.insertInto('products').values({ id: newId(), sku: row.sku, ...values, created_at: now, updated_at: now, version: 1 }).execute();
      out.inserted++;
    } else if (Object.entries(values).some(([key, v]) => p[key as keyof typeof p] !== v)) {
      await k.updateTable('products').set({ ...values, updated_at: now, version: p.version + 1 }).where('id', '=', p.id).execute();
      if (p.category !== row.category) recategorised.push(p.id);
      out.updated++;
    } else out.unchanged++;
  }
  // The rollups are by category: a product that changed category moves its lines' totals.
  await repo.recomputeRollups(k, await repo.accountMonthsOfProducts(k, recategorised));
}

