import type { Kysely } from 'kysely';

// When an import's uploaded file was removed (the job ended, or was left past the upload age): the
// job stays as a record, and asking to run it again says the file is gone rather than failing on it.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('import_jobs').addColumn('file_removed_at', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('import_jobs').dropColumn('file_removed_at').execute();
}
