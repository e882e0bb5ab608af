import type { Kysely } from 'kysely';

/**
 * What a dealer had on hand of a product on a date, and optionally what it sold since its previous
 * report (sell-through): the general fact stock-outs are derived from (decision 025), and what VMI
 * will draft orders from. `product_id` names a catalogue product; `item` keeps the source's text
 * when the product is not in the catalogue. Quantities are integers of `unit`. `source_key` is the
 * natural key a batch upserts by; `import_job_id` ties rows to a file import when there is one.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('dealer_stock_reports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('product_id', 'text', (c) => c.references('products.id').onDelete('set null'))
    .addColumn('item', 'text')
    .addColumn('report_date', 'text', (c) => c.notNull())
    .addColumn('on_hand', 'bigint', (c) => c.notNull())
    .addColumn('sold_since_last', 'bigint')
    .addColumn('unit', 'text')
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('source_key', 'text', (c) => c.notNull().unique())
    .addColumn('import_job_id', 'text')
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('dealer_stock_reports_account_idx').on('dealer_stock_reports').columns(['account_id', 'product_id', 'item', 'report_date']).execute();
  await db.schema.createIndex('dealer_stock_reports_date_idx').on('dealer_stock_reports').columns(['report_date', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('dealer_stock_reports').execute();
}
