/**
 * Demo order lines and shipments (deterministic from the sales history): every sales line of the
 * key accounts (tier A) since July of last year, in a sample of their orders, becomes an order line delivered on its
 * invoice date, promised a few days before or on it. The mode follows the dealer's place: by sea
 * from the Ningbo plant to the coast of Zhejiang, Fujian, Guangdong and Hainan, by rail far
 * inland, by road nearby. Sea lanes run late in the typhoon season (July to September); the
 * Taizhou–Wenling dealers went to rail for the 2026 season after last summer's stock-outs, so
 * their figures show the difference. A few lines are split, cancelled or still open (some overdue).
 * One other sea dealer trialled rail in September 2026. Transit time and freight follow the lane
 * (its length by each mode, its rate tables: demo.lanes.ts).
 * The Taizhou–Wenling dealers have agreed terms: one working day early or late, China's calendar.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { DeliveryTermsTable, OrderLinesTable, ShipmentsTable } from '../delivery/delivery.table.js';
import { createRng, hashSeed, seededUuidV7 } from './demo.random.js';
import { dayToIso, isoToDay } from './demo.calendar.js';
import { COAST_RAIL_2026, isTaizhouCoast, laneOf, modeOf, RAIL_TRIAL_2026, railTrialAccount, ratePerTonneMinor, transitDays, type DemoLane } from './demo.lanes.js';

type Account = { id: string; code: string; tier: string | null; status: string; owner_id: string | null; province: string | null; city: string | null };
type Product = { id: string; unit: string; name_zh: string };
type SalesLine = { doc_no: string; line_no: number; date: string; account_id: string; product_id: string; quantity: number; net_amount_minor: number; currency: string };
type Mode = 'ship' | 'rail' | 'road';

const CARRIER: Record<Mode, string> = { ship: '中远海运', rail: '中铁快运', road: '德邦物流' };
const TYPHOON_MONTHS = new Set([7, 8, 9]);

const hashUnit = (text: string): number => hashSeed(text) / 2 ** 32;

/** Days late (negative: early) drawn for a mode and month; the sea in typhoon season is the bad case. */
function lateness(rng: ReturnType<typeof createRng>, mode: Mode, month: number): number {
  const u = rng.next();
  if (mode === 'ship' && TYPHOON_MONTHS.has(month)) return u < 0.42 ? 0 : u < 0.6 ? rng.int(1, 3) : u < 0.85 ? rng.int(4, 10) : rng.int(11, 20);
  if (mode === 'ship') return u < 0.05 ? -rng.int(1, 2) : u < 0.78 ? 0 : u < 0.93 ? rng.int(1, 3) : rng.int(4, 7);
  if (mode === 'rail') return u < 0.04 ? -1 : u < 0.84 ? 0 : u < 0.96 ? rng.int(1, 2) : rng.int(3, 5);
  return u < 0.02 ? -1 : u < 0.91 ? 0 : u < 0.98 ? 1 : rng.int(2, 3);
}

export type DeliveryDemo = { lines: OrderLinesTable[]; shipments: ShipmentsTable[]; terms: DeliveryTermsTable[] };
type DeliveryWorld = { now: Date; accounts: readonly Account[]; products: readonly Product[]; salesLines: readonly SalesLine[] };

/** Writes the order lines, shipments and agreed terms; returns them for the modules seeded on top (lanes, claims, stock). */
export async function seedDeliveryDemo(trx: Transaction<Database> | Kysely<Database>, w: DeliveryWorld): Promise<DeliveryDemo> {
  const demo = generateDeliveryDemo(w);
  for (let i = 0; i < demo.lines.length; i += 1000) await trx.insertInto('order_lines').values(demo.lines.slice(i, i + 1000)).execute();
  for (let i = 0; i < demo.shipments.length; i += 1000) await trx.insertInto('shipments').values(demo.shipments.slice(i, i + 1000)).execute();
  if (demo.terms.length) await trx.insertInto('delivery_terms').values(demo.terms).execute();
  return demo;
}

