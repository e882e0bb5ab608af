/**
 * Delivery use cases: take order lines and their shipments in batches (transactional, idempotent by
 * natural key), OTIF from the stored lines by account, territory, lane, mode, carrier and month
 * (decision 018's definitions, in otif.domain.ts), and shipment lists with their lateness; the
 * dealer's own deliveries without freight cost or weight.
 */
import type { Transaction } from 'kysely';
import type { z } from 'zod';
import type { Database } from '../../db/schema.js';
import type { Ctx } from '../../server/context.js';
import { badRequest, type FieldError, notFound } from '../../server/errors.js';
import { accountVisibleTo } from '../../server/policy.js';
import { newId } from '../../shared/ids.js';
import { recordAudit } from '../audit/audit.service.js';
import type { BatchResult, OrderLineBatch, OtifQuery, OtifResult, ShipmentOut, ShipmentQuery } from './delivery.contract.js';
import type { OrderLinesTable, ShipmentsTable } from './delivery.table.js';
import { dayNumber, type OtifLine, otifGroups } from './otif.domain.js';
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
  const seenLine = new Set<string>(), seenShip = new Set<string>();
  body.lines.forEach((l, i) => {
    const at = (f: string, message: string) => errors.push({ path: `lines.${i}.${f}`, message: `line ${i + 1}: ${message}` });
    if (!accounts.has(l.accountCode)) at('accountCode', `no dealer with code "${l.accountCode}" that you may see`);
    if (seenLine.has(l.sourceKey)) at('sourceKey', `"${l.sourceKey}" appears twice in the batch`);
    seenLine.add(l.sourceKey);
    if (l.status === 'cancelled' && !l.cancelledDate) at('cancelledDate', 'a cancelled line needs its cancellation date (otherwise it cannot be told whether it was missed first)');
    if (l.status !== 'cancelled' && l.cancelledDate) at('cancelledDate', 'only a cancelled line has a cancellation date');
    if ((l.valueMinor == null) !== (l.currency == null)) at('currency', 'a value needs its currency, and a currency its value');
    l.shipments.forEach((s, j) => {
      const sat = (f: string, message: string) => errors.push({ path: `lines.${i}.shipments.${j}.${f}`, message: `line ${i + 1}, shipment ${j + 1}: ${message}` });
      if (seenShip.has(s.sourceKey)) sat('sourceKey', `"${s.sourceKey}" appears twice in the batch`);
      seenShip.add(s.sourceKey);
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
    for (const l of body.lines) {
      const accountId = accounts.get(l.accountCode)!;
      const fields = {
        account_id: accountId, order_no: l.orderNo, line_no: l.lineNo ?? null, item: l.item ?? null, quantity: l.quantity ?? null, unit: l.unit ?? null,
        value_minor: l.valueMinor ?? null, currency: l.currency ?? null, ordered_date: l.orderedDate ?? null, requested_date: l.requestedDate ?? null,
        promised_date: l.promisedDate ?? null, status: l.status, cancelled_date: l.cancelledDate ?? null, lane_code: l.laneCode ?? null,
      } satisfies Partial<OrderLinesTable>;
      const before = existing.get(l.sourceKey);
      let lineId: string;
      if (!before) {
        lineId = newId();
        await repo.insertOrderLine(trx, { id: lineId, source_key: l.sourceKey, product_id: null, planned_mode: null, extra_json: null, import_job_id: null, created_at: now, updated_at: now, version: 1, ...fields });
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

/** OTIF of the visible order lines promised in [from, to), grouped as asked, judged as of today. */
export async function otif(ctx: Ctx, q: z.infer<typeof OtifQuery>): Promise<z.infer<typeof OtifResult>> {
  if (q.accountId) await visibleAccount(ctx, q.accountId);
  const rows = await repo.otifRows(ctx.db.kysely, accountVisibleTo(ctx.actor, 'l.account_id'), q);
  const lines: OtifLine[] = [];
  let cur: (OtifLine & { id: string; deliveries: { date: string; quantity: number }[] }) | null = null;
  for (const r of rows) {
    if (!cur || cur.id !== r.id) {
      cur = {
        id: r.id, orderId: `${r.account_id}/${r.order_no}`, promisedDate: r.promised_date!, deliveries: [], orderedQty: r.quantity == null ? null : Number(r.quantity),
        status: r.status as OtifLine['status'], cancelledDate: r.cancelled_date,
        keys: { account: r.account_id, territory: r.territory_id ?? '', lane: r.lane_code ?? r.line_lane ?? '', mode: r.mode ?? '', carrier: r.carrier ?? '' },
      };
      lines.push(cur);
    }
    if (r.ship_date) cur.deliveries.push({ date: r.ship_date, quantity: r.ship_qty == null ? Number(r.quantity ?? 0) : Number(r.ship_qty) });
  }
  const tolerances = { earlyDays: q.earlyDays, lateDays: q.lateDays, inFullPercent: q.inFullPercent };
  const months = q.by.includes('month') && q.from && q.to ? { from: q.from.slice(0, 7), to: monthBefore(q.to) } : undefined;
  const groups = otifGroups(lines, { by: q.by, tolerances, asOf: today(ctx), linesGroupedByOrder: true, ...(months ? { months } : {}) });
  return { asOf: today(ctx), by: q.by, tolerances, groups };
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
