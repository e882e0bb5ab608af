import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb, describeEachDialect } from '../../../test/dialects.js';
import { seedWorld, type World } from '../../../test/factories.js';
import { loadConfig } from '../../server/config.js';
import { fixedClock } from '../../shared/clock.js';
import { newId } from '../../shared/ids.js';
import type { Actor } from '../auth/auth.domain.js';
import { rebuildOtifCells } from './delivery.rollups.js';
import { ShipmentImportOptions } from './import.contract.js';
import { runShipmentImport, shipmentImportTuning, type ShipmentOutcome } from './import.engine.js';
import type { Progress } from '../sales/sales.import.js';

/**
 * The shipment import's two write paths (decision 028) give what a row-by-row import gives: the
 * direct path while every key is new (split deliveries included), the staged merge otherwise
 * (updates, a line on several rows, a line of an account the importer may not see), the bulk path
 * that drops and rebuilds the indexes, and all or nothing when cancelled or dry-run.
 */
const header = 'order,line,dealer,qty,promised,shipment,delivered,delivered qty,mode,freight';
const mapping = {
  orderNo: 'order', lineNo: 'line', accountCode: 'dealer', quantity: 'qty', promisedDate: 'promised', shipmentNo: 'shipment', deliveredDate: 'delivered',
  deliveredQuantity: 'delivered qty', mode: 'mode', freight: 'freight',
};
const config = loadConfig({ OPENKAM_DATA_DIR: '/tmp/openkam-test', LOG_LEVEL: 'silent' });

