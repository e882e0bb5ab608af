/**
 * Stock use cases: take dealer stock reports in batches (transactional, idempotent by source key)
 * or from the dealer in the portal, and derive stock-outs from them (decision 025, in
 * stock.domain.ts): days out per dealer and product, the sales likely lost and the late order lines
 * that caused them; an account's latest stock. The portal's answers carry no prices.
 */
import type { Transaction } from 'kysely';
import type { z } from 'zod';
import type { Database } from '../../db/schema.js';
import type { Ctx } from '../../server/context.js';
import { badRequest, type FieldError, notFound } from '../../server/errors.js';
import { accountVisibleTo } from '../../server/policy.js';
import { newId } from '../../shared/ids.js';
import { addDays, DEFAULT_TIME_ZONE, localDateOf } from '../../shared/time.js';
import { recordAudit } from '../audit/audit.service.js';
import { winningList } from '../pricing/pricing.service.js';
import type { AccountStock, LatestStock, PortalStockBatch, StockBatchResult, StockOutRow, StockOuts, StockOutsQuery, StockReportBatch } from './stock.contract.js';
import { byDate, type LineFact, reportChanged, reportKey, spellsOf, type StockReport, stockOuts as deriveStockOuts } from './stock.domain.js';
import type { DealerStockReportsTable } from './stock.table.js';
import * as repo from './stock.repository.js';

/** The dealer's calendar day (stock is counted in days at the dealer). */
export const today = (ctx: Pick<Ctx, 'clock'>): string => localDateOf(ctx.clock.now(), DEFAULT_TIME_ZONE);
/** Days of the default period (and of the account header's figure), up to and including today. */
export const PERIOD_DAYS = 90;

const norm = (s: string | null | undefined) => (s ?? '').trim().toLowerCase();

type Row = Omit<DealerStockReportsTable, 'id' | 'source_key' | 'created_at' | 'updated_at' | 'version'>;
type Counts = { inserted: number; updated: number; unchanged: number };

/**
 * Writes rows by source key in one transaction (dry run: rolled back), audited once per account with
 * its counts. `guard`, when given, runs first in the same transaction; false rolls everything back
 * and the answer is null (a caller's own claim on the write, e.g. a count id already taken).
 */
async function saveReports(ctx: Ctx, rows: { key: string; row: Row }[], dryRun: boolean, action: string, guard?: (trx: Transaction<Database>) => Promise<boolean>): Promise<Counts | null> {
  const now = ctx.clock.now().toISOString();
  const total: Counts = { inserted: 0, updated: 0, unchanged: 0 };
  const perAccount = new Map<string, Counts>();
  const refused = new Error('refused by the guard');
  const run = async (trx: Transaction<Database>) => {
    if (guard && !(await guard(trx))) throw refused;
    const existing = await repo.reportsByKey(trx, rows.map((r) => r.key));
    for (const { key, row } of rows) {
      const c = perAccount.get(row.account_id) ?? { inserted: 0, updated: 0, unchanged: 0 };
      perAccount.set(row.account_id, c);
      const before = existing.get(key);
      const kind: keyof Counts = !before ? 'inserted' : reportChanged(before, row) ? 'updated' : 'unchanged';
      if (kind === 'inserted') await repo.insertReport(trx, { id: newId(), source_key: key, created_at: now, updated_at: now, version: 1, ...row });
      else if (kind === 'updated') await repo.updateReport(trx, before!.id, { ...row, created_by: before!.created_by, updated_at: now, version: before!.version + 1 });
      c[kind]++; total[kind]++;
    }
    for (const [accountId, c] of perAccount) {
      await recordAudit(trx, ctx, { action, entity: 'dealer_stock_reports', entityId: newId(), accountId, after: { ...c, dryRun } });
    }
  };
  const rollback = new Error('dry run');
  try {
    await ctx.db.kysely.transaction().execute(async (trx) => { await run(trx); if (dryRun) throw rollback; });
  } catch (e) {
    if (e === refused) return null;
    if (e !== rollback) throw e;
  }
  return total;
}

/**
 * Upserts a batch of stock reports. Every report is checked first (a dealer the caller sees, a
 * known SKU or item text, no date after today, keys and product-dates not repeated); one bad
 * report refuses the batch with each problem at its line number (1-based) and nothing written.
 */
