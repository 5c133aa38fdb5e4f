/**
 * A real client library against a real Keyway process: openid-client's `PrivateKeyJwt`
 * performs discovery and the client_credentials grant for every assertion algorithm, as a
 * user's application would (RFC 7523 §2.2 client authentication).
 */
import { after, before, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { calculateJwkThumbprint, createRemoteJWKSet, importPKCS8, jwtVerify, type JWK } from 'jose';
import * as client from 'openid-client';
import { organizationLicense } from '../support/e2e.js';
import { startProcess, type RunningServer } from '../support/process.js';
import { rsaKeyPair } from '../support/rsa-keys.js';
import { newKeyPairSync } from '../../src/keys/key-pair.js';

const PINS = {
  KEYWAY_BOOTSTRAP_ENVIRONMENT_ID: '0f3c7f9e-4a1b-4c55-9d2e-7b8a9c0d1e2f',
  KEYWAY_BOOTSTRAP_CLIENT_ID: '5b6c7d8e-9f0a-4b1c-8d2e-3f4a5b6c7d8e',
  KEYWAY_BOOTSTRAP_CLIENT_SECRET: 'openid-client-e2e-secret-0123456789abcdef',
};

type Alg = 'RS256' | 'RS384' | 'RS512' | 'PS256' | 'PS384' | 'PS512' | 'ES256' | 'ES384' | 'ES512' | 'EdDSA';
const ALGS: Alg[] = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

function keyPair(alg: Alg): { publicKey: KeyObject; privateKey: KeyObject } {
  if (alg.startsWith('RS') || alg.startsWith('PS')) return rsaKeyPair();
  if (alg === 'ES256') return newKeyPairSync({ type: 'ec', namedCurve: 'P-256' });
  if (alg === 'ES384') return newKeyPairSync({ type: 'ec', namedCurve: 'P-384' });
  if (alg === 'ES512') return newKeyPairSync({ type: 'ec', namedCurve: 'P-521' });
  return newKeyPairSync({ type: 'ed25519' });
}

let server: RunningServer;
let dataDir: string;
let envId: string;
let adminToken: string;
let scopeName: string;
let resourceId: string;
let scopeId: string;

async function api(method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(`${server.baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${adminToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text === '' ? undefined : JSON.parse(text);
}

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'keyway-openid-client-'));
  server = await startProcess((port) => ({ KEYWAY_DATA_DIR: dataDir, KEYWAY_PUBLIC_URL: `http://127.0.0.1:${port}`, ...PINS }));
  const basic = Buffer.from(`${PINS.KEYWAY_BOOTSTRAP_CLIENT_ID}:${PINS.KEYWAY_BOOTSTRAP_CLIENT_SECRET}`).toString('base64');
  const token = await fetch(`${server.baseUrl}/${PINS.KEYWAY_BOOTSTRAP_ENVIRONMENT_ID}/as/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials',
  });
  adminToken = ((await token.json()) as { access_token: string }).access_token;
  envId = (await api('POST', '/v1/environments', { name: 'openid-client', region: 'NA', type: 'SANDBOX', license: await organizationLicense((path) => api('GET', path)) })).id;
  resourceId = (await api('POST', `/v1/environments/${envId}/resources`, { name: 'orders', audience: 'https://orders.example' })).id;
  scopeName = 'orders:read';
  scopeId = (await api('POST', `/v1/environments/${envId}/resources/${resourceId}/scopes`, { name: scopeName })).id;
});

after(async () => {
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function registerApp(alg: Alg): Promise<{ clientId: string; privateKey: KeyObject; kid: string }> {
  const { publicKey, privateKey } = keyPair(alg);
  const jwk = publicKey.export({ format: 'jwk' }) as JWK;
  const kid = await calculateJwkThumbprint(jwk);
  const jwks = JSON.stringify({ keys: [{ ...jwk, kid, use: 'sig', alg }] });
  const app = await api('POST', `/v1/environments/${envId}/applications`, {
    name: `service-${alg}`,
    enabled: true,
    type: 'SERVICE',
    protocol: 'OPENID_CONNECT',
    tokenEndpointAuthMethod: 'PRIVATE_KEY_JWT',
    jwks,
  });
  await api('POST', `/v1/environments/${envId}/applications/${app.id}/grants`, { resource: { id: resourceId }, scopes: [{ id: scopeId }] });
  return { clientId: app.id as string, privateKey, kid };
}

describe('openid-client PrivateKeyJwt against a Keyway process', () => {
  for (const alg of ALGS) {
    test(`client_credentials with a ${alg} client assertion`, async () => {
      const { clientId, privateKey, kid } = await registerApp(alg);
      const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
      const key = await importPKCS8(pem, alg, { extractable: false });
      const issuer = new URL(`${server.baseUrl}/${envId}/as`);
      const config = await client.discovery(issuer, clientId, undefined, client.PrivateKeyJwt({ key, kid }), {
        execute: [client.allowInsecureRequests],
      });
      const tokens = await client.clientCredentialsGrant(config, { scope: scopeName });
      assert.equal(tokens.token_type.toLowerCase(), 'bearer');
      assert.equal(tokens.scope, scopeName);
      // The access token verifies with the environment's published keys (RS256).
      const jwks = createRemoteJWKSet(new URL(`${issuer.href}/jwks`));
      const { payload } = await jwtVerify(tokens.access_token, jwks, { issuer: issuer.href, audience: 'https://orders.example', algorithms: ['RS256'] });
      assert.equal(payload.client_id, clientId);
      assert.equal(payload.scope, scopeName);
    });
  }
});
