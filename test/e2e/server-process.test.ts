/**
 * End-to-end: the built server as a real process (`node dist/cli/main.js start`), as
 * `npm start` runs it. Checks the runtime contract (docs/decisions.md, "Runtime contract"): port,
 * data directory, first-start bootstrap (bootstrap.json 0600, master key 0600), /healthz, worker
 * token, a restart that keeps everything and creates nothing, and pinned bootstrap values.
 */
import { describe, test, after } from 'node:test';
import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startProcess, type RunningServer } from '../support/process.js';

const dirs: string[] = [];
function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'keyway-e2e-'));
  dirs.push(dir);
  return dir;
}
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function workerToken(server: RunningServer, envId: string, clientId: string, secret: string): Promise<Response> {
  return fetch(`${server.baseUrl}/${envId}/as/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: 'grant_type=client_credentials',
  });
}

describe('runtime contract (real process)', () => {
  test('first start bootstraps, a second start on the same data creates nothing new', async () => {
    const dir = dataDir();
    const first = await startProcess({ KEYWAY_DATA_DIR: dir });
    let summary: Record<string, string>;
    let envCount: number;
    try {
      const health = await fetch(`${first.baseUrl}/healthz`);
      assert.equal(health.status, 200);
      const bootstrapPath = join(dir, 'bootstrap.json');
      assert.ok(existsSync(bootstrapPath));
      assert.equal(statSync(bootstrapPath).mode & 0o777, 0o600);
      assert.equal(statSync(join(dir, 'master.key')).mode & 0o777, 0o600);
      summary = JSON.parse(readFileSync(bootstrapPath, 'utf8')) as Record<string, string>;
      for (const key of ['environmentId', 'clientId', 'clientSecret', 'organizationId', 'licenseId', 'tokenEndpoint', 'apiPath', 'authPath']) {
        assert.equal(typeof summary[key], 'string', key);
      }
      // KEYWAY_PUBLIC_URL defaults to http://localhost:${KEYWAY_PORT}.
      assert.equal(summary.tokenEndpoint, `http://localhost:${first.port}/${summary.environmentId}/as/token`);
      assert.ok(first.stdout().includes(summary.clientSecret as string), 'credentials are printed on first start');

      const tokenResponse = await workerToken(first, summary.environmentId!, summary.clientId!, summary.clientSecret!);
      assert.equal(tokenResponse.status, 200);
      const { access_token } = (await tokenResponse.json()) as { access_token: string };
      const create = await fetch(`${first.baseUrl}/v1/environments`, {
        method: 'POST',
        headers: { authorization: `Bearer ${access_token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Kept', region: 'EU', type: 'SANDBOX', license: { id: summary.licenseId } }),
      });
      assert.equal(create.status, 201, 'the license id of bootstrap.json is the one POST /v1/environments requires');
      assert.ok(first.stdout().includes(`licenseId: ${summary.licenseId}`), 'the printed summary names the license');
      const license = await fetch(`${first.baseUrl}/v1/organizations/${summary.organizationId}/licenses/${summary.licenseId}`, {
        headers: { authorization: `Bearer ${access_token}` },
      });
      assert.equal(license.status, 200, 'bootstrap.json names the organization and its license');
      const list = (await (await fetch(`${first.baseUrl}/v1/environments`, { headers: { authorization: `Bearer ${access_token}` } })).json()) as {
        count: number;
      };
      envCount = list.count;
      assert.equal(envCount, 2);
    } finally {
      await first.stop();
    }

    const second = await startProcess({ KEYWAY_DATA_DIR: dir });
    try {
      assert.ok(!second.stdout().includes(summary.clientSecret as string), 'credentials are printed only once');
      assert.deepEqual(JSON.parse(readFileSync(join(dir, 'bootstrap.json'), 'utf8')), summary);
      const tokenResponse = await workerToken(second, summary.environmentId!, summary.clientId!, summary.clientSecret!);
      assert.equal(tokenResponse.status, 200, 'the bootstrap credentials survive a restart');
      const { access_token } = (await tokenResponse.json()) as { access_token: string };
      const list = (await (await fetch(`${second.baseUrl}/v1/environments`, { headers: { authorization: `Bearer ${access_token}` } })).json()) as {
        count: number;
        _embedded: { environments: Array<{ name: string }> };
      };
      assert.equal(list.count, envCount);
      assert.deepEqual(list._embedded.environments.map((e) => e.name).sort(), ['Administrators', 'Kept']);
    } finally {
      await second.stop();
    }
  });

  test('pinned bootstrap values, KEYWAY_HOST and KEYWAY_PUBLIC_URL are honoured', async () => {
    const dir = dataDir();
    const pins = {
      KEYWAY_BOOTSTRAP_ENVIRONMENT_ID: '11111111-2222-4333-8444-555555555555',
      KEYWAY_BOOTSTRAP_CLIENT_ID: '66666666-7777-4888-9999-aaaaaaaaaaaa',
      KEYWAY_BOOTSTRAP_CLIENT_SECRET: 'pinned-secret-for-ci-0123456789abcdef',
    };
    const server = await startProcess({ KEYWAY_DATA_DIR: dir, KEYWAY_HOST: '127.0.0.1', KEYWAY_PUBLIC_URL: 'https://id.example.test', ...pins });
    try {
      const summary = JSON.parse(readFileSync(join(dir, 'bootstrap.json'), 'utf8')) as Record<string, string>;
      assert.equal(summary.environmentId, pins.KEYWAY_BOOTSTRAP_ENVIRONMENT_ID);
      assert.equal(summary.clientId, pins.KEYWAY_BOOTSTRAP_CLIENT_ID);
      assert.equal(summary.clientSecret, pins.KEYWAY_BOOTSTRAP_CLIENT_SECRET);
      assert.equal(summary.tokenEndpoint, `https://id.example.test/${pins.KEYWAY_BOOTSTRAP_ENVIRONMENT_ID}/as/token`);
      const response = await workerToken(server, pins.KEYWAY_BOOTSTRAP_ENVIRONMENT_ID, pins.KEYWAY_BOOTSTRAP_CLIENT_ID, pins.KEYWAY_BOOTSTRAP_CLIENT_SECRET);
      assert.equal(response.status, 200);
      const { access_token } = (await response.json()) as { access_token: string };
      const claims = JSON.parse(Buffer.from(access_token.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
      assert.equal(claims.iss, `https://id.example.test/${pins.KEYWAY_BOOTSTRAP_ENVIRONMENT_ID}/as`);
      assert.deepEqual(claims.aud, ['https://id.example.test']);
      const discovery = (await (await fetch(`${server.baseUrl}/${pins.KEYWAY_BOOTSTRAP_ENVIRONMENT_ID}/as/.well-known/openid-configuration`)).json()) as {
        issuer: string;
      };
      assert.equal(discovery.issuer, `https://id.example.test/${pins.KEYWAY_BOOTSTRAP_ENVIRONMENT_ID}/as`);
    } finally {
      await server.stop();
    }
  });

  test('an invalid configuration stops the process with a message naming the variable', async () => {
    await assert.rejects(startProcess({ KEYWAY_DATA_DIR: dataDir(), KEYWAY_PUBLIC_URL: 'not a url' }), /KEYWAY_PUBLIC_URL/);
  });
});
