/**
 * In-process Keyway for feature tests: the real app from `buildApp` on a fresh temporary data
 * directory, driven through Fastify's `inject` (no socket), with an admin token from the
 * bootstrap worker's client credentials.
 */
import { randomUUID, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strict as assert } from 'node:assert';
import { CompactSign, calculateJwkThumbprint, type JWK } from 'jose';
import { buildApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config/config.js';
import type { StartupConfiguration } from '../../src/declarative/startup.js';
import { validateAgainst } from './openapi.js';
import { rsaKeyPair } from './rsa-keys.js';
import { newKeyPairSync } from '../../src/keys/key-pair.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface Reply {
  status: number;
  headers: Record<string, unknown>;
  /** Parsed JSON, or undefined for an empty body. `any` on purpose: shapes are checked against the OpenAPI schemas. */
  body: any;
}

export interface RequestOptions {
  body?: unknown;
  /** Bearer token; defaults to the admin token. Pass null to send none. */
  token?: string | null;
  headers?: Record<string, string>;
}

export interface InProcess {
  app: App;
  adminEnvId: string;
  organizationId: string;
  /** The organization's license, which `POST /v1/environments` names in `license.id`. */
  licenseId: string;
  /** KEYWAY_PUBLIC_URL as the app resolved it (base of issuers and `_links`). */
  publicUrl: string;
  /** Admin worker token (Organization Admin plus all roles on the admin environment). */
  token: string;
  inject(method: HttpMethod, url: string, opts?: RequestOptions): Promise<Reply>;
  /** client_credentials token request with HTTP Basic; returns the raw reply. */
  clientCredentials(envId: string, clientId: string, secret: string, scope?: string): Promise<Reply>;
  close(): Promise<void>;
}

export interface StartOptions {
  /** The app's clock (`BuildOptions.now`), e.g. a mutable test clock; the admin token is issued at its time. */
  now?: () => Date;
  /** More KEYWAY_* variables (a PostgreSQL store, a public URL, pinned bootstrap values). */
  env?: Record<string, string>;
  /** Data directory to use and keep (a restart on the same data); default: a new one, removed on close. */
  dataDir?: string;
  /** A configuration applied at start (`BuildOptions.configuration`). */
  configuration?: StartupConfiguration;
}

