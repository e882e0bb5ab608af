import type { Kysely } from 'kysely';

/**
 * Per account and product VMI settings (decision 034): the policy (JSON: min/max days of supply or a
 * service level), the minimum order, the pack (null units: the product's pack size) and how far the
 * dealer may change a sent quantity when signing, in percent down and up.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('vmi_line_settings')
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('product_id', 'text', (c) => c.notNull().references('products.id').onDelete('cascade'))
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('policy_json', 'text', (c) => c.notNull())
    .addColumn('min_order', 'bigint', (c) => c.notNull())
    .addColumn('pack_units', 'integer')
    .addColumn('pack_kg', 'double precision')
    .addColumn('per_pallet', 'integer')
    .addColumn('change_down_pct', 'double precision', (c) => c.notNull())
    .addColumn('change_up_pct', 'double precision', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('vmi_line_settings_pk', ['account_id', 'product_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('vmi_line_settings').execute();
}
