/**
 * The demo world's price lists: the national list (all-units breaks on every product), East China's
 * territory list (cement a little cheaper), a key-account list for the customer group
 * "key-accounts" (graduated breaks on cement and mortar; tier-A accounts are put in the group), the
 * biggest key account's own list (graduated, this half-year, priority 10), and last summer's
 * national promotion, over. Prices follow the catalogue's. Deterministic for a given day.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { PriceBreak } from '../pricing/pricing.domain.js';
import type { PriceListItemsTable, PriceListsTable } from '../pricing/pricing.table.js';
import { COMPANY_TIME_ZONE } from '../services/entitlements.service.js';
import { addDays, localDateOf } from '../../shared/time.js';
import { demoProducts } from './demo.catalog.js';
import { createRng, seededUuidV7 } from './demo.random.js';

export const KEY_ACCOUNT_GROUP = 'key-accounts';
export type PricingDemoSummary = { lists: number; items: number; groupAccounts: number };

/** Round to whole jiao (10 fen) below 100 yuan, whole yuan above: how list prices are written. */
const tidy = (minor: number) => (minor < 10_000 ? Math.round(minor / 10) * 10 : Math.round(minor / 100) * 100);
const off = (minor: number, pct: number) => tidy(minor * (1 - pct / 100));

/** Quantity breaks by unit: bags by the hundred, tonnes by the truckload. */
function nationalBreaks(unit: string, price: number): PriceBreak[] {
  if (unit === 't') return [{ from: 0, unitPriceMinor: price }, { from: 30, unitPriceMinor: off(price, 2) }, { from: 100, unitPriceMinor: off(price, 4) }];
  if (unit === 'bag') return [{ from: 0, unitPriceMinor: price }, { from: 200, unitPriceMinor: off(price, 3) }, { from: 1000, unitPriceMinor: off(price, 6) }];
  return [{ from: 0, unitPriceMinor: price }, { from: 50, unitPriceMinor: off(price, 3) }];
}

export async function seedPricingDemo(
  db: Kysely<Database>,
  opts: { now: Date; accounts: readonly { id: string; tier: string | null; territory_id: string | null; code: string }[]; products: readonly { id: string; sku: string }[]; territories: readonly { id: string; code: string }[] },
): Promise<PricingDemoSummary> {
  if (await db.selectFrom('price_lists').select('id').limit(1).executeTakeFirst()) return { lists: 0, items: 0, groupAccounts: 0 };
  const rng = createRng(`openkam-pricing-demo|${opts.now.toISOString().slice(0, 10)}`);
  const nowMs = opts.now.getTime();
  const today = localDateOf(opts.now, COMPANY_TIME_ZONE);
  const year = today.slice(0, 4);
  const created = new Date(nowMs - 60 * 86_400_000).toISOString();
  const idAt = () => seededUuidV7(rng, nowMs - 60 * 86_400_000);
  const catalogue = new Map(demoProducts.map((p) => [p.sku, p]));
  const products = opts.products.map((p) => ({ ...p, c: catalogue.get(p.sku) })).filter((p) => p.c);
  const east = opts.territories.find((t) => t.code === 'EAST');
  const tierA = opts.accounts.filter((a) => a.tier === 'A');
  // The biggest key account: the first tier-A account by code (stable for a given world).
  const keyAccount = [...tierA].sort((a, b) => a.code.localeCompare(b.code))[0];

  const lists: PriceListsTable[] = [];
  const items: PriceListItemsTable[] = [];
  const list = (l: Omit<PriceListsTable, 'id' | 'created_at' | 'updated_at' | 'version' | 'currency' | 'note'> & { note?: string }, priced: [string, PriceBreak[]][]) => {
    const id = idAt();
    lists.push({ id, currency: 'CNY', note: l.note ?? null, created_at: created, updated_at: created, version: 1, ...l });
    for (const [productId, breaks] of priced) {
      items.push({ id: idAt(), price_list_id: id, product_id: productId, breaks_json: JSON.stringify(breaks), base_unit_price_minor: breaks[0]!.unitPriceMinor, min_quantity: breaks[0]!.from, created_at: created, updated_at: created });
    }
  };

  list({ code: `CN-${year}`, name: `全国统一价目表 ${year}`, scope_kind: 'all', scope_value: null, priority: 0, valid_from: `${year}-01-01`, valid_to: null, break_mode: 'all-units', note: 'National list: ex-works, all-units quantity breaks' },
    products.map((p) => [p.id, nationalBreaks(p.c!.unit, p.c!.priceMinor)]));
  if (east) {
    list({ code: `EAST-${year}`, name: `华东区域价 ${year}`, scope_kind: 'territory', scope_value: east.id, priority: 0, valid_from: addDays(today, -90), valid_to: null, break_mode: 'all-units', note: 'East China: cement 2% under the national list (freight from the Taizhou plant)' },
      products.filter((p) => p.c!.category === 'cement').map((p) => [p.id, nationalBreaks(p.c!.unit, off(p.c!.priceMinor, 2))]));
  }
  const graduated = (price: number, unit: string): PriceBreak[] => unit === 't'
    ? [{ from: 0, unitPriceMinor: off(price, 3) }, { from: 200, unitPriceMinor: off(price, 5) }, { from: 1000, unitPriceMinor: off(price, 8) }]
    : [{ from: 0, unitPriceMinor: off(price, 3) }, { from: 500, unitPriceMinor: off(price, 5) }, { from: 2000, unitPriceMinor: off(price, 8) }];
  list({ code: 'KA-GRAD', name: '重点客户阶梯价', scope_kind: 'group', scope_value: KEY_ACCOUNT_GROUP, priority: 0, valid_from: addDays(today, -60), valid_to: null, break_mode: 'graduated', note: 'Key accounts: graduated bands on cement and mortar' },
    products.filter((p) => p.c!.category === 'cement' || p.c!.category === 'mortar').map((p) => [p.id, graduated(p.c!.priceMinor, p.c!.unit)]));
  if (keyAccount) {
    list({ code: `KA-${keyAccount.code}`, name: `${keyAccount.code} 年度协议价`, scope_kind: 'account', scope_value: keyAccount.id, priority: 10, valid_from: addDays(today, -30), valid_to: addDays(today, 150), break_mode: 'graduated', note: 'Annual agreement of the biggest key account' },
      products.filter((p) => p.c!.category === 'cement').map((p) => [p.id, graduated(off(p.c!.priceMinor, 2), p.c!.unit)]));
  }
  list({ code: `PROMO-${Number(year) - 1}-SUMMER`, name: `${Number(year) - 1} 夏季促销`, scope_kind: 'all', scope_value: null, priority: 5, valid_from: `${Number(year) - 1}-06-01`, valid_to: `${Number(year) - 1}-09-01`, break_mode: 'all-units', note: 'Over: kept for the history' },
    products.filter((p) => p.c!.category === 'waterproofing').map((p) => [p.id, [{ from: 0, unitPriceMinor: off(p.c!.priceMinor, 8) }]]));

  await db.insertInto('price_lists').values(lists).execute();
  for (let i = 0; i < items.length; i += 200) await db.insertInto('price_list_items').values(items.slice(i, i + 200)).execute();
  if (tierA.length) await db.updateTable('accounts').set({ price_group: KEY_ACCOUNT_GROUP }).where('id', 'in', tierA.map((a) => a.id)).execute();
  return { lists: lists.length, items: items.length, groupAccounts: tierA.length };
}
