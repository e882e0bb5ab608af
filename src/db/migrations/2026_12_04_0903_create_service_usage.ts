import type { Kysely } from 'kysely';

/**
 * The ledger of services taken and delivered: each row one use of a service by an account, the
 * entitlement and period it was counted against (none: beyond the entitlement), and its cost.
 * `status`: taken (counted, not yet delivered), delivered (cost incurred), released (given back).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('service_usage')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('service_kind_id', 'text', (c) => c.notNull().references('service_kinds.id'))
    .addColumn('entitlement_id', 'text', (c) => c.references('service_entitlements.id').onDelete('set null'))
    .addColumn('period_key', 'text')
    .addColumn('quantity', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('cost_minor', 'bigint', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('request_id', 'text')
    .addColumn('reference', 'text')
    .addColumn('note', 'text')
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('delivered_at', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('service_usage_balance_idx').on('service_usage').columns(['account_id', 'service_kind_id', 'period_key', 'status']).execute();
  await db.schema.createIndex('service_usage_request_idx').on('service_usage').columns(['request_id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('service_usage').execute();
}
