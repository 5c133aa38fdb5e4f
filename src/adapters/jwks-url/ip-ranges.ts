/**
 * Address policy of the guarded fetcher: which IP addresses Keyway refuses to connect to
 * (RFC 6890 special-purpose registries, plus ranges that tunnel to IPv4 space we refuse), and
 * the development allow-list (`KEYWAY_FETCH_ALLOW`).
 */
import { isIPv4, isIPv6 } from 'node:net';

/** An address as a number, with its family. */
interface Ip {
  v: 4 | 6;
  n: bigint;
}

/** A parsed CIDR block. */
export interface Cidr {
  v: 4 | 6;
  base: bigint;
  bits: number;
}

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

const V4_MAPPED = parseCidr('::ffff:0:0/96');
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
  if (contains(V4_MAPPED, ip)) return embedded('IPv4-mapped', n & 0xffffffffn);
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

/** Parses an IPv4 or IPv6 address; accepts `[...]` brackets and drops an IPv6 zone (`%eth0`). */
export function parseIp(raw: string): Ip | undefined {
  let text = raw.startsWith('[') && raw.endsWith(']') ? raw.slice(1, -1) : raw;
  const zone = text.indexOf('%');
  if (zone >= 0 && isIPv6(text)) text = text.slice(0, zone);
  if (isIPv4(text)) return { v: 4, n: v4ToBigint(text) };
  if (isIPv6(text)) return { v: 6, n: v6ToBigint(text) };
  return undefined;
}

function v4ToBigint(text: string): bigint {
  return text.split('.').reduce((acc, octet) => (acc << 8n) | BigInt(Number(octet)), 0n);
}

function v6ToBigint(text: string): bigint {
  let body = text;
  const lastColon = body.lastIndexOf(':');
  const tail = body.slice(lastColon + 1);
  if (tail.includes('.')) {
    const v4 = v4ToBigint(tail);
    body = `${body.slice(0, lastColon + 1)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const [head = '', rest] = body.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = rest === undefined || rest === '' ? [] : rest.split(':');
  const zeros = rest === undefined ? 0 : 8 - left.length - right.length;
  const groups = [...left, ...Array<string>(zeros).fill('0'), ...right];
  return groups.reduce((acc, group) => (acc << 16n) | BigInt(parseInt(group, 16)), 0n);
}

function formatV4(n: bigint): string {
  return [24n, 16n, 8n, 0n].map((shift) => String((n >> shift) & 0xffn)).join('.');
}

/** Parses `a.b.c.d/n`, `x:y::/n` or a bare address (a single-address block). */
export function parseCidr(raw: string): Cidr {
  const slash = raw.indexOf('/');
  const ip = parseIp(slash < 0 ? raw : raw.slice(0, slash));
  if (!ip) throw new TypeError(`"${raw}" is not an IP address or CIDR block`);
  const width = ip.v === 4 ? 32 : 128;
  const prefix = slash < 0 ? String(width) : raw.slice(slash + 1);
  const bits = /^\d{1,3}$/.test(prefix) ? Number(prefix) : NaN;
  if (!(bits >= 0 && bits <= width)) throw new TypeError(`"${raw}" has an invalid prefix length; use 0-${width}`);
  return { v: ip.v, base: ip.n & mask(ip.v, bits), bits };
}

function mask(v: 4 | 6, bits: number): bigint {
  const width = BigInt(v === 4 ? 32 : 128);
  const all = (1n << width) - 1n;
  return all ^ ((1n << (width - BigInt(bits))) - 1n);
}

function contains(cidr: Cidr, ip: Ip): boolean {
  return cidr.v === ip.v && (ip.n & mask(cidr.v, cidr.bits)) === cidr.base;
}

/**
 * True when `ip` falls in one of `cidrs`. An IPv4-mapped IPv6 address also matches the IPv4
 * blocks, so `127.0.0.1/32` allows `::ffff:127.0.0.1` as well.
 */
export function inCidrs(ip: string, cidrs: readonly Cidr[]): boolean {
  const parsed = parseIp(ip);
  if (!parsed) return false;
  const candidates: Ip[] = [parsed];
  if (parsed.v === 6 && contains(V4_MAPPED, parsed)) candidates.push({ v: 4, n: parsed.n & 0xffffffffn });
  return cidrs.some((cidr) => candidates.some((candidate) => contains(cidr, candidate)));
}

/** The development allow-list in the shape `GuardOptions` takes. */
export interface FetchAllowList {
  /** CIDR blocks (or single addresses) the fetcher may connect to even though they are blocked. */
  allowCidrs: string[];
  /** Host names (exact, lower case) whose addresses are not checked at all. */
  allowHosts: string[];
}

const HOST_NAME = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*\.?$/;

/**
 * Parses `KEYWAY_FETCH_ALLOW`: comma-separated CIDR blocks (`127.0.0.1/32`, `::1/128`,
 * `10.0.0.0/8`), bare addresses, or host names (`localhost`). Meant for local development only:
 * it lets `jwksUrl` reach addresses that are otherwise refused. Empty entries are ignored.
 * @throws TypeError naming the first entry that is neither an address, a CIDR block nor a host name.
 */
export function parseFetchAllowList(raw: string): FetchAllowList {
  const result: FetchAllowList = { allowCidrs: [], allowHosts: [] };
  for (const entry of raw.split(',').map((e) => e.trim()).filter((e) => e !== '')) {
    if (parseIp(entry.split('/')[0] ?? '') !== undefined) {
      try {
        parseCidr(entry);
      } catch (err) {
        throw new TypeError(`KEYWAY_FETCH_ALLOW entry ${(err as Error).message}`);
      }
      result.allowCidrs.push(entry);
    } else if (isHostName(entry.toLowerCase())) {
      result.allowHosts.push(entry.toLowerCase());
    } else {
      throw new TypeError(`KEYWAY_FETCH_ALLOW entry "${entry}" is not an IP address, CIDR block or host name`);
    }
  }
  return result;
}

/** A DNS name; an all-numeric last label would be a malformed address, not a name. */
function isHostName(text: string): boolean {
  return HOST_NAME.test(text) && !/(^|\.)\d+\.?$/.test(text);
}

function range(cidr: string, label: string): Range {
  return { cidr: parseCidr(cidr), label };
}
