/**
 * The service catalogue, entitlements, the account's services (balances, cost to serve), logged
 * deliveries and service levels. Requests are in requests.service.ts.
 */
import type { z } from 'zod';
import { keyset, pageOf } from '../../db/keyset.js';
import type { Ctx } from '../../server/context.js';
import { AppError, notFound } from '../../server/errors.js';
import { accountVisibleTo } from '../../server/policy.js';
import { recordAudit } from '../audit/audit.service.js';
import { newId } from '../../shared/ids.js';
import { localDateOf } from '../../shared/time.js';
import type {
  CreateEntitlementBody, CreateServiceKindBody, PutServiceLevelsBody, RecordUsageBody, ServiceBalance, ServiceKind,
  UpdateEntitlementBody, UpdateServiceKindBody, UsageQuery,
} from './services.contract.js';
import { defaultTargets, priorities, requestTypes, type Department, type Unit } from './services.domain.js';
import { balancesOn, COMPANY_TIME_ZONE, costByMonth, costWindowStart, settleUsage, takeService, toEntitlement, toUsage } from './entitlements.service.js';
import type { ServiceSettings } from './services.settings.js';
import type { ServiceEntitlementsTable, ServiceKindsTable } from './services.table.js';
import { loadedHolidayYears, shippedChinaHolidays } from './work-calendar.js';

const stale = (what: string) => new AppError('precondition_failed', 412, `The ${what} was changed by someone else since you read it; reload and try again`);

// ---------- catalogue ----------

const toKind = (r: ServiceKindsTable): ServiceKind => ({
  id: r.id, code: r.code, name: r.name, nameEn: r.name_en, unit: r.unit as Unit, unitCostMinor: Number(r.unit_cost_minor), currency: r.currency,
  department: r.department as Department, active: r.active === 1, version: r.version,
});

export async function listKinds(ctx: Ctx) {
  const rows = await ctx.db.kysely.selectFrom('service_kinds').selectAll().orderBy('department').orderBy('code').execute();
  return { items: rows.map(toKind) };
}

export async function createKind(ctx: Ctx, b: z.infer<typeof CreateServiceKindBody>): Promise<ServiceKind> {
  const db = ctx.db.kysely;
  if (await db.selectFrom('service_kinds').select('id').where('code', '=', b.code).executeTakeFirst()) {
    throw new AppError('conflict', 409, `A service with code "${b.code}" exists already`, { errors: [{ path: 'body.code', message: 'already used' }] });
  }
  const now = ctx.clock.now().toISOString();
  const row: ServiceKindsTable = {
    id: newId(), code: b.code, name: b.name, name_en: b.nameEn, unit: b.unit, unit_cost_minor: b.unitCostMinor, currency: b.currency,
    department: b.department, active: 1, created_at: now, updated_at: now, version: 1,
  };
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('service_kinds').values(row).execute();
    await recordAudit(trx, ctx, { action: 'create', entity: 'service_kind', entityId: row.id, after: b });
  });
  return toKind(row);
}

export async function updateKind(ctx: Ctx, id: string, b: z.infer<typeof UpdateServiceKindBody>): Promise<ServiceKind> {
  const db = ctx.db.kysely;
  const before = await db.selectFrom('service_kinds').selectAll().where('id', '=', id).executeTakeFirst();
  if (!before) throw notFound('Service');
  const set: Partial<ServiceKindsTable> = {};
  if (b.code !== undefined) set.code = b.code;
  if (b.name !== undefined) set.name = b.name;
  if (b.nameEn !== undefined) set.name_en = b.nameEn;
  if (b.unit !== undefined) set.unit = b.unit;
  if (b.unitCostMinor !== undefined) set.unit_cost_minor = b.unitCostMinor;
  if (b.currency !== undefined) set.currency = b.currency;
  if (b.department !== undefined) set.department = b.department;
  if (b.active !== undefined) set.active = b.active ? 1 : 0;
  await db.transaction().execute(async (trx) => {
    const r = await trx.updateTable('service_kinds').set({ ...set, updated_at: ctx.clock.now().toISOString(), version: b.version + 1 })
      .where('id', '=', id).where('version', '=', b.version).executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) throw stale('service');
    await recordAudit(trx, ctx, { action: 'update', entity: 'service_kind', entityId: id, before: toKind(before), after: b });
  });
  return toKind((await db.selectFrom('service_kinds').selectAll().where('id', '=', id).executeTakeFirstOrThrow()));
}

