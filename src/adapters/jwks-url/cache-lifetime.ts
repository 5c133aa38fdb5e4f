/**
 * How long a fetched `jwksUrl` document stays cached, from its response headers (RFC 9111), always
 * clamped to [floor, ceiling] so that a server can neither make Keyway refetch on every request nor
 * pin a set for days. Keyway's cache serves Keyway alone, so it reads the headers as a private cache:
 * - `Cache-Control: no-store` or `no-cache` (with or without a field list) gives the floor;
 * - `Cache-Control: max-age` gives the lifetime; a value that is not a non-negative integer, or two
 *   different values, make the response stale (RFC 9111 §4.2.1), hence the floor;
 * - without `max-age`, `Expires` minus `Date` (or minus the time of receipt when `Date` is absent or
 *   invalid, RFC 9111 §4.2.1); an invalid `Expires` such as "0" means already expired (§5.3);
 * - `Age` (§5.1) is subtracted from an explicit lifetime; an invalid `Age` is ignored;
 * - `s-maxage` is for shared caches and ignored (§5.2.2.10), as are `Pragma` and other directives;
 * - no explicit lifetime at all gives the default.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { parseHttpDate } from './http-date.js';

export interface TtlBounds {
  minMs: number;
  maxMs: number;
  defaultMs: number;
}

/** RFC 9111 §1.2.2: a delta-seconds too large to represent counts as 2^31. */
const MAX_DELTA_SECONDS = 2 ** 31;
const DELTA_SECONDS = /^\d+$/;

type Freshness = { kind: 'lifetime'; ms: number } | { kind: 'stale' } | { kind: 'none' };

/** Milliseconds the response may be used, counted from `receivedAt`, within the bounds. */
export function cacheLifetime(headers: IncomingHttpHeaders, receivedAt: number, bounds: TtlBounds): number {
  const freshness = explicitFreshness(headers, receivedAt);
  if (freshness.kind === 'none') return bounds.defaultMs;
  const remaining = freshness.kind === 'stale' ? 0 : freshness.ms - ageMs(headers.age);
  return Math.min(bounds.maxMs, Math.max(bounds.minMs, remaining));
}

function explicitFreshness(headers: IncomingHttpHeaders, receivedAt: number): Freshness {
  const fromCacheControl = cacheControlFreshness(headers['cache-control']);
  if (fromCacheControl.kind !== 'none') return fromCacheControl;
  return expiresFreshness(headers.expires, headers.date, receivedAt);
}

/** `no-store`/`no-cache` win over `max-age` (the most restrictive directive, RFC 9111 §4.2.1). */
function cacheControlFreshness(value: string | undefined): Freshness {
  if (value === undefined) return { kind: 'none' };
  const maxAges: string[] = [];
  for (const { name, arg } of directives(value)) {
    if (name === 'no-store' || name === 'no-cache') return { kind: 'stale' };
    if (name === 'max-age') maxAges.push(arg ?? '');
  }
  if (maxAges.length === 0) return { kind: 'none' };
  const [first] = maxAges;
  if (first === undefined || !maxAges.every((v) => v === first) || !DELTA_SECONDS.test(first)) return { kind: 'stale' };
  return { kind: 'lifetime', ms: deltaSeconds(first) * 1000 };
}

function expiresFreshness(expires: string | undefined, date: string | undefined, receivedAt: number): Freshness {
  if (expires === undefined) return { kind: 'none' };
  const expiresAt = parseHttpDate(expires, receivedAt);
  if (expiresAt === undefined) return { kind: 'stale' };
  const origin = (date === undefined ? undefined : parseHttpDate(date, receivedAt)) ?? receivedAt;
  return { kind: 'lifetime', ms: expiresAt - origin };
}

/** RFC 9111 §5.1: the first member of a list counts; anything but delta-seconds is ignored. */
function ageMs(value: string | undefined): number {
  const first = value?.split(',')[0]?.trim();
  return first !== undefined && DELTA_SECONDS.test(first) ? deltaSeconds(first) * 1000 : 0;
}

function deltaSeconds(digits: string): number {
  return Math.min(Number(digits), MAX_DELTA_SECONDS);
}

interface Directive {
  name: string;
  arg?: string;
}

/**
 * Splits a Cache-Control value into directives (RFC 9111 §5.2): names case-insensitive, an argument
 * as a token or a quoted-string (whose commas do not separate directives).
 */
function directives(value: string): Directive[] {
  const result: Directive[] = [];
  for (const part of splitOutsideQuotes(value)) {
    const eq = part.indexOf('=');
    const name = (eq < 0 ? part : part.slice(0, eq)).trim().toLowerCase();
    if (name === '') continue;
    if (eq < 0) result.push({ name });
    else result.push({ name, arg: unquote(part.slice(eq + 1).trim()) });
  }
  return result;
}

function splitOutsideQuotes(value: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i];
    if (quoted && ch === '\\') {
      current += value.slice(i, i + 2);
      i += 1;
      continue;
    }
    if (ch === '"') quoted = !quoted;
    if (ch === ',' && !quoted) {
      parts.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  parts.push(current);
  return parts;
}

function unquote(arg: string): string {
  if (arg.length < 2 || !arg.startsWith('"') || !arg.endsWith('"')) return arg;
  return arg.slice(1, -1).replace(/\\(.)/g, '$1');
}
