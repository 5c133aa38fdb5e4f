/**
 * PingOne's browser OIDC SDK (@pingidentity-developers-experience/ping-oidc-client-sdk), which
 * takes only https issuers, signs a user in against Keyway over HTTPS (KEYWAY_TLS=self-signed) in
 * Debian's chromium, with its standard discovery-based initialisation
 * (`OidcClient.initializeFromOpenIdConfig`): discovery, authorization code with PKCE through the
 * hosted sign-on page, the code exchanged at the token endpoint and userinfo, all from a page on
 * another origin (CORS). Then a cross-site `pi.flow` page keeps and sends back the session cookie
 * (SameSite=None; Secure; Partitioned) where the application's corsSettings allow its origin.
 *
 * Chromium trusts exactly the server certificate, pinned by its SPKI hash
 * (--ignore-certificate-errors-spki-list), not every certificate. The test page and the SDK's
 * bundle are served over HTTPS by a small static server in this file, with the same certificate.
 */
import { after, before, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { createHash, createPublicKey } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { Agent, fetch as undiciFetch } from 'undici';
import { organizationLicense } from '../support/e2e.js';
import { freePort, startProcess, type RunningServer } from '../support/process.js';

const CHROMIUM = process.env.KEYWAY_CHROMIUM ?? '/usr/bin/chromium';
const skip = !existsSync(CHROMIUM) && !process.env.CI;
const PINS = {
  KEYWAY_BOOTSTRAP_ENVIRONMENT_ID: '9a0b1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d',
  KEYWAY_BOOTSTRAP_CLIENT_ID: '0b1c2d3e-4f5a-4b6c-9d7e-8f9a0b1c2d3e',
  KEYWAY_BOOTSTRAP_CLIENT_SECRET: 'ping-sdk-e2e-secret-0123456789abcdef0123',
};
const PASSWORD = 'Hopper-Cobol-1959';
const SDK_BUNDLE = createRequire(import.meta.url).resolve('@pingidentity-developers-experience/ping-oidc-client-sdk');

let keyway: RunningServer;
let dataDir: string;
let keywayUrl: string;
let fetchWithCa: (url: string, init?: Parameters<typeof undiciFetch>[1]) => ReturnType<typeof undiciFetch>;
let browser: Browser | undefined;
let pages: Server;
let pagesOrigin: string;
/** What the page of the test application is told: its issuer and client id. */
const pageConfig = { issuer: '', clientId: '', redirectUri: '' };

async function api(token: string, method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<any> {
  const res = await fetchWithCa(`${keywayUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': contentType }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text === '' ? undefined : JSON.parse(text);
}

async function adminToken(): Promise<string> {
  const basic = Buffer.from(`${PINS.KEYWAY_BOOTSTRAP_CLIENT_ID}:${PINS.KEYWAY_BOOTSTRAP_CLIENT_SECRET}`).toString('base64');
  const res = await fetchWithCa(`${keywayUrl}/${PINS.KEYWAY_BOOTSTRAP_ENVIRONMENT_ID}/as/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials',
  });
  return ((await res.json()) as { access_token: string }).access_token;
}

/** An environment with the user grace and the application `body`. */
async function environmentWithUser(admin: string, name: string, body: Record<string, unknown>): Promise<{ env: string; userId: string; appId: string }> {
  const env = (await api(admin, 'POST', '/v1/environments', { name, region: 'NA', type: 'SANDBOX', license: await organizationLicense((path) => api(admin, 'GET', path)) })).id as string;
  const user = await api(admin, 'POST', `/v1/environments/${env}/users`, { username: 'grace', email: 'grace@example.com', name: { given: 'Grace', family: 'Hopper' } });
  await api(admin, 'PUT', `/v1/environments/${env}/users/${user.id}/password`, { value: PASSWORD, forceChange: false }, 'application/vnd.pingidentity.password.set+json');
  const app = await api(admin, 'POST', `/v1/environments/${env}/applications`, body);
  return { env, userId: user.id as string, appId: app.id as string };
}

/** The application's page: the SDK as its README shows it, initialised from the issuer's discovery. */
const APP_PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><title>SDK test application</title></head>
<body><pre id="out">loading</pre>
<script src="/ping-oidc.js"></script>
<script>
(async () => {
  const out = document.getElementById('out');
  try {
    const config = await (await fetch('/config.json')).json();
    const client = await pingOidc.OidcClient.initializeFromOpenIdConfig(config.issuer, {
      client_id: config.clientId, redirect_uri: config.redirectUri, scope: 'openid profile', logLevel: 'debug',
    });
    if (await client.hasToken()) {
      const token = await client.getToken();
      const userinfo = await client.fetchUserInfo();
      window.signedIn = { token, userinfo, url: location.href };
      out.textContent = 'signed in';
    } else {
      out.textContent = 'authorizing';
      await client.authorize();
    }
  } catch (err) {
    window.failure = String(err && err.stack || err);
    out.textContent = 'error';
  }
})();
</script></body></html>`;

before(async () => {
  if (skip) return;
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing; .ci/run installs Debian's chromium`);
  dataDir = mkdtempSync(join(tmpdir(), 'keyway-ping-sdk-'));
  keyway = await startProcess({ KEYWAY_DATA_DIR: dataDir, KEYWAY_TLS: 'self-signed', ...PINS }, 30_000, { https: true });
  keywayUrl = `https://localhost:${keyway.port}`;
  const ca = readFileSync(join(dataDir, 'ca.pem'), 'utf8');
  const dispatcher = new Agent({ connect: { ca } });
  fetchWithCa = (url, init) => undiciFetch(url, { ...init, dispatcher });

  // The application's own origin: 127.0.0.1, another site than Keyway's localhost.
  const cert = readFileSync(join(dataDir, 'server.pem'), 'utf8');
  const key = readFileSync(join(dataDir, 'server-key.pem'), 'utf8');
  const sdk = readFileSync(SDK_BUNDLE);
  const pagesPort = await freePort();
  pagesOrigin = `https://127.0.0.1:${pagesPort}`;
  pages = createServer({ cert, key }, (req, res) => {
    const path = new URL(req.url ?? '/', pagesOrigin).pathname;
    if (path === '/ping-oidc.js') return res.writeHead(200, { 'content-type': 'text/javascript' }).end(sdk);
    if (path === '/config.json') return res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(pageConfig));
    if (path === '/app.html') return res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(APP_PAGE);
    return res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!doctype html><title>blank</title>');
  });
  await new Promise<void>((resolve) => pages.listen(pagesPort, '127.0.0.1', resolve));

  // Chromium trusts this one key (the SPKI's SHA-256, base64), not any certificate.
  const spki = createPublicKey(cert).export({ type: 'spki', format: 'der' });
  const pin = createHash('sha256').update(spki).digest('base64');
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      `--ignore-certificate-errors-spki-list=${pin}`,
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
});

