/**
 * The management API's early refusal of a `jwksUrl` whose host is a literal loopback, private,
 * link-local, metadata or other blocked address (the guarded fetcher's ranges, ip-ranges.ts), or a
 * `localhost` name (RFC 6761 §6.3), unless KEYWAY_FETCH_ALLOW allows it. An administrator learns at
 * registration that the URL can never be fetched; the check at connect time stays the defence.
 */
import type { FetchAllowList } from '../../config/fetch-allow-list.js';
import { inCidrs, parseCidr, parseIp } from '../../config/ip-address.js';
import type { JwksUrlHostPolicy } from '../../management/ports.js';
import { blockedRange } from './ip-ranges.js';

/** Where RFC 6761 §6.3 says `localhost` names resolve. */
const LOOPBACK_ADDRESSES = ['127.0.0.1', '::1'];

export function jwksUrlHostPolicy(allow: FetchAllowList): JwksUrlHostPolicy {
  const cidrs = allow.allowCidrs.map(parseCidr);
  const hosts = new Set(allow.allowHosts.map((h) => h.toLowerCase()));
  return {
    refusal(hostname) {
      const host = bare(hostname);
      if (hosts.has(host) || hosts.has(`${host}.`)) return undefined;
      if (isLocalhostName(host)) return LOOPBACK_ADDRESSES.some((a) => inCidrs(a, cidrs)) ? undefined : 'loopback (a localhost name)';
      if (parseIp(host) === undefined) return undefined;
      const blocked = blockedRange(host);
      return blocked === undefined || inCidrs(host, cidrs) ? undefined : blocked;
    },
  };
}

/** Lower case, without IPv6 brackets or a trailing dot. */
function bare(hostname: string): string {
  const host = hostname.toLowerCase();
  const unbracketed = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  return unbracketed.endsWith('.') ? unbracketed.slice(0, -1) : unbracketed;
}

function isLocalhostName(host: string): boolean {
  return host === 'localhost' || host.endsWith('.localhost');
}
