/**
 * Delivery use cases: take order lines and their shipments in batches (transactional, idempotent by
 * natural key), OTIF from the stored lines by account, territory, lane, mode, carrier and month
 * (decision 018's definitions, in otif.domain.ts), and shipment lists with their lateness; the
 * dealer's own deliveries without freight cost or weight.
 */
import { type Expression, sql, type SqlBool, type Transaction } from 'kysely';
import type { z } from 'zod';
import type { Database } from '../../db/schema.js';
import type { Ctx } from '../../server/context.js';
import { badRequest, conflict, type FieldError, notFound } from '../../server/errors.js';
import { accountVisibleTo } from '../../server/policy.js';
import { newId } from '../../shared/ids.js';
import { recordAudit } from '../audit/audit.service.js';
import type { BatchResult, DeliveryTermsInput, DeliveryTermsOut, OrderLineBatch, OpenLineOut, OpenLinesQuery, OtifQuery, OtifResult, OverdueLineOut, OverdueLinesQuery, PortalDeliverySummary, ShipmentOut, ShipmentQuery } from './delivery.contract.js';
import { dayCalendar, linesOfRows, NO_TERMS } from './delivery.lines.js';
import { cellsServe, otifCellsReady, otifFromCells, refreshOtifAccounts, refreshOtifCells } from './delivery.rollups.js';
import type { DeliveryTermsTable, OrderLinesTable, ShipmentsTable } from './delivery.table.js';
import { CALENDAR_DAYS, type DayCalendar, dayNumber, isoOfDay, LATENESS_BUCKETS, type OtifLine, type OtifTolerances, otifGroups } from './otif.domain.js';
import * as repo from './delivery.repository.js';

type Counts = { inserted: number; updated: number; unchanged: number };
const today = (ctx: Ctx) => ctx.clock.now().toISOString().slice(0, 10);

/** Fields of a stored row that an input sets; equal ones make a row "unchanged" (a re-sent batch writes nothing). */
function changed<T extends object>(before: T, after: Partial<T>): boolean {
  return Object.entries(after).some(([k, v]) => String((before as Record<string, unknown>)[k] ?? '') !== String(v ?? ''));
}

/**
 * Upserts a batch of order lines with their shipments. Every line is checked first (its dealer
 * exists and is one the caller sees, keys are not repeated, dates are in order); one bad line
 * refuses the whole batch with each problem at its line number (1-based) and nothing written.
 */
