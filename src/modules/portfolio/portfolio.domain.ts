/**
 * Portfolio segmentation, pure: Pareto/ABC tiers, tier moves between two periods, and the
 * attention (time) check against revenue. No I/O.
 *
 * ABC rules (see docs/decisions/009-portfolio-and-import.md):
 * - Accounts with a positive value are ranked by value, highest first; equal values are ordered by
 *   account code, then id, ascending — so ties are broken deterministically and alphabetically.
 * - Shares are of the total of positive values. An account is A when the cumulative share of the
 *   accounts ranked before it is below the A threshold (so the account that crosses 80% is still A:
 *   A is the smallest head of the ranking that reaches 80%); B likewise up to the B threshold; then C.
 * - Accounts with zero or negative value (no sales, or more returns than sales) are always C,
 *   ranked after every positive account (by value descending, then code), with no cumulative share.
 */

export type Tier = 'A' | 'B' | 'C';
const tierList: Tier[] = ['A', 'B', 'C'];
export type Thresholds = { a: number; b: number };
export const defaultThresholds: Thresholds = { a: 0.8, b: 0.95 };

export type AbcInput = { accountId: string; code: string; value: number };
export type AbcRow = AbcInput & { rank: number; share: number; cumulativeShare: number | null; tier: Tier };

const byValueThenCode = (x: AbcInput, y: AbcInput) =>
  y.value - x.value || (x.code < y.code ? -1 : x.code > y.code ? 1 : 0) || (x.accountId < y.accountId ? -1 : x.accountId > y.accountId ? 1 : 0);

/** ABC tiers of the accounts by value (minor units of revenue or margin). */
export function abc(items: AbcInput[], t: Thresholds = defaultThresholds): AbcRow[] {
  const positive = items.filter((i) => i.value > 0).sort(byValueThenCode);
  const rest = items.filter((i) => !(i.value > 0)).sort(byValueThenCode);
  const total = positive.reduce((s, i) => s + i.value, 0);
  const out: AbcRow[] = [];
  let before = 0;
  for (const i of positive) {
    const tier: Tier = before < t.a * total ? 'A' : before < t.b * total ? 'B' : 'C';
    before += i.value;
    // Literal objects, not `{ ...i }`: spreading measured about 4 µs per row (V8), most of a segmentation.
    out.push({ accountId: i.accountId, code: i.code, value: i.value, rank: out.length + 1, share: i.value / total, cumulativeShare: before / total, tier });
  }
  for (const i of rest) out.push({ accountId: i.accountId, code: i.code, value: i.value, rank: out.length + 1, share: total > 0 ? i.value / total : 0, cumulativeShare: null, tier: 'C' });
  return out;
}

export type ScopedRow = AbcRow & { scopeShare: number; scopeCumulativeShare: number | null };
export type TierTotals = Record<Tier, { accounts: number; value: number; share: number }>;
export type Scoped = { rows: ScopedRow[]; positiveTotal: number; tiers: TierTotals };

/**
 * The accounts of one view (`scope`, e.g. a manager's own) out of the company-wide ranking: their
 * company tiers and ranks, with shares of the view's own positive total, so the tier totals, the
 * Pareto curve and the table of the view add up to the same figures. Same rules as `abc`: zero and
 * negative values have no cumulative share and count for nothing in the totals' value.
 */
export function scopeOf(ranked: AbcRow[], scope: ReadonlySet<string>): Scoped {
  const inScope = ranked.filter((r) => scope.has(r.accountId));
  const positiveTotal = inScope.reduce((s, r) => s + (r.value > 0 ? r.value : 0), 0);
  let before = 0;
  const rows = inScope.map((r): ScopedRow => {
    if (r.value > 0) before += r.value;
    // Literal objects, as in `abc`: a spread costs microseconds per row.
    return {
      accountId: r.accountId, code: r.code, value: r.value, rank: r.rank, share: r.share, cumulativeShare: r.cumulativeShare, tier: r.tier,
      scopeShare: positiveTotal > 0 ? r.value / positiveTotal : 0, scopeCumulativeShare: r.value > 0 ? before / positiveTotal : null,
    };
  });
  const tiers = Object.fromEntries(tierList.map((t) => {
    const of = rows.filter((r) => r.tier === t);
    const value = of.reduce((s, r) => s + (r.value > 0 ? r.value : 0), 0);
    return [t, { accounts: of.length, value, share: positiveTotal > 0 ? value / positiveTotal : 0 }];
  })) as TierTotals;
  return { rows, positiveTotal, tiers };
}

