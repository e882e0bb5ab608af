import type { Kysely } from 'kysely';

/**
 * The terms of an agreement, versioned: each version applies from its effective date; the figure
 * for a date is computed with the version in force then. status: active, or pending a director.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('rebate_agreement_versions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('agreement_id', 'text', (c) => c.notNull().references('rebate_agreements.id').onDelete('cascade'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('effective_from', 'text', (c) => c.notNull())
    .addColumn('terms_json', 'text', (c) => c.notNull())
    .addColumn('value_minor', 'bigint', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('rebate_agreement_versions_seq_uq', ['agreement_id', 'seq'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('rebate_agreement_versions').execute();
}
