import type { Kysely } from 'kysely';

/**
 * Requests and escalations into the company's departments: who asked (a manager, or the dealer in
 * the portal), what about, the department queue it sits in, who took it, its state, and its
 * service-level clocks (due instants in UTC, computed on the department's working calendar).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('service_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('number', 'text', (c) => c.notNull().unique())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('service_kind_id', 'text', (c) => c.references('service_kinds.id'))
    .addColumn('department', 'text', (c) => c.notNull())
    .addColumn('priority', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('opened_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('opened_via', 'text', (c) => c.notNull())
    .addColumn('assignee_id', 'text', (c) => c.references('users.id'))
    .addColumn('escalation_level', 'integer', (c) => c.notNull())
    .addColumn('response_minutes', 'integer', (c) => c.notNull())
    .addColumn('resolution_minutes', 'integer', (c) => c.notNull())
    .addColumn('response_due_at', 'text', (c) => c.notNull())
    .addColumn('resolution_due_at', 'text', (c) => c.notNull())
    // The nearer target still running (the response while unanswered, else the resolution) and the
    // instant it is "due soon": the queue filters and sorts by these without computing the clock.
    .addColumn('next_due_at', 'text', (c) => c.notNull())
    .addColumn('warn_at', 'text', (c) => c.notNull())
    .addColumn('first_response_at', 'text')
    .addColumn('waiting_since', 'text')
    .addColumn('paused_json', 'text', (c) => c.notNull())
    .addColumn('sla_state', 'text', (c) => c.notNull())
    .addColumn('warned_at', 'text')
    .addColumn('breached_at', 'text')
    .addColumn('resolved_at', 'text')
    .addColumn('closed_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();
  // The queue: a department's requests in due order (keyset on next_due_at, id), read in index order.
  await db.schema.createIndex('service_requests_queue_idx').on('service_requests').columns(['department', 'next_due_at', 'id']).execute();
  // The queue counts, read from the index alone.
  await db.schema.createIndex('service_requests_counts_idx').on('service_requests').columns(['status', 'department', 'next_due_at', 'warn_at', 'sla_state', 'assignee_id']).execute();
  await db.schema.createIndex('service_requests_account_idx').on('service_requests').columns(['account_id', 'created_at']).execute();
  await db.schema.createIndex('service_requests_clock_idx').on('service_requests').columns(['sla_state', 'warn_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('service_requests').execute();
}
