/**
 * Rules for the single-URL fields and for CORS origins (docs/pingone-reference.md §4.2).
 * Each check returns the message of the first problem found, or `undefined`.
 */
import { hasHttpAuthority, hasWhitespaceOrControl, isBlockedScheme, isLoopbackHost, parseUrl as parse, schemeOf } from './redirect-uris.js';

/**
 * `homePageUrl`, `loginPageUrl`, `initiateLoginUri`, `deviceCustomVerificationUri`:
 * an absolute https URL, or http on localhost / 127.0.0.1 / [::1].
 */
export function webUrlIssue(value: string, target: string): string | undefined {
  if (hasWhitespaceOrControl(value)) return `${target} must not contain whitespace or control characters.`;
  const url = parse(value);
  if (!url || !hasHttpAuthority(value) || url.hostname === '') {
    return `${target} must be an absolute https URL.`;
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    return `${target} must use https; http is allowed only for localhost, 127.0.0.1 and [::1].`;
  }
  return undefined;
}

/** `targetLinkUri`: any absolute URI, except schemes that run code or read local files. */
export function absoluteUriIssue(value: string, target: string): string | undefined {
  if (hasWhitespaceOrControl(value)) return `${target} must not contain whitespace or control characters.`;
  const scheme = schemeOf(value);
  if (scheme === undefined || !parse(value)) return `${target} must be an absolute URI.`;
  if (isBlockedScheme(scheme)) return `${target} must not use the ${scheme}: scheme.`;
  return undefined;
}

/**
 * A CORS origin as browsers send it: `http(s)://host[:port]` with no path, query or trailing
 * slash; the host may start with a `*.` subdomain wildcard.
 */
const ORIGIN = /^https?:\/\/(\*\.)?([a-zA-Z0-9-]+(\.[a-zA-Z0-9-]+)*|\[[0-9a-fA-F:.]+\])(:\d{1,5})?$/;

export function corsOriginIssue(value: string, target: string): string | undefined {
  const ok = ORIGIN.test(value) && parse(value.replace('*.', 'x.')) !== undefined;
  if (ok) return undefined;
  return `${target} must be an origin such as https://app.example.com or https://*.example.com:8443, with no path, query or trailing slash.`;
}
