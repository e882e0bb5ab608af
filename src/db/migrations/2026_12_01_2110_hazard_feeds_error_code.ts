import type { Kysely } from 'kysely';

// A failed feed poll is stored as a generic reason with a stable code (what went wrong upstream
// goes to the server log only), so clients switch on the code rather than parse the text.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('hazard_feeds').addColumn('last_error_code', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('hazard_feeds').dropColumn('last_error_code').execute();
}
