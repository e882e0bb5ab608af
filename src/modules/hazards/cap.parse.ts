/**
 * CAP 1.2 parser: a single alert, a prefixed alert, alerts in an EDXL-DE envelope or a
 * non-standard `<alerts>` root, and Atom/RSS index feeds (links and embedded alerts).
 * Every rejection names its fault: a code, a message and where.
 */
import {
  CAP_11_NAMESPACE,
  CAP_12_NAMESPACE,
  CAP_CERTAINTIES,
  CAP_MSG_TYPES,
  CAP_SCOPES,
  CAP_SEVERITIES,
  CAP_STATUSES,
  CAP_URGENCIES,
  parseCapTime,
  type CapAlert,
  type CapAlertResult,
  type CapArea,
  type CapCertainty,
  type CapCircle,
  type CapInfo,
  type CapIssue,
  type CapReference,
  type CapResource,
  type CapTime,
  type CapValuePair,
} from './cap.domain.js';
import { findSelfIntersection, ringSignedArea, type Position } from './geometry.js';
import { DEFAULT_MAX_BYTES, childrenNamed, findDescendants, readXml, type XmlElement } from './xml.js';

export type CapParseOptions = {
  /** Refuse documents larger than this (default 5 MiB). */
  maxBytes?: number;
  /** Accept CAP 1.1 messages (same structure) instead of rejecting their namespace. */
  acceptCap11?: boolean;
  /**
   * What a bad polygon or circle does: 'reject' (default) rejects the whole alert; 'drop' drops
   * just that shape with a warning, so one self-crossing ring does not silence a real warning.
   */
  invalidGeometry?: 'reject' | 'drop';
};

export type CapFeedEntry = {
  id?: string;
  title?: string;
  /** Link to the full CAP message (Atom `link@href`, RSS `link`). */
  link?: string;
  updated?: string;
  /** Present when the entry embeds a CAP alert. */
  alert?: CapAlertResult;
};

export type CapDocumentKind = 'alert' | 'alerts' | 'edxl-de' | 'atom' | 'rss';

/** A document-level outcome: refused outright, or read with one result per alert found. */
export type CapDocumentResult =
  | { ok: true; kind: CapDocumentKind; alerts: CapAlertResult[]; entries: CapFeedEntry[] }
  | { ok: false; reasons: CapIssue[] };

const CATEGORIES = ['Geo', 'Met', 'Safety', 'Security', 'Rescue', 'Fire', 'Health', 'Env', 'Transport', 'Infra', 'CBRNE', 'Other'];
const RESPONSE_TYPES = ['Shelter', 'Evacuate', 'Prepare', 'Execute', 'Avoid', 'Monitor', 'Assess', 'AllClear', 'None'];
const ATOM_NS = 'http://www.w3.org/2005/Atom';

/**
 * Parses any supported document (bytes are decoded by their declared encoding). A CAP alert
 * yields one result; an EDXL-DE envelope, an `<alerts>` root or a feed yield one per alert
 * found. Refusals of the whole document (size, DTD, malformed XML, unknown root) come back as
 * `ok: false`.
 */
export function parseCapDocument(input: string | Uint8Array, options: CapParseOptions = {}): CapDocumentResult {
  const read = readXml(input, options.maxBytes ?? DEFAULT_MAX_BYTES);
  if ('fault' in read) return { ok: false, reasons: [read.fault] };
  const root = read.root;
  switch (root.local) {
    case 'alert':
      return { ok: true, kind: 'alert', alerts: [parseAlertElement(root, options, '/alert')], entries: [] };
    case 'alerts':
      return {
        ok: true,
        kind: 'alerts',
        alerts: findDescendants(root, 'alert', '/alerts').map((a) => parseAlertElement(a.el, options, a.path)),
        entries: [],
      };
    case 'EDXLDistribution':
      return {
        ok: true,
        kind: 'edxl-de',
        alerts: findDescendants(root, 'alert', '/EDXLDistribution').map((a) => parseAlertElement(a.el, options, a.path)),
        entries: [],
      };
    case 'feed': {
      const entries = parseAtom(root, options);
      return { ok: true, kind: 'atom', alerts: entries.flatMap((e) => (e.alert ? [e.alert] : [])), entries };
    }
    case 'rss': {
      const entries = parseRss(root);
      return { ok: true, kind: 'rss', alerts: [], entries };
    }
    default:
      return {
        ok: false,
        reasons: [{ code: 'not-cap', message: `root element <${root.qname}> is not a CAP alert, EDXL-DE envelope or feed`, where: `/${root.qname}` }],
      };
  }
}

