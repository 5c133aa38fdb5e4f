/**
 * Cache of the JWK Sets applications publish at their `jwksUrl`, per (environment, application,
 * URL). The rules are Keyway's own, since PingOne documents none (docs/pingone-reference.md §9):
 * - the fetched document is validated like an inline `jwks` (public keys only); a document that
 *   fails validation counts as a failed fetch;
 * - TTL from the response's cache headers (`cache-lifetime.ts`), clamped to [5 min, 24 h]; 1 h
 *   when they state no lifetime;
 * - an unknown `kid` triggers a refetch at most once per cool-down (60 s) per application, and a
 *   failed fetch is not retried before the cool-down either, so a dead or hostile URL costs at
 *   most one fetch a minute;
 * - one fetch in flight per application; concurrent callers share it;
 * - the last good set is kept (and used) when a later fetch fails;
 * - bounded: least recently used applications are dropped beyond `maxEntries`.
 */
import type { ClientPublicKey } from '../../jose/client-public-key.js';
import { parseJwkSet } from '../../jose/jwk-set.js';
import { FETCHED } from '../../jose/jwk-values.js';
import type { VerificationKey } from '../../protocol/client-auth/ports.js';
import { InvalidClient } from '../../protocol/errors.js';
import { mayVerify, toVerificationKey } from '../client-auth/verification-key.js';
import { cacheLifetime, type TtlBounds } from './cache-lifetime.js';
import { FetchFailed, FetchRefused, guardedFetch, type FetchResponse, type GuardOptions } from './guarded-fetch.js';

export const DEFAULT_JWKS_TTL_MS = 60 * 60 * 1000;
export const MIN_JWKS_TTL_MS = 5 * 60 * 1000;
export const MAX_JWKS_TTL_MS = 24 * 60 * 60 * 1000;
export const DEFAULT_JWKS_COOLDOWN_MS = 60 * 1000;
export const DEFAULT_JWKS_MAX_ENTRIES = 10_000;
const MAX_ERROR_LENGTH = 500;

/** Fetches a URL; must throw or return a non-200 status on failure. */
export type JwksFetch = (url: string) => Promise<FetchResponse>;

export interface RemoteJwksOptions {
  /** Fetch function (tests). Default: `guardedFetch(url, guard)`. */
  fetch?: JwksFetch;
  /** Options of the default fetcher: allow-list, deadline, body limit, CA. */
  guard?: GuardOptions;
  /** Milliseconds since the epoch (tests). Default `Date.now`. */
  clock?: () => number;
  /** Shortest cache lifetime, ms (default 5 min). */
  minTtlMs?: number;
  /** Longest cache lifetime, ms (default 24 h). */
  maxTtlMs?: number;
  /** Lifetime when the response's cache headers state none, ms (default 1 h). */
  defaultTtlMs?: number;
  /** Least time between two fetches prompted by an unknown kid or a failure, ms (default 60 s). */
  cooldownMs?: number;
  /** Applications kept (default 10,000); the least recently used are dropped first. */
  maxEntries?: number;
  /** Told of each fetch's outcome and of each look-up answered from the cache (metrics). */
  observer?: RemoteJwksObserver;
}

export interface RemoteJwksObserver {
  fetched(outcome: 'success' | 'failure'): void;
  cacheHit(): void;
}

/** Who the set belongs to, and where it is published. */
export interface RemoteJwksClient {
  environmentId: string;
  id: string;
  jwksUrl: string;
}

/** What admins see of one application's cached set. */
export interface RemoteJwksSnapshot {
  jwksUrl: string;
  /** Public JWKs of the last good set (empty when none was ever fetched). */
  keys: Record<string, unknown>[];
  fetchedAt?: Date;
  expiresAt?: Date;
  /** Why the most recent fetch failed; absent when it succeeded. */
  lastError?: string;
  lastAttemptAt?: Date;
}

interface GoodSet {
  jwks: readonly ClientPublicKey[];
  keys: readonly VerificationKey[];
  kids: ReadonlySet<string>;
  fetchedAt: number;
  expiresAt: number;
}

