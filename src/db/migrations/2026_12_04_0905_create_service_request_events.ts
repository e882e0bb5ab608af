import type { Kysely } from 'kysely';

/**
 * What happened on a request, in order: messages (to the customer or internal), status changes,
 * assignment, escalation, service-level warnings and breaches. `internal` rows never reach a dealer.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('service_request_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('request_id', 'text', (c) => c.notNull().references('service_requests.id').onDelete('cascade'))
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('internal', 'integer', (c) => c.notNull())
    .addColumn('body', 'text')
    .addColumn('from_status', 'text')
    .addColumn('to_status', 'text')
    .addColumn('author_id', 'text')
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('service_request_events_request_idx').on('service_request_events').columns(['request_id', 'at']).execute();
  await db.schema.createIndex('service_request_events_account_idx').on('service_request_events').columns(['account_id', 'at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('service_request_events').execute();
}
