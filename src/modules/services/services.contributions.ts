import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { type Contribution, type PocketQuery, timelineBefore, type TimelineQuery } from '../../platform/contributions.js';
import type { AccountFact, AgendaItem, PortalCard, PriceStep, TimelineEvent } from '../../platform/contributions.contract.js';
import type { Ctx } from '../../server/context.js';
import { accountVisibleTo } from '../../server/policy.js';
import { localDateOf } from '../../shared/time.js';
import { revenueInWindow } from '../sales/sales.service.js';
import { balancesOn, COMPANY_TIME_ZONE, costWindowStart } from './entitlements.service.js';
import { requestVisibleTo } from './requests.service.js';

const db = (ctx: Ctx) => ctx.db.kysely as Kysely<Database>;
const EVENT = 'service-event:';
const USAGE = 'service-usage:';

/** The live SLA state in SQL (the stored column lags by up to one clock check). */
const slaSql = (now: string) => sql<string>`case
  when sr.status = 'waiting_customer' then (case when sr.sla_state in ('breached', 'warning') then sr.sla_state else 'ok' end)
  when sr.next_due_at <= ${now} then 'breached' when sr.warn_at <= ${now} then 'warning' else 'ok' end`;

async function facts(ctx: Ctx, accountId: string): Promise<AccountFact[]> {
  const now = ctx.clock.now();
  const account = await db(ctx).selectFrom('accounts').select(['id', 'tier', 'currency']).where('id', '=', accountId).where(accountVisibleTo(ctx.actor, 'accounts.id')).executeTakeFirst();
  if (!account) return [];
  const iso = now.toISOString();
  const [req, balances, cost] = await Promise.all([
    db(ctx).selectFrom('service_requests as sr').select((eb) => [
      eb.fn.countAll<number>().as('open'),
      sql<number>`sum(case when ${slaSql(iso)} = 'breached' then 1 else 0 end)`.as('breached'),
    ]).where('sr.account_id', '=', accountId).where('sr.status', 'in', ['open', 'in_progress', 'waiting_customer']).executeTakeFirstOrThrow(),
    balancesOn(db(ctx), account, localDateOf(now, COMPANY_TIME_ZONE)),
    db(ctx).selectFrom('service_usage').select((eb) => eb.fn.sum<number>('cost_minor').as('c'))
      .where('account_id', '=', accountId).where('status', '=', 'delivered').where('delivered_at', '>=', costWindowStart(now)).executeTakeFirst(),
  ]);
  const open = Number(req.open ?? 0), breached = Number(req.breached ?? 0);
  const inSeason = balances.filter((b) => b.inSeason);
  const allowance = inSeason.reduce((s, b) => s + b.allowance, 0), used = inSeason.reduce((s, b) => s + b.used, 0);
  const exhausted = inSeason.filter((b) => b.allowance > 0 && b.remaining === 0).length;
  const out: AccountFact[] = [{
    id: 'services.requests', module: 'services', labelKey: 'services.facts.requests', order: 70, value: { kind: 'count', value: open },
    status: breached ? 'act' : open ? 'watch' : 'ok', link: { tab: 'services' },
    ...(breached ? { noteKey: 'services.facts.breached', noteParams: { count: breached } } : {}),
  }];
  if (inSeason.length) {
    out.push({
      id: 'services.entitlements', module: 'services', labelKey: 'services.facts.entitlements', order: 71, value: { kind: 'count', value: Math.max(0, allowance - used) },
      status: exhausted ? 'watch' : 'info', noteKey: exhausted ? 'services.facts.exhausted' : 'services.facts.usedOf', noteParams: { used, allowance, count: exhausted }, link: { tab: 'services' },
    });
  }
  out.push({
    id: 'services.cost', module: 'services', labelKey: 'services.facts.cost', order: 72,
    value: { kind: 'money', amountMinor: Number(cost?.c ?? 0), currency: account.currency }, status: 'info', noteKey: 'services.facts.costNote', link: { tab: 'services' },
  });
  return out;
}

