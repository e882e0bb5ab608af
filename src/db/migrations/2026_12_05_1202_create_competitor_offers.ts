import type { Kysely } from 'kysely';

/**
 * A competitor's offer to an account and what the company did about it: the concession-vs-value
 * comparison as it stood (`comparison_json`, every number), the recommendation, the manager's
 * decision (match, value with the chosen service, decline) and later the outcome (kept, lost, partial).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('competitor_offers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('product_id', 'text', (c) => c.notNull().references('products.id'))
    .addColumn('observation_id', 'text', (c) => c.references('competitor_observations.id').onDelete('set null'))
    .addColumn('competitor', 'text', (c) => c.notNull())
    .addColumn('offer_unit_minor', 'bigint', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('horizon_months', 'integer', (c) => c.notNull())
    .addColumn('comparison_json', 'text', (c) => c.notNull())
    .addColumn('recommendation', 'text', (c) => c.notNull())
    .addColumn('decision', 'text')
    .addColumn('alternative_id', 'text')
    .addColumn('decision_note', 'text')
    .addColumn('decided_by', 'text')
    .addColumn('decided_at', 'text')
    .addColumn('outcome', 'text')
    .addColumn('outcome_note', 'text')
    .addColumn('outcome_by', 'text')
    .addColumn('outcome_at', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('competitor_offers_account_idx').on('competitor_offers').columns(['account_id', 'created_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('competitor_offers').execute();
}
