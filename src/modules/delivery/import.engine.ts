/**
 * The shipment file import, run as a background job by the sales import's job runner
 * (sales.jobs.ts): the file is read as a stream in a reader thread (sales.parse.ts, bounded
 * memory), every row validated (import.rows.ts), and the valid rows written batch by batch inside
 * ONE transaction on the import's own connection (sales.import.ts withConnection): a file with any
 * bad row, a cancelled import and a dry run are rolled back whole, so nothing is ever half-written.
 * Idempotent by natural key: each row's order line by its source key, its shipment by the line's key
 * and shipment number; a row already stored as it is writes nothing. Problems go to the error file
 * as they are found (line, column, value, reason), so memory stays flat whatever the file.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { once } from 'node:events';
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { FileReadingConfig } from '../../server/config.js';
import { accountVisibleTo } from '../../server/policy.js';
import { refreshOtifAccounts } from './delivery.rollups.js';
import { toCsv } from '../../shared/csv.js';
import { newId } from '../../shared/ids.js';
import { spellNul } from '../../shared/text.js';
import { recordAudit } from '../audit/audit.service.js';
import { type Cell, isBlank, type LineError } from '../sales/sales.domain.js';
import { type EngineCtx, type ImportOutcome, inTransaction, jobPatch, type OnProgress, withConnection } from '../sales/sales.import.js';
import { readRowsBounded } from '../sales/sales.parse.js';
import type { FileFormat } from '../sales/sales.reader.js';
import { updateJob } from '../sales/sales.repository.js';
import * as deliveryRepo from './delivery.repository.js';
import type { OrderLinesTable, ShipmentsTable } from './delivery.table.js';
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

type Valid = { lineNo: number; row: ParsedShipmentRow; accountId: string };

const same = (before: object, after: object) =>
  Object.entries(after).every(([k, v]) => String((before as Record<string, unknown>)[k] ?? '') === String(v ?? ''));

/** Runs one shipment import to its end. Bad rows, cancellation and a dry run are outcomes, not exceptions. */
export async function runShipmentImport(ctx: EngineCtx, spec: ShipmentImportSpec, signal: AbortSignal, onProgress: OnProgress): Promise<ShipmentOutcome> {
  const out: ShipmentOutcome = {
    status: 'succeeded', dryRun: spec.dryRun, processedLines: 0, inserted: 0, updated: 0, unchanged: 0, skipped: 0, errorCount: 0, errorsPath: null, message: null, errorRows: 0,
  };
  const accounts = await repo.visibleAccounts(ctx.db.kysely, accountVisibleTo(ctx.actor, 'accounts.id'));
  const accountIds = new Set(accounts.values());
  const touched = new Map<string, number>();
  const errorFile = new ErrorFile(spec.errorsPath);
  const now = ctx.clock.now().toISOString();

  const fail = async (e: LineError[]) => { out.errorCount += e.length; await errorFile.add(e); };

  return withConnection(ctx.db, async (c) => {
    try {
      return await inTransaction(c, async (k) => {
        await repo.createSeen(k, c.dialect);
        let header: { resolved: ResolvedShipmentMapping } | null = null;
        let bytes = 0;
        for await (const batch of readRowsBounded(spec.file, spec.format, { encoding: spec.options.encoding, delimiter: spec.options.delimiter }, spec.reading, { onBytes: (b) => { bytes = b; } })) {
          if (signal.aborted) throw new Rollback({ ...out, status: 'cancelled', inserted: 0, updated: 0, unchanged: 0, message: 'Cancelled; nothing was imported' });
          const valid: Valid[] = [];
          const errors: LineError[] = [];
          for (const { line, cells } of batch as { line: number; cells: Cell[] }[]) {
            if (isBlank(cells)) { if (header) out.skipped++; continue; }
            if (!header) {
              const r = resolveShipmentMapping(cells.map((x) => String(x ?? '').trim()), spec.mapping);
              if (r.errors.length) {
                await fail(r.errors);
                throw new Rollback({ ...out, status: 'failed', errorsPath: spec.errorsPath, message: 'The header does not match the mapping; nothing was imported' });
              }
              header = r;
              continue;
            }
            out.processedLines++;
            const v = validateShipmentRow(cells, line, header.resolved, spec.options);
            const accountId = v.row ? accounts.get(v.row.line.accountCode) : undefined;
            if (v.row && accountId === undefined) {
              v.errors.push({ line, column: header.resolved.header.accountCode ?? 'accountCode', value: v.row.line.accountCode, reason: 'no account with this code that you may see' });
            }
            if (v.errors.length) { out.errorRows++; errors.push(...v.errors); continue; }
            valid.push({ lineNo: line, row: v.row!, accountId: accountId! });
          }
          // A key twice in the file: the second row is a problem (the keys seen so far are in dimp_seen).
          const keyOf = (x: Valid) => x.row.shipment?.sourceKey ?? x.row.line.sourceKey;
          const earlier = await repo.seenLines(k, valid.map(keyOf));
          const firstInBatch = new Map<string, number>();
          const fresh: Valid[] = [];
          for (const x of valid) {
            const key = keyOf(x);
            const first = earlier.get(key) ?? firstInBatch.get(key);
            if (first !== undefined) {
              out.errorRows++;
              errors.push({ line: x.lineNo, column: header?.resolved.header.sourceKey ?? header?.resolved.header.orderNo ?? '', value: key, reason: `the same line${x.row.shipment ? ' and shipment' : ''} as line ${first} of this file` });
            } else { firstInBatch.set(key, x.lineNo); fresh.push(x); }
          }
          await repo.addSeen(k, [...firstInBatch].map(([key, line]) => [key, line]));
          // Once a row is bad nothing will be kept: the rest of the file is only checked.
          if (out.errorRows === 0 && fresh.length) await write(k, fresh, errors);
          errors.sort((a, b) => a.line - b.line);
          await fail(errors);
          await onProgress({ processedLines: out.processedLines, processedBytes: bytes, phase: 'reading' });
        }
        if (!header) {
          await fail([{ line: 1, column: '', value: '', reason: 'the file is empty' }]);
          throw new Rollback({ ...out, status: 'failed', errorsPath: spec.errorsPath, message: 'The file is empty' });
        }
        if (signal.aborted) throw new Rollback({ ...out, status: 'cancelled', inserted: 0, updated: 0, unchanged: 0, message: 'Cancelled; nothing was imported' });
        if (out.errorRows > 0) {
          throw new Rollback({ ...out, status: 'failed', inserted: 0, updated: 0, unchanged: 0, errorsPath: spec.errorsPath,
            message: `${out.errorRows} row(s) of ${out.processedLines} cannot be imported (${out.errorCount} problem(s)); nothing was imported` });
        }
        if (spec.dryRun) throw new Rollback({ ...out, message: 'Dry run: nothing was written' });
        const summary = { file: spec.fileName, rows: out.processedLines, inserted: out.inserted, updated: out.updated, unchanged: out.unchanged, skipped: out.skipped };
        await recordAudit(k, ctx, { action: 'delivery.import', entity: 'import_job', entityId: spec.jobId, after: summary });
        // Each account's history shows what the import did to it.
        for (const [accountId, rows] of touched) {
          await recordAudit(k, ctx, { action: 'delivery.import', entity: 'import_job', entityId: spec.jobId, accountId, after: { file: spec.fileName, rowsWritten: rows } });
        }
        // The OTIF cells of every account the file changed, in the same transaction (decision 027).
        await refreshOtifAccounts(k, { config: { dataDir: spec.dataDir } }, touched.keys());
        await repo.dropSeen(k, c.dialect);
        await saveJob(k, spec, ctx, out);
        return out;
      });
    } catch (e) {
      if (!(e instanceof Rollback)) throw e;
      await errorFile.close();
      await repo.dropSeen(c.k, c.dialect);
      await saveJob(c.k, spec, ctx, e.outcome);
      return e.outcome;
    } finally {
      await errorFile.close();
    }
  });

  /** Writes one batch of valid, new-in-this-file rows: inserts many rows per statement, updates what changed. */
  async function write(k: Kysely<Database>, rows: Valid[], errors: LineError[]): Promise<void> {
    const lines = await deliveryRepo.orderLinesByKey(k, [...new Set(rows.map((x) => x.row.line.sourceKey))]);
    const ships = await deliveryRepo.shipmentsByKey(k, rows.flatMap((x) => (x.row.shipment ? [x.row.shipment.sourceKey] : [])));
    const newLines: OrderLinesTable[] = [];
    const newShips: ShipmentsTable[] = [];
    // Lines met earlier in this batch (a split delivery: one line, several rows).
    const batchLines = new Map<string, OrderLinesTable>();
    for (const { lineNo, row, accountId } of rows) {
      const l = row.line;
      const fields = {
        account_id: accountId, order_no: l.orderNo, line_no: l.lineNo, item: l.item, quantity: l.quantity, unit: l.unit, value_minor: l.valueMinor, currency: l.currency,
        ordered_date: l.orderedDate, requested_date: l.requestedDate, promised_date: l.promisedDate, status: l.status, cancelled_date: l.cancelledDate, lane_code: l.laneCode,
      } satisfies Partial<OrderLinesTable>;
      let outcome: 'inserted' | 'updated' | 'unchanged' = 'unchanged';
      const before = batchLines.get(l.sourceKey) ?? lines.get(l.sourceKey);
      let lineId: string;
      if (!before) {
        const r: OrderLinesTable = { id: newId(), source_key: l.sourceKey, product_id: null, planned_mode: null, extra_json: null, import_job_id: spec.jobId, created_at: now, updated_at: now, version: 1, ...fields };
        newLines.push(r);
        batchLines.set(l.sourceKey, r);
        lineId = r.id;
        outcome = 'inserted';
      } else {
        lineId = before.id;
        if (!accountIds.has(before.account_id)) {
          out.errorRows++;
          errors.push({ line: lineNo, column: '', value: l.sourceKey, reason: 'this line is stored on an account you may not see' });
          continue;
        }
        if (!same(before, fields)) {
          const version = before.version + 1;
          // A line new in this batch is changed before it is written; a stored one is updated.
          if (newLines.includes(before)) Object.assign(before, fields);
          else {
            await deliveryRepo.updateOrderLine(k, lineId, { ...fields, import_job_id: spec.jobId, updated_at: now, version });
            batchLines.set(l.sourceKey, { ...before, ...fields, version });
          }
          outcome = 'updated';
        }
      }
      const s = row.shipment;
      if (s) {
        const sf = {
          order_line_id: lineId, account_id: accountId, shipment_no: s.shipmentNo, shipped_date: s.shippedDate, delivered_date: s.deliveredDate, quantity: s.quantity,
          mode: s.mode, carrier: s.carrier, lane_code: s.laneCode, weight_grams: s.weightGrams, weight_note: s.weightNote, freight_minor: s.freightMinor,
          freight_currency: s.freightCurrency, freight_note: s.freightNote,
        } satisfies Partial<ShipmentsTable>;
        const sb = ships.get(s.sourceKey);
        if (!sb) { newShips.push({ id: newId(), source_key: s.sourceKey, import_job_id: spec.jobId, created_at: now, updated_at: now, version: 1, ...sf }); outcome = 'inserted'; }
        else if (!same(sb, sf)) {
          await deliveryRepo.updateShipment(k, sb.id, { ...sf, import_job_id: spec.jobId, updated_at: now, version: sb.version + 1 });
          if (outcome === 'unchanged') outcome = 'updated';
        }
      }
      out[outcome]++;
      if (outcome !== 'unchanged') touched.set(accountId, (touched.get(accountId) ?? 0) + 1);
    }
    if (out.errorRows > 0) return;
    await repo.insertOrderLines(k, newLines);
    await repo.insertShipments(k, newShips);
  }
}

/** The job row's final state, with the count of bad rows beside the options. */
async function saveJob(k: Kysely<Database>, spec: ShipmentImportSpec, ctx: EngineCtx, o: ShipmentOutcome): Promise<void> {
  await updateJob(k, spec.jobId, { ...jobPatch(ctx, o), options_json: JSON.stringify({ options: spec.options, mapping: spec.mapping, errorRows: o.errorRows }) });
}
