/**
 * Import of one price list's prices from CSV or XLSX, with the care of the sales import and its
 * readers (sales.reader.ts through the bounded reader threads of sales.parse.ts; no second parser):
 * - bounded: the upload is refused beyond MAX_IMPORT_BYTES (413) and MAX_IMPORT_LINES lines, and
 *   the readers stop at the configured columns, record length and XLSX limits;
 * - every bad line is reported with its line number in the file, its column, value and reason;
 * - all or nothing: any bad line and nothing is written; the whole file is written in one
 *   transaction;
 * - idempotent: a product whose breaks are those already on the list is left alone (no write, no
 *   audit), so importing the same file again changes nothing;
 * - audited: one row per product created, changed or taken off, with its old and new breaks.
 *
 * Synchronous in the request (files of a few MB; a price list is thousands of lines, not
 * millions), unlike the sales import's background jobs.
 *
 * Columns (header names in English or Chinese): sku (SKU, 物料编码, 产品编码), from (min_qty,
 * quantity, 起订量, 数量; empty: 0), unit_price (price, 单价, 价格; in major units of the list's
 * currency, e.g. 12.50). One line per break; a product's lines may come in any order.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, rm, mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { sql } from 'kysely';
import type { z } from 'zod';
import type { Ctx } from '../../server/context.js';
import { AppError, badRequest } from '../../server/errors.js';
import { newId } from '../../shared/ids.js';
import { recordAuditRows } from '../audit/audit.service.js';
import { type Cell, cellText, isBlank, nulReason, parseAmount, parseQuantity } from '../sales/sales.domain.js';
import { readRowsBounded } from '../sales/sales.parse.js';
import { sniffFormat } from '../sales/sales.reader.js';
import type { ImportQuery, ImportResult } from './pricing.contract.js';
import { type PriceBreak, validateBreaks } from './pricing.domain.js';
import * as repo from './pricing.repository.js';
import { getList, itemColumns } from './pricing.service.js';

export const MAX_IMPORT_BYTES = 8 * 1024 * 1024;
export const MAX_IMPORT_LINES = 100_000;
const MAX_ERRORS = 1000;

type AuditSourceRow = { entity_id: string; account_id: string | null; before_json: string | null; after_json: string | null };
type LineError = { line: number; column: string; value: string; reason: string };

const columns = {
  sku: ['sku', 'product', 'product_code', '物料编码', '产品编码', '编码'],
  from: ['from', 'min_qty', 'min_quantity', 'quantity', 'qty', 'break', '起订量', '数量', '起始数量'],
  unitPrice: ['unit_price', 'price', 'unitprice', '单价', '价格'],
} as const;
type Column = keyof typeof columns;
const norm = (s: string) => s.trim().toLowerCase().replace(/[\s-]+/g, '_');

/** Which column of the header holds each field; a missing sku or price column is refused as a whole. */
function resolveHeader(cells: Cell[]): Record<Column, number | undefined> {
  const names = cells.map((c) => norm(cellText(c)));
  const find = (k: Column) => { const i = names.findIndex((n) => (columns[k] as readonly string[]).includes(n)); return i < 0 ? undefined : i; };
  const ix = { sku: find('sku'), from: find('from'), unitPrice: find('unitPrice') };
  const missing = (['sku', 'unitPrice'] as const).filter((k) => ix[k] === undefined);
  if (missing.length) {
    throw new AppError('bad_header', 422, `The header has no ${missing.map((k) => (k === 'sku' ? '"sku"' : '"unit_price"')).join(' or ')} column (found: ${names.slice(0, 20).join(', ') || 'nothing'})`,
      { errors: missing.map((k) => ({ path: `file.header.${k}`, message: `one of ${columns[k].join(', ')}` })) });
  }
  return ix;
}

