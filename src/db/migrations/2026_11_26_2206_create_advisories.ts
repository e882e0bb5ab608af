import type { Kysely } from 'kysely';

// One advisory per warning chain and site: open → contacted → actioned → closed (with outcome).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('advisories')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('thread_key', 'text', (c) => c.notNull())
    .addColumn('alert_id', 'text', (c) => c.notNull().references('hazard_alerts.id').onDelete('cascade'))
    .addColumn('site_id', 'text', (c) => c.notNull().references('sites.id').onDelete('cascade'))
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('manager_id', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('hazard_state', 'text', (c) => c.notNull())
    .addColumn('hazard_ended_at', 'text')
    .addColumn('headline', 'text')
    .addColumn('inside', 'integer', (c) => c.notNull())
    .addColumn('distance_m', 'double precision', (c) => c.notNull())
    .addColumn('value_at_risk_minor', 'bigint')
    .addColumn('currency', 'text')
    .addColumn('proposal_json', 'text', (c) => c.notNull())
    .addColumn('contacted_at', 'text')
    .addColumn('contact_channel', 'text')
    .addColumn('contact_notes', 'text')
    .addColumn('dealer_decision', 'text')
    .addColumn('action_taken', 'text')
    .addColumn('actioned_at', 'text')
    .addColumn('closed_at', 'text')
    .addColumn('closed_reason', 'text')
    .addColumn('value_saved_minor', 'bigint')
    .addColumn('losses_minor', 'bigint')
    .addColumn('moving_cost_minor', 'bigint')
    .addColumn('outcome_currency', 'text')
    .addColumn('outcome_notes', 'text')
    .addColumn('email_status', 'text')
    .addColumn('webhook_status', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addUniqueConstraint('advisories_thread_site_uq', ['thread_key', 'site_id'])
    .execute();
  await db.schema.createIndex('advisories_account_idx').on('advisories').column('account_id').execute();
  await db.schema.createIndex('advisories_manager_idx').on('advisories').column('manager_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('advisories').execute();
}
