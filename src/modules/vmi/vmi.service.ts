/**
 * VMI use cases for staff (issue 17, item 4; decision 034): the account's settings, drafting the
 * week's order from stored data through the pure core (`suggestOrder`), recomputing it while it is
 * prepared (the rep's edits kept), editing a line with a reason, sending it for the dealer's
 * signature, cancelling it, the rep's stock count from the phone (idempotent by the phone's id),
 * and the exceptions board. Each loads the account in the caller's scope (404 outside it), checks
 * the draft's version (409 when stale) and saves with its audit row in one transaction. The
 * dealer's side is in vmi.signing.ts.
 */
import { createHash } from 'node:crypto';
import type { Ctx } from '../../server/context.js';
import { AppError, badRequest, notFound } from '../../server/errors.js';
import { accountVisibleTo } from '../../server/policy.js';
import { newId } from '../../shared/ids.js';
import { addDays, DEFAULT_TIME_ZONE, localDateOf, WEEKDAYS, weekdayOfDate, type Weekday } from '../../shared/time.js';
import { sendMail, type MailLog, type MailSettings } from '../../platform/mail.js';
import { recordAudit } from '../audit/audit.service.js';
import { latestOnHand, recordCount, today } from '../stock/stock.service.js';
import type { DayWindow } from './calendar.domain.js';
import { VmiError } from './calendar.domain.js';
import type {
  CountBody, CountResult, EditLineBody, ExceptionRow, VmiDraft, VmiDraftLine, VmiDraftStatus, VmiDraftSummary, VmiLineSettings, VmiPolicy,
  VmiReasonCode, VmiSettings, VmiSettingsBody, VmiException,
} from './vmi.contract.js';
import { demandOf, medianDays, signBounds } from './vmi.drafts.domain.js';
import { signatureOut, verifyStored } from './vmi.signature.js';
import { type ExceptionKind, suggestOrder, type LineInput, type SiteInput, type Suggestion } from './vmi.domain.js';
import * as repo from './vmi.repository.js';
import type { VmiDraftLinesTable, VmiDraftsTable, VmiLineSettingsTable, VmiSettingsTable } from './vmi.table.js';

export const ENTITY = 'vmi_draft';
/** Audit actions; the ones the account timeline shows are in vmiContribution.claimsAudit. */
export const AUDIT = {
  settings: 'vmi.settings', draft: 'vmi.draft', recompute: 'vmi.recompute', edit: 'vmi.edit', send: 'vmi.send', cancel: 'vmi.cancel',
  count: 'vmi.count', sign: 'vmi.sign', expire: 'vmi.expire',
} as const;

export const DEFAULT_LEAD_DAYS = 7;
export const DEFAULT_EXPIRY_HOURS = 72;
const DEFAULT_RHYTHM = { weekdays: ['mon'] as Weekday[], everyWeeks: 1 };
/** Days of sales history a line's demand is read from (a year). */
const HISTORY_DAYS = 364;
const HORIZON_WEEKS = 12;
/** Tries at a free draft number before giving up (each collision means another draft got it). */
const NUMBER_ATTEMPTS = 10;
/** Statuses in which the rep still changes the draft. */
const EDITABLE: readonly VmiDraftStatus[] = ['draft', 'sent'];

const visible = (ctx: Ctx, col = 'd.account_id') => accountVisibleTo(ctx.actor, col);
const staleVersion = (current: number) =>
  new AppError('stale_version', 409, `The order was changed meanwhile (it is now at version ${current}); reload it and try again`, { currentVersion: current });
const draftStatus = (status: string, message: string) => new AppError('draft_status', 409, message, { draftStatus: status });

export async function visibleAccount(ctx: Ctx, id: string) {
  const a = await repo.findAccount(ctx.db.kysely, accountVisibleTo(ctx.actor, 'accounts.id'), id);
  if (!a) throw notFound('Account');
  return a;
}

// ---------------------------------------------------------------- settings

type Effective = {
  stored: VmiSettingsTable | undefined;
  enabled: boolean; siteId: string | null;
  leadTimeDays: number; leadTimeSource: VmiSettings['leadTimeSource'];
  rhythm: { weekdays: Weekday[]; everyWeeks: number }; rhythmSource: VmiSettings['rhythmSource'];
  expiryHours: number;
  lines: VmiLineSettings[];
  raw: repo.LineSettingsRow[];
};

const parsePolicy = (json: string): VmiPolicy => JSON.parse(json) as VmiPolicy;

