/**
 * VMI on the account header (an order waiting for the dealer's signature; exceptions of the open
 * order), the timeline (sent, signed, rejected: from the audit rows), the day (drafts to review or
 * send; the dealer's replies of the last two days) and the portal (orders to sign). Decision 034.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { type Contribution, type DayQuery, timelineBefore, type TimelineQuery } from '../../platform/contributions.js';
import type { AccountFact, AgendaItem, PortalCard, TimelineEvent } from '../../platform/contributions.contract.js';
import type { Ctx } from '../../server/context.js';
import { accountVisibleTo, allows } from '../../server/policy.js';
import { AUDIT } from './vmi.service.js';

const db = (ctx: Ctx) => ctx.db.kysely as Kysely<Database>;
const EVENT = 'vmi-audit:';
const TIMELINE_ACTIONS = [AUDIT.send, AUDIT.sign];

async function facts(ctx: Ctx, accountId: string): Promise<AccountFact[]> {
  const rows = await db(ctx).selectFrom('vmi_drafts as d').select(['d.id', 'd.status', 'd.expires_at', 'd.exceptions_json', 'd.number'])
    .where('d.account_id', '=', accountId).where('d.status', 'in', ['draft', 'sent']).where(accountVisibleTo(ctx.actor, 'd.account_id'))
    .orderBy('d.created_at', 'desc').execute();
  if (!rows.length) {
    // VMI on and nothing open: the header says so (0 waiting), so an account without VMI shows nothing.
    const on = await db(ctx).selectFrom('vmi_settings').select('enabled').where('account_id', '=', accountId).where(accountVisibleTo(ctx.actor, 'account_id')).executeTakeFirst();
    if (!on || Number(on.enabled) !== 1) return [];
  }
  const now = ctx.clock.now().toISOString();
  const waiting = rows.filter((r) => r.status === 'sent' && (r.expires_at ?? '') > now);
  const exceptions = rows.reduce((s, r) => s + (JSON.parse(r.exceptions_json) as unknown[]).length, 0);
  const out: AccountFact[] = [{
    id: 'vmi.awaiting', module: 'vmi', labelKey: 'vmi.facts.awaiting', order: 66, value: { kind: 'count', value: waiting.length },
    status: waiting.length ? 'watch' : 'ok', link: { tab: 'inventory' },
    ...(waiting[0]?.expires_at ? { noteKey: 'vmi.facts.expires', noteParams: { number: waiting[0].number, at: waiting[0].expires_at } } : {}),
  }, {
    id: 'vmi.exceptions', module: 'vmi', labelKey: 'vmi.facts.exceptions', order: 67, value: { kind: 'count', value: exceptions },
    status: exceptions ? 'act' : 'ok', link: { tab: 'inventory' },
  }];
  return out;
}

async function timeline(ctx: Ctx, accountId: string, q: TimelineQuery): Promise<TimelineEvent[]> {
  let s = db(ctx).selectFrom('audit_log as l').innerJoin('vmi_drafts as d', 'd.id', 'l.entity_id').leftJoin('users as u', 'u.id', 'l.actor_id')
    .select(['l.id', 'l.at', 'l.action', 'l.after_json', 'l.actor_id', 'u.name as actor_name', 'd.id as draft_id', 'd.number'])
    .where('l.account_id', '=', accountId).where('l.entity', '=', 'vmi_draft').where('l.action', 'in', TIMELINE_ACTIONS)
    .where(accountVisibleTo(ctx.actor, 'd.account_id')).where(timelineBefore(EVENT, 'l.at', 'l.id', q.before));
  if (q.userId) s = s.where('l.actor_id', '=', q.userId);
  const rows = await s.orderBy('l.at', 'desc').orderBy('l.id', 'desc').limit(q.limit).execute();
  return rows.map((r): TimelineEvent => {
    const after = JSON.parse(r.after_json ?? '{}') as { decision?: string; lines?: unknown[]; reason?: string | null };
    const decision = r.action === AUDIT.sign ? after.decision ?? 'accept' : null;
    return {
      id: `${EVENT}${r.id}`, at: r.at, kind: r.action === AUDIT.send ? 'vmi.sent' : decision === 'reject' ? 'vmi.rejected' : 'vmi.signed', module: 'vmi', accountId,
      actor: r.actor_id && r.actor_name ? { id: r.actor_id, name: r.actor_name } : null,
      titleKey: r.action === AUDIT.send ? 'vmi.timeline.sent' : `vmi.timeline.${decision}`,
      params: { number: r.number, lines: after.lines?.length ?? null },
      body: decision === 'reject' ? after.reason ?? null : null,
      status: decision === 'reject' ? 'watch' : decision ? 'ok' : 'info',
      link: { to: `/vmi/drafts/${r.draft_id}` },
    };
  });
}

/**
 * The day: orders being prepared (to review and send) and sent ones expiring today, of the accounts
 * the caller owns (managers and directors) or every one in scope (admins); and the dealer's
 * decisions of the last two days, waiting for the rep to see.
 */
