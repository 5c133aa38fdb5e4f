/**
 * Checks of a `jwksUrl` value: an absolute https URL without credentials or fragment, stored
 * exactly as given. Where it may lead is the guarded fetcher's concern, not this one's.
 */
import { invalid, tooLarge, type JoseProblem } from './problem.js';

export const MAX_JWKS_URL_LENGTH = 2048;

/** The problems of a `jwksUrl` value; empty when it is acceptable. */
export function jwksUrlProblems(raw: string, target = 'jwksUrl'): JoseProblem[] {
  if (typeof raw !== 'string') return [invalid(target, `${target} must be a string`)];
  if (raw.length > MAX_JWKS_URL_LENGTH) {
    return [tooLarge(target, `${target} is ${raw.length} characters; at most ${MAX_JWKS_URL_LENGTH} are allowed`, MAX_JWKS_URL_LENGTH)];
  }
  // The URL parser strips surrounding spaces and inner tabs/newlines; the stored string must be the URL itself.
  if (/[\u0000-\u0020\u007f]/.test(raw)) return [invalid(target, `${target} must not contain spaces or control characters`)];
  const url = URL.canParse(raw) ? new URL(raw) : undefined;
  if (!url) return [invalid(target, `${target} must be an absolute https URL`)];
  const problems: JoseProblem[] = [];
  if (url.protocol !== 'https:') problems.push(invalid(target, `${target} must use https, not ${url.protocol.slice(0, -1)}`));
  if (url.username !== '' || url.password !== '') problems.push(invalid(target, `${target} must not contain a username or password`));
  // `url.hash` is empty for a bare trailing '#', so look at the raw string.
  if (raw.includes('#')) problems.push(invalid(target, `${target} must not contain a fragment`));
  if (url.hostname === '') problems.push(invalid(target, `${target} must name a host`));
  return problems;
}
