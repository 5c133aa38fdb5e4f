/**
 * Whether an object already is as the file describes it: every field the file gives equals the
 * field the API answers (the file may leave fields to their defaults; those are not compared).
 */

export function describes(desired: unknown, current: unknown): boolean {
  if (desired === null || desired === undefined) return true;
  if (Array.isArray(desired)) {
    if (!Array.isArray(current) || current.length !== desired.length) return false;
    if (desired.every((d) => typeof d !== 'object' || d === null)) {
      // Lists of plain values (grant types, redirect URIs) are sets to the API.
      const have = new Set(current.map((c) => JSON.stringify(c)));
      return desired.every((d) => have.has(JSON.stringify(d)));
    }
    return desired.every((d, i) => describes(d, current[i]));
  }
  if (typeof desired === 'object') {
    if (typeof current !== 'object' || current === null || Array.isArray(current)) return false;
    return Object.entries(desired).every(([k, v]) => describes(v, (current as Record<string, unknown>)[k]));
  }
  return desired === current;
}