async function agenda(ctx: Ctx, day: DayQuery): Promise<AgendaItem[]> {
  if (!allows(ctx.actor.role, 'vmi:write')) return [];
  const since = new Date(Date.parse(day.from) - 2 * 86_400_000).toISOString();
  let s = db(ctx).selectFrom('vmi_drafts as d').innerJoin('accounts as a', 'a.id', 'd.account_id')
    .select(['d.id', 'd.number', 'd.status', 'd.expires_at', 'd.decided_at', 'd.exceptions_json', 'a.id as account_id', 'a.code', 'a.name', 'a.name_en'])
    .where(accountVisibleTo(ctx.actor, 'd.account_id'))
    .where((eb) => eb.or([
      eb('d.status', '=', 'draft'),
      eb.and([eb('d.status', '=', 'sent'), eb('d.expires_at', '<', day.to)]),
      eb.and([eb('d.status', 'in', ['signed', 'rejected']), eb('d.decided_at', '>=', since)]),
    ]));
  if (ctx.actor.role === 'manager' || ctx.actor.role === 'director') s = s.where((eb) => eb.or([eb('a.owner_id', '=', ctx.actor.userId), eb('d.sent_by', '=', ctx.actor.userId)]));
  const rows = await s.orderBy(sql`coalesce(d.decided_at, d.expires_at, d.created_at)`).orderBy('d.id').limit(100).execute();
  return rows.map((r): AgendaItem => {
    const exceptions = (JSON.parse(r.exceptions_json) as unknown[]).length;
    const kind = r.status === 'draft' ? 'review' : r.status === 'sent' ? 'expiring' : r.status;
    return {
      id: `vmi:${r.id}`, module: 'vmi', kind: 'vmi-order', urgency: r.status === 'draft' ? 'today' : r.status === 'sent' ? 'now' : 'waiting',
      at: r.status === 'sent' ? r.expires_at : r.decided_at,
      titleKey: `vmi.agenda.${kind}`, params: { number: r.number, exceptions },
      account: { id: r.account_id, code: r.code, name: r.name, nameEn: r.name_en }, siteId: null,
      flags: exceptions && r.status === 'draft' ? [{ kind: 'vmi.exceptions', labelKey: 'vmi.flags.exceptions', params: { count: exceptions }, status: 'act' }] : [],
      link: { to: `/vmi/drafts/${r.id}` },
    };
  });
}

/** The dealer's orders waiting for its signature, with their expiry. */
async function portal(ctx: Ctx): Promise<PortalCard[]> {
  if (ctx.actor.role !== 'dealer') return [];
  const now = ctx.clock.now().toISOString();
  const rows = await db(ctx).selectFrom('vmi_drafts as d').select(['d.id', 'd.number', 'd.expires_at', 'd.arrival'])
    .where(accountVisibleTo(ctx.actor, 'd.account_id')).where('d.status', '=', 'sent').where('d.expires_at', '>', now)
    .orderBy('d.expires_at').limit(5).execute();
  if (!rows.length) return [];
  return [{
    id: 'vmi.toSign', module: 'vmi', titleKey: 'vmi.portal.title', params: { count: rows.length }, status: 'act',
    lines: rows.map((r) => ({ labelKey: 'vmi.portal.line', value: { kind: 'text', key: 'vmi.portal.lineValue', params: { number: r.number, expiresAt: r.expires_at, arrival: r.arrival } }, href: `/portal/vmi/orders/${r.id}` })),
    link: { to: '/portal/vmi/orders' },
  }];
}

export const vmiContribution: Contribution = {
  module: 'vmi',
  facts: { permission: 'vmi:read', list: facts },
  timeline: { permission: 'vmi:read', kinds: ['vmi.sent', 'vmi.signed', 'vmi.rejected'], list: timeline },
  agenda: { permission: 'vmi:read', list: agenda },
  portal: { permission: 'vmi:portal', list: portal },
  claimsAudit: [AUDIT.send, AUDIT.sign],
};
