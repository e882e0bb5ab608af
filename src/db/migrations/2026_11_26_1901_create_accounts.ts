import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('accounts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('parent_id', 'text', (c) => c.references('accounts.id'))
    .addColumn('owner_id', 'text', (c) => c.references('users.id'))
    .addColumn('territory_id', 'text', (c) => c.references('territories.id'))
    .addColumn('province', 'text')
    .addColumn('city', 'text')
    .addColumn('tier', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();
  for (const col of ['owner_id', 'parent_id', 'territory_id', 'province', 'tier', 'name']) {
    await db.schema.createIndex(`accounts_${col}_idx`).on('accounts').column(col).execute();
  }

  await db.schema
    .createTable('account_team')
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('role', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('account_team_pk', ['account_id', 'user_id'])
    .execute();
  await db.schema.createIndex('account_team_user_idx').on('account_team').column('user_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('account_team').execute();
  await db.schema.dropTable('accounts').execute();
}
