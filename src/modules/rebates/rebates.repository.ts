/** All SQL of the rebates module (besides the basis, read through the sales module). */
import { sql, type Expression, type Kysely, type SqlBool, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { Actor } from '../auth/auth.domain.js';
import { accountVisibleTo, accountWritableBy } from '../../server/policy.js';
import type {
  RebateAccrualsTable, RebateAgreementsTable, RebateAgreementVersionsTable, RebateSettlementLinesTable, RebateSettlementsTable,
} from './rebates.table.js';

export type Q = Kysely<Database> | Transaction<Database>;

/** An agreement is visible when the caller sees at least one of its accounts. */
export const agreementVisible = (actor: Actor, idColumn: string): Expression<SqlBool> =>
  sql<SqlBool>`exists (select 1 from rebate_agreement_accounts raa where raa.agreement_id = ${sql.ref(idColumn)} and ${accountVisibleTo(actor, 'raa.account_id')})`;

/** …and writable only when the caller may write every one of them. */
export const agreementWritable = (actor: Actor, idColumn: string): Expression<SqlBool> =>
  sql<SqlBool>`not exists (select 1 from rebate_agreement_accounts raw where raw.agreement_id = ${sql.ref(idColumn)} and not (${accountWritableBy(actor, 'raw.account_id')}))`;

export async function listAgreements(db: Q, actor: Actor, f: { accountId?: string | undefined; status?: string | undefined; ids?: string[] }) {
  let q = db.selectFrom('rebate_agreements as a').selectAll('a').where(agreementVisible(actor, 'a.id'));
  if (f.accountId) q = q.where((eb) => eb.exists(eb.selectFrom('rebate_agreement_accounts as x').select('x.account_id').whereRef('x.agreement_id', '=', 'a.id').where('x.account_id', '=', f.accountId!)));
  if (f.status) q = q.where('a.status', '=', f.status);
  if (f.ids) q = q.where('a.id', 'in', f.ids.length ? f.ids : ['-']);
  return q.orderBy('a.period_end', 'desc').orderBy('a.number').execute();
}

export const getAgreement = (db: Q, actor: Actor, id: string) =>
  db.selectFrom('rebate_agreements as a').selectAll('a').select(sql<number>`case when ${agreementWritable(actor, 'a.id')} then 1 else 0 end`.as('writable'))
    .where('a.id', '=', id).where(agreementVisible(actor, 'a.id')).executeTakeFirst();

export const versionsOf = (db: Q, agreementIds: string[]) =>
  agreementIds.length === 0 ? Promise.resolve([] as RebateAgreementVersionsTable[])
    : db.selectFrom('rebate_agreement_versions').selectAll().where('agreement_id', 'in', agreementIds).orderBy('agreement_id').orderBy('seq').execute();

export const accountsOf = (db: Q, agreementIds: string[]) =>
  agreementIds.length === 0 ? Promise.resolve([])
    : db.selectFrom('rebate_agreement_accounts as raa').innerJoin('accounts as ac', 'ac.id', 'raa.account_id')
      .select(['raa.agreement_id', 'ac.id', 'ac.code', 'ac.name']).where('raa.agreement_id', 'in', agreementIds).orderBy('ac.code').execute();

export async function insertAgreement(db: Q, a: RebateAgreementsTable, accountIds: string[], v: RebateAgreementVersionsTable): Promise<void> {
  await db.insertInto('rebate_agreements').values(a).execute();
  await db.insertInto('rebate_agreement_accounts').values(accountIds.map((account_id) => ({ agreement_id: a.id, account_id }))).execute();
  await db.insertInto('rebate_agreement_versions').values(v).execute();
}

export async function countAgreementsLike(db: Q, prefix: string): Promise<number> {
  const r = await db.selectFrom('rebate_agreements').select((eb) => eb.fn.countAll<number>().as('n')).where('number', 'like', `${prefix}%`).executeTakeFirstOrThrow();
  return Number(r.n);
}

export const insertVersion = (db: Q, v: RebateAgreementVersionsTable) => db.insertInto('rebate_agreement_versions').values(v).execute();

export async function bumpAgreement(db: Q, id: string, version: number, set: Partial<RebateAgreementsTable>): Promise<boolean> {
  const r = await db.updateTable('rebate_agreements').set({ ...set, version: version + 1 }).where('id', '=', id).where('version', '=', version).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export const activatePendingVersions = (db: Q, agreementId: string) =>
  db.updateTable('rebate_agreement_versions').set({ status: 'active' }).where('agreement_id', '=', agreementId).where('status', '=', 'pending').execute();

export const settlementsOf = (db: Q, agreementId: string) =>
  db.selectFrom('rebate_settlements').selectAll().where('agreement_id', '=', agreementId).orderBy('seq').execute();

export const settlementById = (db: Q, id: string) => db.selectFrom('rebate_settlements').selectAll().where('id', '=', id).executeTakeFirst();

export const linesOf = (db: Q, settlementIds: string[]) =>
  settlementIds.length === 0 ? Promise.resolve([])
    : db.selectFrom('rebate_settlement_lines as l').innerJoin('accounts as ac', 'ac.id', 'l.account_id')
      .select(['l.settlement_id', 'l.line_no', 'l.account_id', 'l.basis', 'l.amount_minor', 'ac.code', 'ac.name'])
      .where('l.settlement_id', 'in', settlementIds).orderBy('l.settlement_id').orderBy('l.line_no').execute();

export async function insertSettlement(db: Q, s: RebateSettlementsTable, lines: RebateSettlementLinesTable[]): Promise<void> {
  await db.insertInto('rebate_settlements').values(s).execute();
  if (lines.length) await db.insertInto('rebate_settlement_lines').values(lines).execute();
}

export async function reverseSettlement(db: Q, id: string, set: Pick<RebateSettlementsTable, 'reversed_at' | 'reversed_by' | 'reversal_reason'>): Promise<boolean> {
  const r = await db.updateTable('rebate_settlements').set({ ...set, status: 'reversed' }).where('id', '=', id).where('status', '=', 'issued').executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export const accrualsOf = (db: Q, agreementId: string) =>
  db.selectFrom('rebate_accruals').selectAll().where('agreement_id', '=', agreementId).orderBy('month').execute();

/** Replaces the accruals of these agreements (a recompute writes every month again). */
export async function replaceAccruals(db: Q, agreementIds: string[], rows: RebateAccrualsTable[]): Promise<void> {
  for (let i = 0; i < agreementIds.length; i += 500) {
    await db.deleteFrom('rebate_accruals').where('agreement_id', 'in', agreementIds.slice(i, i + 500)).execute();
  }
  for (let i = 0; i < rows.length; i += 500) await db.insertInto('rebate_accruals').values(rows.slice(i, i + 500)).execute();
}

/** Each agreement's accrual rows as a fingerprint (see the service's `fingerprint`), to write only what changed. */
export async function accrualFingerprints(db: Q, agreementIds: string[]): Promise<Map<string, string>> {
  const by = new Map<string, string[]>();
  for (let i = 0; i < agreementIds.length; i += 1_000) {
    const rows = await db.selectFrom('rebate_accruals').select(['agreement_id', 'month', 'version_id', 'basis', 'earned_to_date_minor', 'tier_index', 'policy'])
      .where('agreement_id', 'in', agreementIds.slice(i, i + 1_000)).execute();
    for (const r of rows) {
      const key = `${r.month}|${r.version_id}|${Number(r.basis)}|${Number(r.earned_to_date_minor)}|${r.tier_index}|${r.policy}`;
      const list = by.get(r.agreement_id);
      if (list) list.push(key);
      else by.set(r.agreement_id, [key]);
    }
  }
  return new Map([...by].map(([id, keys]) => [id, keys.sort().join(';')]));
}

/** Marks a run that changed nothing (the job's "since the last import" check reads computed_at). */
export const touchAccruals = (db: Q, agreementIds: string[], at: string) =>
  agreementIds.length ? db.updateTable('rebate_accruals').set({ computed_at: at }).where('agreement_id', 'in', agreementIds).execute() : Promise.resolve([]);

/** Every active agreement overlapping a date, with its accounts (the accrual run). */
export const activeAgreements = (db: Q, date: string) =>
  db.selectFrom('rebate_agreements').selectAll().where('status', '=', 'active').where('period_start', '<=', date).execute();

export const latestImportFinished = async (db: Q): Promise<string | null> => {
  const r = await db.selectFrom('import_jobs').select((eb) => eb.fn.max('finished_at').as('at')).where('status', '=', 'succeeded').where('dry_run', '=', 0).executeTakeFirst();
  return (r?.at as string | null | undefined) ?? null;
};

export const latestAccrualRun = async (db: Q): Promise<string | null> => {
  const r = await db.selectFrom('rebate_accruals').select((eb) => eb.fn.max('computed_at').as('at')).executeTakeFirst();
  return (r?.at as string | null | undefined) ?? null;
};
