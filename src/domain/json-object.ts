/** A parsed JSON object (not an array, not null): the shape every request body and token part is checked for first. */
export type JsonObject = Record<string, unknown>;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
