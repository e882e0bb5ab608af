/**
 * The demo world's lanes (decision 024): one per lane code of the demo's order lines (NGB-<code>),
 * from the Ningbo Beilun plant to the dealer, by the mode its goods usually take (by sea to the
 * coastal cities of Zhejiang, Fujian, Guangdong and Hainan, by road nearby, by rail far inland).
 * Each lane has its rate tables, last year's (closed) and this year's (open), per tonne in fen:
 * a fixed part (loading, port or terminal handling) and a part per kilometre of the mode's own
 * route, so that per tonne-kilometre road costs most and the sea least. Shipments' freight follows
 * the same tables. The Taizhou–Wenling coast's lanes have the rule "rail 1 Jul – 30 Sep" approved
 * by the dealer's manager before the 2026 typhoon season; the dealer that trialled rail in
 * September 2026 has logistics' proposal for next season (the months the planner proposes)
 * waiting for its manager's approval.
 * Deterministic for a given day. The rules' figures come from lanes' own arithmetic.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { haversineMetres, type LatLng } from '../../shared/geo.js';
import { typhoonRisk } from '../delivery/climate.service.js';
import { defaultModePlanSettings, planModes, type LaneTyphoonRisk, type PastShipment, type RateLine, type TransportMode } from '../delivery/mode-plan.domain.js';
import { ruleFigures, type RuleFigures } from '../lanes/lanes.domain.js';
import type { OrderLinesTable, ShipmentsTable } from '../delivery/delivery.table.js';
import type { LaneRatesTable, LanesTable, ModeRulesTable } from '../lanes/lanes.table.js';
import { demoProducts } from './demo.catalog.js';
import { demoCities } from './demo.cities.js';
import { createRng, seededUuidV7 } from './demo.random.js';

export type LaneAccount = { id: string; code: string; province: string | null; city: string | null; owner_id: string | null };
type Port = { name: string; lat: number; lng: number };

const ORIGIN = { name: '宁波北仑工厂（Ningbo Beilun plant）', lat: 29.93, lng: 121.85 };
const ORIGIN_PORT: Port = { name: '宁波舟山港', lat: 29.93, lng: 121.85 };
/** The sea port each coastal city is served through. */
const PORTS: Record<string, Port | null> = {
  台州市: { name: '台州港', lat: 28.68, lng: 121.45 }, 温岭市: { name: '台州港', lat: 28.68, lng: 121.45 }, 宁波市: null,
  温州市: { name: '温州港', lat: 27.95, lng: 120.95 }, 舟山市: { name: '舟山港', lat: 29.98, lng: 122.2 },
  福州市: { name: '福州港', lat: 25.98, lng: 119.45 }, 厦门市: { name: '厦门港', lat: 24.45, lng: 118.07 }, 泉州市: { name: '泉州港', lat: 24.88, lng: 118.68 },
  广州市: { name: '广州港（南沙）', lat: 22.75, lng: 113.62 }, 深圳市: { name: '深圳港（盐田）', lat: 22.58, lng: 114.27 }, 珠海市: { name: '珠海港（高栏）', lat: 21.95, lng: 113.22 },
  汕头市: { name: '汕头港', lat: 23.35, lng: 116.73 }, 海口市: { name: '海口港', lat: 20.03, lng: 110.28 }, 三亚市: { name: '三亚港', lat: 18.23, lng: 109.5 },
};
const SEA = new Set(['浙江省', '福建省', '广东省', '海南省']);
const NEAR = new Set(['浙江省', '江苏省', '上海市', '安徽省', '江西省']);

/** The mode a dealer's goods usually take: by sea to a coastal city with a port, by road nearby, else by rail. */
export function modeOf(a: Pick<LaneAccount, 'province' | 'city'>): TransportMode {
  if (a.province && SEA.has(a.province) && a.city && a.city in PORTS) return 'ship';
  if (a.province && NEAR.has(a.province)) return 'road';
  return 'rail';
}

/** The Taizhou–Wenling coast, whose dealers went to rail for the 2026 typhoon season. */
export const isTaizhouCoast = (a: Pick<LaneAccount, 'province' | 'city'>) => a.province === '浙江省' && (a.city === '台州市' || a.city === '温岭市');
/** The coast's switch to rail in 2026, and the rail trial of one other sea lane (both inclusive). */
export const COAST_RAIL_2026 = { from: '2026-07-01', to: '2026-09-30' } as const;
export const RAIL_TRIAL_2026 = { from: '2026-09-01', to: '2026-09-30' } as const;

