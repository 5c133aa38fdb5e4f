/**
 * The protocol's ClientAuthAttempts over two in-process counters (docs/decisions.md, "Failed
 * authentications are rate limited"):
 *
 * - per (environment, client, source): the client's budget. Someone who fails as a victim
 *   client from their own address spends only their own budget; the client, calling from its
 *   addresses, goes on.
 * - per (environment, source), ten times larger: bounds one address that sprays many client ids.
 *   Scoped by environment so that an address shared with another tenant (a NAT, a proxy) cannot
 *   lock that tenant out.
 *
 * There is deliberately no budget per client across all sources: a client's credentials are not
 * guessable (secrets of 384 random bits, or signatures), so such a budget would protect nothing and
 * would let anyone lock a client out by failing as it.
 */
import type { ClientAuthAttempts, ClientAuthLimitReached } from '../../protocol/client-auth/ports.js';
import type { FailureChannel } from './failure-channel.js';
import { FixedWindowCounter } from './fixed-window.js';
import { sourceOf } from './source-address.js';

/** One source may fail as this many different clients of an environment within a window. */
export const SOURCE_BUDGET_FACTOR = 10;
const MAX_CLIENT_ID_KEY = 64;

export interface ClientAuthLimitsOptions {
  /** Failures per window per (environment, client, source). */
  perClient: number;
  /** Milliseconds since the epoch. */
  now: () => number;
  windowMs?: number;
  maxEntries?: number;
  /** The other processes (workers, instances) with which both budgets are shared. */
  channel?: FailureChannel;
}

export class ClientAuthLimits {
  private readonly bySource: FixedWindowCounter;
  private readonly byClient: FixedWindowCounter;

  constructor({ perClient, channel, ...rest }: ClientAuthLimitsOptions) {
    this.byClient = new FixedWindowCounter({ limit: perClient, ...rest, shared: channel && { channel, name: 'client-auth.client' } });
    this.bySource = new FixedWindowCounter({ limit: perClient * SOURCE_BUDGET_FACTOR, ...rest, shared: channel && { channel, name: 'client-auth.source' } });
  }

  /** The attempts of one request, from `address` (the peer's IP address) to `environmentId`. */
  forRequest(environmentId: string, address: string): ClientAuthAttempts {
    const source = sourceOf(address);
    const sourceKey = `${environmentId} ${source}`;
    // Client ids come from the request; real ones are UUIDs, so a cut keeps entries small and
    // merges only ids that name no client anyway.
    const clientKey = (clientId: string): string => `${environmentId} ${source} ${clientId.slice(0, MAX_CLIENT_ID_KEY)}`;
    return {
      waitSeconds: (clientId) => (clientId === undefined ? this.bySource.waitSeconds(sourceKey) : this.byClient.waitSeconds(clientKey(clientId))),
      failed: (clientId) => {
        this.bySource.fail(sourceKey);
        if (clientId === undefined || !this.byClient.fail(clientKey(clientId))) return undefined;
        return this.reached(source);
      },
    };
  }

  private reached(source: string): ClientAuthLimitReached {
    return { source, limit: this.byClient.limit, windowSeconds: Math.round(this.byClient.windowMs / 1000) };
  }
}
