import type { Kysely } from 'kysely';

/**
 * A dealer's delivery terms (decision 022): the on-time window around a promise (days early and
 * late that still count as on time), the in-full quantity tolerance, and the calendar the days are
 * counted on. One row per account; an account without a row is judged with no tolerance on
 * calendar days.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('delivery_terms')
    .addColumn('account_id', 'text', (c) => c.primaryKey().references('accounts.id').onDelete('cascade'))
    .addColumn('early_days', 'integer', (c) => c.notNull())
    .addColumn('late_days', 'integer', (c) => c.notNull())
    .addColumn('in_full_percent', 'integer', (c) => c.notNull())
    .addColumn('calendar', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('updated_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('delivery_terms').execute();
}
