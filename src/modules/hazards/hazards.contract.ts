/** Zod schemas of the hazard API: site risk, warnings, feeds, tracks, matches, value at risk, replay. */
import { z } from 'zod';
import { accountNames } from '../../platform/names.contract.js';
import { pageQuery } from '../../server/http.js';
import { CAP_FAULT_CODES } from './cap.domain.js';

const currency = z.string().regex(/^[A-Z]{3}$/, 'ISO 4217 code, e.g. CNY');
const minor = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).describe('Integer minor units (fen for CNY)');
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');
export const Money = z.object({ amountMinor: z.number().int(), currency: z.string() });

// ---------- site risk ----------

export const InsuranceStatus = z.enum(['insured', 'refused', 'none', 'unknown']);

export const SiteRisk = z.object({
  siteId: z.string(),
  siteName: z.string(),
  accountId: z.string(),
  ...accountNames,
  ownerId: z.string().nullable(),
  lat: z.number().nullable(),
  lng: z.number().nullable(),
  coastDistanceM: z.number().nullable().describe('Distance to the coastline (Natural Earth 1:10m, ±1–2 km); null without coordinates'),
  floodProne: z.boolean(),
  companySite: z.boolean().describe('Stock of any account may be moved here when its own sites are all at risk'),
  inventory: Money.nullable(),
  insurance: z.object({
    status: InsuranceStatus,
    state: z.enum(['insured', 'not-insured', 'unknown']).describe('What every page shows: insured; not insured (none or refused); unknown (not recorded, never shown as not insured)'),
    insurer: z.string().nullable(),
    policyNumber: z.string().nullable(),
    cover: Money.nullable(),
    expiresOn: z.string().nullable(),
    refusedReason: z.string().nullable(),
  }),
  updatedAt: z.string().nullable(),
  version: z.number().int().describe('0 until risk data is first saved'),
});
export type SiteRisk = z.infer<typeof SiteRisk>;

export const UpdateSiteRiskBody = z.strictObject({
  floodProne: z.boolean().optional(),
  companySite: z.boolean().optional(),
  inventory: z.strictObject({ amountMinor: minor, currency }).nullable().optional(),
  insurance: z.strictObject({
    status: InsuranceStatus,
    insurer: z.string().trim().max(120).nullable().default(null),
    policyNumber: z.string().trim().max(80).nullable().default(null),
    cover: z.strictObject({ amountMinor: minor, currency }).nullable().default(null),
    expiresOn: isoDate.nullable().default(null),
    refusedReason: z.string().trim().max(500).nullable().default(null),
  }).optional(),
});
export type UpdateSiteRiskBody = z.infer<typeof UpdateSiteRiskBody>;

export const SiteRiskQuery = z.strictObject({
  ...pageQuery,
  accountId: z.string().uuid().optional(),
});

export const ImportSiteRiskBody = z.strictObject({
  items: z.array(z.strictObject({
    siteId: z.string().uuid(),
    inventory: z.strictObject({ amountMinor: minor, currency }).nullable().optional(),
    floodProne: z.boolean().optional(),
  })).min(1).max(5000),
});
export const ImportSiteRiskResult = z.object({ updated: z.number().int(), notFound: z.array(z.string()) });

export const BackfillResult = z.object({ computed: z.number().int(), unchanged: z.number().int(), withoutCoordinates: z.number().int() });

const GapReason = z.enum(['uninsured', 'refused', 'expired', 'expiring', 'underinsured']);
const ExposureParts = z.object({
  coast: z.number().describe('1 at 20 km or more from the sea, rising linearly to 2 on the coastline'),
  flood: z.number().describe('1.5 when the site is marked flood-prone, else 1'),
  coastalWithinM: z.number().int().describe('The distance from the sea within which a site counts as coastal (20 km)'),
});

export const InsuranceGap = z.object({
  site: SiteRisk,
  reason: GapReason,
  daysToExpiry: z.number().int().nullable(),
  exposureFactor: z.number().describe('coast × flood: 1 inland … 2 on the coast, ×1.5 when flood-prone'),
  exposure: ExposureParts,
  uninsuredShare: z.number().describe('Share of the stock value left uncovered, 0–1 (1 unless under-insured)'),
  uncoveredValueMinor: z.number().int().describe('Stock value × uninsured share'),
  weightedValueMinor: z.number().int().describe('Uncovered value × exposure factor: the ranking key'),
});

