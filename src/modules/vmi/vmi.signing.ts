/**
 * The dealer's side of a VMI order (issue 17, item 4; decision 034): its own sent, signed,
 * rejected and expired orders, without anything internal (no why lines, notes, edits, reasons or
 * stock figures), and its signature: accept, change within each line's bounds, or reject with a
 * reason. A signature names the version the dealer saw (a later edit needs a new one), cannot be
 * given after the expiry, and stores the SHA-256 of exactly the signed lines. Accepted and
 * changed lines become delivery order lines through the delivery module's service.
 */
import type { Ctx } from '../../server/context.js';
import { AppError, badRequest, notFound } from '../../server/errors.js';
import { accountVisibleTo } from '../../server/policy.js';
import { newId } from '../../shared/ids.js';
import { recordAudit } from '../audit/audit.service.js';
import { upsertOrderLines } from '../delivery/delivery.service.js';
import { today } from '../stock/stock.service.js';
import type { PortalOrder, PortalOrderSummary, PortalSignature, SignBody, SignResult, VmiDecision, VmiDraftStatus } from './vmi.contract.js';
import { applyChange, canonicalLines, type SignedLine } from './vmi.drafts.domain.js';
import * as repo from './vmi.repository.js';
import { AUDIT, ENTITY, expireDrafts } from './vmi.service.js';
import { signatureDigest, verifyStored } from './vmi.signature.js';
import type { VmiSignaturesTable } from './vmi.table.js';

/** What a dealer sees of its orders: never one still being prepared or one cancelled before it was sent. */
const PORTAL_STATUSES: readonly VmiDraftStatus[] = ['sent', 'signed', 'rejected', 'expired'];

const own = (ctx: Ctx) => accountVisibleTo(ctx.actor, 'd.account_id');

async function loadOwn(ctx: Ctx, id: string): Promise<repo.DraftRow> {
  const r = await repo.findDraft(ctx.db.kysely, own(ctx), id);
  if (!r || !PORTAL_STATUSES.includes(r.status as VmiDraftStatus)) throw notFound('Order');
  return r;
}

const summary = (r: repo.DraftRow): PortalOrderSummary => ({
  id: r.id, number: r.number, status: r.status as VmiDraftStatus, version: Number(r.version), asOf: r.as_of, arrival: r.arrival,
  expiresAt: r.expires_at, sentAt: r.sent_at, lineCount: Number(r.line_count), totalQuantity: Number(r.total_quantity ?? 0),
});

const portalSignature = (s: VmiSignaturesTable & { signer_name: string | null }): PortalSignature => ({
  decision: s.decision as VmiDecision, reason: s.reason, signedBy: { name: s.signer_name ?? '—' }, signedAt: s.signed_at,
  draftVersion: Number(s.draft_version), lines: JSON.parse(s.lines_json) as SignedLine[], hash: s.lines_sha256, orderNo: s.order_no,
});

/** The dealer's own orders sent for signature (and those it decided, or let expire), newest first. */
export async function listOwnOrders(ctx: Ctx, q: { limit: number; offset: number }): Promise<{ items: PortalOrderSummary[]; total: number }> {
  if (!ctx.actor.accountId) throw notFound('Account');
  await expireDrafts(ctx, ctx.actor.accountId);
  const { rows, total } = await repo.listDrafts(ctx.db.kysely, own(ctx), { statuses: PORTAL_STATUSES, limit: q.limit, offset: q.offset });
  return { items: rows.map(summary), total };
}

/** One of the dealer's orders: its lines with the bounds it may sign within, and its signature. */
export async function getOwnOrder(ctx: Ctx, id: string): Promise<PortalOrder> {
  if (ctx.actor.accountId) await expireDrafts(ctx, ctx.actor.accountId);
  const r = await loadOwn(ctx, id);
  const k = ctx.db.kysely;
  const [lines, sig] = await Promise.all([repo.linesOf(k, id), repo.signatureOf(k, id)]);
  return {
    ...summary(r), nextArrival: r.next_arrival,
    lines: lines.map((l) => ({
      productId: l.product_id, sku: l.sku, productNameEn: l.name_en, productNameZh: l.name_zh, unit: l.unit,
      quantity: Number(l.quantity), packUnits: Number(l.pack_units), minQuantity: Number(l.min_quantity), maxQuantity: Number(l.max_quantity),
    })),
    signature: sig ? portalSignature(sig) : null,
  };
}

/**
 * The dealer decides on a sent order. 404: not its own (or not sent to it); 410: expired; 409:
 * already decided, or a version other than the current one (a later edit needs a new signature);
 * 400: a change outside a line's bounds, naming the line. The decision and the hash are saved with
 * the draft's new status in one transaction; then the signed lines become the delivery order
 * numbered as the draft, promised for the suggested arrival.
 */
