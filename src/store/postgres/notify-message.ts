/**
 * The wire form of a configuration change on the `keyway_changes` channel: a small JSON object
 * built by the server itself (`json_build_object`), so the schema it names is the publisher's
 * `current_schema()`. Instances of other schemas on the same database share the channel
 * (PostgreSQL channels are per database) and ignore each other's messages.
 *
 * `{"v": 1, "s": schema, "o": instance, "k": "a" | "e" | "*", "e": envId, "a": appId}`
 */
import type { ConfigChange } from '../types.js';

export const CHANGES_CHANNEL = 'keyway_changes';

/** Ids are UUIDs; anything else (or longer) is published as "drop everything" instead. */
const ID = /^[A-Za-z0-9_-]{1,64}$/;

/** A message longer than this is not ours: at most ~300 bytes are ever published. */
const MAX_PAYLOAD = 1024;

/** `pg_notify` rather than NOTIFY: the payload is a bound parameter, never spliced into SQL. */
export const NOTIFY_SQL = `SELECT pg_notify('${CHANGES_CHANNEL}', json_build_object(
  'v', 1, 's', current_schema(), 'o', ?::text, 'k', ?::text, 'e', ?::text, 'a', ?::text)::text)`;

/** Parameters of NOTIFY_SQL for `change` published by `instanceId`. */
export function notifyParams(instanceId: string, change: ConfigChange): [string, string, string | null, string | null] {
  if (change.kind === 'application' && ID.test(change.environmentId) && ID.test(change.applicationId)) {
    return [instanceId, 'a', change.environmentId, change.applicationId];
  }
  if (change.kind === 'environment' && ID.test(change.environmentId)) return [instanceId, 'e', change.environmentId, null];
  return [instanceId, '*', null, null];
}

interface Message {
  v?: unknown;
  s?: unknown;
  o?: unknown;
  k?: unknown;
  e?: unknown;
  a?: unknown;
}

const ALL: ConfigChange = { kind: 'all' };

/**
 * The change a received payload asks for, or undefined when it is not for this instance (its
 * own message, or another schema's). A payload that cannot be read asks for everything to be
 * dropped: missing a change is worse than reloading.
 */
export function readChange(payload: string | undefined, own: { instanceId: string; schema: string | null }): ConfigChange | undefined {
  if (payload === undefined || payload.length > MAX_PAYLOAD) return ALL;
  let message: Message;
  try {
    const parsed: unknown = JSON.parse(payload);
    if (typeof parsed !== 'object' || parsed === null) return ALL;
    message = parsed as Message;
  } catch {
    return ALL;
  }
  if ((typeof message.s === 'string' || message.s === null) && message.s !== own.schema) return undefined;
  if (message.o === own.instanceId) return undefined;
  if (message.v !== 1) return ALL;
  const { k, e, a } = message;
  if (k === 'a' && typeof e === 'string' && ID.test(e) && typeof a === 'string' && ID.test(a)) {
    return { kind: 'application', environmentId: e, applicationId: a };
  }
  if (k === 'e' && typeof e === 'string' && ID.test(e)) return { kind: 'environment', environmentId: e };
  return ALL;
}
