/**
 * Which addresses a server-side fetch of a URL that a user typed may connect to: public ones,
 * plus what the operator allowed. Pure (no DNS, no sockets): `outbound-fetch.ts` resolves the
 * name, asks `refusalOf`, and then connects to exactly the addresses that were checked.
 */
import { BlockList, isIP } from 'node:net';

type Family = 'ipv4' | 'ipv6';

/**
 * Ranges that are not the public internet. Loopback, private and link-local (169.254.169.254 is
 * the cloud metadata service) are the point; the reserved, documentation and benchmarking ones
 * are here because no feed lives there and a router may still deliver them somewhere internal.
 */
const NON_PUBLIC: readonly [string, number, Family, string][] = [
  ['0.0.0.0', 8, 'ipv4', 'unspecified'],
  ['10.0.0.0', 8, 'ipv4', 'private'],
  ['100.64.0.0', 10, 'ipv4', 'carrier-grade NAT'],
  ['127.0.0.0', 8, 'ipv4', 'loopback'],
  ['169.254.0.0', 16, 'ipv4', 'link-local'],
  ['172.16.0.0', 12, 'ipv4', 'private'],
  ['192.0.0.0', 24, 'ipv4', 'reserved'],
  ['192.0.2.0', 24, 'ipv4', 'documentation'],
  ['192.168.0.0', 16, 'ipv4', 'private'],
  ['198.18.0.0', 15, 'ipv4', 'benchmarking'],
  ['198.51.100.0', 24, 'ipv4', 'documentation'],
  ['203.0.113.0', 24, 'ipv4', 'documentation'],
  ['224.0.0.0', 4, 'ipv4', 'multicast'],
  ['240.0.0.0', 4, 'ipv4', 'reserved or broadcast'],
  ['::', 128, 'ipv6', 'unspecified'],
  ['::1', 128, 'ipv6', 'loopback'],
  // The rest of ::/96 is the deprecated IPv4-compatible form: nothing public answers there.
  ['::', 96, 'ipv6', 'reserved'],
  ['100::', 64, 'ipv6', 'discard'],
  ['2001::', 32, 'ipv6', 'Teredo'],
  ['2001:db8::', 32, 'ipv6', 'documentation'],
  ['fc00::', 7, 'ipv6', 'unique local (private)'],
  ['fe80::', 10, 'ipv6', 'link-local'],
  ['fec0::', 10, 'ipv6', 'site-local'],
  ['ff00::', 8, 'ipv6', 'multicast'],
];

const ranges = NON_PUBLIC.map(([net, prefix, family, name]) => {
  const list = new BlockList();
  list.addSubnet(net, prefix, family);
  return { list, family, name };
});

/** The 16 bytes of an IPv6 address (zone id dropped), or null when it does not parse. */
function ipv6Bytes(text: string): Uint8Array | null {
  let s = text.replace(/%.*$/, '');
  const out = new Uint8Array(16);
  const quad = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  let tail: number[] = [];
  if (quad) {
    if (isIP(quad[1]!) !== 4) return null;
    tail = quad[1]!.split('.').map(Number);
    s = s.slice(0, -quad[1]!.length) + '0:0';
  }
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const groups = (h: string) => (h === '' ? [] : h.split(':'));
  const head = groups(halves[0]!);
  const rest = halves.length === 2 ? groups(halves[1]!) : [];
  const missing = 8 - head.length - rest.length;
  if (halves.length === 1 ? missing !== 0 : missing < 0) return null;
  const all = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...rest];
  for (let i = 0; i < 8; i++) {
    if (!/^[0-9a-f]{1,4}$/i.test(all[i]!)) return null;
    const v = parseInt(all[i]!, 16);
    out[i * 2] = v >> 8;
    out[i * 2 + 1] = v & 0xff;
  }
  if (quad) out.set(tail, 12);
  return out;
}

const v4 = (b: Uint8Array, at: number) => `${b[at]}.${b[at + 1]}.${b[at + 2]}.${b[at + 3]}`;

/**
 * The IPv4 address an IPv6 one carries, for the forms a router turns back into IPv4:
 * IPv4-mapped (::ffff:a.b.c.d), NAT64 (64:ff9b::a.b.c.d) and 6to4 (2002:aabb:ccdd::).
 */
function embeddedIPv4(address: string): string | null {
  const b = ipv6Bytes(address);
  if (!b) return null;
  const zero = (from: number, to: number) => b.subarray(from, to).every((x) => x === 0);
  if (zero(0, 10) && b[10] === 0xff && b[11] === 0xff) return v4(b, 12);
  if (b[0] === 0x00 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b && zero(4, 12)) return v4(b, 12);
  if (b[0] === 0x20 && b[1] === 0x02) return v4(b, 2);
  return null;
}

/** An address as compared: an IPv6 address that carries an IPv4 one is that IPv4 address. */
export function canonicalAddress(address: string): { address: string; family: Family } | null {
  const kind = isIP(address.replace(/%.*$/, ''));
  if (kind === 4) return { address, family: 'ipv4' };
  if (kind !== 6) return null;
  const inner = embeddedIPv4(address);
  return inner ? { address: inner, family: 'ipv4' } : { address: address.replace(/%.*$/, ''), family: 'ipv6' };
}

