// Keyway as a benchmark target: the built server started exactly as `npm start` starts it
// (`node dist/cli/main.js start`, default log level and format: no KEYWAY_LOG_LEVEL unless a row
// names one), its stdout (the request log) read and discarded as it comes, as a log shipper
// would (processes.mjs, drain). On a free loopback port with a temporary data directory and
// pinned bootstrap credentials, configured through its management API like a user would: an
// environment, a SERVICE application using PRIVATE_KEY_JWT with the client's jwks, a custom
// resource with one scope, and a grant. The PostgreSQL target (keyway-postgres-target.mjs) uses
// the same pieces for its two instances.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { keywayEventLoop } from './event-loop.mjs';
import { childPids, freePort, startNode, stop, waitForHttp } from './processes.mjs';

const MAIN = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
export const SCOPE = 'bench:read';

/** `dist/cli/main.js` of the built checkout BENCH_BASELINE names, for the baseline target. */
export function baselineMain(env = process.env) {
  if (!env.BENCH_BASELINE) throw new Error('BENCH_BASELINE is not set (a built Keyway checkout to compare with)');
  return join(env.BENCH_BASELINE, 'dist', 'cli', 'main.js');
}

/** Random pinned bootstrap values: the admin WORKER application of the Administrators environment. */
export function bootstrapPins() {
  return { envId: randomUUID(), clientId: randomUUID(), secret: randomBytes(32).toString('base64url') };
}

/**
 * Starts one Keyway process (with `workers`, a KEYWAY_WORKERS primary and its workers) on a free
 * loopback port and waits for /healthz and, with workers, for every worker to answer.
 * @param {{dataDir: string, admin: object, maxSeconds: number, env?: object, publicUrl?: string, workers?: number, wrapper?: string[], startSeconds?: number}} options (wrapper: a command the server runs under, such as valgrind)
 * @returns {Promise<{proc, port, baseUrl, serverPids, eventLoop}>}
 */
export async function startKeywayProcess({ dataDir, admin, maxSeconds, env = {}, publicUrl, main = MAIN, workers = 1, wrapper = [], startSeconds = 30 }) {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  mkdirSync(dataDir, { recursive: true });
  const proc = startNode(main, ['start'], {
    maxSeconds,
    // BENCH_PROFILE=1: a V8 CPU profile of the Keyway server in bench/results/profile/, written when it stops.
    nodeArgs: process.env.BENCH_PROFILE === '1' ? ['--cpu-prof', `--cpu-prof-dir=${fileURLToPath(new URL('./results/profile/', import.meta.url))}`] : [],
    env: {
      KEYWAY_PORT: String(port),
      KEYWAY_HOST: '127.0.0.1',
      KEYWAY_PUBLIC_URL: publicUrl ?? baseUrl,
      KEYWAY_DATA_DIR: dataDir,
      ...(workers > 1 ? { KEYWAY_WORKERS: String(workers) } : {}),
      KEYWAY_BOOTSTRAP_ENVIRONMENT_ID: admin.envId,
      KEYWAY_BOOTSTRAP_CLIENT_ID: admin.clientId,
      KEYWAY_BOOTSTRAP_CLIENT_SECRET: admin.secret,
      ...env,
    },
    drainStdout: true,
    wrapper,
  });
  try {
    await waitForHttp(`${baseUrl}/healthz`, proc, startSeconds * 1000);
    if (workers > 1) await waitForWorkers(baseUrl, workers, proc);
  } catch (err) {
    await stop(proc);
    throw err;
  }
  const primary = proc.child.pid;
  return {
    proc,
    port,
    baseUrl,
    // The process started and, with workers, its children: all the CPU the server uses.
    serverPids: () => [primary, ...childPids(primary)],
    eventLoop: () => keywayEventLoop(baseUrl, workers),
  };
}

