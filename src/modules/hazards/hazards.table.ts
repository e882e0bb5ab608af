/** Kysely table types of "Protect the dealer": site risk, warnings, tracks, matches, advisories, notifications. */

/** Per-site exposure data; one row per site, created on first write or coastline computation. */
export type SiteRiskTable = {
  site_id: string;
  /** Distance to the coastline in metres, for the coordinates in coast_lat/coast_lng. */
  coast_distance_m: number | null;
  coast_lat: number | null;
  coast_lng: number | null;
  flood_prone: number;
  /** A site any account's stock may be moved to (a company depot), used when the account has no safe site. */
  company_site: number;
  inventory_value_minor: number | null;
  inventory_currency: string | null;
  /** 'insured' | 'refused' | 'none' | 'unknown' */
  insurance_status: string;
  insurer: string | null;
  policy_number: string | null;
  cover_minor: number | null;
  cover_currency: string | null;
  /** YYYY-MM-DD, last day of cover. */
  insurance_expires_on: string | null;
  refused_reason: string | null;
  updated_at: string;
  version: number;
};

export type HazardAlertsTable = {
  id: string;
  sender: string;
  identifier: string;
  /** UTC ISO of `sent`; with sender and identifier the dedupe key. */
  sent_at: string;
  sent_text: string;
  status: string;
  msg_type: string;
  /** sender+identifier of the first message of the chain (an Update or Cancel joins the chain it references). */
  thread_key: string;
  /** When the alert stops being relevant (latest info expires, or sent + TTL). */
  expires_at: string;
  /** The headline of the best language for zh-CN readers (see headlines_json for the others). */
  headline: string | null;
  /** JSON [{ language, headline }]: every language's headline, for lists in the reader's language. */
  headlines_json: string | null;
  event: string | null;
  severity: string | null;
  urgency: string | null;
  certainty: string | null;
  languages: string;
  /** The parsed CapAlert as JSON. */
  alert_json: string;
  warnings_json: string | null;
  /** 'upload' | 'feed' */
  source: string;
  feed_id: string | null;
  file_path: string | null;
  received_at: string;
  received_by: string | null;
};

export type HazardGeocodesTable = {
  id: string;
  value_name: string;
  value: string;
  name: string | null;
  /** GeoJSON Polygon or MultiPolygon geometry. */
  geometry_json: string;
  imported_at: string;
};

export type HazardFeedsTable = {
  id: string;
  name: string;
  url: string;
  enabled: number;
  last_polled_at: string | null;
  last_status: string | null;
  last_error: string | null;
  /** Stable code of `last_error` (feed_address_not_allowed, feed_timeout…). */
  last_error_code: string | null;
  last_new_alerts: number;
  /** JSON array of feed entry ids/links already fetched. */
  seen_json: string;
  created_at: string;
  updated_at: string;
  version: number;
};

export type HazardTracksTable = {
  id: string;
  storm_id: string;
  name: string;
  agency: string;
  first_fix_at: string | null;
  last_fix_at: string | null;
  fix_count: number;
  track_json: string;
  file_path: string | null;
  uploaded_at: string;
  uploaded_by: string | null;
};

/** A site inside (or within the buffer of) an area of an active alert; ended_at set once it no longer is. */
export type HazardMatchesTable = {
  id: string;
  thread_key: string;
  alert_id: string;
  area_id: string;
  area_label: string | null;
  site_id: string;
  account_id: string;
  inside: number;
  distance_m: number;
  first_matched_at: string;
  last_seen_at: string;
  ended_at: string | null;
  /** 'cancelled' | 'expired' | 'area-changed' | 'site-moved' */
  end_reason: string | null;
};

export type AdvisoriesTable = {
  id: string;
  thread_key: string;
  alert_id: string;
  site_id: string;
  account_id: string;
  manager_id: string | null;
  /** 'open' | 'contacted' | 'actioned' | 'closed' */
  status: string;
  /** 'active' | 'updated' | 'cancelled' | 'expired' | 'area-changed' */
  hazard_state: string;
  hazard_ended_at: string | null;
  headline: string | null;
  inside: number;
  distance_m: number;
  value_at_risk_minor: number | null;
  currency: string | null;
  /** JSON: proposed move (target site, distance) or why there is none. */
  proposal_json: string;
  contacted_at: string | null;
  contact_channel: string | null;
  contact_notes: string | null;
  dealer_decision: string | null;
  action_taken: string | null;
  actioned_at: string | null;
  closed_at: string | null;
  /** 'outcome' | 'hazard-ended' */
  closed_reason: string | null;
  value_saved_minor: number | null;
  losses_minor: number | null;
  moving_cost_minor: number | null;
  outcome_currency: string | null;
  outcome_notes: string | null;
  email_status: string | null;
  webhook_status: string | null;
  created_at: string;
  updated_at: string;
  version: number;
};

export type NotificationsTable = {
  id: string;
  user_id: string;
  kind: string;
  title: string;
  body: string;
  entity: string | null;
  entity_id: string | null;
  created_at: string;
  read_at: string | null;
};