export async function upsertReports(ctx: Ctx, body: z.infer<typeof StockReportBatch>): Promise<z.infer<typeof StockBatchResult>> {
  const k = ctx.db.kysely;
  const accounts = await repo.accountsByCode(k, [...new Set(body.reports.map((r) => r.accountCode))], (c) => accountVisibleTo(ctx.actor, c));
  const products = await repo.productsBySku(k, [...new Set(body.reports.flatMap((r) => (r.sku ? [r.sku] : [])))]);
  const errors: FieldError[] = [];
  const seen = new Set<string>(), seenFact = new Map<string, number>();
  const day = today(ctx);
  body.reports.forEach((r, i) => {
    const at = (f: string, message: string) => errors.push({ path: `reports.${i}.${f}`, message: `line ${i + 1}: ${message}` });
    if (!accounts.has(r.accountCode)) at('accountCode', `no dealer with code "${r.accountCode}" that you may see`);
    if (seen.has(r.sourceKey)) at('sourceKey', `"${r.sourceKey}" appears twice in the batch`);
    seen.add(r.sourceKey);
    checkReport(r, products, day, at);
    const fact = `${r.accountCode}|${r.sku ? `sku:${r.sku}` : `item:${norm(r.item)}`}|${r.reportDate}`;
    if (seenFact.has(fact)) at('reportDate', `a second report of the same product and date (first on line ${seenFact.get(fact)! + 1})`);
    else seenFact.set(fact, i);
  });
  if (errors.length) throw badRequest(`${new Set(errors.map((e) => e.path.split('.')[1])).size} line(s) of the batch cannot be taken; nothing was saved`, errors);
  const rows = body.reports.map((r) => ({ key: r.sourceKey, row: rowOf(r, accounts.get(r.accountCode)!, products, 'import', ctx.actor.userId) }));
  return { dryRun: body.dryRun, ...(await saveReports(ctx, rows, body.dryRun, 'stock.reports.upsert'))! };
}

type ReportFields = { sku?: string | null | undefined; item?: string | null | undefined; reportDate: string; onHand: number; soldSinceLast?: number | null | undefined; unit?: string | null | undefined };

function checkReport(r: ReportFields, products: Map<string, string>, day: string, at: (f: string, m: string) => void) {
  if (!r.sku && !r.item) at('sku', 'name the product by its SKU, or give the item as text');
  if (r.sku && !products.has(r.sku)) at('sku', `no product with SKU "${r.sku}" (send it as item text if it is not in the catalogue)`);
  if (r.reportDate > day) at('reportDate', `${r.reportDate} is after today (${day})`);
}

const rowOf = (r: ReportFields, accountId: string, products: Map<string, string>, source: Row['source'], userId: string): Row => ({
  account_id: accountId, product_id: r.sku ? products.get(r.sku)! : null, item: r.item ?? null, report_date: r.reportDate, on_hand: r.onHand,
  sold_since_last: r.soldSinceLast ?? null, unit: r.unit ?? null, source, import_job_id: null, created_by: userId,
});

/** The dealer reports its own stock: always its own account; a second report of a product and date corrects the first. */
export async function reportOwnStock(ctx: Ctx, body: z.infer<typeof PortalStockBatch>): Promise<z.infer<typeof StockBatchResult>> {
  const accountId = ctx.actor.accountId;
  if (!accountId) throw notFound('Account');
  const products = await repo.productsBySku(ctx.db.kysely, [...new Set(body.reports.flatMap((r) => (r.sku ? [r.sku] : [])))]);
  const errors: FieldError[] = [];
  const day = today(ctx);
  const keys = new Map<string, number>();
  const rows = body.reports.map((r, i) => {
    const at = (f: string, message: string) => errors.push({ path: `reports.${i}.${f}`, message: `line ${i + 1}: ${message}` });
    checkReport(r, products, day, at);
    const key = reportKey(accountId, r);
    if (keys.has(key)) at('reportDate', `a second report of the same product and date (first on line ${keys.get(key)! + 1})`);
    else keys.set(key, i);
    return { key, r };
  });
  if (errors.length) throw badRequest(`${new Set(errors.map((e) => e.path.split('.')[1])).size} line(s) cannot be taken; nothing was saved`, errors);
  return { dryRun: false, ...(await saveReports(ctx, rows.map(({ key, r }) => ({ key, row: rowOf(r, accountId, products, 'portal', ctx.actor.userId) })), false, 'stock.reports.portal'))! };
}

async function visibleAccount(ctx: Ctx, id: string) {
  const a = await ctx.db.kysely.selectFrom('accounts').select(['id']).where('id', '=', id).where(accountVisibleTo(ctx.actor, 'accounts.id')).executeTakeFirst();
  if (!a) throw notFound('Account');
}

