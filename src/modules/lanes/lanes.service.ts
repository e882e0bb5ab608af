/**
 * Lane use cases (decision 024): lanes of the dealers one sees, their rate tables (no overlapping
 * validity per mode), the month-by-month comparison of ship, rail and road (delivery's
 * mode-plan arithmetic over the lane's rates, its own shipments and the typhoon climatology near
 * its sea ports), and seasonal rules proposed from it, approved by the dealer's manager, a
 * director or an admin (an approval supersedes the approved rules it overlaps).
 */
import type { z } from 'zod';
import type { Ctx } from '../../server/context.js';
import { AppError, badRequest, conflict, forbidden, notFound, type FieldError } from '../../server/errors.js';
import { accountVisibleTo, accountWritableBy, allows } from '../../server/policy.js';
import { newId } from '../../shared/ids.js';
import { recordAudit } from '../audit/audit.service.js';
import { climatologyTable, typhoonRisk } from '../delivery/climate.service.js';
import { defaultModePlanSettings, planModes, TRANSPORT_MODES, type LaneTyphoonRisk, type PastShipment, type RateLine, type TransportMode } from '../delivery/mode-plan.domain.js';
import type { AddRateBody, CreateLaneBody, DecideBody, Figures, Lane, LaneQuery, Plan, PlanQuery, ProposeBody, Rate, RejectBody, Rule, UpdateLaneBody } from './lanes.contract.js';
import { delayVsPromised, monthsFrom, noTyphoonRisk, periodsOverlap, ruleFigures, ruleInForce, transitMean, validityOverlaps, type PromisedShipment } from './lanes.domain.js';
import type { LanesTable } from './lanes.table.js';
import * as repo from './lanes.repository.js';

type LaneOut = z.infer<typeof Lane>;
type RuleOut = z.infer<typeof Rule>;
type Port = { name: string; lat: number; lng: number };
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

const visible = (ctx: Ctx) => accountVisibleTo(ctx.actor, 'l.account_id');
export const todayOf = (ctx: Ctx) => ctx.clock.now().toISOString().slice(0, 10);

/** The lane by code if its dealer is one the caller sees; 404 otherwise (out of scope looks like absent). */
export async function loadLane(ctx: Ctx, code: string): Promise<repo.LaneRow> {
  const lane = await repo.laneByCode(ctx.db.kysely, visible(ctx), code);
  if (!lane) throw notFound('Lane');
  return lane;
}

/** Whether the caller may approve the lane's rules: lane:approve, and the dealer is one they may change (its manager, a director of theirs, an admin). */
export async function mayDecide(ctx: Ctx, accountId: string): Promise<boolean> {
  if (!allows(ctx.actor.role, 'lane:approve')) return false;
  const a = await ctx.db.kysely.selectFrom('accounts').select('id').where('id', '=', accountId).where(accountWritableBy(ctx.actor, 'accounts.id')).executeTakeFirst();
  return !!a;
}

type OpenRule = Awaited<ReturnType<typeof repo.openRulesOf>>[number];
function laneOut(r: repo.LaneRow, open: OpenRule[], today: string): LaneOut {
  const mine = open.filter((x) => x.lane_id === r.id);
  const approved = mine.filter((x) => x.status === 'approved').map((x) => ({ ...x, toMode: x.to_mode, fromDay: x.from_day, toDay: x.to_day }));
  const p = ruleInForce(approved, today);
  return {
    id: r.id, code: r.code, name: r.name, originName: r.origin_name, originLat: Number(r.origin_lat), originLng: Number(r.origin_lng),
    account: { id: r.account_id, code: r.account_code, name: r.account_name, nameEn: r.account_name_en },
    ports: JSON.parse(r.ports_json) as Port[], typhoonDistanceKm: Number(r.typhoon_distance_km), defaultMode: r.default_mode as TransportMode,
    annualTonnes: Number(r.annual_tonnes),
    plan: p && { ruleId: p.rule.id, fromMode: p.rule.from_mode as TransportMode, toMode: p.rule.to_mode as TransportMode, fromDay: p.rule.from_day, toDay: p.rule.to_day, inForce: p.inForce, startsInDays: p.startsInDays },
    proposedRules: mine.filter((x) => x.status === 'proposed').length,
    updatedAt: r.updated_at, version: r.version,
  };
}

