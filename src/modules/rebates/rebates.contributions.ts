/**
 * Rebates on the account page (earned to date, tier reached, chance of the next tier), the
 * timeline (settlements issued and reversed, agreements approved and changed), the day
 * (directors: agreements awaiting approval; managers: an agreement close to its next tier before
 * the period ends), the dealer portal (its own progress, nothing internal) and the price
 * waterfall (the rebate accrued for the account, attributed to the product by its share of the basis).
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { Contribution, TimelineQuery } from '../../platform/contributions.js';
import type { AccountFact, AgendaItem, PortalCard, PriceStep, TimelineEvent } from '../../platform/contributions.contract.js';
import type { Ctx } from '../../server/context.js';
import { accountVisibleTo } from '../../server/policy.js';
import { addDays } from '../../shared/time.js';
import { salesBasis } from '../sales/sales.basis.js';
import { agreementVisible, listAgreements } from './rebates.repository.js';
import { accountAttainments, attainmentsOf, portalProgress, type RebateSettings, today } from './rebates.service.js';

const db = (ctx: Ctx) => ctx.db.kysely as Kysely<Database>;

async function facts(ctx: Ctx, accountId: string): Promise<AccountFact[]> {
  const list = await accountAttainments(ctx, accountId, true);
  if (!list.length) return [];
  // The agreement ending first is the one to act on; earned to date sums over all of them (one currency each).
  list.sort((a, b) => a.agreement.row.period_end.localeCompare(b.agreement.row.period_end));
  const main = list[0]!;
  const a = main.attainment;
  const earned = list.filter((x) => x.agreement.row.currency === main.agreement.row.currency).reduce((s, x) => s + x.attainment.earnedToDateMinor, 0);
  const out: AccountFact[] = [{
    id: 'rebates.earned', module: 'rebates', labelKey: 'rebates.facts.earned', order: 80,
    value: { kind: 'money', amountMinor: earned, currency: main.agreement.row.currency }, status: 'info',
    noteKey: 'rebates.facts.earnedNote', noteParams: { count: list.length, number: main.agreement.row.number }, link: { tab: 'rebates' },
  }, {
    id: 'rebates.tier', module: 'rebates', labelKey: 'rebates.facts.tier', order: 81,
    value: { kind: 'percent', value: a.tierIndex >= 0 ? a.tiers[a.tierIndex]!.ratePercent : 0 }, status: a.tierIndex >= 0 ? 'ok' : 'watch',
    noteKey: a.tierIndex >= 0 ? 'rebates.facts.tierNote' : 'rebates.facts.belowFirst', noteParams: { tier: a.tierIndex + 1, of: a.tiers.length }, link: { tab: 'rebates' },
  }];
  if (a.next && a.forecast) {
    const chance = a.forecast.chances[a.next.tierIndex]?.probability ?? null;
    out.push({
      id: 'rebates.nextTier', module: 'rebates', labelKey: 'rebates.facts.nextTier', order: 82,
      value: chance === null ? { kind: 'unknown', reasonKey: 'rebates.facts.noForecast' } : { kind: 'percent', value: Math.round(chance * 100) },
      status: chance !== null && chance < 0.5 ? 'watch' : 'info',
      noteKey: 'rebates.facts.nextTierNote', noteParams: { rate: a.next.ratePercent, moreMinor: a.next.moreNeeded, currency: a.currency, date: addDays(a.periodEnd, -1) },
      link: { tab: 'rebates' },
    });
  }
  return out;
}

async function timeline(ctx: Ctx, accountId: string, q: TimelineQuery): Promise<TimelineEvent[]> {
  const covering = db(ctx).selectFrom('rebate_agreement_accounts as raa').select('raa.agreement_id').where('raa.account_id', '=', accountId).where(accountVisibleTo(ctx.actor, 'raa.account_id'));
  const [settlements, versions, approvals] = await Promise.all([
    db(ctx).selectFrom('rebate_settlements as s').innerJoin('rebate_agreements as a', 'a.id', 's.agreement_id').leftJoin('users as u', 'u.id', 's.created_by').leftJoin('users as r', 'r.id', 's.reversed_by')
      .select(['s.id', 's.number', 's.kind', 's.amount_minor', 's.currency', 's.status', 's.created_at', 's.created_by', 's.reversed_at', 's.reversed_by', 's.reversal_reason', 'a.number as agreement_number', 'a.name as agreement_name', 'u.name as author', 'r.name as reverser', 'a.id as agreement_id'])
      .where('s.agreement_id', 'in', covering).where('s.status', 'in', ['issued', 'reversed']).orderBy('s.created_at', 'desc').limit(200).execute(),
    db(ctx).selectFrom('rebate_agreement_versions as v').innerJoin('rebate_agreements as a', 'a.id', 'v.agreement_id').leftJoin('users as u', 'u.id', 'v.created_by')
      .select(['v.id', 'v.seq', 'v.effective_from', 'v.created_at', 'v.created_by', 'v.note', 'a.number', 'a.name', 'a.id as agreement_id', 'u.name as author'])
      .where('v.agreement_id', 'in', covering).where('v.seq', '>', 1).orderBy('v.created_at', 'desc').limit(200).execute(),
    db(ctx).selectFrom('rebate_agreements as a').leftJoin('users as u', 'u.id', 'a.approved_by')
      .select(['a.id', 'a.number', 'a.name', 'a.approved_at', 'a.approved_by', 'u.name as author'])
      .where('a.id', 'in', covering).where('a.approved_at', 'is not', null).execute(),
  ]);
  const events: TimelineEvent[] = [];
  for (const s of settlements) {
    events.push({
      id: `rebate-settlement:${s.id}`, at: s.created_at, kind: 'rebate.settled', module: 'rebates', accountId,
      actor: s.author ? { id: s.created_by, name: s.author } : null, titleKey: 'rebates.timeline.settled',
      params: { number: s.number, kind: s.kind, amountMinor: Number(s.amount_minor), currency: s.currency, agreement: s.agreement_number, name: s.agreement_name },
      body: null, status: Number(s.amount_minor) < 0 ? 'watch' : 'ok', link: { to: `/rebates/settlements/${s.id}` },
    });
    if (s.reversed_at) {
      events.push({
        id: `rebate-reversal:${s.id}`, at: s.reversed_at, kind: 'rebate.reversed', module: 'rebates', accountId,
        actor: s.reverser && s.reversed_by ? { id: s.reversed_by, name: s.reverser } : null, titleKey: 'rebates.timeline.reversed',
        params: { number: s.number, amountMinor: Number(s.amount_minor), currency: s.currency, agreement: s.agreement_number },
        body: s.reversal_reason, status: 'watch', link: { to: `/rebates/settlements/${s.id}` },
      });
    }
  }
  for (const v of versions) {
    events.push({
      id: `rebate-version:${v.id}`, at: v.created_at, kind: 'rebate.changed', module: 'rebates', accountId,
      actor: v.author ? { id: v.created_by, name: v.author } : null, titleKey: 'rebates.timeline.changed',
      params: { agreement: v.number, name: v.name, seq: v.seq, from: v.effective_from }, body: v.note, status: 'info', link: { to: `/rebates/${v.agreement_id}` },
    });
  }
  for (const a of approvals) {
    events.push({
      id: `rebate-approval:${a.id}`, at: a.approved_at!, kind: 'rebate.approved', module: 'rebates', accountId,
      actor: a.author && a.approved_by ? { id: a.approved_by, name: a.author } : null, titleKey: 'rebates.timeline.approved',
      params: { agreement: a.number, name: a.name }, body: null, status: 'ok', link: { to: `/rebates/${a.id}` },
    });
  }
  const before = q.before;
  return events
    .filter((e) => !q.userId || e.actor?.id === q.userId)
    .filter((e) => !before || e.at < before.at || (e.at === before.at && e.id < before.id))
    .sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : a.id < b.id ? 1 : -1))
    .slice(0, q.limit);
}

const agendaOf = (settings: RebateSettings) => async (ctx: Ctx): Promise<AgendaItem[]> => {
  const items: AgendaItem[] = [];
  const first = async (ids: string[]) => {
    if (!ids.length) return new Map<string, { id: string; code: string; name: string; name_en: string | null }>();
    const rows = await db(ctx).selectFrom('rebate_agreement_accounts as raa').innerJoin('accounts as ac', 'ac.id', 'raa.account_id')
      .select(['raa.agreement_id', 'ac.id', 'ac.code', 'ac.name', 'ac.name_en']).where('raa.agreement_id', 'in', ids).orderBy('ac.code').execute();
    const m = new Map<string, { id: string; code: string; name: string; name_en: string | null }>();
    for (const r of rows) if (!m.has(r.agreement_id)) m.set(r.agreement_id, r);
    return m;
  };
  if (ctx.actor.role === 'director' || ctx.actor.role === 'admin') {
    const pending = await db(ctx).selectFrom('rebate_agreements as a')
      .select(['a.id', 'a.number', 'a.name', 'a.status', 'a.currency', 'a.updated_at'])
      .select(sql<number>`(select max(v.value_minor) from rebate_agreement_versions v where v.agreement_id = a.id and v.status = 'pending')`.as('value'))
      .where(agreementVisible(ctx.actor, 'a.id'))
      .where((eb) => eb.or([eb('a.status', '=', 'pending_approval'), eb.and([eb('a.status', '=', 'active'), eb.exists(eb.selectFrom('rebate_agreement_versions as pv').select('pv.id').whereRef('pv.agreement_id', '=', 'a.id').where('pv.status', '=', 'pending'))])]))
      .orderBy('a.updated_at').limit(50).execute();
    const accs = await first(pending.map((p) => p.id));
    for (const p of pending) {
      const acc = accs.get(p.id);
      items.push({
        id: `rebate-approval:${p.id}`, module: 'rebates', kind: 'rebate-approval', urgency: 'waiting', at: null, titleKey: 'rebates.agenda.approve',
        params: { number: p.number, name: p.name, valueMinor: Number(p.value ?? 0), currency: p.currency, thresholdMinor: settings.approvalThresholdMinor },
        account: acc ? { id: acc.id, code: acc.code, name: acc.name, nameEn: acc.name_en } : null, siteId: null, flags: [], link: { to: `/rebates/${p.id}` },
      });
    }
  }
  if (ctx.actor.role === 'manager' || ctx.actor.role === 'director') {
    // Close to a tier: the next threshold within 15 % of the basis, and the period ending within 90 days.
    const day = today(ctx);
    const rows = (await listAgreements(db(ctx), ctx.actor, { status: 'active' })).filter((r) => r.period_end > day && r.period_end <= addDays(day, 90));
    const list = await attainmentsOf(ctx, rows.slice(0, 50), false);
    const accs = await first(list.map((x) => x.agreement.row.id));
    for (const { agreement, attainment: a } of list) {
      if (!a.next || a.next.moreNeeded <= 0 || a.next.moreNeeded > Math.max(1, a.basisToDate) * 0.15) continue;
      const acc = accs.get(agreement.row.id);
      items.push({
        id: `rebate-near-tier:${agreement.row.id}`, module: 'rebates', kind: 'rebate-tier', urgency: 'soon', at: null, titleKey: 'rebates.agenda.nearTier',
        params: { number: agreement.row.number, moreMinor: a.next.moreNeeded, rate: a.next.ratePercent, date: addDays(a.periodEnd, -1), gainMinor: a.next.gainMinor, currency: a.currency, quantity: a.basisKind === 'quantity' ? 1 : 0 },
        account: acc ? { id: acc.id, code: acc.code, name: acc.name, nameEn: acc.name_en } : null, siteId: null, flags: [], link: { to: `/rebates/${agreement.row.id}` },
      });
    }
  }
  return items;
};

/** The dealer's progress: "¥X more by 31 December reaches 3 %, worth ¥Y". No notes, no margins, no other account. */
async function portal(ctx: Ctx): Promise<PortalCard[]> {
  if (ctx.actor.role !== 'dealer') return [];
  const { items } = await portalProgress({ ...ctx, rebates: { approvalThresholdMinor: 0 } });
  return items.map((p): PortalCard => ({
    id: `rebates.progress:${p.id}`, module: 'rebates', titleKey: 'rebates.portal.title', params: { name: p.name, number: p.number },
    status: p.next ? 'watch' : 'ok',
    lines: [
      { labelKey: p.basisKind === 'quantity' ? 'rebates.portal.quantityToDate' : 'rebates.portal.basisToDate', value: p.basisKind === 'quantity' ? { kind: 'count', value: p.basisToDate } : { kind: 'money', amountMinor: p.basisToDate, currency: p.currency } },
      { labelKey: 'rebates.portal.earned', value: { kind: 'money', amountMinor: p.earnedToDateMinor, currency: p.currency } },
      ...(p.next ? [{
        labelKey: 'rebates.portal.nextLabel',
        value: { kind: 'text' as const, key: p.basisKind === 'quantity' ? 'rebates.portal.nextQuantity' : 'rebates.portal.next', params: { moreMinor: p.next.moreNeeded, currency: p.currency, date: p.lastDay, rate: p.next.ratePercent, worthMinor: p.next.rebateAtTierMinor, gainMinor: p.next.gainMinor } },
      }] : [{ labelKey: 'rebates.portal.topLabel', value: { kind: 'text' as const, key: 'rebates.portal.top', params: { rate: p.ratePercent } } }]),
    ],
    link: { to: '/portal/rebates' },
  }));
}

