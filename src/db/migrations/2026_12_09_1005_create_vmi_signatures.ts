import type { Kysely } from 'kysely';

/**
 * The dealer's decision on a sent draft (decision 034): the draft version it saw, accept, change or
 * reject, the reason, who and when, exactly the lines signed (canonical JSON) and their SHA-256,
 * and the delivery order they became. One per draft (a decision ends the draft).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('vmi_signatures')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('draft_id', 'text', (c) => c.notNull().unique().references('vmi_drafts.id').onDelete('cascade'))
    .addColumn('draft_version', 'integer', (c) => c.notNull())
    .addColumn('decision', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('signed_by', 'text', (c) => c.notNull())
    .addColumn('signed_at', 'text', (c) => c.notNull())
    .addColumn('lines_json', 'text', (c) => c.notNull())
    .addColumn('lines_sha256', 'text', (c) => c.notNull())
    .addColumn('order_no', 'text')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('vmi_signatures').execute();
}
