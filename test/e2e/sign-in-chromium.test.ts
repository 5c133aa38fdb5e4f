/**
 * A real browser (Debian's chromium, driven by playwright-core) signs in on the hosted sign-on
 * page and lands on the application's redirect URI with a code, which the application exchanges
 * (OpenID Connect Core §3.1.2.5, RFC 6749 §4.1.2).
 */
import { after, before, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { organizationLicense } from '../support/e2e.js';
import { freePort, startProcess, type RunningServer } from '../support/process.js';

const CHROMIUM = process.env.KEYWAY_CHROMIUM ?? '/usr/bin/chromium';
const PINS = {
  KEYWAY_BOOTSTRAP_ENVIRONMENT_ID: '3c4d5e6f-7a8b-4c3d-8e4f-5a6b7c8d9e0f',
  KEYWAY_BOOTSTRAP_CLIENT_ID: '4d5e6f7a-8b9c-4d4e-9f5a-6b7c8d9e0f1a',
  KEYWAY_BOOTSTRAP_CLIENT_SECRET: 'chromium-e2e-secret-0123456789abcdef0123',
};

let server: RunningServer;
let dataDir: string;
let browser: Browser | undefined;
let callbackServer: Server;
let callbackPort: number;
const callbacks: URL[] = [];

async function api(token: string, method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<any> {
  const res = await fetch(`${server.baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': contentType }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text === '' ? undefined : JSON.parse(text);
}

before(async () => {
  if (!existsSync(CHROMIUM)) {
    if (process.env.CI) throw new Error(`${CHROMIUM} is missing; .ci/run installs Debian's chromium`);
    return;
  }
  dataDir = mkdtempSync(join(tmpdir(), 'keyway-chromium-'));
  server = await startProcess((port) => ({ KEYWAY_DATA_DIR: dataDir, KEYWAY_PUBLIC_URL: `http://127.0.0.1:${port}`, ...PINS }));
  callbackPort = await freePort();
  callbackServer = createServer((req, res) => {
    callbacks.push(new URL(req.url ?? '/', `http://127.0.0.1:${callbackPort}`));
    res.writeHead(200, { 'content-type': 'text/plain' }).end('signed in');
  });
  await new Promise<void>((resolve) => callbackServer.listen(callbackPort, '127.0.0.1', resolve));
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  await browser?.close();
  await new Promise((resolve) => (callbackServer ? callbackServer.close(resolve) : resolve(undefined)));
  await server?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** A management token for the pinned admin application. */
async function adminToken(): Promise<string> {
  const basic = Buffer.from(`${PINS.KEYWAY_BOOTSTRAP_CLIENT_ID}:${PINS.KEYWAY_BOOTSTRAP_CLIENT_SECRET}`).toString('base64');
  const res = await fetch(`${server.baseUrl}/${PINS.KEYWAY_BOOTSTRAP_ENVIRONMENT_ID}/as/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials',
  });
  return ((await res.json()) as { access_token: string }).access_token;
}

/** An environment with the user grace (password set) and the application `body`; returns their ids. */
async function environmentWithUser(admin: string, name: string, body: Record<string, unknown>): Promise<{ env: string; userId: string; appId: string }> {
  const env = (await api(admin, 'POST', '/v1/environments', { name, region: 'NA', type: 'SANDBOX', license: await organizationLicense((path) => api(admin, 'GET', path)) })).id as string;
  const user = await api(admin, 'POST', `/v1/environments/${env}/users`, { username: 'grace', email: 'grace@example.com' });
  await api(admin, 'PUT', `/v1/environments/${env}/users/${user.id}/password`, { value: 'Hopper-Cobol-1959', forceChange: false }, 'application/vnd.pingidentity.password.set+json');
  const app = await api(admin, 'POST', `/v1/environments/${env}/applications`, body);
  return { env, userId: user.id as string, appId: app.id as string };
}

/**
 * Opens the authorization request in a new page, signs grace in on the hosted page and waits for
 * the redirect to `redirectUri`; returns the page (left on the callback origin) and where it landed.
 */
async function signInInBrowser(env: string, params: Record<string, string>, redirectUri: string) {
  const authorize = new URL(`${server.baseUrl}/${env}/as/authorize`);
  for (const [k, v] of Object.entries(params)) authorize.searchParams.set(k, v);
  const page = await browser!.newPage();
  await page.goto(authorize.href);
  await page.getByLabel(/user ?name/i).fill('grace');
  await page.getByLabel(/password/i).fill('Hopper-Cobol-1959');
  await Promise.all([page.waitForURL((url) => url.href.startsWith(redirectUri)), page.getByRole('button', { name: /sign on|sign in/i }).click()]);
  return { page, landed: new URL(page.url()) };
}

function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

const skip = !existsSync(CHROMIUM) && !process.env.CI;

describe('hosted sign-on in a real browser', () => {
  test('sign in on the hosted page, land on the redirect URI with a code, exchange it', { skip }, async () => {
    const admin = await adminToken();
    const redirectUri = `http://127.0.0.1:${callbackPort}/callback`;
    const { env, userId, appId } = await environmentWithUser(admin, 'Browser', {
      name: 'Browser-App',
      enabled: true,
      type: 'WEB_APP',
      protocol: 'OPENID_CONNECT',
      grantTypes: ['AUTHORIZATION_CODE'],
      responseTypes: ['CODE'],
      redirectUris: [redirectUri],
      tokenEndpointAuthMethod: 'CLIENT_SECRET_BASIC',
    });
    const secret = (await api(admin, 'GET', `/v1/environments/${env}/applications/${appId}/secret`)).secret as string;
    const { verifier, challenge } = pkcePair();
    const state = randomBytes(16).toString('base64url');
    const params = { client_id: appId, redirect_uri: redirectUri, response_type: 'code', scope: 'openid profile', state, code_challenge: challenge, code_challenge_method: 'S256' };
    const { page, landed } = await signInInBrowser(env, params, redirectUri);
    await page.close();
    assert.equal(landed.searchParams.get('state'), state);
    assert.equal(landed.searchParams.get('iss'), `${server.baseUrl}/${env}/as`);
    const code = landed.searchParams.get('code');
    assert.ok(code, 'the redirect carries a code');

    const exchange = await fetch(`${server.baseUrl}/${env}/as/token`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${appId}:${secret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: verifier }).toString(),
    });
    assert.equal(exchange.status, 200);
    const tokens = (await exchange.json()) as { id_token?: string; access_token: string };
    assert.ok(tokens.id_token);
    const idClaims = JSON.parse(Buffer.from(tokens.id_token.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
    assert.equal(idClaims.sub, userId);
    assert.ok(idClaims.aud === appId || (Array.isArray(idClaims.aud) && idClaims.aud.includes(appId)));
  });

  test('a single-page application on another origin exchanges its code and calls userinfo with fetch (CORS), never with cookies', { skip }, async () => {
    const admin = await adminToken();
    const redirectUri = `http://127.0.0.1:${callbackPort}/spa`;
    const { env, userId, appId } = await environmentWithUser(admin, 'Browser SPA', {
      name: 'Browser-SPA',
      enabled: true,
      type: 'SINGLE_PAGE_APP',
      protocol: 'OPENID_CONNECT',
      grantTypes: ['AUTHORIZATION_CODE'],
      responseTypes: ['CODE'],
      redirectUris: [redirectUri],
      tokenEndpointAuthMethod: 'NONE',
    });
    const { verifier, challenge } = pkcePair();
    const params = { client_id: appId, redirect_uri: redirectUri, response_type: 'code', scope: 'openid profile', state: 's', code_challenge: challenge, code_challenge_method: 'S256' };
    const { page, landed } = await signInInBrowser(env, params, redirectUri);
    try {
      const code = landed.searchParams.get('code');
      assert.ok(code);
      assert.notEqual(new URL(redirectUri).origin, new URL(server.baseUrl).origin, 'the page runs on another origin than Keyway');
      // In the page, as the application's own script would: a form POST (no preflight), then a
      // Bearer GET (preflighted), then the same POST with credentials, which CORS must refuse.
      const results = await page.evaluate(
        async ({ issuer, body }) => {
          const token = await fetch(`${issuer}/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
          const tokens = (await token.json()) as { access_token: string };
          const info = await fetch(`${issuer}/userinfo`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
          const userinfo = (await info.json()) as { sub: string };
          let credentialed: string;
          try {
            await fetch(`${issuer}/token`, { method: 'POST', credentials: 'include', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
            credentialed = 'readable';
          } catch (err) {
            credentialed = `refused: ${String(err)}`;
          }
          return { tokenStatus: token.status, hasAccessToken: typeof tokens.access_token === 'string', userinfoStatus: info.status, sub: userinfo.sub, credentialed };
        },
        { issuer: `${server.baseUrl}/${env}/as`, body: new URLSearchParams({ grant_type: 'authorization_code', client_id: appId, code, redirect_uri: redirectUri, code_verifier: verifier }).toString() },
      );
      assert.equal(results.tokenStatus, 200);
      assert.equal(results.hasAccessToken, true);
      assert.equal(results.userinfoStatus, 200);
      assert.equal(results.sub, userId);
      assert.match(results.credentialed, /^refused/, 'Access-Control-Allow-Origin: * never admits a credentialed request');
    } finally {
      await page.close();
    }
  });
  test("pi.flow from the application's own origin (corsSettings): authorize, flow API, resume and token with fetch; another origin is refused", { skip }, async () => {
    const admin = await adminToken();
    const spaOrigin = `http://127.0.0.1:${callbackPort}`;
    const redirectUri = `${spaOrigin}/pi`;
    const { env, appId } = await environmentWithUser(admin, 'Browser pi.flow', {
      name: 'Browser-PiFlow',
      enabled: true,
      type: 'SINGLE_PAGE_APP',
      protocol: 'OPENID_CONNECT',
      grantTypes: ['AUTHORIZATION_CODE'],
      responseTypes: ['CODE'],
      redirectUris: [redirectUri],
      tokenEndpointAuthMethod: 'NONE',
      corsSettings: { behavior: 'ALLOW_SPECIFIC_ORIGINS', origins: [spaOrigin] },
    });
    const { verifier, challenge } = pkcePair();
    const authorize = `${server.baseUrl}/${env}/as/authorize?${new URLSearchParams({ client_id: appId, redirect_uri: redirectUri, response_type: 'code', scope: 'openid', response_mode: 'pi.flow', code_challenge: challenge, code_challenge_method: 'S256' })}`;
    const script = async ({ authorize, issuer, clientId, redirectUri, verifier }: { authorize: string; issuer: string; clientId: string; redirectUri: string; verifier: string }) => {
      // Each step names itself in a failure (a bare "Failed to fetch" says nothing of which).
      const flow = (await fetch(authorize, { credentials: 'include' }).then((r) => r.json(), (err) => Promise.reject(new Error(`authorize: ${err}`)))) as { id: string };
      const checked = await fetch(`${issuer.replace(/\/as$/, '')}/flows/${flow.id}`, {
        method: 'POST',
        credentials: 'include',
        headers: { 'content-type': 'application/vnd.pingidentity.usernamePassword.check+json' },
        body: JSON.stringify({ username: 'grace', password: 'Hopper-Cobol-1959' }),
      }).catch((err) => Promise.reject(new Error(`flow API: ${err}`)));
      const completed = (await checked.json()) as { status: string; resumeUrl: string };
      const resumed = (await fetch(completed.resumeUrl, { credentials: 'include' }).then((r) => r.json(), (err) => Promise.reject(new Error(`resume: ${err}`)))) as { authorizeResponse: { code: string } };
      const body = new URLSearchParams({ grant_type: 'authorization_code', client_id: clientId, code: resumed.authorizeResponse.code, redirect_uri: redirectUri, code_verifier: verifier });
      const token = await fetch(`${issuer}/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: body.toString() }).catch((err) => Promise.reject(new Error(`token: ${err}`)));
      return { status: completed.status, tokenStatus: token.status, hasIdToken: typeof ((await token.json()) as { id_token?: string }).id_token === 'string' };
    };
    const args = { authorize, issuer: `${server.baseUrl}/${env}/as`, clientId: appId, redirectUri, verifier };

    const page = await browser!.newPage();
    try {
      await page.goto(`${spaOrigin}/app`);
      assert.deepEqual(await page.evaluate(script, args), { status: 'COMPLETED', tokenStatus: 200, hasIdToken: true });
    } finally {
      await page.close();
    }

    // A page of an origin the application does not list cannot read the authorize answer.
    const strangerPort = await freePort();
    const stranger = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('elsewhere'));
    await new Promise<void>((resolve) => stranger.listen(strangerPort, '127.0.0.1', resolve));
    const other = await browser!.newPage();
    try {
      await other.goto(`http://127.0.0.1:${strangerPort}/`);
      const outcome = await other.evaluate(async (url) => {
        try {
          await fetch(url, { credentials: 'include' });
          return 'readable';
        } catch (err) {
          return `refused: ${String(err)}`;
        }
      }, authorize);
      assert.match(outcome, /^refused/);
    } finally {
      await other.close();
      await new Promise((resolve) => stranger.close(resolve));
    }
  });
});