export async function upsertOrderLines(ctx: Ctx, body: z.infer<typeof OrderLineBatch>): Promise<z.infer<typeof BatchResult>> {
  const k = ctx.db.kysely;
  const errors: FieldError[] = [];
  const codes = [...new Set(body.lines.map((l) => l.accountCode))];
  const accounts = await repo.accountsByCode(k, codes, (c) => accountVisibleTo(ctx.actor, c));
  const products = await repo.productsBySku(k, [...new Set(body.lines.flatMap((l) => (l.productSku ? [l.productSku] : [])))]);
  const seenLine = new Set<string>(), seenShip = new Set<string>();
  body.lines.forEach((l, i) => {
    const at = (f: string, message: string) => errors.push({ path: `lines.${i}.${f}`, message: `line ${i + 1}: ${message}` });
    if (!accounts.has(l.accountCode)) at('accountCode', `no dealer with code "${l.accountCode}" that you may see`);
    if (l.productSku && !products.has(l.productSku)) at('productSku', `no product with SKU "${l.productSku}"`);
    if (seenLine.has(l.sourceKey)) at('sourceKey', `"${l.sourceKey}" appears twice in the batch`);
    seenLine.add(l.sourceKey);
    if (l.status === 'cancelled' && !l.cancelledDate) at('cancelledDate', 'a cancelled line needs its cancellation date (otherwise it cannot be told whether it was missed first)');
    if (l.status !== 'cancelled' && l.cancelledDate) at('cancelledDate', 'only a cancelled line has a cancellation date');
    if ((l.valueMinor == null) !== (l.currency == null)) at('currency', 'a value needs its currency, and a currency its value');
    for (const f of ['promisedDate', 'cancelledDate'] as const) if (l[f] && Number.isNaN(dayNumber(l[f]))) at(f, `"${l[f]}" is not a date of the calendar`);
    l.shipments.forEach((s, j) => {
      const sat = (f: string, message: string) => errors.push({ path: `lines.${i}.shipments.${j}.${f}`, message: `line ${i + 1}, shipment ${j + 1}: ${message}` });
      if (seenShip.has(s.sourceKey)) sat('sourceKey', `"${s.sourceKey}" appears twice in the batch`);
      seenShip.add(s.sourceKey);
      if (s.deliveredDate && Number.isNaN(dayNumber(s.deliveredDate))) sat('deliveredDate', `"${s.deliveredDate}" is not a date of the calendar`);
      if (s.shippedDate && s.deliveredDate && s.deliveredDate < s.shippedDate) sat('deliveredDate', `delivered ${s.deliveredDate} before it was shipped ${s.shippedDate}`);
      if ((s.freightMinor == null) !== (s.freightCurrency == null)) sat('freightCurrency', 'a freight cost needs its currency, and a currency its cost');
    });
  });
  if (errors.length) throw badRequest(`${new Set(errors.map((e) => e.path.split('.')[1])).size} line(s) of the batch cannot be taken; nothing was saved`, errors);

  const now = ctx.clock.now().toISOString();
  const lines: Counts = { inserted: 0, updated: 0, unchanged: 0 }, ships: Counts = { inserted: 0, updated: 0, unchanged: 0 };
  const run = async (trx: Transaction<Database>) => {
    const existing = await repo.orderLinesByKey(trx, [...seenLine]);
    const existingShips = await repo.shipmentsByKey(trx, [...seenShip]);
    // The OTIF cells of every (dealer, month) a line was or is promised in are recomputed below.
    const touched: { accountId: string; month: string }[] = [];
    for (const l of body.lines) {
      const accountId = accounts.get(l.accountCode)!;
      const fields = {
        account_id: accountId, order_no: l.orderNo, line_no: l.lineNo ?? null, item: l.item ?? null, quantity: l.quantity ?? null, unit: l.unit ?? null,
        value_minor: l.valueMinor ?? null, currency: l.currency ?? null, ordered_date: l.orderedDate ?? null, requested_date: l.requestedDate ?? null,
        promised_date: l.promisedDate ?? null, status: l.status, cancelled_date: l.cancelledDate ?? null, lane_code: l.laneCode ?? null,
        planned_mode: l.plannedMode ?? null, product_id: l.productSku ? products.get(l.productSku)! : null,
      } satisfies Partial<OrderLinesTable>;
      const before = existing.get(l.sourceKey);
      if (before?.promised_date) touched.push({ accountId: before.account_id, month: before.promised_date.slice(0, 7) });
      if (l.promisedDate) touched.push({ accountId, month: l.promisedDate.slice(0, 7) });
      let lineId: string;
      if (!before) {
        lineId = newId();
        await repo.insertOrderLine(trx, { id: lineId, source_key: l.sourceKey, extra_json: null, import_job_id: null, created_at: now, updated_at: now, version: 1, ...fields });
        lines.inserted++;
      } else {
        lineId = before.id;
        if (changed(before, fields)) { await repo.updateOrderLine(trx, lineId, { ...fields, updated_at: now, version: before.version + 1 }); lines.updated++; } else lines.unchanged++;
      }
      for (const s of l.shipments) {
        const sf = {
          order_line_id: lineId, account_id: accountId, shipment_no: s.shipmentNo ?? null, shipped_date: s.shippedDate ?? null, delivered_date: s.deliveredDate ?? null,
          quantity: s.quantity ?? null, mode: s.mode ?? null, carrier: s.carrier ?? null, lane_code: s.laneCode ?? l.laneCode ?? null,
          weight_grams: s.weightGrams ?? null, weight_note: s.weightNote ?? null, freight_minor: s.freightMinor ?? null, freight_currency: s.freightCurrency ?? null,
          freight_note: s.freightNote ?? null,
        } satisfies Partial<ShipmentsTable>;
        const sb = existingShips.get(s.sourceKey);
        if (!sb) { await repo.insertShipment(trx, { id: newId(), source_key: s.sourceKey, import_job_id: null, created_at: now, updated_at: now, version: 1, ...sf }); ships.inserted++; }
        else if (changed(sb, sf)) { await repo.updateShipment(trx, sb.id, { ...sf, updated_at: now, version: sb.version + 1 }); ships.updated++; }
        else ships.unchanged++;
      }
    }
    if (!body.dryRun) await refreshOtifCells(trx, ctx, touched);
    await recordAudit(trx, ctx, { action: 'delivery.order_lines.upsert', entity: 'order_lines', entityId: newId(), after: { lines, shipments: ships, dryRun: body.dryRun } });
  };
  const dryRun = new Error('dry run');
  try {
    await k.transaction().execute(async (trx) => { await run(trx); if (body.dryRun) throw dryRun; });
  } catch (e) {
    if (e !== dryRun) throw e;
  }
  return { dryRun: body.dryRun, ...lines, shipments: ships };
}

