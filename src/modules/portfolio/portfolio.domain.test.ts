import { describe, expect, it } from 'vitest';
import { abc, attentionCheck, paretoCurve, scopeOf, tierMoves, topShare } from './portfolio.domain.js';

// Hand-computed: positive total 1,000. Cumulative before each: K1 0, K2 500, K3 700 (tie with K2,
// after it by code), K4 900, K5 950, K6 980. A while the share before is < 80%, B while < 95%.
const world = [
  { accountId: 'id8', code: 'K8', value: -10 },
  { accountId: 'id3', code: 'K3', value: 200 },
  { accountId: 'id6', code: 'K6', value: 20 },
  { accountId: 'id1', code: 'K1', value: 500 },
  { accountId: 'id7', code: 'K7', value: 0 },
  { accountId: 'id5', code: 'K5', value: 30 },
  { accountId: 'id2', code: 'K2', value: 200 },
  { accountId: 'id4', code: 'K4', value: 50 },
];

describe('ABC tiers', () => {
  it('ranks by value with ties by code and puts zero and negative accounts last, always C', () => {
    const r = abc(world);
    expect(r.map((x) => [x.code, x.rank, x.tier, x.cumulativeShare])).toEqual([
      ['K1', 1, 'A', 0.5], ['K2', 2, 'A', 0.7], ['K3', 3, 'A', 0.9], ['K4', 4, 'B', 0.95], ['K5', 5, 'C', 0.98], ['K6', 6, 'C', 1],
      ['K7', 7, 'C', null], ['K8', 8, 'C', null],
    ]);
    expect(r.find((x) => x.code === 'K8')!.share).toBeCloseTo(-0.01);
  });

  it('breaks a tie across the A line by account code, whatever the input order', () => {
    const r = abc([...world].reverse(), { a: 0.6, b: 0.95 });
    expect(r.filter((x) => x.tier === 'A').map((x) => x.code)).toEqual(['K1', 'K2']);
    expect(r.find((x) => x.code === 'K3')!.tier).toBe('B');
  });

  it('gives everyone C when nobody sold anything', () => {
    expect(abc([{ accountId: 'a', code: 'A', value: 0 }, { accountId: 'b', code: 'B', value: -5 }]).map((x) => x.tier)).toEqual(['C', 'C']);
  });
});

describe('tier moves', () => {
  it('lists who rose and who fell and by how much', () => {
    const before = abc(world);
    const after = abc(world.map((w) => (w.code === 'K6' ? { ...w, value: 900 } : w.code === 'K1' ? { ...w, value: 10 } : w)));
    const m = tierMoves(before, after);
    expect(m[0]).toMatchObject({ code: 'K6', tierBefore: 'C', tierAfter: 'A', steps: 2, direction: 'rose', valueChange: 880, rankBefore: 6, rankAfter: 1 });
    expect(m.find((x) => x.code === 'K1')).toMatchObject({ tierBefore: 'A', tierAfter: 'C', steps: -2, direction: 'fell', valueChange: -490 });
  });
});

describe('attention check', () => {
  it('compares time by tier with revenue by tier and flags accounts outside [0.5, 2]', () => {
    const ranked = abc(world);
    const time = [
      { userId: 'u1', teamId: 't1', accountId: 'id1', minutes: 60 }, // K1 (A, 50% of revenue) gets 60 of 300 minutes = 20%: too little
      { userId: 'u1', teamId: 't1', accountId: 'id6', minutes: 180 }, // K6 (C, 2%) gets 60%: too much
      { userId: 'u2', teamId: 't1', accountId: 'id2', minutes: 60 }, // K2 (A, 20%) gets 20%: in balance
    ];
    const scope = new Set(['id1', 'id2', 'id6', 'id7']);
    const r = attentionCheck(time, ranked, scope);
    expect(r.tierRevenueShare).toEqual({ A: 0.9, B: 0.05, C: 0.05 });
    const u1 = r.byManager.find((g) => g.id === 'u1')!;
    expect(u1.minutes).toBe(240);
    expect(u1.tiers.find((t) => t.tier === 'A')).toMatchObject({ minutes: 60, timeShare: 0.25 });
    expect(u1.tiers.find((t) => t.tier === 'C')!.ratio).toBeCloseTo(0.75 / 0.05);
    expect(r.byTeam).toHaveLength(1);
    expect(r.byTeam[0]!.minutes).toBe(300);
    // Scope revenue: K1 500 + K2 200 + K6 20 = 720 (K7 has none and no time: not listed).
    const v = Object.fromEntries(r.accounts.map((a) => [a.accountId, a]));
    expect(Object.keys(v).sort()).toEqual(['id1', 'id2', 'id6']);
    expect(v.id1!.ratio).toBeCloseTo((60 / 300) / (500 / 720));
    expect(v.id1!.verdict).toBe('too little');
    expect(v.id2!.verdict).toBe('in balance');
    expect(v.id6!.verdict).toBe('too much');
  });
});

