/**
 * Claims use cases: file (a manager for a dealer, or the dealer in the portal), list, read, take
 * into investigation, decide, issue the credit note, close, withdraw, add notes and evidence.
 * Each loads the claim in the caller's scope (404 outside it), asks claims.domain.ts whether the
 * step may be taken, saves it with its event and audit row in one transaction. The portal never
 * sees internal notes or internal evidence. Decision 023.
 */
import type { Readable } from 'node:stream';
import type { z } from 'zod';
import { pageOf } from '../../db/keyset.js';
import type { Ctx } from '../../server/context.js';
import { AppError, badRequest, conflict, type FieldError, notFound } from '../../server/errors.js';
import { accountVisibleTo } from '../../server/policy.js';
import { newId } from '../../shared/ids.js';
import { recordAudit } from '../audit/audit.service.js';
import { downloadAttachment, storeAttachment } from '../attachments/attachments.service.js';
import { deliveryRefs, type DeliveryRef } from '../delivery/delivery.service.js';
import { dueAt } from '../services/sla.domain.js';
import type { Claim, ClaimDetail, ClaimQuery, CreditNoteBody, DecisionBody, PortalFileClaimBody } from './claims.contract.js';
import {
  actionsFrom, type ClaimAction, claimNumber, type ClaimKind, type ClaimStatus, finalStatuses, slaState, step, type StepInput,
} from './claims.domain.js';
import * as repo from './claims.repository.js';
import type { ClaimSettings } from './claims.settings.js';
import type { ClaimsTable } from './claims.table.js';

/** A claims use case's context: the request's, and the service levels with the working calendar they count in (claims.settings.ts). */
export type ClaimsCtx = Ctx & ClaimSettings;

export const ENTITY = 'claim';
/** Audit actions; the ones the account timeline shows as claim events are in `claimsContribution.claimsAudit`. */
export const AUDIT = {
  file: 'claim.file', note: 'claim.note', evidence: 'claim.evidence',
  step: (a: ClaimAction) => `claim.${a}`,
} as const;

/** Tries at a free claim number before giving up: each collision means another claim got the number, so a few always suffice. */
const NUMBER_ATTEMPTS = 10;

const visible = (ctx: Ctx, col = 'c.account_id') => accountVisibleTo(ctx.actor, col);
const num = (v: number | null) => (v == null ? null : Number(v));

/** When each service level was met: the response by starting the investigation (or any later step), the decision by deciding; a withdrawal ends both. */
function slaOf(r: ClaimsTable, now: string): Claim['sla'] {
  const ended = r.status === 'withdrawn' ? r.closed_at : null;
  const responded = r.responded_at ?? r.decided_at ?? ended;
  const decided = r.decided_at ?? ended;
  return {
    response: { dueAt: r.response_due_at, doneAt: responded, state: slaState(r.response_due_at, responded, now), minutes: num(r.response_minutes) },
    decision: { dueAt: r.decision_due_at, doneAt: decided, state: slaState(r.decision_due_at, decided, now), minutes: num(r.decision_minutes) },
  };
}

const toClaim = (r: repo.ClaimRow, now: string): Claim => ({
  id: r.id, number: r.number, accountId: r.account_id, accountName: r.account_name, kind: r.kind as ClaimKind, status: r.status as ClaimStatus, title: r.title,
  claimedMinor: Number(r.claimed_minor), currency: r.currency, acceptedMinor: num(r.accepted_minor),
  filedBy: { id: r.filed_by, name: r.filer_name ?? '—' }, filedVia: r.filed_via, sla: slaOf(r, now),
  createdAt: r.created_at, updatedAt: r.updated_at, version: r.version,
});

/** The visible claims, newest first, filtered by status (or open), account and kind. */
export async function listClaims(ctx: Ctx, q: z.infer<typeof ClaimQuery>): Promise<{ items: Claim[]; nextCursor: string | null }> {
  if (q.accountId) await visibleAccount(ctx, q.accountId);
  const rows = await repo.listClaims(ctx.db.kysely, visible(ctx), q);
  const now = ctx.clock.now().toISOString();
  return pageOf(rows, q.limit, (r) => r.created_at, (r) => r.id, (r) => toClaim(r, now));
}