/**
 * OTIF of the visible order lines promised in [from, to), grouped as asked, judged as of today.
 * When the query names no tolerance or calendar, each line is judged on its dealer's terms
 * (decision 022); otherwise every line on the query's.
 */
export async function otif(ctx: Ctx, q: z.infer<typeof OtifQuery>, opts: { path?: 'lines' | 'cells' } = {}): Promise<z.infer<typeof OtifResult>> {
  if (q.accountId) await visibleAccount(ctx, q.accountId);
  const asked = q.earlyDays !== undefined || q.lateDays !== undefined || q.inFullPercent !== undefined || q.calendar !== undefined;
  const months = q.by.includes('month') && q.from && q.to ? { from: q.from.slice(0, 7), to: monthBefore(q.to) } : undefined;
  if (q.limit !== undefined && !q.by.includes('account')) throw badRequest('A page of dealers (limit) needs grouping by account', [{ path: 'querystring.limit', message: 'group by account to page the dealers' }]);
  let page: { offset: number; limit: number; dealers: number } | null = null;
  let accountIds = {};
  if (q.limit !== undefined) {
    const offset = q.offset ?? 0;
    const p = await repo.dealerPage(ctx.db.kysely, accountVisibleTo(ctx.actor, 'a.id'), { ...(q.accountId ? { accountId: q.accountId } : {}), limit: q.limit, offset });
    page = { offset, limit: q.limit, dealers: p.total };
    accountIds = { accountIds: p.ids };
  }
  // The cells answer what they can (decision 027); `path` forces one path (tests compare the two).
  if (opts.path !== 'lines' && cellsServe(q, asked) && (opts.path === 'cells' || await otifCellsReady(ctx.db.kysely, ctx))) {
    const groups = await otifFromCells(ctx.db, accountVisibleTo(ctx.actor, 'c.account_id'), { ...q, ...accountIds, by: q.by as ('account' | 'territory' | 'month')[] }, today(ctx), months);
    return { asOf: today(ctx), by: q.by, terms: 'account', tolerances: null, latenessBuckets: [...LATENESS_BUCKETS], groups, page };
  }
  if (opts.path === 'cells') throw badRequest('The OTIF cells do not answer this query');
  const given = { earlyDays: q.earlyDays ?? 0, lateDays: q.lateDays ?? 0, inFullPercent: q.inFullPercent ?? 0, calendar: q.calendar ?? 'calendar-days' };
  const byAccount = new Map<string, { t: OtifTolerances; cal: DayCalendar }>();
  if (!asked) {
    for (const r of await repo.listTerms(ctx.db.kysely, accountVisibleTo(ctx.actor, 't.account_id'), q.accountId)) {
      byAccount.set(r.account_id, { t: { earlyDays: r.early_days, lateDays: r.late_days, inFullPercent: r.in_full_percent }, cal: dayCalendar(ctx.config, r.calendar) });
    }
  }
  const fallback = asked ? { t: given, cal: dayCalendar(ctx.config, given.calendar) } : { t: NO_TERMS, cal: CALENDAR_DAYS };
  const termsOf = (l: OtifLine) => byAccount.get(l.keys.account!) ?? fallback;
  const rows = await repo.otifRows(ctx.db.kysely, accountVisibleTo(ctx.actor, 'l.account_id'), { ...q, ...accountIds });
  const lines = linesOfRows(rows, (r) => ({ account: r.account_id, territory: r.territory_id ?? '', lane: r.lane_code ?? r.line_lane ?? '', mode: r.mode ?? r.planned_mode ?? '', carrier: r.carrier ?? '' }));
  const groups = otifGroups(lines, {
    by: q.by, asOf: today(ctx), linesGroupedByOrder: true, ...(months ? { months } : {}),
    tolerances: (l) => termsOf(l).t, calendar: (l) => termsOf(l).cal,
  });
  return { asOf: today(ctx), by: q.by, terms: asked ? 'query' : 'account', tolerances: asked ? given : null, latenessBuckets: [...LATENESS_BUCKETS], groups, page };
}

