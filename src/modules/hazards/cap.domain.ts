/**
 * CAP 1.2 (OASIS Common Alerting Protocol) message model and pure helpers.
 * Parsing lives in cap.parse.ts; this file has no I/O and imports only src/shared.
 */
import type { LatLng } from '../../shared/geo.js';

export type CapStatus = 'Actual' | 'Exercise' | 'System' | 'Test' | 'Draft';
export type CapMsgType = 'Alert' | 'Update' | 'Cancel' | 'Ack' | 'Error';
export type CapScope = 'Public' | 'Restricted' | 'Private';
export type CapUrgency = 'Immediate' | 'Expected' | 'Future' | 'Past' | 'Unknown';
export type CapSeverity = 'Extreme' | 'Severe' | 'Moderate' | 'Minor' | 'Unknown';
export type CapCertainty = 'Observed' | 'Likely' | 'Possible' | 'Unlikely' | 'Unknown';

export const CAP_STATUSES: readonly CapStatus[] = ['Actual', 'Exercise', 'System', 'Test', 'Draft'];
export const CAP_MSG_TYPES: readonly CapMsgType[] = ['Alert', 'Update', 'Cancel', 'Ack', 'Error'];
export const CAP_SCOPES: readonly CapScope[] = ['Public', 'Restricted', 'Private'];
export const CAP_URGENCIES: readonly CapUrgency[] = ['Immediate', 'Expected', 'Future', 'Past', 'Unknown'];
export const CAP_SEVERITIES: readonly CapSeverity[] = ['Extreme', 'Severe', 'Moderate', 'Minor', 'Unknown'];
/** "Very Likely" is a CAP 1.0 value that 1.1+ still tolerates for backward compatibility. */
export const CAP_CERTAINTIES: readonly CapCertainty[] = ['Observed', 'Likely', 'Possible', 'Unlikely', 'Unknown'];

export const CAP_12_NAMESPACE = 'urn:oasis:names:tc:emergency:cap:1.2';
export const CAP_11_NAMESPACE = 'urn:oasis:names:tc:emergency:cap:1.1';

/** A CAP date-time: the text as sent (offset kept) and the instant in epoch milliseconds. */
export type CapTime = { text: string; epochMs: number; offsetMinutes: number };

/** One `sender,identifier,sent` triple of `<references>`. */
export type CapReference = { sender: string; identifier: string; sent: CapTime };

export type CapValuePair = { valueName: string; value: string };

/** `<circle>`: centre and radius; radius 0 means a point. */
export type CapCircle = { center: LatLng; radiusKm: number };

export type CapArea = {
  areaDesc: string;
  /**
   * The `<polygon>`s that were valid as written: closed simple rings in GeoJSON `[lon, lat]`
   * order (CAP writes `lat,lon`; swapped here).
   */
  polygons: [number, number][][];
  /**
   * The `<polygon>`s that were not valid as written (edges touching or crossing, zero-width
   * spikes), repaired into valid polygons covering the same ground: each one outer ring then
   * holes. One ring may become several polygons. Matched like `polygons`; absent when no
   * polygon of the area needed repair (and in alerts stored before repair existed).
   */
  repairedPolygons?: [number, number][][][];
  circles: CapCircle[];
  geocodes: CapValuePair[];
  altitudeFt?: number;
  ceilingFt?: number;
};

export type CapResource = { resourceDesc: string; mimeType: string; size?: number; uri?: string; digest?: string };

export type CapInfo = {
  /** RFC 3066 tag as written, `en-US` when absent. */
  language: string;
  categories: string[];
  event: string;
  responseTypes: string[];
  urgency: CapUrgency;
  severity: CapSeverity;
  certainty: CapCertainty;
  audience?: string;
  eventCodes: CapValuePair[];
  /** Defaults to the alert's `sent` when absent. */
  effective: CapTime;
  onset?: CapTime;
  expires?: CapTime;
  senderName?: string;
  headline?: string;
  description?: string;
  instruction?: string;
  web?: string;
  contact?: string;
  parameters: CapValuePair[];
  resources: CapResource[];
  areas: CapArea[];
};

