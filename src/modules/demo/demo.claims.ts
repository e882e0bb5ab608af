/**
 * The demo world's claims (decision 023): eleven, over a few key accounts (manager1's first), one
 * in each state of the lifecycle and a few more: filed (one by the dealer in the portal, one by
 * the manager), under investigation (with the carrier's answer as an internal note), accepted,
 * partly accepted, rejected with its reason, credited with its credit note, closed after a credit
 * or a rejection, and one the dealer withdrew. Each is about a real demo order line delivered late
 * (or a real shipment, for damage and shortage), with the amount in fen worked out from the line.
 * Every step is asked of claims.domain.ts, as the service would, so no claim is in a state the
 * lifecycle could not reach. Service levels count on the service desk's working calendar.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { instantOf, localDateOf, weekdayOfDate, addDays, DEFAULT_TIME_ZONE } from '../../shared/time.js';
import { DEFAULT_CLAIM_LEVELS, claimNumber, step, type ClaimAction, type ClaimKind, type ClaimStatus, type StepInput } from '../claims/claims.domain.js';
import type { ClaimEventsTable, ClaimLinesTable, ClaimsTable } from '../claims/claims.table.js';
import type { OrderLinesTable, ShipmentsTable } from '../delivery/delivery.table.js';
import { dueAt, type WorkingCalendar } from '../services/sla.domain.js';
import { isHoliday } from './demo.program.js';
import { createRng, seededUuidV7 } from './demo.random.js';

type Account = { id: string; code: string; owner_id: string | null; currency: string };
type User = { id: string; role: string; email: string; account_id: string | null };
type Line = Pick<OrderLinesTable, 'id' | 'account_id' | 'order_no' | 'quantity' | 'unit' | 'value_minor' | 'currency' | 'promised_date' | 'status' | 'planned_mode'>;
type Shipment = Pick<ShipmentsTable, 'id' | 'order_line_id' | 'delivered_date' | 'mode'>;
export type ClaimsDemoSummary = { claims: number; events: number };

const TZ = DEFAULT_TIME_ZONE;
const DAY_MS = 86_400_000;
const UNIT_ZH: Record<string, string> = { t: '吨', bag: '袋', roll: '卷', sheet: '张', bucket: '桶' };
const BY_MODE: Record<string, string> = { ship: '海运', rail: '铁路', road: '公路' };
const md = (iso: string) => `${Number(iso.slice(5, 7))}月${Number(iso.slice(8, 10))}日`;
const tens = (minor: number) => Math.max(1_000, Math.round(minor / 1_000) * 1_000);

/** A claim to seed: its kind, who files it and how, when (days back, on a working day), whose account it goes to, and its steps (days after filing). */
type Spec = {
  kind: ClaimKind; via: 'staff' | 'portal'; filedDaysAgo: number; prefer: 'manager1' | 'other';
  steps: { action: ClaimAction; afterDays: number; partly?: boolean; reason?: (c: Candidate) => string; note?: string }[];
};
const accept = '承运人确认延误，超出合同约定的一个工作日容差，全额接受 · The carrier confirms the delay, beyond the agreed one working day: accepted in full';
const partly = (c: Candidate) => `扣除约定的一个工作日容差，按超出的 ${c.daysLate - 1} 天接受 · Accepted for the ${c.daysLate - 1} days beyond the one working day of tolerance`;
const rejected = '改期系经销商要求（见业务员拜访记录），不属于我方延误 · The new date was the dealer\'s own request (see the visit notes): not a delay on our side';
const specs: Spec[] = [
  { kind: 'late', via: 'portal', filedDaysAgo: 1, prefer: 'manager1', steps: [] },
  { kind: 'damage', via: 'staff', filedDaysAgo: 0, prefer: 'manager1', steps: [] },
  { kind: 'late', via: 'staff', filedDaysAgo: 4, prefer: 'manager1', steps: [{ action: 'investigate', afterDays: 0, note: '承运人回复：宁波港大风封港两天，船期顺延 · Carrier: Ningbo port closed two days for gales; the sailing slipped' }] },
  { kind: 'shortage', via: 'staff', filedDaysAgo: 6, prefer: 'other', steps: [{ action: 'investigate', afterDays: 1, note: '仓库复核装车单，少装一托 · Warehouse rechecking the loading list: one pallet short' }] },
  { kind: 'late', via: 'portal', filedDaysAgo: 9, prefer: 'manager1', steps: [{ action: 'investigate', afterDays: 0 }, { action: 'accept', afterDays: 3, reason: () => accept }] },
  { kind: 'late', via: 'staff', filedDaysAgo: 12, prefer: 'other', steps: [{ action: 'investigate', afterDays: 1 }, { action: 'partly_accept', afterDays: 4, partly: true, reason: partly }] },
  { kind: 'late', via: 'staff', filedDaysAgo: 16, prefer: 'manager1', steps: [{ action: 'investigate', afterDays: 0 }, { action: 'reject', afterDays: 2, reason: () => rejected }] },
  { kind: 'late', via: 'portal', filedDaysAgo: 20, prefer: 'manager1', steps: [{ action: 'withdraw', afterDays: 2, reason: () => '业务员已协调补货，撤回索赔 · Our salesman arranged the make-up delivery: claim withdrawn' }] },
  { kind: 'late', via: 'staff', filedDaysAgo: 30, prefer: 'manager1', steps: [{ action: 'investigate', afterDays: 0 }, { action: 'partly_accept', afterDays: 3, partly: true, reason: partly }, { action: 'credit', afterDays: 6 }] },
  { kind: 'late', via: 'staff', filedDaysAgo: 75, prefer: 'manager1', steps: [{ action: 'investigate', afterDays: 0 }, { action: 'accept', afterDays: 2, reason: () => accept }, { action: 'credit', afterDays: 5 }, { action: 'close', afterDays: 12 }] },
  { kind: 'late', via: 'portal', filedDaysAgo: 110, prefer: 'manager1', steps: [{ action: 'investigate', afterDays: 1 }, { action: 'reject', afterDays: 3, reason: () => rejected }, { action: 'close', afterDays: 10 }] },
];

