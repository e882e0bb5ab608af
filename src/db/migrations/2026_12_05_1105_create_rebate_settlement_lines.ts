import type { Kysely } from 'kysely';

/** The lines of a settlement's credit note: per covered account, the basis and its share (largest remainder). */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('rebate_settlement_lines')
    .addColumn('settlement_id', 'text', (c) => c.notNull().references('rebate_settlements.id').onDelete('cascade'))
    .addColumn('line_no', 'integer', (c) => c.notNull())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('basis', 'bigint', (c) => c.notNull())
    .addColumn('amount_minor', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('rebate_settlement_lines_pk', ['settlement_id', 'line_no'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('rebate_settlement_lines').execute();
}
