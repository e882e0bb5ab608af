import type { Kysely } from 'kysely';

// One row (id 1) once sales_rollups and sales_account_months hold every sales line: written in the
// same transaction as a build of all of them from the lines, so its presence is proof, and its
// absence (lines written around the sales module, as the demo world did, or rollups left partial by
// an earlier version that only rebuilt them when they were empty) means "rebuild before use".
// Not inserted here: a database migrated from before it is rebuilt once, at its first use.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('sales_rollup_state').addColumn('id', 'integer', (c) => c.primaryKey()).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('sales_rollup_state').execute();
}
