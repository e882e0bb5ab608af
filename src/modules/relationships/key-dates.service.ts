/**
 * Key date use cases: record an account's or a person's key date, list them with their next
 * occurrence, and list the reminders due in a window. Scoped by the caller's accounts, audited.
 */
import type { z } from 'zod';
import type { Ctx } from '../../server/context.js';
import { badRequest, notFound } from '../../server/errors.js';
import { accountVisibleTo } from '../../server/policy.js';
import { newId } from '../../shared/ids.js';
import { DEFAULT_TIME_ZONE, isTimeZone, localDateOf } from '../../shared/time.js';
import { recordAudit } from '../audit/audit.service.js';
import type { CreateKeyDateBody, KeyDateItem, RemindersQuery, ReminderItem } from './key-dates.contract.js';
import { DEFAULT_LEAD_DAYS, festivalKeyDate, type KeyDate, type KeyDateKind, nextOccurrence, reminders, ruleProblems } from './key-dates.domain.js';
import * as repo from './key-dates.repository.js';
import type { KeyDatesTable } from './relationships.table.js';

const db = (ctx: Ctx) => ctx.db.kysely;
const todayOf = (ctx: Ctx): string => localDateOf(ctx.clock.now(), isTimeZone(ctx.actor.timeZone) ? ctx.actor.timeZone : DEFAULT_TIME_ZONE);
const scope = (ctx: Ctx) => accountVisibleTo(ctx.actor, 'kd.account_id');
/** The longest window of reminders one request may ask for. */
const MAX_WINDOW_DAYS = 400;

function toKeyDate(r: KeyDatesTable): KeyDate {
  const leadDays = r.lead_days === null ? undefined : (JSON.parse(r.lead_days) as number[]);
  return {
    id: r.id, kind: r.kind as KeyDateKind, label: r.label, firstYear: r.first_year === null ? null : Number(r.first_year),
    rule: r.calendar === 'lunar' ? { calendar: 'lunar', month: Number(r.month), day: Number(r.day), leap: Boolean(Number(r.leap)) } : { calendar: 'gregorian', month: Number(r.month), day: Number(r.day) },
    ...(leadDays ? { leadDays } : {}),
  };
}

function toItem(r: KeyDatesTable, today: string): KeyDateItem {
  const kd = toKeyDate(r);
  const next = nextOccurrence(kd, today);
  return {
    id: r.id, accountId: r.account_id, contactId: r.contact_id, kind: kd.kind as KeyDateItem['kind'], label: r.label,
    rule: { calendar: kd.rule.calendar, month: kd.rule.month, day: kd.rule.day, leap: kd.rule.calendar === 'lunar' ? kd.rule.leap : false },
    firstYear: kd.firstYear, leadDays: [...(kd.leadDays ?? DEFAULT_LEAD_DAYS)],
    next: next ? { date: next.date, ordinal: next.ordinal, adjustments: next.adjustments } : null, version: Number(r.version),
  };
}

/** Records a key date of an account (and of one of its people, for a birthday). */
export async function createKeyDate(ctx: Ctx, b: z.infer<typeof CreateKeyDateBody>): Promise<KeyDateItem> {
  const account = await db(ctx).selectFrom('accounts').select('id').where('id', '=', b.accountId).where(accountVisibleTo(ctx.actor, 'accounts.id')).executeTakeFirst();
  if (!account) throw notFound('Account');
  const rule = b.rule.calendar === 'lunar' ? b.rule : { ...b.rule, leap: false };
  const problems = ruleProblems(b.rule);
  if (problems.length) throw badRequest('This date does not exist in its calendar', problems.map((message) => ({ path: 'body.rule', message })));
  if (b.contactId) {
    const c = await db(ctx).selectFrom('contacts').select('account_id').where('id', '=', b.contactId).executeTakeFirst();
    if (!c || c.account_id !== b.accountId) throw badRequest('The person is not a contact of this account', [{ path: 'body.contactId', message: 'not a contact of the account' }]);
  }
  if ((b.kind === 'company_anniversary' || b.kind === 'store_anniversary') && b.firstYear === null) {
    throw badRequest('An anniversary counts from the year it began: give the first year', [{ path: 'body.firstYear', message: 'required for an anniversary' }]);
  }
  if (b.kind === 'birthday' && !b.contactId) throw badRequest('A birthday is a person\'s: name the contact', [{ path: 'body.contactId', message: 'required for a birthday' }]);
  const now = ctx.clock.now().toISOString();
  const row: KeyDatesTable = {
    id: newId(), account_id: b.accountId, contact_id: b.contactId, kind: b.kind, label: b.label, calendar: rule.calendar, month: rule.month, day: rule.day,
    leap: rule.leap ? 1 : 0, first_year: b.firstYear, lead_days: b.leadDays === null ? null : JSON.stringify([...new Set(b.leadDays)].sort((x, y) => y - x)),
    created_by: ctx.actor.userId, created_at: now, updated_at: now, version: 1,
  };
  await db(ctx).transaction().execute(async (trx) => {
    await repo.insertKeyDate(trx, row);
    await recordAudit(trx, ctx, { action: 'key_date.create', entity: 'key_date', entityId: row.id, accountId: row.account_id, after: { kind: b.kind, label: b.label, rule, firstYear: b.firstYear, leadDays: b.leadDays } });
  });
  return toItem(row, todayOf(ctx));
}

