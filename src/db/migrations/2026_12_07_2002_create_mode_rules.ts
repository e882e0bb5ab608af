import type { Kysely } from 'kysely';

/**
 * Seasonal mode rules of a lane: use `to_mode` instead of `from_mode` from `from_day` to `to_day`
 * (MM-DD, inclusive, every year; a period may run over the new year). `status`: proposed,
 * approved (the lane's plan for the period), rejected, or superseded (an approved rule replaced
 * by a later approval overlapping it; `superseded_by` names it). `figures_json` keeps the
 * figures and their arithmetic as they were when proposed, so a decision can be read later
 * against what was shown.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('mode_rules')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('lane_id', 'text', (c) => c.notNull().references('lanes.id').onDelete('cascade'))
    .addColumn('from_mode', 'text', (c) => c.notNull())
    .addColumn('to_mode', 'text', (c) => c.notNull())
    .addColumn('from_day', 'text', (c) => c.notNull())
    .addColumn('to_day', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('figures_json', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('proposed_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('proposed_at', 'text', (c) => c.notNull())
    .addColumn('decided_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('decided_at', 'text')
    .addColumn('reason', 'text')
    .addColumn('superseded_by', 'text')
    .addColumn('superseded_at', 'text')
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('mode_rules_lane_idx').on('mode_rules').columns(['lane_id', 'status']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('mode_rules').execute();
}
