/**
 * Rebate agreements: draft, version, approve; attainment (basis to date, tier reached, earned,
 * forecast); monthly accruals; settlements with credit notes, and their reversal.
 *
 * Scope: an agreement is visible to whoever sees at least one of its accounts, and writable only
 * by whoever may write all of them. A dealer (rebate:portal) sees only agreements where its own
 * account is the ONLY account: a group agreement pools other dealers' volume, and even a pooled
 * total would tell it something about them.
 */
import type { z } from 'zod';
import type { Db } from '../../db/database.js';
import type { Ctx } from '../../server/context.js';
import { AppError, forbidden, notFound } from '../../server/errors.js';
import { accountVisibleTo, accountWritableBy, allows } from '../../server/policy.js';
import { newId } from '../../shared/ids.js';
import { addDays, DEFAULT_TIME_ZONE, localDateOf } from '../../shared/time.js';
import { recordAudit } from '../audit/audit.service.js';
import { salesBasis, salesBasisMany, type BasisRow } from '../sales/sales.basis.js';
import type {
  Accrual, Agreement, AgreementTerms, Attainment, CreateAgreementBody, NewVersionBody, PortalProgress, Settlement, SettlementBody,
} from './rebates.contract.js';
import { AgreementTerms as TermsSchema } from './rebates.contract.js';
import { calcRebate, creditNoteLines, monthsOf, nextTier, type RebateTerms, settle, versionInForce } from './rebates.domain.js';
import { forecastAttainment } from './rebates.forecast.js';
import * as repo from './rebates.repository.js';
import type { RebateAccrualsTable, RebateAgreementsTable, RebateAgreementVersionsTable, RebateSettlementsTable } from './rebates.table.js';

export type RebateSettings = { approvalThresholdMinor: number };
export type RebateCtx = Ctx & { rebates: RebateSettings };

/** OPENKAM_REBATE_APPROVAL_MINOR: agreements worth more than this (minor units) need a director. Default ¥50,000. */
export function loadRebateSettings(env: NodeJS.ProcessEnv = process.env): RebateSettings {
  const raw = env.OPENKAM_REBATE_APPROVAL_MINOR;
  const n = raw === undefined || raw === '' ? 5_000_000 : Number(raw);
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`OPENKAM_REBATE_APPROVAL_MINOR must be a whole number ≥ 0 (minor units), got "${raw}"`);
  return { approvalThresholdMinor: n };
}

export const ROUNDING_RULE = 'Rebate: exact, rounded half-up to minor units once; amount due = earned to date − paid before; lines shared by basis, largest remainder, summing exactly to the amount.';

const stale = () => new AppError('precondition_failed', 412, 'The agreement was changed by someone else since you read it; reload and try again');
export const today = (ctx: Pick<Ctx, 'clock'>) => localDateOf(ctx.clock.now(), DEFAULT_TIME_ZONE);
// Parsed terms by version row (the accrual run reads each version's terms once, not once per month).
const parsedTerms = new WeakMap<RebateAgreementVersionsTable, AgreementTerms>();
const termsOf = (v: RebateAgreementVersionsTable): AgreementTerms => {
  let t = parsedTerms.get(v);
  if (!t) {
    t = TermsSchema.parse(JSON.parse(v.terms_json));
    parsedTerms.set(v, t);
  }
  return t;
};
const domainCache = new WeakMap<AgreementTerms, RebateTerms>();
const domainTerms = (t: AgreementTerms): RebateTerms => {
  let d = domainCache.get(t);
  if (!d) {
    d = { method: t.method, tiers: t.tiers, minimumBasis: t.minimumBasis, capMinor: t.capMinor };
    domainCache.set(t, d);
  }
  return d;
};
const scopeOf = (t: AgreementTerms) => ({ categories: t.categories, skus: t.skus, returnsCounted: t.returnsCounted });
const measure = (t: AgreementTerms, r: BasisRow) => (t.basisKind === 'quantity' ? r.quantity : r.valueMinor);
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const minDate = (a: string, b: string) => (a < b ? a : b);

type Loaded = {
  row: RebateAgreementsTable;
  writable: boolean;
  versions: RebateAgreementVersionsTable[];
  accounts: { id: string; code: string; name: string }[];
};

async function load(ctx: Ctx, id: string, opts: { write?: boolean } = {}): Promise<Loaded> {
  const db = ctx.db.kysely;
  const row = await repo.getAgreement(db, ctx.actor, id);
  if (!row) throw notFound('Rebate agreement');
  const { writable, ...rest } = row;
  if (opts.write && !Number(writable)) throw forbidden('You may not change this agreement: it covers an account you may not write');
  const [versions, accounts] = await Promise.all([repo.versionsOf(db, [id]), repo.accountsOf(db, [id])]);
  return { row: rest, writable: !!Number(writable), versions, accounts: accounts.map((a) => ({ id: a.id, code: a.code, name: a.name })) };
}

/** The versions that count: the active ones; for an agreement not yet active, all (a preview). */
const counting = (l: Loaded) => (l.row.status === 'active' ? l.versions.filter((v) => v.status === 'active') : l.versions);