/** A site with a possible gap that cannot be ranked: its stock value or its insurance is not recorded. */
export const UnrankedGap = z.object({
  site: SiteRisk,
  reason: GapReason.nullable().describe('The gap when the insurance is known (e.g. uninsured) but the stock value is not'),
  daysToExpiry: z.number().int().nullable(),
  missing: z.array(z.enum(['stock', 'insurance'])).describe('What to record so the site can be ranked'),
  exposureFactor: z.number(),
  exposure: ExposureParts,
});

export const InsuranceGaps = z.object({
  items: z.array(InsuranceGap).describe('Ranked by uncovered value × exposure, this page'),
  total: z.number().int(),
  uncovered: z.array(Money).describe('Uncovered stock value of every ranked site, per currency'),
  unknown: z.object({
    items: z.array(UnrankedGap).describe('Most exposed first, this page'),
    total: z.number().int(),
    missingStock: z.number().int().describe('Sites among them without a stock value'),
    missingInsurance: z.number().int().describe('Sites among them whose insurance is not recorded'),
  }),
});
export const InsuranceGapQuery = z.strictObject({
  withinDays: z.coerce.number().int().min(0).max(365).default(60),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).default(0),
  unknownLimit: z.coerce.number().int().min(0).max(500).default(20),
  unknownOffset: z.coerce.number().int().min(0).default(0),
});

// ---------- warnings ----------

/**
 * Stable reason codes of a rejected (or flagged) upload: every CAP fault of the core, and
 * `track-format` for a track file that cannot be read. The UI translates each one.
 */
export const ISSUE_CODES = [...CAP_FAULT_CODES, 'track-format'] as const;
export const IssueCode = z.enum(ISSUE_CODES);
export const CapIssue = z.object({
  code: IssueCode,
  message: z.string().describe('In English, for logs and support; show the translated code to users'),
  where: z.string().describe('XPath-like location, e.g. /alert/info[1]/area[2]/polygon[1]'),
});

export const AlertInfo = z.object({
  language: z.string(),
  event: z.string(),
  headline: z.string().nullable(),
  description: z.string().nullable(),
  instruction: z.string().nullable(),
  senderName: z.string().nullable(),
  categories: z.array(z.string()),
  urgency: z.string(),
  severity: z.string(),
  certainty: z.string(),
  effective: z.string(),
  onset: z.string().nullable(),
  expires: z.string().nullable(),
  web: z.string().nullable(),
  areas: z.array(z.object({
    areaDesc: z.string(),
    polygons: z.number().int(),
    circles: z.number().int(),
    geocodes: z.array(z.object({ valueName: z.string(), value: z.string() })),
  })),
});

export const AlertState = z.enum(['active', 'superseded', 'cancelled', 'expired', 'not-yet-sent', 'ignored']);

export const AlertSummary = z.object({
  id: z.string(),
  sender: z.string(),
  identifier: z.string(),
  sent: z.string().describe('As sent, with its offset'),
  sentAt: z.string().describe('UTC'),
  status: z.string(),
  msgType: z.string(),
  threadKey: z.string(),
  state: AlertState,
  expiresAt: z.string(),
  headline: z.string().nullable().describe("In the caller's language when the alert has it"),
  event: z.string().nullable(),
  severity: z.string().nullable(),
  urgency: z.string().nullable(),
  certainty: z.string().nullable(),
  effective: z.string().nullable().describe('UTC; when the info shown takes effect (CAP effective, default: sent)'),
  onset: z.string().nullable().describe('UTC; expected beginning of the hazard, when given'),
  languages: z.array(z.string()),
  source: z.enum(['upload', 'feed']),
  receivedAt: z.string(),
  needsReview: z.boolean().describe('The parser kept this alert but flagged it for a person: no area of it could be used (it is matched by its geocodes only); see warnings'),
});
export type AlertSummary = z.infer<typeof AlertSummary>;

const AreasGeoJson = z.object({ type: z.literal('FeatureCollection'), features: z.array(z.unknown()) });

