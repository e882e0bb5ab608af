/**
 * Gifts and hospitality under the policy: record a gift (allowed, or pending a director's
 * approval with the reasons), decide it, and read the compliance register. Scoped by the
 * caller's accounts, audited.
 */
import type { z } from 'zod';
import type { Ctx } from '../../server/context.js';
import { AppError, badRequest, conflict, notFound } from '../../server/errors.js';
import { accountVisibleTo } from '../../server/policy.js';
import { newId } from '../../shared/ids.js';
import { recordAudit } from '../audit/audit.service.js';
import type { Gift, GiftDecisionBody, RecordGiftBody, RegisterQuery } from './gifts.contract.js';
import { evaluateGift, type GiftKind, type GiftPolicy, type GiftReason, type GiftRecord, type GiftStatus } from './gifts.domain.js';
import type { GiftsTable } from './relationships.table.js';

const db = (ctx: Ctx) => ctx.db.kysely;
type Row = GiftsTable & { contact_name: string; given_by_name: string; decided_by_name: string | null };

const base = (ctx: Ctx) => db(ctx).selectFrom('gifts as g').innerJoin('contacts as c', 'c.id', 'g.contact_id').innerJoin('users as gu', 'gu.id', 'g.given_by')
  .leftJoin('users as du', 'du.id', 'g.decided_by').selectAll('g').select(['c.name as contact_name', 'gu.name as given_by_name', 'du.name as decided_by_name'])
  .where(accountVisibleTo(ctx.actor, 'g.account_id'));

const toRecord = (r: GiftsTable): GiftRecord => ({ id: r.id, personId: r.contact_id, date: r.given_on, kind: r.kind as GiftKind, value: { amountMinor: Number(r.amount_minor), currency: r.currency }, status: r.status as GiftStatus });

/** The person's gifts of a year, all accounts (a person's limit is theirs, whoever gave), read without scope: only totals leave this function. */
const personYear = async (ctx: Ctx, contactId: string, year: number): Promise<GiftRecord[]> =>
  (await db(ctx).selectFrom('gifts').selectAll().where('contact_id', '=', contactId).where('given_on', '>=', `${year}-01-01`).where('given_on', '<=', `${year}-12-31`).execute()).map(toRecord);

function toGift(r: Row, total: number): Gift {
  return {
    id: r.id, accountId: r.account_id, contactId: r.contact_id, contactName: r.contact_name, givenOn: r.given_on, kind: r.kind as GiftKind, description: r.description,
    amountMinor: Number(r.amount_minor), currency: r.currency, status: r.status as GiftStatus, reasons: JSON.parse(r.reasons_json) as GiftReason[],
    givenBy: { id: r.given_by, name: r.given_by_name }, decidedBy: r.decided_by ? { id: r.decided_by, name: r.decided_by_name ?? '' } : null,
    personYearTotalMinor: total, version: Number(r.version),
  };
}

async function giftById(ctx: Ctx, id: string): Promise<Row> {
  const r = await base(ctx).where('g.id', '=', id).executeTakeFirst() as Row | undefined;
  if (!r) throw notFound('Gift');
  return r;
}

const totalOf = (records: GiftRecord[]): number => records.filter((g) => g.status !== 'declined').reduce((s, g) => s + g.value.amountMinor, 0);

/** Records a gift: allowed when within every limit, otherwise pending approval with the reasons. */
export async function recordGift(ctx: Ctx, policy: GiftPolicy, b: z.infer<typeof RecordGiftBody>): Promise<Gift> {
  const contact = await db(ctx).selectFrom('contacts').select(['id', 'account_id']).where('id', '=', b.contactId).where(accountVisibleTo(ctx.actor, 'contacts.account_id')).executeTakeFirst();
  if (!contact) throw notFound('Contact');
  const year = Number(b.givenOn.slice(0, 4));
  const history = await personYear(ctx, b.contactId, year);
  const e = evaluateGift(policy, { personId: b.contactId, date: b.givenOn, kind: b.kind, value: { amountMinor: b.amountMinor, currency: b.currency } }, history);
  if (!e.ok) throw badRequest(e.message, [{ path: `body.${e.field}`, message: e.message }]);
  const now = ctx.clock.now().toISOString();
  const id = newId();
  const status: GiftStatus = e.decision === 'allowed' ? 'allowed' : 'pending_approval';
  await db(ctx).transaction().execute(async (trx) => {
    await trx.insertInto('gifts').values({
      id, account_id: contact.account_id, contact_id: b.contactId, given_on: b.givenOn, kind: b.kind, description: b.description, amount_minor: b.amountMinor,
      currency: b.currency, status, reasons_json: JSON.stringify(e.reasons), given_by: ctx.actor.userId, decided_by: null, decided_at: null, created_at: now, updated_at: now, version: 1,
    }).execute();
    await recordAudit(trx, ctx, { action: 'gift.record', entity: 'gift', entityId: id, accountId: contact.account_id, after: { kind: b.kind, amountMinor: b.amountMinor, currency: b.currency, status, reasons: e.reasons } });
  });
  return toGift(await giftById(ctx, id), e.totals.personYearAfterMinor);
}

/** Approves or declines a gift that needs approval (directors and admins). */
export async function decideGift(ctx: Ctx, id: string, b: z.infer<typeof GiftDecisionBody>): Promise<Gift> {
  const g = await giftById(ctx, id);
  if (g.status !== 'pending_approval') throw conflict(`Only a gift pending approval can be decided (this one is ${g.status})`);
  if (g.given_by === ctx.actor.userId) throw new AppError('forbidden', 403, 'Someone else approves a gift you gave');
  const status: GiftStatus = b.decision === 'approve' ? 'approved' : 'declined';
  const now = ctx.clock.now().toISOString();
  await db(ctx).transaction().execute(async (trx) => {
    const r = await trx.updateTable('gifts').set({ status, decided_by: ctx.actor.userId, decided_at: now, updated_at: now, version: b.version + 1 })
      .where('id', '=', id).where('version', '=', b.version).executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) throw new AppError('precondition_failed', 412, 'The gift was changed by someone else since you read it; reload and try again');
    await recordAudit(trx, ctx, { action: `gift.${b.decision}`, entity: 'gift', entityId: id, accountId: g.account_id, before: { status: g.status }, after: { status } });
  });
  const records = await personYear(ctx, g.contact_id, Number(g.given_on.slice(0, 4)));
  return toGift(await giftById(ctx, id), totalOf(records));
}

/** The compliance register of a year: the gifts of the accounts in scope in date order, each with its person's running total. */
export async function giftRegister(ctx: Ctx, policy: GiftPolicy, q: z.infer<typeof RegisterQuery>) {
  let query = base(ctx).where('g.given_on', '>=', `${q.year}-01-01`).where('g.given_on', '<=', `${q.year}-12-31`);
  if (q.accountId) query = query.where('g.account_id', '=', q.accountId);
  const rows = await query.orderBy('g.given_on').orderBy('g.id').execute() as Row[];
  const running = new Map<string, number>();
  const items = rows.map((r) => {
    const before = running.get(r.contact_id) ?? 0;
    const after = r.status === 'declined' ? before : before + Number(r.amount_minor);
    running.set(r.contact_id, after);
    return toGift(r, after);
  });
  return { year: q.year, policy: { currency: policy.currency, perGiftLimitMinor: policy.perGiftLimitMinor, perPersonYearLimitMinor: policy.perPersonYearLimitMinor, approvalAlwaysKinds: [...policy.approvalAlwaysKinds] }, items };
}
