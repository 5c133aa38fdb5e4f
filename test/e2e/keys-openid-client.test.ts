/**
 * An EC signing key through a real Keyway process, with openid-client as the relying party:
 * create an EC P-256 key with the keys API and make it the default; sign a user in (authorization
 * code + PKCE, ES256 client assertion); openid-client checks the ES256 ID token's signature
 * against the discovered JWKS (non-repudiation checks, OIDC Core §3.1.3.7), a resource server
 * checks the ES256 access token against the same JWKS (RFC 9068 §4), and Keyway's introspection
 * and userinfo accept it. Deleting the key after another becomes the default ends all of that.
 */
import { after, before, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { calculateJwkThumbprint, createRemoteJWKSet, decodeProtectedHeader, importPKCS8, jwtVerify, type JWK } from 'jose';
import * as client from 'openid-client';
import { startKeywayWithAdmin, type AdminKeyway } from '../support/e2e.js';
import { newKeyPairSync } from '../../src/keys/key-pair.js';

const REDIRECT_URI = 'http://localhost:3000/callback';

let keyway: AdminKeyway;
const api: AdminKeyway['api'] = (...args) => keyway.api(...args);

before(async () => {
  keyway = await startKeywayWithAdmin('keys');
});
after(() => keyway?.stop());

describe('an EC default key signs ES256 tokens that openid-client and a resource server verify', () => {
  test('keys API → sign-in → ES256 ID token and access token verified against the JWKS; a deleted key stops verifying', async () => {
    // The bootstrap environment, where the admin worker holds Environment Admin (keys:write).
    const env = keyway.summary.environmentId as string;
    const ecKey = await api('POST', `/v1/environments/${env}/keys`, {
      name: 'EC signing',
      algorithm: 'EC',
      keyLength: 256,
      signatureAlgorithm: 'SHA256withECDSA',
      subjectDN: 'CN=EC signing, O=Example',
      validityPeriod: 365,
      usageType: 'SIGNING',
      default: true,
    });
    const user = await api('POST', `/v1/environments/${env}/users`, { username: 'ada', email: 'ada@example.com' });
    await api('PUT', `/v1/environments/${env}/users/${user.id}/password`, { value: 'Correct-Horse-9', forceChange: false }, 'application/vnd.pingidentity.password.set+json');

    const { publicKey, privateKey } = newKeyPairSync({ type: 'ec', namedCurve: 'P-256' });
    const jwk = publicKey.export({ format: 'jwk' }) as JWK;
    const kid = await calculateJwkThumbprint(jwk);
    const app = await api('POST', `/v1/environments/${env}/applications`, {
      name: 'EC-Web-App',
      enabled: true,
      type: 'WEB_APP',
      protocol: 'OPENID_CONNECT',
      grantTypes: ['AUTHORIZATION_CODE'],
      responseTypes: ['CODE'],
      redirectUris: [REDIRECT_URI],
      pkceEnforcement: 'S256_REQUIRED',
      tokenEndpointAuthMethod: 'PRIVATE_KEY_JWT',
      jwks: JSON.stringify({ keys: [{ ...jwk, kid, use: 'sig', alg: 'ES256' }] }),
    });

    const issuer = new URL(`${keyway.server.baseUrl}/${env}/as`);
    const key = await importPKCS8(privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(), 'ES256');
    const config = await client.discovery(
      issuer,
      app.id,
      { redirect_uris: [REDIRECT_URI], id_token_signed_response_alg: 'ES256' },
      client.PrivateKeyJwt({ key, kid }),
      { execute: [client.allowInsecureRequests, client.enableNonRepudiationChecks] },
    );
    assert.deepEqual(config.serverMetadata().id_token_signing_alg_values_supported, ['ES256', 'RS256']);

    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const authorizeUrl = client.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT_URI,
      scope: 'openid email',
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
      response_mode: 'pi.flow',
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

    // openid-client verifies the ID token's ES256 signature with the JWKS (non-repudiation checks).
    const tokens = await client.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce });
    assert.equal(tokens.claims()?.sub, user.id);
    assert.deepEqual(decodeProtectedHeader(tokens.id_token!), { alg: 'ES256', kid: ecKey.id });

    // A resource server verifies the access token against the same JWKS.
    const remote = createRemoteJWKSet(new URL(`${issuer.href}/jwks`));
    const at = await jwtVerify(tokens.access_token, remote, { issuer: issuer.href, algorithms: ['ES256'] });
    assert.equal(at.protectedHeader.kid, ecKey.id);
    assert.equal(at.payload.sub, user.id);
    // Keyway's own verification accepts it: introspection and userinfo.
    assert.equal((await client.tokenIntrospection(config, tokens.access_token)).active, true);
    assert.equal((await client.fetchUserInfo(config, tokens.access_token, user.id)).email, 'ada@example.com');

    // Another key becomes the default; the EC key is deleted: its tokens stop verifying at once.
    const [rsa] = (await api('GET', `/v1/environments/${env}/keys`))._embedded.keys.filter((k: { algorithm: string }) => k.algorithm === 'RSA');
    await api('PUT', `/v1/environments/${env}/keys/${rsa.id}`, { default: true, usageType: 'SIGNING' });
    await api('DELETE', `/v1/environments/${env}/keys/${ecKey.id}`);
    assert.equal((await client.tokenIntrospection(config, tokens.access_token)).active, false);
    await assert.rejects(client.fetchUserInfo(config, tokens.access_token, user.id));
    const fresh = createRemoteJWKSet(new URL(`${issuer.href}/jwks`));
    await assert.rejects(jwtVerify(tokens.access_token, fresh, { issuer: issuer.href }));
  });
});
