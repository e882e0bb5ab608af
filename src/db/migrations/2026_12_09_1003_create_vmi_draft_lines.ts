import type { Kysely } from 'kysely';

/**
 * A draft's lines (decision 034): the suggested quantity and the one that goes to the dealer, the
 * rep's reason code and note when edited, the suggestion's why lines (JSON, internal), what was on
 * hand and in transit, and the least and most the dealer may sign.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('vmi_draft_lines')
    .addColumn('draft_id', 'text', (c) => c.notNull().references('vmi_drafts.id').onDelete('cascade'))
    .addColumn('product_id', 'text', (c) => c.notNull().references('products.id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('suggested_quantity', 'bigint', (c) => c.notNull())
    .addColumn('quantity', 'bigint', (c) => c.notNull())
    .addColumn('pack_units', 'integer', (c) => c.notNull())
    .addColumn('reason_code', 'text')
    .addColumn('note', 'text')
    .addColumn('why_json', 'text', (c) => c.notNull())
    .addColumn('on_hand', 'double precision', (c) => c.notNull())
    .addColumn('in_transit', 'double precision', (c) => c.notNull())
    .addColumn('cover_days', 'double precision')
    .addColumn('min_quantity', 'bigint', (c) => c.notNull())
    .addColumn('max_quantity', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('vmi_draft_lines_pk', ['draft_id', 'product_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('vmi_draft_lines').execute();
}