/** The name of the non-public range an address is in (`loopback`, `private`…), or null when it is public. */
export function nonPublicRange(address: string): string | null {
  const c = canonicalAddress(address);
  if (!c) return 'not an IP address';
  return ranges.find((r) => r.family === c.family && r.list.check(c.address, c.family))?.name ?? null;
}

type Rule = { kind: 'host'; host: string; port: number | null } | { kind: 'addresses'; list: BlockList; port: number | null };

/** What the operator lets through although it is not public: host names, addresses or CIDR ranges, each optionally with a port. */
export type AllowList = {
  readonly entries: readonly string[];
  /** The URL's host name itself is allowed (whatever it resolves to). */
  allowsHost(host: string, port: number): boolean;
  /** This resolved address is allowed. */
  allowsAddress(address: string, port: number): boolean;
};

const normalHost = (host: string) => host.toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '');

function parsePort(text: string | undefined, entry: string): number | null {
  if (text === undefined) return null;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`"${entry}": port must be 1-65535`);
  return port;
}

function addressRule(address: string, prefix: number | null, port: number | null, entry: string): Rule {
  const c = canonicalAddress(address);
  if (!c) throw new Error(`"${entry}" is not an IP address`);
  const max = c.family === 'ipv4' ? 32 : 128;
  // An IPv4 range written in its IPv4-mapped IPv6 form keeps its length within the last 32 bits.
  const bits = prefix === null ? max : c.family === 'ipv4' && isIP(address) === 6 ? prefix - 96 : prefix;
  if (!Number.isInteger(bits) || bits < 0 || bits > max) throw new Error(`"${entry}": prefix length out of range`);
  const list = new BlockList();
  list.addSubnet(c.address, bits, c.family);
  return { kind: 'addresses', list, port };
}

function parseEntry(entry: string): Rule {
  const cidr = /^\[?([^\]/]+)\]?\/(\d{1,3})$/.exec(entry);
  if (cidr) return addressRule(cidr[1]!, Number(cidr[2]), null, entry);
  if (isIP(entry) === 6) return addressRule(entry, null, null, entry);
  const m = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry) ?? /^([^:/[\]]+)(?::(\d+))?$/.exec(entry);
  if (!m) throw new Error(`"${entry}" is not a host, host:port, address or CIDR range`);
  const port = parsePort(m[2], entry);
  if (isIP(m[1]!)) return addressRule(m[1]!, null, port, entry);
  let host: string;
  try {
    // The URL parser normalises as a fetch would: case, IDNA, and numeric forms such as 0x7f.1.
    host = normalHost(new URL(`http://${m[1]}/`).hostname);
  } catch {
    throw new Error(`"${entry}" is not a valid host name`);
  }
  if (isIP(host)) return addressRule(host, null, port, entry);
  // The URL parser accepts more than DNS does (`host!`); an entry that no URL could name is a typo.
  if (!/^[a-z0-9_-]+(\.[a-z0-9_-]+)*$/.test(host)) throw new Error(`"${entry}" is not a valid host name`);
  return { kind: 'host', host, port };
}

/**
 * Parses an allow-list such as `cap.internal.example, 10.20.0.0/16, 127.0.0.1:8080`
 * (commas or spaces between entries; empty allows nothing). Throws naming the bad entry.
 */
export function parseAllowList(text: string | undefined): AllowList {
  const entries = (text ?? '').split(/[\s,]+/).filter(Boolean);
  const rules = entries.map(parseEntry);
  const portOk = (rule: Rule, port: number) => rule.port === null || rule.port === port;
  return {
    entries,
    allowsHost: (host, port) => {
      const h = normalHost(host);
      return rules.some((r) => r.kind === 'host' && r.host === h && portOk(r, port));
    },
    allowsAddress: (address, port) => {
      const c = canonicalAddress(address);
      return !!c && rules.some((r) => r.kind === 'addresses' && portOk(r, port) && r.list.check(c.address, c.family));
    },
  };
}

/** The port a URL connects to. */
export const portOf = (url: URL): number => (url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80);

/**
 * Why a fetch of `url` must not connect to `addresses` (what its host resolved to), or null
 * when it may: every address is public, or allowed, or the host name itself is allowed.
 * One non-public address refuses the lot, so a name cannot mix a public and a private answer.
 */
export function refusalOf(url: URL, addresses: readonly string[], allow: AllowList): string | null {
  const port = portOf(url);
  if (allow.allowsHost(url.hostname, port)) return null;
  if (addresses.length === 0) return `${url.hostname} has no address`;
  for (const a of addresses) {
    const range = nonPublicRange(a);
    if (range && !allow.allowsAddress(a, port)) return `${url.hostname}:${port} is ${a} (${range}), which is not allowed`;
  }
  return null;
}
