import type { Kysely } from 'kysely';

// Exposure of a site: coastline distance (for the coordinates it was computed at), flood-prone,
// inventory value and insurance. One row per site, created on first write.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('site_risk')
    .addColumn('site_id', 'text', (c) => c.primaryKey().references('sites.id').onDelete('cascade'))
    .addColumn('coast_distance_m', 'double precision')
    .addColumn('coast_lat', 'double precision')
    .addColumn('coast_lng', 'double precision')
    .addColumn('flood_prone', 'integer', (c) => c.notNull())
    .addColumn('company_site', 'integer', (c) => c.notNull())
    .addColumn('inventory_value_minor', 'bigint')
    .addColumn('inventory_currency', 'text')
    .addColumn('insurance_status', 'text', (c) => c.notNull())
    .addColumn('insurer', 'text')
    .addColumn('policy_number', 'text')
    .addColumn('cover_minor', 'bigint')
    .addColumn('cover_currency', 'text')
    .addColumn('insurance_expires_on', 'text')
    .addColumn('refused_reason', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('site_risk').execute();
}