/** The settings as they apply: what is set, else the lead time from the delivery history and the rhythm from the visit program. */
export async function effectiveSettings(ctx: Ctx, accountId: string): Promise<Effective> {
  const k = ctx.db.kysely;
  const [stored, raw] = await Promise.all([repo.settingsOf(k, accountId), repo.lineSettingsOf(k, accountId)]);
  let leadTimeDays = stored?.lead_time_days ?? null;
  let leadTimeSource: Effective['leadTimeSource'] = 'set';
  if (leadTimeDays === null) {
    const median = medianDays(await repo.promiseDays(k, accountId));
    leadTimeDays = median ?? DEFAULT_LEAD_DAYS;
    leadTimeSource = median === null ? 'default' : 'delivery_history';
  }
  let rhythm = stored?.rhythm_json ? (JSON.parse(stored.rhythm_json) as Effective['rhythm']) : null;
  let rhythmSource: Effective['rhythmSource'] = 'set';
  if (!rhythm) {
    const plans = (await repo.visitPlans(k, accountId)).filter((p) => WEEKDAYS.includes(p.weekday as Weekday));
    if (plans.length) {
      rhythm = { weekdays: WEEKDAYS.filter((w) => plans.some((p) => p.weekday === w)), everyWeeks: Math.max(1, Math.min(...plans.map((p) => Number(p.interval_weeks)))) };
      rhythmSource = 'visit_program';
    } else {
      rhythm = DEFAULT_RHYTHM;
      rhythmSource = 'default';
    }
  }
  const lines = raw.map((r): VmiLineSettings => ({
    productId: r.product_id, sku: r.sku, productNameEn: r.name_en, productNameZh: r.name_zh, unit: r.unit,
    enabled: Number(r.enabled) === 1, policy: parsePolicy(r.policy_json), minOrder: Number(r.min_order),
    packUnits: r.pack_units ?? Number(r.pack_size), packKg: r.pack_kg ?? 0, perPallet: r.per_pallet, changeDownPct: Number(r.change_down_pct), changeUpPct: Number(r.change_up_pct),
  }));
  return {
    stored, enabled: stored ? Number(stored.enabled) === 1 : false, siteId: stored?.site_id ?? null,
    leadTimeDays, leadTimeSource, rhythm, rhythmSource, expiryHours: stored?.expiry_hours ?? DEFAULT_EXPIRY_HOURS, lines, raw,
  };
}

export async function getSettings(ctx: Ctx, accountId: string): Promise<VmiSettings> {
  const a = await visibleAccount(ctx, accountId);
  const e = await effectiveSettings(ctx, accountId);
  const s = e.stored;
  return {
    accountId, accountName: a.name, accountNameEn: a.name_en, stored: !!s, enabled: e.enabled, siteId: e.siteId,
    leadTimeDays: e.leadTimeDays, leadTimeSource: e.leadTimeSource, rhythm: e.rhythm, rhythmSource: e.rhythmSource,
    capacityKg: s?.capacity_kg ?? null, capacityPallets: s?.capacity_pallets ?? null, truckKg: s?.truck_kg ?? null, truckPallets: s?.truck_pallets ?? null,
    fullTrucks: s ? Number(s.full_trucks) === 1 : false, expiryHours: e.expiryHours, lines: e.lines, version: s?.version ?? 0, updatedAt: s?.updated_at ?? null,
  };
}

/** Replaces the account's settings and lines (audited with before and after). */
export async function putSettings(ctx: Ctx, accountId: string, body: VmiSettingsBody): Promise<VmiSettings> {
  await visibleAccount(ctx, accountId);
  const k = ctx.db.kysely;
  if (body.siteId && !(await repo.siteOfAccount(k, accountId, body.siteId))) throw badRequest('The site is not one of this account\'s', [{ path: 'body.siteId', message: 'not a site of this account' }]);
  const ids = body.lines.map((l) => l.productId);
  const products = new Map((await repo.productsByIds(k, ids)).map((p) => [p.id, p]));
  const errors = body.lines.flatMap((l, i) => [
    ...(!products.has(l.productId) ? [{ path: `body.lines.${i}.productId`, message: 'no such product' }] : []),
    ...(ids.indexOf(l.productId) !== i ? [{ path: `body.lines.${i}.productId`, message: 'the product appears twice' }] : []),
    ...((body.truckPallets !== null || body.capacityPallets !== null) && !l.perPallet ? [{ path: `body.lines.${i}.perPallet`, message: 'loads count pallets: give the packs per pallet' }] : []),
  ]);
  if (errors.length) throw badRequest('Some lines of the settings cannot be taken; nothing was saved', errors);
  const now = ctx.clock.now().toISOString();
  const before = await repo.settingsOf(k, accountId);
  const fields = {
    enabled: body.enabled ? 1 : 0, site_id: body.siteId, lead_time_days: body.leadTimeDays, rhythm_json: body.rhythm ? JSON.stringify(body.rhythm) : null,
    capacity_kg: body.capacityKg, capacity_pallets: body.capacityPallets, truck_kg: body.truckKg, truck_pallets: body.truckPallets,
    full_trucks: body.fullTrucks ? 1 : 0, expiry_hours: body.expiryHours, updated_by: ctx.actor.userId, updated_at: now,
  } satisfies Partial<VmiSettingsTable>;
  const lines: VmiLineSettingsTable[] = body.lines.map((l) => ({
    account_id: accountId, product_id: l.productId, enabled: l.enabled ? 1 : 0, policy_json: JSON.stringify(l.policy), min_order: l.minOrder,
    pack_units: l.packUnits ?? null, pack_kg: l.packKg ?? null, per_pallet: l.perPallet ?? null, change_down_pct: l.changeDownPct, change_up_pct: l.changeUpPct, updated_at: now,
  }));
  await k.transaction().execute(async (trx) => {
    if (!before) await repo.insertSettings(trx, { account_id: accountId, created_at: now, version: 1, ...fields });
    else if (!(await repo.updateSettings(trx, accountId, before.version, fields))) throw staleVersion(before.version + 1);
    await repo.replaceLineSettings(trx, accountId, lines);
    await recordAudit(trx, ctx, { action: AUDIT.settings, entity: 'vmi_settings', entityId: accountId, accountId, before: before ?? null, after: { ...fields, lines: body.lines } });
  });
  return getSettings(ctx, accountId);
}

