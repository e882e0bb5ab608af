import type { Kysely } from 'kysely';

// When a session was last used, for the idle timeout. Sessions open at the upgrade count as used
// then: their real last use is unknown, and ending them all at once would sign everyone out.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('sessions').addColumn('last_seen_at', 'text').execute();
  await db.updateTable('sessions').set({ last_seen_at: new Date().toISOString() }).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('sessions').dropColumn('last_seen_at').execute();
}