// ---------------------------------------------------------------- evaluation

type Evaluation = {
  to: string;
  version: RebateAgreementVersionsTable;
  terms: AgreementTerms;
  rows: BasisRow[];
  basis: number;
  reference: number | null;
  result: ReturnType<typeof calcRebate>;
  perAccount: Map<string, number>;
};

async function referenceBasis(db: Db, accountIds: string[], currency: string, t: AgreementTerms): Promise<number | null> {
  if (t.method !== 'growth' || !t.reference) return null;
  const rows = await salesBasis(db, { accountIds, currency, from: t.reference.from, to: t.reference.to, scope: scopeOf(t) });
  return sum(rows.map((r) => measure(t, r)));
}

/**
 * The figure at a cut-off (exclusive): the basis of [period start, cut-off), computed with the
 * version in force on the last day counted, over the whole basis.
 */
async function evaluate(db: Db, l: Loaded, cutoff: string): Promise<Evaluation> {
  const to = minDate(cutoff, l.row.period_end);
  const version = versionInForce(counting(l), addDays(to, -1), (v) => v.effective_from);
  if (!version) throw new AppError('conflict', 409, 'The agreement has no terms in force');
  const terms = termsOf(version);
  const accountIds = l.accounts.map((a) => a.id);
  const [rows, reference] = await Promise.all([
    salesBasis(db, { accountIds, currency: l.row.currency, from: l.row.period_start, to, scope: scopeOf(terms) }),
    referenceBasis(db, accountIds, l.row.currency, terms),
  ]);
  const perAccount = new Map<string, number>(accountIds.map((id) => [id, 0]));
  for (const r of rows) perAccount.set(r.accountId, (perAccount.get(r.accountId) ?? 0) + measure(terms, r));
  const basis = sum([...perAccount.values()]);
  return { to, version, terms, rows, basis, reference, result: calcRebate(domainTerms(terms), basis, reference), perAccount };
}

/** The approval value of terms: the rebate they pay at the expected basis. */
async function valueOf(db: Db, accountIds: string[], currency: string, t: AgreementTerms, expectedBasis: number): Promise<number> {
  const reference = await referenceBasis(db, accountIds, currency, t);
  return calcRebate(domainTerms(t), expectedBasis, reference ?? (t.method === 'growth' ? 0 : null)).rebateMinor;
}

const monthsBack = (month: string, n: number) => {
  let [y, m] = month.split('-').map(Number) as [number, number];
  m -= n;
  while (m < 1) { m += 12; y--; }
  return `${y}-${String(m).padStart(2, '0')}`;
};

// ---------------------------------------------------------------- agreements

function toAgreement(l: Loaded, settings: RebateSettings, internal: boolean): Agreement {
  const latest = l.versions[l.versions.length - 1];
  const valueMinor = latest ? Number(latest.value_minor) : 0;
  return {
    id: l.row.id, number: l.row.number, name: l.row.name, currency: l.row.currency, periodStart: l.row.period_start, periodEnd: l.row.period_end,
    status: l.row.status as Agreement['status'], settlementDates: JSON.parse(l.row.settlement_dates_json) as string[], expectedBasis: Number(l.row.expected_basis),
    valueMinor, needsApproval: valueMinor > settings.approvalThresholdMinor, internalNote: internal ? l.row.internal_note : null, accounts: l.accounts,
    versions: l.versions.map((v) => ({
      id: v.id, seq: v.seq, effectiveFrom: v.effective_from, terms: termsOf(v), valueMinor: Number(v.value_minor), status: v.status as 'active' | 'pending',
      note: v.note, createdBy: v.created_by, createdAt: v.created_at,
    })),
    canWrite: l.writable, approvedAt: l.row.approved_at, createdAt: l.row.created_at, version: l.row.version,
  };
}

export async function getAgreement(ctx: RebateCtx, id: string): Promise<Agreement> {
  return toAgreement(await load(ctx, id), ctx.rebates, true);
}

export async function listAgreements(ctx: RebateCtx, f: { accountId?: string | undefined; status?: string | undefined }) {
  const db = ctx.db.kysely;
  const rows = await repo.listAgreements(db, ctx.actor, f);
  const ids = rows.map((r) => r.id);
  const [versions, accounts] = await Promise.all([repo.versionsOf(db, ids), repo.accountsOf(db, ids)]);
  const date = addDays(today(ctx), 1);
  const items = [];
  for (const row of rows) {
    const l: Loaded = {
      row, writable: false, versions: versions.filter((v) => v.agreement_id === row.id),
      accounts: accounts.filter((a) => a.agreement_id === row.id).map((a) => ({ id: a.id, code: a.code, name: a.name })),
    };
    const e = counting(l).length ? await evaluate(ctx.db, l, date) : null;
    const latest = l.versions[l.versions.length - 1];
    items.push({
      id: row.id, number: row.number, name: row.name, currency: row.currency, periodStart: row.period_start, periodEnd: row.period_end,
      status: row.status as Agreement['status'], valueMinor: latest ? Number(latest.value_minor) : 0, version: row.version, accounts: l.accounts,
      method: (e?.terms ?? (latest ? termsOf(latest) : { method: 'retroactive' as const })).method,
      basisToDate: e?.basis ?? 0, earnedToDateMinor: e?.result.rebateMinor ?? 0, tierIndex: e?.result.tierIndex ?? -1,
    });
  }
  return { items };
}

