/**
 * The failure channel (./failure-channel.ts) between instances that share one database, over the
 * store's broadcast (on PostgreSQL, `pg_notify`: PostgresStore.openBroadcast). The failures
 * counted within FLUSH_MS travel together, in as few messages as fit, and the channel sends at
 * most MAX_MESSAGES_PER_FLUSH messages per flush with at most MAX_PENDING failures waiting: under
 * a flood of failures the database carries a bounded number of notifications, and a failure
 * beyond the bound is counted by its own instance only (its limit holds there; the others do not
 * hear of it).
 */
import type { Broadcast, ChangeFeedEvents } from '../../store/types.js';
import { isSharedFailure, type FailureChannel } from './failure-channel.js';

/** How long failures gather before they are sent. */
export const FLUSH_MS = 10;
/** Messages per flush; what does not fit waits for the next one. */
export const MAX_MESSAGES_PER_FLUSH = 2;
/** Failures waiting to be sent; more are not announced. */
export const MAX_PENDING = 500;
/**
 * The longest message (the store's MAX_BROADCAST_CHARS is larger). One failure that
 * isSharedFailure admits always fits: at most 576 characters, each at most 6 once escaped.
 */
const MAX_MESSAGE_CHARS = 4_000;
const MAX_PAIRS = 100;

export interface BroadcastFailureChannel extends FailureChannel {
  close(): Promise<void>;
}

/** Where the channel reports its listening connection (the server's log). */
export interface BroadcastLog {
  info(message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
}

type OpenBroadcast = (receive: (message: string) => void, events: Pick<ChangeFeedEvents, 'listening' | 'lost'>) => Broadcast;

/** A failure channel over the broadcast that `open` starts (once, now). */
export function broadcastFailureChannel(open: OpenBroadcast, log?: BroadcastLog): BroadcastFailureChannel {
  const receivers = new Map<string, (key: string) => void>();
  let listenedBefore = false;
  const events = {
    // Back at the level of the loss, as the change feed's return is (src/adapters/cache/change-sync.ts).
    listening: () => {
      if (listenedBefore) log?.warn({}, 'failure broadcast listening again');
      else log?.info('failure broadcast listening');
      listenedBefore = true;
    },
    lost: (reason: string) => log?.warn({ reason }, 'failure broadcast lost its connection; failures at other instances are not counted here until it reconnects'),
  };
  const broadcast = open((message) => {
    for (const [counter, key] of readPairs(message)) receivers.get(counter)?.(key);
  }, events);
  let pending: string[] = [];
  let timer: NodeJS.Timeout | undefined;

  const flush = (): void => {
    timer = undefined;
    const [messages, rest] = pack(pending, MAX_MESSAGES_PER_FLUSH);
    pending = rest;
    for (const message of messages) broadcast.send(message);
    if (pending.length > 0) schedule();
  };
  const schedule = (): void => {
    if (timer !== undefined) return;
    timer = setTimeout(flush, FLUSH_MS);
    timer.unref();
  };

  return {
    send: (counter, key) => {
      if (pending.length >= MAX_PENDING || !isSharedFailure(counter, key)) return;
      pending.push(JSON.stringify([counter, key]));
      schedule();
    },
    listen: (counter, receive) => void receivers.set(counter, receive),
    close: async () => {
      clearTimeout(timer);
      timer = undefined;
      pending = [];
      await broadcast.close();
    },
  };
}

/**
 * Up to `most` messages, each a JSON array of as many encoded pairs as fit in MAX_MESSAGE_CHARS,
 * and the pairs left over.
 */
function pack(encoded: readonly string[], most: number): [string[], string[]] {
  const messages: string[] = [];
  let next = 0;
  while (next < encoded.length && messages.length < most) {
    const parts: string[] = [];
    let length = 2;
    // The first pair always goes in (it fits, see MAX_MESSAGE_CHARS); the next ones while they fit.
    while (next < encoded.length && parts.length < MAX_PAIRS && (parts.length === 0 || length + (encoded[next] as string).length + 1 <= MAX_MESSAGE_CHARS)) {
      length += (encoded[next] as string).length + 1;
      parts.push(encoded[next] as string);
      next += 1;
    }
    messages.push(`[${parts.join(',')}]`);
  }
  return [messages, encoded.slice(next)];
}

/** The (counter, key) pairs of a received message; anything else in it is ignored. */
function readPairs(message: string): Array<[string, string]> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(message);
  } catch {
    return [];
  }
  if (!Array.isArray(parsed)) return [];
  return parsed.slice(0, MAX_PAIRS).filter(isPair);
}

function isPair(value: unknown): value is [string, string] {
  return Array.isArray(value) && value.length === 2 && isSharedFailure(value[0], value[1]);
}