async function visibleAccount(ctx: Ctx, id: string): Promise<{ id: string; currency: string }> {
  const a = await ctx.db.kysely.selectFrom('accounts').select(['id', 'currency']).where('id', '=', id).where(accountVisibleTo(ctx.actor, 'accounts.id')).executeTakeFirst();
  if (!a) throw notFound('Account');
  return a;
}

async function load(ctx: Ctx, id: string): Promise<repo.ClaimRow> {
  const r = await repo.findClaim(ctx.db.kysely, visible(ctx), id);
  if (!r) throw notFound('Claim');
  return r;
}

/** One claim with its lines, events and evidence; `portal`: without internal notes and internal evidence, and with only the dealer's own steps. */
export async function getClaim(ctx: Ctx, id: string, portal: boolean): Promise<ClaimDetail> {
  const r = await load(ctx, id);
  const k = ctx.db.kysely;
  const [links, evs, files] = await Promise.all([repo.claimLineIds(k, id), repo.events(k, id, !portal), repo.evidence(k, id, !portal)]);
  const refs = await deliveryRefs(ctx, r.account_id, {
    orderLineIds: links.filter((l) => !l.shipment_id).map((l) => l.order_line_id),
    shipmentIds: links.flatMap((l) => (l.shipment_id ? [l.shipment_id] : [])),
  });
  refs.sort((a, b) => a.orderNo.localeCompare(b.orderNo) || (a.lineNo ?? '').localeCompare(b.lineNo ?? '') || (a.deliveredDate ?? '').localeCompare(b.deliveredDate ?? ''));
  let actions = actionsFrom(r.status as ClaimStatus);
  if (portal) actions = actions.filter((a) => a === 'withdraw' && r.filed_by === ctx.actor.userId);
  return {
    ...toClaim(r, ctx.clock.now().toISOString()),
    description: r.description, decisionReason: r.decision_reason,
    creditNote: r.credit_note_no ? { number: r.credit_note_no, amountMinor: Number(r.credit_minor), currency: r.credit_currency!, issueDate: r.credit_date! } : null,
    lines: refs,
    events: evs.map((e) => ({
      id: e.id, at: e.at, kind: e.kind, fromStatus: e.from_status as ClaimStatus | null, toStatus: e.to_status as ClaimStatus | null, reason: e.reason,
      internal: Number(e.internal) === 1, actor: e.actor_id ? { id: e.actor_id, name: e.actor_name ?? '—' } : null,
    })),
    evidence: files.map((f) => ({
      attachmentId: f.attachment_id, fileName: f.file_name, contentType: f.content_type, sizeBytes: Number(f.size_bytes), internal: Number(f.internal) === 1,
      addedBy: { id: f.added_by, name: f.added_by_name ?? '—' }, addedAt: f.created_at,
    })),
    actions,
  };
}

/**
 * Files a claim on an account (the dealer: its own) about order lines and shipments of that
 * account. Every id must be one of the account's that the caller sees; the service levels are
 * fixed now, from the kind's levels in the settings on the service desk's working calendar.
 */
