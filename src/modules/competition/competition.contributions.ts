import { sql, type Kysely, type SqlBool } from 'kysely';
import type { Database } from '../../db/schema.js';
import { type Contribution, type DayQuery, timelineBefore, type TimelineQuery } from '../../platform/contributions.js';
import type { AccountFact, AgendaItem, TimelineEvent } from '../../platform/contributions.contract.js';
import type { Ctx } from '../../server/context.js';
import { accountVisibleTo } from '../../server/policy.js';

const db = (ctx: Ctx) => ctx.db.kysely as Kysely<Database>;
const OBS = 'competitor-observation:';
const ALERT = 'undercut-alert:';
const DECISION = 'competitor-decision:';
const OUTCOME = 'competitor-outcome:';

/** The account header: the latest undercut on the account (share, competitor) and how many alerts are open. */
async function facts(ctx: Ctx, accountId: string): Promise<AccountFact[]> {
  const scope = accountVisibleTo(ctx.actor, 'ua.account_id');
  const [latest, open] = await Promise.all([
    db(ctx).selectFrom('undercut_alerts as ua').select(['ua.share_bp', 'ua.competitor', 'ua.raised_at', 'ua.status'])
      .where('ua.account_id', '=', accountId).where(scope).orderBy('ua.raised_at', 'desc').orderBy('ua.id', 'desc').limit(1).executeTakeFirst(),
    db(ctx).selectFrom('undercut_alerts as ua').select((eb) => eb.fn.countAll<number>().as('n'))
      .where('ua.account_id', '=', accountId).where('ua.status', '=', 'open').where(scope).executeTakeFirst(),
  ]);
  if (!latest) return [];
  const openCount = Number(open?.n ?? 0);
  return [{
    id: 'competition.undercut', module: 'competition', labelKey: 'competition.facts.undercut', order: 80,
    value: { kind: 'percent', value: latest.share_bp / 100 }, status: openCount ? 'act' : 'info',
    noteKey: openCount ? 'competition.facts.undercutOpen' : 'competition.facts.undercutBy', noteParams: { competitor: latest.competitor, count: openCount, at: latest.raised_at },
    link: { tab: 'competition' },
  }];
}

async function timeline(ctx: Ctx, accountId: string, q: TimelineQuery): Promise<TimelineEvent[]> {
  const k = db(ctx);
  let obs = k.selectFrom('competitor_observations as o').innerJoin('products as p', 'p.id', 'o.product_id').leftJoin('users as u', 'u.id', 'o.created_by')
    .select(['o.id', 'o.observed_at', 'o.competitor', 'o.competitor_product', 'o.unit_price_minor', 'o.currency', 'o.source', 'o.created_by', 'u.name as author', 'p.sku', 'p.unit'])
    .where('o.account_id', '=', accountId).where(accountVisibleTo(ctx.actor, 'o.account_id')).where(timelineBefore(OBS, 'o.observed_at', 'o.id', q.before));
  if (q.userId) obs = obs.where('o.created_by', '=', q.userId);
  const alerts = k.selectFrom('undercut_alerts as ua').innerJoin('products as p', 'p.id', 'ua.product_id')
    .select(['ua.id', 'ua.raised_at', 'ua.competitor', 'ua.share_bp', 'ua.competitor_unit_minor', 'ua.pocket_unit_minor', 'ua.currency', 'ua.status', 'p.sku'])
    .where('ua.account_id', '=', accountId).where(accountVisibleTo(ctx.actor, 'ua.account_id')).where(timelineBefore(ALERT, 'ua.raised_at', 'ua.id', q.before));
  const offers = (at: 'decided_at' | 'outcome_at', prefix: string, by: 'decided_by' | 'outcome_by') => {
    let b = k.selectFrom('competitor_offers as co').innerJoin('products as p', 'p.id', 'co.product_id').leftJoin('users as u', 'u.id', `co.${by}`)
      .select(['co.id', sql<string>`co.${sql.ref(at)}`.as('at'), 'co.competitor', 'co.decision', 'co.outcome', 'co.recommendation', 'co.decision_note', 'co.outcome_note', sql<string | null>`co.${sql.ref(by)}`.as('by'), 'u.name as author', 'p.sku'])
      .where('co.account_id', '=', accountId).where(`co.${at}`, 'is not', null).where(accountVisibleTo(ctx.actor, 'co.account_id'))
      .where(timelineBefore(prefix, sql<string>`co.${sql.ref(at)}`, 'co.id', q.before));
    if (q.userId) b = b.where(`co.${by}`, '=', q.userId);
    return b.orderBy(sql`co.${sql.ref(at)}`, 'desc').orderBy('co.id', 'desc').limit(q.limit).execute();
  };
  const [o, a, d, r] = await Promise.all([
    obs.orderBy('o.observed_at', 'desc').orderBy('o.id', 'desc').limit(q.limit).execute(),
    q.userId ? Promise.resolve([]) : alerts.orderBy('ua.raised_at', 'desc').orderBy('ua.id', 'desc').limit(q.limit).execute(),
    offers('decided_at', DECISION, 'decided_by'),
    offers('outcome_at', OUTCOME, 'outcome_by'),
  ]);
  const link = { tab: 'competition' };
  return [
    ...o.map((x): TimelineEvent => ({
      id: `${OBS}${x.id}`, at: x.observed_at, kind: 'competition.observation', module: 'competition', accountId,
      actor: x.author ? { id: x.created_by, name: x.author } : null, titleKey: 'competition.timeline.observation',
      params: { competitor: x.competitor, product: x.competitor_product, sku: x.sku, unit: x.unit, priceMinor: Number(x.unit_price_minor), currency: x.currency, source: x.source },
      body: null, status: 'info', link,
    })),
    ...a.map((x): TimelineEvent => ({
      id: `${ALERT}${x.id}`, at: x.raised_at, kind: 'competition.undercut', module: 'competition', accountId, actor: null,
      titleKey: 'competition.timeline.undercut',
      params: { competitor: x.competitor, sku: x.sku, share: x.share_bp / 100, priceMinor: Number(x.competitor_unit_minor), pocketMinor: Number(x.pocket_unit_minor), currency: x.currency },
      body: null, status: x.status === 'open' ? 'act' : 'watch', link,
    })),
    ...d.map((x): TimelineEvent => ({
      id: `${DECISION}${x.id}`, at: x.at, kind: 'competition.decision', module: 'competition', accountId,
      actor: x.by && x.author ? { id: x.by, name: x.author } : null, titleKey: `competition.timeline.decision.${x.decision}`,
      params: { competitor: x.competitor, sku: x.sku, recommendation: x.recommendation }, body: x.decision_note, status: 'info', link: { to: `/competition/offers/${x.id}` },
    })),
    ...r.map((x): TimelineEvent => ({
      id: `${OUTCOME}${x.id}`, at: x.at, kind: 'competition.outcome', module: 'competition', accountId,
      actor: x.by && x.author ? { id: x.by, name: x.author } : null, titleKey: `competition.timeline.outcome.${x.outcome}`,
      params: { competitor: x.competitor, sku: x.sku }, body: x.outcome_note, status: x.outcome === 'kept' ? 'ok' : x.outcome === 'lost' ? 'act' : 'watch', link: { to: `/competition/offers/${x.id}` },
    })),
  ];
}

