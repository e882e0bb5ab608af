/**
 * Competition use cases: record a competitor price (and raise an undercut alert), the regional trend,
 * the pocket-price waterfall of an account and product, and the concession-vs-value comparison of a
 * competitor's offer with the manager's decision and its outcome.
 */
import type { z } from 'zod';
import type { Ctx } from '../../server/context.js';
import { AppError, badRequest, notFound } from '../../server/errors.js';
import { accountVisibleTo } from '../../server/policy.js';
import { newId } from '../../shared/ids.js';
import { recordAudit } from '../audit/audit.service.js';
import { getAttachment } from '../attachments/attachments.service.js';
import { forecastSeries } from '../forecasting/forecasting.domain.js';
import { getProduct } from '../products/products.service.js';
import { addMonths, monthsBetween, productMonths, revenueInWindow, revenueTrend } from '../sales/sales.service.js';
import { costByMonth } from '../services/entitlements.service.js';
import { listKinds } from '../services/services.service.js';
import type {
  AlertQuery, Comparison, CompareBody, DecisionBody, Observation, ObservationQuery, Offer, OutcomeBody, RecordObservationBody, TrendQuery,
  UndercutAlert, Waterfall,
} from './competition.contract.js';
import {
  type Alternative, buildWaterfall, compareOffer, CompetitionError, type ListSharing, priceInOurUnit, undercut, type WaterfallStep,
} from './competition.domain.js';
import * as repo from './competition.repository.js';
import type { CompetitionSettings } from './competition.settings.js';

const db = (ctx: Ctx) => ctx.db.kysely;
const stale = (what: string) => new AppError('precondition_failed', 412, `The ${what} was changed by someone else since you read it; reload and try again`);
const obsScope = (ctx: Ctx) => repo.observationScope(accountVisibleTo(ctx.actor, 'o.account_id'));
const pct = (bp: number) => bp / 100;

/** The figures' window: the twelve months up to today (UTC days, `to` exclusive). */
export function trailingYear(now: Date): { from: string; to: string } {
  const to = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1)).toISOString().slice(0, 10);
  return { from: yearBefore(to), to };
}

const yearBefore = (date: string): string => {
  const d = new Date(`${date}T00:00:00Z`);
  return new Date(Date.UTC(d.getUTCFullYear() - 1, d.getUTCMonth(), d.getUTCDate())).toISOString().slice(0, 10);
};

const domainError = (e: unknown): never => {
  if (e instanceof CompetitionError) {
    throw new AppError(e.code, e.code === 'currency_mismatch' || e.code === 'two_list_prices' ? 409 : 400, e.message);
  }
  throw e;
};

async function visibleAccount(ctx: Ctx, id: string) {
  const a = await db(ctx).selectFrom('accounts').select(['id', 'name', 'name_en', 'province', 'city', 'currency', 'owner_id'])
    .where('id', '=', id).where(accountVisibleTo(ctx.actor, 'accounts.id')).executeTakeFirst();
  if (!a) throw notFound('Account');
  return a;
}

// ---------- observations

const toObservation = (r: repo.ObservationRow): Observation => ({
  id: r.id, accountId: r.account_id, accountName: r.account_name, accountNameEn: r.account_name_en, province: r.province, city: r.city,
  competitor: r.competitor, competitorProduct: r.competitor_product, productId: r.product_id, productSku: r.sku, productNameEn: r.product_name_en,
  productNameZh: r.product_name_zh, productUnit: r.product_unit, priceMinor: Number(r.price_minor), currency: r.currency, unit: r.unit,
  conversion: { competitorUnits: r.competitor_units, ourUnits: r.our_units }, unitPriceMinor: Number(r.unit_price_minor), observedAt: r.observed_at,
  source: r.source as Observation['source'], visitId: r.visit_id, attachmentId: r.attachment_id, note: r.note,
  createdBy: { id: r.created_by, name: r.author_name ?? '' }, createdAt: r.created_at,
});

const toAlert = (r: repo.AlertRow, thresholdBp = r.threshold_bp): UndercutAlert => ({
  id: r.id, observationId: r.observation_id, accountId: r.account_id, accountName: r.account_name, accountNameEn: r.account_name_en,
  productId: r.product_id, productSku: r.sku, productNameEn: r.product_name_en, productNameZh: r.product_name_zh, productUnit: r.product_unit,
  competitor: r.competitor, competitorUnitMinor: Number(r.competitor_unit_minor), pocketUnitMinor: Number(r.pocket_unit_minor), currency: r.currency,
  sharePercent: pct(r.share_bp), thresholdPercent: pct(thresholdBp), status: r.status as UndercutAlert['status'], raisedAt: r.raised_at,
  acknowledgedAt: r.acknowledged_at, version: r.version,
});

