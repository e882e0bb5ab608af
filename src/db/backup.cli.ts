import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { attachmentsDir, loadConfig } from '../server/config.js';

const stamp = () => new Date().toISOString().replace(/[:.]/g, '-');

/**
 * `npm run backup [FILE]`: a consistent online backup (SQLite's backup API while the server runs,
 * or pg_dump in custom format on PostgreSQL). `npm run restore FILE`: puts one back (stop the server first).
 */
export async function run(command: string, args: string[]): Promise<number> {
  const config = loadConfig();
  const [file] = args;
  if (command === 'backup') {
    const target = path.resolve(file ?? path.join(config.dataDir, 'backups', `openkam-${stamp()}.${config.databaseUrl ? 'pgdump' : 'sqlite'}`));
    mkdirSync(path.dirname(target), { recursive: true });
    if (config.databaseUrl) {
      const r = spawnSync('pg_dump', ['--format=custom', '--no-owner', `--file=${target}`, config.databaseUrl], { stdio: 'inherit' });
      if (r.status !== 0) { process.stderr.write(`backup: pg_dump failed (${r.error?.message ?? `exit ${r.status}`})\n`); return 1; }
    } else {
      if (!existsSync(config.sqliteFile)) { process.stderr.write(`backup: no database at ${config.sqliteFile}\n`); return 1; }
      const db = new SQLite(config.sqliteFile, { readonly: true, fileMustExist: true });
      try { await db.backup(target); } finally { db.close(); }
      const check = new SQLite(target, { readonly: true });
      const ok = check.pragma('integrity_check', { simple: true });
      check.close();
      if (ok !== 'ok') { process.stderr.write(`backup: the copy failed its integrity check: ${String(ok)}\n`); return 1; }
    }
    // Attachment files kept in a directory (always on SQLite; on PostgreSQL when one is configured)
    // are copied beside the database backup, so a restore brings back the files its rows name.
    const files = attachmentsDir(config);
    if ((!config.databaseUrl || config.attachments.dir) && existsSync(files)) {
      cpSync(files, `${target}.attachments`, { recursive: true, filter: (src) => !path.basename(src).startsWith('.staging') });
      process.stdout.write(`attachment files copied to ${target}.attachments\n`);
    }
    process.stdout.write(`backup written to ${target}\n`);
    return 0;
  }
  if (!file || !existsSync(file)) { process.stderr.write('usage: npm run restore -- FILE (an existing backup; stop the server first)\n'); return 2; }
  if (config.databaseUrl) {
    const r = spawnSync('pg_restore', ['--clean', '--if-exists', '--no-owner', `--dbname=${config.databaseUrl}`, file], { stdio: 'inherit' });
    if (r.status !== 0) { process.stderr.write(`restore: pg_restore failed (${r.error?.message ?? `exit ${r.status}`})\n`); return 1; }
  } else {
    const check = new SQLite(file, { readonly: true, fileMustExist: true });
    const ok = check.pragma('integrity_check', { simple: true });
    check.close();
    if (ok !== 'ok') { process.stderr.write(`restore: ${file} is not a sound SQLite database (${String(ok)})\n`); return 1; }
    mkdirSync(config.dataDir, { recursive: true });
    if (existsSync(config.sqliteFile)) copyFileSync(config.sqliteFile, `${config.sqliteFile}.before-restore-${stamp()}`);
    for (const ext of ['-wal', '-shm']) rmSync(`${config.sqliteFile}${ext}`, { force: true });
    copyFileSync(file, config.sqliteFile);
  }
  if (existsSync(`${file}.attachments`)) {
    cpSync(`${file}.attachments`, attachmentsDir(config), { recursive: true });
    process.stdout.write(`attachment files restored from ${file}.attachments\n`);
  }
  process.stdout.write(`restored from ${file}\n`);
  return 0;
}
