/**
 * Portfolio use cases. Tiers are always computed company-wide (every account, whoever asks), so an
 * account's tier and rank are the same in every view; each view then shows only the accounts the
 * caller can see (accountVisibleTo), with totals and shares of those accounts. See
 * docs/decisions/009-portfolio-and-import.md.
 */
import type { z } from 'zod';
import type { Ctx } from '../../server/context.js';
import { badRequest, notFound } from '../../server/errors.js';
import { decodeCursor, encodeCursor } from '../../db/keyset.js';
import { accountScopeOf, accountVisibleTo } from '../../server/policy.js';
import { recordAudit } from '../audit/audit.service.js';
import { addMonths, ensureRollups, monthsBetween } from '../sales/sales.service.js';
import type { ApplyTiersBody, AttentionQuery, Attention, MovesQuery, Moves, SegmentQuery, Segmentation, SegmentRow } from './portfolio.contract.js';
import { abc, type AbcRow, attentionCheck, paretoCurve, scopeOf, type Tier, tierMoves } from './portfolio.domain.js';
import * as repo from './portfolio.repository.js';

type Window = z.infer<typeof Segmentation>['window'];

function windowOf(ctx: Ctx, q: SegmentQuery): Window {
  if (q.thresholdB < q.thresholdA) throw badRequest('thresholdB must be at least thresholdA', [{ path: 'querystring.thresholdB', message: 'below thresholdA' }]);
  const to = q.to ?? ctx.clock.now().toISOString().slice(0, 7);
  const from = q.from ?? addMonths(to, -11);
  if (from > to) throw badRequest('from is after to', [{ path: 'querystring.from', message: 'after to' }]);
  return { from, to, basis: q.basis, currency: q.currency, category: q.category ?? null, thresholdA: q.thresholdA, thresholdB: q.thresholdB };
}

/** Every account ranked (company-wide), each account's details, and the ids the caller may see. */
async function ranking(ctx: Ctx, w: Window): Promise<{ ranked: AbcRow[]; accounts: Map<string, repo.AccountValue>; visible: Set<string> }> {
  await ensureRollups(ctx.db);
  const values = await repo.accountValues(ctx.db.kysely, { ...w, category: w.category ?? undefined }, accountVisibleTo(ctx.actor, 'a.id'));
  const ranked = abc(values.map((v) => ({ accountId: v.accountId, code: v.code, value: v.value })), { a: w.thresholdA, b: w.thresholdB });
  return { ranked, accounts: new Map(values.map((v) => [v.accountId, v])), visible: new Set(values.filter((v) => v.visible).map((v) => v.accountId)) };
}

export type SegmentOptions = { keyOnly?: boolean; page?: { limit: number; cursor?: string | undefined } };

/**
 * ABC tiers over the window, company-wide, shown for the accounts the caller can see: the tier
 * totals, the Pareto curve and the table are all of that scope (shares of its own total), so they
 * add up; tiers and ranks stay the company's. `page` cuts the table (keyset on the rank); without
 * it every row comes back (exports, the CLI).
 */