// ---------- entitlements ----------

async function entitlementRows(ctx: Ctx, f: { id?: string; accountId?: string | undefined; serviceKindId?: string | undefined; scope?: string | undefined }) {
  let q = ctx.db.kysely.selectFrom('service_entitlements as e').leftJoin('accounts as a', 'a.id', 'e.account_id').selectAll('e').select(['a.name as account_name']);
  // Tier grants are company-wide; account and agreement grants are seen by those who see the account.
  q = q.where((eb) => eb.or([eb('e.scope', '=', 'tier'), accountVisibleTo(ctx.actor, 'e.account_id')]));
  if (f.id) q = q.where('e.id', '=', f.id);
  if (f.serviceKindId) q = q.where('e.service_kind_id', '=', f.serviceKindId);
  if (f.scope) q = q.where('e.scope', '=', f.scope);
  if (f.accountId) {
    const acc = await ctx.db.kysely.selectFrom('accounts').select('tier').where('id', '=', f.accountId).where(accountVisibleTo(ctx.actor, 'accounts.id')).executeTakeFirst();
    if (!acc) return [];
    q = q.where((eb) => eb.or([eb('e.account_id', '=', f.accountId!), eb.and([eb('e.scope', '=', 'tier'), eb('e.tier', '=', acc.tier ?? '-')])]));
  }
  return q.orderBy('e.service_kind_id').orderBy('e.valid_from').execute();
}

const toEntitlementOut = (r: ServiceEntitlementsTable & { account_name: string | null }) => ({
  ...toEntitlement(r), accountName: r.account_name, agreementRef: r.agreement_ref, version: r.version,
});

export async function listEntitlements(ctx: Ctx, f: { accountId?: string | undefined; serviceKindId?: string | undefined; scope?: string | undefined }) {
  return { items: (await entitlementRows(ctx, f)).map(toEntitlementOut) };
}

async function getEntitlement(ctx: Ctx, id: string) {
  const [r] = await entitlementRows(ctx, { id });
  if (!r) throw notFound('Entitlement');
  return r;
}

export async function createEntitlement(ctx: Ctx, b: z.infer<typeof CreateEntitlementBody>) {
  const db = ctx.db.kysely;
  if (!(await db.selectFrom('service_kinds').select('id').where('id', '=', b.serviceKindId).executeTakeFirst())) {
    throw new AppError('invalid_request', 400, 'No such service in the catalogue', { errors: [{ path: 'body.serviceKindId', message: 'unknown service' }] });
  }
  if (b.scope !== 'tier' && !(await db.selectFrom('accounts').select('id').where('id', '=', b.accountId!).executeTakeFirst())) {
    throw new AppError('invalid_request', 400, 'No such account', { errors: [{ path: 'body.accountId', message: 'unknown account' }] });
  }
  const now = ctx.clock.now().toISOString();
  const row: ServiceEntitlementsTable = {
    id: newId(), service_kind_id: b.serviceKindId, scope: b.scope, tier: b.scope === 'tier' ? b.tier : null, account_id: b.scope === 'tier' ? null : b.accountId,
    agreement_ref: b.scope === 'agreement' ? b.agreementRef : null, quantity: b.quantity, period: b.period, consumed_on: b.consumedOn,
    carry_over: b.carryOver ? 1 : 0, peak_windows_json: b.peakWindows?.length ? JSON.stringify(b.peakWindows) : null,
    valid_from: b.validFrom, valid_to: b.validTo, created_at: now, updated_at: now, version: 1,
  };
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('service_entitlements').values(row).execute();
    await recordAudit(trx, ctx, { action: 'create', entity: 'service_entitlement', entityId: row.id, accountId: row.account_id, after: b });
  });
  return toEntitlementOut(await getEntitlement(ctx, row.id));
}

