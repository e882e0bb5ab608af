import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('sales_lines')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('doc_no', 'text', (c) => c.notNull())
    .addColumn('line_no', 'integer', (c) => c.notNull())
    .addColumn('date', 'text', (c) => c.notNull())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('product_id', 'text', (c) => c.notNull().references('products.id'))
    .addColumn('quantity', 'double precision', (c) => c.notNull())
    .addColumn('net_amount_minor', 'bigint', (c) => c.notNull())
    .addColumn('cost_amount_minor', 'bigint')
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('sales_lines_doc_line_uq', ['doc_no', 'line_no'])
    .execute();
  await db.schema.createIndex('sales_lines_account_date_idx').on('sales_lines').columns(['account_id', 'date']).execute();
  await db.schema.createIndex('sales_lines_date_idx').on('sales_lines').column('date').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('sales_lines').execute();
}
