import type { Kysely } from 'kysely';

/**
 * Files attached to an account (staff only; never the dealer portal). The row says where the bytes
 * are (`storage`: a directory or the database), so a change of configuration leaves older files readable.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('account_attachments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('size_bytes', 'bigint', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('storage', 'text', (c) => c.notNull())
    .addColumn('uploaded_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('account_attachments_account_idx').on('account_attachments').columns(['account_id', 'created_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('account_attachments').execute();
}
