import type { Kysely } from 'kysely';

// Stored CAP alerts, deduplicated by sender + identifier + sent; the parsed alert is kept as JSON.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('hazard_alerts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('sender', 'text', (c) => c.notNull())
    .addColumn('identifier', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text', (c) => c.notNull())
    .addColumn('sent_text', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('msg_type', 'text', (c) => c.notNull())
    .addColumn('thread_key', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('headline', 'text')
    .addColumn('event', 'text')
    .addColumn('severity', 'text')
    .addColumn('urgency', 'text')
    .addColumn('certainty', 'text')
    .addColumn('languages', 'text', (c) => c.notNull())
    .addColumn('alert_json', 'text', (c) => c.notNull())
    .addColumn('warnings_json', 'text')
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('feed_id', 'text')
    .addColumn('file_path', 'text')
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addColumn('received_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addUniqueConstraint('hazard_alerts_key_uq', ['sender', 'identifier', 'sent_at'])
    .execute();
  await db.schema.createIndex('hazard_alerts_expires_idx').on('hazard_alerts').column('expires_at').execute();
  await db.schema.createIndex('hazard_alerts_thread_idx').on('hazard_alerts').column('thread_key').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('hazard_alerts').execute();
}
