/**
 * Small helpers for reading untrusted JSON values and quoting them in private details.
 */

export type JsonObject = Record<string, unknown>;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const MAX_SHOWN = 80;

/**
 * Quotes a value taken from an assertion for a private detail. Bounded, because every value
 * here is attacker-chosen and details are stored per application.
 */
export function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN - 3)}...` : text;
}