/** Lanes of the dealers the caller sees (optionally one dealer), each with its plan in force or coming. */
export async function listLanes(ctx: Ctx, q: z.infer<typeof LaneQuery>): Promise<{ items: LaneOut[] }> {
  const rows = await repo.listLanes(ctx.db.kysely, visible(ctx), q.accountId);
  const open = await repo.openRulesOf(ctx.db.kysely, rows.map((r) => r.id));
  const today = todayOf(ctx);
  return { items: rows.map((r) => laneOut(r, open, today)) };
}

export async function getLane(ctx: Ctx, code: string): Promise<LaneOut> {
  const lane = await loadLane(ctx, code);
  return laneOut(lane, await repo.openRulesOf(ctx.db.kysely, [lane.id]), todayOf(ctx));
}

export async function createLane(ctx: Ctx, b: z.infer<typeof CreateLaneBody>): Promise<LaneOut> {
  const k = ctx.db.kysely;
  const account = await k.selectFrom('accounts').select('id').where('id', '=', b.accountId).where(accountVisibleTo(ctx.actor, 'accounts.id')).executeTakeFirst();
  if (!account) throw badRequest('The lane cannot be created', [{ path: 'accountId', message: 'no dealer with this id that you may see' }]);
  if (await repo.laneCodeTaken(k, b.code)) throw conflict(`A lane with code "${b.code}" exists already`);
  const now = ctx.clock.now().toISOString();
  const row: LanesTable = {
    id: newId(), code: b.code, name: b.name, origin_name: b.originName, origin_lat: b.originLat, origin_lng: b.originLng, account_id: b.accountId,
    ports_json: JSON.stringify(b.ports), typhoon_distance_km: b.typhoonDistanceKm, default_mode: b.defaultMode, annual_tonnes: b.annualTonnes,
    created_at: now, updated_at: now, version: 1,
  };
  await k.transaction().execute(async (trx) => {
    await repo.insertLane(trx, row);
    await recordAudit(trx, ctx, { action: 'lane.create', entity: 'lanes', entityId: row.id, accountId: row.account_id, after: row });
  });
  return getLane(ctx, b.code);
}

export async function updateLane(ctx: Ctx, code: string, b: z.infer<typeof UpdateLaneBody>): Promise<LaneOut> {
  const lane = await loadLane(ctx, code);
  const set: Partial<LanesTable> = {};
  if (b.name !== undefined) set.name = b.name;
  if (b.originName !== undefined) set.origin_name = b.originName;
  if (b.originLat !== undefined) set.origin_lat = b.originLat;
  if (b.originLng !== undefined) set.origin_lng = b.originLng;
  if (b.ports !== undefined) set.ports_json = JSON.stringify(b.ports);
  if (b.typhoonDistanceKm !== undefined) set.typhoon_distance_km = b.typhoonDistanceKm;
  if (b.defaultMode !== undefined) set.default_mode = b.defaultMode;
  if (b.annualTonnes !== undefined) set.annual_tonnes = b.annualTonnes;
  await ctx.db.kysely.transaction().execute(async (trx) => {
    const n = await repo.updateLane(trx, lane.id, b.version, { ...set, updated_at: ctx.clock.now().toISOString(), version: lane.version + 1 });
    if (!n) throw new AppError('version_conflict', 409, 'The lane was changed by someone else; reload it and try again');
    await recordAudit(trx, ctx, { action: 'lane.update', entity: 'lanes', entityId: lane.id, accountId: lane.account_id, before: lane, after: set });
  });
  return getLane(ctx, code);
}

const rateOut = (r: Awaited<ReturnType<typeof repo.ratesOf>>[number]): z.infer<typeof Rate> => ({
  id: r.id, mode: r.mode as TransportMode, currency: r.currency, perTonneMinor: Number(r.per_tonne_minor), validFrom: r.valid_from, validTo: r.valid_to, note: r.note, createdAt: r.created_at,
});

export async function listRates(ctx: Ctx, code: string): Promise<{ items: z.infer<typeof Rate>[] }> {
  const lane = await loadLane(ctx, code);
  return { items: (await repo.ratesOf(ctx.db.kysely, lane.id)).map(rateOut) };
}

