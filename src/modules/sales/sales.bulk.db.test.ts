import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/build-test-app.js';
import { describeEachDialect } from '../../../test/dialects.js';
import { snapshot } from '../../../test/snapshot.js';
import { loadConfig } from '../../server/config.js';
import { suggestMapping } from './sales.domain.js';
import { runImport } from './sales.import.js';
import { bulkTuning, skipForeignKeyTriggers } from './sales.repository.js';

const header = 'date,account,sku,quantity,net amount,currency,document,line,cost';
const dir = mkdtempSync(path.join(os.tmpdir(), 'openkam-bulk-'));

/** Secondary indexes and foreign keys of sales_lines, by name. */
async function structure(t: TestApp): Promise<string[]> {
  if (t.db.dialect === 'sqlite') {
    const r = await sql<{ name: string }>`select name from sqlite_master where type = 'index' and tbl_name = 'sales_lines' order by name`.execute(t.db.kysely);
    const fks = await sql<{ table: string }>`select "table" from pragma_foreign_key_list('sales_lines') order by "table"`.execute(t.db.kysely);
    return [...r.rows.map((x) => x.name), ...fks.rows.map((x) => `fk:${x.table}`)];
  }
  const r = await sql<{ name: string }>`select indexname as name from pg_indexes where tablename = 'sales_lines' and schemaname = current_schema() order by 1`.execute(t.db.kysely);
  const fks = await sql<{ name: string }>`select conname as name from pg_constraint where conrelid = 'sales_lines'::regclass and contype = 'f' order by 1`.execute(t.db.kysely);
  return [...r.rows.map((x) => x.name), ...fks.rows.map((x) => `fk:${x.name}`)];
}