export async function segment(ctx: Ctx, q: SegmentQuery, opts: SegmentOptions = {}): Promise<z.infer<typeof Segmentation>> {
  const w = windowOf(ctx, q);
  const { ranked, accounts, visible } = await ranking(ctx, w);
  const designated = await repo.designations(ctx.db.kysely);
  const scoped = scopeOf(ranked, visible);
  const tiers: Record<string, { accounts: number; valueMinor: number; share: number }> = {};
  for (const t of ['A', 'B', 'C'] as Tier[]) tiers[t] = { accounts: scoped.tiers[t].accounts, valueMinor: scoped.tiers[t].value, share: scoped.tiers[t].share };
  const curve = paretoCurve(scoped.rows);
  const nameOf = (id: string) => accounts.get(id)!.name;
  let rows = opts.keyOnly ? scoped.rows.filter((r) => r.tier === 'A' || designated.has(r.accountId)) : scoped.rows;
  const total = rows.length;
  let nextCursor: string | null = null;
  if (opts.page) {
    const { limit, cursor } = opts.page;
    if (cursor) {
      const [rank] = decodeCursor(cursor);
      if (typeof rank !== 'number') throw badRequest('The cursor is not valid; start again from the first page', [{ path: 'querystring.cursor', message: 'invalid cursor' }]);
      rows = rows.filter((r) => r.rank > rank);
    }
    if (rows.length > limit) nextCursor = encodeCursor(rows[limit - 1]!.rank, rows[limit - 1]!.accountId);
    rows = rows.slice(0, limit);
  }
  const items: SegmentRow[] = rows.map((r) => {
    const a = accounts.get(r.accountId)!;
    const d = designated.get(r.accountId);
    return {
      accountId: r.accountId, code: r.code, name: a.name, nameEn: a.nameEn, ownerId: a.ownerId, ownerName: a.ownerName, valueMinor: r.value, rank: r.rank, share: r.share,
      cumulativeShare: r.cumulativeShare, scopeShare: r.scopeShare, scopeCumulativeShare: r.scopeCumulativeShare,
      tier: r.tier, currentTier: (a.currentTier as Tier | null) ?? null, keyAccount: r.tier === 'A' || !!d, designationReason: d?.reason ?? null,
    };
  });
  const byId = new Map(scoped.rows.map((r) => [r.accountId, r]));
  return {
    window: w,
    scope: { kind: accountScopeOf(ctx.actor), accounts: scoped.rows.length, companyAccounts: ranked.length },
    totals: { accounts: scoped.rows.length, positiveValueMinor: scoped.positiveTotal, tiers },
    curve: {
      perAccount: curve.perAccount, accounts: curve.accounts,
      points: curve.points.map((p) => ({
        accounts: p.accounts, accountShare: p.accountShare, valueMinor: p.value, cumulativeShare: p.cumulativeShare, tier: p.tier,
        account: p.accountId ? { accountId: p.accountId, code: byId.get(p.accountId)!.code, name: nameOf(p.accountId), nameEn: accounts.get(p.accountId)!.nameEn, rank: byId.get(p.accountId)!.rank } : null,
      })),
    },
    items, total, nextCursor,
  };
}

/** The key accounts: computed A, or designated by hand, with their cumulative share. */
export async function keyAccounts(ctx: Ctx, q: SegmentQuery, page?: SegmentOptions['page']) {
  return segment(ctx, q, { keyOnly: true, ...(page ? { page } : {}) });
}

/** Who rose and who fell between two windows (default: the previous 12 months against the rolling 12). */
export async function moves(ctx: Ctx, q: MovesQuery): Promise<z.infer<typeof Moves>> {
  const after = windowOf(ctx, q);
  const len = monthsBetween(after.from, after.to).length;
  const beforeTo = q.previousTo ?? addMonths(after.from, -1);
  const before = windowOf(ctx, { ...q, from: q.previousFrom ?? addMonths(beforeTo, -(len - 1)), to: beforeTo });
  const [b, a] = [await ranking(ctx, before), await ranking(ctx, after)];
  const list = tierMoves(b.ranked, a.ranked).filter((m) => a.visible.has(m.accountId)).map((m) => ({
    accountId: m.accountId, code: m.code, name: a.accounts.get(m.accountId)?.name ?? '', nameEn: a.accounts.get(m.accountId)?.nameEn ?? null, tierBefore: m.tierBefore, tierAfter: m.tierAfter, steps: m.steps,
    direction: m.direction, rankBefore: m.rankBefore, rankAfter: m.rankAfter, valueBeforeMinor: m.valueBefore, valueAfterMinor: m.valueAfter, valueChangeMinor: m.valueChange,
  }));
  return { before, after, rose: list.filter((m) => m.direction === 'rose'), fell: list.filter((m) => m.direction === 'fell'), same: list.filter((m) => m.direction === 'same') };
}

async function writableAccount(ctx: Ctx, id: string) {
  const a = await ctx.db.kysely.selectFrom('accounts').select(['id', 'code', 'tier']).where('id', '=', id).where(accountVisibleTo(ctx.actor, 'accounts.id')).executeTakeFirst();
  if (!a) throw notFound('Account');
  return a;
}

export async function getDesignation(ctx: Ctx, accountId: string) {
  await writableAccount(ctx, accountId);
  const d = await repo.findDesignation(ctx.db.kysely, accountId);
  return { accountId, keyAccount: !!d, reason: d?.reason ?? null, designatedBy: d?.designated_by ?? null, designatedAt: d?.designated_at ?? null };
}