/** Adds a rate line; one that shares a day with another line of the lane and mode is refused, naming that line. */
export async function addRate(ctx: Ctx, code: string, b: z.infer<typeof AddRateBody>): Promise<z.infer<typeof Rate>> {
  const lane = await loadLane(ctx, code);
  return ctx.db.kysely.transaction().execute(async (trx) => {
    const clash = (await repo.ratesOf(trx, lane.id)).find((r) => r.mode === b.mode && validityOverlaps({ from: r.valid_from, to: r.valid_to }, { from: b.validFrom, to: b.validTo }));
    if (clash) {
      throw new AppError('rate_overlap', 409, `The ${b.mode} rate valid ${b.validFrom} – ${b.validTo ?? 'open'} overlaps the one valid ${clash.valid_from} – ${clash.valid_to ?? 'open'} (${Number(clash.per_tonne_minor)} ${clash.currency} minor units a tonne): choose dates outside it`, { errors: [{ path: 'validFrom', message: `overlaps the rate valid ${clash.valid_from} – ${clash.valid_to ?? 'open'}` }] });
    }
    const row = { id: newId(), lane_id: lane.id, mode: b.mode, currency: b.currency, per_tonne_minor: b.perTonneMinor, valid_from: b.validFrom, valid_to: b.validTo, note: b.note, created_by: ctx.actor.userId, created_at: ctx.clock.now().toISOString() };
    await repo.insertRate(trx, row);
    await recordAudit(trx, ctx, { action: 'lane.rate.add', entity: 'lane_rates', entityId: row.id, accountId: lane.account_id, after: { lane: lane.code, ...row } });
    return rateOut(row);
  });
}

type Computed = { plan: z.infer<typeof Plan>; rows: ReturnType<typeof planModes>['rows']; risk: LaneTyphoonRisk; settings: ReturnType<typeof defaultModePlanSettings> };

async function compute(ctx: Ctx, lane: repo.LaneRow, year: number, from: TransportMode, to: TransportMode): Promise<Computed> {
  const k = ctx.db.kysely;
  const rates: RateLine[] = (await repo.ratesOf(k, lane.id)).map((r) => ({ id: r.id, mode: r.mode as TransportMode, validFrom: r.valid_from, validTo: r.valid_to, currency: r.currency, perTonneMinor: Number(r.per_tonne_minor) }));
  const shipped = (await repo.laneShipments(k, accountVisibleTo(ctx.actor, 's.account_id'), lane.code))
    .map((s) => ({ ...s, mode: (s.mode ?? '').toLowerCase() }))
    .filter((s): s is typeof s & { mode: TransportMode } => (TRANSPORT_MODES as readonly string[]).includes(s.mode));
  const shipments: PastShipment[] = shipped.map((s) => ({
    mode: s.mode, shippedAt: `${s.shipped_date!.slice(0, 10)}T00:00:00.000Z`, deliveredAt: `${s.delivered_date!.slice(0, 10)}T00:00:00.000Z`,
    tonnes: s.weight_grams == null ? 0 : Number(s.weight_grams) / 1e6, freightMinor: s.freight_minor == null ? 0 : Number(s.freight_minor),
  }));
  const promised: PromisedShipment[] = shipped.filter((s) => s.promised_date).map((s) => ({ mode: s.mode, shippedDate: s.shipped_date!.slice(0, 10), deliveredDate: s.delivered_date!.slice(0, 10), promisedDate: s.promised_date!.slice(0, 10) }));
  const ports = (JSON.parse(lane.ports_json) as Port[]).map((p) => ({ lat: p.lat, lng: p.lng }));
  const dist = Number(lane.typhoon_distance_km);
  const years = climatologyTable().years;
  const risk: LaneTyphoonRisk = ports.length
    ? { kt34: typhoonRisk(ports, dist, 34), kt64: typhoonRisk(ports, dist, 64) }
    : { kt34: noTyphoonRisk(years, 34, dist), kt64: noTyphoonRisk(years, 64, dist) };
  const base = defaultModePlanSettings(year);
  const settings = { ...base, rule: { ...base.rule, from, to } };
  const { rows, proposals } = planModes({ rates, shipments, risk, settings });
  const annual = Number(lane.annual_tonnes);
  const priced = proposals.map((p) => ruleFigures(rows, risk, settings, p.months, annual)).flatMap((r) => ('figures' in r ? [r.figures] : []));
  const plan: z.infer<typeof Plan> = {
    lane: lane.code, year,
    climatology: { years, distanceKm: dist, ports: ports.length },
    settings: { minSamples: settings.minSamples, typhoon: settings.typhoon, rule: settings.rule },
    months: rows.map((r) => ({
      month: r.month,
      modes: TRANSPORT_MODES.map((m) => {
        const x = r.modes[m];
        const mean = transitMean(shipments, m, r.month, settings.minSamples);
        return {
          mode: m, rate: x.rate,
          transit: x.transit && mean ? { n: x.transit.n, source: x.transit.source, meanDays: mean.meanDays, medianDays: x.transit.medianDays, p90Days: x.transit.p90Days } : null,
          delay: delayVsPromised(promised, m, r.month),
          p34: x.p34, p64: x.p64, typhoonDelayDays: x.typhoonDelayDays, expectedDays: x.expectedDays, disruptionChance: x.disruptionChance,
        };
      }),
      switch: { extraPerTonneMinor: r.switch.extraPerTonneMinor, daysSaved: r.switch.daysSaved, chancePointsSaved: r.switch.chancePointsSaved, qualifies: r.switch.qualifies, reasons: r.switch.reasons },
    })),
    proposals: priced,
  };
  return { plan, rows, risk, settings };
}