describeEachDialect('sales import: bulk paths', (dialect) => {
  let t: TestApp;
  const saved = { ...bulkTuning };
  beforeAll(async () => { t = await buildTestApp(dialect); });
  afterAll(async () => t?.close());
  afterEach(() => { Object.assign(bulkTuning, saved); });

  const actor = () => ({ userId: t.world.users.admin!, email: 'admin@test.local', name: 'User admin', role: 'admin' as const, teamId: null, accountId: null, locale: 'en', timeZone: 'UTC', via: 'session' as const });
  async function importCsv(name: string, csv: string, onProgress: () => void | Promise<void> = () => undefined) {
    const file = path.join(dir, name);
    writeFileSync(file, csv);
    const jobId = crypto.randomUUID();
    const now = t.clock.now().toISOString();
    await t.db.kysely.insertInto('import_jobs').values({
      id: jobId, kind: 'sales', status: 'running', file_name: name, file_path: file, file_size: csv.length, format: 'csv', options_json: null, dry_run: 0, created_by: null,
      created_at: now, started_at: now, finished_at: null, processed_lines: 0, processed_bytes: 0, inserted: 0, updated: 0, unchanged: 0, skipped: 0, error_count: 0,
      errors_path: null, message: null, updated_at: now,
    }).execute();
    return runImport({ db: t.db, clock: t.clock, actor: actor(), requestId: 'test' }, {
      jobId, kind: 'sales', file, fileName: name, format: 'csv', encoding: 'utf-8', delimiter: ',', dryRun: false, mapping: suggestMapping('sales', header.split(',')),
      parse: { dateFormat: 'YYYY-MM-DD', thousandsSeparator: ',', defaultCurrency: null }, errorsPath: path.join(dir, `${name}.errors.csv`),
      reading: loadConfig({}).fileReading,
    }, new AbortController().signal, onProgress);
  }
  const lines = (doc: string, n: number, amount = '10.00') => Array.from({ length: n }, (_, i) =>
    `2026-0${1 + (i % 9)}-1${i % 10},ACC${1 + (i % 4)},PO425-B50,${1 + (i % 3)},${amount},CNY,${doc},${i + 1},${i % 2 ? '7.00' : ''}`).join('\n');

  async function expectTotalsConsistent() {
    const norm = (rows: Record<string, unknown>[]) => rows.map((r) => Object.values(r).map((x) => (typeof x === 'string' ? x : Number(x))).join('|')).sort();
    const fresh = await sql<Record<string, unknown>>`select sl.account_id, substr(sl.date, 1, 7) as month, p.category, sl.currency, sum(sl.net_amount_minor) as r,
      coalesce(sum(sl.cost_amount_minor), 0) as c, sum(case when sl.cost_amount_minor is null then 0 else sl.net_amount_minor end) as cr, sum(sl.quantity) as q, count(*) as n
      from sales_lines sl join products p on p.id = sl.product_id group by sl.account_id, substr(sl.date, 1, 7), p.category, sl.currency`.execute(t.db.kysely);
    const kept = await sql<Record<string, unknown>>`select account_id, month, category, currency, revenue_minor, cost_minor, costed_revenue_minor, quantity, lines from sales_rollups`.execute(t.db.kysely);
    expect(norm(kept.rows)).toEqual(norm(fresh.rows));
    const months = await sql<Record<string, unknown>>`select account_id, month, currency, sum(revenue_minor) as r, sum(cost_minor) as c, sum(costed_revenue_minor) as cr, sum(quantity) as q, sum(lines) as n
      from sales_rollups group by account_id, month, currency`.execute(t.db.kysely);
    const keptMonths = await sql<Record<string, unknown>>`select account_id, month, currency, revenue_minor, cost_minor, costed_revenue_minor, quantity, lines from sales_account_months`.execute(t.db.kysely);
    expect(norm(keptMonths.rows)).toEqual(norm(months.rows));
  }

  it('a large import (relative to the table) rebuilds the secondary indexes of sales_lines and keeps its foreign keys, all or nothing', async () => {
    bulkTuning.rebuildIndexesFrom = 5;
    const before = await structure(t);
    expect(before.length).toBeGreaterThan(2);
    const first = await importCsv('a.csv', `${header}\n${lines('BULK-A', 40)}\n`);
    expect(first).toMatchObject({ status: 'succeeded', inserted: 40 });
    expect(await structure(t)).toEqual(before);
    await expectTotalsConsistent();

    // A failing large import (a duplicate) rolls the index drop back with everything else.
    const snap = await snapshot(t.db);
    const bad = await importCsv('b.csv', `${header}\n${lines('BULK-B', 60)}\n2026-01-01,ACC1,PO425-B50,1,1.00,CNY,BULK-B,7,\n`);
    expect(bad).toMatchObject({ status: 'failed', errorCount: 1 });
    expect(await structure(t)).toEqual(before);
    expect(await snapshot(t.db)).toBe(snap);

    // New lines beside existing ones, some existing ones changed: the totals follow.
    const mixed = await importCsv('c.csv', `${header}\n${lines('BULK-A', 40, '11.00')}\n${lines('BULK-C', 100)}\n`);
    expect(mixed).toMatchObject({ status: 'succeeded', inserted: 100, updated: 40, unchanged: 0 });
    expect(await structure(t)).toEqual(before);
    await expectTotalsConsistent();
  });

  // PostgreSQL only: on SQLite readers never wait for the writer (WAL), and the tests' in-memory
  // database has one connection, which the import holds.
  it.runIf(dialect === 'postgres')('a bulk load leaves the accounts readable by other sessions while it runs', async () => {
    bulkTuning.rebuildIndexesFrom = 5;
    const reads: number[] = [];
    const readAccounts = async () => {
      const c = await t.db.pool!.connect();
      try {
        await c.query("set lock_timeout = '1s'");
        reads.push(Number((await c.query<{ n: string }>('select count(*) as n from accounts')).rows[0]!.n));
      } finally { c.release(); }
    };
    const out = await importCsv('lock.csv', `${header}\n${lines('BULK-LOCK', 40)}\n`, readAccounts);
    expect(out).toMatchObject({ status: 'succeeded', inserted: 40 });
    expect(reads.length).toBeGreaterThan(0);
    expect(reads.every((n) => n >= 4)).toBe(true);
  });

  // PostgreSQL only (SQLite's writer holds the database): the direct load skips the foreign keys'
  // per-line triggers and locks the accounts and products named once, at its end.
  it.runIf(dialect === 'postgres')('an account deleted by another session while a bulk load reads the file fails the import, and no line is left without its account', async () => {
    bulkTuning.rebuildIndexesFrom = 5;
    const now = t.clock.now().toISOString();
    const goneId = crypto.randomUUID();
    await t.db.kysely.insertInto('accounts').values({ id: goneId, code: 'GONE1', name: 'Closing dealer', name_en: null, kind: 'dealer', parent_id: null, owner_id: null,
      territory_id: null, province: null, city: null, tier: null, status: 'active', currency: 'CNY', created_at: now, updated_at: now, version: 1 }).execute();
    const snap = await snapshot(t.db);
    let deleted = 0;
    const deleteAside = async () => {
      if (deleted) return;
      const c = await t.db.pool!.connect();
      try {
        // Not waiting on the import: its lines are not visible to other sessions yet, and nothing holds the account.
        await c.query("set lock_timeout = '2s'");
        deleted = (await c.query('delete from accounts where id = $1', [goneId])).rowCount ?? 0;
      } finally { c.release(); }
    };
    const out = await importCsv('gone.csv', `${header}\n${lines('BULK-GONE', 30)}\n${lines('BULK-GONE2', 30).replaceAll(',ACC1,', ',GONE1,')}\n`, deleteAside);
    expect(deleted).toBe(1);
    expect(out).toMatchObject({ status: 'failed', inserted: 0 });
    expect(out.message).toContain('deleted while it was imported');
    const orphans = await sql<{ n: string }>`select count(*) as n from sales_lines sl where not exists (select 1 from accounts a where a.id = sl.account_id)`.execute(t.db.kysely);
    expect(Number(orphans.rows[0]!.n)).toBe(0);
    await t.db.kysely.insertInto('accounts').values({ id: goneId, code: 'GONE1', name: 'Closing dealer', name_en: null, kind: 'dealer', parent_id: null, owner_id: null,
      territory_id: null, province: null, city: null, tier: null, status: 'active', currency: 'CNY', created_at: now, updated_at: now, version: 1 }).execute();
    expect(await snapshot(t.db)).toBe(snap);

    // Run again, nobody deleting: it goes in, and the account can no longer be deleted under its lines.
    deleted = 1;
    expect(await importCsv('gone2.csv', `${header}\n${lines('BULK-GONE2', 30).replaceAll(',ACC1,', ',GONE1,')}\n`, deleteAside)).toMatchObject({ status: 'succeeded', inserted: 30 });
    await expect(t.db.kysely.deleteFrom('accounts').where('id', '=', goneId).execute()).rejects.toMatchObject({ code: '23503' });
    await expectTotalsConsistent();
  });

  it.runIf(dialect === 'postgres')('a database role that may not skip the foreign keys\' triggers keeps them, and the transaction goes on', async () => {
    await t.db.kysely.transaction().execute(async (trx) => {
      await sql`do $$ begin create role openkam_plain_role nologin; exception when duplicate_object or unique_violation then null; end $$`.execute(trx);
      await sql`set local role openkam_plain_role`.execute(trx);
      expect(await skipForeignKeyTriggers(trx)).toBe(false);
      expect((await sql<{ r: string }>`select current_setting('session_replication_role') as r`.execute(trx)).rows[0]!.r).toBe('origin');
      await sql`reset role`.execute(trx);
      expect(await skipForeignKeyTriggers(trx)).toBe(true);
      expect((await sql<{ r: string }>`select current_setting('session_replication_role') as r`.execute(trx)).rows[0]!.r).toBe('replica');
    });
    // Local to the transaction: the session is back to normal after it.
    expect((await sql<{ r: string }>`select current_setting('session_replication_role') as r`.execute(t.db.kysely)).rows[0]!.r).toBe('origin');
  });

  // PostgreSQL only: SQLite readers never wait for the writer (WAL).
  it.runIf(dialect === 'postgres')('while a bulk load holds the sales lines, reading them answers 503 with Retry-After instead of waiting, and the 80/20 pages still answer', async () => {
    bulkTuning.readWaitMs = 200;
    expect(await importCsv('busy.csv', `${header}\n${lines('BULK-BUSY', 10)}\n`)).toMatchObject({ status: 'succeeded' });
    const admin = await t.login('admin');
    // Rollups missing and not known complete (lines written around the import): rebuilt when read, but not under a bulk load.
    await sql`delete from sales_account_months`.execute(t.db.kysely);
    await sql`delete from sales_rollups`.execute(t.db.kysely);
    await sql`delete from sales_rollup_state`.execute(t.db.kysely);
    const bulk = await t.db.pool!.connect();
    try {
      await bulk.query('begin');
      // What a bulk load's index drop takes, until it commits.
      await bulk.query('lock table sales_lines in access exclusive mode');
      for (const url of ['/api/v1/sales-lines', '/api/v1/sales-lines/1']) {
        const res = await admin.get(url);
        expect(res.statusCode, url).toBe(503);
        expect(res.headers['retry-after']).toBe('30');
        expect(res.headers['content-type']).toContain('application/problem+json');
        expect(res.json().detail).toContain('being loaded by an import');
      }
      expect((await admin.get('/api/v1/portfolio/segments')).statusCode).toBe(200);
      expect((await admin.get('/api/v1/home')).statusCode).toBe(200);
    } finally {
      await bulk.query('rollback');
      bulk.release();
    }
    expect((await admin.get('/api/v1/sales-lines')).statusCode).toBe(200);
    // Once the lines are free, the first read that needs the rollups rebuilds them.
    expect((await admin.get('/api/v1/portfolio/segments')).statusCode).toBe(200);
    expect(Number((await sql<{ n: string }>`select count(*) as n from sales_rollups`.execute(t.db.kysely)).rows[0]!.n)).toBeGreaterThan(0);
    await expectTotalsConsistent();
  });

  it('without the rebuild: new, changed and unchanged lines in one file keep rollups and account-month totals exact', async () => {
    bulkTuning.rebuildIndexesFrom = Number.MAX_SAFE_INTEGER;
    const out = await importCsv('d.csv', `${header}\n${lines('BULK-C', 50, '12.00')}\n${lines('BULK-D', 30)}\n`);
    expect(out).toMatchObject({ status: 'succeeded', inserted: 30, updated: 50, unchanged: 0 });
    await expectTotalsConsistent();
    const again = await importCsv('e.csv', `${header}\n${lines('BULK-C', 50, '12.00')}\n${lines('BULK-D', 30)}\n${lines('BULK-E', 3)}\n`);
    expect(again).toMatchObject({ status: 'succeeded', inserted: 3, updated: 0, unchanged: 80 });
    await expectTotalsConsistent();
  });

  it('the direct load and its fallback, file read in a reader thread: new lines in full batches, then existing, changed and duplicate lines after them', async () => {
    bulkTuning.rebuildIndexesFrom = 300;
    const p = 'w-';
    const first = await importCsv(`${p}f.csv`, `${header}\n${lines(`${p}BULK-F`, 600)}\n`);
    expect(first).toMatchObject({ status: 'succeeded', inserted: 600, updated: 0, unchanged: 0 });
    await expectTotalsConsistent();

    // New lines first (whole batches written), then lines that exist: read again through staging.
    const mixed = await importCsv(`${p}g.csv`, `${header}\n${lines(`${p}BULK-G`, 500)}\n${lines(`${p}BULK-F`, 250, '13.00')}\n${lines(`${p}BULK-F`, 600).split('\n').slice(250).join('\n')}\n`);
    expect(mixed).toMatchObject({ status: 'succeeded', inserted: 500, updated: 250, unchanged: 350 });
    await expectTotalsConsistent();

    // A duplicate after full batches went in: nothing written, reported against its first line.
    const snap = await snapshot(t.db);
    const dup = await importCsv(`${p}h.csv`, `${header}\n${lines(`${p}BULK-H`, 450)}\n2026-01-01,ACC1,PO425-B50,1,1.00,CNY,${p}BULK-H,5,\n`);
    expect(dup).toMatchObject({ status: 'failed', errorCount: 1 });
    expect(readFileSync(dup.errorsPath!, 'utf8')).toContain('first at line 6');
    // A bad line among new ones: every bad line reported, nothing written.
    const bad = await importCsv(`${p}i.csv`, `${header}\n${lines(`${p}BULK-I`, 420)}\n2026-13-01,ACC1,PO425-B50,1,1.00,CNY,${p}BULK-I,999,\n${lines(`${p}BULK-J`, 10)}\n2026-01-01,NOPE,PO425-B50,x,1.00,CNY,${p}BULK-J,999,\n`);
    expect(bad).toMatchObject({ status: 'failed', errorCount: 2 });
    const errs = readFileSync(bad.errorsPath!, 'utf8');
    expect(errs).toContain('422,date');
    expect(errs).toContain('433,quantity');
    expect(await snapshot(t.db)).toBe(snap);
    // The same file twice: no line changes (only the import's audit entry is new).
    const linesBefore = await sql`select * from sales_lines order by id`.execute(t.db.kysely);
    const again = await importCsv(`${p}g2.csv`, `${header}\n${lines(`${p}BULK-G`, 500)}\n`);
    expect(again).toMatchObject({ status: 'succeeded', inserted: 0, updated: 0, unchanged: 500 });
    expect((await sql`select * from sales_lines order by id`.execute(t.db.kysely)).rows).toEqual(linesBefore.rows);
    await expectTotalsConsistent();
  });
});