/**
 * Parses a document expected to hold exactly one CAP alert (bare or wrapped); document-level
 * refusals and a count other than one become the reasons of a rejected result.
 */
export function parseCapAlert(input: string | Uint8Array, options: CapParseOptions = {}): CapAlertResult {
  const doc = parseCapDocument(input, options);
  if (!doc.ok) return { ok: false, reasons: doc.reasons, warnings: [], where: 'document' };
  if (doc.alerts.length !== 1) {
    return {
      ok: false,
      reasons: [{ code: 'not-cap', message: `expected one CAP alert, found ${doc.alerts.length}`, where: 'document' }],
      warnings: [],
      where: 'document',
    };
  }
  return doc.alerts[0]!;
}

/** Parses an Atom or RSS index feed into its entries (links, and embedded alerts if any). */
export function parseCapFeed(input: string | Uint8Array, options: CapParseOptions = {}): { ok: true; kind: 'atom' | 'rss'; entries: CapFeedEntry[] } | { ok: false; reasons: CapIssue[] } {
  const doc = parseCapDocument(input, options);
  if (!doc.ok) return doc;
  if (doc.kind !== 'atom' && doc.kind !== 'rss') {
    return { ok: false, reasons: [{ code: 'not-cap', message: `expected an Atom or RSS feed, found ${doc.kind}`, where: 'document' }] };
  }
  return { ok: true, kind: doc.kind, entries: doc.entries };
}

function parseAtom(feed: XmlElement, options: CapParseOptions): CapFeedEntry[] {
  return childrenNamed(feed, 'entry', ATOM_NS).map((entry, i) => {
    const links = childrenNamed(entry, 'link', ATOM_NS);
    const link = (links.find((l) => !l.attrs.rel || l.attrs.rel === 'alternate') ?? links[0])?.attrs.href;
    const out: CapFeedEntry = {};
    const id = childrenNamed(entry, 'id', ATOM_NS)[0]?.text;
    const title = childrenNamed(entry, 'title', ATOM_NS)[0]?.text;
    const updated = childrenNamed(entry, 'updated', ATOM_NS)[0]?.text;
    if (id) out.id = id;
    if (title) out.title = title;
    if (link) out.link = link;
    if (updated) out.updated = updated;
    const embedded = findDescendants(entry, 'alert', `/feed/entry[${i}]`)[0];
    if (embedded) out.alert = parseAlertElement(embedded.el, options, embedded.path);
    return out;
  });
}

function parseRss(rss: XmlElement): CapFeedEntry[] {
  const channel = childrenNamed(rss, 'channel')[0];
  if (!channel) return [];
  return childrenNamed(channel, 'item').map((item) => {
    const out: CapFeedEntry = {};
    const id = childrenNamed(item, 'guid')[0]?.text;
    const title = childrenNamed(item, 'title')[0]?.text;
    const link = childrenNamed(item, 'link')[0]?.text;
    const updated = childrenNamed(item, 'pubDate')[0]?.text;
    if (id) out.id = id;
    if (title) out.title = title;
    if (link) out.link = link;
    if (updated) out.updated = updated;
    return out;
  });
}

/** Collects errors and warnings while reading one alert. */
class Collector {
  readonly errors: CapIssue[] = [];
  readonly warnings: CapIssue[] = [];
  constructor(readonly dropInvalidGeometry = false) {}
  /** A fault of one polygon or circle: an error, or a warning when such shapes are dropped. */
  geometry(code: CapIssue['code'], message: string, where: string): void {
    if (this.dropInvalidGeometry) this.warn(code, `${message} (shape dropped)`, where);
    else this.error(code, message, where);
  }
  error(code: CapIssue['code'], message: string, where: string): void {
    this.errors.push({ code, message, where });
  }
  warn(code: CapIssue['code'], message: string, where: string): void {
    this.warnings.push({ code, message, where });
  }
}

