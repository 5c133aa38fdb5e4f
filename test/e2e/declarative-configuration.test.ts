/**
 * End-to-end: declarative configuration with real processes (README, "Declarative
 * configuration"). A server started with KEYWAY_CONFIG_FILE serves the file's client and signing
 * keys as soon as it listens; `keyway apply` dry-runs, applies a modified file and refuses a
 * broken one by file:line; `keyway export --include-secrets` applied by `keyway apply` on an
 * empty server reproduces the ids and verification keys; an invalid file stops the start.
 */
import { after, before, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assertion, bootstrapAdmin, clientKey, call, type ClientKey } from '../support/e2e.js';
import { freePort, startProcess, type RunningServer } from '../support/process.js';
import { BILLING, FIXTURE, fixtureVariables, ORDERS, SIGNING_KID, WEB, WORKER } from '../support/declarative-fixture.js';

const MAIN = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
const BUYERS = '6f1d2a10-0000-4000-8000-0000000000b1';
const AUDITORS = '6f1d2a10-0000-4000-8000-0000000000b2';

const dir = mkdtempSync(join(tmpdir(), 'keyway-declarative-e2e-'));
const dataDirs: string[] = [];
after(() => {
  rmSync(dir, { recursive: true, force: true });
  for (const d of dataDirs) rmSync(d, { recursive: true, force: true });
});

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runNode(args: string[], env: Record<string, string>, timeoutMs = 30_000): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN, ...args], { cwd: dir, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

interface Server {
  process: RunningServer;
  /** The admin worker's connection, as `keyway apply` / `export` read it from the environment. */
  admin: Record<string, string>;
  token: string;
}

async function startServer(env: Record<string, string> = {}): Promise<Server> {
  const dataDir = mkdtempSync(join(tmpdir(), 'keyway-declarative-data-'));
  dataDirs.push(dataDir);
  const process = await startProcess((port) => ({ KEYWAY_DATA_DIR: dataDir, KEYWAY_PUBLIC_URL: `http://127.0.0.1:${port}`, ...env }));
  const { summary, token } = await bootstrapAdmin(process, dataDir);
  const admin = {
    KEYWAY_URL: process.baseUrl,
    KEYWAY_ADMIN_ENVIRONMENT_ID: summary.environmentId as string,
    KEYWAY_ADMIN_CLIENT_ID: summary.clientId as string,
    KEYWAY_ADMIN_CLIENT_SECRET: summary.clientSecret as string,
  };
  return { process, admin, token };
}

let service: ClientKey;
let variables: Record<string, string>;

/** A client_credentials token for the file's PRIVATE_KEY_JWT worker, with the file's client key (RFC 7523 §2.2). */
async function workerToken(server: Server, envId = ORDERS, clientId = WORKER): Promise<any> {
  const signed = await assertion(server.process.baseUrl, envId, clientId, service);
  return call(server.process, 'POST', `/${envId}/as/token`, {
    form: { grant_type: 'client_credentials', client_id: clientId, client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: signed },
  });
}

const headerOf = (jwt: string): any => JSON.parse(Buffer.from(jwt.split('.')[0] as string, 'base64url').toString());
const jwks = async (server: Server, envId: string): Promise<any> => (await call(server.process, 'GET', `/${envId}/as/jwks`)).body;
const group = async (server: Server, id: string): Promise<any> => (await call(server.process, 'GET', `/v1/environments/${ORDERS}/groups/${id}`, { token: server.token })).body;

describe('declarative configuration with real processes', () => {
  let seeded: Server;
  before(async () => {
    service = await clientKey();
    variables = await fixtureVariables(service.jwks);
    // ${VAR} of the file come from the server process's environment.
    seeded = await startServer({ KEYWAY_CONFIG_FILE: FIXTURE, ...variables });
  });
  after(() => seeded.process.stop());

  test('KEYWAY_CONFIG_FILE: right after listening, the file client gets a token with the file key, signed with the file signing key', async () => {
    const reply = await workerToken(seeded);
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    assert.equal(headerOf(reply.body.access_token).kid, SIGNING_KID);
    assert.deepEqual((await jwks(seeded, ORDERS)).keys.map((k: any) => k.kid), [SIGNING_KID]);
  });

  test('KEYWAY_CONFIG_FILE with KEYWAY_WORKERS=2: the primary applies the file once (one keyway.configuration.applied line), and the workers serve it', async () => {
    const workers = await startServer({ KEYWAY_CONFIG_FILE: FIXTURE, KEYWAY_WORKERS: '2', KEYWAY_LOG_LEVEL: 'info', ...variables });
    try {
      for (let i = 0; i < 4; i += 1) assert.equal((await workerToken(workers)).status, 200);
      const applied = workers.process.stdout().split('\n').filter((line) => line.includes('"keyway.configuration.applied"'));
      assert.equal(applied.length, 1, workers.process.stdout());
      const fields = JSON.parse(applied[0] as string);
      assert.equal(fields.file, FIXTURE);
      assert.ok(fields.create > 0 && fields.update === 0, JSON.stringify(fields));
    } finally {
      await workers.process.stop();
    }
  });

  test('keyway apply --dry-run prints the plan and changes nothing; keyway apply prints exactly the changed objects as update', async () => {
    const modified = readFileSync(FIXTURE, 'utf8')
      .replace('description: People who place orders.', 'description: People who buy.')
      .replace('name: Auditors', 'name: Auditors\n        description: Read-only.');
    writeFileSync(join(dir, 'modified.yaml'), modified);

    const dry = await runNode(['apply', 'modified.yaml', '--dry-run'], { ...seeded.admin, ...variables });
    assert.equal(dry.code, 0, dry.stderr);
    const updates = (out: string): string[] => out.split('\n').filter((l) => l.startsWith('update')).map((l) => l.replace(/\s+modified\.yaml:\d+$/, ''));
    assert.deepEqual(updates(dry.stdout).sort(), [`update       group "Auditors" (${AUDITORS})`, `update       group "Buyers" (${BUYERS})`]);
    assert.match(dry.stdout, /^Dry run, nothing changed: 0 to create, 2 to update, \d+ unchanged, 0 would be deleted with --prune\.$/m);
    assert.match(dry.stdout, /^unchanged +application "Orders worker" \(6f1d2a10-0000-4000-8000-0000000000e1\) +modified\.yaml:\d+$/m);
    assert.equal((await group(seeded, BUYERS)).description, 'People who place orders.', 'the dry run wrote nothing');

    // Connection by flags this time (the variables give only the file's ${VAR}).
    const { KEYWAY_URL, KEYWAY_ADMIN_ENVIRONMENT_ID, KEYWAY_ADMIN_CLIENT_ID, KEYWAY_ADMIN_CLIENT_SECRET } = seeded.admin;
    const flags = ['--url', KEYWAY_URL, '--environment-id', KEYWAY_ADMIN_ENVIRONMENT_ID, '--client-id', KEYWAY_ADMIN_CLIENT_ID, '--client-secret', KEYWAY_ADMIN_CLIENT_SECRET] as string[];
    const applied = await runNode(['apply', 'modified.yaml', ...flags], variables);
    assert.equal(applied.code, 0, applied.stderr);
    assert.deepEqual(updates(applied.stdout), updates(dry.stdout));
    assert.match(applied.stdout, /^Applied: 0 created, 2 updated, \d+ unchanged/m);
    assert.equal((await group(seeded, BUYERS)).description, 'People who buy.');
    assert.equal((await group(seeded, AUDITORS)).description, 'Read-only.');
  });

  test('keyway apply of a broken file exits 1 naming file:line and changes nothing', async () => {
    const text = readFileSync(FIXTURE, 'utf8')
      .replace('description: The orders service and its web front end.', 'description: Changed before the error.')
      .replace(/(name: Billing worker[\s\S]*?jwks: )\$\{SERVICE_JWKS\}/, '$1"{\\"keys\\": [{\\"kty\\": \\"RSA\\"}]}"');
    writeFileSync(join(dir, 'broken.yaml'), text);
    const jwksLine = text.split('\n').findIndex((l) => l.includes('"kty')) + 1;
    const server = await runNode(['apply', 'broken.yaml'], { ...seeded.admin, ...variables });
    assert.equal(server.code, 1, server.stdout);
    assert.match(server.stderr, new RegExp(`^broken\\.yaml:${jwksLine}: /environments/1/applications/0/jwks`, 'm'), 'the server error mapped to the line');
    assert.equal(server.stdout, '');

    const { ANN_PASSWORD: _unset, ...missing } = variables;
    const passwordLine = text.split('\n').findIndex((l) => l.includes('${ANN_PASSWORD}')) + 1;
    const local = await runNode(['apply', 'broken.yaml'], { ...seeded.admin, ...missing });
    assert.equal(local.code, 1);
    assert.match(local.stderr, new RegExp(`^broken\\.yaml:${passwordLine}: /environments/0/users/0/password: variable ANN_PASSWORD is not set\\.$`, 'm'));
    assert.match(local.stderr, /nothing was sent/);

    const env = await call(seeded.process, 'GET', `/v1/environments/${ORDERS}`, { token: seeded.token });
    assert.equal(env.body.description, 'The orders service and its web front end.', 'nothing changed');
  });

  test('keyway export --include-secrets, then keyway apply on an empty server: identical JWKS, the same clients get tokens', async () => {
    const exported = await runNode(['export', '--include-secrets', '--out', 'export.yaml'], seeded.admin);
    assert.equal(exported.code, 0, exported.stderr);
    assert.equal(statSync(join(dir, 'export.yaml')).mode & 0o777, 0o600, 'secrets are written owner-only');
    const text = readFileSync(join(dir, 'export.yaml'), 'utf8');
    assert.match(text, /value: \$\$\{user\.email\}/, 'expressions are escaped so apply reads them back');

    const empty = await startServer();
    try {
      const applied = await runNode(['apply', 'export.yaml'], empty.admin);
      assert.equal(applied.code, 0, applied.stderr);
      for (const envId of [ORDERS, BILLING]) assert.deepEqual(await jwks(empty, envId), await jwks(seeded, envId), `JWKS of ${envId}`);
      const token = await workerToken(empty);
      assert.equal(token.status, 200, JSON.stringify(token.body));
      assert.equal(headerOf(token.body.access_token).kid, SIGNING_KID);
      const web = await call(empty.process, 'POST', `/${ORDERS}/as/token`, { basic: `${WEB}:${variables.WEB_SECRET}`, form: { grant_type: 'client_credentials', scope: 'orders:write' } });
      assert.equal(web.status, 200, JSON.stringify(web.body));
      const again = await runNode(['apply', 'export.yaml', '--dry-run'], empty.admin);
      assert.match(again.stdout, /: 0 to create, 0 to update, \d+ unchanged/);
    } finally {
      await empty.process.stop();
    }

    const plain = await runNode(['export', '--environment', BILLING], seeded.admin);
    assert.equal(plain.code, 0, plain.stderr);
    assert.match(plain.stdout, /^# Exported without secrets/m);
    const body = plain.stdout.split('\n').filter((l) => !l.startsWith('#')).join('\n');
    assert.doesNotMatch(body, /privateKey|secret:/, 'no secret outside the header');
    assert.match(body, /^ {6}- id: [0-9a-f-]{36}\n {8}usageType: SIGNING$/m, 'the keys are listed, without their private part');
  });
});

test('a start with an invalid KEYWAY_CONFIG_FILE exits non-zero naming file:line, without listening', async () => {
  const file = join(dir, 'invalid.yaml');
  writeFileSync(file, 'environments:\n  - name: Orders\n    groups:\n      - name: Buyers\n      - name: Buyers\n');
  const dataDir = mkdtempSync(join(tmpdir(), 'keyway-declarative-data-'));
  dataDirs.push(dataDir);
  const port = await freePort();
  const ran = await runNode(['start'], { KEYWAY_DATA_DIR: dataDir, KEYWAY_PORT: String(port), KEYWAY_LOG_LEVEL: 'info', KEYWAY_CONFIG_FILE: file });
  assert.notEqual(ran.code, 0);
  assert.ok(ran.stderr.includes(`${file}:5: /environments/0/groups/1/name: "Buyers" is already listed`), ran.stderr);
  assert.doesNotMatch(ran.stdout, /keyway\.listening/);
});
