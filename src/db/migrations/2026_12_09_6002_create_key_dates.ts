import type { Kysely } from 'kysely';

/**
 * Key dates of an account and its people: company and store anniversaries, birthdays (Gregorian or
 * lunar month/day/leap), the dealer's own days, with the year they first happened (to count them)
 * and the reminder lead times (JSON array of days; null for the default). Internal only.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('key_dates')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('contact_id', 'text', (c) => c.references('contacts.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('calendar', 'text', (c) => c.notNull())
    .addColumn('month', 'integer', (c) => c.notNull())
    .addColumn('day', 'integer', (c) => c.notNull())
    .addColumn('leap', 'integer', (c) => c.notNull())
    .addColumn('first_year', 'integer')
    .addColumn('lead_days', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('key_dates_account_idx').on('key_dates').column('account_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('key_dates').execute();
}
