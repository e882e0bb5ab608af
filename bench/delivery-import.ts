/**
 * `npm run bench:delivery-import [-- --lines 5000000]`: imports a deterministic shipment file
 * (order lines with one delivery each; 5 million rows by default) through the shipment import on
 * SQLite, then the same file again (every row unchanged), and a sales file of as many lines through
 * the sales import beside it; each in a fresh process, peak RSS from /usr/bin/time.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from '../src/cli/args.js';
import { openDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { newId } from '../src/shared/ids.js';
import { writeShipmentFile } from './delivery-import.lib.js';
import { accountCode, BENCH_ACCOUNTS, BENCH_PRODUCTS, categories, sku, writeSalesFile } from './import.lib.js';
import { writeBenchmarkSection } from './report.js';

const { options } = parseArgs(process.argv.slice(2));
const LINES = Number(options.lines ?? 5_000_000);
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const mb = (b: number) => `${Math.round(b / 2 ** 20)} MB`;
const load = () => os.loadavg()[0]!.toFixed(1);

/** One import in a process of its own: its time, rate, peak RSS, the 1-minute load average before and after, and its phases (OPENKAM_IMPORT_TRACE). */
function timed(args: string[], env: Record<string, string | undefined> = {}) {
  const childEnv: Record<string, string | undefined> = { ...process.env, LOG_LEVEL: 'silent', OPENKAM_IMPORT_TRACE: '1', ...env };
  const loadBefore = load();
  for (const [k, v] of Object.entries(childEnv)) if (v === undefined) delete childEnv[k];
  const t0 = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', 'rss=%M', process.execPath, '--import', 'tsx', ...args], { encoding: 'utf8', maxBuffer: 1 << 26, env: childEnv });
  const s = (performance.now() - t0) / 1000;
  const out = JSON.parse(r.stdout.slice(r.stdout.indexOf('{'))) as { status: string; message: string | null; inserted: number; unchanged: number };
  if (out.status !== 'succeeded') throw new Error(`import ${out.status}: ${out.message}\n${r.stderr}`);
  const phases = [...r.stderr.matchAll(/import shipments ([^:]+): (\d+) ms/g)].map((m) => `${m[1]} ${(Number(m[2]) / 1000).toFixed(1)} s`);
  return { s, rate: LINES / s, peak: Number(/rss=(\d+)/.exec(r.stderr)?.[1] ?? 0) * 1024, out, load: `${loadBefore} → ${load()}`, phases };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'openkam-bench-delivery-'));
  const rows: string[] = [];
  const log = (s: string) => { process.stdout.write(`${s}\n`); rows.push(s); };
  try {
    const ships = path.join(dir, 'shipments.csv');
    const shipBytes = await writeShipmentFile(ships, LINES);
    const sales = path.join(dir, 'sales.csv');
    const salesBytes = await writeSalesFile(sales, LINES);
    const db = openDatabase({ kind: 'sqlite', file: path.join(dir, 'openkam.sqlite') });
    await migrateToLatest(db);
    const now = new Date().toISOString();
    const accounts = Array.from({ length: BENCH_ACCOUNTS }, (_, i) => ({
      id: newId(), code: accountCode(i + 1), name: `经销商 ${i + 1}`, name_en: null, kind: 'dealer', parent_id: null, owner_id: null, territory_id: null,
      province: null, city: null, tier: null, status: 'active', currency: 'CNY', created_at: now, updated_at: now, version: 1,
    }));
    for (let i = 0; i < accounts.length; i += 500) await db.kysely.insertInto('accounts').values(accounts.slice(i, i + 500)).execute();
    await db.kysely.insertInto('products').values(Array.from({ length: BENCH_PRODUCTS }, (_, i) => ({
      id: newId(), sku: sku(i + 1), name_en: `Product ${i + 1}`, name_zh: `产品 ${i + 1}`, unit: 'bag', pack_size: 1, category: categories[i % categories.length]!, created_at: now, updated_at: now, version: 1,
    }))).execute();
    await db.destroy();

    log(`${fmt(LINES)} rows each: a shipment file of ${mb(shipBytes)} (order line and delivery per row, 15 columns; 5 % of weights and 8 % of freight costs as text; 2,000 dealers) and a sales file of ${mb(salesBytes)}. SQLite (a file, WAL).`);
    log('');
    log('| import | time | rows/s | peak RSS | load average (1 min, before → after) |');
    log('|---|---|---|---|---|');
    const first = timed(['bench/delivery-import.run.ts', ships, dir]);
    log(`| shipments: first import (${fmt(first.out.inserted)} new) | ${first.s.toFixed(1)} s | ${fmt(first.rate)} | ${mb(first.peak)} | ${first.load} |`);
    const again = timed(['bench/delivery-import.run.ts', ships, dir]);
    log(`| shipments: the same file again (${fmt(again.out.unchanged)} unchanged) | ${again.s.toFixed(1)} s | ${fmt(again.rate)} | ${mb(again.peak)} | ${again.load} |`);
    const s = timed(['src/cli/main.ts', 'import', 'sales', sales], { OPENKAM_DATA_DIR: dir, DATABASE_URL: undefined });
    log(`| sales lines (the sales import, same machine and run) | ${s.s.toFixed(1)} s | ${fmt(s.rate)} | ${mb(s.peak)} | ${s.load} |`);
    log('');
    log(`Phases of the first shipment import: ${first.phases.join('; ')}.  `);
    log(`Phases of the repeat: ${again.phases.join('; ')}.`);
    log('');
    log(`Each import runs in a fresh process (its time includes about a second of start-up); the machine has ${os.cpus().length} cores shared with other jobs, so the load average is given beside each figure. The shipment import (decision 028) reads and validates the file once, writing each batch straight into order_lines and shipments (prepared multi-row inserts, \`on conflict do nothing\`) while every key is new, the secondary indexes dropped for a bulk load and built once at the end; the repeat finds the first key stored, rolls back to its savepoint and reads the file again into a staging table, merged set-wise (nothing changed, nothing written). Both refresh the OTIF cells of the account-months they changed in the same transaction (the repeat: none). The sales import parses and validates in its reader thread and hands over packed columns; the shipment import validates the cells in the importing thread.`);
    writeBenchmarkSection('delivery-import', `npm run bench:delivery-import -- --lines ${LINES}`, rows.join('\n'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
