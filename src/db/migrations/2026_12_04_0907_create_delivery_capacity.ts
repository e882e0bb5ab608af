import type { Kysely } from 'kysely';

/**
 * Priority delivery in the peak season: the company's plants and depots, the truckloads each
 * reserves per ISO week for entitled accounts, and the orders placed against a reservation.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('depots')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('city', 'text')
    .addColumn('lat', 'real')
    .addColumn('lng', 'real')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('capacity_reservations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('depot_id', 'text', (c) => c.notNull().references('depots.id'))
    .addColumn('week', 'text', (c) => c.notNull())
    .addColumn('truckloads', 'integer', (c) => c.notNull())
    .addColumn('service_kind_id', 'text', (c) => c.notNull().references('service_kinds.id'))
    .addColumn('note', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addUniqueConstraint('capacity_reservations_depot_week_uq', ['depot_id', 'week', 'service_kind_id'])
    .execute();
  await db.schema
    .createTable('capacity_orders')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('reservation_id', 'text', (c) => c.notNull().references('capacity_reservations.id').onDelete('cascade'))
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('truckloads', 'integer', (c) => c.notNull())
    .addColumn('order_ref', 'text')
    .addColumn('delivery_date', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('usage_id', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('capacity_orders_reservation_idx').on('capacity_orders').columns(['reservation_id', 'status']).execute();
  await db.schema.createIndex('capacity_orders_account_idx').on('capacity_orders').columns(['account_id', 'delivery_date']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('capacity_orders').execute();
  await db.schema.dropTable('capacity_reservations').execute();
  await db.schema.dropTable('depots').execute();
}
