/**
 * Durability on SQLite under SIGKILL: a real Keyway process is killed with SIGKILL at a random
 * moment while management writes (application creates and PUTs) and token requests
 * (private_key_jwt) are in flight, then restarted on the same data directory. After each kill:
 *
 * - `PRAGMA integrity_check` is `ok` (the file opened read-only once the process is dead);
 * - no half-written application: every row's config parses and has its secret;
 * - every acknowledged write (2xx received) is there, and a GET returns exactly the body the
 *   write returned (or, for an application whose PUT was cut off, the body that PUT would give);
 * - every client assertion accepted before the kill is refused as a replay after the restart
 *   (the jti record was durable before the token was sent).
 */
import { after, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { assertion as signAssertion, call as callServer, clientKey, sleep, type CallOptions, type Reply, organizationLicense } from '../support/e2e.js';
import { startProcess, type RunningServer } from '../support/process.js';

const PUBLIC_URL = 'http://keyway.crash.test';
const PINS = {
  KEYWAY_BOOTSTRAP_ENVIRONMENT_ID: '5c4b3a29-1807-4f6e-8d5c-4b3a29180706',
  KEYWAY_BOOTSTRAP_CLIENT_ID: 'a1b2c3d4-e5f6-4a7b-8c9d-e0f1a2b3c4d5',
  KEYWAY_BOOTSTRAP_CLIENT_SECRET: 'crash-e2e-bootstrap-secret-0123456789abcdef',
};
const ROUNDS = 3;
const WRITERS = 4;
const TOKEN_LOOPS = 3;

const dataDir = mkdtempSync(join(tmpdir(), 'keyway-crash-'));
let server: RunningServer | undefined;

after(async () => {
  await server?.stop('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

const call = (method: string, path: string, init: CallOptions = {}): Promise<Reply> => callServer(server as RunningServer, method, path, init);

async function start(): Promise<string> {
  // Every assertion accepted before a kill is replayed after it, from one address: more failed
  // authentications than the default failure limit allows, so the limit is off here.
  server = await startProcess({ KEYWAY_DATA_DIR: dataDir, KEYWAY_PUBLIC_URL: PUBLIC_URL, KEYWAY_RATE_LIMIT_CLIENT_AUTH: 'off', ...PINS });
  const token = await call('POST', `/${PINS.KEYWAY_BOOTSTRAP_ENVIRONMENT_ID}/as/token`, {
    basic: `${PINS.KEYWAY_BOOTSTRAP_CLIENT_ID}:${PINS.KEYWAY_BOOTSTRAP_CLIENT_SECRET}`,
    form: { grant_type: 'client_credentials' },
  });
  assert.equal(token.status, 200);
  return token.body.access_token as string;
}

/** What a crashed process left behind, read straight from the file. */
function inspectDatabase(): { integrity: string; applications: number } {
  const db = new Database(join(dataDir, 'keyway.db'), { readonly: true, fileMustExist: true });
  try {
    const integrity = (db.pragma('integrity_check') as Array<{ integrity_check: string }>).map((r) => r.integrity_check).join('; ');
    const rows = db
      .prepare('SELECT a.id, a.config, s.secret_ciphertext AS secret FROM applications a LEFT JOIN application_secrets s ON s.environment_id = a.environment_id AND s.application_id = a.id')
      .all() as Array<{ id: string; config: string; secret: string | null }>;
    for (const row of rows) {
      const config = JSON.parse(row.config) as { name?: unknown; type?: unknown };
      assert.equal(typeof config.name, 'string', `application ${row.id} has a complete config`);
      assert.ok(row.secret, `application ${row.id} has its secret`);
    }
    return { integrity, applications: rows.length };
  } finally {
    db.close();
  }
}

test('SIGKILL during writes and token requests loses nothing acknowledged', { timeout: 120_000 }, async () => {
  let adminToken = await start();
  const api = async (method: string, path: string, json?: unknown): Promise<any> => {
    const reply = await call(method, path, { token: adminToken, ...(json === undefined ? {} : { json }) });
    assert.ok(reply.status < 300, `${method} ${path}: ${reply.status} ${JSON.stringify(reply.body)}`);
    return reply.body;
  };
  const envId = (await api('POST', '/v1/environments', { name: 'crash', region: 'EU', type: 'SANDBOX', license: await organizationLicense((path) => api('GET', path)) })).id as string;
  const resource = (await api('POST', `/v1/environments/${envId}/resources`, { name: 'orders', audience: 'https://orders.example' })).id as string;
  const scope = (await api('POST', `/v1/environments/${envId}/resources/${resource}/scopes`, { name: 'orders:read' })).id as string;
  const key = await clientKey();
  const jwtApp = await api('POST', `/v1/environments/${envId}/applications`, {
    name: 'jwt',
    enabled: true,
    type: 'SERVICE',
    protocol: 'OPENID_CONNECT',
    tokenEndpointAuthMethod: 'PRIVATE_KEY_JWT',
    jwks: key.jwks,
  });
  await api('POST', `/v1/environments/${envId}/applications/${jwtApp.id}/grants`, { resource: { id: resource }, scopes: [{ id: scope }] });
  const appsPath = `/v1/environments/${envId}/applications`;

  const assertion = (): Promise<string> => signAssertion(PUBLIC_URL, envId, jwtApp.id, key, 300);
  const tokenWith = (signed: string): Promise<Reply> =>
    call('POST', `/${envId}/as/token`, {
      form: {
        grant_type: 'client_credentials',
        scope: 'orders:read',
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: signed,
      },
    });

  /** Last acknowledged body per application, and the description of a PUT cut off by the kill. */
  const acked = new Map<string, Record<string, unknown>>();
  const inFlight = new Map<string, string>();
  let writes = 0;
  const summary: string[] = [];

  for (let round = 1; round <= ROUNDS; round++) {
    let running = true;
    const accepted: string[] = [];
    const own: string[][] = Array.from({ length: WRITERS }, () => []);
    const putBody = (description: string) => ({ name: `app-${description}`, enabled: true, type: 'SERVICE', protocol: 'OPENID_CONNECT', description });

    const writer = async (w: number): Promise<void> => {
      const mine = own[w] as string[];
      for (let n = 0; running; n++) {
        const description = `r${round}-w${w}-${n}`;
        try {
          if (mine.length === 0 || n % 2 === 0) {
            const reply = await call('POST', appsPath, { token: adminToken, json: putBody(description) });
            if (reply.status !== 201) assert.fail(`create: ${reply.status} ${JSON.stringify(reply.body)}`);
            acked.set(reply.body.id as string, reply.body);
            mine.push(reply.body.id as string);
          } else {
            const id = mine[n % mine.length] as string;
            inFlight.set(id, description);
            const reply = await call('PUT', `${appsPath}/${id}`, { token: adminToken, json: putBody(description) });
            if (reply.status !== 200) assert.fail(`update: ${reply.status} ${JSON.stringify(reply.body)}`);
            acked.set(id, reply.body);
            inFlight.delete(id);
          }
          writes += 1;
        } catch (err) {
          if (running || (err as Error).name === 'AssertionError') throw err;
          return; // the connection died with the process: not acknowledged
        }
      }
    };
    const tokens = async (): Promise<void> => {
      while (running) {
        const signed = await assertion();
        try {
          const reply = await tokenWith(signed);
          if (reply.status !== 200) assert.fail(`token: ${reply.status} ${JSON.stringify(reply.body)}`);
          accepted.push(signed);
        } catch (err) {
          if (running || (err as Error).name === 'AssertionError') throw err;
          return;
        }
      }
    };

    const loops = [...Array.from({ length: WRITERS }, (_, w) => writer(w)), ...Array.from({ length: TOKEN_LOOPS }, () => tokens())];
    const killAfter = 300 + Math.floor(Math.random() * 1_200);
    await sleep(killAfter);
    running = false;
    await server?.stop('SIGKILL');
    await Promise.all(loops);

    const { integrity, applications } = inspectDatabase();
    assert.equal(integrity, 'ok');
    assert.ok(applications >= acked.size + 2, `${applications} applications on disk, ${acked.size} acknowledged`);

    adminToken = await start();
    for (const [id, body] of acked) {
      const reply = await call('GET', `${appsPath}/${id}`, { token: adminToken });
      assert.equal(reply.status, 200, `acknowledged application ${id} survives`);
      const cutOff = inFlight.get(id);
      if (cutOff !== undefined && reply.body.description === cutOff) {
        // The PUT committed but its response was lost with the process: that is allowed, and
        // it is the whole PUT (the acknowledged body with this PUT's fields).
        assert.deepEqual({ ...reply.body, updatedAt: body.updatedAt }, { ...body, name: `app-${cutOff}`, description: cutOff });
        acked.set(id, reply.body);
      } else {
        assert.deepEqual(reply.body, body, `application ${id} reads back as acknowledged`);
      }
    }
    inFlight.clear();
    for (const signed of accepted) {
      const replay = await tokenWith(signed);
      assert.equal(replay.status, 401, 'an assertion accepted before the kill is a replay after the restart');
      assert.equal(replay.body.error, 'invalid_client');
    }
    summary.push(`round ${round}: killed after ${killAfter} ms, ${acked.size} applications acknowledged so far, ${accepted.length} assertions accepted and refused after restart`);
  }
  console.log(`crash-sqlite: ${writes} acknowledged writes; ${summary.join('; ')}`);
  assert.ok(writes > 0);
});
