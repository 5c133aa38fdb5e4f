/**
 * The testing library's own tests, written once for two runners (test/features/testing-library.test.ts
 * registers them with node:test, test/testing-library/testing-library.vitest.ts with vitest).
 * The testing library as a user's test sees it: imported as `keyway/testing`, driving a real
 * server over HTTP. Under tsx the name resolves through tsconfig.json's `paths` to src/testing;
 * the package export itself (dist/, built by `npm test`) is what the example suites import
 * (test/e2e/testing-library-runners.test.ts).
 */
import { strict as assert } from 'node:assert';
import { createPublicKey } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import { generateClientKey, OAuthResponseError, PingOneApiError, startKeyway, type Keyway } from 'keyway/testing';

/** The registration functions of the runner the cases run under. */
export interface Runner {
  describe(name: string, body: () => void): void;
  test(name: string, body: () => Promise<void>): void;
  before(body: () => Promise<void> | void): void;
  after(body: () => Promise<void> | void): void;
}

export function testingLibraryCases({ describe, test, before, after }: Runner): void {
  const REDIRECT_URI = 'http://localhost:3000/callback';
  const PASSWORD = 'Correct-Horse-9';

  let keyway: Keyway;
  let envId: string;
  let userId: string;

  before(async () => {
    keyway = await startKeyway();
    envId = (await keyway.createEnvironment({ name: 'Testing library' })).id;
    userId = (await keyway.createUser({ envId, username: 'ada', password: PASSWORD, email: 'ada@example.com' })).id;
  });
  after(() => keyway?.stop());

  /** RFC 7517 §5: the environment's keys, as a relying party reads them from the issuer's `jwks`. */
  const issuerKeys = (env: string) => createRemoteJWKSet(new URL(`${keyway.issuer(env)}/jwks`));

  /** An application granted one scope of a custom resource (what client_credentials needs to issue a token). */
  async function grantedWorker(attributes: Record<string, unknown>): Promise<{ id: string; audience: string }> {
    const app = await keyway.management('POST', `/environments/${envId}/applications`, { name: `Worker ${Math.random()}`, enabled: true, type: 'WORKER', protocol: 'OPENID_CONNECT', ...attributes });
    const audience = `https://api-${app.id}.example`;
    const resource = await keyway.management('POST', `/environments/${envId}/resources`, { name: `api-${app.id}`, audience });
    const scope = await keyway.management('POST', `/environments/${envId}/resources/${resource.id}/scopes`, { name: 'read' });
    await keyway.management('POST', `/environments/${envId}/applications/${app.id}/grants`, { resource: { id: resource.id }, scopes: [{ id: scope.id }] });
    return { id: app.id, audience };
  }

  async function secretOf(appId: string): Promise<string> {
    return (await keyway.management('GET', `/environments/${envId}/applications/${appId}/secret`)).secret;
  }

  async function webApp(attributes: Record<string, unknown> = {}): Promise<{ id: string; secret: string }> {
    const app = await keyway.management('POST', `/environments/${envId}/applications`, {
      name: `Web ${Math.random()}`, enabled: true, type: 'WEB_APP', protocol: 'OPENID_CONNECT',
      grantTypes: ['AUTHORIZATION_CODE'], responseTypes: ['CODE'], redirectUris: [REDIRECT_URI], tokenEndpointAuthMethod: 'CLIENT_SECRET_BASIC',
      ...attributes,
    });
    return { id: app.id, secret: await secretOf(app.id) };
  }

  describe('startKeyway', () => {
    test('serves the management API at {url}/v1 and the issuer at {url}/{envId}/as, named after its port', async () => {
      assert.equal(keyway.url, `http://127.0.0.1:${keyway.port}`);
      assert.equal(keyway.managementUrl, `${keyway.url}/v1`);
      assert.equal(keyway.issuer(envId), `${keyway.url}/${envId}/as`);
      // OpenID Connect Discovery 1.0 §4.3: the document's issuer is the URL it was read under.
      const discovery = (await (await fetch(`${keyway.issuer(envId)}/.well-known/openid-configuration`)).json()) as { issuer: string };
      assert.equal(discovery.issuer, keyway.issuer(envId));
    });

    test('the admin credentials get a management token, kept between calls', async () => {
      const token = await keyway.admin.token();
      assert.equal(await keyway.admin.token(), token);
      assert.equal(decodeJwt(token).iss, keyway.issuer(keyway.admin.environmentId));
      const listed = await fetch(`${keyway.managementUrl}/environments`, { headers: { authorization: `Bearer ${token}` } });
      assert.equal(listed.status, 200);
      const names = ((await listed.json()) as { _embedded: { environments: Array<{ id: string }> } })._embedded.environments.map((e) => e.id);
      assert.ok(names.includes(keyway.admin.environmentId) && names.includes(envId));
    });

    test('management() returns the parsed body and throws PingOneApiError with PingOne\'s error body', async () => {
      const environment = await keyway.management('GET', `/v1/environments/${envId}`);
      assert.equal(environment.id, envId);
      assert.equal(environment.license.id, keyway.licenseId);
      const missing = await keyway.management('GET', `/environments/${crypto.randomUUID()}`).catch((err: unknown) => err);
      assert.ok(missing instanceof PingOneApiError);
      assert.equal(missing.status, 404);
      assert.equal(missing.code, 'NOT_FOUND');
      assert.equal(typeof missing.pingOneError?.id, 'string');
    });

    test('createUser creates the user and sets its password (PingOne\'s password check accepts it)', async () => {
      const user = await keyway.management('GET', `/environments/${envId}/users/${userId}`);
      assert.equal(user.username, 'ada');
      assert.equal(user.email, 'ada@example.com');
      const checkPassword = (password: string) =>
        keyway.management('POST', `/environments/${envId}/users/${userId}/password`, { password }, { contentType: 'application/vnd.pingidentity.password.check+json' });
      await checkPassword(PASSWORD);
      await assert.rejects(checkPassword('not-the-password'), (err: unknown) => err instanceof PingOneApiError && err.status === 400);
    });

    test('options that the library sets are refused in env, naming the option', async () => {
      await assert.rejects(startKeyway({ env: { KEYWAY_PORT: '9999' } }), /KEYWAY_PORT is set by the library \(option: port\)/);
      await assert.rejects(startKeyway({ env: { KEYWAY_WORKERS: '2' } }), /KEYWAY_WORKERS is set by the library \(option: none: one server, in the test process\)/);
      await assert.rejects(startKeyway({ env: { KEYWAY_KEY_THREADS: '2' } }), /KEYWAY_KEY_THREADS is set by the library/);
      await assert.rejects(startKeyway({ env: { NODE_ENV: 'test' } }), /KEYWAY_\* settings only/);
      await assert.rejects(startKeyway({ masterKey: Buffer.alloc(16) }), /masterKey must be 32 bytes/);
    });
  });

  describe('clientCredentialsToken (RFC 6749 §4.4)', () => {
    test('with a secret (HTTP Basic, §2.3.1): a token the issuer\'s JWKS verifies, for the granted resource', async () => {
      const worker = await grantedWorker({ tokenEndpointAuthMethod: 'CLIENT_SECRET_BASIC' });
      const tokens = await keyway.clientCredentialsToken({ envId, clientId: worker.id, clientSecret: await secretOf(worker.id) });
      assert.equal(tokens.token_type, 'Bearer');
      const { payload } = await jwtVerify(tokens.access_token, issuerKeys(envId), { issuer: keyway.issuer(envId), audience: worker.audience });
      assert.equal(payload.client_id, worker.id);
      assert.equal(payload.scope, 'read');
    });

    test('with the secret in the form (CLIENT_SECRET_POST)', async () => {
      const worker = await grantedWorker({ tokenEndpointAuthMethod: 'CLIENT_SECRET_POST' });
      const tokens = await keyway.clientCredentialsToken({ envId, clientId: worker.id, clientSecret: await secretOf(worker.id), authMethod: 'CLIENT_SECRET_POST', scope: 'read' });
      await jwtVerify(tokens.access_token, issuerKeys(envId), { issuer: keyway.issuer(envId), audience: worker.audience });
    });

    test('with a key (private_key_jwt, RFC 7523 §2.2): a token the issuer\'s JWKS verifies', async () => {
      const key = await generateClientKey('RS256');
      const worker = await grantedWorker({ tokenEndpointAuthMethod: 'PRIVATE_KEY_JWT', jwks: key.jwks });
      const tokens = await keyway.clientCredentialsToken({ envId, clientId: worker.id, key: key.privateKey });
      const { payload } = await jwtVerify(tokens.access_token, issuerKeys(envId), { issuer: keyway.issuer(envId), audience: worker.audience });
      assert.equal(payload.client_id, worker.id);
    });

    test('RFC 6749 §5.2: a wrong secret rejects with OAuthResponseError invalid_client', async () => {
      const worker = await grantedWorker({ tokenEndpointAuthMethod: 'CLIENT_SECRET_BASIC' });
      const failed = await keyway.clientCredentialsToken({ envId, clientId: worker.id, clientSecret: 'x'.repeat(64) }).catch((err: unknown) => err);
      assert.ok(failed instanceof OAuthResponseError);
      assert.equal(failed.status, 401);
      assert.equal(failed.error, 'invalid_client');
    });
  });

  describe('clientAssertion (RFC 7523 §3)', () => {
    test('iss = sub = the client id, aud = the issuer, a jti and a short exp, signed with the key and its thumbprint kid', async () => {
      const key = await generateClientKey('ES256');
      const assertion = await keyway.clientAssertion({ envId, clientId: 'client-1', key: key.privateKey });
      assert.deepEqual(decodeProtectedHeader(assertion), { alg: 'ES256', kid: key.kid, typ: 'JWT' });
      const { payload } = await jwtVerify(assertion, createPublicKey(key.privateKey));
      assert.equal(payload.iss, 'client-1');
      assert.equal(payload.sub, 'client-1');
      assert.equal(payload.aud, keyway.issuer(envId));
      assert.equal(typeof payload.jti, 'string');
      assert.equal((payload.exp ?? 0) - (payload.iat ?? 0), 60);
    });

    test('takes PEM text and a private JWK (whose kid it keeps), and an explicit audience', async () => {
      const key = await generateClientKey('EdDSA');
      const pem = key.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
      assert.equal(decodeProtectedHeader(await keyway.clientAssertion({ envId, clientId: 'c', key: pem })).kid, key.kid);
      const jwk = { ...key.privateKey.export({ format: 'jwk' }), kid: 'my-key' };
      const assertion = await keyway.clientAssertion({ envId, clientId: 'c', key: jwk, audience: `${keyway.issuer(envId)}/token` });
      assert.deepEqual(decodeProtectedHeader(assertion), { alg: 'EdDSA', kid: 'my-key', typ: 'JWT' });
      assert.equal(decodeJwt(assertion).aud, `${keyway.issuer(envId)}/token`);
      await assert.rejects(keyway.clientAssertion({ envId, clientId: 'c', key: key.privateKey, alg: 'RS256' }), /RS256 needs an RSA key/);
    });

    test('the assertion authenticates the application at the token endpoint', async () => {
      const key = await generateClientKey();
      const worker = await grantedWorker({ tokenEndpointAuthMethod: 'PRIVATE_KEY_JWT', jwks: key.jwks });
      const response = await fetch(`${keyway.issuer(envId)}/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
          client_assertion: await keyway.clientAssertion({ envId, clientId: worker.id, key: key.privateKey }),
        }),
      });
      assert.equal(response.status, 200);
    });
  });

  describe('signIn through the flow API (authorization code, RFC 6749 §4.1)', () => {
    test('a confidential web app: an ID token for the user that the issuer\'s JWKS verifies (OpenID Connect Core §3.1.3.7)', async () => {
      const app = await webApp({ pkceEnforcement: 'S256_REQUIRED' });
      const tokens = await keyway.signIn({ envId, clientId: app.id, clientSecret: app.secret, redirectUri: REDIRECT_URI, username: 'ada', password: PASSWORD, scope: 'openid email', nonce: 'n-0S6_WzA2Mj' });
      assert.ok(tokens.id_token);
      const { payload } = await jwtVerify(tokens.id_token, issuerKeys(envId), { issuer: keyway.issuer(envId), audience: app.id });
      assert.equal(payload.sub, userId);
      assert.equal(payload.nonce, 'n-0S6_WzA2Mj');
      assert.equal(payload.email, 'ada@example.com');
      assert.equal(decodeJwt(tokens.access_token).sub, userId);
    });

    test('a public single-page app (NONE, PKCE S256) and a private_key_jwt app (PS256: the generated key keeps its alg)', async () => {
      const spa = await keyway.management('POST', `/environments/${envId}/applications`, {
        name: 'SPA', enabled: true, type: 'SINGLE_PAGE_APP', protocol: 'OPENID_CONNECT', grantTypes: ['AUTHORIZATION_CODE'], responseTypes: ['CODE'],
        redirectUris: [REDIRECT_URI], tokenEndpointAuthMethod: 'NONE', pkceEnforcement: 'S256_REQUIRED',
      });
      const fromSpa = await keyway.signIn({ envId, clientId: spa.id, redirectUri: REDIRECT_URI, username: 'ada', password: PASSWORD });
      assert.equal(decodeJwt(fromSpa.id_token ?? '').sub, userId);

      const key = await generateClientKey('PS256');
      const jwtApp = await webApp({ tokenEndpointAuthMethod: 'PRIVATE_KEY_JWT', jwks: key.jwks });
      const fromJwtApp = await keyway.signIn({ envId, clientId: jwtApp.id, key, redirectUri: REDIRECT_URI, username: 'ada', password: PASSWORD });
      assert.equal(decodeJwt(fromJwtApp.id_token ?? '').aud, jwtApp.id);
    });

    test('RFC 9126: par pushes the request first, which parRequirement REQUIRED demands', async () => {
      const app = await webApp({ parRequirement: 'REQUIRED' });
      const direct = await keyway.signIn({ envId, clientId: app.id, clientSecret: app.secret, redirectUri: REDIRECT_URI, username: 'ada', password: PASSWORD }).catch((err: unknown) => err);
      assert.ok(direct instanceof OAuthResponseError);
      assert.equal(direct.error, 'invalid_request');
      const pushed = await keyway.signIn({ envId, clientId: app.id, clientSecret: app.secret, redirectUri: REDIRECT_URI, username: 'ada', password: PASSWORD, par: true });
      assert.equal(decodeJwt(pushed.id_token ?? '').sub, userId);
    });

    test('a wrong password rejects with PingOneApiError 400 INVALID_DATA from the flow API', async () => {
      const app = await webApp();
      const failed = await keyway.signIn({ envId, clientId: app.id, clientSecret: app.secret, redirectUri: REDIRECT_URI, username: 'ada', password: 'wrong-password' }).catch((err: unknown) => err);
      assert.ok(failed instanceof PingOneApiError);
      assert.equal(failed.status, 400);
      assert.equal(failed.code, 'INVALID_DATA');
    });
  });

  describe('stop', () => {
    test('frees the port and removes nothing twice: stop() again and Symbol.asyncDispose resolve', async () => {
      const started = await startKeyway();
      assert.equal((await fetch(`${started.url}/health/live`)).status, 200);
      await started.stop();
      await started.stop();
      await started[Symbol.asyncDispose]();
      assert.equal(await refused(started.port), true, 'nothing answers on the port');
      await listenOnce(started.port);
    });

    test('a fixed port that is taken rejects the start with EADDRINUSE (no retry on another port)', async () => {
      const holder = createServer();
      await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
      const taken = (holder.address() as { port: number }).port;
      try {
        await assert.rejects(startKeyway({ port: taken }), (err: NodeJS.ErrnoException) => err.code === 'EADDRINUSE');
      } finally {
        await new Promise((resolve) => holder.close(resolve));
      }
    });

    test('`await using` stops it at the end of the block', async () => {
      let port = 0;
      {
        await using scoped = await startKeyway();
        port = scoped.port;
        assert.equal(await refused(port), false);
      }
      assert.equal(await refused(port), true);
    });

    test('starts and stops three times in a row, each stop freeing its port (the times are printed; npm run bench measures them)', async () => {
      const figures: number[] = [];
      for (let i = 0; i < 3; i++) {
        const begin = performance.now();
        const run = await startKeyway();
        await run.stop();
        figures.push(Math.round(performance.now() - begin));
        assert.equal(await refused(run.port), true, `run ${i + 1} freed its port`);
      }
      console.log(`# testing library start + stop: ${figures.join(' ms, ')} ms`);
    });
  });

  /** True when a TCP connection to the port is refused (nothing listens). */
  function refused(port: number): Promise<boolean> {
    return new Promise((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(false);
      });
      socket.once('error', () => resolve(true));
    });
  }

  function listenOnce(port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const server = createServer();
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => server.close(() => resolve()));
    });
  }

  describe('configuration (README, "Declarative configuration")', () => {
    const ENV = '7a2e0c41-0000-4000-8000-000000000001';
    const APP = '7a2e0c41-0000-4000-8000-0000000000e1';
    const USER = '7a2e0c41-0000-4000-8000-0000000000c1';
    const WEB = '7a2e0c41-0000-4000-8000-0000000000f1';

    test('a document given as configuration is applied before startKeyway resolves: its ids, key and user work at once', async () => {
      const key = await generateClientKey('ES256');
      const document = {
        environments: [
          {
            id: ENV, name: 'Configured', type: 'SANDBOX', region: 'NA',
            users: [{ id: USER, username: 'grace', email: 'grace@example.com', password: PASSWORD }],
            resources: [{ name: 'Inventory', audience: 'https://inventory.example', scopes: [{ name: 'inventory:read' }] }],
            applications: [
              {
                id: APP, name: 'Inventory worker', type: 'WORKER', protocol: 'OPENID_CONNECT', enabled: true,
                tokenEndpointAuthMethod: 'PRIVATE_KEY_JWT', jwks: key.jwks,
                grants: [{ resource: { name: 'Inventory' }, scopes: [{ name: 'inventory:read' }] }],
              },
              {
                id: WEB, name: 'Inventory web', type: 'WEB_APP', protocol: 'OPENID_CONNECT', enabled: true,
                grantTypes: ['AUTHORIZATION_CODE'], responseTypes: ['CODE'], redirectUris: [REDIRECT_URI],
                tokenEndpointAuthMethod: 'CLIENT_SECRET_BASIC', secret: 'a-fixed-secret-of-forty-characters-0123456',
                grants: [{ resource: { name: 'openid' }, scopes: [{ name: 'openid' }] }],
              },
            ],
          },
        ],
      };
      const configured = await startKeyway({ configuration: document });
      try {
        const tokens = await configured.clientCredentialsToken({ envId: ENV, clientId: APP, key });
        const keys = createRemoteJWKSet(new URL(`${configured.issuer(ENV)}/jwks`));
        const { payload } = await jwtVerify(tokens.access_token, keys, { issuer: configured.issuer(ENV), audience: 'https://inventory.example' });
        assert.equal(payload.client_id, APP);
        assert.equal(payload.scope, 'inventory:read');
        const signedIn = await configured.signIn({ envId: ENV, clientId: WEB, clientSecret: 'a-fixed-secret-of-forty-characters-0123456', redirectUri: REDIRECT_URI, username: 'grace', password: PASSWORD });
        assert.equal(decodeJwt(signedIn.id_token ?? '').sub, USER);
      } finally {
        await configured.stop();
      }
    });

    test('a configuration file path is read as keyway apply reads it, ${VAR} from the environment', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'keyway-testing-config-'));
      const file = join(dir, 'seed.yaml');
      writeFileSync(file, [
        'environments:',
        `  - id: ${ENV}`,
        '    name: From a file',
        '    type: SANDBOX',
        '    region: NA',
        '    users:',
        `      - { id: ${USER}, username: grace, email: grace@example.com, password: "\${KEYWAY_TESTING_CASES_PASSWORD}" }`,
        '',
      ].join('\n'));
      process.env.KEYWAY_TESTING_CASES_PASSWORD = PASSWORD;
      const configured = await startKeyway({ configuration: file });
      try {
        const user = await configured.management('GET', `/environments/${ENV}/users/${USER}`);
        assert.equal(user.username, 'grace');
        const admin = await configured.management('POST', `/environments/${ENV}/applications`, {
          name: 'Web', enabled: true, type: 'WEB_APP', protocol: 'OPENID_CONNECT', grantTypes: ['AUTHORIZATION_CODE'], responseTypes: ['CODE'], redirectUris: [REDIRECT_URI], tokenEndpointAuthMethod: 'CLIENT_SECRET_BASIC',
        });
        const secret = (await configured.management('GET', `/environments/${ENV}/applications/${admin.id}/secret`)).secret as string;
        const openid = (await configured.management('GET', `/environments/${ENV}/resources`))._embedded.resources.find((r: { name: string }) => r.name === 'openid');
        const scope = (await configured.management('GET', `/environments/${ENV}/resources/${openid.id}/scopes`))._embedded.scopes.find((x: { name: string }) => x.name === 'openid');
        await configured.management('POST', `/environments/${ENV}/applications/${admin.id}/grants`, { resource: { id: openid.id }, scopes: [{ id: scope.id }] });
        const signedIn = await configured.signIn({ envId: ENV, clientId: admin.id, clientSecret: secret, redirectUri: REDIRECT_URI, username: 'grace', password: PASSWORD });
        assert.equal(decodeJwt(signedIn.id_token ?? '').sub, USER, 'the password came from the variable');
      } finally {
        delete process.env.KEYWAY_TESTING_CASES_PASSWORD;
        await configured.stop();
        rmSync(dir, { recursive: true, force: true });
      }
    });

    test('an invalid document rejects the start with the error naming the field', async () => {
      await assert.rejects(
        startKeyway({ configuration: { environments: [{ name: 'Broken', type: 'SANDBOX', region: 'NA', applications: [{ name: 'x', type: 'NOT_A_TYPE', protocol: 'OPENID_CONNECT' }] }] } }),
        (err: Error) => /\/environments\/0\/applications\/0\/type/.test(err.message),
      );
    });
  });
}