const termsOut = (accountId: string, r: DeliveryTermsTable | undefined): z.infer<typeof DeliveryTermsOut> => r
  ? { accountId, earlyDays: r.early_days, lateDays: r.late_days, inFullPercent: r.in_full_percent, calendar: r.calendar, note: r.note, agreed: true, updatedAt: r.updated_at, version: r.version }
  : { accountId, ...NO_TERMS, note: null, agreed: false, updatedAt: null, version: null };

/** A dealer's delivery terms, or the defaults when none are agreed. */
export async function getTerms(ctx: Ctx, accountId: string): Promise<z.infer<typeof DeliveryTermsOut>> {
  await visibleAccount(ctx, accountId);
  const [r] = await repo.listTerms(ctx.db.kysely, accountVisibleTo(ctx.actor, 't.account_id'), accountId);
  return termsOut(accountId, r);
}

/**
 * Sets a dealer's delivery terms; they apply to every OTIF figure of the account from then on
 * (past lines included: a figure is always on the terms in force). Changing existing terms needs
 * the version read (409 when someone changed them first). Audited with before and after.
 */
export async function putTerms(ctx: Ctx, accountId: string, body: z.infer<typeof DeliveryTermsInput>): Promise<z.infer<typeof DeliveryTermsOut>> {
  await visibleAccount(ctx, accountId);
  const now = ctx.clock.now().toISOString();
  const fields = { early_days: body.earlyDays, late_days: body.lateDays, in_full_percent: body.inFullPercent, calendar: body.calendar, note: body.note ?? null };
  return ctx.db.kysely.transaction().execute(async (trx) => {
    const [before] = await repo.listTerms(trx, accountVisibleTo(ctx.actor, 't.account_id'), accountId);
    if (!before) {
      if (body.version !== undefined) throw conflict('These terms were removed or never saved; reload them before saving');
      await repo.insertTerms(trx, { account_id: accountId, ...fields, updated_by: ctx.actor.userId, created_at: now, updated_at: now, version: 1 });
    } else {
      if (body.version === undefined) throw conflict(`This account already has delivery terms (version ${before.version}); send the version you read to change them`);
      if (!(await repo.updateTerms(trx, accountId, body.version, { ...fields, updated_by: ctx.actor.userId, updated_at: now, version: before.version + 1 }))) {
        throw conflict(`Someone changed these terms first (now version ${before.version}); reload them and try again`);
      }
    }
    const [after] = await repo.listTerms(trx, accountVisibleTo(ctx.actor, 't.account_id'), accountId);
    // Terms apply to every past line (decision 022): all months of the dealer are recomputed.
    await refreshOtifAccounts(trx, ctx, [accountId]);
    await recordAudit(trx, ctx, { action: 'delivery.terms.set', entity: 'accounts', entityId: accountId, before: before ? termsOut(accountId, before) : null, after: termsOut(accountId, after) });
    return termsOut(accountId, after);
  });
}

