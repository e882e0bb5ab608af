import type { Kysely } from 'kysely';

// Uploaded tropical-cyclone tracks, each with its agency; the parsed track is kept as JSON.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('hazard_tracks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('storm_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('agency', 'text', (c) => c.notNull())
    .addColumn('first_fix_at', 'text')
    .addColumn('last_fix_at', 'text')
    .addColumn('fix_count', 'integer', (c) => c.notNull())
    .addColumn('track_json', 'text', (c) => c.notNull())
    .addColumn('file_path', 'text')
    .addColumn('uploaded_at', 'text', (c) => c.notNull())
    .addColumn('uploaded_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('hazard_tracks').execute();
}
