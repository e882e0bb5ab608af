/**
 * CAP 1.2 parser: a single alert, a prefixed alert, alerts in an EDXL-DE envelope or under a
 * non-standard root (`<alerts>`…), and Atom/RSS index feeds (links and embedded alerts).
 *
 * A missed warning is the one error this module must never make, so it repairs, warns and keeps:
 * CAP 1.1, an empty `<references/>` or `<polygon/>`, a blank or unknown urgency, a polygon that
 * touches or crosses itself are read, each with a warning; a shape that cannot be read drops
 * that shape only, never the alert. Only what cannot be read safely (no identity, no kind, an
 * unreadable time, a hostile or non-CAP document) refuses the alert, and every refusal names its
 * fault: a code, a message and where.
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
import { repairRing } from './polygon-repair.js';
import { DEFAULT_MAX_BYTES, childrenNamed, findDescendants, readXml, type XmlElement } from './xml.js';

export type CapParseOptions = {
  /** Refuse documents larger than this (default 5 MiB). */
  maxBytes?: number;
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
      return { ok: true, kind: 'alert', alerts: [parseAlertElement(root, '/alert')], entries: [] };
    case 'EDXLDistribution':
      return {
        ok: true,
        kind: 'edxl-de',
        alerts: findDescendants(root, 'alert', '/EDXLDistribution').map((a) => parseAlertElement(a.el, a.path)),
        entries: [],
      };
    case 'feed': {
      const entries = parseAtom(root);
      return { ok: true, kind: 'atom', alerts: entries.flatMap((e) => (e.alert ? [e.alert] : [])), entries };
    }
    case 'rss': {
      const entries = parseRss(root);
      return { ok: true, kind: 'rss', alerts: [], entries };
    }
    default: {
      // A batch export, a SOAP body, an `<alerts>` list: CAP defines none of them, but the alerts
      // inside are CAP. Under `<alerts>` every `<alert>` is taken (a wrong namespace is then named
      // per alert); under any other root only alerts in a CAP namespace, so that no other XML
      // with an element called "alert" passes for CAP.
      const where = `/${root.local}`;
      const found = findDescendants(root, 'alert', where).filter((a) => root.local === 'alerts' || CAP_NAMESPACE_RE.test(a.el.ns));
      if (found.length === 0) {
        return {
          ok: false,
          reasons: [{ code: 'not-cap', message: `root element <${root.qname}> is not a CAP alert, EDXL-DE envelope or feed, and holds no CAP alert`, where: `/${root.qname}` }],
        };
      }
      const wrapper: CapIssue = {
        code: 'multi-alert-wrapper',
        message: `${found.length} alert(s) under a non-standard <${root.qname}> root; CAP defines one <alert> per document or an EDXL-DE envelope`,
        where,
      };
      return { ok: true, kind: 'alerts', alerts: found.map((a) => parseAlertElement(a.el, a.path, wrapper)), entries: [] };
    }
  }
}

const CAP_NAMESPACE_RE = /^urn:oasis:names:tc:emergency:cap:/;

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