/** A list item: the summary, plus areas and matched sites with `include=areas`. */
export const AlertListItem = AlertSummary.extend({
  areasGeoJson: AreasGeoJson.optional().describe('With include=areas: the areas (geocodes resolved) as GeoJSON'),
  matchedSites: z.number().int().optional().describe('With include=areas: sites in your scope currently matched by this alert'),
});

export const AlertDetail = AlertSummary.extend({
  infos: z.array(AlertInfo).describe("Every info block, the caller's language first"),
  references: z.array(z.object({ sender: z.string(), identifier: z.string(), sent: z.string() })),
  areasGeoJson: AreasGeoJson,
  unresolvedAreas: z.array(z.object({ areaId: z.string(), areaDesc: z.string(), reason: z.string(), geocodes: z.array(z.object({ valueName: z.string(), value: z.string() })) })),
  warnings: z.array(CapIssue),
  matchedSites: z.number().int().describe('Sites in your scope currently matched by this alert'),
});

export const AlertQuery = z.strictObject({
  ...pageQuery,
  state: z.enum(['active', 'all']).default('all'),
  lang: z.string().max(20).optional().describe("Preferred language (default: the caller's locale)"),
  include: z.enum(['areas']).optional().describe('areas: add each alert\'s areas as GeoJSON and its matched sites (one request for a map)'),
});

export const LangQuery = z.strictObject({ lang: z.string().max(20).optional() });

export const UploadQuery = z.strictObject({ filename: z.string().max(200).optional() });

export const UploadResult = z.object({
  stored: z.array(AlertSummary),
  duplicates: z.number().int(),
  warnings: z.array(CapIssue).describe('What the parser repaired, skipped or flagged in the alerts it stored'),
  rejected: z.array(z.object({ where: z.string(), reasons: z.array(CapIssue) })).describe('Alerts of the document that could not be read safely, and why; the others were stored'),
  file: z.string().nullable().describe('Where the original was kept, relative to the data folder'),
  matching: z.lazy(() => MatchRunResult),
});

// ---------- feeds ----------

