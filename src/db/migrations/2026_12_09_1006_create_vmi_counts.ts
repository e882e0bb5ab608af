import type { Kysely } from 'kysely';

/**
 * A rep's stock count as received from the phone, by the id the phone gave it (decision 034): the
 * same id sent twice (an offline outbox resending) is recognised and saved once.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('vmi_counts')
    .addColumn('client_id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('counted_at', 'text', (c) => c.notNull())
    .addColumn('lines', 'integer', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('vmi_counts').execute();
}
