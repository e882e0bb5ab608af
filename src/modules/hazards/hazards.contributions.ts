import { type Contribution, byTimeDesc } from '../../platform/contributions.js';
import type { AccountFact, AgendaFlag, AgendaItem, Params, PortalCard, TimelineEvent } from '../../platform/contributions.contract.js';
import type { Ctx } from '../../server/context.js';
import { accountVisibleTo } from '../../server/policy.js';
import * as advRepo from './advisories.repository.js';
import type { AdvisoryRow } from './advisories.repository.js';
import * as repo from './hazards.repository.js';
import { selectInfos, type CapAlert } from './cap.domain.js';
import { exposure, headlineFor, languageOf, type HazardCtx } from './hazards.service.js';
import type { HazardSettings } from './hazards.settings.js';

type Log = HazardCtx['log'];
const openStatuses = new Set(['open', 'contacted', 'actioned']);

/** The steps of one advisory, each an event: raised, dealer contacted, action taken, closed. */
function advisoryEvents(a: AdvisoryRow): TimelineEvent[] {
  const base = { kind: 'advisory', module: 'hazards', accountId: a.account_id, link: { tab: 'risk' } } as const;
  const params = { site: a.site_name, headline: a.headline, distance: Math.round(a.distance_m), inside: a.inside };
  const manager = a.manager_id && a.manager_name ? { id: a.manager_id, name: a.manager_name } : null;
  const out: TimelineEvent[] = [{ ...base, id: `advisory:${a.id}`, at: a.created_at, actor: null, titleKey: 'hazards.timeline.advisory.raised', params, body: null, status: a.inside ? 'act' : 'watch' }];
  if (a.contacted_at) out.push({ ...base, id: `advisory-contact:${a.id}`, at: a.contacted_at, actor: manager, titleKey: 'hazards.timeline.advisory.contacted', params: { ...params, channel: a.contact_channel }, body: a.contact_notes, status: 'info' });
  if (a.actioned_at) out.push({ ...base, id: `advisory-action:${a.id}`, at: a.actioned_at, actor: manager, titleKey: 'hazards.timeline.advisory.actioned', params: { ...params, decision: a.dealer_decision }, body: a.action_taken, status: 'info' });
  if (a.closed_at) {
    out.push({
      ...base, id: `advisory-closed:${a.id}`, at: a.closed_at, actor: a.closed_reason === 'outcome' ? manager : null,
      titleKey: a.closed_reason === 'outcome' ? 'hazards.timeline.advisory.outcome' : 'hazards.timeline.advisory.ended',
      params: { ...params, savedMinor: a.value_saved_minor, lossesMinor: a.losses_minor, currency: a.outcome_currency ?? a.currency },
      body: a.outcome_notes, status: a.closed_reason === 'outcome' && (a.losses_minor ?? 0) === 0 ? 'ok' : 'info',
    });
  }
  return out;
}

/**
 * Protect the dealer, where people work: the warnings over the account's sites and the value at
 * risk in its header, advisories and their steps on its timeline, advisories to act on in the day,
 * a flag on every visit to a site under a warning, and the dealer's own warning in the portal.
 */
