/**
 * The shipment file import, run as a background job by the sales import's job runner
 * (sales.jobs.ts): the file is read as a stream in a reader thread (sales.parse.ts, bounded
 * memory), every row validated (import.rows.ts), and the valid rows written inside ONE transaction
 * on the import's own connection (sales.import.ts withConnection): a file with any bad row, a
 * cancelled import and a dry run are rolled back whole, so nothing is ever half-written.
 * Idempotent by natural key: each row's order line by its source key, its shipment by the line's key
 * and shipment number; a row already stored as it is writes nothing. New keys go straight into the
 * tables, anything else through a staging table merged set-wise (decision 028). Problems are kept
 * in a temporary table and written to the error file in line order (line, column, value, reason).
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import { once } from 'node:events';
import path from 'node:path';
import { type Kysely, sql } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { FileReadingConfig } from '../../server/config.js';
import { accountVisibleTo } from '../../server/policy.js';
import { refreshOtifAccounts, refreshOtifCells } from './delivery.rollups.js';
import { toCsv } from '../../shared/csv.js';
import { newId } from '../../shared/ids.js';
import { spellNul } from '../../shared/text.js';
import { recordAudit } from '../audit/audit.service.js';
import { type Cell, isBlank, type LineError } from '../sales/sales.domain.js';
import { type EngineCtx, type ImportOutcome, inTransaction, jobPatch, type OnProgress, withConnection } from '../sales/sales.import.js';
import { readRowsBounded } from '../sales/sales.parse.js';
import type { FileFormat } from '../sales/sales.reader.js';
import { trace, updateJob } from '../sales/sales.repository.js';
import type { OrderLinesTable } from './delivery.table.js';
import type { ShipmentImportOptions } from './import.contract.js';
import * as repo from './import.repository.js';
import { type ParsedShipmentRow, resolveShipmentMapping, type ResolvedShipmentMapping, type ShipmentMapping, validateShipmentRow } from './import.rows.js';

export type ShipmentImportSpec = {
  jobId: string;
  /** The data directory (China's loaded holiday years), for the OTIF cells rebuilt with the import. */
  dataDir: string;
  file: string;
  fileName: string;
  format: FileFormat;
  mapping: ShipmentMapping;
  options: ShipmentImportOptions;
  dryRun: boolean;
  errorsPath: string;
  reading: FileReadingConfig;
};

export type ShipmentOutcome = ImportOutcome & { errorRows: number };

/** The error file, opened at the first problem and written a page at a time (the stock import writes its own with it). */
export class ErrorFile {
  private out: WriteStream | null = null;
  constructor(private file: string) {}
  async add(errors: LineError[]): Promise<void> {
    if (!errors.length) return;
    if (!this.out) {
      await mkdir(path.dirname(this.file), { recursive: true });
      this.out = createWriteStream(this.file);
      await this.write(toCsv([['line', 'column', 'value', 'reason']], { bom: true }));
    }
    // The values come from the uploaded file: the writer keeps a hostile one from running as a formula.
    await this.write(toCsv(errors.map((e) => [e.line, spellNul(e.column), spellNul(e.value), e.reason])));
  }
  async close(): Promise<boolean> {
    const out = this.out;
    if (!out) return false;
    this.out = null;
    out.end();
    await once(out, 'finish');
    return true;
  }
  private async write(s: string) { if (!this.out!.write(s)) await once(this.out!, 'drain'); }
}

class Rollback extends Error { constructor(readonly outcome: ShipmentOutcome) { super('rollback'); } }

/** Tuning of the write paths (tests lower the threshold to exercise the bulk path). */
export const shipmentImportTuning = {
  /** From this many rows expected, and more than order_lines holds, the secondary indexes are dropped and built once at the end. */
  rebuildIndexesFrom: 200_000,
};

const sameText = (a: unknown, b: unknown) => String(a ?? '') === String(b ?? '');

/** Whether a stored line has the values of a staged row (a missing text is the empty text). */
const sameLine = (l: OrderLinesTable, r: repo.StagedRow) =>
  sameText(l.account_id, r[1]) && sameText(l.order_no, r[4]) && sameText(l.line_no, r[5]) && sameText(l.item, r[6]) && sameText(l.quantity, r[7]) && sameText(l.unit, r[8])
  && sameText(l.value_minor, r[9]) && sameText(l.currency, r[10]) && sameText(l.ordered_date, r[11]) && sameText(l.requested_date, r[12]) && sameText(l.promised_date, r[13])
  && sameText(l.status, r[14]) && sameText(l.cancelled_date, r[15]) && sameText(l.lane_code, r[16]);

