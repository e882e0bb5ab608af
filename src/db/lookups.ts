/**
 * Lookups by natural key that several modules' imports need (a dealer by its code, a product by its
 * SKU), a slice at a time so IN lists stay within both databases' parameter limits.
 */
import type { Expression, Kysely, SqlBool, Transaction } from 'kysely';
import type { Database } from './schema.js';

type Q = Kysely<Database> | Transaction<Database>;
const CHUNK = 500;

/** Rows of `keys` fetched a slice at a time, by the key `keyOf` reads. */
export async function byKeys<T>(keys: string[], fetch: (slice: string[]) => Promise<T[]>, keyOf: (row: T) => string): Promise<Map<string, T>> {
  const out = new Map<string, T>();
  for (let i = 0; i < keys.length; i += CHUNK) for (const r of await fetch(keys.slice(i, i + CHUNK))) out.set(keyOf(r), r);
  return out;
}

/** Account ids by code, of the accounts the condition lets the caller see. */
export async function accountsByCode(q: Q, codes: string[], visible: (col: string) => Expression<SqlBool>): Promise<Map<string, string>> {
  const rows = await byKeys(codes, (slice) => q.selectFrom('accounts').select(['id', 'code']).where('code', 'in', slice).where(visible('accounts.id')).execute(), (r) => r.code);
  return new Map([...rows].map(([code, r]) => [code, r.id]));
}

/** Product ids by SKU. */
export async function productsBySku(q: Q, skus: string[]): Promise<Map<string, string>> {
  const rows = await byKeys(skus, (slice) => q.selectFrom('products').select(['id', 'sku']).where('sku', 'in', slice).execute(), (r) => r.sku);
  return new Map([...rows].map(([sku, r]) => [sku, r.id]));
}
