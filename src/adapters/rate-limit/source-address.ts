/**
 * The source a request is counted against: an IPv4 address as it is, an IPv6 address by its /64
 * prefix. One IPv6 subscriber or host usually holds a whole /64 (RFC 4291 §2.5.4 gives interface
 * identifiers 64 bits; RFC 8981 has hosts change them at will), so counting single IPv6 addresses
 * would let one attacker take a fresh key for every request.
 */
import { isIPv4 } from 'node:net';
import { parseIp } from '../../config/ip-address.js';

const V4_MAPPED = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i;

export function sourceOf(address: string): string {
  if (isIPv4(address)) return address;
  // A dual-stack socket reports IPv4 peers as ::ffff:a.b.c.d; they are the IPv4 address.
  const mapped = V4_MAPPED.exec(address)?.[1];
  if (mapped !== undefined && isIPv4(mapped)) return mapped;
  const ip = parseIp(address);
  if (ip?.v !== 6) return address;
  return `${(ip.n >> 64n).toString(16).padStart(16, '0').replace(/(.{4})(?!$)/g, '$1:')}::/64`;
}