/** The month-by-month comparison of the three modes on a lane, and the rules it proposes for from → to. */
export async function lanePlan(ctx: Ctx, code: string, q: z.infer<typeof PlanQuery>): Promise<z.infer<typeof Plan>> {
  const lane = await loadLane(ctx, code);
  return (await compute(ctx, lane, q.year ?? Number(todayOf(ctx).slice(0, 4)), q.from, q.to)).plan;
}

function ruleOut(r: repo.RuleRow, canDecide: boolean): RuleOut {
  return {
    id: r.id, laneCode: r.lane_code, fromMode: r.from_mode as TransportMode, toMode: r.to_mode as TransportMode, fromDay: r.from_day, toDay: r.to_day,
    status: r.status as RuleOut['status'], figures: JSON.parse(r.figures_json) as z.infer<typeof Figures>, note: r.note,
    proposedBy: r.proposed_by && r.proposer ? { id: r.proposed_by, name: r.proposer } : null, proposedAt: r.proposed_at,
    decidedBy: r.decided_by && r.decider ? { id: r.decided_by, name: r.decider } : null, decidedAt: r.decided_at, reason: r.reason,
    supersededBy: r.superseded_by, supersededAt: r.superseded_at, version: r.version, canDecide: canDecide && r.status === 'proposed',
  };
}

export async function listRules(ctx: Ctx, code: string): Promise<{ items: RuleOut[] }> {
  const lane = await loadLane(ctx, code);
  const can = await mayDecide(ctx, lane.account_id);
  return { items: (await repo.rulesOf(ctx.db.kysely, lane.id)).map((r) => ruleOut(r, can)) };
}

/** Proposes switching from → to over whole months, with the figures and their arithmetic as of now; a month without both rates or transit refuses it. */
export async function proposeRule(ctx: Ctx, code: string, b: z.infer<typeof ProposeBody>): Promise<RuleOut> {
  const lane = await loadLane(ctx, code);
  const year = b.year ?? Number(todayOf(ctx).slice(0, 4));
  const { rows, risk, settings } = await compute(ctx, lane, year, b.from, b.to);
  const months = monthsFrom(b.fromMonth, b.toMonth);
  const r = ruleFigures(rows, risk, settings, months, Number(lane.annual_tonnes));
  if ('gaps' in r) {
    const say = (g: (typeof r.gaps)[number]) => g.reason === 'noRate' ? `no ${g.modes.join(' or ')} rate valid on the 1st (${year})`
      : g.reason === 'noTransit' ? `no ${g.modes.join(' or ')} shipments on the lane to time` : `${b.from} and ${b.to} rates in different currencies`;
    const errors: FieldError[] = r.gaps.map((g) => ({ path: 'fromMonth', message: `${MONTHS[g.month - 1]}: ${say(g)}` }));
    throw badRequest(`The rule cannot be priced: ${errors.map((e) => e.message).join('; ')}`, errors);
  }
  const now = ctx.clock.now().toISOString();
  const row = {
    id: newId(), lane_id: lane.id, from_mode: b.from, to_mode: b.to, from_day: r.figures.fromDay, to_day: r.figures.toDay, status: 'proposed', figures_json: JSON.stringify(r.figures),
    note: b.note, proposed_by: ctx.actor.userId, proposed_at: now, decided_by: null, decided_at: null, reason: null, superseded_by: null, superseded_at: null, version: 1,
  };
  await ctx.db.kysely.transaction().execute(async (trx) => {
    await repo.insertRule(trx, row);
    await recordAudit(trx, ctx, { action: 'lane.rule.propose', entity: 'mode_rules', entityId: row.id, accountId: lane.account_id, after: { lane: lane.code, from: b.from, to: b.to, fromDay: row.from_day, toDay: row.to_day, figures: r.figures } });
  });
  return ruleOut((await repo.ruleById(ctx.db.kysely, lane.id, row.id))!, await mayDecide(ctx, lane.account_id));
}

