import type { Db } from '../src/db/database.js';

const tables = ['users', 'teams', 'territories', 'accounts', 'account_team', 'contacts', 'sites', 'products', 'activities', 'sales_lines', 'audit_log', 'api_tokens'] as const;

/** Every row of every business table, to assert that a refused request changed nothing. */
export async function snapshot(db: Db): Promise<string> {
  const out: Record<string, unknown[]> = {};
  for (const t of tables) out[t] = await (db.kysely as any).selectFrom(t).selectAll().execute().then((rows: Record<string, unknown>[]) =>
    rows.map((r) => JSON.stringify(r)).sort());
  return JSON.stringify(out);
}
