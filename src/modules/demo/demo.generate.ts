/**
 * The demo world as plain rows, generated without I/O: the same seed, scale and reference day
 * give the same rows, ids included. `demo.seed.ts` writes them to the database.
 */
import type { Insertable, Selectable } from 'kysely';
import type { Database } from '../../db/schema.js';
import { abcTiers, topShare } from './demo.abc.js';
import type { DayNumber, Period } from './demo.calendar.js';
import { addMonths, dayOf, dayToIso, dayToMs, periodsBack, salesDayWeight, springFestivalFactor, weekday } from './demo.calendar.js';
import {
  activitySubjects, brandWords, categoryMix, companySuffixes, contactRoles, demoProducts, givenNames, roadNames, surnames,
} from './demo.catalog.js';
import type { DemoProduct, ProductCategory } from './demo.catalog.js';
import type { DemoCity, TerritoryCode } from './demo.cities.js';
import { coastalWarehouses, demoCities, demoTerritories } from './demo.cities.js';
import { generateHazards } from './demo.hazards.js';
import { generateProgram } from './demo.program.js';
import { generateServices } from './demo.services.js';
import type { WorkingCalendar } from '../services/sla.domain.js';
import type { Rng } from './demo.random.js';
import { createRng, normalQuantile, seededUuidV7 } from './demo.random.js';

export type DemoScale = 'full' | 'small';

/** The one password of every demo user. The demo world is not for production. */
export const DEMO_PASSWORD = 'openkam-demo';
export const DEMO_EMAIL_DOMAIN = 'demo.openkam.local';
export const DEMO_SEED = 'openkam-demo-world-v1';

/** Rows as inserted (sales lines get their ids from the database). */
type Rows<T extends keyof Database> = (T extends 'sales_lines' ? Insertable<Database[T]> : Selectable<Database[T]>)[];
type AccountKind = 'dealer' | 'distributor' | 'retail_chain';
type Status = 'active' | 'dormant' | 'prospect' | 'closed';

export type DemoSignIn = { email: string; role: string; name: string; accountCode: string | null };

export type DemoWorld = {
  seed: string;
  scale: DemoScale;
  /** The reference day (UTC, YYYY-MM-DD): sales run up to and including it. */
  referenceDate: string;
  /** The trailing twelve months that tiers are computed on, both days included. */
  trailing12m: { from: string; to: string };
  /** Share of trailing-12-month net revenue brought by the top 20% of buying accounts. */
  paretoTop20Share: number;
  rows: {
    territories: Rows<'territories'>;
    teams: Rows<'teams'>;
    users: Rows<'users'>;
    accounts: Rows<'accounts'>;
    account_team: Rows<'account_team'>;
    contacts: Rows<'contacts'>;
    sites: Rows<'sites'>;
    products: Rows<'products'>;
    sales_lines: Rows<'sales_lines'>;
    activities: Rows<'activities'>;
    key_account_designations: Rows<'key_account_designations'>;
    visit_routes: Rows<'visit_routes'>;
    call_plans: Rows<'call_plans'>;
    call_plan_changes: Rows<'call_plan_changes'>;
    visits: Rows<'visits'>;
    site_risk: Rows<'site_risk'>;
    hazard_tracks: Rows<'hazard_tracks'>;
    hazard_alerts: Rows<'hazard_alerts'>;
    hazard_matches: Rows<'hazard_matches'>;
    advisories: Rows<'advisories'>;
    notifications: Rows<'notifications'>;
    service_kinds: Rows<'service_kinds'>;
    service_entitlements: Rows<'service_entitlements'>;
    service_usage: Rows<'service_usage'>;
    service_requests: Rows<'service_requests'>;
    service_request_events: Rows<'service_request_events'>;
    audit_log: Rows<'audit_log'>;
  };
  signIns: DemoSignIn[];
};

export type GenerateOptions = {
  /** The reference instant (the clock's now): the timeline ends here. */
  now: Date;
  scale: DemoScale;
  /** The hash of DEMO_PASSWORD, computed once by the caller and shared by every demo user. */
  passwordHash: string;
  seed?: string;
  /**
   * The hazard matching buffer the server runs with (OPENKAM_HAZARD_BUFFER_M, default 5000 m):
   * the seeded matches are the matcher's, so its first pass after seeding changes nothing.
   */
  hazardBufferM?: number;
  /** The working calendar the service desk counts in (services.settings), for the requests' clocks. */
  serviceCalendar?: WorkingCalendar;
};

const scales = {
  full: { accounts: 400, months: 27, activityMonths: 12 },
  small: { accounts: 60, months: 6, activityMonths: 6 },
} as const;

/** Managers per team (East, South, Central, West): 20 in all, roughly 20 accounts each at full scale. */
const teamPlan: ReadonlyArray<{ territory: TerritoryCode; name: string; managers: number }> = [
  { territory: 'EAST', name: '华东大客户部', managers: 10 },
  { territory: 'SOUTH', name: '华南大客户部', managers: 4 },
  { territory: 'CENTRAL', name: '华中大客户部', managers: 3 },
  { territory: 'WEST', name: '西南大客户部', managers: 3 },
];

/** Staff who work in English; everyone else uses zh-CN. */
const englishStaff = new Set(['admin', 'director2', 'manager6', 'manager13']);

/** Median trailing-12-month revenue of a buying account, CNY fen (¥1.1 m). */
const MEDIAN_REVENUE_MINOR = 110_000_000;
/** Target share of the top 20% of accounts; the size spread is calibrated to it. */
const PARETO_TARGET = 0.8;
const email = (local: string): string => `${local}@${DEMO_EMAIL_DOMAIN}`;

type Plan = {
  idx: number;
  code: string;
  kind: AccountKind;
  status: Status;
  city: DemoCity;
  cityIndex: number;
  name: string;
  nameEn: string;
  brand: readonly [string, string];
  parent: number | null;
  /** Oldest period with sales (k) and newest (k); no sales when null. */
  salesFrom: number | null;
  salesTo: number;
  /** Standard-normal size score; revenue scale = median × e^(σ·z). */
  z: number;
  growth: number;
  noise: number[];
  createdDay: DayNumber;
  pinned: PinnedAccount | null;
  id: string;
  ownerIndex: number;
  t12m: number;
  tier: 'A' | 'B' | 'C' | null;
};

