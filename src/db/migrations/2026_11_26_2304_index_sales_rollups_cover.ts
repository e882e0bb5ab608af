import type { Kysely } from 'kysely';

// Segmentation reads one currency over a window of months for every account: a covering index
// answers it from the index alone, whatever the number of sales lines behind the rollups.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('sales_rollups_cover_idx').on('sales_rollups')
    .columns(['currency', 'month', 'account_id', 'category', 'revenue_minor', 'cost_minor', 'costed_revenue_minor']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('sales_rollups_cover_idx').execute();
}
