import type { Kysely } from 'kysely';

// Why a job that failed without an error file failed, as a stable code (file_too_complex,
// file_malformed, internal …) beside its English message, so the web app can say it in the user's language.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('import_jobs').addColumn('error_code', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('import_jobs').dropColumn('error_code').execute();
}
