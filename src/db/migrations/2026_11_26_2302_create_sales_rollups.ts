import { type Kysely, sql } from 'kysely';

// Account × month × product category × currency totals of sales_lines, kept up to date in the same
// transaction as every change to sales lines, so analytics never scan the lines.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('sales_rollups')
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('month', 'text', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('revenue_minor', 'bigint', (c) => c.notNull())
    .addColumn('cost_minor', 'bigint', (c) => c.notNull())
    // Revenue of the lines that carry a cost: margin is costed revenue minus cost.
    .addColumn('costed_revenue_minor', 'bigint', (c) => c.notNull())
    .addColumn('quantity', 'double precision', (c) => c.notNull())
    .addColumn('lines', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('sales_rollups_pk', ['account_id', 'month', 'category', 'currency'])
    .execute();
  await db.schema.createIndex('sales_rollups_month_idx').on('sales_rollups').columns(['month', 'currency']).execute();
  // Lines that exist already (an upgraded installation) are rolled up once here.
  await sql`insert into sales_rollups (account_id, month, category, currency, revenue_minor, cost_minor, costed_revenue_minor, quantity, lines)
    select sl.account_id, substr(sl.date, 1, 7), p.category, sl.currency, sum(sl.net_amount_minor), coalesce(sum(sl.cost_amount_minor), 0),
      sum(case when sl.cost_amount_minor is null then 0 else sl.net_amount_minor end), sum(sl.quantity), count(*)
    from sales_lines sl join products p on p.id = sl.product_id
    group by sl.account_id, substr(sl.date, 1, 7), p.category, sl.currency`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('sales_rollups').execute();
}
