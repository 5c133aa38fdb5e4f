/**
 * Rules for `redirectUris` and `postLogoutRedirectUris` entries (PingOne: Terraform validators and
 * "Wildcards in Redirect URIs", docs/pingone-reference.md §4.2). Each check returns the message of
 * the first problem found, or `undefined`.
 */
import type { FieldReader } from '../fields.js';
import { LIMITS } from './defaults.js';
import type { Section } from './general.js';

const SCHEME = /^([a-zA-Z][a-zA-Z0-9+.-]*):/;
/** Schemes that run code or read local data in a browser: never a redirect target. */
const BLOCKED_SCHEMES = new Set(['javascript', 'data', 'file', 'vbscript']);
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);
const WHITESPACE_OR_CONTROL = /[\s\u0000-\u001f\u007f]/;

/** The message PingOne's API starts with when a `*` is sent without the opt-in flag. */
export const WILDCARD_NOT_ALLOWED = 'Wildcards are not allowed in redirect URIs.';

export function schemeOf(value: string): string | undefined {
  return SCHEME.exec(value)?.[1]?.toLowerCase();
}

export function isBlockedScheme(scheme: string): boolean {
  return BLOCKED_SCHEMES.has(scheme);
}

/** The URL parser silently drops surrounding spaces and inner tabs/newlines; stored URIs must not have them. */
export function hasWhitespaceOrControl(value: string): boolean {
  return WHITESPACE_OR_CONTROL.test(value);
}

/** `http(s)://` followed by a host, checked on the raw string (the parser repairs `https:/host`). */
export function hasHttpAuthority(value: string): boolean {
  return /^https?:\/\/[^/?#]/i.test(value);
}

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname);
}

/**
 * `redirectUris`, `postLogoutRedirectUris` and `allowWildcardInRedirectUris`. The wildcard switch
 * governs both lists. An AUTHORIZATION_CODE or IMPLICIT application without redirect URIs is
 * accepted, as PingOne accepts it; authorization requests then fail until one is registered.
 */
export function readRedirectSettings(r: FieldReader): Section {
  const allowWildcardInRedirectUris = r.boolean('allowWildcardInRedirectUris');
  const check = (value: string, target: string) => redirectUriIssue(value, target, allowWildcardInRedirectUris === true);
  return {
    allowWildcardInRedirectUris,
    redirectUris: r.stringArray('redirectUris', LIMITS.redirectUris, LIMITS.url, check),
    postLogoutRedirectUris: r.stringArray('postLogoutRedirectUris', LIMITS.postLogoutRedirectUris, LIMITS.url, check),
  };
}

/**
 * One redirect URI: absolute, no fragment, `https` anywhere, `http` only on a loopback host,
 * custom schemes (`com.example.app:/cb`, `myapp://cb`) for native apps, and at most one `*`,
 * in the path or query, when `allowWildcard` is set.
 */
export function redirectUriIssue(value: string, target: string, allowWildcard: boolean): string | undefined {
  if (value === '') return `${target} must not be empty.`;
  if (hasWhitespaceOrControl(value)) return `${target} must not contain whitespace or control characters.`;
  const scheme = schemeOf(value);
  if (scheme === undefined) {
    return `${target} must be an absolute URI with a scheme, such as https://app.example.com/callback or com.example.app:/callback.`;
  }
  if (isBlockedScheme(scheme)) return `${target} must not use the ${scheme}: scheme.`;
  if (value.includes('#')) return `${target} must not contain a fragment (#).`;
  const wildcard = wildcardIssue(value, target, allowWildcard);
  if (wildcard) return wildcard;
  const url = parseUrl(value.replace('*', 'x'));
  if (!url) return `${target} is not a valid absolute URI.`;
  if (scheme === 'http' || scheme === 'https') {
    if (!hasHttpAuthority(value) || url.hostname === '') return `${target} must name a host (${scheme}://host/...).`;
    if (url.username !== '' || url.password !== '') return `${target} must not contain user credentials.`;
    if (scheme === 'http' && !isLoopbackHost(url.hostname)) {
      return `${target} must use https; http is allowed only for localhost, 127.0.0.1 and [::1].`;
    }
  }
  return undefined;
}

function wildcardIssue(value: string, target: string, allowWildcard: boolean): string | undefined {
  const stars = value.split('*').length - 1;
  if (stars === 0) return undefined;
  if (!allowWildcard) {
    return `${WILDCARD_NOT_ALLOWED} ${target} contains "*"; set allowWildcardInRedirectUris to true to use a wildcard.`;
  }
  if (stars > 1) return `${target} may contain at most one wildcard (*).`;
  if (value.indexOf('*') < authorityEnd(value)) {
    return `${target} may use a wildcard (*) only in its path or query, never in its scheme or host.`;
  }
  return undefined;
}

/** Index just past the scheme and authority (`scheme://authority`), or past `scheme:` when there is none. */
function authorityEnd(value: string): number {
  const colon = value.indexOf(':');
  if (!value.startsWith('//', colon + 1)) return colon + 1;
  const rest = value.slice(colon + 3);
  const end = rest.search(/[/?#]/);
  return colon + 3 + (end === -1 ? rest.length : end);
}

/** The URL, or undefined when WHATWG parsing refuses it. */
export function parseUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}