const monthBefore = (isoTo: string) => new Date((dayNumber(isoTo) - 1) * 86_400_000).toISOString().slice(0, 7);

async function visibleAccount(ctx: Ctx, id: string) {
  const a = await ctx.db.kysely.selectFrom('accounts').select(['id']).where('id', '=', id).where(accountVisibleTo(ctx.actor, 'accounts.id')).executeTakeFirst();
  if (!a) throw notFound('Account');
}

/**
 * Shipments with their lateness in calendar days. `internal: false` (the dealer portal) leaves out
 * freight cost and weight; the dealer's scope is its own account by the policy layer.
 */
export async function shipments(ctx: Ctx, q: z.infer<typeof ShipmentQuery> & { accountId?: string }, internal: boolean): Promise<{ items: ShipmentOut[] }> {
  if (q.accountId) await visibleAccount(ctx, q.accountId);
  const rows = await repo.listShipments(ctx.db.kysely, accountVisibleTo(ctx.actor, 's.account_id'), q);
  return {
    items: rows.map((r) => ({
      id: r.id, orderLineId: r.order_line_id, accountId: r.account_id, orderNo: r.order_no, lineNo: r.line_no, item: r.item, promisedDate: r.promised_date,
      shippedDate: r.shipped_date, deliveredDate: r.delivered_date, quantity: r.quantity == null ? null : Number(r.quantity), mode: r.mode, carrier: r.carrier,
      laneCode: r.lane_code,
      daysLate: r.promised_date && r.delivered_date ? dayNumber(r.delivered_date) - dayNumber(r.promised_date) : null,
      ...(internal ? {
        freightMinor: r.freight_minor == null ? null : Number(r.freight_minor), freightCurrency: r.freight_currency, freightNote: r.freight_note,
        weightGrams: r.weight_grams == null ? null : Number(r.weight_grams), weightNote: r.weight_note,
      } : {}),
    })),
  };
}

/**
 * Open lines past their promised date (before today) and not yet delivered in full: the failures
 * that no shipment shows (decision 018 counts them as late and not in full). A delivery without a
 * quantity counts as the whole line. Oldest promise first; `total` counts them all.
 */
export async function overdueLines(ctx: Ctx, q: z.infer<typeof OverdueLinesQuery> & { only?: Expression<SqlBool> }): Promise<{ items: OverdueLineOut[]; total: number }> {
  if (q.accountId) await visibleAccount(ctx, q.accountId);
  const day = today(ctx);
  const visible = accountVisibleTo(ctx.actor, 'l.account_id');
  const rows = await repo.openLinesDue(ctx.db.kysely, q.only ? sql<SqlBool>`(${visible} and ${q.only})` : visible, {
    before: day, ...(q.accountId ? { accountId: q.accountId } : {}), ...(q.from ? { from: q.from } : {}), ...(q.to ? { to: q.to } : {}), ...(q.mode !== undefined ? { mode: q.mode } : {}),
  });
  const overdue = rows.filter((r) => Number(r.delivered_whole ?? 0) === 0 && (r.quantity == null ? Number(r.delivered_qty ?? 0) === 0 : Number(r.delivered_qty ?? 0) < Number(r.quantity)));
  return {
    total: overdue.length,
    items: overdue.slice(q.offset, q.offset + q.limit).map((r) => ({
      id: r.id, accountId: r.account_id, orderNo: r.order_no, lineNo: r.line_no, item: r.item, quantity: r.quantity == null ? null : Number(r.quantity),
      delivered: Number(r.delivered_qty ?? 0), promisedDate: r.promised_date, daysOverdue: dayNumber(day) - dayNumber(r.promised_date),
    })),
  };
}

