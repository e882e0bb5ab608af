import type { Kysely } from 'kysely';

/**
 * Orders of a dealer and month with unsettled lines (decision 027), so the per-order rate can be
 * completed as of the evaluation date: the flags of the order's settled lines (1 counted, 2 not all
 * on time, 4 not all in full, 8 some quantity unknown, 16 not all OTIF) and the first day one of
 * its unsettled lines with a known (`due_known`) or unknown (`due_unknown`) quantity is overdue.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('otif_open_orders')
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('month', 'text', (c) => c.notNull())
    .addColumn('order_no', 'text', (c) => c.notNull())
    .addColumn('flags', 'integer', (c) => c.notNull())
    .addColumn('due_known', 'text')
    .addColumn('due_unknown', 'text')
    .addPrimaryKeyConstraint('otif_open_orders_pk', ['account_id', 'month', 'order_no'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('otif_open_orders').execute();
}
