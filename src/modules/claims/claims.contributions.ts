/**
 * Claims on the account header (open claims, the amount claimed, breached service levels), the
 * timeline (filed, decided, credited), the day (claims whose response or decision is due today or
 * overdue) and the dealer portal (its open claims, nothing internal). Decision 012.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { type Contribution, type DayQuery, timelineBefore, type TimelineQuery } from '../../platform/contributions.js';
import type { AccountFact, AgendaItem, PortalCard, TimelineEvent } from '../../platform/contributions.contract.js';
import type { Ctx } from '../../server/context.js';
import { accountVisibleTo, allows } from '../../server/policy.js';
import { openStatuses } from './claims.domain.js';
import { openSummary } from './claims.repository.js';

const db = (ctx: Ctx) => ctx.db.kysely as Kysely<Database>;
const EVENT = 'claim-event:';

async function facts(ctx: Ctx, accountId: string): Promise<AccountFact[]> {
  const account = await db(ctx).selectFrom('accounts').select(['id', 'currency']).where('id', '=', accountId).where(accountVisibleTo(ctx.actor, 'accounts.id')).executeTakeFirst();
  if (!account) return [];
  const rows = await openSummary(db(ctx), accountVisibleTo(ctx.actor, 'c.account_id'), accountId, ctx.clock.now().toISOString());
  const open = rows.reduce((s, r) => s + Number(r.n), 0);
  const breached = rows.reduce((s, r) => s + Number(r.breached ?? 0), 0);
  const out: AccountFact[] = [{
    id: 'claims.open', module: 'claims', labelKey: 'claims.facts.open', order: 62, value: { kind: 'count', value: open },
    status: breached ? 'act' : open ? 'watch' : 'ok', link: { tab: 'claims' },
    ...(breached ? { noteKey: 'claims.facts.breached', noteParams: { count: breached } } : {}),
  }];
  // The amount in the account's currency first; a claim in another currency gets its own figure.
  rows.sort((a, b) => (a.currency === account.currency ? -1 : b.currency === account.currency ? 1 : a.currency.localeCompare(b.currency)));
  rows.forEach((r, i) => out.push({
    id: i === 0 ? 'claims.amount' : `claims.amount.${r.currency}`, module: 'claims', labelKey: 'claims.facts.amount', order: 63 + i,
    value: { kind: 'money', amountMinor: Number(r.claimed), currency: r.currency }, status: 'info', noteKey: 'claims.facts.amountNote', noteParams: { count: Number(r.n) }, link: { tab: 'claims' },
  }));
  return out;
}

const timelineKind: Record<string, string> = { filed: 'claim.filed', accepted: 'claim.decided', partly_accepted: 'claim.decided', rejected: 'claim.decided', credited: 'claim.credited' };

async function timeline(ctx: Ctx, accountId: string, q: TimelineQuery): Promise<TimelineEvent[]> {
  let s = db(ctx).selectFrom('claim_events as e').innerJoin('claims as c', 'c.id', 'e.claim_id').leftJoin('users as u', 'u.id', 'e.actor_id')
    .select(['e.id', 'e.at', 'e.kind', 'e.to_status', 'e.reason', 'e.actor_id', 'u.name as actor_name', 'c.id as claim_id', 'c.number', 'c.title', 'c.kind as claim_kind',
      'c.claimed_minor', 'c.accepted_minor', 'c.currency', 'c.filed_via'])
    .where('e.account_id', '=', accountId).where(accountVisibleTo(ctx.actor, 'c.account_id')).where('e.internal', '=', 0)
    .where((eb) => eb.or([eb('e.kind', '=', 'filed'), eb.and([eb('e.kind', '=', 'status'), eb('e.to_status', 'in', ['accepted', 'partly_accepted', 'rejected', 'credited'])])]))
    .where(timelineBefore(EVENT, 'e.at', 'e.id', q.before));
  if (q.userId) s = s.where('e.actor_id', '=', q.userId);
  const rows = await s.orderBy('e.at', 'desc').orderBy('e.id', 'desc').limit(q.limit).execute();
  return rows.map((e): TimelineEvent => {
    const kind = timelineKind[e.to_status ?? 'filed'] ?? 'claim.filed';
    return {
      id: `${EVENT}${e.id}`, at: e.at, kind, module: 'claims', accountId,
      actor: e.actor_id && e.actor_name ? { id: e.actor_id, name: e.actor_name } : null,
      titleKey: `claims.timeline.${e.kind === 'filed' ? 'filed' : e.to_status}`,
      params: { number: e.number, title: e.title, kind: e.claim_kind, claimedMinor: Number(e.claimed_minor), acceptedMinor: e.accepted_minor == null ? null : Number(e.accepted_minor), currency: e.currency, via: e.filed_via },
      body: e.kind === 'status' && e.to_status !== 'credited' ? e.reason : null,
      status: e.to_status === 'rejected' ? 'watch' : e.kind === 'filed' ? 'info' : 'ok',
      link: { to: `/claims/${e.claim_id}` },
    };
  });
}

/**
 * The day: claims whose pending service level (the response while filed, the decision while under
 * investigation) is due before the day ends, overdue ones first. Managers and directors: claims of
 * the accounts they own or that they filed; logistics and admins: every claim they see. Those who
 * may not act on claims (executives) get none.
 */