export type CapAlert = {
  /** Namespace version of the message (1.1 is read as 1.2, with a warning). */
  capVersion: '1.2' | '1.1';
  identifier: string;
  sender: string;
  sent: CapTime;
  status: CapStatus;
  msgType: CapMsgType;
  source?: string;
  scope: CapScope;
  restriction?: string;
  addresses?: string;
  codes: string[];
  note?: string;
  references: CapReference[];
  incidents?: string;
  infos: CapInfo[];
};

/**
 * Why a message (or a part of it) was rejected or flagged. Most of them are warnings on a kept
 * alert: only what cannot be read safely (identity, kind, times, a hostile document) refuses it.
 */
export const CAP_FAULT_CODES = [
  'too-large',
  'unsupported-encoding',
  'doctype-forbidden',
  'malformed-xml',
  'not-cap',
  'wrong-namespace',
  'unsupported-cap-version',
  'missing-element',
  'empty-element',
  'invalid-value',
  'invalid-time',
  'invalid-references',
  'polygon-syntax',
  'polygon-too-few-points',
  'polygon-not-closed',
  'polygon-self-crossing',
  'polygon-degenerate',
  'circle-syntax',
  'coordinate-out-of-range',
  'lenient-syntax',
  /** A CAP 1.1 message, read as 1.2 (the same structure). */
  'cap-1-1',
  /** Alerts under a root that is neither `<alert>`, EDXL-DE nor a feed (e.g. `<alerts>`). */
  'multi-alert-wrapper',
  /** `<references/>` with nothing in it: read as no references. */
  'empty-references',
  /** `<polygon/>` with nothing in it: read as no polygon. */
  'empty-polygon',
  /** A polygon that touched, crossed or folded back on itself, made valid without losing ground. */
  'polygon-repaired',
  /** An `<area>` left with no usable polygon, circle or geocode: it matches no site. */
  'area-dropped',
  /** An alert none of whose areas has usable geometry: kept, matched by geocodes only, for a person to review. */
  'no-usable-area',
] as const;

/** Stable codes of CAP faults: the UI translates each one (hazards.capCodes.*). */
export type CapFaultCode = (typeof CAP_FAULT_CODES)[number];

/** Codes that flag a kept alert for a person to look at. */
export const CAP_REVIEW_CODES: readonly CapFaultCode[] = ['no-usable-area'];

/** A fault: a stable code, a human message, and where (an XPath-like location). */
export type CapIssue = { code: CapFaultCode; message: string; where: string };

export type CapAlertResult =
  | { ok: true; alert: CapAlert; warnings: CapIssue[]; where: string }
  | { ok: false; reasons: CapIssue[]; warnings: CapIssue[]; where: string };

/** Identity of a message for supersession: sender + identifier (unique per sender by the spec). */
export function capKey(sender: string, identifier: string): string {
  return `${sender}\u0000${identifier}`;
}

/** Primary subtag, lower-case: `zh-TW` → `zh`. */
function primary(tag: string): string {
  return tag.toLowerCase().split('-')[0] ?? '';
}

/** Default language fallback chain for a user's preferred language. */
export function languageFallbacks(preferred: string): string[] {
  const p = preferred.toLowerCase();
  const chain = [p];
  if (primary(p) === 'zh') chain.push('zh-cn', 'zh-hans', 'zh-sg', 'zh-tw', 'zh-hk', 'zh-hant', 'zh');
  chain.push(primary(p), 'en-us', 'en');
  return [...new Set(chain)];
}

/**
 * The info blocks to show a user: all blocks in the best language present. Tries each tag of
 * `preferred` (e.g. `['zh-CN']`) through its fallbacks (zh-CN ← zh-TW/zh ← en-US/en), then any
 * block of the same primary language, then the first language in the message. Blocks of one
 * language are returned together (an alert may carry several events); other languages are
 * translations of the same content and are left out, so nothing is counted twice.
 */
