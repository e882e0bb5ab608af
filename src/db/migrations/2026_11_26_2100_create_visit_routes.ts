import type { Kysely } from 'kysely';

// A named route: the ordered stops of one manager on one weekday, starting and ending at a base.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('visit_routes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('manager_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('weekday', 'text', (c) => c.notNull())
    .addColumn('time_zone', 'text', (c) => c.notNull())
    .addColumn('base_label', 'text')
    .addColumn('base_lat', 'double precision', (c) => c.notNull())
    .addColumn('base_lng', 'double precision', (c) => c.notNull())
    .addColumn('day_start', 'text', (c) => c.notNull())
    .addColumn('day_end', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('visit_routes_manager_idx').on('visit_routes').columns(['manager_id', 'weekday']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('visit_routes').execute();
}
