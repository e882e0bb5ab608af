import type { Kysely } from 'kysely';

/**
 * Whether the OTIF cells can be trusted (decision 027): `ready` once they were built from every
 * line (at once here when there is no line yet; otherwise by `otif-rebuild`), and `cn_stamp`, the
 * fingerprint of China's holiday table the cells were built with (null: none used yet). Until
 * both hold, OTIF is computed from the lines.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('otif_rollup_state')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('ready', 'integer', (c) => c.notNull())
    .addColumn('cn_stamp', 'text')
    .addColumn('built_at', 'text')
    .execute();
  const any = await db.selectFrom('order_lines').select('id').limit(1).execute();
  await db.insertInto('otif_rollup_state').values({ id: 'otif', ready: any.length ? 0 : 1, cn_stamp: null, built_at: null }).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('otif_rollup_state').execute();
}
