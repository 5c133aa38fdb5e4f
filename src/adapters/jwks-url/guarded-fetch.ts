/**
 * The only way Keyway makes outbound HTTP (it fetches client `jwksUrl`s). A URL an administrator
 * registers must not let anyone reach the server's own network, so the fetcher:
 * - takes https URLs only, without credentials or fragment;
 * - resolves the host itself and refuses when ANY resolved address is in a blocked range
 *   (`ip-ranges.ts`), then connects only to those checked addresses (no second lookup, so no
 *   DNS rebinding between check and connect), and checks the connected socket's peer again;
 * - verifies TLS (`rejectUnauthorized` is always true), follows no redirect, and enforces one
 *   deadline over DNS, connect, TLS, headers and body, plus a body size limit.
 * Compare node-oidc-provider's `lib/helpers/fetch_request.js`, which checks the peer address only
 * once connected, and its `lib/helpers/defaults.js`, whose `fetchResponseBodyLimits` sets no limit
 * on `jwks_uri` responses.
 */
import type { LookupAddress } from 'node:dns';
import { lookup as dnsLookup } from 'node:dns/promises';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { request } from 'node:https';
import type { LookupFunction, Socket } from 'node:net';
import { inCidrs, parseCidr, type Cidr } from '../../config/ip-address.js';
import { jwksUrlProblems } from '../../jose/jwks-url.js';
import { blockedRange } from './ip-ranges.js';

export const DEFAULT_FETCH_TIMEOUT_MS = 3_000;
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;
const ACCEPT = 'application/jwk-set+json, application/json';
const USER_AGENT = 'Keyway';

export interface GuardOptions {
  /** One deadline for DNS, connect, TLS, response headers and body, in ms (default 3000). */
  timeoutMs?: number;
  /** Largest body accepted, in bytes, whatever `Content-Length` says (default 65536). */
  maxBodyBytes?: number;
  /** Extra trusted CA certificates (PEM), e.g. a test server's self-signed certificate. */
  ca?: string | Buffer | ReadonlyArray<string | Buffer>;
  /**
   * Development allow-list: addresses in these CIDR blocks are accepted although blocked
   * (`KEYWAY_FETCH_ALLOW`, parsed by src/config/fetch-allow-list.ts). Never needed in production.
   */
  allowCidrs?: readonly string[];
  /** Development allow-list: host names (exact match) whose addresses are not checked. */
  allowHosts?: readonly string[];
  /** Resolver used instead of `dns.lookup(host, {all: true})` (tests). */
  resolve?: (hostname: string) => Promise<readonly LookupAddress[]>;
  /** Cancels the fetch early (in addition to the deadline). */
  signal?: AbortSignal;
}

export interface FetchResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export type FetchRefusedReason = 'INVALID_URL' | 'SCHEME' | 'CREDENTIALS' | 'FRAGMENT' | 'BLOCKED_ADDRESS' | 'REDIRECT';
export type FetchFailedReason = 'DNS' | 'CONNECT' | 'TLS' | 'NETWORK' | 'TIMEOUT' | 'ABORTED' | 'STATUS' | 'ENCODING' | 'BODY_TOO_LARGE';

/** Keyway's policy forbids this fetch: the URL or the address it leads to is not allowed. */
export class FetchRefused extends Error {
  override readonly name = 'FetchRefused';
  constructor(readonly reason: FetchRefusedReason, message: string) {
    super(message);
  }
}

/** The fetch was allowed but did not produce an acceptable answer (network, deadline, size, status). */
export class FetchFailed extends Error {
  override readonly name = 'FetchFailed';
  constructor(readonly reason: FetchFailedReason, message: string, readonly status?: number) {
    super(message);
  }
}

interface Target {
  hostname: string;
  port: number;
  path: string;
}

interface Policy {
  cidrs: readonly Cidr[];
  hosts: ReadonlySet<string>;
}

/**
 * GETs `url` under the guard and returns the 200 response with its whole body.
 * @throws FetchRefused for policy refusals, FetchFailed for everything else.
 */
