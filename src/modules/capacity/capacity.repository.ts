/** All SQL of delivery capacity: depots, reservations with what is ordered on them, orders. */
import { type Expression, type Kysely, type SqlBool, sql, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { DepotsTable, CapacityOrdersTable, CapacityReservationsTable } from '../services/services.table.js';
import type { CapacityOrder, Depot } from './capacity.contract.js';

type Q = Kysely<Database> | Transaction<Database>;

export const toDepot = (r: DepotsTable): Depot => ({ id: r.id, code: r.code, name: r.name, nameEn: r.name_en, kind: r.kind as Depot['kind'], city: r.city });

export const listDepots = async (db: Q): Promise<Depot[]> =>
  (await db.selectFrom('depots').selectAll().orderBy('kind', 'desc').orderBy('code').execute()).map(toDepot);
export const findDepot = (db: Q, id: string) => db.selectFrom('depots').selectAll().where('id', '=', id).executeTakeFirst();
export const findDepotByCode = (db: Q, code: string) => db.selectFrom('depots').select('id').where('code', '=', code).executeTakeFirst();
export const insertDepot = async (db: Q, row: DepotsTable) => { await db.insertInto('depots').values(row).execute(); };

/** Truckloads counted against a reservation: placed and delivered orders (cancelled ones are given back). */
const orderedSql = sql<number>`(select coalesce(sum(co.truckloads), 0) from capacity_orders co where co.reservation_id = capacity_reservations.id and co.status <> 'cancelled')`;

export type ReservationRow = CapacityReservationsTable & { depot_name: string; depot_name_en: string; ordered: number };

function reservations(db: Q) {
  return db.selectFrom('capacity_reservations')
    .innerJoin('depots', 'depots.id', 'capacity_reservations.depot_id')
    .selectAll('capacity_reservations')
    .select(['depots.name as depot_name', 'depots.name_en as depot_name_en', orderedSql.as('ordered')]);
}

const normalise = (r: ReservationRow): ReservationRow => ({ ...r, ordered: Number(r.ordered) });

/** Reservations of the weeks from `from` to `to` (ISO week keys sort as text), optionally of one depot. */
export async function listReservations(db: Q, f: { from: string; to: string; depotId?: string | undefined }): Promise<ReservationRow[]> {
  let q = reservations(db).where('capacity_reservations.week', '>=', f.from).where('capacity_reservations.week', '<=', f.to);
  if (f.depotId) q = q.where('capacity_reservations.depot_id', '=', f.depotId);
  return (await q.orderBy('capacity_reservations.week').orderBy('depots.code').execute()).map(normalise);
}

export async function findReservation(db: Q, id: string): Promise<ReservationRow | undefined> {
  const r = await reservations(db).where('capacity_reservations.id', '=', id).executeTakeFirst();
  return r && normalise(r);
}

/**
 * Locks a reservation for the transaction (PostgreSQL: the row, so two orders for its last truckload
 * run one after the other and the second counts the first; SQLite runs one write transaction at a
 * time) and returns it with what is ordered, read after the lock.
 */
export async function lockReservation(trx: Transaction<Database>, dialect: 'sqlite' | 'postgres', id: string): Promise<ReservationRow | undefined> {
  let q = trx.selectFrom('capacity_reservations').select('id').where('id', '=', id);
  if (dialect === 'postgres') q = q.forUpdate();
  if (!(await q.executeTakeFirst())) return undefined;
  return findReservation(trx, id);
}

export const findReservationByKey = (db: Q, k: { depotId: string; week: string; serviceKindId: string }) =>
  db.selectFrom('capacity_reservations').select('id')
    .where('depot_id', '=', k.depotId).where('week', '=', k.week).where('service_kind_id', '=', k.serviceKindId).executeTakeFirst();

export const insertReservation = async (db: Q, row: CapacityReservationsTable) => { await db.insertInto('capacity_reservations').values(row).execute(); };

export async function updateReservation(db: Q, id: string, version: number, patch: Partial<CapacityReservationsTable>): Promise<boolean> {
  const r = await db.updateTable('capacity_reservations').set({ ...patch, version: version + 1 }).where('id', '=', id).where('version', '=', version).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** A service kind of the catalogue: by id, or the active one with a code. */
export const findServiceKind = (db: Q, by: { id: string } | { code: string }) => {
  const q = db.selectFrom('service_kinds').select(['id', 'code', 'unit', 'active', 'name_en']);
  return ('id' in by ? q.where('id', '=', by.id) : q.where('code', '=', by.code)).executeTakeFirst();
};

export type OrderRow = CapacityOrdersTable & { account_name: string; account_name_en: string | null; account_code: string; creator_name: string | null };

export const toOrder = (r: OrderRow): CapacityOrder => ({
  id: r.id, reservationId: r.reservation_id, accountId: r.account_id, accountName: r.account_name, accountNameEn: r.account_name_en, accountCode: r.account_code,
  truckloads: r.truckloads, orderRef: r.order_ref, deliveryDate: r.delivery_date, status: r.status as CapacityOrder['status'],
  createdBy: r.creator_name ? { id: r.created_by, name: r.creator_name } : null, createdAt: r.created_at, version: r.version,
});

/** Orders with their account's names, only of the accounts `scope` admits. */
function orders(db: Q, scope: Expression<SqlBool>) {
  return db.selectFrom('capacity_orders')
    .innerJoin('accounts', 'accounts.id', 'capacity_orders.account_id')
    .leftJoin('users', 'users.id', 'capacity_orders.created_by')
    .selectAll('capacity_orders')
    .select(['accounts.name as account_name', 'accounts.name_en as account_name_en', 'accounts.code as account_code', 'users.name as creator_name'])
    .where(scope);
}

export const listOrders = (db: Q, reservationId: string, scope: Expression<SqlBool>): Promise<OrderRow[]> =>
  orders(db, scope).where('capacity_orders.reservation_id', '=', reservationId)
    .orderBy('capacity_orders.delivery_date').orderBy('capacity_orders.created_at').orderBy('capacity_orders.id').execute();

export const findOrder = (db: Q, id: string, scope: Expression<SqlBool>): Promise<OrderRow | undefined> =>
  orders(db, scope).where('capacity_orders.id', '=', id).executeTakeFirst();

export const insertOrder = async (db: Q, row: CapacityOrdersTable) => { await db.insertInto('capacity_orders').values(row).execute(); };

export async function updateOrder(db: Q, id: string, version: number, patch: Partial<CapacityOrdersTable>): Promise<boolean> {
  const r = await db.updateTable('capacity_orders').set({ ...patch, version: version + 1 }).where('id', '=', id).where('version', '=', version).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export const accountInScope = async (db: Q, accountId: string, scope: Expression<SqlBool>): Promise<boolean> =>
  !!(await db.selectFrom('accounts').select('id').where('id', '=', accountId).where(scope).executeTakeFirst());

/**
 * The version and status of the entitlement use an order took (the services module exports no
 * reader for one row, and settling it needs the version).
 */
export const usageVersion = (db: Q, id: string) => db.selectFrom('service_usage').select(['version', 'status']).where('id', '=', id).executeTakeFirst();