export async function updateEntitlement(ctx: Ctx, id: string, b: z.infer<typeof UpdateEntitlementBody>) {
  const before = await getEntitlement(ctx, id);
  const set: Partial<ServiceEntitlementsTable> = {};
  if (b.quantity !== undefined) set.quantity = b.quantity;
  if (b.carryOver !== undefined) set.carry_over = b.carryOver ? 1 : 0;
  if (b.peakWindows !== undefined) set.peak_windows_json = b.peakWindows?.length ? JSON.stringify(b.peakWindows) : null;
  if (b.consumedOn !== undefined) set.consumed_on = b.consumedOn;
  if (b.validTo !== undefined) {
    if (b.validTo && b.validTo < before.valid_from) throw new AppError('invalid_request', 400, 'The entitlement would end before it starts', { errors: [{ path: 'body.validTo', message: `on or after ${before.valid_from}` }] });
    set.valid_to = b.validTo;
  }
  await ctx.db.kysely.transaction().execute(async (trx) => {
    const r = await trx.updateTable('service_entitlements').set({ ...set, updated_at: ctx.clock.now().toISOString(), version: b.version + 1 })
      .where('id', '=', id).where('version', '=', b.version).executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) throw stale('entitlement');
    await recordAudit(trx, ctx, { action: 'update', entity: 'service_entitlement', entityId: id, accountId: before.account_id, before: toEntitlementOut(before), after: b });
  });
  return toEntitlementOut(await getEntitlement(ctx, id));
}

/** Deletes an entitlement; what was used under it stays in the ledger, counted against nothing. */
export async function deleteEntitlement(ctx: Ctx, id: string, version: number): Promise<void> {
  const before = await getEntitlement(ctx, id);
  await ctx.db.kysely.transaction().execute(async (trx) => {
    await trx.updateTable('service_usage').set({ entitlement_id: null }).where('entitlement_id', '=', id).execute();
    const r = await trx.deleteFrom('service_entitlements').where('id', '=', id).where('version', '=', version).executeTakeFirst();
    if (Number(r.numDeletedRows) !== 1) throw stale('entitlement');
    await recordAudit(trx, ctx, { action: 'delete', entity: 'service_entitlement', entityId: id, accountId: before.account_id, before: toEntitlementOut(before) });
  });
}

// ---------- an account's services ----------

/**
 * An account's services: per service kind, this period's allowance (all its applicable entitlements
 * together), used and remaining; the cost to serve by kind and month over 12 months (staff only);
 * the count of open and breached requests.
 */
export async function accountServices(ctx: Ctx, accountId: string, opts: { withCost: boolean; portalOnly?: boolean }) {
  const db = ctx.db.kysely;
  const account = await db.selectFrom('accounts').select(['id', 'tier', 'currency']).where('id', '=', accountId).where(accountVisibleTo(ctx.actor, 'accounts.id')).executeTakeFirst();
  if (!account) throw notFound('Account');
  const now = ctx.clock.now();
  const date = localDateOf(now, COMPANY_TIME_ZONE);
  const [balances, kinds] = await Promise.all([
    balancesOn(db, account, date),
    db.selectFrom('service_kinds').selectAll().execute(),
  ]);
  const kindById = new Map(kinds.map((k) => [k.id, k]));
  const byKind = new Map<string, ServiceBalance>();
  for (const b of balances) {
    const k = kindById.get(b.entitlement.serviceKindId);
    if (!k) continue;
    const cur = byKind.get(k.id);
    if (cur) {
      cur.base += b.base; cur.carried += b.carried; cur.allowance += b.allowance; cur.used += b.used; cur.remaining += b.remaining;
      cur.inSeason ||= b.inSeason;
    } else {
      byKind.set(k.id, {
        serviceKindId: k.id, code: k.code, name: k.name, nameEn: k.name_en, unit: k.unit as Unit, department: k.department as Department,
        period: b.entitlement.period, periodKey: b.periodKey, periodFrom: b.periodFrom, periodTo: b.periodTo,
        base: b.base, carried: b.carried, allowance: b.allowance, used: b.used, remaining: b.remaining, inSeason: b.inSeason, consumedOn: b.entitlement.consumedOn,
      });
    }
  }
  let cost: Awaited<ReturnType<typeof costByMonth>> | null = null;
  if (opts.withCost) {
    cost = await costByMonth(db, account.id, costWindowStart(now));
  }
  const active = db.selectFrom('service_requests').where('account_id', '=', account.id).where('status', 'in', ['open', 'in_progress', 'waiting_customer']);
  const scoped = opts.portalOnly ? active.where('opened_via', '=', 'portal') : active;
  const counts = await scoped.select((eb) => [
    eb.fn.countAll<number>().as('open'),
    eb.fn.sum<number>(eb.case().when('next_due_at', '<=', now.toISOString()).then(1).else(0).end()).as('breached'),
  ]).executeTakeFirstOrThrow();
  return {
    balances: [...byKind.values()].sort((a, b) => a.department.localeCompare(b.department) || a.code.localeCompare(b.code)),
    cost,
    costTotalMinor: cost ? cost.reduce((s, c) => s + c.costMinor, 0) : null,
    currency: account.currency,
    openRequests: Number(counts.open ?? 0),
    breachedRequests: Number(counts.breached ?? 0),
  };
}