export async function fileClaim(ctx: ClaimsCtx, accountId: string, body: z.infer<typeof PortalFileClaimBody>, via: 'staff' | 'portal'): Promise<ClaimDetail> {
  await visibleAccount(ctx, accountId);
  const refs = await deliveryRefs(ctx, accountId, { orderLineIds: body.orderLineIds, shipmentIds: body.shipmentIds });
  const errors: FieldError[] = [];
  body.orderLineIds.forEach((id, i) => { if (!refs.some((r) => r.orderLineId === id && !r.shipmentId)) errors.push({ path: `body.orderLineIds.${i}`, message: 'not an order line of this account' }); });
  body.shipmentIds.forEach((id, i) => { if (!refs.some((r) => r.shipmentId === id)) errors.push({ path: `body.shipmentIds.${i}`, message: 'not a shipment of this account' }); });
  if (errors.length) throw badRequest('The claim names order lines or shipments that are not this account\'s', errors);

  const now = ctx.clock.now();
  const at = now.toISOString();
  const levels = ctx.levels[body.kind];
  const id = newId();
  // A line claimed through one of its shipments is linked once, with the shipment.
  const viaShipment = new Set(refs.filter((r) => r.shipmentId).map((r) => r.orderLineId));
  const links = dedupe(refs.filter((r) => r.shipmentId || !viaShipment.has(r.orderLineId)));
  const filed: Omit<ClaimsTable, 'number'> = {
    id, account_id: accountId, kind: body.kind, status: 'filed', title: body.title, description: body.description ?? null,
    claimed_minor: body.claimedMinor, currency: body.currency, accepted_minor: null, decision_reason: null,
    credit_note_no: null, credit_minor: null, credit_currency: null, credit_date: null, filed_by: ctx.actor.userId, filed_via: via,
    response_due_at: dueAt(ctx.calendar, now, levels.responseMinutes).toISOString(), decision_due_at: dueAt(ctx.calendar, now, levels.decisionMinutes).toISOString(),
    response_minutes: levels.responseMinutes, decision_minutes: levels.decisionMinutes, responded_at: null, decided_at: null, closed_at: null, created_at: at, updated_at: at, version: 1,
  };
  // Two claims filed at the same moment (PostgreSQL runs them side by side) may draw the same
  // number: the unique number refuses the later one, which draws the next in a new transaction.
  for (let attempt = 1; ; attempt++) {
    try {
      await ctx.db.kysely.transaction().execute(async (trx) => {
        const row: ClaimsTable = { ...filed, number: claimNumber(at, (await repo.lastClaimSeq(trx, at.slice(0, 4))) + 1) };
        await repo.insertClaim(trx, row);
        await repo.insertLines(trx, links.map((r) => ({ id: newId(), claim_id: id, order_line_id: r.orderLineId, shipment_id: r.shipmentId })));
        await repo.insertEvent(trx, { id: newId(), claim_id: id, account_id: accountId, at, actor_id: ctx.actor.userId, kind: 'filed', from_status: null, to_status: 'filed', reason: null, internal: 0 });
        await recordAudit(trx, ctx, {
          action: AUDIT.file, entity: ENTITY, entityId: id, accountId,
          after: { number: row.number, kind: row.kind, claimedMinor: row.claimed_minor, currency: row.currency, via, lines: links.length, responseDueAt: row.response_due_at, decisionDueAt: row.decision_due_at },
        });
      });
      break;
    } catch (e) {
      if (attempt < NUMBER_ATTEMPTS && repo.isNumberTaken(e)) continue;
      throw e;
    }
  }
  return getClaim(ctx, id, via === 'portal');
}

const dedupe = (refs: DeliveryRef[]) => [...new Map(refs.map((r) => [`${r.orderLineId}/${r.shipmentId ?? ''}`, r])).values()];

/** The body of a step route, as the domain reads it. */
export type StepRequest =
  | { action: 'investigate' | 'close' | 'withdraw'; reason?: string | undefined }
  | { action: 'decide'; body: z.infer<typeof DecisionBody> }
  | { action: 'credit'; body: z.infer<typeof CreditNoteBody> };

const outcomeAction = { accepted: 'accept', partly_accepted: 'partly_accept', rejected: 'reject' } as const;