async function decidable(ctx: Ctx, code: string, id: string, version: number) {
  const lane = await loadLane(ctx, code);
  const rule = await repo.ruleById(ctx.db.kysely, lane.id, id);
  if (!rule) throw notFound('Rule');
  if (!(await mayDecide(ctx, lane.account_id))) throw forbidden('Only the manager of the lane\'s dealer, their director or an admin decides its rules');
  if (rule.status !== 'proposed') throw conflict(`The rule is ${rule.status} already`);
  if (rule.version !== version) throw new AppError('version_conflict', 409, 'The rule was changed by someone else; reload it and try again');
  return { lane, rule };
}

/** Approves a proposed rule: it becomes the lane's plan for its period, and the approved rules it overlaps are superseded by it. */
export async function approveRule(ctx: Ctx, code: string, id: string, b: z.infer<typeof DecideBody>): Promise<RuleOut> {
  const { lane, rule } = await decidable(ctx, code, id, b.version);
  const now = ctx.clock.now().toISOString();
  await ctx.db.kysely.transaction().execute(async (trx) => {
    const approved = (await repo.rulesOf(trx, lane.id)).filter((r) => r.status === 'approved' && periodsOverlap({ fromDay: r.from_day, toDay: r.to_day }, { fromDay: rule.from_day, toDay: rule.to_day }));
    for (const old of approved) {
      await repo.updateRule(trx, old.id, old.version, { status: 'superseded', superseded_by: rule.id, superseded_at: now, version: old.version + 1 });
      await recordAudit(trx, ctx, { action: 'lane.rule.supersede', entity: 'mode_rules', entityId: old.id, accountId: lane.account_id, before: { status: 'approved' }, after: { status: 'superseded', supersededBy: rule.id } });
    }
    if (!(await repo.updateRule(trx, rule.id, rule.version, { status: 'approved', decided_by: ctx.actor.userId, decided_at: now, reason: b.reason, version: rule.version + 1 }))) {
      throw new AppError('version_conflict', 409, 'The rule was changed by someone else; reload it and try again');
    }
    await recordAudit(trx, ctx, { action: 'lane.rule.approve', entity: 'mode_rules', entityId: rule.id, accountId: lane.account_id, before: { status: 'proposed' }, after: { status: 'approved', reason: b.reason, superseded: approved.map((o) => o.id) } });
  });
  return ruleOut((await repo.ruleById(ctx.db.kysely, lane.id, rule.id))!, true);
}

export async function rejectRule(ctx: Ctx, code: string, id: string, b: z.infer<typeof RejectBody>): Promise<RuleOut> {
  const { lane, rule } = await decidable(ctx, code, id, b.version);
  const now = ctx.clock.now().toISOString();
  await ctx.db.kysely.transaction().execute(async (trx) => {
    if (!(await repo.updateRule(trx, rule.id, rule.version, { status: 'rejected', decided_by: ctx.actor.userId, decided_at: now, reason: b.reason, version: rule.version + 1 }))) {
      throw new AppError('version_conflict', 409, 'The rule was changed by someone else; reload it and try again');
    }
    await recordAudit(trx, ctx, { action: 'lane.rule.reject', entity: 'mode_rules', entityId: rule.id, accountId: lane.account_id, before: { status: 'proposed' }, after: { status: 'rejected', reason: b.reason } });
  });
  return ruleOut((await repo.ruleById(ctx.db.kysely, lane.id, rule.id))!, true);
}