export async function guardedFetch(url: string, opts: GuardOptions = {}): Promise<FetchResponse> {
  const target = parseTarget(url);
  const policy: Policy = {
    cidrs: (opts.allowCidrs ?? []).map(parseCidr),
    hosts: new Set((opts.allowHosts ?? []).map((h) => h.toLowerCase())),
  };
  const deadline = new Deadline(opts.timeoutMs ?? DEFAULT_FETCH_TIMEOUT_MS, opts.signal);
  try {
    const addresses = await deadline.race(resolve(target.hostname, opts.resolve));
    for (const { address } of addresses) assertAllowed(target.hostname, address, policy);
    return await exchange(target, addresses, policy, opts, deadline.signal);
  } finally {
    deadline.clear();
  }
}

function parseTarget(raw: string): Target {
  const url = URL.canParse(raw) ? new URL(raw) : undefined;
  if (!url) throw new FetchRefused('INVALID_URL', 'the URL is not an absolute URL');
  if (url.protocol !== 'https:') throw new FetchRefused('SCHEME', `only https URLs are fetched, not ${url.protocol.slice(0, -1)}`);
  if (url.username !== '' || url.password !== '') throw new FetchRefused('CREDENTIALS', 'the URL must not contain a username or password');
  if (raw.includes('#')) throw new FetchRefused('FRAGMENT', 'the URL must not contain a fragment');
  const hostname = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  if (hostname === '') throw new FetchRefused('INVALID_URL', 'the URL names no host');
  // A value stored before registration checked the textual form could name one host and lead to another.
  if (jwksUrlProblems(raw).length > 0) throw new FetchRefused('INVALID_URL', 'the URL is not written as "https://" + host + path in the form the URL parser reads it');
  return { hostname, port: url.port === '' ? 443 : Number(url.port), path: `${url.pathname}${url.search}` };
}

async function resolve(hostname: string, resolver: GuardOptions['resolve']): Promise<readonly LookupAddress[]> {
  let addresses: readonly LookupAddress[];
  try {
    addresses = resolver ? await resolver(hostname) : await dnsLookup(hostname, { all: true, verbatim: true });
  } catch (err) {
    throw new FetchFailed('DNS', `could not resolve ${hostname}: ${errorCode(err)}`);
  }
  if (addresses.length === 0) throw new FetchFailed('DNS', `${hostname} has no address`);
  return addresses;
}

function assertAllowed(hostname: string, address: string, policy: Policy): void {
  if (policy.hosts.has(hostname.toLowerCase())) return;
  const blocked = blockedRange(address);
  if (blocked === undefined || inCidrs(address, policy.cidrs)) return;
  throw new FetchRefused('BLOCKED_ADDRESS', `${hostname} leads to ${address}, which is ${article(blocked)} address; Keyway does not connect there`);
}

function article(label: string): string {
  return /^[aeiou]/i.test(label) ? `an ${label}` : `a ${label}`;
}

/** Hands the already checked addresses to the socket: it must not look the name up again. */
function pinnedLookup(hostname: string, addresses: readonly LookupAddress[]): LookupFunction {
  return (name, options, callback) => {
    const usable = addresses.filter((a) => !options.family || a.family === options.family);
    const first = usable[0];
    if (name !== hostname || !first) {
      callback(Object.assign(new Error(`no checked address for ${name}`), { code: 'ENOTFOUND' }), '', 0);
    } else if (options.all) {
      callback(null, usable.map((a) => ({ address: a.address, family: a.family })));
    } else {
      callback(null, first.address, first.family);
    }
  };
}

function exchange(target: Target, addresses: readonly LookupAddress[], policy: Policy, opts: GuardOptions, signal: AbortSignal): Promise<FetchResponse> {
  return new Promise<FetchResponse>((resolvePromise, rejectPromise) => {
    let settled = false;
    const req = request({
      hostname: target.hostname,
      port: target.port,
      path: target.path,
      method: 'GET',
      headers: { accept: ACCEPT, 'user-agent': USER_AGENT },
      agent: false,
      lookup: pinnedLookup(target.hostname, addresses),
      ...(opts.ca === undefined ? {} : { ca: opts.ca as string | Buffer | Array<string | Buffer> }),
      rejectUnauthorized: true,
    });
    const onAbort = (): void => fail(signal.reason instanceof Error ? signal.reason : new FetchFailed('ABORTED', 'the fetch was aborted'));
    function fail(err: Error): void {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      req.destroy();
      rejectPromise(err);
    }
    function succeed(response: FetchResponse): void {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      resolvePromise(response);
    }
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    req.on('error', (err) => fail(networkError(err)));
    req.on('socket', (socket: Socket) => {
      // Checked again after connect: the peer actually reached is what matters.
      const check = (): void => {
        try {
          assertAllowed(target.hostname, socket.remoteAddress ?? '', policy);
        } catch (err) {
          fail(err as Error);
        }
      };
      if (socket.remoteAddress !== undefined) check();
      else socket.once('connect', check);
    });
    req.on('response', (res) => readResponse(res, opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES, succeed, fail));
    req.end();
  });
}

