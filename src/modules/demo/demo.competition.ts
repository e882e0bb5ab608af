/**
 * The demo world's competitor prices: three competitors (海螺, 华新, 红狮) seen over the last twelve
 * months for the two bagged and one bulk P.O 42.5 cements, across the East China provinces, at
 * dealers of manager1 and in regions only; prices around our net price with each competitor's
 * own level, a slow drift and noise, some quoted per ton for our 50 kg bag. The latest 海螺 price at
 * manager1's largest key account undercuts our pocket price there by about 8 %: one open alert.
 * Deterministic for a given day.
 */
import type { Insertable, Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { priceInOurUnit, undercut, thresholdBp } from '../competition/competition.domain.js';
import type { CompetitorObservationsTable, UndercutAlertsTable } from '../competition/competition.table.js';
import { createRng, seededUuidV7 } from './demo.random.js';

type Account = Pick<Insertable<Database['accounts']>, 'id' | 'tier' | 'status' | 'owner_id' | 'province' | 'city' | 'kind'>;
type User = Pick<Insertable<Database['users']>, 'id' | 'role' | 'email'>;
type Product = Pick<Insertable<Database['products']>, 'id' | 'sku' | 'unit'>;
type Line = Pick<Insertable<Database['sales_lines']>, 'account_id' | 'product_id' | 'quantity' | 'net_amount_minor' | 'date'>;

const competitors = [
  { name: '海螺水泥', level: 0.95, product: '海螺 P.O 42.5' },
  { name: '华新水泥', level: 1.0, product: '华新 堡垒 P.O 42.5' },
  { name: '红狮水泥', level: 0.97, product: '红狮 P.O 42.5' },
] as const;
const regions = ['浙江省', '江苏省', '上海市', '安徽省', '福建省', '江西省'] as const;
const skus = ['CEM-PO425-B50', 'CEM-PO425R-B50', 'CEM-PO425-BLK'] as const;
const DAY = 86_400_000;

export type CompetitionDemoSummary = { observations: number; alerts: number };

export async function seedCompetitionDemo(
  db: Kysely<Database>,
  opts: { now: Date; accounts: readonly Account[]; users: readonly User[]; products: readonly Product[]; salesLines: readonly Line[] },
): Promise<CompetitionDemoSummary> {
  const none = { observations: 0, alerts: 0 };
  if (await db.selectFrom('competitor_observations').select('id').limit(1).executeTakeFirst()) return none;
  const manager = opts.users.find((u) => u.email.startsWith('manager1@'));
  const products = skus.map((s) => opts.products.find((p) => p.sku === s)).filter((p): p is Product => !!p);
  if (!manager || !products.length) return none;
  const rng = createRng(`openkam-competition-demo|${opts.now.toISOString().slice(0, 10)}`);
  const nowMs = opts.now.getTime();
  const yearAgo = new Date(nowMs - 365 * DAY).toISOString().slice(0, 10);

  // Our net price per unit over the last year, per product (all accounts) and per account and product.
  const total = new Map<string, { q: number; net: number }>();
  const byAccount = new Map<string, { q: number; net: number }>();
  for (const l of opts.salesLines) {
    if (l.date < yearAgo || !products.some((p) => p.id === l.product_id) || l.quantity <= 0) continue;
    for (const [m, key] of [[total, l.product_id], [byAccount, `${l.account_id}|${l.product_id}`]] as const) {
      const cur = m.get(key) ?? { q: 0, net: 0 };
      cur.q += Number(l.quantity); cur.net += Number(l.net_amount_minor); m.set(key, cur);
    }
  }
  const unitOf = (x: { q: number; net: number } | undefined) => (x && x.q > 0 ? Math.round(x.net / x.q) : null);
  const dealers = opts.accounts.filter((a) => a.owner_id === manager.id && a.status === 'active' && a.tier && a.province);
  const key = dealers
    .filter((a) => a.tier === 'A')
    .map((a) => ({ a, v: byAccount.get(`${a.id}|${products[0]!.id}`)?.net ?? 0 }))
    .sort((x, y) => y.v - x.v)[0]?.a;

  const rows: CompetitorObservationsTable[] = [];
  const add = (o: { at: number; account: Account | null; province: string; comp: (typeof competitors)[number]; product: Product; ourUnit: number; factor: number; note?: string | null }) => {
    const perTon = o.product.unit === 'bag' && rng.chance(0.25);
    const ourPerTheirs = perTon ? 20 : 1; // a ton is 20 of our 50 kg bags
    const unitPrice = Math.round(o.ourUnit * o.factor);
    const priceMinor = unitPrice * ourPerTheirs;
    const source = o.account ? (rng.chance(0.6) ? 'visit' : rng.chance(0.5) ? 'dealer' : 'invoice') : 'dealer';
    const at = new Date(o.at).toISOString();
    rows.push({
      id: seededUuidV7(rng, o.at), account_id: o.account?.id ?? null, province: o.province, city: o.account?.city ?? null, competitor: o.comp.name,
      competitor_product: o.comp.product, product_id: o.product.id, price_minor: priceMinor, currency: 'CNY', unit: perTon ? 't' : o.product.unit,
      competitor_units: 1, our_units: ourPerTheirs, unit_price_minor: priceInOurUnit(priceMinor, { competitorUnits: 1, ourUnits: ourPerTheirs }),
      observed_at: at, source, visit_id: null, attachment_id: null, note: o.note ?? null, created_by: manager.id, created_at: at, updated_at: at, version: 1,
    });
  };

  for (let month = 11; month >= 0; month--) {
    for (const product of products) {
      const ourUnit = unitOf(total.get(product.id));
      if (!ourUnit) continue;
      for (const comp of competitors) {
        // Prices drift down over the year (the market softened), about 3 % in all.
        const drift = 1 + 0.03 * (month / 11);
        for (const province of regions) {
          if (!rng.chance(province === '浙江省' ? 0.9 : 0.45)) continue;
          const factor = comp.level * drift * (1 + (rng.next() - 0.5) * 0.04) * (province === '浙江省' ? 1 : 0.98 + rng.next() * 0.04);
          const at = nowMs - month * 30 * DAY - Math.floor(rng.next() * 25) * DAY - 3 * 3600_000;
          const account = province === '浙江省' && dealers.length && rng.chance(0.5) ? dealers[Math.floor(rng.next() * dealers.length)]! : null;
          const unit = account ? unitOf(byAccount.get(`${account.id}|${product.id}`)) ?? ourUnit : ourUnit;
          add({ at, account, province, comp, product, ourUnit: unit, factor });
        }
      }
    }
  }

  // The alert: yesterday, at the key account, 海螺 about 8 % under our pocket price there.
  const alerts: UndercutAlertsTable[] = [];
  if (key && key.province) {
    const product = products[0]!;
    const pocket = unitOf(byAccount.get(`${key.id}|${product.id}`)) ?? unitOf(total.get(product.id));
    if (pocket) {
      const at = nowMs - DAY;
      add({ at, account: key, province: key.province, comp: competitors[0], product, ourUnit: pocket, factor: 0.92, note: '经销商出示了海螺的报价单，月底前要答复。' });
      const obs = rows[rows.length - 1]!;
      const u = undercut(Number(obs.unit_price_minor), pocket, thresholdBp(5));
      if (u.alert) {
        alerts.push({
          id: seededUuidV7(rng, at), observation_id: obs.id, account_id: key.id, product_id: product.id, competitor: obs.competitor,
          competitor_unit_minor: Number(obs.unit_price_minor), pocket_unit_minor: pocket, currency: 'CNY', share_bp: u.shareBp, threshold_bp: thresholdBp(5),
          status: 'open', raised_at: obs.observed_at, acknowledged_at: null, acknowledged_by: null, version: 1,
        });
      }
    }
  }
  rows.sort((a, b) => a.observed_at.localeCompare(b.observed_at));
  for (let i = 0; i < rows.length; i += 200) await db.insertInto('competitor_observations').values(rows.slice(i, i + 200)).execute();
  if (alerts.length) await db.insertInto('undercut_alerts').values(alerts).execute();
  return { observations: rows.length, alerts: alerts.length };
}