// ---------------------------------------------------------------- drafting

type Drafted = { suggestion: Suggestion; effective: Effective; onHand: Map<string, number>; inTransit: Map<string, number>; basis: Map<string, string[]> };

/**
 * Reads the account's stored data as of a date and drafts with the pure core: on hand from the
 * latest stock reports (dealer or rep counts), in transit from open order lines less what their
 * shipments delivered (arriving on their promised date, or tomorrow when overdue), demand from a
 * year of sales (a weekly forecast or a rate), warnings over the account's sites; no lane
 * closures (no table holds them: decision 034).
 */
async function draftInputs(ctx: Ctx, accountId: string, asOf: string): Promise<Drafted> {
  const k = ctx.db.kysely;
  const effective = await effectiveSettings(ctx, accountId);
  const lines = effective.lines.filter((l) => l.enabled);
  if (!effective.stored || !effective.enabled) throw new AppError('vmi_disabled', 409, 'VMI is not enabled for this account; turn it on in its VMI settings first');
  if (!lines.length) throw new AppError('vmi_no_lines', 409, 'The account has no VMI product lines; add them in its VMI settings first');
  const ids = lines.map((l) => l.productId);
  const from = addDays(asOf, -HISTORY_DAYS);
  const [stock, open, sales, warnings] = await Promise.all([
    latestOnHand(ctx, accountId, asOf), repo.openOrderLines(k, accountId, ids), repo.dailySales(k, accountId, ids, from, asOf),
    repo.siteWarnings(k, accountId, effective.siteId, asOf),
  ]);
  const daily = new Map(ids.map((id) => [id, new Array<number>(HISTORY_DAYS).fill(0)]));
  const day0 = Date.parse(`${from}T00:00:00Z`);
  for (const s of sales) {
    const i = Math.round((Date.parse(`${s.date}T00:00:00Z`) - day0) / 86_400_000);
    const arr = daily.get(s.product_id);
    if (arr && i >= 0 && i < HISTORY_DAYS) arr[i]! += Number(s.quantity);
  }
  const onHand = new Map<string, number>(), inTransit = new Map<string, number>(), basis = new Map<string, string[]>();
  const windows: DayWindow[] = warnings.map((w) => {
    const sent = w.sent_at.slice(0, 10), to = w.expires_at.slice(0, 10);
    return { from: sent <= to ? sent : to, to, reason: w.headline ?? w.event ?? 'warning', knownFrom: sent };
  });
  const site: SiteInput = {
    asOf, leadTimeDays: effective.leadTimeDays, rhythm: effective.rhythm,
    ...(effective.stored.capacity_kg !== null || effective.stored.capacity_pallets !== null
      ? { capacity: { ...(effective.stored.capacity_kg !== null ? { kg: effective.stored.capacity_kg } : {}), ...(effective.stored.capacity_pallets !== null ? { pallets: effective.stored.capacity_pallets } : {}) } } : {}),
    ...(effective.stored.truck_kg !== null || effective.stored.truck_pallets !== null
      ? { truck: { ...(effective.stored.truck_kg !== null ? { kg: effective.stored.truck_kg } : {}), ...(effective.stored.truck_pallets !== null ? { pallets: effective.stored.truck_pallets } : {}), fullTrucks: Number(effective.stored.full_trucks) === 1 } } : {}),
    warnings: windows,
    lines: lines.map((l): LineInput => {
      const s = stock.get(l.productId);
      const coming = open.filter((o) => o.product_id === l.productId).map((o) => ({
        quantity: Math.max(0, Number(o.quantity ?? 0) - Number(o.delivered ?? 0)),
        arrives: (o.promised_date ?? o.requested_date ?? addDays(asOf, 1)) > asOf ? (o.promised_date ?? o.requested_date)! : addDays(asOf, 1),
      })).filter((t) => t.quantity > 0);
      const d = demandCached(accountId, l.productId, asOf, daily.get(l.productId)!);
      onHand.set(l.productId, s?.onHand ?? 0);
      inTransit.set(l.productId, coming.reduce((a, t) => a + t.quantity, 0));
      basis.set(l.productId, [
        s ? `On hand ${s.onHand} as reported on ${s.date}` : 'No stock report: on hand taken as 0',
        `Demand: ${d.basis}`,
      ]);
      return {
        productId: l.productId, onHand: Math.max(0, s?.onHand ?? 0), inTransit: coming, demand: d.demand, policy: l.policy,
        pack: { units: l.packUnits, kg: l.packKg, ...(l.perPallet ? { perPallet: l.perPallet } : {}) }, minOrder: l.minOrder,
      };
    }),
  };
  try {
    return { suggestion: suggestOrder(site), effective, onHand, inTransit, basis };
  } catch (e) {
    if (e instanceof VmiError) throw badRequest(`The account's VMI data cannot be drafted from: ${e.message}`);
    throw e;
  }
}

