import type { Kysely } from 'kysely';

/**
 * One product's price on a list: its quantity breaks as JSON ([{from, unitPriceMinor}], checked
 * when written), with the first break's unit price and quantity beside them. One row per list and
 * product, so a lookup reads one row per list holding the product (index on product first).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('price_list_items')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('price_list_id', 'text', (c) => c.notNull().references('price_lists.id').onDelete('cascade'))
    .addColumn('product_id', 'text', (c) => c.notNull().references('products.id'))
    .addColumn('breaks_json', 'text', (c) => c.notNull())
    .addColumn('base_unit_price_minor', 'bigint', (c) => c.notNull())
    .addColumn('min_quantity', 'double precision', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('price_list_items_product_idx').on('price_list_items').columns(['product_id', 'price_list_id']).unique().execute();
  await db.schema.createIndex('price_list_items_list_idx').on('price_list_items').columns(['price_list_id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('price_list_items').execute();
}
