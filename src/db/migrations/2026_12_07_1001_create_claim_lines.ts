import type { Kysely } from 'kysely';

/** The order lines (and, when known, the shipment of each) a claim is about. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('claim_lines')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('claim_id', 'text', (c) => c.notNull().references('claims.id').onDelete('cascade'))
    .addColumn('order_line_id', 'text', (c) => c.notNull().references('order_lines.id').onDelete('cascade'))
    .addColumn('shipment_id', 'text', (c) => c.references('shipments.id').onDelete('set null'))
    .execute();
  await db.schema.createIndex('claim_lines_claim_idx').on('claim_lines').columns(['claim_id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('claim_lines').execute();
}