/** The manager's day: open undercut alerts on the accounts they own or are on the team of; raised today, or older (now). */
async function agenda(ctx: Ctx, day: DayQuery): Promise<AgendaItem[]> {
  const me = ctx.actor.userId;
  const mine = sql<SqlBool>`(a.owner_id = ${me} or a.id in (select at2.account_id from account_team at2 where at2.user_id = ${me}))`;
  const rows = await db(ctx).selectFrom('undercut_alerts as ua').innerJoin('accounts as a', 'a.id', 'ua.account_id').innerJoin('products as p', 'p.id', 'ua.product_id')
    .select(['ua.id', 'ua.raised_at', 'ua.competitor', 'ua.share_bp', 'ua.competitor_unit_minor', 'ua.pocket_unit_minor', 'ua.currency', 'ua.product_id', 'p.sku', 'a.id as account_id', 'a.code', 'a.name', 'a.name_en'])
    .where('ua.status', '=', 'open').where(mine).where(accountVisibleTo(ctx.actor, 'ua.account_id'))
    .orderBy('ua.raised_at', 'desc').orderBy('ua.id', 'desc').limit(50).execute();
  return rows.map((r): AgendaItem => ({
    id: `undercut-alert:${r.id}`, module: 'competition', kind: 'undercut-alert', urgency: r.raised_at >= day.from ? 'today' : 'now', at: r.raised_at,
    titleKey: 'competition.agenda.undercut',
    params: { competitor: r.competitor, sku: r.sku, share: r.share_bp / 100, priceMinor: Number(r.competitor_unit_minor), pocketMinor: Number(r.pocket_unit_minor), currency: r.currency },
    account: { id: r.account_id, code: r.code, name: r.name, nameEn: r.name_en }, siteId: null, flags: [],
    link: { to: `/competition/compare?accountId=${r.account_id}&productId=${r.product_id}&competitor=${encodeURIComponent(r.competitor)}&price=${Number(r.competitor_unit_minor)}` },
  }));
}

/** Competitor prices on the account page, its timeline and the manager's day (decision 012); nothing in the portal. */
export const competitionContribution: Contribution = {
  module: 'competition',
  facts: { permission: 'competitor:read', list: facts },
  timeline: { permission: 'competitor:read', kinds: ['competition.observation', 'competition.undercut', 'competition.decision', 'competition.outcome'], list: timeline },
  agenda: { permission: 'competitor:write', list: agenda },
  claimsAudit: ['competitor_observation.record', 'undercut_alert.raise', 'competitor_offer.decide', 'competitor_offer.outcome'],
};
