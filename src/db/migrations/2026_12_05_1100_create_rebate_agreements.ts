import type { Kysely } from 'kysely';

/**
 * Rebate agreements: a customer (one account or a group of accounts) earns a rebate on its
 * volume over a period [period_start, period_end) of invoice dates. The terms live in versions.
 * status: draft → pending_approval (above the approval threshold) → active.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('rebate_agreements')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('number', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('period_start', 'text', (c) => c.notNull())
    .addColumn('period_end', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('settlement_dates_json', 'text', (c) => c.notNull())
    .addColumn('expected_basis', 'bigint', (c) => c.notNull())
    .addColumn('internal_note', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('approved_by', 'text', (c) => c.references('users.id'))
    .addColumn('approved_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('rebate_agreements_status_idx').on('rebate_agreements').columns(['status', 'period_end']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('rebate_agreements').execute();
}