/**
 * Records a competitor price. For a dealer's account it also compares the price (in our unit)
 * with our pocket price there over the last twelve months, and raises an undercut alert when the
 * competitor is cheaper by more than the set share.
 */
export async function recordObservation(ctx: Ctx, settings: CompetitionSettings, b: z.infer<typeof RecordObservationBody>) {
  const product = await getProduct(ctx, b.productId);
  const account = b.accountId ? await visibleAccount(ctx, b.accountId) : null;
  if (account && account.currency !== b.currency) {
    throw new AppError('currency_mismatch', 400, `The account trades in ${account.currency}; record the price in ${account.currency}`, { errors: [{ path: 'body.currency', message: `must be ${account.currency}` }] });
  }
  if (!account && !b.province) throw badRequest('A price seen in a region only needs its province', [{ path: 'body.province', message: 'required without an account' }]);
  if (b.visitId) {
    const visit = await db(ctx).selectFrom('visits').select(['account_id']).where('id', '=', b.visitId).where(accountVisibleTo(ctx.actor, 'visits.account_id')).executeTakeFirst();
    if (!visit || visit.account_id !== b.accountId) throw badRequest('The visit is not one of this account', [{ path: 'body.visitId', message: 'not a visit of the account' }]);
  }
  if (b.attachmentId) {
    const att = await getAttachment(ctx, b.attachmentId).catch(() => null);
    if (!att || att.accountId !== b.accountId) throw badRequest('The invoice photo is not an attachment of this account', [{ path: 'body.attachmentId', message: 'not an attachment of the account' }]);
  }
  let unitPrice: number;
  try { unitPrice = priceInOurUnit(b.priceMinor, b.conversion); } catch (e) { return domainError(e); }
  const now = ctx.clock.now().toISOString();
  const observedAt = b.observedAt ? new Date(b.observedAt).toISOString() : now;
  if (observedAt > now) throw badRequest('A price cannot be observed in the future', [{ path: 'body.observedAt', message: 'after now' }]);

  // Our pocket price there, before anything is written (reads through the other modules).
  let cmp: ReturnType<typeof undercut> | null = null;
  let unknownKey: string | null = null;
  if (account) {
    const w = await waterfallFor(ctx, account.id, product.id, trailingYear(new Date(observedAt)));
    if (w.pocketPerUnitMinor === null) unknownKey = w.listMinor === null ? 'competition.undercut.noList' : 'competition.undercut.noPocket';
    else if (w.pocketPerUnitMinor <= 0) unknownKey = 'competition.undercut.noPocket';
    else cmp = undercut(unitPrice, w.pocketPerUnitMinor, settings.undercutAlertBp);
  }
  const id = newId();
  const alertId = cmp?.alert ? newId() : null;
  await db(ctx).transaction().execute(async (trx) => {
    await repo.insertObservation(trx, {
      id, account_id: account?.id ?? null, province: b.province ?? account?.province ?? null, city: b.city ?? (b.province ? null : account?.city ?? null),
      competitor: b.competitor, competitor_product: b.competitorProduct, product_id: product.id, price_minor: b.priceMinor, currency: b.currency, unit: b.unit,
      competitor_units: b.conversion.competitorUnits, our_units: b.conversion.ourUnits, unit_price_minor: unitPrice, observed_at: observedAt, source: b.source,
      visit_id: b.visitId, attachment_id: b.attachmentId, note: b.note, created_by: ctx.actor.userId, created_at: now, updated_at: now, version: 1,
    });
    await recordAudit(trx, ctx, { action: 'competitor_observation.record', entity: 'competitor_observation', entityId: id, accountId: account?.id ?? null, after: { ...b, unitPriceMinor: unitPrice } });
    if (cmp && alertId && account) {
      await repo.insertAlert(trx, {
        id: alertId, observation_id: id, account_id: account.id, product_id: product.id, competitor: b.competitor, competitor_unit_minor: unitPrice,
        pocket_unit_minor: cmp.pocketUnitMinor, currency: b.currency, share_bp: cmp.shareBp, threshold_bp: settings.undercutAlertBp, status: 'open',
        raised_at: now, acknowledged_at: null, acknowledged_by: null, version: 1,
      });
      await recordAudit(trx, ctx, { action: 'undercut_alert.raise', entity: 'undercut_alert', entityId: alertId, accountId: account.id, after: { observationId: id, shareBp: cmp.shareBp, thresholdBp: settings.undercutAlertBp } });
    }
  });
  const observation = toObservation((await repo.findObservation(db(ctx), obsScope(ctx), id))!);
  const alert = alertId ? toAlert((await repo.findAlert(db(ctx), accountVisibleTo(ctx.actor, 'ua.account_id'), alertId))!) : null;
  return {
    observation, alert, undercutUnknownKey: unknownKey,
    undercut: cmp ? { competitorUnitMinor: cmp.competitorUnitMinor, pocketUnitMinor: cmp.pocketUnitMinor, gapMinor: cmp.gapMinor, sharePercent: pct(cmp.shareBp), thresholdPercent: settings.undercutAlertPercent, alert: cmp.alert } : null,
  };
}

