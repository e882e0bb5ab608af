import type { Kysely } from 'kysely';

// Visits: occurrences of call plans, one per plan and local occurrence date (materialising twice is a no-op).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('visits')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('plan_id', 'text', (c) => c.notNull().references('call_plans.id').onDelete('cascade'))
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('site_id', 'text', (c) => c.references('sites.id').onDelete('set null'))
    .addColumn('manager_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('occurrence_date', 'text', (c) => c.notNull())
    .addColumn('scheduled_start', 'text', (c) => c.notNull())
    .addColumn('scheduled_end', 'text', (c) => c.notNull())
    .addColumn('time_zone', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('tolerance_minutes', 'integer', (c) => c.notNull())
    .addColumn('check_in_at', 'text')
    .addColumn('check_in_lat', 'double precision')
    .addColumn('check_in_lng', 'double precision')
    .addColumn('check_in_distance_m', 'integer')
    .addColumn('check_out_at', 'text')
    .addColumn('check_out_lat', 'double precision')
    .addColumn('check_out_lng', 'double precision')
    .addColumn('check_out_distance_m', 'integer')
    .addColumn('punctuality', 'text')
    .addColumn('missed_reason', 'text')
    .addColumn('moved_from', 'text')
    .addColumn('moved_contact_id', 'text', (c) => c.references('contacts.id').onDelete('set null'))
    .addColumn('moved_note', 'text')
    .addColumn('outcome_notes', 'text')
    .addColumn('order_amount_minor', 'bigint')
    .addColumn('order_currency', 'text')
    .addColumn('issues_json', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addUniqueConstraint('visits_plan_occurrence_uq', ['plan_id', 'occurrence_date'])
    .execute();
  await db.schema.createIndex('visits_manager_start_idx').on('visits').columns(['manager_id', 'scheduled_start']).execute();
  await db.schema.createIndex('visits_account_idx').on('visits').column('account_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('visits').execute();
}
