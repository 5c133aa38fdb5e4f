/**
 * Resource attributes (OpenAPI readAllResourceAttributes, createResourceAttribute,
 * readOneResourceAttribute, updateResourceAttribute, deleteResourceAttribute;
 * developer.pingidentity.com, "Resource Attributes" and the token fulfillment workflow): every
 * resource lists its core `sub`; custom attributes are written on CUSTOM resources (the `openid`
 * resource's: test/features/openid-resource-attributes.test.ts), each a
 * `ResourceAttribute`; an access token for the resource carries exactly its attributes, and
 * introspection (RFC 7662 §2.2) returns the same claims; a PRIVATE_KEY_JWT client's verified
 * assertion feeds `#root.context.requestData.clientAssertion` (claims) and
 * `…clientAssertionHeader` (header); a client without attributes gets none of this.
 */
import { after, before, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { ROLES } from '../../src/management/roles.js';
import {
  assertionForm,
  assignRole,
  clientKey,
  createApp,
  createClient,
  createCustomScope,
  createEnvironment,
  expectForbidden,
  expectSchema,
  expectStatus,
  issuerOf,
  jwksString,
  jwtPayload,
  postForm,
  signAssertion,
  signWith,
  startInProcess,
  tokenFor,
  type GrantableScope,
  type InProcess,
} from '../support/harness.js';

let h: InProcess;
let env: string;
let orders: GrantableScope;
let url: string;

before(async () => {
  h = await startInProcess();
  env = await createEnvironment(h, 'resource-attributes-env');
  orders = await createCustomScope(h, env, 'orders', 'https://orders.example', 'orders:read');
  url = `/v1/environments/${env}/resources/${orders.resourceId}/attributes`;
});
after(() => h.close());

const list = async (path = url): Promise<Array<Record<string, any>>> => {
  const items = expectStatus(await h.inject('GET', path), 200).body._embedded.attributes;
  for (const item of items) expectSchema('ResourceAttribute', item);
  return items;
};

describe('resource attributes: management', () => {
  test('a resource lists its core sub; custom attributes are created, read, replaced and deleted', async () => {
    const [sub] = await list();
    assert.deepEqual({ name: sub!.name, value: sub!.value, type: sub!.type }, { name: 'sub', value: '${user.id}', type: 'CORE' });
    assert.deepEqual(expectStatus(await h.inject('GET', `${url}/${sub!.id}`), 200).body, sub);
    const created = expectStatus(await h.inject('POST', url, { body: { name: 'tier', value: 'gold' } }), 201).body;
    expectSchema('ResourceAttribute', created);
    assert.equal(created.type, 'CUSTOM');
    const replaced = expectStatus(await h.inject('PUT', `${url}/${created.id}`, { body: { name: 'tier', value: 'platinum' } }), 200).body;
    assert.equal(replaced.value, 'platinum');
    expectStatus(await h.inject('DELETE', `${url}/${created.id}`), 204);
    expectStatus(await h.inject('GET', `${url}/${created.id}`), 404);
  });

  test('refusals: sub again, reserved names, bad expressions, the core attribute, built-in resources', async () => {
    const dup = expectStatus(await h.inject('POST', url, { body: { name: 'sub', value: '${user.id}' } }), 400);
    assert.equal(dup.body.details[0].code, 'UNIQUENESS_VIOLATION');
    for (const name of ['aud', 'scope', 'client_id', 'p1.region']) {
      assert.equal(expectStatus(await h.inject('POST', url, { body: { name, value: 'x' } }), 400).body.details[0].target, 'name');
    }
    const bad = expectStatus(await h.inject('POST', url, { body: { name: 'x', value: '${#root.secrets}' } }), 400);
    assert.match(bad.body.details[0].message, /attribute root/);
    const [sub] = await list();
    expectStatus(await h.inject('PUT', `${url}/${sub!.id}`, { body: { name: 'sub', value: '${user.username}' } }), 400);
    expectStatus(await h.inject('DELETE', `${url}/${sub!.id}`), 400);
    const resources = expectStatus(await h.inject('GET', `/v1/environments/${env}/resources`), 200).body._embedded.resources;
    const pingOne = resources.find((r: any) => r.type === 'PINGONE_API');
    expectStatus(await h.inject('POST', `/v1/environments/${env}/resources/${pingOne.id}/attributes`, { body: { name: 'x', value: 'y' } }), 400);
    assert.equal((await list(`/v1/environments/${env}/resources/${pingOne.id}/attributes`)).length, 1);
  });

  test('roles: Environment Admin writes, Identity Data Admin gets 403', async () => {
    const roleEnv = h.adminEnvId;
    const api = await createCustomScope(h, roleEnv, 'role-api', 'https://role-api.example', 'role:read');
    const roleUrl = `/v1/environments/${roleEnv}/resources/${api.resourceId}/attributes`;
    const tokenWith = async (name: string, roleId: string) => {
      const app = await createApp(h, roleEnv, name);
      expectStatus(await assignRole(h, roleEnv, app.id, roleId, { type: 'ENVIRONMENT', id: roleEnv }), 201);
      return tokenFor(h, roleEnv, app);
    };
    const admin = await tokenWith('res-attr-env-admin', ROLES.environmentAdmin.id);
    const created = expectStatus(await h.inject('POST', roleUrl, { token: admin, body: { name: 'tier', value: 'x' } }), 201).body;
    const dataAdmin = await tokenWith('res-attr-data-admin', ROLES.identityDataAdmin.id);
    expectForbidden(await h.inject('POST', roleUrl, { token: dataAdmin, body: { name: 'other', value: 'x' } }));
    expectForbidden(await h.inject('PUT', `${roleUrl}/${created.id}`, { token: dataAdmin, body: { name: 'tier', value: 'y' } }));
    expectForbidden(await h.inject('DELETE', `${roleUrl}/${created.id}`, { token: dataAdmin }));
    expectStatus(await h.inject('DELETE', `${roleUrl}/${created.id}`, { token: admin }), 204);
  });
});

describe('resource attributes in access tokens', () => {
  test('a PRIVATE_KEY_JWT client: claims computed from the verified assertion, in the token and in introspection', async () => {
    const key = await clientKey('ES256');
    const clientId = await createClient(h, env, { tokenEndpointAuthMethod: 'PRIVATE_KEY_JWT', jwks: jwksString(key) }, orders);
    const before = jwtPayload(expectStatus(await postForm(h, `/${env}/as/token`, assertionForm(await signWith(key, clientId, { aud: issuerOf(h, env), claims: { tenant: 'acme' } }))), 200).body.access_token);
    assert.equal(before.tenant, undefined, 'no attribute, no claim');

    expectStatus(await h.inject('POST', url, { body: { name: 'tenant', value: '${#root.context.requestData.clientAssertion.tenant}' } }), 201);
    expectStatus(await h.inject('POST', url, { body: { name: 'keyId', value: '${#root.context.requestData.clientAssertionHeader.kid}' } }), 201);
    expectStatus(await h.inject('POST', url, { body: { name: 'grant', value: '${#root.context.requestData.grantType}' } }), 201);
    expectStatus(await h.inject('POST', url, { body: { name: 'method', value: '${#root.context.appConfig.tokenEndpointAuthMethod}' } }), 201);
    expectStatus(await h.inject('POST', url, { body: { name: 'plan', value: "${{'acme': 'enterprise'}[#root.context.requestData.clientAssertion?.tenant] ?: 'free'}" } }), 201);

    const assertion = await signWith(key, clientId, { aud: issuerOf(h, env), claims: { tenant: 'acme' } });
    const response = expectStatus(await postForm(h, `/${env}/as/token`, assertionForm(assertion)), 200).body;
    const claims = jwtPayload(response.access_token);
    assert.deepEqual(
      { tenant: claims.tenant, keyId: claims.keyId, grant: claims.grant, method: claims.method, plan: claims.plan, aud: claims.aud, client_id: claims.client_id },
      { tenant: 'acme', keyId: key.kid, grant: 'client_credentials', method: 'PRIVATE_KEY_JWT', plan: 'enterprise', aud: [orders.audience], client_id: clientId },
    );

    const secretClient = await createApp(h, env, 'introspector');
    const basic = `Basic ${Buffer.from(`${secretClient.id}:${secretClient.secret}`).toString('base64')}`;
    const introspected = await postForm(h, `/${env}/as/introspect`, { token: response.access_token }, { authorization: basic });
    assert.equal(introspected.body.active, true);
    assert.equal(introspected.body.tenant, 'acme');
    assert.equal(introspected.body.plan, 'enterprise');
  });

  test("a token for one of two granted resources carries exactly that resource's attributes, and introspection the same", async () => {
    const billing = await createCustomScope(h, env, 'billing', 'https://billing.example', 'billing:read');
    const billingUrl = `/v1/environments/${env}/resources/${billing.resourceId}/attributes`;
    expectStatus(await h.inject('POST', billingUrl, { body: { name: 'ledger', value: 'main' } }), 201);
    const clientId = await createClient(h, env, { tokenEndpointAuthMethod: 'CLIENT_SECRET_POST' }, orders);
    const granted = await h.inject('POST', `/v1/environments/${env}/applications/${clientId}/grants`, { body: { resource: { id: billing.resourceId }, scopes: [{ id: billing.scopeId }] } });
    expectStatus(granted, 201);
    const secret = expectStatus(await h.inject('GET', `/v1/environments/${env}/applications/${clientId}/secret`), 200).body.secret;
    const tokenFor = async (scope: string) =>
      expectStatus(await postForm(h, `/${env}/as/token`, { grant_type: 'client_credentials', client_id: clientId, client_secret: secret, scope }), 200).body.access_token as string;
    for (const [scope, audience, own, other] of [
      ['orders:read', orders.audience, 'plan', 'ledger'],
      ['billing:read', billing.audience, 'ledger', 'plan'],
    ] as const) {
      const token = await tokenFor(scope);
      const claims = jwtPayload(token);
      assert.deepEqual(claims.aud, [audience]);
      assert.notEqual(claims[own], undefined, `${scope}: ${own} from its resource`);
      assert.equal(claims[other], undefined, `${scope}: nothing from the other resource`);
      const introspected = expectStatus(await postForm(h, `/${env}/as/introspect`, { token, client_id: clientId, client_secret: secret }), 200).body;
      assert.equal(introspected[own], claims[own]);
      assert.equal(introspected[other], undefined);
    }
    expectStatus(await h.inject('DELETE', `/v1/environments/${env}/resources/${billing.resourceId}`), 204);
  });

  test('a client-secret client has no assertion: claims that read it are left out', async () => {
    const clientId = await createClient(h, env, { tokenEndpointAuthMethod: 'CLIENT_SECRET_POST' }, orders);
    const secret = expectStatus(await h.inject('GET', `/v1/environments/${env}/applications/${clientId}/secret`), 200).body.secret;
    const response = expectStatus(await postForm(h, `/${env}/as/token`, { grant_type: 'client_credentials', client_id: clientId, client_secret: secret }), 200).body;
    const claims = jwtPayload(response.access_token);
    assert.equal(claims.tenant, undefined);
    assert.equal(claims.plan, 'free');
    assert.equal(claims.method, undefined, 'appConfig.tokenEndpointAuthMethod is null for a method without a JWT (PingOne token fulfillment)');
  });

  test('a CLIENT_SECRET_JWT client: its verified assertion and method feed the claims as PingOne token fulfillment documents', async () => {
    const clientId = await createClient(h, env, { tokenEndpointAuthMethod: 'CLIENT_SECRET_JWT' }, orders);
    const secret = expectStatus(await h.inject('GET', `/v1/environments/${env}/applications/${clientId}/secret`), 200).body.secret as string;
    const assertion = await signAssertion(Buffer.from(secret, 'utf8'), 'HS256', clientId, { aud: issuerOf(h, env), claims: { tenant: 'acme' } });
    const claims = jwtPayload(expectStatus(await postForm(h, `/${env}/as/token`, assertionForm(assertion)), 200).body.access_token);
    assert.deepEqual({ tenant: claims.tenant, method: claims.method, plan: claims.plan }, { tenant: 'acme', method: 'CLIENT_SECRET_JWT', plan: 'enterprise' });
  });
});
