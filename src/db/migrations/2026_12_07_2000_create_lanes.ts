import type { Kysely } from 'kysely';

/**
 * Lanes (plant or port → dealer) for seasonal mode planning (decision 024): a code shipments and
 * order lines carry (`lane_code`), the origin with its coordinates, the destination account, the
 * lane's sea ports as JSON text `[{"name","lat","lng"}]` (an inland lane has none), the typhoon
 * distance to count passages within, the mode used when no rule applies, and an annual tonnage
 * estimate (integer tonnes) that prices a rule's period.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('lanes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('origin_name', 'text', (c) => c.notNull())
    .addColumn('origin_lat', 'double precision', (c) => c.notNull())
    .addColumn('origin_lng', 'double precision', (c) => c.notNull())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('ports_json', 'text', (c) => c.notNull())
    .addColumn('typhoon_distance_km', 'integer', (c) => c.notNull())
    .addColumn('default_mode', 'text', (c) => c.notNull())
    .addColumn('annual_tonnes', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('lanes_account_idx').on('lanes').columns(['account_id', 'code']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('lanes').execute();
}
