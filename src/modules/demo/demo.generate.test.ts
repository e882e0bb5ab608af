import { describe, expect, it } from 'vitest';
import { AccountKind, AccountStatus, TeamRole } from '../accounts/accounts.contract.js';
import { ActivityKind } from '../activities/activities.contract.js';
import { Channel, DecisionRole } from '../contacts/contacts.contract.js';
import { OpeningHours, SiteKind } from '../sites/sites.contract.js';
import { Role } from '../users/users.contract.js';
import { abcTiers, topShare } from './demo.abc.js';
import { addMonths, isoToDay, salesDayWeight } from './demo.calendar.js';
import { DEMO_EMAIL_DOMAIN, generateDemoWorld, type DemoWorld } from './demo.generate.js';
import { createRng, normalQuantile, seededUuidV7 } from './demo.random.js';
import { expandSlot, slotRRuleText } from '../visits/visits.domain.js';

const now = new Date('2026-11-20T02:00:00Z');
const small = (at = now, seed?: string) => generateDemoWorld({ now: at, scale: 'small', passwordHash: 'hash', ...(seed ? { seed } : {}) });

let fullCache: DemoWorld | undefined;
const full = (): DemoWorld => (fullCache ??= generateDemoWorld({ now, scale: 'full', passwordHash: 'hash' }));

const t12Revenue = (w: DemoWorld): Map<string, number> => {
  const m = new Map<string, number>();
  for (const l of w.rows.sales_lines) {
    if (l.date >= w.trailing12m.from && l.date <= w.trailing12m.to) m.set(l.account_id, (m.get(l.account_id) ?? 0) + l.net_amount_minor);
  }
  return m;
};

describe('seeded randomness', () => {
  it('repeats the same stream for the same seed and differs for another', () => {
    const a = createRng('x'), b = createRng('x'), c = createRng('y');
    const seq = (r: ReturnType<typeof createRng>) => Array.from({ length: 5 }, () => r.next());
    expect(seq(a)).toEqual(seq(b));
    expect(seq(createRng('x'))).not.toEqual(seq(c));
  });

  it('makes reproducible, well-formed, time-ordered UUIDv7 ids', () => {
    const id = seededUuidV7(createRng('x'), Date.parse('2026-01-01T00:00:00Z'));
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(seededUuidV7(createRng('x'), Date.parse('2026-01-01T00:00:00Z'))).toBe(id);
    expect(seededUuidV7(createRng('x'), Date.parse('2026-01-02T00:00:00Z')) > id).toBe(true);
  });

  it('inverts the normal distribution', () => {
    expect(normalQuantile(0.5)).toBeCloseTo(0, 9);
    expect(normalQuantile(0.8)).toBeCloseTo(0.841621, 5);
    expect(normalQuantile(0.01)).toBeCloseTo(-2.326348, 5);
  });
});

describe('Pareto and ABC arithmetic', () => {
  it('takes the share of the top fifth of positive values', () => {
    expect(topShare([50, 10, 10, 10, 10, 10, 0, -5, 0, 0])).toBeCloseTo(0.5);
    expect(topShare([])).toBe(0);
  });

  it('classes A up to 80% of cumulative revenue (the crossing account included), B to 95%, C the rest and non-buyers', () => {
    const tiers = abcTiers(new Map([['a', 70], ['b', 15], ['c', 10], ['d', 5], ['e', 0]]));
    expect([...tiers.entries()]).toEqual([['a', 'A'], ['b', 'A'], ['c', 'B'], ['d', 'C'], ['e', 'C']]);
  });
});

describe('calendar', () => {
  it('clamps month arithmetic to the end of the month', () => {
    expect(addMonths(isoToDay('2026-03-31'), -1)).toBe(isoToDay('2026-02-28'));
    expect(addMonths(isoToDay('2024-03-31'), -1)).toBe(isoToDay('2024-02-29'));
  });

  it('all but stops sales over the Spring Festival and peaks in the building season', () => {
    expect(salesDayWeight(isoToDay('2026-02-18'))).toBeLessThan(0.1); // the day after 春节 2026-02-17
    expect(salesDayWeight(isoToDay('2026-04-15'))).toBeGreaterThan(1.1); // a Wednesday in April
  });
});

