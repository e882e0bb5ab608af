/** All SQL of price lists: the lists, their items (one row of breaks per list and product), the candidates of a lookup. */
import { type Expression, type Kysely, sql, type SqlBool, type Transaction } from 'kysely';
import { keyset, pageOf, type Sort } from '../../db/keyset.js';
import type { Database } from '../../db/schema.js';
import type { PriceList, PriceListItem } from './pricing.contract.js';
import type { AccountScope, BreakMode, PriceBreak, ScopeKind } from './pricing.domain.js';
import type { PriceListItemsTable, PriceListsTable } from './pricing.table.js';

export type Q = Kysely<Database> | Transaction<Database>;

export const LIST_SORTS = { name: 'price_lists.name', code: 'price_lists.code', priority: 'price_lists.priority', validFrom: 'price_lists.valid_from', updatedAt: 'price_lists.updated_at' };

export type ListRow = PriceListsTable & { item_count: number; scope_label: string | null; scope_label_en: string | null };

export const toList = (r: ListRow): PriceList => ({
  id: r.id, code: r.code, name: r.name, scopeKind: r.scope_kind as ScopeKind, scopeValue: r.scope_value, scopeLabel: r.scope_label ?? r.scope_value, scopeLabelEn: r.scope_label_en,
  currency: r.currency, priority: Number(r.priority), validFrom: r.valid_from, validTo: r.valid_to, breakMode: r.break_mode as BreakMode, note: r.note,
  itemCount: Number(r.item_count), createdAt: r.created_at, updatedAt: r.updated_at, version: Number(r.version),
});

/**
 * Lists with their item count and the name of what they are scoped to. `visible`: the condition on
 * an account id the reader may see; a list for one account the reader cannot see is left out.
 */
function lists(db: Q, visible: Expression<SqlBool>) {
  return db.selectFrom('price_lists')
    .leftJoin('accounts as sa', (j) => j.onRef('sa.id', '=', 'price_lists.scope_value').on('price_lists.scope_kind', '=', 'account'))
    .leftJoin('territories as st', (j) => j.onRef('st.id', '=', 'price_lists.scope_value').on('price_lists.scope_kind', '=', 'territory'))
    .selectAll('price_lists')
    .select([
      sql<number>`(select count(*) from price_list_items pli where pli.price_list_id = price_lists.id)`.as('item_count'),
      sql<string | null>`coalesce(sa.name, st.name_zh)`.as('scope_label'),
      sql<string | null>`coalesce(sa.name_en, st.name)`.as('scope_label_en'),
    ])
    .where((eb) => eb.or([eb('price_lists.scope_kind', '<>', 'account'), visible]));
}

export async function listLists(db: Q, visible: Expression<SqlBool>, f: { q?: string | undefined; scopeKind?: string | undefined; activeOn?: string | undefined }, sort: Sort, cursor: string | undefined, limit: number) {
  let q = lists(db, visible);
  if (f.q) {
    const pat = `%${f.q.toLowerCase()}%`;
    q = q.where((eb) => eb.or([eb(eb.fn('lower', ['price_lists.name']), 'like', pat), eb(eb.fn('lower', ['price_lists.code']), 'like', pat)]));
  }
  if (f.scopeKind) q = q.where('price_lists.scope_kind', '=', f.scopeKind);
  if (f.activeOn) {
    const d = f.activeOn;
    q = q.where('price_lists.valid_from', '<=', d).where((eb) => eb.or([eb('price_lists.valid_to', 'is', null), eb('price_lists.valid_to', '>', d)]));
  }
  const rows = (await keyset(q, sort, 'price_lists.id', cursor, limit).execute()) as ListRow[];
  const key = sort.column.replace('price_lists.', '') as keyof ListRow;
  return pageOf(rows, limit, (r) => r[key], (r) => r.id, toList);
}

export const findList = async (db: Q, id: string, visible: Expression<SqlBool>): Promise<ListRow | undefined> =>
  (await lists(db, visible).where('price_lists.id', '=', id).executeTakeFirst()) as ListRow | undefined;

export const findListByCode = (db: Q, code: string) => db.selectFrom('price_lists').select('id').where('code', '=', code).executeTakeFirst();

export const insertList = async (db: Q, row: PriceListsTable) => { await db.insertInto('price_lists').values(row).execute(); };

