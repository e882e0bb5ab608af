/**
 * Safe XML reading for untrusted hazard feeds: byte decoding by the declared encoding, size cap,
 * refusal of DTDs and entity declarations before any parsing, well-formedness check, and a small
 * namespace-resolved element tree. No DTD, external entity or XInclude is ever resolved.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { NUL } from '../../shared/text.js';

/** An element with its namespace resolved. Text is the concatenated, trimmed character data. */
export type XmlElement = {
  ns: string;
  local: string;
  qname: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
};

export type XmlFault = {
  code: 'too-large' | 'unsupported-encoding' | 'doctype-forbidden' | 'malformed-xml';
  message: string;
  where: string;
};

export const DEFAULT_MAX_BYTES = 5 * 1024 * 1024;

/** Decodes bytes honouring a BOM and the XML declaration's encoding; strips a UTF-8 BOM. */
export function decodeXmlBytes(bytes: Uint8Array): { text: string } | { fault: XmlFault } {
  let label = 'utf-8';
  let start = 0;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) start = 3;
  else if (bytes[0] === 0xff && bytes[1] === 0xfe) { label = 'utf-16le'; start = 2; }
  else if (bytes[0] === 0xfe && bytes[1] === 0xff) { label = 'utf-16be'; start = 2; }
  else {
    const head = Buffer.from(bytes.subarray(0, 512)).toString('latin1');
    const m = /^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/.exec(head);
    if (m) label = m[1]!.toLowerCase();
  }
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(label, { fatal: true });
  } catch {
    return { fault: { code: 'unsupported-encoding', message: `declared encoding "${label}" is not supported`, where: 'xml declaration' } };
  }
  try {
    return { text: decoder.decode(bytes.subarray(start)) };
  } catch {
    return { fault: { code: 'unsupported-encoding', message: `bytes are not valid ${label}`, where: 'document' } };
  }
}

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  trimValues: true,
  // Entities are decoded below, after the DOCTYPE refusal: only the five XML ones and char refs.
  processEntities: false,
  htmlEntities: false,
  cdataPropName: '#cdata',
});

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeEntities(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos);/g, (all, ref: string) => {
    if (ref.startsWith('#x')) return safeCodePoint(parseInt(ref.slice(2), 16), all);
    if (ref.startsWith('#')) return safeCodePoint(parseInt(ref.slice(1), 10), all);
    return NAMED[ref] ?? all;
  });
}

function safeCodePoint(cp: number, fallback: string): string {
  return Number.isInteger(cp) && cp > 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : fallback;
}

type RawNode = Record<string, unknown>;

function build(node: RawNode, parentScope: Record<string, string>): XmlElement | undefined {
  const qname = Object.keys(node).find((k) => k !== ':@');
  if (!qname || qname === '#text' || qname === '#cdata') return undefined;
  const rawAttrs = (node[':@'] ?? {}) as Record<string, string>;
  let scope = parentScope;
  const attrs: Record<string, string> = {};
  for (const [k, v] of Object.entries(rawAttrs)) {
    const value = decodeEntities(String(v));
    if (k === 'xmlns' || k.startsWith('xmlns:')) {
      if (scope === parentScope) scope = { ...parentScope };
      scope[k === 'xmlns' ? '' : k.slice(6)] = value.trim();
    } else {
      attrs[k] = value;
    }
  }
  const colon = qname.indexOf(':');
  const prefix = colon >= 0 ? qname.slice(0, colon) : '';
  const local = colon >= 0 ? qname.slice(colon + 1) : qname;
  const children: XmlElement[] = [];
  const texts: string[] = [];
  for (const child of (node[qname] ?? []) as RawNode[]) {
    if ('#text' in child) texts.push(decodeEntities(String(child['#text'])));
    else if ('#cdata' in child) {
      for (const c of child['#cdata'] as RawNode[]) if ('#text' in c) texts.push(String(c['#text']));
    } else {
      const el = build(child, scope);
      if (el) children.push(el);
    }
  }
  return { ns: scope[prefix] ?? '', local, qname, attrs, children, text: texts.join(' ').trim() };
}

/**
 * Reads an untrusted XML document into a namespace-resolved tree. Refuses (before parsing)
 * anything larger than `maxBytes` and any DOCTYPE or ENTITY declaration: that closes XXE,
 * billion-laughs and DTD fetching at once; CAP never needs a DTD.
 */
export function readXml(input: string | Uint8Array, maxBytes = DEFAULT_MAX_BYTES): { root: XmlElement } | { fault: XmlFault } {
  const size = typeof input === 'string' ? Buffer.byteLength(input, 'utf8') : input.byteLength;
  if (size > maxBytes) {
    return { fault: { code: 'too-large', message: `document is ${size} bytes, over the ${maxBytes}-byte limit`, where: 'document' } };
  }
  let text: string;
  if (typeof input === 'string') text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  else {
    const d = decodeXmlBytes(input);
    if ('fault' in d) return d;
    text = d.text;
  }
  // XML 1.0 has no U+0000, even as &#0; (which stays undecoded); the validator below lets a raw one
  // through, and PostgreSQL could not store the text it ends up in.
  const nul = text.indexOf(NUL);
  if (nul >= 0) {
    const before = text.slice(0, nul);
    return { fault: { code: 'malformed-xml', message: 'the NUL character (U+0000) is not allowed in XML', where: `line ${before.split('\n').length}, column ${nul - before.lastIndexOf('\n')}` } };
  }
  const doctype = /<!DOCTYPE/i.exec(text) ?? /<!ENTITY/i.exec(text);
  if (doctype) {
    const line = text.slice(0, doctype.index).split('\n').length;
    return {
      fault: {
        code: 'doctype-forbidden',
        message: `${doctype[0]} declaration found: DTDs and entity declarations are refused (XXE / entity expansion)`,
        where: `line ${line}`,
      },
    };
  }
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    return { fault: { code: 'malformed-xml', message: valid.err.msg, where: `line ${valid.err.line}, column ${valid.err.col}` } };
  }
  let raw: RawNode[];
  try {
    raw = parser.parse(text) as RawNode[];
  } catch (err) {
    return { fault: { code: 'malformed-xml', message: err instanceof Error ? err.message : String(err), where: 'document' } };
  }
  const roots = raw.map((n) => build(n, { xml: 'http://www.w3.org/XML/1998/namespace' })).filter((e): e is XmlElement => !!e);
  if (roots.length !== 1) {
    return { fault: { code: 'malformed-xml', message: `expected one root element, found ${roots.length}`, where: 'document' } };
  }
  return { root: roots[0]! };
}

/** Child elements with a given local name (and namespace, when given). */
export function childrenNamed(el: XmlElement, local: string, ns?: string): XmlElement[] {
  return el.children.filter((c) => c.local === local && (ns === undefined || c.ns === ns));
}

/** Depth-first search for elements with a local name, not descending into matches. */
export function findDescendants(el: XmlElement, local: string, path = el.local): { el: XmlElement; path: string }[] {
  const out: { el: XmlElement; path: string }[] = [];
  const counts = new Map<string, number>();
  for (const c of el.children) {
    const n = counts.get(c.local) ?? 0;
    counts.set(c.local, n + 1);
    const p = `${path}/${c.local}[${n}]`;
    if (c.local === local) out.push({ el: c, path: p });
    else out.push(...findDescendants(c, local, p));
  }
  return out;
}