describe('the demo world generator', () => {
  it('generates identical worlds, ids included, for the same seed and date', () => {
    expect(JSON.stringify(small())).toBe(JSON.stringify(small()));
  });

  it('generates a different world for another seed', () => {
    expect(small(now, 'another-seed').rows.accounts.map((a) => a.name)).not.toEqual(small().rows.accounts.map((a) => a.name));
  });

  it.each(['2026-11-20T02:00:00Z', '2027-02-10T09:30:00Z', '2028-06-30T23:59:00Z'])(
    'keeps the top fifth of accounts at 75 to 85 per cent of trailing-12-month revenue (small world, %s)',
    (at) => {
      const w = small(new Date(at));
      const share = topShare(t12Revenue(w).values());
      expect(share).toBeGreaterThanOrEqual(0.75);
      expect(share).toBeLessThanOrEqual(0.85);
      expect(w.paretoTop20Share).toBeCloseTo(share, 9);
    },
  );

  it('has a full world of ~400 accounts whose top 20% bring 75–85% of trailing-12-month revenue', () => {
    const w = full();
    expect(w.rows.accounts).toHaveLength(400);
    const share = topShare(t12Revenue(w).values());
    expect(share).toBeGreaterThanOrEqual(0.75);
    expect(share).toBeLessThanOrEqual(0.85);
    expect(w.rows.sales_lines.length).toBeGreaterThan(100_000);
    expect(w.rows.sales_lines.length).toBeLessThan(200_000);
  });

  it('sets tiers from the trailing-12-month ABC split, but for a handful last reviewed in another tier (the tier moves)', () => {
    const w = full();
    const rev = t12Revenue(w);
    const expected = abcTiers(new Map(w.rows.accounts.map((a) => [a.id, rev.get(a.id) ?? 0])));
    const score = { A: 3, B: 2, C: 1 } as Record<string, number>;
    const moved = w.rows.accounts.filter((a) => a.status !== 'prospect' && a.tier !== expected.get(a.id));
    for (const a of w.rows.accounts) if (a.status === 'prospect') expect(a.tier).toBeNull();
    expect(moved.length).toBeGreaterThanOrEqual(4);
    expect(moved.length).toBeLessThanOrEqual(12);
    for (const a of moved) expect(Math.abs(score[a.tier!]! - score[expected.get(a.id)!]!)).toBe(1);
    expect(new Set(moved.map((a) => `${a.tier}→${expected.get(a.id)}`))).toEqual(new Set(['A→B', 'B→A', 'B→C']));
    expect(w.rows.key_account_designations.length).toBeGreaterThanOrEqual(2);
    for (const d of w.rows.key_account_designations) {
      expect(expected.get(d.account_id)).not.toBe('A');
      expect(d.reason.length).toBeGreaterThan(5);
    }
    const count = (t: string) => w.rows.accounts.filter((a) => a.tier === t).length;
    expect(count('A')).toBeGreaterThan(40);
    expect(count('C')).toBeGreaterThan(count('A'));
  });

  it('shows the building season and the Spring Festival trough in monthly revenue', () => {
    const w = full();
    const byMonth = new Map<string, number>();
    for (const l of w.rows.sales_lines) byMonth.set(l.date.slice(0, 7), (byMonth.get(l.date.slice(0, 7)) ?? 0) + l.net_amount_minor);
    // Spring Festival 2026 falls on 17 February.
    expect(byMonth.get('2026-02')!).toBeLessThan(0.6 * byMonth.get('2026-04')!);
    expect(byMonth.get('2026-05')!).toBeGreaterThan(byMonth.get('2026-08')!);
  });

  it('keeps money in integer fen, natural keys unique, returns as negative lines and dates within the timeline', () => {
    const w = full();
    const keys = new Set<string>();
    let returns = 0, fractional = 0, late = 0;
    for (const l of w.rows.sales_lines) {
      if (!Number.isSafeInteger(l.net_amount_minor) || !Number.isSafeInteger(l.cost_amount_minor)) fractional++;
      keys.add(`${l.doc_no}#${l.line_no}`);
      if (l.net_amount_minor < 0) returns++;
      if (l.date > w.referenceDate) late++;
    }
    expect({ fractional, late }).toEqual({ fractional: 0, late: 0 });
    expect(keys.size).toBe(w.rows.sales_lines.length);
    expect(returns).toBeGreaterThan(100);
    expect(w.rows.sales_lines[0]!.date >= addMonthsIso(w.referenceDate, -27)).toBe(true);
  });

  it('signs in staff and one portal user per account of every kind with the published emails', () => {
    const w = full();
    const emails = new Set(w.rows.users.map((u) => u.email));
    for (const local of ['admin', 'logistics', 'exec', 'director1', 'director4', 'manager1', 'manager20']) expect(emails.has(`${local}@${DEMO_EMAIL_DOMAIN}`)).toBe(true);
    for (const a of w.rows.accounts) expect(emails.has(`dealer-${a.code.toLowerCase()}@${DEMO_EMAIL_DOMAIN}`)).toBe(true);
    const portal = w.rows.users.filter((u) => u.role === 'dealer');
    expect(portal).toHaveLength(w.rows.accounts.length);
    const kindOf = new Map(w.rows.accounts.map((a) => [a.id, a.kind]));
    expect(new Set(portal.map((u) => kindOf.get(u.account_id!)))).toEqual(new Set(['dealer', 'distributor', 'retail_chain']));
    expect(new Set(w.rows.users.map((u) => u.password_hash))).toEqual(new Set(['hash']));
    expect(w.rows.users.every((u) => u.time_zone === 'Asia/Shanghai')).toBe(true);
  });

  it('gives manager1 a believable book with key accounts on the Taizhou–Wenling coast', () => {
    const w = full();
    const m1 = w.rows.users.find((u) => u.email === `manager1@${DEMO_EMAIL_DOMAIN}`)!;
    const book = w.rows.accounts.filter((a) => a.owner_id === m1.id);
    expect(book.length).toBeGreaterThanOrEqual(15);
    expect(book.length).toBeLessThanOrEqual(25);
    expect(book.filter((a) => a.tier === 'A').length).toBeGreaterThanOrEqual(3);
    expect(book.some((a) => a.city === '台州市' && a.kind === 'dealer')).toBe(true);
    expect(book.some((a) => a.city === '温岭市' && a.kind === 'dealer')).toBe(true);
  });

  it('places the Taizhou (Zhejiang) and Wenling dealers’ warehouses on the coast, not in Jiangsu’s Taizhou', () => {
    const w = full();
    const byId = new Map(w.rows.accounts.map((a) => [a.id, a]));
    const coastal = w.rows.sites.filter((s) => s.kind === 'warehouse' && (s.city === '台州市' || s.city === '温岭市') && byId.get(s.account_id)!.kind === 'dealer');
    expect(coastal.length).toBeGreaterThanOrEqual(3);
    for (const s of coastal) {
      expect(s.province).toBe('浙江省');
      expect(s.lat!).toBeGreaterThan(28.2);
      expect(s.lat!).toBeLessThan(28.9);
      expect(s.lng!).toBeGreaterThan(121.0);
    }
    expect(w.rows.sites.some((s) => s.name.includes('石塘'))).toBe(true);
  });

  it('gives A accounts more activity than C accounts on average, though not every A account is well covered', () => {
    const w = full();
    const perAccount = new Map<string, number>();
    // What people logged by hand (the program's visits, recorded by their check-ins, come on top for A and B accounts).
    for (const a of w.rows.activities) if (!a.visit_id) perAccount.set(a.account_id, (perAccount.get(a.account_id) ?? 0) + 1);
    const avg = (tier: string) => {
      const accts = w.rows.accounts.filter((a) => a.tier === tier);
      return accts.reduce((s, a) => s + (perAccount.get(a.id) ?? 0), 0) / accts.length;
    };
    expect(avg('A')).toBeGreaterThan(2 * avg('C'));
    const a = w.rows.accounts.filter((x) => x.tier === 'A').map((x) => perAccount.get(x.id) ?? 0);
    expect(Math.min(...a)).toBeLessThan(avg('A') / 2);
  });

  it('uses only values the API contracts allow', () => {
    const w = small();
    for (const s of w.rows.sites) {
      expect(SiteKind.safeParse(s.kind).success).toBe(true);
      expect(OpeningHours.safeParse(JSON.parse(s.opening_hours!)).success).toBe(true);
    }
    for (const a of w.rows.accounts) expect(AccountKind.safeParse(a.kind).success && AccountStatus.safeParse(a.status).success).toBe(true);
    for (const m of w.rows.account_team) expect(TeamRole.safeParse(m.role).success).toBe(true);
    for (const a of w.rows.activities) expect(ActivityKind.safeParse(a.kind).success).toBe(true);
    for (const u of w.rows.users) expect(Role.safeParse(u.role).success).toBe(true);
    const perAccount = new Map<string, number>();
    for (const c of w.rows.contacts) {
      expect(DecisionRole.safeParse(c.decision_role).success && Channel.safeParse(c.preferred_channel).success).toBe(true);
      expect(c.influence >= 1 && c.influence <= 5).toBe(true);
      perAccount.set(c.account_id, (perAccount.get(c.account_id) ?? 0) + 1);
    }
    for (const n of perAccount.values()) expect(n >= 2 && n <= 4).toBe(true);
  });
});

