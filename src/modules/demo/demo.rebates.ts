/**
 * Demo rebate agreements over the demo accounts (deterministic: the first accounts by code):
 * annual 2 % / 3 % / 4 % retroactive agreements on net value for five tier-A accounts, with
 * thresholds around last year's volume (so some are close to a tier), one group agreement pooling
 * three tier-B accounts (incremental 1 % / 2 %), and a settled half-year partial on the first.
 */
import type { Insertable, Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { newId } from '../../shared/ids.js';
import { calcRebate, creditNoteLines } from '../rebates/rebates.domain.js';

type Account = { id: string; code: string; tier: string | null; status: string; owner_id: string | null; currency: string };
type User = { id: string; role: string };
type Line = Pick<Insertable<Database['sales_lines']>, 'account_id' | 'date' | 'net_amount_minor' | 'currency'>;

const roundTo = (v: number, step: number) => Math.max(step, Math.round(v / step) * step);

export async function seedRebatesDemo(
  trx: Transaction<Database> | Kysely<Database>,
  w: { now: Date; accounts: readonly Account[]; users: readonly User[]; lines: readonly Line[] },
): Promise<{ agreements: number; settlements: number }> {
  const year = w.now.getUTCFullYear();
  const start = `${year}-01-01`;
  const end = `${year + 1}-01-01`;
  const lastYear = [`${year - 1}-01-01`, start] as const;
  const ts = w.now.toISOString();
  const director = w.users.find((u) => u.role === 'director') ?? w.users.find((u) => u.role === 'admin');
  const live = [...w.accounts].filter((a) => a.status === 'active' && a.owner_id).sort((a, b) => a.code.localeCompare(b.code));
  const revenue = (ids: string[], from: string, to: string) => {
    const set = new Set(ids);
    let s = 0;
    for (const l of w.lines) if (set.has(l.account_id) && l.date >= from && l.date < to && l.currency === 'CNY') s += Number(l.net_amount_minor);
    return s;
  };
  const earliest = w.lines.reduce((m, l) => (l.date < m ? l.date : m), '9999-12-31');
  const singles = live.filter((a) => a.tier === 'A').slice(0, 5);
  const group = live.filter((a) => a.tier === 'B').slice(0, 3);
  let n = 0;
  let settlements = 0;
  const make = async (accs: Account[], name: string, method: 'retroactive' | 'incremental', rates: number[], factors: number[], settleHalf: boolean) => {
    if (!accs.length || !director) return;
    const ids = accs.map((a) => a.id);
    // Last year's volume; where the demo history is shorter (the small world), the trailing volume scaled to a year.
    const today = ts.slice(0, 10);
    const yearAgo = new Date(w.now.getTime() - 365 * 86_400_000).toISOString().slice(0, 10);
    const from = earliest > yearAgo ? earliest : yearAgo;
    const spanDays = Math.max(30, (Date.parse(today) - Date.parse(from)) / 86_400_000);
    const base = Math.max(revenue(ids, lastYear[0], lastYear[1]), Math.round((revenue(ids, from, today) * 365) / spanDays), 100_000_00);
    const tiers = rates.map((r, i) => ({ from: i === 0 ? 0 : roundTo(base * factors[i - 1]!, 1_000_000), ratePercent: r }));
    const terms = { method, basisKind: 'value', tiers, minimumBasis: null, capMinor: null, categories: null, skus: null, returnsCounted: true, accrualPolicy: 'reached', reference: null };
    const id = newId();
    n++;
    const number = `RB-${year}-${String(n).padStart(4, '0')}`;
    const versionId = newId();
    await trx.insertInto('rebate_agreements').values({
      id, number, name, currency: 'CNY', period_start: start, period_end: end, status: 'active', settlement_dates_json: JSON.stringify([`${year}-07-01`]),
      expected_basis: base, internal_note: 'Demo: thresholds set around last year\'s volume', created_by: accs[0]!.owner_id!, approved_by: director.id, approved_at: ts,
      created_at: ts, updated_at: ts, version: 1,
    }).execute();
    await trx.insertInto('rebate_agreement_accounts').values(ids.map((account_id) => ({ agreement_id: id, account_id }))).execute();
    await trx.insertInto('rebate_agreement_versions').values({
      id: versionId, agreement_id: id, seq: 1, effective_from: start, terms_json: JSON.stringify(terms), value_minor: calcRebate({ method, tiers }, base).rebateMinor,
      status: 'active', note: null, created_by: accs[0]!.owner_id!, created_at: ts,
    }).execute();
    const cutoff = `${year}-07-01`;
    if (settleHalf && ts.slice(0, 10) >= cutoff) {
      const perAccount = ids.map((a) => revenue([a], start, cutoff));
      const basis = perAccount.reduce((s, x) => s + x, 0);
      const r = calcRebate({ method, tiers }, basis);
      const sid = newId();
      await trx.insertInto('rebate_settlements').values({
        id: sid, agreement_id: id, seq: 1, number: `CN-${number}-01`, kind: 'partial', cutoff, version_id: versionId, basis, tier_index: r.tierIndex,
        earned_to_date_minor: r.rebateMinor, already_paid_minor: 0, amount_minor: r.rebateMinor, currency: 'CNY', status: 'issued',
        reversed_at: null, reversed_by: null, reversal_reason: null, created_by: director.id, created_at: ts,
      }).execute();
      const lines = creditNoteLines(r.rebateMinor, ids.map((a, i) => ({ key: a, label: a, weight: Math.max(0, perAccount[i]!) })));
      if (lines.length) await trx.insertInto('rebate_settlement_lines').values(lines.map((l, i) => ({ settlement_id: sid, line_no: i + 1, account_id: l.key, basis: perAccount[i]!, amount_minor: l.amountMinor }))).execute();
      settlements++;
    }
  };
  for (const [i, a] of singles.entries()) {
    await make([a], `${year} 年度销量返利 Annual volume rebate`, 'retroactive', [2, 3, 4], [0.95 + i * 0.05, 1.25 + i * 0.05], i === 0);
  }
  await make(group, `${year} 经销商联盟返利 Dealer group rebate`, 'incremental', [1, 2], [1.0], false);
  return { agreements: n, settlements };
}
