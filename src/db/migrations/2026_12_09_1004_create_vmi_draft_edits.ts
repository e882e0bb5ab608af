import type { Kysely } from 'kysely';

/** Each change a rep made to a draft line: who, when, from → to, the reason code and note (decision 034). */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('vmi_draft_edits')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('draft_id', 'text', (c) => c.notNull().references('vmi_drafts.id').onDelete('cascade'))
    .addColumn('product_id', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('from_quantity', 'bigint', (c) => c.notNull())
    .addColumn('to_quantity', 'bigint', (c) => c.notNull())
    .addColumn('reason_code', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .execute();
  await db.schema.createIndex('vmi_draft_edits_draft_idx').on('vmi_draft_edits').columns(['draft_id', 'at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('vmi_draft_edits').execute();
}
