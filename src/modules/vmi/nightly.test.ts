import { describe, expect, it } from 'vitest';
import type { ForecastMethod } from '../forecasting/forecasting.contract.js';
import { forecastSeries } from '../forecasting/forecasting.domain.js';
import { fitHistory, reuseMethodOf, runNightly, type HistoryDemand, type NightlyLine, type NightlyProgress, type NightlySite } from './nightly.js';
import { suggestOrder } from './vmi.domain.js';

// Two years of weekly sales ending Sunday 2027-02-28; the order date is Monday 2027-03-01.
const weeks = (f: (w: number) => number) => Array.from({ length: 104 }, (_, w) => Math.round(f(w)));
const seasonal = weeks((w) => 700 * (1 + 0.3 * Math.sin((2 * Math.PI * w) / 52)) + ((w * 37) % 11) * 10);
const intermittent = weeks((w) => (w % 5 === 0 ? 3 + (w % 3) : 0));
const history = (values: (number | null)[]): HistoryDemand => ({ kind: 'history', values, frequency: 52, periodDays: 7, start: '2027-03-01' });
const bag = { units: 50, kg: 50, perPallet: 40 };
const line = (productId: string, demand: NightlyLine['demand'], onHand: number): NightlyLine => ({
  productId, onHand, demand, policy: productId.endsWith('1') ? { kind: 'minMax', minDays: 7, maxDays: 21 } : { kind: 'service', level: 0.95 }, pack: bag,
});
const site = (siteId: string, lines: NightlyLine[]): NightlySite => ({
  siteId, asOf: '2027-03-01', leadTimeDays: 3, rhythm: { weekdays: ['wed'] }, capacity: { kg: 40_000 }, truck: { kg: 30_000, fullTrucks: true }, lines,
});
const sites: NightlySite[] = [
  site('S1', [line('P1', history(seasonal), 200), line('P2', history(intermittent), 0), line('P3', { kind: 'rate', perDay: 40, sdPerDay: 8 }, 100)]),
  // An empty history: the forecasting engine refuses it, so this site cannot be drafted.
  site('BAD', [line('P1', history(seasonal), 200), line('P2', history([]), 0)]),
  site('S3', [line('P1', history(seasonal.map((v) => v * 2)), 5000), line('P2', history(seasonal.slice(0, 60)), 300)]),
];

describe('the nightly run', () => {
  it('gives the same results over worker threads as in this thread, and reports a bad site without losing the others', async () => {
    const progress: NightlyProgress[] = [];
    const inThread = await runNightly(sites, { workers: 1 });
    const pooled = await runNightly(sites, { workers: 2, batchSize: 2, onProgress: (p) => progress.push(p) });
    expect(pooled).toEqual(inThread);
    expect(pooled.map((r) => [r.siteId, r.ok])).toEqual([['S1', true], ['BAD', false], ['S3', true]]);
    const bad = pooled[1]!;
    expect(!bad.ok && bad.error).toEqual({ code: 'invalid_series', message: 'product P2: the series is empty' });
    expect(progress.map((p) => p.done).sort()).toEqual([1, 2, 3]);
    expect(progress.at(-1)).toMatchObject({ done: 3, failed: 1, total: 3 });
    // The pool's order is the VMI core's order on the engine's forecast.
    const s1 = pooled[0]!;
    if (!s1.ok) throw new Error('S1 failed');
    const f = forecastSeries({ values: seasonal, frequency: 52 }, { horizon: 13, nonNegative: true });
    const direct = suggestOrder({
      ...sites[0]!,
      lines: sites[0]!.lines.map((l, k) =>
        k === 0 ? { ...l, demand: { kind: 'forecast', forecast: { start: '2027-03-01', periodDays: 7, levels: f.levels, point: f.point, quantiles: f.quantiles, cumulative: f.cumulative! } } } : k === 1 ? { ...l, demand: { kind: 'forecast', forecast: s1.fits[1]!.forecast } } : { ...l, demand: l.demand as never },
      ),
    });
    expect(s1.suggestion).toEqual(direct);
    expect(s1.suggestion.lines.some((l) => l.quantity > 0)).toBe(true);
    expect(s1.fits.map((x) => [x.productId, x.refitted, x.method])).toEqual([['P1', true, 'auto'], ['P2', true, 'auto']]);
  });

  it('reports a site whose thread dies and drafts the rest of its batch in a new thread', async () => {
    const crash = { ...sites[0]!, siteId: 'CRASH' };
    const input = [sites[0]!, crash, sites[2]!, { ...sites[2]!, siteId: 'S4' }];
    const results = await runNightly(input, { workers: 2, batchSize: 3, entry: new URL('../../../test/fixtures/nightly-crash-worker.ts', import.meta.url) });
    const inThread = await runNightly([sites[0]!, sites[2]!], { workers: 1 });
    expect(results.map((r) => [r.siteId, r.ok])).toEqual([['S1', true], ['CRASH', false], ['S3', true], ['S4', true]]);
    expect(results[1]).toMatchObject({ ok: false, error: { code: 'worker_failed' } });
    expect([results[0], results[2]]).toEqual(inThread);
  });

  it('keeps a previous fit while its history is unchanged and refits when a week is added', async () => {
    const [first] = await runNightly([sites[0]!], { workers: 1 });
    if (!first?.ok) throw new Error('S1 failed');
    const withPrevious = (values: number[], start: string, asOf: string) => ({
      ...sites[0]!, asOf,
      lines: sites[0]!.lines.map((l, k) => (k === 0 ? { ...l, demand: { ...history(values), start, previous: first.fits[0]! } } : l)),
    });
    const [kept] = await runNightly([withPrevious(seasonal, '2027-03-01', '2027-03-02')], { workers: 1 });
    if (!kept?.ok) throw new Error('kept failed');
    expect(kept.fits[0]).toEqual({ ...first.fits[0]!, refitted: false });
    const [refit] = await runNightly([withPrevious([...seasonal, 800], '2027-03-08', '2027-03-08')], { workers: 1 });
    if (!refit?.ok) throw new Error(`refit failed: ${JSON.stringify(refit)}`);
    expect(refit.fits[0]!.refitted).toBe(true);
    expect(refit.fits[0]!.key).not.toBe(first.fits[0]!.key);
  });

  it('names the single method that reproduces the automatic choice exactly, else auto', () => {
    const input = { values: seasonal, frequency: 52 };
    const refit = (method: ForecastMethod) => forecastSeries(input, { horizon: 13, nonNegative: true, method });
    const theta = refit('theta');
    expect(theta.model).toMatch(/^Theta/);
    // Had the automatic choice picked Theta, a refit with 'theta' gives the same numbers: reuse it.
    expect(reuseMethodOf({ ...theta, method: 'auto' }, refit)).toBe('theta');
    // A forecast that method does not repeat exactly, or a combination, is refitted as 'auto'.
    expect(reuseMethodOf({ ...theta, method: 'auto', point: theta.point.map((v, i) => (i === 5 ? v + 1e-9 : v)) }, refit)).toBe('auto');
    const calls: ForecastMethod[] = [];
    expect(reuseMethodOf(refit('auto'), (m) => (calls.push(m), refit(m)))).toBe('auto');
    expect(calls).toEqual([]);
    // fitHistory stores what the choice gave and the method to refit it with.
    const fit = fitHistory(history(seasonal));
    expect(fit).toMatchObject({ method: 'auto', model: refit('auto').model, reuseMethod: reuseMethodOf(refit('auto'), refit) });
  });
});
