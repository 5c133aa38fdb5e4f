/**
 * IPv4 and IPv6 addresses and CIDR blocks as numbers: parsing and membership. Used to read
 * KEYWAY_FETCH_ALLOW here and by the guarded fetcher's address policy
 * (src/adapters/jwks-url/ip-ranges.ts).
 */
import { isIPv4, isIPv6 } from 'node:net';

/** An address as a number, with its family. */
export interface Ip {
  v: 4 | 6;
  n: bigint;
}

/** A parsed CIDR block. */
export interface Cidr {
  v: 4 | 6;
  base: bigint;
  bits: number;
}

/** `::ffff:0:0/96`: IPv6 addresses that carry an IPv4 address in their last 32 bits. */
export const IPV4_MAPPED = parseCidr('::ffff:0:0/96');

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

export function contains(cidr: Cidr, ip: Ip): boolean {
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
  if (parsed.v === 6 && contains(IPV4_MAPPED, parsed)) candidates.push({ v: 4, n: parsed.n & 0xffffffffn });
  return cidrs.some((cidr) => candidates.some((candidate) => contains(cidr, candidate)));
}
