/** All SQL of the stakeholder map: people (contacts with their stakeholder half), reporting lines, ties. */
import type { Expression, Kysely, SqlBool, Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { StakeholdersTable, StakeholderTiesTable } from './relationships.table.js';

export type Q = Kysely<Database> | Transaction<Database>;

/** A contact with its stakeholder half (null columns when the person is not yet mapped) and the owner's name. */
export type PersonRow = {
  contact_id: string; account_id: string; name: string; name_en: string | null; title: string | null; decision_role: string; influence: number;
  buying_role: string | null; stance: string | null; reports_to_contact_id: string | null; owner_user_id: string | null; owner_name: string | null;
  strength: number | null; last_contact_on: string | null; version: number | null;
};

const personBase = (k: Q) => k.selectFrom('contacts as c')
  .leftJoin('stakeholders as s', 's.contact_id', 'c.id')
  .leftJoin('users as u', 'u.id', 's.owner_user_id')
  .select([
    'c.id as contact_id', 'c.account_id', 'c.name', 'c.name_en', 'c.title', 'c.decision_role', 'c.influence',
    's.buying_role', 's.stance', 's.reports_to_contact_id', 's.owner_user_id', 'u.name as owner_name', 's.strength', 's.last_contact_on', 's.version',
  ]);

/** The people of one account, by name. The caller has checked the account is visible. */
export const listPeople = (k: Q, accountId: string) =>
  personBase(k).where('c.account_id', '=', accountId).orderBy('c.name').orderBy('c.id').execute() as Promise<PersonRow[]>;

/** One person, if their account is in scope. */
export const findPerson = (k: Q, scope: Expression<SqlBool>, contactId: string) =>
  personBase(k).where('c.id', '=', contactId).where(scope).executeTakeFirst() as Promise<PersonRow | undefined>;

export async function insertStakeholder(k: Q, row: StakeholdersTable): Promise<void> {
  await k.insertInto('stakeholders').values(row).execute();
}

/** Updates the stakeholder half at the version read; false when someone changed it since. */
export async function updateStakeholder(k: Q, contactId: string, version: number, set: Partial<StakeholdersTable>): Promise<boolean> {
  const r = await k.updateTable('stakeholders').set({ ...set, version: version + 1 }).where('contact_id', '=', contactId).where('version', '=', version).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Who reports to whom among an account's mapped people. */
export async function reportingLines(k: Q, accountId: string): Promise<Map<string, string | null>> {
  const rows = await k.selectFrom('stakeholders').select(['contact_id', 'reports_to_contact_id']).where('account_id', '=', accountId).execute();
  return new Map(rows.map((r) => [r.contact_id, r.reports_to_contact_id]));
}

export type TieRow = StakeholderTiesTable & { from_name: string; to_name: string };

const tieBase = (k: Q) => k.selectFrom('stakeholder_ties as t')
  .innerJoin('contacts as fc', 'fc.id', 't.from_contact_id').innerJoin('contacts as tc', 'tc.id', 't.to_contact_id')
  .selectAll('t').select(['fc.name as from_name', 'tc.name as to_name']);

/**
 * The ties with one end at the account whose other end the caller may also see (`bothEnds`
 * checks both accounts); a tie to a dealer the caller does not see stays hidden.
 */
export const listTies = (k: Q, accountId: string, bothEnds: Expression<SqlBool>) =>
  tieBase(k).where((eb) => eb.or([eb('t.from_account_id', '=', accountId), eb('t.to_account_id', '=', accountId)])).where(bothEnds)
    .orderBy('t.created_at').orderBy('t.id').execute() as Promise<TieRow[]>;

export const findTie = (k: Q, bothEnds: Expression<SqlBool>, id: string) =>
  tieBase(k).where('t.id', '=', id).where(bothEnds).executeTakeFirst() as Promise<TieRow | undefined>;

/** A tie of the same kind between the same two people, either way round. */
export const findSameTie = (k: Q, a: string, b: string, kind: string) =>
  k.selectFrom('stakeholder_ties').select('id').where('kind', '=', kind)
    .where((eb) => eb.or([eb.and([eb('from_contact_id', '=', a), eb('to_contact_id', '=', b)]), eb.and([eb('from_contact_id', '=', b), eb('to_contact_id', '=', a)])]))
    .executeTakeFirst();

export async function insertTie(k: Q, row: StakeholderTiesTable): Promise<void> {
  await k.insertInto('stakeholder_ties').values(row).execute();
}

export async function deleteTie(k: Q, id: string): Promise<void> {
  await k.deleteFrom('stakeholder_ties').where('id', '=', id).execute();
}

/** A staff user who can own a relationship (not a dealer, active). */
export const findOwner = (k: Q, userId: string) =>
  k.selectFrom('users').select(['id', 'name', 'role', 'active']).where('id', '=', userId).executeTakeFirst();