async function nextNumber(ctx: Ctx, year: string, attempt: number): Promise<string> {
  const n = await repo.countAgreementsLike(ctx.db.kysely, `RB-${year}-`);
  return `RB-${year}-${String(n + 1 + attempt).padStart(4, '0')}`;
}

async function checkAccounts(ctx: Ctx, accountIds: string[]): Promise<void> {
  const ids = [...new Set(accountIds)];
  const db = ctx.db.kysely;
  const visible = await db.selectFrom('accounts').select('id').where('id', 'in', ids).where(accountVisibleTo(ctx.actor, 'accounts.id')).execute();
  const seen = new Set(visible.map((r) => r.id));
  const unknown = ids.findIndex((id) => !seen.has(id));
  if (unknown >= 0) throw new AppError('invalid_request', 400, 'No such account', { errors: [{ path: `body.accountIds.${accountIds.indexOf(ids[unknown]!)}`, message: 'unknown account' }] });
  const writable = await db.selectFrom('accounts').select('id').where('id', 'in', ids).where(accountWritableBy(ctx.actor, 'accounts.id')).execute();
  if (writable.length !== ids.length) throw forbidden('You may not draft an agreement for an account you may not write');
}

export async function createAgreement(ctx: RebateCtx, b: z.infer<typeof CreateAgreementBody>): Promise<Agreement> {
  const accountIds = [...new Set(b.accountIds)];
  await checkAccounts(ctx, accountIds);
  const now = ctx.clock.now().toISOString();
  let expected = b.expectedBasis;
  if (expected === null) {
    // The last period of the same length: what the customer bought before, as the expected volume.
    const days = Math.round((Date.parse(b.periodEnd) - Date.parse(b.periodStart)) / 86_400_000);
    const rows = await salesBasis(ctx.db, { accountIds, currency: b.currency, from: addDays(b.periodStart, -days), to: b.periodStart, scope: scopeOf(b.terms) });
    expected = sum(rows.map((r) => measure(b.terms, r)));
  }
  const value = await valueOf(ctx.db, accountIds, b.currency, b.terms, expected);
  const id = newId();
  for (let attempt = 0; ; attempt++) {
    const number = await nextNumber(ctx, b.periodStart.slice(0, 4), attempt);
    const row: RebateAgreementsTable = {
      id, number, name: b.name, currency: b.currency, period_start: b.periodStart, period_end: b.periodEnd, status: 'draft',
      settlement_dates_json: JSON.stringify([...new Set(b.settlementDates)].sort()), expected_basis: expected, internal_note: b.internalNote,
      created_by: ctx.actor.userId, approved_by: null, approved_at: null, created_at: now, updated_at: now, version: 1,
    };
    const version: RebateAgreementVersionsTable = {
      id: newId(), agreement_id: id, seq: 1, effective_from: b.periodStart, terms_json: JSON.stringify(b.terms), value_minor: value,
      status: 'pending', note: null, created_by: ctx.actor.userId, created_at: now,
    };
    try {
      await ctx.db.kysely.transaction().execute(async (trx) => {
        await repo.insertAgreement(trx, row, accountIds, version);
        await recordAudit(trx, ctx, { action: 'create', entity: 'rebate_agreement', entityId: id, accountId: accountIds[0]!, after: { ...b, number, valueMinor: value } });
      });
      break;
    } catch (e) {
      if (attempt < 5 && isUniqueViolation(e)) continue;
      throw e;
    }
  }
  return getAgreement(ctx, id);
}

const isUniqueViolation = (e: unknown) => {
  const err = e as { code?: string; message?: string };
  return err.code === '23505' || err.code === 'SQLITE_CONSTRAINT_UNIQUE' || err.code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || /UNIQUE constraint failed/.test(err.message ?? '');
};

/** Submit a draft: active at once when worth no more than the threshold (or the caller approves), else pending a director. */
export async function submitAgreement(ctx: RebateCtx, id: string, version: number): Promise<Agreement> {
  const l = await load(ctx, id, { write: true });
  if (l.row.status !== 'draft') throw new AppError('conflict', 409, `The agreement is ${l.row.status.replace('_', ' ')}, not a draft`);
  const value = Math.max(...l.versions.map((v) => Number(v.value_minor)));
  const direct = value <= ctx.rebates.approvalThresholdMinor || allows(ctx.actor.role, 'rebate:approve');
  const now = ctx.clock.now().toISOString();
  await ctx.db.kysely.transaction().execute(async (trx) => {
    const set: Partial<RebateAgreementsTable> = direct ? { status: 'active', approved_by: ctx.actor.userId, approved_at: now, updated_at: now } : { status: 'pending_approval', updated_at: now };
    if (!(await repo.bumpAgreement(trx, id, version, set))) throw stale();
    if (direct) await repo.activatePendingVersions(trx, id);
    await recordAudit(trx, ctx, { action: direct ? 'rebate.activate' : 'rebate.submit', entity: 'rebate_agreement', entityId: id, accountId: l.accounts[0]?.id ?? null, after: { valueMinor: value, thresholdMinor: ctx.rebates.approvalThresholdMinor } });
  });
  return getAgreement(ctx, id);
}

