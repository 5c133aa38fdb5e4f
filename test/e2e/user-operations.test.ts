/**
 * User operations through the built server process: import a user with a pre-encoded
 * `{SSHA512}` password (`application/vnd.pingidentity.user.import+json`), sign in through the flow
 * API (`response_mode=pi.flow`, `usernamePassword.check`), check and reset the password by media
 * type, disable and move the user (`…/enabled`, `…/population`), and unlock it; create custom
 * attributes and a user holding values of them, read back one by one and in the list.
 */
import { after, before, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { organizationLicense } from '../support/e2e.js';
import { startProcess, type RunningServer } from '../support/process.js';

const PINS = {
  KEYWAY_BOOTSTRAP_ENVIRONMENT_ID: '5c6d7e8f-9a0b-4c1d-8e2f-3a4b5c6d7e8f',
  KEYWAY_BOOTSTRAP_CLIENT_ID: '6d7e8f9a-0b1c-4d2e-9f3a-4b5c6d7e8f9a',
  KEYWAY_BOOTSTRAP_CLIENT_SECRET: 'user-operations-e2e-secret-0123456789abc',
};
const REDIRECT_URI = 'https://app.example.com/callback';

let server: RunningServer;
let dataDir: string;
let adminToken: string;

async function call(method: string, path: string, body?: unknown, contentType = 'application/json') {
  const res = await fetch(`${server.baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${adminToken}`, ...(body === undefined ? {} : { 'content-type': contentType }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text === '' ? undefined : (JSON.parse(text) as any) };
}

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'keyway-user-ops-'));
  server = await startProcess((port) => ({ KEYWAY_DATA_DIR: dataDir, KEYWAY_PUBLIC_URL: `http://127.0.0.1:${port}`, ...PINS }));
  const basic = Buffer.from(`${PINS.KEYWAY_BOOTSTRAP_CLIENT_ID}:${PINS.KEYWAY_BOOTSTRAP_CLIENT_SECRET}`).toString('base64');
  const res = await fetch(`${server.baseUrl}/${PINS.KEYWAY_BOOTSTRAP_ENVIRONMENT_ID}/as/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials',
  });
  adminToken = ((await res.json()) as { access_token: string }).access_token;
});

after(async () => {
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function signIn(env: string, clientId: string, username: string, password: string): Promise<number> {
  const form = new URLSearchParams({ client_id: clientId, redirect_uri: REDIRECT_URI, response_type: 'code', scope: 'openid', response_mode: 'pi.flow' });
  const started = await fetch(`${server.baseUrl}/${env}/as/authorize`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form.toString(),
  });
  const flow = (await started.json()) as { id: string; _links: Record<string, { href: string }> };
  const checked = await fetch(flow._links['usernamePassword.check']!.href, {
    method: 'POST',
    headers: { 'content-type': 'application/vnd.pingidentity.usernamePassword.check+json' },
    body: JSON.stringify({ username, password }),
  });
  await checked.arrayBuffer();
  return checked.status;
}

describe('user operations through the server process', () => {
  test('import with {SSHA512}, sign in, check, reset, disable, move, unlock', async () => {
    const license = await organizationLicense(async (path) => (await call('GET', path)).body);
    const env = (await call('POST', '/v1/environments', { name: 'User-ops', region: 'NA', type: 'SANDBOX', license })).body.id as string;
    const users = `/v1/environments/${env}/users`;
    const salt = randomBytes(8);
    const encoded = `{SSHA512}${Buffer.concat([createHash('sha512').update('Imported-pass-1').update(salt).digest(), salt]).toString('base64')}`;
    const imported = await call('POST', users, { username: 'migrated', email: 'm@example.com', password: { value: encoded, forceChange: false } }, 'application/vnd.pingidentity.user.import+json');
    assert.equal(imported.status, 201, JSON.stringify(imported.body));
    const id = imported.body.id as string;
    const app = await call('POST', `/v1/environments/${env}/applications`, {
      name: 'Web', enabled: true, type: 'WEB_APP', protocol: 'OPENID_CONNECT', grantTypes: ['AUTHORIZATION_CODE'], responseTypes: ['CODE'],
      redirectUris: [REDIRECT_URI], tokenEndpointAuthMethod: 'CLIENT_SECRET_BASIC',
    });
    assert.equal(app.status, 201, JSON.stringify(app.body));

    assert.equal(await signIn(env, app.body.id, 'migrated', 'Imported-pass-1'), 200, 'the imported hash verifies');
    assert.equal(await signIn(env, app.body.id, 'migrated', 'Imported-pass-1'), 200, 'and so does the scrypt hash that replaced it');

    const check = await call('POST', `${users}/${id}/password`, { password: 'Imported-pass-1' }, 'application/vnd.pingidentity.password.check+json');
    assert.equal(check.status, 200);
    assert.equal(check.body.status, 'OK');
    const reset = await call('PUT', `${users}/${id}/password`, { newPassword: 'temp1234' }, 'application/vnd.pingidentity.password.reset+json');
    assert.equal(reset.body.status, 'MUST_CHANGE_PASSWORD');
    const changed = await call('PUT', `${users}/${id}/password`, { currentPassword: 'temp1234', newPassword: 'Chosen-pass-2' }, 'application/vnd.pingidentity.password.reset+json');
    assert.equal(changed.body.status, 'OK');

    assert.equal((await call('PUT', `${users}/${id}/enabled`, { enabled: false })).body.enabled, false);
    assert.equal(await signIn(env, app.body.id, 'migrated', 'Chosen-pass-2'), 400, 'a disabled user cannot sign in');
    assert.equal((await call('PUT', `${users}/${id}/enabled`, { enabled: true })).body.enabled, true);

    const population = (await call('POST', `/v1/environments/${env}/populations`, { name: 'Migrated' })).body.id as string;
    assert.equal((await call('PUT', `${users}/${id}/population`, { id: population })).body.id, population);
    assert.deepEqual((await call('GET', `${users}/${id}`)).body.population, { id: population });

    for (let i = 0; i < 5; i++) await signIn(env, app.body.id, 'migrated', 'Wrong-pass-9');
    assert.equal((await call('GET', `${users}/${id}`)).body.account.status, 'LOCKED');
    const unlocked = await call('POST', `${users}/${id}`, {}, 'application/vnd.pingidentity.account.unlock+json');
    assert.equal(unlocked.status, 200, JSON.stringify(unlocked.body));
    assert.equal(unlocked.body.account.status, 'OK');
    assert.equal(await signIn(env, app.body.id, 'migrated', 'Chosen-pass-2'), 200);
  });

  test('custom attributes: a user created with values reads them back; a unique value is refused to a second user', async () => {
    const license = await organizationLicense(async (path) => (await call('GET', path)).body);
    const env = (await call('POST', '/v1/environments', { name: 'Custom-values', region: 'NA', type: 'SANDBOX', license })).body.id as string;
    const schema = (await call('GET', `/v1/environments/${env}/schemas`)).body._embedded.schemas[0];
    const attributes = `/v1/environments/${env}/schemas/${schema.id}/attributes`;
    for (const body of [
      { name: 'employeeId', enabled: true, unique: true },
      { name: 'skills', enabled: true, multiValued: true },
      { name: 'preferences', type: 'JSON', enabled: true },
    ]) {
      const created = await call('POST', attributes, body);
      assert.equal(created.status, 201, JSON.stringify(created.body));
    }
    const users = `/v1/environments/${env}/users`;
    const values = { employeeId: 'E-1', skills: ['go', 'ts'], preferences: { theme: 'dark' } };
    const created = await call('POST', users, { username: 'valued', email: 'v@example.com', ...values });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const read = await call('GET', `${users}/${created.body.id}`);
    assert.equal(read.status, 200);
    for (const [name, value] of Object.entries(values)) assert.deepEqual(read.body[name], value, name);
    const listed = (await call('GET', users)).body._embedded.users.find((u: any) => u.id === created.body.id);
    assert.deepEqual(listed, read.body);
    const twin = await call('POST', users, { username: 'twin', email: 't@example.com', employeeId: 'E-1' });
    assert.equal(twin.status, 400);
    assert.equal(twin.body.details[0].code, 'UNIQUENESS_VIOLATION');
    assert.equal(twin.body.details[0].target, 'employeeId');
  });
});
