/**
 * The nightly VMI run (issue 17, measure; decision 037): every site's suggested order, with the
 * forecasts behind it, over a pool of worker threads (one per core by default). Inputs and results
 * are plain, structured-clone-friendly data: a site's settings and, per line, either a demand the
 * VMI core reads as it is (a stored forecast, a rate) or the sales history to forecast from. One
 * bad site reports its error; the others go on.
 *
 * What a night refits (decision 037): a forecast is a pure function of its history and options, so
 * a line that brings its previous fit with an unchanged history key keeps it (the same numbers a
 * refit would give); a changed history is refitted with the line's `method`, which the caller
 * sets to the `reuseMethod` of the last full selection (the automatic choice, run weekly).
 */
import { createHash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { WorkerPool } from '../../platform/bounded-worker.js';
import { ForecastError, type Forecast, type ForecastMethod } from '../forecasting/forecasting.contract.js';
import { forecastSeries } from '../forecasting/forecasting.domain.js';
import { VmiError } from './calendar.domain.js';
import type { DemandInput, PeriodForecast } from './demand.domain.js';
import { suggestOrder, type LineInput, type SiteInput, type Suggestion } from './vmi.domain.js';

/** A line's demand as its sales history per period; the nightly run forecasts it. */
export type HistoryDemand = {
  kind: 'history';
  /** Demand per period, oldest first (null: missing); the last period ends the day before `start`. */
  values: readonly (number | null)[];
  /** Periods per seasonal cycle (52 for weeks). */
  frequency: number;
  /** Days per period (7 for weeks). */
  periodDays: number;
  /** The first day of the forecast: the day after the history's last period (on or before the order date). */
  start: string;
  /** Periods to forecast (default 13). */
  horizon?: number;
  /** The forecasting method (default 'auto', the full automatic choice). */
  method?: ForecastMethod;
  /** The fit this line got last time; kept when the history key is unchanged. */
  previous?: StoredFit;
};

/** A fit to store with the line and hand back the next night. */
export type StoredFit = {
  /** Fingerprint of what the forecast depends on (history, frequency, period, start, horizon, method). */
  key: string;
  method: ForecastMethod;
  model: string;
  /**
   * The method a later refit of this line should pass: after the automatic choice, the single
   * method that gives exactly the chosen forecast on this history when there is one, else 'auto';
   * after any other method, that method.
   */
  reuseMethod: ForecastMethod;
  forecast: PeriodForecast;
};

export type NightlyLine = Omit<LineInput, 'demand'> & { demand: DemandInput | HistoryDemand };
export type NightlySite = Omit<SiteInput, 'lines'> & { siteId: string; lines: readonly NightlyLine[] };

/** Per history line: its fit and whether it was refitted tonight (false: the previous fit was kept). */
export type LineFit = StoredFit & { productId: string; refitted: boolean };

export type NightlyError = { code: string; message: string };
export type NightlyResult =
  | { siteId: string; ok: true; suggestion: Suggestion; fits: LineFit[] }
  | { siteId: string; ok: false; error: NightlyError };

export type NightlyProgress = { done: number; failed: number; total: number };

export type NightlyOptions = {
  /** Worker threads (default: the available cores); 1 runs in this thread. */
  workers?: number;
  /** Sites per task handed to a thread (default 20). */
  batchSize?: number;
  /** Old-generation heap per thread, MB (default 1024). */
  memoryMb?: number;
  /** After each site, in the order they finish. */
  onProgress?: (progress: NightlyProgress, result: NightlyResult) => void;
  /** The thread's entry module (default ./nightly-worker.ts; tests give one that fails). */
  entry?: URL;
};

const DEFAULT_HORIZON = 13;

/**
 * Single methods that can reproduce an automatic choice exactly. Not the intermittent ones: the
 * automatic choice gives TSB its exact compound distribution, the 'tsb' method a different one
 * (and it costs more). Not 'arima': its order search is what a reuse should avoid.
 */
const SINGLE_METHODS: readonly [RegExp, ForecastMethod][] = [
  [/^Theta( \(seasonally adjusted\))?$/, 'theta'],
  [/^seasonal naive$/, 'snaive'],
  [/^naive$/, 'naive'],
  [/^SES$/, 'ses'],
  [/^ETS\([^)]*\)$/, 'ets'],
];

const sameRows = (a: readonly (readonly number[])[] | undefined, b: readonly (readonly number[])[] | undefined) =>
  a === b || (!!a && !!b && a.length === b.length && a.every((r, k) => r.length === b[k]!.length && r.every((v, i) => Object.is(v, b[k]![i]))));

function sameForecast(a: Forecast, b: Forecast): boolean {
  return a.model === b.model && sameRows([a.point], [b.point]) && sameRows(a.quantiles, b.quantiles) && sameRows(a.cumulative, b.cumulative) && !a.totals && !b.totals;
}

/**
 * The method a later refit should pass after the automatic choice gave `chosen`: the single method
 * its model names when that method, run on the same history (`refit`), gives exactly the same
 * forecast; otherwise 'auto' (a combination, or a path of the automatic choice no method repeats).
 */
export function reuseMethodOf(chosen: Forecast, refit: (method: ForecastMethod) => Forecast): ForecastMethod {
  const single = SINGLE_METHODS.find(([re]) => re.test(chosen.model))?.[1];
  return single && sameForecast(chosen, refit(single)) ? single : 'auto';
}