/** The dealer that trialled rail in September 2026: the first sea dealer by code off the Taizhou coast, Zhejiang's first. */
export function railTrialAccount<T extends LaneAccount>(accounts: readonly T[]): T | undefined {
  const sea = accounts.filter((a) => modeOf(a) === 'ship' && !isTaizhouCoast(a)).sort((a, b) => a.code.localeCompare(b.code));
  return sea.find((a) => a.province === '浙江省') ?? sea[0];
}

// CNY per tonne: fixed (loading, port or terminal handling) + per km of the mode's route, and the yearly change since 2025.
const TARIFF: Record<TransportMode, { fixed: number; perKm: number; yearly: number }> = {
  ship: { fixed: 22, perKm: 0.035, yearly: 0.03 },
  rail: { fixed: 14, perKm: 0.14, yearly: 0.05 },
  road: { fixed: 5, perKm: 0.42, yearly: 0.02 },
};
// A mode's route over the great circle: roads and railways wind, a coaster rounds the headlands.
const ROUTE: Record<TransportMode, { factor: number; plusKm: number }> = { ship: { factor: 1.25, plusKm: 20 }, rail: { factor: 1.35, plusKm: 0 }, road: { factor: 1.3, plusKm: 0 } };

export type DemoLane = { code: string; mode: TransportMode; modes: TransportMode[]; ports: Port[]; km: Record<TransportMode, number>; cityEn: string; cityShort: string };

/** The lane of a dealer: its code, usual mode, the modes it has rates for (the sea only where there is a port), ports and route lengths. */
export function laneOf(a: LaneAccount): DemoLane {
  const city = demoCities.find((c) => c.zh === a.city && c.province === a.province);
  const gcKm = city ? haversineMetres(ORIGIN, city) / 1000 : 300;
  const mode = modeOf(a);
  const port = a.city ? PORTS[a.city] : null;
  const km = Object.fromEntries((['ship', 'rail', 'road'] as const).map((m) => [m, Math.max(30, Math.round(gcKm * ROUTE[m].factor + ROUTE[m].plusKm))])) as Record<TransportMode, number>;
  return {
    code: `NGB-${a.code}`, mode, modes: mode === 'ship' ? ['ship', 'rail', 'road'] : ['rail', 'road'],
    ports: mode === 'ship' ? [ORIGIN_PORT, ...(port ? [port] : [])] : [], km, cityEn: city?.en ?? a.city ?? '', cityShort: city?.short ?? a.city ?? '',
  };
}

/** The lane's rate per tonne for a mode in a year, fen (whole yuan, as carriers quote). */
export function ratePerTonneMinor(lane: DemoLane, mode: TransportMode, year: number): number {
  const t = TARIFF[mode];
  return Math.round((t.fixed + t.perKm * lane.km[mode]) * (1 + t.yearly) ** (year - 2025)) * 100;
}

/** Transit days (shipped → delivered) of a mode on the lane, fewest and most: handling at both ends, then the route at the mode's pace (a rail leg also needs trucks to and from the yards). */
export function transitDays(lane: DemoLane, mode: TransportMode): [number, number] {
  const km = lane.km[mode];
  if (mode === 'ship') return [Math.round(1.5 + km / 400), Math.round(3.5 + km / 400)];
  if (mode === 'rail') return [Math.round(2.5 + km / 600), Math.round(3.5 + km / 600)];
  return [Math.max(1, Math.round(km / 500)), Math.max(1, Math.round(1 + km / 450))];
}

/** Kilograms of one unit of a product, for a lane's tonnage: bulk by the tonne, bags and buckets by the weight in their name. */
const kgOf = new Map(demoProducts.map((p) => [p.sku, p.unit === 't' ? 1000 : Number(/(\d+(?:\.\d+)?)\s*kg/.exec(p.nameEn)?.[1] ?? 0)]));

type OrderLine = Pick<OrderLinesTable, 'account_id'>;
type Shipment = Pick<ShipmentsTable, 'lane_code' | 'mode' | 'shipped_date' | 'delivered_date' | 'weight_grams' | 'freight_minor'>;
type User = { id: string; role: string };
type SalesLine = { account_id: string; product_id: string; date: string; quantity: number };
export type LanesDemoSummary = { lanes: number; rates: number; rules: number };