export async function listObservations(ctx: Ctx, q: z.infer<typeof ObservationQuery>) {
  let after: [string, string] | undefined;
  if (q.cursor) {
    try { after = JSON.parse(Buffer.from(q.cursor, 'base64url').toString('utf8')) as [string, string]; } catch { /* below */ }
    if (!Array.isArray(after) || after.length !== 2 || typeof after[0] !== 'string' || typeof after[1] !== 'string') throw badRequest('The cursor is not valid; start again from the first page', [{ path: 'querystring.cursor', message: 'invalid cursor' }]);
  }
  const rows = await repo.listObservations(db(ctx), obsScope(ctx), { ...q, ...(after ? { after } : {}) });
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1];
  return { items: page.map(toObservation), nextCursor: rows.length > q.limit && last ? Buffer.from(JSON.stringify([last.observed_at, last.id])).toString('base64url') : null };
}

/**
 * Competitor prices of a product over the last months: the average price per our unit per competitor
 * and month (rounded half up), and per province (for the map) with the lowest seen and who offered it.
 */
export async function trend(ctx: Ctx, q: z.infer<typeof TrendQuery> & { currency?: string }) {
  const product = await getProduct(ctx, q.productId);
  const currency = q.currency ?? 'CNY';
  const thisMonth = ctx.clock.now().toISOString().slice(0, 7);
  const first = addMonths(thisMonth, -(q.months - 1));
  const cells = await repo.trendCells(db(ctx), obsScope(ctx), { productId: q.productId, province: q.province, since: `${first}-01`, currency });
  const months = monthsBetween(first, thisMonth);
  const byCompetitor = new Map<string, Map<string, { sum: number; n: number }>>();
  for (const c of cells.byMonth) {
    const m = byCompetitor.get(c.competitor) ?? new Map<string, { sum: number; n: number }>();
    m.set(c.month, { sum: c.sum, n: c.n });
    byCompetitor.set(c.competitor, m);
  }
  const byProvince = new Map<string, { sum: number; n: number; low: number; lowBy: string; latest: string }>();
  for (const c of cells.byProvince) {
    const p = byProvince.get(c.province);
    if (!p) { byProvince.set(c.province, { sum: c.sum, n: c.n, low: c.low, lowBy: c.competitor, latest: c.latest }); continue; }
    p.sum += c.sum; p.n += c.n;
    if (c.low < p.low || (c.low === p.low && c.competitor < p.lowBy)) { p.low = c.low; p.lowBy = c.competitor; }
    if (c.latest > p.latest) p.latest = c.latest;
  }
  const avg = (s: number, n: number) => Math.floor(s / n + 0.5);
  return {
    productId: product.id, productSku: product.sku, productNameEn: product.nameEn, productNameZh: product.nameZh, productUnit: product.unit, currency, months,
    series: [...byCompetitor.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([competitor, cells]) => ({
      competitor, points: months.map((month) => { const c = cells.get(month); return { month, avgUnitMinor: c ? avg(c.sum, c.n) : null, count: c?.n ?? 0 }; }),
    })),
    regions: [...byProvince.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([province, p]) => ({
      province, count: p.n, avgUnitMinor: avg(p.sum, p.n), lowestUnitMinor: p.low, lowestCompetitor: p.lowBy, latestAt: p.latest,
    })),
  };
}

