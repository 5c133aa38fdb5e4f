/**
 * PingOne's redirectless workflow against a real Keyway process, with openid-client as the
 * application: authorization code + PKCE (S256) + PrivateKeyJwt, signed in through the flow API
 * (`response_mode=pi.flow`, `usernamePassword.check`, resume), then a refresh.
 */
import { after, before, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { calculateJwkThumbprint, importPKCS8, type JWK } from 'jose';
import * as client from 'openid-client';
import { organizationLicense, startKeywayWithAdmin, type AdminKeyway } from '../support/e2e.js';
import { rsaKeyPair } from '../support/rsa-keys.js';

const REDIRECT_URI = 'http://localhost:3000/callback';

let keyway: AdminKeyway;
const api: AdminKeyway['api'] = (...args) => keyway.api(...args);

before(async () => {
  keyway = await startKeywayWithAdmin('sign-in');
});
after(() => keyway?.stop());

describe('the seed application signs a user in through the flow API (openid-client)', () => {
  test('authorize (pi.flow) → usernamePassword.check → resume → code → tokens → refresh', async () => {
    const env = (await api('POST', '/v1/environments', { name: 'Sign-in', region: 'NA', type: 'SANDBOX', license: await organizationLicense((path) => api('GET', path)) })).id as string;
    const user = await api('POST', `/v1/environments/${env}/users`, { username: 'ada', email: 'ada@example.com', name: { given: 'Ada', family: 'Lovelace' } });
    await api('PUT', `/v1/environments/${env}/users/${user.id}/password`, { value: 'Correct-Horse-9', forceChange: false }, 'application/vnd.pingidentity.password.set+json');

    const { publicKey, privateKey } = rsaKeyPair();
    const jwk = publicKey.export({ format: 'jwk' }) as JWK;
    const kid = await calculateJwkThumbprint(jwk);
    const app = await api('POST', `/v1/environments/${env}/applications`, {
      name: 'Shared-Web-App',
      enabled: true,
      type: 'WEB_APP',
      protocol: 'OPENID_CONNECT',
      grantTypes: ['AUTHORIZATION_CODE', 'REFRESH_TOKEN'],
      responseTypes: ['CODE'],
      redirectUris: [REDIRECT_URI],
      pkceEnforcement: 'S256_REQUIRED',
      tokenEndpointAuthMethod: 'PRIVATE_KEY_JWT',
      jwks: JSON.stringify({ keys: [{ ...jwk, kid, use: 'sig', alg: 'RS256' }] }),
    });

    const issuer = new URL(`${keyway.server.baseUrl}/${env}/as`);
    const key = await importPKCS8(privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(), 'RS256');
    const config = await client.discovery(issuer, app.id, { redirect_uris: [REDIRECT_URI] }, client.PrivateKeyJwt({ key, kid }), {
      execute: [client.allowInsecureRequests],
    });
    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const authorizeUrl = client.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT_URI,
      scope: 'openid profile email offline_access',
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
      response_mode: 'pi.flow',
    });

    // Step 1: the authorization request answers with a flow instead of redirects.
    const flow = (await (await fetch(authorizeUrl)).json()) as { id: string; status: string; resumeUrl?: string; _links: Record<string, { href: string }> };
    assert.equal(flow.status, 'USERNAME_PASSWORD_REQUIRED');
    // Step 2: check the username and password.
    const checked = await fetch(flow._links['usernamePassword.check']!.href, {
      method: 'POST',
      headers: { 'content-type': 'application/vnd.pingidentity.usernamePassword.check+json' },
      body: JSON.stringify({ username: 'ada', password: 'Correct-Horse-9' }),
    });
    const completed = (await checked.json()) as { status: string; resumeUrl: string };
    assert.equal(completed.status, 'COMPLETED');
    // Step 3: resume answers with the authorization code.
    const resumed = (await (await fetch(completed.resumeUrl)).json()) as { authorizeResponse: Record<string, string> };
    assert.equal(resumed.authorizeResponse.state, state);

    // Step 4-5: the code exchange with a client assertion, by openid-client. The callback carries
    // authorizeResponse exactly as Keyway sent it: discovery advertises
    // authorization_response_iss_parameter_supported, so openid-client (oauth4webapi's
    // validateAuthResponse) requires its iss (RFC 9207 §2.4).
    const callback = new URL(REDIRECT_URI);
    for (const [name, value] of Object.entries(resumed.authorizeResponse)) callback.searchParams.set(name, value);
    const tokens = await client.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce });
    const claims = tokens.claims();
    assert.equal(claims?.sub, user.id);
    assert.equal(claims?.nonce, nonce);
    assert.equal(claims?.email, 'ada@example.com');
    assert.ok(tokens.refresh_token, 'offline_access with REFRESH_TOKEN gives a refresh token');

    const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token!);
    assert.ok(refreshed.access_token);
    assert.notEqual(refreshed.refresh_token, tokens.refresh_token, 'refresh tokens rotate');

    // The code is single use: a second exchange fails.
    await assert.rejects(client.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce }));
    // The rotated-away refresh token is refused (reuse detection).
    await assert.rejects(client.refreshTokenGrant(config, tokens.refresh_token!));
  });
});
