/**
 * Entitlements and their use: what an account is promised of each service this period, what it has
 * used, and taking a unit against it (one at a time per account: two requests for the last unit,
 * one succeeds). Every change is audited on the account.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { Ctx } from '../../server/context.js';
import { AppError, badRequest, notFound } from '../../server/errors.js';
import { accountVisibleTo } from '../../server/policy.js';
import { recordAudit } from '../audit/audit.service.js';
import { newId } from '../../shared/ids.js';
import { DEFAULT_TIME_ZONE, instantOf, localDateOf } from '../../shared/time.js';
import type { Usage } from './services.contract.js';
import {
  allowanceOf, drawOrder, entitlementApplies, periodBounds, periodKey, previousPeriodDate,
  type Entitlement, type PeakWindow,
} from './services.domain.js';
import type { ServiceEntitlementsTable, ServiceUsageTable } from './services.table.js';

type Q = Kysely<Database> | Transaction<Database>;

/** Entitlement periods follow the company's calendar (Asia/Shanghai unless set otherwise). */
export const COMPANY_TIME_ZONE = process.env.OPENKAM_SERVICE_TIME_ZONE ?? DEFAULT_TIME_ZONE;

export const toEntitlement = (r: ServiceEntitlementsTable): Entitlement => ({
  id: r.id, serviceKindId: r.service_kind_id, scope: r.scope as Entitlement['scope'], tier: r.tier, accountId: r.account_id,
  quantity: r.quantity, period: r.period as Entitlement['period'], consumedOn: r.consumed_on as Entitlement['consumedOn'],
  carryOver: r.carry_over === 1, peakWindows: r.peak_windows_json ? (JSON.parse(r.peak_windows_json) as PeakWindow[]) : null,
  validFrom: r.valid_from, validTo: r.valid_to,
});

export const toUsage = (r: ServiceUsageTable): Usage => ({
  id: r.id, accountId: r.account_id, serviceKindId: r.service_kind_id, entitlementId: r.entitlement_id, periodKey: r.period_key,
  quantity: r.quantity, status: r.status as Usage['status'], costMinor: Number(r.cost_minor), currency: r.currency, requestId: r.request_id,
  reference: r.reference, note: r.note, at: r.at, deliveredAt: r.delivered_at, createdBy: r.created_by, version: r.version,
});

/** The entitlements that could apply to an account (its tier's, its own, its agreements'), all services or one. */
async function candidateEntitlements(db: Q, account: { id: string; tier: string | null }, serviceKindId?: string): Promise<Entitlement[]> {
  let q = db.selectFrom('service_entitlements').selectAll()
    .where((eb) => eb.or([eb('account_id', '=', account.id), eb.and([eb('scope', '=', 'tier'), eb('tier', '=', account.tier ?? '-')])]));
  if (serviceKindId) q = q.where('service_kind_id', '=', serviceKindId);
  return (await q.execute()).map(toEntitlement);
}

