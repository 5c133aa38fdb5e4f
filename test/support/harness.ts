/**
 * In-process Keyway for feature tests: the real app from `buildApp` on a fresh temporary data
 * directory, driven through Fastify's `inject` (no socket), with an admin token from the
 * bootstrap worker's client credentials.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strict as assert } from 'node:assert';
import { buildApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config/config.js';
import { validateAgainst } from './openapi.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

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
  /** KEYWAY_PUBLIC_URL as the app resolved it (base of issuers and `_links`). */
  publicUrl: string;
  /** Admin worker token (Organization Admin plus all roles on the admin environment). */
  token: string;
  inject(method: HttpMethod, url: string, opts?: RequestOptions): Promise<Reply>;
  /** client_credentials token request with HTTP Basic; returns the raw reply. */
  clientCredentials(envId: string, clientId: string, secret: string, scope?: string): Promise<Reply>;
  close(): Promise<void>;
}

export async function startInProcess(): Promise<InProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'keyway-feature-'));
  const app = await buildApp(loadConfig({ KEYWAY_DATA_DIR: dataDir, KEYWAY_PORT: '0', KEYWAY_LOG_LEVEL: 'silent' }));
  const summary = app.bootstrap.summary;
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
    publicUrl: required(summary.apiPath, 'apiPath'),
    token: '',
    inject,
    clientCredentials,
    async close() {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
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

/** Creates a SANDBOX environment as the admin (who then holds Client Application Developer on it). */
export async function createEnvironment(h: InProcess, name: string): Promise<string> {
  const res = await h.inject('POST', '/v1/environments', { body: { name, region: 'NA', type: 'SANDBOX' } });
  return expectStatus(res, 201).body.id as string;
}

export interface CreatedApp {
  id: string;
  secret: string;
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