/** The port answers once the first worker listens: waits until all of them answer /metrics. */
async function waitForWorkers(baseUrl, workers, proc, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await keywayEventLoop(baseUrl, workers);
      return;
    } catch (err) {
      if (proc.child.exitCode !== null || Date.now() > deadline) throw new Error(`${workers} workers did not all answer: ${err instanceof Error ? err.message : String(err)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

/**
 * The organization's license, which creating an environment names; undefined for a build that
 * predates the organizations endpoints (a BENCH_BASELINE checkout), where it was optional.
 * @returns {Promise<{id: string} | undefined>}
 */
async function organizationLicense(baseUrl, token) {
  const get = async (path) => {
    const res = await fetch(`${baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
    return res.status === 200 ? res.json() : undefined;
  };
  const organizations = await get('/v1/organizations');
  const orgId = organizations?._embedded?.organizations?.[0]?.id;
  if (orgId === undefined) return undefined;
  const licenses = await get(`/v1/organizations/${orgId}/licenses`);
  const id = licenses?._embedded?.licenses?.[0]?.id;
  return id === undefined ? undefined : { id };
}

/**
 * Through the management API of `baseUrl`: an environment, the SERVICE application with
 * PRIVATE_KEY_JWT and `jwks`, a custom resource with scope `bench:read`, and its grant.
 * @returns {Promise<{envId, clientId, resourceId, scopeId, token, api, freshToken}>}
 */
export async function configureBenchClient(baseUrl, admin, jwks, { inAdminEnvironment = false } = {}) {
  const token = await adminToken(baseUrl, admin);
  const api = managementClient(baseUrl, token);
  const license = inAdminEnvironment ? undefined : await organizationLicense(baseUrl, token);
  const env = inAdminEnvironment ? { id: admin.envId } : await api('POST', '/v1/environments', { name: 'Benchmark', region: 'EU', type: 'SANDBOX', ...(license ? { license } : {}) });
  const app = await api('POST', `/v1/environments/${env.id}/applications`, benchApplicationBody('bench-service', jwks));
  const resource = await api('POST', `/v1/environments/${env.id}/resources`, { name: 'Benchmark API', audience: 'https://bench-api.keyway.test' });
  const scope = await api('POST', `/v1/environments/${env.id}/resources/${resource.id}/scopes`, { name: SCOPE });
  await api('POST', `/v1/environments/${env.id}/applications/${app.id}/grants`, { resource: { id: resource.id }, scopes: [{ id: scope.id }] });
  // freshToken: a new admin token, for runs that outlive one (the scale mode; tokens last an hour).
  return { envId: env.id, clientId: app.id, resourceId: resource.id, scopeId: scope.id, token, api, freshToken: () => adminToken(baseUrl, admin) };
}

/** The management API body of the benchmark's application (also used for the scale mode's filler applications). */
export function benchApplicationBody(name, jwks) {
  return {
    name,
    enabled: true,
    type: 'SERVICE',
    protocol: 'OPENID_CONNECT',
    grantTypes: ['CLIENT_CREDENTIALS'],
    tokenEndpointAuthMethod: 'PRIVATE_KEY_JWT',
    jwks,
  };
}

/**
 * The SQLite target: one `keyway start`, temporary data directory. `main` runs another build
 * (the baseline target: BENCH_BASELINE names a built checkout). `logLevel` sets
 * KEYWAY_LOG_LEVEL (unset: Keyway's default); `workers` sets KEYWAY_WORKERS; `attributes` gives
 * the resource that many custom attributes (expressions evaluated for every access token); `env`
 * adds variables (the claims check's NODE_V8_COVERAGE); `wrapper` and `startSeconds` as for
 * startKeywayProcess (instructions.mjs runs it under valgrind).
 * @returns {Promise<{proc, procs, stop, tokenEndpoint, tokenEndpoints, audience, clientId, baseUrl, dataDir, envId, token, api, serverPids, eventLoop, logBytes}>}
 */
export async function startKeyway({ workDir, jwks, maxSeconds, main = MAIN, signing = 'RS256', logLevel, workers = 1, attributes = 0, env: extraEnv = {}, wrapper, startSeconds }) {
  const dataDir = join(workDir, `keyway-data-${randomBytes(4).toString('hex')}`);
  const admin = bootstrapPins();
  const env = { ...(logLevel ? { KEYWAY_LOG_LEVEL: logLevel } : {}), ...extraEnv };
  const { proc, baseUrl, serverPids, eventLoop } = await startKeywayProcess({ dataDir, admin, maxSeconds, main, env, workers, wrapper, startSeconds });
  try {
    // ES256: the client lives in the Administrators environment, where the admin worker is
    // Environment Admin and so may manage keys (the creator of a new environment holds Identity
    // Data Admin and Client Application Developer there, which do not).
    const client = await configureBenchClient(baseUrl, admin, jwks, { inAdminEnvironment: signing === 'ES256' });
    if (signing === 'ES256') await useEcSigningKey(baseUrl, client);
    for (const attribute of CLAIMS_ATTRIBUTES.slice(0, attributes)) {
      await client.api('POST', `/v1/environments/${client.envId}/resources/${client.resourceId}/attributes`, attribute);
    }
    const issuer = `${baseUrl}/${client.envId}/as`;
    return {
      proc,
      procs: [proc],
      serverPids,
      eventLoop,
      logBytes: () => proc.stdoutBytes(),
      stop: () => stop(proc),
      tokenEndpoint: `${issuer}/token`,
      tokenEndpoints: [`${issuer}/token`],
      audience: issuer,
      baseUrl,
      dataDir,
      ...client,
    };
  } catch (err) {
    await stop(proc);
    throw err;
  }
}

/**
 * Custom attributes of the claims row's resource: expressions over what a client_credentials
 * request has (README, "Claims and the PingOne expression language": no user), each evaluated
 * for every access token.
 */
export const CLAIMS_ATTRIBUTES = [
  { name: 'bench_env', value: '${#root.context.appConfig.envId}' },
  { name: 'bench_grant', value: '${#string.upperCase(#root.context.requestData.grantType)}' },
  { name: 'bench_assertion_iss', value: '${#root.context.requestData.clientAssertion.iss}' },
];

/** Makes an EC P-256 key (ES256) the default signing key of the benchmark environment, through the keys API. */
async function useEcSigningKey(baseUrl, client) {
  await client.api('POST', `/v1/environments/${client.envId}/keys`, {
    name: 'Benchmark ES256',
    algorithm: 'EC',
    keyLength: 256,
    signatureAlgorithm: 'SHA256withECDSA',
    subjectDN: 'CN=Benchmark ES256',
    validityPeriod: 365,
    usageType: 'SIGNING',
    default: true,
  });
}

export async function adminToken(baseUrl, admin) {
  const res = await fetch(`${baseUrl}/${admin.envId}/as/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${admin.clientId}:${admin.secret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: 'grant_type=client_credentials',
  });
  const body = await res.json();
  if (res.status !== 200) throw new Error(`Keyway admin token: ${res.status} ${JSON.stringify(body)}`);
  return body.access_token;
}

export function managementClient(baseUrl, token) {
  return async (method, path, body) => {
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const json = await res.json().catch(() => ({}));
    if (res.status !== 200 && res.status !== 201) throw new Error(`Keyway set-up: ${method} ${path} answered ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
}