function stagedRow(line: number, accountId: string, row: ParsedShipmentRow): repo.StagedRow {
  const l = row.line, s = row.shipment;
  return [line, accountId, newId(), l.sourceKey, l.orderNo, l.lineNo, l.item, l.quantity, l.unit, l.valueMinor, l.currency, l.orderedDate, l.requestedDate, l.promisedDate,
    l.status, l.cancelledDate, l.laneCode,
    s ? newId() : null, s?.sourceKey ?? null, s?.shipmentNo ?? null, s?.shippedDate ?? null, s?.deliveredDate ?? null, s?.quantity ?? null, s?.mode ?? null, s?.carrier ?? null,
    s?.weightGrams ?? null, s?.weightNote ?? null, s?.freightMinor ?? null, s?.freightCurrency ?? null, s?.freightNote ?? null];
}

/** The direct read stops at the first row whose key is not new: the caller reads the file again, staged. */
class NotNew extends Error {}

/**
 * Runs one shipment import to its end. Bad rows, cancellation and a dry run are outcomes, not exceptions.
 *
 * Like the sales import (decision 009), optimistic: the file is first read straight into
 * order_lines and shipments while every key is new (a split delivery, one line on several rows with
 * the same values, counts as new). At the first key that exists already, or comes twice, it rolls
 * back to its savepoint and reads the file again into a staging table, merged set-wise (decision 028).
 */
