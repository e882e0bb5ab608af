/**
 * OSRM-compatible `/table` client behind `TravelMatrixProvider`. Large point sets are split
 * into blocks (OSRM's default `--max-table-size` is 100) using `sources` and `destinations`.
 * Unroutable pairs (`null` in the answer) become Infinity, which the planners treat as
 * "cannot travel".
 */
import type { LatLng } from '../../shared/geo.js';
import type { TravelMatrix, TravelMatrixProvider } from './routing.travel.domain.js';

export type OsrmOptions = {
  /** e.g. "http://127.0.0.1:5000" */
  baseUrl: string;
  /** OSRM profile in the URL (default "driving"). */
  profile?: string;
  /** Largest number of coordinates in one request (default 100). */
  maxTableSize?: number;
  /** Per-request timeout (default 10 s). */
  timeoutMs?: number;
  fetch?: typeof fetch;
};

type OsrmTable = { code?: string; message?: string; durations?: (number | null)[][]; distances?: (number | null)[][] };

/** A travel-matrix provider that asks an OSRM server (or any server speaking its `/table` API). */
export function createOsrmTravelProvider(options: OsrmOptions): TravelMatrixProvider {
  const base = options.baseUrl.replace(/\/+$/, '');
  const profile = options.profile ?? 'driving';
  const maxTable = Math.max(2, options.maxTableSize ?? 100);
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 10_000;

  async function table(points: readonly LatLng[], sources: number[] | null, destinations: number[] | null): Promise<OsrmTable> {
    const coords = points.map((p) => `${p.lng.toFixed(6)},${p.lat.toFixed(6)}`).join(';');
    let query = 'annotations=duration,distance';
    if (sources) query += `&sources=${sources.join(';')}`;
    if (destinations) query += `&destinations=${destinations.join(';')}`;
    const url = `${base}/table/v1/${encodeURIComponent(profile)}/${coords}?${query}`;
    const res = await doFetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    let body: OsrmTable;
    try {
      body = (await res.json()) as OsrmTable;
    } catch {
      throw new Error(`OSRM table: HTTP ${res.status}, answer is not JSON`);
    }
    if (!res.ok || body.code !== 'Ok') throw new Error(`OSRM table: HTTP ${res.status} ${body.code ?? ''} ${body.message ?? ''}`.trim());
    return body;
  }

  return {
    name: `osrm:${base}`,
    async matrix(points) {
      const n = points.length;
      const minutes = new Float64Array(n * n);
      const metres = new Float64Array(n * n);
      if (n <= 1) return { size: n, minutes, metres };
      // Blocks of rows × columns whose union of points fits in one request.
      const half = Math.max(1, Math.floor(maxTable / 2));
      const block = n <= maxTable ? n : half;
      for (let r0 = 0; r0 < n; r0 += block) {
        for (let c0 = 0; c0 < n; c0 += block) {
          const rows = range(r0, Math.min(n, r0 + block));
          const cols = range(c0, Math.min(n, c0 + block));
          const single = n <= maxTable;
          const idx = single ? rows : [...new Set([...rows, ...cols])];
          const pos = new Map(idx.map((p, i) => [p, i]));
          const body = await table(idx.map((i) => points[i]!), single ? null : rows.map((r) => pos.get(r)!), single ? null : cols.map((c) => pos.get(c)!));
          const d = body.durations;
          const m = body.distances;
          if (!d || !m || d.length !== rows.length || m.length !== rows.length) throw new Error('OSRM table: answer lacks durations or distances of the expected size');
          rows.forEach((from, i) => {
            cols.forEach((to, j) => {
              const sec = d[i]?.[j];
              const dist = m[i]?.[j];
              minutes[from * n + to] = typeof sec === 'number' ? sec / 60 : Infinity;
              metres[from * n + to] = typeof dist === 'number' ? dist : Infinity;
            });
          });
        }
      }
      return { size: n, minutes, metres };
    },
  };
}

const range = (a: number, b: number): number[] => Array.from({ length: b - a }, (_, i) => a + i);
