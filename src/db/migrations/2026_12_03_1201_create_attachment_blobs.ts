import { type Kysely, PostgresAdapter } from 'kysely';

/** The bytes of attachments kept in the database (PostgreSQL's default: every server sees them). */
export async function up(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  await db.schema
    .createTable('attachment_blobs')
    .addColumn('attachment_id', 'text', (c) => c.primaryKey().references('account_attachments.id').onDelete('cascade'))
    .addColumn('content', pg ? 'bytea' : 'blob', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('attachment_blobs').execute();
}