async function timeline(ctx: Ctx, accountId: string, q: TimelineQuery): Promise<TimelineEvent[]> {
  let events = db(ctx).selectFrom('service_request_events as e')
    .innerJoin('service_requests as sr', 'sr.id', 'e.request_id')
    .leftJoin('users as u', 'u.id', 'e.author_id')
    .select(['e.id', 'e.kind', 'e.at', 'e.body', 'e.to_status', 'e.author_id', 'u.name as author_name', 'sr.id as request_id', 'sr.number', 'sr.subject', 'sr.department', 'sr.type', 'sr.opened_via'])
    .where('e.account_id', '=', accountId).where(requestVisibleTo(ctx.actor))
    .where((eb) => eb.or([eb('e.kind', 'in', ['opened', 'sla_breach', 'escalated']), eb.and([eb('e.kind', '=', 'status'), eb('e.to_status', 'in', ['resolved', 'closed'])])]))
    .where(timelineBefore(EVENT, 'e.at', 'e.id', q.before));
  if (q.userId) events = events.where('e.author_id', '=', q.userId);
  let usage = db(ctx).selectFrom('service_usage as su').innerJoin('service_kinds as k', 'k.id', 'su.service_kind_id').leftJoin('users as u', 'u.id', 'su.created_by')
    .select(['su.id', 'su.delivered_at', 'su.quantity', 'su.cost_minor', 'su.currency', 'su.entitlement_id', 'su.note', 'su.created_by', 'u.name as author_name', 'k.name', 'k.name_en', 'k.unit'])
    .where('su.account_id', '=', accountId).where('su.status', '=', 'delivered').where(accountVisibleTo(ctx.actor, 'su.account_id'))
    .where(timelineBefore(USAGE, sql<string>`su.delivered_at`, 'su.id', q.before));
  if (q.userId) usage = usage.where('su.created_by', '=', q.userId);
  const [ev, us] = await Promise.all([
    events.orderBy('e.at', 'desc').orderBy('e.id', 'desc').limit(q.limit).execute(),
    usage.orderBy('su.delivered_at', 'desc').orderBy('su.id', 'desc').limit(q.limit).execute(),
  ]);
  return [
    ...ev.map((e): TimelineEvent => {
      const kind = e.kind === 'opened' ? 'service.request' : e.kind === 'sla_breach' ? 'service.breach' : e.kind === 'escalated' ? 'service.escalated' : 'service.resolved';
      return {
        id: `${EVENT}${e.id}`, at: e.at, kind, module: 'services', accountId,
        actor: e.author_id && e.author_name ? { id: e.author_id, name: e.author_name } : null,
        titleKey: `services.timeline.${kind.slice('service.'.length)}`,
        params: { number: e.number, subject: e.subject, department: e.department, type: e.type, via: e.opened_via, status: e.to_status, level: e.kind === 'escalated' ? e.to_status : null },
        body: e.kind === 'opened' ? e.body : null,
        status: kind === 'service.breach' ? 'act' : kind === 'service.resolved' ? 'ok' : kind === 'service.escalated' ? 'watch' : 'info',
        link: { to: `/service/requests/${e.request_id}` },
      };
    }),
    ...us.map((u): TimelineEvent => ({
      id: `${USAGE}${u.id}`, at: u.delivered_at!, kind: 'service.delivered', module: 'services', accountId,
      actor: u.author_name ? { id: u.created_by, name: u.author_name } : null,
      titleKey: u.entitlement_id ? 'services.timeline.delivered' : 'services.timeline.deliveredBeyond',
      params: { service: u.name, serviceEn: u.name_en, quantity: u.quantity, unit: u.unit, costMinor: Number(u.cost_minor), currency: u.currency },
      body: u.note, status: 'info', link: { tab: 'services' },
    })),
  ];
}

/**
 * The day: for department staff, their queue (theirs and unassigned) that is due soon or overdue;
 * for account managers (and directors), active requests on the accounts they own or opened.
 */
async function agenda(ctx: Ctx): Promise<AgendaItem[]> {
  const now = ctx.clock.now().toISOString();
  const base = db(ctx).selectFrom('service_requests as sr').innerJoin('accounts as a', 'a.id', 'sr.account_id')
    .select(['sr.id', 'sr.number', 'sr.subject', 'sr.department', 'sr.status', 'sr.priority', 'sr.next_due_at', 'sr.assignee_id', 'sr.opened_via', 'a.id as account_id', 'a.code', 'a.name', 'a.name_en'])
    .select(slaSql(now).as('sla'))
    .where('sr.status', 'in', ['open', 'in_progress', 'waiting_customer']).where(requestVisibleTo(ctx.actor));
  const mine = ctx.actor.department
    ? base.where('sr.department', '=', ctx.actor.department).where((eb) => eb.or([eb('sr.assignee_id', '=', ctx.actor.userId), eb('sr.assignee_id', 'is', null)]))
      .where(sql<boolean>`(sr.warn_at <= ${now} or sr.assignee_id is null)`)
    : base.where((eb) => eb.or([eb('a.owner_id', '=', ctx.actor.userId), eb('sr.opened_by', '=', ctx.actor.userId)]));
  const rows = await mine.orderBy('sr.next_due_at').orderBy('sr.id').limit(100).execute();
  const queue = !!ctx.actor.department;
  return rows.map((r): AgendaItem => ({
    id: `service-request:${r.id}`, module: 'services', kind: 'service-request',
    urgency: r.sla === 'breached' ? 'now' : r.sla === 'warning' ? 'today' : queue ? 'today' : 'waiting',
    at: r.next_due_at,
    titleKey: queue ? (r.assignee_id ? 'services.agenda.queueMine' : 'services.agenda.queueNew') : r.status === 'waiting_customer' ? 'services.agenda.waitingCustomer' : 'services.agenda.request',
    params: { number: r.number, subject: r.subject, department: r.department, status: r.status, priority: r.priority, sla: r.sla, via: r.opened_via },
    account: { id: r.account_id, code: r.code, name: r.name, nameEn: r.name_en }, siteId: null,
    flags: r.sla === 'breached' ? [{ kind: 'service.breach', labelKey: 'services.flags.breached', params: {}, status: 'act' }]
      : r.sla === 'warning' ? [{ kind: 'service.warning', labelKey: 'services.flags.dueSoon', params: {}, status: 'watch' }] : [],
    link: { to: `/service/requests/${r.id}` },
  }));
}