interface Entry {
  jwksUrl: string;
  good?: GoodSet;
  lastAttemptAt?: number;
  lastError?: string;
  inflight?: Promise<void>;
}

export class RemoteJwks {
  private readonly entries = new Map<string, Entry>();
  private readonly fetcher: JwksFetch;
  private readonly clock: () => number;
  private readonly ttl: TtlBounds;
  private readonly cooldownMs: number;
  private readonly maxEntries: number;
  private readonly observer: RemoteJwksObserver | undefined;

  constructor(options: RemoteJwksOptions = {}) {
    const guard = options.guard ?? {};
    this.fetcher = options.fetch ?? ((url) => guardedFetch(url, guard));
    this.clock = options.clock ?? Date.now;
    this.ttl = {
      minMs: options.minTtlMs ?? MIN_JWKS_TTL_MS,
      maxMs: options.maxTtlMs ?? MAX_JWKS_TTL_MS,
      defaultMs: options.defaultTtlMs ?? DEFAULT_JWKS_TTL_MS,
    };
    this.cooldownMs = options.cooldownMs ?? DEFAULT_JWKS_COOLDOWN_MS;
    this.maxEntries = options.maxEntries ?? DEFAULT_JWKS_MAX_ENTRIES;
    this.observer = options.observer;
  }

  /**
   * The application's remote keys (all but those whose `key_ops` exclude "verify"), fetched when absent or
   * expired. `refreshForKid` refetches when the cached set lacks that kid, at most once per
   * cool-down. A failed fetch falls back to the last good set.
   * @throws InvalidClient('JWKS_FETCH_FAILED') when no set was ever fetched successfully.
   */
  async keys(client: RemoteJwksClient, opts: { refreshForKid?: string } = {}): Promise<readonly VerificationKey[]> {
    const entry = this.entryFor(client.environmentId, client.id, client.jwksUrl);
    if (this.needsFetch(entry, opts.refreshForKid)) await this.fetch(entry);
    else this.observer?.cacheHit();
    if (entry.good) return entry.good.keys;
    throw new InvalidClient('JWKS_FETCH_FAILED', `could not fetch the JWK Set at jwksUrl ${entry.jwksUrl}: ${entry.lastError ?? 'no attempt'}`);
  }

  /** The cached state of one application, or undefined when nothing is cached. */
  snapshot(environmentId: string, applicationId: string): RemoteJwksSnapshot | undefined {
    const entry = this.entries.get(cacheKey(environmentId, applicationId));
    return entry && toSnapshot(entry);
  }

  /**
   * Fetches the set now, whatever its TTL or cool-down (joining a fetch already in flight), and
   * returns the resulting state. Undefined (and the cache dropped) when the client has no `jwksUrl`.
   */
  async refresh(environmentId: string, applicationId: string, client: { jwksUrl?: string | undefined }): Promise<RemoteJwksSnapshot | undefined> {
    if (client.jwksUrl === undefined) {
      this.forget(environmentId, applicationId);
      return undefined;
    }
    const entry = this.entryFor(environmentId, applicationId, client.jwksUrl);
    await this.fetch(entry);
    return toSnapshot(entry);
  }

  /** Drops the cache of one application (changed or deleted), or of a whole environment. */
  forget(environmentId: string, applicationId?: string): void {
    if (applicationId !== undefined) {
      this.entries.delete(cacheKey(environmentId, applicationId));
      return;
    }
    const prefix = cacheKey(environmentId, '');
    for (const key of this.entries.keys()) if (key.startsWith(prefix)) this.entries.delete(key);
  }

  /** The entry for this URL, most recently used; a changed URL starts afresh. */
  private entryFor(environmentId: string, applicationId: string, jwksUrl: string): Entry {
    const key = cacheKey(environmentId, applicationId);
    const found = this.entries.get(key);
    const entry = found?.jwksUrl === jwksUrl ? found : { jwksUrl };
    this.entries.delete(key);
    this.entries.set(key, entry);
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    return entry;
  }

