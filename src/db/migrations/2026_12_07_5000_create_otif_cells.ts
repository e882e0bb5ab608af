import type { Kysely } from 'kysely';

/**
 * OTIF pre-aggregated per dealer and month of promise (decision 027): the counters of the settled
 * lines (complete or cancelled), which no evaluation date changes; lateness values with their
 * counts as text "days:count,…" (the exact quantiles need the values, and one row per value would
 * multiply the rows a query reads); and the tally of the orders whose lines are all settled.
 * Kept up to date in the transaction of every write of lines or terms.
 */
export async function up(db: Kysely<any>): Promise<void> {
  let t = db.schema.createTable('otif_cells')
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('month', 'text', (c) => c.notNull());
  for (const col of ['counted', 'on_time', 'in_full_known', 'in_full', 'otif', 'v_lines', 'v_ordered', 'v_on_time', 'v_in_full', 'v_otif',
    'cancelled', 'cancelled_late', 'o_counted', 'o_on_time', 'o_in_full_known', 'o_in_full', 'o_otif']) {
    t = t.addColumn(col, 'bigint', (c) => c.notNull());
  }
  await t.addColumn('lateness', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('otif_cells_pk', ['account_id', 'month'])
    .execute();
  await db.schema.createIndex('otif_cells_month_idx').on('otif_cells').columns(['month', 'account_id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('otif_cells').execute();
}