/** A director approves an agreement pending approval, or a pending change of an active one. */
export async function approveAgreement(ctx: RebateCtx, id: string, version: number): Promise<Agreement> {
  const l = await load(ctx, id, { write: true });
  const pending = l.versions.some((v) => v.status === 'pending');
  if (l.row.status === 'draft') throw new AppError('conflict', 409, 'The agreement is still a draft: submit it first');
  if (l.row.status === 'active' && !pending) throw new AppError('conflict', 409, 'Nothing awaits approval on this agreement');
  const now = ctx.clock.now().toISOString();
  await ctx.db.kysely.transaction().execute(async (trx) => {
    if (!(await repo.bumpAgreement(trx, id, version, { status: 'active', approved_by: ctx.actor.userId, approved_at: now, updated_at: now }))) throw stale();
    await repo.activatePendingVersions(trx, id);
    await recordAudit(trx, ctx, { action: 'rebate.approve', entity: 'rebate_agreement', entityId: id, accountId: l.accounts[0]?.id ?? null, after: { versions: l.versions.filter((v) => v.status === 'pending').map((v) => v.seq) } });
  });
  return getAgreement(ctx, id);
}

/** A change of terms from a date: a new version. On an active agreement it counts at once unless it is worth more than the threshold. */
export async function addVersion(ctx: RebateCtx, id: string, b: z.infer<typeof NewVersionBody>): Promise<Agreement> {
  const l = await load(ctx, id, { write: true });
  if (b.effectiveFrom <= l.row.period_start || b.effectiveFrom >= l.row.period_end) {
    throw new AppError('invalid_request', 400, 'A change applies from a date inside the period (after its first day)', { errors: [{ path: 'body.effectiveFrom', message: `must fall in (${l.row.period_start}, ${l.row.period_end})` }] });
  }
  const last = l.versions[l.versions.length - 1]!;
  if (b.effectiveFrom <= last.effective_from) {
    throw new AppError('invalid_request', 400, 'Versions follow each other: a change applies from after the latest one', { errors: [{ path: 'body.effectiveFrom', message: `must be after ${last.effective_from}` }] });
  }
  const value = await valueOf(ctx.db, l.accounts.map((a) => a.id), l.row.currency, b.terms, Number(l.row.expected_basis));
  const counts = l.row.status === 'active' && (value <= ctx.rebates.approvalThresholdMinor || allows(ctx.actor.role, 'rebate:approve'));
  const now = ctx.clock.now().toISOString();
  const v: RebateAgreementVersionsTable = {
    id: newId(), agreement_id: id, seq: last.seq + 1, effective_from: b.effectiveFrom, terms_json: JSON.stringify(b.terms), value_minor: value,
    status: counts ? 'active' : 'pending', note: b.note, created_by: ctx.actor.userId, created_at: now,
  };
  await ctx.db.kysely.transaction().execute(async (trx) => {
    if (!(await repo.bumpAgreement(trx, id, b.version, { updated_at: now }))) throw stale();
    await repo.insertVersion(trx, v);
    await recordAudit(trx, ctx, { action: 'rebate.version', entity: 'rebate_agreement', entityId: id, accountId: l.accounts[0]?.id ?? null, before: termsOf(last), after: { seq: v.seq, effectiveFrom: b.effectiveFrom, terms: b.terms, status: v.status } });
  });
  return getAgreement(ctx, id);
}

// ---------------------------------------------------------------- attainment

async function paidOf(ctx: Ctx, id: string): Promise<{ rows: RebateSettlementsTable[]; paid: number[] }> {
  const rows = await repo.settlementsOf(ctx.db.kysely, id);
  return { rows, paid: rows.filter((s) => s.status === 'issued').map((s) => Number(s.amount_minor)) };
}