/**
 * Fitted demand by account, product, order date and the exact sales it was fitted on: a stock
 * count or an edit changes no sales, so recomputing a draft after one refits nothing (the
 * forecasts are most of a draft's cost). Bounded; the oldest entries go first.
 */
const demandCache = new Map<string, ReturnType<typeof demandOf>>();
const DEMAND_CACHE_SIZE = 20_000;
function demandCached(accountId: string, productId: string, asOf: string, daily: number[]): ReturnType<typeof demandOf> {
  const key = `${accountId}|${productId}|${asOf}|${createHash('sha1').update(new Uint8Array(new Float64Array(daily).buffer)).digest('base64')}`;
  let d = demandCache.get(key);
  if (!d) {
    d = demandOf(daily, asOf, HORIZON_WEEKS);
    demandCache.set(key, d);
    if (demandCache.size > DEMAND_CACHE_SIZE) demandCache.delete(demandCache.keys().next().value!);
  }
  return d;
}

type KeptEdit = { quantity: number; reason_code: string | null; note: string | null };

function lineRows(draftId: string, d: Drafted, kept: Map<string, KeptEdit>): VmiDraftLinesTable[] {
  const settings = new Map(d.effective.lines.map((l) => [l.productId, l]));
  return d.suggestion.lines.map((l, position) => {
    const s = settings.get(l.productId)!;
    const edit = kept.get(l.productId);
    const quantity = edit ? edit.quantity : l.quantity;
    const b = signBounds(quantity, s.changeDownPct, s.changeUpPct);
    return {
      draft_id: draftId, product_id: l.productId, position, suggested_quantity: l.quantity, quantity, pack_units: s.packUnits,
      reason_code: edit?.reason_code ?? null, note: edit?.note ?? null, why_json: JSON.stringify([...(d.basis.get(l.productId) ?? []), ...l.why]),
      on_hand: d.onHand.get(l.productId) ?? 0, in_transit: d.inTransit.get(l.productId) ?? 0, cover_days: Number.isFinite(l.coverDays) ? l.coverDays : null,
      min_quantity: b.min, max_quantity: b.max,
    };
  });
}

const suggestionFields = (d: Drafted) => ({
  as_of: d.suggestion.asOf, site_id: d.effective.siteId, arrival: d.suggestion.arrival, next_visit: d.suggestion.nextVisit, next_arrival: d.suggestion.nextArrival,
  protection_days: d.suggestion.protectionDays, lead_time_days: d.effective.leadTimeDays, load_json: JSON.stringify(d.suggestion.load),
  notes_json: JSON.stringify(d.suggestion.notes), exceptions_json: JSON.stringify(d.suggestion.exceptions),
});

/** A new draft's rows (status draft, version 1) from a drafted suggestion. */
function draftRows(d: Drafted, w: { id: string; number: string; accountId: string; at: string; createdBy: string | null }): { draft: VmiDraftsTable; lines: VmiDraftLinesTable[] } {
  return {
    draft: {
      id: w.id, number: w.number, account_id: w.accountId, status: 'draft', ...suggestionFields(d), expires_at: null, sent_by: null, sent_at: null, decided_at: null,
      cancel_reason: null, order_no: null, created_by: w.createdBy, created_at: w.at, updated_at: w.at, version: 1,
    },
    lines: lineRows(w.id, d, new Map()),
  };
}

/**
 * A new draft's rows for an account as of a date, drafted as `draftOrder` does, without writing
 * them: for the demo world, which writes its rows in its own transaction (`ctx.db.kysely` may be it).
 */
export async function draftRowsFor(ctx: Ctx, accountId: string, asOf: string, w: { id: string; number: string; createdBy: string | null }) {
  return draftRows(await draftInputs(ctx, accountId, asOf), { ...w, accountId, at: ctx.clock.now().toISOString() });
}

/** VMI-2026-00012: the year of the draft's creation and its sequence in that year. */
export const draftNumber = (at: string, seq: number): string => `VMI-${at.slice(0, 4)}-${String(seq).padStart(5, '0')}`;

/**
 * Drafts the account's order as of a date (default today). When a draft is still being prepared
 * (status draft), it is recomputed instead: the rep's edited lines keep their quantity and reason,
 * the rest is refreshed from the data now stored.
 */
export async function draftOrder(ctx: Ctx, accountId: string, asOf?: string): Promise<VmiDraft> {
  await visibleAccount(ctx, accountId);
  const open = await repo.openDraftOf(ctx.db.kysely, accountId);
  if (open) return recompute(ctx, open.id, asOf);
  const date = asOf ?? today(ctx);
  const d = await draftInputs(ctx, accountId, date);
  const at = ctx.clock.now().toISOString();
  const id = newId();
  for (let attempt = 1; ; attempt++) {
    try {
      await ctx.db.kysely.transaction().execute(async (trx) => {
        const number = draftNumber(at, (await repo.lastDraftSeq(trx, at.slice(0, 4))) + 1);
        const rows = draftRows(d, { id, number, accountId, at, createdBy: ctx.actor.userId });
        await repo.insertDraft(trx, rows.draft);
        await repo.replaceLines(trx, id, rows.lines);
        await recordAudit(trx, ctx, { action: AUDIT.draft, entity: ENTITY, entityId: id, accountId, after: { number, asOf: date, lines: d.suggestion.lines.map((l) => ({ productId: l.productId, quantity: l.quantity })) } });
      });
      break;
    } catch (e) {
      if (attempt < NUMBER_ATTEMPTS && repo.isNumberTaken(e)) continue;
      throw e;
    }
  }
  return getDraft(ctx, id);
}

