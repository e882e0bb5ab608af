import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe } from 'vitest';
import { type Db, openDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';

export type DialectName = 'sqlite' | 'postgres';
export type TestDb = { db: Db; cleanup(): Promise<void> };

const pgUrl = process.env.TEST_DATABASE_URL;

/** A fresh, migrated database of the dialect: SQLite in memory, or a new PostgreSQL schema dropped afterwards. */
export async function openTestDb(dialect: DialectName, opts: { file?: string } = {}): Promise<TestDb> {
  if (dialect === 'sqlite') {
    const db = openDatabase({ kind: 'sqlite', file: opts.file ?? ':memory:' });
    await migrateToLatest(db);
    return { db, cleanup: () => db.destroy() };
  }
  if (!pgUrl) throw new Error('TEST_DATABASE_URL is not set');
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: pgUrl });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const db = openDatabase({ kind: 'postgres', url: pgUrl, searchPath: schema, max: 4 });
  await migrateToLatest(db);
  return {
    db,
    cleanup: async () => {
      await db.destroy();
      const c = new pg.Client({ connectionString: pgUrl });
      await c.connect();
      await c.query(`drop schema ${schema} cascade`);
      await c.end();
    },
  };
}

/**
 * Runs a suite once per database: SQLite always, PostgreSQL when TEST_DATABASE_URL is set
 * (otherwise a skipped suite says so, by name, in the report).
 */
export function describeEachDialect(name: string, fn: (dialect: DialectName) => void): void {
  describe(`${name} [sqlite]`, () => fn('sqlite'));
  if (pgUrl) describe(`${name} [postgres]`, () => fn('postgres'));
  // Without a PostgreSQL to talk to (a user's clone), the suite still shows in the report, skipped,
  // with the reason in its name; CI sets TEST_DATABASE_URL, so there it always runs.
  else describe.skip(`${name} [postgres] — skipped: TEST_DATABASE_URL is not set`, () => fn('postgres'));
}