type PinnedAccount = {
  cityZh: string; brand: readonly [string, string]; kind: AccountKind; suffix: readonly [string, string];
  /** Where the account sits in the size ranking (0 = largest). */
  rankFraction: number;
  warehouse: number;
};

/**
 * Dealers placed on purpose on the Taizhou–Wenling coast (Zhejiang), each with a seafront
 * warehouse from `coastalWarehouses`; sized so that they are key (A-tier) accounts of manager1.
 */
const pinnedAccounts: readonly PinnedAccount[] = [
  { cityZh: '台州市', brand: ['宏达', 'Hongda'], kind: 'dealer', suffix: ['建材有限公司', 'Building Materials Co., Ltd.'], rankFraction: 0.01, warehouse: 0 },
  { cityZh: '温岭市', brand: ['鑫源', 'Xinyuan'], kind: 'dealer', suffix: ['建材有限公司', 'Building Materials Co., Ltd.'], rankFraction: 0.06, warehouse: 1 },
  { cityZh: '温岭市', brand: ['永固', 'Yonggu'], kind: 'dealer', suffix: ['水泥经销有限公司', 'Cement Trading Co., Ltd.'], rankFraction: 0.12, warehouse: 2 },
];

/** Generates the whole demo world. Deterministic: no clock, no Math.random. */
export function generateDemoWorld(opts: GenerateOptions): DemoWorld {
  const seed = opts.seed ?? DEMO_SEED;
  const scale = scales[opts.scale];
  const rng = createRng(seed);
  const nowMs = opts.now.getTime();
  const nowIso = opts.now.toISOString();
  const ref = dayOf(opts.now);
  const periods = periodsBack(ref, scale.months);
  const t12Periods = periods.slice(0, 12);
  const t12From = addMonths(ref, -12) + 1;
  const idRng = rng.fork('ids');
  const at = (day: DayNumber, minutes = 9 * 60): string => new Date(Math.min(nowMs, dayToMs(day) + minutes * 60_000)).toISOString();
  const idAt = (iso: string): string => seededUuidV7(idRng, Date.parse(iso));

  // Territories, teams, staff.
  const territoryRows = demoTerritories.map((t, i) => {
    const created = at(ref - 1500 + i);
    return { id: idAt(created), code: t.code, name: t.name, name_zh: t.nameZh, created_at: created };
  });
  const territoryId = new Map(demoTerritories.map((t, i) => [t.code, territoryRows[i]!.id]));

  const people = personNames(rng.fork('staff-names'));
  const staffRng = rng.fork('staff');
  // Work phones of the staff dealers call (their own stream: the other draws stay as they were).
  const phoneRng = rng.fork('staff-phones');
  const staffPhone = (role: string) => (role === 'dealer' ? null
    : `+86 1${phoneRng.pick(['35', '36', '38', '39', '57', '58', '87', '88'])} ${String(phoneRng.int(0, 9999)).padStart(4, '0')} ${String(phoneRng.int(0, 9999)).padStart(4, '0')}`);
  const users: Rows<'users'> = [];
  const signIns: DemoSignIn[] = [];
  const addUser = (local: string, role: string, name: string, teamId: string | null, accountId: string | null, createdDay: DayNumber, accountCode: string | null = null, department: string | null = role === 'logistics' ? 'logistics' : null) => {
    const created = at(createdDay, 8 * 60 + staffRng.int(0, 600));
    users.push({
      id: idAt(created), email: email(local), name, role, password_hash: opts.passwordHash,
      locale: englishStaff.has(local) ? 'en' : 'zh-CN', time_zone: 'Asia/Shanghai', phone: staffPhone(role), team_id: teamId, account_id: accountId,
      department, active: 1, created_at: created, updated_at: created, version: 1,
    });
    signIns.push({ email: email(local), role, name, accountCode });
    return users[users.length - 1]!;
  };

  addUser('admin', 'admin', people.next().zh, null, null, ref - 1500);
  const teams: Rows<'teams'> = [];
  const directors: string[] = [];
  const managersByTeam: string[][] = [];
  const teamOfUser = new Map<string, number>();
  let managerNo = 0;
  teamPlan.forEach((t, ti) => {
    const created = at(ref - 1490 + ti);
    const teamId = idAt(created);
    const director = addUser(`director${ti + 1}`, 'director', people.next().zh, teamId, null, ref - 1490 + ti - staffRng.int(0, 20));
    teams.push({ id: teamId, name: t.name, director_id: director.id, territory_id: territoryId.get(t.territory)!, created_at: created, updated_at: created, version: 1 });
    directors.push(director.id);
    teamOfUser.set(director.id, ti);
    const ms: string[] = [];
    for (let m = 0; m < t.managers; m++) {
      managerNo++;
      const u = addUser(`manager${managerNo}`, 'manager', people.next().zh, teamId, null, ref - staffRng.int(60, 1400));
      ms.push(u.id);
      teamOfUser.set(u.id, ti);
    }
    managersByTeam.push(ms);
  });
  const logistics = addUser('logistics', 'logistics', people.next().zh, null, null, ref - 1200);
  const executive = addUser('exec', 'executive', people.next().zh, null, null, ref - 1480, null, 'management');

  // Products.
  const products: Rows<'products'> = demoProducts.map((p, i) => {
    const created = at(ref - 1400 + i, 8 * 60);
    return {
      id: idAt(created), sku: p.sku, name_en: p.nameEn, name_zh: p.nameZh, unit: p.unit, pack_size: p.packSize, category: p.category,
      created_at: created, updated_at: created, version: 1,
    };
  });

  // Accounts: who they are, where, what size.
  const plans = planAccounts(rng.fork('accounts'), scale.accounts, scale.months, ref);
  const sigma = calibrateSpread(plans, t12Periods);
  const revenueScale = (p: Plan): number => MEDIAN_REVENUE_MINOR * Math.exp(sigma * p.z);

  // Sales lines.
  const sales = generateSales(rng.fork('sales'), plans, periods, t12Periods, revenueScale, ref);
  const t12 = new Map<number, number>();
  const t12FromIso = dayToIso(t12From);
  for (const o of sales) {
    if (o.day < t12From) continue;
    for (const l of o.lines) t12.set(o.account, (t12.get(o.account) ?? 0) + l.net);
  }
  const tiers = abcTiers(new Map(plans.map((p) => [p.idx, t12.get(p.idx) ?? 0])));
  for (const p of plans) {
    p.t12m = t12.get(p.idx) ?? 0;
    p.tier = p.status === 'prospect' ? null : tiers.get(p.idx) ?? 'C';
  }
  const storedTier = lastReviewTiers(plans);

  // Owners: each manager covers a geographic patch of the team's territory (cities in list order).
  for (const [ti, t] of teamPlan.entries()) {
    const mine = plans.filter((p) => p.city.territory === t.territory).sort((a, b) => a.cityIndex - b.cityIndex || a.idx - b.idx);
    const ms = managersByTeam[ti]!;
    mine.forEach((p, i) => { p.ownerIndex = ms.length ? Math.floor((i * ms.length) / mine.length) : -1; });
  }
  const ownerOf = (p: Plan): string => managersByTeam[teamPlan.findIndex((t) => t.territory === p.city.territory)]![p.ownerIndex]!;

  // Account ids follow creation time; codes were given in order of creation too.
  const byCreation = [...plans].sort((a, b) => a.createdDay - b.createdDay || a.idx - b.idx);
  for (const p of byCreation) p.id = idAt(at(p.createdDay, 9 * 60 + (p.idx % 480)));
  const accounts: Rows<'accounts'> = [...plans]
    .sort((a, b) => Number(a.parent !== null) - Number(b.parent !== null) || a.createdDay - b.createdDay || a.idx - b.idx)
    .map((p) => {
      const created = at(p.createdDay, 9 * 60 + (p.idx % 480));
      return {
        id: p.id, code: p.code, name: p.name, name_en: p.nameEn, kind: p.kind, parent_id: p.parent === null ? null : plans[p.parent]!.id,
        owner_id: ownerOf(p), territory_id: territoryId.get(p.city.territory)!, province: p.city.province, city: p.city.zh,
        tier: storedTier.get(p.idx) ?? p.tier, status: p.status, currency: 'CNY', price_group: null, created_at: created, updated_at: created, version: 1,
      };
    });

  // Portal users: one per account, whatever its kind (dealers, distributors, retail chains).
  const portalRng = rng.fork('portal');
  const contacts: Rows<'contacts'> = [];
  const contactRng = rng.fork('contacts');
  const bossName = new Map<number, string>();
  for (const p of byCreation) {
    const made = makeContacts(contactRng, p, at);
    for (const c of made) c.id = idAt(c.created_at);
    bossName.set(p.idx, made[0]!.name);
    contacts.push(...made);
  }
  for (const p of [...plans].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0))) {
    addUser(`dealer-${p.code.toLowerCase()}`, 'dealer', `${bossName.get(p.idx)!}（${p.brand[0]}）`, null, p.id,
      Math.max(p.createdDay, ref - portalRng.int(10, 120)), p.code);
  }
  // The departments a dealer's request reaches: quality, finance, technical support.
  // Added last and named apart from the other streams, so adding them shifts nobody else.
  for (const [local, department, name, days] of [['quality', 'quality', '邵建华', 900], ['finance', 'finance', '俞丽萍', 1100], ['technical', 'technical', '蒋志强', 700]] as const) {
    addUser(local, 'service', name, null, null, ref - days, null, department);
  }

  // Account teams.
  const teamRng = rng.fork('account-team');
  const accountTeam: Rows<'account_team'> = [];
  const supportOf = new Map<number, string>();
  const byRevenue = [...plans].sort((a, b) => b.t12m - a.t12m);
  const topAccounts = new Set(byRevenue.slice(0, Math.max(2, Math.round(plans.length * 0.015))).map((p) => p.idx));
  for (const p of plans) {
    const owner = ownerOf(p);
    const ti = teamOfUser.get(owner)!;
    const members = new Map<string, string>([[owner, 'owner']]);
    const colleagues = managersByTeam[ti]!.filter((m) => m !== owner);
    if (colleagues.length && teamRng.chance(p.tier === 'A' ? 0.5 : 0.2)) {
      const s = teamRng.pick(colleagues);
      members.set(s, 'support');
      supportOf.set(p.idx, s);
    }
    if (p.kind !== 'retail_chain' && p.status !== 'prospect' && teamRng.chance(p.tier === 'A' ? 0.7 : 0.3)) members.set(logistics.id, 'logistics');
    if (p.tier === 'A' && teamRng.chance(0.5)) members.set(directors[ti]!, 'executive_sponsor');
    if (topAccounts.has(p.idx)) members.set(executive.id, 'executive_sponsor');
    if (colleagues.length && teamRng.chance(0.05)) {
      const t = teamRng.pick(colleagues);
      if (!members.has(t)) members.set(t, 'technical');
    }
    for (const [userId, role] of members) accountTeam.push({ account_id: p.id, user_id: userId, role });
  }

  // Sites.
  const sites = makeSites(rng.fork('sites'), plans, at);
  for (const s of sites) s.id = idAt(s.created_at);

  // Activities over the last months: more on A accounts, but managers differ and so do accounts.
  const activities = makeActivities(rng.fork('activities'), plans, {
    ref, nowMs, months: scale.activityMonths, ownerOf, supportOf, directorOf: (p) => directors[teamOfUser.get(ownerOf(p))!]!, logistics: logistics.id,
  });
  for (const a of activities) a.id = idAt(a.created_at);

  // The visit program and the typhoon story, each on its own streams so neither shifts the rest.
  const accountRow = new Map(accounts.map((a) => [a.id, a]));
  const cityOf = new Map(demoCities.map((c, i) => [`${c.province}|${c.zh}`, { c, i }]));
  const pinnedSite = (warehouse: number): string => {
    const p = plans.find((x) => x.pinned?.warehouse === warehouse)!;
    const w = coastalWarehouses[warehouse]!;
    return sites.find((x) => x.account_id === p.id && x.kind === 'warehouse' && x.lat === w.lat && x.lng === w.lng)!.id;
  };
  const coastal = { jiaojiang: pinnedSite(0), shitang: pinnedSite(1), songmen: pinnedSite(2) };
  const englishIds = new Set(users.filter((u) => englishStaff.has(u.email.split('@')[0]!)).map((u) => u.id));
  const directorOfTeam = (userId: string) => directors[teamOfUser.get(userId)!] ?? null;
  const programIds = rng.fork('ids-program');
  const program = generateProgram({
    now: opts.now, rng: rng.fork('program'), idAt: (iso) => seededUuidV7(programIds, Date.parse(iso)),
    managers: users.filter((u) => u.role === 'manager').map((u) => ({ id: u.id, name: u.name, english: englishIds.has(u.id), directorId: directorOfTeam(u.id) })),
    accounts: plans.map((p) => ({ id: p.id, ownerId: ownerOf(p), tier: p.tier, status: p.status, kind: p.kind, revenue: p.t12m, createdAt: accountRow.get(p.id)!.created_at })),
    sites, contacts, preferredSites: new Set(Object.values(coastal)),
    cityCentre: (site) => {
      const hit = cityOf.get(`${site.province}|${site.city}`)!;
      return { ...hit.c.siteCentre, label: hit.c.short, labelEn: hit.c.en.replace('’', "'"), order: hit.i };
    },
  });
  // A program visit that was checked in is also the account's activity, as its check-in records it
  // (visits.service): the activity list, the last contact and the time spent see the program.
  const visitActivityIds = rng.fork('ids-visit-activities');
  const siteName = new Map(sites.map((s) => [s.id, s.name]));
  for (const v of program.visits) {
    if (!v.check_in_at) continue;
    const end = v.check_out_at ?? new Date(Date.parse(v.check_in_at) + Date.parse(v.scheduled_end) - Date.parse(v.scheduled_start)).toISOString();
    activities.push({
      id: seededUuidV7(visitActivityIds, Date.parse(v.check_in_at)), account_id: v.account_id, user_id: v.manager_id, kind: 'visit', starts_at: v.check_in_at,
      duration_minutes: Math.round((Date.parse(end) - Date.parse(v.check_in_at)) / 60_000), subject: (v.site_id && siteName.get(v.site_id)) || accountRow.get(v.account_id)!.name,
      notes: v.outcome_notes, visit_id: v.id, created_at: v.check_in_at, updated_at: v.check_out_at ?? v.check_in_at, version: v.check_out_at ? 2 : 1,
    });
  }
  activities.sort((a, b) => a.starts_at.localeCompare(b.starts_at) || (a.id < b.id ? -1 : 1));
  const hazardIds = rng.fork('ids-hazards');
  const hazards = generateHazards({
    now: opts.now, rng: rng.fork('hazards'), idAt: (iso) => seededUuidV7(hazardIds, Date.parse(iso)), sites, accounts, contacts,
    revenue: new Map(plans.map((p) => [p.id, p.t12m])), coastal, englishUsers: englishIds, uploaderId: users[0]!.id,
    ...(opts.hazardBufferM !== undefined ? { bufferM: opts.hazardBufferM } : {}),
  });
  const serviceIds = rng.fork('ids-services');
  const manager1 = users.find((u) => u.email.startsWith('manager1@'))!.id;
  const services = generateServices({
    now: opts.now, rng: rng.fork('services'), idAt: (iso) => seededUuidV7(serviceIds, Date.parse(iso)),
    calendar: opts.serviceCalendar ?? { timeZone: 'Asia/Shanghai', windows: [[540, 720], [780, 1080]], weekdays: [1, 2, 3, 4, 5], holidays: null },
    accounts, users, managersOfAccount: (id) => accountRow.get(id)?.owner_id ?? null,
    featured: accounts.filter((a) => a.owner_id === manager1 && a.tier === 'A').map((a) => a.id),
  });
  const designations = keyAccountDesignations(rng.fork('designations'), plans, { ref, at, directorOf: (p) => directorOfTeam(ownerOf(p)), english: (id) => englishIds.has(id) });

  // Sales lines as rows, numbered in time order.
  const productIds = products.map((p) => p.id);
  const salesLines: Rows<'sales_lines'> = [];
  const perMonth = new Map<string, number>();
  for (const o of sales) {
    const iso = dayToIso(o.day);
    const ym = iso.slice(0, 7).replace('-', '');
    const key = `${o.kind}${ym}`;
    const n = (perMonth.get(key) ?? 0) + 1;
    perMonth.set(key, n);
    const docNo = `${o.kind}-${ym}-${String(n).padStart(o.kind === 'SO' ? 5 : 4, '0')}`;
    const created = at(o.day, 10 * 60 + (n % 420));
    o.lines.forEach((l, i) => {
      salesLines.push({
        doc_no: docNo, line_no: i + 1, date: iso, account_id: plans[o.account]!.id,
        product_id: productIds[l.product]!, quantity: l.quantity, net_amount_minor: l.net, cost_amount_minor: l.cost, currency: 'CNY',
        created_at: created, updated_at: created,
      });
    });
  }

  const paretoTop20Share = topShare(t12.values(), 0.2);
  const world: DemoWorld = {
    seed, scale: opts.scale, referenceDate: dayToIso(ref), trailing12m: { from: t12FromIso, to: dayToIso(ref) }, paretoTop20Share,
    rows: {
      territories: territoryRows, teams, users, accounts, account_team: accountTeam, contacts, sites, products, sales_lines: salesLines,
      activities, key_account_designations: designations, ...program, ...hazards, ...services, audit_log: [],
    },
    signIns,
  };
  const counts = Object.fromEntries(Object.entries(world.rows).map(([k, v]) => [k, v.length]));
  world.rows.audit_log.push({
    id: idAt(nowIso), at: nowIso, actor_id: null, actor_label: 'system', action: 'seed', entity: 'system', entity_id: 'demo-world',
    account_id: null, before_json: null,
    after_json: JSON.stringify({ demo: true, seed, scale: opts.scale, referenceDate: world.referenceDate, paretoTop20Share: Math.round(paretoTop20Share * 1000) / 1000, counts: { ...counts, audit_log: 1 } }),
    request_id: null,
  });
  return world;
}