  private needsFetch(entry: Entry, kid: string | undefined): boolean {
    if (entry.inflight) return true;
    const now = this.clock();
    const cooledDown = entry.lastAttemptAt === undefined || now - entry.lastAttemptAt >= this.cooldownMs;
    if (!cooledDown) return false;
    const good = entry.good;
    if (!good || now >= good.expiresAt) return true;
    return kid !== undefined && !good.kids.has(kid);
  }

  /** Single flight: every caller during a fetch awaits the same one. Never rejects. */
  private fetch(entry: Entry): Promise<void> {
    entry.inflight ??= this.load(entry).finally(() => {
      entry.inflight = undefined;
    });
    return entry.inflight;
  }

  private async load(entry: Entry): Promise<void> {
    entry.lastAttemptAt = this.clock();
    try {
      const response = await this.fetcher(entry.jwksUrl);
      if (response.status !== 200) throw new FetchFailed('STATUS', `the server answered HTTP ${response.status}; 200 is required`, response.status);
      const jwks = parseJwks(response.body);
      const fetchedAt = this.clock();
      entry.good = {
        jwks,
        keys: jwks.filter((k) => mayVerify(k.jwk)).map((k) => toVerificationKey(k.jwk, 'jwksUrl')),
        kids: new Set(jwks.flatMap((k) => (k.kid === undefined ? [] : [k.kid]))),
        fetchedAt,
        expiresAt: fetchedAt + cacheLifetime(response.headers, fetchedAt, this.ttl),
      };
      entry.lastError = undefined;
      this.observer?.fetched('success');
    } catch (err) {
      entry.lastError = describe(err);
      this.observer?.fetched('failure');
    }
  }
}

/** The fetched document failed validation; its message holds no text of the document. */
class UnacceptableDocument extends Error {}

/**
 * Validates the body like an inline `jwks` string (safe JSON parse, duplicate members, public keys
 * only). Problems show the document's values by fingerprint, never as text: `lastError` and the
 * JWKS_FETCH_FAILED detail are read by administrators and logged.
 */
function parseJwks(body: Buffer): ClientPublicKey[] {
  const text = body.toString('utf8').replace(/^\uFEFF/, '');
  const result = parseJwkSet(text, 'jwksUrl', FETCHED);
  if (!result.ok) {
    const shown = result.problems.slice(0, 3).map((d) => d.message);
    const more = result.problems.length > 3 ? ` (and ${result.problems.length - 3} more)` : '';
    throw new UnacceptableDocument(`DOCUMENT: the document is not an acceptable JWK Set: ${shown.join('; ')}${more}`);
  }
  return result.keys;
}

/** Only Keyway's own texts: an unexpected error's message could carry text from the response. */
function describe(err: unknown): string {
  let text = 'UNEXPECTED: the fetched keys could not be prepared for verification';
  if (err instanceof FetchRefused || err instanceof FetchFailed) text = `${err.reason}: ${err.message}`;
  else if (err instanceof UnacceptableDocument) text = err.message;
  return text.length > MAX_ERROR_LENGTH ? `${text.slice(0, MAX_ERROR_LENGTH - 1)}…` : text;
}

function toSnapshot(entry: Entry): RemoteJwksSnapshot {
  const snapshot: RemoteJwksSnapshot = { jwksUrl: entry.jwksUrl, keys: entry.good ? entry.good.jwks.map((k) => structuredClone(k.jwk)) : [] };
  if (entry.good) {
    snapshot.fetchedAt = new Date(entry.good.fetchedAt);
    snapshot.expiresAt = new Date(entry.good.expiresAt);
  }
  if (entry.lastError !== undefined) snapshot.lastError = entry.lastError;
  if (entry.lastAttemptAt !== undefined) snapshot.lastAttemptAt = new Date(entry.lastAttemptAt);
  return snapshot;
}

function cacheKey(environmentId: string, applicationId: string): string {
  return `${environmentId}/${applicationId}`;
}
