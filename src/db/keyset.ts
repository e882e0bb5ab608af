import { sql, type SelectQueryBuilder } from 'kysely';
import { badRequest } from '../server/errors.js';

export type Sort = { column: string; direction: 'asc' | 'desc' };

/**
 * Parses `name` / `-name` against the allowed sort keys (API name → column). Every list's sort goes
 * through here, so this is the one place that must read the allow-list's own keys only: `constructor`,
 * `__proto__` or `toString` would otherwise be found on Object.prototype and reach the query builder.
 */
export function parseSort(sort: string | undefined, allowed: Record<string, string>, fallback: string): Sort {
  const key = sort ?? fallback;
  const desc = key.startsWith('-');
  const name = desc ? key.slice(1) : key;
  const column = Object.hasOwn(allowed, name) ? allowed[name] : undefined;
  if (typeof column !== 'string' || !column) throw badRequest(`Unknown sort "${key}"`, [{ path: 'querystring.sort', message: `one of ${Object.keys(allowed).flatMap((k) => [k, `-${k}`]).join(', ')}` }]);
  return { column, direction: desc ? 'desc' : 'asc' };
}

const encode = (value: unknown, id: string): string => Buffer.from(JSON.stringify([value, id])).toString('base64url');

function decode(cursor: string): [string | number | null, string] {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(v) && v.length === 2 && typeof v[1] === 'string' && ['string', 'number'].includes(typeof v[0])) return v as [string | number, string];
  } catch { /* fall through */ }
  throw badRequest('The cursor is not valid; start again from the first page', [{ path: 'querystring.cursor', message: 'invalid cursor' }]);
}

/**
 * Keyset paging on (sort column, id): stable under concurrent inserts, no OFFSET scans.
 * Fetches one row more than `limit` so `pageOf` can tell whether there is a next page.
 * The sort column must be NOT NULL.
 */
export function keyset<QB extends SelectQueryBuilder<any, any, any>>(qb: QB, sort: Sort, idColumn: string, cursor: string | undefined, limit: number): QB {
  // A sort "column" may be an expression from a server-side allow-list, e.g. coalesce(a.x, a.y).
  const col = sort.column.includes('(') ? sql.raw(sort.column) : sql.ref(sort.column);
  const id = sql.ref(idColumn);
  let q = qb as SelectQueryBuilder<any, any, any>;
  if (cursor) {
    const [v, lastId] = decode(cursor);
    // The leading range (>= / <=) lets the database start the index scan at the cursor; the OR alone
    // would make it read from the first row again on every page.
    q = sort.direction === 'asc'
      ? q.where(sql<boolean>`(${col} >= ${v} and (${col} > ${v} or ${id} > ${lastId}))`)
      : q.where(sql<boolean>`(${col} <= ${v} and (${col} < ${v} or ${id} < ${lastId}))`);
  }
  return q.orderBy(col, sort.direction).orderBy(id, sort.direction).limit(limit + 1) as QB;
}

/** Cuts the extra row and builds the next cursor from the last row's sort value and id. */
export function pageOf<R, T>(rows: R[], limit: number, sortValue: (r: R) => unknown, idOf: (r: R) => string, map: (r: R) => T): { items: T[]; nextCursor: string | null } {
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { items: page.map(map), nextCursor: rows.length > limit && last ? encode(sortValue(last), idOf(last)) : null };
}

/**
 * The same cursor for a list that is ranked in memory rather than by SQL (the 80/20 ranking): the
 * last row's sort value and id, and back; a cursor that does not decode is a 400.
 */
export const encodeCursor = encode;
export const decodeCursor = decode;
