import { Migrator } from 'kysely';
import type { Db } from './database.js';
import { migrationProvider } from './migrations.js';

/** Brings the schema to the latest migration; throws with the failing migration's name. */
export async function migrateToLatest(db: Db): Promise<string[]> {
  const migrator = new Migrator({ db: db.kysely, provider: migrationProvider, ...(db.schema ? { migrationTableSchema: db.schema } : {}) });
  let { error, results } = await migrator.migrateToLatest();
  // Kysely looks for its migration table by listing the tables of every schema; another schema
  // dropped during that read (another installation's, or a parallel test's) fails it with 3F000.
  // Nothing has run then (no results): the read is simply made again.
  for (let attempt = 1; attempt < 4 && error && !results && (error as { code?: string }).code === '3F000'; attempt++) {
    ({ error, results } = await migrator.migrateToLatest());
  }
  const failed = results?.find((r) => r.status === 'Error');
  if (error) {
    // Not a migration's fault (the database cannot be reached, or is read-only): the error as it is.
    if (!failed) throw error;
    // The cause keeps the database's code (SQLITE_READONLY, 57P01…) for whoever classifies the failure.
    throw new Error(`migration ${failed.migrationName} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
