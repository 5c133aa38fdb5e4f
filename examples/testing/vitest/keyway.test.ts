// Keyway's testing library under vitest: one server for the file, a token for a worker with a
// key (private_key_jwt), a user's sign-in without a browser, and PingOne's error shape.
// Run: npx vitest run --root examples/testing/vitest
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { generateClientKey, PingOneApiError, startKeyway, type Keyway } from 'keyway/testing';

const REDIRECT_URI = 'http://localhost:3000/callback';

let keyway: Keyway;
let envId: string;

beforeAll(async () => {
  keyway = await startKeyway();
  envId = (await keyway.createEnvironment()).id;
});
afterAll(() => keyway.stop());

test('a worker application gets an access token with its key (private_key_jwt)', async () => {
  const key = await generateClientKey('ES256');
  const worker = await keyway.management('POST', `/environments/${envId}/applications`, {
    name: 'Reports worker', enabled: true, type: 'WORKER', protocol: 'OPENID_CONNECT',
    tokenEndpointAuthMethod: 'PRIVATE_KEY_JWT', jwks: key.jwks,
  });
  const resource = await keyway.management('POST', `/environments/${envId}/resources`, { name: 'reports', audience: 'https://reports.example' });
  const scope = await keyway.management('POST', `/environments/${envId}/resources/${resource.id}/scopes`, { name: 'reports:read' });
  await keyway.management('POST', `/environments/${envId}/applications/${worker.id}/grants`, { resource: { id: resource.id }, scopes: [{ id: scope.id }] });

  const tokens = await keyway.clientCredentialsToken({ envId, clientId: worker.id, key });

  const jwks = createRemoteJWKSet(new URL(`${keyway.issuer(envId)}/jwks`));
  const { payload } = await jwtVerify(tokens.access_token, jwks, { issuer: keyway.issuer(envId), audience: 'https://reports.example' });
  expect(payload.scope).toBe('reports:read');
});

test('a user signs in without a browser and gets an ID token', async () => {
  const user = await keyway.createUser({ envId, username: 'ada', password: 'Correct-Horse-9' });
  const app = await keyway.management('POST', `/environments/${envId}/applications`, {
    name: 'Web app', enabled: true, type: 'WEB_APP', protocol: 'OPENID_CONNECT',
    grantTypes: ['AUTHORIZATION_CODE'], responseTypes: ['CODE'], redirectUris: [REDIRECT_URI],
    tokenEndpointAuthMethod: 'CLIENT_SECRET_BASIC',
  });
  const { secret } = await keyway.management('GET', `/environments/${envId}/applications/${app.id}/secret`);

  const tokens = await keyway.signIn({ envId, clientId: app.id, clientSecret: secret, redirectUri: REDIRECT_URI, username: 'ada', password: 'Correct-Horse-9', scope: 'openid profile' });

  const jwks = createRemoteJWKSet(new URL(`${keyway.issuer(envId)}/jwks`));
  const { payload } = await jwtVerify(tokens.id_token!, jwks, { issuer: keyway.issuer(envId), audience: app.id });
  expect(payload.sub).toBe(user.id);
});

test('the management API answers with PingOne\'s errors', async () => {
  const call = keyway.management('GET', `/environments/${envId}/users/00000000-0000-4000-8000-000000000000`);
  await expect(call).rejects.toBeInstanceOf(PingOneApiError);
  await expect(call).rejects.toMatchObject({ status: 404, code: 'NOT_FOUND' });
});