/** The history key: what the forecast depends on. */
export function historyKey(d: HistoryDemand): string {
  const what = [d.values, d.frequency, d.periodDays, d.start, d.horizon ?? DEFAULT_HORIZON, d.method ?? 'auto'];
  return createHash('sha256').update(JSON.stringify(what)).digest('base64url').slice(0, 22);
}

/** The fit of one history line: the previous one when its key still holds, else a refit. */
export function fitHistory(d: HistoryDemand): StoredFit & { refitted: boolean } {
  const key = historyKey(d);
  if (d.previous && d.previous.key === key) return { ...d.previous, refitted: false };
  const method = d.method ?? 'auto';
  const input = { values: d.values, frequency: d.frequency };
  const options = { horizon: d.horizon ?? DEFAULT_HORIZON, nonNegative: true };
  const f = forecastSeries(input, { ...options, method });
  const reuseMethod = method === 'auto' ? reuseMethodOf(f, (single) => forecastSeries(input, { ...options, method: single })) : method;
  const forecast: PeriodForecast = { start: d.start, periodDays: d.periodDays, levels: f.levels, point: f.point, quantiles: f.quantiles, ...(f.cumulative ? { cumulative: f.cumulative } : {}) };
  return { key, method, model: f.model, reuseMethod, forecast, refitted: true };
}

function errorOf(e: unknown): NightlyError {
  if (e instanceof VmiError || e instanceof ForecastError) return { code: e.code, message: e.message };
  return { code: 'internal', message: e instanceof Error ? e.message : String(e) };
}

/** One site's order: its history lines forecast (or kept), then suggestOrder. Never throws. */
export function draftSite(site: NightlySite): NightlyResult {
  const siteId = site.siteId;
  try {
    const fits: LineFit[] = [];
    const lines: LineInput[] = site.lines.map((l) => {
      if (l.demand.kind !== 'history') return { ...l, demand: l.demand };
      let fit;
      try {
        fit = fitHistory(l.demand);
      } catch (e) {
        if (e instanceof ForecastError) throw new ForecastError(e.code, `product ${l.productId}: ${e.message}`);
        throw e;
      }
      const { refitted, ...stored } = fit;
      fits.push({ productId: l.productId, refitted, ...stored });
      return { ...l, demand: { kind: 'forecast', forecast: fit.forecast } };
    });
    const { siteId: _, lines: __, ...settings } = site;
    return { siteId, ok: true, suggestion: suggestOrder({ ...settings, lines }), fits };
  } catch (e) {
    return { siteId, ok: false, error: errorOf(e) };
  }
}

/** A thread's task: a batch of sites; its events: one result per site, in order. */
export type NightlyTask = { sites: NightlySite[] };

export async function* draftBatch(task: NightlyTask): AsyncGenerator<NightlyResult> {
  for (const site of task.sites) yield draftSite(site);
}

/**
 * Drafts every site's order (decision 037). Results come back in the order of `sites`, one per
 * site: ok with the suggestion and the fits to store, or the site's error (bad input, a thread that
 * died on it). With `workers` > 1 (default: the available cores) the sites go in batches to that
 * many worker threads; with 1, they run in this thread (yielding between batches). The same input
 * gives the same results either way.
 */
export async function runNightly(sites: readonly NightlySite[], opts: NightlyOptions = {}): Promise<NightlyResult[]> {
  const workers = Math.max(1, Math.floor(opts.workers ?? availableParallelism()));
  const batchSize = Math.max(1, Math.floor(opts.batchSize ?? 20));
  const results = new Array<NightlyResult | undefined>(sites.length);
  const progress: NightlyProgress = { done: 0, failed: 0, total: sites.length };
  const record = (i: number, r: NightlyResult) => {
    results[i] = r;
    progress.done++;
    if (!r.ok) progress.failed++;
    opts.onProgress?.({ ...progress }, r);
  };
  const batches: number[][] = [];
  for (let i = 0; i < sites.length; i += batchSize) batches.push(Array.from({ length: Math.min(batchSize, sites.length - i) }, (_, k) => i + k));

  if (workers === 1 || sites.length === 0) {
    for (const batch of batches) {
      for (const i of batch) record(i, draftSite(sites[i]!));
      await yieldToLoop();
    }
    return results as NightlyResult[];
  }

  const pool = new WorkerPool({
    entry: opts.entry ?? new URL('./nightly-worker.ts', import.meta.url),
    size: workers,
    memoryMb: opts.memoryMb ?? 1024,
    outOfMemory: () => new Error('the site needed more memory than a nightly thread has'),
    idleMs: 1000,
  });
  // Runs the sites of `idx` in one thread; returns those that got no result when the thread failed.
  const runTask = async (idx: number[]): Promise<{ left: number[]; error: Error | null }> => {
    let k = 0;
    try {
      for await (const r of pool.run<NightlyResult>({ sites: idx.map((i) => sites[i]!) } satisfies NightlyTask)) record(idx[k++]!, r);
      return { left: [], error: null };
    } catch (e) {
      return { left: idx.slice(k), error: e instanceof Error ? e : new Error(String(e)) };
    }
  };
  let next = 0;
  const lane = async () => {
    while (next < batches.length) {
      const { left } = await runTask(batches[next++]!);
      // A thread that died (out of memory, a crash) takes its batch with it: the sites it had not
      // answered go again one by one, so only the site that kills a thread is reported.
      for (const i of left) {
        const again = await runTask([i]);
        if (again.error) record(i, { siteId: sites[i]!.siteId, ok: false, error: { code: 'worker_failed', message: again.error.message } });
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(workers, batches.length) }, lane));
  } finally {
    await pool.close();
  }
  return results as NightlyResult[];
}