/** Recomputes a draft being prepared, keeping the rep's edits (with their reasons); the version moves. */
export async function recompute(ctx: Ctx, id: string, asOf?: string): Promise<VmiDraft> {
  const r = await load(ctx, id);
  if (r.status !== 'draft') throw draftStatus(r.status, `A ${r.status} order is not recomputed`);
  const d = await draftInputs(ctx, r.account_id, asOf ?? today(ctx));
  const kept = new Map((await repo.linesOf(ctx.db.kysely, id)).filter((l) => l.reason_code).map((l) => [l.product_id, { quantity: Number(l.quantity), reason_code: l.reason_code, note: l.note }]));
  const at = ctx.clock.now().toISOString();
  await ctx.db.kysely.transaction().execute(async (trx) => {
    if (!(await repo.updateDraft(trx, id, r.version, { ...suggestionFields(d), updated_at: at }, ['draft']))) throw staleVersion(r.version + 1);
    await repo.replaceLines(trx, id, lineRows(id, d, kept));
    await recordAudit(trx, ctx, { action: AUDIT.recompute, entity: ENTITY, entityId: id, accountId: r.account_id, before: { version: r.version, asOf: r.as_of }, after: { asOf: d.suggestion.asOf, keptEdits: [...kept.keys()] } });
  });
  return getDraft(ctx, id);
}

async function load(ctx: Ctx, id: string): Promise<repo.DraftRow> {
  const r = await repo.findDraft(ctx.db.kysely, visible(ctx), id);
  if (!r) throw notFound('VMI order');
  return r;
}

/**
 * Marks sent drafts past their expiry as expired (audited per draft, without an actor; the sender
 * told); called before drafts are listed, read or signed, and every quarter hour by the job
 * (vmi.jobs.ts). Reads first: a write transaction only when something is due.
 */
export async function expireDrafts(ctx: Pick<Ctx, 'db' | 'clock' | 'requestId'>, accountId?: string): Promise<number> {
  const now = ctx.clock.now().toISOString();
  const due = await repo.dueToExpire(ctx.db.kysely, now, accountId);
  if (!due.length) return 0;
  return ctx.db.kysely.transaction().execute(async (trx) => {
    const marked = new Set(await repo.expire(trx, due.map((d) => d.id), now));
    for (const d of due.filter((x) => marked.has(x.id))) {
      await recordAudit(trx, { ...ctx, actor: null }, { action: AUDIT.expire, entity: ENTITY, entityId: d.id, accountId: d.account_id, after: { number: d.number, status: 'expired' } });
      if (d.sent_by) {
        await repo.insertNotifications(trx, [{
          id: newId(), user_id: d.sent_by, kind: 'vmi.expired', title: `Order ${d.number} expired without the dealer's signature`,
          body: `Draft a new order for the dealer if it is still needed.`, entity: ENTITY, entity_id: d.id, created_at: now, read_at: null,
        }]);
      }
    }
    return marked.size;
  });
}

const json = <T>(s: string | null, fallback: T): T => (s ? (JSON.parse(s) as T) : fallback);

export function toSummary(r: repo.DraftRow): VmiDraftSummary {
  return {
    id: r.id, number: r.number, accountId: r.account_id, accountName: r.account_name, accountNameEn: r.account_name_en, siteId: r.site_id, asOf: r.as_of,
    status: r.status as VmiDraftStatus, version: Number(r.version), arrival: r.arrival, nextArrival: r.next_arrival, lineCount: Number(r.line_count),
    totalQuantity: Number(r.total_quantity ?? 0), exceptionCount: json<unknown[]>(r.exceptions_json, []).length, expiresAt: r.expires_at, sentAt: r.sent_at,
    decidedAt: r.decided_at, orderNo: r.order_no, createdAt: r.created_at, updatedAt: r.updated_at,
  };
}

export const toLine = (l: repo.LineRow): VmiDraftLine => ({
  productId: l.product_id, sku: l.sku, productNameEn: l.name_en, productNameZh: l.name_zh, unit: l.unit,
  suggestedQuantity: Number(l.suggested_quantity), quantity: Number(l.quantity), packUnits: Number(l.pack_units), edited: l.reason_code !== null,
  reasonCode: l.reason_code as VmiReasonCode | null, note: l.note, why: json<string[]>(l.why_json, []), onHand: Number(l.on_hand), inTransit: Number(l.in_transit),
  coverDays: l.cover_days === null ? null : Number(l.cover_days), minQuantity: Number(l.min_quantity), maxQuantity: Number(l.max_quantity),
});