// ---------- usage ----------

export async function listUsage(ctx: Ctx, q: z.infer<typeof UsageQuery>) {
  let query = ctx.db.kysely.selectFrom('service_usage').selectAll().where(accountVisibleTo(ctx.actor, 'service_usage.account_id'));
  if (q.accountId) query = query.where('account_id', '=', q.accountId);
  if (q.serviceKindId) query = query.where('service_kind_id', '=', q.serviceKindId);
  const rows = await keyset(query, { column: 'service_usage.at', direction: 'desc' }, 'service_usage.id', q.cursor, q.limit).execute();
  return pageOf(rows, q.limit, (r) => r.at, (r) => r.id, toUsage);
}

export function recordUsage(ctx: Ctx, b: z.infer<typeof RecordUsageBody>) {
  return ctx.db.kysely.transaction().execute((trx) => takeService(trx, ctx, b));
}

export function settle(ctx: Ctx, id: string, version: number, to: 'delivered' | 'released') {
  return ctx.db.kysely.transaction().execute((trx) => settleUsage(trx, ctx, id, version, to));
}

// ---------- service levels ----------

export async function serviceLevels(ctx: Ctx, settings: ServiceSettings) {
  const rows = await ctx.db.kysely.selectFrom('service_levels').selectAll().execute();
  const by = new Map(rows.map((r) => [`${r.type}|${r.priority}`, r]));
  const levels = requestTypes.flatMap((type) => priorities.map((priority) => {
    const r = by.get(`${type}|${priority}`);
    return { type, priority, responseMinutes: r?.response_minutes ?? defaultTargets[priority].response, resolutionMinutes: r?.resolution_minutes ?? defaultTargets[priority].resolution };
  }));
  const years = settings.calendarName === 'cn'
    ? [...new Set([...Object.keys(shippedChinaHolidays().years), ...Object.keys(loadedHolidayYears(ctx.config.dataDir))])].map(Number).sort((a, b) => a - b)
    : [];
  return {
    levels,
    workingTime: { timeZone: settings.calendar.timeZone, windows: settings.calendar.windows, weekdays: settings.calendar.weekdays, calendar: settings.calendarName, calendarYears: years },
  };
}

export async function putServiceLevels(ctx: Ctx, settings: ServiceSettings, b: z.infer<typeof PutServiceLevelsBody>) {
  const now = ctx.clock.now().toISOString();
  await ctx.db.kysely.transaction().execute(async (trx) => {
    for (const l of b.levels) {
      if (l.resolutionMinutes < l.responseMinutes) {
        throw new AppError('invalid_request', 400, 'A resolution target cannot be shorter than the response target', { errors: [{ path: `body.levels.${b.levels.indexOf(l)}.resolutionMinutes`, message: `at least ${l.responseMinutes}` }] });
      }
      const existing = await trx.selectFrom('service_levels').select(['id', 'version']).where('type', '=', l.type).where('priority', '=', l.priority).executeTakeFirst();
      if (existing) await trx.updateTable('service_levels').set({ response_minutes: l.responseMinutes, resolution_minutes: l.resolutionMinutes, updated_at: now, version: existing.version + 1 }).where('id', '=', existing.id).execute();
      else await trx.insertInto('service_levels').values({ id: newId(), type: l.type, priority: l.priority, response_minutes: l.responseMinutes, resolution_minutes: l.resolutionMinutes, updated_at: now, version: 1 }).execute();
    }
    await recordAudit(trx, ctx, { action: 'update', entity: 'service_levels', entityId: 'service_levels', after: b.levels });
  });
  return serviceLevels(ctx, settings);
}
