import { type Kysely, PostgresAdapter, sql } from 'kysely';

/**
 * Sales lines get integer ids (SQLite: the rowid itself; PostgreSQL: an identity column) instead of
 * 36-character UUIDs: a sales line is imported by the million and its id appears nowhere but its
 * own URL, and the UUID cost a second B-tree (SQLite) and nearly half of the import's insert time.
 * The natural key (doc_no, line_no) stays unique. Existing lines keep their order (old ids are
 * time-ordered UUIDv7); audit entries written before keep the old ids in their record.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  await db.schema
    .createTable('sales_lines_next')
    .addColumn('id', pg ? 'bigint' : 'integer', (c) => (pg ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey()))
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
    .addUniqueConstraint('sales_lines_natural_key', ['doc_no', 'line_no'])
    .execute();
  await sql`insert into sales_lines_next (doc_no, line_no, date, account_id, product_id, quantity, net_amount_minor, cost_amount_minor, currency, created_at, updated_at)
    select doc_no, line_no, date, account_id, product_id, quantity, net_amount_minor, cost_amount_minor, currency, created_at, updated_at
    from sales_lines order by id`.execute(db);
  await db.schema.dropTable('sales_lines').execute();
  await db.schema.alterTable('sales_lines_next').renameTo('sales_lines').execute();
  await db.schema.createIndex('sales_lines_account_date_idx').on('sales_lines').columns(['account_id', 'date']).execute();
  await db.schema.createIndex('sales_lines_date_idx').on('sales_lines').column('date').execute();
}

export async function down(): Promise<void> {
  throw new Error('sales line ids cannot go back to UUIDs');
}
