/**
 * The stock report file import (decision 031), run as a background job by the sales import's job
 * runner (sales.jobs.ts) exactly as the shipment import is: the file is read as a stream in a
 * reader thread (sales.parse.ts, bounded memory), every row validated (stock.import-rows.ts), and
 * the valid rows written batch by batch inside ONE transaction on the import's own connection
 * (sales.import.ts withConnection): a file with any bad row, a cancelled import and a dry run are
 * rolled back whole. Idempotent by natural key (dealer, product, date: reportKey, shared with the
 * portal's form); a row already stored as it is writes nothing. The keys seen so far live in the
 * shipment import's temporary table, the problems go to the error file as they are found, so
 * memory stays flat whatever the file.
 */
import type { Expression, Kysely, SqlBool } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { FileReadingConfig } from '../../server/config.js';
import { accountVisibleTo, accountWritableBy, allows } from '../../server/policy.js';
import { newId } from '../../shared/ids.js';
import type { Actor } from '../auth/auth.domain.js';
import { recordAudit } from '../audit/audit.service.js';
import { ErrorFile } from '../delivery/import.engine.js';
import { addSeen, createSeen, dropSeen, seenLines } from '../../db/seen-keys.js';
import { type Cell, isBlank, type LineError } from '../sales/sales.domain.js';
import { type EngineCtx, type ImportOutcome, inTransaction, jobPatch, type OnProgress, withConnection } from '../sales/sales.import.js';
import { readRowsBounded } from '../sales/sales.parse.js';
import type { FileFormat } from '../sales/sales.reader.js';
import { updateJob } from '../sales/sales.repository.js';
import { reportChanged, reportKey } from './stock.domain.js';
import type { StockImportOptions } from './stock.import-contract.js';
import { resolveStockMapping, type ResolvedStockMapping, type StockFileRow, type StockImportAudience, type StockMapping, validateStockRow } from './stock.import-rows.js';
import * as repo from './stock.repository.js';
import type { DealerStockReportsTable } from './stock.table.js';

/** The temporary table of the keys this import has seen (src/db/seen-keys.ts). */
const SEEN = 'stock_import_seen';

/**
 * The accounts whose stock reports the actor may import: with delivery:write (logistics, admin,
 * director) every account they see; a manager those they may write (their own and their teams');
 * a dealer only its own.
 */
export const stockWritableBy = (actor: Actor, column: string): Expression<SqlBool> =>
  (actor.role === 'dealer' || allows(actor.role, 'delivery:write') ? accountVisibleTo(actor, column) : accountWritableBy(actor, column));

export type StockImportSpec = {
  jobId: string;
  audience: StockImportAudience;
  file: string;
  fileName: string;
  format: FileFormat;
  mapping: StockMapping;
  options: StockImportOptions;
  /** The dealer's day (Asia/Shanghai): a report dated after it is refused. */
  today: string;
  dryRun: boolean;
  errorsPath: string;
  reading: FileReadingConfig;
};

export type StockOutcome = ImportOutcome & { errorRows: number };

/** A checked row: its stored form and key, or its problems. */
export type CheckedRow = { line: number; key: string; row: Omit<DealerStockReportsTable, 'id' | 'source_key' | 'created_at' | 'updated_at' | 'version'> };

/**
 * Names the dealer and product of validated rows: a dealer the importer may write for (the
 * dealer's own file: its own company, the dealer column optional), a SKU of the catalogue.
 */
