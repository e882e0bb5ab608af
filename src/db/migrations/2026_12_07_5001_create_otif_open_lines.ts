import type { Kysely } from 'kysely';

/**
 * Order lines whose OTIF outcome depends on the evaluation date (open, or delivered without a
 * delivery, and not complete; decision 027): not due before `overdue_from`, an overdue failure
 * from that day on (the first day after the window end on the dealer's calendar, so a query
 * compares dates). `ordered_qty` is 0 when the quantity is unknown (`qty_known` 0).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('otif_open_lines')
    .addColumn('line_id', 'text', (c) => c.primaryKey().references('order_lines.id').onDelete('cascade'))
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('month', 'text', (c) => c.notNull())
    .addColumn('order_no', 'text', (c) => c.notNull())
    .addColumn('overdue_from', 'text', (c) => c.notNull())
    .addColumn('qty_known', 'integer', (c) => c.notNull())
    .addColumn('ordered_qty', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('otif_open_lines_cell_idx').on('otif_open_lines').columns(['account_id', 'month']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('otif_open_lines').execute();
}
