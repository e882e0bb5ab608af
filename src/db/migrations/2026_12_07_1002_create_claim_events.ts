import type { Kysely } from 'kysely';

/**
 * What happened to a claim: filed, each change of status (who, when, from, to, reason), evidence
 * added, investigation notes. `internal` = 1 rows (notes of the investigation) never reach the portal.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('claim_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('claim_id', 'text', (c) => c.notNull().references('claims.id').onDelete('cascade'))
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('from_status', 'text')
    .addColumn('to_status', 'text')
    .addColumn('reason', 'text')
    .addColumn('internal', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('claim_events_claim_idx').on('claim_events').columns(['claim_id', 'at']).execute();
  await db.schema.createIndex('claim_events_account_idx').on('claim_events').columns(['account_id', 'at', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('claim_events').execute();
}