/** One draft with its lines (why included), exceptions, notes, edits and signature (its hash checked). */
export async function getDraft(ctx: Ctx, id: string): Promise<VmiDraft> {
  const r = await load(ctx, id);
  const k = ctx.db.kysely;
  const [lines, edits, sig] = await Promise.all([repo.linesOf(k, id), repo.editsOf(k, id), repo.signatureOf(k, id)]);
  return {
    ...toSummary(r),
    nextVisit: r.next_visit, protectionDays: Number(r.protection_days), leadTimeDays: Number(r.lead_time_days),
    load: json(r.load_json, { kg: 0, pallets: 0, trucks: null, truckCount: null }), notes: json<string[]>(r.notes_json, []),
    exceptions: json<VmiException[]>(r.exceptions_json, []), lines: lines.map(toLine),
    edits: edits.map((e) => ({
      id: e.id, productId: e.product_id, at: e.at, by: { id: e.user_id, name: e.user_name ?? '—' }, fromQuantity: Number(e.from_quantity), toQuantity: Number(e.to_quantity),
      reasonCode: e.reason_code as VmiReasonCode, note: e.note,
    })),
    sentBy: r.sent_by ? { id: r.sent_by, name: r.sent_by_name ?? '—' } : null, cancelReason: r.cancel_reason,
    signature: sig ? signatureOut(sig) : null, signatureValid: sig ? verifyStored(sig) : null,
  };
}

export async function listDrafts(ctx: Ctx, q: { status?: VmiDraftStatus | undefined; accountId?: string | undefined; limit: number; offset: number }): Promise<{ items: VmiDraftSummary[]; total: number }> {
  if (q.accountId) await visibleAccount(ctx, q.accountId);
  await expireDrafts(ctx, q.accountId);
  const { rows, total } = await repo.listDrafts(ctx.db.kysely, visible(ctx), q);
  return { items: rows.map(toSummary), total };
}

// ---------------------------------------------------------------- edit, send, cancel

/** Changes a line's quantity with a reason; a sent order stays sent at the new version, so the dealer's signature must name it. */
export async function editLine(ctx: Ctx, id: string, productId: string, body: EditLineBody): Promise<VmiDraft> {
  const r = await load(ctx, id);
  if (!EDITABLE.includes(r.status as VmiDraftStatus)) throw draftStatus(r.status, `A ${r.status} order cannot be edited`);
  if (r.version !== body.version) throw staleVersion(r.version);
  const line = (await repo.linesOf(ctx.db.kysely, id)).find((l) => l.product_id === productId);
  if (!line) throw notFound('Order line');
  const settings = (await effectiveSettings(ctx, r.account_id)).lines.find((l) => l.productId === productId);
  const b = signBounds(body.quantity, settings?.changeDownPct ?? 20, settings?.changeUpPct ?? 20);
  const at = ctx.clock.now().toISOString();
  const note = body.note?.trim() || null;
  await ctx.db.kysely.transaction().execute(async (trx) => {
    if (!(await repo.updateDraft(trx, id, r.version, { updated_at: at }, EDITABLE))) throw staleVersion(r.version + 1);
    await repo.updateLine(trx, id, productId, { quantity: body.quantity, reason_code: body.reasonCode, note, min_quantity: b.min, max_quantity: b.max });
    await repo.insertEdit(trx, { id: newId(), draft_id: id, product_id: productId, at, user_id: ctx.actor.userId, from_quantity: Number(line.quantity), to_quantity: body.quantity, reason_code: body.reasonCode, note });
    await recordAudit(trx, ctx, {
      action: AUDIT.edit, entity: ENTITY, entityId: id, accountId: r.account_id,
      before: { version: r.version, productId, quantity: Number(line.quantity) }, after: { version: r.version + 1, productId, quantity: body.quantity, reasonCode: body.reasonCode, note },
    });
  });
  return getDraft(ctx, id);
}

/** Sends a prepared draft for the dealer's signature: it expires after the account's expiry hours; the dealer's users are notified. */
export async function sendDraft(ctx: Ctx, id: string, version: number): Promise<VmiDraft> {
  const r = await load(ctx, id);
  if (r.status !== 'draft') throw draftStatus(r.status, `A ${r.status} order cannot be sent`);
  if (r.version !== version) throw staleVersion(r.version);
  if (Number(r.total_quantity ?? 0) <= 0) throw new AppError('nothing_to_order', 409, 'Every line of the order is 0: there is nothing to send');
  const { expiryHours } = await effectiveSettings(ctx, r.account_id);
  const now = ctx.clock.now();
  const at = now.toISOString();
  const expiresAt = new Date(now.getTime() + expiryHours * 3_600_000).toISOString();
  const k = ctx.db.kysely;
  const dealers = await repo.dealerUsers(k, r.account_id);
  await k.transaction().execute(async (trx) => {
    if (!(await repo.updateDraft(trx, id, r.version, { status: 'sent', sent_by: ctx.actor.userId, sent_at: at, expires_at: expiresAt, updated_at: at }, ['draft']))) throw staleVersion(r.version + 1);
    await repo.insertNotifications(trx, dealers.map((u) => ({
      id: newId(), user_id: u.id, kind: 'vmi.sign', title: `Order ${r.number} waits for your signature`,
      body: `Please accept, change or reject order ${r.number} by ${expiresAt.slice(0, 16).replace('T', ' ')} UTC.`, entity: ENTITY, entity_id: id, created_at: at, read_at: null,
    })));
    await recordAudit(trx, ctx, { action: AUDIT.send, entity: ENTITY, entityId: id, accountId: r.account_id, before: { status: r.status, version: r.version }, after: { status: 'sent', number: r.number, expiresAt, notified: dealers.length } });
  });
  return getDraft(ctx, id);
}

