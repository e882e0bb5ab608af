import type { Kysely } from 'kysely';

/**
 * What a customer is promised: a quantity of one service per period, granted to a tier, to one
 * account, or by an agreement with one account; consumed on request or on delivery; carried over
 * or not; optionally only inside peak-season windows (JSON list of {from:"MM-DD",to:"MM-DD"}).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('service_entitlements')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('service_kind_id', 'text', (c) => c.notNull().references('service_kinds.id'))
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('tier', 'text')
    .addColumn('account_id', 'text', (c) => c.references('accounts.id').onDelete('cascade'))
    .addColumn('agreement_ref', 'text')
    .addColumn('quantity', 'integer', (c) => c.notNull())
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('consumed_on', 'text', (c) => c.notNull())
    .addColumn('carry_over', 'integer', (c) => c.notNull())
    .addColumn('peak_windows_json', 'text')
    .addColumn('valid_from', 'text', (c) => c.notNull())
    .addColumn('valid_to', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('service_entitlements_kind_idx').on('service_entitlements').columns(['service_kind_id', 'scope']).execute();
  await db.schema.createIndex('service_entitlements_account_idx').on('service_entitlements').columns(['account_id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('service_entitlements').execute();
}