// ---------- alerts

export async function listAlerts(ctx: Ctx, q: z.infer<typeof AlertQuery>) {
  const rows = await repo.listAlerts(db(ctx), accountVisibleTo(ctx.actor, 'ua.account_id'), { ...q, limit: 200 });
  return { items: rows.map((r) => toAlert(r)) };
}

export async function acknowledgeAlert(ctx: Ctx, id: string, version: number): Promise<UndercutAlert> {
  const scope = accountVisibleTo(ctx.actor, 'ua.account_id');
  const before = await repo.findAlert(db(ctx), scope, id);
  if (!before) throw notFound('Undercut alert');
  if (before.status !== 'open') throw new AppError('conflict', 409, 'The alert was acknowledged already');
  await db(ctx).transaction().execute(async (trx) => {
    if (!await repo.acknowledgeAlert(trx, id, version, ctx.actor.userId, ctx.clock.now().toISOString())) throw stale('alert');
    await recordAudit(trx, ctx, { action: 'undercut_alert.acknowledge', entity: 'undercut_alert', entityId: id, accountId: before.account_id, before: { status: 'open' }, after: { status: 'acknowledged' } });
  });
  return toAlert((await repo.findAlert(db(ctx), scope, id))!);
}

// ---------- waterfall

/**
 * The waterfall of an account and product over dates [from, to): every module's step through the
 * contributions registry, over the quantity sold in the window (one unit when none was sold).
 */
export async function waterfallFor(ctx: Ctx, accountId: string, productId: string, window?: { from?: string | undefined; to?: string | undefined }): Promise<Waterfall> {
  const account = await visibleAccount(ctx, accountId);
  const product = await getProduct(ctx, productId);
  const def = trailingYear(ctx.clock.now());
  const to = window?.to ?? def.to;
  const from = window?.from ?? yearBefore(to);
  if (from >= to) throw badRequest('from must be before to', [{ path: 'querystring.from', message: 'not before to' }]);
  const sales = await revenueInWindow(ctx, account.id, product.id, { from, to, currency: account.currency });
  const quantity = sales.productQuantity > 0 ? sales.productQuantity : 1;
  const g = await ctx.contributions.pocket(ctx, { accountId: account.id, productId: product.id, from, to, quantity, currency: account.currency });
  let w: ReturnType<typeof buildWaterfall>;
  try { w = buildWaterfall(g.items as WaterfallStep[], quantity, account.currency); } catch (e) { return domainError(e); }
  return {
    accountId: account.id, productId: product.id, productSku: product.sku, productNameEn: product.nameEn, productNameZh: product.nameZh, productUnit: product.unit,
    from, to, quantityBasis: sales.productQuantity > 0 ? 'sold' : 'one', ...w, unavailable: g.unavailable,
  };
}

// ---------- concession vs value

const LEVELS = [0.1, 0.5, 0.9];

/** The sharing figures of the list step (pricing module): null when absent, never zero. */
function sharingOf(w: Waterfall, windowMonths: number): ListSharing | null {
  const list = w.rows.find((r) => r.state === 'known' && r.kind === 'list');
  if (!list || list.state !== 'known') return null;
  const { sharedAccounts, sharedQuantity } = list.params;
  if (typeof sharedAccounts !== 'number' || typeof sharedQuantity !== 'number') return null;
  return { sharedAccounts, sharedQuantity, windowMonths };
}