/**
 * E-mails the dealer's users that an order waits for their signature, where SMTP is configured
 * (OPENKAM_SMTP_URL): in each user's language, with the expiry and, with OPENKAM_PUBLIC_URL, the
 * portal link. Best-effort after the order was sent (the portal notice is already stored); never throws.
 */
export async function mailOrderToSign(ctx: Ctx, draft: VmiDraft, mail: MailSettings & { publicUrl?: string | undefined }, log: MailLog): Promise<string[]> {
  try {
    if (draft.status !== 'sent' || !draft.expiresAt) return [];
    const users = await repo.dealerUsers(ctx.db.kysely, draft.accountId);
    const until = `${draft.expiresAt.slice(0, 16).replace('T', ' ')} UTC`;
    const link = mail.publicUrl ? `${mail.publicUrl.replace(/\/$/, '')}/portal/vmi/orders/${draft.id}` : null;
    return await Promise.all(users.map((u) => sendMail(mail, log, u.locale.startsWith('zh')
      ? { to: u.email, subject: `[OpenKAM] 订单 ${draft.number} 待您签署`, text: [`${u.name}，您好：`, '', `订单 ${draft.number} 已发送给您，请在 ${until} 前接受、修改或拒绝。`, ...(link ? ['', link] : [])].join('\n') }
      : { to: u.email, subject: `[OpenKAM] Order ${draft.number} waits for your signature`, text: [`${u.name},`, '', `Order ${draft.number} was sent to you: please accept, change or reject it by ${until}.`, ...(link ? ['', link] : [])].join('\n') },
    { draftId: draft.id, userId: u.id })));
  } catch (err) {
    log.warn({ err, draftId: draft.id }, 'VMI: the order e-mail could not be prepared');
    return [];
  }
}

export async function cancelDraft(ctx: Ctx, id: string, version: number, reason: string): Promise<VmiDraft> {
  const r = await load(ctx, id);
  if (!EDITABLE.includes(r.status as VmiDraftStatus)) throw draftStatus(r.status, `A ${r.status} order cannot be cancelled`);
  if (r.version !== version) throw staleVersion(r.version);
  const at = ctx.clock.now().toISOString();
  await ctx.db.kysely.transaction().execute(async (trx) => {
    if (!(await repo.updateDraft(trx, id, r.version, { status: 'cancelled', cancel_reason: reason, updated_at: at }, EDITABLE))) throw staleVersion(r.version + 1);
    await recordAudit(trx, ctx, { action: AUDIT.cancel, entity: ENTITY, entityId: id, accountId: r.account_id, before: { status: r.status, version: r.version }, after: { status: 'cancelled', reason } });
  });
  return getDraft(ctx, id);
}

// ---------------------------------------------------------------- the rep's stock count

/**
 * Saves a rep's count as dealer stock reports (source 'count', through the stock module) and
 * recomputes the account's draft being prepared, or drafts one when VMI is on and none is. The
 * phone's id makes it idempotent: sent again (an offline outbox resending), it saves nothing and
 * answers `duplicate`. A count of products outside the catalogue is refused as a whole.
 */
export async function recordStockCount(ctx: Ctx, accountId: string, body: CountBody): Promise<CountResult> {
  await visibleAccount(ctx, accountId);
  const k = ctx.db.kysely;
  const prior = await repo.findCount(k, body.clientId);
  if (prior && prior.account_id !== accountId) throw new AppError('count_id_taken', 409, 'This count id was already used for another account');
  if (prior) return { saved: 0, duplicate: true, draft: await currentDraft(ctx, accountId) };
  const ids = body.lines.map((l) => l.productId);
  const known = new Set((await repo.productsByIds(k, ids)).map((p) => p.id));
  const errors = body.lines.flatMap((l, i) => [
    ...(!known.has(l.productId) ? [{ path: `body.lines.${i}.productId`, message: `line ${i + 1}: no such product` }] : []),
    ...(ids.indexOf(l.productId) !== i ? [{ path: `body.lines.${i}.productId`, message: `line ${i + 1}: the product is counted twice` }] : []),
  ]);
  if (errors.length) throw badRequest('Some lines of the count cannot be taken; nothing was saved', errors);
  const countedAt = new Date(body.countedAt);
  const reportDate = localDateOf(countedAt, DEFAULT_TIME_ZONE);
  if (reportDate > today(ctx)) throw badRequest('The count is dated after today', [{ path: 'body.countedAt', message: 'after today' }]);
  // The count's id is claimed in the reports' own transaction: two sends at once (PostgreSQL runs
  // them side by side) wait on its key, and the later one writes nothing.
  const counts = await recordCount(ctx, accountId, { key: body.clientId, reportDate, lines: body.lines }, async (trx) => {
    const claimed = await repo.insertCount(trx, { client_id: body.clientId, account_id: accountId, counted_at: countedAt.toISOString(), lines: body.lines.length, user_id: ctx.actor.userId, created_at: ctx.clock.now().toISOString() });
    if (claimed) await recordAudit(trx, ctx, { action: AUDIT.count, entity: 'vmi_count', entityId: body.clientId, accountId, after: { countedAt: body.countedAt, lines: body.lines.length } });
    return claimed;
  });
  if (!counts) return { saved: 0, duplicate: true, draft: await currentDraft(ctx, accountId) };
  const saved = counts.inserted + counts.updated;
  const open = await repo.openDraftOf(k, accountId);
  let draft: VmiDraft | null = null;
  if (open) draft = await recompute(ctx, open.id);
  else {
    const effective = await effectiveSettings(ctx, accountId);
    if (effective.enabled && effective.lines.some((l) => l.enabled)) draft = await draftOrder(ctx, accountId);
  }
  return { saved, duplicate: false, draft };
}