async function attainmentOf(ctx: Ctx, l: Loaded, withForecast: boolean): Promise<Attainment> {
  const asOf = minDate(addDays(today(ctx), 1), l.row.period_end);
  const e = await evaluate(ctx.db, l, asOf);
  const terms = domainTerms(e.terms);
  const months = monthsOf(l.row.period_start, asOf);
  const byMonth = new Map<string, number>();
  for (const r of e.rows) byMonth.set(r.month, (byMonth.get(r.month) ?? 0) + measure(e.terms, r));
  let cumulative = 0;
  const monthly = months.map((month) => {
    const basis = byMonth.get(month) ?? 0;
    cumulative += basis;
    return { month, basis, cumulative };
  });
  let forecast: Attainment['forecast'] = null;
  if (withForecast && asOf < l.row.period_end) {
    const current = asOf.slice(0, 7) === addDays(asOf, -1).slice(0, 7) ? asOf.slice(0, 7) : addDays(asOf, -1).slice(0, 7);
    const remaining = monthsOf(`${current}-01`, l.row.period_end);
    const histFrom = `${monthsBack(current, 24)}-01`;
    const hist = await salesBasis(ctx.db, { accountIds: l.accounts.map((a) => a.id), currency: l.row.currency, from: histFrom, to: `${current}-01`, scope: scopeOf(e.terms) });
    const hm = new Map<string, number>();
    for (const r of hist) hm.set(r.month, (hm.get(r.month) ?? 0) + measure(e.terms, r));
    const histMonths = monthsOf(histFrom, `${current}-01`);
    const firstWithSales = histMonths.findIndex((m) => (hm.get(m) ?? 0) !== 0);
    const history = firstWithSales < 0 ? [] : histMonths.slice(firstWithSales).map((m) => hm.get(m) ?? 0);
    const f = forecastAttainment(terms, { history, horizon: remaining.length, currentMonthSoFar: byMonth.get(current) ?? 0, basisToDate: e.basis, reference: e.reference });
    if (f) forecast = { ...f, months: remaining };
  }
  const { paid } = await paidOf(ctx, l.row.id);
  const earned = e.result.rebateMinor;
  let accrued = earned;
  if (e.terms.accrualPolicy === 'forecast' && forecast) {
    const median = forecast.finalBasis[forecast.levels.indexOf(0.5)] ?? e.basis;
    accrued = median > 0 ? Number((BigInt(forecast.expectedRebateMinor) * BigInt(Math.max(0, e.basis)) * 2n + BigInt(median)) / (2n * BigInt(median))) : earned;
  }
  return {
    agreementId: l.row.id, currency: l.row.currency, basisKind: e.terms.basisKind, asOf, periodEnd: l.row.period_end,
    versionId: e.version.id, versionSeq: e.version.seq, basisToDate: e.basis, reference: e.reference,
    tierIndex: e.result.tierIndex, earnedToDateMinor: earned, bands: e.result.bands, tiers: e.terms.tiers,
    next: nextTier(terms, e.basis, e.reference), monthly, forecast, paidMinor: sum(paid), accruedMinor: accrued,
  };
}

export async function attainment(ctx: RebateCtx, id: string): Promise<Attainment> {
  return attainmentOf(ctx, await load(ctx, id), true);
}

// ---------------------------------------------------------------- accruals

/**
 * Recomputes the monthly accruals of every active agreement from the rollups (and the lines of
 * partial months): per month, the basis to the month's end, earned to then with the version in
 * force then, and the month's accrual (the change; negative when returns clawed back). Policy
 * "forecast" agreements accrue on read (attainment) at the forecast tier; the stored monthly rows
 * use the tier reached, which is what settlement trues up to.
 */
export async function accrueAll(deps: Pick<Ctx, 'db' | 'clock'>): Promise<{ agreements: number; rows: number; changed: number }> {
  const db = deps.db.kysely;
  const day = today(deps);
  const until = addDays(day, 1);
  const agreements = await repo.activeAgreements(db, day);
  if (agreements.length === 0) return { agreements: 0, rows: 0, changed: 0 };
  const ids = agreements.map((a) => a.id);
  const versions: RebateAgreementVersionsTable[] = [];
  const accounts: Awaited<ReturnType<typeof repo.accountsOf>> = [];
  for (let i = 0; i < ids.length; i += 500) {
    versions.push(...(await repo.versionsOf(db, ids.slice(i, i + 500))));
    accounts.push(...(await repo.accountsOf(db, ids.slice(i, i + 500))));
  }
  const vBy = groupBy(versions.filter((v) => v.status === 'active'), (v) => v.agreement_id);
  const aBy = groupBy(accounts, (a) => a.agreement_id);
  const computedAt = deps.clock.now().toISOString();
  const out: RebateAccrualsTable[] = [];
  type Job = { a: RebateAgreementsTable; vs: RebateAgreementVersionsTable[]; accIds: string[]; to: string; latest: AgreementTerms };
  const jobs: Job[] = [];
  for (const a of agreements) {
    const vs = vBy.get(a.id) ?? [];
    const accIds = (aBy.get(a.id) ?? []).map((x) => x.id);
    if (!vs.length || !accIds.length) continue;
    // One read for the period to date, with the scope of the latest version (a scope change mid-period is rare; its figure is re-read at settlement).
    jobs.push({ a, vs, accIds, to: minDate(until, a.period_end), latest: termsOf(vs[vs.length - 1]!) });
  }
  // Agreements over the same window and scope are read together (one rollup read, one read of the partial month's lines).
  const basis = await salesBasisMany(deps.db, jobs.map((j) => ({ accountIds: j.accIds, currency: j.a.currency, from: j.a.period_start, to: j.to, scope: scopeOf(j.latest) })));
  for (const [n, { a, vs, accIds, to, latest }] of jobs.entries()) {
    const byMonth = new Map<string, number>();
    for (const r of basis[n]!) byMonth.set(r.month, (byMonth.get(r.month) ?? 0) + measure(latest, r));
    const refs = new Map<string, number | null>();
    let cumulative = 0;
    let prevEarned = 0;
    for (const month of monthsOf(a.period_start, to)) {
      cumulative += byMonth.get(month) ?? 0;
      const monthEnd = minDate(`${addDays(`${month}-01`, 40).slice(0, 7)}-01`, to);
      const v = versionInForce(vs, addDays(monthEnd, -1), (x) => x.effective_from)!;
      const t = termsOf(v);
      if (t.method === 'growth' && !refs.has(v.id)) refs.set(v.id, await referenceBasis(deps.db, accIds, a.currency, t));
      const r = calcRebate(domainTerms(t), cumulative, refs.get(v.id) ?? null);
      out.push({
        agreement_id: a.id, month, version_id: v.id, policy: t.accrualPolicy, basis: cumulative, tier_index: r.tierIndex,
        earned_to_date_minor: r.rebateMinor, accrued_minor: r.rebateMinor - prevEarned, computed_at: computedAt,
      });
      prevEarned = r.rebateMinor;
    }
  }
  // Incremental: only agreements whose figures moved (an import touches a few) are rewritten.
  const before = await repo.accrualFingerprints(db, ids);
  const byAgreement = groupBy(out, (r) => r.agreement_id);
  const changed = ids.filter((id) => before.get(id) !== fingerprint(byAgreement.get(id) ?? []));
  const rows = changed.flatMap((id) => byAgreement.get(id) ?? []);
  if (changed.length) await db.transaction().execute((trx) => repo.replaceAccruals(trx, changed, rows));
  else await repo.touchAccruals(db, ids.slice(0, 1), computedAt);
  return { agreements: agreements.length, rows: out.length, changed: changed.length };
}

