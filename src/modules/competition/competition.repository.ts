/** All SQL of the competition module that its use cases share: observations, undercut alerts, offers. */
import { type Expression, type Kysely, type SqlBool, sql, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { CompetitorObservationsTable, CompetitorOffersTable, UndercutAlertsTable } from './competition.table.js';

export type Q = Kysely<Database> | Transaction<Database>;

/** Observations the caller may see: those of accounts in scope, and those of a region only (no account). */
export const observationScope = (accountScope: Expression<SqlBool>): Expression<SqlBool> =>
  sql<SqlBool>`(o.account_id is null or ${accountScope})`;

const observationBase = (k: Q) => k.selectFrom('competitor_observations as o')
  .innerJoin('products as p', 'p.id', 'o.product_id')
  .leftJoin('accounts as a', 'a.id', 'o.account_id')
  .leftJoin('users as u', 'u.id', 'o.created_by')
  .selectAll('o')
  .select(['p.sku', 'p.name_en as product_name_en', 'p.name_zh as product_name_zh', 'p.unit as product_unit', 'a.name as account_name', 'a.name_en as account_name_en', 'u.name as author_name']);

export type ObservationRow = CompetitorObservationsTable & {
  sku: string; product_name_en: string; product_name_zh: string; product_unit: string; account_name: string | null; account_name_en: string | null; author_name: string | null;
};

export async function insertObservation(k: Q, row: CompetitorObservationsTable): Promise<void> {
  await k.insertInto('competitor_observations').values(row).execute();
}

export const findObservation = (k: Q, scope: Expression<SqlBool>, id: string) =>
  observationBase(k).where('o.id', '=', id).where(scope).executeTakeFirst() as Promise<ObservationRow | undefined>;

export async function listObservations(k: Q, scope: Expression<SqlBool>, f: {
  accountId?: string | undefined; productId?: string | undefined; province?: string | undefined; competitor?: string | undefined;
  since?: string; currency?: string; after?: [string, string]; limit: number;
}): Promise<ObservationRow[]> {
  let q = observationBase(k).where(scope);
  if (f.accountId) q = q.where('o.account_id', '=', f.accountId);
  if (f.productId) q = q.where('o.product_id', '=', f.productId);
  if (f.province) q = q.where('o.province', '=', f.province);
  if (f.competitor) q = q.where('o.competitor', '=', f.competitor);
  if (f.since) q = q.where('o.observed_at', '>=', f.since);
  if (f.currency) q = q.where('o.currency', '=', f.currency);
  if (f.after) {
    const [at, id] = f.after;
    q = q.where(sql<SqlBool>`(o.observed_at <= ${at} and (o.observed_at < ${at} or o.id < ${id}))`);
  }
  return await q.orderBy('o.observed_at', 'desc').orderBy('o.id', 'desc').limit(f.limit + 1).execute() as ObservationRow[];
}

// ---------- alerts

const alertBase = (k: Q) => k.selectFrom('undercut_alerts as ua')
  .innerJoin('accounts as a', 'a.id', 'ua.account_id').innerJoin('products as p', 'p.id', 'ua.product_id')
  .selectAll('ua')
  .select(['a.name as account_name', 'a.name_en as account_name_en', 'p.sku', 'p.name_en as product_name_en', 'p.name_zh as product_name_zh', 'p.unit as product_unit']);
export type AlertRow = UndercutAlertsTable & { account_name: string; account_name_en: string | null; sku: string; product_name_en: string; product_name_zh: string; product_unit: string };

export async function insertAlert(k: Q, row: UndercutAlertsTable): Promise<void> {
  await k.insertInto('undercut_alerts').values(row).execute();
}
export const findAlert = (k: Q, scope: Expression<SqlBool>, id: string) =>
  alertBase(k).where('ua.id', '=', id).where(scope).executeTakeFirst() as Promise<AlertRow | undefined>;
export async function listAlerts(k: Q, scope: Expression<SqlBool>, f: { accountId?: string | undefined; status: string; limit: number }): Promise<AlertRow[]> {
  let q = alertBase(k).where(scope);
  if (f.accountId) q = q.where('ua.account_id', '=', f.accountId);
  if (f.status !== 'all') q = q.where('ua.status', '=', f.status);
  return await q.orderBy('ua.raised_at', 'desc').orderBy('ua.id', 'desc').limit(f.limit).execute() as AlertRow[];
}
export async function acknowledgeAlert(k: Q, id: string, version: number, by: string, at: string): Promise<boolean> {
  const r = await k.updateTable('undercut_alerts').set({ status: 'acknowledged', acknowledged_at: at, acknowledged_by: by, version: version + 1 })
    .where('id', '=', id).where('version', '=', version).where('status', '=', 'open').executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

// ---------- offers

const offerBase = (k: Q) => k.selectFrom('competitor_offers as co')
  .innerJoin('accounts as a', 'a.id', 'co.account_id').innerJoin('products as p', 'p.id', 'co.product_id')
  .leftJoin('users as du', 'du.id', 'co.decided_by')
  .selectAll('co')
  .select(['a.name as account_name', 'a.name_en as account_name_en', 'p.sku', 'p.name_en as product_name_en', 'p.name_zh as product_name_zh', 'p.unit as product_unit', 'du.name as decided_by_name']);
export type OfferRow = CompetitorOffersTable & {
  account_name: string; account_name_en: string | null; sku: string; product_name_en: string; product_name_zh: string; product_unit: string; decided_by_name: string | null;
};

export async function insertOffer(k: Q, row: CompetitorOffersTable): Promise<void> {
  await k.insertInto('competitor_offers').values(row).execute();
}
export const findOffer = (k: Q, scope: Expression<SqlBool>, id: string) =>
  offerBase(k).where('co.id', '=', id).where(scope).executeTakeFirst() as Promise<OfferRow | undefined>;
export async function listOffers(k: Q, scope: Expression<SqlBool>, f: { accountId?: string | undefined; limit: number }): Promise<OfferRow[]> {
  let q = offerBase(k).where(scope);
  if (f.accountId) q = q.where('co.account_id', '=', f.accountId);
  return await q.orderBy('co.created_at', 'desc').orderBy('co.id', 'desc').limit(f.limit).execute() as OfferRow[];
}
export async function updateOffer(k: Q, id: string, version: number, set: Partial<CompetitorOffersTable>): Promise<boolean> {
  const r = await k.updateTable('competitor_offers').set({ ...set, version: version + 1 }).where('id', '=', id).where('version', '=', version).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** A product's competitor prices since a day, summed per competitor and month, and per province and competitor (for the map). */
export async function trendCells(k: Q, scope: Expression<SqlBool>, f: { productId: string; province?: string | undefined; since: string; currency: string }) {
  const month = sql<string>`substr(o.observed_at, 1, 7)`;
  let base = k.selectFrom('competitor_observations as o').where('o.product_id', '=', f.productId).where('o.currency', '=', f.currency)
    .where('o.observed_at', '>=', f.since).where(scope);
  if (f.province) base = base.where('o.province', '=', f.province);
  const [byMonth, byProvince] = await Promise.all([
    base.select(['o.competitor', month.as('month'), (eb) => eb.fn.sum<number>('o.unit_price_minor').as('sum'), (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy(['o.competitor', month]).execute(),
    base.where('o.province', 'is not', null)
      .select(['o.province', 'o.competitor', (eb) => eb.fn.sum<number>('o.unit_price_minor').as('sum'), (eb) => eb.fn.countAll<number>().as('n'),
        (eb) => eb.fn.min<number>('o.unit_price_minor').as('low'), (eb) => eb.fn.max<string>('o.observed_at').as('latest')])
      .groupBy(['o.province', 'o.competitor']).execute(),
  ]);
  return {
    byMonth: byMonth.map((r) => ({ competitor: r.competitor, month: r.month, sum: Number(r.sum), n: Number(r.n) })),
    byProvince: byProvince.map((r) => ({ province: r.province!, competitor: r.competitor, sum: Number(r.sum), n: Number(r.n), low: Number(r.low), latest: r.latest })),
  };
}
