/**
 * The demo world's VMI (decision 034): three key accounts with stock reports (manager1's first)
 * have VMI on for the products they report, with min/max days of supply (7 to 21), the lead time
 * from their delivery history and the rhythm from their visit program. Each gets this week's
 * draft, drafted from the seeded stock, open orders and sales exactly as the service drafts it;
 * the first with a portal sign-in has its order sent and waiting for the dealer's signature (72
 * hours; the portal's card shows it; no notification row, the generated world's own rows are
 * counted exactly). Deterministic for a given day; a handful of rows, so the build
 * stays fast.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { Ctx } from '../../server/context.js';
import { draftNumber, draftRowsFor, DEFAULT_EXPIRY_HOURS, AUDIT, ENTITY } from '../vmi/vmi.service.js';
import { createRng, seededUuidV7 } from './demo.random.js';

type Account = { id: string; code: string; owner_id: string | null };
type User = { id: string; role: string; email: string; name: string; account_id: string | null };
export type VmiDemoSummary = { accounts: number; drafts: number; sent: number };

const ACCOUNTS = 3;

export async function seedVmiDemo(
  trx: Transaction<Database> | Kysely<Database>,
  w: { now: Date; dialect: 'sqlite' | 'postgres'; accounts: readonly Account[]; users: readonly User[] },
): Promise<VmiDemoSummary> {
  const rng = createRng('openkam-demo-vmi-v1');
  const nowMs = w.now.getTime();
  const at = w.now.toISOString();
  const admin = w.users.find((u) => u.role === 'admin');
  const manager1 = w.users.find((u) => u.email.startsWith('manager1@'));
  if (!admin) return { accounts: 0, drafts: 0, sent: 0 };
  const reported = await trx.selectFrom('dealer_stock_reports').select(['account_id', 'product_id']).distinct().where('product_id', 'is not', null).execute();
  const productsOf = new Map<string, string[]>();
  for (const r of reported) productsOf.set(r.account_id, [...(productsOf.get(r.account_id) ?? []), r.product_id!]);
  const dealerUser = new Map(w.users.filter((u) => u.role === 'dealer' && u.account_id).map((u) => [u.account_id!, u]));
  const chosen = w.accounts.filter((a) => productsOf.has(a.id))
    .sort((a, b) => Number(b.owner_id === manager1?.id) - Number(a.owner_id === manager1?.id) || Number(dealerUser.has(b.id)) - Number(dealerUser.has(a.id)) || a.code.localeCompare(b.code))
    .slice(0, ACCOUNTS);

  // The service's drafting reads through this transaction, as an admin (every account in sight).
  const ctx = {
    db: { kysely: trx, dialect: w.dialect }, clock: { now: () => new Date(nowMs) }, requestId: 'demo-seed',
    actor: { userId: admin.id, email: admin.email, name: admin.name, role: 'admin', teamId: null, accountId: null, department: null },
  } as unknown as Ctx;

  let drafts = 0, sent = 0;
  for (const a of chosen) {
    await trx.insertInto('vmi_settings').values({
      account_id: a.id, enabled: 1, site_id: null, lead_time_days: null, rhythm_json: null, capacity_kg: null, capacity_pallets: null, truck_kg: null, truck_pallets: null,
      full_trucks: 0, expiry_hours: DEFAULT_EXPIRY_HOURS, updated_by: a.owner_id, created_at: at, updated_at: at, version: 1,
    }).execute();
    await trx.insertInto('vmi_line_settings').values(productsOf.get(a.id)!.sort().map((productId) => ({
      account_id: a.id, product_id: productId, enabled: 1, policy_json: JSON.stringify({ kind: 'minMax', minDays: 7, maxDays: 21 }), min_order: 0,
      pack_units: null, pack_kg: null, per_pallet: null, change_down_pct: 20, change_up_pct: 20, updated_at: at,
    }))).execute();
    const id = seededUuidV7(rng, nowMs - 3 * 3_600_000);
    let rows;
    try {
      rows = await draftRowsFor(ctx, a.id, at.slice(0, 10), { id, number: draftNumber(at, drafts + 1), createdBy: a.owner_id });
    } catch {
      continue; // data the core cannot draft from: the account keeps its settings and no draft
    }
    const total = rows.lines.reduce((s, l) => s + l.quantity, 0);
    const dealer = dealerUser.get(a.id);
    const send = sent === 0 && total > 0 && !!dealer;
    const sentAt = new Date(nowMs - 2 * 3_600_000).toISOString();
    const expiresAt = new Date(nowMs - 2 * 3_600_000 + DEFAULT_EXPIRY_HOURS * 3_600_000).toISOString();
    await trx.insertInto('vmi_drafts').values({
      ...rows.draft, created_at: new Date(nowMs - 3 * 3_600_000).toISOString(), updated_at: send ? sentAt : at,
      ...(send ? { status: 'sent', sent_by: a.owner_id, sent_at: sentAt, expires_at: expiresAt, version: 2 } : {}),
    }).execute();
    await trx.insertInto('vmi_draft_lines').values(rows.lines).execute();
    drafts++;
    if (send) {
      sent++;
      await trx.insertInto('audit_log').values({
        id: seededUuidV7(rng, nowMs - 2 * 3_600_000), at: sentAt, actor_id: a.owner_id, actor_label: 'demo', action: AUDIT.send, entity: ENTITY, entity_id: id, account_id: a.id,
        before_json: JSON.stringify({ status: 'draft', version: 1 }), after_json: JSON.stringify({ status: 'sent', number: rows.draft.number, expiresAt, notified: 1 }), request_id: 'demo-seed',
      }).execute();
    }
  }
  return { accounts: chosen.length, drafts, sent };
}
