/** `npm run migrate`: applies pending migrations to the configured database and exits. */
import { loadConfig } from '../server/config.js';
import { openConfiguredDatabase } from './database.js';
import { migrateToLatest } from './migrate.js';

const config = loadConfig();
const db = openConfiguredDatabase(config);
try {
  const applied = await migrateToLatest(db);
  process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'already up to date\n');
} catch (err) {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
} finally {
  await db.destroy();
}
