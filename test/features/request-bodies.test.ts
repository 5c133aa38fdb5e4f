/**
 * Request bodies the server refuses before any rule runs, in-process: bodies over the 1 MiB limit,
 * media types an API does not take, and JSON that is not UTF-8. The authorization server answers
 * in RFC 6749's shape, the management and flow APIs in PingOne's, and a refused request stores,
 * consumes and issues nothing.
 */
import { before, after, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import { startInProcess, type InProcess } from '../support/harness.js';

let h: InProcess;
before(async () => {
  h = await startInProcess();
});
after(() => h.close());

const LIMIT = 1024 * 1024;
const FORM = 'application/x-www-form-urlencoded';
const FLOW_CHECK = 'application/vnd.pingidentity.usernamePassword.check+json';

interface Raw {
  status: number;
  headers: Record<string, unknown>;
  body: any;
}

async function send(method: 'POST' | 'PUT', url: string, contentType: string, payload: string | Buffer, headers: Record<string, string> = {}): Promise<Raw> {
  const res = await h.app.server.inject({ method, url, headers: { 'content-type': contentType, ...headers }, payload });
  return { status: res.statusCode, headers: res.headers, body: res.body === '' ? undefined : JSON.parse(res.body) };
}

/** A form body just over the limit, padded with a parameter the endpoint ignores. */
const oversizedForm = (): string => `grant_type=client_credentials&padding=${'a'.repeat(LIMIT)}`;

/** A JSON text whose `name` string holds the byte 0xFF, which no UTF-8 sequence contains. */
function jsonWithInvalidUtf8(fields: Record<string, unknown>): Buffer {
  const text = JSON.stringify({ ...fields, name: 'MARKER' });
  const at = text.indexOf('MARKER');
  return Buffer.concat([Buffer.from(text.slice(0, at)), Buffer.from('bad-'), Buffer.from([0xff]), Buffer.from(text.slice(at + 'MARKER'.length))]);
}

async function environmentNames(): Promise<string[]> {
  const list = await h.inject('GET', '/v1/environments');
  return (list.body._embedded.environments as Array<{ name: string }>).map((e) => e.name);
}

describe('authorization server: a form body over the limit is 413 (RFC 9110 §15.5.14) in RFC 6749 §5.2 shape', () => {
  const basic = (): Record<string, string> => ({ authorization: `Basic ${Buffer.from('client:secret').toString('base64')}`, accept: 'application/json' });
  for (const path of ['token', 'introspect', 'revoke', 'par', 'userinfo', 'authorize', 'signoff']) {
    test(`POST /as/${path}`, async () => {
      const res = await send('POST', `/${h.adminEnvId}/as/${path}`, FORM, oversizedForm(), basic());
      assert.equal(res.status, 413, JSON.stringify(res.body));
      assert.equal(res.body.error, 'invalid_request');
      assert.equal(typeof res.body.error_description, 'string');
      assert.equal(res.headers['cache-control'], 'no-store');
    });
  }
});

describe('management API: media types and encodings', () => {
  test('a form-encoded body is 415 INVALID_REQUEST (PingOne answers unsupported media types so) and stores nothing', async () => {
    const res = await send('POST', '/v1/environments', FORM, 'name=Form&region=NA&type=SANDBOX', { authorization: `Bearer ${h.token}` });
    assert.equal(res.status, 415, JSON.stringify(res.body));
    assert.equal(res.body.code, 'INVALID_REQUEST');
    assert.ok(!(await environmentNames()).includes('Form'));
  });

  test('a form-encoded body to a PUT is 415 too', async () => {
    const url = `/v1/environments/${h.adminEnvId}/applications/${h.app.bootstrap.summary.clientId}`;
    const res = await send('PUT', url, FORM, 'name=Renamed&enabled=true', { authorization: `Bearer ${h.token}` });
    assert.equal(res.status, 415, JSON.stringify(res.body));
    assert.equal(res.body.code, 'INVALID_REQUEST');
  });

  test('JSON with bytes that are not UTF-8 (RFC 8259 §8.1) is 400 INVALID_REQUEST and stores nothing', async () => {
    const body = jsonWithInvalidUtf8({ region: 'NA', type: 'SANDBOX' });
    const res = await send('POST', '/v1/environments', 'application/json', body, { authorization: `Bearer ${h.token}` });
    assert.equal(res.status, 400, JSON.stringify(res.body));
    assert.equal(res.body.code, 'INVALID_REQUEST');
    assert.equal(typeof res.body.id, 'string');
    assert.ok(!(await environmentNames()).some((name) => name.startsWith('bad-')), 'no environment was created with U+FFFD in its name');
  });

  test('a PEM upload with bytes that are not UTF-8 is 400 INVALID_REQUEST and stores no certificate', async () => {
    const url = `/v1/environments/${h.adminEnvId}/applications/${h.app.bootstrap.summary.clientId}/keys`;
    const pem = Buffer.concat([Buffer.from('-----BEGIN CERTIFICATE-----\nMII'), Buffer.from([0xc3, 0x28]), Buffer.from('\n-----END CERTIFICATE-----\n')]);
    const res = await send('POST', url, 'application/x-pem-file', pem, { authorization: `Bearer ${h.token}` });
    assert.equal(res.status, 400, JSON.stringify(res.body));
    assert.equal(res.body.code, 'INVALID_REQUEST');
    assert.equal((await h.inject('GET', url)).body.count, 0);
  });

  test('valid multi-byte UTF-8 is still accepted', async () => {
    const res = await send('POST', '/v1/environments', 'application/json', Buffer.from(JSON.stringify({ name: 'Zürich ☃', region: 'EU', type: 'SANDBOX', license: { id: h.licenseId } })), {
      authorization: `Bearer ${h.token}`,
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.body.name, 'Zürich ☃');
  });
});

describe("flow API: refused bodies in PingOne's shape, never 500", () => {
  const flowUrl = (): string => `/${h.adminEnvId}/flows/${randomUUID()}`;

  test('a body over the limit is 413 INVALID_REQUEST', async () => {
    const res = await send('POST', flowUrl(), FLOW_CHECK, JSON.stringify({ username: 'u', password: 'p'.repeat(LIMIT) }));
    assert.equal(res.status, 413, JSON.stringify(res.body));
    assert.equal(res.body.code, 'INVALID_REQUEST');
  });

  test('malformed JSON is 400 INVALID_REQUEST', async () => {
    const res = await send('POST', flowUrl(), FLOW_CHECK, '{"username": ');
    assert.equal(res.status, 400, JSON.stringify(res.body));
    assert.equal(res.body.code, 'INVALID_REQUEST');
  });

  test('JSON that is not UTF-8 is 400 INVALID_REQUEST', async () => {
    const res = await send('POST', flowUrl(), FLOW_CHECK, jsonWithInvalidUtf8({ username: 'u', password: 'p' }));
    assert.equal(res.status, 400, JSON.stringify(res.body));
    assert.equal(res.body.code, 'INVALID_REQUEST');
  });

  test('an unsupported media type is 415 INVALID_REQUEST', async () => {
    for (const type of [FORM, 'text/plain']) {
      const res = await send('POST', flowUrl(), type, 'username=u&password=p');
      assert.equal(res.status, 415, `${type}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body.code, 'INVALID_REQUEST');
    }
  });
});