async function currentDraft(ctx: Ctx, accountId: string): Promise<VmiDraft | null> {
  const open = await repo.openDraftOf(ctx.db.kysely, accountId);
  return open ? getDraft(ctx, open.id) : null;
}

// ---------------------------------------------------------------- exceptions board

/** Exceptions of the open (draft or sent) orders in scope dated in [from, to], by date, kind and account. */
export async function exceptionBoard(ctx: Ctx, q: { from?: string | undefined; to?: string | undefined; kind?: ExceptionKind | undefined; limit: number; offset: number }): Promise<{ items: ExceptionRow[]; total: number }> {
  const from = q.from ?? today(ctx);
  const to = q.to ?? addDays(from, 28);
  await expireDrafts(ctx);
  const k = ctx.db.kysely;
  const drafts = await repo.openDraftExceptions(k, visible(ctx));
  const rows = drafts.flatMap((d) => json<VmiException[]>(d.exceptions_json, []).filter((e) => e.date >= from && e.date <= to && (!q.kind || e.kind === q.kind)).map((e) => ({ d, e })));
  const products = new Map((await repo.productsByIds(k, [...new Set(rows.map((r) => r.e.productId))])).map((p) => [p.id, p]));
  const kindOrder = ['stockout', 'belowMin', 'aboveMax', 'slowMover'];
  rows.sort((a, b) => a.e.date.localeCompare(b.e.date) || kindOrder.indexOf(a.e.kind) - kindOrder.indexOf(b.e.kind) || a.d.account_name.localeCompare(b.d.account_name) || a.e.productId.localeCompare(b.e.productId));
  const items = rows.slice(q.offset, q.offset + q.limit).map(({ d, e }): ExceptionRow => {
    const p = products.get(e.productId);
    return {
      date: e.date, kind: e.kind, detail: e.detail, draftId: d.id, draftNumber: d.number, draftStatus: d.status as VmiDraftStatus,
      account: { id: d.account_id, accountName: d.account_name, accountNameEn: d.account_name_en },
      product: { id: e.productId, sku: p?.sku ?? null, nameEn: p?.name_en ?? null, nameZh: p?.name_zh ?? null },
    };
  });
  return { items, total: rows.length };
}

// ---------------------------------------------------------------- the week's drafts

export type DueResult = { date: string; due: number; drafted: string[]; failed: { accountId: string; message: string }[] };

/**
 * Drafts the week's suggested orders (issue 17 item 4): every account with VMI on whose visit
 * falls on the date gets its order drafted as of that day, unless it already has one drafted since
 * its previous visit, or one sent and still waiting for the dealer. A draft being prepared is recomputed (the rep's
 * edits kept). One account that cannot be drafted is reported; the others go on.
 */
/** The day after the previous visit of the rhythm (every n weeks: n weeks less a day back, the rhythm's phase not being stored). */
function sinceLastVisit(date: string, rhythm: { weekdays: readonly Weekday[]; everyWeeks: number }): string {
  if (rhythm.everyWeeks > 1) return addDays(date, -(7 * rhythm.everyWeeks - 1));
  let gap = 1;
  while (gap < 7 && !rhythm.weekdays.includes(weekdayOfDate(addDays(date, -gap)))) gap++;
  return addDays(date, -gap + 1);
}

export async function draftDueOrders(ctx: Ctx, date = today(ctx)): Promise<DueResult> {
  const k = ctx.db.kysely;
  const out: DueResult = { date, due: 0, drafted: [], failed: [] };
  for (const { account_id: accountId } of await repo.enabledAccounts(k)) {
    const e = await effectiveSettings(ctx, accountId);
    if (!e.enabled || !e.rhythm.weekdays.includes(weekdayOfDate(date))) continue;
    if (await repo.hasVisitOrder(k, accountId, sinceLastVisit(date, e.rhythm))) continue;
    out.due++;
    try {
      out.drafted.push((await draftOrder(ctx, accountId, date)).id);
    } catch (err) {
      out.failed.push({ accountId, message: err instanceof Error ? err.message : String(err) });
    }
  }
  return out;
}