export async function checkRows(
  k: Kysely<Database>, actor: Actor, s: Pick<StockImportSpec, 'audience' | 'jobId'>, m: ResolvedStockMapping, rows: { line: number; row: StockFileRow }[],
): Promise<{ ok: CheckedRow[]; errors: LineError[] }> {
  const codes = [...new Set(rows.flatMap((r) => (r.row.accountCode ? [r.row.accountCode] : [])))];
  const accounts = await repo.accountsByCode(k, codes, (col) => stockWritableBy(actor, col));
  const products = await repo.productsBySku(k, [...new Set(rows.flatMap((r) => (r.row.sku ? [r.row.sku] : [])))]);
  const ok: CheckedRow[] = [];
  const errors: LineError[] = [];
  for (const { line, row } of rows) {
    const before = errors.length;
    const at = (f: 'accountCode' | 'sku', value: string, reason: string) => errors.push({ line, column: m.header[f] ?? f, value, reason });
    const accountId = row.accountCode === null ? actor.accountId : accounts.get(row.accountCode);
    if (!accountId) {
      at('accountCode', row.accountCode ?? '', s.audience === 'portal' ? 'a row for another dealer: you may report only your own company\'s stock' : 'no dealer with this code that you may import stock for');
    }
    if (row.sku && !products.has(row.sku)) at('sku', row.sku, 'no product with this SKU (put it in the item column if it is not in the catalogue)');
    if (errors.length > before) continue;
    ok.push({
      line, key: reportKey(accountId!, row),
      row: {
        account_id: accountId!, product_id: row.sku ? products.get(row.sku)! : null, item: row.item, report_date: row.reportDate, on_hand: row.onHand,
        sold_since_last: row.soldSinceLast, unit: row.unit, source: s.audience === 'portal' ? 'portal' : 'import', import_job_id: s.jobId, created_by: actor.userId,
      },
    });
  }
  return { ok, errors };
}

/** What writing the row would do against what is stored under its key. */
export const outcomeOf = (before: DealerStockReportsTable | undefined, r: CheckedRow): 'inserted' | 'updated' | 'unchanged' =>
  (!before ? 'inserted' : reportChanged(before, r.row) ? 'updated' : 'unchanged');

class Rollback extends Error { constructor(readonly outcome: StockOutcome) { super('rollback'); } }

