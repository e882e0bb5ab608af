import type { Kysely } from 'kysely';

/** Response and resolution targets per request type and priority, in working minutes. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('service_levels')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('priority', 'text', (c) => c.notNull())
    .addColumn('response_minutes', 'integer', (c) => c.notNull())
    .addColumn('resolution_minutes', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addUniqueConstraint('service_levels_type_priority_uq', ['type', 'priority'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('service_levels').execute();
}
