import type { Kysely } from 'kysely';

/**
 * Shipments against order lines: shipped and delivered date and quantity (several per line for a
 * split delivery), mode, carrier, lane, weight and freight cost. A source's text where a number
 * belongs ("Freight Included in Commodity Cost", "See ASN-32231 (ID#:1281)") is kept in
 * `weight_note` / `freight_note`, never turned into 0; the number columns are then null.
 * `account_id` is the order line's, kept here so scoping reads one table.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('shipments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('order_line_id', 'text', (c) => c.notNull().references('order_lines.id').onDelete('cascade'))
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('source_key', 'text', (c) => c.notNull().unique())
    .addColumn('shipment_no', 'text')
    .addColumn('shipped_date', 'text')
    .addColumn('delivered_date', 'text')
    .addColumn('quantity', 'bigint')
    .addColumn('mode', 'text')
    .addColumn('carrier', 'text')
    .addColumn('lane_code', 'text')
    .addColumn('weight_grams', 'bigint')
    .addColumn('weight_note', 'text')
    .addColumn('freight_minor', 'bigint')
    .addColumn('freight_currency', 'text')
    .addColumn('freight_note', 'text')
    .addColumn('import_job_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('shipments_line_idx').on('shipments').columns(['order_line_id', 'delivered_date']).execute();
  await db.schema.createIndex('shipments_account_idx').on('shipments').columns(['account_id', 'delivered_date', 'id']).execute();
  await db.schema.createIndex('shipments_lane_idx').on('shipments').columns(['lane_code', 'mode', 'shipped_date']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('shipments').execute();
}
