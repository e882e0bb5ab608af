import type { Kysely } from 'kysely';

// Accounts designated key accounts by hand (whatever their computed tier), with the reason.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('key_account_designations')
    .addColumn('account_id', 'text', (c) => c.primaryKey().references('accounts.id').onDelete('cascade'))
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('designated_by', 'text', (c) => c.references('users.id'))
    .addColumn('designated_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('key_account_designations').execute();
}
