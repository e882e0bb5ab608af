import type { Kysely, Transaction } from 'kysely';
import { keyset, pageOf } from '../../db/keyset.js';
import type { Database } from '../../db/schema.js';
import type { Product } from './products.contract.js';

type Q = Kysely<Database> | Transaction<Database>;
type Row = Database['products'];

export const toProduct = (r: Row): Product => ({
  id: r.id, sku: r.sku, nameEn: r.name_en, nameZh: r.name_zh, unit: r.unit, packSize: r.pack_size, category: r.category, version: r.version,
});

export async function listProducts(db: Q, f: { q?: string; category?: string; cursor?: string; limit: number }) {
  let q = db.selectFrom('products').selectAll();
  if (f.q) {
    const pat = `%${f.q.toLowerCase()}%`;
    q = q.where((eb) => eb.or([eb(eb.fn('lower', ['sku']), 'like', pat), eb(eb.fn('lower', ['name_en']), 'like', pat), eb('name_zh', 'like', pat)]));
  }
  if (f.category) q = q.where('category', '=', f.category);
  const rows = await keyset(q, { column: 'products.sku', direction: 'asc' }, 'products.id', f.cursor, f.limit).execute();
  return pageOf(rows, f.limit, (r) => r.sku, (r) => r.id, toProduct);
}

export const findProduct = (db: Q, id: string) => db.selectFrom('products').selectAll().where('id', '=', id).executeTakeFirst();
export const insertProduct = async (db: Q, row: Row) => { await db.insertInto('products').values(row).execute(); };
export async function updateProduct(db: Q, id: string, version: number, patch: Partial<Row>): Promise<boolean> {
  const r = await db.updateTable('products').set({ ...patch, version: version + 1 }).where('id', '=', id).where('version', '=', version).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