/** Takes one step of the lifecycle; refused steps answer 409 (wrong status), 400 (missing or wrong input) or 403 (not the filer). */
export async function takeStep(ctx: Ctx, id: string, req: StepRequest, portal: boolean): Promise<ClaimDetail> {
  const r = await load(ctx, id);
  const input: StepInput = req.action === 'decide'
    ? { action: outcomeAction[req.body.outcome], actorId: ctx.actor.userId, reason: req.body.reason, acceptedMinor: req.body.acceptedMinor ?? null }
    : req.action === 'credit'
      ? { action: 'credit', actorId: ctx.actor.userId, creditNote: req.body }
      : { action: req.action, actorId: ctx.actor.userId, reason: req.reason ?? null };
  const from = r.status as ClaimStatus;
  const result = step({ status: from, claimedMinor: Number(r.claimed_minor), currency: r.currency, acceptedMinor: num(r.accepted_minor), filedBy: r.filed_by }, input);
  if (!result.ok) {
    if (result.status === 409) throw new AppError('claim_status', 409, result.message, { claimStatus: from });
    if (result.status === 403) throw new AppError('forbidden', 403, result.message);
    throw badRequest(result.message, result.field ? [{ path: `body.${result.field}`, message: result.message }] : undefined);
  }
  const at = ctx.clock.now().toISOString();
  const set: Partial<ClaimsTable> = { status: result.to, updated_at: at };
  const reason = input.reason?.trim() || null;
  switch (input.action) {
    case 'investigate': set.responded_at = at; break;
    case 'accept': case 'partly_accept': case 'reject':
      Object.assign(set, { decided_at: at, accepted_minor: result.acceptedMinor, decision_reason: reason }); break;
    case 'credit': {
      const n = input.creditNote!;
      Object.assign(set, { credit_note_no: n.number.trim(), credit_minor: n.amountMinor, credit_currency: n.currency, credit_date: n.issueDate }); break;
    }
    case 'close': case 'withdraw': set.closed_at = at; break;
  }
  await ctx.db.kysely.transaction().execute(async (trx) => {
    if (!(await repo.updateClaim(trx, id, r.version, set))) throw conflict('The claim was changed meanwhile; reload it and try again');
    const eventReason = input.action === 'credit' ? `${input.creditNote!.number.trim()}` : reason;
    await repo.insertEvent(trx, { id: newId(), claim_id: id, account_id: r.account_id, at, actor_id: ctx.actor.userId, kind: 'status', from_status: from, to_status: result.to, reason: eventReason, internal: 0 });
    await recordAudit(trx, ctx, {
      action: AUDIT.step(input.action), entity: ENTITY, entityId: id, accountId: r.account_id,
      before: { status: from, version: r.version }, after: { status: result.to, ...set, via: portal ? 'portal' : 'staff' },
    });
  });
  return getClaim(ctx, id, portal);
}

/** An investigation note: staff only, never shown in the portal. */
export async function addNote(ctx: Ctx, id: string, body: string): Promise<ClaimDetail> {
  const r = await load(ctx, id);
  const at = ctx.clock.now().toISOString();
  const eventId = newId();
  await ctx.db.kysely.transaction().execute(async (trx) => {
    await repo.insertEvent(trx, { id: eventId, claim_id: id, account_id: r.account_id, at, actor_id: ctx.actor.userId, kind: 'note', from_status: null, to_status: null, reason: body, internal: 1 });
    await recordAudit(trx, ctx, { action: AUDIT.note, entity: ENTITY, entityId: id, accountId: r.account_id, after: { eventId } });
  });
  return getClaim(ctx, id, false);
}

/**
 * Adds a file to the claim's evidence: stored as a file of the account by the attachments module
 * (its checks of size and type), then linked. The dealer may add evidence to its own company's
 * claims; staff may mark theirs internal. A closed or withdrawn claim takes no more evidence.
 */
export async function addEvidence(ctx: Ctx, id: string, body: Readable, q: { fileName: string; internal?: boolean }, declaredBytes: number | null, portal: boolean): Promise<ClaimDetail> {
  const r = await load(ctx, id);
  if (finalStatuses.includes(r.status as ClaimStatus)) {
    body.resume();
    throw new AppError('claim_status', 409, `A ${r.status} claim takes no more evidence`, { claimStatus: r.status });
  }
  const file = await storeAttachment(ctx, r.account_id, body, { fileName: q.fileName }, declaredBytes);
  const internal = !portal && !!q.internal;
  const at = ctx.clock.now().toISOString();
  await ctx.db.kysely.transaction().execute(async (trx) => {
    await repo.insertEvidence(trx, { claim_id: id, attachment_id: file.id, internal: internal ? 1 : 0, added_by: ctx.actor.userId, created_at: at });
    await repo.insertEvent(trx, { id: newId(), claim_id: id, account_id: r.account_id, at, actor_id: ctx.actor.userId, kind: 'evidence', from_status: null, to_status: null, reason: file.fileName, internal: internal ? 1 : 0 });
    await recordAudit(trx, ctx, { action: AUDIT.evidence, entity: ENTITY, entityId: id, accountId: r.account_id, after: { attachmentId: file.id, fileName: file.fileName, internal } });
  });
  return getClaim(ctx, id, portal);
}

/** A file of the claim's evidence to download (the portal: not internal ones); 404 when it is not the claim's. */
export async function evidenceContent(ctx: Ctx, id: string, attachmentId: string, portal: boolean) {
  await load(ctx, id);
  const link = await repo.evidenceLink(ctx.db.kysely, id, attachmentId);
  if (!link || (portal && Number(link.internal) === 1)) throw notFound('Evidence');
  return downloadAttachment(ctx, attachmentId);
}
