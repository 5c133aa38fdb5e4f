/**
 * The wire form of a message between instances on the `keyway_broadcast` channel (see
 * PostgresStore.openBroadcast): a JSON object built inside PostgreSQL, so that the schema it
 * names is the sending connection's `search_path` schema, as on the change feed
 * (./notify-message.ts).
 *
 * `{"v": 1, "s": schema, "i": sending instance, "m": message}`
 *
 * Instances of other schemas on the same database share the channel and ignore each other's
 * messages; an instance ignores its own. PostgreSQL refuses payloads of 8,000 bytes and more.
 */
import { payloadObject } from './notify-message.js';

export const BROADCAST_CHANNEL = 'keyway_broadcast';

/** The longest message sent; with the envelope, well under PostgreSQL's payload limit. */
export const MAX_BROADCAST_CHARS = 6_000;
/** A payload longer than this (in UTF-16 units) is not one of ours. */
const MAX_PAYLOAD = 8_000;

/** Parameters: $1 the sending instance, $2 the message. */
export const BROADCAST_SQL = `SELECT pg_notify('${BROADCAST_CHANNEL}', json_build_object('v', 1, 's', current_schema(), 'i', $1::text, 'm', $2::text)::text)`;

interface Envelope {
  v?: unknown;
  s?: unknown;
  i?: unknown;
  m?: unknown;
}

/**
 * The message a received payload carries, or undefined when it is not for this instance: another
 * schema's, this instance's own, or not a message of this form.
 */
export function readBroadcast(payload: string | undefined, own: { schema: string | null; instance: string }): string | undefined {
  const envelope = payloadObject<Envelope>(payload, MAX_PAYLOAD);
  if (envelope === undefined) return undefined;
  if (envelope.v !== 1 || envelope.s !== own.schema || typeof envelope.i !== 'string' || envelope.i === own.instance) return undefined;
  return typeof envelope.m === 'string' && envelope.m.length <= MAX_BROADCAST_CHARS ? envelope.m : undefined;
}
