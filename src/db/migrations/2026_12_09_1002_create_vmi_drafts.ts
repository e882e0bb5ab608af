import type { Kysely } from 'kysely';

/**
 * The week's suggested order of an account (decision 034): numbered VMI-YYYY-NNNNN, drafted as of a
 * date, reviewed and sent by the rep, signed or rejected by the dealer before `expires_at`.
 * `version` is the optimistic lock every edit moves and a signature names. The suggestion's
 * arrival, notes (internal) and exceptions are kept as drafted; `order_no` links the delivery order.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('vmi_drafts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('number', 'text', (c) => c.notNull().unique())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('site_id', 'text')
    .addColumn('as_of', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('arrival', 'text', (c) => c.notNull())
    .addColumn('next_visit', 'text', (c) => c.notNull())
    .addColumn('next_arrival', 'text', (c) => c.notNull())
    .addColumn('protection_days', 'integer', (c) => c.notNull())
    .addColumn('lead_time_days', 'integer', (c) => c.notNull())
    .addColumn('load_json', 'text', (c) => c.notNull())
    .addColumn('notes_json', 'text', (c) => c.notNull())
    .addColumn('exceptions_json', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text')
    .addColumn('sent_by', 'text')
    .addColumn('sent_at', 'text')
    .addColumn('decided_at', 'text')
    .addColumn('cancel_reason', 'text')
    .addColumn('order_no', 'text')
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('vmi_drafts_account_idx').on('vmi_drafts').columns(['account_id', 'status', 'created_at']).execute();
  await db.schema.createIndex('vmi_drafts_status_idx').on('vmi_drafts').columns(['status', 'created_at', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('vmi_drafts').execute();
}
