import type { Kysely } from 'kysely';

/** The accounts an agreement covers (one, or a group whose volume is pooled). */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('rebate_agreement_accounts')
    .addColumn('agreement_id', 'text', (c) => c.notNull().references('rebate_agreements.id').onDelete('cascade'))
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('rebate_agreement_accounts_pk', ['agreement_id', 'account_id'])
    .execute();
  await db.schema.createIndex('rebate_agreement_accounts_account_idx').on('rebate_agreement_accounts').columns(['account_id', 'agreement_id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('rebate_agreement_accounts').execute();
}
