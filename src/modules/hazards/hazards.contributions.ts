import { type Contribution, byTimeDesc } from '../../platform/contributions.js';
import type { AccountFact, AgendaFigure, AgendaFlag, AgendaItem, AgendaSection, Params, PortalCard, TimelineEvent } from '../../platform/contributions.contract.js';
import type { Ctx } from '../../server/context.js';
import { accountVisibleTo, allows } from '../../server/policy.js';
import * as advRepo from './advisories.repository.js';
import type { AdvisoryRow } from './advisories.repository.js';
import { aggregateValueAtRisk, type MoneyMinor } from './hazard-match.js';
import * as repo from './hazards.repository.js';
import { selectInfos, type CapAlert } from './cap.domain.js';
import { exposure, headlineFor, languageOf, type HazardCtx } from './hazards.service.js';
import type { HazardSettings } from './hazards.settings.js';

type Log = HazardCtx['log'];
const openStatuses = new Set(['open', 'contacted', 'actioned']);

/** The steps of one advisory, each an event: raised, dealer contacted, action taken, closed. */
function advisoryEvents(a: AdvisoryRow, lang: string): TimelineEvent[] {
  const base = { kind: 'advisory', module: 'hazards', accountId: a.account_id, link: { tab: 'risk' } } as const;
  const params = { site: a.site_name, headline: headlineFor(a, lang), distance: Math.round(a.distance_m), inside: a.inside };
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
 * a flag on every visit to a site under a warning, and the dealer's own warning in the portal. On
 * a director's day, the key accounts under a warning; on an executive's, value at risk and protected.
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
      ...(alerts.size ? { noteKey: 'hazards.facts.sitesExposed', noteParams: { count: sites.size, headline: headlineFor(matches[0]!, languageOf(ctx)) } } : {}),
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
    const lang = languageOf(ctx);
    return rows.flatMap((a) => advisoryEvents(a, lang))
      .filter((e) => (!q.before || byTimeDesc(e, q.before) > 0) && (!q.userId || e.actor?.id === q.userId))
      .sort(byTimeDesc).slice(0, q.limit);
  }

  type OpenMatch = Awaited<ReturnType<typeof repo.listOpenMatches>>[number];
  /** The stock value of the matched sites, each site once, per group and currency (sites without a recorded value are left out). */
  function valueAtRisk(matches: OpenMatch[], groupOf: (m: OpenMatch) => string) {
    const value = new Map<string, MoneyMinor>();
    const group = new Map<string, string>();
    for (const m of matches) {
      if (m.inventory_value_minor !== null && m.inventory_currency) value.set(m.site_id, { amountMinor: Number(m.inventory_value_minor), currency: m.inventory_currency });
      group.set(m.site_id, groupOf(m));
    }
    return aggregateValueAtRisk(matches.map((m) => m.site_id), value, group);
  }

  /** The director's key accounts (stored tier A or B) with a site under an open warning, and the stock value there. */
  async function keyAccountsUnderWarning(ctx: Ctx): Promise<AgendaItem[]> {
    if (!allows(ctx.actor.role, 'hazard:read')) return [];
    const matches = await repo.listOpenMatches(ctx.db.kysely, accountVisibleTo(ctx.actor, 'hazard_matches.account_id'), { limit: 100_000 });
    if (!matches.length) return [];
    const keys = await ctx.db.kysely.selectFrom('accounts').select(['id', 'code', 'name', 'name_en', 'tier'])
      .where('id', 'in', [...new Set(matches.map((m) => m.account_id))]).where('tier', 'in', ['A', 'B']).execute();
    const values = valueAtRisk(matches, (m) => m.account_id);
    return keys.map((a): AgendaItem => {
      const ms = matches.filter((m) => m.account_id === a.id);
      const sites = new Set(ms.map((m) => m.site_id));
      const v = values.filter((x) => x.key === a.id).sort((x, y) => y.amountMinor - x.amountMinor)[0];
      const inside = ms.some((m) => m.inside === 1);
      return {
        id: `risk:hazards:${a.id}`, module: 'hazards', kind: 'account-risk', section: 'accounts', urgency: 'today', at: ms.map((m) => m.first_matched_at).sort()[0] ?? null,
        titleKey: v ? 'hazards.agenda.risk.underWarning' : 'hazards.agenda.risk.underWarningNoValue',
        params: { headline: headlineFor(ms[0]!, languageOf(ctx)), count: sites.size, warnings: new Set(ms.map((m) => m.alert_id)).size, amountMinor: v?.amountMinor ?? null, currency: v?.currency ?? null, inside: inside ? 1 : 0, tier: a.tier },
        account: { id: a.id, code: a.code, name: a.name, nameEn: a.name_en }, siteId: null, flags: [],
        status: inside ? 'act' : 'watch', link: { to: `/accounts/${a.id}?tab=risk` },
      };
    });
  }

  /**
   * The executive's figures of "Protect the dealer": the stock value under open warnings now, the
   * value protected so far (the ledger of closed advisories with an outcome: value saved less the
   * cost of moving the stock), and the advisories under way.
   */
  async function protectFigures(ctx: Ctx): Promise<AgendaItem[]> {
    const db = ctx.db.kysely;
    const [matches, advisories] = await Promise.all([
      allows(ctx.actor.role, 'hazard:read') ? repo.listOpenMatches(db, accountVisibleTo(ctx.actor, 'hazard_matches.account_id'), { limit: 100_000 }) : null,
      advRepo.listAdvisories(db, accountVisibleTo(ctx.actor, 'advisories.account_id'), { limit: 100_000 }),
    ]);
    const figures: AgendaFigure[] = [];
    if (matches) {
      const sites = new Map(matches.map((m) => [m.site_id, m]));
      const accounts = new Set(matches.map((m) => m.account_id)).size;
      const withoutValue = [...sites.values()].filter((m) => m.inventory_value_minor === null || !m.inventory_currency).length;
      const inside = matches.some((m) => m.inside === 1);
      const totals = valueAtRisk(matches, () => 'all');
      const note = { noteKey: withoutValue ? 'hazards.agenda.figures.exposedSomeUnknown' : 'hazards.agenda.figures.exposed', noteParams: { count: sites.size, accounts, withoutValue } };
      const link = { to: '/hazards' };
      if (!sites.size) figures.push({ id: 'hazards.valueAtRisk', labelKey: 'hazards.agenda.figures.valueAtRisk', value: { kind: 'money', amountMinor: 0, currency: 'CNY' }, status: 'ok', noteKey: 'hazards.agenda.figures.noSiteExposed', link });
      // Stock not recorded at the exposed sites is unknown, never zero.
      else if (!totals.length) figures.push({ id: 'hazards.valueAtRisk', labelKey: 'hazards.agenda.figures.valueAtRisk', value: { kind: 'unknown', reasonKey: 'hazards.facts.stockNotRecorded' }, status: inside ? 'act' : 'watch', ...note, link });
      else for (const t of totals) figures.push({ id: `hazards.valueAtRisk.${t.currency}`, labelKey: 'hazards.agenda.figures.valueAtRisk', value: { kind: 'money', amountMinor: t.amountMinor, currency: t.currency }, status: inside ? 'act' : 'watch', ...note, link });
    }
    const ledger = new Map<string, { saved: number; losses: number; moving: number; count: number }>();
    for (const a of advisories.filter((x) => x.closed_reason === 'outcome')) {
      const currency = a.outcome_currency ?? a.currency ?? 'CNY';
      const t = ledger.get(currency) ?? { saved: 0, losses: 0, moving: 0, count: 0 };
      t.saved += a.value_saved_minor ?? 0;
      t.losses += a.losses_minor ?? 0;
      t.moving += a.moving_cost_minor ?? 0;
      t.count++;
      ledger.set(currency, t);
    }
    const ledgerLink = { to: '/advisories?status=closed' };
    if (!ledger.size) figures.push({ id: 'hazards.valueProtected', labelKey: 'hazards.agenda.figures.valueProtected', value: { kind: 'money', amountMinor: 0, currency: 'CNY' }, status: 'info', noteKey: 'hazards.agenda.figures.noOutcome', link: ledgerLink });
    for (const [currency, t] of [...ledger].sort(([x], [y]) => x.localeCompare(y))) {
      figures.push({
        id: `hazards.valueProtected.${currency}`, labelKey: 'hazards.agenda.figures.valueProtected', value: { kind: 'money', amountMinor: t.saved - t.moving, currency },
        status: t.saved - t.moving > 0 ? 'ok' : 'info', noteKey: 'hazards.agenda.figures.protectedNote', noteParams: { count: t.count, lossesMinor: t.losses, currency }, link: ledgerLink,
      });
    }
    const open = advisories.filter((a) => openStatuses.has(a.status));
    const uncontacted = open.filter((a) => a.status === 'open').length;
    figures.push({
      id: 'hazards.advisories', labelKey: 'hazards.facts.openAdvisories', value: { kind: 'count', value: open.length },
      status: uncontacted ? 'act' : open.length ? 'watch' : 'ok', ...(open.length ? { noteKey: 'hazards.facts.uncontacted', noteParams: { count: uncontacted } } : {}),
      link: { to: '/advisories' },
    });
    return [{
      id: 'hazards:figures', module: 'hazards', kind: 'figures', section: 'figures', urgency: 'today', at: null, order: 20,
      titleKey: 'hazards.agenda.figures.title', params: {}, account: null, siteId: null, flags: [], link: { to: '/hazards' }, figures,
    }];
  }

  async function agenda(ctx: Ctx): Promise<AgendaItem[]> {
    if (ctx.actor.role === 'executive') return protectFigures(ctx);
    const scope = accountVisibleTo(ctx.actor, 'advisories.account_id');
    // A manager acts on their own advisories; a director or admin sees those nobody has contacted yet.
    const rows = ctx.actor.role === 'manager'
      ? await advRepo.listAdvisories(ctx.db.kysely, scope, { managerId: ctx.actor.userId, limit: 500 })
      : ctx.actor.role === 'director' || ctx.actor.role === 'admin' ? await advRepo.listAdvisories(ctx.db.kysely, scope, { status: 'open', limit: 500 }) : [];
    const accounts = await ctx.db.kysely.selectFrom('accounts').select(['id', 'code', 'name', 'name_en'])
      .where('id', 'in', [...new Set(rows.map((r) => r.account_id)), '']).execute();
    const byId = new Map(accounts.map((a) => [a.id, a]));
    const atRisk = ctx.actor.role === 'director' ? await keyAccountsUnderWarning(ctx) : [];
    // A director watches that every dealer is warned, not each warning: one item per manager whose
    // dealers are not contacted yet, with how many and since when.
    if (ctx.actor.role !== 'manager') return [...atRisk, ...uncontactedByManager(rows)];
    return [...atRisk, ...rows.filter((a) => openStatuses.has(a.status)).map((a): AgendaItem => {
      const acc = byId.get(a.account_id);
      return {
        id: `advisory:${a.id}`, module: 'hazards', kind: 'advisory', urgency: a.status === 'open' ? 'now' : 'today', at: a.created_at,
        titleKey: `hazards.agenda.advisory.${a.status}`,
        params: { site: a.site_name, headline: headlineFor(a, languageOf(ctx)), amountMinor: a.value_at_risk_minor, currency: a.currency, inside: a.inside, manager: a.manager_name },
        account: acc ? { id: acc.id, code: acc.code, name: acc.name, nameEn: acc.name_en } : null,
        siteId: a.site_id, flags: [], link: { to: `/advisories?advisory=${a.id}` },
      };
    })];
  }

  function uncontactedByManager(rows: Awaited<ReturnType<typeof advRepo.listAdvisories>>): AgendaItem[] {
    const groups = new Map<string, typeof rows>();
    for (const a of rows.filter((x) => x.status === 'open')) groups.set(a.manager_id ?? '', [...(groups.get(a.manager_id ?? '') ?? []), a]);
    return [...groups.entries()].map(([managerId, list]): AgendaItem => {
      const oldest = list.map((a) => a.created_at).sort()[0]!;
      return {
        id: `advisories:${managerId || 'none'}`, module: 'hazards', kind: 'advisory', urgency: 'now', at: oldest,
        titleKey: managerId ? 'hazards.agenda.advisory.uncontactedBy' : 'hazards.agenda.advisory.uncontactedNobody',
        params: { count: list.length, manager: list[0]!.manager_name ?? '', since: oldest, sites: list.slice(0, 3).map((a) => a.site_name).join(', ') },
        account: null, siteId: null, flags: [], link: { to: '/advisories?status=open' },
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
        list.push({ kind: 'hazard', labelKey: m.inside ? 'hazards.agenda.flags.hazardInside' : 'hazards.agenda.flags.hazardNear', params: { alertId: m.alert_id, headline: headlineFor(m, languageOf(ctx)), distance: Math.round(m.distance_m) }, status: m.inside ? 'act' : 'watch' });
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
    agenda: {
      permission: 'advisory:read', list: (ctx) => agenda(ctx),
      sections: (ctx): AgendaSection[] => (ctx.actor.role === 'director' ? ['accounts'] : ctx.actor.role === 'executive' ? ['figures'] : []),
    },
    agendaFlags: { permission: 'hazard:read', list: agendaFlags },
    portal: { permission: 'account:read', list: portal },
  };
}