export async function signOrder(ctx: Ctx, id: string, body: SignBody): Promise<SignResult> {
  if (ctx.actor.accountId) await expireDrafts(ctx, ctx.actor.accountId);
  const r = await loadOwn(ctx, id);
  if (r.status === 'expired') throw new AppError('draft_expired', 410, `Order ${r.number} expired at ${r.expires_at}: it can no longer be signed; ask your account manager for a new one`, { draftStatus: 'expired' });
  if (r.status !== 'sent') throw new AppError('draft_status', 409, `Order ${r.number} was already ${r.status}`, { draftStatus: r.status });
  if (body.version !== Number(r.version)) {
    throw new AppError('stale_version', 409, `A later edit needs a new signature: order ${r.number} was changed since version ${body.version} (it is now at version ${r.version}); reload it, check it and sign again`, { currentVersion: Number(r.version) });
  }
  const k = ctx.db.kysely;
  const lines = await repo.linesOf(k, id);
  let signed: SignedLine[] = [];
  if (body.decision !== 'reject') {
    const bounds = lines.map((l) => ({ productId: l.product_id, label: l.sku ?? l.product_id, quantity: Number(l.quantity), min: Number(l.min_quantity), max: Number(l.max_quantity) }));
    const changed = applyChange(bounds, body.decision === 'change' ? body.lines ?? [] : []);
    if (changed.problems.length) {
      throw badRequest(changed.problems.map((p) => p.message).join('; '), changed.problems.map((p) => ({ path: `body.lines.${p.index}.${p.field}`, message: p.message })));
    }
    signed = canonicalLines(changed.lines);
    if (!signed.length) throw badRequest('Every line is 0: reject the order instead', [{ path: 'body.lines', message: 'nothing to order' }]);
  }
  const at = ctx.clock.now().toISOString();
  const version = Number(r.version);
  const hash = signatureDigest({ draftId: id, draftVersion: version, decision: body.decision, lines: signed });
  const status = body.decision === 'reject' ? 'rejected' : 'signed';
  const sig: VmiSignaturesTable = {
    id: newId(), draft_id: id, draft_version: version, decision: body.decision, reason: body.reason?.trim() || null, signed_by: ctx.actor.userId,
    signed_at: at, lines_json: JSON.stringify(signed), lines_sha256: hash, order_no: null,
  };
  const staff = [...new Set([r.sent_by, (await repo.findAccount(k, accountVisibleTo(ctx.actor, 'accounts.id'), r.account_id))?.owner_id].filter((u): u is string => !!u))];
  await k.transaction().execute(async (trx) => {
    if (!(await repo.updateDraft(trx, id, version, { status, decided_at: at, updated_at: at }, ['sent']))) {
      throw new AppError('stale_version', 409, `A later edit needs a new signature: order ${r.number} was changed meanwhile; reload it and sign again`);
    }
    await repo.insertSignature(trx, sig);
    await repo.insertNotifications(trx, staff.map((u) => ({
      id: newId(), user_id: u, kind: `vmi.${status}`, title: `Order ${r.number} was ${status} by the dealer`,
      body: body.decision === 'change' ? `Signed with changes: ${signed.length} line(s).` : body.decision === 'reject' ? `Rejected: ${sig.reason ?? ''}` : `Accepted as sent: ${signed.length} line(s).`,
      entity: ENTITY, entity_id: id, created_at: at, read_at: null,
    })));
    await recordAudit(trx, ctx, {
      action: AUDIT.sign, entity: ENTITY, entityId: id, accountId: r.account_id,
      before: { status: r.status, version }, after: { status, decision: body.decision, draftVersion: version, lines: signed, digest: hash, reason: sig.reason },
    });
  });
  let order: SignResult['order'] = null;
  if (status === 'signed') {
    const byId = new Map(lines.map((l) => [l.product_id, l]));
    await upsertOrderLines(ctx, {
      dryRun: false,
      lines: signed.map((l, i) => ({
        sourceKey: `vmi:${r.number}:${l.productId}`, accountCode: r.account_code, orderNo: r.number, lineNo: String(i + 1),
        productSku: byId.get(l.productId)!.sku ?? null, quantity: l.quantity, unit: byId.get(l.productId)!.unit ?? null,
        orderedDate: today(ctx), requestedDate: r.arrival, promisedDate: r.arrival, status: 'open' as const, shipments: [],
      })),
    });
    await k.transaction().execute(async (trx) => {
      await repo.linkOrder(trx, id, r.number);
      await repo.setSignatureOrder(trx, id, r.number);
    });
    sig.order_no = r.number;
    order = { orderNo: r.number, lineCount: signed.length, promisedDate: r.arrival };
  }
  return { signature: portalSignature({ ...sig, signer_name: (await k.selectFrom('users').select('name').where('id', '=', ctx.actor.userId).executeTakeFirst())?.name ?? null }), order };
}

/** Recomputes a draft's signature hash from its stored lines: true when it matches, null when the draft has no signature. */
export async function verifySignature(ctx: Ctx, draftId: string): Promise<boolean | null> {
  const r = await repo.findDraft(ctx.db.kysely, accountVisibleTo(ctx.actor, 'd.account_id'), draftId);
  if (!r) throw notFound('VMI order');
  const sig = await repo.signatureOf(ctx.db.kysely, draftId);
  return sig ? verifyStored(sig) : null;
}
