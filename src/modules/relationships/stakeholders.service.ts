/**
 * Stakeholder map use cases: read an account's map with its gaps, set a person's place on it,
 * record that we were in contact, and tie two people together. Staff only (relationship:read and
 * relationship:write); every query is scoped by the caller's accounts, every change audited.
 */
import type { z } from 'zod';
import { sql, type Expression, type SqlBool } from 'kysely';
import type { Ctx } from '../../server/context.js';
import { AppError, badRequest, conflict, notFound } from '../../server/errors.js';
import { accountVisibleTo } from '../../server/policy.js';
import { newId } from '../../shared/ids.js';
import { DEFAULT_TIME_ZONE, isTimeZone, localDateOf } from '../../shared/time.js';
import { recordAudit } from '../audit/audit.service.js';
import type { ContactedBody, CreateTieBody, SetStakeholderBody, StakeholderMap, StakeholderPerson, Tie } from './stakeholders.contract.js';
import {
  type BuyingRole, type ContactDecisionRole, DEFAULT_GAP_RULES, freshnessDays, profileFromContact, type Stance, stakeholderGaps, type TieKind, wouldLoop,
} from './stakeholders.domain.js';
import * as repo from './stakeholders.repository.js';

const db = (ctx: Ctx) => ctx.db.kysely;
const todayOf = (ctx: Ctx): string => localDateOf(ctx.clock.now(), isTimeZone(ctx.actor.timeZone) ? ctx.actor.timeZone : DEFAULT_TIME_ZONE);
const personScope = (ctx: Ctx) => accountVisibleTo(ctx.actor, 'c.account_id');
const bothEnds = (ctx: Ctx): Expression<SqlBool> => sql<SqlBool>`(${accountVisibleTo(ctx.actor, 't.from_account_id')} and ${accountVisibleTo(ctx.actor, 't.to_account_id')})`;
const stale = () => new AppError('precondition_failed', 412, 'This person\'s place on the map was changed by someone else since you read it; reload and try again');

function toPerson(r: repo.PersonRow, today: string): StakeholderPerson {
  const fallback = profileFromContact(r.decision_role as ContactDecisionRole);
  return {
    contactId: r.contact_id, accountId: r.account_id, name: r.name, nameEn: r.name_en, title: r.title,
    buyingRole: (r.buying_role ?? fallback.buyingRole) as BuyingRole, stance: (r.stance ?? fallback.stance) as Stance, influence: Number(r.influence),
    reportsToContactId: r.reports_to_contact_id, owner: r.owner_user_id ? { id: r.owner_user_id, name: r.owner_name ?? '' } : null,
    strength: r.strength === null ? null : Number(r.strength), lastContactOn: r.last_contact_on,
    freshnessDays: freshnessDays({ lastContactOn: r.last_contact_on }, today), mapped: r.version !== null, version: r.version === null ? 0 : Number(r.version),
  };
}

const toTie = (r: repo.TieRow): Tie => ({
  id: r.id, kind: r.kind as TieKind, note: r.note, createdAt: r.created_at,
  from: { contactId: r.from_contact_id, accountId: r.from_account_id, name: r.from_name },
  to: { contactId: r.to_contact_id, accountId: r.to_account_id, name: r.to_name },
});

async function visibleAccount(ctx: Ctx, accountId: string): Promise<void> {
  const a = await db(ctx).selectFrom('accounts').select('id').where('id', '=', accountId).where(accountVisibleTo(ctx.actor, 'accounts.id')).executeTakeFirst();
  if (!a) throw notFound('Account');
}

async function person(ctx: Ctx, contactId: string): Promise<repo.PersonRow> {
  const p = await repo.findPerson(db(ctx), personScope(ctx), contactId);
  if (!p) throw notFound('Contact');
  return p;
}

/** An account's stakeholder map: its people (mapped or as the contacts module has them), the ties we may see, and the gaps today. */
export async function getStakeholderMap(ctx: Ctx, accountId: string): Promise<StakeholderMap> {
  await visibleAccount(ctx, accountId);
  const today = todayOf(ctx);
  const [rows, ties] = await Promise.all([repo.listPeople(db(ctx), accountId), repo.listTies(db(ctx), accountId, bothEnds(ctx))]);
  const people = rows.map((r) => toPerson(r, today));
  return { accountId, asOf: today, people, ties: ties.map(toTie), gaps: stakeholderGaps(people, today, DEFAULT_GAP_RULES), rules: { ...DEFAULT_GAP_RULES } };
}

