/** Use cases of advisories: list, show, record contact / decision / outcome, the account's risk tab, notifications. */
import type { Ctx } from '../../server/context.js';
import { AppError, notFound } from '../../server/errors.js';
import { accountVisibleTo } from '../../server/policy.js';
import { recordAudit } from '../audit/audit.service.js';
import { newId } from '../../shared/ids.js';
import type { Advisory, Proposal } from './advisories.contract.js';
import { NEXT, type AdvisoryStatus } from './advisories.domain.js';
import * as repo from './advisories.repository.js';
import type { AdvisoryRow } from './advisories.repository.js';
import * as hazardRepo from './hazards.repository.js';
import type { HazardCtx } from './hazards.service.js';
import { exposure, headlineFor, languageOf } from './hazards.service.js';
import { toSiteRisk } from './site-risk.service.js';
import type { NotificationsTable } from './hazards.table.js';

type HazardStateValue = Advisory['hazardState'];

const scope = (ctx: Pick<Ctx, 'actor'>) => accountVisibleTo(ctx.actor, 'advisories.account_id');

/** An advisory as the API shows it, its warning's headline in the reader's language `lang`. */
export function toAdvisory(r: AdvisoryRow, lang: string): Advisory {
  const cur = r.outcome_currency ?? r.currency ?? 'CNY';
  return {
    id: r.id, status: r.status as Advisory['status'], hazardState: r.hazard_state as Advisory['hazardState'], hazardEndedAt: r.hazard_ended_at,
    alertId: r.alert_id, threadKey: r.thread_key, headline: headlineFor(r, lang), siteId: r.site_id, siteName: r.site_name, accountId: r.account_id, accountName: r.account_name, accountNameEn: r.account_name_en,
    managerId: r.manager_id, managerName: r.manager_name, inside: r.inside === 1, distanceM: Math.round(r.distance_m),
    valueAtRisk: r.value_at_risk_minor !== null && r.currency ? { amountMinor: r.value_at_risk_minor, currency: r.currency } : null,
    proposal: JSON.parse(r.proposal_json) as Proposal,
    contact: r.contacted_at ? { at: r.contacted_at, channel: r.contact_channel ?? 'other', notes: r.contact_notes } : null,
    decision: r.dealer_decision ? { decision: r.dealer_decision, actionTaken: r.action_taken ?? '', at: r.actioned_at ?? '' } : null,
    outcome: r.closed_reason === 'outcome' ? {
      valueSaved: { amountMinor: r.value_saved_minor ?? 0, currency: cur }, losses: { amountMinor: r.losses_minor ?? 0, currency: cur },
      movingCost: { amountMinor: r.moving_cost_minor ?? 0, currency: cur }, notes: r.outcome_notes,
    } : null,
    closedAt: r.closed_at, closedReason: r.closed_reason as Advisory['closedReason'],
    delivery: { email: r.email_status, webhook: r.webhook_status },
    createdAt: r.created_at, updatedAt: r.updated_at, version: r.version,
  };
}

export async function listAdvisories(ctx: Ctx, q: { limit: number; cursor?: string | undefined; status?: string | undefined; accountId?: string | undefined; mine?: 'true' | 'false' | undefined; lang?: string | undefined }) {
  let before: [string, string] | undefined;
  if (q.cursor) {
    const [at, id] = q.cursor.split('~');
    if (!at || !id) throw new AppError('invalid_request', 400, 'The cursor is not valid; start again from the first page', { errors: [{ path: 'querystring.cursor', message: 'invalid cursor' }] });
    before = [at, id];
  }
  const rows = await repo.listAdvisories(ctx.db.kysely, scope(ctx), {
    ...(q.status ? { status: q.status } : {}), ...(q.accountId ? { accountId: q.accountId } : {}), ...(q.mine === 'true' ? { managerId: ctx.actor.userId } : {}),
    ...(before ? { before } : {}), limit: q.limit + 1,
  });
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1];
  const lang = languageOf(ctx, q.lang);
  return { items: page.map((r) => toAdvisory(r, lang)), nextCursor: rows.length > q.limit && last ? `${last.created_at}~${last.id}` : null };
}

export async function getAdvisory(ctx: Ctx, id: string): Promise<Advisory> {
  const r = await repo.findAdvisory(ctx.db.kysely, scope(ctx), id);
  if (!r) throw notFound('Advisory');
  return toAdvisory(r, languageOf(ctx));
}

