import { readdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { AgendaFigure, AgendaItem } from '../src/platform/contributions.contract.js';
import { newId } from '../src/shared/ids.js';
import { buildTestApp, type Client, type TestApp } from './build-test-app.js';
import { describeEachDialect } from './dialects.js';

type Day = { date: string; items: AgendaItem[]; unavailable: string[]; sections: string[] };

/** The web app's strings of one language: its own and every module's (as the app merges them). */
function strings(locale: 'en' | 'zh-CN'): Record<string, unknown> {
  const all: Record<string, unknown> = JSON.parse(readFileSync(`src/web/i18n/${locale}.json`, 'utf8'));
  for (const m of readdirSync('src/modules')) {
    const file = path.join('src/modules', m, 'web', `i18n.${locale}.json`);
    if (existsSync(file)) Object.assign(all, JSON.parse(readFileSync(file, 'utf8')));
  }
  return all;
}
const has = (all: Record<string, unknown>, key: string) => {
  const parts = key.split('.');
  const last = parts.pop()!;
  const node = parts.reduce<unknown>((o, p) => (o as Record<string, unknown> | undefined)?.[p], all) as Record<string, unknown> | undefined;
  return typeof node?.[last] === 'string' || typeof node?.[`${last}_other`] === 'string';
};
/** Every i18n key a day names: titles, flags, figures' labels, notes and reasons. */
const keysOf = (d: Day) => d.items.flatMap((i) => [
  i.titleKey, ...i.flags.map((f) => f.labelKey),
  ...(i.figures ?? []).flatMap((f) => [f.labelKey, f.noteKey, f.value.kind === 'unknown' ? f.value.reasonKey : undefined, f.value.kind === 'text' ? f.value.key : undefined]),
]).filter((k): k is string => !!k);

/**
 * My day by role. Clock: Thursday 2026-11-26 16:00 in Shanghai (08:00 UTC); the week began on
 * Monday 23 November. team1 = d1 with m1, m2; team2 = d2 with m3.
 * acc1 (tier A, m1) · acc2 (tier B, m2, m1 on its team) · acc3 (tier B, m3) · acc4 (tier B, no owner).
 *
 * Visits (all at 10:00 Shanghai but the one still to come):
 *  m1 on acc1 — before this week: 26 Oct, 2, 9 Nov on time, 16 Nov early; this week: Mon on time,
 *               Tue late, Wed missed ("shop closed"), Thu 17:00 still to come.
 *  m2 on acc2 — 2 Nov on time, 9 Nov missed ("road closed"), 16 Nov missed without a reason,
 *               Mon 23 Nov missed ("customer away"): three in a row.
 *  m3 on acc3 — 9 and 16 Nov missed ("rain"): two in a row.
 * Revenue (CNY), the last 12 full months (2025-11…2026-10) against the 12 before:
 *  acc1 600 vs 1000 (−40 %) · acc2 950 vs 1000 (−5 %) · acc3 100 vs 1000 (−90 %) · acc4 500 vs nothing.
 * Warnings: acc2's warehouse inside one (stock ¥250,000), acc3's near it (¥80,000), acc4's near it
 * (no stock recorded). Advisories: two closed with an outcome (saved ¥120,000 less ¥8,000 moving,
 * ¥5,000 lost; saved ¥40,000 less ¥2,500 moving), one closed because the warning ended, one
 * open, one contacted.
 */
describeEachDialect('my day by role: the team, the accounts at risk, the figures', (dialect) => {
  let t: TestApp;
  const c: Record<string, Client> = {};
  const day = async (who: string): Promise<Day> => {
    const res = await c[who]!.get('/api/v1/home/day');
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as Day;
  };
  const figure = (item: AgendaItem | undefined, id: string): AgendaFigure | undefined => item?.figures?.find((f) => f.id === id);

  beforeAll(async () => {
    t = await buildTestApp(dialect);
    const k = t.db.kysely;
    const { users: u, accounts: acc, records } = t.world;
    const NOW = '2026-11-01T00:00:00.000Z';

    const plans: Record<string, string> = {};
    for (const [key, manager] of [['acc1', 'm1'], ['acc2', 'm2'], ['acc3', 'm3'], ['acc1', 'd1']] as const) {
      plans[`${key}:${manager}`] = newId();
      await k.insertInto('call_plans').values({
        id: plans[`${key}:${manager}`]!, account_id: acc[key], site_id: records[key]!.site, manager_id: u[manager]!, route_id: null, route_position: null,
        rrule: 'DTSTART;TZID=Asia/Shanghai:20261026T100000\nRRULE:FREQ=WEEKLY;INTERVAL=1;BYDAY=MO', time_zone: 'Asia/Shanghai', weekday: 'mon', start_time: '10:00',
        duration_minutes: 45, interval_weeks: 1, anchor_date: '2026-10-26', ends_on: null, time_fixed: 1, tolerance_minutes: 10, status: 'active',
        created_at: NOW, updated_at: NOW, version: 1,
      }).execute();
    }
    type How = 'on_time' | 'late' | 'early' | 'missed' | 'unexplained' | 'planned';
    const visit = (key: 'acc1' | 'acc2' | 'acc3', manager: string, date: string, how: How, reason: string | null = null, utcHour = 2) => {
      const start = `${date}T${String(utcHour).padStart(2, '0')}:00:00.000Z`;
      const made = how === 'on_time' || how === 'late' || how === 'early';
      const checkIn = made ? new Date(new Date(start).getTime() + ({ on_time: 2, late: 25, early: -20 } as const)[how] * 60_000).toISOString() : null;
      return {
        id: newId(), plan_id: plans[`${key}:${manager}`]!, account_id: acc[key], site_id: records[key]!.site, manager_id: u[manager]!, occurrence_date: date,
        scheduled_start: start, scheduled_end: new Date(new Date(start).getTime() + 45 * 60_000).toISOString(), time_zone: 'Asia/Shanghai',
        status: made ? 'completed' : how === 'missed' ? 'missed' : 'planned', tolerance_minutes: 10,
        check_in_at: checkIn, check_in_lat: made ? 28.37 : null, check_in_lng: made ? 121.36 : null, check_in_distance_m: made ? 5 : null,
        check_out_at: made ? new Date(new Date(checkIn!).getTime() + 40 * 60_000).toISOString() : null, check_out_lat: null, check_out_lng: null, check_out_distance_m: null,
        punctuality: made ? how : null, missed_reason: reason, moved_from: null, moved_contact_id: null, moved_note: null,
        outcome_notes: null, order_amount_minor: null, order_currency: null, issues_json: null, created_at: NOW, updated_at: NOW, version: 1,
      };
    };
    await k.insertInto('visits').values([
      visit('acc1', 'm1', '2026-10-26', 'on_time'), visit('acc1', 'm1', '2026-11-02', 'on_time'), visit('acc1', 'm1', '2026-11-09', 'on_time'),
      visit('acc1', 'm1', '2026-11-16', 'early'), visit('acc1', 'm1', '2026-11-23', 'on_time'), visit('acc1', 'm1', '2026-11-24', 'late'),
      visit('acc1', 'm1', '2026-11-25', 'missed', 'shop closed'), visit('acc1', 'm1', '2026-11-26', 'planned', null, 9),
      visit('acc2', 'm2', '2026-11-02', 'on_time'), visit('acc2', 'm2', '2026-11-09', 'missed', 'road closed'),
      visit('acc2', 'm2', '2026-11-16', 'unexplained'), visit('acc2', 'm2', '2026-11-23', 'missed', 'customer away'),
      visit('acc3', 'm3', '2026-11-09', 'missed', 'rain'), visit('acc3', 'm3', '2026-11-16', 'missed', 'rain'),
      // The director visits a key account too: 18:00 today.
      visit('acc1', 'd1', '2026-11-26', 'planned', null, 10),
    ]).execute();

    // Before any request reads sales: the rollups are built from these lines on first use.
    const line = (doc: string, account: string, date: string, amount: number) => ({
      doc_no: doc, line_no: 1, date, account_id: account, product_id: t.world.product, quantity: 10, net_amount_minor: amount, cost_amount_minor: null,
      currency: 'CNY', created_at: NOW, updated_at: NOW,
    });
    await k.insertInto('sales_lines').values([
      line('P-1', acc.acc1, '2025-03-10', 1000_00), line('L-1', acc.acc1, '2026-06-10', 600_00),
      line('P-2', acc.acc2, '2025-05-10', 1000_00), line('L-2', acc.acc2, '2026-02-10', 950_00),
      line('P-3', acc.acc3, '2025-09-20', 1000_00), line('L-3', acc.acc3, '2026-10-20', 100_00),
      // November is under way: not counted (it would make every account look down on the year before).
      line('N-1', acc.acc1, '2026-11-20', 5000_00),
      line('L-4', acc.acc4, '2025-12-01', 500_00),
    ]).execute();

    const alert = newId();
    await k.insertInto('hazard_alerts').values({
      id: alert, sender: 'test@cma.example', identifier: 'TY-1', sent_at: '2026-11-26T00:00:00.000Z', sent_text: '2026-11-26T08:00:00+08:00', status: 'Actual', msg_type: 'Alert',
      thread_key: 'test@cma.example|TY-1', expires_at: '2026-11-28T00:00:00.000Z', headline: 'Typhoon orange warning', event: 'Typhoon', severity: 'Severe', urgency: 'Immediate',
      certainty: 'Likely', languages: 'zh-CN', alert_json: '{}', warnings_json: null, source: 'upload', feed_id: null, file_path: null, received_at: '2026-11-26T00:00:00.000Z', received_by: null,
    }).execute();
    const stock = (key: string, amount: number | null) => ({
      site_id: records[key]!.site, coast_distance_m: null, coast_lat: null, coast_lng: null, flood_prone: 0, company_site: 0, inventory_value_minor: amount,
      inventory_currency: amount === null ? null : 'CNY', insurance_status: 'unknown', insurer: null, policy_number: null, cover_minor: null, cover_currency: null,
      insurance_expires_on: null, refused_reason: null, updated_at: NOW, version: 1,
    });
    await k.insertInto('site_risk').values([stock('acc2', 250_000_00), stock('acc3', 80_000_00), stock('acc4', null)]).execute();
    const match = (key: 'acc2' | 'acc3' | 'acc4', inside: boolean) => ({
      id: newId(), thread_key: 'test@cma.example|TY-1', alert_id: alert, area_id: 'a1', area_label: 'Taizhou coast', site_id: records[key]!.site, account_id: acc[key],
      inside: inside ? 1 : 0, distance_m: inside ? 0 : 3200, first_matched_at: '2026-11-26T01:00:00.000Z', last_seen_at: '2026-11-26T07:55:00.000Z', ended_at: null, end_reason: null,
    });
    await k.insertInto('hazard_matches').values([match('acc2', true), match('acc3', false), match('acc4', false)]).execute();
    const advisory = (key: 'acc1' | 'acc2' | 'acc3', status: string, extra: Record<string, unknown> = {}) => ({
      id: newId(), thread_key: status === 'closed' ? `earlier storm ${newId()}` : 'test@cma.example|TY-1', alert_id: alert, site_id: records[key]!.site, account_id: acc[key], manager_id: u.m1!, status, hazard_state: 'active',
      hazard_ended_at: null, headline: 'Typhoon orange warning', inside: 1, distance_m: 0, value_at_risk_minor: 100_000_00, currency: 'CNY', proposal_json: '{"kind":"none","reason":"no-safe-site"}',
      contacted_at: null, contact_channel: null, contact_notes: null, dealer_decision: null, action_taken: null, actioned_at: null, closed_at: null, closed_reason: null,
      value_saved_minor: null, losses_minor: null, moving_cost_minor: null, outcome_currency: null, outcome_notes: null, email_status: null, webhook_status: null,
      created_at: '2026-11-20T00:00:00.000Z', updated_at: '2026-11-20T00:00:00.000Z', version: 1, ...extra,
    });
    const closed = { closed_at: '2026-11-24T00:00:00.000Z', hazard_state: 'expired' };
    await k.insertInto('advisories').values([
      advisory('acc1', 'closed', { ...closed, closed_reason: 'outcome', value_saved_minor: 120_000_00, losses_minor: 5_000_00, moving_cost_minor: 8_000_00, outcome_currency: 'CNY' }),
      advisory('acc3', 'closed', { ...closed, closed_reason: 'outcome', value_saved_minor: 40_000_00, losses_minor: 0, moving_cost_minor: 2_500_00, outcome_currency: 'CNY' }),
      advisory('acc2', 'closed', { ...closed, closed_reason: 'hazard-ended' }),
      advisory('acc2', 'open'),
      advisory('acc1', 'contacted', { contacted_at: '2026-11-26T02:00:00.000Z', contact_channel: 'phone' }),
    ]).execute();

    for (const key of ['m1', 'm3', 'd1', 'd2', 'exec', 'dealer']) c[key] = await t.login(key);
  });
  afterAll(async () => t?.close());

  it("shows a director the compliance of their own team, person by person, this week and the four weeks before", async () => {
    const d1 = await day('d1');
    expect(d1.sections).toEqual(['team', 'accounts']);
    const team = d1.items.filter((i) => i.section === 'team');
    // Worst first; the director's own program (nothing due yet) after the team; m3 is d2's.
    expect(team.map((i) => i.params.manager)).toEqual(['User m1', 'User m2', 'User d1']);
    expect(team.map((i) => i.status)).toEqual(['act', 'act', 'info']);
    const [m1, m2] = team;
    expect(m1!.link.to).toBe('/visits/compliance');
    expect(m1!.status).toBe('act');
    // This week: Mon on time, Tue late, Wed missed; Thursday's visit is still to come.
    expect(figure(m1, 'visits.week.done')).toMatchObject({ value: { kind: 'percent', value: 66.7 }, noteParams: { done: 2, due: 3, upcoming: 1 } });
    expect(figure(m1, 'visits.week.onTime')).toMatchObject({ value: { kind: 'percent', value: 33.3 }, noteParams: { count: 1 } });
    expect(figure(m1, 'visits.week.missed')).toMatchObject({ value: { kind: 'count', value: 1 }, noteKey: 'visits.agenda.compliance.latestReason', noteParams: { reason: 'shop closed' } });
    // The four weeks before: all four made, one early.
    expect(figure(m1, 'visits.weeks4.done')).toMatchObject({ value: { kind: 'percent', value: 100 }, noteParams: { done: 4, due: 4, upcoming: 0 }, status: 'ok' });
    expect(figure(m1, 'visits.weeks4.onTime')).toMatchObject({ value: { kind: 'percent', value: 75 }, status: 'watch' });
    expect(figure(m1, 'visits.weeks4.missed')).toMatchObject({ value: { kind: 'count', value: 0 }, status: 'ok' });
    // m2: nothing made this week; before it one of three, and one missed visit nobody explained.
    expect(figure(m2, 'visits.week.done')).toMatchObject({ value: { kind: 'percent', value: 0 }, noteParams: { done: 0, due: 1 } });
    expect(figure(m2, 'visits.weeks4.done')).toMatchObject({ value: { kind: 'percent', value: 33.3 } });
    expect(figure(m2, 'visits.weeks4.missed')).toMatchObject({ value: { kind: 'count', value: 2 }, noteKey: 'visits.agenda.compliance.withoutReason', noteParams: { count: 1 } });

    const d2 = (await day('d2')).items.filter((i) => i.section === 'team');
    expect(d2.map((i) => i.params.manager)).toEqual(['User m3']);
    expect(figure(d2[0], 'visits.weeks4.missed')).toMatchObject({ value: { kind: 'count', value: 2 } });
  });

  it("lists the team's key accounts at risk with each reason: revenue down, a warning over a site, visits missed in a row", async () => {
    const { acc1, acc2 } = t.world.accounts;
    const risks = (await day('d1')).items.filter((i) => i.section === 'accounts');
    expect(risks.map((i) => i.id).sort()).toEqual([`risk:hazards:${acc2}`, `risk:portfolio:${acc1}`, `risk:visits:${acc2}`].sort());
    const by = (id: string) => risks.find((i) => i.id === id)!;
    expect(by(`risk:portfolio:${acc1}`)).toMatchObject({
      titleKey: 'portfolio.agenda.risk.revenueDown', status: 'act', account: { id: acc1, code: 'ACC1' },
      params: { pct: -40, lastMinor: 600_00, priorMinor: 1000_00, currency: 'CNY' }, link: { to: `/accounts/${acc1}?tab=revenue` },
    });
    expect(by(`risk:visits:${acc2}`)).toMatchObject({
      titleKey: 'visits.agenda.risk.missedInARow', status: 'act', params: { count: 3, since: '2026-11-09T02:00:00.000Z' }, link: { to: `/accounts/${acc2}?tab=visit-plan` },
    });
    expect(by(`risk:hazards:${acc2}`)).toMatchObject({
      titleKey: 'hazards.agenda.risk.underWarning', status: 'act', params: { headline: 'Typhoon orange warning', count: 1, amountMinor: 250_000_00, currency: 'CNY' },
      link: { to: `/accounts/${acc2}?tab=risk` },
    });
    // acc2's revenue fell 5 %: not a reason. acc3 and acc4 are not d1's.

    // The dealers not warned yet: one item per manager, not one per advisory (m1's one open advisory).
    const warn = (await day('d1')).items.filter((i) => i.kind === 'advisory');
    expect(warn).toHaveLength(1);
    expect(warn[0]).toMatchObject({ titleKey: 'hazards.agenda.advisory.uncontactedBy', urgency: 'now', params: { count: 1, manager: 'User m1' }, link: { to: '/advisories?status=open' } });

    const { acc3 } = t.world.accounts;
    const other = (await day('d2')).items.filter((i) => i.section === 'accounts');
    expect(other.map((i) => [i.id, i.status])).toEqual(expect.arrayContaining([
      [`risk:visits:${acc3}`, 'watch'], [`risk:portfolio:${acc3}`, 'act'], [`risk:hazards:${acc3}`, 'watch'],
    ]));
    expect(other.every((i) => i.account?.id === acc3)).toBe(true);
  });

  it('gives an executive the figures of the business: revenue, the top 20 %, tiers, value at risk and value protected', async () => {
    const exec = await day('exec');
    expect(exec.sections).toEqual(['figures']);
    expect(exec.items.filter((i) => i.section === 'team' || i.section === 'accounts')).toEqual([]);
    const portfolio = exec.items.find((i) => i.id === 'portfolio:figures');
    // 600 + 950 + 100 + 500 = 2,150 against 3,000: −28.3 %.
    expect(figure(portfolio, 'portfolio.revenue12')).toMatchObject({ value: { kind: 'money', amountMinor: 2150_00, currency: 'CNY' }, status: 'act', noteParams: { pct: -28.3 } });
    // The top fifth of 4 buying accounts is acc2: 950 of 2,150.
    expect(figure(portfolio, 'portfolio.top20')).toMatchObject({ value: { kind: 'percent', value: 44.2 }, noteParams: { count: 1, of: 4 } });
    // A up to 80 % of 2,150 (1,720) counted before: acc2, acc1, acc4; acc3 starts past 95 %: C.
    expect([figure(portfolio, 'portfolio.tierA'), figure(portfolio, 'portfolio.tierB'), figure(portfolio, 'portfolio.tierC')].map((f) => [f?.value, f?.noteParams?.pct])).toEqual([
      [{ kind: 'count', value: 3 }, 95.3], [{ kind: 'count', value: 0 }, 0], [{ kind: 'count', value: 1 }, 4.7],
    ]);
    const protect = exec.items.find((i) => i.id === 'hazards:figures');
    // ¥250,000 + ¥80,000; acc4's site has no stock recorded and counts as unknown, not zero.
    expect(figure(protect, 'hazards.valueAtRisk.CNY')).toMatchObject({ value: { kind: 'money', amountMinor: 330_000_00, currency: 'CNY' }, status: 'act', noteParams: { count: 3, accounts: 3, withoutValue: 1 } });
    // (120,000 − 8,000) + (40,000 − 2,500); the advisory closed because the warning ended is not in the ledger.
    expect(figure(protect, 'hazards.valueProtected.CNY')).toMatchObject({ value: { kind: 'money', amountMinor: 149_500_00, currency: 'CNY' }, noteParams: { count: 2, lossesMinor: 5_000_00 } });
    expect(figure(protect, 'hazards.advisories')).toMatchObject({ value: { kind: 'count', value: 2 }, status: 'act', noteParams: { count: 1 } });
  });

  it("keeps a manager's day as it was: today's visit, none of the director's or the executive's sections", async () => {
    const m1 = await day('m1');
    expect(m1.sections).toEqual([]);
    expect(m1.items.filter((i) => i.section !== undefined)).toEqual([]);
    expect(m1.items.filter((i) => i.kind === 'visit').map((i) => i.at)).toEqual(['2026-11-26T09:00:00.000Z']);
    expect(m1.items.some((i) => i.kind === 'advisory')).toBe(true);
    expect((await day('m3')).items.filter((i) => i.section !== undefined)).toEqual([]);
  });

  it('shows a director who visits accounts too their own route as well as the team', async () => {
    const d1 = await day('d1');
    expect(d1.items.filter((i) => i.kind === 'visit').map((i) => [i.at, i.account?.code])).toEqual([['2026-11-26T10:00:00.000Z', 'ACC1']]);
    expect(d1.items.some((i) => i.section === 'team')).toBe(true);
  });

  it('words everything on each day in English and in Chinese', async () => {
    const [en, zh] = [strings('en'), strings('zh-CN')];
    const keys = new Set<string>();
    for (const who of ['m1', 'm3', 'd1', 'd2', 'exec']) for (const k of keysOf(await day(who))) keys.add(k);
    expect(keys.size).toBeGreaterThan(20);
    expect([...keys].filter((k) => !has(en, k) || !has(zh, k))).toEqual([]);
  });

  it('refuses the day to a dealer', async () => {
    const res = await c.dealer!.get('/api/v1/home/day');
    expect(res.statusCode).toBe(403);
    expect(res.headers['content-type']).toContain('application/problem+json');
  });
});
