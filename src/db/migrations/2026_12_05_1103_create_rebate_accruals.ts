import type { Kysely } from 'kysely';

/**
 * Monthly accruals: per agreement and month, the basis to the month's end, the rebate earned to
 * then under the stated policy, the month's accrual (the change) and the version that produced it.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('rebate_accruals')
    .addColumn('agreement_id', 'text', (c) => c.notNull().references('rebate_agreements.id').onDelete('cascade'))
    .addColumn('month', 'text', (c) => c.notNull())
    .addColumn('version_id', 'text', (c) => c.notNull().references('rebate_agreement_versions.id'))
    .addColumn('policy', 'text', (c) => c.notNull())
    .addColumn('basis', 'bigint', (c) => c.notNull())
    .addColumn('tier_index', 'integer', (c) => c.notNull())
    .addColumn('earned_to_date_minor', 'bigint', (c) => c.notNull())
    .addColumn('accrued_minor', 'bigint', (c) => c.notNull())
    .addColumn('computed_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('rebate_accruals_pk', ['agreement_id', 'month'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('rebate_accruals').execute();
}
