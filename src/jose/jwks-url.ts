/**
 * Checks of a `jwksUrl` value: an absolute https URL without credentials or fragment, stored
 * exactly as given. Where it may lead is the guarded fetcher's concern, not this one's.
 *
 * The stored string is what the fetcher parses later, and the WHATWG URL parser repairs many
 * malformed texts (`https:/host`, `https:host`, `https:///host`, `\` read as `/`, `0x7f.1` read as
 * 127.0.0.1, dot segments removed), so that the host an administrator sees in the text can differ
 * from the host fetched. The value must therefore be written as `https://` + host + path, exactly
 * as the parser serialises it (host case and an explicit :443 aside).
 */
import { invalid, tooLarge, type JoseProblem } from './problem.js';

export const MAX_JWKS_URL_LENGTH = 2048;
const PREFIX = 'https://';

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
  if (url.username !== '' || url.password !== '' || authorityOf(raw)?.includes('@')) {
    problems.push(invalid(target, `${target} must not contain a username or password`));
  }
  // `url.hash` is empty for a bare trailing '#', so look at the raw string.
  if (raw.includes('#')) problems.push(invalid(target, `${target} must not contain a fragment`));
  if (url.hostname === '') problems.push(invalid(target, `${target} must name a host`));
  return problems.length > 0 ? problems : textualFormProblems(raw, url, target);
}

/** The text between `https://` and the path or query, when the value starts that way. */
function authorityOf(raw: string): string | undefined {
  if (!raw.startsWith(PREFIX)) return undefined;
  const rest = raw.slice(PREFIX.length);
  const end = rest.search(/[/?#]/);
  return end < 0 ? rest : rest.slice(0, end);
}

/** The value must read the same to a person as to the URL parser. */
function textualFormProblems(raw: string, url: URL, target: string): JoseProblem[] {
  if (raw.includes('\\')) return [invalid(target, `${target} must not contain backslashes; URL parsers read them as "/"`)];
  const authority = authorityOf(raw);
  if (authority === undefined) return [invalid(target, `${target} must start with "https://" followed by the host`)];
  if (authority === '') return [invalid(target, `${target} must name the host right after "https://"`)];
  const written = authority.toLowerCase();
  if (written !== url.host && written !== `${url.host}:443`) {
    return [invalid(target, `${target} host must be written in the form the URL parser reads it: "${url.host}"`)];
  }
  const rest = raw.slice(PREFIX.length + authority.length);
  const parsed = `${url.pathname}${url.search}`;
  const restAsParsed = rest === '' || rest.startsWith('?') ? `/${rest}` : rest;
  if (restAsParsed !== parsed) {
    return [invalid(target, `${target} path and query must be written as the URL parser serialises them: no "." or ".." segments, no empty query, special characters percent-encoded`)];
  }
  return [];
}