/** The accrual job's cheap check: recompute only when an import finished since the last run. */
export async function accrueIfImported(deps: Pick<Ctx, 'db' | 'clock'>): Promise<boolean> {
  const [imported, accrued] = await Promise.all([repo.latestImportFinished(deps.db.kysely), repo.latestAccrualRun(deps.db.kysely)]);
  if (!imported || (accrued && accrued >= imported)) return false;
  await accrueAll(deps);
  return true;
}

export async function listAccruals(ctx: RebateCtx, id: string): Promise<{ items: z.infer<typeof Accrual>[] }> {
  const l = await load(ctx, id);
  const seq = new Map(l.versions.map((v) => [v.id, v.seq]));
  const rows = await repo.accrualsOf(ctx.db.kysely, id);
  return {
    items: rows.map((r) => ({
      month: r.month, versionId: r.version_id, versionSeq: seq.get(r.version_id) ?? 0, policy: r.policy, basis: Number(r.basis), tierIndex: r.tier_index,
      earnedToDateMinor: Number(r.earned_to_date_minor), accruedMinor: Number(r.accrued_minor), computedAt: r.computed_at,
    })),
  };
}

// ---------------------------------------------------------------- settlements

function settlementOut(l: Loaded, s: RebateSettlementsTable, lines: Awaited<ReturnType<typeof repo.linesOf>>, basisKind: 'value' | 'quantity'): Settlement {
  return {
    id: s.id, agreementId: l.row.id, agreementNumber: l.row.number, agreementName: l.row.name, number: s.number, seq: s.seq,
    kind: s.kind as 'partial' | 'final', cutoff: s.cutoff, versionId: s.version_id, versionSeq: l.versions.find((v) => v.id === s.version_id)?.seq ?? 0,
    basis: Number(s.basis), basisKind, tierIndex: s.tier_index, earnedToDateMinor: Number(s.earned_to_date_minor), alreadyPaidMinor: Number(s.already_paid_minor),
    amountMinor: Number(s.amount_minor), currency: s.currency, status: s.status as Settlement['status'], reversedAt: s.reversed_at, reversalReason: s.reversal_reason,
    createdAt: s.created_at, rounding: ROUNDING_RULE,
    lines: lines.filter((x) => x.settlement_id === s.id).map((x) => ({ lineNo: x.line_no, accountId: x.account_id, accountCode: x.code, accountName: x.name, basis: Number(x.basis), amountMinor: Number(x.amount_minor) })),
  };
}

