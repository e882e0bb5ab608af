import type { Kysely } from 'kysely';

// One row that /readyz rewrites in place: a real write through the same path as every change
// (WAL and fsync on SQLite, a committed transaction on PostgreSQL), without growing the database.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('readiness_probe')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('checked_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('readiness_probe').execute();
}