type Group = { key: string; first: repo.ReportRow; reports: StockReport[]; last: repo.ReportRow };

function groupReports(rows: repo.ReportRow[]): Group[] {
  const groups = new Map<string, Group>();
  for (const r of rows) {
    const key = `${r.account_id}|${r.product_id ?? `item:${norm(r.item)}`}`;
    let g = groups.get(key);
    if (!g) groups.set(key, g = { key, first: r, reports: [], last: r });
    g.reports.push({ date: r.report_date, onHand: Number(r.on_hand), sold: r.sold_since_last === null ? null : Number(r.sold_since_last) });
    g.last = r;
  }
  return [...groups.values()];
}

/** The account's order lines for the product (by id, or by item text naming its SKU or name) or for the item text. */
function linesFor(g: Group, lines: Map<string, LineFact & { productId: string | null; item: string | null; accountId: string }>): LineFact[] {
  const r = g.first;
  const names = r.product_id ? new Set([norm(r.sku), norm(r.name_en), norm(r.name_zh)].filter(Boolean)) : new Set([norm(r.item)]);
  return [...lines.values()].filter((l) => l.accountId === r.account_id && ((r.product_id && l.productId === r.product_id) || (l.item && names.has(norm(l.item)))));
}

async function loadLines(ctx: Ctx, accountIds: string[]) {
  const rows = accountIds.length ? await repo.orderLinesOf(ctx.db.kysely, accountIds) : [];
  const lines = new Map<string, LineFact & { productId: string | null; item: string | null; accountId: string }>();
  for (const r of rows) {
    let l = lines.get(r.id);
    if (!l) {
      lines.set(r.id, l = {
        id: r.id, accountId: r.account_id, orderNo: r.order_no, lineNo: r.line_no, productId: r.product_id, item: r.item, promisedDate: r.promised_date!,
        quantity: r.quantity === null ? null : Number(r.quantity), status: r.status as LineFact['status'], cancelledDate: r.cancelled_date, deliveries: [],
      });
    }
    if (r.delivered_date) l.deliveries.push({ date: r.delivered_date, quantity: r.ship_qty === null ? null : Number(r.ship_qty) });
  }
  return lines;
}

/** Unit prices of the product for the account on each date, from the winning price list (pricing), in one currency. */
async function pricesOn(ctx: Ctx, accountId: string, productId: string, dates: string[]) {
  const out = new Map<string, number | null>();
  let currency: string | null = null;
  for (const date of dates) {
    const found = await winningList(ctx.db.kysely, ctx.actor, { accountId, productId, date });
    if (!found) { out.set(date, null); continue; }
    currency ??= found.list.currency;
    out.set(date, found.list.currency === currency ? Number(found.list.base_unit_price_minor) : null);
  }
  return { out, currency };
}

function period(ctx: Ctx, q: { from?: string | undefined; to?: string | undefined }) {
  const asOf = today(ctx);
  const to = q.to ?? addDays(asOf, 1);
  const from = q.from ?? addDays(asOf, 1 - PERIOD_DAYS);
  if (from >= to) throw badRequest('from must be before to', [{ path: 'querystring.from', message: 'from must be before to (to is exclusive)' }]);
  return { asOf, from, to };
}

/** Stock-outs per dealer and product, worst first. `internal: false` (the portal) leaves out what the lost sales are worth. */
async function outsOf(ctx: Ctx, groups: Group[], p: { asOf: string; from: string; to: string }, internal: boolean): Promise<StockOutRow[]> {
  const out: StockOutRow[] = [];
  const lines = await loadLines(ctx, [...new Set(groups.filter((g) => g.reports.some((r) => r.onHand <= 0)).map((g) => g.first.account_id))]);
  for (const g of groups) {
    if (!g.reports.some((r) => r.onHand <= 0)) continue;
    const r = g.first;
    let prices: Awaited<ReturnType<typeof pricesOn>> | null = null;
    if (internal && r.product_id) prices = await pricesOn(ctx, r.account_id, r.product_id, spellsOf(g.reports).map((s) => s.start));
    const res = deriveStockOuts({ reports: g.reports, lines: linesFor(g, lines), period: p, asOf: p.asOf, priceOn: (d) => prices?.out.get(d) ?? null });
    if (!res.spells.length) continue;
    out.push({
      accountId: r.account_id, accountCode: r.account_code, accountName: r.account_name, accountNameEn: r.account_name_en,
      productId: r.product_id, sku: r.sku, productNameEn: r.name_en, productNameZh: r.name_zh, item: r.item, unit: g.last.unit,
      daysOut: res.daysOut, daysUnknown: res.daysUnknown, lostQuantity: res.lostQuantity, outNow: res.outNow,
      ...(internal ? { lostValueMinor: res.lostValueMinor, currency: res.lostValueMinor === null ? null : prices?.currency ?? null } : {}),
      spells: res.spells.map((s) => internal ? s : { start: s.start, end: s.end, daysOut: s.daysOut, rate: s.rate, lostQuantity: s.lostQuantity, causes: s.causes }),
    });
  }
  return out.sort((a, b) => b.daysOut - a.daysOut || a.accountCode.localeCompare(b.accountCode) || (a.sku ?? a.item ?? '').localeCompare(b.sku ?? b.item ?? ''));
}

