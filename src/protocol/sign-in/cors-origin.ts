/**
 * Which origins may read the session-cookie endpoints' answers (authorize, resume, sign-off, the
 * flow API): those of the application's `corsSettings` when its behavior is
 * ALLOW_SPECIFIC_ORIGINS, none otherwise (PingOne). The Fetch standard's `Origin` header is a
 * serialized origin, `scheme://host[:port]`, lower-case, no path.
 */

/** One DNS label, as a `*.` wildcard may stand for (never several, never empty). */
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * True when `origin` equals one of `allowed` (compared in lower case: origins are
 * case-insensitive and browsers send them lower-cased), or matches a `scheme://*.domain[:port]`
 * entry with exactly one more label in place of the `*`. `null` (opaque origins) never matches.
 */
export function originAllowed(origin: string, allowed: readonly string[]): boolean {
  if (origin === 'null') return false;
  for (const raw of allowed) {
    const entry = raw.toLowerCase();
    if (entry === origin) return true;
    const star = entry.indexOf('://*.');
    if (star === -1) continue;
    const prefix = entry.slice(0, star + 3);
    const suffix = entry.slice(star + 4);
    if (!origin.startsWith(prefix) || !origin.endsWith(suffix)) continue;
    if (LABEL.test(origin.slice(prefix.length, origin.length - suffix.length))) return true;
  }
  return false;
}
