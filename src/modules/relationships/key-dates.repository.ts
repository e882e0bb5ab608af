/** All SQL of key dates. */
import type { Expression, SqlBool } from 'kysely';
import type { KeyDatesTable } from './relationships.table.js';
import type { Q } from './stakeholders.repository.js';

export async function insertKeyDate(k: Q, row: KeyDatesTable): Promise<void> {
  await k.insertInto('key_dates').values(row).execute();
}

/** Key dates of the accounts in scope (`scope` on kd.account_id), optionally of one account. */
export const listKeyDates = (k: Q, scope: Expression<SqlBool>, accountId?: string): Promise<KeyDatesTable[]> => {
  let q = k.selectFrom('key_dates as kd').selectAll('kd').where(scope);
  if (accountId) q = q.where('kd.account_id', '=', accountId);
  return q.orderBy('kd.month').orderBy('kd.day').orderBy('kd.id').execute();
};

export const findKeyDate = (k: Q, scope: Expression<SqlBool>, id: string): Promise<KeyDatesTable | undefined> =>
  k.selectFrom('key_dates as kd').selectAll('kd').where('kd.id', '=', id).where(scope).executeTakeFirst();

export async function deleteKeyDate(k: Q, id: string): Promise<void> {
  await k.deleteFrom('key_dates').where('id', '=', id).execute();
}
