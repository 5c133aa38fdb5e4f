/**
 * Redirect URI matching (RFC 6749 §3.1.2.3, OAuth 2.0 Security BCP §4.1.3): simple string
 * comparison, with two PingOne rules on top:
 * - loopback: a registered `http://127.0.0.1…` or `http://[::1]…` URI matches any port
 *   (RFC 8252 §7.3). Not `localhost`, which DNS or a hosts file may point elsewhere.
 * - wildcard: when the application has `allowWildcardInRedirectUris`, each `*` in the path or
 *   query of a registered URI matches exactly one segment of safe characters. A `*` in the
 *   scheme or authority never matches anything.
 */

const LOOPBACK = /^http:\/\/(127\.0\.0\.1|\[::1\])(?::(\d{1,5}))?([/?].*)?$/s;
const ORIGIN = /^([a-z][a-z0-9+.-]*:\/\/[^/?#]*)(.*)$/s;
/** One wildcard segment: unreserved, pct-encoded and sub-delims without `&`, `=`, `/`, `?`, `#`. */
const SEGMENT = "[A-Za-z0-9\\-._~%!$'()*+,;:@]+";
const MAX_REDIRECT_URI_LENGTH = 2048;

/** True when `requested` may receive the authorization response for these registered URIs. */
export function redirectUriAllowed(registered: readonly string[], requested: string, allowWildcard: boolean): boolean {
  if (!isAcceptableShape(requested)) return false;
  if (registered.includes(requested)) return true;
  return registered.some((uri) => loopbackMatches(uri, requested) || (allowWildcard && wildcardMatches(uri, requested)));
}

/** Absolute, parseable, no fragment (RFC 6749 §3.1.2), no userinfo, bounded, no whitespace or controls. */
function isAcceptableShape(uri: string): boolean {
  if (uri.length > MAX_REDIRECT_URI_LENGTH || uri.includes('#')) return false;
  if (/[\s\x00-\x1f\x7f\\]/.test(uri)) return false;
  if (ORIGIN.exec(uri)?.[1]?.includes('*')) return false;
  try {
    const url = new URL(uri);
    return url.username === '' && url.password === '';
  } catch {
    return false;
  }
}

function loopbackMatches(registered: string, requested: string): boolean {
  const reg = LOOPBACK.exec(registered);
  const req = LOOPBACK.exec(requested);
  if (!reg || !req) return false;
  if (req[2] !== undefined && !validPort(req[2])) return false;
  return reg[1] === req[1] && (reg[3] ?? '') === (req[3] ?? '');
}

function validPort(port: string): boolean {
  const n = Number(port);
  return Number.isInteger(n) && n >= 1 && n <= 65535;
}

function wildcardMatches(registered: string, requested: string): boolean {
  if (!registered.includes('*')) return false;
  const reg = ORIGIN.exec(registered);
  const req = ORIGIN.exec(requested);
  if (!reg || !req) return false;
  const [, regOrigin = '', regRest = ''] = reg;
  const [, reqOrigin = '', reqRest = ''] = req;
  if (regOrigin.includes('*') || regOrigin !== reqOrigin) return false;
  // Only already-normalised URIs: no dot segments or encodings a later parser would undo.
  if (/(^|\/)\.\.?($|[/?])|%2e|%2f|%5c/i.test(reqRest)) return false;
  if (new URL(requested).href !== requested && new URL(requested).href !== `${requested}/`) return false;
  const pattern = regRest.split('*').map(escapeRegExp).join(SEGMENT);
  return new RegExp(`^${pattern}$`, 's').test(reqRest);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
