/**
 * The demo world's stakeholder maps (issue 18, decision 039): three of manager1's accounts with
 * the most contacts get their people placed on the map (a decision maker, a champion reporting to
 * them, a buyer, a sceptical finance head, users), manager1 as owner, last contacts spread so that
 * some are fresh and some stale, one decision maker out of touch for 75 days (a gap), a tie
 * between two accounts' people, and key dates (a founding day, a store opening, a lunar
 * birthday). Deterministic for a given day; a handful of rows.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { createRng, seededUuidV7 } from './demo.random.js';

type Account = { id: string; code: string; owner_id: string | null };
type User = { id: string; role: string; email: string };
export type RelationshipsDemoSummary = { accounts: number; people: number; ties: number; keyDates: number };

const ACCOUNTS = 3;
/** Role, stance, reports to (index in the account's people), days since last contact (null: never) and strength, by rank of influence. */
const PLACES = [
  { role: 'decision_maker', stance: 'supporter', boss: null, days: 12, strength: 3 },
  { role: 'influencer', stance: 'champion', boss: 0, days: 4, strength: 5 },
  { role: 'buyer', stance: 'neutral', boss: 1, days: 21, strength: 4 },
  { role: 'finance', stance: 'sceptic', boss: 0, days: null, strength: null },
  { role: 'user', stance: 'neutral', boss: 2, days: 130, strength: 2 },
] as const;

const isoDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

export async function seedRelationshipsDemo(
  trx: Transaction<Database> | Kysely<Database>,
  w: { now: Date; accounts: readonly Account[]; users: readonly User[] },
): Promise<RelationshipsDemoSummary> {
  const rng = createRng('openkam-demo-relationships-v1');
  const nowMs = w.now.getTime();
  const at = w.now.toISOString();
  const manager1 = w.users.find((u) => u.email.startsWith('manager1@'));
  if (!manager1) return { accounts: 0, people: 0, ties: 0, keyDates: 0 };
  const mine = new Set(w.accounts.filter((a) => a.owner_id === manager1.id).map((a) => a.id));
  if (!mine.size) return { accounts: 0, people: 0, ties: 0, keyDates: 0 };
  const contacts = await trx.selectFrom('contacts').select(['id', 'account_id', 'name', 'influence']).where('account_id', 'in', [...mine]).execute();
  const byAccount = new Map<string, typeof contacts>();
  for (const c of contacts) byAccount.set(c.account_id, [...(byAccount.get(c.account_id) ?? []), c]);
  const code = new Map(w.accounts.map((a) => [a.id, a.code]));
  const chosen = [...byAccount.keys()].sort((a, b) => byAccount.get(b)!.length - byAccount.get(a)!.length || code.get(a)!.localeCompare(code.get(b)!)).slice(0, ACCOUNTS);

  let people = 0, keyDates = 0;
  const champions: { contactId: string; accountId: string }[] = [];
  for (const [n, accountId] of chosen.entries()) {
    const list = [...byAccount.get(accountId)!].sort((a, b) => Number(b.influence) - Number(a.influence) || a.id.localeCompare(b.id));
    for (const [i, c] of list.entries()) {
      const place = PLACES[Math.min(i, PLACES.length - 1)]!;
      // The first account's decision maker has gone 75 days without contact: the map flags it.
      const days = n === 0 && i === 0 ? 75 : place.days;
      await trx.insertInto('stakeholders').values({
        contact_id: c.id, account_id: accountId, buying_role: place.role, stance: place.stance,
        reports_to_contact_id: place.boss === null || place.boss >= i ? null : list[place.boss]!.id,
        owner_user_id: place.strength === null ? null : manager1.id, strength: place.strength,
        last_contact_on: days === null ? null : isoDay(nowMs - days * 86_400_000), created_at: at, updated_at: at, version: 1,
      }).execute();
      people++;
      if (place.stance === 'champion') champions.push({ contactId: c.id, accountId });
    }
    const founded = rng.int(1996, 2015);
    const dates = [
      { contact_id: null, kind: 'company_anniversary', label: n === 0 ? '公司成立日' : '建厂纪念日', calendar: 'gregorian', month: rng.int(1, 12), day: rng.int(1, 28), leap: 0, first_year: founded },
      { contact_id: list[0]!.id, kind: 'birthday', label: list[0]!.name, calendar: 'lunar', month: rng.int(1, 12), day: rng.int(1, 29), leap: 0, first_year: null },
      ...(n === 0 ? [{ contact_id: null, kind: 'store_anniversary', label: '旗舰店开业', calendar: 'gregorian', month: 12, day: Number(at.slice(8, 10)) <= 20 ? Number(at.slice(8, 10)) + 8 : 3, leap: 0, first_year: founded + 9 }] : []),
    ];
    for (const d of dates) {
      await trx.insertInto('key_dates').values({
        id: seededUuidV7(rng, nowMs - 86_400_000), account_id: accountId, ...d, lead_days: null, created_by: manager1.id, created_at: at, updated_at: at, version: 1,
      }).execute();
      keyDates++;
    }
  }
  let ties = 0;
  if (champions.length >= 2) {
    const [a, b] = champions as [typeof champions[number], typeof champions[number]];
    await trx.insertInto('stakeholder_ties').values({
      id: seededUuidV7(rng, nowMs - 86_400_000), from_contact_id: a.contactId, from_account_id: a.accountId, to_contact_id: b.contactId, to_account_id: b.accountId,
      kind: 'former_colleague', note: null, created_by: manager1.id, created_at: at,
    }).execute();
    ties++;
  }
  return { accounts: chosen.length, people, ties, keyDates };
}
