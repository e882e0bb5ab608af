import type { Db } from '../src/db/database.js';
import { newId } from '../src/shared/ids.js';

const NOW = '2026-11-01T00:00:00.000Z';

/**
 * Bagged products (VMI-B, VMI-C, … by the letters given) and twelve weeks of their sales to an
 * account, `weekly` units each a week, booked on the Wednesdays up to 2026-11-25 (the day before
 * the test clock). Returns the products' ids in the order given.
 */
export async function seedWeeklySales(db: Db, accountId: string, products: readonly { letter: string; packSize: number; weekly: number }[]): Promise<string[]> {
  const ids = products.map(() => newId());
  await db.kysely.insertInto('products').values(products.map((p, i) => ({
    id: ids[i]!, sku: `VMI-${p.letter}`, name_en: `Bagged ${p.letter}`, name_zh: `袋装${p.letter}`, unit: 'bag', pack_size: p.packSize, category: 'cement', created_at: NOW, updated_at: NOW, version: 1,
  }))).execute();
  const rows = [];
  for (let w = 1; w <= 12; w++) {
    const date = new Date(Date.parse('2026-11-25T00:00:00Z') - (w - 1) * 7 * 86_400_000).toISOString().slice(0, 10);
    for (const [i, p] of products.entries()) {
      rows.push({ doc_no: `INV-${w}`, line_no: i + 1, date, account_id: accountId, product_id: ids[i]!, quantity: p.weekly, net_amount_minor: p.weekly * 3000, cost_amount_minor: p.weekly * 2000, currency: 'CNY', created_at: NOW, updated_at: NOW });
    }
  }
  await db.kysely.insertInto('sales_lines').values(rows).execute();
  return ids;
}