/** An account's key dates with their next occurrence from today, soonest first (those with none last). */
export async function listKeyDates(ctx: Ctx, accountId: string): Promise<KeyDateItem[]> {
  const account = await db(ctx).selectFrom('accounts').select('id').where('id', '=', accountId).where(accountVisibleTo(ctx.actor, 'accounts.id')).executeTakeFirst();
  if (!account) throw notFound('Account');
  const today = todayOf(ctx);
  const items = (await repo.listKeyDates(db(ctx), scope(ctx), accountId)).map((r) => toItem(r, today));
  return items.sort((a, b) => (a.next?.date ?? '9999').localeCompare(b.next?.date ?? '9999') || a.label.localeCompare(b.label));
}

/** Removes a key date. */
export async function deleteKeyDate(ctx: Ctx, id: string): Promise<void> {
  const row = await repo.findKeyDate(db(ctx), scope(ctx), id);
  if (!row) throw notFound('Key date');
  await db(ctx).transaction().execute(async (trx) => {
    await repo.deleteKeyDate(trx, id);
    await recordAudit(trx, ctx, { action: 'key_date.delete', entity: 'key_date', entityId: id, accountId: row.account_id, before: { kind: row.kind, label: row.label } });
  });
}

/** Reminders due from `from` to `to` for the key dates of the accounts the caller sees (and the festivals, if asked). */
export async function listReminders(ctx: Ctx, q: z.infer<typeof RemindersQuery>): Promise<ReminderItem[]> {
  if (q.to < q.from) throw badRequest('The window ends before it starts', [{ path: 'querystring.to', message: 'before from' }]);
  const days = Math.round((Date.parse(q.to) - Date.parse(q.from)) / 86_400_000);
  if (days > MAX_WINDOW_DAYS) throw badRequest(`Ask for at most ${MAX_WINDOW_DAYS} days of reminders at once`, [{ path: 'querystring.to', message: `more than ${MAX_WINDOW_DAYS} days after from` }]);
  const rows = await repo.listKeyDates(db(ctx), scope(ctx), q.accountId);
  const byId = new Map(rows.map((r) => [r.id, r]));
  const keyDates = rows.map(toKeyDate);
  if (q.festivals === 'true') keyDates.push(festivalKeyDate('spring_festival', 'Spring Festival'), festivalKeyDate('dragon_boat', 'Dragon Boat Festival'), festivalKeyDate('mid_autumn', 'Mid-Autumn Festival'));
  return reminders(keyDates, q.from, q.to).map((r) => {
    const row = byId.get(r.occurrence.keyDateId);
    return {
      remindOn: r.remindOn, leadDays: r.leadDays, keyDateId: r.occurrence.keyDateId, kind: r.occurrence.kind, label: r.occurrence.label,
      accountId: row?.account_id ?? null, contactId: row?.contact_id ?? null,
      occurrence: { date: r.occurrence.date, ordinal: r.occurrence.ordinal, adjustments: r.occurrence.adjustments },
    };
  });
}
