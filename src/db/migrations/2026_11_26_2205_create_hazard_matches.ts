import type { Kysely } from 'kysely';

// Sites inside or near an area of an active alert; a row ends (ended_at) when the match goes away.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('hazard_matches')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('thread_key', 'text', (c) => c.notNull())
    .addColumn('alert_id', 'text', (c) => c.notNull().references('hazard_alerts.id').onDelete('cascade'))
    .addColumn('area_id', 'text', (c) => c.notNull())
    .addColumn('area_label', 'text')
    .addColumn('site_id', 'text', (c) => c.notNull().references('sites.id').onDelete('cascade'))
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('inside', 'integer', (c) => c.notNull())
    .addColumn('distance_m', 'double precision', (c) => c.notNull())
    .addColumn('first_matched_at', 'text', (c) => c.notNull())
    .addColumn('last_seen_at', 'text', (c) => c.notNull())
    .addColumn('ended_at', 'text')
    .addColumn('end_reason', 'text')
    .execute();
  await db.schema.createIndex('hazard_matches_open_idx').on('hazard_matches').columns(['ended_at', 'thread_key', 'site_id']).execute();
  await db.schema.createIndex('hazard_matches_account_idx').on('hazard_matches').column('account_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('hazard_matches').execute();
}