/**
 * The waterfall's rebate step: for each active agreement covering the account whose scope holds
 * the product, the rebate earned to date times the product's share of the agreement's basis over
 * the window (basis of the account's invoices of the product in [from, to) ∩ the period, over the
 * agreement's basis to date). Negative: a deduction.
 */
async function pocket(ctx: Ctx, q: { accountId: string; productId: string; from: string; to: string; currency: string }): Promise<PriceStep[]> {
  const product = await db(ctx).selectFrom('products').select(['sku', 'category']).where('id', '=', q.productId).executeTakeFirst();
  if (!product) return [];
  const list = (await accountAttainments(ctx, q.accountId, false)).filter((x) => x.agreement.row.currency === q.currency);
  const steps: PriceStep[] = [];
  for (const { agreement, attainment: a } of list) {
    const v = agreement.versions.find((x) => x.id === a.versionId)!;
    const terms = JSON.parse(v.terms_json) as { categories: string[] | null; skus: string[] | null; returnsCounted: boolean; basisKind: string };
    if ((terms.categories && !terms.categories.includes(product.category)) || (terms.skus && !terms.skus.includes(product.sku))) continue;
    const from = q.from > agreement.row.period_start ? q.from : agreement.row.period_start;
    const to = q.to < a.asOf ? q.to : a.asOf;
    if (from >= to || a.basisToDate <= 0 || a.earnedToDateMinor === 0) continue;
    const rows = await salesBasis(ctx.db, { accountIds: [q.accountId], currency: q.currency, from, to, scope: { categories: null, skus: [product.sku], returnsCounted: terms.returnsCounted } });
    const basis = rows.reduce((s, r) => s + (terms.basisKind === 'quantity' ? r.quantity : r.valueMinor), 0);
    if (basis <= 0) continue;
    const share = (BigInt(a.earnedToDateMinor) * BigInt(basis) * 2n + BigInt(a.basisToDate)) / (2n * BigInt(a.basisToDate));
    steps.push({
      id: `rebates.accrued:${agreement.row.id}`, module: 'rebates', kind: 'rebate', labelKey: 'rebates.pocket.label', params: { agreement: agreement.row.number, name: agreement.row.name },
      amountMinor: -Number(share), currency: q.currency, basisKey: 'rebates.pocket.basis',
      basisParams: { earnedMinor: a.earnedToDateMinor, productBasis: basis, agreementBasis: a.basisToDate, sharePercent: Math.round((basis / a.basisToDate) * 10_000) / 100 },
      order: 20,
    });
  }
  return steps;
}

export const rebatesContribution = (settings: RebateSettings): Contribution => ({
  module: 'rebates',
  facts: { permission: 'rebate:read', list: facts },
  timeline: { permission: 'rebate:read', kinds: ['rebate.settled', 'rebate.reversed', 'rebate.changed', 'rebate.approved'], list: timeline },
  agenda: { permission: 'rebate:read', list: agendaOf(settings) },
  portal: { permission: 'rebate:portal', list: portal },
  pocket: { permission: 'margin:read', list: pocket },
  claimsAudit: ['rebate.settle', 'rebate.reverse', 'rebate.approve', 'rebate.version', 'rebate.activate'],
});