function parseAlertElement(el: XmlElement, options: CapParseOptions, where: string): CapAlertResult {
  const c = new Collector(options.invalidGeometry === 'drop');
  let capVersion: CapAlert['capVersion'] = '1.2';
  if (el.ns === CAP_11_NAMESPACE) {
    capVersion = '1.1';
    if (!options.acceptCap11) c.error('unsupported-cap-version', `namespace "${el.ns}" is CAP 1.1; expected "${CAP_12_NAMESPACE}"`, where);
  } else if (el.ns !== CAP_12_NAMESPACE) {
    if (/^urn:oasis:names:tc:emergency:cap:/.test(el.ns)) {
      c.error('unsupported-cap-version', `namespace "${el.ns}" is not CAP 1.2; expected "${CAP_12_NAMESPACE}"`, where);
    } else {
      c.error('wrong-namespace', `namespace "${el.ns || '(none)'}" is not the CAP 1.2 namespace "${CAP_12_NAMESPACE}"`, where);
    }
  }
  // Read the message in its own namespace, whatever it is, so every other fault is reported too.
  const ns = el.ns;
  const r = new Reader(el, ns, where, c);

  const identifier = r.required('identifier');
  const sender = r.required('sender');
  const sent = r.time('sent', true);
  const status = r.enumOf('status', CAP_STATUSES, true);
  const msgType = r.enumOf('msgType', CAP_MSG_TYPES, true);
  const scope = r.enumOf('scope', CAP_SCOPES, true);
  const restriction = r.optional('restriction');
  const addresses = r.optional('addresses');
  if (scope === 'Restricted' && !restriction) c.error('missing-element', '<restriction> is required when scope is Restricted', `${where}/restriction`);
  if (scope === 'Private' && !addresses) c.error('missing-element', '<addresses> is required when scope is Private', `${where}/addresses`);

  const references = parseReferences(r, c, where);
  if ((msgType === 'Update' || msgType === 'Cancel') && references.length === 0) {
    c.warn('missing-element', `msgType ${msgType} without <references>: nothing is superseded`, `${where}/references`);
  }

  const infos: CapInfo[] = [];
  childrenNamed(el, 'info', ns).forEach((infoEl, i) => {
    const info = parseInfo(infoEl, ns, `${where}/info[${i}]`, c, sent);
    if (info) infos.push(info);
  });

  if (c.errors.length > 0 || !identifier || !sender || !sent || !status || !msgType || !scope) {
    return { ok: false, reasons: c.errors, warnings: c.warnings, where };
  }
  const alert: CapAlert = { capVersion, identifier, sender, sent, status, msgType, scope, codes: r.all('code'), references, infos };
  const source = r.optional('source');
  const note = r.optional('note');
  const incidents = r.optional('incidents');
  if (source) alert.source = source;
  if (restriction) alert.restriction = restriction;
  if (addresses) alert.addresses = addresses;
  if (note) alert.note = note;
  if (incidents) alert.incidents = incidents;
  return { ok: true, alert, warnings: c.warnings, where };
}

/** Reads the CAP children of one element, recording faults as it goes. */
class Reader {
  constructor(
    readonly el: XmlElement,
    readonly ns: string,
    readonly where: string,
    readonly c: Collector,
  ) {}

  private first(name: string): XmlElement | undefined {
    return childrenNamed(this.el, name, this.ns)[0];
  }

  optional(name: string): string | undefined {
    const v = this.first(name)?.text;
    return v ? v : undefined;
  }

  all(name: string): string[] {
    return childrenNamed(this.el, name, this.ns).map((e) => e.text).filter((t) => t.length > 0);
  }

  required(name: string): string | undefined {
    const e = this.first(name);
    if (!e) {
      this.c.error('missing-element', `required <${name}> is missing`, `${this.where}/${name}`);
      return undefined;
    }
    if (!e.text) {
      this.c.error('empty-element', `required <${name}> is empty`, `${this.where}/${name}`);
      return undefined;
    }
    return e.text;
  }

  enumOf<T extends string>(name: string, allowed: readonly T[], required: boolean): T | undefined {
    const v = required ? this.required(name) : this.optional(name);
    if (v === undefined) return undefined;
    if (!(allowed as readonly string[]).includes(v)) {
      this.c.error('invalid-value', `<${name}> "${v}" is not one of ${allowed.join(', ')}`, `${this.where}/${name}`);
      return undefined;
    }
    return v as T;
  }

  time(name: string, required: boolean): CapTime | undefined {
    const v = required ? this.required(name) : this.optional(name);
    if (v === undefined) return undefined;
    const t = parseCapTime(v);
    if ('error' in t) {
      this.c.error('invalid-time', `<${name}> ${t.error}`, `${this.where}/${name}`);
      return undefined;
    }
    if (t.lenient) this.c.warn('lenient-syntax', `<${name}> ${t.lenient}`, `${this.where}/${name}`);
    return t.time;
  }

  pairs(name: string): CapValuePair[] {
    return childrenNamed(this.el, name, this.ns).map((e) => ({
      valueName: childrenNamed(e, 'valueName', this.ns)[0]?.text ?? '',
      value: childrenNamed(e, 'value', this.ns)[0]?.text ?? '',
    }));
  }
}

