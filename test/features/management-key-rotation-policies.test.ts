/**
 * Key rotation policies through the management API (OpenAPI `KeyRotationPolicy`;
 * docs.pingidentity.com, "Key rotation policies") and what a relying party sees: the NEXT key is
 * in the JWKS before it signs anything, so a relying party holding the JWKS from before a rotation
 * verifies tokens signed after it; the retired key stays published until every token it signed
 * has expired (plus the JWKS's max-age) and leaves at that instant. Rotation happens on schedule
 * (the timer, state in the store) and on demand (Keyway's `POST …/rotate`). Applications naming
 * the policy in `signing.keyRotationPolicy.id` get tokens signed by its CURRENT key.
 */
import { after, before, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose';
import { ROLES } from '../../src/management/roles.js';
import {
  assignRole,
  createApp,
  expectDetail,
  expectForbidden,
  expectSchema,
  expectStatus,
  issuerOf,
  startInProcess,
  tokenFor,
  type CreatedApp,
  type InProcess,
  type Reply,
} from '../support/harness.js';

const DAY_MS = 86_400_000;
let clock = new Date('2026-03-01T09:00:00.000Z');
let h: InProcess;
let env: string;
let base: string;
let admin: CreatedApp;

before(async () => {
  h = await startInProcess({ now: () => clock });
  env = h.adminEnvId;
  base = `/v1/environments/${env}/keyRotationPolicies`;
  admin = await createApp(h, env, 'krp admin');
  expectStatus(await assignRole(h, env, admin.id, ROLES.environmentAdmin.id, { type: 'ENVIRONMENT', id: env }), 201);
});
after(() => h.close());

/** A management call with an Environment Admin token issued at the current test clock. */
async function call(method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, body?: unknown): Promise<Reply> {
  return h.inject(method, url, { token: await tokenFor(h, env, admin), ...(body === undefined ? {} : { body }) });
}
/** The bootstrap worker's token (it creates applications and assigns roles), issued at the current test clock. */
async function bootstrapToken(): Promise<string> {
  const { clientId, clientSecret } = h.app.bootstrap.summary as Record<string, string>;
  return expectStatus(await h.clientCredentials(env, clientId as string, clientSecret as string), 200).body.access_token as string;
}
const jwks = async () => JSON.parse((await h.app.server.inject({ method: 'GET', url: `/${env}/as/jwks` })).body) as JSONWebKeySet;
const kids = async () => (await jwks()).keys.map((k) => k.kid);
/** A relying party's check with the JWKS copy it holds, at the test clock. */
const verifies = async (jwt: string, set: JSONWebKeySet) => {
  try {
    await jwtVerify(jwt, createLocalJWKSet(set), { issuer: issuerOf(h, env), currentDate: clock });
    return true;
  } catch {
    return false;
  }
};
const POLICY = { name: 'Rotating', algorithm: 'RSA', keyLength: 2048, signatureAlgorithm: 'SHA256withRSA', dn: 'CN=Rotating, O=Example', usageType: 'SIGNING', rotationPeriod: 30, validityPeriod: 365 };

describe('key rotation policies: create, sign, rotate, retire', () => {
  let policy: Record<string, any>;
  let signer: CreatedApp;
  const signerToken = () => tokenFor(h, env, signer);

  test('POST creates a policy whose CURRENT and NEXT keys are both in the JWKS, and not in the keys API', async () => {
    const res = expectStatus(await call('POST', base, POLICY), 201);
    policy = res.body;
    expectSchema('KeyRotationPolicy', policy);
    assert.equal(res.headers.etag, '"1"');
    assert.ok(policy.currentKeyId && policy.nextKeyId && policy.currentKeyId !== policy.nextKeyId);
    assert.equal(policy.rotatedAt, clock.toISOString());
    const published = await jwks();
    for (const kid of [policy.currentKeyId, policy.nextKeyId]) assert.equal(published.keys.find((k) => k.kid === kid)?.alg, 'RS256');
    const keysApi = expectStatus(await call('GET', `/v1/environments/${env}/keys`), 200).body._embedded.keys as Array<{ id: string }>;
    assert.ok(!keysApi.some((k) => k.id === policy.currentKeyId || k.id === policy.nextKeyId));
    expectStatus(await call('GET', `/v1/environments/${env}/keys/${policy.currentKeyId}`), 404);
    expectSchema('KeyRotationPolicy', expectStatus(await call('GET', `${base}/${policy.id}`), 200).body);
    assert.equal(expectStatus(await call('GET', base), 200).body._embedded.keyRotationPolicies.length, 1);
  });

  test('an application naming the policy gets tokens signed by its CURRENT key; others by the default key', async () => {
    const created = await h.inject('POST', `/v1/environments/${env}/applications`, {
      body: {
      name: 'policy signer',
      enabled: true,
      type: 'WORKER',
      protocol: 'OPENID_CONNECT',
      signing: { keyRotationPolicy: { id: policy.id } },
      },
    });
    const id = expectStatus(created, 201).body.id as string;
    const app = expectStatus(await h.inject('GET', `/v1/environments/${env}/applications/${id}`), 200).body;
    assert.deepEqual(app.signing, { keyRotationPolicy: { id: policy.id } });
    const secret = expectStatus(await h.inject('GET', `/v1/environments/${env}/applications/${id}/secret`), 200).body.secret as string;
    signer = { id, secret };
    expectStatus(await assignRole(h, env, id, ROLES.environmentAdmin.id, { type: 'ENVIRONMENT', id: env }), 201);
    const jwt = await signerToken();
    assert.equal(decodeProtectedHeader(jwt).kid, policy.currentKeyId);
    assert.ok(await verifies(jwt, await jwks()));
    expectStatus(await h.inject('GET', base, { token: jwt }), 200);
    assert.notEqual(decodeProtectedHeader(await tokenFor(h, env, admin)).kid, policy.currentKeyId);
  });

  test('rotation on demand: NEXT signs, a relying party holding the JWKS from before verifies old and new tokens; the retired key leaves exactly at its retirement', async () => {
    const held = await jwks();
    const before = await signerToken();
    const rotatedAt = clock;
    const rotated = expectStatus(await call('POST', `${base}/${policy.id}/rotate`), 200).body;
    expectSchema('KeyRotationPolicy', rotated);
    assert.equal(rotated.currentKeyId, policy.nextKeyId);
    assert.ok(rotated.nextKeyId && ![policy.currentKeyId, policy.nextKeyId].includes(rotated.nextKeyId));
    const afterToken = await signerToken();
    assert.equal(decodeProtectedHeader(afterToken).kid, policy.nextKeyId);
    assert.ok(await verifies(afterToken, held), 'the cached JWKS already held the new signing key');
    assert.ok(await verifies(before, await jwks()), 'the retired key is still published');
    assert.deepEqual((await kids()).filter((k) => [policy.currentKeyId, policy.nextKeyId, rotated.nextKeyId].includes(k)).length, 3);

    // Retired after the longest token lifetime (3600 s here) plus the JWKS's max-age (300 s).
    const retireAt = rotatedAt.getTime() + (3600 + 300) * 1000;
    clock = new Date(retireAt - 1);
    assert.ok((await kids()).includes(policy.currentKeyId));
    assert.ok(await verifies(before, await jwks()) === false, 'the token itself expired an hour after it was issued');
    clock = new Date(retireAt);
    assert.ok(!(await kids()).includes(policy.currentKeyId), 'the retired key leaves the JWKS at its retirement');
    policy = rotated;
  });

  test('rotation on schedule: the timer rotates a due policy once (its state is the store), not before it is due', async () => {
    const held = await jwks();
    await h.app.rotateKeys();
    assert.equal(expectStatus(await call('GET', `${base}/${policy.id}`), 200).body.currentKeyId, policy.currentKeyId, 'not due yet');
    clock = new Date(Date.parse(policy.rotatedAt) + 30 * DAY_MS);
    await Promise.all([h.app.rotateKeys(), h.app.rotateKeys()]);
    const now = expectStatus(await call('GET', `${base}/${policy.id}`), 200).body;
    assert.equal(now.currentKeyId, policy.nextKeyId);
    assert.equal(now.rotatedAt, clock.toISOString());
    await h.app.rotateKeys();
    assert.equal(expectStatus(await call('GET', `${base}/${policy.id}`), 200).body.nextKeyId, now.nextKeyId, 'rotated once');
    const jwt = await signerToken();
    assert.equal(decodeProtectedHeader(jwt).kid, now.currentKeyId);
    assert.ok(await verifies(jwt, held));
    policy = now;
  });

  test('an application naming a policy the environment does not have is refused on create and replace, and nothing is stored', async () => {
    const token = await bootstrapToken();
    const apps = `/v1/environments/${env}/applications`;
    const before = expectStatus(await h.inject('GET', apps, { token }), 200).body.count as number;
    const body = (id: string) => ({ name: `unknown policy ${id}`, enabled: true, type: 'WORKER', protocol: 'OPENID_CONNECT', signing: { keyRotationPolicy: { id } } });
    for (const id of ['00000000-0000-4000-8000-000000000000', `${policy.id}x`]) {
      expectDetail(await h.inject('POST', apps, { token, body: body(id) }), 'INVALID_VALUE', 'signing.keyRotationPolicy.id');
      expectDetail(await h.inject('PUT', `${apps}/${signer.id}`, { token, body: body(id) }), 'INVALID_VALUE', 'signing.keyRotationPolicy.id');
    }
    assert.equal(expectStatus(await h.inject('GET', apps, { token }), 200).body.count, before);
    assert.deepEqual(expectStatus(await h.inject('GET', `${apps}/${signer.id}`, { token }), 200).body.signing, { keyRotationPolicy: { id: policy.id } });
  });

  test('PUT replaces name and periods; bad bodies answer INVALID_DATA and store nothing', async () => {
    const res = expectStatus(await call('PUT', `${base}/${policy.id}`, { ...POLICY, name: 'Renamed', rotationPeriod: 60 }), 200);
    expectSchema('KeyRotationPolicy', res.body);
    assert.equal(res.body.name, 'Renamed');
    assert.equal(res.body.currentKeyId, policy.currentKeyId);
    expectDetail(await call('POST', base, { ...POLICY, algorithm: 'EC' }), 'INVALID_VALUE', 'algorithm');
    expectDetail(await call('POST', base, { ...POLICY, keyLength: 1024 }), 'INVALID_VALUE', 'keyLength');
    expectDetail(await call('POST', base, { ...POLICY, rotationPeriod: 29 }), 'OUT_OF_RANGE', 'rotationPeriod');
    expectDetail(await call('POST', base, { ...POLICY, rotationPeriod: 365 }), 'OUT_OF_RANGE', 'rotationPeriod');
    expectDetail(await call('POST', base, { ...POLICY, dn: 'nonsense' }), 'INVALID_VALUE', 'dn');
    expectDetail(await call('POST', base, { ...POLICY, name: undefined }), 'REQUIRED_VALUE', 'name');
    assert.equal(expectStatus(await call('GET', base), 200).body._embedded.keyRotationPolicies.length, 1);
  });

  test('role checks: Identity Data Admin can neither read nor write policies', async () => {
    const boot = await bootstrapToken();
    const app = await createApp(h, env, 'krp refused', 'WORKER', boot);
    expectStatus(await assignRole(h, env, app.id, ROLES.identityDataAdmin.id, { type: 'ENVIRONMENT', id: env }, boot), 201);
    const other = await tokenFor(h, env, app);
    expectForbidden(await h.inject('GET', base, { token: other }));
    expectForbidden(await h.inject('GET', `${base}/${policy.id}`, { token: other }));
    expectForbidden(await h.inject('POST', base, { token: other, body: POLICY }));
    expectForbidden(await h.inject('PUT', `${base}/${policy.id}`, { token: other, body: POLICY }));
    expectForbidden(await h.inject('POST', `${base}/${policy.id}/rotate`, { token: other }));
    expectForbidden(await h.inject('DELETE', `${base}/${policy.id}`, { token: other }));
  });

  test('DELETE removes the policy and its keys from the JWKS; its applications sign with the default key again', async () => {
    const policyKids = [policy.currentKeyId, policy.nextKeyId];
    const signed = await signerToken();
    expectStatus(await call('DELETE', `${base}/${policy.id}`), 204);
    expectStatus(await call('GET', `${base}/${policy.id}`), 404);
    assert.ok(!(await kids()).some((k) => policyKids.includes(k)));
    assert.equal((await h.inject('GET', base, { token: signed })).status, 401);
    assert.ok(!policyKids.includes(decodeProtectedHeader(await signerToken()).kid));
  });
});

describe('key rotation policies: the schedule survives a restart', () => {
  test('a rotation that fell due while Keyway was stopped happens at the first timer pass after it starts again', async () => {
    const pins = {
      KEYWAY_MASTER_KEY: randomBytes(32).toString('base64'),
      KEYWAY_BOOTSTRAP_ENVIRONMENT_ID: '1f4a0f3e-5b6c-4d7e-8f9a-0b1c2d3e4f5a',
      KEYWAY_BOOTSTRAP_CLIENT_ID: '2e5b1a4f-6c7d-4e8f-9a0b-1c2d3e4f5a6b',
      KEYWAY_BOOTSTRAP_CLIENT_SECRET: 'key-rotation-restart-secret-0123456789abcdef',
    };
    const dataDir = mkdtempSync(join(tmpdir(), 'keyway-krp-restart-'));
    let at = new Date('2026-06-01T00:00:00.000Z');
    try {
      const first = await startInProcess({ dataDir, env: pins, now: () => at });
      const policy = expectStatus(await first.inject('POST', `/v1/environments/${first.adminEnvId}/keyRotationPolicies`, { body: POLICY }), 201).body;
      await first.close();

      at = new Date(at.getTime() + 31 * DAY_MS);
      const second = await startInProcess({ dataDir, env: pins, now: () => at });
      try {
        await second.app.rotateKeys();
        const read = expectStatus(await second.inject('GET', `/v1/environments/${second.adminEnvId}/keyRotationPolicies/${policy.id}`), 200).body;
        assert.equal(read.currentKeyId, policy.nextKeyId);
        assert.equal(read.rotatedAt, at.toISOString());
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
