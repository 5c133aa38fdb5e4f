/**
 * The standard `address` claim (OpenID Connect Core 1.0 §5.1.1, released by the `address` scope,
 * §5.4): a sign-in of an application granted the openid resource's `address` scope gets the
 * user's address as `{street_address, locality, region, postal_code, country}` in the ID token
 * and the userinfo response, as `email` is released with `email`; not without the scope; not for
 * a user without an address. The openid resource lists it as a PREDEFINED attribute whose
 * modified value replaces the claim and whose built-in expression restores it.
 */
import { after, before, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { expectSchema, expectStatus, startInProcess, type InProcess } from '../support/harness.js';
import { createUser, signedInClaims, webApp, world, type WebApp, type World } from '../support/sign-in-hostile.js';

let h: InProcess;
let w: World;
let nobody: World;
let app: WebApp;
let attributes: string;

const ADDRESS = { streetAddress: '12 Main Street', locality: 'Springfield', region: 'IL', postalCode: '62701', countryCode: 'US' };
const CLAIM = { street_address: '12 Main Street', locality: 'Springfield', region: 'IL', postal_code: '62701', country: 'US' };

const claims = (who: World, scope: string) => signedInClaims(who, app, scope);

before(async () => {
  h = await startInProcess();
  w = await world(h, 'claims-address-env', 'ada');
  expectStatus(await h.inject('PATCH', `/v1/environments/${w.env}/users/${w.userId}`, { body: { address: ADDRESS } }), 200);
  nobody = { ...w, userId: await createUser(h, w.env, 'homeless'), username: 'homeless' };
  app = await webApp(h, w.env, 'claims-address-web');
  const resources = expectStatus(await h.inject('GET', `/v1/environments/${w.env}/resources`), 200).body._embedded.resources;
  const openid = resources.find((r: any) => r.type === 'OPENID_CONNECT');
  attributes = `/v1/environments/${w.env}/resources/${openid.id}/attributes`;
  const scopes = expectStatus(await h.inject('GET', `/v1/environments/${w.env}/resources/${openid.id}/scopes`), 200).body._embedded.scopes;
  const granted = scopes.filter((s: any) => s.name === 'address' || s.name === 'email').map((s: any) => ({ id: s.id }));
  expectStatus(await h.inject('POST', `/v1/environments/${w.env}/applications/${app.id}/grants`, { body: { resource: { id: openid.id }, scopes: granted } }), 201);
});
after(() => h.close());

describe('the address claim', () => {
  test('scope openid address: the OIDC address object in the ID token and in userinfo', async () => {
    const { id, info } = await claims(w, 'openid address');
    assert.deepEqual(id.address, CLAIM);
    assert.deepEqual(info.address, CLAIM);
  });

  test('without the address scope: no address claim', async () => {
    const { id, info } = await claims(w, 'openid email');
    assert.equal(Object.hasOwn(id, 'address'), false);
    assert.equal(Object.hasOwn(info, 'address'), false);
    assert.equal(info.email, 'ada@example.com', 'the granted email scope still releases email');
  });

  test('a user without an address gets no address claim', async () => {
    const { id, info } = await claims(nobody, 'openid address');
    assert.equal(Object.hasOwn(id, 'address'), false);
    assert.equal(Object.hasOwn(info, 'address'), false);
  });

  test('only the components the user has', async () => {
    expectStatus(await h.inject('PATCH', `/v1/environments/${w.env}/users/${w.userId}`, { body: { address: { locality: 'Paris', countryCode: 'FR' } } }), 200);
    try {
      const { id, info } = await claims(w, 'openid address');
      assert.deepEqual(id.address, { locality: 'Paris', country: 'FR' });
      assert.deepEqual(info.address, { locality: 'Paris', country: 'FR' });
    } finally {
      expectStatus(await h.inject('PATCH', `/v1/environments/${w.env}/users/${w.userId}`, { body: { address: ADDRESS } }), 200);
    }
  });
});

describe('the PREDEFINED address attribute of the openid resource', () => {
  test('is listed; a modified value replaces the claim; the built-in expression restores it', async () => {
    const listed = expectStatus(await h.inject('GET', attributes), 200).body._embedded.attributes.find((a: any) => a.name === 'address');
    expectSchema('ResourceAttribute', listed);
    assert.equal(listed.type, 'PREDEFINED');
    const builtIn = listed.value as string;
    assert.match(builtIn, /user\.address/);

    const modified = expectStatus(await h.inject('PUT', `${attributes}/${listed.id}`, { body: { name: 'address', value: '${user.address?.locality}' } }), 200).body;
    assert.equal(modified.value, '${user.address?.locality}');
    const replaced = await claims(w, 'openid address');
    assert.equal(replaced.id.address, 'Springfield');
    assert.equal(replaced.info.address, 'Springfield');
    const none = await claims(nobody, 'openid address');
    assert.equal(Object.hasOwn(none.info, 'address'), false, 'a modified claim without a value is left out');

    const restored = expectStatus(await h.inject('PUT', `${attributes}/${listed.id}`, { body: { name: 'address', value: builtIn } }), 200).body;
    assert.equal(restored.value, builtIn);
    const again = expectStatus(await h.inject('GET', attributes), 200).body._embedded.attributes.find((a: any) => a.name === 'address');
    assert.deepEqual(again, listed, 'the built-in attribute is back as it was');
    assert.deepEqual((await claims(w, 'openid address')).info.address, CLAIM);
  });
});