function parseReferences(r: Reader, c: Collector, where: string): CapReference[] {
  const el = childrenNamed(r.el, 'references', r.ns)[0];
  if (!el) return [];
  const w = `${where}/references`;
  if (!el.text) {
    c.error('invalid-references', '<references> is present but empty', w);
    return [];
  }
  const out: CapReference[] = [];
  for (const triple of el.text.split(/\s+/)) {
    const parts = triple.split(',');
    if (parts.length !== 3 || !parts[0] || !parts[1] || !parts[2]) {
      c.error('invalid-references', `"${triple}" is not a sender,identifier,sent triple`, w);
      continue;
    }
    const t = parseCapTime(parts[2]);
    if ('error' in t) {
      c.error('invalid-references', `reference "${triple}": ${t.error}`, w);
      continue;
    }
    out.push({ sender: parts[0], identifier: parts[1], sent: t.time });
  }
  return out;
}

function parseInfo(el: XmlElement, ns: string, where: string, c: Collector, sent: CapTime | undefined): CapInfo | undefined {
  const r = new Reader(el, ns, where, c);
  const before = c.errors.length;
  const language = r.optional('language') ?? 'en-US';
  const categories = childrenNamed(el, 'category', ns).map((e) => e.text);
  if (categories.length === 0) c.error('missing-element', 'required <category> is missing', `${where}/category`);
  for (const cat of categories) {
    if (!CATEGORIES.includes(cat)) c.error('invalid-value', `<category> "${cat}" is not one of ${CATEGORIES.join(', ')}`, `${where}/category`);
  }
  const responseTypes = r.all('responseType');
  for (const rt of responseTypes) {
    if (!RESPONSE_TYPES.includes(rt)) c.warn('invalid-value', `<responseType> "${rt}" is not a CAP 1.2 value`, `${where}/responseType`);
  }
  const event = r.required('event');
  const urgency = r.enumOf('urgency', CAP_URGENCIES, true);
  const severity = r.enumOf('severity', CAP_SEVERITIES, true);
  let certainty: CapCertainty | undefined;
  if (r.optional('certainty') === 'Very Likely') {
    c.warn('lenient-syntax', '<certainty> "Very Likely" (CAP 1.0) read as Likely', `${where}/certainty`);
    certainty = 'Likely';
  } else {
    certainty = r.enumOf('certainty', CAP_CERTAINTIES, true);
  }
  const effective = r.time('effective', false) ?? sent;
  const onset = r.time('onset', false);
  const expires = r.time('expires', false);

  const resources: CapResource[] = childrenNamed(el, 'resource', ns).map((re, i) => {
    const rr = new Reader(re, ns, `${where}/resource[${i}]`, c);
    const res: CapResource = { resourceDesc: rr.optional('resourceDesc') ?? '', mimeType: rr.optional('mimeType') ?? '' };
    const size = rr.optional('size');
    const uri = rr.optional('uri');
    const digest = rr.optional('digest');
    if (size && /^\d+$/.test(size)) res.size = Number(size);
    if (uri) res.uri = uri;
    if (digest) res.digest = digest;
    return res;
  });
  const areas = childrenNamed(el, 'area', ns).map((a, i) => parseArea(a, ns, `${where}/area[${i}]`, c));

  if (c.errors.length > before || !event || !urgency || !severity || !certainty || !effective) return undefined;
  const info: CapInfo = {
    language,
    categories,
    event,
    responseTypes,
    urgency,
    severity,
    certainty,
    eventCodes: r.pairs('eventCode'),
    effective,
    parameters: r.pairs('parameter'),
    resources,
    areas: areas.filter((a): a is CapArea => !!a),
  };
  if (onset) info.onset = onset;
  if (expires) info.expires = expires;
  for (const k of ['audience', 'senderName', 'headline', 'description', 'instruction', 'web', 'contact'] as const) {
    const v = r.optional(k);
    if (v) info[k] = v;
  }
  return info;
}

