import { describe, expect, it } from 'vitest';
import { nonPublicRange, parseAllowList, refusalOf } from './outbound-address.js';

describe('non-public addresses', () => {
  it('names the range of loopback, private, link-local, metadata, CGNAT, multicast and reserved addresses', () => {
    const cases: [string, string][] = [
      ['127.0.0.1', 'loopback'], ['127.255.0.9', 'loopback'], ['::1', 'loopback'],
      ['0.0.0.0', 'unspecified'], ['::', 'unspecified'],
      ['10.0.0.5', 'private'], ['172.16.0.1', 'private'], ['172.31.255.255', 'private'], ['192.168.1.1', 'private'], ['fd00::1', 'unique local (private)'],
      ['169.254.169.254', 'link-local'], ['fe80::1', 'link-local'], ['fe80::1%eth0', 'link-local'], ['fd00:ec2::254', 'unique local (private)'],
      ['100.64.0.1', 'carrier-grade NAT'], ['100.127.255.254', 'carrier-grade NAT'],
      ['224.0.0.1', 'multicast'], ['ff02::1', 'multicast'], ['255.255.255.255', 'reserved or broadcast'],
      // IPv6 forms that carry an IPv4 address are judged by that address.
      ['::ffff:127.0.0.1', 'loopback'], ['::ffff:7f00:1', 'loopback'], ['::ffff:169.254.169.254', 'link-local'], ['::ffff:a00:5', 'private'],
      ['64:ff9b::10.0.0.5', 'private'], ['2002:a9fe:a9fe::1', 'link-local'],
      ['not-an-ip', 'not an IP address'],
    ];
    for (const [ip, range] of cases) expect(nonPublicRange(ip), ip).toBe(range);
  });

  it('lets public addresses through, including the neighbours of the private ranges', () => {
    for (const ip of ['93.184.216.34', '8.8.8.8', '172.15.255.255', '172.32.0.1', '100.63.255.255', '100.128.0.1', '169.253.0.1', '11.0.0.1', '2606:4700::1111', '::ffff:93.184.216.34', '2002:5db8:d822::1']) {
      expect(nonPublicRange(ip), ip).toBeNull();
    }
  });
});

describe('the allow-list', () => {
  it('reads host names, addresses and CIDR ranges, each with an optional port', () => {
    const allow = parseAllowList(' CAP.Internal.example., 10.20.0.0/16,127.0.0.1:8080 [::1]:8443 fd00::/8 feeds.example:443 ::ffff:192.168.0.0/112');
    expect(allow.entries).toHaveLength(7);
    expect(allow.allowsHost('cap.internal.example', 80)).toBe(true);
    expect(allow.allowsHost('cap.internal.example', 8443)).toBe(true);
    expect(allow.allowsHost('feeds.example', 443)).toBe(true);
    expect(allow.allowsHost('feeds.example', 80)).toBe(false);
    expect(allow.allowsHost('other.internal.example', 80)).toBe(false);
    expect(allow.allowsAddress('10.20.3.4', 80)).toBe(true);
    expect(allow.allowsAddress('::ffff:10.20.3.4', 80)).toBe(true);
    expect(allow.allowsAddress('10.21.0.1', 80)).toBe(false);
    expect(allow.allowsAddress('127.0.0.1', 8080)).toBe(true);
    expect(allow.allowsAddress('127.0.0.1', 8081)).toBe(false);
    expect(allow.allowsAddress('::1', 8443)).toBe(true);
    expect(allow.allowsAddress('::1', 80)).toBe(false);
    expect(allow.allowsAddress('fdab::1', 1234)).toBe(true);
    expect(allow.allowsAddress('192.168.7.7', 80)).toBe(true);
    expect(allow.allowsAddress('192.169.0.1', 80)).toBe(false);
  });

  it('allows nothing when empty and names a bad entry', () => {
    const none = parseAllowList('');
    expect(none.allowsAddress('127.0.0.1', 80)).toBe(false);
    expect(none.allowsHost('localhost', 80)).toBe(false);
    expect(() => parseAllowList('ok.example, 10.0.0.0/33')).toThrow('"10.0.0.0/33"');
    expect(() => parseAllowList('host:99999')).toThrow('"host:99999"');
    expect(() => parseAllowList('http://cap.example/feed')).toThrow('"http://cap.example/feed"');
    expect(() => parseAllowList('bad host!')).toThrow('"host!"');
  });
});

describe('refusing a URL by what its host resolved to', () => {
  const url = new URL('http://feeds.example/cap.xml');
  it('refuses a name with any non-public address, even beside a public one', () => {
    expect(refusalOf(url, ['93.184.216.34'], parseAllowList(''))).toBeNull();
    expect(refusalOf(url, ['93.184.216.34', '10.0.0.5'], parseAllowList(''))).toContain('10.0.0.5 (private)');
    expect(refusalOf(url, [], parseAllowList(''))).toContain('no address');
  });

  it('lets an allowed name through whatever it resolves to, and an allowed range only for its addresses', () => {
    expect(refusalOf(url, ['10.0.0.5'], parseAllowList('feeds.example'))).toBeNull();
    expect(refusalOf(url, ['10.0.0.5'], parseAllowList('feeds.example:8080'))).toContain('not allowed');
    expect(refusalOf(url, ['10.0.0.5'], parseAllowList('10.0.0.0/24'))).toBeNull();
    expect(refusalOf(url, ['10.0.0.5', '169.254.169.254'], parseAllowList('10.0.0.0/24'))).toContain('169.254.169.254 (link-local)');
  });
});
