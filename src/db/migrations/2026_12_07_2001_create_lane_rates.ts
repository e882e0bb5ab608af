import type { Kysely } from 'kysely';

/**
 * A lane's rate table: a price per tonne (integer minor units of `currency`) for a mode, valid
 * from `valid_from` to `valid_to` inclusive (YYYY-MM-DD; null: open). Lines of one lane and mode
 * never overlap (checked by the service), so the rate of a day is never a choice.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('lane_rates')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('lane_id', 'text', (c) => c.notNull().references('lanes.id').onDelete('cascade'))
    .addColumn('mode', 'text', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('per_tonne_minor', 'bigint', (c) => c.notNull())
    .addColumn('valid_from', 'text', (c) => c.notNull())
    .addColumn('valid_to', 'text')
    .addColumn('note', 'text')
    .addColumn('created_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('lane_rates_lane_idx').on('lane_rates').columns(['lane_id', 'mode', 'valid_from']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('lane_rates').execute();
}
