/** All SQL of advisories and notifications. Returns rows joined with the labels the API shows. */
import type { Expression, Kysely, SqlBool, Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { LocalizedHeadline } from './cap.domain.js';
import { parseHeadlines } from './hazards.repository.js';
import type { AdvisoriesTable, NotificationsTable } from './hazards.table.js';

type Q = Kysely<Database> | Transaction<Database>;

/** An advisory with the labels the API shows, and its warning's headline in every language. */
export type AdvisoryRow = AdvisoriesTable & { site_name: string; account_name: string; account_name_en: string | null; manager_name: string | null; headlines: LocalizedHeadline[] };

const base = (db: Q) =>
  db.selectFrom('advisories')
    .innerJoin('sites', 'sites.id', 'advisories.site_id')
    .innerJoin('accounts', 'accounts.id', 'advisories.account_id')
    .leftJoin('users as manager', 'manager.id', 'advisories.manager_id')
    .leftJoin('hazard_alerts', 'hazard_alerts.id', 'advisories.alert_id')
    .selectAll('advisories')
    .select(['sites.name as site_name', 'accounts.name as account_name', 'accounts.name_en as account_name_en', 'manager.name as manager_name', 'hazard_alerts.headlines_json as alert_headlines_json']);

type BaseRow = Omit<AdvisoryRow, 'headlines'> & { alert_headlines_json: string | null };

const norm = ({ alert_headlines_json, ...r }: BaseRow): AdvisoryRow => ({
  ...r,
  headlines: parseHeadlines(alert_headlines_json),
  value_at_risk_minor: r.value_at_risk_minor === null ? null : Number(r.value_at_risk_minor),
  value_saved_minor: r.value_saved_minor === null ? null : Number(r.value_saved_minor),
  losses_minor: r.losses_minor === null ? null : Number(r.losses_minor),
  moving_cost_minor: r.moving_cost_minor === null ? null : Number(r.moving_cost_minor),
});

/** Advisories in scope (a condition on advisories.account_id), newest first, keyset-paged by (created_at, id). */
export async function listAdvisories(db: Q, scope: Expression<SqlBool>, f: { status?: string; accountId?: string; managerId?: string; before?: [string, string]; limit: number }): Promise<AdvisoryRow[]> {
  let q = base(db).where(scope);
  if (f.status) q = q.where('advisories.status', '=', f.status);
  if (f.accountId) q = q.where('advisories.account_id', '=', f.accountId);
  if (f.managerId) q = q.where('advisories.manager_id', '=', f.managerId);
  if (f.before) {
    const [at, id] = f.before;
    q = q.where((eb) => eb.or([eb('advisories.created_at', '<', at), eb.and([eb('advisories.created_at', '=', at), eb('advisories.id', '<', id)])]));
  }
  const rows = (await q.orderBy('advisories.created_at', 'desc').orderBy('advisories.id', 'desc').limit(f.limit).execute()) as BaseRow[];
  return rows.map(norm);
}

export async function findAdvisory(db: Q, scope: Expression<SqlBool>, id: string): Promise<AdvisoryRow | undefined> {
  const r = (await base(db).where(scope).where('advisories.id', '=', id).executeTakeFirst()) as BaseRow | undefined;
  return r ? norm(r) : undefined;
}

export async function advisoriesByThreadSite(db: Q): Promise<Map<string, AdvisoriesTable>> {
  const rows = await db.selectFrom('advisories').selectAll().execute();
  return new Map(rows.map((r) => [`${r.thread_key}\u0000${r.site_id}`, r]));
}

export async function insertAdvisory(db: Q, row: AdvisoriesTable): Promise<void> {
  await db.insertInto('advisories').values(row).execute();
}

/** Optimistic update; false when the version moved since it was read. */
export async function updateAdvisory(db: Q, id: string, version: number, patch: Partial<AdvisoriesTable>): Promise<boolean> {
  const r = await db.updateTable('advisories').set({ ...patch, version: version + 1 }).where('id', '=', id).where('version', '=', version).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Delivery results are bookkeeping after the fact: they do not bump the version. */
export async function setDelivery(db: Q, id: string, patch: Pick<Partial<AdvisoriesTable>, 'email_status' | 'webhook_status'>): Promise<void> {
  await db.updateTable('advisories').set(patch).where('id', '=', id).execute();
}

export async function countOpenAdvisories(db: Q, accountId: string): Promise<number> {
  const r = await db.selectFrom('advisories').select((eb) => eb.fn.countAll<number>().as('n')).where('account_id', '=', accountId).where('status', '!=', 'closed').executeTakeFirstOrThrow();
  return Number(r.n);
}

// ---------- notifications ----------

export async function insertNotification(db: Q, row: NotificationsTable): Promise<void> {
  await db.insertInto('notifications').values(row).execute();
}

export async function listNotifications(db: Q, userId: string, f: { unread?: boolean; before?: [string, string]; limit: number }): Promise<NotificationsTable[]> {
  let q = db.selectFrom('notifications').selectAll().where('user_id', '=', userId);
  if (f.unread) q = q.where('read_at', 'is', null);
  if (f.before) {
    const [at, id] = f.before;
    q = q.where((eb) => eb.or([eb('created_at', '<', at), eb.and([eb('created_at', '=', at), eb('id', '<', id)])]));
  }
  return q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(f.limit).execute();
}

export async function countUnread(db: Q, userId: string): Promise<number> {
  const r = await db.selectFrom('notifications').select((eb) => eb.fn.countAll<number>().as('n')).where('user_id', '=', userId).where('read_at', 'is', null).executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function markRead(db: Q, userId: string, ids: string[] | 'all', at: string): Promise<number> {
  let q = db.updateTable('notifications').set({ read_at: at }).where('user_id', '=', userId).where('read_at', 'is', null);
  if (ids !== 'all') {
    if (ids.length === 0) return 0;
    q = q.where('id', 'in', ids);
  }
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export async function findNotification(db: Q, userId: string, id: string): Promise<NotificationsTable | undefined> {
  return db.selectFrom('notifications').selectAll().where('user_id', '=', userId).where('id', '=', id).executeTakeFirst();
}

/**
 * What a notification's structured form needs, by advisory: the warning's headline, the site
 * and account names, and where the hazard stands. One query for a page of notifications.
 */
export async function notificationSubjects(db: Q, advisoryIds: string[]) {
  if (advisoryIds.length === 0) return new Map<string, NotificationSubject>();
  const rows = await db.selectFrom('advisories')
    .innerJoin('sites', 'sites.id', 'advisories.site_id')
    .innerJoin('accounts', 'accounts.id', 'advisories.account_id')
    .leftJoin('hazard_alerts', 'hazard_alerts.id', 'advisories.alert_id')
    .select(['advisories.id', 'advisories.headline', 'hazard_alerts.headlines_json', 'advisories.hazard_state', 'advisories.inside', 'advisories.distance_m', 'sites.name as site_name', 'accounts.name as account_name', 'accounts.name_en as account_name_en'])
    .where('advisories.id', 'in', [...new Set(advisoryIds)])
    .execute();
  return new Map<string, NotificationSubject>(rows.map((r) => [r.id, {
    headline: r.headline, headlines: parseHeadlines(r.headlines_json), hazardState: r.hazard_state, inside: r.inside === 1, distanceM: r.distance_m, siteName: r.site_name, accountName: r.account_name, accountNameEn: r.account_name_en,
  }]));
}
export type NotificationSubject = { headline: string | null; headlines: LocalizedHeadline[]; hazardState: string; inside: boolean; distanceM: number; siteName: string; accountName: string; accountNameEn: string | null };
