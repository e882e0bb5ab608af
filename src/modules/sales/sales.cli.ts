/**
 * `npm run openkam -- import sales|accounts|products FILE [--mapping NAME|FILE.json] [--encoding gb18030]
 *   [--date-format DD/MM/YYYY] [--delimiter ';'] [--thousands ','] [--currency CNY] [--dry-run] [--as EMAIL]`
 * Runs the import in this process (same engine, validation and transaction as the API) and prints
 * the counts; exit 0 when imported, 1 when the file has bad lines (the error file is named), 2 on usage errors.
 */
import { readFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from '../../cli/args.js';
import { openConfiguredDatabase } from '../../db/database.js';
import { migrateToLatest } from '../../db/migrate.js';
import { loadConfig } from '../../server/config.js';
import { systemClock } from '../../shared/clock.js';
import { newId } from '../../shared/ids.js';
import type { Actor } from '../auth/auth.domain.js';
import { ImportOptions } from './sales.contract.js';
import { type ImportKind, type Mapping, suggestMapping } from './sales.domain.js';
import { AppError } from '../../server/errors.js';
import { runImport } from './sales.import.js';
import { cellText } from './sales.domain.js';
import { readRowsBounded } from './sales.parse.js';
import { sniffFormat } from './sales.reader.js';
import * as repo from './sales.repository.js';

const usage = 'usage: npm run openkam -- import sales|accounts|products FILE [--mapping NAME|FILE.json] [--encoding utf-8|gb18030|gbk] [--date-format YYYY-MM-DD|DD/MM/YYYY|MM/DD/YYYY|YYYY/MM/DD|YYYYMMDD] [--delimiter ,] [--thousands ,] [--currency CNY] [--dry-run] [--as EMAIL]\n';

export async function run(command: string, args: string[]): Promise<number> {
  if (command === 'segment') return (await import('../portfolio/portfolio.cli.js')).run(command, args);
  const { positional, options } = parseArgs(args);
  const [kind, file] = positional as [ImportKind | undefined, string | undefined];
  if (!kind || !['sales', 'accounts', 'products'].includes(kind) || !file) { process.stderr.write(usage); return 2; }
  const parsed = ImportOptions.safeParse({
    ...(typeof options.encoding === 'string' && { encoding: options.encoding.toLowerCase() }),
    ...(typeof options['date-format'] === 'string' && { dateFormat: options['date-format'] }),
    ...(typeof options.delimiter === 'string' && { delimiter: options.delimiter === '\\t' ? '\t' : options.delimiter }),
    ...(typeof options.thousands === 'string' && { thousandsSeparator: options.thousands === 'none' ? '' : options.thousands }),
    ...(typeof options.currency === 'string' && { defaultCurrency: options.currency }),
  });
  if (!parsed.success) {
    process.stderr.write(`import: ${parsed.error.issues.map((i) => `${String(i.path[0])}: ${i.message}`).join('; ')}\n${usage}`);
    return 2;
  }
  const size = (await stat(file).catch(() => null))?.size;
  if (size === undefined) { process.stderr.write(`import: no such file ${file}\n`); return 2; }
  const config = loadConfig();
  const db = openConfiguredDatabase(config);
  try {
    await migrateToLatest(db);
    let actor: Actor = { userId: 'cli', email: 'cli@localhost', name: 'command line', role: 'admin', teamId: null, accountId: null, locale: 'en', timeZone: 'UTC', via: 'session' };
    let createdBy: string | null = null;
    if (typeof options.as === 'string') {
      const u = await db.kysely.selectFrom('users').selectAll().where('email', '=', options.as).executeTakeFirst();
      if (!u) { process.stderr.write(`import: no user ${options.as}\n`); return 2; }
      actor = { userId: u.id, email: u.email, name: u.name, role: u.role as Actor['role'], teamId: u.team_id, accountId: u.account_id, locale: u.locale, timeZone: u.time_zone, via: 'session' };
      createdBy = u.id;
    }
    const format = await sniffFormat(file);
    let opts = parsed.data;
    let mapping: Mapping | undefined;
    if (typeof options.mapping === 'string') {
      if (options.mapping.endsWith('.json')) mapping = JSON.parse(readFileSync(options.mapping, 'utf8')) as Mapping;
      else {
        const saved = await repo.findMappingByName(db.kysely, kind, options.mapping);
        if (!saved) { process.stderr.write(`import: no saved ${kind} mapping named ${options.mapping}\n`); return 2; }
        mapping = JSON.parse(saved.mapping_json) as Mapping;
        opts = { ...ImportOptions.parse(JSON.parse(saved.options_json)), ...Object.fromEntries(Object.entries(opts).filter(([k]) => k in (parsed.data as object) && options[k] !== undefined)) };
      }
    }
    if (!mapping) {
      try {
        for await (const batch of readRowsBounded(file, format, { encoding: opts.encoding, delimiter: opts.delimiter }, config.fileReading, { take: 1 })) {
          const header = batch.find((r) => r.cells.some((c) => cellText(c) !== ''));
          if (header) mapping ??= suggestMapping(kind, header.cells.map((c) => cellText(c)));
        }
      } catch (e) {
        if (!(e instanceof AppError)) throw e;
        process.stderr.write(`import: ${e.message}\n`);
        return 1;
      }
      mapping ??= {};
      process.stderr.write(`mapping (from the header): ${JSON.stringify(mapping)}\n`);
    }
    const id = newId();
    const now = new Date().toISOString();
    const dryRun = options['dry-run'] === true;
    await repo.insertJob(db.kysely, {
      id, kind, status: 'running', file_name: path.basename(file), file_path: path.resolve(file), file_size: size, format, options_json: JSON.stringify({ options: opts, mapping }),
      dry_run: dryRun ? 1 : 0, created_by: createdBy, created_at: now, started_at: now, finished_at: null, processed_lines: 0, processed_bytes: 0,
      inserted: 0, updated: 0, unchanged: 0, skipped: 0, error_count: 0, errors_path: null, message: null, updated_at: now, file_removed_at: null, error_code: null,
    });
    const controller = new AbortController();
    process.once('SIGINT', () => { process.stderr.write('\ncancelling…\n'); controller.abort(); });
    let last = 0;
    const outcome = await runImport({ db, clock: systemClock, actor, requestId: `cli-${id}` }, {
      jobId: id, kind, file, fileName: path.basename(file), format, encoding: opts.encoding, delimiter: opts.delimiter, mapping, parse: opts, dryRun,
      errorsPath: path.join(config.dataDir, 'uploads', `${id}.errors.csv`), reading: config.fileReading,
    }, controller.signal, (p) => {
      if (Date.now() - last > 1000) { last = Date.now(); process.stderr.write(`\r${p.phase}: ${p.processedLines} lines${format === 'csv' ? ` (${Math.round((p.processedBytes / size) * 100)}%)` : ''}`); }
    }).catch(async (e: unknown) => {
      // The reader's refusals (a limit, a damaged file) end the job failed with the reason.
      if (!(e instanceof AppError)) throw e;
      const at = new Date().toISOString();
      await repo.updateJob(db.kysely, id, { status: 'failed', message: e.message, error_code: e.code, finished_at: at, updated_at: at });
      return { status: 'failed' as const, dryRun, processedLines: 0, inserted: 0, updated: 0, unchanged: 0, skipped: 0, errorCount: 0, errorsPath: null, message: e.message };
    });
    process.stderr.write('\n');
    process.stdout.write(`${JSON.stringify({ job: id, ...outcome }, null, 2)}\n`);
    if (outcome.errorsPath) process.stderr.write(`bad lines are listed in ${outcome.errorsPath}\n`);
    return outcome.status === 'succeeded' ? 0 : 1;
  } finally {
    await db.destroy();
  }
}