/** Runs one stock import to its end. Bad rows, cancellation and a dry run are outcomes, not exceptions. */
export async function runStockImport(ctx: EngineCtx, spec: StockImportSpec, signal: AbortSignal, onProgress: OnProgress): Promise<StockOutcome> {
  const out: StockOutcome = {
    status: 'succeeded', dryRun: spec.dryRun, processedLines: 0, inserted: 0, updated: 0, unchanged: 0, skipped: 0, errorCount: 0, errorsPath: null, message: null, errorRows: 0,
  };
  const touched = new Map<string, number>();
  const errorFile = new ErrorFile(spec.errorsPath);
  const now = ctx.clock.now().toISOString();
  const fail = async (e: LineError[]) => { out.errorCount += e.length; await errorFile.add(e); };
  const cancelled = () => new Rollback({ ...out, status: 'cancelled', inserted: 0, updated: 0, unchanged: 0, message: 'Cancelled; nothing was imported' });

  return withConnection(ctx.db, async (c) => {
    try {
      return await inTransaction(c, async (k) => {
        await createSeen(k, c.dialect, SEEN);
        let header: ResolvedStockMapping | null = null;
        let bytes = 0;
        for await (const batch of readRowsBounded(spec.file, spec.format, { encoding: spec.options.encoding, delimiter: spec.options.delimiter }, spec.reading, { onBytes: (b) => { bytes = b; } })) {
          if (signal.aborted) throw cancelled();
          const valid: { line: number; row: StockFileRow }[] = [];
          const errors: LineError[] = [];
          const bad = new Set<number>();
          for (const { line, cells } of batch as { line: number; cells: Cell[] }[]) {
            if (isBlank(cells)) { if (header) out.skipped++; continue; }
            if (!header) {
              const r = resolveStockMapping(cells.map((x) => String(x ?? '').trim()), spec.mapping, spec.audience);
              if (r.errors.length) {
                await fail(r.errors);
                throw new Rollback({ ...out, status: 'failed', errorsPath: spec.errorsPath, message: 'The header does not match the mapping; nothing was imported' });
              }
              header = r.resolved;
              continue;
            }
            out.processedLines++;
            const v = validateStockRow(cells, line, header, { ...spec.options, today: spec.today });
            if (v.errors.length) { bad.add(line); errors.push(...v.errors); } else valid.push({ line, row: v.row! });
          }
          const checked = await checkRows(k, ctx.actor, spec, header!, valid);
          for (const e of checked.errors) { bad.add(e.line); errors.push(e); }
          // The same dealer, product and date twice in the file: the second row is a problem (the keys seen so far are in dimp_seen).
          const earlier = await seenLines(k, SEEN, checked.ok.map((r) => r.key));
          const firstInBatch = new Map<string, number>();
          const fresh: CheckedRow[] = [];
          for (const r of checked.ok) {
            const first = earlier.get(r.key) ?? firstInBatch.get(r.key);
            if (first !== undefined) {
              bad.add(r.line);
              errors.push({ line: r.line, column: header?.header.reportDate ?? 'reportDate', value: r.row.report_date, reason: `the same dealer, product and date as line ${first} of this file` });
            } else { firstInBatch.set(r.key, r.line); fresh.push(r); }
          }
          await addSeen(k, SEEN, [...firstInBatch]);
          out.errorRows += bad.size;
          // Once a row is bad nothing will be kept: the rest of the file is only checked.
          if (out.errorRows === 0 && fresh.length) await write(k, fresh);
          await fail(errors.sort((a, b) => a.line - b.line));
          await onProgress({ processedLines: out.processedLines, processedBytes: bytes, phase: 'reading' });
        }
        if (!header) {
          await fail([{ line: 1, column: '', value: '', reason: 'the file is empty' }]);
          throw new Rollback({ ...out, status: 'failed', errorsPath: spec.errorsPath, message: 'The file is empty' });
        }
        if (signal.aborted) throw cancelled();
        if (out.errorRows > 0) {
          throw new Rollback({ ...out, status: 'failed', inserted: 0, updated: 0, unchanged: 0, errorsPath: spec.errorsPath,
            message: `${out.errorRows} row(s) of ${out.processedLines} cannot be imported (${out.errorCount} problem(s)); nothing was imported` });
        }
        if (spec.dryRun) throw new Rollback({ ...out, message: 'Dry run: nothing was written' });
        const summary = { file: spec.fileName, rows: out.processedLines, inserted: out.inserted, updated: out.updated, unchanged: out.unchanged, skipped: out.skipped };
        await recordAudit(k, ctx, { action: 'stock.import', entity: 'import_job', entityId: spec.jobId, after: summary });
        // Each account's history shows what the import did to it.
        for (const [accountId, rows] of touched) {
          await recordAudit(k, ctx, { action: 'stock.import', entity: 'import_job', entityId: spec.jobId, accountId, after: { file: spec.fileName, rowsWritten: rows } });
        }
        await dropSeen(k, c.dialect, SEEN);
        await saveJob(k, spec, ctx, out);
        return out;
      });
    } catch (e) {
      if (!(e instanceof Rollback)) throw e;
      await errorFile.close();
      await dropSeen(c.k, c.dialect, SEEN);
      await saveJob(c.k, spec, ctx, e.outcome);
      return e.outcome;
    } finally {
      await errorFile.close();
    }
  });

  /** Writes one batch of checked rows new in this file: inserts many per statement, updates what changed. */
  async function write(k: Kysely<Database>, rows: CheckedRow[]): Promise<void> {
    const stored = await repo.reportsByKey(k, rows.map((r) => r.key));
    const inserts: DealerStockReportsTable[] = [];
    for (const r of rows) {
      const before = stored.get(r.key);
      const outcome = outcomeOf(before, r);
      if (outcome === 'inserted') inserts.push({ id: newId(), source_key: r.key, created_at: now, updated_at: now, version: 1, ...r.row });
      else if (outcome === 'updated') await repo.updateReport(k, before!.id, { ...r.row, created_by: before!.created_by, updated_at: now, version: before!.version + 1 });
      out[outcome]++;
      if (outcome !== 'unchanged') touched.set(r.row.account_id, (touched.get(r.row.account_id) ?? 0) + 1);
    }
    await repo.insertReports(k, inserts);
  }
}

/** The job row's final state, with the count of bad rows beside the options. */
async function saveJob(k: Kysely<Database>, spec: StockImportSpec, ctx: EngineCtx, o: StockOutcome): Promise<void> {
  await updateJob(k, spec.jobId, { ...jobPatch(ctx, o), options_json: JSON.stringify({ options: spec.options, mapping: spec.mapping, errorRows: o.errorRows }) });
}
