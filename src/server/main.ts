import { type DatabaseLog, type Db, openConfiguredDatabase } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';
import { probeWrite } from '../db/readiness.js';
import { classifyStorageFailure, type StorageFailureReason } from '../db/storage-errors.js';
import { formatDemoSignIns, isDatabaseEmpty, seedDemoWorld } from '../modules/demo/demo.seed.js';
import { buildApp } from './app.js';
import { type Config, ConfigError, loadConfig } from './config.js';
import { pgBossJobs } from './jobs.js';
import pino from 'pino';

const whatWentWrong: Record<StorageFailureReason | 'timeout' | 'error', string> = {
  unreachable: 'cannot reach it',
  read_only: 'it is read-only',
  storage_full: 'the disk is full',
  io_error: 'the disk reports an I/O error',
  cannot_open: 'cannot create or open the file: is the directory read-only or missing?',
  timeout: 'it does not answer',
  error: 'the write check failed',
};

/**
 * The database opened, migrated and written to once. A database the server cannot write is a
 * setting to fix, not a bug: one line naming the setting and the database's own words, no stack.
 */
async function openStorage(config: Config, log: DatabaseLog): Promise<{ db: Db; applied: string[] }> {
  const where = config.databaseUrl
    ? `OpenKAM cannot use the PostgreSQL database in DATABASE_URL (${redacted(config.databaseUrl)})`
    : `OpenKAM cannot write its database ${config.sqliteFile} (OPENKAM_DATA_DIR=${config.dataDir})`;
  let db: Db | undefined;
  try {
    db = openConfiguredDatabase(config, log);
    const applied = await migrateToLatest(db);
    const probe = await probeWrite(db, new Date().toISOString());
    if (!probe.ready) throw new ConfigError(`${where}: ${whatWentWrong[probe.reason]} (${probe.cause})`);
    return { db, applied };
  } catch (err) {
    await db?.destroy().catch(() => undefined);
    if (err instanceof ConfigError) throw err;
    const failure = classifyStorageFailure(err);
    if (failure) throw new ConfigError(`${where}: ${whatWentWrong[failure.reason]} (${failure.cause})`);
    throw err;
  }
}

/** The URL without its password and parameters, for a message that may end up in a ticket. */
function redacted(url: string): string {
  const u = new URL(url);
  return `${u.protocol}//${u.username ? `${u.username}@` : ''}${u.host}${u.pathname}`;
}

/** Starts the server: config, database, migrations, listen; closes gracefully on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  const config = loadConfig();
  const log = pino({ level: config.logLevel });
  const { db, applied } = await openStorage(config, log);
  // On PostgreSQL the job queue is pg-boss, shared by every server process; on SQLite, in process.
  const jobs = config.databaseUrl ? await pgBossJobs(config.databaseUrl, log, { schema: config.pgBossSchema }) : undefined;
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
