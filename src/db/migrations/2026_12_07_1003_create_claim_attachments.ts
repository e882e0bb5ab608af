import type { Kysely } from 'kysely';

/** Evidence of a claim: files of the account (attachments module) linked to it; internal ones stay out of the portal. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('claim_attachments')
    .addColumn('claim_id', 'text', (c) => c.notNull().references('claims.id').onDelete('cascade'))
    .addColumn('attachment_id', 'text', (c) => c.notNull().references('account_attachments.id').onDelete('cascade'))
    .addColumn('internal', 'integer', (c) => c.notNull())
    .addColumn('added_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('claim_attachments_pk', ['claim_id', 'attachment_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('claim_attachments').execute();
}
