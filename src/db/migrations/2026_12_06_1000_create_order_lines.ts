import type { Kysely } from 'kysely';

/**
 * Order lines a dealer placed: what was asked for and by when (requested), what we promised, the
 * ordered quantity in the line's unit, and whether the line is open, delivered or cancelled (with
 * the cancellation date, so a cancellation after the promise was missed stays a failure; decision
 * 018). `source_key` is the natural key an import upserts by (order number and line number, or a
 * file's own line id). Quantities are integers of the line's unit; nullable where a source does
 * not carry them (then in-full is unknown, never assumed).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('order_lines')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('source_key', 'text', (c) => c.notNull().unique())
    .addColumn('order_no', 'text', (c) => c.notNull())
    .addColumn('line_no', 'text')
    .addColumn('product_id', 'text', (c) => c.references('products.id').onDelete('set null'))
    .addColumn('item', 'text')
    .addColumn('quantity', 'bigint')
    .addColumn('unit', 'text')
    .addColumn('value_minor', 'bigint')
    .addColumn('currency', 'text')
    .addColumn('ordered_date', 'text')
    .addColumn('requested_date', 'text')
    .addColumn('promised_date', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('cancelled_date', 'text')
    .addColumn('lane_code', 'text')
    .addColumn('planned_mode', 'text')
    .addColumn('extra_json', 'text')
    .addColumn('import_job_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('order_lines_account_idx').on('order_lines').columns(['account_id', 'promised_date', 'id']).execute();
  await db.schema.createIndex('order_lines_promised_idx').on('order_lines').columns(['promised_date', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('order_lines').execute();
}