export async function runShipmentImport(ctx: EngineCtx, spec: ShipmentImportSpec, signal: AbortSignal, onProgress: OnProgress): Promise<ShipmentOutcome> {
  const empty = (): ShipmentOutcome => ({
    status: 'succeeded', dryRun: spec.dryRun, processedLines: 0, inserted: 0, updated: 0, unchanged: 0, skipped: 0, errorCount: 0, errorsPath: null, message: null, errorRows: 0,
  });
  let out = empty();
  const accounts = await repo.visibleAccounts(ctx.db.kysely, accountVisibleTo(ctx.actor, 'accounts.id'));
  const fileSize = (await stat(spec.file)).size;
  const errorFile = new ErrorFile(spec.errorsPath);
  const now = ctx.clock.now().toISOString();
  const cancelled = () => new Rollback({ ...out, status: 'cancelled', inserted: 0, updated: 0, unchanged: 0, message: 'Cancelled; nothing was imported' });

  return withConnection(ctx.db, async (c) => {
    try {
      return await inTransaction(c, async (k) => {
        await repo.createStaging(k, c.dialect);
        const stager = repo.stagerFor(k, c.dialect, c.raw);
        let header: ResolvedShipmentMapping | null = null;
        let rebuild: repo.Rebuild[] = [];
        // The direct read's account-months and rows per account (bounded: accounts × months).
        const months = new Set<string>();
        const perAccount = new Map<string, number>();

        /** Writes one batch straight into the tables; throws NotNew at a key that is not new. */
        const direct = repo.directWriter(k, c.dialect, c.raw, spec.jobId, now);
        const writeDirect = async (rows: repo.StagedRow[]) => {
          const lineIds = rows.map((r) => r[repo.R.lineId]);
          if (await direct.lines(rows) < rows.length) {
            // A line not written is stored already: by this read (a split delivery: same values, and a
            // shipment of its own, else the row says nothing new) or by something else (staged).
            const stored = await repo.linesByKey(k, [...new Set(rows.map((r) => r[repo.R.lineKey]))]);
            rows.forEach((r, i) => {
              const l = stored.get(r[repo.R.lineKey]);
              if (l?.id === r[repo.R.lineId]) return;
              if (!l || l.import_job_id !== spec.jobId || r[repo.R.shipmentKey] === null || !sameLine(l, r)) throw new NotNew();
              lineIds[i] = l.id;
            });
          }
          const withShipment = rows.flatMap((r, i) => (r[repo.R.shipmentKey] === null ? [] : [i]));
          if (await direct.shipments(withShipment.map((i) => rows[i]!), withShipment.map((i) => lineIds[i]!)) < withShipment.length) throw new NotNew();
          for (const r of rows) {
            perAccount.set(r[repo.R.acc], (perAccount.get(r[repo.R.acc]) ?? 0) + 1);
            const p = r[repo.R.promised];
            if (p !== null) months.add(`${r[repo.R.acc]}|${p.slice(0, 7)}`);
          }
          out.inserted += rows.length;
        };

        /** One read of the file: every row validated, problems staged, valid rows written directly or staged. */
        const readPass = async (mode: 'direct' | 'staged'): Promise<void> => {
          let bytes = 0;
          let seq = 0;
          let sized = mode === 'staged';
          for await (const batch of readRowsBounded(spec.file, spec.format, { encoding: spec.options.encoding, delimiter: spec.options.delimiter }, spec.reading, { onBytes: (b) => { bytes = b; } })) {
            if (signal.aborted) throw cancelled();
            const valid: repo.StagedRow[] = [];
            const errors: repo.StagedError[] = [];
            for (const { line, cells } of batch as { line: number; cells: Cell[] }[]) {
              if (isBlank(cells)) { if (header) out.skipped++; continue; }
              if (!header) {
                const r = resolveShipmentMapping(cells.map((x) => String(x ?? '').trim()), spec.mapping);
                if (r.errors.length) {
                  out.errorCount += r.errors.length;
                  await errorFile.add(r.errors);
                  throw new Rollback({ ...out, status: 'failed', errorsPath: spec.errorsPath, message: 'The header does not match the mapping; nothing was imported' });
                }
                header = r.resolved;
                continue;
              }
              out.processedLines++;
              const v = validateShipmentRow(cells, line, header, spec.options);
              const accountId = v.row ? accounts.get(v.row.line.accountCode) : undefined;
              if (v.row && accountId === undefined) {
                v.errors.push({ line, column: header.header.accountCode ?? 'accountCode', value: v.row.line.accountCode, reason: 'no account with this code that you may see' });
              }
              if (v.errors.length) {
                out.errorRows++;
                for (const e of v.errors) errors.push([e.line, seq++, e.column, e.value, e.reason]);
                continue;
              }
              valid.push(stagedRow(line, accountId!, v.row!));
            }
            if (errors.length) { out.errorCount += errors.length; await stager.errors(errors); }
            if (mode === 'direct') {
              if (!sized) {
                // From the first stretch of the file, how many rows it holds: a bulk load (more rows than
                // the table) drops the secondary indexes now and builds them once at the end.
                sized = true;
                const expected = bytes > 0 && fileSize > bytes ? (out.processedLines * fileSize) / bytes : out.processedLines;
                if (expected >= shipmentImportTuning.rebuildIndexesFrom && expected > (await repo.orderLineCount(k))) rebuild = await repo.dropForBulk(k, c.dialect);
              }
              // Once a row is bad nothing will be kept, but the rows still go in: a key twice shows as one not new.
              if (valid.length) await writeDirect(valid);
            } else if (valid.length) await stager.rows(valid);
            await onProgress({ processedLines: out.processedLines, processedBytes: bytes, phase: 'reading' });
          }
        };

        const failWithErrors = async (): Promise<never> => {
          let after: [number, number] = [-1, -1];
          for (;;) {
            const page = await repo.errorPage(k, after, 5000);
            if (!page.length) break;
            after = [page[page.length - 1]![0], page[page.length - 1]![1]];
            await errorFile.add(page.map(([line, , column, value, reason]) => ({ line, column, value, reason })));
          }
          throw new Rollback({ ...out, status: 'failed', inserted: 0, updated: 0, unchanged: 0, errorsPath: spec.errorsPath,
            message: `${out.errorRows} row(s) of ${out.processedLines} cannot be imported (${out.errorCount} problem(s)); nothing was imported` });
        };
        const noHeader = async (): Promise<never> => {
          out.errorCount++;
          await errorFile.add([{ line: 1, column: '', value: '', reason: 'the file is empty' }]);
          throw new Rollback({ ...out, status: 'failed', errorsPath: spec.errorsPath, message: 'The file is empty' });
        };

        let touched: { accountId: string; month: string }[];
        let written: Map<string, number>;
        await sql`savepoint dimp_direct`.execute(k);
        let t = performance.now();
        try {
          await readPass('direct');
          t = trace(`shipments read (direct${rebuild.length ? `, ${rebuild.length} indexes dropped` : ''})`, t);
          await sql`release dimp_direct`.execute(k);
          if (!header) await noHeader();
          if (signal.aborted) throw cancelled();
          // A direct read that ended met every key once and only new or its own lines: its problems are the rows' own.
          if (out.errorRows > 0) await failWithErrors();
          await onProgress({ processedLines: out.processedLines, processedBytes: fileSize, phase: 'merging' });
          await repo.rebuildIndexes(k, c.dialect, rebuild);
          t = trace('shipments indexes', t);
          touched = [...months].map((m) => { const [accountId, month] = m.split('|') as [string, string]; return { accountId, month }; });
          written = perAccount;
        } catch (e) {
          if (!(e instanceof NotNew)) throw e;
          await sql`rollback to dimp_direct`.execute(k);
          await sql`delete from dimp_err`.execute(k);
          out = empty();
          header = null;
          t = trace('shipments direct read abandoned', t);
          await readPass('staged');
          t = trace('shipments read (staged)', t);
          if (!header) await noHeader();
          if (signal.aborted) throw cancelled();
          await onProgress({ processedLines: out.processedLines, processedBytes: fileSize, phase: 'merging' });
          const env: repo.StagedEnv = {
            dialect: c.dialect, jobId: spec.jobId, now, keyColumn: header!.header.sourceKey ?? header!.header.orderNo ?? '', visible: (column) => accountVisibleTo(ctx.actor, column),
          };
          const rows = await repo.indexStaging(k, c.dialect);
          t = trace('shipments staging indexed', t);
          const lines = await repo.stageLines(k, env);
          t = trace(`shipments lines staged (${lines} of ${rows} rows)`, t);
          if (await repo.flagWholeFileProblems(k, env, lines < rows) > 0) {
            const n = await repo.errorCount(k);
            out.errorRows += n.rows;
            out.errorCount = n.problems;
          }
          if (out.errorRows > 0) await failWithErrors();
          await repo.stageShipments(k, env);
          t = trace('shipments shipments staged', t);
          const counts = await repo.rowOutcomes(k, lines < rows);
          t = trace('shipments counted', t);
          touched = await repo.changedMonths(k);
          t = trace('shipments changed months', t);
          written = new Map();
          for (const a of counts) {
            out.inserted += a.inserted;
            out.updated += a.updated;
            out.unchanged += a.rows - a.inserted - a.updated;
            if (a.inserted + a.updated > 0) written.set(a.accountId, a.inserted + a.updated);
          }
          rebuild = rows >= shipmentImportTuning.rebuildIndexesFrom && rows > (await repo.orderLineCount(k)) ? await repo.dropForBulk(k, c.dialect) : [];
          await repo.writeStaged(k, env);
          t = trace('shipments written', t);
          await repo.rebuildIndexes(k, c.dialect, rebuild);
          t = trace('shipments indexes', t);
        }
        if (signal.aborted) throw cancelled();
        if (spec.dryRun) throw new Rollback({ ...out, message: 'Dry run: nothing was written' });
        const summary = { file: spec.fileName, rows: out.processedLines, inserted: out.inserted, updated: out.updated, unchanged: out.unchanged, skipped: out.skipped };
        await recordAudit(k, ctx, { action: 'delivery.import', entity: 'import_job', entityId: spec.jobId, after: summary });
        // Each account's history shows what the import did to it.
        for (const [accountId, rows] of written) {
          await recordAudit(k, ctx, { action: 'delivery.import', entity: 'import_job', entityId: spec.jobId, accountId, after: { file: spec.fileName, rowsWritten: rows } });
        }
        t = trace('shipments audit', t);
        // The OTIF cells of every account-month the file changed, in the same transaction (decision 027):
        // an account whose every month changed is recomputed whole (one read of its lines, no month list).
        const byAccount = new Map<string, Set<string>>();
        for (const p of touched) (byAccount.get(p.accountId) ?? byAccount.set(p.accountId, new Set()).get(p.accountId)!).add(p.month);
        const held = await repo.monthsWithLines(k, [...byAccount.keys()]);
        const whole = [...byAccount].filter(([a, months]) => [...(held.get(a) ?? [])].every((m) => months.has(m))).map(([a]) => a);
        const wholeSet = new Set(whole);
        const env = { config: { dataDir: spec.dataDir } };
        await refreshOtifAccounts(k, env, whole);
        await refreshOtifCells(k, env, touched.filter((p) => !wholeSet.has(p.accountId)));
        trace(`shipments OTIF cells (${touched.length} account-months, ${whole.length} accounts whole)`, t);
        if (c.dialect === 'sqlite') await repo.dropStaging(k);
        await saveJob(k, spec, ctx, out);
        return out;
      });
    } catch (e) {
      if (!(e instanceof Rollback)) throw e;
      await errorFile.close();
      if (c.dialect === 'sqlite') await repo.dropStaging(c.k);
      await saveJob(c.k, spec, ctx, e.outcome);
      return e.outcome;
    } finally {
      await errorFile.close();
    }
  });
}

/** The job row's final state, with the count of bad rows beside the options. */
async function saveJob(k: Kysely<Database>, spec: ShipmentImportSpec, ctx: EngineCtx, o: ShipmentOutcome): Promise<void> {
  await updateJob(k, spec.jobId, { ...jobPatch(ctx, o), options_json: JSON.stringify({ options: spec.options, mapping: spec.mapping, errorRows: o.errorRows }) });
}
