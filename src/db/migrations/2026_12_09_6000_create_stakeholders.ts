import type { Kysely } from 'kysely';

/**
 * The stakeholder map's half of a contact: role in buying, stance, reports-to (an org chart within
 * the account), our relationship owner and its strength, and the last day we were in contact.
 * One row per contact (the contact's id is the key): people stay in `contacts`. Internal only.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('stakeholders')
    .addColumn('contact_id', 'text', (c) => c.primaryKey().references('contacts.id').onDelete('cascade'))
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('buying_role', 'text', (c) => c.notNull())
    .addColumn('stance', 'text', (c) => c.notNull())
    .addColumn('reports_to_contact_id', 'text', (c) => c.references('contacts.id').onDelete('set null'))
    .addColumn('owner_user_id', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('strength', 'integer')
    .addColumn('last_contact_on', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('stakeholders_account_idx').on('stakeholders').column('account_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('stakeholders').execute();
}