function parseAtom(feed: XmlElement): CapFeedEntry[] {
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
    if (embedded) out.alert = parseAlertElement(embedded.el, embedded.path);
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

/** Collects errors (the alert is refused) and warnings (it is kept) while reading one alert. */
class Collector {
  readonly errors: CapIssue[] = [];
  readonly warnings: CapIssue[] = [];
  /** A polygon or circle that cannot be read: that shape is dropped, never the alert. */
  geometry(code: CapIssue['code'], message: string, where: string): void {
    this.warn(code, `${message} (shape dropped)`, where);
  }
  error(code: CapIssue['code'], message: string, where: string): void {
    this.errors.push({ code, message, where });
  }
  warn(code: CapIssue['code'], message: string, where: string): void {
    this.warnings.push({ code, message, where });
  }
}

function parseAlertElement(el: XmlElement, where: string, wrapper?: CapIssue): CapAlertResult {
  const c = new Collector();
  if (wrapper) c.warnings.push(wrapper);
  let capVersion: CapAlert['capVersion'] = '1.2';
  if (el.ns === CAP_11_NAMESPACE) {
    // 1.2 only added elements and values, so a 1.1 message reads the same way.
    capVersion = '1.1';
    c.warn('cap-1-1', `namespace "${el.ns}" is CAP 1.1; read as CAP 1.2, whose structure is the same`, where);
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
  const shapes = { given: 0, usable: 0, geocodes: 0 };
  childrenNamed(el, 'info', ns).forEach((infoEl, i) => {
    const info = parseInfo(infoEl, ns, `${where}/info[${i}]`, c, sent, shapes);
    if (info) infos.push(info);
  });
  if (shapes.given > 0 && shapes.usable === 0) {
    c.warn(
      'no-usable-area',
      `no <area> has a usable polygon or circle: the alert is kept for a person to review, ${shapes.geocodes > 0 ? 'and matched by its geocodes meanwhile' : 'and it has no geocode to match by'}`,
      where,
    );
  }

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

  /**
   * A required grading (urgency, severity, certainty) whose values all include "Unknown": a
   * missing, empty or unknown value is read as Unknown with a warning naming it.
   */
  graded<T extends string>(name: string, allowed: readonly T[]): T | 'Unknown' {
    const e = this.first(name);
    const at = `${this.where}/${name}`;
    if (!e) this.c.warn('missing-element', `required <${name}> is missing; read as Unknown`, at);
    else if (!e.text) this.c.warn('empty-element', `required <${name}> is empty; read as Unknown`, at);
    else if (!(allowed as readonly string[]).includes(e.text)) this.c.warn('invalid-value', `<${name}> "${e.text}" is not one of ${allowed.join(', ')}; read as Unknown`, at);
    else return e.text as T;
    return 'Unknown';
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
    c.warn('empty-references', '<references> is empty: read as no references', w);
    return [];
  }
  // A reference that cannot be read is skipped: at worst what it would supersede stays in force,
  // which warns too much rather than too little.
  const out: CapReference[] = [];
  for (const triple of el.text.split(/\s+/)) {
    const parts = triple.split(',');
    if (parts.length !== 3 || !parts[0] || !parts[1] || !parts[2]) {
      c.warn('invalid-references', `"${triple}" is not a sender,identifier,sent triple; skipped`, w);
      continue;
    }
    const t = parseCapTime(parts[2]);
    if ('error' in t) {
      c.warn('invalid-references', `reference "${triple}": ${t.error}; skipped`, w);
      continue;
    }
    out.push({ sender: parts[0], identifier: parts[1], sent: t.time });
  }
  return out;
}

type ShapeCount = { given: number; usable: number; geocodes: number };

function parseInfo(el: XmlElement, ns: string, where: string, c: Collector, sent: CapTime | undefined, shapes: ShapeCount): CapInfo | undefined {
  const r = new Reader(el, ns, where, c);
  const before = c.errors.length;
  const language = r.optional('language') ?? 'en-US';
  // Categories, urgency, severity and certainty describe the hazard; none decides where it is,
  // so a missing or unknown one is a warning (and "Unknown", CAP's own word for not known).
  const categories = childrenNamed(el, 'category', ns).map((e) => e.text);
  if (categories.length === 0) c.warn('missing-element', 'required <category> is missing', `${where}/category`);
  for (const cat of categories) {
    if (!CATEGORIES.includes(cat)) c.warn('invalid-value', `<category> "${cat}" is not one of ${CATEGORIES.join(', ')}`, `${where}/category`);
  }
  const responseTypes = r.all('responseType');
  for (const rt of responseTypes) {
    if (!RESPONSE_TYPES.includes(rt)) c.warn('invalid-value', `<responseType> "${rt}" is not a CAP 1.2 value`, `${where}/responseType`);
  }
  const event = r.required('event');
  const urgency = r.graded('urgency', CAP_URGENCIES);
  const severity = r.graded('severity', CAP_SEVERITIES);
  let certainty: CapCertainty;
  if (r.optional('certainty') === 'Very Likely') {
    c.warn('lenient-syntax', '<certainty> "Very Likely" (CAP 1.0) read as Likely', `${where}/certainty`);
    certainty = 'Likely';
  } else {
    certainty = r.graded('certainty', CAP_CERTAINTIES);
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
  const areas = childrenNamed(el, 'area', ns).map((a, i) => parseArea(a, ns, `${where}/area[${i}]`, c, shapes));

  if (c.errors.length > before || !event || !effective) return undefined;
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
    areas,
  };
  if (onset) info.onset = onset;
  if (expires) info.expires = expires;
  for (const k of ['audience', 'senderName', 'headline', 'description', 'instruction', 'web', 'contact'] as const) {
    const v = r.optional(k);
    if (v) info[k] = v;
  }
  return info;
}

/**
 * One `<area>`: its shapes that can be used (repaired where needed), its geocodes and altitude.
 * Nothing here refuses the alert: a shape that cannot be read is dropped with a warning, and an
 * area left with no shape and no geocode matches no site (`area-dropped`) but keeps its
 * description for the person reading the alert.
 */
function parseArea(el: XmlElement, ns: string, where: string, c: Collector, shapes: ShapeCount): CapArea {
  const r = new Reader(el, ns, where, c);
  // The description helps the person reading the alert; the shapes and geocodes say where.
  const descEl = childrenNamed(el, 'areaDesc', ns)[0];
  const areaDesc = descEl?.text ?? '';
  if (!areaDesc) c.warn(descEl ? 'empty-element' : 'missing-element', `required <areaDesc> is ${descEl ? 'empty' : 'missing'}`, `${where}/areaDesc`);
  let given = 0;
  const polygons: Position[][] = [];
  const repairedPolygons: Position[][][] = [];
  childrenNamed(el, 'polygon', ns).forEach((p, i) => {
    if (p.text.trim()) given++;
    const read = parsePolygon(p.text, `${where}/polygon[${i}]`, c);
    if (read && 'ring' in read) polygons.push(read.ring);
    else if (read) repairedPolygons.push(...read.repaired);
  });
  const circles: CapCircle[] = [];
  childrenNamed(el, 'circle', ns).forEach((p, i) => {
    given++;
    const circle = parseCircle(p.text, `${where}/circle[${i}]`, c);
    if (circle) circles.push(circle);
  });
  const geocodes = r.pairs('geocode');
  const usable = polygons.length + repairedPolygons.length + circles.length;
  shapes.given += given;
  shapes.usable += usable;
  shapes.geocodes += geocodes.length;
  if (given > 0 && usable === 0 && geocodes.length === 0) {
    c.warn('area-dropped', `<area> "${areaDesc}" has no usable polygon or circle and no geocode: it matches no site`, where);
  }
  const altitude = r.optional('altitude');
  const ceiling = r.optional('ceiling');
  const area: CapArea = { areaDesc, polygons, circles, geocodes };
  if (repairedPolygons.length > 0) area.repairedPolygons = repairedPolygons;
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

/**
 * Reads `lat,lon lat,lon …` into a closed ring of `[lon, lat]` when it is valid as written, or
 * into the valid polygons repairing it when it touches, crosses or folds back on itself; records
 * why when it can do neither.
 */
export function parsePolygon(text: string, where: string, c: Collector): { ring: Position[] } | { repaired: Position[][][] } | undefined {
  const t = text.trim();
  if (!t) {
    c.warn('empty-polygon', '<polygon> is empty: read as no polygon', where);
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
  if (!cross && ringSignedArea(dedup) !== 0) return { ring: dedup };
  const fault = cross
    ? `polygon edges ${cross.edgeA} (from ${dedup[cross.edgeA]![1]},${dedup[cross.edgeA]![0]}) and ${cross.edgeB} (from ${dedup[cross.edgeB]![1]},${dedup[cross.edgeB]![0]}) cross or touch`
    : 'polygon encloses no area';
  let repaired: Position[][][];
  try {
    repaired = repairRing(dedup);
  } catch (err) {
    c.geometry('polygon-self-crossing', `${fault}, and it could not be repaired (${err instanceof Error ? err.message : String(err)})`, where);
    return undefined;
  }
  if (repaired.length === 0) {
    c.geometry('polygon-degenerate', `${fault}: it encloses no area (all its points lie on one line)`, where);
    return undefined;
  }
  c.warn('polygon-repaired', `${fault}; repaired into ${repaired.length} valid polygon${repaired.length === 1 ? '' : 's'} covering the same ground`, where);
  return { repaired };
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