describeEachDialect('delivery: the shipment import merges like a row-by-row import', (dialect) => {
  let t: TestDb;
  let world: World;
  let dir: string;
  const clock = fixedClock('2026-11-26T08:00:00.000Z');
  const actorOf = async (key: string): Promise<Actor> => {
    const u = await t.db.kysely.selectFrom('users').selectAll().where('email', '=', `${key}@test.local`).executeTakeFirstOrThrow();
    return { userId: u.id, email: u.email, name: u.name, role: u.role as Actor['role'], teamId: u.team_id, accountId: u.account_id, department: u.department, locale: 'en', timeZone: 'UTC', via: 'session' };
  };
  const run = async (rows: string[], o: { as?: string; dryRun?: boolean; signal?: AbortSignal; onProgress?: (p: Progress) => void } = {}) => {
    const file = path.join(dir, `${newId()}.csv`);
    writeFileSync(file, [header, ...rows].join('\n'));
    const jobId = newId();
    const actor = await actorOf(o.as ?? 'logistics');
    await t.db.kysely.insertInto('import_jobs').values({
      id: jobId, kind: 'shipments', status: 'running', file_name: 'f.csv', file_path: file, file_size: 1, format: 'csv', options_json: null, dry_run: 0, created_by: actor.userId,
      created_at: clock.now().toISOString(), started_at: null, finished_at: null, processed_lines: 0, processed_bytes: 0, inserted: 0, updated: 0, unchanged: 0, skipped: 0,
      error_count: 0, errors_path: null, message: null, updated_at: clock.now().toISOString(), file_removed_at: null, error_code: null,
    }).execute();
    const errorsPath = path.join(dir, `${jobId}.errors.csv`);
    const out = await runShipmentImport({ db: t.db, clock, actor, requestId: 'test' }, {
      jobId, dataDir: dir, file, fileName: 'f.csv', format: 'csv', mapping, options: ShipmentImportOptions.parse({ defaultCurrency: 'CNY', freightCurrency: 'CNY' }),
      dryRun: o.dryRun ?? false, errorsPath, reading: config.fileReading,
    }, o.signal ?? new AbortController().signal, o.onProgress ?? (() => undefined));
    const errors = out.errorsPath ? readFileSync(errorsPath, 'utf8').replace(/^\uFEFF/, '').trim().split(/\r?\n/).slice(1) : [];
    return { ...out, errors };
  };
  const counts = (o: ShipmentOutcome) => ({ status: o.status, inserted: o.inserted, updated: o.updated, unchanged: o.unchanged, errorRows: o.errorRows });
  const lines = () => t.db.kysely.selectFrom('order_lines').select(['source_key', 'account_id', 'quantity', 'promised_date', 'version']).orderBy('source_key').execute()
    .then((r) => r.map((x) => ({ ...x, quantity: Number(x.quantity), version: Number(x.version) })));
  const shipments = () => t.db.kysely.selectFrom('shipments').select(['source_key', 'order_line_id', 'delivered_date', 'freight_minor', 'freight_note']).orderBy('source_key').execute()
    .then((r) => r.map((x) => ({ ...x, freight_minor: x.freight_minor === null ? null : Number(x.freight_minor) })));
  const cells = async () => (await sql<Record<string, unknown>>`select * from otif_cells order by account_id, month`.execute(t.db.kysely)).rows;
  const openLines = async () => (await sql<Record<string, unknown>>`select * from otif_open_lines order by line_id`.execute(t.db.kysely)).rows;
  const clear = async () => {
    for (const table of ['shipments', 'order_lines', 'otif_cells', 'otif_open_lines', 'otif_open_orders'] as const) await t.db.kysely.deleteFrom(table).execute();
  };

  beforeAll(async () => {
    t = await openTestDb(dialect);
    world = await seedWorld(t.db);
    dir = mkdtempSync(path.join(os.tmpdir(), 'openkam-dimp-'));
  });
  afterAll(async () => {
    await t?.cleanup();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('a second file updates the rows that changed, leaves the others, and the OTIF cells are those a rebuild computes', async () => {
    await clear();
    const first = await run([
      'PO-1,1,ACC1,10,2026-10-05,,2026-10-05,10,road,12.50',
      'PO-1,2,ACC1,5,2026-10-06,,2026-10-09,5,road,Freight Included in Commodity Cost',
      'PO-2,1,ACC2,8,2026-10-20,,,,,',
    ]);
    expect(counts(first)).toEqual({ status: 'succeeded', inserted: 3, updated: 0, unchanged: 0, errorRows: 0 });
    await rebuildOtifCells(t.db, { config: { dataDir: dir } });
    const secondFile = [
      'PO-1,1,ACC1,10,2026-10-05,,2026-10-05,10,road,12.50',
      // Promised a month later and delivered: the October cell loses it, November gains it.
      'PO-1,2,ACC1,5,2026-11-06,,2026-11-09,5,road,Freight Included in Commodity Cost',
      'PO-2,1,ACC2,8,2026-10-20,,2026-10-21,8,rail,30',
      'PO-3,1,ACC1,4,2026-11-10,,,,,',
    ];
    const second = await run(secondFile);
    expect(counts(second)).toEqual({ status: 'succeeded', inserted: 2, updated: 1, unchanged: 1, errorRows: 0 });
    expect(await lines()).toEqual([
      { source_key: 'PO-1/1', account_id: world.accounts.acc1, quantity: 10, promised_date: '2026-10-05', version: 1 },
      { source_key: 'PO-1/2', account_id: world.accounts.acc1, quantity: 5, promised_date: '2026-11-06', version: 2 },
      // Delivered now: its status moves from open to delivered.
      { source_key: 'PO-2/1', account_id: world.accounts.acc2, quantity: 8, promised_date: '2026-10-20', version: 2 },
      { source_key: 'PO-3/1', account_id: world.accounts.acc1, quantity: 4, promised_date: '2026-11-10', version: 1 },
    ]);
    // PO-2/1 had no shipment: the delivery is its first, a new row; the freight text is a note, never 0.
    expect((await shipments()).map((s) => [s.source_key, s.delivered_date, s.freight_minor, s.freight_note])).toEqual([
      ['PO-1/1#1', '2026-10-05', 1250, null], ['PO-1/2#1', '2026-11-09', null, 'Freight Included in Commodity Cost'], ['PO-2/1#1', '2026-10-21', 3000, null],
    ]);
    const kept = { cells: await cells(), open: await openLines() };
    expect(kept.cells.length).toBeGreaterThan(2);
    await rebuildOtifCells(t.db, { config: { dataDir: dir } });
    expect({ cells: await cells(), open: await openLines() }).toEqual(kept);

    const again = await run(secondFile);
    expect(counts(again)).toEqual({ status: 'succeeded', inserted: 0, updated: 0, unchanged: 4, errorRows: 0 });
  });

  it('a split delivery (one line on several rows) is one line with a shipment per row, and a later row of a line that changes it counts as an update', async () => {
    await clear();
    const split = ['PO-5,1,ACC1,10,2026-10-05,A,2026-10-05,6,road,1', 'PO-6,1,ACC2,3,2026-10-05,A,2026-10-07,3,road,1', 'PO-5,1,ACC1,10,2026-10-05,B,2026-10-08,4,sea,2'];
    expect(counts(await run(split))).toEqual({ status: 'succeeded', inserted: 3, updated: 0, unchanged: 0, errorRows: 0 });
    const ships = await shipments();
    expect(ships.map((s) => s.source_key)).toEqual(['PO-5/1#A', 'PO-5/1#B', 'PO-6/1#A']);
    expect(ships[0]!.order_line_id).toBe(ships[1]!.order_line_id);
    expect(counts(await run(split))).toEqual({ status: 'succeeded', inserted: 0, updated: 0, unchanged: 3, errorRows: 0 });
    // The second row of PO-5/1 asks for 12: that row updates the line (the line keeps the last row's values).
    expect(counts(await run([split[0]!, split[1]!, 'PO-5,1,ACC1,12,2026-10-05,B,2026-10-08,4,sea,2']))).toEqual({ status: 'succeeded', inserted: 0, updated: 1, unchanged: 2, errorRows: 0 });
    expect((await lines()).map((l) => [l.source_key, l.quantity, l.version])).toEqual([['PO-5/1', 12, 2], ['PO-6/1', 3, 1]]);
    // Two rows that differ in the line, both new: the first inserts, the second updates what the first wrote.
    await clear();
    expect(counts(await run(['PO-7,1,ACC1,10,2026-10-05,A,,,,', 'PO-7,1,ACC1,11,2026-10-05,B,,,,']))).toEqual({ status: 'succeeded', inserted: 2, updated: 0, unchanged: 0, errorRows: 0 });
    expect(counts(await run(['PO-7,1,ACC1,10,2026-10-05,,,,,', 'PO-7,1,ACC1,11,2026-10-05,,,,,']))).toMatchObject({ status: 'failed', errorRows: 1 });
  });

  it('names every problem with its line, duplicates and lines of accounts the importer may not see included, and writes nothing', async () => {
    await clear();
    await run(['PO-9,1,ACC1,10,2026-10-05,,2026-10-05,10,road,1']);
    const before = await lines();
    // d2 sees ACC3 only: PO-9/1 is stored on ACC1.
    const bad = await run([
      'PO-9,1,ACC3,10,2026-10-05,,2026-10-05,10,road,1',
      'PO-10,1,ACC3,2,2026-10-05,S,2026-10-06,2,road,1',
      'PO-10,1,ACC3,x,2026-10-05,T,2026-10-06,2,road,1',
      'PO-10,1,ACC3,2,2026-10-05,S,2026-10-06,2,road,1',
    ], { as: 'd2' });
    expect(counts(bad)).toEqual({ status: 'failed', inserted: 0, updated: 0, unchanged: 0, errorRows: 3 });
    expect(bad.errors).toEqual([
      '2,,PO-9/1,this line is stored on an account you may not see',
      '4,qty,x,not a number: not a quantity',
      '5,order,PO-10/1#S,the same line and shipment as line 3 of this file',
    ]);
    expect(await lines()).toEqual(before);
  });

  it('a bulk load drops the secondary indexes and builds them again, on the direct and the staged path alike', async () => {
    await clear();
    const indexes = async () => dialect === 'sqlite'
      ? (await sql<{ name: string }>`select name from sqlite_master where type = 'index' and tbl_name in ('order_lines', 'shipments') and sql is not null order by name`.execute(t.db.kysely)).rows.map((r) => r.name)
      : (await sql<{ name: string }>`select indexname as name from pg_indexes where tablename in ('order_lines', 'shipments') and schemaname = current_schema() and indexname like '%idx' order by indexname`.execute(t.db.kysely)).rows.map((r) => r.name);
    const before = await indexes();
    expect(before).toContain('shipments_account_idx');
    const saved = shipmentImportTuning.rebuildIndexesFrom;
    shipmentImportTuning.rebuildIndexesFrom = 1;
    try {
      const rows = Array.from({ length: 30 }, (_, i) => `PO-${100 + i},1,ACC${1 + (i % 4)},5,2026-10-${String(1 + i).padStart(2, '0')},,2026-10-${String(1 + i).padStart(2, '0')},5,road,1`);
      expect(counts(await run(rows))).toEqual({ status: 'succeeded', inserted: 30, updated: 0, unchanged: 0, errorRows: 0 });
      expect(await indexes()).toEqual(before);
      // A file of new lines but one stored one: staged, and as new as the table is large.
      await t.db.kysely.deleteFrom('shipments').execute();
      await t.db.kysely.deleteFrom('order_lines').where('source_key', '<>', 'PO-100/1').execute();
      expect(counts(await run(rows))).toEqual({ status: 'succeeded', inserted: 30, updated: 0, unchanged: 0, errorRows: 0 });
      expect(await indexes()).toEqual(before);
      expect((await lines()).length).toBe(30);
    } finally {
      shipmentImportTuning.rebuildIndexesFrom = saved;
    }
  });

  it('a cancelled import and a dry run write nothing; progress is told while reading and at the merge', async () => {
    await clear();
    const rows = ['PO-20,1,ACC1,10,2026-10-05,,2026-10-05,10,road,1', 'PO-21,1,ACC2,10,2026-10-05,,2026-10-05,10,road,1'];
    const controller = new AbortController();
    const phases: string[] = [];
    const cancelled = await run(rows, { signal: controller.signal, onProgress: (p) => { phases.push(p.phase); controller.abort(); } });
    expect(cancelled).toMatchObject({ status: 'cancelled', inserted: 0, message: 'Cancelled; nothing was imported' });
    expect(phases).toContain('reading');
    const dry: string[] = [];
    const dryRun = await run(rows, { dryRun: true, onProgress: (p) => { dry.push(p.phase); } });
    expect(dryRun).toMatchObject({ status: 'succeeded', dryRun: true, inserted: 2, message: 'Dry run: nothing was written' });
    expect(dry).toEqual(expect.arrayContaining(['reading', 'merging']));
    expect(await lines()).toEqual([]);
    expect(await cells()).toEqual([]);
  });
});
