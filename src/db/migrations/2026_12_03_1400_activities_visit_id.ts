import type { Kysely } from 'kysely';

// The visit of the program an activity records (its check-in and check-out): null for an activity
// logged by hand. One activity per visit, so recording it again finds the one there is.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('activities').addColumn('visit_id', 'text').execute();
  await db.schema.createIndex('activities_visit_idx').unique().on('activities').column('visit_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('activities_visit_idx').execute();
  await db.schema.alterTable('activities').dropColumn('visit_id').execute();
}
