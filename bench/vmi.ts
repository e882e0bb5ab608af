/**
 * `npm run bench:vmi [-- --dealers N] [-- --workers N]`: the nightly VMI suggestions for 2 000
 * dealers × 20 products (40 000 weekly series: automatic forecast refitted, then the order of each
 * site) over worker threads, one per core; one dealer's order recomputed after a stock count; and
 * one dealer's 12-month replay. Synthetic data from a fixed seed (decision 030). Writes the `vmi`
 * section of docs/benchmarks.md.
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { startTsWorker } from '../src/platform/bounded-worker.js';
import { forecastSeries } from '../src/modules/forecasting/forecasting.domain.js';
import { rng } from '../src/modules/forecasting/stats.domain.js';
import { addDays, WEEKDAYS } from '../src/shared/time.js';
import type { DemandInput } from '../src/modules/vmi/demand.domain.js';
import { replaySite, type ReplayLine } from '../src/modules/vmi/replay.domain.js';
import { suggestOrder, type LineInput, type SiteInput } from '../src/modules/vmi/vmi.domain.js';

const PRODUCTS = 20;
const WEEKS = 104;
const HORIZON = 13;
const AS_OF = '2027-03-01';

type Product = { id: string; weekly: number[]; line: Omit<LineInput, 'demand'> };
type Dealer = { site: Omit<SiteInput, 'lines'>; products: Product[] };

/** One dealer: 20 products (cement in kg bags and bagged goods), two years of weekly sales, a site with a lane and trucks. */
function dealer(i: number): Dealer {
  const r = rng(1000 + i);
  const products: Product[] = [];
  for (let p = 0; p < PRODUCTS; p++) {
    const cement = p < 8;
    const level = cement ? 2000 + r() * 20000 : 5 + r() * 200;
    const intermittent = !cement && r() < 0.3;
    const amp = r() * 0.4;
    const weekly = Array.from({ length: WEEKS }, (_, w) => {
      if (intermittent) return r() < 0.25 ? Math.round(1 + r() * level * 0.2) : 0;
      const season = 1 + amp * Math.sin((2 * Math.PI * w) / 52);
      return Math.max(0, Math.round(level * season * (0.8 + 0.4 * r())));
    });
    const daily = weekly.slice(-4).reduce((a, b) => a + b, 0) / 28;
    products.push({
      id: `P${p}`,
      weekly,
      line: {
        productId: `P${p}`,
        onHand: Math.round(daily * r() * 20),
        inTransit: r() < 0.3 ? [{ quantity: Math.round(daily * 5), arrives: addDays(AS_OF, 1 + Math.floor(r() * 3)) }] : [],
        policy: p % 2 ? { kind: 'minMax', minDays: 7, maxDays: 21 } : { kind: 'service', level: 0.95, minDays: 5, maxDays: 28 },
        pack: cement ? { units: 50, kg: 50, perPallet: 40 } : { units: 12, kg: 6, perPallet: 60 },
        minOrder: cement ? 1000 : 0,
      },
    });
  }
  const site: Omit<SiteInput, 'lines'> = {
    asOf: AS_OF,
    leadTimeDays: 1 + Math.floor(r() * 5),
    rhythm: { weekdays: [WEEKDAYS[Math.floor(r() * 5)]!], everyWeeks: r() < 0.3 ? 2 : 1 },
    capacity: { kg: 200_000 + Math.floor(r() * 400_000) },
    truck: { kg: 30_000, fullTrucks: r() < 0.5 },
    warnings: r() < 0.1 ? [{ from: addDays(AS_OF, 2), to: addDays(AS_OF, 4), reason: 'typhoon warning' }] : [],
    closures: r() < 0.05 ? [{ from: addDays(AS_OF, 10), to: addDays(AS_OF, 40), reason: 'seasonal road ban' }] : [],
  };
  return { site, products };
}

/** The forecast of one product, in the shape the VMI core reads. */
function forecastOf(p: Product): DemandInput {
  const f = forecastSeries({ values: p.weekly, frequency: 52 }, { horizon: HORIZON, nonNegative: true });
  // The history ends the Sunday before the order date: the forecast starts on it.
  return { kind: 'forecast', forecast: { start: AS_OF, periodDays: 7, levels: f.levels, point: f.point, quantiles: f.quantiles, ...(f.cumulative ? { cumulative: f.cumulative } : {}) } };
}

type Nightly = { dealers: number; series: number; lines: number; exceptions: number; ms: number };

/** The nightly run over dealers [from, to): refit every forecast, then draft every order. */
function nightly(from: number, to: number): Nightly {
  const t0 = performance.now();
  let lines = 0;
  let exceptions = 0;
  for (let i = from; i < to; i++) {
    const d = dealer(i);
    const s = suggestOrder({ ...d.site, lines: d.products.map((p) => ({ ...p.line, demand: forecastOf(p) })) });
    lines += s.lines.filter((l) => l.quantity > 0).length;
    exceptions += s.exceptions.length;
  }
  return { dealers: to - from, series: (to - from) * PRODUCTS, lines, exceptions, ms: performance.now() - t0 };
}

