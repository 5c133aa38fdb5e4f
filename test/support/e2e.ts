/**
 * Helpers shared by the end-to-end tests that run Keyway processes: PostgreSQL reachability and
 * scratch schemas, HTTP calls, waiting, and ES256 client assertions.
 */
import { strict as assert } from 'node:assert';
import { randomBytes, randomUUID, type KeyObject } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { calculateJwkThumbprint, SignJWT, type JWK } from 'jose';
import { test } from 'node:test';
import pg from 'pg';
import { startProcess, type RunningServer } from './process.js';
import { newKeyPairSync } from '../../src/keys/key-pair.js';

export const TEST_DATABASE_URL = process.env.KEYWAY_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const IN_CI = Boolean(process.env.CI) && process.env.CI !== 'false';

/** Why the database cannot be used, or undefined when it answers. */
export async function unreachable(url: string = TEST_DATABASE_URL): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (err) {
    return err instanceof Error && err.message ? err.message : String(err);
  } finally {
    await client.end().catch(() => {});
  }
}

/** The URL without its password, for messages. */
function withoutPassword(raw: string): string {
  try {
    const parsed = new URL(raw);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparsable URL)';
  }
}

/**
 * True when PostgreSQL answers at `url`. Otherwise registers, in place of the suite `name`, a
 * skipped test naming the reason, or under CI (where .ci/run starts the database) a failing one.
 */
export async function postgresAnswers(name: string, url: string = TEST_DATABASE_URL): Promise<boolean> {
  const reason = await unreachable(url);
  if (reason === undefined) return true;
  const message = `PostgreSQL not reachable at ${withoutPassword(url)}: ${reason}`;
  if (IN_CI) test('PostgreSQL is reachable (CI is set, so it must be)', () => assert.fail(message));
  else test(name, { skip: `${message}; set KEYWAY_TEST_DATABASE_URL to run it` }, () => {});
  return false;
}

/** Runs one statement on a connection of its own to the test database (set-up and clean-up). */
export async function adminQuery<R extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<R[]> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    return (await client.query<R>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

/** A schema name of one test file's own, unique to this run. */
export function scratchSchemaName(prefix: string): string {
  return `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
}

/** The test database's URL with `schema` as its search path (how Keyway is pointed at a schema). */
export function schemaUrl(schema: string): string {
  const parsed = new URL(TEST_DATABASE_URL);
  parsed.searchParams.set('options', `-c search_path=${schema}`);
  return parsed.toString();
}

/** What the first start wrote to `bootstrap.json` in `dataDir`, and a management token of its admin worker. */
export async function bootstrapAdmin(server: RunningServer, dataDir: string): Promise<{ summary: Record<string, string>; token: string }> {
  const summary = JSON.parse(readFileSync(join(dataDir, 'bootstrap.json'), 'utf8')) as Record<string, string>;
  const issued = await fetch(`${server.baseUrl}/${summary.environmentId}/as/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${summary.clientId}:${summary.clientSecret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: 'grant_type=client_credentials',
  });
  assert.equal(issued.status, 200, 'the bootstrap worker gets a token');
  return { summary, token: ((await issued.json()) as { access_token: string }).access_token };
}

/** A Keyway process on a fresh data directory with its bootstrap worker's token. */
export interface AdminKeyway {
  server: RunningServer;
  /** `bootstrap.json` of the first start (environmentId, clientId, clientSecret, …). */
  summary: Record<string, string>;
  adminToken: string;
  /** A /v1 call with the admin token: the parsed body, or an Error naming the status for any status ≥ 300. */
  api(method: string, path: string, body?: unknown, contentType?: string): Promise<any>;
  /** Stops the process and removes its data directory. */
  stop(): Promise<void>;
}

/** Starts Keyway as `npm start` does, with `env` added, on a data directory named after `prefix`. */
export async function startKeywayWithAdmin(prefix: string, env: Record<string, string> = {}): Promise<AdminKeyway> {
  const dataDir = mkdtempSync(join(tmpdir(), `keyway-${prefix}-`));
  const server = await startProcess((port) => ({ KEYWAY_DATA_DIR: dataDir, KEYWAY_PUBLIC_URL: `http://127.0.0.1:${port}`, ...env }));
  const { summary, token } = await bootstrapAdmin(server, dataDir);
  const api = async (method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<any> => {
    const res = await fetch(`${server.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': contentType }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return text === '' ? undefined : JSON.parse(text);
  };
  const stop = async (): Promise<void> => {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
  return { server, summary, adminToken: token, api, stop };
}

/**
 * The organization's license as `POST /v1/environments` names it (`{id}`), read through the API
 * with `get` (a management GET returning the parsed body).
 */
export async function organizationLicense(get: (path: string) => Promise<any>): Promise<{ id: string }> {
  const organization = (await get('/v1/organizations'))._embedded.organizations[0].id as string;
  return { id: (await get(`/v1/organizations/${organization}/licenses`))._embedded.licenses[0].id as string };
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it holds; returns the milliseconds it took. */
export async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<number> {
  const start = performance.now();
  while (!(await check())) {
    if (performance.now() - start > timeoutMs) assert.fail(`timed out waiting for ${what}`);
    await sleep(20);
  }
  return performance.now() - start;
}

export interface Reply {
  status: number;
  headers: Headers;
  // `any` on purpose: assertions read arbitrary JSON.
  body: any;
}

export interface CallOptions {
  token?: string;
  json?: unknown;
  form?: Record<string, string>;
  basic?: string;
}

export async function call(server: RunningServer, method: string, path: string, init: CallOptions = {}): Promise<Reply> {
  const headers: Record<string, string> = {};
  let body: string | undefined;
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  if (init.basic) headers.authorization = `Basic ${Buffer.from(init.basic).toString('base64')}`;
  if (init.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(init.json);
  }
  if (init.form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(init.form).toString();
  }
  const res = await fetch(`${server.baseUrl}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text === '' ? undefined : JSON.parse(text) };
}

export interface ClientKey {
  privateKey: KeyObject;
  kid: string;
  jwks: string;
}

export async function clientKey(): Promise<ClientKey> {
  const { publicKey, privateKey } = newKeyPairSync({ type: 'ec', namedCurve: 'P-256' });
  const jwk = publicKey.export({ format: 'jwk' }) as JWK;
  const kid = await calculateJwkThumbprint(jwk);
  return { privateKey, kid, jwks: JSON.stringify({ keys: [{ ...jwk, kid, use: 'sig', alg: 'ES256' }] }) };
}

/** A fresh client assertion (new jti) for the issuer `{publicUrl}/{envId}/as` (RFC 7523 §3). */
export function assertion(publicUrl: string, envId: string, clientId: string, key: ClientKey, lifetimeSeconds = 60): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: 'ES256', kid: key.kid })
    .setIssuer(clientId)
    .setSubject(clientId)
    .setAudience(`${publicUrl}/${envId}/as`)
    .setJti(randomUUID())
    .setIssuedAt(now)
    .setExpirationTime(now + lifetimeSeconds)
    .sign(key.privateKey);
}
