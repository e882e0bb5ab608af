/**
 * Seed time of the demo world at full scale, the way the first `npm start` seeds it: a fresh,
 * migrated SQLite file (and a fresh PostgreSQL schema when TEST_DATABASE_URL is set), generate and
 * write in one transaction. Runs each dialect `--runs N` times (default 3) and reports the median.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openDatabase, type Db } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { seedDemoWorld, type DemoSummary } from '../src/modules/demo/demo.seed.js';
import { fixedClock } from '../src/shared/clock.js';
import { writeBenchmarkSection } from './report.js';

const runsArg = process.argv.indexOf('--runs');
const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 3;
const pgUrl = process.env.TEST_DATABASE_URL;
const clock = fixedClock('2026-11-20T02:00:00Z');

async function once(dialect: 'sqlite' | 'postgres'): Promise<{ ms: number; summary: DemoSummary }> {
  let db: Db;
  let cleanup: () => Promise<void>;
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(path.join(tmpdir(), 'openkam-bench-demo-'));
    db = openDatabase({ kind: 'sqlite', file: path.join(dir, 'demo.sqlite') });
    cleanup = async () => { await db.destroy(); rmSync(dir, { recursive: true, force: true }); };
  } else {
    const schema = `bench_demo_${randomBytes(4).toString('hex')}`;
    const c = new pg.Client({ connectionString: pgUrl });
    await c.connect();
    await c.query(`create schema ${schema}`);
    await c.end();
    db = openDatabase({ kind: 'postgres', url: pgUrl!, searchPath: schema });
    cleanup = async () => {
      await db.destroy();
      const d = new pg.Client({ connectionString: pgUrl });
      await d.connect();
      await d.query(`drop schema ${schema} cascade`);
      await d.end();
    };
  }
  try {
    await migrateToLatest(db);
    const started = performance.now();
    const summary = await seedDemoWorld(db, { clock, scale: 'full' });
    return { ms: performance.now() - started, summary };
  } finally {
    await cleanup();
  }
}

const lines: string[] = ['| dialect | median ms | runs (ms) | rows |', '|---|---:|---|---:|'];
for (const dialect of ['sqlite', ...(pgUrl ? ['postgres'] as const : [])] as const) {
  const times: number[] = [];
  let rows = 0;
  for (let i = 0; i < runs; i++) {
    const r = await once(dialect);
    times.push(Math.round(r.ms));
    rows = Object.values(r.summary.counts).reduce((s, n) => s + n, 0);
  }
  const median = [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
  console.info(`demo seed (full) on ${dialect}: median ${median} ms over ${runs} runs (${times.join(', ')}), ${rows} rows`);
  lines.push(`| ${dialect} | ${median} | ${times.join(', ')} | ${rows} |`);
}
if (process.argv.includes('--write')) writeBenchmarkSection('Demo world seed', 'npx tsx bench/demo-seed.ts --write', lines.join('\n'));