/** Sets a person's role in buying, stance, reporting line, our owner and strength (creating their stakeholder half at version 0). */
export async function setStakeholder(ctx: Ctx, contactId: string, b: z.infer<typeof SetStakeholderBody>): Promise<StakeholderPerson> {
  const before = await person(ctx, contactId);
  if (b.reportsToContactId) {
    const boss = await repo.findPerson(db(ctx), personScope(ctx), b.reportsToContactId);
    if (!boss || boss.account_id !== before.account_id) throw badRequest('A person reports to someone of the same account', [{ path: 'body.reportsToContactId', message: 'not a contact of this account' }]);
    if (wouldLoop(await repo.reportingLines(db(ctx), before.account_id), contactId, b.reportsToContactId)) {
      throw badRequest('That reporting line would make a loop in the org chart', [{ path: 'body.reportsToContactId', message: 'reports (indirectly) to this person' }]);
    }
  }
  if (b.ownerUserId) {
    const owner = await repo.findOwner(db(ctx), b.ownerUserId);
    if (!owner || owner.role === 'dealer' || !owner.active) throw badRequest('The relationship owner must be one of our active staff', [{ path: 'body.ownerUserId', message: 'not an active staff user' }]);
  }
  const now = ctx.clock.now().toISOString();
  const set = { buying_role: b.buyingRole, stance: b.stance, reports_to_contact_id: b.reportsToContactId, owner_user_id: b.ownerUserId, strength: b.strength, updated_at: now };
  await db(ctx).transaction().execute(async (trx) => {
    if (before.version === null) {
      if (b.version !== 0) throw stale();
      await repo.insertStakeholder(trx, { contact_id: contactId, account_id: before.account_id, ...set, last_contact_on: null, created_at: now, version: 1 });
    } else if (!(await repo.updateStakeholder(trx, contactId, b.version, set))) throw stale();
    await recordAudit(trx, ctx, {
      action: 'stakeholder.set', entity: 'stakeholder', entityId: contactId, accountId: before.account_id,
      before: before.version === null ? null : { buyingRole: before.buying_role, stance: before.stance, reportsToContactId: before.reports_to_contact_id, ownerUserId: before.owner_user_id, strength: before.strength },
      after: { buyingRole: b.buyingRole, stance: b.stance, reportsToContactId: b.reportsToContactId, ownerUserId: b.ownerUserId, strength: b.strength },
    });
  });
  return toPerson(await person(ctx, contactId), todayOf(ctx));
}

/** Records that we were in contact with a person on a day; the last contact only moves forward. */
export async function recordContact(ctx: Ctx, contactId: string, b: z.infer<typeof ContactedBody>): Promise<StakeholderPerson> {
  const p = await person(ctx, contactId);
  const today = todayOf(ctx);
  if (b.on > today) throw badRequest('A contact cannot be recorded for a day still to come', [{ path: 'body.on', message: `after today (${today})` }]);
  const now = ctx.clock.now().toISOString();
  await db(ctx).transaction().execute(async (trx) => {
    const last = p.last_contact_on && p.last_contact_on > b.on ? p.last_contact_on : b.on;
    if (p.version === null) {
      const fallback = profileFromContact(p.decision_role as ContactDecisionRole);
      await repo.insertStakeholder(trx, {
        contact_id: contactId, account_id: p.account_id, buying_role: fallback.buyingRole, stance: fallback.stance, reports_to_contact_id: null, owner_user_id: null,
        strength: null, last_contact_on: last, created_at: now, updated_at: now, version: 1,
      });
    } else if (!(await repo.updateStakeholder(trx, contactId, Number(p.version), { last_contact_on: last, updated_at: now }))) throw stale();
    await recordAudit(trx, ctx, { action: 'stakeholder.contacted', entity: 'stakeholder', entityId: contactId, accountId: p.account_id, before: { lastContactOn: p.last_contact_on }, after: { lastContactOn: last, on: b.on } });
  });
  return toPerson(await person(ctx, contactId), today);
}

/** Ties two people (of the same or of two accounts the caller sees). */
export async function createTie(ctx: Ctx, b: z.infer<typeof CreateTieBody>): Promise<Tie> {
  if (b.fromContactId === b.toContactId) throw badRequest('A tie joins two different people', [{ path: 'body.toContactId', message: 'same as fromContactId' }]);
  const [from, to] = await Promise.all([repo.findPerson(db(ctx), personScope(ctx), b.fromContactId), repo.findPerson(db(ctx), personScope(ctx), b.toContactId)]);
  if (!from) throw notFound('Contact');
  if (!to) throw notFound('Contact');
  if (await repo.findSameTie(db(ctx), b.fromContactId, b.toContactId, b.kind)) throw conflict('These two people already have a tie of this kind');
  const id = newId();
  const now = ctx.clock.now().toISOString();
  await db(ctx).transaction().execute(async (trx) => {
    await repo.insertTie(trx, {
      id, from_contact_id: from.contact_id, from_account_id: from.account_id, to_contact_id: to.contact_id, to_account_id: to.account_id,
      kind: b.kind, note: b.note, created_by: ctx.actor.userId, created_at: now,
    });
    const after = { kind: b.kind, fromContactId: from.contact_id, toContactId: to.contact_id, toAccountId: to.account_id };
    await recordAudit(trx, ctx, { action: 'stakeholder_tie.create', entity: 'stakeholder_tie', entityId: id, accountId: from.account_id, after });
    if (to.account_id !== from.account_id) await recordAudit(trx, ctx, { action: 'stakeholder_tie.create', entity: 'stakeholder_tie', entityId: id, accountId: to.account_id, after });
  });
  const tie = await repo.findTie(db(ctx), bothEnds(ctx), id);
  return toTie(tie!);
}

/** Removes a tie (the caller must see both ends). */
export async function deleteTie(ctx: Ctx, id: string): Promise<void> {
  const tie = await repo.findTie(db(ctx), bothEnds(ctx), id);
  if (!tie) throw notFound('Tie');
  await db(ctx).transaction().execute(async (trx) => {
    await repo.deleteTie(trx, id);
    await recordAudit(trx, ctx, { action: 'stakeholder_tie.delete', entity: 'stakeholder_tie', entityId: id, accountId: tie.from_account_id, before: toTie(tie) });
  });
}
