import type { Kysely } from 'kysely';

// A work phone for staff: the dealer portal shows it with the account manager's name and e-mail
// (whom to call when a typhoon warning covers the dealer's warehouse). Unknown until entered.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').addColumn('phone', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').dropColumn('phone').execute();
}
