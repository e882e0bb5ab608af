import type { Kysely } from 'kysely';

/**
 * An alert raised when an observed competitor price undercuts our pocket price for that account by
 * more than the set share (`share_bp`, basis points, against `threshold_bp` at the time).
 * `status`: open, acknowledged.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('undercut_alerts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('observation_id', 'text', (c) => c.notNull().references('competitor_observations.id').onDelete('cascade'))
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('product_id', 'text', (c) => c.notNull().references('products.id'))
    .addColumn('competitor', 'text', (c) => c.notNull())
    .addColumn('competitor_unit_minor', 'bigint', (c) => c.notNull())
    .addColumn('pocket_unit_minor', 'bigint', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('share_bp', 'integer', (c) => c.notNull())
    .addColumn('threshold_bp', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('raised_at', 'text', (c) => c.notNull())
    .addColumn('acknowledged_at', 'text')
    .addColumn('acknowledged_by', 'text')
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('undercut_alerts_account_idx').on('undercut_alerts').columns(['account_id', 'status', 'raised_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('undercut_alerts').execute();
}