/** Works out a settlement (preview) or issues it (run). Runs in one transaction; (agreement, seq) is unique, so nothing settles twice. */
async function doSettle(ctx: RebateCtx, id: string, b: z.infer<typeof SettlementBody>, run: boolean): Promise<Settlement> {
  const l = await load(ctx, id, { write: run });
  if (l.row.status !== 'active') throw new AppError('conflict', 409, 'Only an active agreement is settled');
  const day = today(ctx);
  const cutoff = b.kind === 'final' ? l.row.period_end : b.cutoff ?? minDate(addDays(day, 1), l.row.period_end);
  if (b.kind === 'final' && b.cutoff && b.cutoff !== l.row.period_end) {
    throw new AppError('invalid_request', 400, 'The final settlement is at the period end', { errors: [{ path: 'body.cutoff', message: `must be ${l.row.period_end} or left out` }] });
  }
  if (cutoff <= l.row.period_start || cutoff > l.row.period_end) throw new AppError('invalid_request', 400, 'The cut-off falls outside the period', { errors: [{ path: 'body.cutoff', message: `must fall in (${l.row.period_start}, ${l.row.period_end}]` }] });
  if (cutoff > addDays(day, 1)) throw new AppError('conflict', 409, `Invoices up to ${addDays(cutoff, -1)} are not all in yet: settle on or after that day`);
  const e = await evaluate(ctx.db, l, cutoff);
  const lineInputs = l.accounts.map((a) => ({ key: a.id, label: a.code, weight: Math.max(0, e.perAccount.get(a.id) ?? 0) }));
  const now = ctx.clock.now().toISOString();
  const make = async (trx: repo.Q) => {
    const prior = await repo.settlementsOf(trx, id);
    const issued = prior.filter((s) => s.status === 'issued');
    if (issued.some((s) => s.kind === 'final')) throw new AppError('already_settled', 409, 'The period has had its final settlement; reverse it first to settle again');
    const last = issued[issued.length - 1];
    if (last && cutoff <= last.cutoff) throw new AppError('already_settled', 409, `Settled already up to ${addDays(last.cutoff, -1)} (credit note ${last.number}): a settlement must go further`);
    const paid = issued.map((s) => Number(s.amount_minor));
    const amount = settle(e.result.rebateMinor, paid);
    const seq = (prior[prior.length - 1]?.seq ?? 0) + 1;
    const s: RebateSettlementsTable = {
      id: newId(), agreement_id: id, seq, number: `CN-${l.row.number}-${String(seq).padStart(2, '0')}`, kind: b.kind, cutoff, version_id: e.version.id,
      basis: e.basis, tier_index: e.result.tierIndex, earned_to_date_minor: e.result.rebateMinor, already_paid_minor: sum(paid), amount_minor: amount,
      currency: l.row.currency, status: run ? 'issued' : 'preview', reversed_at: null, reversed_by: null, reversal_reason: null, created_by: ctx.actor.userId, created_at: now,
    };
    const lines = creditNoteLines(amount, lineInputs).map((x, i) => ({ settlement_id: s.id, line_no: i + 1, account_id: x.key, basis: e.perAccount.get(x.key) ?? 0, amount_minor: x.amountMinor }));
    return { s, lines };
  };
  const names = l.accounts.map((a) => ({ settlement_id: '', line_no: 0, account_id: a.id, basis: 0, amount_minor: 0, code: a.code, name: a.name }));
  const withNames = (s: RebateSettlementsTable, lines: { settlement_id: string; line_no: number; account_id: string; basis: number; amount_minor: number }[]) =>
    lines.map((x) => ({ ...x, settlement_id: s.id, code: names.find((n) => n.account_id === x.account_id)!.code, name: names.find((n) => n.account_id === x.account_id)!.name }));
  if (!run) {
    const { s, lines } = await make(ctx.db.kysely);
    return settlementOut(l, s, withNames(s, lines), e.terms.basisKind);
  }
  try {
    const { s, lines } = await ctx.db.kysely.transaction().execute(async (trx) => {
      const made = await make(trx);
      await repo.insertSettlement(trx, made.s, made.lines);
      await recordAudit(trx, ctx, { action: 'rebate.settle', entity: 'rebate_settlement', entityId: made.s.id, accountId: l.accounts[0]?.id ?? null, after: { number: made.s.number, kind: b.kind, cutoff, amountMinor: made.s.amount_minor, earnedToDateMinor: made.s.earned_to_date_minor, alreadyPaidMinor: made.s.already_paid_minor } });
      return made;
    });
    return settlementOut(l, s, withNames(s, lines), e.terms.basisKind);
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError('already_settled', 409, 'Another settlement of this agreement was issued at the same moment; reload to see it');
    throw err;
  }
}

export const previewSettlement = (ctx: RebateCtx, id: string, b: z.infer<typeof SettlementBody>) => doSettle(ctx, id, b, false);
export const runSettlement = (ctx: RebateCtx, id: string, b: z.infer<typeof SettlementBody>) => doSettle(ctx, id, b, true);

export async function listSettlements(ctx: RebateCtx, id: string): Promise<{ items: Settlement[] }> {
  const l = await load(ctx, id);
  const rows = await repo.settlementsOf(ctx.db.kysely, id);
  const lines = await repo.linesOf(ctx.db.kysely, rows.map((r) => r.id));
  const kind = l.versions.length ? termsOf(l.versions[l.versions.length - 1]!).basisKind : 'value';
  return { items: rows.map((r) => settlementOut(l, r, lines, kind)) };
}

export async function getSettlement(ctx: RebateCtx, settlementId: string): Promise<Settlement> {
  const s = await repo.settlementById(ctx.db.kysely, settlementId);
  if (!s) throw notFound('Settlement');
  const l = await load(ctx, s.agreement_id).catch((e: unknown) => {
    if (e instanceof AppError && e.status === 404) throw notFound('Settlement');
    throw e;
  });
  const lines = await repo.linesOf(ctx.db.kysely, [s.id]);
  return settlementOut(l, s, lines, termsOf(l.versions.find((v) => v.id === s.version_id) ?? l.versions[0]!).basisKind);
}

