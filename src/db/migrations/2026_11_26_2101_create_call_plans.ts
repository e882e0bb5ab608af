import type { Kysely } from 'kysely';

// A call plan: one account's (and site's) recurring visit slot, an RFC 5545 RRULE in a time zone.
// The slot's parts are kept beside the rule text so queries and the planners need no parsing.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('call_plans')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('site_id', 'text', (c) => c.references('sites.id').onDelete('set null'))
    .addColumn('manager_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('route_id', 'text', (c) => c.references('visit_routes.id').onDelete('set null'))
    .addColumn('route_position', 'integer')
    .addColumn('rrule', 'text', (c) => c.notNull())
    .addColumn('time_zone', 'text', (c) => c.notNull())
    .addColumn('weekday', 'text', (c) => c.notNull())
    .addColumn('start_time', 'text', (c) => c.notNull())
    .addColumn('duration_minutes', 'integer', (c) => c.notNull())
    .addColumn('interval_weeks', 'integer', (c) => c.notNull())
    .addColumn('anchor_date', 'text', (c) => c.notNull())
    .addColumn('ends_on', 'text')
    .addColumn('time_fixed', 'integer', (c) => c.notNull())
    .addColumn('tolerance_minutes', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('call_plans_account_idx').on('call_plans').column('account_id').execute();
  await db.schema.createIndex('call_plans_manager_idx').on('call_plans').columns(['manager_id', 'weekday']).execute();
  await db.schema.createIndex('call_plans_route_idx').on('call_plans').column('route_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('call_plans').execute();
}
