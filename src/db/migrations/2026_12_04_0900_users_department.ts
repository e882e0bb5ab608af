import type { Kysely } from 'kysely';

// The department a member of staff works in (logistics, quality, finance, technical, management):
// the service queue they take requests from. Unset for people outside a department.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').addColumn('department', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').dropColumn('department').execute();
}
