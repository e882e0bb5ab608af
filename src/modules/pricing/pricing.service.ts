/**
 * Price list use cases: the lists and their items, the price of a quantity for an account on a
 * date (and why), and an account's price group. Every change is audited with what it was and what
 * it became; an account-scoped list is only seen, and only written, by those who see its account.
 */
import type { Kysely, Transaction } from 'kysely';
import type { z } from 'zod';
import { parseSort } from '../../db/keyset.js';
import type { Database } from '../../db/schema.js';
import type { Ctx } from '../../server/context.js';
import { AppError, badRequest, notFound } from '../../server/errors.js';
import { accountVisibleTo } from '../../server/policy.js';
import { newId } from '../../shared/ids.js';
import { localDateOf } from '../../shared/time.js';
import type { Actor } from '../auth/auth.domain.js';
import { recordAudit } from '../audit/audit.service.js';
import { COMPANY_TIME_ZONE } from '../services/entitlements.service.js';
import type {
  AccountPricing, CreatePriceListBody, ItemQuery, PriceList, PriceListItem, PriceListQuery, PriceQuote, UpdatePriceListBody,
} from './pricing.contract.js';
import { type BreakMode, describeProblems, type ListCandidate, pickList, type PriceBreak, quote, type ScopeKind, validateBreaks } from './pricing.domain.js';
import * as repo from './pricing.repository.js';

type Db = Kysely<Database> | Transaction<Database>;

/** Today on the company's calendar: a price list's validity is of company dates, not the reader's. */
export const companyToday = (ctx: Pick<Ctx, 'clock'>): string => localDateOf(ctx.clock.now(), COMPANY_TIME_ZONE);

const visibleAccounts = (actor: Actor, column = 'sa.id') => accountVisibleTo(actor, column);
const conflictError = () => new AppError('precondition_failed', 412, 'The price list was changed by someone else since you read it; reload and try again');

// ---------- lists ----------

export async function listLists(ctx: Ctx, q: z.infer<typeof PriceListQuery>) {
  const sort = parseSort(q.sort, repo.LIST_SORTS, 'name');
  return repo.listLists(ctx.db.kysely, visibleAccounts(ctx.actor, 'price_lists.scope_value'), q, sort, q.cursor, q.limit);
}

export async function getList(ctx: Ctx, id: string, db: Db = ctx.db.kysely): Promise<PriceList> {
  const r = await repo.findList(db, id, visibleAccounts(ctx.actor, 'price_lists.scope_value'));
  if (!r) throw notFound('Price list');
  return repo.toList(r);
}

/** The scope must name something real that the writer may see: an account in their scope, a territory. */
async function checkScope(trx: Db, ctx: Ctx, kind: ScopeKind, value: string | null) {
  if (kind === 'account') {
    if (!value || !(await repo.accountScope(trx, value, accountVisibleTo(ctx.actor, 'accounts.id')))) throw badRequest('No such account in your scope', [{ path: 'body.scopeValue', message: 'unknown account' }]);
  }
  if (kind === 'territory' && (!value || !(await repo.territoryExists(trx, value)))) throw badRequest('No such territory', [{ path: 'body.scopeValue', message: 'unknown territory' }]);
}

export async function createList(ctx: Ctx, b: CreatePriceListBody): Promise<PriceList> {
  const id = newId();
  const now = ctx.clock.now().toISOString();
  await ctx.db.kysely.transaction().execute(async (trx) => {
    if (await repo.findListByCode(trx, b.code)) throw new AppError('duplicate', 409, `A price list with code ${b.code} already exists`, { errors: [{ path: 'body.code', message: 'already used' }] });
    await checkScope(trx, ctx, b.scopeKind, b.scopeValue);
    await repo.insertList(trx, {
      id, code: b.code, name: b.name, scope_kind: b.scopeKind, scope_value: b.scopeKind === 'all' ? null : b.scopeValue, currency: b.currency, priority: b.priority,
      valid_from: b.validFrom, valid_to: b.validTo, break_mode: b.breakMode, note: b.note, created_at: now, updated_at: now, version: 1,
    });
    await recordAudit(trx, ctx, { action: 'pricing.list.create', entity: 'price_list', entityId: id, accountId: b.scopeKind === 'account' ? b.scopeValue : null, after: b });
  });
  return getList(ctx, id);
}