/** Streams the request body to a private temporary file, refusing it beyond the size limit. */
async function saveBody(body: Readable): Promise<{ dir: string; file: string; size: number }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'openkam-prices-'));
  const file = path.join(dir, 'upload');
  let size = 0;
  const limit = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      size += chunk.length;
      if (size > MAX_IMPORT_BYTES) cb(new AppError('body_too_large', 413, `The file is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MB: split the price list`));
      else cb(null, chunk);
    },
  });
  try {
    await mkdir(dir, { recursive: true });
    await pipeline(body, limit, createWriteStream(file));
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
  return { dir, file, size };
}

type ParsedLine = { line: number; sku: string; from: number; unitPriceMinor: number };

/** Reads and checks every line of the file; the lines of prices and every bad line. */
async function readLines(ctx: Ctx, file: string, q: z.infer<typeof ImportQuery>, currency: string): Promise<{ lines: ParsedLine[]; errors: LineError[]; errorCount: number }> {
  const format = await sniffFormat(file);
  let ix: Record<Column, number | undefined> | null = null;
  const lines: ParsedLine[] = [];
  const errors: LineError[] = [];
  let errorCount = 0;
  const bad = (e: LineError) => { errorCount++; if (errors.length < MAX_ERRORS) errors.push(e); };
  for await (const batch of readRowsBounded(file, format, { encoding: q.encoding, delimiter: q.delimiter }, ctx.config.fileReading)) {
    for (const row of batch) {
      if (isBlank(row.cells)) continue;
      if (!ix) { ix = resolveHeader(row.cells); continue; }
      if (lines.length + errorCount >= MAX_IMPORT_LINES) throw new AppError('file_too_complex', 422, `The file has more than ${MAX_IMPORT_LINES.toLocaleString('en-US')} lines of prices: split the price list`);
      const cell = (k: Column) => (ix![k] === undefined ? undefined : row.cells[ix![k]!]);
      const value = (k: Column) => cellText(cell(k));
      const before = errorCount;
      const sku = value('sku');
      if (!sku) bad({ line: row.line, column: 'sku', value: '', reason: 'missing value' });
      else if (sku.includes('\u0000')) bad({ line: row.line, column: 'sku', value: sku.replace(/\u0000/g, ''), reason: nulReason });
      let from = 0;
      if (value('from') !== '') {
        const p = parseQuantity(cell('from'), ',');
        if (!p.ok) bad({ line: row.line, column: 'from', value: value('from'), reason: p.reason });
        else if (p.value < 0) bad({ line: row.line, column: 'from', value: value('from'), reason: 'must not be negative' });
        else from = p.value;
      }
      const price = parseAmount(cell('unitPrice'), currency, ',');
      let unitPriceMinor = 0;
      if (value('unitPrice') === '') bad({ line: row.line, column: 'unit_price', value: '', reason: 'missing value' });
      else if (!price.ok) bad({ line: row.line, column: 'unit_price', value: value('unitPrice'), reason: price.reason });
      else if (price.value < 0) bad({ line: row.line, column: 'unit_price', value: value('unitPrice'), reason: 'must not be negative' });
      else unitPriceMinor = price.value;
      if (errorCount === before) lines.push({ line: row.line, sku, from, unitPriceMinor });
    }
  }
  if (!ix) throw badRequest('The file is empty: a header line (sku, from, unit_price) and one line per price break are expected');
  return { lines, errors, errorCount };
}