/** GET /stock/outs: the visible dealers' stock-outs in [from, to), as of today. */
export async function stockOuts(ctx: Ctx, q: z.infer<typeof StockOutsQuery>): Promise<z.infer<typeof StockOuts>> {
  if (q.accountId) await visibleAccount(ctx, q.accountId);
  const p = period(ctx, q);
  const rows = await repo.reports(ctx.db.kysely, accountVisibleTo(ctx.actor, 'r.account_id'), { upTo: p.asOf, ...(q.accountId ? { accountId: q.accountId } : {}) });
  return { ...p, items: await outsOf(ctx, groupReports(rows), p, true) };
}

/** An account's latest stock per product and its stock-outs of the period (the dealer's own: `internal: false`, no values). */
export async function accountStock(ctx: Ctx, accountId: string, q: { from?: string | undefined; to?: string | undefined }, internal: boolean): Promise<AccountStock> {
  await visibleAccount(ctx, accountId);
  const p = period(ctx, q);
  const groups = groupReports(await repo.reports(ctx.db.kysely, accountVisibleTo(ctx.actor, 'r.account_id'), { upTo: p.asOf, accountId }));
  const latest: LatestStock[] = groups.map((g) => {
    const last = byDate(g.reports).at(-1)!;
    const spells = spellsOf(g.reports);
    const open = spells.at(-1)?.end === null ? spells.at(-1)! : null;
    return {
      productId: g.first.product_id, sku: g.first.sku, productNameEn: g.first.name_en, productNameZh: g.first.name_zh, item: g.first.item, unit: g.last.unit,
      reportDate: last.date, onHand: last.onHand, soldSinceLast: last.sold, outSince: open?.start ?? null,
    };
  }).sort((a, b) => Number(b.outSince !== null) - Number(a.outSince !== null) || (a.sku ?? a.item ?? '').localeCompare(b.sku ?? b.item ?? ''));
  return { ...p, latest, outs: await outsOf(ctx, groups, p, internal) };
}

/**
 * A rep's stock count at the dealer (VMI, decision 034): one report per product of source 'count'
 * on the count's date. `key` names the count (the phone's id): a count sent again upserts the same
 * rows and writes nothing new. Products are catalogue ids; the account must be one the caller sees.
 * `claim` runs first in the same transaction (the caller records the count's id): false, and
 * nothing is written (null).
 */
export async function recordCount(
  ctx: Ctx, accountId: string, count: { key: string; reportDate: string; lines: readonly { productId: string; onHand: number }[] },
  claim?: (trx: Transaction<Database>) => Promise<boolean>,
): Promise<Counts | null> {
  await visibleAccount(ctx, accountId);
  const rows = count.lines.map((l) => ({
    key: `count:${count.key}:${l.productId}`,
    row: { account_id: accountId, product_id: l.productId, item: null, report_date: count.reportDate, on_hand: l.onHand, sold_since_last: null, unit: null, source: 'count' as const, import_job_id: null, created_by: ctx.actor.userId },
  }));
  return saveReports(ctx, rows, false, 'stock.reports.count', claim);
}

/** The latest report of each catalogue product of an account up to a date (the last received wins on a date): what VMI drafts from. */
export async function latestOnHand(ctx: Ctx, accountId: string, upTo: string): Promise<Map<string, { date: string; onHand: number }>> {
  const rows = await repo.reports(ctx.db.kysely, accountVisibleTo(ctx.actor, 'r.account_id'), { upTo, accountId });
  const out = new Map<string, { date: string; onHand: number }>();
  for (const r of rows) if (r.product_id) out.set(r.product_id, { date: r.report_date, onHand: Number(r.on_hand) });
  return out;
}