export function hazardsContribution(settings: HazardSettings, log: Log): Contribution {
  const hctx = (ctx: Ctx): HazardCtx => ({ ...ctx, settings, log });

  async function facts(ctx: Ctx, accountId: string): Promise<AccountFact[]> {
    const db = ctx.db.kysely;
    const [matches, advisories, exp] = await Promise.all([
      repo.listOpenMatches(db, accountVisibleTo(ctx.actor, 'hazard_matches.account_id'), { accountId, limit: 1000 }),
      advRepo.listAdvisories(db, accountVisibleTo(ctx.actor, 'advisories.account_id'), { accountId, limit: 500 }),
      exposure(hctx(ctx), 'account', accountId),
    ]);
    const alerts = new Set(matches.map((m) => m.alert_id));
    const sites = new Set(matches.map((m) => m.site_id));
    const inside = matches.some((m) => m.inside === 1);
    const total = exp.totals[0];
    const out: AccountFact[] = [{
      id: 'hazards.warnings', module: 'hazards', labelKey: 'hazards.facts.warnings', order: 40, value: { kind: 'count', value: alerts.size },
      status: alerts.size === 0 ? 'ok' : inside ? 'act' : 'watch',
      ...(alerts.size ? { noteKey: 'hazards.facts.sitesExposed', noteParams: { sites: sites.size, headline: matches[0]!.headline } } : {}),
      link: { tab: 'risk' },
    }];
    if (alerts.size) {
      out.push({
        id: 'hazards.valueAtRisk', module: 'hazards', labelKey: 'hazards.facts.valueAtRisk', order: 41,
        // Stock not recorded is unknown, never zero.
        value: total ? { kind: 'money', amountMinor: total.amountMinor, currency: total.currency } : { kind: 'unknown', reasonKey: 'hazards.facts.stockNotRecorded' },
        status: inside ? 'act' : 'watch',
        ...(total && exp.sitesWithoutValue ? { noteKey: 'hazards.facts.someSitesWithoutValue', noteParams: { count: exp.sitesWithoutValue } } : {}),
        link: { tab: 'risk' },
      });
    }
    const open = advisories.filter((a) => openStatuses.has(a.status));
    const uncontacted = open.filter((a) => a.status === 'open').length;
    out.push({
      id: 'hazards.advisories', module: 'hazards', labelKey: 'hazards.facts.openAdvisories', order: 42, value: { kind: 'count', value: open.length },
      status: uncontacted ? 'act' : open.length ? 'watch' : 'ok',
      ...(open.length ? { noteKey: 'hazards.facts.uncontacted', noteParams: { count: uncontacted } } : {}),
      link: { tab: 'risk' },
    });
    return out;
  }

  async function timeline(ctx: Ctx, accountId: string, q: { limit: number; before?: { at: string; id: string }; userId?: string }): Promise<TimelineEvent[]> {
    // An account has a handful of advisories: their steps are built here and cut to the page.
    const rows = await advRepo.listAdvisories(ctx.db.kysely, accountVisibleTo(ctx.actor, 'advisories.account_id'), { accountId, limit: 1000 });
    return rows.flatMap(advisoryEvents)
      .filter((e) => (!q.before || byTimeDesc(e, q.before) > 0) && (!q.userId || e.actor?.id === q.userId))
      .sort(byTimeDesc).slice(0, q.limit);
  }

  async function agenda(ctx: Ctx): Promise<AgendaItem[]> {
    const scope = accountVisibleTo(ctx.actor, 'advisories.account_id');
    // A manager acts on their own advisories; a director or admin sees those nobody has contacted yet.
    const rows = ctx.actor.role === 'manager'
      ? await advRepo.listAdvisories(ctx.db.kysely, scope, { managerId: ctx.actor.userId, limit: 500 })
      : ctx.actor.role === 'director' || ctx.actor.role === 'admin' ? await advRepo.listAdvisories(ctx.db.kysely, scope, { status: 'open', limit: 500 }) : [];
    const accounts = await ctx.db.kysely.selectFrom('accounts').select(['id', 'code', 'name', 'name_en'])
      .where('id', 'in', [...new Set(rows.map((r) => r.account_id)), '']).execute();
    const byId = new Map(accounts.map((a) => [a.id, a]));
    return rows.filter((a) => openStatuses.has(a.status)).map((a): AgendaItem => {
      const acc = byId.get(a.account_id);
      return {
        id: `advisory:${a.id}`, module: 'hazards', kind: 'advisory', urgency: a.status === 'open' ? 'now' : 'today', at: a.created_at,
        titleKey: `hazards.agenda.advisory.${a.status}`,
        params: { site: a.site_name, headline: a.headline, amountMinor: a.value_at_risk_minor, currency: a.currency, inside: a.inside, manager: a.manager_name },
        account: acc ? { id: acc.id, code: acc.code, name: acc.name, nameEn: acc.name_en } : null,
        siteId: a.site_id, flags: [], link: { to: `/hazards/advisories?advisory=${a.id}` },
      };
    });
  }

  async function agendaFlags(ctx: Ctx, items: AgendaItem[]): Promise<Record<string, AgendaFlag[]>> {
    const wanted = new Set(items.filter((i) => i.kind !== 'advisory' && i.siteId).map((i) => i.siteId!));
    if (!wanted.size) return {};
    const matches = (await repo.listOpenMatches(ctx.db.kysely, accountVisibleTo(ctx.actor, 'hazard_matches.account_id'), { limit: 100_000 })).filter((m) => wanted.has(m.site_id));
    const bySite = new Map<string, AgendaFlag[]>();
    for (const m of matches) {
      const list = bySite.get(m.site_id) ?? [];
      if (!list.some((f) => f.params.alertId === m.alert_id)) {
        list.push({ kind: 'hazard', labelKey: m.inside ? 'hazards.agenda.flags.hazardInside' : 'hazards.agenda.flags.hazardNear', params: { alertId: m.alert_id, headline: m.headline, distance: Math.round(m.distance_m) }, status: m.inside ? 'act' : 'watch' });
      }
      bySite.set(m.site_id, list);
    }
    return Object.fromEntries(items.filter((i) => i.siteId && bySite.has(i.siteId)).map((i) => [i.id, bySite.get(i.siteId!)!]));
  }

  /**
   * The dealer's own warnings: for each warning in force over (or near) one of its sites, the
   * warning's headline and when it ends, each site it covers and how, what to do, and the issuer's
   * own instruction, all in the reader's language. Only what the dealer may see: never values at
   * risk, advisories, notes or ratings, and only its own company's sites.
   */
  async function portal(ctx: Ctx): Promise<PortalCard[]> {
    if (ctx.actor.role !== 'dealer' || !ctx.actor.accountId) return [];
    const lang = languageOf(ctx);
    const matches = await repo.listOpenMatches(ctx.db.kysely, accountVisibleTo(ctx.actor, 'hazard_matches.account_id'), { accountId: ctx.actor.accountId, limit: 1000 });
    const byAlert = new Map<string, typeof matches>();
    for (const m of matches) byAlert.set(m.alert_id, [...(byAlert.get(m.alert_id) ?? []), m]);
    const cards: PortalCard[] = [];
    for (const [alertId, ms] of byAlert) {
      // The issuer's instruction, in the reader's language: a dealer has a warning or two, so reading the stored alert is cheap.
      const row = await repo.findAlert(ctx.db.kysely, alertId);
      const info = row ? selectInfos((JSON.parse(row.alert_json) as CapAlert), [lang])[0] : undefined;
      const instruction = info?.instruction?.trim();
      const sites = [...new Map(ms.map((m) => [m.site_id, m])).values()].sort((a, b) => b.inside - a.inside || a.distance_m - b.distance_m);
      const inside = sites.some((m) => m.inside === 1);
      cards.push({
        id: `hazard:${alertId}`, module: 'hazards', titleKey: 'hazards.portal.title',
        params: { headline: headlineFor(ms[0]!, lang) ?? info?.event ?? null }, status: inside ? 'act' : 'watch',
        lines: [
          ...sites.map((m): PortalCard['lines'][number] => {
            const params: Params = m.inside || m.distance_m < 1000 ? { site: m.site_name, distance: Math.round(m.distance_m) } : { site: m.site_name, km: Math.round(m.distance_m / 100) / 10 };
            const key = m.inside ? 'hazards.portal.site' : m.distance_m < 1000 ? 'hazards.portal.siteNearM' : 'hazards.portal.siteNearKm';
            return { labelKey: m.inside ? 'hazards.portal.siteInside' : 'hazards.portal.siteNear', value: { kind: 'text', key, params } };
          }),
          { labelKey: 'hazards.portal.until', value: { kind: 'date', at: ms[0]!.alert_expires_at } },
          { labelKey: 'hazards.portal.whatToDo', value: { kind: 'text', key: inside ? 'hazards.portal.adviceInside' : 'hazards.portal.adviceNear' } },
          ...(instruction ? [{ labelKey: 'hazards.portal.officialAdvice', value: { kind: 'text' as const, key: 'portal.plain', params: { text: instruction.slice(0, 600) } } }] : []),
        ],
      });
    }
    return cards.sort((a, b) => (a.status === b.status ? 0 : a.status === 'act' ? -1 : 1));
  }

  return {
    module: 'hazards',
    facts: { permission: 'hazard:read', list: facts },
    timeline: { permission: 'advisory:read', kinds: ['advisory'], list: timeline },
    agenda: { permission: 'advisory:read', list: (ctx) => agenda(ctx) },
    agendaFlags: { permission: 'hazard:read', list: agendaFlags },
    portal: { permission: 'account:read', list: portal },
  };
}