/** Moves an advisory one step forward (If-Match), with the step's fields, audited in the same transaction. */
async function step(ctx: Ctx, id: string, version: number, to: AdvisoryStatus, patch: Partial<AdvisoryRow>, action: string, after: unknown): Promise<Advisory> {
  const before = await repo.findAdvisory(ctx.db.kysely, scope(ctx), id);
  if (!before) throw notFound('Advisory');
  if (NEXT[before.status as AdvisoryStatus] !== to) {
    throw new AppError('invalid_transition', 409, `An advisory that is ${before.status} cannot become ${to}`, { currentStatus: before.status, nextStatus: NEXT[before.status as AdvisoryStatus] });
  }
  const now = ctx.clock.now().toISOString();
  await ctx.db.kysely.transaction().execute(async (trx) => {
    const { site_name: _s, account_name: _a, account_name_en: _e, manager_name: _m, ...cols } = patch;
    const ok = await repo.updateAdvisory(trx, id, version, { ...cols, status: to, updated_at: now });
    if (!ok) throw new AppError('precondition_failed', 412, 'The advisory was changed since you read it; reload and try again');
    await recordAudit(trx, ctx, { action, entity: 'advisory', entityId: id, accountId: before.account_id, before: { status: before.status }, after: { status: to, ...(after as object) } });
  });
  return getAdvisory(ctx, id);
}

export function recordContact(ctx: Ctx, id: string, version: number, body: { at?: string | undefined; channel: string; notes: string | null }) {
  const at = body.at ? new Date(body.at).toISOString() : ctx.clock.now().toISOString();
  return step(ctx, id, version, 'contacted', { contacted_at: at, contact_channel: body.channel, contact_notes: body.notes }, 'contact', { at, channel: body.channel, notes: body.notes });
}

export function recordDecision(ctx: Ctx, id: string, version: number, body: { decision: string; actionTaken: string; at?: string | undefined }) {
  const at = body.at ? new Date(body.at).toISOString() : ctx.clock.now().toISOString();
  return step(ctx, id, version, 'actioned', { dealer_decision: body.decision, action_taken: body.actionTaken, actioned_at: at }, 'decision', { decision: body.decision, actionTaken: body.actionTaken, at });
}

export async function recordOutcome(ctx: Ctx, id: string, version: number, body: { currency?: string | undefined; valueSavedMinor: number; lossesMinor: number; movingCostMinor: number; notes: string | null }) {
  const current = await getAdvisory(ctx, id);
  const currency = body.currency ?? current.valueAtRisk?.currency ?? 'CNY';
  return step(ctx, id, version, 'closed', {
    closed_at: ctx.clock.now().toISOString(), closed_reason: 'outcome', value_saved_minor: body.valueSavedMinor, losses_minor: body.lossesMinor,
    moving_cost_minor: body.movingCostMinor, outcome_currency: currency, outcome_notes: body.notes,
  }, 'outcome', { currency, valueSavedMinor: body.valueSavedMinor, lossesMinor: body.lossesMinor, movingCostMinor: body.movingCostMinor, notes: body.notes });
}

/**
 * The account page's risk tab: each site's exposure, the value at risk now, advisories under way,
 * and the "value protected" ledger (closed advisories with an outcome) with totals per currency.
 */
export async function accountRisk(ctx: HazardCtx, accountId: string, lang?: string) {
  const visible = await ctx.db.kysely.selectFrom('accounts').select('id').where(accountVisibleTo(ctx.actor, 'accounts.id')).where('id', '=', accountId).executeTakeFirst();
  if (!visible) throw notFound('Account');
  const sites = await hazardRepo.listRiskSites(ctx.db.kysely, accountVisibleTo(ctx.actor, 'sites.account_id'), { accountId });
  const rows = await repo.listAdvisories(ctx.db.kysely, scope(ctx), { accountId, limit: 10_000 });
  const language = languageOf(ctx, lang);
  const all = rows.map((r) => toAdvisory(r, language));
  const ledger = all.filter((a) => a.closedReason === 'outcome');
  const totals = new Map<string, { currency: string; valueSavedMinor: number; lossesMinor: number; movingCostMinor: number; netProtectedMinor: number; advisories: number }>();
  for (const a of ledger) {
    const o = a.outcome!;
    const t = totals.get(o.valueSaved.currency) ?? { currency: o.valueSaved.currency, valueSavedMinor: 0, lossesMinor: 0, movingCostMinor: 0, netProtectedMinor: 0, advisories: 0 };
    t.valueSavedMinor += o.valueSaved.amountMinor;
    t.lossesMinor += o.losses.amountMinor;
    t.movingCostMinor += o.movingCost.amountMinor;
    t.netProtectedMinor = t.valueSavedMinor - t.movingCostMinor;
    t.advisories++;
    totals.set(t.currency, t);
  }
  const var_ = await exposure(ctx, 'account', accountId);
  return {
    accountId, sites: sites.map(toSiteRisk), valueAtRisk: var_.totals,
    sitesAtRisk: var_.totals.reduce((n, x) => n + x.siteCount, 0) + var_.sitesWithoutValue, sitesWithoutValue: var_.sitesWithoutValue, openAdvisories: all.filter((a) => a.status !== 'closed').length,
    ledger, advisories: all.filter((a) => a.status !== 'closed'), totals: [...totals.values()],
  };
}

