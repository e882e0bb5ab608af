import type { Kysely } from 'kysely';

/**
 * Settlements: each pays the rebate earned to its cut-off minus what earlier settlements of the
 * period paid; the result is a credit note (its number unique). (agreement_id, seq) is unique, so
 * two runs at once cannot both settle the same step: one of them fails and nothing settles twice.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('rebate_settlements')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('agreement_id', 'text', (c) => c.notNull().references('rebate_agreements.id').onDelete('cascade'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('number', 'text', (c) => c.notNull().unique())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('cutoff', 'text', (c) => c.notNull())
    .addColumn('version_id', 'text', (c) => c.notNull().references('rebate_agreement_versions.id'))
    .addColumn('basis', 'bigint', (c) => c.notNull())
    .addColumn('tier_index', 'integer', (c) => c.notNull())
    .addColumn('earned_to_date_minor', 'bigint', (c) => c.notNull())
    .addColumn('already_paid_minor', 'bigint', (c) => c.notNull())
    .addColumn('amount_minor', 'bigint', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('reversed_at', 'text')
    .addColumn('reversed_by', 'text', (c) => c.references('users.id'))
    .addColumn('reversal_reason', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('rebate_settlements_seq_uq', ['agreement_id', 'seq'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('rebate_settlements').execute();
}
