/**
 * Failed Bearer tokens at the management API, counted per source address (docs/decisions.md,
 * "Failed authentications are rate limited"). A token names its environment only in claims that
 * are not yet verified, so the source is the one thing a failure can honestly be counted against.
 */
import type { FailureChannel } from './failure-channel.js';
import { FixedWindowCounter } from './fixed-window.js';
import { sourceOf } from './source-address.js';

export interface ManagementAuthLimitsOptions {
  /** Failures per window per source. */
  perSource: number;
  /** Milliseconds since the epoch. */
  now: () => number;
  windowMs?: number;
  maxEntries?: number;
  /** The other processes (workers, instances) with which the budget is shared. */
  channel?: FailureChannel;
}

export class ManagementAuthLimits {
  private readonly bySource: FixedWindowCounter;

  constructor({ perSource, channel, ...rest }: ManagementAuthLimitsOptions) {
    this.bySource = new FixedWindowCounter({ limit: perSource, ...rest, shared: channel && { channel, name: 'management-auth.source' } });
  }

  get limit(): number {
    return this.bySource.limit;
  }

  /** Seconds `address` must wait before its next request is authenticated; 0 when it may go on. */
  waitSeconds(address: string): number {
    return this.bySource.waitSeconds(sourceOf(address));
  }

  failed(address: string): void {
    this.bySource.fail(sourceOf(address));
  }
}
