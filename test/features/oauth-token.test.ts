/**
 * The token endpoint's client_credentials grant with client secrets, in-process: RFC 6749
 * error responses, one authentication method per request, tokens verifiable with the published
 * JWKS, and the management API refusing what it must refuse.
 */
import { before, after, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { createApp, createEnvironment, expectStatus, jwtPayload, startInProcess, type CreatedApp, type InProcess } from '../support/harness.js';

let h: InProcess;
let envId: string;
let worker: CreatedApp;
before(async () => {
  h = await startInProcess();
  envId = await createEnvironment(h, 'Tokens');
  worker = await createApp(h, envId, 'worker');
});
after(() => h.close());

function post(form: Record<string, string>, headers: Record<string, string> = {}) {
  return h.app.server.inject({
    method: 'POST',
    url: `/${envId}/as/token`,
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    payload: new URLSearchParams(form).toString(),
  });
}
const basicHeader = (id: string, secret: string) => ({ authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}` });

describe('client authentication at /as/token', () => {
  test('RFC 6749 §5.2: a wrong secret is 401 invalid_client with WWW-Authenticate and no-store', async () => {
    const res = await post({ grant_type: 'client_credentials' }, basicHeader(worker.id, 'wrong'));
    assert.equal(res.statusCode, 401);
    assert.equal(res.json().error, 'invalid_client');
    assert.equal(res.json().error_description, 'Client authentication failed');
    assert.match(String(res.headers['www-authenticate']), /^Basic/);
    assert.equal(res.headers['cache-control'], 'no-store');
  });

  test('unknown client and wrong-environment client fail the same way', async () => {
    const unknown = await post({ grant_type: 'client_credentials' }, basicHeader('00000000-0000-4000-8000-000000000000', worker.secret));
    const other = await createEnvironment(h, 'Tokens elsewhere');
    const elsewhere = await h.app.server.inject({
      method: 'POST',
      url: `/${other}/as/token`,
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...basicHeader(worker.id, worker.secret) },
      payload: 'grant_type=client_credentials',
    });
    assert.equal(unknown.statusCode, 401);
    assert.equal(elsewhere.statusCode, 401);
    assert.deepEqual(unknown.json(), elsewhere.json());
  });

  test('RFC 6749 §2.3: two authentication methods in one request are refused', async () => {
    const res = await post({ grant_type: 'client_credentials', client_id: worker.id, client_secret: worker.secret }, basicHeader(worker.id, worker.secret));
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().error, 'invalid_request');
  });

  test('the method must be the application\'s tokenEndpointAuthMethod (CLIENT_SECRET_BASIC here)', async () => {
    const res = await post({ grant_type: 'client_credentials', client_id: worker.id, client_secret: worker.secret });
    assert.equal(res.statusCode, 401);
    assert.equal(res.json().error, 'invalid_client');
    assert.equal(res.headers['www-authenticate'], undefined, 'no Authorization header was used');
  });

  test('a disabled application cannot authenticate', async () => {
    const app = await createApp(h, envId, 'to-disable');
    const url = `/v1/environments/${envId}/applications/${app.id}`;
    expectStatus(await h.inject('PUT', url, { body: { name: 'to-disable', enabled: false, type: 'WORKER', protocol: 'OPENID_CONNECT' } }), 200);
    const res = await post({ grant_type: 'client_credentials' }, basicHeader(app.id, app.secret));
    assert.equal(res.statusCode, 401);
  });
});

describe('request checks', () => {
  test('RFC 6749 §3.2: a repeated parameter is invalid_request', async () => {
    const res = await h.app.server.inject({
      method: 'POST',
      url: `/${envId}/as/token`,
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...basicHeader(worker.id, worker.secret) },
      payload: 'grant_type=client_credentials&grant_type=client_credentials',
    });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().error, 'invalid_request');
  });

  test('RFC 6749 §5.2: an unknown grant_type is unsupported_grant_type', async () => {
    const res = await post({ grant_type: 'password' }, basicHeader(worker.id, worker.secret));
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().error, 'unsupported_grant_type');
  });

  test('RFC 6749 §4.4: an application without CLIENT_CREDENTIALS is unauthorized_client', async () => {
    const web = expectStatus(
      await h.inject('POST', `/v1/environments/${envId}/applications`, {
        body: { name: 'web', enabled: true, type: 'WEB_APP', protocol: 'OPENID_CONNECT', redirectUris: ['https://app.example/cb'] },
      }),
      201,
    ).body.id as string;
    const secret = expectStatus(await h.inject('GET', `/v1/environments/${envId}/applications/${web}/secret`), 200).body.secret as string;
    const res = await post({ grant_type: 'client_credentials' }, basicHeader(web, secret));
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().error, 'unauthorized_client');
  });

  test('a JSON body is refused with invalid_request', async () => {
    const res = await h.app.server.inject({
      method: 'POST',
      url: `/${envId}/as/token`,
      headers: { 'content-type': 'application/json', ...basicHeader(worker.id, worker.secret) },
      payload: JSON.stringify({ grant_type: 'client_credentials' }),
    });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().error, 'invalid_request');
  });
});

describe('issued tokens', () => {
  test('the admin worker token verifies with the published JWKS and carries PingOne claims', async () => {
    const jwks = (await h.app.server.inject({ method: 'GET', url: `/${h.adminEnvId}/as/jwks` })).json();
    const issuer = `${h.publicUrl}/${h.adminEnvId}/as`;
    const { payload, protectedHeader } = await jwtVerify(h.token, createLocalJWKSet(jwks), { issuer, audience: h.publicUrl, algorithms: ['RS256'] });
    assert.equal(typeof protectedHeader.kid, 'string');
    assert.equal(payload.env, h.adminEnvId);
    assert.equal(payload.org, h.organizationId);
    assert.equal(typeof payload.client_id, 'string');
    assert.equal((payload.exp as number) - (payload.iat as number), 3600);
    const discovery = (await h.app.server.inject({ method: 'GET', url: `/${h.adminEnvId}/as/.well-known/openid-configuration` })).json();
    assert.equal(discovery.issuer, issuer);
    assert.equal(discovery.token_endpoint, `${issuer}/token`);
    assert.equal(discovery.jwks_uri, `${issuer}/jwks`);
  });

  test('a token of an application disabled afterwards no longer opens the management API', async () => {
    const admin2 = await createApp(h, h.adminEnvId, 'second-admin');
    expectStatus(
      await h.inject('POST', `/v1/environments/${h.adminEnvId}/applications/${admin2.id}/roleAssignments`, {
        body: { role: { id: '3dcf1f72-5a8d-4b6e-9e1b-0a8f0c2a6d01' }, scope: { type: 'ORGANIZATION', id: h.organizationId } },
      }),
      201,
    );
    const issued = expectStatus(await h.clientCredentials(h.adminEnvId, admin2.id, admin2.secret), 200).body.access_token as string;
    assert.equal(jwtPayload(issued).client_id, admin2.id);
    expectStatus(await h.inject('GET', '/v1/environments', { token: issued }), 200);
    expectStatus(
      await h.inject('PUT', `/v1/environments/${h.adminEnvId}/applications/${admin2.id}`, {
        body: { name: 'second-admin', enabled: false, type: 'WORKER', protocol: 'OPENID_CONNECT' },
      }),
      200,
    );
    const refused = await h.inject('GET', '/v1/environments', { token: issued });
    assert.equal(refused.status, 401);
    assert.equal(refused.body.code, 'ACCESS_FAILED');
  });

  test('a token signed by another key, or expired, is refused', async () => {
    const [header, payload] = h.token.split('.') as [string, string];
    const tampered = `${header}.${Buffer.from(JSON.stringify({ ...jwtPayload(h.token), exp: 4102444800 })).toString('base64url')}.${h.token.split('.')[2]}`;
    assert.equal((await h.inject('GET', '/v1/environments', { token: tampered })).status, 401);
    assert.equal((await h.inject('GET', '/v1/environments', { token: `${header}.${payload}.` })).status, 401);
  });
});