/**
 * The tiers as last written to the accounts (at the previous review), for the few accounts whose
 * computed tier has moved since: the B accounts just below the A line were A, the A accounts just
 * above it were B, the best C accounts were B. Everyone else's stored tier is the computed one.
 * Pinned coastal dealers keep theirs. Indexed by plan.
 */
function lastReviewTiers(plans: readonly Plan[]): Map<number, 'A' | 'B' | 'C'> {
  const ranked = plans.filter((p) => p.status === 'active' && !p.pinned && p.tier !== null).sort((a, b) => b.t12m - a.t12m || a.idx - b.idx);
  const n = Math.max(1, Math.round(ranked.length / 120));
  const out = new Map<number, 'A' | 'B' | 'C'>();
  const a = ranked.filter((p) => p.tier === 'A'), b = ranked.filter((p) => p.tier === 'B'), c = ranked.filter((p) => p.tier === 'C');
  for (const p of b.slice(0, n + 1)) out.set(p.idx, 'A');
  for (const p of a.slice(-n)) out.set(p.idx, 'B');
  for (const p of c.slice(0, n)) out.set(p.idx, 'B');
  return out;
}

/**
 * Key accounts by hand: accounts the ABC split does not make A but a director holds key all the
 * same, each with the reason written in the director's language.
 */