/**
 * Writes the lanes of the order lines' lane codes, their rate tables and the rules; the shipments
 * give the rules' transit figures. Needs the delivery demo's rows (order lines, shipments).
 */
export async function seedLanesDemo(
  trx: Transaction<Database> | Kysely<Database>,
  w: { now: Date; accounts: readonly LaneAccount[]; users: readonly User[]; products: readonly { id: string; sku: string }[]; salesLines: readonly SalesLine[]; lines: readonly OrderLine[]; shipments: readonly Shipment[] },
): Promise<LanesDemoSummary> {
  const rng = createRng('openkam-demo-lanes-v1');
  const nowMs = w.now.getTime();
  const year = w.now.getUTCFullYear();
  const logistics = w.users.find((u) => u.role === 'logistics') ?? w.users.find((u) => u.role === 'admin');
  const byId = new Map(w.accounts.map((a) => [a.id, a]));
  const used = [...new Set(w.lines.map((l) => l.account_id))].map((id) => byId.get(id)!).filter(Boolean).sort((a, b) => a.code.localeCompare(b.code));
  const kg = new Map(w.products.map((p) => [p.id, kgOf.get(p.sku) ?? 0]));
  const yearAgo = new Date(nowMs - 365 * 86_400_000).toISOString().slice(0, 10);
  const tonnes = new Map<string, number>();
  for (const s of w.salesLines) if (s.date > yearAgo) tonnes.set(s.account_id, (tonnes.get(s.account_id) ?? 0) + (s.quantity * (kg.get(s.product_id) ?? 0)) / 1000);
  const shipped = new Map<string, PastShipment[]>();
  for (const s of w.shipments) {
    if (!s.lane_code || !s.shipped_date || !s.delivered_date) continue;
    const list = shipped.get(s.lane_code) ?? [];
    shipped.set(s.lane_code, list);
    list.push({ mode: s.mode as TransportMode, shippedAt: `${s.shipped_date}T00:00:00.000Z`, deliveredAt: `${s.delivered_date}T00:00:00.000Z`, tonnes: (s.weight_grams ?? 0) / 1e6, freightMinor: s.freight_minor ?? 0 });
  }

  const created = `${year - 2}-12-15T01:00:00.000Z`;
  const lanes: LanesTable[] = [];
  const rates: LaneRatesTable[] = [];
  const rules: ModeRulesTable[] = [];
  const laneRates = new Map<string, RateLine[]>();
  const geo = new Map<string, DemoLane>();
  for (const a of used) {
    const g = laneOf(a);
    const id = seededUuidV7(rng, Date.parse(created));
    geo.set(a.id, g);
    lanes.push({
      id, code: g.code, name: `宁波 → ${g.cityShort}（Ningbo → ${g.cityEn}）`, origin_name: ORIGIN.name, origin_lat: ORIGIN.lat, origin_lng: ORIGIN.lng, account_id: a.id,
      ports_json: JSON.stringify(g.ports), typhoon_distance_km: 200, default_mode: g.mode, annual_tonnes: Math.max(100, Math.round((tonnes.get(a.id) ?? 0) / 100) * 100),
      created_at: created, updated_at: created, version: 1,
    });
    const mine: RateLine[] = [];
    for (const mode of g.modes) {
      for (const [y, from, to] of [[year - 1, `${year - 1}-01-01`, `${year - 1}-12-31`], [year, `${year}-01-01`, null]] as const) {
        const at = `${y - 1}-12-20T02:00:00.000Z`;
        const row: LaneRatesTable = {
          id: seededUuidV7(rng, Date.parse(at)), lane_id: id, mode, currency: 'CNY', per_tonne_minor: ratePerTonneMinor(g, mode, y), valid_from: from, valid_to: to,
          note: `${y} 年度运输合同价 · ${y} annual contract rate (${g.km[mode]} km)`, created_by: logistics?.id ?? null, created_at: at < w.now.toISOString() ? at : created,
        };
        rates.push(row);
        mine.push({ id: row.id, mode, validFrom: from, validTo: to, currency: 'CNY', perTonneMinor: row.per_tonne_minor });
      }
    }
    laneRates.set(g.code, mine);
  }

  const laneRow = (a: LaneAccount) => lanes.find((l) => l.account_id === a.id)!;
  // The coast's lanes share their ports: each set's climatology is worked out once.
  const risks = new Map<string, LaneTyphoonRisk>();
  const riskOf = (ports: Port[]) => {
    const k = JSON.stringify(ports);
    return risks.get(k) ?? risks.set(k, { kt34: typhoonRisk(ports, 200, 34), kt64: typhoonRisk(ports, 200, 64) }).get(k)!;
  };
  /**
   * The figures of ship → rail in `months` (default: the first run of months the planner
   * proposes, else August and September), priced as the lanes module prices a proposal: the
   * lane's rates valid in `y`, its shipments, the climatology near its ports.
   */
  const figures = (a: LaneAccount, y: number, months?: number[]): RuleFigures | null => {
    const g = geo.get(a.id)!;
    if (!g.ports.length) return null;
    const risk = riskOf(g.ports);
    const settings = defaultModePlanSettings(y);
    const { rows, proposals } = planModes({ rates: laneRates.get(g.code)!, shipments: shipped.get(g.code) ?? [], risk, settings });
    const r = ruleFigures(rows, risk, settings, months ?? proposals[0]?.months ?? [8, 9], laneRow(a).annual_tonnes);
    return 'figures' in r ? r.figures : null;
  };
  const ago = (days: number, hhmm: string) => new Date(Date.parse(`${new Date(nowMs - days * 86_400_000).toISOString().slice(0, 10)}T${hhmm}:00.000Z`));
  const notAfterNow = (d: Date, fallbackDays: number) => (d.getTime() < nowMs ? d : ago(fallbackDays, '02:00'));

  // Approved in June, before the season of 2026 (or of last year, once 2026 is two years back).
  const season = Math.min(year, Math.max(2026, year - 1));
  const proposedAt = notAfterNow(new Date(`${season}-05-26T03:10:00.000Z`), 12);
  const decidedAt = notAfterNow(new Date(`${season}-06-03T06:40:00.000Z`), 7);
  for (const a of used.filter((x) => isTaizhouCoast(x) && modeOf(x) === 'ship')) {
    const f = figures(a, season, [7, 8, 9]);
    if (!f) continue;
    rules.push({
      id: seededUuidV7(rng, proposedAt.getTime()), lane_id: laneRow(a).id, from_mode: 'ship', to_mode: 'rail', from_day: f.fromDay, to_day: f.toDay, status: 'approved', figures_json: JSON.stringify(f),
      note: '去年台风季海运平均晚到一周，经销商断货；7–9 月改走铁路 · Last typhoon season the sea ran a week late and the dealer ran out: rail from July to September',
      proposed_by: logistics?.id ?? null, proposed_at: proposedAt.toISOString(), decided_by: a.owner_id, decided_at: decidedAt.toISOString(),
      reason: '已与经销商确认，运费差价由我方承担 · Agreed with the dealer; we carry the extra freight', superseded_by: null, superseded_at: null, version: 2,
    });
  }
  // Logistics' proposal for the trial dealer's next season, made two days ago.
  const trial = railTrialAccount(used);
  const next = w.now.getUTCMonth() + 1 <= 6 ? year : year + 1;
  const f = trial && figures(trial, next);
  if (trial && f) {
    const at = ago(2, '03:20');
    rules.push({
      id: seededUuidV7(rng, at.getTime()), lane_id: laneRow(trial).id, from_mode: 'ship', to_mode: 'rail', from_day: f.fromDay, to_day: f.toDay, status: 'proposed', figures_json: JSON.stringify(f),
      note: '9 月铁路试运准时，台风季建议改走铁路 · The September rail trial ran on time: rail for the typhoon season',
      proposed_by: logistics?.id ?? null, proposed_at: at.toISOString(), decided_by: null, decided_at: null, reason: null, superseded_by: null, superseded_at: null, version: 1,
    });
  }

  for (let i = 0; i < lanes.length; i += 500) await trx.insertInto('lanes').values(lanes.slice(i, i + 500)).execute();
  for (let i = 0; i < rates.length; i += 1000) await trx.insertInto('lane_rates').values(rates.slice(i, i + 1000)).execute();
  if (rules.length) await trx.insertInto('mode_rules').values(rules).execute();
  return { lanes: lanes.length, rates: rates.length, rules: rules.length };
}