export async function updateList(db: Q, id: string, version: number, patch: Partial<PriceListsTable>): Promise<boolean> {
  const r = await db.updateTable('price_lists').set({ ...patch, version: version + 1 }).where('id', '=', id).where('version', '=', version).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function deleteList(db: Q, id: string, version: number): Promise<boolean> {
  await db.deleteFrom('price_list_items').where('price_list_id', '=', id).execute();
  const r = await db.deleteFrom('price_lists').where('id', '=', id).where('version', '=', version).executeTakeFirst();
  return Number(r.numDeletedRows) === 1;
}

/** Marks a list changed (its items changed): a newer version, so an edit of the list read before is refused. */
export const touchList = async (db: Q, id: string, now: string) => {
  await db.updateTable('price_lists').set((eb) => ({ version: eb('version', '+', 1), updated_at: now })).where('id', '=', id).execute();
};

// ---------- items ----------

type ItemRow = PriceListItemsTable & { sku: string; name_zh: string; name_en: string; unit: string };

export const toItem = (r: ItemRow): PriceListItem => ({
  productId: r.product_id, sku: r.sku, productName: r.name_zh, productNameEn: r.name_en, unit: r.unit, breaks: JSON.parse(r.breaks_json) as PriceBreak[],
  baseUnitPriceMinor: Number(r.base_unit_price_minor), minQuantity: Number(r.min_quantity), updatedAt: r.updated_at,
});

function items(db: Q) {
  return db.selectFrom('price_list_items').innerJoin('products', 'products.id', 'price_list_items.product_id')
    .selectAll('price_list_items').select(['products.sku', 'products.name_zh', 'products.name_en', 'products.unit']);
}

export async function listItems(db: Q, listId: string, f: { q?: string | undefined; cursor?: string | undefined; limit: number }) {
  let q = items(db).where('price_list_items.price_list_id', '=', listId);
  if (f.q) {
    const pat = `%${f.q.toLowerCase()}%`;
    q = q.where((eb) => eb.or([eb(eb.fn('lower', ['products.sku']), 'like', pat), eb(eb.fn('lower', ['products.name_en']), 'like', pat), eb('products.name_zh', 'like', `%${f.q}%`)]));
  }
  const rows = await keyset(q, { column: 'products.sku', direction: 'asc' }, 'price_list_items.id', f.cursor, f.limit).execute();
  return pageOf(rows, f.limit, (r) => r.sku, (r) => r.id, toItem);
}

export const findItem = (db: Q, listId: string, productId: string) =>
  items(db).where('price_list_items.price_list_id', '=', listId).where('price_list_items.product_id', '=', productId).executeTakeFirst();

/** Every item of a list, by product id: what an import compares the file with. */
export async function itemsByProduct(db: Q, listId: string): Promise<Map<string, { id: string; breaks_json: string; sku: string }>> {
  const rows = await items(db).where('price_list_items.price_list_id', '=', listId).execute();
  return new Map(rows.map((r) => [r.product_id, { id: r.id, breaks_json: r.breaks_json, sku: r.sku }]));
}

export const insertItems = async (db: Q, rows: PriceListItemsTable[]) => {
  for (let i = 0; i < rows.length; i += 500) await db.insertInto('price_list_items').values(rows.slice(i, i + 500)).execute();
};
export const updateItem = async (db: Q, id: string, patch: Pick<PriceListItemsTable, 'breaks_json' | 'base_unit_price_minor' | 'min_quantity' | 'updated_at'>) => {
  await db.updateTable('price_list_items').set(patch).where('id', '=', id).execute();
};
export const deleteItems = async (db: Q, ids: string[]) => {
  for (let i = 0; i < ids.length; i += 500) await db.deleteFrom('price_list_items').where('id', 'in', ids.slice(i, i + 500)).execute();
};

export const productsBySku = async (db: Q, skus: string[]): Promise<Map<string, string>> => {
  const out = new Map<string, string>();
  for (let i = 0; i < skus.length; i += 500) {
    for (const r of await db.selectFrom('products').select(['id', 'sku']).where('sku', 'in', skus.slice(i, i + 500)).execute()) out.set(r.sku, r.id);
  }
  return out;
};
export const findProduct = (db: Q, id: string) => db.selectFrom('products').select(['id', 'sku', 'name_en']).where('id', '=', id).executeTakeFirst();

// ---------- lookups ----------

/** What the winning-list rule needs of an account, if the reader may see it. */
export async function accountScope(db: Q, accountId: string, visible: Expression<SqlBool>): Promise<(AccountScope & { currency: string; version: number }) | undefined> {
  const r = await db.selectFrom('accounts').select(['id', 'price_group', 'territory_id', 'currency', 'version']).where('id', '=', accountId).where(visible).executeTakeFirst();
  return r && { id: r.id, priceGroup: r.price_group, territoryId: r.territory_id, currency: r.currency, version: Number(r.version) };
}

/** The SQL condition: the list (alias `l`) is in force on the date and its scope covers the account. */
function inForceFor(a: AccountScope, date: string): Expression<SqlBool> {
  const group = a.priceGroup === null ? sql<SqlBool>`1 = 0` : sql<SqlBool>`(l.scope_kind = 'group' and l.scope_value = ${a.priceGroup})`;
  const territory = a.territoryId === null ? sql<SqlBool>`1 = 0` : sql<SqlBool>`(l.scope_kind = 'territory' and l.scope_value = ${a.territoryId})`;
  return sql<SqlBool>`l.valid_from <= ${date} and (l.valid_to is null or l.valid_to > ${date})
    and (l.scope_kind = 'all' or (l.scope_kind = 'account' and l.scope_value = ${a.id}) or ${group} or ${territory})`;
}

export type CandidateRow = {
  id: string; code: string; name: string; scope_kind: string; scope_value: string | null; currency: string; priority: number; valid_from: string; valid_to: string | null;
  break_mode: string; breaks_json: string; base_unit_price_minor: number;
};

/** The lists in force on the date that cover the account and hold the product, with the product's breaks. */
export const candidates = (db: Q, productId: string, a: AccountScope, date: string): Promise<CandidateRow[]> =>
  db.selectFrom('price_list_items as i').innerJoin('price_lists as l', 'l.id', 'i.price_list_id')
    .select(['l.id', 'l.code', 'l.name', 'l.scope_kind', 'l.scope_value', 'l.currency', 'l.priority', 'l.valid_from', 'l.valid_to', 'l.break_mode', 'i.breaks_json', 'i.base_unit_price_minor'])
    .where('i.product_id', '=', productId).where(inForceFor(a, date)).execute();

/** The lists in force on the date that cover the account, whatever they hold. */
export const listsCovering = async (db: Q, a: AccountScope, date: string): Promise<ListRow[]> =>
  (await lists(db, sql<SqlBool>`1 = 1`).where(sql<SqlBool>`price_lists.id in (select l.id from price_lists l where ${inForceFor(a, date)})`).execute()) as ListRow[];

/** Every account's scope (for how many accounts a list prices): id, price group, territory. */
export const allAccountScopes = async (db: Q): Promise<AccountScope[]> =>
  (await db.selectFrom('accounts').select(['id', 'price_group', 'territory_id']).execute()).map((r) => ({ id: r.id, priceGroup: r.price_group, territoryId: r.territory_id }));

/** The lists in force on the date holding the product, whoever they cover. */
export const listsHolding = (db: Q, productId: string, date: string) =>
  db.selectFrom('price_list_items as i').innerJoin('price_lists as l', 'l.id', 'i.price_list_id')
    .select(['l.id', 'l.name', 'l.scope_kind', 'l.scope_value', 'l.priority', 'l.valid_from', 'l.valid_to'])
    .where('i.product_id', '=', productId).where('l.valid_from', '<=', date).where((eb) => eb.or([eb('l.valid_to', 'is', null), eb('l.valid_to', '>', date)])).execute();

/** Quantity of a product invoiced to the accounts over [from, to). */
export async function quantitySold(db: Q, productId: string, accountIds: string[], from: string, to: string): Promise<number> {
  let total = 0;
  for (let i = 0; i < accountIds.length; i += 500) {
    const r = await db.selectFrom('sales_lines').select((eb) => eb.fn.sum<number>('quantity').as('q'))
      .where('product_id', '=', productId).where('account_id', 'in', accountIds.slice(i, i + 500)).where('date', '>=', from).where('date', '<', to).executeTakeFirst();
    total += Number(r?.q ?? 0);
  }
  return total;
}

export const priceGroups = async (db: Q) =>
  (await db.selectFrom('accounts').select((eb) => ['price_group', eb.fn.countAll<number>().as('n')]).where('price_group', 'is not', null).groupBy('price_group').orderBy('price_group').execute())
    .map((r) => ({ group: r.price_group!, accounts: Number(r.n) }));

export const setPriceGroup = async (db: Q, accountId: string, group: string | null, now: string) => {
  await db.updateTable('accounts').set((eb) => ({ price_group: group, version: eb('version', '+', 1), updated_at: now })).where('id', '=', accountId).execute();
};

export const territoryExists = async (db: Q, id: string) => !!(await db.selectFrom('territories').select('id').where('id', '=', id).executeTakeFirst());
