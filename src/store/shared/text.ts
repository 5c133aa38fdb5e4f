/**
 * U+0000 in stored text: one rule for every engine.
 *
 * PostgreSQL `text` cannot hold U+0000 at all, while SQLite would store it and read it back. So
 * that a deployment behaves the same on either store, both enforce the stricter rule:
 *
 * - writing a text column whose value contains U+0000 throws a `TypeError` (a caller bug:
 *   management validation refuses U+0000 in every input before it reaches the store);
 * - looking rows up by a key containing U+0000 finds nothing, since no stored key can hold it
 *   (a `client_id` from a token request is not validated first, so this must not throw).
 *
 * JSON documents are unaffected: `JSON.stringify` writes U+0000 inside strings as `\u0000`.
 *
 * Diagnostics are the exception: a client-authentication event records what a client sent (a
 * `kid`, say), and a refusal must leave its event however hostile the value. Such text is stored
 * with each U+0000 written as the six characters `\u0000` (`escapeNul`), on every engine.
 */

const NUL = '\u0000';

/** `value` with each U+0000 written as `\u0000`, as JSON writes it: storable on every engine. */
export function escapeNul(value: string): string {
  return value.replaceAll(NUL, '\\u0000');
}

/** True when `value` is a string containing U+0000. */
export function holdsNul(value: unknown): boolean {
  return typeof value === 'string' && value.includes(NUL);
}

/** Throws a TypeError naming the first column whose text contains U+0000. */
export function assertStorableText(table: string, columns: Record<string, unknown>): void {
  for (const [column, value] of Object.entries(columns)) {
    if (holdsNul(value)) throw new TypeError(`${table}.${column} must not contain U+0000`);
  }
}

/**
 * A keyset cursor cut at its first U+0000. Every stored id lacks U+0000, so in byte order
 * `id > 'ab\0…'` selects exactly the ids `> 'ab'`; PostgreSQL cannot take the uncut form.
 */
export function storableCursor(after: string): string {
  const at = after.indexOf(NUL);
  return at === -1 ? after : after.slice(0, at);
}