/** Designates (or undesignates) a key account by hand, with a reason; audited. */
export async function designate(ctx: Ctx, accountId: string, body: { keyAccount: boolean; reason: string }) {
  await writableAccount(ctx, accountId);
  const now = ctx.clock.now().toISOString();
  await ctx.db.kysely.transaction().execute(async (trx) => {
    const before = await repo.findDesignation(trx, accountId);
    if (body.keyAccount) await repo.upsertDesignation(trx, { account_id: accountId, reason: body.reason, designated_by: ctx.actor.userId, designated_at: now });
    else await repo.deleteDesignation(trx, accountId);
    await recordAudit(trx, ctx, {
      action: body.keyAccount ? 'key_account_designate' : 'key_account_undesignate', entity: 'account', entityId: accountId, accountId,
      before: before ? { keyAccount: true, reason: before.reason } : { keyAccount: false }, after: body,
    });
  });
  return getDesignation(ctx, accountId);
}

/** Writes the computed tiers to accounts.tier for the accounts the caller may edit; one audit row per changed account. */
export async function applyTiers(ctx: Ctx, body: ApplyTiersBody) {
  const w = windowOf(ctx, body);
  const { ranked, visible } = await ranking(ctx, w);
  const current = new Map((await ctx.db.kysely.selectFrom('accounts').select(['id', 'tier']).execute()).map((a) => [a.id, a.tier as Tier | null]));
  const changes = ranked.filter((r) => visible.has(r.accountId) && current.get(r.accountId) !== r.tier)
    .map((r) => ({ accountId: r.accountId, code: r.code, from: current.get(r.accountId) ?? null, to: r.tier }));
  const now = ctx.clock.now().toISOString();
  const applied: typeof changes = [];
  if (!body.dryRun) {
    await ctx.db.kysely.transaction().execute(async (trx) => {
      for (const c of changes) {
        if (!(await repo.setTier(trx, c.accountId, c.to, now))) continue;
        applied.push(c);
        await recordAudit(trx, ctx, { action: 'tier_apply', entity: 'account', entityId: c.accountId, accountId: c.accountId, before: { tier: c.from }, after: { tier: c.to, window: w } });
      }
    });
  }
  const changed = body.dryRun ? changes : applied;
  return { window: w, changed, unchanged: ranked.filter((r) => visible.has(r.accountId)).length - changed.length, dryRun: body.dryRun };
}

/** Where the hours go: time by tier per manager and team against revenue by tier, and the accounts out of balance. */
export async function attention(ctx: Ctx, q: AttentionQuery): Promise<z.infer<typeof Attention>> {
  const w = windowOf(ctx, q);
  const { ranked, accounts, visible } = await ranking(ctx, w);
  const scope = accountVisibleTo(ctx.actor, 'activities.account_id');
  const entries = await repo.timeEntries(ctx.db.kysely, scope, `${w.from}-01T00:00:00.000Z`, `${addMonths(w.to, 1)}-01T00:00:00.000Z`, q.userId);
  const r = attentionCheck(entries, ranked, visible, { low: q.low, high: q.high });
  const names = new Map(entries.map((e) => [e.userId, e.userName]));
  const teams = await repo.teamNames(ctx.db.kysely);
  return {
    window: w, tierRevenueShare: r.tierRevenueShare,
    byManager: r.byManager.map((g) => ({ userId: g.id!, name: names.get(g.id!) ?? '', minutes: g.minutes, tiers: g.tiers })),
    byTeam: r.byTeam.map((g) => ({ teamId: g.id, name: g.id ? teams.get(g.id) ?? null : null, minutes: g.minutes, tiers: g.tiers })),
    accounts: r.accounts.map((x) => ({
      accountId: x.accountId, code: accounts.get(x.accountId)?.code ?? '', name: accounts.get(x.accountId)?.name ?? '', nameEn: accounts.get(x.accountId)?.nameEn ?? null, tier: x.tier, minutes: x.minutes,
      valueMinor: x.value, attentionShare: x.attentionShare, revenueShare: x.revenueShare, ratio: x.ratio, verdict: x.verdict,
    })),
  };
}
