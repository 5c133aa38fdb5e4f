/**
 * Quoting untrusted JSON values in private details.
 */

const MAX_SHOWN = 80;

/**
 * Quotes a value taken from an assertion for a private detail. Bounded, because every value
 * here is attacker-chosen and details are stored per application.
 */
export function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN - 3)}...` : text;
}
