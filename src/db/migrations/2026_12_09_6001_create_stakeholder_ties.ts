import type { Kysely } from 'kysely';

/**
 * Ties between people (family, former colleagues, friends, partners), within an account or across
 * accounts: family members run many dealers. Each end keeps its account for scoping. Internal only.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('stakeholder_ties')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('from_contact_id', 'text', (c) => c.notNull().references('contacts.id').onDelete('cascade'))
    .addColumn('from_account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('to_contact_id', 'text', (c) => c.notNull().references('contacts.id').onDelete('cascade'))
    .addColumn('to_account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('stakeholder_ties_from_idx').on('stakeholder_ties').column('from_account_id').execute();
  await db.schema.createIndex('stakeholder_ties_to_idx').on('stakeholder_ties').column('to_account_id').execute();
  await db.schema.createIndex('stakeholder_ties_pair_uq').on('stakeholder_ties').columns(['from_contact_id', 'to_contact_id', 'kind']).unique().execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('stakeholder_ties').execute();
}
