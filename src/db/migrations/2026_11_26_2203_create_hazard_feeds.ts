import type { Kysely } from 'kysely';

// Configured CAP feeds (a CAP document, or Atom/RSS of CAP entries) polled on a schedule.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('hazard_feeds')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull().unique())
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('last_polled_at', 'text')
    .addColumn('last_status', 'text')
    .addColumn('last_error', 'text')
    .addColumn('last_new_alerts', 'integer', (c) => c.notNull())
    .addColumn('seen_json', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('hazard_feeds').execute();
}
