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

describe('hosted sign-on in a real browser', () => {
  test('sign in on the hosted page, land on the redirect URI with a code, exchange it', { skip: !existsSync(CHROMIUM) && !process.env.CI }, async () => {
    const basic = Buffer.from(`${PINS.KEYWAY_BOOTSTRAP_CLIENT_ID}:${PINS.KEYWAY_BOOTSTRAP_CLIENT_SECRET}`).toString('base64');
    const adminRes = await fetch(`${server.baseUrl}/${PINS.KEYWAY_BOOTSTRAP_ENVIRONMENT_ID}/as/token`, {
      method: 'POST',
      headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials',
    });
    const admin = ((await adminRes.json()) as { access_token: string }).access_token;
    const env = (await api(admin, 'POST', '/v1/environments', { name: 'Browser', region: 'NA', type: 'SANDBOX' })).id as string;
    const user = await api(admin, 'POST', `/v1/environments/${env}/users`, { username: 'grace', email: 'grace@example.com' });
    await api(admin, 'PUT', `/v1/environments/${env}/users/${user.id}/password`, { value: 'Hopper-Cobol-1959', forceChange: false }, 'application/vnd.pingidentity.password.set+json');
    const redirectUri = `http://127.0.0.1:${callbackPort}/callback`;
    const app = await api(admin, 'POST', `/v1/environments/${env}/applications`, {
      name: 'Browser-App',
      enabled: true,
      type: 'WEB_APP',
      protocol: 'OPENID_CONNECT',
      grantTypes: ['AUTHORIZATION_CODE'],
      responseTypes: ['CODE'],
      redirectUris: [redirectUri],
      tokenEndpointAuthMethod: 'CLIENT_SECRET_BASIC',
    });
    const secret = (await api(admin, 'GET', `/v1/environments/${env}/applications/${app.id}/secret`)).secret as string;

    const verifier = randomBytes(32).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const state = randomBytes(16).toString('base64url');
    const authorize = new URL(`${server.baseUrl}/${env}/as/authorize`);
    for (const [k, v] of Object.entries({
      client_id: app.id,
      redirect_uri: redirectUri,
      response_type: 'code',
      scope: 'openid profile',
      state,
      code_challenge: challenge,
      code_challenge_method: 'S256',
    })) authorize.searchParams.set(k, v);

    const page = await browser!.newPage();
    await page.goto(authorize.href);
    await page.getByLabel(/user ?name/i).fill('grace');
    await page.getByLabel(/password/i).fill('Hopper-Cobol-1959');
    await Promise.all([page.waitForURL((url) => url.href.startsWith(redirectUri)), page.getByRole('button', { name: /sign on|sign in/i }).click()]);
    const landed = new URL(page.url());
    await page.close();
    assert.equal(landed.searchParams.get('state'), state);
    assert.equal(landed.searchParams.get('iss'), `${server.baseUrl}/${env}/as`);
    const code = landed.searchParams.get('code');
    assert.ok(code, 'the redirect carries a code');

    const exchange = await fetch(`${server.baseUrl}/${env}/as/token`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${app.id}:${secret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: verifier }).toString(),
    });
    assert.equal(exchange.status, 200);
    const tokens = (await exchange.json()) as { id_token?: string; access_token: string };
    assert.ok(tokens.id_token);
    const idClaims = JSON.parse(Buffer.from(tokens.id_token.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
    assert.equal(idClaims.sub, user.id);
    assert.ok(idClaims.aud === app.id || (Array.isArray(idClaims.aud) && idClaims.aud.includes(app.id)));
  });
});