export async function updateList(ctx: Ctx, id: string, b: UpdatePriceListBody): Promise<PriceList> {
  await ctx.db.kysely.transaction().execute(async (trx) => {
    const before = await getList(ctx, id, trx);
    const next = {
      scopeKind: b.scopeKind ?? before.scopeKind, scopeValue: b.scopeValue !== undefined ? b.scopeValue : before.scopeValue,
      validFrom: b.validFrom ?? before.validFrom, validTo: b.validTo !== undefined ? b.validTo : before.validTo,
    };
    if (next.scopeKind === 'all') next.scopeValue = null;
    if (next.scopeKind !== 'all' && !next.scopeValue) throw badRequest(`A ${next.scopeKind} list names its ${next.scopeKind}`, [{ path: 'body.scopeValue', message: 'required' }]);
    if (next.validTo !== null && next.validTo <= next.validFrom) throw badRequest('The list ends before it starts', [{ path: 'body.validTo', message: 'must be after validFrom (validTo is exclusive)' }]);
    if (b.scopeKind !== undefined || b.scopeValue !== undefined) await checkScope(trx, ctx, next.scopeKind, next.scopeValue);
    const ok = await repo.updateList(trx, id, b.version, {
      ...(b.name !== undefined && { name: b.name }), ...(b.currency !== undefined && { currency: b.currency }), ...(b.priority !== undefined && { priority: b.priority }),
      ...(b.breakMode !== undefined && { break_mode: b.breakMode }), ...(b.note !== undefined && { note: b.note }),
      scope_kind: next.scopeKind, scope_value: next.scopeValue, valid_from: next.validFrom, valid_to: next.validTo, updated_at: ctx.clock.now().toISOString(),
    });
    if (!ok) throw conflictError();
    const { version: _v, ...changes } = b;
    await recordAudit(trx, ctx, {
      action: 'pricing.list.update', entity: 'price_list', entityId: id, accountId: next.scopeKind === 'account' ? next.scopeValue : null,
      before: { name: before.name, scopeKind: before.scopeKind, scopeValue: before.scopeValue, currency: before.currency, priority: before.priority, validFrom: before.validFrom, validTo: before.validTo, breakMode: before.breakMode, note: before.note },
      after: changes,
    });
  });
  return getList(ctx, id);
}

export async function deleteList(ctx: Ctx, id: string, version: number): Promise<void> {
  await ctx.db.kysely.transaction().execute(async (trx) => {
    const before = await getList(ctx, id, trx);
    const count = before.itemCount;
    if (!(await repo.deleteList(trx, id, version))) throw conflictError();
    await recordAudit(trx, ctx, { action: 'pricing.list.delete', entity: 'price_list', entityId: id, accountId: before.scopeKind === 'account' ? before.scopeValue : null, before: { ...before, itemCount: count } });
  });
}

// ---------- items ----------

export async function listItems(ctx: Ctx, listId: string, q: z.infer<typeof ItemQuery>) {
  await getList(ctx, listId);
  return repo.listItems(ctx.db.kysely, listId, q);
}

/** The stored form of breaks: in order, as given (validated). */
export const itemColumns = (breaks: PriceBreak[]) => ({
  breaks_json: JSON.stringify(breaks.map((b) => ({ from: b.from, unitPriceMinor: b.unitPriceMinor }))),
  base_unit_price_minor: breaks[0]!.unitPriceMinor, min_quantity: breaks[0]!.from,
});