async function agenda(ctx: Ctx, day: DayQuery): Promise<AgendaItem[]> {
  if (!allows(ctx.actor.role, 'claim:write')) return [];
  const now = ctx.clock.now().toISOString();
  const due = sql<string>`case when c.status = 'filed' then c.response_due_at else c.decision_due_at end`;
  let s = db(ctx).selectFrom('claims as c').innerJoin('accounts as a', 'a.id', 'c.account_id')
    .select(['c.id', 'c.number', 'c.title', 'c.kind', 'c.status', 'c.claimed_minor', 'c.currency', 'a.id as account_id', 'a.code', 'a.name', 'a.name_en'])
    .select(due.as('due_at'))
    .where('c.status', 'in', ['filed', 'investigating']).where(accountVisibleTo(ctx.actor, 'c.account_id'))
    .where(sql<boolean>`${due} < ${day.to}`);
  if (ctx.actor.role === 'manager' || ctx.actor.role === 'director') {
    s = s.where((eb) => eb.or([eb('a.owner_id', '=', ctx.actor.userId), eb('c.filed_by', '=', ctx.actor.userId)]));
  }
  const rows = await s.orderBy(due).orderBy('c.id').limit(100).execute();
  return rows.map((r): AgendaItem => {
    const breached = r.due_at < now;
    return {
      id: `claim:${r.id}`, module: 'claims', kind: 'claim', urgency: breached ? 'now' : 'today', at: r.due_at,
      titleKey: r.status === 'filed' ? 'claims.agenda.respond' : 'claims.agenda.decide',
      params: { number: r.number, title: r.title, kind: r.kind, claimedMinor: Number(r.claimed_minor), currency: r.currency },
      account: { id: r.account_id, code: r.code, name: r.name, nameEn: r.name_en }, siteId: null,
      flags: breached ? [{ kind: 'claim.breach', labelKey: 'claims.flags.breached', params: {}, status: 'act' }] : [],
      link: { to: `/claims/${r.id}` },
    };
  });
}

/** The dealer's open claims: where each stands, in the dealer's words. */
async function portal(ctx: Ctx): Promise<PortalCard[]> {
  if (ctx.actor.role !== 'dealer') return [];
  const rows = await db(ctx).selectFrom('claims as c').select(['c.id', 'c.number', 'c.title', 'c.status'])
    .where(accountVisibleTo(ctx.actor, 'c.account_id')).where('c.status', 'in', openStatuses)
    .orderBy('c.updated_at', 'desc').limit(5).execute();
  if (!rows.length) return [];
  return [{
    id: 'claims.open', module: 'claims', titleKey: 'claims.portal.title', params: { count: rows.length }, status: 'info',
    lines: rows.map((r) => ({ labelKey: `claims.statusPortal.${r.status}`, value: { kind: 'text', key: 'claims.portal.line', params: { number: r.number, title: r.title } }, href: `/portal/claims/${r.id}` })),
    link: { to: '/portal/claims' },
  }];
}

export const claimsContribution: Contribution = {
  module: 'claims',
  facts: { permission: 'claim:read', list: facts },
  timeline: { permission: 'claim:read', kinds: ['claim.filed', 'claim.decided', 'claim.credited'], list: timeline },
  agenda: { permission: 'claim:read', list: agenda },
  portal: { permission: 'delivery:portal', list: portal },
  claimsAudit: ['claim.file', 'claim.accept', 'claim.partly_accept', 'claim.reject', 'claim.credit'],
};
