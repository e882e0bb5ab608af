import type { Kysely } from 'kysely';

// Polygons of CAP geocodes (valueName + value), imported from GeoJSON, for geocode-only areas.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('hazard_geocodes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('value_name', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('name', 'text')
    .addColumn('geometry_json', 'text', (c) => c.notNull())
    .addColumn('imported_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('hazard_geocodes_key_uq', ['value_name', 'value'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('hazard_geocodes').execute();
}