/** Sets a product's breaks on a list (creates or replaces them). */
export async function putItem(ctx: Ctx, listId: string, productId: string, breaks: PriceBreak[]): Promise<PriceListItem> {
  const problems = validateBreaks(breaks);
  if (problems.length) throw badRequest(describeProblems(problems), problems.map((p) => ({ path: `body.breaks${p.index === null ? '' : `.${p.index}`}${p.field ? `.${p.field}` : ''}`, message: p.reason })));
  await ctx.db.kysely.transaction().execute(async (trx) => {
    const list = await getList(ctx, listId, trx);
    if (!(await repo.findProduct(trx, productId))) throw notFound('Product');
    const before = await repo.findItem(trx, listId, productId);
    const now = ctx.clock.now().toISOString();
    const cols = itemColumns(breaks);
    if (before && before.breaks_json === cols.breaks_json) return;
    if (before) await repo.updateItem(trx, before.id, { ...cols, updated_at: now });
    else await repo.insertItems(trx, [{ id: newId(), price_list_id: listId, product_id: productId, ...cols, created_at: now, updated_at: now }]);
    await repo.touchList(trx, listId, now);
    await recordAudit(trx, ctx, {
      action: 'pricing.item.put', entity: 'price_list', entityId: listId, accountId: list.scopeKind === 'account' ? list.scopeValue : null,
      before: before ? { productId, sku: before.sku, breaks: JSON.parse(before.breaks_json) } : null, after: { productId, breaks: JSON.parse(cols.breaks_json) },
    });
  });
  const item = await repo.findItem(ctx.db.kysely, listId, productId);
  return repo.toItem(item!);
}

export async function deleteItem(ctx: Ctx, listId: string, productId: string): Promise<void> {
  await ctx.db.kysely.transaction().execute(async (trx) => {
    const list = await getList(ctx, listId, trx);
    const before = await repo.findItem(trx, listId, productId);
    if (!before) throw notFound('Price of this product on the list');
    await repo.deleteItems(trx, [before.id]);
    await repo.touchList(trx, listId, ctx.clock.now().toISOString());
    await recordAudit(trx, ctx, {
      action: 'pricing.item.delete', entity: 'price_list', entityId: listId, accountId: list.scopeKind === 'account' ? list.scopeValue : null,
      before: { productId, sku: before.sku, breaks: JSON.parse(before.breaks_json) },
    });
  });
}

// ---------- quotes ----------

export type QuoteRequest = { accountId: string; productId: string; quantity: number; date: string };
type Candidate = ListCandidate & { row: repo.CandidateRow };

const asCandidate = (r: repo.CandidateRow): Candidate => ({
  id: r.id, name: r.name, scopeKind: r.scope_kind as ScopeKind, scopeValue: r.scope_value, priority: Number(r.priority), validFrom: r.valid_from, validTo: r.valid_to, row: r,
});

/**
 * The price of a quantity of a product for an account on a date, and why: which list won (and on
 * which rule the others lost), which break the quantity reached, each band. For other modules.
 * Null when no list in force on the date covers the account and holds the product. 404 when the
 * actor may not see the account; 422 `below_minimum` under the winning list's minimum quantity.
 */
export async function quotePrice(db: Db, actor: Actor, q: QuoteRequest): Promise<PriceQuote | null> {
  const found = await winningList(db, actor, q);
  if (!found) return null;
  const { pick, breaks } = found;
  const w = pick.winner.row;
  const r = quote(breaks, w.break_mode as BreakMode, q.quantity);
  if (!r.ok) throw new AppError('below_minimum', 422, `${w.name}: ${r.reason}`, { listId: w.id, minQuantity: breaks[0]!.from });
  const reached = breaks[r.quote.breakIndex]!;
  return {
    listId: w.id, listName: w.name, listCode: w.code, scope: { kind: pick.winner.scopeKind, value: w.scope_value }, currency: w.currency, breakMode: w.break_mode as BreakMode,
    quantity: q.quantity, date: q.date, breakIndex: r.quote.breakIndex, unitPriceMinor: r.quote.unitPriceMinor, totalMinor: r.quote.totalMinor,
    baseUnitPriceMinor: Number(w.base_unit_price_minor), bands: r.quote.bands,
    why: {
      rule: pick.rule,
      break: { index: r.quote.breakIndex, from: reached.from, to: breaks[r.quote.breakIndex + 1]?.from ?? null },
      losers: pick.losers.map((l) => ({ listId: l.list.id, listName: l.list.name, scopeKind: l.list.scopeKind, priority: l.list.priority, validFrom: l.list.validFrom, lostOn: l.lostOn })),
    },
  };
}