function keyAccountDesignations(
  rng: Rng, plans: readonly Plan[],
  ctx: { ref: DayNumber; at: (day: DayNumber, minutes?: number) => string; directorOf: (p: Plan) => string | null; english: (userId: string) => boolean },
): Rows<'key_account_designations'> {
  const active = plans.filter((p) => p.status === 'active' && p.tier !== 'A' && p.t12m > 0);
  const byRevenue = (list: Plan[]) => [...list].sort((a, b) => b.t12m - a.t12m || a.idx - b.idx);
  const picks: { p: Plan; zh: string; en: string }[] = [];
  const chain = byRevenue(active.filter((p) => p.kind === 'retail_chain'))[0];
  if (chain) picks.push({ p: chain, zh: '全省门店网络，年度战略合作协议在谈，按重点客户维护', en: 'Province-wide store network; annual strategic agreement under negotiation' });
  const grower = [...active].filter((p) => p.kind === 'distributor' && !picks.some((x) => x.p === p)).sort((a, b) => b.growth - a.growth || a.idx - b.idx)[0];
  if (grower) picks.push({ p: grower, zh: '增长最快的分销商，覆盖新开发的工业园区', en: 'Fastest-growing distributor, covering the new industrial parks' });
  const newcomer = byRevenue(active.filter((p) => p.salesFrom !== null && p.salesFrom < 12 && !picks.some((x) => x.p === p)))[0];
  if (newcomer) picks.push({ p: newcomer, zh: '新签约客户，首年即进入前列，重点扶持', en: 'New this year and already near the top: supported as a key account' });
  return picks.flatMap(({ p, zh, en }) => {
    const by = ctx.directorOf(p);
    return [{ account_id: p.id, reason: by && ctx.english(by) ? en : zh, designated_by: by, designated_at: ctx.at(ctx.ref - rng.int(20, 200), 10 * 60 + rng.int(0, 400)) }];
  });
}