export type CurvePoint = {
  /** Accounts of the view up to and including this point (1-based), and that as a share of the view's positive accounts. */
  accounts: number; accountShare: number;
  /** Value of the accounts of this point, and the cumulative share of the view's total after it. */
  value: number; cumulativeShare: number; tier: Tier;
  /** The one account of the point when every account is its own point. */
  accountId: string | null;
};

/**
 * The Pareto curve of a view: one point per account with a positive value when there are at most
 * `maxPoints` of them; otherwise runs of consecutive accounts (never across a tier line, so every
 * point has one tier), at most about `maxPoints` + 2 points whatever the number of accounts.
 */
export function paretoCurve(rows: ScopedRow[], maxPoints = 100): { perAccount: boolean; accounts: number; points: CurvePoint[] } {
  const positive = rows.filter((r) => r.value > 0 && r.scopeCumulativeShare !== null);
  const n = positive.length;
  const perAccount = n <= maxPoints;
  const size = perAccount ? 1 : Math.ceil(n / maxPoints);
  const points: CurvePoint[] = [];
  let i = 0;
  while (i < n) {
    const tier = positive[i]!.tier;
    let j = i;
    let value = 0;
    while (j < n && j - i < size && positive[j]!.tier === tier) value += positive[j++]!.value;
    const last = positive[j - 1]!;
    points.push({ accounts: j, accountShare: j / n, value, cumulativeShare: last.scopeCumulativeShare!, tier, accountId: perAccount ? last.accountId : null });
    i = j;
  }
  return { perAccount, accounts: n, points };
}

const tierScore: Record<Tier, number> = { A: 3, B: 2, C: 1 };

export type TierMove = {
  accountId: string; code: string;
  tierBefore: Tier; tierAfter: Tier; steps: number; direction: 'rose' | 'fell' | 'same';
  rankBefore: number | null; rankAfter: number | null; valueBefore: number; valueAfter: number; valueChange: number;
};

/**
 * How each account moved between two ABC results (`before`, `after`); an account missing from one
 * side counts as C with value 0. Sorted: the biggest rises first, then the unchanged, then the
 * biggest falls; within each by value change, then code.
 */
export function tierMoves(before: AbcRow[], after: AbcRow[]): TierMove[] {
  const b = new Map(before.map((r) => [r.accountId, r]));
  const a = new Map(after.map((r) => [r.accountId, r]));
  const ids = new Set([...b.keys(), ...a.keys()]);
  const out: TierMove[] = [];
  for (const id of ids) {
    const x = b.get(id);
    const y = a.get(id);
    const tierBefore = x?.tier ?? 'C';
    const tierAfter = y?.tier ?? 'C';
    const steps = tierScore[tierAfter] - tierScore[tierBefore];
    const valueBefore = x?.value ?? 0;
    const valueAfter = y?.value ?? 0;
    out.push({
      accountId: id, code: (y ?? x)!.code, tierBefore, tierAfter, steps, direction: steps > 0 ? 'rose' : steps < 0 ? 'fell' : 'same',
      rankBefore: x?.rank ?? null, rankAfter: y?.rank ?? null, valueBefore, valueAfter, valueChange: valueAfter - valueBefore,
    });
  }
  return out.sort((p, q) => q.steps - p.steps || q.valueChange - p.valueChange || (p.code < q.code ? -1 : p.code > q.code ? 1 : 0));
}

export type TimeEntry = { userId: string; teamId: string | null; accountId: string; minutes: number };
export type Band = { low: number; high: number };
export const defaultBand: Band = { low: 0.5, high: 2 };

export type TierTime = { tier: Tier; minutes: number; timeShare: number; revenueShare: number; ratio: number | null };
export type GroupTime = { id: string | null; minutes: number; tiers: TierTime[] };
export type AccountAttention = {
  accountId: string; tier: Tier; minutes: number; value: number; attentionShare: number; revenueShare: number; ratio: number | null;
  verdict: 'too little' | 'too much' | 'in balance';
};

const tiers: Tier[] = tierList;