export async function startInProcess(options: StartOptions = {}): Promise<InProcess> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'keyway-feature-'));
  const config = loadConfig({ KEYWAY_DATA_DIR: dataDir, KEYWAY_PORT: '0', KEYWAY_LOG_LEVEL: 'silent', ...options.env });
  // Environments' signing keys from the fixture set: generating RSA keys dominates creating one.
  const app = await buildApp(config, {
    ...(options.now === undefined ? {} : { now: options.now }),
    ...(options.configuration === undefined ? {} : { configuration: options.configuration }),
    signingKeyPair: async () => rsaKeyPair(),
  });
  // A start on existing data prints no credentials: the pinned ones stand in for them.
  const summary: Record<string, string | undefined> = {
    environmentId: options.env?.KEYWAY_BOOTSTRAP_ENVIRONMENT_ID,
    clientId: options.env?.KEYWAY_BOOTSTRAP_CLIENT_ID,
    clientSecret: options.env?.KEYWAY_BOOTSTRAP_CLIENT_SECRET,
    ...app.bootstrap.summary,
  };
  const adminEnvId = required(summary.environmentId, 'environmentId');

  const inject = async (method: HttpMethod, url: string, opts: RequestOptions = {}): Promise<Reply> => {
    const headers: Record<string, string> = { ...opts.headers };
    const bearer = opts.token === undefined ? harness.token : opts.token;
    if (bearer !== null) headers.authorization = `Bearer ${bearer}`;
    const res = await app.server.inject({ method, url, headers, ...(opts.body === undefined ? {} : { payload: opts.body as object }) });
    return { status: res.statusCode, headers: res.headers, body: res.body === '' ? undefined : JSON.parse(res.body) };
  };

  const clientCredentials = async (envId: string, clientId: string, secret: string, scope?: string): Promise<Reply> => {
    const form = new URLSearchParams({ grant_type: 'client_credentials' });
    if (scope !== undefined) form.set('scope', scope);
    const res = await app.server.inject({
      method: 'POST',
      url: `/${envId}/as/token`,
      headers: {
        authorization: `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      payload: form.toString(),
    });
    return { status: res.statusCode, headers: res.headers, body: res.body === '' ? undefined : JSON.parse(res.body) };
  };

  const harness: InProcess = {
    app,
    adminEnvId,
    organizationId: app.bootstrap.organizationId,
    licenseId: app.bootstrap.licenseId,
    publicUrl: config.publicUrl,
    token: '',
    inject,
    clientCredentials,
    async close() {
      await app.close();
      if (options.dataDir === undefined) rmSync(dataDir, { recursive: true, force: true });
    },
  };
  const issued = await clientCredentials(adminEnvId, required(summary.clientId, 'clientId'), required(summary.clientSecret, 'clientSecret'));
  if (issued.status !== 200) throw new Error(`admin token request failed: ${issued.status} ${JSON.stringify(issued.body)}`);
  harness.token = issued.body.access_token as string;
  return harness;
}

/** The payload of a JWT, unverified (tests read what the server put in it). */
export function jwtPayload(token: string): Record<string, unknown> {
  const part = token.split('.')[1];
  if (part === undefined) throw new Error('not a JWT');
  return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
}

function required(value: string | undefined, name: string): string {
  if (value === undefined) throw new Error(`bootstrap summary has no ${name}`);
  return value;
}

/** Asserts a status, naming the body in the failure so a wrong answer is readable. */
export function expectStatus(reply: Reply, status: number): Reply {
  if (reply.status !== status) throw new Error(`expected HTTP ${status}, got ${reply.status}: ${JSON.stringify(reply.body)}`);
  return reply;
}

/** Asserts a PingOne 400 INVALID_DATA carrying a detail with this code and target. */
export function expectDetail(reply: Reply, code: string, target: string): Record<string, unknown> {
  expectStatus(reply, 400);
  assert.equal(reply.body.code, 'INVALID_DATA');
  const details = (reply.body.details ?? []) as Array<Record<string, unknown>>;
  const found = details.find((d) => d.code === code && d.target === target);
  if (!found) assert.fail(`expected detail ${code} on ${target}, got ${JSON.stringify(details)}`);
  return found;
}

/** Asserts 403 ACCESS_FAILED / INSUFFICIENT_PERMISSIONS. */
export function expectForbidden(reply: Reply): void {
  expectStatus(reply, 403);
  assert.equal(reply.body.code, 'ACCESS_FAILED');
  assert.equal(reply.body.details?.[0]?.code, 'INSUFFICIENT_PERMISSIONS');
}

/** Asserts a management-API value matches a schema of PingOne's OpenAPI description. */
export function expectSchema(schemaName: string, value: unknown): void {
  assert.deepEqual(validateAgainst(schemaName, value), [], `${schemaName}: ${JSON.stringify(value)}`);
}

/**
 * Follows `_links.next` from `path` to the last page, checking on every page that `count` is the
 * same total and `size` the items on the page; returns the ids of `_embedded[name]` in order.
 */
export async function collectPages(h: InProcess, path: string, name: string): Promise<{ ids: string[]; pages: number }> {
  const ids: string[] = [];
  let pages = 0;
  let count: number | undefined;
  let url: string | undefined = path;
  while (url !== undefined) {
    const page: Reply = expectStatus(await h.inject('GET', url), 200);
    pages += 1;
    count ??= page.body.count as number;
    assert.equal(page.body.count, count, 'count is the total on every page');
    const items = page.body._embedded[name] as Array<{ id: string }>;
    assert.equal(page.body.size, items.length);
    ids.push(...items.map((item) => item.id));
    const next = page.body._links.next?.href as string | undefined;
    url = next === undefined ? undefined : next.slice(h.publicUrl.length);
    assert.ok(pages <= 1000, 'paging terminates');
  }
  assert.equal(ids.length, count, 'the pages together hold count items');
  return { ids, pages };
}

/** Creates a SANDBOX environment as the admin (who then holds Client Application Developer on it). */
export async function createEnvironment(h: InProcess, name: string): Promise<string> {
  const res = await h.inject('POST', '/v1/environments', { body: { name, region: 'NA', type: 'SANDBOX', license: { id: h.licenseId } } });
  return expectStatus(res, 201).body.id as string;
}

export interface CreatedApp {
  id: string;
  secret: string;
}

/** A user of the environment (`username`, email `<username>@example.com`, and `extra`); its id. */
export async function createUser(h: InProcess, envId: string, username: string, extra: Record<string, unknown> = {}): Promise<string> {
  const res = await h.inject('POST', `/v1/environments/${envId}/users`, { body: { username, email: `${username}@example.com`, ...extra } });
  return expectStatus(res, 201).body.id as string;
}

/** Creates an OIDC application through the applications API and reads its secret. */
export async function createApp(h: InProcess, envId: string, name: string, type = 'WORKER', token?: string): Promise<CreatedApp> {
  const auth = token === undefined ? {} : { token };
  const created = await h.inject('POST', `/v1/environments/${envId}/applications`, {
    ...auth,
    body: { name, enabled: true, type, protocol: 'OPENID_CONNECT' },
  });
  const id = expectStatus(created, 201).body.id as string;
  const secret = await h.inject('GET', `/v1/environments/${envId}/applications/${id}/secret`, auth);
  return { id, secret: expectStatus(secret, 200).body.secret as string };
}

export interface RoleScope {
  type: 'ORGANIZATION' | 'ENVIRONMENT';
  id: string;
}

export function assignRole(h: InProcess, envId: string, appId: string, roleId: string, scope: RoleScope, token?: string): Promise<Reply> {
  return h.inject('POST', `/v1/environments/${envId}/applications/${appId}/roleAssignments`, {
    ...(token === undefined ? {} : { token }),
    body: { role: { id: roleId }, scope },
  });
}

/** A management token for an application (it must hold at least one role). */
export async function tokenFor(h: InProcess, envId: string, app: CreatedApp): Promise<string> {
  const res = await h.clientCredentials(envId, app.id, app.secret);
  return expectStatus(res, 200).body.access_token as string;
}

/**
 * Runs `requests` at once while holding each call of the store method `method` until all of
 * them have reached it: every request has passed its read-then-check before any writes, so the
 * store's own unique key is what decides (a check-then-write race made deterministic).
 */
export async function raceAtStore<T>(
  h: InProcess,
  method: 'createGrant' | 'createRoleAssignment',
  requests: ReadonlyArray<() => Promise<T>>,
): Promise<T[]> {
  // Both methods take (environmentId, record) and resolve to nothing; one loose type serves both.
  const store = h.app.store as unknown as Record<typeof method, (...args: unknown[]) => Promise<void>>;
  const original = store[method];
  let arrived = 0;
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  const failsafe = setTimeout(() => open(), 5_000);
  store[method] = async (...args: unknown[]) => {
    if (++arrived === requests.length) open();
    await gate;
    return original.apply(h.app.store, args);
  };
  try {
    return await Promise.all(requests.map((request) => request()));
  } finally {
    clearTimeout(failsafe);
    store[method] = original;
  }
}

// ---------------------------------------------------------------------------------------------
// Client authentication (client-auth-* feature tests): client keys, signed client assertions,
// form posts to /as endpoints, custom resources to grant, and the recorded events.
// ---------------------------------------------------------------------------------------------

export const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

export type AssertionAlg = 'RS256' | 'RS384' | 'RS512' | 'PS256' | 'PS384' | 'PS512' | 'ES256' | 'ES384' | 'ES512' | 'EdDSA';
export const ASSERTION_ALGS: readonly AssertionAlg[] = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

export interface ClientKey {
  alg: AssertionAlg;
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** The public JWK as registered: with `kid`, `use: sig` and `alg`. */
  jwk: JWK;
}

/** A fresh key pair fitting `alg` (RSA 2048, P-256/384/521, Ed25519); `kid` defaults to the RFC 7638 thumbprint. */
export async function clientKey(alg: AssertionAlg, kid?: string): Promise<ClientKey> {
  const pair =
    alg.startsWith('RS') || alg.startsWith('PS')
      ? rsaKeyPair()
      : alg === 'ES256'
        ? newKeyPairSync({ type: 'ec', namedCurve: 'P-256' })
        : alg === 'ES384'
          ? newKeyPairSync({ type: 'ec', namedCurve: 'P-384' })
          : alg === 'ES512'
            ? newKeyPairSync({ type: 'ec', namedCurve: 'P-521' })
            : newKeyPairSync({ type: 'ed25519' });
  const bare = pair.publicKey.export({ format: 'jwk' }) as JWK;
  const id = kid ?? (await calculateJwkThumbprint(bare));
  return { alg, kid: id, privateKey: pair.privateKey, publicKey: pair.publicKey, jwk: { ...bare, kid: id, use: 'sig', alg } };
}

/** The application's `jwks` string for these keys. */
export function jwksString(...keys: ClientKey[]): string {
  return JSON.stringify({ keys: keys.map((k) => k.jwk) });
}

export interface AssertionOptions {
  /** The `aud` claim as sent (usually the issuer, `{publicUrl}/{envId}/as`; see `issuerOf`). */
  aud: unknown;
  iss?: string;
  sub?: string;
  /** Default: a random UUID. */
  jti?: string;
  /** Seconds; default now. */
  iat?: number;
  /** Seconds; default iat + 60. */
  exp?: number;
  /** Members merged into the JOSE header (`alg` is set from the key's alg unless given here). */
  header?: Record<string, unknown>;
  /** Extra claims; a claim set to undefined is left out of the payload. */
  claims?: Record<string, unknown>;
  /** Clock for iat/exp defaults. */
  now?: Date;
}

/**
 * Signs a client assertion (RFC 7523 §3) with jose's CompactSign so any claim may be left out or
 * malformed. `key` is a private KeyObject, or the bytes of a shared secret for HS*.
 */
export async function signAssertion(key: KeyObject | Uint8Array, alg: string, clientId: string, opts: AssertionOptions): Promise<string> {
  const iat = opts.iat ?? Math.floor((opts.now ?? new Date()).getTime() / 1000);
  const payload: Record<string, unknown> = {
    iss: opts.iss ?? clientId,
    sub: opts.sub ?? clientId,
    aud: opts.aud,
    jti: opts.jti ?? randomUUID(),
    iat,
    exp: opts.exp ?? iat + 60,
    ...opts.claims,
  };
  for (const [name, value] of Object.entries(payload)) if (value === undefined) delete payload[name];
  const header = { alg, ...opts.header } as { alg: string };
  return new CompactSign(new TextEncoder().encode(JSON.stringify(payload))).setProtectedHeader(header).sign(key);
}

/** Signs with a ClientKey, naming its kid in the header unless `header.kid` says otherwise. */
export function signWith(key: ClientKey, clientId: string, opts: AssertionOptions): Promise<string> {
  return signAssertion(key.privateKey, key.alg, clientId, { ...opts, header: { kid: key.kid, ...opts.header } });
}

/** An unsecured JWS (`alg: none`, empty signature): never a credential. */
export function unsecuredAssertion(clientId: string, aud: unknown, jti: string, alg = 'none'): string {
  const now = Math.floor(Date.now() / 1000);
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg })}.${part({ iss: clientId, sub: clientId, aud, jti, iat: now, exp: now + 60 })}.`;
}

/** client_credentials form authenticated by a client assertion in the body. */
export function assertionForm(assertion: string, extra: Record<string, string> = {}): Record<string, string> {
  return { grant_type: 'client_credentials', client_assertion_type: JWT_BEARER, client_assertion: assertion, ...extra };
}

/** POSTs a form (an object, or raw text for repeated parameters) to `path`, e.g. `/{envId}/as/token`. */
export async function postForm(h: InProcess, path: string, form: Record<string, string> | string, headers: Record<string, string> = {}): Promise<Reply> {
  const res = await h.app.server.inject({
    method: 'POST',
    url: path,
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    payload: typeof form === 'string' ? form : new URLSearchParams(form).toString(),
  });
  return { status: res.statusCode, headers: res.headers, body: res.body === '' ? undefined : JSON.parse(res.body) };
}

/** The environment's issuer as the app names it. */
export function issuerOf(h: InProcess, envId: string): string {
  return `${h.publicUrl}/${envId}/as`;
}

export interface GrantableScope {
  resourceId: string;
  scopeId: string;
  scope: string;
  audience: string;
}

/** A CUSTOM resource with one scope, for client_credentials to issue tokens for. */
export async function createCustomScope(h: InProcess, envId: string, name: string, audience: string, scope: string): Promise<GrantableScope> {
  const resource = expectStatus(await h.inject('POST', `/v1/environments/${envId}/resources`, { body: { name, audience } }), 201);
  const resourceId = resource.body.id as string;
  const created = await h.inject('POST', `/v1/environments/${envId}/resources/${resourceId}/scopes`, { body: { name: scope } });
  return { resourceId, scopeId: expectStatus(created, 201).body.id as string, scope, audience };
}

/** Creates an enabled OIDC application with `body` over SERVICE defaults and grants it `grant`, if given. */
export async function createClient(h: InProcess, envId: string, body: Record<string, unknown>, grant?: GrantableScope): Promise<string> {
  const created = await h.inject('POST', `/v1/environments/${envId}/applications`, {
    body: { name: `client-${randomUUID().slice(0, 8)}`, enabled: true, type: 'SERVICE', protocol: 'OPENID_CONNECT', ...body },
  });
  const id = expectStatus(created, 201).body.id as string;
  if (grant) {
    const granted = await h.inject('POST', `/v1/environments/${envId}/applications/${id}/grants`, {
      body: { resource: { id: grant.resourceId }, scopes: [{ id: grant.scopeId }] },
    });
    expectStatus(granted, 201);
  }
  return id;
}

/** Asserts an RFC 6749 error response: status, `error`, no-store, and optionally the generic description. */
export function expectOAuthError(reply: Reply, status: number, error: string): void {
  if (reply.status !== status || reply.body?.error !== error) {
    assert.fail(`expected HTTP ${status} ${error}, got ${reply.status}: ${JSON.stringify(reply.body)}`);
  }
  assert.equal(reply.headers['cache-control'], 'no-store');
  if (error === 'invalid_client') assert.equal(reply.body.error_description, 'Client authentication failed');
  assert.equal(reply.body.access_token, undefined);
}

/**
 * The application's recorded client-authentication events, newest first. Events are written
 * asynchronously, so this waits (briefly) until `until` holds for the list.
 */
export async function clientAuthEvents(
  h: InProcess,
  envId: string,
  appId: string,
  until: (events: Array<Record<string, any>>) => boolean = () => true,
): Promise<Array<Record<string, any>>> {
  const deadline = Date.now() + 2_000;
  for (;;) {
    const res = expectStatus(await h.inject('GET', `/v1/environments/${envId}/applications/${appId}/clientAuthEvents?limit=200`), 200);
    const events = res.body._embedded.clientAuthEvents as Array<Record<string, any>>;
    if (until(events) || Date.now() > deadline) return events;
    await new Promise((r) => setTimeout(r, 20));
  }
}