// ---------------------------------------------------------------- notifications

export async function listNotifications(ctx: Ctx, q: { limit: number; cursor?: string | undefined; unread?: 'true' | 'false' | undefined }) {
  let before: [string, string] | undefined;
  if (q.cursor) {
    const [at, id] = q.cursor.split('~');
    if (!at || !id) throw new AppError('invalid_request', 400, 'The cursor is not valid; start again from the first page', { errors: [{ path: 'querystring.cursor', message: 'invalid cursor' }] });
    before = [at, id];
  }
  const rows = await repo.listNotifications(ctx.db.kysely, ctx.actor.userId, { unread: q.unread === 'true', ...(before ? { before } : {}), limit: q.limit + 1 });
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1];
  const subjects = await repo.notificationSubjects(ctx.db.kysely, page.flatMap((n) => (n.entity === 'advisory' && n.entity_id ? [n.entity_id] : [])));
  return {
    items: page.map((n) => notificationView(n, subjects, languageOf(ctx))),
    nextCursor: rows.length > q.limit && last ? `${last.created_at}~${last.id}` : null,
    unread: await repo.countUnread(ctx.db.kysely, ctx.actor.userId),
  };
}

export async function markNotificationRead(ctx: Ctx, id: string) {
  const n = await repo.findNotification(ctx.db.kysely, ctx.actor.userId, id);
  if (!n) throw notFound('Notification');
  await repo.markRead(ctx.db.kysely, ctx.actor.userId, [id], ctx.clock.now().toISOString());
  const after = (await repo.findNotification(ctx.db.kysely, ctx.actor.userId, id))!;
  const subjects = await repo.notificationSubjects(ctx.db.kysely, after.entity === 'advisory' && after.entity_id ? [after.entity_id] : []);
  return notificationView(after, subjects, languageOf(ctx));
}

/** A notification as the API shows it: the stored English title and body, and its structured form. */
function notificationView(n: NotificationsTable, subjects: Map<string, repo.NotificationSubject>, lang: string) {
  const s = n.entity === 'advisory' && n.entity_id ? subjects.get(n.entity_id) : undefined;
  return {
    id: n.id, kind: n.kind, title: n.title, body: n.body,
    message: s && n.entity_id ? {
      kind: n.kind, advisoryId: n.entity_id, headline: headlineFor(s, lang), siteName: s.siteName, accountName: s.accountName, accountNameEn: s.accountNameEn,
      hazardState: s.hazardState as HazardStateValue, inside: s.inside, distanceM: s.distanceM,
    } : null,
    entity: n.entity, entityId: n.entity_id, createdAt: n.created_at, readAt: n.read_at,
  };
}

export async function markAllRead(ctx: Ctx) {
  return { marked: await repo.markRead(ctx.db.kysely, ctx.actor.userId, 'all', ctx.clock.now().toISOString()) };
}

/**
 * Puts a notification in each person's list (the bell), in the caller's transaction. Other modules
 * (service requests) notify through here: one list of notifications for everything.
 */
export async function notifyUsers(
  trx: Parameters<typeof repo.insertNotification>[0],
  at: string,
  userIds: string[],
  n: { kind: string; title: string; body: string; entity: string; entityId: string },
): Promise<void> {
  for (const userId of new Set(userIds)) {
    await repo.insertNotification(trx, { id: newId(), user_id: userId, kind: n.kind, title: n.title, body: n.body, entity: n.entity, entity_id: n.entityId, created_at: at, read_at: null });
  }
}