/** The concession-vs-value comparison of a competitor's offer to an account, every number shown. */
export async function compare(ctx: Ctx, b: z.infer<typeof CompareBody>): Promise<Comparison> {
  const account = await visibleAccount(ctx, b.accountId);
  if (account.currency !== b.currency) {
    throw new AppError('currency_mismatch', 400, `The account trades in ${account.currency}; state the offer in ${account.currency}`, { errors: [{ path: 'body.currency', message: `must be ${account.currency}` }] });
  }
  let competitorUnit: number;
  try { competitorUnit = priceInOurUnit(b.offerPriceMinor, b.conversion); } catch (e) { return domainError(e); }
  const now = ctx.clock.now();
  const window = trailingYear(now);
  const w = await waterfallFor(ctx, account.id, b.productId, window);
  if (w.pocketPerUnitMinor === null || w.pocketPerUnitMinor <= 0) {
    throw new AppError('no_pocket_price', 409, 'No list price is known for this account and product, so there is no pocket price to compare the offer with');
  }
  // Expected volume: the last 24 months of the product, month by month (gaps are zero), forecast ahead.
  const thisMonth = now.toISOString().slice(0, 7);
  const firstMonth = addMonths(thisMonth, -24);
  const monthly = new Map((await productMonths(ctx, account.id, b.productId, { from: `${firstMonth}-01`, to: `${thisMonth}-01`, currency: account.currency })).map((m) => [m.month, m.quantity]));
  const values = monthsBetween(firstMonth, addMonths(thisMonth, -1)).map((m) => monthly.get(m) ?? 0);
  const f = forecastSeries({ values, frequency: 12 }, { horizon: b.horizonMonths, levels: LEVELS, nonNegative: true });
  const h = b.horizonMonths - 1;
  const expected = { point: f.point.reduce((s, v) => s + v, 0), low: f.cumulative?.[0]?.[h] ?? null, high: f.cumulative?.[2]?.[h] ?? null };

  // Value-added alternatives: the active service catalogue in the account's currency, with expected use.
  const since = new Date(Date.UTC(now.getUTCFullYear() - 1, now.getUTCMonth(), now.getUTCDate())).toISOString();
  const used = new Map<string, number>();
  for (const c of await costByMonth(db(ctx), account.id, since)) used.set(c.serviceKindId, (used.get(c.serviceKindId) ?? 0) + c.quantity);
  const alternatives: Alternative[] = (await listKinds(ctx)).items.filter((k) => k.active && k.currency === account.currency).map((k) => {
    const given = b.expectedUse[k.id];
    const past = used.get(k.id) ?? 0;
    const [expectedUse, useBasis] = given !== undefined ? [given, 'given' as const] : past > 0 ? [(past * b.horizonMonths) / 12, 'history' as const] : [b.horizonMonths, 'assumed' as const];
    return { serviceKindId: k.id, code: k.code, name: k.name, nameEn: k.nameEn, unit: k.unit, unitCostMinor: k.unitCostMinor, currency: k.currency, expectedUse, useBasis };
  });

  // Margin at risk: the account's margin on costed sales over the last twelve full months.
  const trendRows = (await revenueTrend(ctx, account.id, { from: addMonths(thisMonth, -12), to: addMonths(thisMonth, -1), currency: account.currency })).points;
  const costed = trendRows.some((p) => p.costMinor > 0);
  const marginMinor = trendRows.reduce((s, p) => s + p.marginMinor, 0);
  const margin = costed ? { marginMinor, months: 12 } : null;

  let c: ReturnType<typeof compareOffer>;
  try {
    c = compareOffer({
      currency: account.currency, horizonMonths: b.horizonMonths, pocketUnitMinor: w.pocketPerUnitMinor, competitorUnitMinor: competitorUnit,
      expected, sharing: sharingOf(w, 12), alternatives, margin,
    });
  } catch (e) { return domainError(e); }
  return { ...c, pocketUnitMinor: w.pocketPerUnitMinor, competitorUnitMinor: competitorUnit, forecastModel: f.model, marginBasis: margin, waterfall: w };
}

const toOffer = (r: repo.OfferRow): Offer => ({
  id: r.id, accountId: r.account_id, accountName: r.account_name, accountNameEn: r.account_name_en, productId: r.product_id, productSku: r.sku,
  productNameEn: r.product_name_en, productNameZh: r.product_name_zh, productUnit: r.product_unit, observationId: r.observation_id, competitor: r.competitor,
  offerUnitMinor: Number(r.offer_unit_minor), currency: r.currency, horizonMonths: r.horizon_months, comparison: JSON.parse(r.comparison_json) as Comparison,
  recommendation: r.recommendation as Offer['recommendation'], decision: r.decision as Offer['decision'], alternativeId: r.alternative_id, decisionNote: r.decision_note,
  decidedBy: r.decided_by ? { id: r.decided_by, name: r.decided_by_name ?? '' } : null, decidedAt: r.decided_at, outcome: r.outcome as Offer['outcome'],
  outcomeNote: r.outcome_note, outcomeAt: r.outcome_at, createdAt: r.created_at, version: r.version,
});
const offerScope = (ctx: Ctx) => accountVisibleTo(ctx.actor, 'co.account_id');