/** The dealer's open requests: status, and whether the company waits for its answer. */
async function portal(ctx: Ctx): Promise<PortalCard[]> {
  if (ctx.actor.role !== 'dealer') return [];
  const rows = await db(ctx).selectFrom('service_requests as sr').select(['sr.id', 'sr.number', 'sr.subject', 'sr.status'])
    .where(requestVisibleTo(ctx.actor)).where('sr.status', 'in', ['open', 'in_progress', 'waiting_customer', 'resolved'])
    .orderBy('sr.updated_at', 'desc').limit(5).execute();
  if (!rows.length) return [];
  const waiting = rows.filter((r) => r.status === 'waiting_customer' || r.status === 'resolved').length;
  return [{
    id: 'services.requests', module: 'services', titleKey: 'services.portal.title', params: { count: rows.length, waiting },
    status: waiting ? 'watch' : 'info',
    // Each line: where the request stands, in the dealer's words, and which request it is.
    lines: rows.map((r) => ({ labelKey: `services.statusPortal.${r.status}`, value: { kind: 'text', key: 'services.portal.line', params: { number: r.number, subject: r.subject } }, href: `/portal/requests/${r.id}` })),
    link: { to: '/portal/requests' },
  }];
}

/**
 * The services step of the price waterfall: what the services delivered to the account in the
 * window cost (delivered_at in [from, to), UTC days), allocated to the product by its share of the
 * account's net revenue over the same window; rounded to the nearest minor unit, halves away from
 * zero. No step (unknown, not zero) when services cost something but the account sold nothing to
 * allocate by.
 */
async function pocket(ctx: Ctx, q: PocketQuery): Promise<PriceStep[]> {
  const account = await db(ctx).selectFrom('accounts').select('id').where('id', '=', q.accountId).where(accountVisibleTo(ctx.actor, 'accounts.id')).executeTakeFirst();
  if (!account) return [];
  const cost = await db(ctx).selectFrom('service_usage').select((eb) => eb.fn.sum<number>('cost_minor').as('c'))
    .where('account_id', '=', q.accountId).where('status', '=', 'delivered').where('currency', '=', q.currency)
    .where('delivered_at', '>=', q.from).where('delivered_at', '<', q.to).executeTakeFirst();
  const costMinor = BigInt(Number(cost?.c ?? 0));
  const sales = await revenueInWindow(ctx, q.accountId, q.productId, { from: q.from, to: q.to, currency: q.currency });
  if (costMinor > 0n && sales.accountNetMinor <= 0) return [];
  const net = BigInt(sales.accountNetMinor), part = BigInt(Math.max(0, sales.productNetMinor));
  let allocated = 0n;
  if (costMinor > 0n) {
    const n = costMinor * part;
    allocated = n / net + (2n * (n % net) >= net ? 1n : 0n);
  }
  const sharePercent = sales.accountNetMinor > 0 ? Math.round((sales.productNetMinor * 10000) / sales.accountNetMinor) / 100 : 0;
  return [{
    id: 'services.delivered', module: 'services', kind: 'service', labelKey: 'services.pocket.label', params: {},
    amountMinor: -Number(allocated), currency: q.currency, order: 30,
    basisKey: 'services.pocket.basis',
    basisParams: { costMinor: Number(costMinor), currency: q.currency, productNetMinor: sales.productNetMinor, accountNetMinor: sales.accountNetMinor, sharePercent, from: q.from, to: q.to },
  }];
}

/** Services and requests on the account page, the timeline, the day and the portal (decision 012). */
export const servicesContribution: Contribution = {
  module: 'services',
  facts: { permission: 'service:read', list: facts },
  timeline: { permission: 'service:read', kinds: ['service.request', 'service.resolved', 'service.breach', 'service.escalated', 'service.delivered'], list: timeline },
  agenda: { permission: 'service:read', list: agenda },
  portal: { permission: 'service:request', list: portal },
  pocket: { permission: 'margin:read', list: pocket },
  claimsAudit: ['service_request.open', 'service_request.resolved', 'service_request.breach', 'service_request.escalate', 'service.deliver'],
};