if (!isMainThread) {
  const { from, to } = workerData as { from: number; to: number };
  parentPort!.postMessage(nightly(from, to));
} else {
  await main();
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const arg = (k: string) => {
    const i = argv.indexOf(`--${k}`);
    return i >= 0 ? Number(argv[i + 1]) : undefined;
  };
  const dealers = arg('dealers') ?? 2000;
  const workers = arg('workers') ?? os.cpus().length;
  const loadBefore = os.loadavg()[0]!;

  // 1. Nightly, over worker threads.
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const chunk = Math.ceil(dealers / workers);
  const parts = await Promise.all(
    Array.from({ length: workers }, (_, w) => {
      const worker = startTsWorker(new URL(import.meta.url), { workerData: { from: w * chunk, to: Math.min(dealers, (w + 1) * chunk) } });
      return new Promise<Nightly>((resolve, reject) => {
        worker.once('message', (m: Nightly) => { resolve(m); void worker.terminate(); });
        worker.once('error', reject);
      });
    }),
  );
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const series = parts.reduce((s, p) => s + p.series, 0);
  const lines = parts.reduce((s, p) => s + p.lines, 0);
  const exceptions = parts.reduce((s, p) => s + p.exceptions, 0);
  process.stdout.write(`nightly: ${series} series in ${(wall / 1000).toFixed(1)} s wall, CPU ${(cpuMs / 1000).toFixed(1)} s\n`);

  // 2. One dealer after a stock count: the night's forecasts kept, or refitted too.
  const d = dealer(7);
  const forecasts = d.products.map(forecastOf);
  const recount = () => suggestOrder({ ...d.site, lines: d.products.map((p, k) => ({ ...p.line, onHand: p.line.onHand + 100, demand: forecasts[k]! })) });
  const refit = () => suggestOrder({ ...d.site, lines: d.products.map((p) => ({ ...p.line, onHand: p.line.onHand + 100, demand: forecastOf(p) })) });
  // Wall and CPU per run (the workers have ended: the process's CPU is this thread's).
  const median = (f: () => unknown, n: number) => {
    const ts: number[] = [];
    const cs: number[] = [];
    for (let i = 0; i < n; i++) {
      const c = process.cpuUsage();
      const a = performance.now();
      f();
      ts.push(performance.now() - a);
      const u = process.cpuUsage(c);
      cs.push((u.user + u.system) / 1000);
    }
    const mid = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(n / 2)]!;
    return { median: mid(ts), max: Math.max(...ts), cpu: mid(cs) };
  };
  recount();
  const kept = median(recount, 50);
  const refitted = median(refit, 10);
  process.stdout.write(`one dealer: ${kept.median.toFixed(2)} ms kept, ${refitted.median.toFixed(1)} ms refitted\n`);

  // 3. One dealer's 12-month replay: daily sales from the weekly ones, visits by its rhythm, forecasts refitted at each.
  const days = 364;
  const replayLines: ReplayLine[] = d.products.map((p) => {
    const daily = p.weekly.flatMap((w) => Array.from({ length: 7 }, (_, k) => Math.floor(w / 7) + (k < w % 7 ? 1 : 0)));
    return { ...p.line, history: daily.slice(0, daily.length - days), sales: daily.slice(-days), startOnHand: p.line.onHand, receipts: [] };
  });
  const ra = performance.now();
  const replay = replaySite({ from: addDays(AS_OF, -days), days, site: { ...d.site, warnings: [], closures: [] }, lines: replayLines });
  const replayMs = performance.now() - ra;
  process.stdout.write(`replay: ${(replayMs / 1000).toFixed(2)} s, ${replay.orders.length} orders\n`);
  const loadAfter = os.loadavg()[0]!;

  const { writeBenchmarkSection } = await import('./report.js');
  const f1 = (x: number) => x.toFixed(1);
  writeBenchmarkSection(
    'vmi',
    'npm run bench:vmi',
    [
      `Synthetic dealers from a fixed seed (bench/vmi.ts): 20 products each (8 cement in kg, 50 kg bags, minimum order 1 t; 12 bagged goods, 30% of them intermittent), 104 weeks of weekly sales, min/max and 95% service-level policies alternating, lead 1–5 days, weekly or fortnightly visits, site capacity, 30 t trucks (whole trucks for half of them), a warning at 10% and a lane closure at 5% of sites. Each series: the automatic forecast (forecastSeries, frequency 52, 13 weeks) refitted, then suggestOrder per site. Load average ${f1(loadBefore)} before, ${f1(loadAfter)} after, on ${os.cpus().length} cores shared with other work: wall times stretch with the load; CPU time is this process's (both threads).`,
      '',
      '| measure | target | result |',
      '|---|---|---|',
      `| nightly: ${dealers} dealers × ${PRODUCTS} products (${series} series), ${workers} worker threads | < 120 s | ${f1(wall / 1000)} s wall; CPU ${f1(cpuMs / 1000)} s (${(cpuMs / series).toFixed(2)} ms per series), i.e. ${f1(cpuMs / 1000 / workers)} s on ${workers} free cores; threads' own wall ${parts.map((p) => f1(p.ms / 1000)).join(' / ')} s |`,
      `| one dealer's order after a stock count, the night's forecasts kept (median of 50) | < 500 ms | ${kept.median.toFixed(2)} ms wall (max ${kept.max.toFixed(2)} ms), CPU ${kept.cpu.toFixed(2)} ms |`,
      `| the same with its 20 forecasts refitted (median of 10) | < 500 ms | ${f1(refitted.median)} ms wall (max ${f1(refitted.max)} ms), CPU ${f1(refitted.cpu)} ms |`,
      `| one dealer's 12-month replay (${days} days, ${replay.orders.length} orders, forecasts refitted at each visit) | – | ${(replayMs / 1000).toFixed(2)} s |`,
      '',
      `Nightly output: ${lines} order lines and ${exceptions} exceptions over ${dealers} sites. Replay of dealer 7: policy fill ${(replay.policy.fillRate * 100).toFixed(1)}%, ${replay.policy.stockoutDays} stock-out days, average stock ${f1(replay.policy.averageStockKg / 1000)} t.`,
    ].join('\n'),
  );
}
