/**
 * Identifiers: every id Keyway mints (records, token `jti`s, grant and family ids) is a random
 * UUID, written in lower case, and ids taken from a path or a body are checked against that form.
 */
import { randomUUID } from 'node:crypto';

/** A lower-case UUID, as a regular-expression source (to embed in larger patterns). */
export const UUID_PATTERN = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

const UUID = new RegExp(`^${UUID_PATTERN}$`);

/** A new random (version 4) UUID. */
export function newId(): string {
  return randomUUID();
}

export function isUuid(value: string): boolean {
  return UUID.test(value);
}
