/**
 * `keyway token` against a stub token endpoint on 127.0.0.1 that checks the form of a
 * private_key_jwt client_credentials request (RFC 7523 §2.2) and verifies the assertion.
 */
import { after, before, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { jwtVerify, type JWTPayload } from 'jose';
import { CLIENT_ASSERTION_TYPE, issuerOf, run } from '../../../src/cli/token.js';
import { captureIo, tempDir } from './cli-io.js';
import { newKeyPairSync } from '../../../src/keys/key-pair.js';

const CLIENT_ID = 'bench-client';
const ENV_PATH = '/11111111-2222-4333-8444-555555555555/as';
const pair = newKeyPairSync({ type: 'ec', namedCurve: 'P-256' });
const other = newKeyPairSync({ type: 'ec', namedCurve: 'P-256' });
const dir = tempDir();
writeFileSync(join(dir, 'client.pem'), pair.privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
writeFileSync(join(dir, 'other.pem'), other.privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });

interface Seen {
  form: URLSearchParams;
  headers: IncomingMessage['headers'];
  claims?: JWTPayload;
}

let server: Server;
let base: string;
const seen: Seen[] = [];

async function readBody(req: IncomingMessage): Promise<string> {
  let body = '';
  for await (const chunk of req) body += String(chunk);
  return body;
}

/** A token endpoint that accepts only a well-formed private_key_jwt request signed by `pair`. */
async function tokenEndpoint(req: IncomingMessage): Promise<{ status: number; body: unknown }> {
  const form = new URLSearchParams(await readBody(req));
  const entry: Seen = { form, headers: req.headers };
  seen.push(entry);
  if (req.method !== 'POST' || req.url !== `${ENV_PATH}/token`) return { status: 404, body: { error: 'not_found' } };
  if (req.headers['content-type'] !== 'application/x-www-form-urlencoded') return { status: 400, body: { error: 'invalid_request' } };
  if (form.get('grant_type') !== 'client_credentials') return { status: 400, body: { error: 'unsupported_grant_type' } };
  if (form.get('client_assertion_type') !== CLIENT_ASSERTION_TYPE) return { status: 400, body: { error: 'invalid_request' } };
  try {
    const { payload } = await jwtVerify(form.get('client_assertion') ?? '', pair.publicKey, {
      algorithms: ['ES256'],
      issuer: CLIENT_ID,
      subject: CLIENT_ID,
      audience: `${base}${ENV_PATH}`,
      requiredClaims: ['jti', 'exp', 'iat'],
    });
    entry.claims = payload;
  } catch {
    return { status: 401, body: { error: 'invalid_client', error_description: 'Client authentication failed' } };
  }
  return { status: 200, body: { access_token: 'stub-token', token_type: 'Bearer', expires_in: 3600, scope: form.get('scope') ?? undefined } };
}

before(async () => {
  server = createServer((req, res) => {
    tokenEndpoint(req).then(({ status, body }) => {
      res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(body));
    }, () => res.writeHead(500).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});
after(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

async function token(args: string[]) {
  const c = captureIo(dir);
  const code = await run(args, c.io);
  return { code, stdout: c.stdout(), stderr: c.stderr() };
}

const endpoint = () => `${base}${ENV_PATH}/token`;

describe('keyway token', () => {
  test('sends client_credentials with private_key_jwt in the body, aud = the issuer, and prints the JSON response', async () => {
    const before = seen.length;
    const result = await token(['--token-endpoint', endpoint(), '--client-id', CLIENT_ID, '--key', 'client.pem', '--scope', 'read write']);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(JSON.parse(result.stdout), { access_token: 'stub-token', token_type: 'Bearer', expires_in: 3600, scope: 'read write' });
    const request = seen[before]!;
    assert.equal(request.headers.authorization, undefined, 'no Authorization header');
    assert.deepEqual([...request.form.keys()].sort(), ['client_assertion', 'client_assertion_type', 'client_id', 'grant_type', 'scope']);
    assert.equal(request.form.get('client_id'), CLIENT_ID);
    assert.equal(request.claims?.aud, `${base}${ENV_PATH}`);
    assert.equal(request.claims!.exp! - request.claims!.iat!, 60);
  });

  test('--audience replaces the default audience', async () => {
    const result = await token(['--token-endpoint', endpoint(), '--client-id', CLIENT_ID, '--key', 'client.pem', '--audience', endpoint()]);
    assert.equal(result.code, 1, 'the stub accepts only the issuer');
    assert.deepEqual(JSON.parse(result.stdout), { error: 'invalid_client', error_description: 'Client authentication failed' });
    assert.equal(seen.at(-1)!.form.has('scope'), false);
    assert.match(result.stderr, /the token endpoint answered 401/);
  });

  test('an error response exits 1 and still prints the body', async () => {
    const result = await token(['--token-endpoint', endpoint(), '--client-id', CLIENT_ID, '--key', 'other.pem']);
    assert.equal(result.code, 1);
    assert.equal(JSON.parse(result.stdout).error, 'invalid_client');
  });

  test('an unreachable endpoint exits 1 with the reason', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const address = closed.address();
    await new Promise((resolve) => closed.close(resolve));
    const port = typeof address === 'object' && address ? address.port : 0;
    const result = await token(['--token-endpoint', `http://127.0.0.1:${port}/as/token`, '--client-id', CLIENT_ID, '--key', 'client.pem']);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /request to http:\/\/127\.0\.0\.1:\d+\/as\/token failed: ECONNREFUSED/);
  });

  test('usage errors exit 2 before any request', async () => {
    const count = seen.length;
    for (const [args, pattern] of [
      [['--client-id', CLIENT_ID, '--key', 'client.pem'], /--token-endpoint is required/],
      [['--token-endpoint', 'ftp://x/token', '--client-id', CLIENT_ID, '--key', 'client.pem'], /--token-endpoint must be an absolute http or https URL/],
      [['--token-endpoint', endpoint(), '--key', 'client.pem'], /--client-id is required/],
      [['--token-endpoint', endpoint(), '--client-id', CLIENT_ID], /--key is required/],
      [['--token-endpoint', endpoint(), '--client-id', CLIENT_ID, '--key', 'client.pem', '--alg', 'RS256'], /RS256 needs an RSA key/],
      [['--token-endpoint', endpoint(), '--client-id', CLIENT_ID, '--key', 'client.pem', '--grant', 'x'], /usage: keyway token/],
    ] as const) {
      const result = await token([...args]);
      assert.equal(result.code, 2, result.stderr);
      assert.match(result.stderr, pattern);
    }
    assert.equal(seen.length, count);
  });

  test('the default audience is the token endpoint without /token', () => {
    assert.equal(issuerOf('https://auth.example/env/as/token'), 'https://auth.example/env/as');
    assert.equal(issuerOf('https://auth.example/oauth2/v1/token/'), 'https://auth.example/oauth2/v1/token/');
  });
});