describe('the living demo world', () => {
  const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

  it('gives every manager fixed weekly routes, and each A and B account a slot on one inside its site’s opening hours', () => {
    const w = full();
    const managers = w.rows.users.filter((u) => u.role === 'manager');
    for (const m of managers) expect(w.rows.visit_routes.some((r) => r.manager_id === m.id), m.email).toBe(true);
    const site = new Map(w.rows.sites.map((s) => [s.id, s]));
    const routes = new Map(w.rows.visit_routes.map((r) => [r.id, r]));
    for (const p of w.rows.call_plans) {
      const r = routes.get(p.route_id!)!;
      expect(r.manager_id).toBe(p.manager_id);
      expect(r.weekday).toBe(p.weekday);
      expect(['sat', 'sun']).not.toContain(p.weekday);
      const hours = JSON.parse(site.get(p.site_id!)!.opening_hours!) as Record<string, [string, string][]>;
      const start = minutes(p.start_time), end = start + p.duration_minutes;
      expect(hours[p.weekday]!.some(([o, c]) => minutes(o) <= start && end <= minutes(c)), `${p.id} ${p.weekday} ${p.start_time}`).toBe(true);
      expect(p.rrule).toBe(slotRRuleText({ weekday: p.weekday as 'mon', startTime: p.start_time, durationMinutes: p.duration_minutes, intervalWeeks: p.interval_weeks, timeZone: p.time_zone, anchorDate: p.anchor_date, endsOn: p.ends_on }));
    }
    const planned = new Set(w.rows.call_plans.map((p) => p.account_id));
    const key = w.rows.accounts.filter((a) => a.status === 'active' && (a.tier === 'A' || a.tier === 'B'));
    expect(key.filter((a) => planned.has(a.id)).length / key.length).toBeGreaterThan(0.9);
    // Stops of a route do not overlap.
    for (const r of w.rows.visit_routes) {
      const stops = w.rows.call_plans.filter((p) => p.route_id === r.id).sort((a, b) => a.route_position! - b.route_position!);
      for (let i = 1; i < stops.length; i++) expect(minutes(stops[i]!.start_time)).toBeGreaterThanOrEqual(minutes(stops[i - 1]!.start_time) + stops[i - 1]!.duration_minutes);
    }
  });

  it('makes the visits of the weeks ahead exactly as the visit program expands the slots', () => {
    const w = small();
    const nowMs = now.getTime();
    const horizon = new Date(nowMs + 28 * 86_400_000);
    for (const p of w.rows.call_plans) {
      const slot = { weekday: p.weekday as 'mon', startTime: p.start_time, durationMinutes: p.duration_minutes, intervalWeeks: p.interval_weeks, timeZone: p.time_zone, anchorDate: p.anchor_date, endsOn: p.ends_on };
      const from = new Date(Date.parse(`${p.anchor_date}T00:00:00+08:00`));
      const expected = expandSlot(slot, from, horizon).map((o) => `${o.occurrenceDate} ${o.start.toISOString()}`);
      const seeded = w.rows.visits.filter((v) => v.plan_id === p.id && v.moved_from === null).map((v) => `${v.occurrence_date} ${v.scheduled_start}`);
      const moved = w.rows.visits.filter((v) => v.plan_id === p.id && v.moved_from !== null).map((v) => `${v.occurrence_date} ${v.moved_from}`);
      expect([...seeded, ...moved].sort()).toEqual(expected.filter((e) => e >= [...seeded, ...moved].sort()[0]!));
    }
  });

  it('writes missed reasons like a person would, in the manager’s language', () => {
    const w = full();
    const english = new Set(w.rows.users.filter((u) => u.locale === 'en' && u.role === 'manager').map((u) => u.id));
    const missed = w.rows.visits.filter((v) => v.status === 'missed');
    expect(missed.length).toBeGreaterThan(10);
    for (const v of missed) expect(/[\u4e00-\u9fff]/u.test(v.missed_reason!), v.missed_reason!).toBe(!english.has(v.manager_id));
    expect(missed.some((v) => english.has(v.manager_id))).toBe(true);
  });

  it('replays Lekima to come ashore at Wenling 36 hours after the reference instant, with CAP warnings as the app’s parser reads them', () => {
    const w = small();
    const [t] = w.rows.hazard_tracks;
    const track = JSON.parse(t!.track_json) as { fixes: { time: string; lat: number; lng: number }[] };
    const landfall = track.fixes.find((f) => f.lat === 28.4 && f.lng === 121.4)!;
    expect(Date.parse(landfall.time) - now.getTime()).toBeGreaterThan(35 * 3_600_000);
    expect(Date.parse(landfall.time) - now.getTime()).toBeLessThanOrEqual(36 * 3_600_000);
    const current = w.rows.hazard_alerts.filter((a) => a.expires_at > now.toISOString());
    expect(current.map((a) => [a.msg_type, a.severity])).toEqual([['Alert', 'Severe'], ['Update', 'Extreme']]);
    for (const a of current) {
      const alert = JSON.parse(a.alert_json) as { infos: { language: string; areas: { polygons: unknown[] }[] }[] };
      expect(alert.infos.map((i) => i.language)).toEqual(['zh-CN', 'en-US']);
      expect(alert.infos[0]!.areas.some((x) => x.polygons.length > 0)).toBe(true);
      expect(a.headline).toMatch(/台风(橙|红)色预警/u);
      expect(a.sent_at < now.toISOString()).toBe(true);
    }
    expect(new Set(current.map((a) => a.thread_key)).size).toBe(1);
  });

  it('keeps the small world small, with the visit program and the typhoon story in it too', () => {
    const w = small();
    expect(w.rows.call_plans.length).toBeGreaterThan(10);
    expect(w.rows.call_plans.length).toBeLessThan(60);
    expect(w.rows.visits.length).toBeLessThan(800);
    expect(w.rows.call_plan_changes.some((c) => c.status === 'pending')).toBe(true);
    expect(new Set(w.rows.advisories.map((a) => a.status))).toEqual(new Set(['open', 'contacted', 'actioned', 'closed']));
    expect(w.rows.advisories.some((a) => (a.value_saved_minor ?? 0) > 0) && w.rows.advisories.some((a) => (a.losses_minor ?? 0) > 0)).toBe(true);
  });
});

function addMonthsIso(iso: string, months: number): string {
  return new Date(addMonths(isoToDay(iso), months) * 86_400_000).toISOString().slice(0, 10);
}