/** Records a competitor's offer with the comparison as it stands now (kept as it was for later review). */
export async function createOffer(ctx: Ctx, b: z.infer<typeof CompareBody>): Promise<Offer> {
  if (b.observationId && !await repo.findObservation(db(ctx), obsScope(ctx), b.observationId)) {
    throw badRequest('The observation was not found', [{ path: 'body.observationId', message: 'not found' }]);
  }
  const c = await compare(ctx, b);
  const now = ctx.clock.now().toISOString();
  const id = newId();
  await db(ctx).transaction().execute(async (trx) => {
    await repo.insertOffer(trx, {
      id, account_id: b.accountId, product_id: b.productId, observation_id: b.observationId, competitor: b.competitor, offer_unit_minor: c.competitorUnitMinor,
      currency: c.currency, horizon_months: b.horizonMonths, comparison_json: JSON.stringify(c), recommendation: c.recommendation, decision: null, alternative_id: null,
      decision_note: null, decided_by: null, decided_at: null, outcome: null, outcome_note: null, outcome_by: null, outcome_at: null,
      created_by: ctx.actor.userId, created_at: now, updated_at: now, version: 1,
    });
    await recordAudit(trx, ctx, { action: 'competitor_offer.create', entity: 'competitor_offer', entityId: id, accountId: b.accountId, after: { ...b, recommendation: c.recommendation, reasonKey: c.reasonKey } });
  });
  return getOffer(ctx, id);
}

export async function getOffer(ctx: Ctx, id: string): Promise<Offer> {
  const r = await repo.findOffer(db(ctx), offerScope(ctx), id);
  if (!r) throw notFound('Competitor offer');
  return toOffer(r);
}

export async function listOffers(ctx: Ctx, q: { accountId?: string | undefined; limit: number }) {
  const rows = await repo.listOffers(db(ctx), offerScope(ctx), q);
  return { items: rows.map((r) => { const { comparison: _c, ...rest } = toOffer(r); return rest; }) };
}

/** The manager's decision on an offer: match, offer value (which service), or decline. Audited. */
export async function decideOffer(ctx: Ctx, id: string, b: z.infer<typeof DecisionBody>): Promise<Offer> {
  const before = await getOffer(ctx, id);
  if (b.decision === 'value') {
    if (!b.alternativeId || !before.comparison.alternatives.some((a) => a.serviceKindId === b.alternativeId)) {
      throw badRequest('Offering value names one of the compared services', [{ path: 'body.alternativeId', message: 'one of the alternatives of the comparison' }]);
    }
  } else if (b.alternativeId) throw badRequest('Only a decision to offer value names a service', [{ path: 'body.alternativeId', message: 'only with decision value' }]);
  const now = ctx.clock.now().toISOString();
  await db(ctx).transaction().execute(async (trx) => {
    if (!await repo.updateOffer(trx, id, b.version, { decision: b.decision, alternative_id: b.alternativeId, decision_note: b.note, decided_by: ctx.actor.userId, decided_at: now, updated_at: now })) throw stale('offer');
    await recordAudit(trx, ctx, {
      action: 'competitor_offer.decide', entity: 'competitor_offer', entityId: id, accountId: before.accountId,
      before: { decision: before.decision, alternativeId: before.alternativeId }, after: { decision: b.decision, alternativeId: b.alternativeId, note: b.note, recommendation: before.recommendation },
    });
  });
  return getOffer(ctx, id);
}

/** What came of it: the account kept, lost, or partly lost. Needs a decision first. Audited. */
export async function recordOutcome(ctx: Ctx, id: string, b: z.infer<typeof OutcomeBody>): Promise<Offer> {
  const before = await getOffer(ctx, id);
  if (!before.decision) throw new AppError('conflict', 409, 'Record the decision before its outcome');
  const now = ctx.clock.now().toISOString();
  await db(ctx).transaction().execute(async (trx) => {
    if (!await repo.updateOffer(trx, id, b.version, { outcome: b.outcome, outcome_note: b.note, outcome_by: ctx.actor.userId, outcome_at: now, updated_at: now })) throw stale('offer');
    await recordAudit(trx, ctx, {
      action: 'competitor_offer.outcome', entity: 'competitor_offer', entityId: id, accountId: before.accountId,
      before: { outcome: before.outcome }, after: { outcome: b.outcome, note: b.note, decision: before.decision },
    });
  });
  return getOffer(ctx, id);
}
