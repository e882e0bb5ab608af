import type { Kysely } from 'kysely';

/**
 * Compensation claims (late delivery, damage, shortage) of an account: the amount claimed and the
 * amount accepted in minor units with the currency, the decision's reason (shown to the dealer),
 * the credit note, and the two service-level due instants fixed when the claim is filed.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('claims')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('number', 'text', (c) => c.notNull().unique())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('claimed_minor', 'bigint', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('accepted_minor', 'bigint')
    .addColumn('decision_reason', 'text')
    .addColumn('credit_note_no', 'text')
    .addColumn('credit_minor', 'bigint')
    .addColumn('credit_currency', 'text')
    .addColumn('credit_date', 'text')
    .addColumn('filed_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('filed_via', 'text', (c) => c.notNull())
    .addColumn('response_due_at', 'text', (c) => c.notNull())
    .addColumn('decision_due_at', 'text', (c) => c.notNull())
    .addColumn('responded_at', 'text')
    .addColumn('decided_at', 'text')
    .addColumn('closed_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('claims_account_idx').on('claims').columns(['account_id', 'status', 'created_at']).execute();
  await db.schema.createIndex('claims_status_idx').on('claims').columns(['status', 'created_at', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('claims').execute();
}