/** Imports a file of prices into a list (see the top of this file). */
export async function importPrices(ctx: Ctx, listId: string, body: Readable, q: z.infer<typeof ImportQuery>): Promise<ImportResult> {
  const list = await getList(ctx, listId);
  const saved = await saveBody(body);
  try {
    if (saved.size === 0) throw badRequest('The file is empty');
    const read = await readLines(ctx, saved.file, q, list.currency);
    const { lines } = read;
    let { errorCount } = read;
    const errors = read.errors;
    const bad = (e: LineError) => { errorCount++; if (errors.length < MAX_ERRORS) errors.push(e); };

    const products = await repo.productsBySku(ctx.db.kysely, [...new Set(lines.map((l) => l.sku))]);
    const bySku = new Map<string, ParsedLine[]>();
    for (const l of lines) {
      if (!products.has(l.sku)) { bad({ line: l.line, column: 'sku', value: l.sku, reason: 'unknown SKU' }); continue; }
      const of = bySku.get(l.sku);
      if (of) of.push(l); else bySku.set(l.sku, [l]);
    }
    // A product's breaks, in order of quantity; two lines for the same quantity are the same break twice.
    const wanted = new Map<string, PriceBreak[]>();
    for (const [sku, of] of bySku) {
      of.sort((a, b) => a.from - b.from || a.line - b.line);
      const breaks = of.map((l) => ({ from: l.from, unitPriceMinor: l.unitPriceMinor }));
      const problems = validateBreaks(breaks);
      for (const p of problems) {
        const l = p.index === null ? of[0]! : of[p.index]!;
        const reason = p.reason.startsWith('overlaps') ? `a second price for ${sku} from quantity ${l.from} (first at line ${of[p.index! - 1]!.line})` : p.reason;
        bad({ line: l.line, column: p.field === 'unitPriceMinor' ? 'unit_price' : p.field ?? 'sku', value: String(p.field === 'unitPriceMinor' ? l.unitPriceMinor : l.from), reason });
      }
      if (!problems.length) wanted.set(products.get(sku)!, breaks);
    }
    errors.sort((a, b) => a.line - b.line);
    const result: ImportResult = { applied: false, lines: lines.length, products: bySku.size, created: 0, updated: 0, unchanged: 0, removed: 0, errors, errorCount };
    if (errorCount > 0) return { ...result, products: wanted.size };

    const now = ctx.clock.now().toISOString();
    await ctx.db.kysely.transaction().execute(async (trx) => {
      const existing = await repo.itemsByProduct(trx, listId);
      const inserts: Parameters<typeof repo.insertItems>[1] = [];
      const audit: { id: string; before: string | null; after: string | null }[] = [];
      for (const [productId, breaks] of wanted) {
        const cols = itemColumns(breaks);
        const had = existing.get(productId);
        if (had && had.breaks_json === cols.breaks_json) { result.unchanged++; continue; }
        const after = JSON.stringify({ productId, breaks });
        if (had) {
          result.updated++;
          if (!q.dryRun) await repo.updateItem(trx, had.id, { ...cols, updated_at: now });
          audit.push({ id: listId, before: JSON.stringify({ productId, sku: had.sku, breaks: JSON.parse(had.breaks_json) }), after });
        } else {
          result.created++;
          inserts.push({ id: newId(), price_list_id: listId, product_id: productId, ...cols, created_at: now, updated_at: now });
          audit.push({ id: listId, before: null, after });
        }
      }
      const gone = q.replace ? [...existing].filter(([productId]) => !wanted.has(productId)) : [];
      result.removed = gone.length;
      for (const [productId, had] of gone) audit.push({ id: listId, before: JSON.stringify({ productId, sku: had.sku, breaks: JSON.parse(had.breaks_json) }), after: null });
      if (q.dryRun || !audit.length) return;
      await repo.insertItems(trx, inserts);
      await repo.deleteItems(trx, gone.map(([, had]) => had.id));
      await repo.touchList(trx, listId, now);
      const accountId = list.scopeKind === 'account' ? list.scopeValue : null;
      for (let i = 0; i < audit.length; i += 200) {
        const rows = audit.slice(i, i + 200).map((a) => sql`select cast(${a.id} as text) as entity_id, cast(${accountId} as text) as account_id, cast(${a.before} as text) as before_json, cast(${a.after} as text) as after_json`);
        await recordAuditRows(trx, ctx, { action: 'pricing.import.item', entity: 'price_list', rows: sql<AuditSourceRow>`${sql.join(rows, sql` union all `)}` });
      }
    });
    return { ...result, applied: !q.dryRun };
  } finally {
    await rm(saved.dir, { recursive: true, force: true });
  }
}