function generateDeliveryDemo(w: DeliveryWorld): DeliveryDemo {
  const rng = createRng('openkam-demo-delivery-v1');
  const idRng = rng.fork('ids');
  const ts = w.now.toISOString();
  const today = isoToDay(ts.slice(0, 10));
  // From the July of last year: last year's typhoon season is in the history.
  const from = `${Number(ts.slice(0, 4)) - 1}-07-01`;
  const key = new Map(w.accounts.filter((a) => a.status === 'active' && a.owner_id && a.tier === 'A').map((a) => [a.id, a]));
  const coast = isTaizhouCoast;
  const trial = railTrialAccount([...key.values()]);
  const lanes = new Map<string, DemoLane>();
  const laneOfAccount = (a: Account) => lanes.get(a.id) ?? lanes.set(a.id, laneOf(a)).get(a.id)!;
  const within = (d: string, p: { from: string; to: string }) => d >= p.from && d <= p.to;
  const products = new Map(w.products.map((p) => [p.id, p]));
  const lines: OrderLinesTable[] = [];
  const ships: ShipmentsTable[] = [];
  // A sample of whole orders (all of the Taizhou coast's), to keep the demo quick to seed.
  const kept = (l: SalesLine) => coast(key.get(l.account_id)!) || hashUnit(l.doc_no) < 0.35;
  const sales = w.salesLines.filter((l) => l.date >= from && key.has(l.account_id) && kept(l)).sort((a, b) => a.date.localeCompare(b.date) || a.doc_no.localeCompare(b.doc_no) || a.line_no - b.line_no);
  for (const s of sales) {
    const a = key.get(s.account_id)!;
    const day = isoToDay(s.date);
    const month = Number(s.date.slice(5, 7));
    const usual = modeOf(a);
    // The coastal dealers moved to rail for the typhoon season of 2026 (the lane's seasonal rule); one other sea dealer tried it in September.
    const railed = usual === 'ship' && ((coast(a) && within(s.date, COAST_RAIL_2026)) || (a.id === trial?.id && within(s.date, RAIL_TRIAL_2026)));
    const mode: Mode = railed ? 'rail' : usual;
    const late = lateness(rng, mode, month);
    const promised = day - late;
    const product = products.get(s.product_id);
    const id = seededUuidV7(idRng, Date.parse(`${s.date}T08:00:00Z`));
    const lane = laneOfAccount(a).code;
    const sourceKey = `${s.doc_no}/${s.line_no}`;
    const u = rng.next();
    // The last days' orders are still on their way (not due yet); a few past ones never came (overdue).
    const open = day > today - 3 || (u < 0.004 && day > today - 60);
    const cancelled = !open && u > 0.992;
    lines.push({
      id, account_id: a.id, source_key: sourceKey, order_no: s.doc_no, line_no: String(s.line_no), product_id: s.product_id, item: product?.name_zh ?? null,
      quantity: Math.max(1, Math.round(s.quantity)), unit: product?.unit ?? null, value_minor: s.net_amount_minor > 0 ? s.net_amount_minor : null, currency: s.net_amount_minor > 0 ? s.currency : null,
      ordered_date: dayToIso(promised - rng.int(5, 12)), requested_date: dayToIso(promised - rng.int(0, 2)), promised_date: dayToIso(open && day > today - 3 ? day + rng.int(1, 5) : promised),
      status: open ? 'open' : cancelled ? 'cancelled' : 'delivered', cancelled_date: cancelled ? dayToIso(promised - rng.int(1, 4)) : null,
      lane_code: lane, planned_mode: mode, extra_json: null, import_job_id: null, created_at: ts, updated_at: ts, version: 1,
    });
    if (open || cancelled) continue;
    const tonnes = product?.unit === 't' ? s.quantity : null;
    const qty = Math.max(1, Math.round(s.quantity));
    const split = rng.chance(0.04) && qty >= 10 ? Math.round(qty * 0.6) : null;
    const parts: [number, number][] = split ? [[day - rng.int(2, 4), split], [day, qty - split]] : [[day, qty]];
    parts.forEach(([d, part], i) => {
      const transit = rng.int(...transitDays(laneOfAccount(a), mode));
      const partTonnes = tonnes === null ? null : (tonnes * part) / qty;
      ships.push({
        id: seededUuidV7(idRng, Date.parse(`${dayToIso(d)}T08:00:00Z`)), order_line_id: id, account_id: a.id, source_key: `${sourceKey}/${i + 1}`, shipment_no: `SH-${s.doc_no.slice(3)}-${s.line_no}-${i + 1}`,
        shipped_date: dayToIso(d - transit), delivered_date: dayToIso(d), quantity: part, mode, carrier: CARRIER[mode], lane_code: lane,
        weight_grams: partTonnes === null ? null : Math.round(partTonnes * 1_000_000), weight_note: null,
        freight_minor: partTonnes === null ? null : Math.round(partTonnes * ratePerTonneMinor(laneOfAccount(a), mode, Number(dayToIso(d - transit).slice(0, 4)))), freight_currency: partTonnes === null ? null : 'CNY',
        freight_note: partTonnes === null ? 'Freight included in the delivered price (bagged goods)' : null, import_job_id: null, created_at: ts, updated_at: ts, version: 1,
      });
    });
  }
  const terms = [...key.values()].filter(coast).map((a) => ({
    account_id: a.id, early_days: 1, late_days: 1, in_full_percent: 2, calendar: 'working-days-cn' as const,
    note: 'Supply agreement 2026: one working day either way, China working days', updated_by: null, created_at: ts, updated_at: ts, version: 1,
  }));
  return { lines, shipments: ships, terms };
}