export function selectInfos<T extends { language: string } = CapInfo>(alert: { infos: readonly T[] }, preferred: readonly string[] = ['zh-CN']): T[] {
  if (alert.infos.length === 0) return [];
  const langs = [...new Set(alert.infos.map((i) => i.language.toLowerCase()))];
  const chain = [...new Set(preferred.flatMap((p) => languageFallbacks(p)))];
  let chosen: string | undefined;
  for (const want of chain) {
    chosen = want.includes('-') ? langs.find((l) => l === want) : langs.find((l) => l === want || primary(l) === want);
    if (chosen) break;
  }
  chosen ??= langs[0]!;
  return alert.infos.filter((i) => i.language.toLowerCase() === chosen);
}

/** The headline of one language of an alert (its event when it has no headline). */
export type LocalizedHeadline = { language: string; headline: string };

/**
 * One headline per language of the alert, in the order the languages come: what a list of
 * advisories or matches needs to show the warning in its reader's language without reading
 * (and parsing) the whole stored alert.
 */
export function headlinesOf(alert: Pick<CapAlert, 'infos'>): LocalizedHeadline[] {
  const out: LocalizedHeadline[] = [];
  for (const i of alert.infos) {
    const headline = i.headline?.trim() || i.event.trim();
    if (headline && !out.some((h) => h.language.toLowerCase() === i.language.toLowerCase())) out.push({ language: i.language, headline });
  }
  return out;
}

/**
 * The headline for a reader of `language`, by the same fallbacks as `selectInfos` (en → en-US,
 * zh-CN → zh-TW/zh → English → the first language sent); null when there is none.
 */
export function headlineIn(headlines: readonly LocalizedHeadline[], language: string): string | null {
  return selectInfos({ infos: headlines }, [language])[0]?.headline ?? null;
}

/**
 * When the alert stops being relevant: the latest `expires` of its infos, or `sent + ttlMs`
 * when no info says (CAP makes expires optional; the caller picks the time-to-live policy).
 */
export function alertExpiresMs(alert: CapAlert, ttlMs: number): number {
  const ex = alert.infos.map((i) => i.expires?.epochMs).filter((v): v is number => v !== undefined);
  if (ex.length === 0) return alert.sent.epochMs + ttlMs;
  return Math.max(...ex);
}

const TIME_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Parses a CAP date-time (`YYYY-MM-DDThh:mm:ss±hh:mm`). Leniently accepts `Z` and fractional
 * seconds (flagged by `lenient`), which CAP 1.2 forbids but real senders write.
 */
export function parseCapTime(text: string): { time: CapTime; lenient?: string } | { error: string } {
  const m = TIME_RE.exec(text.trim());
  if (!m) return { error: `"${text}" is not a CAP date-time (YYYY-MM-DDThh:mm:ss±hh:mm)` };
  const [, y, mo, d, h, mi, s, frac, tz] = m;
  const offsetMinutes = tz === 'Z' ? 0 : (tz!.startsWith('-') ? -1 : 1) * (Number(tz!.slice(1, 3)) * 60 + Number(tz!.slice(4, 6)));
  const local = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), frac ? Math.round(Number(frac) * 1000) : 0);
  const check = new Date(local);
  if (check.getUTCDate() !== Number(d) || check.getUTCMonth() !== Number(mo) - 1 || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) {
    return { error: `"${text}" is not a valid calendar date-time` };
  }
  const time: CapTime = { text: text.trim(), epochMs: local - offsetMinutes * 60_000, offsetMinutes };
  const lenient = tz === 'Z' ? 'uses "Z" where CAP 1.2 writes "-00:00"' : frac ? 'has fractional seconds, which CAP 1.2 does not allow' : undefined;
  return lenient ? { time, lenient } : { time };
}
