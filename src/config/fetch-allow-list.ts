/**
 * KEYWAY_FETCH_ALLOW, the development allow-list of the guarded fetcher, parsed into the shape
 * its options take.
 */
import { parseCidr, parseIp } from './ip-address.js';

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
