/**
 * `npm run bench:climatology`: the typhoon climatology table built from the raw JTWC best tracks
 * (target < 30 s), its size, loading it, and risk queries for ports along the China coast at
 * 200 km and 34/64 kt, then a seasonal mode plan for a lane. Skips when the reference data is
 * missing (OPENKAM_REFERENCE_DATA).
 */
import { readFileSync, statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { buildClimatologyTable } from '../src/modules/delivery/climate.build.js';
import { parseClimatologyTable, typhoonRisk } from '../src/modules/delivery/climate.service.js';
import { defaultModePlanSettings, planModes, type PastShipment, type RateLine } from '../src/modules/delivery/mode-plan.domain.js';
import { hasReferenceData, referenceDataMissing, referencePath } from '../src/shared/reference-data.js';
import { writeBenchmarkSection } from './report.js';

const RUNS = 3;
const ms = (t0: number) => performance.now() - t0;
const pct = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;
const fmt = (x: number) => x.toFixed(x < 10 ? 1 : 0);

// WGS 84, from geo/geonames_cn_cities.csv (rounded): the coast from Dalian to Beihai.
const PORTS: [string, number, number][] = [
  ['Dalian', 38.91, 121.6], ['Tianjin', 39.14, 117.18], ['Qingdao', 36.07, 120.37], ['Lianyungang', 34.6, 119.22],
  ['Shanghai', 31.22, 121.46], ['Ningbo-Zhoushan', 29.87, 121.55], ['Taizhou (ZJ)', 28.66, 121.43], ['Wenzhou', 28.0, 120.67],
  ['Fuzhou', 26.06, 119.31], ['Xiamen', 24.48, 118.08], ['Shantou', 23.37, 116.71], ['Shenzhen', 22.55, 114.07],
  ['Guangzhou', 23.12, 113.25], ['Zhanjiang', 21.27, 110.36], ['Haikou', 20.05, 110.34], ['Beihai', 21.48, 109.1],
];

async function main(): Promise<void> {
  if (!hasReferenceData) {
    process.stdout.write(`${referenceDataMissing}\n`);
    return;
  }
  const raw = referencePath('hazard', 'climatology', 'JTWC_raw.parquet');
  const shippedPath = fileURLToPath(new URL('../src/modules/delivery/data/typhoon-climatology.json', import.meta.url));
  const shipped = readFileSync(shippedPath, 'utf8');

  const builds: number[] = [];
  let built = '';
  let stats;
  for (let r = 0; r < RUNS; r++) {
    const t0 = performance.now();
    const b = await buildClimatologyTable(raw);
    builds.push(ms(t0));
    built = b.text;
    stats = b.stats;
  }
  const loads: number[] = [];
  let table = parseClimatologyTable(shipped);
  for (let r = 0; r < RUNS; r++) {
    const t0 = performance.now();
    table = parseClimatologyTable(shipped);
    loads.push(ms(t0));
  }

  const queries: number[] = [];
  const rows: string[] = [];
  for (const [name, lat, lng] of PORTS) {
    const t0 = performance.now();
    const r34 = typhoonRisk({ lat, lng }, 200, 34, { table });
    const r64 = typhoonRisk({ lat, lng }, 200, 64, { table });
    queries.push(ms(t0) / 2);
    const aug = (r: typeof r34) => `${(100 * r.byMonth[7]!.probability).toFixed(0)} %`;
    const peak = r34.byWeek.reduce((a, b) => (b.probability > a.probability ? b : a));
    rows.push(`| ${name} | ${aug(r34)} | ${aug(r64)} | ${peak.index} (${(100 * peak.probability).toFixed(0)} %) |`);
  }
  for (let r = 0; r < 3; r++) for (const [, lat, lng] of PORTS) {
    const t0 = performance.now();
    typhoonRisk({ lat, lng }, 300, 34, { table });
    queries.push(ms(t0));
  }

  // A lane plan: Ningbo → a dealer, a year of shipments by ship and rail, two rate lines a mode.
  const shipments: PastShipment[] = [];
  for (let i = 0; i < 600; i++) {
    const mode = i % 3 === 0 ? 'rail' : 'ship';
    const shippedAt = Date.UTC(2024 + (i % 2), i % 12, 1 + (i % 27), 8);
    shipments.push({ mode, shippedAt: new Date(shippedAt).toISOString(), deliveredAt: new Date(shippedAt + (4 + (i % 5) * 0.5) * 86_400_000).toISOString(), tonnes: 300, freightMinor: 3_600_000 });
  }
  const rates: RateLine[] = [
    { id: 's', mode: 'ship', validFrom: '2026-01-01', validTo: null, currency: 'CNY', perTonneMinor: 12_000 },
    { id: 'r', mode: 'rail', validFrom: '2026-01-01', validTo: null, currency: 'CNY', perTonneMinor: 14_000 },
  ];
  const t0 = performance.now();
  const port = { lat: 29.87, lng: 121.55 };
  const risk = { kt34: typhoonRisk(port, 200, 34, { table }), kt64: typhoonRisk(port, 200, 64, { table }) };
  const plan = planModes({ rates, shipments, risk, settings: defaultModePlanSettings(2026) });
  const planMs = ms(t0);
  const rule = plan.proposals[0]?.message.params;

  const size = statSync(shippedPath).size;
  const buildMedian = pct(builds, 0.5);
  const md = [
    `Raw file: \`hazard/climatology/JTWC_raw.parquet\`, ${stats!.rows.toLocaleString('en')} rows → ${stats!.fixes.toLocaleString('en')} fixes → ${stats!.kept.toLocaleString('en')} kept in ${stats!.storms.toLocaleString('en')} storms.`,
    '',
    '| step | result |',
    '|---|---|',
    `| build the table from the raw tracks (read parquet, dedupe, encode), median of ${RUNS} | ${fmt(buildMedian)} ms (max ${fmt(Math.max(...builds))} ms; target < 30 s: ${buildMedian < 30_000 ? 'met' : 'MISSED'}) |`,
    `| rebuilt table identical to the shipped one | ${built === shipped ? 'yes' : 'NO: run npm run build:climatology'} |`,
    `| shipped table | ${(size / 1024).toFixed(0)} KiB, ${shipped.split('\n').length - 1} lines, ${(gzipSync(shipped).length / 1024).toFixed(0)} KiB gzipped |`,
    `| load the table (parse, decode, prepare), median of ${RUNS} | ${fmt(pct(loads, 0.5))} ms |`,
    `| one risk query (a port, a distance, a threshold), p50 / p95 of ${queries.length} | ${fmt(pct(queries, 0.5))} / ${fmt(pct(queries, 0.95))} ms |`,
    `| a lane's mode plan (two risk queries + 12 months × 3 modes, 600 shipments) | ${fmt(planMs)} ms |`,
    '',
    `Chance of a passage within 200 km (years with one / 77 years, along the track):`,
    '',
    '| port | August ≥ 34 kt | August ≥ 64 kt | peak week ≥ 34 kt |',
    '|---|---|---|---|',
    ...rows,
    '',
    rule ? `Bench lane's proposal (ship ¥120/t, rail ¥140/t, default settings): ${JSON.stringify(rule)}` : 'Bench lane: no proposal.',
  ].join('\n');
  process.stdout.write(`${md}\n`);
  writeBenchmarkSection('climatology', 'npm run bench:climatology', md);
}

await main();