describe('a view of some accounts (a manager\'s scope)', () => {
  it('keeps the company tiers and ranks but adds up shares and tier totals over the view\'s own accounts', () => {
    // K2 200 (A), K4 50 (B), K6 20 (C), K8 −10 (C): positive total of the view 270.
    const s = scopeOf(abc(world), new Set(['id2', 'id4', 'id6', 'id8']));
    expect(s.rows.map((r) => [r.code, r.rank, r.tier, Number(r.scopeShare.toFixed(4)), r.scopeCumulativeShare === null ? null : Number(r.scopeCumulativeShare.toFixed(4))])).toEqual([
      ['K2', 2, 'A', 0.7407, 0.7407], ['K4', 4, 'B', 0.1852, 0.9259], ['K6', 6, 'C', 0.0741, 1], ['K8', 8, 'C', -0.037, null],
    ]);
    expect(s.positiveTotal).toBe(270);
    expect(s.tiers.A).toEqual({ accounts: 1, value: 200, share: 200 / 270 });
    expect(s.tiers.C).toMatchObject({ accounts: 2, value: 20 });
    expect(s.tiers.A.share + s.tiers.B.share + s.tiers.C.share).toBeCloseTo(1);
  });

  it('draws one point per account while there are few, and runs of accounts within one tier when there are many', () => {
    const few = paretoCurve(scopeOf(abc(world), new Set(world.map((w) => w.accountId))).rows);
    expect(few.perAccount).toBe(true);
    expect(few.points.map((p) => [p.accountId, p.accounts, p.tier, p.cumulativeShare])).toEqual([
      ['id1', 1, 'A', 0.5], ['id2', 2, 'A', 0.7], ['id3', 3, 'A', 0.9], ['id4', 4, 'B', 0.95], ['id5', 5, 'C', 0.98], ['id6', 6, 'C', 1],
    ]);
    const many = Array.from({ length: 1000 }, (_, i) => ({ accountId: `m${i}`, code: `M${String(i).padStart(4, '0')}`, value: 1000 - i }));
    const ranked = abc(many);
    const curve = paretoCurve(scopeOf(ranked, new Set(many.map((m) => m.accountId))).rows, 100);
    expect(curve.perAccount).toBe(false);
    expect(curve.accounts).toBe(1000);
    expect(curve.points.length).toBeGreaterThan(90);
    expect(curve.points.length).toBeLessThanOrEqual(102);
    expect(curve.points.at(-1)).toMatchObject({ accounts: 1000, accountShare: 1, cumulativeShare: 1 });
    expect(curve.points.reduce((s, p) => s + p.value, 0)).toBe(many.reduce((s, m) => s + m.value, 0));
    // No point mixes tiers: the last account of each tier ends a point.
    for (const tier of ['A', 'B'] as const) {
      const lastOfTier = ranked.filter((r) => r.tier === tier).at(-1)!.rank;
      expect(curve.points.some((p) => p.accounts === lastOfTier && p.tier === tier)).toBe(true);
    }
  });
});

describe('share of the top 20 %', () => {
  const items = (values: number[]) => values.map((value, i) => ({ accountId: `a${i}`, code: `C${String(i).padStart(2, '0')}`, value }));

  it('adds up the best fifth of the accounts that bought, whatever their order', () => {
    // 15 buying accounts (12 of 5, and 50, 30, 20): the top 3 (not 4) bring 100 of 160.
    const r = topShare(items([5, 50, 5, 5, 30, 5, 5, 20, 5, 5, 5, 5, 0, -10, 5, 5, 5]));
    expect(r).toEqual({ count: 3, of: 15, share: 100 / 160 });
  });

  it('takes at least one account, and says nothing when nothing was sold', () => {
    expect(topShare(items([40, 60]))).toEqual({ count: 1, of: 2, share: 0.6 });
    expect(topShare(items([0, -5]))).toEqual({ count: 0, of: 0, share: null });
  });
});
