import type { Kysely } from 'kysely';

/**
 * Price lists: a scope (one account, a customer group, a territory, or everyone), a currency, a
 * priority, a validity [valid_from, valid_to) of dates (valid_to exclusive, null: open-ended) and a
 * break mode (all-units or graduated) for the quantity breaks of its items.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('price_lists')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('scope_kind', 'text', (c) => c.notNull())
    .addColumn('scope_value', 'text')
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('priority', 'integer', (c) => c.notNull())
    .addColumn('valid_from', 'text', (c) => c.notNull())
    .addColumn('valid_to', 'text')
    .addColumn('break_mode', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('price_lists_scope_idx').on('price_lists').columns(['scope_kind', 'scope_value']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('price_lists').execute();
}