/** The list that prices the account's product on the date (by the winning-list rule) with its breaks, or null. 404 for an account the actor may not see. */
export async function winningList(db: Db, actor: Actor, q: Omit<QuoteRequest, 'quantity'>) {
  const account = await repo.accountScope(db, q.accountId, accountVisibleTo(actor, 'accounts.id'));
  if (!account) throw notFound('Account');
  const pick = pickList((await repo.candidates(db, q.productId, account, q.date)).map(asCandidate), account, q.date);
  return pick && { pick, breaks: JSON.parse(pick.winner.row.breaks_json) as PriceBreak[], list: pick.winner.row };
}

export const quoteFor = (ctx: Ctx, q: Omit<QuoteRequest, 'date'> & { date?: string | undefined }) =>
  quotePrice(ctx.db.kysely, ctx.actor, { ...q, date: q.date ?? companyToday(ctx) });

/**
 * How many accounts other than `accountId` the list prices the product for on the date (those for
 * whom it is the winning list), and what they bought of it over [from, to). Company-wide counts and
 * sums, no account named: the cost of matching a price on a list shared by many dealers.
 */
export async function sharedUse(db: Db, listId: string, productId: string, accountId: string, date: string, window: { from: string; to: string }) {
  const lists = (await repo.listsHolding(db, productId, date)).map((l) => ({ ...l, scopeKind: l.scope_kind as ScopeKind, scopeValue: l.scope_value, priority: Number(l.priority), validFrom: l.valid_from, validTo: l.valid_to }));
  const others = (await repo.allAccountScopes(db)).filter((a) => a.id !== accountId && pickList(lists, a, date)?.winner.id === listId).map((a) => a.id);
  return { sharedAccounts: others.length, sharedQuantity: others.length ? await repo.quantitySold(db, productId, others, window.from, window.to) : 0 };
}

// ---------- an account's prices ----------

/** The lists in force for an account on a date, strongest first (by the winning-list rule). */
export async function accountPricing(ctx: Ctx, accountId: string, date?: string): Promise<z.infer<typeof AccountPricing>> {
  const day = date ?? companyToday(ctx);
  const account = await repo.accountScope(ctx.db.kysely, accountId, accountVisibleTo(ctx.actor, 'accounts.id'));
  if (!account) throw notFound('Account');
  const rows = await repo.listsCovering(ctx.db.kysely, account, day);
  const lists = rows.map(repo.toList);
  const pick = pickList(lists, account, day);
  const ordered = pick ? [pick.winner, ...pick.losers.map((l) => l.list)] : [];
  return { accountId, priceGroup: account.priceGroup, territoryId: account.territoryId, date: day, lists: ordered.map((l, i) => ({ ...l, matchedBy: l.scopeKind, rank: i + 1 })) };
}

export const listPriceGroups = async (ctx: Ctx) => ({ items: await repo.priceGroups(ctx.db.kysely) });

/** Puts an account in a customer group for pricing (or takes it out: null). */
export async function setPriceGroup(ctx: Ctx, accountId: string, group: string | null) {
  await ctx.db.kysely.transaction().execute(async (trx) => {
    const before = await repo.accountScope(trx, accountId, accountVisibleTo(ctx.actor, 'accounts.id'));
    if (!before) throw notFound('Account');
    if (before.priceGroup === group) return;
    await repo.setPriceGroup(trx, accountId, group, ctx.clock.now().toISOString());
    await recordAudit(trx, ctx, { action: 'pricing.account.group', entity: 'account', entityId: accountId, accountId, before: { priceGroup: before.priceGroup }, after: { priceGroup: group } });
  });
  return accountPricing(ctx, accountId);
}