function parseArea(el: XmlElement, ns: string, where: string, c: Collector): CapArea | undefined {
  const r = new Reader(el, ns, where, c);
  const before = c.errors.length;
  const areaDesc = r.required('areaDesc');
  const polygons: Position[][] = [];
  childrenNamed(el, 'polygon', ns).forEach((p, i) => {
    const ring = parsePolygon(p.text, `${where}/polygon[${i}]`, c);
    if (ring) polygons.push(ring);
  });
  const circles: CapCircle[] = [];
  childrenNamed(el, 'circle', ns).forEach((p, i) => {
    const circle = parseCircle(p.text, `${where}/circle[${i}]`, c);
    if (circle) circles.push(circle);
  });
  const geocodes = r.pairs('geocode');
  const altitude = r.optional('altitude');
  const ceiling = r.optional('ceiling');
  if (c.errors.length > before || !areaDesc) return undefined;
  const area: CapArea = { areaDesc, polygons, circles, geocodes };
  for (const [name, v] of [['altitude', altitude], ['ceiling', ceiling]] as const) {
    if (v === undefined) continue;
    const n = Number(v);
    if (!Number.isFinite(n)) c.warn('invalid-value', `<${name}> "${v}" is not a number of feet; ignored`, `${where}/${name}`);
    else if (name === 'altitude') area.altitudeFt = n;
    else area.ceilingFt = n;
  }
  return area;
}

const NUM = String.raw`[+-]?(?:\d+(?:\.\d*)?|\.\d+)`;
const PAIR_RE = new RegExp(`^(${NUM}),(${NUM})(,?)$`);
const CIRCLE_RE = new RegExp(`^(${NUM}),(${NUM})\\s+(${NUM})$`);

function inRange(lat: number, lon: number): boolean {
  return Math.abs(lat) <= 90 && Math.abs(lon) <= 180;
}

/** Reads `lat,lon lat,lon …` into a closed ring of `[lon, lat]`, or records why it can't. */
export function parsePolygon(text: string, where: string, c: Collector): Position[] | undefined {
  const t = text.trim();
  if (!t) {
    c.geometry('empty-element', '<polygon> is empty', where);
    return undefined;
  }
  const ring: Position[] = [];
  let bad = false;
  for (const token of t.split(/\s+/)) {
    const m = PAIR_RE.exec(token);
    if (!m) {
      c.geometry('polygon-syntax', `"${token}" is not a "lat,lon" pair`, where);
      bad = true;
      continue;
    }
    if (m[3]) c.warn('lenient-syntax', `trailing comma in "${token}" ignored`, where);
    const lat = Number(m[1]), lon = Number(m[2]);
    if (!inRange(lat, lon)) {
      c.geometry('coordinate-out-of-range', `"${token}": latitude must be within ±90 and longitude within ±180`, where);
      bad = true;
      continue;
    }
    ring.push([lon, lat]);
  }
  if (bad) return undefined;
  if (ring.length < 4) {
    c.geometry('polygon-too-few-points', `polygon has ${ring.length} points; CAP needs at least 4 (first = last)`, where);
    return undefined;
  }
  const first = ring[0]!, last = ring[ring.length - 1]!;
  if (first[0] !== last[0] || first[1] !== last[1]) {
    c.geometry('polygon-not-closed', `polygon starts at ${first[1]},${first[0]} but ends at ${last[1]},${last[0]}`, where);
    return undefined;
  }
  const dedup = ring.filter((p, i) => i === 0 || p[0] !== ring[i - 1]![0] || p[1] !== ring[i - 1]![1]);
  if (dedup.length < 4) {
    c.geometry('polygon-degenerate', 'polygon has fewer than 3 distinct points', where);
    return undefined;
  }
  const cross = findSelfIntersection(dedup);
  if (cross) {
    const a = dedup[cross.edgeA]!, b = dedup[cross.edgeB]!;
    c.geometry(
      'polygon-self-crossing',
      `polygon edges ${cross.edgeA} (from ${a[1]},${a[0]}) and ${cross.edgeB} (from ${b[1]},${b[0]}) cross or touch`,
      where,
    );
    return undefined;
  }
  if (ringSignedArea(dedup) === 0) {
    c.geometry('polygon-degenerate', 'polygon encloses no area (all points collinear)', where);
    return undefined;
  }
  return dedup;
}

/** Reads `lat,lon radius-km`. */
export function parseCircle(text: string, where: string, c: Collector): CapCircle | undefined {
  const m = CIRCLE_RE.exec(text.trim());
  if (!m) {
    c.geometry('circle-syntax', `"${text.trim()}" is not "lat,lon radius" (radius in km)`, where);
    return undefined;
  }
  const lat = Number(m[1]), lon = Number(m[2]), radiusKm = Number(m[3]);
  if (!inRange(lat, lon)) {
    c.geometry('coordinate-out-of-range', `circle centre ${lat},${lon} is outside ±90 / ±180`, where);
    return undefined;
  }
  if (radiusKm < 0) {
    c.geometry('circle-syntax', `circle radius ${radiusKm} km is negative`, where);
    return undefined;
  }
  return { center: { lat, lng: lon }, radiusKm };
}

export type { Collector };
