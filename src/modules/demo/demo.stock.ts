/**
 * The demo world's dealer stock reports (decision 025): every Monday of the last 26 weeks, each
 * key account reports what it has on hand of its three best-selling products and what it sold
 * since the last report (the Taizhou–Wenling dealers in the portal, the others through logistics'
 * weekly import). Stock covers two to three weeks of sales, except where a demo order line came
 * late: the dealer ran out from the first report after the promised date until the delivery came,
 * so the stock-outs page finds days out, the sales they likely cost and the late line behind them.
 * About ten such stock-outs, half in the last 90 days (the page's default), and one dealer still
 * out today of an order that never came. Deterministic for a given day.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { addDays, DEFAULT_TIME_ZONE, localDateOf, weekdayOfDate } from '../../shared/time.js';
import type { OrderLinesTable, ShipmentsTable } from '../delivery/delivery.table.js';
import type { DealerStockReportsTable } from '../stock/stock.table.js';
import { isTaizhouCoast } from './demo.lanes.js';
import { createRng, seededUuidV7 } from './demo.random.js';

type Account = { id: string; code: string; province: string | null; city: string | null };
type User = { id: string; role: string; account_id: string | null };
type Product = { id: string; sku: string; unit: string };
type SalesLine = { account_id: string; product_id: string; date: string; quantity: number; net_amount_minor: number };
type Line = Pick<OrderLinesTable, 'id' | 'account_id' | 'product_id' | 'promised_date' | 'status'>;
type Shipment = Pick<ShipmentsTable, 'order_line_id' | 'delivered_date'>;
export type StockDemoSummary = { reports: number; stockOuts: number };

const WEEKS = 26;
const PRODUCTS_PER_DEALER = 3;
/** Stock-outs from late lines, by when they began: the last 8 weeks, the 5 weeks before (the default 90 days), and earlier. */
const BANDS = [{ weeksAgo: 8, n: 2 }, { weeksAgo: 13, n: 3 }, { weeksAgo: WEEKS, n: 5 }];

/** A stock-out to write: the reports from `from` to before `until` (null: to the last) show nothing on hand. */
type Out = { group: string; from: string; until: string | null };

