import type { Kysely } from 'kysely';

/**
 * Competitor prices seen in the field: a competitor's price for the product equivalent to one of
 * ours, where (an account, or only a province) and when, from what source (a visit, the dealer, an
 * invoice photo kept as an attachment), in the competitor's unit with its conversion to ours
 * (`competitor_units` of theirs = `our_units` of ours) and the price per our unit worked out.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('competitor_observations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.references('accounts.id').onDelete('cascade'))
    .addColumn('province', 'text')
    .addColumn('city', 'text')
    .addColumn('competitor', 'text', (c) => c.notNull())
    .addColumn('competitor_product', 'text', (c) => c.notNull())
    .addColumn('product_id', 'text', (c) => c.notNull().references('products.id'))
    .addColumn('price_minor', 'bigint', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('unit', 'text', (c) => c.notNull())
    .addColumn('competitor_units', 'integer', (c) => c.notNull())
    .addColumn('our_units', 'integer', (c) => c.notNull())
    .addColumn('unit_price_minor', 'bigint', (c) => c.notNull())
    .addColumn('observed_at', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('visit_id', 'text', (c) => c.references('visits.id').onDelete('set null'))
    .addColumn('attachment_id', 'text', (c) => c.references('account_attachments.id').onDelete('set null'))
    .addColumn('note', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('competitor_observations_account_idx').on('competitor_observations').columns(['account_id', 'observed_at', 'id']).execute();
  // The newest prices of a product in order, and (covering) its trend by month and province without reading the rows.
  await db.schema.createIndex('competitor_observations_product_idx').on('competitor_observations')
    .columns(['product_id', 'observed_at', 'id', 'currency', 'competitor', 'province', 'unit_price_minor', 'account_id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('competitor_observations').execute();
}