/** Reverses the latest issued settlement, with a reason; the next settlement pays (or claws back) it again. */
export async function reverseSettlement(ctx: RebateCtx, settlementId: string, reason: string): Promise<Settlement> {
  const before = await getSettlement(ctx, settlementId);
  if (before.status !== 'issued') throw new AppError('conflict', 409, 'This settlement is reversed already');
  const now = ctx.clock.now().toISOString();
  await ctx.db.kysely.transaction().execute(async (trx) => {
    const issued = (await repo.settlementsOf(trx, before.agreementId)).filter((s) => s.status === 'issued');
    if (issued[issued.length - 1]?.id !== settlementId) throw new AppError('conflict', 409, 'Reverse the later settlements first: only the latest issued one can be reversed');
    if (!(await repo.reverseSettlement(trx, settlementId, { reversed_at: now, reversed_by: ctx.actor.userId, reversal_reason: reason }))) throw new AppError('conflict', 409, 'This settlement is reversed already');
    await recordAudit(trx, ctx, { action: 'rebate.reverse', entity: 'rebate_settlement', entityId: settlementId, accountId: before.lines[0]?.accountId ?? null, before: { status: 'issued' }, after: { status: 'reversed', reason } });
  });
  return getSettlement(ctx, settlementId);
}

// ---------------------------------------------------------------- the dealer

/** The dealer's own agreements (its account the only one), active: progress only, nothing internal. */
export async function portalProgress(ctx: RebateCtx): Promise<z.infer<typeof PortalProgress>> {
  const accountId = ctx.actor.accountId;
  if (!accountId) return { items: [] };
  const rows = await repo.listAgreements(ctx.db.kysely, ctx.actor, { accountId, status: 'active' });
  const ids = rows.map((r) => r.id);
  const [versions, accounts] = await Promise.all([repo.versionsOf(ctx.db.kysely, ids), repo.accountsOf(ctx.db.kysely, ids)]);
  const items = [];
  for (const row of rows) {
    const accs = accounts.filter((a) => a.agreement_id === row.id);
    if (accs.length !== 1 || accs[0]!.id !== accountId) continue;
    const l: Loaded = { row, writable: false, versions: versions.filter((v) => v.agreement_id === row.id), accounts: accs.map((a) => ({ id: a.id, code: a.code, name: a.name })) };
    const a = await attainmentOf(ctx, l, false);
    items.push({
      id: row.id, number: row.number, name: row.name, currency: row.currency, periodEnd: row.period_end, lastDay: addDays(row.period_end, -1),
      basisKind: a.basisKind, basisToDate: a.basisToDate, tierIndex: a.tierIndex, ratePercent: a.tierIndex >= 0 ? a.tiers[a.tierIndex]!.ratePercent : null,
      earnedToDateMinor: a.earnedToDateMinor, next: a.next, tiers: a.tiers,
    });
  }
  return { items };
}

// ---------------------------------------------------------------- for contributions

/** Attainment of the active agreements covering an account that the caller sees (staff). */
export async function accountAttainments(ctx: Ctx, accountId: string, withForecast: boolean): Promise<{ agreement: Loaded; attainment: Attainment }[]> {
  const rows = await repo.listAgreements(ctx.db.kysely, ctx.actor, { accountId, status: 'active' });
  return attainmentsOf(ctx, rows, withForecast);
}

export async function attainmentsOf(ctx: Ctx, rows: RebateAgreementsTable[], withForecast: boolean) {
  const ids = rows.map((r) => r.id);
  const [versions, accounts] = await Promise.all([repo.versionsOf(ctx.db.kysely, ids), repo.accountsOf(ctx.db.kysely, ids)]);
  const out: { agreement: Loaded; attainment: Attainment }[] = [];
  for (const row of rows) {
    const l: Loaded = { row, writable: false, versions: versions.filter((v) => v.agreement_id === row.id), accounts: accounts.filter((a) => a.agreement_id === row.id).map((a) => ({ id: a.id, code: a.code, name: a.name })) };
    if (!counting(l).length) continue;
    out.push({ agreement: l, attainment: await attainmentOf(ctx, l, withForecast) });
  }
  return out;
}

/** What an agreement's accruals say, to tell whether a recompute changed them. */
export const fingerprint = (rows: Pick<RebateAccrualsTable, 'month' | 'version_id' | 'basis' | 'earned_to_date_minor' | 'tier_index' | 'policy'>[]) =>
  rows.map((r) => `${r.month}|${r.version_id}|${Number(r.basis)}|${Number(r.earned_to_date_minor)}|${r.tier_index}|${r.policy}`).sort().join(';');

function groupBy<T>(xs: T[], key: (x: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const x of xs) {
    const k = key(x);
    const list = m.get(k);
    if (list) list.push(x);
    else m.set(k, [x]);
  }
  return m;
}
