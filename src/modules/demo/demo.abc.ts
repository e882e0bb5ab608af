/**
 * Pareto and ABC arithmetic on revenue per account (integer minor units). Pure functions.
 */

/**
 * Share of the total that the top `fraction` of the items bring (top k = floor(n × fraction),
 * at least one). Only positive values count: accounts that bought nothing, or returned more
 * than they bought, are not part of the customer base being split.
 */
export function topShare(values: Iterable<number>, fraction = 0.2): number {
  const v = [...values].filter((x) => x > 0).sort((a, b) => b - a);
  if (v.length === 0) return 0;
  const k = Math.max(1, Math.floor(v.length * fraction));
  let top = 0, total = 0;
  for (let i = 0; i < v.length; i++) {
    total += v[i]!;
    if (i < k) top += v[i]!;
  }
  return top / total;
}

export type AbcTier = 'A' | 'B' | 'C';

/**
 * ABC classes by cumulative share of revenue, largest first: A while the revenue before the
 * account is under `a` (80%) of the total — so the account that crosses 80% is still A — then
 * B under `b` (95%), then C. Keys without positive revenue are C.
 */
export function abcTiers<K>(revenue: ReadonlyMap<K, number>, a = 0.8, b = 0.95): Map<K, AbcTier> {
  const out = new Map<K, AbcTier>();
  const ranked = [...revenue.entries()].filter(([, v]) => v > 0).sort((x, y) => y[1] - x[1]);
  const total = ranked.reduce((s, [, v]) => s + v, 0);
  let before = 0;
  for (const [key, v] of ranked) {
    out.set(key, before < a * total ? 'A' : before < b * total ? 'B' : 'C');
    before += v;
  }
  for (const key of revenue.keys()) if (!out.has(key)) out.set(key, 'C');
  return out;
}