/**
 * The 80/20 check of where the hours go.
 * - Per manager and per team: the share of their time spent on each tier against that tier's
 *   share of company revenue (`ratio` = time share ÷ revenue share; null when the tier has no revenue).
 * - Per account in `scope`: its share of the scope's time against its share of the scope's
 *   positive revenue; outside [band.low, band.high] it gets too little or too much attention.
 *   An account with time but no revenue gets too much; one with revenue and no time too little.
 */
export function attentionCheck(time: TimeEntry[], ranked: AbcRow[], scope: ReadonlySet<string>, band: Band = defaultBand) {
  const byAccount = new Map(ranked.map((r) => [r.accountId, r]));
  const tierOf = (id: string): Tier => byAccount.get(id)?.tier ?? 'C';
  const positive = (v: number) => (v > 0 ? v : 0);
  const companyTotal = ranked.reduce((s, r) => s + positive(r.value), 0);
  const tierRevenueShare = Object.fromEntries(tiers.map((t) => [t, companyTotal > 0 ? ranked.filter((r) => r.tier === t).reduce((s, r) => s + positive(r.value), 0) / companyTotal : 0])) as Record<Tier, number>;

  const group = (key: (e: TimeEntry) => string | null): GroupTime[] => {
    const m = new Map<string | null, Record<Tier, number>>();
    for (const e of time) {
      const k = key(e);
      const g = m.get(k) ?? { A: 0, B: 0, C: 0 };
      g[tierOf(e.accountId)] += e.minutes;
      m.set(k, g);
    }
    return [...m.entries()].map(([id, g]) => {
      const minutes = g.A + g.B + g.C;
      return {
        id, minutes,
        tiers: tiers.map((t) => {
          const timeShare = minutes > 0 ? g[t] / minutes : 0;
          return { tier: t, minutes: g[t], timeShare, revenueShare: tierRevenueShare[t], ratio: tierRevenueShare[t] > 0 ? timeShare / tierRevenueShare[t] : null };
        }),
      };
    }).sort((x, y) => y.minutes - x.minutes || String(x.id).localeCompare(String(y.id)));
  };

  const minutesByAccount = new Map<string, number>();
  for (const e of time) if (scope.has(e.accountId)) minutesByAccount.set(e.accountId, (minutesByAccount.get(e.accountId) ?? 0) + e.minutes);
  const scopeMinutes = [...minutesByAccount.values()].reduce((s, x) => s + x, 0);
  const scopeRevenue = ranked.filter((r) => scope.has(r.accountId)).reduce((s, r) => s + positive(r.value), 0);
  const accounts: AccountAttention[] = [];
  for (const id of scope) {
    const r = byAccount.get(id);
    const minutes = minutesByAccount.get(id) ?? 0;
    const value = r?.value ?? 0;
    if (minutes === 0 && positive(value) === 0) continue;
    const attentionShare = scopeMinutes > 0 ? minutes / scopeMinutes : 0;
    const revenueShare = scopeRevenue > 0 ? positive(value) / scopeRevenue : 0;
    const ratio = revenueShare > 0 ? attentionShare / revenueShare : null;
    const verdict = ratio === null ? 'too much' : ratio < band.low ? 'too little' : ratio > band.high ? 'too much' : 'in balance';
    accounts.push({ accountId: id, tier: tierOf(id), minutes, value, attentionShare, revenueShare, ratio, verdict });
  }
  accounts.sort((x, y) => (byAccount.get(x.accountId)?.rank ?? 1e9) - (byAccount.get(y.accountId)?.rank ?? 1e9));
  return { tierRevenueShare, byManager: group((e) => e.userId), byTeam: group((e) => e.teamId), accounts };
}

/**
 * The 80/20 in one number: the share of the positive total brought by the top `fraction` of the
 * accounts with a positive value (at least one account when there is any), ranked as in `abc`.
 * `count` of `of` accounts; share null when nothing was sold.
 */
export function topShare(items: AbcInput[], fraction = 0.2): { count: number; of: number; share: number | null } {
  const positive = items.filter((i) => i.value > 0).sort(byValueThenCode);
  const total = positive.reduce((s, i) => s + i.value, 0);
  if (!positive.length) return { count: 0, of: 0, share: null };
  // 15 × 0.2 is 3.0000000000000004 in floating point: the top 20 % of 15 accounts is 3, not 4.
  const count = Math.max(1, Math.ceil(positive.length * fraction - 1e-9));
  return { count, of: positive.length, share: positive.slice(0, count).reduce((s, i) => s + i.value, 0) / total };
}