/** An endless supply of distinct Chinese names with pinyin. */
function personNames(rng: Rng): { next(): { zh: string; en: string } } {
  const used = new Set<string>();
  return {
    next() {
      for (;;) {
        const s = rng.pick(surnames), g = rng.pick(givenNames);
        const zh = s[0] + g[0];
        if (used.has(zh) && used.size < surnames.length * givenNames.length) continue;
        used.add(zh);
        return { zh, en: `${s[1]} ${g[1]}` };
      }
    },
  };
}

/** Integer counts proportional to weights that add up to `total` (largest remainder). */
function apportion(weights: readonly number[], total: number): number[] {
  const sum = weights.reduce((s, w) => s + w, 0);
  const raw = weights.map((w) => (w / sum) * total);
  const out = raw.map(Math.floor);
  const order = raw.map((r, i) => [r - Math.floor(r), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let i = 0, left = total - out.reduce((s, x) => s + x, 0); i < left; i++) out[order[i]![1]]! += 1;
  return out;
}

function shuffle<T>(rng: Rng, items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

function planAccounts(rng: Rng, n: number, months: number, ref: DayNumber): Plan[] {
  const cityIndex = new Map(demoCities.map((c, i) => [c, i]));
  const cityByZh = (zh: string): DemoCity => demoCities.find((c) => c.zh === zh)!;
  const free = n - pinnedAccounts.length;
  const cityList: DemoCity[] = [];
  apportion(demoCities.map((c) => c.weight), free).forEach((count, i) => { for (let k = 0; k < count; k++) cityList.push(demoCities[i]!); });
  shuffle(rng, cityList);

  const kinds: AccountKind[] = [];
  const nDist = Math.round(free * 0.24), nRetail = Math.round(free * 0.17);
  for (let i = 0; i < free; i++) kinds.push(i < nDist ? 'distributor' : i < nDist + nRetail ? 'retail_chain' : 'dealer');
  shuffle(rng, kinds);
  const statuses: Status[] = [];
  const nProspect = Math.round(free * 0.04), nDormant = months > 14 ? Math.round(free * 0.05) : 0, nClosed = months > 16 ? Math.round(free * 0.02) : 0;
  for (let i = 0; i < free; i++) statuses.push(i < nProspect ? 'prospect' : i < nProspect + nDormant ? 'dormant' : i < nProspect + nDormant + nClosed ? 'closed' : 'active');
  shuffle(rng, statuses);

  const plans: Plan[] = [];
  const usedNames = new Set<string>();
  const mk = (city: DemoCity, kind: AccountKind, status: Status, brand: readonly [string, string], suffix: readonly [string, string], pinned: PinnedAccount | null): Plan => {
    const idx = plans.length;
    usedNames.add(city.short + brand[0]);
    const p: Plan = {
      idx, code: '', kind, status, city, cityIndex: cityIndex.get(city)!, name: `${city.short}${brand[0]}${suffix[0]}`,
      nameEn: `${city.en.replace('’', "'")} ${brand[1]} ${suffix[1]}`, brand, parent: null, salesFrom: null, salesTo: 0, z: 0, growth: 0, noise: [],
      createdDay: ref, pinned, id: '', ownerIndex: -1, t12m: 0, tier: null,
    };
    plans.push(p);
    return p;
  };
  for (const pin of pinnedAccounts) mk(cityByZh(pin.cityZh), pin.kind, 'active', pin.brand, pin.suffix, pin);
  for (let i = 0; i < free; i++) {
    const city = cityList[i]!, kind = kinds[i]!;
    let brand = rng.pick(brandWords);
    for (let tries = 0; usedNames.has(city.short + brand[0]) && tries < 200; tries++) brand = rng.pick(brandWords);
    mk(city, kind, statuses[i]!, brand, rng.pick(companySuffixes[kind]), null);
  }

  // Life cycle: most accounts buy throughout; some started recently; dormant and closed ones stopped.
  for (const p of plans) {
    if (p.status === 'prospect') {
      p.createdDay = ref - rng.int(10, 200);
      continue;
    }
    let from = months - 1;
    if (p.status === 'active' && !p.pinned && rng.chance(0.1)) from = rng.int(Math.min(3, months - 1), Math.min(20, months - 1));
    p.salesFrom = from;
    if (p.status === 'dormant') p.salesTo = rng.int(12, Math.min(18, months - 2));
    if (p.status === 'closed') p.salesTo = rng.int(14, months - 2);
    const firstSale = addMonths(ref, -(from + 1));
    p.createdDay = from === months - 1 ? firstSale - rng.int(30, 2400) : firstSale - rng.int(5, 60);
    p.growth = Math.max(-0.45, Math.min(0.7, 0.04 + 0.18 * rng.normal()));
    p.noise = Array.from({ length: months }, () => 0.25 * rng.normal());
  }

  // Sizes: stratified normal scores (no sampling luck in the Pareto split) handed out by a
  // propensity ranking — distributors and retail chains tend to be bigger, sub-dealers smaller.
  const buyers = plans.filter((p) => p.status === 'active');
  const propensity = new Map(buyers.map((p) => [p, (p.kind === 'distributor' ? 0.7 : p.kind === 'retail_chain' ? 0.3 : 0) + rng.normal()]));
  const ranked = buyers.filter((p) => !p.pinned).sort((a, b) => propensity.get(b)! - propensity.get(a)!);
  for (const pin of [...buyers.filter((p) => p.pinned)].sort((a, b) => a.pinned!.rankFraction - b.pinned!.rankFraction)) {
    ranked.splice(Math.min(ranked.length, Math.round(pin.pinned!.rankFraction * buyers.length)), 0, pin);
  }
  ranked.forEach((p, r) => { p.z = -normalQuantile((r + 0.5) / ranked.length); });
  for (const p of plans) if (p.status === 'dormant' || p.status === 'closed') p.z = rng.normal() - 0.5;

  // Sub-dealers: some dealers buy through a distributor of the same province.
  for (const p of plans) {
    if (p.kind !== 'dealer' || p.pinned || !rng.chance(0.14)) continue;
    const parents = plans.filter((q) => q.kind === 'distributor' && q.status !== 'prospect' && q.city.province === p.city.province);
    if (parents.length) p.parent = rng.pick(parents).idx;
  }

  // Codes in order of creation within each kind: D0001, DS0001, RC0001.
  const prefix: Record<AccountKind, string> = { dealer: 'D', distributor: 'DS', retail_chain: 'RC' };
  const seq: Record<AccountKind, number> = { dealer: 0, distributor: 0, retail_chain: 0 };
  for (const p of [...plans].sort((a, b) => Number(!a.pinned) - Number(!b.pinned) || a.createdDay - b.createdDay || a.idx - b.idx)) {
    p.code = `${prefix[p.kind]}${String(++seq[p.kind]).padStart(4, '0')}`;
  }
  return plans;
}

/** Planned revenue of an account in a period (before orders are cut), CNY fen. */
function plannedAmount(p: Plan, period: Period, t12Weight: number, revenueScale: number): number {
  if (p.salesFrom === null || period.k > p.salesFrom || period.k < p.salesTo) return 0;
  const trend = Math.pow(1 + p.growth, -period.k / 12);
  return (revenueScale * period.weight / t12Weight) * trend * Math.exp(p.noise[period.k]! - 0.03125);
}

/**
 * The lognormal spread σ of account sizes that makes the planned top-20% share hit the target
 * (bisection; the share grows with σ). Planning noise, trends and part-year accounts are all in.
 */
function calibrateSpread(plans: Plan[], t12Periods: Period[]): number {
  const w = t12Periods.reduce((s, p) => s + p.weight, 0);
  // Planned revenue is linear in the account's scale: sum the unit-scale plan once.
  const unit = plans.map((p) => ({ z: p.z, base: t12Periods.reduce((s, per) => s + plannedAmount(p, per, w, 1), 0) }));
  const share = (sigma: number): number => topShare(unit.map((u) => u.base * Math.exp(sigma * u.z)), 0.2);
  let lo = 0.3, hi = 3.5;
  for (let i = 0; i < 40; i++) {
    const mid = (lo + hi) / 2;
    if (share(mid) < PARETO_TARGET) lo = mid; else hi = mid;
  }
  return (lo + hi) / 2;
}

type Order = { kind: 'SO' | 'RT'; day: DayNumber; account: number; seq: number; lines: { product: number; quantity: number; net: number; cost: number }[] };

function generateSales(
  root: Rng, plans: Plan[], periods: Period[], t12Periods: Period[], revenueScale: (p: Plan) => number, ref: DayNumber,
): Order[] {
  const t12Weight = t12Periods.reduce((s, p) => s + p.weight, 0);
  const first = periods.length ? periods[periods.length - 1]!.from : ref;
  const dayWeight = Float64Array.from({ length: ref - first + 1 }, (_, i) => salesDayWeight(first + i));
  const pickDay = (rng: Rng, from: DayNumber, to: DayNumber): DayNumber => {
    if (to <= from) return from;
    let d = from;
    for (let t = 0; t < 30; t++) {
      d = rng.int(from, to);
      if (rng.next() * 1.3 < dayWeight[d - first]!) return d;
    }
    return d;
  };
  const orders: Order[] = [];
  let seq = 0;
  for (const p of plans) {
    if (p.salesFrom === null) continue;
    const rng = root.fork(p.code);
    const scale = revenueScale(p);
    const mix = productMix(rng, p.kind);
    // Bigger accounts get better prices and order in bigger lots.
    const discount = Math.max(0, Math.min(0.1, 0.025 + 0.02 * p.z + 0.01 * rng.normal()));
    const typicalOrder = 2_000_000 * Math.pow(scale / MEDIAN_REVENUE_MINOR, 0.5);
    for (const period of periods) {
      const planned = plannedAmount(p, period, t12Weight, scale);
      if (planned <= 0) continue;
      const x = planned / typicalOrder;
      const amounts: number[] = [];
      if (x >= 1) {
        const n = Math.round(x);
        for (let i = 0; i < n; i++) amounts.push((planned / n) * Math.exp(0.3 * rng.normal() - 0.045));
      } else if (rng.chance(x)) {
        amounts.push(typicalOrder);
      }
      // Prices were a little lower in the past.
      const priceLevel = 1 - 0.03 * (period.k / 12);
      for (const amount of amounts) {
        const day = pickDay(rng, period.from, Math.min(period.to, ref));
        const nLines = Math.min(6, 1 + rng.poisson(1.2));
        const lines: Order['lines'] = [];
        const used = new Set<number>();
        const weights = Array.from({ length: nLines }, () => 0.4 + rng.next());
        const wsum = weights.reduce((s, v) => s + v, 0);
        for (let li = 0; li < nLines; li++) {
          let prod = rng.weightedIndex(mix);
          for (let t = 0; used.has(prod) && t < 8; t++) prod = rng.weightedIndex(mix);
          if (used.has(prod)) continue;
          used.add(prod);
          lines.push(priceLine(demoProducts[prod]!, prod, (amount * weights[li]!) / wsum, priceLevel, discount));
        }
        orders.push({ kind: 'SO', day, account: p.idx, seq: seq++, lines });
        // Occasional returns: damaged bags, wrong grade, surplus after a job.
        for (const l of lines) {
          if (!rng.chance(0.012)) continue;
          const rday = day + rng.int(3, 20);
          if (rday > ref) continue;
          const product = demoProducts[l.product]!;
          const share = 0.1 + 0.3 * rng.next();
          const qty = product.unit === 't' ? -Math.max(0.5, Math.round(l.quantity * share * 100) / 100) : -Math.max(1, Math.round(l.quantity * share));
          const unitNet = l.net / l.quantity, unitCost = l.cost / l.quantity;
          orders.push({ kind: 'RT', day: rday, account: p.idx, seq: seq++, lines: [{ product: l.product, quantity: qty, net: Math.round(qty * unitNet), cost: Math.round(qty * unitCost) }] });
        }
      }
    }
  }
  orders.sort((a, b) => a.day - b.day || a.seq - b.seq);
  return orders;
}

/** Revenue weights over the catalogue for one account: its kind's category mix, and the SKUs it happens to stock. */
function productMix(rng: Rng, kind: AccountKind): number[] {
  const weights = demoProducts.map(() => 0);
  const byCat = new Map<ProductCategory, number[]>();
  demoProducts.forEach((p, i) => byCat.set(p.category, [...(byCat.get(p.category) ?? []), i]));
  for (const [cat, idxs] of byCat) {
    const stocked = idxs.filter((i) => {
      const p = demoProducts[i]!;
      const bulk = p.unit === 't';
      const chance = bulk ? (kind === 'distributor' ? 0.85 : kind === 'dealer' ? 0.3 : 0) : kind === 'distributor' ? 0.5 : 0.65;
      return rng.chance(chance);
    });
    const chosen = stocked.length ? stocked : [idxs.find((i) => demoProducts[i]!.unit !== 't') ?? idxs[0]!];
    const raw = chosen.map(() => Math.exp(0.7 * rng.normal()));
    const sum = raw.reduce((s, v) => s + v, 0);
    chosen.forEach((i, k) => { weights[i] = categoryMix[kind][cat] * raw[k]! / sum; });
  }
  return weights;
}

function priceLine(product: DemoProduct, index: number, amount: number, priceLevel: number, discount: number): Order['lines'][number] {
  const unitPrice = product.priceMinor * priceLevel * (1 - discount);
  let quantity: number;
  if (product.unit === 't') {
    quantity = Math.max(0.5, Math.round((amount / unitPrice) * 100) / 100);
  } else {
    quantity = Math.max(1, Math.round(amount / unitPrice / product.packSize)) * product.packSize;
  }
  const net = Math.round(quantity * unitPrice);
  const cost = Math.round(quantity * product.priceMinor * priceLevel * product.costRatio);
  return { product: index, quantity, net, cost };
}

type Timestamped = { id: string; created_at: string };

function makeContacts(rng: Rng, p: Plan, at: (day: DayNumber, minutes?: number) => string): (Database['contacts'] & Timestamped)[] {
  const n = 2 + rng.weightedIndex([0.35, 0.4, 0.25]);
  const boss = rng.chance(0.6) ? contactRoles[0]! : contactRoles[1]!;
  const others = shuffle(rng, contactRoles.slice(2));
  const roles = [boss, ...others.slice(0, n - 1)];
  const names = new Set<string>();
  return roles.map((role, i) => {
    let s = rng.pick(surnames), g = rng.pick(givenNames);
    while (names.has(s[0] + g[0])) { s = rng.pick(surnames); g = rng.pick(givenNames); }
    names.add(s[0] + g[0]);
    const created = at(p.createdDay + i * rng.int(0, 90), 10 * 60 + i * 7);
    const channel = ['wechat', 'phone', 'visit', 'email', 'sms'][rng.weightedIndex([0.55, 0.28, 0.09, 0.05, 0.03])]!;
    const [lo, hi] = role.influence;
    return {
      id: '', account_id: p.id, name: s[0] + g[0], name_en: `${s[1]} ${g[1]}`, title: role.title, decision_role: role.decisionRole,
      influence: rng.int(lo, hi),
      birthday: rng.chance(0.75) ? `${rng.int(1958, 1996)}-${String(rng.int(1, 12)).padStart(2, '0')}-${String(rng.int(1, 28)).padStart(2, '0')}` : null,
      preferred_channel: channel,
      // Placeholder mobile numbers (middle block 0000); example.com mail (RFC 2606).
      phone: `+86 1${rng.pick(['38', '39', '58', '59', '86', '88', '37'])} 0000 ${String(rng.int(0, 9999)).padStart(4, '0')}`,
      email: channel === 'email' || rng.chance(0.3) ? `${s[1]}.${g[1]}.${p.code}@example.com`.toLowerCase() : null,
      notes: rng.chance(0.2) ? rng.pick(['微信回复快', '上午方便接电话', '负责月度对账', '决定年度采购量', '对价格敏感', '关注到货及时率', '喜欢喝龙井茶']) : null,
      created_at: created, updated_at: created, version: 1,
    };
  });
}

const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
type Hours = Partial<Record<(typeof weekdays)[number], [string, string][]>>;

function openingHours(rng: Rng, kind: 'office' | 'warehouse' | 'store' | 'yard'): string {
  const h: Hours = {};
  if (kind === 'office') {
    for (const d of weekdays.slice(0, 5)) h[d] = [['08:30', '12:00'], ['13:30', '17:30']];
  } else if (kind === 'store') {
    const [o, c] = rng.pick([['08:30', '18:30'], ['09:00', '20:00'], ['08:00', '18:00']] as const);
    for (const d of weekdays) h[d] = [[o, c]];
  } else {
    const lunch = rng.chance(0.5);
    const [o, c] = rng.pick([['07:30', '17:30'], ['08:00', '18:00'], ['07:00', '17:00']] as const);
    for (const d of weekdays.slice(0, 6)) h[d] = lunch ? [[o, '12:00'], ['13:30', c]] : [[o, c]];
    if (rng.chance(0.3)) h.sat = [[o, '12:00']];
  }
  return JSON.stringify(h);
}

function makeSites(rng: Rng, plans: Plan[], at: (day: DayNumber, minutes?: number) => string): (Database['sites'] & Timestamped)[] {
  const out: (Database['sites'] & Timestamped)[] = [];
  for (const p of plans) {
    const kinds: ('office' | 'warehouse' | 'store' | 'yard')[] = [];
    if (p.kind !== 'dealer' || rng.chance(0.8)) kinds.push('office');
    if (p.pinned || p.kind === 'distributor' || (p.kind === 'dealer' && rng.chance(0.85)) || (p.kind === 'retail_chain' && rng.chance(0.8))) kinds.push('warehouse');
    if (p.kind === 'distributor' && rng.chance(0.4)) kinds.push('yard');
    const stores = p.kind === 'retail_chain' ? rng.int(2, 6) : p.kind === 'dealer' && (rng.chance(0.35) || kinds.length === 0) ? 1 : 0;
    for (let i = 0; i < stores; i++) kinds.push('store');
    const cityText = p.city.province === p.city.zh ? p.city.zh : `${p.city.province}${p.city.zh}`;
    kinds.forEach((kind, i) => {
      const created = at(p.createdDay + i * 3, 11 * 60 + i);
      const coastal = kind === 'warehouse' && p.pinned ? coastalWarehouses[p.pinned.warehouse]! : null;
      const r = p.city.spreadKm * Math.sqrt(rng.next()), angle = 2 * Math.PI * rng.next();
      const centre = p.city.siteCentre;
      const lat = coastal ? coastal.lat : round6(centre.lat + (r / 111.32) * Math.sin(angle));
      const lng = coastal ? coastal.lng : round6(centre.lng + (r / (111.32 * Math.cos((centre.lat * Math.PI) / 180))) * Math.cos(angle));
      const road = rng.pick(roadNames);
      const label = kind === 'office' ? '总部' : kind === 'warehouse' ? '中心仓库' : kind === 'yard' ? '散装堆场' : `${road}门店`;
      out.push({
        id: '', account_id: p.id, name: coastal ? `${p.brand[0]}${coastal.name}` : `${p.brand[0]}${label}`, kind,
        address: coastal ? coastal.address : `${cityText}${road}${rng.int(1, 888)}号`, city: p.city.zh, province: p.city.province,
        lat, lng, opening_hours: openingHours(rng, kind), created_at: created, updated_at: created, version: 1,
      });
    });
  }
  return out;
}

const round6 = (x: number): number => Math.round(x * 1e6) / 1e6;

function makeActivities(
  rng: Rng, plans: Plan[],
  ctx: { ref: DayNumber; nowMs: number; months: number; ownerOf: (p: Plan) => string; supportOf: Map<number, string>; directorOf: (p: Plan) => string; logistics: string },
): (Selectable<Database['activities']> & Timestamped)[] {
  const out: (Selectable<Database['activities']> & Timestamped)[] = [];
  const from = addMonths(ctx.ref, -ctx.months) + 1;
  const diligence = new Map<string, number>();
  const notes = [
    '客户反馈旺季到货偏慢，需协调物流排车', '对 C2TE 瓷砖胶有兴趣，约下周送样', '提出年度返利政策调整诉求', '库存偏低，建议本月补货',
    '竞品降价 10 元/吨，客户观望', '回款计划已确认，月底前到账', '新开工地两个，预计散装需求增加', '仓库防潮条件一般，提醒先进先出',
  ];
  for (const p of plans) {
    const owner = ctx.ownerOf(p);
    if (!diligence.has(owner)) diligence.set(owner, Math.exp(0.35 * rng.normal()));
    const base = p.status === 'prospect' ? 5 : p.status === 'closed' ? 0.2 : p.tier === 'A' ? 22 : p.tier === 'B' ? 9 : 3.5;
    const lifecycle = p.status === 'dormant' ? 0.3 : 1;
    const affinity = Math.exp(0.55 * rng.normal() - 0.15);
    const count = rng.poisson(base * lifecycle * diligence.get(owner)! * affinity * (ctx.months / 12));
    for (let i = 0; i < count; i++) {
      const kind = (['visit', 'call', 'meeting', 'event'] as const)[rng.weightedIndex([0.42, 0.38, 0.14, p.tier === 'C' ? 0.02 : 0.06])]!;
      let day = rng.int(Math.max(from, p.createdDay), ctx.ref);
      for (let t = 0; t < 10 && (weekday(day) === 0 || weekday(day) === 6 || springFestivalFactor(day) < 0.5); t++) day = rng.int(Math.max(from, p.createdDay), ctx.ref);
      const localMinutes = kind === 'call' ? rng.int(102, 216) * 5 : kind === 'event' ? rng.pick([9 * 60, 14 * 60]) : rng.int(18, 32) * 30;
      const duration = kind === 'call' ? rng.int(1, 5) * 5 : kind === 'visit' ? rng.int(3, 10) * 15 : kind === 'meeting' ? rng.int(2, 4) * 30 : rng.int(3, 8) * 60;
      // Local time in China (UTC+8, no daylight saving) to UTC.
      const startMs = day * 86_400_000 + (localMinutes - 8 * 60) * 60_000;
      if (startMs + duration * 60_000 > ctx.nowMs) continue;
      const who = rng.next();
      const support = ctx.supportOf.get(p.idx);
      const userId = who < 0.1 && support ? support : who < 0.17 && kind !== 'call' ? ctx.directorOf(p) : who < 0.22 && kind === 'call' ? ctx.logistics : owner;
      const starts = new Date(startMs).toISOString();
      const created = new Date(startMs + duration * 60_000).toISOString();
      out.push({
        id: '', account_id: p.id, user_id: userId, kind, starts_at: starts, duration_minutes: duration, subject: rng.pick(activitySubjects[kind]),
        notes: rng.chance(0.3) ? rng.pick(notes) : null, visit_id: null, created_at: created, updated_at: created, version: 1,
      });
    }
  }
  return out.sort((a, b) => a.starts_at.localeCompare(b.starts_at));
}