after(async () => {
  await browser?.close();
  await new Promise((resolve) => (pages ? pages.close(resolve) : resolve(undefined)));
  await keyway?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe("PingOne's browser OIDC SDK against Keyway over HTTPS, in chromium", () => {
  test('initializeFromOpenIdConfig (discovery), authorize with PKCE, hosted sign-on, code exchange and userinfo', { skip }, async () => {
    const admin = await adminToken();
    const redirectUri = `${pagesOrigin}/app.html`;
    const { env, userId, appId } = await environmentWithUser(admin, 'Ping SDK', {
      name: 'Ping-SDK-SPA', enabled: true, type: 'SINGLE_PAGE_APP', protocol: 'OPENID_CONNECT',
      grantTypes: ['AUTHORIZATION_CODE'], responseTypes: ['CODE'], redirectUris: [redirectUri], tokenEndpointAuthMethod: 'NONE', pkceEnforcement: 'S256_REQUIRED',
    });
    Object.assign(pageConfig, { issuer: `${keywayUrl}/${env}/as`, clientId: appId, redirectUri });

    const page = await browser!.newPage();
    const console: string[] = [];
    page.on('console', (m) => console.push(m.text()));
    try {
      await page.goto(`${pagesOrigin}/app.html`);
      // The SDK sends the browser to Keyway's authorize endpoint, which shows the sign-on page.
      await page.waitForURL((url) => url.origin === keywayUrl && url.pathname === `/${env}/signon/`, { timeout: 15_000 });
      await page.getByLabel(/user ?name/i).fill('grace');
      await page.getByLabel(/password/i).fill(PASSWORD);
      await page.getByRole('button', { name: /sign on|sign in/i }).click();
      await page.waitForFunction(() => (globalThis as any).signedIn || (globalThis as any).failure, undefined, { timeout: 15_000 });
      const failure = await page.evaluate(() => (globalThis as any).failure as string | undefined);
      assert.equal(failure, undefined, `${failure}\n${console.join('\n')}`);
      const { token, userinfo, url } = await page.evaluate(() => (globalThis as any).signedIn as { token: Record<string, string>; userinfo: Record<string, string>; url: string });

      assert.equal(new URL(url).origin + new URL(url).pathname, redirectUri, 'back on the application');
      assert.equal(new URL(url).searchParams.get('code'), null, 'the SDK removed the code from the address bar');
      assert.equal(token.token_type, 'Bearer');
      assert.match(token.access_token!, /^[\w-]+\.[\w-]+\.[\w-]+$/);
      const idClaims = JSON.parse(Buffer.from(token.id_token!.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
      assert.equal(idClaims.iss, `${keywayUrl}/${env}/as`, 'an https issuer');
      assert.equal(idClaims.sub, userId);
      assert.equal(userinfo.sub, userId);
      assert.equal(userinfo.given_name, 'Grace');
    } finally {
      await page.close();
    }
  });

  test("cross-site pi.flow from an origin in the application's corsSettings: the session cookie is kept and sent back (SameSite=None; Secure; Partitioned)", { skip }, async () => {
    const admin = await adminToken();
    const redirectUri = `${pagesOrigin}/pi`;
    const { env, appId } = await environmentWithUser(admin, 'Ping SDK pi.flow', {
      name: 'Cross-Site-PiFlow', enabled: true, type: 'SINGLE_PAGE_APP', protocol: 'OPENID_CONNECT',
      grantTypes: ['AUTHORIZATION_CODE'], responseTypes: ['CODE'], redirectUris: [redirectUri], tokenEndpointAuthMethod: 'NONE',
      corsSettings: { behavior: 'ALLOW_SPECIFIC_ORIGINS', origins: [pagesOrigin] },
    });
    const authorize = `${keywayUrl}/${env}/as/authorize?${new URLSearchParams({ client_id: appId, redirect_uri: redirectUri, response_type: 'code', scope: 'openid', response_mode: 'pi.flow', state: 'again', code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256' })}`;
    // Inline steps only: a named helper inside would be compiled with a reference to tsx's own
    // `__name`, which the page does not have.
    const script = async ({ authorize, flows }: { authorize: string; flows: string }) => {
      const flow = (await (await fetch(authorize, { credentials: 'include' }).catch((e) => Promise.reject(new Error(`authorize: ${e}`)))).json()) as { id: string; status: string };
      const checked = (await (
        await fetch(`${flows}/${flow.id}`, {
          method: 'POST',
          credentials: 'include',
          headers: { 'content-type': 'application/vnd.pingidentity.usernamePassword.check+json' },
          body: JSON.stringify({ username: 'grace', password: 'Hopper-Cobol-1959' }),
        }).catch((e) => Promise.reject(new Error(`flow API: ${e}`)))
      ).json()) as { status: string; resumeUrl: string };
      const resumed = (await (await fetch(checked.resumeUrl, { credentials: 'include' }).catch((e) => Promise.reject(new Error(`resume: ${e}`)))).json()) as { authorizeResponse?: { code: string } };
      // A second authorization: the browser sends the ST cookie it kept from the flow API's
      // cross-site answer, so Keyway answers with a code at once (OIDC Core §3.1.2.3).
      const again = (await (await fetch(authorize, { credentials: 'include' }).catch((e) => Promise.reject(new Error(`second authorize: ${e}`)))).json()) as { authorizeResponse?: { code: string; state: string } };
      return { first: flow.status, checked: checked.status, resumedWithCode: typeof resumed.authorizeResponse?.code === 'string', again };
    };
    const page = await browser!.newPage();
    try {
      await page.goto(`${pagesOrigin}/blank`);
      const outcome = await page.evaluate(script, { authorize, flows: `${keywayUrl}/${env}/flows` });
      assert.equal(outcome.first, 'USERNAME_PASSWORD_REQUIRED');
      assert.equal(outcome.checked, 'COMPLETED');
      assert.equal(outcome.resumedWithCode, true);
      assert.equal(outcome.again.authorizeResponse?.state, 'again', JSON.stringify(outcome.again));
      assert.match(outcome.again.authorizeResponse?.code ?? '', /^[A-Za-z0-9_-]{43}$/);
      // Kept in the application's partition (CHIPS): this chromium, like browsers that block
      // third-party cookies, keeps a cross-site cookie only when it is Partitioned.
      const st = (await page.context().cookies()).find((c) => c.name === 'ST') as ({ sameSite: string; secure: boolean; partitionKey?: string } | undefined);
      assert.equal(st?.sameSite, 'None');
      assert.equal(st?.secure, true);
      assert.equal(st?.partitionKey, new URL(pagesOrigin).origin.replace(/:\d+$/, ''), "partitioned under the application's site");
    } finally {
      await page.close();
    }
  });
});