export async function seedStockDemo(
  trx: Transaction<Database> | Kysely<Database>,
  w: { now: Date; accounts: readonly Account[]; users: readonly User[]; products: readonly Product[]; salesLines: readonly SalesLine[]; lines: readonly Line[]; shipments: readonly Shipment[] },
): Promise<StockDemoSummary> {
  const rng = createRng('openkam-demo-stock-v1');
  const today = localDateOf(w.now, DEFAULT_TIME_ZONE);
  let monday = today;
  while (weekdayOfDate(monday) !== 'mon') monday = addDays(monday, -1);
  const dates = Array.from({ length: WEEKS }, (_, i) => addDays(monday, -7 * (WEEKS - 1 - i)));
  const first = dates[0]!;
  const logistics = w.users.find((u) => u.role === 'logistics') ?? w.users.find((u) => u.role === 'admin');
  const portalUser = new Map(w.users.filter((u) => u.role === 'dealer' && u.account_id).map((u) => [u.account_id!, u.id]));
  const products = new Map(w.products.map((p) => [p.id, p]));
  const accounts = new Map(w.accounts.map((a) => [a.id, a]));
  // The key accounts: those with demo order lines.
  const dealers = new Set(w.lines.map((l) => l.account_id).filter((id) => accounts.has(id)));

  // Each dealer's best sellers over the 26 weeks, and how many a week it sells of them.
  const sold = new Map<string, { value: number; quantity: number }>();
  for (const s of w.salesLines) {
    if (s.date < first || !dealers.has(s.account_id)) continue;
    const g = `${s.account_id}|${s.product_id}`;
    const x = sold.get(g) ?? { value: 0, quantity: 0 };
    sold.set(g, x);
    x.value += Number(s.net_amount_minor);
    x.quantity += s.quantity;
  }
  const tracked = new Map<string, { accountId: string; productId: string; weekly: number }>();
  for (const id of [...dealers].sort()) {
    const top = [...sold].filter(([g, x]) => g.startsWith(`${id}|`) && x.quantity > 0).sort((a, b) => b[1].value - a[1].value || (a[0] < b[0] ? -1 : 1)).slice(0, PRODUCTS_PER_DEALER);
    for (const [g, x] of top) tracked.set(g, { accountId: id, productId: g.split('|')[1]!, weekly: Math.max(1, Math.round(x.quantity / WEEKS)) });
  }

  // The stock-outs: late lines of tracked products with a report between the promise and the delivery.
  const delivered = new Map<string, string>();
  for (const s of w.shipments) if (s.delivered_date && (delivered.get(s.order_line_id) ?? '') < s.delivered_date) delivered.set(s.order_line_id, s.delivered_date);
  const reportIn = (from: string, to: string) => dates.find((d) => d >= from && d < to);
  const late = w.lines.flatMap((l) => {
    const done = delivered.get(l.id);
    const g = `${l.account_id}|${l.product_id}`;
    if (l.status !== 'delivered' || !done || !l.promised_date || !tracked.has(g)) return [];
    const from = reportIn(l.promised_date, done);
    // After the fifth report, so the weeks before give the sell-through the lost sales are counted at.
    return from && from >= dates[4]! ? [{ group: g, accountId: l.account_id, from, until: dates.find((d) => d >= done) ?? null, daysLate: (Date.parse(done) - Date.parse(l.promised_date)) / 86_400_000, id: l.id }] : [];
  }).sort((a, b) => b.daysLate - a.daysLate || (a.id < b.id ? -1 : 1));
  const outs: Out[] = [];
  const dealersOut = new Set<string>();
  let bandEnd = addDays(today, 1);
  for (const band of BANDS) {
    const bandStart = addDays(today, -7 * band.weeksAgo);
    let taken = 0;
    for (const c of late) {
      if (taken >= band.n || dealersOut.has(c.accountId) || c.from < bandStart || c.from >= bandEnd) continue;
      outs.push(c);
      dealersOut.add(c.accountId);
      taken++;
    }
    bandEnd = bandStart;
  }
  // Still out today: the latest line, a week or more overdue, that never came (its product added to the dealer's reports if need be).
  const overdue = w.lines.filter((l) => l.status === 'open' && l.product_id && l.promised_date && l.promised_date <= addDays(today, -7) && reportIn(l.promised_date, addDays(today, 1))
    && !dealersOut.has(l.account_id))
    .sort((a, b) => b.promised_date!.localeCompare(a.promised_date!) || (a.id < b.id ? -1 : 1))[0];
  if (overdue) {
    const g = `${overdue.account_id}|${overdue.product_id}`;
    const x = sold.get(g);
    if (!tracked.has(g)) tracked.set(g, { accountId: overdue.account_id, productId: overdue.product_id!, weekly: Math.max(1, Math.round((x?.quantity ?? WEEKS) / WEEKS)) });
    outs.push({ group: g, from: reportIn(overdue.promised_date!, addDays(today, 1))!, until: null });
  }

  const rows: DealerStockReportsTable[] = [];
  const nowIso = w.now.toISOString();
  for (const [g, t] of [...tracked].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const account = accounts.get(t.accountId)!;
    const product = products.get(t.productId)!;
    const portal = isTaizhouCoast(account) && portalUser.has(account.id);
    const mine = outs.filter((o) => o.group === g);
    const isOut = (d: string) => mine.some((o) => d >= o.from && (o.until === null || d < o.until));
    dates.forEach((d, i) => {
      const out = isOut(d);
      const wasOut = i > 0 && isOut(dates[i - 1]!);
      const runsOut = !out && i + 1 < dates.length && isOut(dates[i + 1]!);
      const r = t.weekly;
      const onHand = out ? 0 : Math.round(r * (runsOut ? 0.3 + 0.2 * rng.next() : wasOut ? 2.4 + 0.4 * rng.next() : 1.6 + 1.6 * rng.next()));
      // A week that ran out sold what was left; a week out sold nothing; the week stock came back sold part of a week.
      const soldSince = i === 0 ? null : Math.round(r * (out ? (wasOut ? 0 : 0.35 + 0.2 * rng.next()) : wasOut ? 0.5 + 0.2 * rng.next() : 0.75 + 0.5 * rng.next()));
      const at = `${d}T01:${String(30 + (rows.length % 25)).padStart(2, '0')}:00.000Z`;
      const created = at < nowIso ? at : nowIso;
      rows.push({
        id: seededUuidV7(rng, Date.parse(created)), account_id: account.id, product_id: product.id, item: null, report_date: d, on_hand: onHand, sold_since_last: soldSince, unit: product.unit,
        source: portal ? 'portal' : 'import', source_key: portal ? `portal:${account.id}:sku:${product.sku}:${d}` : `demo-weekly/${account.code}/${product.sku}/${d}`,
        import_job_id: null, created_by: portal ? portalUser.get(account.id)! : logistics?.id ?? null, created_at: created, updated_at: created, version: 1,
      });
    });
  }
  for (let i = 0; i < rows.length; i += 1000) await trx.insertInto('dealer_stock_reports').values(rows.slice(i, i + 1000)).execute();
  return { reports: rows.length, stockOuts: outs.length };
}