type Candidate = { line: Line; shipmentId: string; delivered: string; daysLate: number; mode: string };

/**
 * Writes the claims with their lines and events. Needs the delivery demo's order lines and
 * shipments; does nothing for a claim no line fits (a small world may lack one).
 */
export async function seedClaimsDemo(
  trx: Transaction<Database> | Kysely<Database>,
  w: { now: Date; calendar: WorkingCalendar; accounts: readonly Account[]; users: readonly User[]; lines: readonly Line[]; shipments: readonly Shipment[] },
): Promise<ClaimsDemoSummary> {
  const rng = createRng('openkam-demo-claims-v1');
  const nowMs = w.now.getTime();
  const today = localDateOf(w.now, TZ);
  const manager1 = w.users.find((u) => u.email.startsWith('manager1@'));
  const accounts = new Map(w.accounts.map((a) => [a.id, a]));
  const dealerUser = new Map(w.users.filter((u) => u.role === 'dealer' && u.account_id).map((u) => [u.account_id!, u.id]));
  const working = (d: string) => !['sat', 'sun'].includes(weekdayOfDate(d)) && !isHoliday(d);
  /** The working day `n` days before today (moved back past weekends and holidays), and the first working day from a date. */
  const back = (n: number) => { let d = addDays(today, -n); while (!working(d)) d = addDays(d, -1); return d; };
  const forward = (d: string) => { while (!working(d)) d = addDays(d, 1); return d; };

  // The completing shipment of each delivered line, and how late it came.
  const last = new Map<string, Shipment>();
  for (const s of w.shipments) if (s.delivered_date && (!last.has(s.order_line_id) || s.delivered_date > last.get(s.order_line_id)!.delivered_date!)) last.set(s.order_line_id, s);
  const candidates: Candidate[] = [];
  for (const l of w.lines) {
    const s = last.get(l.id);
    if (l.status !== 'delivered' || !s || !l.promised_date || !l.value_minor || l.currency !== accounts.get(l.account_id)?.currency) continue;
    const daysLate = Math.round((Date.parse(s.delivered_date!) - Date.parse(l.promised_date)) / DAY_MS);
    candidates.push({ line: l, shipmentId: s.id, delivered: s.delivered_date!, daysLate, mode: s.mode ?? l.planned_mode ?? 'ship' });
  }
  const used = new Set<string>();
  const accountsUsed = new Set<string>();
  const isManager1 = (c: Candidate) => !!manager1 && accounts.get(c.line.account_id)?.owner_id === manager1.id;

  const claims: ClaimsTable[] = [];
  const links: ClaimLinesTable[] = [];
  const events: ClaimEventsTable[] = [];
  // The lines that came the most days after their promise first; a claim goes to a dealer that has none yet where one fits.
  candidates.sort((a, b) => b.daysLate - a.daysLate || (a.line.id < b.line.id ? -1 : 1));
  for (const spec of specs) {
    const filedDay = back(spec.filedDaysAgo);
    const since = addDays(filedDay, -42);
    // A line delivered in the six weeks before filing: late (three days or more) for a late claim, bagged goods for damage, a big line for a shortage.
    const fits = (c: Candidate, anyAccount: boolean) => !used.has(c.line.id) && c.delivered < filedDay && c.delivered >= since
      && (spec.kind === 'late' ? c.daysLate >= 3 : spec.kind === 'damage' ? c.line.unit === 'bag' && (c.line.quantity ?? 0) >= 40 : (c.line.quantity ?? 0) >= (c.line.unit === 'bag' ? 400 : 20))
      && (anyAccount || (spec.prefer === 'manager1') === isManager1(c)) && (spec.via === 'staff' || dealerUser.has(c.line.account_id));
    // Another account when none of the preferred ones has a line that fits.
    const fitting = candidates.filter((c) => fits(c, false));
    const pool = fitting.length ? fitting : candidates.filter((c) => fits(c, true));
    const pick = pool.find((c) => !accountsUsed.has(c.line.account_id)) ?? pool[0];
    const account = pick && accounts.get(pick.line.account_id);
    if (!pick || !account?.owner_id) continue;
    used.add(pick.line.id);
    accountsUsed.add(account.id);
    const owner = account.owner_id;
    const filer = spec.via === 'portal' ? dealerUser.get(account.id)! : owner;
    const l = pick.line;
    const quantity = l.quantity ?? 1;
    const unitPrice = Math.round(l.value_minor! / Math.max(1, quantity));
    // Broken bags: about one in a hundred; short: a pallet of bags, or a twentieth of the tonnage.
    const short = spec.kind === 'damage' ? Math.min(60, Math.max(5, Math.round(quantity / 100))) : l.unit === 'bag' ? 40 : Math.max(1, Math.round(quantity / 20));
    // Late: 1 % of the line's value a day, at most 10 % (the supply agreement's penalty).
    const claimed = spec.kind === 'late' ? tens(l.value_minor! * Math.min(0.1, 0.01 * pick.daysLate)) : tens(short * unitPrice);
    const unit = UNIT_ZH[l.unit ?? ''] ?? '件';
    const text = {
      late: { title: `${l.order_no} ${BY_MODE[pick.mode] ?? ''}晚到 ${pick.daysLate} 天`, description: `承诺 ${md(l.promised_date!)} 到货，${md(pick.delivered)} 才到，晚了 ${pick.daysLate} 天；工地等料停工，按供货协议要求赔偿。` },
      damage: { title: `${l.order_no} 到货破袋 ${short} ${unit}`, description: `${md(pick.delivered)} 到货时 ${short} ${unit}破损受潮，已拍照留存，司机签字确认。` },
      shortage: { title: `${l.order_no} 少发 ${short} ${unit}`, description: `${md(pick.delivered)} 到货清点，比发货单少 ${short} ${unit}，卸货时司机在场确认。` },
    }[spec.kind];
    const filedAt = atOrBefore(instantOf(filedDay, spec.filedDaysAgo === 0 ? '09:20' : '10:15', TZ), nowMs, 40);
    const at = filedAt.toISOString();
    const levels = DEFAULT_CLAIM_LEVELS[spec.kind];
    const id = seededUuidV7(rng, filedAt.getTime());
    const row: ClaimsTable = {
      id, number: '', account_id: account.id, kind: spec.kind, status: 'filed', title: text.title, description: text.description, claimed_minor: claimed, currency: account.currency,
      accepted_minor: null, decision_reason: null, credit_note_no: null, credit_minor: null, credit_currency: null, credit_date: null, filed_by: filer, filed_via: spec.via,
      response_due_at: dueAt(w.calendar, filedAt, levels.responseMinutes).toISOString(), decision_due_at: dueAt(w.calendar, filedAt, levels.decisionMinutes).toISOString(),
      response_minutes: levels.responseMinutes, decision_minutes: levels.decisionMinutes,
      responded_at: null, decided_at: null, closed_at: null, created_at: at, updated_at: at, version: 1,
    };
    const event = (e: Omit<ClaimEventsTable, 'id' | 'claim_id' | 'account_id'>) => events.push({ id: seededUuidV7(rng, Date.parse(e.at)), claim_id: id, account_id: account.id, ...e });
    event({ at, actor_id: filer, kind: 'filed', from_status: null, to_status: 'filed', reason: null, internal: 0 });
    links.push({ id: seededUuidV7(rng, filedAt.getTime()), claim_id: id, order_line_id: l.id, shipment_id: pick.shipmentId });

    let prev = filedAt.getTime();
    spec.steps.forEach((s, i) => {
      const day = forward(addDays(filedDay, s.afterDays));
      const stepAt = atOrBefore(new Date(Math.max(prev + 45 * 60_000, instantOf(day, i % 2 ? '15:30' : '11:05', TZ).getTime())), nowMs, 10 * (spec.steps.length - i));
      prev = stepAt.getTime();
      const stamp = stepAt.toISOString();
      const actor = s.action === 'withdraw' ? filer : owner;
      const input: StepInput = {
        action: s.action, actorId: actor, reason: s.reason?.(pick) ?? null,
        acceptedMinor: s.partly ? partOf(claimed, pick.daysLate) : null,
        creditNote: s.action === 'credit' ? { number: `CN-${day.slice(0, 4)}-${4100 + claims.length * 7}`, amountMinor: row.accepted_minor ?? 0, currency: row.currency, issueDate: day } : null,
      };
      const from = row.status as ClaimStatus;
      const r = step({ status: from, claimedMinor: row.claimed_minor, currency: row.currency, acceptedMinor: row.accepted_minor, filedBy: row.filed_by }, input);
      if (!r.ok) throw new Error(`demo claim ${text.title}: ${s.action} refused: ${r.message}`);
      row.status = r.to;
      if (s.action === 'investigate') row.responded_at = stamp;
      if (s.action === 'accept' || s.action === 'partly_accept' || s.action === 'reject') Object.assign(row, { decided_at: stamp, accepted_minor: r.acceptedMinor, decision_reason: input.reason });
      if (input.creditNote) Object.assign(row, { credit_note_no: input.creditNote.number, credit_minor: input.creditNote.amountMinor, credit_currency: input.creditNote.currency, credit_date: input.creditNote.issueDate });
      if (s.action === 'close' || s.action === 'withdraw') row.closed_at = stamp;
      row.updated_at = stamp;
      row.version++;
      event({ at: stamp, actor_id: actor, kind: 'status', from_status: from, to_status: r.to, reason: input.creditNote?.number ?? input.reason ?? null, internal: 0 });
      if (s.note) event({ at: new Date(prev + 20 * 60_000 < nowMs ? prev + 20 * 60_000 : prev).toISOString(), actor_id: owner, kind: 'note', from_status: null, to_status: null, reason: s.note, internal: 1 });
    });
    claims.push(row);
  }
  // Numbers by filing order within each year, as the service gives them.
  const seq = new Map<string, number>();
  for (const c of [...claims].sort((a, b) => a.created_at.localeCompare(b.created_at) || a.id.localeCompare(b.id))) {
    const n = (seq.get(c.created_at.slice(0, 4)) ?? 0) + 1;
    seq.set(c.created_at.slice(0, 4), n);
    c.number = claimNumber(c.created_at, n);
  }
  if (claims.length) {
    await trx.insertInto('claims').values(claims).execute();
    await trx.insertInto('claim_lines').values(links).execute();
    await trx.insertInto('claim_events').values(events).execute();
  }
  return { claims: claims.length, events: events.length };
}

/** The share of a late claim for the days beyond the one of tolerance, in whole yuan where that stays below the claim. */
function partOf(claimedMinor: number, daysLate: number): number {
  const exact = (claimedMinor * (daysLate - 1)) / daysLate;
  return tens(exact) < claimedMinor ? tens(exact) : Math.round(exact);
}

/** The instant, or a few minutes before now when it would fall after it (a claim filed this morning, seeded at dawn). */
const atOrBefore = (d: Date, nowMs: number, minutesBefore: number) => (d.getTime() < nowMs ? d : new Date(nowMs - minutesBefore * 60_000));
