/** All SQL of lanes, rate tables and mode rules. Scoping conditions come from the caller (the policy layer). */
import type { Expression, Kysely, SqlBool, Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { LaneRatesTable, LanesTable, ModeRulesTable } from './lanes.table.js';

type Q = Kysely<Database> | Transaction<Database>;
export type LaneRow = LanesTable & { account_code: string; account_name: string; account_name_en: string | null };

const lanes = (q: Q, visible: Expression<SqlBool>) => q.selectFrom('lanes as l').innerJoin('accounts as a', 'a.id', 'l.account_id')
  .selectAll('l').select(['a.code as account_code', 'a.name as account_name', 'a.name_en as account_name_en']).where(visible);

/** Lanes of the visible accounts (optionally one), by code. */
export function listLanes(q: Q, visible: Expression<SqlBool>, accountId?: string): Promise<LaneRow[]> {
  let s = lanes(q, visible);
  if (accountId) s = s.where('l.account_id', '=', accountId);
  return s.orderBy('l.code').execute();
}

export const laneByCode = (q: Q, visible: Expression<SqlBool>, code: string): Promise<LaneRow | undefined> => lanes(q, visible).where('l.code', '=', code).executeTakeFirst();
export const laneCodeTaken = async (q: Q, code: string) => !!(await q.selectFrom('lanes').select('id').where('code', '=', code).executeTakeFirst());
export const insertLane = (q: Q, row: LanesTable) => q.insertInto('lanes').values(row).execute();
/** Updates when the version still matches; the number of rows changed (0: someone else changed it first). */
export async function updateLane(q: Q, id: string, version: number, row: Partial<LanesTable>): Promise<number> {
  const r = await q.updateTable('lanes').set(row).where('id', '=', id).where('version', '=', version).executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export const ratesOf = (q: Q, laneId: string): Promise<LaneRatesTable[]> =>
  q.selectFrom('lane_rates').selectAll().where('lane_id', '=', laneId).orderBy('mode').orderBy('valid_from').orderBy('id').execute();
export const insertRate = (q: Q, row: LaneRatesTable) => q.insertInto('lane_rates').values(row).execute();

export type RuleRow = ModeRulesTable & { lane_code: string; account_id: string; proposer: string | null; decider: string | null };
const rules = (q: Q) => q.selectFrom('mode_rules as r').innerJoin('lanes as l', 'l.id', 'r.lane_id')
  .leftJoin('users as p', 'p.id', 'r.proposed_by').leftJoin('users as d', 'd.id', 'r.decided_by')
  .selectAll('r').select(['l.code as lane_code', 'l.account_id', 'p.name as proposer', 'd.name as decider']);

export const rulesOf = (q: Q, laneId: string): Promise<RuleRow[]> => rules(q).where('r.lane_id', '=', laneId).orderBy('r.proposed_at', 'desc').orderBy('r.id', 'desc').execute();
export const ruleById = (q: Q, laneId: string, id: string): Promise<RuleRow | undefined> => rules(q).where('r.lane_id', '=', laneId).where('r.id', '=', id).executeTakeFirst();
export const insertRule = (q: Q, row: ModeRulesTable) => q.insertInto('mode_rules').values(row).execute();
export async function updateRule(q: Q, id: string, version: number, row: Partial<ModeRulesTable>): Promise<number> {
  const r = await q.updateTable('mode_rules').set(row).where('id', '=', id).where('version', '=', version).executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** Approved and proposed rules of some lanes (for the lane list and the account's plan). */
export function openRulesOf(q: Q, laneIds: string[]) {
  if (!laneIds.length) return Promise.resolve([] as Pick<ModeRulesTable, 'id' | 'lane_id' | 'from_mode' | 'to_mode' | 'from_day' | 'to_day' | 'status'>[]);
  return q.selectFrom('mode_rules').select(['id', 'lane_id', 'from_mode', 'to_mode', 'from_day', 'to_day', 'status'])
    .where('lane_id', 'in', laneIds).where('status', 'in', ['approved', 'proposed']).orderBy('from_day').orderBy('id').execute();
}

/** Rules decided (approved, later perhaps superseded) on an account's lanes, newest first: the timeline's events. */
export const approvalsOfAccount = (q: Q, accountId: string, visible: Expression<SqlBool>) =>
  rules(q).where('l.account_id', '=', accountId).where(visible).where('r.status', 'in', ['approved', 'superseded']).where('r.decided_at', 'is not', null)
    .orderBy('r.decided_at', 'desc').limit(200).execute();

/** Proposed rules on the lanes of the accounts in `writable`, oldest first: the day's approvals. */
export const proposedFor = (q: Q, writable: Expression<SqlBool>) =>
  rules(q).innerJoin('accounts as a', 'a.id', 'l.account_id').select(['a.code as account_code', 'a.name as account_name', 'a.name_en as account_name_en'])
    .where('r.status', '=', 'proposed').where(writable).orderBy('r.proposed_at').limit(50).execute();

/** Delivered shipments on a lane of the visible accounts, with their line's promise. */
export const laneShipments = (q: Q, visible: Expression<SqlBool>, code: string) =>
  q.selectFrom('shipments as s').innerJoin('order_lines as o', 'o.id', 's.order_line_id')
    .select(['s.mode', 's.shipped_date', 's.delivered_date', 's.weight_grams', 's.freight_minor', 'o.promised_date'])
    .where('s.lane_code', '=', code).where('s.shipped_date', 'is not', null).where('s.delivered_date', 'is not', null).where(visible)
    .execute();