function readResponse(res: IncomingMessage, limit: number, succeed: (r: FetchResponse) => void, fail: (e: Error) => void): void {
  const status = res.statusCode ?? 0;
  res.on('error', (err) => fail(networkError(err)));
  if (status >= 300 && status < 400) return fail(new FetchRefused('REDIRECT', `the server answered ${status} (a redirect); redirects are not followed`));
  if (status !== 200) return fail(new FetchFailed('STATUS', `the server answered HTTP ${status}; 200 is required`, status));
  const encoding = res.headers['content-encoding'];
  if (encoding !== undefined && encoding.toLowerCase() !== 'identity') {
    // The header's value is the server's text, so it is not repeated (see errorCode).
    return fail(new FetchFailed('ENCODING', 'the server sent a Content-Encoding other than identity; only an unencoded body is accepted'));
  }
  const declared = Number(res.headers['content-length']);
  if (declared > limit) return fail(tooLarge(limit, `declares ${declared} bytes`));
  const chunks: Buffer[] = [];
  let size = 0;
  res.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > limit) fail(tooLarge(limit, `exceeded ${limit} bytes`));
    else chunks.push(chunk);
  });
  res.on('end', () => succeed({ status, headers: res.headers, body: Buffer.concat(chunks, size) }));
  res.on('close', () => {
    if (!res.complete) fail(new FetchFailed('NETWORK', 'the connection closed before the body was complete'));
  });
}

function tooLarge(limit: number, what: string): FetchFailed {
  return new FetchFailed('BODY_TOO_LARGE', `the response body ${what}; at most ${limit} bytes are accepted`);
}

const TLS_CODE = /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY|HOSTNAME|ALTNAME/;

function networkError(err: Error): Error {
  if (err instanceof FetchRefused || err instanceof FetchFailed) return err;
  const code = errorCode(err);
  if (TLS_CODE.test(code)) return new FetchFailed('TLS', `TLS failed: ${code}`);
  if (code === 'ECONNREFUSED' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return new FetchFailed('CONNECT', `could not connect: ${code}`);
  return new FetchFailed('NETWORK', `network error: ${code}`);
}

/**
 * An error's code (ENOTFOUND, ECONNRESET, HPE_INVALID_HEADER_TOKEN, ...), never its message: messages
 * of parse and TLS errors can quote what the server sent, and these texts reach `lastError`, the
 * JWKS_FETCH_FAILED detail and the logs.
 */
function errorCode(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[A-Z][A-Z0-9_]{0,63}$/.test(code) ? code : 'an unexpected error';
}

/** One timer for the whole fetch; aborting its signal destroys the request. */
class Deadline {
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout;
  private readonly external: AbortSignal | undefined;
  private readonly onExternalAbort = (): void => this.controller.abort(new FetchFailed('ABORTED', 'the fetch was aborted'));

  constructor(ms: number, external?: AbortSignal) {
    this.timer = setTimeout(() => this.controller.abort(new FetchFailed('TIMEOUT', `no complete answer within ${ms} ms`)), ms);
    this.external = external;
    if (external?.aborted) this.onExternalAbort();
    else external?.addEventListener('abort', this.onExternalAbort, { once: true });
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Settles with `promise`, or rejects with the deadline's reason if that comes first. */
  race<T>(promise: Promise<T>): Promise<T> {
    const signal = this.controller.signal;
    if (signal.aborted) return Promise.reject(signal.reason as Error);
    return new Promise<T>((resolvePromise, rejectPromise) => {
      const onAbort = (): void => rejectPromise(signal.reason as Error);
      signal.addEventListener('abort', onAbort, { once: true });
      promise.then(
        (value) => {
          signal.removeEventListener('abort', onAbort);
          resolvePromise(value);
        },
        (err: unknown) => {
          signal.removeEventListener('abort', onAbort);
          rejectPromise(err);
        },
      );
    });
  }

  clear(): void {
    clearTimeout(this.timer);
    this.external?.removeEventListener('abort', this.onExternalAbort);
  }
}
