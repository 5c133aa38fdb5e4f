/**
 * The wire form of a configuration change on the `keyway_changes` channel: a small JSON object
 * built inside PostgreSQL by the triggers of migration 0005 (`json_build_object`), so the schema
 * it names is the schema of the table written. Instances of other schemas on the same database
 * share the channel (PostgreSQL channels are per database) and ignore each other's messages.
 *
 * `{"v": 1, "s": schema, "k": "a" | "e" | "*", "e": envId, "a": appId}`
 *
 * Builds before 0005 published the same object after commit with an `"o"` (publishing instance)
 * member so that an instance could skip its own messages; it is ignored now. An instance
 * receives its own changes too and applies them a second time, which only drops cache entries
 * that its services had already dropped when the write returned.
 */
import type { ConfigChange } from '../types.js';

export const CHANGES_CHANNEL = 'keyway_changes';

/**
 * Ids are UUIDs; the triggers announce anything else (or longer) as "drop everything", and the
 * reader accepts nothing else. Migration 0005 holds a copy of this pattern.
 */
export const CHANGE_ID_PATTERN = '^[A-Za-z0-9_-]{1,64}$';
const ID = new RegExp(CHANGE_ID_PATTERN);

/** A message longer than this is not ours: at most ~250 bytes are ever sent. */
const MAX_PAYLOAD = 1024;

interface Message {
  v?: unknown;
  s?: unknown;
  k?: unknown;
  e?: unknown;
  a?: unknown;
}

const ALL: ConfigChange = { kind: 'all' };

/**
 * The change a received payload asks for, or undefined when it is not for this instance
 * (another schema's). A payload that cannot be read asks for everything to be dropped: missing a
 * change is worse than reloading.
 */
export function readChange(payload: string | undefined, own: { schema: string | null }): ConfigChange | undefined {
  const message = payloadObject<Message>(payload, MAX_PAYLOAD);
  if (message === undefined) return ALL;
  if ((typeof message.s === 'string' || message.s === null) && message.s !== own.schema) return undefined;
  if (message.v !== 1) return ALL;
  const { k, e, a } = message;
  if (k === 'a' && typeof e === 'string' && ID.test(e) && typeof a === 'string' && ID.test(a)) {
    return { kind: 'application', environmentId: e, applicationId: a };
  }
  if (k === 'e' && typeof e === 'string' && ID.test(e)) return { kind: 'environment', environmentId: e };
  return ALL;
}

/** A notification's payload read as a JSON object, or undefined when it is longer than `max` or not one. */
export function payloadObject<T extends object>(payload: string | undefined, max: number): Partial<T> | undefined {
  if (payload === undefined || payload.length > max) return undefined;
  try {
    const parsed: unknown = JSON.parse(payload);
    return typeof parsed === 'object' && parsed !== null ? (parsed as Partial<T>) : undefined;
  } catch {
    return undefined;
  }
}
