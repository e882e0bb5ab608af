/** All SQL of warnings, feeds, tracks, geocodes, matches and site risk. Returns plain types. */
import type { Expression, Kysely, SqlBool, Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { LocalizedHeadline } from './cap.domain.js';
import type { HazardAlertsTable, HazardFeedsTable, HazardMatchesTable, HazardTracksTable, SiteRiskTable } from './hazards.table.js';

type Q = Kysely<Database> | Transaction<Database>;

/** A site as matching, value-at-risk and proposals need it. */
export type RiskSite = {
  id: string;
  name: string;
  accountId: string;
  accountName: string;
  accountNameEn: string | null;
  ownerId: string | null;
  ownerName: string | null;
  ownerEmail: string | null;
  teamId: string | null;
  teamName: string | null;
  lat: number | null;
  lng: number | null;
  risk: SiteRiskTable | null;
};

const siteBase = (db: Q) =>
  db.selectFrom('sites')
    .innerJoin('accounts', 'accounts.id', 'sites.account_id')
    .leftJoin('users as owner', 'owner.id', 'accounts.owner_id')
    .leftJoin('teams', 'teams.id', 'owner.team_id')
    .leftJoin('site_risk', 'site_risk.site_id', 'sites.id')
    .select([
      'sites.id', 'sites.name', 'sites.account_id', 'accounts.name as account_name', 'accounts.name_en as account_name_en', 'accounts.owner_id', 'owner.name as owner_name', 'owner.email as owner_email',
      'owner.team_id', 'teams.name as team_name', 'sites.lat', 'sites.lng',
      'site_risk.site_id as r_site_id', 'site_risk.coast_distance_m', 'site_risk.coast_lat', 'site_risk.coast_lng', 'site_risk.flood_prone', 'site_risk.company_site',
      'site_risk.inventory_value_minor', 'site_risk.inventory_currency', 'site_risk.insurance_status', 'site_risk.insurer', 'site_risk.policy_number',
      'site_risk.cover_minor', 'site_risk.cover_currency', 'site_risk.insurance_expires_on', 'site_risk.refused_reason', 'site_risk.updated_at', 'site_risk.version',
    ]);

type SiteRow = Awaited<ReturnType<ReturnType<typeof siteBase>['execute']>>[number];

const toRiskSite = (r: SiteRow): RiskSite => ({
  id: r.id, name: r.name, accountId: r.account_id, accountName: r.account_name, accountNameEn: r.account_name_en, ownerId: r.owner_id, ownerName: r.owner_name ?? null, ownerEmail: r.owner_email ?? null,
  teamId: r.team_id ?? null, teamName: r.team_name ?? null, lat: r.lat, lng: r.lng,
  risk: r.r_site_id ? {
    site_id: r.r_site_id, coast_distance_m: r.coast_distance_m ?? null, coast_lat: r.coast_lat ?? null, coast_lng: r.coast_lng ?? null,
    flood_prone: Number(r.flood_prone ?? 0), company_site: Number(r.company_site ?? 0),
    inventory_value_minor: r.inventory_value_minor === null || r.inventory_value_minor === undefined ? null : Number(r.inventory_value_minor),
    inventory_currency: r.inventory_currency ?? null, insurance_status: r.insurance_status ?? 'unknown', insurer: r.insurer ?? null, policy_number: r.policy_number ?? null,
    cover_minor: r.cover_minor === null || r.cover_minor === undefined ? null : Number(r.cover_minor), cover_currency: r.cover_currency ?? null,
    insurance_expires_on: r.insurance_expires_on ?? null, refused_reason: r.refused_reason ?? null, updated_at: r.updated_at!, version: Number(r.version),
  } : null,
});

/** Sites visible through `scope` (a condition on accounts.id), optionally of one account, ordered by account then name. */
export async function listRiskSites(db: Q, scope: Expression<SqlBool>, opts: { accountId?: string; siteIds?: string[]; withCoordinates?: boolean } = {}): Promise<RiskSite[]> {
  let q = siteBase(db).where(scope);
  if (opts.accountId) q = q.where('sites.account_id', '=', opts.accountId);
  if (opts.siteIds) {
    if (opts.siteIds.length === 0) return [];
    q = q.where('sites.id', 'in', opts.siteIds);
  }
  if (opts.withCoordinates) q = q.where('sites.lat', 'is not', null).where('sites.lng', 'is not', null);
  const rows = await q.orderBy('accounts.name').orderBy('sites.name').orderBy('sites.id').execute();
  return rows.map(toRiskSite);
}

export async function findRiskSite(db: Q, scope: Expression<SqlBool>, siteId: string): Promise<RiskSite | undefined> {
  const r = await siteBase(db).where(scope).where('sites.id', '=', siteId).executeTakeFirst();
  return r ? toRiskSite(r) : undefined;
}

export async function insertSiteRisk(db: Q, row: SiteRiskTable): Promise<void> {
  await db.insertInto('site_risk').values(row).execute();
}

/** Optimistic update of a site's risk row; false when the version moved. */
export async function updateSiteRisk(db: Q, siteId: string, version: number, patch: Partial<SiteRiskTable>): Promise<boolean> {
  const r = await db.updateTable('site_risk').set({ ...patch, version: version + 1 }).where('site_id', '=', siteId).where('version', '=', version).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Stores a computed coastline distance without touching the version (derived data, not an edit). */
export async function setCoastDistance(db: Q, siteId: string, d: { distanceM: number; lat: number; lng: number }, now: string): Promise<void> {
  const r = await db.updateTable('site_risk').set({ coast_distance_m: d.distanceM, coast_lat: d.lat, coast_lng: d.lng }).where('site_id', '=', siteId).executeTakeFirst();
  if (Number(r.numUpdatedRows) === 0) {
    await db.insertInto('site_risk').values(emptyRisk(siteId, now, { coast_distance_m: d.distanceM, coast_lat: d.lat, coast_lng: d.lng, version: 0 })).execute();
  }
}

export const emptyRisk = (siteId: string, now: string, patch: Partial<SiteRiskTable> = {}): SiteRiskTable => ({
  site_id: siteId, coast_distance_m: null, coast_lat: null, coast_lng: null, flood_prone: 0, company_site: 0, inventory_value_minor: null, inventory_currency: null,
  insurance_status: 'unknown', insurer: null, policy_number: null, cover_minor: null, cover_currency: null, insurance_expires_on: null, refused_reason: null,
  updated_at: now, version: 1, ...patch,
});

// ---------- alerts ----------

export async function findAlertByKey(db: Q, sender: string, identifier: string, sentAt: string): Promise<HazardAlertsTable | undefined> {
  return db.selectFrom('hazard_alerts').selectAll().where('sender', '=', sender).where('identifier', '=', identifier).where('sent_at', '=', sentAt).executeTakeFirst();
}

/** The thread of the first stored message among the given sender+identifier pairs. */
export async function threadOf(db: Q, refs: { sender: string; identifier: string }[]): Promise<string | undefined> {
  for (const r of refs) {
    const row = await db.selectFrom('hazard_alerts').select('thread_key').where('sender', '=', r.sender).where('identifier', '=', r.identifier).orderBy('sent_at').executeTakeFirst();
    if (row) return row.thread_key;
  }
  return undefined;
}

export async function insertAlert(db: Q, row: HazardAlertsTable): Promise<void> {
  await db.insertInto('hazard_alerts').values(row).execute();
}

export async function findAlert(db: Q, id: string): Promise<HazardAlertsTable | undefined> {
  return db.selectFrom('hazard_alerts').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * Alerts that can matter at `now`: not yet expired, plus every Update and Cancel of the last
 * `lookbackDays` (an expired Update still supersedes the message it replaced).
 */
export async function loadRelevantAlerts(db: Q, now: string, since: string): Promise<HazardAlertsTable[]> {
  return db.selectFrom('hazard_alerts').selectAll()
    .where((eb) => eb.or([eb('expires_at', '>', now), eb.and([eb('msg_type', 'in', ['Update', 'Cancel']), eb('sent_at', '>=', since)])]))
    .orderBy('sent_at').execute();
}

export async function listAlerts(db: Q, opts: { limit: number; before?: { sentAt: string; id: string }; ids?: string[] }): Promise<HazardAlertsTable[]> {
  let q = db.selectFrom('hazard_alerts').selectAll();
  if (opts.ids) {
    if (opts.ids.length === 0) return [];
    q = q.where('id', 'in', opts.ids);
  }
  if (opts.before) {
    const b = opts.before;
    q = q.where((eb) => eb.or([eb('sent_at', '<', b.sentAt), eb.and([eb('sent_at', '=', b.sentAt), eb('id', '<', b.id)])]));
  }
  return q.orderBy('sent_at', 'desc').orderBy('id', 'desc').limit(opts.limit).execute();
}

export async function countAlerts(db: Q): Promise<number> {
  const r = await db.selectFrom('hazard_alerts').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}

// ---------- geocodes ----------

export async function loadGeocodes(db: Q): Promise<{ value_name: string; value: string; geometry_json: string }[]> {
  return db.selectFrom('hazard_geocodes').select(['value_name', 'value', 'geometry_json']).execute();
}

export async function upsertGeocode(db: Q, row: Database['hazard_geocodes']): Promise<void> {
  await db.deleteFrom('hazard_geocodes').where('value_name', '=', row.value_name).where('value', '=', row.value).execute();
  await db.insertInto('hazard_geocodes').values(row).execute();
}

// ---------- feeds ----------

export async function listFeeds(db: Q, onlyEnabled = false): Promise<HazardFeedsTable[]> {
  let q = db.selectFrom('hazard_feeds').selectAll();
  if (onlyEnabled) q = q.where('enabled', '=', 1);
  return q.orderBy('name').orderBy('id').execute();
}

export async function findFeed(db: Q, id: string): Promise<HazardFeedsTable | undefined> {
  return db.selectFrom('hazard_feeds').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertFeed(db: Q, row: HazardFeedsTable): Promise<void> {
  await db.insertInto('hazard_feeds').values(row).execute();
}

export async function updateFeed(db: Q, id: string, patch: Partial<HazardFeedsTable>, version?: number): Promise<boolean> {
  let q = db.updateTable('hazard_feeds').set(version === undefined ? patch : { ...patch, version: version + 1 }).where('id', '=', id);
  if (version !== undefined) q = q.where('version', '=', version);
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function deleteFeed(db: Q, id: string): Promise<boolean> {
  const r = await db.deleteFrom('hazard_feeds').where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows) === 1;
}

// ---------- tracks ----------

export async function insertTrack(db: Q, row: HazardTracksTable): Promise<void> {
  await db.insertInto('hazard_tracks').values(row).execute();
}

export async function listTracks(db: Q): Promise<Omit<HazardTracksTable, 'track_json'>[]> {
  return db.selectFrom('hazard_tracks').select(['id', 'storm_id', 'name', 'agency', 'first_fix_at', 'last_fix_at', 'fix_count', 'file_path', 'uploaded_at', 'uploaded_by'])
    .orderBy('first_fix_at', 'desc').orderBy('id', 'desc').limit(500).execute();
}

export async function findTrack(db: Q, id: string): Promise<HazardTracksTable | undefined> {
  return db.selectFrom('hazard_tracks').selectAll().where('id', '=', id).executeTakeFirst();
}

// ---------- matches ----------

export async function openMatches(db: Q): Promise<HazardMatchesTable[]> {
  return db.selectFrom('hazard_matches').selectAll().where('ended_at', 'is', null).execute();
}

export async function insertMatch(db: Q, row: HazardMatchesTable): Promise<void> {
  await db.insertInto('hazard_matches').values(row).execute();
}

export async function updateMatch(db: Q, id: string, patch: Partial<HazardMatchesTable>): Promise<void> {
  await db.updateTable('hazard_matches').set(patch).where('id', '=', id).execute();
}

/** Open matches in scope (a condition on hazard_matches.account_id), with site, account and alert labels. */
export async function listOpenMatches(db: Q, scope: Expression<SqlBool>, opts: { accountId?: string; alertId?: string; limit: number }) {
  let q = db.selectFrom('hazard_matches')
    .innerJoin('sites', 'sites.id', 'hazard_matches.site_id')
    .innerJoin('accounts', 'accounts.id', 'hazard_matches.account_id')
    .innerJoin('hazard_alerts', 'hazard_alerts.id', 'hazard_matches.alert_id')
    .leftJoin('site_risk', 'site_risk.site_id', 'hazard_matches.site_id')
    .select([
      'hazard_matches.id', 'hazard_matches.alert_id', 'hazard_matches.thread_key', 'hazard_alerts.headline', 'hazard_alerts.headlines_json', 'hazard_alerts.expires_at as alert_expires_at', 'hazard_matches.area_id', 'hazard_matches.area_label',
      'hazard_matches.site_id', 'sites.name as site_name', 'sites.lat as site_lat', 'sites.lng as site_lng', 'hazard_matches.account_id', 'accounts.name as account_name', 'accounts.name_en as account_name_en', 'hazard_matches.inside',
      'hazard_matches.distance_m', 'hazard_matches.first_matched_at', 'site_risk.inventory_value_minor', 'site_risk.inventory_currency',
    ])
    .where('hazard_matches.ended_at', 'is', null).where(scope);
  if (opts.accountId) q = q.where('hazard_matches.account_id', '=', opts.accountId);
  if (opts.alertId) q = q.where('hazard_matches.alert_id', '=', opts.alertId);
  const rows = await q.orderBy('hazard_matches.first_matched_at', 'desc').orderBy('hazard_matches.id').limit(opts.limit).execute();
  return rows.map(({ headlines_json, ...r }) => ({ ...r, headlines: parseHeadlines(headlines_json) }));
}

/** The stored headlines of every language of a warning (none on a row that predates them). */
export function parseHeadlines(json: string | null | undefined): LocalizedHeadline[] {
  if (!json) return [];
  try {
    const v = JSON.parse(json) as unknown;
    return Array.isArray(v) ? v.filter((h): h is LocalizedHeadline => typeof h?.language === 'string' && typeof h?.headline === 'string') : [];
  } catch {
    return [];
  }
}