/** Why a poll failed (status `failed`), or that some entries could not be read (status `partial`). */
export const FeedErrorCode = z.enum([
  'feed_address_not_allowed', 'feed_fetch_failed', 'feed_too_large', 'feed_timeout', 'feed_not_cap', 'feed_poll_failed', 'feed_entries_failed',
]);
export type FeedErrorCode = z.infer<typeof FeedErrorCode>;
export const Feed = z.object({
  id: z.string(),
  name: z.string(),
  url: z.string(),
  enabled: z.boolean(),
  lastPolledAt: z.string().nullable(),
  lastStatus: z.string().nullable(),
  lastError: z.string().nullable().describe('What went wrong, in general terms (never the upstream status or body)'),
  lastErrorCode: FeedErrorCode.nullable(),
  lastNewAlerts: z.number().int(),
  createdAt: z.string(),
  version: z.number().int(),
});
export const CreateFeedBody = z.strictObject({
  name: z.string().trim().min(1).max(120),
  url: z.string().url().max(2000).regex(/^https?:\/\//, 'http or https'),
  enabled: z.boolean().default(true),
});
export const UpdateFeedBody = z.strictObject({ name: CreateFeedBody.shape.name.optional(), enabled: z.boolean().optional() });
export const PollResult = z.object({
  feeds: z.array(z.object({ feedId: z.string(), status: z.string(), newAlerts: z.number().int(), error: z.string().nullable(), errorCode: FeedErrorCode.nullable() })),
});

// ---------- geocodes ----------

export const GeocodeImportResult = z.object({ imported: z.number().int(), skipped: z.number().int(), total: z.number().int() });

// ---------- tracks ----------

export const Track = z.object({
  id: z.string(),
  stormId: z.string(),
  name: z.string(),
  agency: z.string(),
  firstFixAt: z.string().nullable(),
  lastFixAt: z.string().nullable(),
  fixCount: z.number().int(),
  uploadedAt: z.string(),
});
export const TrackDetail = Track.extend({
  fixes: z.array(z.object({ time: z.string(), lat: z.number(), lng: z.number(), vmaxKt: z.number().nullable(), pressureHpa: z.number().nullable() })),
});
export const TrackUploadQuery = z.strictObject({
  agency: z.string().trim().min(1).max(40).optional().describe('Agency that made the track (JTWC, JMA, CMA…) when the file does not say'),
  stormId: z.string().trim().min(1).max(60).optional(),
  filename: z.string().max(200).optional(),
});
export const Threshold = z.coerce.number().pipe(z.union([z.literal(34), z.literal(50), z.literal(64)]));
export const SwathQuery = z.strictObject({ kt: Threshold.default(34) });
export const SwathResult = z.object({
  trackId: z.string(),
  thresholdKt: z.number().int(),
  feature: z.unknown().describe('GeoJSON Feature with a MultiPolygon (overlapping hulls: test against their union)'),
  gaps: z.array(z.object({ from: z.string(), to: z.string() })),
  sitesInside: z.array(z.object({ siteId: z.string(), siteName: z.string(), accountId: z.string(), ...accountNames, lat: z.number(), lng: z.number() })),
});
export const ReplayQuery = z.strictObject({
  kt: Threshold.default(34),
  stepMinutes: z.coerce.number().int().min(10).max(24 * 60).default(60),
  from: z.string().datetime().optional(),
  to: z.string().datetime().optional(),
});
export const ReplaySite = z.object({
  siteId: z.string(), siteName: z.string(), accountId: z.string(), ...accountNames, managerId: z.string().nullable(), managerName: z.string().nullable(),
  lat: z.number(), lng: z.number(),
  firstInsideAt: z.string(), lastInsideAt: z.string(), hoursInside: z.number(),
  inventory: Money.nullable(),
});
export const ReplayResult = z.object({
  trackId: z.string(),
  stormName: z.string(),
  agency: z.string(),
  thresholdKt: z.number().int(),
  stepMinutes: z.number().int(),
  frames: z.array(z.object({
    time: z.string(),
    center: z.object({ lat: z.number(), lng: z.number() }).nullable(),
    siteIds: z.array(z.string()).describe('Sites inside the wind radius at this time'),
    entered: z.array(z.string()).describe('Sites first inside at this time: who would have been warned now'),
  })),
  sites: z.array(ReplaySite).describe('Every site ever inside, in the order they would have been warned'),
});

// ---------- matching and value at risk ----------

export const MatchRunResult = z.object({
  activeAlerts: z.number().int(),
  matches: z.number().int(),
  opened: z.number().int().describe('Advisories opened'),
  updated: z.number().int(),
  ended: z.number().int().describe('Matches that ended (cancelled, expired, area changed)'),
});

export const Match = z.object({
  id: z.string(),
  alertId: z.string(),
  threadKey: z.string(),
  headline: z.string().nullable(),
  areaId: z.string(),
  areaLabel: z.string().nullable(),
  siteId: z.string(),
  siteName: z.string(),
  accountId: z.string(),
  ...accountNames,
  lat: z.number().nullable().describe('WGS 84; null only when the site lost its coordinates since it was matched'),
  lng: z.number().nullable(),
  inside: z.boolean(),
  distanceM: z.number(),
  firstMatchedAt: z.string(),
  inventory: Money.nullable(),
});
export const MatchQuery = z.strictObject({ accountId: z.string().uuid().optional(), limit: z.coerce.number().int().min(1).max(1000).default(200), lang: z.string().max(20).optional().describe("Language of the headlines (default: the caller's locale)") });

export const ExposureQuery = z.strictObject({ groupBy: z.enum(['site', 'account', 'manager', 'team']).default('account') });
export const Exposure = z.object({
  groupBy: z.enum(['site', 'account', 'manager', 'team']),
  bufferM: z.number(),
  items: z.array(z.object({
    key: z.string(), label: z.string(), labelEn: z.string().nullable().describe('The English label where it differs: the account\'s English name when grouped by account'),
    currency: z.string().nullable(),
    amountMinor: z.number().int().nullable().describe('null when none of the group\'s exposed sites has a stock value recorded (unknown, never 0); such groups come last'),
    siteCount: z.number().int().describe('Exposed sites with a stock value'),
    sitesWithoutValue: z.number().int().describe('Exposed sites of the group without a stock value'),
  })),
  totals: z.array(Money.extend({ siteCount: z.number().int() })),
  sitesWithoutValue: z.number().int(),
});
