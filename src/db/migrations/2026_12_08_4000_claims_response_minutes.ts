import type { Kysely } from 'kysely';

// The claim's response target in working minutes, as configured when it was filed (decision 032): the
// page shows it beside the due instant. Claims filed before have none (null).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('claims').addColumn('response_minutes', 'integer').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('claims').dropColumn('response_minutes').execute();
}