/** Units counted against each entitlement in a period (taken or delivered; released units are given back). */
async function usedBy(db: Q, accountId: string, keys: { entitlementId: string; periodKey: string }[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (!keys.length) return out;
  const rows = await db.selectFrom('service_usage')
    .select(['entitlement_id', 'period_key', (eb) => eb.fn.sum<number>('quantity').as('n')])
    .where('account_id', '=', accountId).where('status', '!=', 'released')
    .where('entitlement_id', 'in', [...new Set(keys.map((k) => k.entitlementId))])
    .where('period_key', 'in', [...new Set(keys.map((k) => k.periodKey))])
    .groupBy(['entitlement_id', 'period_key']).execute();
  for (const r of rows) out.set(`${r.entitlement_id}|${r.period_key}`, Number(r.n));
  return out;
}

export type EntitlementBalance = {
  entitlement: Entitlement;
  periodKey: string;
  periodFrom: string;
  periodTo: string;
  base: number;
  carried: number;
  allowance: number;
  used: number;
  remaining: number;
  inSeason: boolean;
};

/**
 * Each applicable entitlement's balance on a local date: allowance (with carry-over), used, remaining.
 * Entitlements outside their peak season today are listed with `inSeason: false` and nothing remaining.
 */
export async function balancesOn(db: Q, account: { id: string; tier: string | null }, date: string, serviceKindId?: string): Promise<EntitlementBalance[]> {
  const all = await candidateEntitlements(db, account, serviceKindId);
  const live = all.filter((e) => date >= e.validFrom && (!e.validTo || date <= e.validTo) && (e.scope !== 'tier' || e.tier === account.tier));
  const keys = live.flatMap((e) => [
    { entitlementId: e.id, periodKey: periodKey(e.period, date) },
    { entitlementId: e.id, periodKey: periodKey(e.period, previousPeriodDate(e.period, date)) },
  ]);
  const used = await usedBy(db, account.id, keys);
  return live.sort(drawOrder).map((e) => {
    const key = periodKey(e.period, date);
    const prevKey = periodKey(e.period, previousPeriodDate(e.period, date));
    const inSeason = entitlementApplies(e, account, date);
    const a = allowanceOf(e, date, used.get(`${e.id}|${prevKey}`) ?? 0);
    const u = used.get(`${e.id}|${key}`) ?? 0;
    const bounds = periodBounds(e.period, date);
    const allowance = inSeason ? a.total : 0;
    return {
      entitlement: e, periodKey: key, periodFrom: bounds.from, periodTo: bounds.to,
      base: inSeason ? a.base : 0, carried: inSeason ? a.carried : 0, allowance, used: u, remaining: Math.max(0, allowance - u), inSeason,
    };
  });
}

async function lockAccount(trx: Transaction<Database>, ctx: Ctx, accountId: string): Promise<{ id: string; tier: string | null; currency: string } | undefined> {
  // PostgreSQL: the account row is locked for the transaction, so two takes of the last unit run one
  // after the other and the second sees the first. SQLite runs one write transaction at a time.
  let q = trx.selectFrom('accounts').select(['id', 'tier', 'currency']).where('id', '=', accountId).where(accountVisibleTo(ctx.actor, 'accounts.id'));
  if (ctx.db.dialect === 'postgres') q = q.forUpdate();
  return q.executeTakeFirst();
}

export type TakeInput = {
  accountId: string;
  serviceKindId: string;
  quantity: number;
  /** Delivered now (cost incurred) or only taken, to be delivered later. */
  delivered: boolean;
  /** Past the entitlement: counted against nothing (goodwill or charged), still costed. */
  beyondEntitlement: boolean;
  at?: string | undefined;
  reference?: string | null;
  note?: string | null;
  requestId?: string | null;
};

/**
 * Takes `quantity` units of a service for an account, inside the caller's transaction: against the
 * most specific entitlement with enough left this period, or beyond entitlement when asked. 409
 * `entitlement_exhausted` (with what remains) when nothing covers it. Audited on the account.
 */
export async function takeService(trx: Transaction<Database>, ctx: Ctx, input: TakeInput): Promise<Usage> {
  const account = await lockAccount(trx, ctx, input.accountId);
  if (!account) throw new AppError('not_found', 404, 'Account was not found', { errors: [{ path: 'body.accountId', message: 'no such account in your scope' }] });
  const kind = await trx.selectFrom('service_kinds').selectAll().where('id', '=', input.serviceKindId).executeTakeFirst();
  if (!kind) throw badRequest('No such service in the catalogue', [{ path: 'body.serviceKindId', message: 'unknown service' }]);
  if (kind.active !== 1) throw new AppError('service_inactive', 409, `The service "${kind.name_en}" is no longer offered`);
  const at = input.at ?? ctx.clock.now().toISOString();
  const date = localDateOf(new Date(at), COMPANY_TIME_ZONE);
  const balances = await balancesOn(trx, account, date, kind.id);
  const pick = balances.find((b) => b.remaining >= input.quantity);
  if (!pick && !input.beyondEntitlement) {
    const remaining = balances.reduce((s, b) => s + b.remaining, 0);
    throw new AppError('entitlement_exhausted', 409,
      balances.length
        ? `Only ${remaining} ${kind.unit.replace('_', ' ')}(s) of "${kind.name_en}" left this period; ${input.quantity} asked`
        : `The account has no entitlement to "${kind.name_en}" on ${date}`,
      { remaining, asked: input.quantity });
  }
  const now = ctx.clock.now().toISOString();
  const row: ServiceUsageTable = {
    id: newId(), account_id: account.id, service_kind_id: kind.id, entitlement_id: pick?.entitlement.id ?? null, period_key: pick?.periodKey ?? null,
    quantity: input.quantity, status: input.delivered ? 'delivered' : 'taken', cost_minor: Number(kind.unit_cost_minor) * input.quantity, currency: kind.currency,
    request_id: input.requestId ?? null, reference: input.reference ?? null, note: input.note ?? null, at, delivered_at: input.delivered ? at : null,
    created_by: ctx.actor.userId, created_at: now, updated_at: now, version: 1,
  };
  await trx.insertInto('service_usage').values(row).execute();
  await recordAudit(trx, ctx, { action: input.delivered ? 'service.deliver' : 'service.take', entity: 'service_usage', entityId: row.id, accountId: account.id, after: toUsage(row) });
  return toUsage(row);
}

/** Marks taken units delivered (cost incurred now) or released (given back to the entitlement). */
export async function settleUsage(trx: Transaction<Database>, ctx: Ctx, id: string, version: number, to: 'delivered' | 'released'): Promise<Usage> {
  const before = await trx.selectFrom('service_usage').selectAll().where('id', '=', id).where(accountVisibleTo(ctx.actor, 'service_usage.account_id')).executeTakeFirst();
  if (!before) throw notFound('Service use');
  if (before.status !== 'taken') throw new AppError('invalid_state', 409, `This service use is already ${before.status}`);
  const now = ctx.clock.now().toISOString();
  const r = await trx.updateTable('service_usage')
    .set({ status: to, delivered_at: to === 'delivered' ? now : null, updated_at: now, version: version + 1 })
    .where('id', '=', id).where('version', '=', version).executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) throw new AppError('precondition_failed', 412, 'This service use was changed by someone else since you read it; reload and try again');
  const after = await trx.selectFrom('service_usage').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  await recordAudit(trx, ctx, { action: `service.${to === 'delivered' ? 'deliver' : 'release'}`, entity: 'service_usage', entityId: id, accountId: before.account_id, before: toUsage(before), after: toUsage(after) });
  return toUsage(after);
}

