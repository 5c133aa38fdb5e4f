/**
 * Address policy of the guarded fetcher: which IP addresses Keyway refuses to connect to
 * (RFC 6890 special-purpose registries, plus ranges that tunnel to IPv4 space we refuse). The
 * development allow-list (`KEYWAY_FETCH_ALLOW`) is read by src/config/fetch-allow-list.ts.
 */
import { contains, IPV4_MAPPED, parseCidr, parseIp, type Cidr, type Ip } from '../../config/ip-address.js';

interface Range {
  cidr: Cidr;
  label: string;
}

const V4_BLOCKED: readonly Range[] = [
  range('0.0.0.0/8', 'unspecified ("this network")'),
  range('10.0.0.0/8', 'private'),
  range('100.64.0.0/10', 'shared address space (CGNAT)'),
  range('127.0.0.0/8', 'loopback'),
  range('169.254.0.0/16', 'link-local (cloud metadata)'),
  range('172.16.0.0/12', 'private'),
  range('192.0.0.0/24', 'IETF protocol assignments'),
  range('192.0.2.0/24', 'documentation (TEST-NET-1)'),
  range('192.88.99.0/24', '6to4 relay anycast'),
  range('192.168.0.0/16', 'private'),
  range('198.18.0.0/15', 'benchmarking'),
  range('198.51.100.0/24', 'documentation (TEST-NET-2)'),
  range('203.0.113.0/24', 'documentation (TEST-NET-3)'),
  range('224.0.0.0/4', 'multicast'),
  range('240.0.0.0/4', 'reserved or broadcast'),
];

const SIX_TO_FOUR = parseCidr('2002::/16');
const GLOBAL_UNICAST_V6 = parseCidr('2000::/3');

const V6_BLOCKED: readonly Range[] = [
  range('::/96', 'IPv4-compatible, unspecified or loopback'),
  range('::ffff:0:0:0/96', 'IPv4-translated'),
  range('64:ff9b::/96', 'NAT64'),
  range('64:ff9b:1::/48', 'local-use NAT64'),
  range('100::/64', 'discard-only'),
  range('2001::/32', 'Teredo'),
  range('2001::/23', 'IETF protocol assignments'),
  range('2001:db8::/32', 'documentation'),
  range('3fff::/20', 'documentation'),
  range('5f00::/16', 'segment routing'),
  range('fc00::/7', 'unique local (private)'),
  range('fe80::/10', 'link-local'),
  range('fec0::/10', 'site-local'),
  range('ff00::/8', 'multicast'),
];

/**
 * Why `ip` must not be connected to (a short label naming the range), or undefined when it is
 * a public unicast address. Anything that is not an IP address is refused.
 */
export function blockedRange(ip: string): string | undefined {
  const parsed = parseIp(ip);
  if (!parsed) return 'not an IP address';
  return parsed.v === 4 ? blockedV4(parsed.n) : blockedV6(parsed.n);
}

/** True when the guarded fetcher refuses to connect to `ip` (unless the allow-list says otherwise). */
export function isBlockedAddress(ip: string): boolean {
  return blockedRange(ip) !== undefined;
}

function blockedV4(n: bigint): string | undefined {
  return V4_BLOCKED.find((r) => contains(r.cidr, { v: 4, n }))?.label;
}

function blockedV6(n: bigint): string | undefined {
  const ip: Ip = { v: 6, n };
  if (contains(IPV4_MAPPED, ip)) return embedded('IPv4-mapped', n & 0xffffffffn);
  // 6to4 (RFC 3056) carries the relay's IPv4 address in bits 16-47.
  if (contains(SIX_TO_FOUR, ip)) return embedded('6to4', (n >> 80n) & 0xffffffffn);
  const hit = V6_BLOCKED.find((r) => contains(r.cidr, ip));
  if (hit) return hit.label;
  return contains(GLOBAL_UNICAST_V6, ip) ? undefined : 'reserved (outside 2000::/3)';
}

function embedded(kind: string, v4: bigint): string | undefined {
  const label = blockedV4(v4);
  return label === undefined ? undefined : `${kind} ${formatV4(v4)}, ${label}`;
}

function formatV4(n: bigint): string {
  return [24n, 16n, 8n, 0n].map((shift) => String((n >> shift) & 0xffn)).join('.');
}

function range(cidr: string, label: string): Range {
  return { cidr: parseCidr(cidr), label };
}
