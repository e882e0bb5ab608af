import { openConfiguredDatabase } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';
import { formatDemoSignIns, isDatabaseEmpty, seedDemoWorld } from '../modules/demo/demo.seed.js';
import { buildApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { pgBossJobs } from './jobs.js';
import pino from 'pino';

/** Starts the server: config, database, migrations, listen; closes gracefully on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  const config = loadConfig();
  const db = openConfiguredDatabase(config);
  const applied = await migrateToLatest(db);
  // On PostgreSQL the job queue is pg-boss, shared by every server process; on SQLite, in process.
  const jobs = config.databaseUrl ? await pgBossJobs(config.databaseUrl, pino({ level: config.logLevel }), { schema: config.pgBossSchema }) : undefined;
  const app = await buildApp(config, db, { jobs });
  if (applied.length) app.log.info({ applied }, 'migrations applied');
  // The embedded default: a fresh database gets the demo world unless turned off.
  if (config.demo && !process.argv.includes('--no-demo') && (await isDatabaseEmpty(db))) {
    const started = performance.now();
    const summary = await seedDemoWorld(db);
    app.log.info({ ms: Math.round(performance.now() - started), counts: summary.counts }, 'demo world seeded');
    process.stdout.write(`${formatDemoSignIns(summary)}\n`);
  }

  let closing = false;
  const close = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    const timer = setTimeout(() => process.exit(1), 10_000).unref();
    await app.close();
    await db.destroy();
    clearTimeout(timer);
    process.exit(0);
  };
  process.on('SIGTERM', () => void close('SIGTERM'));
  process.on('SIGINT', () => void close('SIGINT'));

  await app.listen({ port: config.port, host: config.host });
  app.log.info(`OpenKAM on http://localhost:${config.port} (${db.dialect === 'sqlite' ? config.sqliteFile : 'PostgreSQL'})`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof ConfigError ? err.message : err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
