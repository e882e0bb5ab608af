import { type Kysely, sql } from 'kysely';

// Account × month × currency totals (the rollups without the product category), kept up to date
// with sales_rollups in the same transactions: segmentation over all categories reads one row per
// account and month instead of one per category.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('sales_account_months')
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('month', 'text', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('revenue_minor', 'bigint', (c) => c.notNull())
    .addColumn('cost_minor', 'bigint', (c) => c.notNull())
    .addColumn('costed_revenue_minor', 'bigint', (c) => c.notNull())
    .addColumn('quantity', 'double precision', (c) => c.notNull())
    .addColumn('lines', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('sales_account_months_pk', ['account_id', 'month', 'currency'])
    .execute();
  // Segmentation reads one currency over a window of months: answered from this index alone.
  await db.schema.createIndex('sales_account_months_cover_idx').on('sales_account_months')
    .columns(['currency', 'month', 'account_id', 'revenue_minor', 'cost_minor', 'costed_revenue_minor']).execute();
  await sql`insert into sales_account_months (account_id, month, currency, revenue_minor, cost_minor, costed_revenue_minor, quantity, lines)
    select account_id, month, currency, sum(revenue_minor), sum(cost_minor), sum(costed_revenue_minor), sum(quantity), sum(lines)
    from sales_rollups group by account_id, month, currency`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('sales_account_months').execute();
}