/**
 * An account's (or, without one, every visible account's) open order lines not yet delivered in full, soonest promise first, each with the
 * days to its promise (negative: overdue) and, for a signed VMI order, its draft. `total` counts them all.
 */
export async function openLines(ctx: Ctx, accountId: string | undefined, q: z.infer<typeof OpenLinesQuery>): Promise<{ items: OpenLineOut[]; total: number }> {
  if (accountId) await visibleAccount(ctx, accountId);
  const day = dayNumber(today(ctx));
  const { rows, total } = await repo.openOrderLines(ctx.db.kysely, accountVisibleTo(ctx.actor, 'l.account_id'), { ...(accountId ? { accountId } : {}), limit: q.limit, offset: q.offset });
  return {
    total,
    items: rows.map((r) => {
      const days = r.promised_date ? dayNumber(r.promised_date) - day : null;
      return {
        id: r.id, accountId: r.account_id, orderNo: r.order_no, lineNo: r.line_no, productId: r.product_id, productSku: r.sku,
        productName: r.name_en != null ? { en: r.name_en, zh: r.name_zh ?? r.name_en } : null,
        item: r.item, quantity: r.quantity == null ? null : Number(r.quantity), unit: r.unit, delivered: Number(r.delivered_qty ?? 0), promisedDate: r.promised_date,
        due: days == null ? 'unscheduled' : days < 0 ? 'overdue' : 'due', daysToPromise: days,
        source: r.source_key.startsWith('vmi:') ? { kind: 'vmi', draftId: r.vmi_draft_id } : null,
      };
    }),
  };
}

/** Months of the dealer's own on-time figure: the current one and the eleven before. */
const SUMMARY_MONTHS = 12;

/** The dealer's own on-time share by month on its agreed terms (as the account header), and nothing else of OTIF. */
export async function portalSummary(ctx: Ctx): Promise<z.infer<typeof PortalDeliverySummary>> {
  const day = today(ctx);
  const [y, m] = day.split('-').map(Number) as [number, number];
  const start = new Date(Date.UTC(y, m - SUMMARY_MONTHS, 1)).toISOString().slice(0, 10);
  const { groups } = await otif(ctx, { by: ['month'], from: start, to: isoOfDay(dayNumber(day) + 1) });
  return {
    asOf: day,
    months: groups.map((g) => ({ month: g.key[0]!, lines: g.lines.counted, onTime: g.lines.onTime.count, share: g.lines.onTime.share })),
  };
}

/** An order line or shipment another module refers to (a claim's lines), as the caller may see it. */
export type DeliveryRef = {
  orderLineId: string; orderNo: string; lineNo: string | null; item: string | null; quantity: number | null; unit: string | null; promisedDate: string | null;
  shipmentId: string | null; shipmentNo: string | null; deliveredDate: string | null; shippedQuantity: number | null;
};

/**
 * The order lines and shipments of one account with these ids, as far as the caller sees them
 * (the claims module links its claims to them): ids of another account, or out of scope, are not
 * in the answer.
 */
export async function deliveryRefs(ctx: Pick<Ctx, 'db' | 'actor'>, accountId: string, ids: { orderLineIds: string[]; shipmentIds: string[] }): Promise<DeliveryRef[]> {
  const rows = await repo.lineRefs(ctx.db.kysely, accountVisibleTo(ctx.actor, 'l.account_id'), accountId, [...new Set(ids.orderLineIds)], [...new Set(ids.shipmentIds)]);
  const n = (v: number | null) => (v == null ? null : Number(v));
  return rows.map((r) => ({
    orderLineId: r.order_line_id, orderNo: r.order_no, lineNo: r.line_no, item: r.item, quantity: n(r.quantity), unit: r.unit, promisedDate: r.promised_date,
    shipmentId: r.shipment_id, shipmentNo: r.shipment_no, deliveredDate: r.delivered_date, shippedQuantity: n(r.ship_quantity),
  }));
}
