import type { Kysely } from 'kysely';

// The customer group an account is priced with (price lists scoped to a group, e.g. "key-accounts",
// "wholesale"). Unset: the account is priced by its own, its territory's and the national lists.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('accounts').addColumn('price_group', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('accounts').dropColumn('price_group').execute();
}