/** Releases every unit still taken for a request (it was withdrawn or closed without delivery). */
export async function releaseForRequest(trx: Transaction<Database>, ctx: Ctx, requestId: string): Promise<void> {
  const rows = await trx.selectFrom('service_usage').select(['id', 'version']).where('request_id', '=', requestId).where('status', '=', 'taken').execute();
  for (const r of rows) await settleUsage(trx, ctx, r.id, r.version, 'released');
}

/** The first instant of the 12 calendar months (company calendar) that end with this one: the window of "cost to serve". */
export function costWindowStart(now: Date): string {
  const month = localDateOf(now, COMPANY_TIME_ZONE).slice(0, 7);
  const [y, m] = month.split('-').map(Number) as [number, number];
  const first = new Date(Date.UTC(y, m - 12, 1)).toISOString().slice(0, 10);
  return instantOf(first, '00:00', COMPANY_TIME_ZONE).toISOString();
}

/** Cost to serve by month (company calendar) and service kind, over the months from `fromMonth` (YYYY-MM). */
export async function costByMonth(db: Q, accountId: string, fromIso: string) {
  const rows = await db.selectFrom('service_usage')
    .select(['service_kind_id', 'currency', 'delivered_at', 'quantity', 'cost_minor'])
    .where('account_id', '=', accountId).where('status', '=', 'delivered').where('delivered_at', '>=', fromIso)
    .execute();
  const out = new Map<string, { month: string; serviceKindId: string; quantity: number; costMinor: number; currency: string }>();
  for (const r of rows) {
    const month = localDateOf(new Date(r.delivered_at!), COMPANY_TIME_ZONE).slice(0, 7);
    const key = `${month}|${r.service_kind_id}|${r.currency}`;
    const cur = out.get(key) ?? { month, serviceKindId: r.service_kind_id, quantity: 0, costMinor: 0, currency: r.currency };
    cur.quantity += r.quantity;
    cur.costMinor += Number(r.cost_minor);
    out.set(key, cur);
  }
  return [...out.values()].sort((a, b) => a.month.localeCompare(b.month) || a.serviceKindId.localeCompare(b.serviceKindId));
}
