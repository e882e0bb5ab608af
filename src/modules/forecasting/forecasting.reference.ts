/**
 * Readers for the shared forecasting reference data (M3, car parts, R's forecasts), used by
 * the acceptance tests and bench/forecast.ts. File I/O lives here, never in *.domain.ts.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';

export type ReferenceSeries = { id: string; train: number[]; test: number[] };

/** Rows of a CSV with a header; with `ids`, only rows whose first field is one of them (fast path for tests). */
function rows(file: string, ids?: readonly string[]): Record<string, string>[] {
  let text = readFileSync(file, 'utf8');
  if (ids) {
    const keep = new Set(ids);
    const lines = text.split('\n');
    text = [lines[0], ...lines.slice(1).filter((l) => keep.has(l.slice(0, l.indexOf(',')).replace(/"/g, '')))].join('\n');
  }
  return parse(text, { columns: true, skip_empty_lines: true, trim: true }) as Record<string, string>[];
}

/**
 * Series of a long CSV `series_id,split,t,value` (or `series_id,t[,month],value`, all train),
 * in file order, values ordered by t.
 */
export function readLongSeries(file: string, ids?: readonly string[]): ReferenceSeries[] {
  const byId = new Map<string, { train: [number, number][]; test: [number, number][] }>();
  for (const r of rows(file, ids)) {
    const id = r.series_id!;
    let s = byId.get(id);
    if (!s) byId.set(id, (s = { train: [], test: [] }));
    (r.split === 'test' ? s.test : s.train).push([Number(r.t), Number(r.value)]);
  }
  const order = (a: [number, number][]) => a.sort((x, y) => x[0] - y[0]).map((x) => x[1]);
  return [...byId].map(([id, s]) => ({ id, train: order(s.train), test: order(s.test) }));
}

/** R's forecasts: series → method → values by step. */
export function readRForecasts(file: string, ids?: readonly string[]): Map<string, Map<string, number[]>> {
  const out = new Map<string, Map<string, number[]>>();
  for (const r of rows(file, ids)) {
    let bySeries = out.get(r.series_id!);
    if (!bySeries) out.set(r.series_id!, (bySeries = new Map()));
    let v = bySeries.get(r.method!);
    if (!v) bySeries.set(r.method!, (v = []));
    v[Number(r.step) - 1] = Number(r.forecast);
  }
  return out;
}

/** A summary CSV (r_summary_*.csv) as rows keyed by column name. */
export function readSummary(file: string): Record<string, string>[] {
  return rows(file);
}
