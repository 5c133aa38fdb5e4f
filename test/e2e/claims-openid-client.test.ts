/**
 * Custom claims through a real client library against a real Keyway process: mappings created
 * through the management API (an application's attribute mappings, a resource's attributes) reach
 * openid-client in the ID token (OpenID Connect Core §2), the userinfo response (§5.3) and the
 * access token, including group names (direct and dynamic), a custom schema attribute and a claim computed from the PRIVATE_KEY_JWT client
 * assertion (`#root.context.requestData.clientAssertion`, PingOne's token fulfillment workflow);
 * and a custom attribute of the `openid` resource mapped to the `profile` scope
 * (`ResourceScope.mappedClaims`) reaches the ID token and userinfo, not the access token.
 */
import { after, before, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { calculateJwkThumbprint, decodeJwt, importPKCS8, type JWK } from 'jose';
import * as client from 'openid-client';
import { organizationLicense, startKeywayWithAdmin, type AdminKeyway } from '../support/e2e.js';
import { rsaKeyPair } from '../support/rsa-keys.js';

const REDIRECT_URI = 'http://localhost:3000/callback';

let keyway: AdminKeyway;
const api: AdminKeyway['api'] = (...args) => keyway.api(...args);

before(async () => {
  keyway = await startKeywayWithAdmin('claims');
});
after(() => keyway?.stop());

describe('custom claims reach openid-client', () => {
  test('ID token, userinfo and access token carry the mapped claims: group names and the client assertion', async () => {
    const env = (await api('POST', '/v1/environments', { name: 'Claims', region: 'NA', type: 'SANDBOX', license: await organizationLicense((path) => api('GET', path)) })).id as string;
    const schema = (await api('GET', `/v1/environments/${env}/schemas`))._embedded.schemas[0];
    await api('POST', `/v1/environments/${env}/schemas/${schema.id}/attributes`, { name: 'costCenter', type: 'STRING', enabled: true });
    const user = await api('POST', `/v1/environments/${env}/users`, { username: 'ada', email: 'ada@example.com', name: { given: 'Ada', family: 'Lovelace' }, costCenter: 'CC-42' });
    await api('PUT', `/v1/environments/${env}/users/${user.id}/password`, { value: 'Correct-Horse-9', forceChange: false }, 'application/vnd.pingidentity.password.set+json');
    const group = await api('POST', `/v1/environments/${env}/groups`, { name: 'Analysts' });
    await api('POST', `/v1/environments/${env}/users/${user.id}/memberOfGroups`, { id: group.id });
    await api('POST', `/v1/environments/${env}/groups`, { name: 'Lovelaces', userFilter: 'name.family eq "Lovelace"' });

    const { publicKey, privateKey } = rsaKeyPair();
    const jwk = publicKey.export({ format: 'jwk' }) as JWK;
    const kid = await calculateJwkThumbprint(jwk);
    const app = await api('POST', `/v1/environments/${env}/applications`, {
      name: 'Claims-Web-App', enabled: true, type: 'WEB_APP', protocol: 'OPENID_CONNECT',
      grantTypes: ['AUTHORIZATION_CODE'], responseTypes: ['CODE'], redirectUris: [REDIRECT_URI],
      pkceEnforcement: 'S256_REQUIRED', tokenEndpointAuthMethod: 'PRIVATE_KEY_JWT',
      jwks: JSON.stringify({ keys: [{ ...jwk, kid, use: 'sig', alg: 'RS256' }] }),
    });
    const mappings = `/v1/environments/${env}/applications/${app.id}/attributes`;
    await api('POST', mappings, { name: 'groups', value: '${user.memberOfGroupNames}' });
    await api('POST', mappings, { name: 'cost_center', value: '${user.costCenter}' });
    await api('POST', mappings, { name: 'greeting', value: "${'Hello, ' + user.name.given}" });
    await api('POST', mappings, { name: 'tenant', value: '${#root.context.requestData.clientAssertion.tenant}', userInfo: false });
    const resource = await api('POST', `/v1/environments/${env}/resources`, { name: 'reports', audience: 'https://reports.example' });
    const scope = await api('POST', `/v1/environments/${env}/resources/${resource.id}/scopes`, { name: 'reports:read' });
    await api('POST', `/v1/environments/${env}/applications/${app.id}/grants`, { resource: { id: resource.id }, scopes: [{ id: scope.id }] });
    await api('POST', `/v1/environments/${env}/resources/${resource.id}/attributes`, { name: 'teams', value: "${user.memberOfGroupNames.![#string.lowerCase(#this)]}" });
    await api('POST', `/v1/environments/${env}/resources/${resource.id}/attributes`, { name: 'tenant', value: '${#root.context.requestData.clientAssertion.tenant}' });

    const openid = (await api('GET', `/v1/environments/${env}/resources`))._embedded.resources.find((r: any) => r.type === 'OPENID_CONNECT');
    const profile = (await api('GET', `/v1/environments/${env}/resources/${openid.id}/scopes`))._embedded.scopes.find((s: any) => s.name === 'profile');
    const initials = await api('POST', `/v1/environments/${env}/resources/${openid.id}/attributes`, { name: 'initials', value: '${#string.substring(user.name.given, 0, 1) + #string.substring(user.name.family, 0, 1)}' });
    await api('PUT', `/v1/environments/${env}/resources/${openid.id}/scopes/${profile.id}`, { name: 'profile', mappedClaims: [initials.id] });

    const issuer = new URL(`${keyway.server.baseUrl}/${env}/as`);
    const key = await importPKCS8(privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(), 'RS256');
    const auth = client.PrivateKeyJwt({ key, kid }, { [client.modifyAssertion]: (_header, payload) => { payload.tenant = 'acme'; } });
    const config = await client.discovery(issuer, app.id, { redirect_uris: [REDIRECT_URI] }, auth, { execute: [client.allowInsecureRequests] });
    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const authorizeUrl = client.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT_URI, scope: 'openid profile reports:read',
      code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
      state, nonce, response_mode: 'pi.flow',
    });
    const flow = (await (await fetch(authorizeUrl)).json()) as { _links: Record<string, { href: string }> };
    const checked = await fetch(flow._links['usernamePassword.check']!.href, {
      method: 'POST',
      headers: { 'content-type': 'application/vnd.pingidentity.usernamePassword.check+json' },
      body: JSON.stringify({ username: 'ada', password: 'Correct-Horse-9' }),
    });
    const completed = (await checked.json()) as { resumeUrl: string };
    const resumed = (await (await fetch(completed.resumeUrl)).json()) as { authorizeResponse: Record<string, string> };
    const callback = new URL(REDIRECT_URI);
    for (const [name, value] of Object.entries(resumed.authorizeResponse)) callback.searchParams.set(name, value);

    const tokens = await client.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce });
    const idClaims = tokens.claims()!;
    assert.equal(idClaims.sub, user.id);
    assert.deepEqual([...(idClaims.groups as string[])].sort(), ['Analysts', 'Lovelaces'], 'a direct group and a dynamic one');
    assert.equal(idClaims.cost_center, 'CC-42', 'a custom schema attribute');
    assert.equal(idClaims.greeting, 'Hello, Ada');
    assert.equal(idClaims.tenant, 'acme', 'computed from the client assertion');
    assert.equal(idClaims.initials, 'AL', 'an openid resource attribute mapped to the profile scope');

    const info = await client.fetchUserInfo(config, tokens.access_token, user.id);
    assert.deepEqual([...(info.groups as string[])].sort(), ['Analysts', 'Lovelaces']);
    assert.equal(info.cost_center, 'CC-42');
    assert.equal(info.greeting, 'Hello, Ada');
    assert.equal(info.tenant, undefined, 'userInfo: false');
    assert.equal(info.initials, 'AL');

    const access = decodeJwt(tokens.access_token);
    assert.deepEqual([...(access.teams as string[])].sort(), ['analysts', 'lovelaces']);
    assert.equal(access.tenant, 'acme');
    assert.equal(access.groups, undefined, 'application mappings stay out of access tokens');
    assert.equal(access.initials, undefined, 'openid resource attributes stay out of access tokens');
  });
});
